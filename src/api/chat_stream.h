/* chat_stream.h: the state of one streamed chat completion.
 *
 * Feed it, in order, every net_event of one request made by ai_req_chat
 * with stream = true. It accumulates the reply and reports, per event, what
 * changed. A streamed reply ends in exactly one of:
 *   AI_STREAM_FINISHED  "data: [DONE]" arrived: the reply is complete;
 *   AI_STREAM_FAILED    s->error says why: an API error inside the stream
 *                       (an "error" object or "event: error"), a failed or
 *                       cancelled request, or a stream that ended without
 *                       [DONE] (protocol: "cut off"). The partial reply
 *                       stays in s->content for the UI to keep.
 * After either, later events are ignored (AI_STREAM_IGNORED). When an error
 * arrives inside the stream the request is still open: cancel it.
 *
 * Like the SDK, data that is not JSON is skipped; unlike the SDK, each
 * skipped chunk is counted (s->skipped) so the UI can say so. A chunk that
 * is JSON but of the wrong shape is skipped and counted the same way. */
#ifndef AIDESK_API_CHAT_STREAM_H
#define AIDESK_API_CHAT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/aiassist_types.h"
#include "api/chunk_fast.h"
#include "api/error.h"
#include "net/net.h"
#include "util/buf.h"

typedef enum ai_stream_status {
    AI_STREAM_MORE,     /* the stream goes on (u says what this event brought) */
    AI_STREAM_FINISHED, /* [DONE]: complete */
    AI_STREAM_FAILED,   /* s->error is set */
    AI_STREAM_IGNORED,  /* an event after the end */
} ai_stream_status;

typedef struct ai_stream_update {
    const char *role;          /* the role announced by this event, or NULL */
    const char *delta;         /* new content (valid until the next feed), or NULL */
    size_t delta_len;
    const char *finish_reason; /* set by this event, or NULL */
    bool usage;                /* s->usage was filled by this event */
} ai_stream_update;

typedef struct ai_stream {
    char *id;              /* completion id, from the first chunk carrying one */
    char *model;
    int64_t created;
    char *role;            /* from the first delta carrying one ("assistant") */
    buf_t content;         /* the reply so far */
    char *finish_reason;
    ai_usage usage;
    size_t chunks;         /* chunks understood */
    size_t deltas;         /* of them, those that brought text */
    size_t skipped;        /* chunks skipped as malformed */
    char *skip_reason;     /* why the first one was skipped, for the debug log */
    bool open;             /* a 2xx answer started */
    bool done;             /* [DONE] seen */
    api_error *error;      /* set with AI_STREAM_FAILED; owned by the stream */
    char *base_url;        /* for network error messages, or NULL */
    chunk_fast_cache fast; /* the last usual chunk's envelope (chunk_fast.h) */
} ai_stream;

/* base_url (copied, may be NULL) names the host in network errors. */
ai_stream *ai_stream_new(const char *base_url);
void ai_stream_free(ai_stream *s);

/* Consumes one event (not freed; the caller still owns it). u may be NULL.
 * A NET_EV_SSE carries every chunk of one read; u sums them up: delta is
 * all the text they added, role and finish_reason the last ones set,
 * usage whether any set it. Text that came before an error or [DONE] in
 * the same event is in the delta too. */
ai_stream_status ai_stream_feed(ai_stream *s, const net_event *ev, ai_stream_update *u);

/* The error, handed over to the caller (NULL if none); s keeps no pointer. */
api_error *ai_stream_take_error(ai_stream *s);

#endif
