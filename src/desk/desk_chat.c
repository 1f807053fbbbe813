/* desk_chat.c: local chats with a model: streamed replies, cancel, and the
 * transcript kept as they stream. */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

static chat_log *log_for(desk_t *a, const conv *c)
{
    for (chat_log *l = a->logs; l; l = l->next)
        if (!strcmp(l->conv_id, c->id))
            return l;
    store_transcript *t = NULL;
    char *err = NULL;
    char *title = xasprintf("%s with %s", c->title, c->chat_model);
    if (store_transcript_create("chat", title, &t, &err) != 0) {
        desk_flash(a, true, "the chat will not be saved: %s", err);
        free(err);
    }
    free(title);
    chat_log *l = xcalloc(1, sizeof *l);
    l->conv_id = xstrdup(c->id);
    l->t = t;
    l->next = a->logs;
    a->logs = l;
    return l;
}

static void log_record(desk_t *a, chat_log *l, json_object *rec)
{
    char *err = NULL;
    if (l->t && store_transcript_append(l->t, rec, &err) != 0) {
        desk_flash(a, true, "saving the chat failed: %s", err);
        free(err);
        store_transcript_free(l->t);
        l->t = NULL;
    }
    json_object_put(rec);
}

static json_object *record(const char *type)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "t", json_object_new_int64(clock_wall_ms()));
    json_object_object_add(o, "type", json_object_new_string(type));
    return o;
}

/* Pending deltas go out as one record per drain, not one per token. */
void desk_chat_flush_logs(desk_t *a)
{
    for (chat_log *l = a->logs; l; l = l->next) {
        if (!l->pending.len)
            continue;
        json_object *o = record("delta");
        json_object_object_add(o, "text", json_object_new_string_len(l->pending.data, (int)l->pending.len));
        buf_clear(&l->pending);
        log_record(a, l, o);
    }
}

void desk_chat_free_logs(desk_t *a)
{
    while (a->logs) {
        chat_log *l = a->logs;
        a->logs = l->next;
        store_transcript_free(l->t);
        buf_free(&l->pending);
        free(l->conv_id);
        free(l);
    }
}

conv *desk_new_chat(desk_t *a, const char *model_name)
{
    return model_new_chat(a->m, model_name ? model_name : a->cfg->model, clock_wall_ms());
}

void desk_set_chat_model(desk_t *a, conv *c, const char *model_name)
{
    if (!c || c->kind != CONV_CHAT || !model_name || !*model_name)
        return;
    free(c->chat_model);
    c->chat_model = xstrdup(model_name);
    c->rev++;
    a->m->rev++;
    chat_log *l = log_for(a, c);
    json_object *o = record("model");
    json_object_object_add(o, "model", json_object_new_string(model_name));
    log_record(a, l, o);
}

static op *stream_op(const desk_t *a, const conv *c)
{
    for (op *o = a->ops; o; o = o->next)
        if (o->kind == OP_CHAT && o->conv_id && !strcmp(o->conv_id, c->id))
            return o;
    return NULL;
}

bool desk_is_streaming(const desk_t *a, const conv *c)
{
    return c && stream_op(a, c) != NULL;
}

bool desk_cancel_stream(desk_t *a, conv *c)
{
    op *o = c ? stream_op(a, c) : NULL;
    if (!o)
        return false;
    net_cancel(a->net, o->id);
    /* Until the reply has stopped: then its message says "cancelled". */
    desk_flash(a, false, "stopping the reply...");
    a->flash_tie = o->id;
    return true;
}

static const char *wire_role(ai_role r)
{
    switch (r) {
    case AI_ROLE_AI: return "assistant";
    case AI_ROLE_SYSTEM: return "system";
    default: return "user";
    }
}

void desk_chat_send(desk_t *a, conv *c, const char *text)
{
    if (stream_op(a, c)) {
        desk_flash(a, true, "a reply is still streaming: wait, or Esc to stop it");
        return;
    }
    int64_t now = clock_wall_ms();
    msg *um = conv_append_local(c, AI_ROLE_USER, text, now);
    msg_set_state(um, MSG_FINAL, NULL);
    /* The whole conversation goes along: the model keeps no state. Failed
     * and cancelled replies are sent as far as they got. A chat is local
     * and never held as a window (model.h): c->msgs is all of it. */
    ai_chat_message *msgs = xcalloc(c->nmsgs, sizeof *msgs);
    size_t n = 0;
    for (size_t i = 0; i < c->nmsgs; i++) {
        const msg *m = c->msgs[i];
        if (m->text.len == 0)
            continue;
        msgs[n].role = wire_role(m->role);
        msgs[n].content = buf_cstr(&m->text);
        n++;
    }
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.messages = msgs;
    p.nmessages = n;
    p.model = c->chat_model;
    p.stream = true;
    p.max_tokens = a->cfg->max_tokens > 0 ? a->cfg->max_tokens : p.max_tokens;
    net_request *r = ai_req_chat(a->ai, &p);
    free(msgs);
    msg *reply = conv_append_local(c, AI_ROLE_AI, "", now);
    msg_set_state(reply, MSG_STREAMING, NULL);
    op *o = desk_op_new(a, OP_CHAT, r, c->id);
    if (!o) {
        msg_set_state(reply, MSG_FAILED, "the request could not be built");
        return;
    }
    o->msg_id = xstrdup(reply->id);
    o->stream = ai_stream_new(a->ai->base_url);

    chat_log *l = log_for(a, c);
    json_object *rec = record("user");
    json_object_object_add(rec, "model", json_object_new_string(c->chat_model));
    json_object_object_add(rec, "text", json_object_new_string(text));
    log_record(a, l, rec);
}

void desk_chat_event(desk_t *a, op *o, net_event *ev)
{
    conv *c = model_find(a->m, o->conv_id);
    msg *m = c ? conv_find_msg(c, o->msg_id) : NULL;
    if (ev->kind == NET_EV_RETRY) {
        /* A refused optional field goes again at once: the server is up. */
        if (!ev->fell_back)
            desk_set_conn(a, ev);
        if (m)
            msg_set_state(m, MSG_STREAMING,
                          ev->fell_back ? "the server refused stream_options: asked again "
                                          "without it"
                                        : ev->message);
        return;
    }
    ai_stream_update u;
    ai_stream_status s = ai_stream_feed(o->stream, ev, &u);
    if (!c || !m)
        return;
    chat_log *l = log_for(a, c);
    if (u.delta && u.delta_len) {
        msg_append_text(m, u.delta, u.delta_len);
        buf_append(&l->pending, u.delta, u.delta_len);
        model_touch_now(a->m, c, clock_wall_ms());
    }
    if (s == AI_STREAM_MORE || s == AI_STREAM_IGNORED)
        return;
    desk_chat_flush_logs(a);
    json_object *rec = record("reply_end");
    if (s == AI_STREAM_FINISHED) {
        const char *fr = o->stream->finish_reason;
        msg_set_state(m, MSG_FINAL,
                      fr && !strcmp(fr, "length") ? "cut at the max_tokens limit" : NULL);
        if (o->stream->skipped)
            desk_flash(a, true, "%zu malformed chunk%s skipped in the reply", o->stream->skipped,
                      o->stream->skipped == 1 ? "" : "s");
        json_object_object_add(rec, "state", json_object_new_string("done"));
        if (fr)
            json_object_object_add(rec, "finish_reason", json_object_new_string(fr));
    } else {
        api_error *e = ai_stream_take_error(o->stream);
        bool cancelled = e && e->kind == API_ERR_CANCELLED;
        char *why = e ? api_error_message(e) : xstrdup("the reply failed");
        msg_set_state(m, cancelled ? MSG_CANCELLED : MSG_FAILED, cancelled ? "cancelled" : why);
        if (!cancelled)
            desk_flash(a, true, "%s", why);
        json_object_object_add(rec, "state", json_object_new_string(cancelled ? "cancelled" : "failed"));
        json_object_object_add(rec, "error", json_object_new_string(why));
        free(why);
        api_error_free(e);
        if (ev->kind == NET_EV_SSE)
            net_cancel(a->net, o->id); /* an error inside the stream: close it */
    }
    if (o->stream->usage.present) {
        json_object *u2 = json_object_new_object();
        json_object_object_add(u2, "prompt_tokens", json_object_new_int64(o->stream->usage.prompt_tokens));
        json_object_object_add(u2, "completion_tokens", json_object_new_int64(o->stream->usage.completion_tokens));
        json_object_object_add(rec, "usage", u2);
    }
    log_record(a, l, rec);
}
