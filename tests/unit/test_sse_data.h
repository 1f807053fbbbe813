/* test_sse_data.h: the SSE test-vector files under tests/files/sse.
 *
 * A file is a list of cases. One line each; '#' starts a comment line;
 * strings are in double quotes with C escapes (\n \r \t \0 \\ \" \xHH), and
 * raw UTF-8 may be written as is:
 *
 *   case NAME                   starts a case
 *   in "BYTES" [* N]            bytes of the current connection's body
 *                               (N times); several lines concatenate
 *   last_id "ID"                the body so far is fed, then the parser's
 *                               last event id must be ID
 *   reconnect                   the connection ends: the parser is reset as
 *                               for a new connection
 *   retry N                     at the end, the "retry:" time is N ms
 *   event "TYPE" "DATA" "ID"    the next event the case delivers
 *
 * and, for a server's stream (the resume test):
 *
 *   pre "BYTES"                 what every connection's body starts with
 *   block "ID" "BYTES"          one block of the stream; ID is the id the
 *                               block sets ("" for comments and the like)
 */
#ifndef AIDESK_TEST_SSE_DATA_H
#define AIDESK_TEST_SSE_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "net/sse.h"
#include "util/buf.h"

typedef enum sv_kind {
    SV_IN,
    SV_LAST_ID,
    SV_RECONNECT,
    SV_PRE,
    SV_BLOCK,
} sv_kind;

typedef struct sv_step {
    sv_kind kind;
    char *bytes; /* IN, PRE, BLOCK: the bytes; LAST_ID: the id */
    size_t len;
    char *id;    /* BLOCK: its id */
} sv_step;

typedef struct sv_case {
    char *name;
    int line;       /* where it starts in the file */
    sv_step *steps;
    size_t nsteps;
    buf_t want;     /* the expected events, as sv_render writes them */
    long retry;     /* expected retry time, or -2 when not checked */
} sv_case;

typedef struct sv_file {
    sv_case *cases;
    size_t ncases;
} sv_file;

/* Loads tests/files/sse/NAME from $AIDESK_SRCDIR (make check sets it).
 * Fails the running test with the file's line number on a syntax error. */
void sv_load(const char *name, sv_file *f);
void sv_free(sv_file *f);

/* Appends one event as a line "type|data|id" with every byte that could
 * confuse a reader ('|', '\\', controls) written as an escape. */
void sv_render(buf_t *out, const sse_event *ev);

/* An sse_event_cb that renders every event into the buf_t ud. */
int sv_collect(void *ud, const sse_event *ev);

/* A small deterministic generator (xorshift), for random splits that are
 * the same in every run. */
typedef struct sv_rng {
    unsigned long long s;
} sv_rng;
void sv_rng_seed(sv_rng *r, unsigned long long seed);
size_t sv_rng_below(sv_rng *r, size_t n); /* in [0, n); n > 0 */

/* Feeds len bytes in pieces of random sizes (1 to max_piece), asserting
 * that every call returns SSE_OK. */
void sv_feed_random(sse_parser *p, const char *buf, size_t len, sv_rng *r, size_t max_piece,
                    buf_t *out);

#endif
