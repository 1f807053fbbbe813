/* run.c: running requests. One poll() on the network's wake fd and the
 * signal self-pipe: no busy loop, and Ctrl-C cancels the request in flight
 * instead of killing the process, so partial output stays and the exit
 * status says what happened. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli_priv.h"
#include "util/clock.h"
#include "util/mem.h"

cli_wake cli_wait(cli_ctx *c, long timeout_ms)
{
    struct pollfd p[2] = {
        {c->net ? net_wake_fd(c->net) : -1, POLLIN, 0},
        {c->sig_rd, POLLIN, 0},
    };
    int64_t deadline = timeout_ms >= 0 ? clock_mono_ms() + timeout_ms : -1;
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            int64_t left = deadline - clock_mono_ms();
            wait = left > 0 ? (int)left : 0;
        }
        int r = poll(p, 2, wait);
        if (r < 0 && errno == EINTR)
            continue; /* the handler wrote to the pipe: the next poll sees it */
        if (r <= 0)
            return CLI_WAKE_TIMEOUT;
        if (p[1].revents) {
            unsigned char b = 0;
            if (read(c->sig_rd, &b, 1) == 1)
                c->signal = b;
            return CLI_WAKE_SIGNAL;
        }
        if (p[0].revents)
            return CLI_WAKE_NET;
    }
}

api_error *cli_event_error(cli_ctx *c, api_service svc, const net_event *ev)
{
    if (svc == API_GATE && c->gate)
        return gate_error_from_event(c->gate, ev);
    if (svc == API_AIASSIST && c->ai)
        return ai_error_from_event(c->ai, ev);
    return api_error_from_event(svc, ev);
}

/* "retrying in 2.0 s: <reason> (attempt 1 of 3)". */
static void note_retry(cli_ctx *c, api_service svc, const net_event *ev, int max_retries,
                       bool reconnect)
{
    if (c->quiet)
        return;
    net_event failed = *ev; /* the same answer, read as the failure it was */
    failed.kind = NET_EV_FAILED;
    api_error *e = cli_event_error(c, svc, &failed);
    char *why = api_error_message(e);
    double s = (double)ev->delay_ms / 1000.0;
    if (ev->fell_back)
        cli_note(c, "the service refused an optional field (%s): sending again without it", why);
    else if (reconnect)
        cli_note(c, "reconnecting in %.1f s: %s", s, why);
    else
        cli_note(c, "retrying in %.1f s: %s (attempt %d of %d)", s, why, ev->attempt,
                 max_retries);
    free(why);
    api_error_free(e);
}

net_event *cli_request(cli_ctx *c, api_service svc, net_request *req, cli_event_fn fn, void *ud)
{
    if (!req)
        return NULL;
    int max_retries = req->max_retries;
    bool reconnect = req->stream && req->reconnect;
    uint64_t id = net_submit(c->net, req);
    bool cancelled = false;
    if (c->signal) { /* interrupted before it started: do not even try */
        net_cancel(c->net, id);
        cancelled = true;
    }
    for (;;) {
        net_event *ev;
        while ((ev = net_next_event(c->net)) != NULL) {
            if (ev->id != id) {
                net_event_free(ev);
                continue;
            }
            switch (ev->kind) {
            case NET_EV_RETRY:
                note_retry(c, svc, ev, max_retries, reconnect);
                break;
            case NET_EV_OPEN:
            case NET_EV_SSE:
                if (fn && !cancelled && !fn(ud, ev)) {
                    net_cancel(c->net, id);
                    cancelled = true;
                }
                break;
            case NET_EV_DONE:
            case NET_EV_FAILED:
            case NET_EV_CANCELLED:
                return ev;
            }
            net_event_free(ev);
        }
        /* Nothing is waiting: what is held goes out before we sleep. */
        if (!cli_out_flush(c) && fn && !cancelled) {
            net_cancel(c->net, id); /* stdout is broken: stop the request */
            cancelled = true;
        }
        if (cli_wait(c, -1) == CLI_WAKE_SIGNAL && !cancelled) {
            net_cancel(c->net, id);
            cancelled = true;
        }
    }
}

net_event *cli_call(cli_ctx *c, api_service svc, net_request *req, int *rc)
{
    if (!req) {
        *rc = cli_usage(c, "an id must not be empty");
        return NULL;
    }
    net_event *ev = cli_request(c, svc, req, NULL, NULL);
    if (ev->kind == NET_EV_DONE) {
        *rc = CLI_OK;
        return ev;
    }
    *rc = cli_fail(c, cli_event_error(c, svc, ev));
    net_event_free(ev);
    return NULL;
}
