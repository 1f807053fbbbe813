#include "config.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds. */
#define FIRST_S INT64_C(-62167219200)
#define END_S INT64_C(253402300800)

bool timefmt_utc(int64_t unix_ms, timefmt_form form, char out[TIMEFMT_SIZE])
{
    out[0] = '\0';
    /* Floor division: a time before 1970 keeps its milliseconds positive. */
    int64_t s = unix_ms / 1000, ms = unix_ms % 1000;
    if (ms < 0) {
        ms += 1000;
        s--;
    }
    struct tm tm;
    time_t t = (time_t)s;
    if (s < FIRST_S || s >= END_S || (int64_t)t != s || !gmtime_r(&t, &tm))
        return false;
    /* Written at full width first: the compiler cannot know gmtime's
     * ranges, which make every form fit. */
    char text[96];
    int y = tm.tm_year + 1900, mo = tm.tm_mon + 1;
    switch (form) {
    case TIMEFMT_ISO:
        snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
        break;
    case TIMEFMT_ISO_MS:
        snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ms);
        break;
    case TIMEFMT_STAMP:
        snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", y, mo, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
        break;
    default:
        return false;
    }
    size_t n = strlen(text);
    if (n >= TIMEFMT_SIZE)
        return false;
    memcpy(out, text, n + 1);
    return true;
}
