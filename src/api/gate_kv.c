/* gate_kv.c: /health and /metrics as flat (key, text) pairs. Their shape is
 * not public, so anything well-formed is shown rather than rejected. */
#include "config.h"
#include "api/gate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/utf8.h"

/* A bound on what a details view can usefully show. */
#define KV_MAX 10000

typedef struct kv_builder {
    gate_kv_list *l;
    size_t cap;
} kv_builder;

void gate_kv_list_free(gate_kv_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
    }
    free(l->items);
    free(l);
}

/* Takes ownership of key and value. */
static void add(kv_builder *b, char *key, char *value)
{
    if (b->l->n >= KV_MAX) {
        free(key);
        free(value);
        return;
    }
    b->l->items = xgrow(b->l->items, &b->cap, b->l->n + 1, sizeof *b->l->items);
    b->l->items[b->l->n].key = key;
    b->l->items[b->l->n].value = value;
    b->l->n++;
}

static char *value_text(json_object *v)
{
    if (!v)
        return xstrdup("null");
    switch (json_object_get_type(v)) {
    case json_type_string: return jsonu_strdup(v);
    case json_type_int: return xasprintf("%lld", (long long)json_object_get_int64(v));
    case json_type_double: return xasprintf("%.15g", json_object_get_double(v));
    case json_type_boolean: return xstrdup(json_object_get_boolean(v) ? "true" : "false");
    default: return jsonu_to_string(v);
    }
}

static void flatten(kv_builder *b, const char *prefix, json_object *o)
{
    json_object_object_foreach(o, k, v) {
        char *key = prefix ? xasprintf("%s.%s", prefix, k) : xstrdup(k);
        if (v && json_object_is_type(v, json_type_object) && json_object_object_length(v) > 0) {
            flatten(b, key, v);
            free(key);
        } else {
            add(b, key, value_text(v));
        }
    }
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t' || **s == '\r')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

/* "key value" / "key: value" lines; '#' comments skipped. */
static void read_text(kv_builder *b, const char *body, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *line = body + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        i += n + (nl ? 1 : 0);
        trim(&line, &n);
        if (n == 0 || line[0] == '#')
            continue;
        const char *colon = memchr(line, ':', n);
        const char *space = memchr(line, ' ', n);
        const char *sep = colon && (!space || colon < space) ? colon : space;
        if (!sep) {
            add(b, xstrdup("text"), xstrndup(line, n));
            continue;
        }
        const char *val = sep + 1;
        size_t vn = n - (size_t)(val - line);
        trim(&val, &vn);
        add(b, xstrndup(line, (size_t)(sep - line)), xstrndup(val, vn));
    }
}

static bool looks_like_json(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i < n && (s[i] == '{' || s[i] == '[' || s[i] == '"');
}

gate_kv_list *gate_decode_kv(const char *body, size_t len, char **err)
{
    *err = NULL;
    if (!body || len == 0) {
        *err = xstrdup("status: the answer is empty");
        return NULL;
    }
    if (!utf8_valid(body, len) || memchr(body, '\0', len)) {
        *err = xstrdup("status: the answer is not UTF-8 text");
        return NULL;
    }
    gate_kv_list *l = xcalloc(1, sizeof *l);
    kv_builder b = {l, 0};
    char *perr = NULL;
    json_object *o = jsonu_parse(body, len, &perr);
    if (o && json_object_is_type(o, json_type_object)) {
        flatten(&b, NULL, o);
    } else if (o && json_object_is_type(o, json_type_array)) {
        add(&b, xstrdup("value"), jsonu_to_string(o));
    } else if (o) {
        add(&b, xstrdup("status"), value_text(o));
    } else if (!perr) {
        add(&b, xstrdup("status"), xstrdup("null"));
    } else if (looks_like_json(body, len)) {
        /* It meant to be JSON and is not: say so rather than guess. */
        *err = xasprintf("status: %s", perr);
        free(perr);
        json_object_put(o);
        gate_kv_list_free(l);
        return NULL;
    } else {
        read_text(&b, body, len);
    }
    free(perr);
    json_object_put(o);
    return l;
}
