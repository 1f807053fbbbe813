/* sse.h: an incremental parser for server-sent events (text/event-stream),
 * following the WHATWG EventSource rules.
 *
 * Feed it the body in slices of any size, split anywhere (inside a line,
 * inside a UTF-8 character, between the CR and LF of a CRLF); it calls back
 * once per dispatched event. Lines end in CRLF, LF or CR. One leading BOM is
 * dropped. Lines starting with ':' are comments. A field without a colon has
 * an empty value; one space after the colon is removed. Several data lines
 * join with '\n'. An id containing NUL is ignored; retry counts only when
 * all digits. A blank line dispatches; an empty data buffer dispatches
 * nothing; an event not followed by a blank line is never dispatched.
 * Unknown fields are ignored.
 *
 * Event ids: an "id" field names the event being read, and the events after
 * it that have none (an empty value clears it). It becomes the last event id
 * only when that event's blank line is read, whether or not the event had
 * data (so "id: 7" followed by a blank line counts). An event cut short by
 * the end of a connection never counts: sse_parser_reset forgets its id. So
 * the last event id, sent as Last-Event-ID on a reconnect, always names an
 * event the callback was given (or an id-only block that was complete), and
 * a server that resumes after it repeats nothing and loses nothing.
 *
 * The parser bounds memory: a line or an event's data longer than max_line
 * bytes makes sse_parser_feed return SSE_TOO_LONG and the parser unusable
 * until sse_parser_reset. */
#ifndef AIDESK_NET_SSE_H
#define AIDESK_NET_SSE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sse_event {
    const char *type; /* "message" unless an event field said otherwise */
    size_t type_len;
    const char *data; /* the data lines joined by '\n'; NOT NUL-terminated
                       * (it may point into the slice being fed) */
    size_t data_len;
    const char *id;   /* the last event id, this event's own if it had an id
                       * field ("" if none so far); NUL-terminated */
    size_t id_len;
} sse_event;

/* Called for each event; the pointers live until the callback returns.
 * Return 0 to go on, non-zero to stop feeding (feed returns SSE_STOPPED). */
typedef int (*sse_event_cb)(void *ud, const sse_event *ev);

enum {
    SSE_OK = 0,
    SSE_STOPPED = 1,
    SSE_TOO_LONG = -1,
};

typedef struct sse_parser sse_parser;

sse_parser *sse_parser_new(size_t max_line);
void sse_parser_free(sse_parser *p);
/* Forgets any partial line and event, as at the start of a new connection,
 * the id of an event not yet dispatched included. The last event id and
 * retry time are kept (they outlive connections), and an event of the new
 * connection without an id field carries the last event id. */
void sse_parser_reset(sse_parser *p);

/* Parses len more bytes. Returns SSE_OK, SSE_STOPPED (the callback asked to
 * stop; the rest of this slice was not parsed) or SSE_TOO_LONG. */
int sse_parser_feed(sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud);

/* The id of the last event dispatched ("" if none), to send as
 * Last-Event-ID. Never the id of an event still being read. */
const char *sse_parser_last_id(const sse_parser *p);
/* Sets the last event id (NULL: ""), as if an event with that id had been
 * dispatched: for a stream that resumes where an earlier one stopped. */
void sse_parser_set_last_id(sse_parser *p, const char *id);
/* The reconnection time the server asked for with "retry:", or -1. It
 * counts as soon as its line is read, dispatched or not. */
long sse_parser_retry_ms(const sse_parser *p);

#endif
