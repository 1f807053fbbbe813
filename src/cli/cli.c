/* cli.c: parsing, help and dispatch of the subcommands. */
#include "config.h"
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_priv.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/utf8.h"

static void try_help(const cli_args *a)
{
    char name[64] = "";
    if (a->cmd)
        cli_cmd_name(a->cmd, name, sizeof name);
    else if (a->group)
        snprintf(name, sizeof name, "%s", a->group);
    fprintf(stderr, "Try 'aidesk %s%s--help'.\n", name, name[0] ? " " : "");
}

static void list_actions(FILE *out, const char *group)
{
    int width = 0;
    for (size_t i = 0; cli_commands[i].group; i++) {
        int w = (int)strlen(cli_commands[i].synopsis);
        if (!strcmp(cli_commands[i].group, group) && w > width)
            width = w;
    }
    for (size_t i = 0; cli_commands[i].group; i++)
        if (!strcmp(cli_commands[i].group, group))
            fprintf(out, "  aidesk %-*s  %s\n", width, cli_commands[i].synopsis,
                    cli_commands[i].summary);
}

int cli_parse(int argc, char **argv, cli_args *a)
{
    char *err = NULL;
    int rc = cli_args_parse(cli_commands, argc, argv, a, &err);
    if (rc == 0 && !a->g.help && !a->g.version) {
        if (a->group && !a->cmd) {
            buf_t names = BUF_INIT;
            for (size_t i = 0; cli_commands[i].group; i++)
                if (!strcmp(cli_commands[i].group, a->group))
                    buf_printf(&names, "%s%s", names.len ? ", " : "", cli_commands[i].action);
            err = xasprintf("%s: which one? (%s)", a->group, buf_cstr(&names));
            buf_free(&names);
            rc = -1;
        } else {
            rc = cli_args_check(a, &err);
        }
    }
    if (rc != 0) {
        cli_error("%s", err);
        try_help(a);
        free(err);
        return -1;
    }
    return 0;
}

void cli_print_help(FILE *out)
{
    char *err = NULL;
    char *path = config_default_path(&err);
    fprintf(out, "Usage: aidesk [OPTION]... [COMMAND [ARG]...]\n"
                 "A terminal console for AiAssist and AI Gate. Without a command it starts the\n"
                 "interactive console; with one it runs that call and exits.\n\nCommands:\n");
    for (size_t i = 0; cli_commands[i].group; i++) {
        char name[64];
        fprintf(out, "  %-13s %s\n", cli_cmd_name(&cli_commands[i], name, sizeof name),
                cli_commands[i].summary);
    }
    fprintf(out,
            "'aidesk COMMAND --help' shows a command's syntax, options and an example.\n"
            "\n"
            "Options (before or after the command):\n"
            "      --config FILE       read FILE instead of the default config file\n"
            "      --base-url URL      AiAssist base URL\n"
            "      --gate-url URL      AI Gate base URL\n"
            "  -m, --model MODEL       AiAssist model for chat\n"
            "      --timeout SECONDS   request time-out; for streams the longest silence\n"
            "      --max-retries N     retries of a failed request (0 to 10, default 3)\n"
            "      --allow-http        allow plain http to a host that is not loopback\n"
            "      --insecure          do not check TLS certificates (dangerous)\n"
            "      --ca-file FILE      trust the CA certificates (PEM) in FILE instead of\n"
            "                          the system's\n"
            "      --debug FILE        write a debug log (secrets redacted) to FILE\n"
            "      --json              print JSON documents for scripts\n"
            "      --raw               print remote text byte for byte (only when stdout\n"
            "                          is not a terminal; it is sanitised otherwise)\n"
            "  -q, --quiet             no notes (retries, progress) on stderr\n"
            "      --demo              start the bundled simulator and use it\n"
            "  -h, --help              show help (of a command after it)\n"
            "  -V, --version           show the version\n"
            "Keys and project ids are never options (a command line shows in ps).\n"
            "\n"
            "Environment:\n"
            "  AIASSIST_API_KEY, AIASSIST_BASE_URL, AI_GATE_PROJECT_ID, AI_GATE_BASE_URL\n"
            "  XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME   where files live\n"
            "  AIDESK_SIM, PYTHON3      the simulator and its interpreter for --demo\n"
            "\n"
            "Config file: %s\n"
            "\n"
            "Exit status:\n"
            "  0 ok, 1 other error (bad request, not found, conflict), 2 usage or\n"
            "  configuration, 3 authentication or permission, 4 rate limit, quota or\n"
            "  concurrency, 5 network, 6 server error, 7 protocol (malformed answer,\n"
            "  truncated stream), 130 interrupted.\n"
            "\nSee aidesk(1) for the details.\n",
            path ? path : "$XDG_CONFIG_HOME/aidesk/config");
    free(path);
    free(err);
}

static void command_help(const cli_cmd *cmd)
{
    printf("Usage: aidesk %s\n%c%s.\n\n%s", cmd->synopsis, cmd->summary[0] - 'a' + 'A',
           cmd->summary + 1, cmd->help);
    printf("\nGlobal options (--json, --quiet, --raw, --timeout, ...): see 'aidesk --help'.\n");
}

bool cli_info(const cli_args *a, int *rc)
{
    if (a->g.help) {
        if (a->cmd) {
            command_help(a->cmd);
        } else if (a->group && cli_group_has_actions(cli_commands, a->group)) {
            printf("Usage: aidesk %s ACTION [ARG]...\n\n", a->group);
            list_actions(stdout, a->group);
            printf("\n'aidesk %s ACTION --help' shows each one.\n", a->group);
        } else {
            cli_print_help(stdout);
        }
        *rc = 0;
        return true;
    }
    if (a->g.version) {
        printf("aidesk %s\n", PACKAGE_VERSION);
        *rc = 0;
        return true;
    }
    if (a->cmd && a->cmd->run == cli_cmd_completion) {
        /* Static text: a shell start-up file that sources it must not
         * depend on the configuration (nor run a key command). */
        *rc = cli_completion(a);
        return true;
    }
    return false;
}

void cli_config_options(const cli_args *a, config_options *o)
{
    memset(o, 0, sizeof *o);
    o->config_path = a->g.config_path;
    o->base_url = a->g.base_url;
    o->gate_url = a->g.gate_url;
    o->model = a->g.model;
    o->timeout = a->g.timeout;
    o->max_retries = a->g.max_retries;
    o->allow_http = a->g.allow_http ? CONFIG_FLAG_ON : CONFIG_FLAG_UNSET;
    o->insecure_tls = a->g.insecure ? CONFIG_FLAG_ON : CONFIG_FLAG_UNSET;
    o->debug_log = a->g.debug_log;
    o->ca_file = a->g.ca_file;
    bool config_cmd = a->cmd && a->cmd->run == cli_cmd_config;
    o->no_key_commands = a->g.demo || (config_cmd && !cli_flag(a, "run-key-commands"));
}

/* The self-pipe: the handler only writes one byte; the poll loop does the
 * rest (cancel, exit status), outside the signal context. */
static int sig_wr = -1;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t w = write(sig_wr, &b, 1);
    (void)w;
    errno = saved;
}

int cli_run(const cli_args *a, config_t *cfg)
{
    cli_ctx c;
    memset(&c, 0, sizeof c);
    c.args = a;
    c.cfg = cfg;
    c.json = a->g.json;
    c.quiet = a->g.quiet;
    c.sanitize = true;
    c.out_live = isatty(STDOUT_FILENO);
    c.repairs = utf8_repairs();
    if (a->g.raw) {
        if (isatty(STDOUT_FILENO))
            cli_note(&c, "--raw ignored: standard output is a terminal, so it is sanitised");
        else
            c.sanitize = false;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        cli_error("cannot create a pipe: %s", strerror(errno));
        return CLI_ERR;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    c.sig_rd = fds[0];
    sig_wr = fds[1];
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    char name[64];
    log_msg("cli: %s", cli_cmd_name(a->cmd, name, sizeof name));
    int rc = a->cmd->run(&c, a);
    if (!cli_out_flush(&c) && rc == CLI_OK)
        rc = CLI_ERR;
    cli_tell_repairs(&c);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == CLI_OK)
            rc = CLI_ERR;
        cli_error("cannot write to standard output");
    }

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sig_wr = -1;
    close(fds[0]);
    close(fds[1]);
    ai_client_free(c.ai);
    gate_client_free(c.gate);
    net_free(c.net);
    cli_pool_clear(&c);
    free(c.pool);
    buf_free(&c.out);
    return rc;
}
