/* desk.c: the controller's life cycle, request book-keeping, status and
 * timers, and the simple calls (lists, drafts, models, history). */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk/modemem.h"
#include "util/assert.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/utf8.h"

desk_t *desk_new(const config_t *cfg, net_t *net, char **err)
{
    *err = NULL;
    if (!cfg->api_key) {
        *err = xstrdup("no AiAssist API key: set AIASSIST_API_KEY, or api_key / api_key_cmd "
                       "in the [aiassist] section of the config file");
        return NULL;
    }
    ai_client *ai = ai_client_new(cfg->base_url, cfg->api_key);
    if (!ai) {
        *err = xstrdup("the AiAssist base URL or API key is not usable");
        return NULL;
    }
    ai->timeout_ms = cfg->timeout_ms;
    ai->max_retries = cfg->max_retries;
    if (cfg->allow_http)
        ai->allow_http = true;
    desk_t *a = xcalloc(1, sizeof *a);
    a->cfg = cfg;
    a->net = net;
    a->ai = ai;
    a->m = model_new();
    model_set_keep(a->m, cfg->keep_workspaces < 0 ? 0 : (size_t)cfg->keep_workspaces);
    return a;
}

void desk_op_free(op *o)
{
    if (!o)
        return;
    free(o->conv_id);
    free(o->msg_id);
    free(o->draft_id);
    free(o->text);
    ai_stream_free(o->stream);
    free(o);
}

void desk_free(desk_t *a)
{
    if (!a)
        return;
    /* For benchmarks (bench/shift.sh) and the curious. */
    log_msg("console: %llu live events applied; %llu workspaces left memory, %zu in memory, "
            "%zu kept whole",
            (unsigned long long)a->m->events, (unsigned long long)a->m->evicted, a->m->nconvs,
            a->m->nkept);
    /* First: a comparison cancels its requests and leaves the route. */
    desk_compares_free(a);
    desk_chat_flush_logs(a);
    desk_chat_free_logs(a);
    desk_undo_quit(a); /* before the store lets go of its records */
    desk_unsent_free(a);
    desk_modes_free(a);
    while (a->ops) {
        op *o = a->ops;
        a->ops = o->next;
        net_cancel(a->net, o->id);
        desk_op_free(o);
    }
    for (size_t i = 0; i < a->nmodels; i++)
        free(a->models[i]);
    free(a->models);
    desk_route_free(a);
    free(a->held);
    free(a->st.aiassist_note);
    free(a->st.flash);
    free(a->focus);
    free(a->typing_conv);
    free(a->typing_text);
    model_free(a->m);
    ai_client_free(a->ai);
    free(a);
}

model *desk_model(desk_t *a)
{
    return a->m;
}

const desk_status *desk_get_status(const desk_t *a)
{
    return &a->st;
}

const ai_client *desk_ai_client(const desk_t *a)
{
    return a->ai;
}

const char *const *desk_models(const desk_t *a, size_t *n)
{
    *n = a->nmodels;
    return (const char *const *)a->models;
}

conv *desk_take_focus(desk_t *a)
{
    if (!a->focus)
        return NULL;
    conv *c = model_find(a->m, a->focus);
    free(a->focus);
    a->focus = NULL;
    a->m->opening = NULL;
    return c;
}

op *desk_op_submit(desk_t *a, op_kind kind, net_request *req, const char *conv_id)
{
    if (!req)
        return NULL;
    op *o = xcalloc(1, sizeof *o);
    o->kind = kind;
    o->conv_id = conv_id ? xstrdup(conv_id) : NULL;
    req->tag = DESK_OWN_TAG;
    o->id = net_submit(a->net, req);
    o->next = a->ops;
    a->ops = o;
    return o;
}

op *desk_op_new(desk_t *a, op_kind kind, net_request *req, const char *conv_id)
{
    /* A history is decoded as it arrives and only its window kept
     * (desk_hist.c). */
    char *anchor = NULL;
    if (req && kind == OP_HISTORY)
        net_request_set_sink(req, desk_history_sink(a, conv_id, &anchor));
    op *o = desk_op_submit(a, kind, req, conv_id);
    if (o)
        o->msg_id = anchor;
    else
        free(anchor);
    return o;
}

static op *take_op(desk_t *a, uint64_t id, bool terminal)
{
    for (op **pp = &a->ops; *pp; pp = &(*pp)->next) {
        if ((*pp)->id != id)
            continue;
        op *o = *pp;
        if (terminal)
            *pp = o->next;
        return o;
    }
    return NULL;
}

void desk_flash(desk_t *a, bool is_error, const char *fmt, ...)
{
    buf_t b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* A message tied to a state stays tied when said again (the console
     * repeating what the desk already shows); anything else unties it. */
    if (!a->st.flash || strcmp(a->st.flash, buf_cstr(&b)))
        a->flash_tie = 0;
    free(a->st.flash);
    a->st.flash = buf_steal(&b);
    a->st.flash_is_error = is_error;
    a->st.flash_until = clock_mono_ms() + DESK_FLASH_MS;
    a->st.rev++;
    a->nflash++;
    log_msg("console: %s", a->st.flash);
}

void desk_note_rate(desk_t *a, const net_event *ev, bool gate)
{
    gate_ratelimit rl = gate_ratelimit_from_event(ev);
    if (!rl.present)
        return;
    desk_rate *r = gate ? &a->st.gate_rate : &a->st.aiassist_rate;
    r->present = true;
    r->limit = rl.limit;
    r->remaining = rl.remaining;
    r->reset = rl.reset;
    a->st.rev++;
}

/* Keeps the AiAssist connection state from what any request saw. */
void desk_set_conn(desk_t *a, const net_event *ev)
{
    desk_status *st = &a->st;
    desk_conn before = st->aiassist;
    if (ev->kind == NET_EV_RETRY) {
        st->aiassist = DESK_CONN_RETRYING;
        st->aiassist_retry_at = clock_mono_ms() + ev->delay_ms;
        free(st->aiassist_note);
        st->aiassist_note = ev->message ? xstrdup(ev->message) : NULL;
    } else if (ev->kind == NET_EV_FAILED && ev->fail != NET_FAIL_HTTP) {
        st->aiassist = DESK_CONN_OFFLINE;
        free(st->aiassist_note);
        st->aiassist_note = ev->message ? xstrdup(ev->message) : NULL;
    } else if (ev->kind == NET_EV_DONE || ev->kind == NET_EV_OPEN ||
               (ev->kind == NET_EV_FAILED && ev->status >= 400 && ev->status < 500)) {
        st->aiassist = DESK_CONN_OK;
        free(st->aiassist_note);
        st->aiassist_note = NULL;
    } else {
        return;
    }
    st->rev++;
    if (st->aiassist == DESK_CONN_OK && before != DESK_CONN_OK)
        desk_unsent_resend(a); /* the server is back */
}

api_error *desk_event_error(desk_t *a, const net_event *ev, const char *doing)
{
    api_error *e = ai_error_from_event(a->ai, ev);
    char *why = api_error_message(e);
    desk_flash(a, true, "%s: %s", doing, why);
    free(why);
    return e;
}

/* ------------------------------------------------------ simple answers */

static void list_done(desk_t *a, op *o, net_event *ev)
{
    if (ev->kind != NET_EV_DONE) {
        /* A user key may not list: the live view explains that itself. */
        if (ev->status != 403 && ev->status != 404)
            api_error_free(desk_event_error(a, ev, "listing workspaces"));
        return;
    }
    char *err = NULL;
    ai_workspace_list *l = ai_decode_mgr_list(ev->body, ev->body_len, &err);
    if (!l) {
        desk_flash(a, true, "listing workspaces: %s", err);
        free(err);
        return;
    }
    int64_t now = clock_wall_ms();
    for (size_t i = 0; i < l->n; i++)
        model_upsert_workspace(a->m, &l->items[i], now);
    if (o->asked_ms)
        model_end_unlisted(a->m, l, o->asked_ms);
    ai_workspace_list_free(l);
}

static void drafts_done(desk_t *a, net_event *ev)
{
    if (ev->kind != NET_EV_DONE)
        return; /* 403/404: no manager access; others show in the status */
    char *err = NULL;
    ai_draft_list *l = ai_decode_mgr_drafts(ev->body, ev->body_len, &err);
    if (!l) {
        desk_flash(a, true, "loading drafts: %s", err);
        free(err);
        return;
    }
    model_set_drafts(a->m, l);
    ai_draft_list_free(l);
}

static void models_done(desk_t *a, net_event *ev)
{
    if (ev->kind != NET_EV_DONE)
        return;
    char *err = NULL;
    ai_model_list *l = ai_decode_models(ev->body, ev->body_len, &err);
    if (!l) {
        free(err);
        return;
    }
    for (size_t i = 0; i < a->nmodels; i++)
        free(a->models[i]);
    free(a->models);
    a->models = xcalloc(l->n + 1, sizeof *a->models);
    for (size_t i = 0; i < l->n; i++)
        a->models[i] = xstrdup(l->items[i].id);
    a->nmodels = l->n;
    ai_model_list_free(l);
}

void desk_reload(desk_t *a)
{
    /* Only the active ones: the server keeps every workspace of the day,
     * and a listing of them all grows until it passes the size cap (and
     * fills memory with what the bound then lets go). Those we know that
     * ended meanwhile are the live ones the listing leaves out. */
    op *lo = desk_op_new(a, OP_LIST, ai_req_mgr_list(a->ai, NULL, "active"), NULL);
    if (lo)
        lo->asked_ms = clock_wall_ms();
    desk_op_new(a, OP_DRAFTS, ai_req_mgr_drafts(a->ai, NULL), NULL);
    /* Histories of what is on screen may have missed events too. */
    for (size_t i = 0; i < a->m->nconvs; i++) {
        conv *c = a->m->convs[i];
        if (c->kind == CONV_WORKSPACE && c->history_loaded)
            desk_op_new(a, OP_HISTORY, ai_req_ws_history(a->ai, c->id), c->id);
    }
}

void desk_start(desk_t *a)
{
    if (!a->modes) {
        char *err = NULL;
        a->modes = modemem_open(&err);
        if (err) {
            desk_flash(a, true, "the mode before a takeover is not kept across restarts: %s", err);
            a->modes_told = true;
            free(err);
        }
    }
    desk_op_new(a, OP_MODELS, ai_req_models(a->ai), NULL);
    desk_op_new(a, OP_LIST, ai_req_mgr_list(a->ai, NULL, NULL), NULL);
    desk_op_new(a, OP_DRAFTS, ai_req_mgr_drafts(a->ai, NULL), NULL);
    desk_live_start(a);
    desk_unsent_restore(a);
}

void desk_open(desk_t *a, conv *c)
{
    model_view(a->m, c);
    if (!c || c->kind != CONV_WORKSPACE || c->history_loaded)
        return;
    for (op *o = a->ops; o; o = o->next)
        if (o->kind == OP_HISTORY && o->conv_id && !strcmp(o->conv_id, c->id))
            return; /* already on its way */
    desk_op_new(a, OP_HISTORY, ai_req_ws_history(a->ai, c->id), c->id);
}

/* ------------------------------------------------------------ dispatch */

/* Text was kept with U+FFFD in place of invalid UTF-8: say so once per
 * chat answer, once per conversation for what reloads it (a history that
 * the poller fetches every few seconds must not flash each time), once
 * per answer or connection for the rest. */
static void tell_repair(desk_t *a, op *o)
{
    conv *c = o->kind != OP_CHAT && o->conv_id ? model_find(a->m, o->conv_id) : NULL;
    bool *told = c ? &c->told_repair : &o->told_repair;
    if (*told)
        return;
    *told = true;
    desk_flash(a, false, "some text from AiAssist was not valid UTF-8: "
                        "the bad bytes are shown as \xEF\xBF\xBD (U+FFFD)");
}

bool desk_handle_event(desk_t *a, net_event *ev)
{
    bool terminal = ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED ||
                    ev->kind == NET_EV_CANCELLED;
    /* Every request names its owner: the desk's own go to its operations,
     * the others to the owner that registered the tag. */
    AIDESK_ASSERT(ev->tag != 0);
    if (ev->tag != DESK_OWN_TAG) {
        if (desk_route_to_owner(a, ev))
            return true; /* it took the event */
        net_event_free(ev);
        return false;
    }
    op *o = take_op(a, ev->id, terminal);
    if (!o) {
        net_event_free(ev);
        return false;
    }
    if (o->kind != OP_EVENTS && o->kind != OP_PROBE)
        desk_set_conn(a, ev);
    desk_note_rate(a, ev, false);
    if (ev->kind == NET_EV_OPEN)
        o->told_repair = false; /* the event stream: once per connection */
    uint64_t repairs = utf8_repairs(), flashes = a->nflash;
    switch (o->kind) {
    case OP_EVENTS:
        desk_live_event(a, o, ev);
        break;
    case OP_CHAT:
        desk_chat_event(a, o, ev);
        break;
    default:
        if (!terminal)
            break;
        switch (o->kind) {
        case OP_LIST: list_done(a, o, ev); break;
        case OP_DRAFTS: drafts_done(a, ev); break;
        case OP_MODELS: models_done(a, ev); break;
        case OP_HISTORY:
        case OP_EARLIER:
        case OP_EXPORT: desk_history_done(a, o, ev); break;
        case OP_PROBE:
            desk_set_conn(a, ev);
            /* The connection may never have looked down (a 429 on
             * the send itself): an answer is what the messages wait for. */
            if (ev->kind == NET_EV_DONE)
                desk_unsent_resend(a);
            break;
        default: desk_ws_done(a, o, ev); break;
        }
        break;
    }
    if (utf8_repairs() != repairs && a->nflash == flashes)
        tell_repair(a, o);
    if (terminal && a->flash_tie == ev->id) {
        /* The state the message spoke of has ended ("stopping the
         * reply..."): the message goes with it. */
        a->flash_tie = 0;
        free(a->st.flash);
        a->st.flash = NULL;
        a->st.rev++;
    }
    net_event_free(ev);
    if (terminal)
        desk_op_free(o);
    return true;
}

net_t *desk_net(const desk_t *a)
{
    return a->net;
}

const config_t *desk_config(const desk_t *a)
{
    return a->cfg;
}

void desk_drain(desk_t *a)
{
    desk_drain_for(a, 0);
}

bool desk_drain_for(desk_t *a, int64_t budget_us)
{
    net_event *ev;
    bool cut = false;
    int64_t until = budget_us > 0 ? clock_mono_us() + budget_us : 0;
    while (!cut && (ev = net_next_event(a->net))) {
        desk_handle_event(a, ev);
        cut = until && clock_mono_us() >= until;
    }
    desk_chat_flush_logs(a);
    desk_unsent_sweep(a);
    /* The bound (model/model.h): here no conversation pointer is held but
     * the protected ones' (the one on screen). */
    model_trim(a->m);
    if (a->m->needs_reload) {
        a->m->needs_reload = false;
        desk_reload(a);
    }
    desk_wait_refresh(a, clock_wall_ms()); /* events change who waits */
    return cut;
}

/* -------------------------------------------------------------- timers */

static void consider(long *best, int64_t due, int64_t now)
{
    if (!due)
        return;
    long d = due <= now ? 0 : (long)(due - now);
    if (*best < 0 || d < *best)
        *best = d;
}

long desk_next_timer_ms(const desk_t *a, int64_t now)
{
    long best = -1;
    if (a->typing_dirty)
        consider(&best, a->typing_sent_at + DESK_TYPING_DEBOUNCE_MS, now);
    consider(&best, a->next_poll, now);
    consider(&best, a->next_probe, now);
    if (a->st.flash)
        consider(&best, a->st.flash_until, now);
    /* Typing previews fade: the oldest one due. */
    for (size_t i = 0; i < a->m->nconvs; i++) {
        const conv *c = a->m->convs[i];
        if (c->typing || c->agent_typing)
            consider(&best, c->typing_ms + DESK_TYPING_EXPIRY_MS + 1, now);
    }
    /* Countdowns shown in the status bar tick once a second. */
    if (a->st.aiassist == DESK_CONN_RETRYING || a->st.live == DESK_LIVE_RETRYING)
        consider(&best, now + 1000 - now % 1000, now);
    /* The undo window: when the first held action goes, and its countdown
     * each second before (counted from its due time, so the shown
     * seconds change on time). */
    int64_t due = desk_undo_due(a);
    if (due) {
        consider(&best, due, now);
        int64_t left = due - now;
        if (left > 1000)
            consider(&best, now + (left % 1000 ? left % 1000 : 1000), now);
    }
    /* A wait turning late (model/wait.h): the pane shows it then. */
    if (a->late_at) {
        int64_t wall = clock_wall_ms();
        consider(&best, a->late_at <= wall ? now : now + (a->late_at - wall), now);
    }
    long others = desk_route_next_timer_ms(a, now);
    if (others >= 0 && (best < 0 || others < best))
        best = others;
    return best;
}

static void typing_flush(desk_t *a, int64_t now)
{
    if (!a->typing_dirty || now < a->typing_sent_at + DESK_TYPING_DEBOUNCE_MS)
        return;
    conv *c = model_find(a->m, a->typing_conv);
    a->typing_dirty = false;
    a->typing_sent_at = now;
    if (!c || c->kind != CONV_WORKSPACE || c->ended)
        return;
    net_request *r = a->typing_agent ? ai_req_mgr_typing(a->ai, c->id, a->typing_text)
                                     : ai_req_ws_typing(a->ai, c->id, a->typing_text);
    if (r) {
        r->max_retries = 0; /* a preview is stale by the time a retry would land */
        desk_op_new(a, OP_TYPING, r, c->id);
    }
}

void desk_typing(desk_t *a, conv *c, const char *text, bool as_agent)
{
    if (!c || c->kind != CONV_WORKSPACE || c->ended)
        return;
    bool same_conv = a->typing_conv && !strcmp(a->typing_conv, c->id);
    if (same_conv && a->typing_text && !strcmp(a->typing_text, text) && a->typing_agent == as_agent)
        return;
    if (!same_conv) {
        /* The other conversation's last text goes out first, whatever the
         * debounce: a preview must not freeze on a half-typed word. */
        if (a->typing_dirty) {
            a->typing_sent_at = 0;
            typing_flush(a, clock_mono_ms());
        }
        free(a->typing_conv);
        a->typing_conv = xstrdup(c->id);
        a->m->typed_in = c; /* kept whole while typed in */
    }
    free(a->typing_text);
    a->typing_text = xstrdup(text);
    a->typing_agent = as_agent;
    a->typing_dirty = true;
    typing_flush(a, clock_mono_ms());
}

void desk_tick(desk_t *a, int64_t now)
{
    typing_flush(a, now);
    if (a->next_poll && now >= a->next_poll)
        desk_poll_tick(a, now);
    if (a->next_probe && now >= a->next_probe) {
        a->next_probe = 0;
        if (desk_has_waiting_unsent(a)) {
            net_request *r = ai_req_models(a->ai);
            r->max_retries = 0;
            desk_op_new(a, OP_PROBE, r, NULL);
            a->next_probe = now + DESK_PROBE_MS;
        }
    }
    if (a->st.flash && now >= a->st.flash_until) {
        free(a->st.flash);
        a->st.flash = NULL;
        a->flash_tie = 0;
        a->st.rev++;
    }
    model_expire_typing(a->m, now, DESK_TYPING_EXPIRY_MS);
    if (a->st.aiassist == DESK_CONN_RETRYING || a->st.live == DESK_LIVE_RETRYING)
        a->st.rev++; /* the countdown moved */
    if (a->nheld)
        a->st.rev++; /* the undo countdown moved */
    desk_undo_tick(a, now);
    int64_t wall = clock_wall_ms();
    if (a->late_at && wall >= a->late_at)
        a->m->rev++; /* a wait turned late: the sidebar shows it */
    desk_wait_refresh(a, wall);
    desk_route_tick(a, now);
}
