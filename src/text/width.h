/* width.h: display width of text in terminal columns.
 *
 * Our own tables (Unicode 14.0, width_tab.c), not the libc's wcwidth: libcs
 * and terminals disagree, and the layout needs one deterministic answer.
 *
 * The unit of layout is a cluster: a base character with everything that
 * draws on top of it (combining marks, variation selectors, skin tones,
 * ZWJ-joined emoji, the second regional indicator of a flag, a keycap mark).
 * Layout never splits a cluster, and no cluster is wider than 2 columns, so a
 * terminal that draws a sequence differently from our guess misplaces one
 * cluster, not the rest of the line. Where terminals differ we pick the wider
 * answer: a gap is harmless, an overflow is not.
 *
 * Controls are expected to be sanitised first (util/sanitize); here they
 * count as one column like any other unknown character. */
#ifndef AIDESK_TEXT_WIDTH_H
#define AIDESK_TEXT_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Columns of one code point on its own: 0 for combining marks (Mn, Me; a
 * spacing mark Mc is 1), ZWJ/ZWNJ, variation selectors and other
 * default-ignorables and Hangul medial/final jamo; 2 for East Asian
 * Wide/Fullwidth and emoji with default emoji presentation; 1 otherwise. */
int tw_cp_width(uint32_t cp);

/* Whether cp is Extended_Pictographic (an emoji that a ZWJ can join). */
bool tw_is_pictographic(uint32_t cp);

/* Measures the cluster at s (len > 0 bytes): returns its length in bytes
 * (at least 1, at most len) and stores its columns (0..2) in *width. A
 * cluster is as wide as its base, except that an emoji ZWJ sequence, a flag
 * (two regional indicators), a keycap, an emoji with a skin tone and a
 * text-default emoji followed by VS16 are 2. VS15 changes nothing (terminals
 * that honour it draw narrower; we keep the safe, wider guess). Invalid UTF-8
 * is one U+FFFD: one column, the maximal invalid subpart as in utf8_decode.
 * A cluster never extends past len, so callers can bound it by a span. */
size_t tw_cluster_next(const char *s, size_t len, int *width);

/* Columns of s[0..len), cluster by cluster. */
size_t tw_str_width(const char *s, size_t len);

#endif
