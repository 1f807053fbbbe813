/* apitime.h: the timestamps servers send in JSON bodies (ISO 8601). A pure
 * function. Retry-After and its HTTP dates are read by net/retry.h. */
#ifndef AIDESK_API_APITIME_H
#define AIDESK_API_APITIME_H

#include <stdbool.h>
#include <stdint.h>

/* Parses an ISO-8601 / RFC 3339 timestamp into unix milliseconds:
 * YYYY-MM-DD, optionally followed by 'T' (or a space) hh:mm[:ss[.fraction]]
 * and a zone: 'Z', +hh:mm, +hhmm or +hh (a missing zone means UTC, which is
 * what the services send). Years 1..9999. Returns false on anything else. */
bool api_time_parse_iso8601(const char *s, int64_t *ms);

#endif
