/* transfer.h: one request's libcurl easy handle and the state of its
 * current attempt. Private to src/net; used by the network thread only. */
#ifndef AIDESK_NET_TRANSFER_H
#define AIDESK_NET_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "net/batch.h"
#include "net/net.h"
#include "net/retry.h"
#include "net/sse.h"
#include "util/buf.h"

typedef struct transfer {
    uint64_t id;
    net_t *net;
    net_request *req;        /* owned */
    const net_config *cfg;
    const char *noproxy;
    CURL *easy;
    struct curl_slist *hdrs;
    char errbuf[CURL_ERROR_SIZE];
    bool active;             /* in the multi handle */
    bool paused;             /* waiting for the event queue to drain */
    bool stalled;            /* ended by our stall check */
    bool too_large;          /* ended by a byte cap */
    bool request_sent;       /* this attempt: the prereq callback fired (on any
                              * connection libcurl used for it) */
    bool may_have_acted;     /* some attempt so far may have been acted on */
    int attempt;             /* retries made so far */
    int consecutive;         /* EventSource: failures since the last open */
    int64_t retry_due_us;    /* waiting for a retry: when (monotonic) */
    int64_t last_byte_us;    /* last sign of life (monotonic) */
    long status;             /* status of the current response */
    net_header *headers;     /* headers of the current response */
    size_t nheaders;
    size_t header_bytes;
    buf_t body;              /* plain answer or error body */
    size_t sunk;             /* bytes of this attempt's answer given to req->sink */
    sse_parser *sse;         /* streams */
    bool opened;             /* this attempt got a 2xx stream (OPEN sent) */
    bool delivered;          /* events were delivered (any attempt) */
    unsigned events;         /* SSE events parsed (any attempt), counted up to 2 */
    int64_t flushed_us;      /* when events were last queued (0: never) */
    net_batch batch;         /* the events one read completes, queued as one */
    struct transfer *next;
} transfer;

/* Takes ownership of req. */
transfer *transfer_new(net_t *n, uint64_t id, net_request *req, const net_config *cfg,
                       const char *user_agent, const char *noproxy);
void transfer_free(transfer *t);
/* Sets up a fresh easy handle for the next attempt. On failure returns -1
 * with *fail and *why (new string) set. */
int transfer_prepare(transfer *t, net_fail *fail, char **why);
/* The terminal event for an attempt that ended with code: DONE, or FAILED
 * (which the caller may turn into RETRY). Moves the body and headers. */
net_event *transfer_outcome(transfer *t, CURLcode code);
/* Facts about the failed attempt ev for the retry policy. Also folds the
 * attempt into may_have_acted and sets ev->not_processed. */
void transfer_retry_input(transfer *t, net_event *ev, retry_attempt *a);
/* Whether the request in flight may have been acted on: an earlier attempt
 * may have been, or this one has gone out. For a cancel. */
bool transfer_may_have_acted(const transfer *t);
/* Forgets the attempt's easy handle and response, keeping the request. */
void transfer_reset_attempt(transfer *t);
/* Stall detection for streams: the deadline (monotonic us; 0 if none) and
 * whether it has passed. */
int64_t transfer_stall_deadline(const transfer *t);
bool transfer_stalled(const transfer *t, int64_t now);
/* Queues the events completed since the last flush as one NET_EV_SSE.
 * libcurl calls the write callback once per piece of the body (an HTTP
 * chunk, which is often one event), so the network thread flushes each
 * transfer once per round of curl_multi_perform: one event per read.
 * Returns whether there was anything to queue. */
bool transfer_flush(transfer *t);
/* Un-pauses a transfer paused by back-pressure. */
void transfer_resume(transfer *t);

/* Provided by net.c. net_push_events queues a chain (linked by next_) in
 * one go. */
void net_push_event(net_t *n, net_event *ev);
void net_push_events(net_t *n, net_event *first);
/* The pool the network's SSE blocks come from (batch.h). */
net_pool *net_sse_pool(net_t *n);
/* Whether undelivered events exceed the cap (and remembers that a transfer
 * will pause because of it). */
bool net_queue_full(net_t *n);

#endif
