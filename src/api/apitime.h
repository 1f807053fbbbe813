/* apitime.h: the timestamps servers send: ISO-8601 in JSON bodies, HTTP
 * dates and delta-seconds in Retry-After. Pure functions: "now" is passed
 * in so that callers (and tests) decide what the current time is. */
#ifndef AIDESK_API_APITIME_H
#define AIDESK_API_APITIME_H

#include <stdbool.h>
#include <stdint.h>

/* Parses an ISO-8601 / RFC 3339 timestamp into unix milliseconds:
 * YYYY-MM-DD, optionally followed by 'T' (or a space) hh:mm[:ss[.fraction]]
 * and a zone: 'Z', +hh:mm, +hhmm or +hh (a missing zone means UTC, which is
 * what the services send). Years 1..9999. Returns false on anything else. */
bool api_time_parse_iso8601(const char *s, int64_t *ms);

/* Parses an HTTP date (RFC 9110: IMF-fixdate "Sun, 06 Nov 1994 08:49:37
 * GMT", and the obsolete RFC 850 and asctime forms) into unix seconds. */
bool api_time_parse_http_date(const char *s, int64_t *unix_s);

/* A Retry-After value: delta-seconds (digits only) or an HTTP date, turned
 * into seconds to wait from now_s (never negative; capped at one day, as
 * anything longer is not a retry hint a person would act on). */
bool api_retry_after_parse(const char *value, int64_t now_s, long *out_s);

#endif
