/* sanitize.h: turn untrusted text into text that is safe to show.
 *
 * Everything that came from the network (AI replies, customer messages,
 * server error details, header values) passes through here before it
 * reaches a terminal, whether through curses or plain stdout. The result is
 * valid UTF-8 in which:
 *   - C0 controls and DEL become the Unicode control pictures (ESC -> U+241B),
 *     so escape sequences are shown, never obeyed; CR and BS cannot move the
 *     cursor;
 *   - C1 controls, bidirectional overrides/isolates/marks, zero-width and
 *     tag characters become a visible "<U+XXXX>";
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
/* Whether cp is shown as a placeholder rather than itself. */
bool sanitize_is_unsafe_cp(uint32_t cp);

#endif
