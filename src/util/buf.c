#include "config.h"
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void buf_init(buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void buf_free(buf_t *b)
{
    free(b->data);
    buf_init(b);
}

/* The capacity b needs for extra more bytes and the NUL. */
static size_t needed(const buf_t *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1) {
        fprintf(stderr, "aidesk: buffer size overflow\n");
        abort();
    }
    return b->len + extra + 1;
}

void buf_reserve(buf_t *b, size_t extra)
{
    size_t need = needed(b, extra);
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_reserve_exact(buf_t *b, size_t extra)
{
    size_t need = needed(b, extra);
    if (need <= b->cap)
        return;
    b->data = xrealloc(b->data, need);
    b->cap = need;
}

void buf_append(buf_t *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_append_str(buf_t *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_append_char(buf_t *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_append(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_clear(buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_consume(buf_t *b, size_t n)
{
    if (n >= b->len) {
        buf_clear(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

void buf_truncate(buf_t *b, size_t n)
{
    if (n < b->len) {
        b->len = n;
        b->data[n] = '\0';
    }
}

char *buf_steal(buf_t *b)
{
    char *p = b->data ? b->data : xmemdup0("", 0);
    buf_init(b);
    return p;
}

void buf_adopt(buf_t *b, char *s, size_t len)
{
    free(b->data);
    b->data = s;
    b->len = len;
    b->cap = len + 1;
}

const char *buf_cstr(const buf_t *b)
{
    return b->data ? b->data : "";
}
