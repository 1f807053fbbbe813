/* idem.c: manager actions with an idempotency key (docs/protocol.md
 * section 4). Each invocation has one key, given with --idempotency-key or
 * made here; when the call fails in a way that may have left it applied,
 * the person is shown the exact command that repeats it with the same key,
 * which the service answers from its record instead of acting twice. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

char *cli_idem_key(cli_ctx *c, const cli_args *a, int *rc)
{
    const char *given = cli_opt(a, "idempotency-key");
    if (!given)
        return ai_idem_key_new();
    if (!ai_idem_key_ok(given)) {
        *rc = cli_usage(c,
                        "--idempotency-key: use 1 to %d letters, digits, '-', '_', '.' or ':'",
                        AI_IDEM_KEY_MAX);
        return NULL;
    }
    return xstrdup(given);
}

/* One word for a POSIX shell: as is when nothing in it is special, else
 * in single quotes. */
static void shell_word(buf_t *b, const char *w)
{
    bool plain = *w != '\0';
    for (const char *p = w; *p && plain; p++)
        plain = ((unsigned char)*p >= 0x80) || strchr("abcdefghijklmnopqrstuvwxyz"
                                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                       "0123456789-_.,:/=@+%",
                                                       *p);
    buf_append_str(b, " ");
    if (plain) {
        buf_append_str(b, w);
        return;
    }
    buf_append_str(b, "'");
    for (const char *p = w; *p; p++) {
        if (*p == '\'')
            buf_append_str(b, "'\\''");
        else
            buf_append(b, p, 1);
    }
    buf_append_str(b, "'");
}

/* The command as given, with the key: the global options that choose the
 * server and its configuration (never a secret: none can be on a command
 * line), the command, its options and its arguments. */
static char *repeat_command(const cli_args *a, const char *key, bool *from_stdin)
{
    buf_t b = BUF_INIT;
    buf_append_str(&b, "aidesk");
    const struct {
        const char *name, *value;
    } globals[] = {{"--config", a->g.config_path},
                   {"--base-url", a->g.base_url},
                   {"--ca-file", a->g.ca_file}};
    for (size_t i = 0; i < sizeof globals / sizeof *globals; i++) {
        if (globals[i].value) {
            shell_word(&b, globals[i].name);
            shell_word(&b, globals[i].value);
        }
    }
    if (a->g.allow_http)
        shell_word(&b, "--allow-http");
    if (a->g.insecure)
        shell_word(&b, "--insecure");
    if (a->g.json)
        shell_word(&b, "--json");
    shell_word(&b, a->cmd->group);
    if (a->cmd->action)
        shell_word(&b, a->cmd->action);
    shell_word(&b, "--idempotency-key");
    shell_word(&b, key);
    for (size_t i = 0; i < a->nopts; i++) {
        if (!strcmp(a->opts[i].spec->name, "idempotency-key"))
            continue;
        char *opt = xasprintf("--%s", a->opts[i].spec->name);
        shell_word(&b, opt);
        free(opt);
        if (a->opts[i].value)
            shell_word(&b, a->opts[i].value);
    }
    bool dashes = false;
    for (size_t i = 0; i < a->npos && !dashes; i++)
        dashes = a->pos[i][0] == '-' && a->pos[i][1] != '\0';
    if (dashes)
        shell_word(&b, "--");
    *from_stdin = false;
    for (size_t i = 0; i < a->npos; i++) {
        shell_word(&b, a->pos[i]);
        *from_stdin = *from_stdin || !strcmp(a->pos[i], "-");
    }
    return buf_steal(&b);
}

void cli_print_repeat(const cli_args *a, const char *key)
{
    /* Printed whatever -q says: without it the person cannot repeat the
     * action safely. Newlines stay, inside the quotes. */
    bool from_stdin;
    char *cmd = repeat_command(a, key, &from_stdin);
    buf_t safe = BUF_INIT;
    sanitize_append(&safe, cmd, strlen(cmd), SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
    fprintf(stderr,
            "aidesk: it may have been applied although the call failed. Repeating it "
            "with the same key is safe (the service applies a key once):\n  %s\n%s",
            buf_cstr(&safe),
            from_stdin ? "aidesk: (give it the same text on standard input)\n" : "");
    fflush(stderr);
    buf_free(&safe);
    free(cmd);
}

net_event *cli_keyed_call(cli_ctx *c, const cli_args *a, net_request *req, const char *key,
                          int *rc)
{
    if (!req) {
        *rc = cli_usage(c, "an id must not be empty");
        return NULL;
    }
    net_event *ev = cli_request(c, API_AIASSIST, req, NULL, NULL);
    if (ev->kind == NET_EV_DONE) {
        *rc = CLI_OK;
        return ev;
    }
    bool uncertain = !ev->not_processed && !net_event_refused(ev);
    *rc = cli_fail(c, cli_event_error(c, API_AIASSIST, ev));
    net_event_free(ev);
    if (uncertain)
        cli_print_repeat(a, key);
    return NULL;
}
