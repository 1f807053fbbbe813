/* chunk_fast.h: a fast reader for the usual streamed chat chunk.
 *
 * Nearly every event of a streamed completion is the same small object:
 *   {"id":..., "object":..., "created":N, "model":...,
 *    "choices":[{"index":0, "delta":{"content":"..."}, "finish_reason":null}]}
 * Parsing each one with json-c costs more than everything else the stream
 * does (docs/performance.md). This scanner reads exactly that shape, in
 * place and without allocating, and is strict: it checks the whole text is
 * one JSON object of that shape (keys in any order, whitespace anywhere,
 * standard escapes, surrogate pairs), and answers CHUNK_FAST_OTHER for
 * anything it does not fully understand (an unknown key, usage, an error
 * object, a second choice, a number with a fraction, a raw control
 * character...), so the caller falls back to the general json-c decoder,
 * which stays the authority on everything unusual. Invalid UTF-8 anywhere
 * is refused too. */
#ifndef AIDESK_API_CHUNK_FAST_H
#define AIDESK_API_CHUNK_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct chunk_str {
    const char *raw; /* the bytes between the quotes, escapes undecoded; NULL if absent or null */
    size_t len;
    bool escaped;    /* it contains a backslash */
} chunk_str;

typedef struct chunk_fast {
    chunk_str id, model, role, content, finish_reason;
    int64_t created; /* 0 when absent */
} chunk_fast;

enum {
    CHUNK_FAST_OK = 0,
    CHUNK_FAST_OTHER = 1, /* not the usual shape: use the general decoder */
};

/* Reads s[0..len). On CHUNK_FAST_OK, out points into s. */
int chunk_fast_read(const char *s, size_t len, chunk_fast *out);

/* Appends the decoded string to b (a lone surrogate becomes U+FFFD, a NUL
 * U+FFFD too, as the general decoder does). Returns false (b unchanged)
 * when an escape is malformed. */
bool chunk_str_decode(const chunk_str *str, buf_t *b);

#endif
