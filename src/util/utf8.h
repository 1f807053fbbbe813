/* utf8.h: strict UTF-8 decoding and validation, repair, and the text form
 * that strings take inside aidesk.
 *
 * Strict means what RFC 3629 allows and nothing more: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF. json-c accepts all of
 * these, so every string from the network passes through here.
 *
 * Text from the network is repaired, not refused: each maximal invalid
 * subpart becomes one U+FFFD (the Unicode standard's recommended practice,
 * which WHATWG's decoder follows too), and the rest of the text is kept.
 *
 * Decoded text is a C string, and JSON's \u0000 must survive it (--json
 * writes it back). So, inside aidesk, U+0000 is held as the two bytes C0 80,
 * as Java's "modified UTF-8" and Tcl do. Strict UTF-8 never contains them
 * and every invalid byte from the network has become U+FFFD before, so C0 80
 * in decoded text can only be a U+0000. The _text functions read that form;
 * the JSON writer (util/jsonu.h) turns it back into \u0000, the sanitiser
 * shows it as a control picture, and text written plainly turns it into
 * U+FFFD (utf8_text_plain_append). */
#ifndef AIDESK_UTIL_UTF8_H
#define AIDESK_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes one character at s (len > 0 bytes available). Returns the number
 * of bytes consumed (1..4). On an invalid or truncated sequence, *cp is
 * U+FFFD, *valid is false and the return value is the length of the maximal
 * invalid subpart (at least 1), as the Unicode standard recommends. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp, bool *valid);

/* Whether all len bytes are strict UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* U+0000 as held inside aidesk's text. */
#define UTF8_TEXT_NUL "\xC0\x80"

/* utf8_decode for decoded text: C0 80 is U+0000 (valid, 2 bytes). */
size_t utf8_text_decode(const char *s, size_t len, uint32_t *cp, bool *valid);
/* Whether s[0..len) is strict UTF-8 where C0 80 may stand for U+0000. */
bool utf8_text_valid(const char *s, size_t len);
/* Appends s[0..len) with each C0 80 as U+FFFD, for output that cannot
 * carry a NUL (a terminal, a plain file). Returns the number replaced. */
size_t utf8_text_plain_append(buf_t *out, const char *s, size_t len);

/* Appends s[0..len) to out with each maximal invalid subpart replaced by
 * U+FFFD. Returns the number of U+FFFD put in (0: s was valid and was
 * copied as is). */
size_t utf8_repair_append(buf_t *out, const char *s, size_t len);

/* Repairs are counted per thread, so that whoever shows the text can say,
 * once, that some of it was not valid UTF-8: read the count before and
 * after decoding an answer. Every reader of text from the network that
 * repairs a string (util/jsonu.h, api/chunk_fast.h) notes it here. */
void utf8_repairs_note(size_t strings);
/* Strings repaired on this thread so far. */
uint64_t utf8_repairs(void);

/* Encodes cp (which must be a valid scalar value) into out (4 bytes of room);
 * returns the number of bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

/* Length of the longest prefix of s[0..len) that does not end inside a
 * multi-byte character; for cutting text at a byte limit. */
size_t utf8_prefix_len(const char *s, size_t len);

#endif
