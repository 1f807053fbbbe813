/* retry.h: the one retry policy, as the official OpenAI SDKs apply it.
 *
 * Retried: connection failures, time-outs, stalls, dropped connections, and
 * HTTP 408, 429, 500, 502, 503, 504; a server's x-should-retry header
 * overrides the status. Not retried: other statuses (409 included: for
 * AiAssist it means "workspace ended" or "draft decided", which a repeat
 * cannot fix), TLS failures, refused URLs, over-size answers.
 *
 * Never repeated by accident:
 *   - a request that is not retry_safe (it could duplicate an effect, like
 *     sending a message) is retried only when the server cannot have acted
 *     on it: the connection never opened, or the server said 408, 429 or
 *     503, or x-should-retry: true;
 *   - a stream that has delivered any event is not retried (its partial
 *     text is already shown), unless it is an EventSource (reconnect), whose
 *     resume with Last-Event-ID is designed for exactly this.
 *
 * Delay: retry-after-ms, else Retry-After (seconds or an HTTP date), capped;
 * a Retry-After beyond the cap means "do not retry now". Otherwise
 * exponential backoff from base_ms doubling to cap_ms, minus up to 25 %
 * random jitter. An EventSource's first reconnect uses the server's
 * "retry:" time when it gave one. */
#ifndef AIDESK_NET_RETRY_H
#define AIDESK_NET_RETRY_H

#include <stdbool.h>
#include <time.h>

#include "net/net.h"

typedef struct retry_policy {
    int max_retries;
    long base_ms;
    long cap_ms;
    long retry_after_cap_ms;
} retry_policy;

typedef struct retry_attempt {
    int attempt;            /* retries already made (0 after the first failure) */
    bool retry_safe;
    bool reached_server;    /* a connection was open: the request may have arrived */
    bool delivered;         /* stream: events were delivered to the caller */
    bool reconnect;         /* EventSource: no retry limit */
    bool no_429;            /* the request asked not to retry a 429 */
    net_fail fail;
    long status;            /* for NET_FAIL_HTTP */
    const char *retry_after;     /* header values, or NULL */
    const char *retry_after_ms;
    const char *should_retry;
    long sse_retry_ms;      /* the stream's retry: field, or -1 */
} retry_attempt;

/* The delay in milliseconds before the next attempt, or -1 for no retry.
 * jitter is a random number in [0, 1). now is the wall clock (for HTTP
 * dates). */
long retry_decide(const retry_policy *p, const retry_attempt *a, double jitter, time_t now);

/* A Retry-After value (delta seconds or an HTTP date) in milliseconds from
 * now, or -1 if it is neither. A date in the past gives 0. */
long retry_after_parse_ms(const char *value, time_t now);

#endif
