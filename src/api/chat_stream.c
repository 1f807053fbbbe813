#include "config.h"
#include "api/chat_stream.h"

#include <stdlib.h>
#include <string.h>

#include "api/aiassist_json.h"
#include "api/chunk_fast.h"
#include "api/error_body.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/utf8.h"

ai_stream *ai_stream_new(const char *base_url)
{
    ai_stream *s = xcalloc(1, sizeof *s);
    s->base_url = base_url ? xstrdup(base_url) : NULL;
    return s;
}

void ai_stream_free(ai_stream *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->model);
    free(s->role);
    buf_free(&s->content);
    free(s->finish_reason);
    free(s->skip_reason);
    api_error_free(s->error);
    free(s->base_url);
    free(s);
}

api_error *ai_stream_take_error(ai_stream *s)
{
    api_error *e = s->error;
    s->error = NULL;
    return e;
}

/* What one chunk says, read completely before any of it is applied so a
 * malformed chunk changes nothing. */
typedef struct chunk {
    char *id, *model, *role, *content, *finish_reason;
    int64_t created;
    ai_usage usage;
} chunk;

static void chunk_clear(chunk *c)
{
    free(c->id);
    free(c->model);
    free(c->role);
    free(c->content);
    free(c->finish_reason);
}

/* Reads choice 0 (the only one aidesk asks for; others are ignored). A
 * second choice that also says index 0 is ignored too: the first one is
 * choice 0. */
static void read_choices(jsonu_dec *d, json_object *o, chunk *c)
{
    json_object *arr = jsonu_arr(d, o, "choices", false);
    size_t n = arr ? json_object_array_length(arr) : 0;
    bool read = false;
    for (size_t i = 0; i < n && !d->error; i++) {
        api_dec_scope sc;
        api_dec_enter(d, &sc, "choices", (long)i);
        json_object *ch = json_object_array_get_idx(arr, i);
        int64_t index = (int64_t)i;
        if (api_dec_is_object(d, ch))
            jsonu_int(d, ch, "index", false, 0, API_INT_MAX, &index);
        if (!d->error && index == 0 && !read) {
            read = true;
            jsonu_str(d, ch, "finish_reason", false, &c->finish_reason);
            json_object *delta = jsonu_obj(d, ch, "delta", false);
            if (delta) {
                api_dec_scope sd;
                api_dec_enter(d, &sd, "delta", -1);
                jsonu_str(d, delta, "role", false, &c->role);
                jsonu_str(d, delta, "content", false, &c->content);
                api_dec_leave(d, &sd);
            }
        }
        api_dec_leave(d, &sc);
    }
}

static ai_stream_status fail(ai_stream *s, api_error *e)
{
    e->service = API_AIASSIST;
    e->has_service = true;
    if (s->base_url && !e->origin)
        api_error_set_origin(e, s->base_url);
    api_error_free(s->error);
    s->error = e;
    s->done = true;
    return AI_STREAM_FAILED;
}

static void skip(ai_stream *s, char *why)
{
    s->skipped++;
    if (!s->skip_reason)
        s->skip_reason = why;
    else
        free(why);
}

static void set_once(char **slot, char **value)
{
    if (!*slot && *value) {
        *slot = *value;
        *value = NULL;
    }
}

static ai_stream_status apply(ai_stream *s, chunk *c, ai_stream_update *u)
{
    set_once(&s->id, &c->id);
    set_once(&s->model, &c->model);
    if (!s->created)
        s->created = c->created;
    if (c->role) {
        free(s->role);
        s->role = c->role;
        c->role = NULL;
        u->role = s->role;
    }
    if (c->content && *c->content) {
        size_t old = s->content.len, n = strlen(c->content);
        buf_append(&s->content, c->content, n);
        u->delta = s->content.data + old;
        u->delta_len = n;
        s->deltas++;
    }
    if (c->finish_reason) {
        free(s->finish_reason);
        s->finish_reason = c->finish_reason;
        c->finish_reason = NULL;
        u->finish_reason = s->finish_reason;
    }
    if (c->usage.present) {
        s->usage = c->usage;
        u->usage = true;
    }
    s->chunks++;
    return AI_STREAM_MORE;
}

static bool is_done_marker(const char *data, size_t len)
{
    while (len > 0 && (*data == ' ' || *data == '\t' || *data == '\r' || *data == '\n')) {
        data++;
        len--;
    }
    while (len > 0 && (data[len - 1] == ' ' || data[len - 1] == '\t' || data[len - 1] == '\r' ||
                       data[len - 1] == '\n'))
        len--;
    return len == 6 && !memcmp(data, "[DONE]", 6);
}

/* A copy of a (short) string field; NULL when absent. */
static char *fast_dup(const chunk_str *str, bool *ok)
{
    if (!str->raw)
        return NULL;
    buf_t b = BUF_INIT;
    if (!chunk_str_decode(str, &b)) {
        *ok = false;
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/* The usual chunk, read without json-c. Returns false when the general
 * decoder must look at it (nothing was changed then). */
static bool apply_fast(ai_stream *s, const char *data, size_t len, ai_stream_update *u)
{
    chunk_fast f;
    if (chunk_fast_read_cached(data, len, &s->fast, &f) != CHUNK_FAST_OK)
        return false;
    /* Everything is decoded before anything is applied. */
    size_t old = s->content.len;
    if (!chunk_str_decode(&f.content, &s->content))
        return false;
    bool ok = true;
    chunk c = {0};
    c.role = fast_dup(&f.role, &ok);
    c.finish_reason = fast_dup(&f.finish_reason, &ok);
    if (!s->id)
        c.id = fast_dup(&f.id, &ok);
    if (!s->model)
        c.model = fast_dup(&f.model, &ok);
    if (!ok) {
        buf_truncate(&s->content, old);
        chunk_clear(&c);
        return false;
    }
    c.created = f.created;
    apply(s, &c, u);
    if (s->content.len > old) {
        u->delta = s->content.data + old;
        u->delta_len = s->content.len - old;
        s->deltas++;
    }
    chunk_clear(&c);
    return true;
}

static ai_stream_status on_one(ai_stream *s, const net_sse *e, ai_stream_update *u)
{
    const char *data = e->data ? e->data : "";
    size_t len = e->data ? e->data_len : 0;
    if (e->type_len == 5 && !memcmp(e->type, "error", 5))
        return fail(s, api_error_from_stream(API_AIASSIST, data, len));
    if (is_done_marker(data, len)) {
        s->done = true;
        return AI_STREAM_FINISHED;
    }
    if (apply_fast(s, data, len, u))
        return AI_STREAM_MORE;
    char *perr = NULL;
    json_object *o = len ? jsonu_parse(data, len, &perr) : NULL;
    if (!o) {
        skip(s, perr ? perr : xstrdup("an empty or null chunk"));
        return AI_STREAM_MORE;
    }
    json_object *err = NULL;
    if (json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "error", &err) &&
        err) {
        json_object_put(o);
        return fail(s, api_error_from_stream(API_AIASSIST, data, len));
    }
    jsonu_dec d;
    jsonu_dec_init(&d, "stream chunk");
    chunk c = {0};
    if (api_dec_is_object(&d, o)) {
        jsonu_str(&d, o, "id", false, &c.id);
        jsonu_str(&d, o, "model", false, &c.model);
        jsonu_int(&d, o, "created", false, 0, API_INT_MAX, &c.created);
        read_choices(&d, o, &c);
        ai_usage_field(&d, o, &c.usage);
    }
    json_object_put(o);
    ai_stream_status st = AI_STREAM_MORE;
    if (d.error) {
        skip(s, d.error);
        d.error = NULL;
    } else {
        st = apply(s, &c, u);
    }
    chunk_clear(&c);
    return st;
}

/* Every event of one read in turn, until the stream ends. u sums them up:
 * the delta is all the text they added, in one piece. */
static ai_stream_status on_sse(ai_stream *s, const net_event *ev, ai_stream_update *u)
{
    size_t start = s->content.len;
    ai_stream_status st = AI_STREAM_MORE;
    for (size_t i = 0; i < ev->nsse && st == AI_STREAM_MORE; i++)
        st = on_one(s, &ev->sse[i], u);
    if (s->content.len > start) {
        u->delta = s->content.data + start;
        u->delta_len = s->content.len - start;
    } else {
        u->delta = NULL;
        u->delta_len = 0;
    }
    return st;
}

ai_stream_status ai_stream_feed(ai_stream *s, const net_event *ev, ai_stream_update *u)
{
    ai_stream_update scratch;
    if (!u)
        u = &scratch;
    memset(u, 0, sizeof *u);
    if (s->done)
        return AI_STREAM_IGNORED;
    switch (ev->kind) {
    case NET_EV_RETRY:
        return AI_STREAM_MORE;
    case NET_EV_OPEN:
        s->open = true;
        return AI_STREAM_MORE;
    case NET_EV_SSE:
        return on_sse(s, ev, u);
    case NET_EV_DONE:
        return fail(s, api_error_new(API_ERR_PROTOCOL,
                                     "the stream from AiAssist was cut off (no [DONE])"));
    case NET_EV_FAILED:
    case NET_EV_CANCELLED:
        return fail(s, api_error_from_event(API_AIASSIST, ev));
    }
    return AI_STREAM_MORE;
}
