/* buf.h: a growable byte buffer.
 *
 * A buf owns its bytes. After any append, data[len] is a NUL byte, so the
 * contents can be read as a C string when they hold no NUL of their own.
 * A zeroed buf (BUF_INIT) is empty and valid. */
#ifndef AIDESK_UTIL_BUF_H
#define AIDESK_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
} buf_t;

#define BUF_INIT {NULL, 0, 0}

void buf_init(buf_t *b);
void buf_free(buf_t *b);
/* Ensures room for extra more bytes (plus the NUL). */
void buf_reserve(buf_t *b, size_t extra);
/* The same without rounding up: for a size known in advance (an answer's
 * Content-Length), where doubling would leave up to half of it unused. */
void buf_reserve_exact(buf_t *b, size_t extra);
void buf_append(buf_t *b, const void *p, size_t n);
void buf_append_str(buf_t *b, const char *s);
void buf_append_char(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void buf_clear(buf_t *b);
/* Removes the first n bytes (n <= len). */
void buf_consume(buf_t *b, size_t n);
/* Shortens the buffer to n bytes (n <= len). */
void buf_truncate(buf_t *b, size_t n);
/* Returns the contents as a NUL-terminated string the caller owns (never
 * NULL), and leaves b empty. */
char *buf_steal(buf_t *b);
/* Takes s (from malloc: len bytes and a NUL) as the contents, freeing the
 * old ones: for text decoded elsewhere, without a copy. */
void buf_adopt(buf_t *b, char *s, size_t len);
/* The contents as a C string (never NULL; "" when empty). */
const char *buf_cstr(const buf_t *b);

#endif
