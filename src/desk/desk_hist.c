/* desk_hist.c: histories: the window a conversation holds (model.h, "the
 * window"), loading earlier messages, and saving a whole conversation of
 * which only a window is held. */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "util/clock.h"
#include "util/mem.h"

/* The part of the history each kind of request keeps, around id (the
 * conversation's first held message when asked). */
static ai_hist_window window_of(op_kind kind, const char *id)
{
    ai_hist_window w = {HIST_WINDOW, id, false};
    if (kind == OP_EARLIER)
        w.before = true; /* the window just before what is held */
    else if (kind == OP_EXPORT)
        w = (ai_hist_window){0, id, true}; /* all of what is not held */
    return w;
}

/* Submits a history request of kind for c with its sink, placed against
 * id (copied, may be NULL). */
static op *hist_submit(desk_t *a, op_kind kind, const char *conv_id, const char *id)
{
    net_request *r = ai_req_ws_history(a->ai, conv_id);
    if (!r)
        return NULL;
    ai_hist_window w = window_of(kind, id);
    /* Decoded as it arrives, never held whole (megabytes for a long
     * conversation), keeping only the window: see desk_history_done. */
    net_request_set_sink(r, ai_history_sink_new(&w));
    op *o = desk_op_submit(a, kind, r, conv_id);
    if (o && id)
        o->msg_id = xstrdup(id);
    return o;
}

net_sink *desk_history_sink(desk_t *a, const char *conv_id, char **anchor)
{
    conv *c = conv_id ? model_find(a->m, conv_id) : NULL;
    const msg *f = c ? conv_first_server_msg(c) : NULL;
    *anchor = f ? xstrdup(f->id) : NULL;
    ai_hist_window w = window_of(OP_HISTORY, *anchor);
    return ai_history_sink_new(&w);
}

static op *find_op(const desk_t *a, op_kind kind, const conv *c)
{
    for (op *o = a->ops; o; o = o->next)
        if (o->kind == kind && o->conv_id && !strcmp(o->conv_id, c->id))
            return o;
    return NULL;
}

bool desk_earlier_loading(const desk_t *a, const conv *c)
{
    return c && find_op(a, OP_EARLIER, c) != NULL;
}

bool desk_load_earlier(desk_t *a, conv *c)
{
    if (!c || c->kind != CONV_WORKSPACE || !c->older || c->older_failed)
        return false;
    if (find_op(a, OP_EARLIER, c))
        return true; /* one at a time */
    const msg *f = conv_first_server_msg(c);
    return f && hist_submit(a, OP_EARLIER, c->id, f->id) != NULL;
}

void desk_earlier_retry(desk_t *a, conv *c)
{
    if (c && c->older_failed) {
        c->older_failed = false;
        c->rev++;
        desk_load_earlier(a, c);
    }
}

static void save_done(desk_t *a, const conv *c, const op *o, const ai_message_list *earlier)
{
    char *path = NULL, *err = NULL;
    if (export_conv_with(c, earlier, o->export_json ? EXPORT_JSON : EXPORT_MARKDOWN, o->text, &path,
                         &err) != 0) {
        desk_flash(a, true, "/save: %s", err);
        free(err);
        return;
    }
    desk_flash(a, false, "saved to %s", path);
    free(path);
}

void desk_save(desk_t *a, conv *c, bool json, const char *path)
{
    if (!c)
        return;
    if (!c->older) {
        op o = {.export_json = json, .text = (char *)path};
        save_done(a, c, &o, NULL);
        return;
    }
    const msg *f = conv_first_server_msg(c);
    op *o = f ? hist_submit(a, OP_EXPORT, c->id, f->id) : NULL;
    if (!o) {
        desk_flash(a, true, "/save: %zu earlier messages are not loaded and cannot be asked for",
                   c->older);
        return;
    }
    o->export_json = json;
    o->text = path ? xstrdup(path) : NULL;
    desk_flash(a, false, "loading the %zu earlier messages to save the whole conversation...",
               c->older);
}

/* A request failed, or its answer did not decode: said in words. */
static void hist_failed(desk_t *a, op *o, conv *c, const char *why)
{
    switch (o->kind) {
    case OP_EARLIER:
        /* The marker offers it again (desk_earlier_retry): no loop. */
        c->older_failed = true;
        c->rev++;
        desk_flash(a, true, "loading earlier messages: %s", why);
        break;
    case OP_EXPORT:
        desk_flash(a, true, "/save: loading the whole conversation: %s", why);
        break;
    default:
        desk_flash(a, true, "loading the history: %s", why);
        break;
    }
}

/* The window arrived: where it goes. */
static void hist_apply(desk_t *a, op *o, conv *c, ai_message_list *l, const ai_hist_pos *pos)
{
    int64_t now = clock_wall_ms();
    switch (o->kind) {
    case OP_EARLIER:
        if (!pos->found) {
            /* The message the view was placed against is gone from the
             * server: start again from the newest. */
            desk_flash(a, true, "the conversation changed on the server (a message shown here "
                                "is no longer listed): showing its newest messages again");
            conv_forget_history(a->m, c);
            desk_op_new(a, OP_HISTORY, ai_req_ws_history(a->ai, c->id), c->id);
            return;
        }
        /* When the conversation moved on meanwhile (a reload replaced what
         * it held), nothing: the pane is drawn again and its marker asks
         * again. */
        if (!conv_prepend_history(a->m, c, l, pos, o->msg_id, now))
            c->rev++;
        return;
    case OP_EXPORT:
        if (!pos->found) {
            desk_flash(a, true, "/save: the conversation changed on the server (a message shown "
                                "here is no longer listed): nothing was written; try again");
            return;
        }
        save_done(a, c, o, l);
        return;
    default:
        conv_merge_window(a->m, c, l, pos, o->msg_id, now);
        return;
    }
}

void desk_history_done(desk_t *a, op *o, net_event *ev)
{
    conv *c = model_find(a->m, o->conv_id);
    if (!c)
        return;
    if (ev->kind != NET_EV_DONE) {
        if (o->polling)
            return; /* the next poll is the retry */
        api_error *e = ai_error_from_event(a->ai, ev);
        char *why = api_error_message(e);
        hist_failed(a, o, c, why);
        free(why);
        api_error_free(e);
        return;
    }
    char *err = NULL;
    ai_message_list *l = NULL;
    ai_hist_pos pos = {0};
    ai_hist_window w = window_of(o->kind, o->msg_id);
    if (!ev->sink) {
        l = ai_decode_ws_history(ev->body, ev->body_len, &err);
        if (l)
            ai_hist_window_apply(l, &w, &pos); /* the same window as the sink's */
    } else if (ai_history_sink_result(ev->sink, &l, &pos, &err) < 0) {
        /* Something in the answer that only the whole-answer decoder can
         * name: fetch it again (a GET) as a whole, and let that say. */
        net_request *r = ai_req_ws_history(a->ai, c->id);
        if (r && o->polling)
            r->max_retries = 0; /* as the poll's own (desk_live.c) */
        op *again = desk_op_submit(a, o->kind, r, c->id);
        if (again) {
            again->polling = o->polling;
            again->export_json = o->export_json;
            again->msg_id = o->msg_id ? xstrdup(o->msg_id) : NULL;
            again->text = o->text ? xstrdup(o->text) : NULL;
        }
        return;
    }
    if (!l) {
        if (!o->polling || o->kind != OP_HISTORY)
            hist_failed(a, o, c, err);
        free(err);
        return;
    }
    net_event_drop_body(ev); /* megabytes for a long conversation */
    net_sink_free(ev->sink); /* what was left of the walk */
    ev->sink = NULL;
    hist_apply(a, o, c, l, &pos);
    ai_message_list_free(l);
}
