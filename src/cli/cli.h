/* cli.h: aidesk's command line: every service call as a subcommand.
 *
 * main() uses it in this order: cli_parse (which prints usage errors),
 * cli_info (--help, --version), cli_config_options and config_load, then
 * cli_run when a subcommand was given (the console otherwise). Exit
 * statuses are documented in cli_print_help and aidesk(1):
 *   0 ok; 1 other error (bad request, not found, conflict); 2 usage or
 *   configuration; 3 authentication or permission; 4 rate limit, quota or
 *   concurrency; 5 network; 6 server error; 7 protocol (malformed answer,
 *   truncated stream); 130 interrupted (SIGINT or SIGTERM). */
#ifndef AIDESK_CLI_CLI_H
#define AIDESK_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/args.h"
#include "config/settings.h"

/* Parses argv. On a usage error prints "aidesk: <what>" and "Try 'aidesk
 * [SUB] --help'." on stderr and returns -1 (exit status 2). a must be
 * released with cli_args_free either way. */
int cli_parse(int argc, char **argv, cli_args *a);

/* Handles --help, --version and the completion command, which print to
 * stdout and need no configuration: returns true with *rc set when one
 * was given. */
bool cli_info(const cli_args *a, int *rc);

/* The configuration options given on the command line (pointers into
 * argv). Key commands are not run for "aidesk config" (unless
 * --run-key-commands) nor with --demo, whose credentials replace them. */
void cli_config_options(const cli_args *a, config_options *o);

/* Runs the parsed subcommand with cfg (borrowed). Installs SIGINT/SIGTERM
 * handlers for its duration (they cancel the request in flight). Returns
 * the exit status. */
int cli_run(const cli_args *a, config_t *cfg);

/* The full help (subcommands, global options, environment, files, exit
 * statuses). */
void cli_print_help(FILE *out);

/* "aidesk: <message>" on stderr, sanitised (for main's own errors). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
