#include "config.h"
#include "net/sse.h"

#include <stdlib.h>
#include <string.h>

#include "util/assert.h"
#include "util/buf.h"
#include "util/mem.h"

static const char bom[3] = {'\xEF', '\xBB', '\xBF'};

struct sse_parser {
    size_t max_line;
    buf_t line;     /* a line split across slices */
    buf_t data;     /* the data buffer of the event being built */
    buf_t type;     /* its event type */
    buf_t id;       /* the id of the event being built: an "id" field sets it,
                     * and it carries over to the next event */
    buf_t last_id;  /* the id of the last event dispatched: what a reconnect
                     * sends as Last-Event-ID; outlives connections */
    bool id_set;    /* an "id" field was read since the last dispatch */
    long retry_ms;
    size_t bom_seen;  /* bytes of a leading BOM matched so far */
    bool bom_done;    /* past the point where a BOM may appear */
    bool pending_cr;  /* the previous slice ended in CR: skip one LF */
    bool broken;      /* a cap was exceeded */
    /* The event's only data line so far, still in the slice being fed
     * (not copied into data: most events are one line, dispatched in the
     * same slice); copied before the slice is given back. */
    bool has_direct;
    const char *direct;
    size_t direct_len;
};

sse_parser *sse_parser_new(size_t max_line)
{
    sse_parser *p = xcalloc(1, sizeof *p);
    p->max_line = max_line ? max_line : 1024 * 1024;
    p->retry_ms = -1;
    buf_append(&p->id, "", 0);
    buf_append(&p->last_id, "", 0);
    return p;
}

void sse_parser_free(sse_parser *p)
{
    if (!p)
        return;
    buf_free(&p->line);
    buf_free(&p->data);
    buf_free(&p->type);
    buf_free(&p->id);
    buf_free(&p->last_id);
    free(p);
}

/* Copies an id (the ids are short: a copy per event that has one). */
static void copy_id(buf_t *to, const buf_t *from)
{
    buf_clear(to);
    buf_append(to, from->data, from->len);
}

void sse_parser_reset(sse_parser *p)
{
    buf_clear(&p->line);
    buf_clear(&p->data);
    p->has_direct = false;
    buf_clear(&p->type);
    /* An event cut off by the end of a connection was never dispatched: its
     * id must not be sent as Last-Event-ID, or the server would resume after
     * an event the caller never saw. */
    if (p->id_set)
        copy_id(&p->id, &p->last_id);
    p->id_set = false;
    p->bom_seen = 0;
    p->bom_done = false;
    p->pending_cr = false;
    p->broken = false;
}

const char *sse_parser_last_id(const sse_parser *p)
{
    return buf_cstr(&p->last_id);
}

void sse_parser_set_last_id(sse_parser *p, const char *id)
{
    buf_clear(&p->last_id);
    buf_append_str(&p->last_id, id ? id : "");
    copy_id(&p->id, &p->last_id);
    p->id_set = false;
}

long sse_parser_retry_ms(const sse_parser *p)
{
    return p->retry_ms;
}

/* Copies the data line left in the slice into the data buffer. */
static void keep_direct(sse_parser *p)
{
    if (!p->has_direct)
        return;
    buf_append(&p->data, p->direct, p->direct_len);
    buf_append_char(&p->data, '\n');
    p->has_direct = false;
}

static int dispatch(sse_parser *p, sse_event_cb cb, void *ud)
{
    /* The id counts from here, whether or not the event has data (WHATWG:
     * the last event ID string is set before the empty-data check). */
    if (p->id_set) {
        copy_id(&p->last_id, &p->id);
        p->id_set = false;
    }
    sse_event ev;
    if (p->has_direct) {
        ev.data = p->direct;
        ev.data_len = p->direct_len;
        p->has_direct = false;
    } else if (p->data.len == 0) {
        buf_clear(&p->type);
        return 0;
    } else {
        buf_truncate(&p->data, p->data.len - 1); /* the last data line's '\n' */
        ev.data = p->data.data;
        ev.data_len = p->data.len;
    }
    if (p->type.len) {
        ev.type = p->type.data;
        ev.type_len = p->type.len;
    } else {
        ev.type = "message";
        ev.type_len = 7;
    }
    ev.id = buf_cstr(&p->last_id);
    ev.id_len = p->last_id.len;
    int rc = cb(ud, &ev);
    buf_clear(&p->data);
    buf_clear(&p->type);
    return rc;
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0 || n > 9)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Interprets one complete line (without its terminator); in_slice: it
 * lies in the slice being fed (not in the line buffer). Returns the
 * callback's verdict, or SSE_TOO_LONG. */
static int process_line(sse_parser *p, const char *s, size_t n, bool in_slice, sse_event_cb cb,
                        void *ud)
{
    if (n == 0)
        return dispatch(p, cb, ud);
    if (s[0] == ':')
        return 0;
    /* "data: " starts nearly every line of a stream: no search for it. */
    const char *colon = n >= 5 && !memcmp(s, "data:", 5) ? s + 4 : memchr(s, ':', n);
    size_t flen = colon ? (size_t)(colon - s) : n;
    const char *v = colon ? colon + 1 : s + n;
    size_t vlen = colon ? n - flen - 1 : 0;
    if (vlen && *v == ' ') {
        v++;
        vlen--;
    }
    if (flen == 4 && !memcmp(s, "data", 4)) {
        size_t have = p->data.len + (p->has_direct ? p->direct_len + 1 : 0);
        if (have + vlen + 1 > p->max_line)
            return SSE_TOO_LONG;
        if (in_slice && have == 0) {
            p->has_direct = true;
            p->direct = v;
            p->direct_len = vlen;
        } else {
            keep_direct(p);
            buf_append(&p->data, v, vlen);
            buf_append_char(&p->data, '\n');
        }
    } else if (flen == 5 && !memcmp(s, "event", 5)) {
        buf_clear(&p->type);
        buf_append(&p->type, v, vlen);
    } else if (flen == 2 && !memcmp(s, "id", 2)) {
        if (!memchr(v, '\0', vlen)) {
            buf_clear(&p->id);
            buf_append(&p->id, v, vlen);
            p->id_set = true;
        }
    } else if (flen == 5 && !memcmp(s, "retry", 5)) {
        if (all_digits(v, vlen))
            p->retry_ms = strtol(v, NULL, 10);
    }
    return 0;
}

/* Line ends: the next LF is found line by line; CRs (rare: most streams
 * end lines with LF alone) are looked for once ahead, not once per line,
 * so a line costs one scan. next_cr is the first CR at or after the
 * current position, or NULL when the rest of the slice has none. */
static size_t find_eol(const char *s, size_t n, const char **next_cr)
{
    if (n && s[0] == '\n' && (!*next_cr || *next_cr > s))
        return 0; /* the blank line after each event: no scan */
    const char *lf = memchr(s, '\n', n);
    size_t end = lf ? (size_t)(lf - s) : n;
    if (*next_cr && *next_cr < s)
        *next_cr = memchr(s, '\r', n); /* passed: the next one */
    size_t eol = end;
    if (*next_cr && (size_t)(*next_cr - s) < end)
        eol = (size_t)(*next_cr - s);
    AIDESK_ASSERT(eol <= n);
    return eol;
}

static int feed_lines(sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud)
{
    size_t i = 0;
    if (p->pending_cr && len > 0) {
        p->pending_cr = false;
        if (buf[0] == '\n')
            i = 1;
    }
    const char *next_cr = memchr(buf + i, '\r', len - i);
    while (i < len) {
        size_t j = i + find_eol(buf + i, len - i, &next_cr);
        AIDESK_ASSERT(j <= len);
        if (j == len) {
            if (p->line.len + (len - i) > p->max_line)
                return SSE_TOO_LONG;
            buf_append(&p->line, buf + i, len - i);
            break;
        }
        int rc;
        if (p->line.len) {
            if (p->line.len + (j - i) > p->max_line)
                return SSE_TOO_LONG;
            buf_append(&p->line, buf + i, j - i);
            rc = process_line(p, p->line.data, p->line.len, false, cb, ud);
            buf_clear(&p->line);
        } else {
            if (j - i > p->max_line)
                return SSE_TOO_LONG;
            rc = process_line(p, buf + i, j - i, true, cb, ud);
        }
        if (buf[j] == '\r') {
            if (j + 1 < len) {
                if (buf[j + 1] == '\n')
                    j++;
            } else {
                p->pending_cr = true;
            }
        }
        i = j + 1;
        if (rc == SSE_TOO_LONG)
            return rc;
        if (rc)
            return SSE_STOPPED;
    }
    return SSE_OK;
}

static int feed_body(sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud)
{
    int rc = feed_lines(p, buf, len, cb, ud);
    keep_direct(p); /* the slice is the caller's again */
    return rc;
}

int sse_parser_feed(sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud)
{
    if (p->broken)
        return SSE_TOO_LONG;
    /* A BOM may be split across slices: hold its first bytes until we know. */
    while (!p->bom_done && len > 0) {
        if (buf[0] == bom[p->bom_seen]) {
            p->bom_seen++;
            buf++;
            len--;
            if (p->bom_seen == sizeof bom)
                p->bom_done = true;
            continue;
        }
        p->bom_done = true;
        if (p->bom_seen) {
            /* Not a BOM after all: those bytes were content, the start of
             * the first line (no line end among them). */
            AIDESK_ASSERT(p->bom_seen < sizeof bom); /* a whole one was taken above */
            if (p->bom_seen > p->max_line) {
                p->broken = true;
                return SSE_TOO_LONG;
            }
            buf_append(&p->line, bom, p->bom_seen);
        }
    }
    int rc = feed_body(p, buf, len, cb, ud);
    if (rc == SSE_TOO_LONG)
        p->broken = true;
    return rc;
}
