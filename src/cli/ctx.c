/* ctx.c: the command's context: clients made on first use, messages on
 * stderr, option values and message text. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_priv.h"
#include "util/baseurl.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

/* Largest message text read from standard input. */
#define CLI_STDIN_MAX (16u * 1024 * 1024)

static void vmessage(const char *fmt, va_list ap)
{
    buf_t raw = BUF_INIT, safe = BUF_INIT;
    buf_vprintf(&raw, fmt, ap);
    sanitize_append(&safe, raw.data ? raw.data : "", raw.len, 0);
    fprintf(stderr, "aidesk: %s\n", buf_cstr(&safe));
    fflush(stderr);
    buf_free(&raw);
    buf_free(&safe);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

void cli_note(cli_ctx *c, const char *fmt, ...)
{
    if (c->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

int cli_usage(cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    char name[64] = "";
    if (c->args && c->args->cmd)
        cli_cmd_name(c->args->cmd, name, sizeof name);
    fprintf(stderr, "Try 'aidesk %s%s--help'.\n", name, name[0] ? " " : "");
    return CLI_USAGE;
}

int cli_fail(cli_ctx *c, api_error *e)
{
    (void)c;
    char *msg = api_error_message(e);
    cli_error("%s", msg);
    free(msg);
    int rc = api_error_exit_code(e);
    api_error_free(e);
    return rc;
}

void cli_tell_repairs(cli_ctx *c)
{
    if (c->told_repairs || utf8_repairs() == c->repairs)
        return;
    c->told_repairs = true;
    cli_error("warning: some text from the server was not valid UTF-8: "
              "the bad bytes are shown as U+FFFD");
}

static const char *config_where(const cli_ctx *c)
{
    return c->cfg->config_path ? c->cfg->config_path : "the config file";
}

net_t *cli_net(cli_ctx *c)
{
    if (c->net)
        return c->net;
    net_config nc = {0};
    nc.insecure_tls = c->cfg->insecure_tls;
    nc.ca_file = c->cfg->ca_file;
    c->net = net_new(&nc);
    if (!c->net)
        cli_error("cannot start the network thread");
    else if (c->cfg->insecure_tls)
        cli_error("warning: TLS certificates are not checked (--insecure): "
                  "anyone on the network path can read and change this session");
    return c->net;
}

ai_client *cli_ai(cli_ctx *c)
{
    if (c->ai)
        return c->ai;
    const config_t *cfg = c->cfg;
    if (!cfg->api_key) {
        cli_error("no AiAssist API key: set AIASSIST_API_KEY or api_key / api_key_cmd in %s",
                  config_where(c));
        return NULL;
    }
    char *err = NULL;
    if (!ai_key_check(cfg->api_key, &err)) {
        cli_error("the AiAssist API key cannot be used: %s", err);
        free(err);
        return NULL;
    }
    c->ai = ai_client_new(cfg->base_url, cfg->api_key);
    if (!c->ai) {
        if (baseurl_check(cfg->base_url, true, NULL, &err) != 0)
            cli_error("AiAssist base URL: %s", err);
        free(err);
        return NULL;
    }
    c->ai->timeout_ms = cfg->timeout_ms;
    c->ai->max_retries = cfg->max_retries;
    if (cfg->allow_http)
        c->ai->allow_http = true;
    return cli_net(c) ? c->ai : NULL;
}

gate_client *cli_gate(cli_ctx *c)
{
    if (c->gate)
        return c->gate;
    const config_t *cfg = c->cfg;
    if (!cfg->project_id) {
        cli_error("no AI Gate project id: set AI_GATE_PROJECT_ID or project_id / "
                  "project_id_cmd in %s",
                  config_where(c));
        return NULL;
    }
    char *err = NULL;
    if (!gate_project_id_check(cfg->project_id, &err)) {
        cli_error("the AI Gate project id cannot be used: %s", err);
        free(err);
        return NULL;
    }
    c->gate = gate_client_new(cfg->gate_url, cfg->project_id);
    if (!c->gate) {
        if (baseurl_check(cfg->gate_url, true, NULL, &err) != 0)
            cli_error("AI Gate base URL: %s", err);
        free(err);
        return NULL;
    }
    c->gate->timeout_ms = cfg->timeout_ms;
    c->gate->max_retries = cfg->max_retries;
    if (cfg->allow_http)
        c->gate->allow_http = true;
    return cli_net(c) ? c->gate : NULL;
}

bool cli_parse_double(cli_ctx *c, const char *opt, const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v)) {
        cli_usage(c, "%s: not a number: '%s'", opt, s);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_int(cli_ctx *c, const char *opt, const char *s, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno) {
        cli_usage(c, "%s: not a whole number: '%s'", opt, s);
        return false;
    }
    if (v < min || v > max) {
        cli_usage(c, "%s: %ld is out of range (%ld to %ld)", opt, v, min, max);
        return false;
    }
    *out = v;
    return true;
}

static char *read_stdin(cli_ctx *c, int *rc)
{
    buf_t b = BUF_INIT;
    char chunk[8192];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cli_error("cannot read standard input: %s", strerror(errno));
            buf_free(&b);
            *rc = CLI_ERR;
            return NULL;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > CLI_STDIN_MAX) {
            buf_free(&b);
            *rc = cli_usage(c, "the message on standard input is larger than %u MiB",
                            CLI_STDIN_MAX / (1024 * 1024));
            return NULL;
        }
        buf_append(&b, chunk, (size_t)n);
    }
    if (b.len && b.data[b.len - 1] == '\n')
        buf_truncate(&b, b.len - 1);
    if (b.len && b.data[b.len - 1] == '\r')
        buf_truncate(&b, b.len - 1);
    if (memchr(buf_cstr(&b), '\0', b.len)) {
        buf_free(&b);
        *rc = cli_usage(c, "the message on standard input contains a NUL byte");
        return NULL;
    }
    return buf_steal(&b);
}

char *cli_read_text(cli_ctx *c, size_t first, bool from_stdin_if_none, int *rc)
{
    const cli_args *a = c->args;
    size_t n = a->npos > first ? a->npos - first : 0;
    if ((n == 1 && !strcmp(a->pos[first], "-")) ||
        (n == 0 && from_stdin_if_none && !isatty(STDIN_FILENO)))
        return read_stdin(c, rc);
    if (n == 0) {
        *rc = cli_usage(c, "no message: give it as arguments, or '-' to read standard input");
        return NULL;
    }
    buf_t b = BUF_INIT;
    for (size_t i = first; i < a->npos; i++) {
        if (i > first)
            buf_append_char(&b, ' ');
        buf_append_str(&b, a->pos[i]);
    }
    return buf_steal(&b);
}
