/* net.h: the network thread.
 *
 * One background thread owns one libcurl multi handle and runs every
 * transfer. The caller's thread (the UI thread, or the CLI's main thread)
 * submits requests and cancels through a queue, and receives typed events
 * through another queue, signalled by a file descriptor it can poll().
 * Nothing else is shared: only the network thread touches libcurl handles.
 *
 * Every submitted request gets an id and ends in exactly one terminal event:
 * NET_EV_DONE, NET_EV_FAILED or NET_EV_CANCELLED. Before that it may produce
 * NET_EV_RETRY (a retry is scheduled), NET_EV_OPEN (a stream's 2xx answer
 * began) and NET_EV_SSE (the server-sent events of one read).
 *
 * Safety, as docs/architecture.md explains: redirects are never followed (a
 * 3xx fails, so credentials cannot travel to another host); the protocol is
 * restricted to https (http only when the request allows it); TLS is
 * verified; answers are capped in bytes in the write callback; connections
 * have a connect timeout, plain requests a total timeout and streams a stall
 * timeout. Retries follow one policy (retry.h). Streams feed the SSE parser
 * on the network thread; the caller gets whole events, all those that one
 * read completed in one NET_EV_SSE (one allocation and one hand-over for
 * what may be hundreds of tokens; see net_sse).
 *
 * Back-pressure: while more than max_queued_bytes of events wait in the
 * queue, transfers are paused, so a fast server cannot make memory grow
 * (the caller takes the queue in one go, so at most about twice that is
 * held). An event counts with the whole block it lives in. Freed SSE
 * blocks are kept for later reads, at most max_queued_bytes of them. */
#ifndef AIDESK_NET_NET_H
#define AIDESK_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum net_method {
    NET_GET,
    NET_POST,
    NET_DELETE,
} net_method;

/* Where a plain answer's body goes instead of a buffer: a decoder that
 * reads it as it arrives, so that a long answer (a history of megabytes)
 * is never held whole. Called on the network thread; state is the
 * caller's, touched by nothing else until the request ends. */
typedef struct net_sink {
    void *state;
    void (*push)(void *state, const char *p, size_t n); /* the next bytes of a 2xx body */
    void (*restart)(void *state); /* a new attempt: forget what was pushed */
    void (*free)(void *state);
} net_sink;

typedef struct net_request {
    net_method method;
    char *url;          /* owned */
    char **headers;     /* owned, NULL-terminated list of "Name: value" */
    size_t nheaders;
    char *body;         /* owned request body, or NULL */
    size_t body_len;
    bool stream;        /* the answer is text/event-stream */
    bool reconnect;     /* stream only: an EventSource. Reconnects after any
                         * drop or retryable error, for ever, sending
                         * Last-Event-ID; ends only when cancelled or on a
                         * non-retryable HTTP error */
    bool retry_safe;    /* repeating it cannot duplicate an effect */
    bool allow_http;    /* http:// is allowed (loopback or explicit opt-in) */
    bool retry_429;     /* retry a 429 (default true); false where a 429
                         * cannot clear soon, like AI Gate's concurrent
                         * session limit */
    int max_retries;    /* default 3 */
    long timeout_ms;    /* plain: whole transfer. stream: the longest silence
                         * allowed. Default 30000 */
    size_t max_body;    /* cap for a plain answer or an error body; 16 MiB */
    size_t max_event;   /* stream: cap for one SSE line or event; 1 MiB */
    char *last_event_id; /* stream: initial Last-Event-ID (owned) or NULL */
    uint64_t tag;       /* the caller's; copied into every event */
    char *fallback_body; /* owned, or NULL: see net_request_set_fallback */
    size_t fallback_body_len;
    char *fallback_field; /* owned: the optional field fallback_body leaves out */
    net_sink *sink;     /* owned, or NULL: see net_request_set_sink */
} net_request;

/* A request with the defaults above. */
net_request *net_request_new(net_method method, const char *url);
/* Adds a header line "name: value" (both copied). */
void net_request_add_header(net_request *r, const char *name, const char *value);
/* Sets the body; takes ownership of body (allocated with malloc). */
void net_request_set_body(net_request *r, char *body, size_t len);
/* Degrading an optional field. body (owned from here) is the request's body
 * without field. When an attempt is answered 400 and the error body names
 * field, the server refused the request before acting on it: the network
 * thread sends body instead, at once (a NET_EV_RETRY with fell_back set and
 * delay_ms 0, not counted against max_retries), and remembers the URL and
 * field for as long as it runs, so that later requests to that URL with
 * the same field go out with their fallback body from the start. */
void net_request_set_fallback(net_request *r, char *body, size_t len, const char *field);
/* Plain requests: a 2xx answer's body goes to sink (owned from here), not
 * to a buffer; its DONE event carries the sink, body NULL. An error answer
 * (status >= 300) keeps its body as usual. The byte cap still holds. */
void net_request_set_sink(net_request *r, net_sink *sink);
void net_sink_free(net_sink *s);
void net_request_free(net_request *r);

typedef enum net_event_kind {
    NET_EV_RETRY,     /* a failed attempt will be retried after delay_ms */
    NET_EV_OPEN,      /* stream: a 2xx answer started (status, headers) */
    NET_EV_SSE,       /* stream: the events one read completed (sse, nsse) */
    NET_EV_DONE,      /* terminal: success. plain: status, headers, body */
    NET_EV_FAILED,    /* terminal: fail, message; HTTP errors: status,
                       * headers and the error body */
    NET_EV_CANCELLED, /* terminal: cancelled by the caller */
} net_event_kind;

typedef enum net_fail {
    NET_FAIL_NONE = 0,
    NET_FAIL_HTTP,      /* the server answered with a status >= 300 */
    NET_FAIL_CONNECT,   /* could not resolve or connect, and nothing was sent
                         * on any connection (a connect failure after the
                         * request went out is NET_FAIL_DROPPED) */
    NET_FAIL_TIMEOUT,   /* no complete answer in time */
    NET_FAIL_STALL,     /* a stream went silent for longer than allowed */
    NET_FAIL_DROPPED,   /* the connection closed before the answer ended */
    NET_FAIL_TOO_LARGE, /* an answer or event went over its byte cap */
    NET_FAIL_TLS,       /* TLS handshake or certificate failure */
    NET_FAIL_REFUSED,   /* not attempted: URL or protocol not allowed */
    NET_FAIL_INTERNAL,  /* libcurl could not be set up */
} net_fail;

typedef struct net_header {
    char *name;  /* lower case */
    char *value; /* trimmed */
} net_header;

/* One server-sent event. type is "message" unless the stream named
 * another; data is its data lines joined by '\n'; id is the last event id
 * ("" when none so far), as the SSE parser (sse.h) dispatched them. Every
 * string is NUL-terminated and lives as long as the net_event holding it. */
typedef struct net_sse {
    const char *type;
    size_t type_len;
    const char *data;
    size_t data_len;
    const char *id;
    size_t id_len;
} net_sse;

typedef struct net_event {
    net_event_kind kind;
    uint64_t id;       /* the request's id */
    uint64_t tag;      /* the request's tag */
    long status;       /* HTTP status of the answer, 0 if none */
    net_header *headers;
    size_t nheaders;
    char *body;        /* DONE (plain) and FAILED/HTTP: the body, NUL-terminated */
    size_t body_len;
    net_sink *sink;    /* DONE of a request with a sink: the sink, which has had
                        * the whole body (owned by the event; take it by
                        * setting this NULL) */
    const net_sse *sse; /* SSE: the events, in the order they came (nsse >= 1);
                        * they live in the event's own allocation: take
                        * them one by one with sse[0] .. sse[nsse - 1] */
    size_t nsse;
    net_fail fail;     /* FAILED, RETRY: what went wrong */
    char *message;     /* FAILED, RETRY: a one-line description (no secrets) */
    bool delivered;    /* FAILED on a stream: events had been delivered */
    bool not_processed; /* FAILED, CANCELLED, RETRY: no attempt of the
                        * request can have been acted on (retry.h's
                        * retry_not_processed held for every attempt so
                        * far). The one fact that says a request with an
                        * effect may be sent again without asking anyone */
    int64_t at_us;     /* when the network thread had it (monotonic µs):
                        * for timings that must not include the caller's
                        * own delays (time to first token) */
    int attempt;       /* RETRY: the number of the retry to come (1..) */
    long delay_ms;     /* RETRY: when it will start */
    bool fell_back;    /* RETRY: the server refused the request's fallback
                        * field; it goes again without it at once */
    /* Private to the network layer. */
    struct net_event *next_;
    size_t bytes_;
    size_t packed_;    /* SSE: the size of the event's block past the event */
    struct net_pool *pool_; /* SSE: where the block goes back when freed */
} net_event;

/* A NET_EV_SSE holding copies of the n events (strings not NULL), in one
 * allocation as the network thread makes them: for callers that replay or
 * test a stream. NULL when n is 0. */
net_event *net_event_new_sse(uint64_t id, uint64_t tag, const net_sse *items, size_t n);
void net_event_free(net_event *ev);
/* Frees the body once it is decoded (body NULL, body_len 0): a long answer
 * need not stay alive while what was decoded from it is put to use. */
void net_event_drop_body(net_event *ev);
/* The value of a response header (name case-insensitive), or NULL. */
const char *net_event_header(const net_event *ev, const char *name);
const char *net_fail_name(net_fail f);
/* Whether a FAILED event is the server's clear refusal: a 4xx other than
 * 408 and 429. The request was not acted on, but sending it again as it is
 * would be refused again, so it waits for a person (unlike not_processed,
 * which says it may go out again by itself). */
bool net_event_refused(const net_event *ev);

typedef struct net_config {
    const char *user_agent;   /* default "aidesk/<version>" */
    long connect_timeout_ms;  /* default 10000 */
    size_t max_queued_bytes;  /* default 1 MiB: a fast stream waits in the
                               * kernel, not in our memory, at no cost in
                               * speed (bench/run stream) */
    bool insecure_tls;        /* skip certificate checks (loud opt-out) */
    const char *ca_file;      /* PEM file of the CAs to trust instead of the
                               * system's (CURLOPT_CAINFO) for every HTTPS
                               * transfer and WebSocket; NULL: the system's.
                               * Copied by net_new. */
    long retry_base_ms;       /* first backoff, default 500 */
    long retry_cap_ms;        /* longest backoff, default 8000 */
    long retry_after_cap_ms;  /* longest Retry-After honoured, default 60000 */
} net_config;

typedef struct net net_t;

/* Starts the network thread. curl_global_init() must have run (in main,
 * before any thread). cfg may be NULL for defaults. Returns NULL on failure. */
net_t *net_new(const net_config *cfg);
/* Cancels everything, stops the thread and frees all. Events still queued
 * are dropped. */
void net_free(net_t *n);

/* Readable when events are waiting. Poll it, then call net_next_event until
 * it returns NULL. */
int net_wake_fd(const net_t *n);

/* Queues a request; takes ownership of req. Returns its id (never 0). */
uint64_t net_submit(net_t *n, net_request *req);
/* Cancels a request. Its terminal event is NET_EV_CANCELLED unless it had
 * already ended. Unknown ids are ignored. */
void net_cancel(net_t *n, uint64_t id);

/* The next event, or NULL when none is waiting. The caller owns it and
 * frees it with net_event_free. Never blocks. */
net_event *net_next_event(net_t *n);
/* Waits up to timeout_ms (-1: for ever) for an event; for callers without a
 * poll loop of their own (the CLI, tests). */
net_event *net_wait_event(net_t *n, long timeout_ms);

/* Number of requests that have not ended yet. */
size_t net_pending(net_t *n);

#endif
