/* fuzz.h: what the libFuzzer targets share (tests/fuzz).
 *
 * A target reports a finding by calling fz_fail, which prints what differs
 * and aborts: libFuzzer then saves the input as a crash, like any crash,
 * leak or undefined behaviour the sanitizers catch. Everything here is
 * deterministic: the same input always takes the same path, so a saved
 * input replays. */
#ifndef AIDESK_TESTS_FUZZ_H
#define AIDESK_TESTS_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FUZZ FINDING: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* Prints n bytes of s, escaped, for a finding's message. */
static inline void fz_dump(const char *label, const char *s, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes): \"", label, n);
    for (size_t i = 0; i < n && i < 400; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fputs(n > 400 ? "\"...\n" : "\"\n", stderr);
}

/* Whether two (possibly NULL) strings are equal. */
static inline bool fz_same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

/* A promise every decoded string keeps: text as util/utf8.h defines it
 * (strict UTF-8, with U+0000 held as C0 80). NULL is fine. */
static inline void fz_utf8(const char *what, const char *s)
{
    if (s && !utf8_text_valid(s, strlen(s))) {
        fz_dump(what, s, strlen(s));
        fz_fail("%s is not valid UTF-8 text", what);
    }
}

/* A small generator of split points and choices, seeded from the input so
 * that a saved input replays exactly (xorshift64*, FNV-1a seed). */
typedef struct fz_rng {
    uint64_t s;
} fz_rng;

static inline fz_rng fz_rng_from(const uint8_t *data, size_t size, uint64_t salt)
{
    uint64_t h = 1469598103934665603ull ^ salt;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    fz_rng r = {h ? h : 1};
    return r;
}

static inline uint64_t fz_next(fz_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ull;
}

/* A number in [0, n) (n > 0). */
static inline size_t fz_below(fz_rng *r, size_t n)
{
    return (size_t)(fz_next(r) % n);
}

#endif
