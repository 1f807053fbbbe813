#include "config.h"
#include "net/retry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static int month_index(const char *m)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (!strncmp(m, months[i], 3))
            return i;
    return -1;
}

/* The part of an IMF-fixdate after the weekday: "06 Nov 1994 08:49:37 GMT". */
static bool parse_http_date(const char *s, time_t *out)
{
    char mon[4], zone[4];
    int day, year, hh, mm, ss;
    if (sscanf(s, "%d %3s %d %d:%d:%d %3s", &day, mon, &year, &hh, &mm, &ss, zone) != 7)
        return false;
    int m = month_index(mon);
    if (m < 0 || strcmp(zone, "GMT") || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 ||
        year < 1970 || year > 9999)
        return false;
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = m;
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    *out = timegm(&tm);
    return *out != (time_t)-1;
}

long retry_after_parse_ms(const char *value, time_t now)
{
    if (!value)
        return -1;
    long secs;
    if (parse_digits(value, 24L * 3600 * 365, &secs))
        return secs * 1000;
    const char *comma = strchr(value, ',');
    time_t when;
    if (comma && parse_http_date(comma + 1, &when)) {
        if (when <= now)
            return 0;
        double d = difftime(when, now);
        return d > 24.0 * 3600 * 365 ? 24L * 3600 * 365 * 1000 : (long)d * 1000;
    }
    return -1;
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
        if (a->retry_after_ms && parse_digits(a->retry_after_ms, 24L * 3600 * 1000, &ms))
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
