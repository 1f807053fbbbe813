/* timefmt.h: wall-clock times written for files, documents and logs.
 *
 * The one place that turns a time into text in UTC, so that an export, a
 * snippet, the debug log and a file name agree on the form. Times people
 * read on screen are local and belong to whoever draws them. */
#ifndef AIDESK_UTIL_TIMEFMT_H
#define AIDESK_UTIL_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

typedef enum timefmt_form {
    TIMEFMT_ISO,    /* ISO 8601: 2026-11-21T15:21:00Z */
    TIMEFMT_ISO_MS, /* the same with milliseconds: 2026-11-21T15:21:00.123Z */
    TIMEFMT_STAMP,  /* for file names, sorting in time order: 20261121T152100Z */
} timefmt_form;

/* Room for every form and its NUL. */
#define TIMEFMT_SIZE 32

/* Writes unix_ms (milliseconds since 1970-01-01 UTC; before it is
 * negative) in form into out. Returns false, with out empty, for a time
 * outside the years 0 to 9999, which no form has room for. */
bool timefmt_utc(int64_t unix_ms, timefmt_form form, char out[TIMEFMT_SIZE]);

#endif
