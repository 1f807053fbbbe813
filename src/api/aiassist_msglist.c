/* aiassist_msglist.c: reading a long message list one message at a time
 * (see aiassist_json.h), and the history answer, which is such a list. */
#include "config.h"
#include "api/aiassist_types.h"

#include <stdlib.h>
#include <string.h>

#include "api/aiassist_json.h"
#include "util/buf.h"
#include "util/mem.h"

/* The answer without its list: the object with the list's extent
 * [off, off + alen) replaced by [], parsed. NULL when that is not a JSON
 * object (the whole tree will say why). */
static json_object *parse_rest(const char *body, size_t len, size_t off, size_t alen)
{
    buf_t rest = BUF_INIT;
    buf_append(&rest, body, off);
    buf_append_str(&rest, "[]");
    buf_append(&rest, body + off + alen, len - off - alen);
    char *perr = NULL;
    json_object *o = jsonu_parse(rest.data, rest.len, &perr);
    free(perr);
    buf_free(&rest);
    if (o && !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = NULL;
    }
    return o;
}

/* Opens the walker when the answer's shape allows; *o as for dec. */
static bool walk_open(ai_msg_walk *w, const char *body, size_t len, const char *key, bool bare_ok,
                      json_object **o)
{
    size_t off, alen;
    if (bare_ok && jsonarr_open(&w->it, body, len)) {
        w->parser = jsonu_parser_new(1);
        *o = NULL;
        return true;
    }
    if (jsonarr_open_member(&w->it, body, len, key, &off, &alen)) {
        *o = parse_rest(body, len, off, alen);
        if (*o)
            w->parser = jsonu_parser_new(2);
        return *o != NULL;
    }
    return false;
}

void ai_msg_list_read(jsonu_dec *d, json_object *o, const char *key, bool required,
                      ai_msg_walk *w, ai_message_list *out)
{
    if (!w || !w->active) {
        json_object *arr = jsonu_arr(d, o, key, required);
        if (arr)
            ai_messages_from_json(d, arr, key, out);
        return;
    }
    /* As ai_messages_from_json: decode up to the first failure, and no
     * further: a hostile answer of millions of tiny elements must not cost
     * a parse of each after the first has already failed. */
    w->read = true;
    size_t cap = 0;
    const char *e;
    size_t elen;
    int r;
    while ((r = jsonarr_next(&w->it, &e, &elen)) == 1) {
        int one = ai_msg_read_one(d, w->parser, e, elen, key, out, &cap);
        if (one < 0)
            w->invalid = true;
        if (one <= 0)
            return;
    }
    if (r < 0)
        w->invalid = true;
    else if (out->n && out->n < cap)
        out->items = xrealloc(out->items, out->n * sizeof *out->items);
}

int ai_msg_read_at(jsonu_dec *d, jsonu_parser *p, const char *e, size_t elen, const char *key,
                   size_t index, ai_message *into)
{
    memset(into, 0, sizeof *into);
    char *perr = NULL;
    json_object *m = jsonu_parser_parse(p, e, elen, &perr);
    if (perr) {
        free(perr);
        return -1;
    }
    api_dec_scope sc;
    api_dec_enter(d, &sc, key, (long)index);
    bool ok = ai_message_from_json(d, m, into);
    api_dec_leave(d, &sc);
    json_object_put(m);
    return ok ? 1 : 0;
}

int ai_msg_read_one(jsonu_dec *d, jsonu_parser *p, const char *e, size_t elen, const char *key,
                    ai_message_list *out, size_t *cap)
{
    ai_message one;
    int r = ai_msg_read_at(d, p, e, elen, key, out->n, &one);
    if (r < 0)
        return r;
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        out->items = xrealloc(out->items, *cap * sizeof *out->items);
    }
    out->items[out->n++] = one;
    return r;
}

/* Whether the answer holds no element that is not JSON, as far as it
 * matters: all of them when dec did not read the list, else what it read. */
static bool walk_complete(ai_msg_walk *w)
{
    if (!w->active || w->invalid || w->read)
        return !w->invalid;
    const char *e;
    size_t elen;
    int r;
    while ((r = jsonarr_next(&w->it, &e, &elen)) == 1) {
        char *perr = NULL;
        json_object_put(jsonu_parser_parse(w->parser, e, elen, &perr));
        if (perr) {
            free(perr);
            return false;
        }
    }
    return r == 0;
}

void *ai_msg_walk_decode(const char *body, size_t len, const char *key, bool bare_ok,
                         const char *what, bool walk, ai_walk_dec_fn dec,
                         void (*free_fn)(void *), char **err)
{
    *err = NULL;
    ai_msg_walk w;
    memset(&w, 0, sizeof w);
    json_object *o = NULL;
    if (walk && walk_open(&w, body, len, key, bare_ok, &o)) {
        w.active = true;
    } else {
        memset(&w, 0, sizeof w);
        o = api_dec_parse(body, len, what, err);
        if (!o)
            return NULL;
    }
    jsonu_dec d;
    jsonu_dec_init(&d, what);
    void *r = dec(&d, o, &w);
    json_object_put(o);
    bool complete = walk_complete(&w);
    jsonu_parser_free(w.parser);
    if (!complete) {
        free_fn(r);
        jsonu_dec_free(&d);
        return ai_msg_walk_decode(body, len, key, bare_ok, what, false, dec, free_fn, err);
    }
    if (!api_dec_finish(&d, err)) {
        free_fn(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------- history */

static void *history_dec(jsonu_dec *d, json_object *o, ai_msg_walk *w)
{
    ai_message_list *l = xcalloc(1, sizeof *l);
    if (w->active && !o)
        ai_msg_list_read(d, NULL, "messages", true, w, l);
    else if (!w->active && json_object_is_type(o, json_type_array))
        ai_messages_from_json(d, o, "messages", l);
    else if (api_dec_is_object(d, o))
        ai_msg_list_read(d, o, "messages", true, w, l);
    return l;
}

static void history_free(void *l)
{
    ai_message_list_free(l);
}

ai_message_list *ai_decode_ws_history_as(const char *body, size_t len, bool walk, char **err)
{
    return ai_msg_walk_decode(body, len, "messages", true, "history", walk, history_dec,
                              history_free, err);
}

ai_message_list *ai_decode_ws_history(const char *body, size_t len, char **err)
{
    return ai_decode_ws_history_as(body, len, true, err);
}
