/* desk_live.c: live updates: the manager event stream, or polling the
 * history when the server has none. */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "api/aiassist_events.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

void desk_live_start(desk_t *a)
{
    op *o = desk_op_new(a, OP_EVENTS, ai_req_mgr_events(a->ai, NULL, NULL), NULL);
    if (o) {
        a->events_req = o->id;
        a->st.live = DESK_LIVE_CONNECTING;
        a->st.rev++;
    }
}

static void start_polling(desk_t *a)
{
    a->events_unsupported = true;
    a->st.live = DESK_LIVE_POLLING;
    a->st.rev++;
    a->next_poll = clock_mono_ms() + DESK_POLL_MS;
    desk_flash(a, false, "this server has no live event stream: polling conversations every %d s",
              DESK_POLL_MS / 1000);
}

void desk_live_event(desk_t *a, op *o, net_event *ev)
{
    desk_status *st = &a->st;
    switch (ev->kind) {
    case NET_EV_OPEN: {
        bool was_down = st->live == DESK_LIVE_RETRYING;
        st->live = DESK_LIVE_STREAMING;
        st->rev++;
        desk_set_conn(a, ev);
        if (was_down)
            desk_reload(a); /* resume covers events; lists catch anything else */
        break;
    }
    case NET_EV_SSE: {
        for (size_t i = 0; i < ev->nsse; i++) {
            const net_sse *se = &ev->sse[i];
            char *err = NULL;
            ai_event *e = ai_event_decode(se->type, se->data, se->data_len, se->id, &err);
            if (!e) {
                log_msg("console: skipped a malformed %s event: %s", se->type, err);
                free(err);
                continue;
            }
            model_apply_event(a->m, e, clock_wall_ms(), clock_mono_ms());
            desk_modes_event(a, e); /* takeovers remember the mode before them */
            ai_event_free(e);
        }
        break;
    }
    case NET_EV_RETRY:
        st->live = DESK_LIVE_RETRYING;
        st->live_retry_at = clock_mono_ms() + ev->delay_ms;
        st->rev++;
        desk_set_conn(a, ev);
        break;
    case NET_EV_FAILED:
        a->events_req = 0;
        if (ev->status == 404 || ev->status == 405) {
            start_polling(a);
        } else if (ev->status == 401 || ev->status == 403) {
            st->live = DESK_LIVE_NO_ACCESS;
            st->rev++;
        } else {
            /* The EventSource gave up (an answer that will not change);
             * say why and fall back to polling what we know. */
            api_error_free(desk_event_error(a, ev, "live events"));
            start_polling(a);
        }
        break;
    case NET_EV_DONE:
    case NET_EV_CANCELLED:
        a->events_req = 0;
        st->live = DESK_LIVE_OFF;
        st->rev++;
        break;
    }
    (void)o;
}

/* Polling mode: refresh one known, active workspace per tick, round robin,
 * the one on screen every time. */
void desk_poll_tick(desk_t *a, int64_t now)
{
    a->next_poll = now + DESK_POLL_MS;
    const conv *viewed = a->m->viewed;
    size_t n = a->m->nconvs;
    conv *pick = NULL;
    for (size_t k = 0; k < n && !pick; k++) {
        conv *c = a->m->convs[(a->poll_cursor + k) % n];
        if (c->kind == CONV_WORKSPACE && !c->ended && c != viewed) {
            pick = c;
            a->poll_cursor = (a->poll_cursor + k + 1) % n;
        }
    }
    conv *both[2] = {(conv *)viewed, pick};
    for (int i = 0; i < 2; i++) {
        conv *c = both[i];
        if (!c || c->kind != CONV_WORKSPACE || c->ended)
            continue;
        bool busy = false;
        for (op *o = a->ops; o && !busy; o = o->next)
            busy = o->kind == OP_HISTORY && o->conv_id && !strcmp(o->conv_id, c->id);
        if (busy)
            continue;
        net_request *r = ai_req_ws_history(a->ai, c->id);
        if (r)
            r->max_retries = 0; /* the next poll is the retry */
        op *o = desk_op_new(a, OP_HISTORY, r, c->id);
        if (o)
            o->polling = true;
    }
}
