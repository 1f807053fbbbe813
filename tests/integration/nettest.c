#include "config.h"
#include "nettest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

void nt_collect(net_t *n, uint64_t id, long timeout_ms, nt_result *r)
{
    memset(r, 0, sizeof *r);
    int64_t until = clock_mono_ms() + timeout_ms;
    for (;;) {
        long left = (long)(until - clock_mono_ms());
        if (left <= 0)
            return;
        net_event *ev = net_wait_event(n, left);
        if (!ev)
            continue;
        if (ev->id != id) {
            net_event_free(ev);
            continue;
        }
        if (ev->kind == NET_EV_RETRY)
            r->retries++;
        else if (ev->kind == NET_EV_SSE)
            r->sse += ev->nsse, r->batches++;
        else if (ev->kind == NET_EV_OPEN)
            r->opens++;
        bool terminal = ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED ||
                        ev->kind == NET_EV_CANCELLED;
        if (r->n < NT_MAX_EVENTS) {
            r->events[r->n++] = ev;
        } else if (terminal) {
            net_event_free(r->events[r->n - 1]);
            r->events[r->n - 1] = ev;
        } else {
            net_event_free(ev);
        }
        if (terminal) {
            r->last = ev;
            return;
        }
    }
}

void nt_result_free(nt_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        net_event_free(r->events[i]);
    memset(r, 0, sizeof *r);
}

const net_sse *nt_sse(const nt_result *r, size_t k)
{
    for (size_t i = 0; i < r->n; i++) {
        const net_event *ev = r->events[i];
        if (ev->kind != NET_EV_SSE)
            continue;
        if (k < ev->nsse)
            return &ev->sse[k];
        k -= ev->nsse;
    }
    return NULL;
}

net_request *nt_request(net_method m, const char *url, const char *key)
{
    net_request *req = net_request_new(m, url);
    req->allow_http = true;
    net_request_add_header(req, "Content-Type", "application/json");
    if (key) {
        net_request_add_header(req, "X-API-Key", key);
        char bearer[256];
        strcpy(bearer, "Bearer ");
        strncat(bearer, key, sizeof bearer - 8);
        net_request_add_header(req, "Authorization", bearer);
    }
    return req;
}
