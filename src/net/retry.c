#include "config.h"
#include "net/retry.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

static bool parse_digits(const char *s, long max, long *out)
{
    while (*s == ' ')
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    long v = 0;
    for (; isdigit((unsigned char)*s); s++) {
        if (v > max / 10)
            v = max; /* saturate: "huge" is as good as the cap */
        else
            v = v * 10 + (*s - '0');
    }
    while (*s == ' ')
        s++;
    if (*s)
        return false;
    *out = v > max ? max : v;
    return true;
}

long retry_after_parse_ms(const char *value, time_t now)
{
    if (!value)
        return -1;
    long secs;
    if (parse_digits(value, RETRY_AFTER_MAX_S, &secs))
        return secs * 1000;
    /* An HTTP date, in any of the three forms RFC 9110 has a recipient
     * accept (IMF-fixdate, RFC 850, asctime): libcurl reads them. It is
     * lenient beyond them (another zone, a missing weekday), which does
     * no harm in a hint that is capped whatever it says. */
    time_t when = curl_getdate(value, NULL);
    if (when == (time_t)-1)
        return -1;
    if (when <= now)
        return 0;
    double d = difftime(when, now);
    return d > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S * 1000L : (long)d * 1000;
}

static bool status_retryable(long status)
{
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
           status == 504;
}

static bool says_retry(const retry_attempt *a)
{
    return a->fail == NET_FAIL_HTTP && a->should_retry && !strcasecmp(a->should_retry, "true");
}

bool retry_not_processed(const retry_attempt *a)
{
    if (a->fail == NET_FAIL_HTTP)
        return a->status == 429 || says_retry(a);
    /* Whatever libcurl's error code says: "could not connect" may be the
     * end of its own retry after the request went out on a reused
     * connection. */
    return !a->reached_server;
}

long retry_decide(const retry_policy *p, const retry_attempt *a, double jitter, time_t now)
{
    switch (a->fail) {
    case NET_FAIL_REFUSED:
    case NET_FAIL_INTERNAL:
    case NET_FAIL_TOO_LARGE:
    case NET_FAIL_TLS:
    case NET_FAIL_NONE:
        return -1;
    case NET_FAIL_HTTP:
        if (says_retry(a))
            break;
        if (a->should_retry && !strcasecmp(a->should_retry, "false"))
            return -1;
        else if (!status_retryable(a->status) || (a->status == 429 && a->no_429))
            return -1;
        break;
    default: /* connect, timeout, stall, dropped */
        break;
    }
    if (a->delivered && !a->reconnect)
        return -1;
    if (!a->reconnect && a->attempt >= p->max_retries)
        return -1;
    if (!a->retry_safe && !retry_not_processed(a))
        return -1;

    long delay = -1;
    if (a->fail == NET_FAIL_HTTP) {
        long ms;
        if (a->retry_after_ms && parse_digits(a->retry_after_ms, RETRY_AFTER_MAX_S * 1000L, &ms))
            delay = ms;
        else
            delay = retry_after_parse_ms(a->retry_after, now);
        if (delay > p->retry_after_cap_ms)
            return a->reconnect ? p->retry_after_cap_ms : -1;
        if (delay >= 0)
            return delay;
    }
    long base = p->base_ms;
    if (a->reconnect && a->sse_retry_ms >= 0 && a->attempt == 0)
        return a->sse_retry_ms;
    delay = base;
    for (int i = 0; i < a->attempt && delay < p->cap_ms; i++)
        delay *= 2;
    if (delay > p->cap_ms)
        delay = p->cap_ms;
    if (jitter < 0 || jitter >= 1)
        jitter = 0;
    return delay - (long)((double)delay * 0.25 * jitter);
}
