/* error_msg.c: api_error_message, the one line people read. */
#include "config.h"
#include "api/error.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

/* Server text is cut so one error stays one readable line. */
#define DETAIL_MAX 300

static void add_detail(buf_t *b, const char *s)
{
    size_t n = strlen(s);
    if (n <= DETAIL_MAX) {
        buf_append(b, s, n);
        return;
    }
    buf_append(b, s, utf8_prefix_len(s, DETAIL_MAX));
    buf_append_str(b, "\xE2\x80\xA6"); /* ... */
}

/* ": detail" when the server said something, else " (HTTP nnn)". */
static void detail_or_status(buf_t *b, const api_error *e)
{
    if (e->detail && *e->detail) {
        buf_append_str(b, ": ");
        add_detail(b, e->detail);
    } else if (e->status) {
        buf_printf(b, " (HTTP %ld)", e->status);
    }
}

static const char *who(const api_error *e)
{
    return e->has_service ? api_service_name(e->service) : "the server";
}

static void network_message(buf_t *b, const api_error *e)
{
    const char *target = e->origin ? e->origin : who(e);
    switch (e->fail) {
    case NET_FAIL_CONNECT: buf_printf(b, "cannot reach %s", target); break;
    case NET_FAIL_TIMEOUT: buf_printf(b, "%s did not answer in time", target); break;
    case NET_FAIL_STALL: buf_printf(b, "the stream from %s went silent", target); break;
    case NET_FAIL_DROPPED: buf_printf(b, "the connection to %s was cut", target); break;
    case NET_FAIL_TLS: buf_printf(b, "no secure connection to %s", target); break;
    case NET_FAIL_REFUSED: buf_printf(b, "aidesk refused to contact %s", target); break;
    case NET_FAIL_INTERNAL: buf_printf(b, "the network could not be set up for %s", target); break;
    case NET_FAIL_HTTP:
    case NET_FAIL_TOO_LARGE:
    case NET_FAIL_NONE:
        if (e->status == 408)
            buf_printf(b, "%s timed out waiting for the request (HTTP 408)", target);
        else
            buf_printf(b, "network error talking to %s", target);
        break;
    }
    if (e->what && *e->what) {
        buf_append_str(b, ": ");
        add_detail(b, e->what);
    }
}

static void retry_hint(buf_t *b, const api_error *e)
{
    if (e->retry_after_s >= 0)
        buf_printf(b, ": retry in %ld s", e->retry_after_s);
    else
        buf_append_str(b, ": try again later");
}

static void quota_message(buf_t *b, const api_error *e)
{
    buf_printf(b, "%s quota exceeded", who(e));
    if (e->sessions_used >= 0 && e->sessions_included >= 0) {
        buf_printf(b, ": %lld of %lld sessions used", (long long)e->sessions_used,
                   (long long)e->sessions_included);
        if (e->plan && *e->plan) {
            buf_append_str(b, " on the ");
            add_detail(b, e->plan);
            buf_append_str(b, " plan");
        }
        if (e->percent_used >= 0)
            buf_printf(b, " (%.0f%%)", e->percent_used);
    } else {
        detail_or_status(b, e);
    }
    if (e->upgrade_url && *e->upgrade_url) {
        buf_append_str(b, "; upgrade at ");
        add_detail(b, e->upgrade_url);
    }
}

static void rate_message(buf_t *b, const api_error *e)
{
    buf_printf(b, "rate limited by %s", who(e));
    if (e->rate_limit >= 0 && e->rate_window && *e->rate_window) {
        buf_printf(b, " (%lld requests per ", (long long)e->rate_limit);
        add_detail(b, e->rate_window);
        buf_append_char(b, ')');
    }
    retry_hint(b, e);
}

static void concurrent_message(buf_t *b, const api_error *e)
{
    buf_printf(b, "too many concurrent %s sessions", who(e));
    if (e->concurrent_current >= 0 && e->concurrent_max >= 0)
        buf_printf(b, " (%lld of %lld)", (long long)e->concurrent_current,
                   (long long)e->concurrent_max);
    const char *more = e->hint && *e->hint ? e->hint : e->detail;
    if (more && *more) {
        buf_append_str(b, ": ");
        add_detail(b, more);
    }
}

static void build(buf_t *b, const api_error *e)
{
    if (e->text) {
        add_detail(b, e->text);
        return;
    }
    switch (e->kind) {
    case API_ERR_AUTH:
        if (e->has_service && e->service == API_GATE)
            buf_append_str(b, "AI Gate does not accept the project id");
        else
            buf_printf(b, "%s rejected the API key", who(e));
        detail_or_status(b, e);
        break;
    case API_ERR_FORBIDDEN:
        buf_printf(b, "%s refused access", who(e));
        detail_or_status(b, e);
        break;
    case API_ERR_NOT_FOUND:
        buf_printf(b, "not found at %s", who(e));
        detail_or_status(b, e);
        break;
    case API_ERR_RATE_LIMITED: rate_message(b, e); break;
    case API_ERR_QUOTA: quota_message(b, e); break;
    case API_ERR_CONCURRENT: concurrent_message(b, e); break;
    case API_ERR_BAD_REQUEST:
        buf_printf(b, "%s refused the request", who(e));
        detail_or_status(b, e);
        break;
    case API_ERR_CONFLICT:
        buf_printf(b, "conflict at %s", who(e));
        if (e->detail && *e->detail)
            detail_or_status(b, e);
        else if (e->code && !strcmp(e->code, "workspace_ended"))
            buf_append_str(b, ": the workspace has ended");
        else if (e->code && !strcmp(e->code, "draft_not_pending"))
            buf_append_str(b, ": the draft was already approved or rejected");
        else
            detail_or_status(b, e);
        break;
    case API_ERR_SERVER:
        buf_printf(b, "%s had a server error", who(e));
        if (e->status)
            buf_printf(b, " (HTTP %ld)", e->status);
        if (e->detail && *e->detail) {
            buf_append_str(b, ": ");
            add_detail(b, e->detail);
        }
        if (e->retry_after_s >= 0)
            buf_printf(b, "; retry in %ld s", e->retry_after_s);
        break;
    case API_ERR_NETWORK: network_message(b, e); break;
    case API_ERR_PROTOCOL:
        buf_printf(b, "%s sent an answer aidesk cannot use", who(e));
        detail_or_status(b, e);
        break;
    case API_ERR_CANCELLED: buf_append_str(b, "cancelled"); break;
    }
}

char *api_error_message(const api_error *e)
{
    if (!e)
        return xstrdup("no error");
    buf_t raw = BUF_INIT;
    build(&raw, e);
    /* Redaction works on C strings: make sure no NUL from the server hides
     * the rest of the line from it (jsonu copies already replace NULs). */
    char *red = log_redact(buf_cstr(&raw));
    buf_free(&raw);
    char *out = sanitize_dup(red, strlen(red), 0);
    free(red);
    return out;
}
