/* utf8.h: strict UTF-8 decoding and validation.
 *
 * Strict means what RFC 3629 allows and nothing more: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF. json-c accepts all of
 * these, so every string from the network passes through here. */
#ifndef AIDESK_UTIL_UTF8_H
#define AIDESK_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes one character at s (len > 0 bytes available). Returns the number
 * of bytes consumed (1..4). On an invalid or truncated sequence, *cp is
 * U+FFFD, *valid is false and the return value is the length of the maximal
 * invalid subpart (at least 1), as the Unicode standard recommends. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp, bool *valid);

/* Whether all len bytes are strict UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* Encodes cp (which must be a valid scalar value) into out (4 bytes of room);
 * returns the number of bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

/* Length of the longest prefix of s[0..len) that does not end inside a
 * multi-byte character; for cutting text at a byte limit. */
size_t utf8_prefix_len(const char *s, size_t len);

#endif
