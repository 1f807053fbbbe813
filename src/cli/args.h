/* args.h: the command line of aidesk, parsed.
 *
 * A command line is global options, a command word (with an action word for
 * the groups "ws" and "gate"), the command's own options and positional
 * arguments. Global options are accepted before and after the command; after
 * it, the command's own options are looked up first, so "gate session
 * --model" is the realtime model while "-m" before a command is the chat
 * model. Long options take "--name VALUE" or "--name=VALUE", short ones
 * "-x VALUE" or "-xVALUE"; "--" ends the options; "-" alone is a positional
 * argument (read standard input).
 *
 * The parser only splits and checks names: values are checked by the code
 * that uses them, so a message can name the option. Nothing here reads a
 * key: no option may carry one (a command line shows in ps). */
#ifndef AIDESK_CLI_ARGS_H
#define AIDESK_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

struct cli_ctx;
struct cli_args;

/* One option a command accepts. */
typedef struct cli_optspec {
    const char *name; /* the long name without "--" */
    char short_name;  /* 0 when none */
    bool arg;         /* takes a value */
    bool repeat;      /* may be given more than once (all values kept, in order) */
} cli_optspec;

/* One command: a group word and, for groups with actions, an action word. */
typedef struct cli_cmd {
    const char *group;       /* "chat", "models", "ws", "gate", "config" */
    const char *action;      /* "create", "send", ...; NULL for a command of its own */
    const cli_optspec *opts; /* ended by an entry with name NULL; NULL for none */
    int min_args, max_args;  /* positional arguments; max_args -1: no limit */
    int (*run)(struct cli_ctx *c, const struct cli_args *a);
    const char *synopsis;    /* after "aidesk ": "ws send [OPTION]... ID MESSAGE|-" */
    const char *summary;     /* one line for the command list */
    const char *help;        /* the rest of the --help text: options, example */
} cli_cmd;

/* The global options (strings borrowed from argv). */
typedef struct cli_global {
    const char *config_path;
    const char *base_url;
    const char *gate_url;
    const char *model;
    const char *timeout;
    const char *max_retries;
    const char *debug_log;
    const char *ca_file;
    bool allow_http, insecure, json, raw, quiet, demo, help, version;
} cli_global;

/* One command option as given. */
typedef struct cli_optval {
    const cli_optspec *spec;
    const char *value; /* NULL for a flag */
} cli_optval;

typedef struct cli_args {
    cli_global g;
    const char *group;     /* the command word as given, or NULL */
    const cli_cmd *cmd;    /* NULL: none (or a group without its action) */
    cli_optval *opts;      /* owned array */
    size_t nopts;
    const char **pos;      /* owned array of borrowed strings */
    size_t npos;
} cli_args;

/* Parses argv[1..argc) against table (ended by an entry with group NULL).
 * Returns 0, or -1 with *err set to one line for people (caller frees); a
 * is filled as far as parsing got either way (so the caller can point at
 * the right --help) and must be released with cli_args_free. Positional
 * counts are not checked here (see cli_args_check). */
int cli_args_parse(const cli_cmd *table, int argc, char **argv, cli_args *a, char **err);
void cli_args_free(cli_args *a);

/* Checks the positional count of a parsed command. 0 or -1 with *err. */
int cli_args_check(const cli_args *a, char **err);

/* The last value of the command option name, or NULL. */
const char *cli_opt(const cli_args *a, const char *name);
/* Whether the command option name was given. */
bool cli_flag(const cli_args *a, const char *name);
/* The i-th value of a repeated option name (NULL past the last). */
const char *cli_opt_nth(const cli_args *a, const char *name, size_t i);

/* The global options (ended by an entry with name NULL), for completion. */
const cli_optspec *cli_global_options(void);

/* The first group entry of table named group, or NULL. */
const cli_cmd *cli_find_group(const cli_cmd *table, const char *group);
/* Whether a group has actions ("ws", "gate"). */
bool cli_group_has_actions(const cli_cmd *table, const char *group);

/* "chat", "ws send": the command's name for messages (static storage per
 * command; the table outlives it). Writes into buf of size n. */
const char *cli_cmd_name(const cli_cmd *cmd, char *buf, size_t n);

#endif
