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
 * which stays the authority on everything unusual. Invalid UTF-8 inside a
 * string is read as the general decoder reads it (util/jsonu.h): each
 * maximal invalid subpart becomes U+FFFD in that string, and the repair is
 * counted with utf8_repairs_note; elsewhere it is not the usual shape. */
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
    bool invalid;    /* it contains invalid UTF-8 (U+FFFD when decoded) */
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

/* The bytes around the content string of a stream's last usual chunk.
 * Chunks of one stream differ only in their content (the same id, model,
 * created and envelope each time), so the next chunk is checked by
 * comparing those bytes and scanning only its content: byte for byte the
 * same around a valid string, it reads exactly as the last one did with
 * the new content. Zero it before the first chunk; it holds no pointers. */
#define CHUNK_FAST_CACHE_MAX 256
typedef struct chunk_fast_pos {
    unsigned char part; /* 0 absent (null), 1 before the content, 2 after it */
    bool escaped;
    bool invalid;
    uint16_t off;       /* part 1: from the start; part 2: from the end */
    uint16_t len;
} chunk_fast_pos;
typedef struct chunk_fast_cache {
    bool valid;
    uint16_t npre, npost; /* the content's quotes included */
    char pre[CHUNK_FAST_CACHE_MAX], post[CHUNK_FAST_CACHE_MAX];
    chunk_fast_pos id, model, role, finish_reason;
    int64_t created;
} chunk_fast_cache;

/* chunk_fast_read, faster for the chunks of one stream in order: the same
 * results for every input (a cache that does not fit is simply updated). */
int chunk_fast_read_cached(const char *s, size_t len, chunk_fast_cache *c, chunk_fast *out);

/* Appends the decoded string to b as the general decoder would: a lone
 * surrogate becomes U+FFFD, a NUL is held as C0 80 (util/utf8.h), invalid
 * UTF-8 becomes U+FFFD (and is counted with utf8_repairs_note). Returns
 * false (b unchanged, nothing counted) when an escape is malformed. */
bool chunk_str_decode(const chunk_str *str, buf_t *b);

#endif
