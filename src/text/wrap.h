/* wrap.h: a parsed message laid out as display lines for a given width.
 *
 * A line is a list of spans, each a byte range of md_doc.text with a style
 * and the column where it starts; columns not covered by a span are blank.
 * The screen layer copies spans and draws nothing else, except what a line's
 * flags ask for (a continuation marker in a code gutter, a code background).
 *
 * Rules: text wraps at spaces (dropped at the break), and between any two
 * wide characters or a wide and a narrow one (CJK has no spaces); a word
 * longer than the line breaks between clusters; a cluster is never split. A
 * '\n' in a paragraph breaks the line. Continuation lines of a list item
 * hang under its text; quotes repeat their bars on every line; headings and
 * every other block start on a line of their own. Code lines are never
 * re-flowed: a long one is cut by cluster and continues on lines flagged
 * WRAP_LINE_CONT, all of them after a 2-column gutter.
 *
 * Invariant: every span ends at or before the width, whatever the input.
 * When the width is small, indentation gives way first (the content keeps
 * half the width, at least 6 columns or the whole width if less); a cluster
 * wider than the whole line (a wide character at width 1) is shown as a
 * one-column U+FFFD placeholder. */
#ifndef AIDESK_TEXT_WRAP_H
#define AIDESK_TEXT_WRAP_H

#include <stddef.h>
#include <stdint.h>

#include "text/md.h"

#define WRAP_MAX_WIDTH 0x7FFF /* wider screens are laid out at this width */

typedef struct wrap_span {
    uint32_t off, len;  /* bytes of md_doc.text */
    uint16_t col;       /* first column */
    uint16_t width;     /* columns */
    uint8_t kind, attr; /* md_kind, MD_ATTR_* */
} wrap_span;

enum {
    WRAP_LINE_CODE = 1 << 0,    /* part of a code block (label or code) */
    WRAP_LINE_CONT = 1 << 1,    /* continues the code line above: mark the gutter */
    WRAP_LINE_LABEL = 1 << 2,   /* a code block's language label */
    WRAP_LINE_HEADING = 1 << 3, /* level in wrap_line.level */
};

typedef struct wrap_line {
    uint32_t first, count; /* its spans in wrap_out.spans */
    uint32_t block;        /* the md_block it shows */
    uint16_t width;        /* columns used (the end of its last span) */
    uint16_t indent;       /* column where content starts; for code lines the
                              gutter is the 2 columns before it, if indent >= 2 */
    uint8_t flags;         /* WRAP_LINE_* */
    uint8_t level;         /* heading level */
} wrap_line;

typedef struct wrap_out {
    wrap_line *lines;
    size_t nlines, lines_cap;
    wrap_span *spans;
    size_t nspans, spans_cap;
} wrap_out;

#define WRAP_OUT_INIT {NULL, 0, 0, NULL, 0, 0}

void wrap_free(wrap_out *o);
/* Keeps the first n lines (and their spans). */
void wrap_truncate(wrap_out *o, size_t n);
/* Appends the lines of block i of d at the given width; returns how many.
 * O(size of the block). */
size_t wrap_block(const md_doc *d, size_t i, int width, wrap_out *o);
/* All of d: replaces o's lines. */
void wrap_layout(const md_doc *d, int width, wrap_out *o);

#endif
