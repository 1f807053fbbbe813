/* out.c: text on stdout. Everything that came from the network is
 * sanitised on its way out (unless --raw to a pipe): remote text is data,
 * never terminal commands. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_priv.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

static const char *pooled(cli_ctx *c, char *s)
{
    c->pool = xgrow(c->pool, &c->poolcap, c->npool + 1, sizeof *c->pool);
    c->pool[c->npool++] = s;
    return s;
}

void cli_pool_clear(cli_ctx *c)
{
    for (size_t i = 0; i < c->npool; i++)
        free(c->pool[i]);
    c->npool = 0;
}

/* Raw text as it was sent, but for a U+0000 (held as C0 80, see
 * util/utf8.h): standard output is text, and a NUL in it would stop many
 * readers, so it is written as U+FFFD. */
static const char *raw(cli_ctx *c, const char *s)
{
    if (!strchr(s, '\xC0'))
        return s;
    buf_t b = BUF_INIT;
    utf8_text_plain_append(&b, s, strlen(s));
    return pooled(c, buf_steal(&b));
}

static const char *safe(cli_ctx *c, const char *s, unsigned flags)
{
    if (!s)
        return "";
    if (!c->sanitize)
        return raw(c, s);
    return pooled(c, sanitize_dup(s, strlen(s), flags));
}

const char *cli_s1(cli_ctx *c, const char *s)
{
    return safe(c, s, 0);
}

const char *cli_sm(cli_ctx *c, const char *s)
{
    return safe(c, s, SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
}

const char *cli_short(cli_ctx *c, const char *s, size_t max)
{
    if (!s)
        return "";
    size_t len = strlen(s);
    bool cut = len > max;
    if (cut)
        len = utf8_prefix_len(s, max);
    char *flat = xstrndup(s, len);
    for (char *p = flat; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    buf_t b = BUF_INIT;
    if (c->sanitize)
        sanitize_append(&b, flat, strlen(flat), 0);
    else
        utf8_text_plain_append(&b, flat, strlen(flat));
    free(flat);
    if (cut)
        buf_append_str(&b, "...");
    return pooled(c, buf_steal(&b));
}

bool cli_out(const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, stdout) != n)
        return false;
    return fflush(stdout) == 0;
}

bool cli_out_flush(cli_ctx *c)
{
    if (c->out.len && !c->out_broken) {
        if (!cli_out(c->out.data, c->out.len))
            c->out_broken = true;
        c->out_bytes += c->out.len;
        c->out_writes++;
    }
    buf_clear(&c->out);
    return !c->out_broken;
}

bool cli_out_put(cli_ctx *c, const char *s, size_t n)
{
    if (c->out_broken)
        return false;
    buf_append(&c->out, s, n);
    /* A write per token was most of the CPU of a fast reply (one system
     * call each); a person at a terminal must still see it as it comes. */
    if (c->out_live || c->out.len >= CLI_OUT_HOLD)
        return cli_out_flush(c);
    return true;
}

const char *cli_time(int64_t ms, bool date, char *buf, size_t n)
{
    if (ms <= 0) {
        snprintf(buf, n, "-");
        return buf;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(buf, n, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm))
        snprintf(buf, n, "-");
    return buf;
}

const char *cli_expiry(int64_t unix_s, char *buf, size_t n)
{
    if (unix_s <= 0) {
        snprintf(buf, n, "unknown");
        return buf;
    }
    char when[40];
    cli_time(unix_s * 1000, true, when, sizeof when);
    long long d = (long long)unix_s - (long long)time(NULL);
    if (d >= 0)
        snprintf(buf, n, "%s (in %lld s)", when, d);
    else
        snprintf(buf, n, "%s (%lld s ago)", when, -d);
    return buf;
}

void cli_put_indented(const char *text, int indent)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, stdout);
        if (*p == '\n' && p[1] && p[1] != '\n')
            fprintf(stdout, "%*s", indent, "");
    }
}

void cli_print_message(cli_ctx *c, const ai_message *m, bool date)
{
    char t[40];
    const char *role = ai_role_name(m->role);
    int head = fprintf(stdout, "%s %s: ", cli_time(m->created_ms, date, t, sizeof t), role);
    cli_put_indented(cli_sm(c, m->content), head > 0 ? head : 0);
    if (m->approval && strcmp(m->approval, "direct"))
        fprintf(stdout, "  [%s]", cli_s1(c, m->approval));
    fputc('\n', stdout);
}

void cli_print_workspace_line(cli_ctx *c, const ai_workspace *w)
{
    fprintf(stdout, "workspace %s  mode %s  status %s", cli_s1(c, w->id),
            w->mode_raw ? cli_s1(c, w->mode_raw) : ai_mode_name(w->mode),
            w->status ? cli_s1(c, w->status) : "-");
    if (w->client_id)
        fprintf(stdout, "  client %s", cli_s1(c, w->client_id));
    fputc('\n', stdout);
}
