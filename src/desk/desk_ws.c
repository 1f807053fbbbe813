/* desk_ws.c: workspace actions and their answers. */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/jsonarg.h"
#include "store/unsent.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

void desk_ws_submit(desk_t *a, conv *c, msg *m)
{
    const char *text = buf_cstr(&m->text);
    /* A reply keeps one key for all its sends: a resend the server has
     * seen already is answered from its record, not delivered again. */
    if (m->as_agent && !m->idem_key)
        m->idem_key = ai_idem_key_new();
    net_request *r = m->as_agent ? ai_req_mgr_reply(a->ai, c->id, text, m->idem_key)
                                 : ai_req_ws_send(a->ai, c->id, text);
    msg_set_state(m, MSG_SENDING, NULL);
    /* Written ahead, marked as being sent: should the console die before
     * the answer, the next start finds the message, and knows it may have
     * arrived. */
    desk_unsent_store(a, c, m);
    op *o = desk_op_new(a, m->as_agent ? OP_REPLY : OP_SEND, r, c->id);
    if (!o) {
        msg_set_state(m, MSG_UNSENT, "this workspace id cannot be used");
        return;
    }
    o->msg_id = xstrdup(m->id);
    o->text = xstrdup(text);
    conv_touch(c);
}

void desk_send(desk_t *a, conv *c, const char *text, bool as_agent)
{
    if (!c || !text || !*text)
        return;
    if (c->kind == CONV_CHAT) {
        desk_chat_send(a, c, text);
        return;
    }
    if (c->ended) {
        desk_flash(a, true, "this workspace has ended; nothing was sent");
        return;
    }
    msg *m = conv_append_local(c, as_agent ? AI_ROLE_HUMAN : AI_ROLE_USER, text, clock_wall_ms());
    m->as_agent = as_agent;
    if (as_agent)
        m->idem_key = ai_idem_key_new(); /* fixed now, when the person sent it */
    /* The preview is over: what was typed is now sent. */
    if (a->typing_conv && !strcmp(a->typing_conv, c->id)) {
        free(a->typing_text);
        a->typing_text = xstrdup(text);
        a->typing_dirty = false;
    }
    if (as_agent)
        desk_reply_hold(a, c, m); /* the undo window first */
    else
        desk_ws_submit(a, c, m);
    a->m->rev++;
}

bool desk_retry(desk_t *a, conv *c, msg *m)
{
    if (!c || !m || c->kind != CONV_WORKSPACE ||
        (m->state != MSG_UNSENT && m->state != MSG_UNCERTAIN))
        return false;
    m->resend = false;
    desk_ws_submit(a, c, m);
    return true;
}

/* A send failed: decide whether the text certainly did not arrive. That is
 * the network layer's fact, the same one its retry policy goes by
 * (net/retry.h): nothing of the request can have reached the server in any
 * attempt, or it answered 429. A clear refusal (a 4xx saying the request
 * is wrong or not allowed) did not arrive either, but sending it again as
 * it is would not help: it waits for the person. Anything else may have
 * arrived. */
static void send_failed(desk_t *a, conv *c, msg *m, const net_event *ev)
{
    api_error *e = ai_error_from_event(a->ai, ev);
    char *why = api_error_message(e);
    /* Cancelled before it went out: not sent, but not by itself later. */
    bool not_arrived = ev->not_processed && ev->kind == NET_EV_FAILED;
    bool refused = net_event_refused(ev) || (ev->kind == NET_EV_CANCELLED && ev->not_processed);
    char *note;
    if (not_arrived) {
        note = xasprintf("not sent (%s); it goes out when the server answers again", why);
        msg_set_state(m, MSG_UNSENT, note);
        m->resend = true;
        if (!a->next_probe)
            a->next_probe = clock_mono_ms() + DESK_PROBE_MS;
    } else if (refused) {
        note = xasprintf("not sent: %s", why);
        msg_set_state(m, MSG_UNSENT, note);
    } else if (m->idem_key) {
        /* Safe to repeat: the service answers a repeated key from its
         * record, so it goes out again by itself, as an unsent one does. */
        note = xasprintf("may not have arrived (%s); it goes out again with its idempotency "
                         "key when the server answers, so it cannot arrive twice",
                         why);
        msg_set_state(m, MSG_UNCERTAIN, note);
        m->resend = true;
        if (!a->next_probe)
            a->next_probe = clock_mono_ms() + DESK_PROBE_MS;
    } else {
        note = xasprintf("may not have arrived (%s); check the conversation, /retry sends it "
                         "again",
                         why);
        msg_set_state(m, MSG_UNCERTAIN, note);
    }
    desk_unsent_store(a, c, m);
    desk_flash(a, true, "%s", note);
    free(note);
    free(why);
    api_error_free(e);
}

static msg *our_msg(conv *c, const op *o, const char *server_id)
{
    msg *m = conv_find_msg(c, o->msg_id);
    if (!m && server_id)
        m = conv_find_msg(c, server_id); /* an event named it first */
    return m;
}

/* Gives our local copy the server's id. When the server's copy is already
 * here (an event brought it first, and its text did not match ours, say
 * because the server trimmed it), ours goes and theirs stands. */
static void adopt_server_id(conv *c, msg *local, const char *server_id)
{
    if (!local || !server_id)
        return;
    msg *theirs = conv_find_msg(c, server_id);
    if (!theirs) {
        msg_set_id(c, local, server_id);
    } else if (theirs != local) {
        theirs->as_agent = local->as_agent;
        conv_remove_msg(c, local);
    }
}

static void send_done(desk_t *a, op *o, conv *c, net_event *ev)
{
    msg *m = our_msg(c, o, NULL);
    if (ev->kind != NET_EV_DONE) {
        if (m)
            send_failed(a, c, m, ev);
        return;
    }
    desk_unsent_forget(a, c->id, o->msg_id);
    char *err = NULL;
    int64_t now = clock_wall_ms();
    if (o->kind == OP_REPLY) {
        ai_message *am = ai_decode_mgr_reply(ev->body, ev->body_len, &err);
        if (!am) {
            if (m)
                msg_set_state(m, MSG_FINAL, NULL);
            desk_flash(a, true, "the reply was sent, but its answer was unreadable: %s", err);
            free(err);
            return;
        }
        adopt_server_id(c, m, am->id);
        conv_upsert(a->m, c, am, now);
        ai_message_free(am);
        return;
    }
    ai_send_result *r = ai_decode_ws_send(ev->body, ev->body_len, &err);
    if (!r) {
        if (m)
            msg_set_state(m, MSG_FINAL, NULL);
        desk_flash(a, true, "the message was sent, but the answer was unreadable: %s", err);
        free(err);
        return;
    }
    adopt_server_id(c, our_msg(c, o, r->user_message.id), r->user_message.id);
    if (r->user_message.id)
        conv_upsert(a->m, c, &r->user_message, now);
    if (r->mode != AI_MODE_UNKNOWN && r->mode != c->mode) {
        c->mode = r->mode;
        a->m->rev++;
    }
    m = r->user_message.id ? conv_find_msg(c, r->user_message.id) : m;
    if (r->pending_approval) {
        /* The draft is for a manager's eyes, not a message yet. */
        if (m)
            msg_set_state(m, MSG_FINAL, "the AI's answer waits for a manager's approval");
    } else if (r->mode == AI_MODE_TAKEOVER && r->responses.n == 0) {
        if (m)
            msg_set_state(m, MSG_FINAL, "a human agent will answer");
    } else {
        for (size_t i = 0; i < r->responses.n; i++)
            conv_upsert(a->m, c, &r->responses.items[i], now);
    }
    conv_touch(c);
    ai_send_result_free(r);
}

static void create_done(desk_t *a, op *o, net_event *ev)
{
    if (ev->kind != NET_EV_DONE) {
        api_error_free(desk_event_error(a, ev, "creating the workspace"));
        return;
    }
    char *err = NULL;
    ai_create_result *r = ai_decode_ws_create(ev->body, ev->body_len, &err);
    if (!r) {
        desk_flash(a, true, "creating the workspace: %s", err);
        free(err);
        return;
    }
    int64_t now = clock_wall_ms();
    conv *c = model_upsert_workspace(a->m, &r->workspace, now);
    if (c) {
        c->mine = o->kind == OP_CREATE;
        conv_merge_history(a->m, c, &r->messages, now);
        free(a->focus);
        a->focus = xstrdup(c->id);
        a->m->opening = c; /* kept whole until it is on screen */
        desk_flash(a, false, "workspace %s created (%s mode)", c->title, ai_mode_name(c->mode));
    }
    ai_create_result_free(r);
}

static void find_done(desk_t *a, op *o, net_event *ev)
{
    if (ev->kind != NET_EV_DONE) {
        api_error *e = ai_error_from_event(a->ai, ev);
        if (ai_by_client_not_found(e)) {
            desk_flash(a, true, "no workspace for client %s", o->text);
        } else {
            char *why = api_error_message(e);
            desk_flash(a, true, "finding the workspace: %s", why);
            free(why);
        }
        api_error_free(e);
        return;
    }
    char *err = NULL;
    ai_by_client_result *r = ai_decode_ws_by_client(ev->body, ev->body_len, &err);
    if (!r) {
        desk_flash(a, true, "finding the workspace: %s", err);
        free(err);
        return;
    }
    net_event_drop_body(ev); /* megabytes for a long conversation */
    if (!r->exists || !r->workspace) {
        desk_flash(a, true, "no workspace for client %s", o->text);
    } else {
        int64_t now = clock_wall_ms();
        conv *c = model_upsert_workspace(a->m, r->workspace, now);
        /* The answer lists the whole history: the conversation keeps its
         * window, as from a history load (model.h). */
        const msg *f = conv_first_server_msg(c);
        char *fid = f ? xstrdup(f->id) : NULL;
        ai_hist_window w = {HIST_WINDOW, fid, false};
        ai_hist_pos pos;
        ai_hist_window_apply(&r->messages, &w, &pos);
        conv_merge_window(a->m, c, &r->messages, &pos, fid, now);
        free(fid);
        free(a->focus);
        a->focus = xstrdup(c->id);
        a->m->opening = c; /* kept whole until it is on screen */
    }
    ai_by_client_result_free(r);
}

static void get_done(desk_t *a, op *o, net_event *ev)
{
    if (ev->kind != NET_EV_DONE) {
        api_error *e = ai_error_from_event(a->ai, ev);
        if (e->kind == API_ERR_NOT_FOUND) {
            desk_flash(a, true, "no conversation called %s", o->text);
        } else {
            char *why = api_error_message(e);
            desk_flash(a, true, "finding %s: %s", o->text, why);
            free(why);
        }
        api_error_free(e);
        return;
    }
    char *err = NULL;
    ai_workspace *w = ai_decode_ws_get(ev->body, ev->body_len, &err);
    if (!w) {
        desk_flash(a, true, "finding %s: %s", o->text, err);
        free(err);
        return;
    }
    conv *c = model_upsert_workspace(a->m, w, clock_wall_ms());
    if (c) {
        /* Opening it loads its history (desk_open). */
        free(a->focus);
        a->focus = xstrdup(c->id);
        a->m->opening = c; /* kept whole until it is on screen */
    }
    ai_workspace_free(w);
}

void desk_ws_done(desk_t *a, op *o, net_event *ev)
{
    conv *c = o->conv_id ? model_find(a->m, o->conv_id) : NULL;
    switch (o->kind) {
    case OP_CREATE:
        create_done(a, o, ev);
        break;
    case OP_FIND:
        find_done(a, o, ev);
        break;
    case OP_GET:
        get_done(a, o, ev);
        break;
    case OP_SEND:
    case OP_REPLY:
        if (c)
            send_done(a, o, c, ev);
        break;
    case OP_END:
        if (ev->kind == NET_EV_DONE && c) {
            c->ended = true;
            c->rev++;
            a->m->rev++;
            desk_flash(a, false, "workspace %s ended", c->title);
        } else if (ev->kind != NET_EV_DONE) {
            api_error_free(desk_event_error(a, ev, "ending the workspace"));
        }
        break;
    case OP_MODE:
        if (ev->kind == NET_EV_DONE) {
            char *err = NULL;
            ai_workspace *w = ai_decode_ws_get(ev->body, ev->body_len, &err);
            if (w) {
                desk_modes_mode_done(a, o, w);
                conv *wc = model_upsert_workspace(a->m, w, clock_wall_ms());
                if (wc)
                    desk_flash(a, false, "%s is now in %s mode", wc->title, ai_mode_name(wc->mode));
                ai_workspace_free(w);
            } else {
                free(err);
            }
        } else {
            api_error_free(desk_event_error(a, ev, "changing the mode"));
        }
        break;
    case OP_APPROVE:
    case OP_REJECT:
        desk_drafts_done(a, o, ev);
        break;
    case OP_REGENERATE:
        desk_regenerate_done(a, o, ev);
        break;
    case OP_TYPING:
        break; /* previews are best effort, as in the SDK */
    default:
        break;
    }
}

/* ------------------------------------------------------------- actions */

/* The max_tokens of /new: digits only, 1 to AI_MAX_TOKENS_MAX. */
static bool parse_max_tokens(const char *s, int *out, char **err)
{
    long v = 0;
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 9 || s[n] || (v = strtol(s, NULL, 10)) < 1 || v > AI_MAX_TOKENS_MAX) {
        *err = xasprintf("--max-tokens: '%s' is not a number from 1 to %d", s, AI_MAX_TOKENS_MAX);
        return false;
    }
    *out = (int)v;
    return true;
}

bool desk_create_workspace(desk_t *a, const desk_ws_params *p, char **err)
{
    *err = NULL;
    if (p->mode && ai_mode_from_string(p->mode) == AI_MODE_UNKNOWN) {
        *err = xasprintf("unknown mode '%s': use ai, shadow or takeover", p->mode);
        return false;
    }
    int max_tokens = 0;
    if (p->max_tokens && !parse_max_tokens(p->max_tokens, &max_tokens, err))
        return false;
    if (!ai_ws_model_check(p->model, max_tokens, err))
        return false;
    json_object *ctx = NULL, *meta = NULL;
    for (size_t i = 0; i < p->ncontext; i++) {
        if (!ctx)
            ctx = json_object_new_object();
        char *why = NULL;
        if (!api_jsonarg_add(ctx, p->context[i], &why)) {
            /* The console's words lose their double quotes: a JSON
             * string inside needs the item quoted whole, with \". */
            *err = xasprintf("context: %s (quote a JSON item whole: \"orders=[\\\"ORD-1\\\"]\")",
                             why);
            free(why);
            json_object_put(ctx);
            return false;
        }
    }
    if (p->mode) {
        meta = json_object_new_object();
        json_object_object_add(meta, "mode", json_object_new_string(p->mode));
    }
    ai_ws_create_params cp = {.initial_message = p->initial_message,
                              .client_id = p->client_id,
                              .system_prompt = p->system_prompt,
                              .context = ctx,
                              .metadata = meta,
                              .model = p->model,
                              .max_tokens = max_tokens};
    op *o = desk_op_new(a, OP_CREATE, ai_req_ws_create(a->ai, &cp), NULL);
    json_object_put(ctx);
    json_object_put(meta);
    if (!o) {
        *err = xstrdup("the workspace request could not be built");
        return false;
    }
    return true;
}

void desk_find_workspace(desk_t *a, const char *client_id)
{
    /* Known and not ended: already kept current by the event stream or
     * polling, so open it without asking again (a long conversation's
     * answer is megabytes). An ended one may have a successor: ask. */
    for (size_t i = 0; client_id && i < a->m->nconvs; i++) {
        conv *c = a->m->convs[i];
        if (c->kind == CONV_WORKSPACE && !c->ended && c->title && !strcmp(c->title, client_id)) {
            free(a->focus);
            a->focus = xstrdup(c->id);
            a->m->opening = c;
            return;
        }
    }
    op *o = desk_op_new(a, OP_FIND, ai_req_ws_by_client(a->ai, client_id), NULL);
    if (o)
        o->text = xstrdup(client_id);
    else
        desk_flash(a, true, "give a client id");
}

void desk_find_by_name(desk_t *a, const char *name)
{
    if (!name || !*name) {
        desk_flash(a, true, "give a conversation's name");
        return;
    }
    if (strncmp(name, "ws_", 3) != 0) {
        desk_find_workspace(a, name);
        return;
    }
    op *o = desk_op_new(a, OP_GET, ai_req_ws_get(a->ai, name), NULL);
    if (o)
        o->text = xstrdup(name);
    else
        desk_flash(a, true, "no conversation called %s", name);
}

void desk_end_workspace(desk_t *a, conv *c)
{
    if (c && c->kind == CONV_WORKSPACE)
        desk_op_new(a, OP_END, ai_req_ws_end(a->ai, c->id), c->id);
}

void desk_set_mode(desk_t *a, conv *c, ai_mode mode)
{
    if (!c || c->kind != CONV_WORKSPACE || mode == AI_MODE_UNKNOWN)
        return;
    char *key = ai_idem_key_new();
    op *o = desk_op_new(a, OP_MODE, ai_req_mgr_set_mode(a->ai, c->id, ai_mode_name(mode), key),
                       c->id);
    free(key);
    if (o)
        o->mode_before = c->mode; /* what a takeover hands back to (desk_modes.c) */
}

void desk_approve(desk_t *a, const draft *d, const char *edited)
{
    if (d)
        desk_approve_draft(a, d->id, d->ws_id, edited, 0);
}

void desk_approve_send(desk_t *a, const char *draft_id, const char *conv_id, const char *edited,
                      const char *idem_key)
{
    op *o = desk_op_new(a, OP_APPROVE, ai_req_mgr_approve(a->ai, draft_id, edited, idem_key),
                       conv_id);
    desk_draft_deciding(a, o, draft_id);
}

void desk_reject(desk_t *a, const draft *d, const char *reason)
{
    if (!d || !desk_draft_may_decide(a, d->id))
        return;
    char *key = ai_idem_key_new();
    op *o = desk_op_new(a, OP_REJECT, ai_req_mgr_reject(a->ai, d->id, reason, key), d->ws_id);
    free(key);
    if (o && reason)
        o->text = xstrdup(reason); /* for the note the rejection leaves */
    desk_draft_deciding(a, o, d->id);
}
