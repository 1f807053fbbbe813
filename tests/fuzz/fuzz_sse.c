/* fuzz_sse: the SSE parser (src/net/sse.c) against a reference model.
 *
 * The model below is the WHATWG "interpreting an event stream" algorithm
 * written out plainly over the whole input at once, on bytes as the parser
 * works. The parser gets the same input whole, a byte at a time, and in
 * slices cut at points drawn from the input (empty slices included); every
 * way must dispatch exactly the model's events (type, data, id), end with
 * the same status (fine, or "too long" when a line or an event's data goes
 * over max_line), the same retry time and the same last event id. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net/sse.h"
#include "util/buf.h"
#include "util/mem.h"

/* The last event id: WHATWG keeps the id of an "id:" line in a buffer and
 * commits it to the stream's last event id when the blank line that ends
 * the event is read (even when the event has no data and is not
 * dispatched), so an "id:" line after the last blank line does not count;
 * the buffer itself lasts until the next "id:" line. The parser does the
 * same (sse.h). SSE_ID_ON_DISPATCH 0 would skip comparing the final id in
 * exactly the case where that rule matters, for a parser that commits the
 * id as soon as it reads the line. */
#ifndef SSE_ID_ON_DISPATCH
#define SSE_ID_ON_DISPATCH 1
#endif

typedef struct ev {
    char *type, *data, *id;
    size_t type_len, data_len, id_len;
} ev;

typedef struct evlist {
    ev *items;
    size_t n, cap;
} evlist;

static char *dup_bytes(const char *s, size_t n)
{
    return xmemdup0(s, n);
}

static void evlist_add(evlist *l, const char *type, size_t tl, const char *data, size_t dl,
                       const char *id, size_t il)
{
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    ev *e = &l->items[l->n++];
    e->type = dup_bytes(type, tl);
    e->type_len = tl;
    e->data = dup_bytes(data, dl);
    e->data_len = dl;
    e->id = dup_bytes(id, il);
    e->id_len = il;
}

static void evlist_free(evlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].type);
        free(l->items[i].data);
        free(l->items[i].id);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------ the model */

typedef struct model {
    evlist events;
    bool too_long;
    long retry_ms;
    buf_t committed; /* the last event id string */
    buf_t idbuf;     /* the last event id buffer */
} model;

static bool bytes_eq(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || !memcmp(a, b, an));
}

static void model_run(model *m, const char *s, size_t n, size_t max_line)
{
    buf_t data = BUF_INIT, type = BUF_INIT;
    m->retry_ms = -1;
    size_t pos = 0;
    /* One UTF-8 byte order mark at the very start is not part of the
     * stream; a stream that is so far only the start of one is nothing yet. */
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        pos = 3;
    else if (n < 3 && !memcmp(s, "\xEF\xBB\xBF", n))
        pos = n;
    while (pos < n) {
        size_t eol = pos;
        while (eol < n && s[eol] != '\r' && s[eol] != '\n')
            eol++;
        size_t len = eol - pos;
        if (len > max_line) {
            m->too_long = true; /* the parser's bound, terminated or not */
            break;
        }
        if (eol == n)
            break; /* the last line has no end: never interpreted */
        const char *line = s + pos;
        pos = eol + 1;
        if (s[eol] == '\r' && pos < n && s[pos] == '\n')
            pos++; /* CRLF is one line end */

        if (len == 0) {
            /* Dispatch: commit the id, then the event if it has data. */
            buf_clear(&m->committed);
            buf_append(&m->committed, m->idbuf.data, m->idbuf.len);
            if (data.len > 0) {
                const char *t = type.len ? type.data : "message";
                size_t tl = type.len ? type.len : 7;
                evlist_add(&m->events, t, tl, data.data, data.len - 1, buf_cstr(&m->committed),
                           m->committed.len);
            }
            buf_clear(&data);
            buf_clear(&type);
            continue;
        }
        if (line[0] == ':')
            continue; /* a comment */
        size_t flen = 0;
        while (flen < len && line[flen] != ':')
            flen++;
        const char *value = line + len;
        size_t vlen = 0;
        if (flen < len) {
            value = line + flen + 1;
            vlen = len - flen - 1;
            if (vlen > 0 && value[0] == ' ') {
                value++;
                vlen--;
            }
        }
        if (bytes_eq(line, flen, "data", 4)) {
            if (data.len + vlen + 1 > max_line) {
                m->too_long = true;
                break;
            }
            buf_append(&data, value, vlen);
            buf_append_char(&data, '\n');
        } else if (bytes_eq(line, flen, "event", 5)) {
            buf_clear(&type);
            buf_append(&type, value, vlen);
        } else if (bytes_eq(line, flen, "id", 2)) {
            if (!memchr(value, '\0', vlen)) {
                buf_clear(&m->idbuf);
                buf_append(&m->idbuf, value, vlen);
            }
        } else if (bytes_eq(line, flen, "retry", 5)) {
            /* Only ASCII digits count. The parser also ignores more than 9
             * digits (over 11 days, and more than a 32-bit long holds). */
            bool digits = vlen > 0 && vlen <= 9;
            long v = 0;
            for (size_t i = 0; digits && i < vlen; i++) {
                if (value[i] < '0' || value[i] > '9')
                    digits = false;
                else
                    v = v * 10 + (value[i] - '0');
            }
            if (digits)
                m->retry_ms = v;
        }
        /* Any other field is ignored. */
    }
    buf_free(&data);
    buf_free(&type);
}

static void model_free(model *m)
{
    evlist_free(&m->events);
    buf_free(&m->committed);
    buf_free(&m->idbuf);
}

/* ----------------------------------------------------------- the parser */

typedef struct run {
    evlist events;
    sse_parser *p;
} run;

static int on_event(void *ud, const sse_event *e)
{
    run *r = ud;
    if (e->type[e->type_len] != '\0' || e->id[e->id_len] != '\0')
        fz_fail("an event's type or id is not NUL-terminated");
    /* The stream's last event id, read from an event handler, is the one
     * this event carries. */
    const char *last = sse_parser_last_id(r->p);
    if (!bytes_eq(last, strlen(last), e->id, e->id_len)) {
        fz_dump("last id", last, strlen(last));
        fz_dump("event id", e->id, e->id_len);
        fz_fail("during dispatch, sse_parser_last_id differs from the event's id");
    }
    evlist_add(&r->events, e->type, e->type_len, e->data, e->data_len, e->id, e->id_len);
    return 0;
}

enum { WHOLE, BYTES, SLICES };
static const char *const way_name[] = {"whole", "a byte at a time", "in random slices"};

static void compare(const model *m, const run *r, int rc, const char *input, size_t n, int way)
{
    const char *how = way_name[way];
    size_t k = m->events.n < r->events.n ? m->events.n : r->events.n;
    for (size_t i = 0; i < k; i++) {
        const ev *a = &m->events.items[i], *b = &r->events.items[i];
        if (!bytes_eq(a->type, a->type_len, b->type, b->type_len) ||
            !bytes_eq(a->data, a->data_len, b->data, b->data_len) ||
            !bytes_eq(a->id, a->id_len, b->id, b->id_len)) {
            fz_dump("input", input, n);
            fz_dump("want type", a->type, a->type_len);
            fz_dump("got type", b->type, b->type_len);
            fz_dump("want data", a->data, a->data_len);
            fz_dump("got data", b->data, b->data_len);
            fz_dump("want id", a->id, a->id_len);
            fz_dump("got id", b->id, b->id_len);
            fz_fail("fed %s, event %zu differs from the WHATWG model", how, i);
        }
    }
    if (m->events.n != r->events.n) {
        fz_dump("input", input, n);
        fz_fail("fed %s, the parser dispatched %zu events, the WHATWG model %zu", how,
                r->events.n, m->events.n);
    }
    int want = m->too_long ? SSE_TOO_LONG : SSE_OK;
    if (rc != want) {
        fz_dump("input", input, n);
        fz_fail("fed %s, the parser ended with %d, the model with %d", how, rc, want);
    }
    if (sse_parser_retry_ms(r->p) != m->retry_ms) {
        fz_dump("input", input, n);
        fz_fail("fed %s, retry %ld, want %ld", how, sse_parser_retry_ms(r->p), m->retry_ms);
    }
    /* After "too long" the parser stopped in the middle: its pending state
     * is not the model's. */
    if (m->too_long)
        return;
    const char *last = sse_parser_last_id(r->p);
    bool agree = bytes_eq(m->committed.data, m->committed.len, m->idbuf.data, m->idbuf.len);
    if ((SSE_ID_ON_DISPATCH || agree) &&
        !bytes_eq(last, strlen(last), buf_cstr(&m->committed), m->committed.len)) {
        fz_dump("input", input, n);
        fz_dump("want last id", buf_cstr(&m->committed), m->committed.len);
        fz_dump("got last id", last, strlen(last));
        fz_fail("fed %s, the last event id differs from the WHATWG model", how);
    }
}

static void feed_way(const model *m, const char *s, size_t n, size_t max_line, int way,
                     fz_rng *rng)
{
    run r = {{0}, sse_parser_new(max_line)};
    int rc = SSE_OK;
    size_t i = 0;
    while (rc == SSE_OK && i < n) {
        size_t k = n - i;
        if (way == BYTES)
            k = 1;
        else if (way == SLICES)
            k = fz_below(rng, k < 64 ? k + 1 : 65); /* 0 .. 64 bytes */
        rc = sse_parser_feed(r.p, s + i, k, on_event, &r);
        i += k;
    }
    if (rc == SSE_OK)
        rc = sse_parser_feed(r.p, s + n, 0, on_event, &r); /* an empty slice at the end */
    compare(m, &r, rc, s, n, way);
    evlist_free(&r.events);
    sse_parser_free(r.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    fz_rng rng = fz_rng_from(data, size, 0);
    /* Mostly the default bound (never reached here); sometimes a small one,
     * so that "too long" is reached too. */
    size_t max_line = fz_below(&rng, 4) ? 1024 * 1024 : 1 + fz_below(&rng, 200);
    model m;
    memset(&m, 0, sizeof m);
    model_run(&m, s, size, max_line);
    for (int way = WHOLE; way <= SLICES; way++)
        feed_way(&m, s, size, max_line, way, &rng);
    model_free(&m);
    return 0;
}
