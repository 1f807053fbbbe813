/* b64.h: standard base64 (RFC 4648 section 4, '=' padding), both ways.
 *
 * For the WebSocket handshake key and the Realtime API's audio, which
 * travels base64 in JSON. Pure functions, no I/O. */
#ifndef AIDESK_UTIL_B64_H
#define AIDESK_UTIL_B64_H

#include <stddef.h>

#include "util/buf.h"

/* Appends the encoding of len bytes at data to out. */
void b64_encode_append(buf_t *out, const void *data, size_t len);
/* Appends the bytes that the len characters at s encode to out. Returns 0,
 * or -1 when s is not base64 (a character outside the alphabet, padding
 * in the middle, a length that no encoding has); out may then hold part of
 * the bytes. Whitespace is not allowed. */
int b64_decode_append(buf_t *out, const char *s, size_t len);

#endif
