/* retry.h: the one retry policy, as the official OpenAI SDKs apply it,
 * and the one fact that says whether a failed request may be repeated
 * without asking anyone.
 *
 * Retried: connection failures, time-outs, stalls, dropped connections, and
 * HTTP 408, 429, 500, 502, 503, 504; a server's x-should-retry header
 * overrides the status. Not retried: other statuses (409 included: for
 * AiAssist it means "workspace ended" or "draft decided", which a repeat
 * cannot fix), TLS failures, refused URLs, over-size answers.
 *
 * Never repeated by accident. A request that is not retry_safe (it could
 * duplicate an effect: a customer message, a workspace, an AI Gate
 * session, a manager call without an idempotency key) is retried only when
 * retry_not_processed() holds, which is:
 *   - no byte of it can have reached a server, on any connection: libcurl's
 *     prereq callback never fired in the attempt. libcurl repeats a request
 *     by itself on a fresh connection when a reused one dies before
 *     answering; if that fresh connection then fails to connect, the
 *     attempt ends in "could not connect" although the request went out on
 *     the first one. The prereq flag, not the error code, is what counts;
 *   - or the server answered 429 (a rate limiter refuses before acting:
 *     the AiAssist SDK retries it too), or said x-should-retry: true.
 * Nothing else counts: a 408 or a 503 may come from a gateway after the
 * backend acted, so a send that got one is not repeated. The console and
 * the CLI read the same fact from net_event.not_processed to tell UNSENT
 * (goes out by itself later) from UNCERTAIN (only the person sends again).
 *
 * A stream that has delivered any event is not retried (its partial text
 * is already shown), unless it is an EventSource (reconnect), whose resume
 * with Last-Event-ID is designed for exactly this.
 *
 * Delay: retry-after-ms, else Retry-After (seconds or an HTTP date), capped;
 * a Retry-After beyond the cap means "do not retry now". Every wait a
 * server asks for is read here (retry_after_parse_ms), by the console's
 * messages too, and none counts as longer than RETRY_AFTER_MAX_S. Otherwise
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
    bool reached_server;    /* the prereq callback fired in this attempt (on any
                             * connection): the request may have arrived */
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

/* Whether the server certainly did not act on this attempt (above). */
bool retry_not_processed(const retry_attempt *a);

/* The delay in milliseconds before the next attempt, or -1 for no retry.
 * jitter is a random number in [0, 1). now is the wall clock (for HTTP
 * dates). */
long retry_decide(const retry_policy *p, const retry_attempt *a, double jitter, time_t now);

/* The longest wait a server's hint is taken for (a day): anything longer
 * is not a retry hint a person would act on. */
#define RETRY_AFTER_MAX_S 86400L

/* A Retry-After value (delta seconds, spaces around them allowed, or an
 * HTTP date in any of its three forms) in milliseconds from now, at most
 * RETRY_AFTER_MAX_S seconds; -1 if it is neither. A date in the past
 * gives 0. */
long retry_after_parse_ms(const char *value, time_t now);

#endif
