/* sanitize.h: turn untrusted text into text that is safe to show.
 *
 * Everything that came from the network (AI replies, customer messages,
 * server error details, header values) passes through here before it
 * reaches a terminal, whether through curses or plain stdout. The result is
 * valid UTF-8 in which:
 *   - C0 controls and DEL become the Unicode control pictures (ESC -> U+241B),
 *     so escape sequences are shown, never obeyed; CR and BS cannot move the
 *     cursor; U+0000 (held as C0 80 in decoded text, see utf8.h) becomes
 *     U+2400;
 *   - C1 controls, bidirectional overrides/isolates/marks, zero-width and
 *     tag characters become a visible "<U+XXXX>";
 *   - ZWJ (U+200D) and ZWNJ (U+200C) are zero-width too and shown the same
 *     way, except a ZWJ inside an emoji ZWJ sequence (a family, a
 *     profession): right after an Extended_Pictographic character (with
 *     VS15, VS16 or a skin tone between) and right before another one. That
 *     ZWJ is part of the picture and is kept;
 *   - invalid UTF-8 becomes U+FFFD.
 * Newlines and tabs are kept only when the caller asks. */
#ifndef AIDESK_UTIL_SANITIZE_H
#define AIDESK_UTIL_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum {
    SAN_KEEP_NEWLINE = 1 << 0, /* keep \n (and drop the \r of \r\n) */
    SAN_KEEP_TAB = 1 << 1,     /* keep \t */
};

/* Appends the safe rendering of s[0..len) to out. */
void sanitize_append(buf_t *out, const char *s, size_t len, unsigned flags);
/* The safe rendering as a new string (caller frees). */
char *sanitize_dup(const char *s, size_t len, unsigned flags);
/* Whether s[0..len) would come out of sanitize unchanged. */
bool sanitize_is_clean(const char *s, size_t len, unsigned flags);
/* Whether cp is shown as a placeholder rather than itself (ZWJ included:
 * only the callers below know when one joins emoji). */
bool sanitize_is_unsafe_cp(uint32_t cp);

/* Text given in pieces (a stream): what the pieces before say about the
 * next one. Zero it before the first piece. */
typedef struct san_state {
    bool after_pict; /* the last character leaves a ZWJ able to join emoji */
} san_state;

/* sanitize_append for one piece of a longer text, in order: the result of
 * all pieces is that of the whole text at once, provided no piece but the
 * last ends in a ZWJ (hold it back until the character after it is there:
 * sanitize_ends_in_zwj) or inside a character. */
void sanitize_append_piece(buf_t *out, const char *s, size_t len, unsigned flags, san_state *st);
/* Whether s[0..len) ends with a ZWJ (3 bytes). */
bool sanitize_ends_in_zwj(const char *s, size_t len);

/* For callers that sanitise character by character (the markdown
 * renderer): the state after cp, and whether a ZWJ between a state and the
 * character after it is kept. */
bool sanitize_after_pict(bool after_pict, uint32_t cp);
bool sanitize_zwj_joins(bool after_pict, uint32_t next);

#endif
