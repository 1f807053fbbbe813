/* mem.h: allocation that never returns NULL.
 *
 * aidesk treats running out of memory as fatal: every allocator here checks
 * its result and, on failure, prints one line to stderr and aborts. Callers
 * therefore never test for NULL from these functions. Byte caps on anything
 * that comes from the network are enforced where the bytes arrive, so a
 * hostile server cannot drive us into this path. */
#ifndef AIDESK_UTIL_MEM_H
#define AIDESK_UTIL_MEM_H

#include <stddef.h>
#include <stdlib.h>

/* Reports that n bytes could not be had, and aborts. */
void mem_oom(size_t n) __attribute__((noreturn, cold));

/* None of them returns NULL: said to the compiler and the static analyser. */
#define MEM_NONNULL __attribute__((returns_nonnull))

void *xmalloc(size_t n) MEM_NONNULL;
/* Zeroed memory. Inline so that code reading it (and the static analyser)
 * sees calloc itself: everything in it starts at zero. */
static inline void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        mem_oom(count * size);
    return p;
}
void *xrealloc(void *p, size_t n) MEM_NONNULL;
/* Grows an array: returns p resized to hold at least need items of size sz,
 * updating *cap (doubling). */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz) MEM_NONNULL;
char *xstrdup(const char *s) MEM_NONNULL;
char *xstrndup(const char *s, size_t n) MEM_NONNULL;
/* A copy of [s, s+n) with a terminating NUL; NUL bytes inside are kept. */
char *xmemdup0(const void *s, size_t n) MEM_NONNULL;
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2))) MEM_NONNULL;

#endif
