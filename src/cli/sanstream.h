/* sanstream.h: sanitising text that arrives in pieces.
 *
 * A streamed reply comes as deltas cut anywhere: inside a UTF-8 character,
 * or between the CR and LF of a line ending. Sanitising each delta alone
 * would turn half a character into U+FFFD, a split CRLF into a visible CR
 * and a ZWJ between two emoji into a visible <U+200D>. A cli_sanstream
 * keeps the undecided tail (an incomplete character, a final CR or ZWJ)
 * until the next piece shows what it is, and what the text before says
 * about it (san_state), so the output is exactly what sanitize_append
 * gives for the whole text at once. */
#ifndef AIDESK_CLI_SANSTREAM_H
#define AIDESK_CLI_SANSTREAM_H

#include <stddef.h>

#include "util/buf.h"
#include "util/sanitize.h"

typedef struct cli_sanstream {
    unsigned flags; /* SAN_* of util/sanitize.h */
    buf_t tail;     /* bytes held back: at most 3 of a character, a CR or a ZWJ */
    san_state st;
} cli_sanstream;

void cli_sanstream_init(cli_sanstream *s, unsigned flags);
/* Appends to out the safe rendering of everything in p[0..n) (after what
 * was held back) that can be decided now. */
void cli_sanstream_feed(cli_sanstream *s, const char *p, size_t n, buf_t *out);
/* The end of the text: renders what was held back (an incomplete character
 * becomes U+FFFD) and empties the tail. */
void cli_sanstream_finish(cli_sanstream *s, buf_t *out);
void cli_sanstream_free(cli_sanstream *s);

#endif
