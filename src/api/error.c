#include "config.h"
#include "api/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api/error_body.h"
#include "net/retry.h"
#include "util/baseurl.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

const char *api_service_name(api_service svc)
{
    return svc == API_GATE ? "AI Gate" : "AiAssist";
}

const char *api_error_kind_name(api_error_kind kind)
{
    switch (kind) {
    case API_ERR_AUTH: return "auth";
    case API_ERR_FORBIDDEN: return "forbidden";
    case API_ERR_NOT_FOUND: return "not_found";
    case API_ERR_RATE_LIMITED: return "rate_limited";
    case API_ERR_QUOTA: return "quota";
    case API_ERR_CONCURRENT: return "concurrent";
    case API_ERR_BAD_REQUEST: return "bad_request";
    case API_ERR_CONFLICT: return "conflict";
    case API_ERR_SERVER: return "server";
    case API_ERR_NETWORK: return "network";
    case API_ERR_PROTOCOL: return "protocol";
    case API_ERR_CANCELLED: return "cancelled";
    }
    return "unknown";
}

static api_error *alloc_error(api_error_kind kind)
{
    api_error *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    e->retry_after_s = -1;
    e->sessions_used = e->sessions_included = e->sessions_remaining = -1;
    e->percent_used = -1;
    e->minutes_used = e->minutes_estimated = -1;
    e->concurrent_current = e->concurrent_max = -1;
    e->rate_limit = -1;
    return e;
}

api_error *api_error_for(api_error_kind kind, api_service svc)
{
    api_error *e = alloc_error(kind);
    e->service = svc;
    e->has_service = true;
    return e;
}

api_error *api_error_new(api_error_kind kind, const char *fmt, ...)
{
    api_error *e = alloc_error(kind);
    buf_t b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    e->text = buf_steal(&b);
    return e;
}

api_error *api_error_malformed(api_service svc, const char *problem)
{
    api_error *e = api_error_for(API_ERR_PROTOCOL, svc);
    e->text = xasprintf("%s sent a malformed answer: %s", api_service_name(svc),
                        problem ? problem : "unknown problem");
    return e;
}

void api_error_set_origin(api_error *e, const char *base_url)
{
    free(e->origin);
    e->origin = base_url ? baseurl_origin(base_url) : NULL;
}

static api_error_kind kind_of_status(long status)
{
    switch (status) {
    case 400: return API_ERR_BAD_REQUEST;
    case 401: return API_ERR_AUTH;
    case 402: return API_ERR_QUOTA;
    case 403: return API_ERR_FORBIDDEN;
    case 404:
    case 410: return API_ERR_NOT_FOUND;
    case 408: return API_ERR_NETWORK; /* the server gave up waiting for us */
    case 409: return API_ERR_CONFLICT;
    case 429: return API_ERR_RATE_LIMITED;
    default: break;
    }
    if (status >= 400 && status < 500)
        return API_ERR_BAD_REQUEST;
    if (status >= 500 && status < 600)
        return API_ERR_SERVER;
    return API_ERR_PROTOCOL;
}

static api_error *http_error(api_service svc, const net_event *ev, int64_t now_s)
{
    long st = ev->status;
    if (st >= 300 && st < 400) {
        api_error *e = api_error_for(API_ERR_PROTOCOL, svc);
        e->status = st;
        const char *loc = net_event_header(ev, "location");
        const char *cred = svc == API_GATE ? "your project id" : "your key";
        if (loc && *loc)
            e->text = xasprintf("the server redirected to %s; aidesk does not follow redirects "
                                "so %s cannot leak", loc, cred);
        else
            e->text = xasprintf("the server answered with a redirect (HTTP %ld); aidesk does "
                                "not follow redirects so %s cannot leak", st, cred);
        return e;
    }
    api_error *e = api_error_for(kind_of_status(st), svc);
    e->status = st;
    if (e->kind == API_ERR_PROTOCOL)
        e->text = xasprintf("%s answered with an unexpected status (HTTP %ld)",
                            api_service_name(svc), st);
    if (ev->body && ev->body_len > 0)
        api_error_read_body(e, ev->body, ev->body_len, now_s);
    long wait_ms = retry_after_parse_ms(net_event_header(ev, "retry-after"), (time_t)now_s);
    if (wait_ms >= 0)
        e->retry_after_s = wait_ms / 1000; /* the header is the authority over resetAt */
    return e;
}

static api_error *transport_error(api_service svc, const net_event *ev)
{
    api_error *e = api_error_for(API_ERR_NETWORK, svc);
    e->fail = ev->fail;
    e->what = ev->message && *ev->message ? xstrdup(ev->message) : NULL;
    if (ev->fail == NET_FAIL_TOO_LARGE) {
        e->kind = API_ERR_PROTOCOL;
        e->text = xasprintf("the answer from %s was too large%s%s", api_service_name(svc),
                            e->what ? ": " : "", e->what ? e->what : "");
    }
    return e;
}

api_error *api_error_from_event_at(api_service svc, const net_event *ev, int64_t now_s)
{
    if (ev->kind == NET_EV_CANCELLED) {
        api_error *e = api_error_for(API_ERR_CANCELLED, svc);
        return e;
    }
    if (ev->kind != NET_EV_FAILED) {
        api_error *e = api_error_for(API_ERR_PROTOCOL, svc);
        e->text = xasprintf("internal error: an event of kind %d is not a failure", (int)ev->kind);
        return e;
    }
    if (ev->fail == NET_FAIL_HTTP || (ev->fail == NET_FAIL_NONE && ev->status >= 300))
        return http_error(svc, ev, now_s);
    return transport_error(svc, ev);
}

api_error *api_error_from_event(api_service svc, const net_event *ev)
{
    return api_error_from_event_at(svc, ev, clock_wall_ms() / 1000);
}

int api_error_exit_code(const api_error *e)
{
    if (!e)
        return 0;
    switch (e->kind) {
    case API_ERR_AUTH:
    case API_ERR_FORBIDDEN: return 3;
    case API_ERR_RATE_LIMITED:
    case API_ERR_QUOTA:
    case API_ERR_CONCURRENT: return 4;
    case API_ERR_NETWORK: return 5;
    case API_ERR_SERVER: return 6;
    case API_ERR_PROTOCOL: return 7;
    case API_ERR_CANCELLED: return 130;
    case API_ERR_NOT_FOUND:
    case API_ERR_BAD_REQUEST:
    case API_ERR_CONFLICT: return 1;
    }
    return 1;
}

bool api_error_is_transient(const api_error *e)
{
    return e && (e->kind == API_ERR_RATE_LIMITED || e->kind == API_ERR_CONCURRENT ||
                 e->kind == API_ERR_SERVER || e->kind == API_ERR_NETWORK);
}

void api_error_free(api_error *e)
{
    if (!e)
        return;
    free(e->code);
    free(e->detail);
    free(e->text);
    free(e->origin);
    free(e->plan);
    free(e->upgrade_url);
    free(e->hint);
    free(e->rate_window);
    free(e->reset_at);
    free(e->what);
    free(e);
}
