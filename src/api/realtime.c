/* realtime.c: Realtime API events (realtime.h). */
#include "config.h"
#include "api/realtime.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/b64.h"
#include "util/jsonu.h"
#include "util/mem.h"

typedef struct name_kind {
    const char *name;
    rt_kind kind;
    bool beta;
} name_kind;

static const name_kind names[] = {
    {"session.created", RT_SESSION, false},
    {"session.updated", RT_SESSION, false},
    {"response.created", RT_RESPONSE_CREATED, false},
    {"response.output_text.delta", RT_TEXT_DELTA, false},
    {"response.text.delta", RT_TEXT_DELTA, true},
    {"response.output_audio_transcript.delta", RT_TRANSCRIPT_DELTA, false},
    {"response.audio_transcript.delta", RT_TRANSCRIPT_DELTA, true},
    {"response.output_audio.delta", RT_AUDIO_DELTA, false},
    {"response.audio.delta", RT_AUDIO_DELTA, true},
    {"response.done", RT_RESPONSE_DONE, false},
    {"error", RT_ERROR, false},
    {"rate_limits.updated", RT_RATE_LIMITS, false},
    {"input_audio_buffer.committed", RT_AUDIO_COMMITTED, false},
    {"response.text.done", RT_OTHER, true},
    {"response.audio.done", RT_OTHER, true},
    {"response.audio_transcript.done", RT_OTHER, true},
    {"conversation.item.created", RT_OTHER, true},
};

void rt_event_clear(rt_event *ev)
{
    free(ev->type);
    free(ev->text);
    buf_free(&ev->audio);
    free(ev->status);
    free(ev->response_id);
    free(ev->err_type);
    free(ev->err_code);
    for (size_t i = 0; i < ev->nrates; i++)
        free(ev->rates[i].name);
    free(ev->voice);
    free(ev->instructions);
    memset(ev, 0, sizeof *ev);
}

static int64_t int_at(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return 0;
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return 0;
    return json_object_get_int64(v);
}

static char *str_at(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v || !json_object_is_type(v, json_type_string))
        return NULL;
    return jsonu_strdup(v);
}

static json_object *obj_at(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v || !json_object_is_type(v, json_type_object))
        return NULL;
    return v;
}

static void decode_usage(json_object *u, rt_event *ev)
{
    if (!u)
        return;
    ev->has_usage = true;
    ev->usage.total = int_at(u, "total_tokens");
    ev->usage.input = int_at(u, "input_tokens");
    ev->usage.output = int_at(u, "output_tokens");
    json_object *in = obj_at(u, "input_token_details"), *out = obj_at(u, "output_token_details");
    ev->usage.input_text = int_at(in, "text_tokens");
    ev->usage.input_audio = int_at(in, "audio_tokens");
    ev->usage.input_cached = int_at(in, "cached_tokens");
    ev->usage.output_text = int_at(out, "text_tokens");
    ev->usage.output_audio = int_at(out, "audio_tokens");
}

int rt_decode(const char *json, size_t len, rt_event *ev, char **err)
{
    rt_event_clear(ev);
    char *perr = NULL;
    json_object *o = jsonu_parse(json, len, &perr);
    if (!o || !json_object_is_type(o, json_type_object)) {
        *err = perr ? xasprintf("a Realtime event is not JSON: %s", perr)
                    : xstrdup("a Realtime event is not a JSON object");
        free(perr);
        json_object_put(o);
        return -1;
    }
    ev->type = str_at(o, "type");
    if (!ev->type) {
        json_object_put(o);
        *err = xstrdup("a Realtime event has no type");
        return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!strcmp(names[i].name, ev->type)) {
            ev->kind = names[i].kind;
            ev->beta = names[i].beta;
            break;
        }
    }
    int rc = 0;
    switch (ev->kind) {
    case RT_TEXT_DELTA:
    case RT_TRANSCRIPT_DELTA:
        ev->text = str_at(o, "delta");
        if (!ev->text)
            ev->text = xstrdup("");
        break;
    case RT_AUDIO_DELTA: {
        json_object *d;
        if (!json_object_object_get_ex(o, "delta", &d) || !json_object_is_type(d, json_type_string) ||
            b64_decode_append(&ev->audio, json_object_get_string(d),
                              (size_t)json_object_get_string_len(d)) != 0) {
            *err = xstrdup("an audio delta is not base64");
            rc = -1;
        }
        break;
    }
    case RT_RESPONSE_CREATED:
        ev->response_id = str_at(obj_at(o, "response"), "id");
        break;
    case RT_RESPONSE_DONE: {
        json_object *r = obj_at(o, "response");
        ev->response_id = str_at(r, "id");
        ev->status = str_at(r, "status");
        decode_usage(obj_at(r, "usage"), ev);
        json_object *sd = obj_at(r, "status_details");
        json_object *e = obj_at(sd, "error");
        if (e) {
            ev->err_type = str_at(e, "type");
            ev->err_code = str_at(e, "code");
            ev->text = str_at(e, "message");
        }
        break;
    }
    case RT_ERROR: {
        json_object *e = obj_at(o, "error");
        ev->err_type = str_at(e, "type");
        ev->err_code = str_at(e, "code");
        ev->text = str_at(e, "message");
        break;
    }
    case RT_RATE_LIMITS: {
        json_object *a;
        if (json_object_object_get_ex(o, "rate_limits", &a) && json_object_is_type(a, json_type_array)) {
            size_t n = json_object_array_length(a);
            for (size_t i = 0; i < n && ev->nrates < RT_MAX_RATES; i++) {
                json_object *r = json_object_array_get_idx(a, i);
                if (!r || !json_object_is_type(r, json_type_object))
                    continue;
                rt_rate *x = &ev->rates[ev->nrates++];
                x->name = str_at(r, "name");
                x->limit = int_at(r, "limit");
                x->remaining = int_at(r, "remaining");
                json_object *v;
                x->reset_s = json_object_object_get_ex(r, "reset_seconds", &v) && v
                                 ? json_object_get_double(v) : 0;
            }
        }
        break;
    }
    case RT_SESSION: {
        json_object *s = obj_at(o, "session");
        ev->voice = str_at(s, "voice");
        ev->instructions = str_at(s, "instructions");
        break;
    }
    default:
        break;
    }
    json_object_put(o);
    return rc;
}

static char *dump(json_object *o)
{
    char *s = jsonu_to_string(o);
    json_object_put(o);
    return s;
}

char *rt_user_text(const char *text)
{
    json_object *o = json_object_new_object(), *item = json_object_new_object();
    json_object *content = json_object_new_array(), *part = json_object_new_object();
    json_object_object_add(o, "type", json_object_new_string("conversation.item.create"));
    json_object_object_add(item, "type", json_object_new_string("message"));
    json_object_object_add(item, "role", json_object_new_string("user"));
    json_object_object_add(part, "type", json_object_new_string("input_text"));
    json_object_object_add(part, "text", jsonu_new_string(text));
    json_object_array_add(content, part);
    json_object_object_add(item, "content", content);
    json_object_object_add(o, "item", item);
    return dump(o);
}

char *rt_response_create(bool text_only)
{
    if (!text_only)
        return xstrdup("{\"type\":\"response.create\"}");
    return xstrdup("{\"type\":\"response.create\",\"response\":{\"output_modalities\":[\"text\"],"
                   "\"modalities\":[\"text\"]}}");
}

char *rt_session_update(const char *instructions, const char *voice)
{
    json_object *o = json_object_new_object(), *s = json_object_new_object();
    json_object_object_add(o, "type", json_object_new_string("session.update"));
    if (instructions)
        json_object_object_add(s, "instructions", jsonu_new_string(instructions));
    if (voice)
        json_object_object_add(s, "voice", jsonu_new_string(voice));
    json_object_object_add(o, "session", s);
    return dump(o);
}

char *rt_audio_append(const void *pcm, size_t len)
{
    buf_t b = BUF_INIT;
    buf_append_str(&b, "{\"type\":\"input_audio_buffer.append\",\"audio\":\"");
    b64_encode_append(&b, pcm, len);
    buf_append_str(&b, "\"}");
    return buf_steal(&b);
}

char *rt_audio_commit(void)
{
    return xstrdup("{\"type\":\"input_audio_buffer.commit\"}");
}

char *rt_rates_text(const rt_event *ev)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < ev->nrates; i++) {
        const rt_rate *r = &ev->rates[i];
        buf_printf(&b, "%s%s %lld of %lld left, reset in %.1f s", i ? "; " : "",
                   r->name ? r->name : "limit", (long long)r->remaining, (long long)r->limit,
                   r->reset_s);
    }
    if (!ev->nrates)
        buf_append_str(&b, "rate limits updated (no figures)");
    return buf_steal(&b);
}

char *rt_error_text(const rt_event *ev)
{
    const char *msg = ev->text && *ev->text ? ev->text : "no message";
    if (ev->err_code && !strcmp(ev->err_code, "rate_limit_exceeded"))
        return xasprintf("rate limit reached: %s", msg);
    if (ev->err_type && !strcmp(ev->err_type, "server_error"))
        return xasprintf("the Realtime service failed: %s", msg);
    return xasprintf("the Realtime service refused a request%s%s%s: %s",
                     ev->err_code ? " (" : "", ev->err_code ? ev->err_code : "",
                     ev->err_code ? ")" : "", msg);
}
