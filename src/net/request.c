/* request.c: net_request and net_event construction and release. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/batch.h"
#include "net/net.h"
#include "util/mem.h"

net_request *net_request_new(net_method method, const char *url)
{
    net_request *r = xcalloc(1, sizeof *r);
    r->method = method;
    r->url = xstrdup(url);
    r->headers = xcalloc(1, sizeof *r->headers);
    r->max_retries = 3;
    r->timeout_ms = 30000;
    r->max_body = 16u * 1024 * 1024;
    r->max_event = 1024u * 1024;
    r->retry_safe = method == NET_GET;
    r->retry_429 = true;
    return r;
}

void net_request_add_header(net_request *r, const char *name, const char *value)
{
    r->headers = xrealloc(r->headers, (r->nheaders + 2) * sizeof *r->headers);
    r->headers[r->nheaders++] = xasprintf("%s: %s", name, value);
    r->headers[r->nheaders] = NULL;
}

void net_request_set_body(net_request *r, char *body, size_t len)
{
    free(r->body);
    r->body = body;
    r->body_len = len;
}

void net_request_set_fallback(net_request *r, char *body, size_t len, const char *field)
{
    free(r->fallback_body);
    free(r->fallback_field);
    r->fallback_body = body;
    r->fallback_body_len = len;
    r->fallback_field = xstrdup(field);
}

void net_sink_free(net_sink *s)
{
    if (!s)
        return;
    if (s->free)
        s->free(s->state);
    free(s);
}

void net_request_set_sink(net_request *r, net_sink *sink)
{
    net_sink_free(r->sink);
    r->sink = sink;
}

void net_request_free(net_request *r)
{
    if (!r)
        return;
    net_sink_free(r->sink);
    free(r->fallback_body);
    free(r->fallback_field);
    for (size_t i = 0; i < r->nheaders; i++)
        free(r->headers[i]);
    free(r->headers);
    free(r->url);
    free(r->body);
    free(r->last_event_id);
    free(r);
}

void net_event_free(net_event *ev)
{
    if (!ev)
        return;
    for (size_t i = 0; i < ev->nheaders; i++) {
        free(ev->headers[i].name);
        free(ev->headers[i].value);
    }
    free(ev->headers);
    free(ev->body);
    net_sink_free(ev->sink);
    free(ev->message);
    if (ev->pool_)
        net_pool_put(ev->pool_, ev); /* SSE events live in the block, used again */
    else
        free(ev);
}

void net_event_drop_body(net_event *ev)
{
    free(ev->body);
    ev->body = NULL;
    ev->body_len = 0;
}

const char *net_event_header(const net_event *ev, const char *name)
{
    /* The last one wins, as for a repeated Retry-After. */
    for (size_t i = ev->nheaders; i > 0; i--)
        if (!strcasecmp(ev->headers[i - 1].name, name))
            return ev->headers[i - 1].value;
    return NULL;
}

bool net_event_refused(const net_event *ev)
{
    return ev->kind == NET_EV_FAILED && ev->fail == NET_FAIL_HTTP && ev->status >= 400 &&
           ev->status < 500 && ev->status != 408 && ev->status != 429;
}

const char *net_fail_name(net_fail f)
{
    switch (f) {
    case NET_FAIL_NONE: return "none";
    case NET_FAIL_HTTP: return "http error";
    case NET_FAIL_CONNECT: return "could not connect";
    case NET_FAIL_TIMEOUT: return "timed out";
    case NET_FAIL_STALL: return "stream stalled";
    case NET_FAIL_DROPPED: return "connection dropped";
    case NET_FAIL_TOO_LARGE: return "answer too large";
    case NET_FAIL_TLS: return "TLS failure";
    case NET_FAIL_REFUSED: return "refused";
    case NET_FAIL_INTERNAL: return "internal error";
    }
    return "unknown";
}
