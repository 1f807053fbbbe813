/* view.h: one message as the console shows it, kept up to date cheaply
 * while it streams.
 *
 * A text_view owns the parsed message (md.h) and its lines at the last
 * width (wrap.h). Appending only sanitises the new bytes; the work is done
 * once per frame, in text_view_layout, however many appends came before.
 *
 * Complexity, with B the size of the last block (a list item, heading,
 * code line, or paragraph; md.h cuts long paragraphs where it can, so B is
 * about 1 KiB plus a line unless markup stays open) and N the new text:
 *   text_view_append                  O(N)
 *   text_view_layout, same width      O(B + N): only the block the last line
 *                                     belonged to and what follows are parsed
 *                                     and wrapped again; earlier lines stay
 *   text_view_layout, new width       O(whole message)
 *   text_view_line / _spans           O(1): drawing H lines is O(H)
 *   text_find                         O(lines searched)
 * The lines are exactly those a fresh view given the same bytes at once
 * would produce (tests/unit/test_text_view.c checks this). */
#ifndef AIDESK_TEXT_VIEW_H
#define AIDESK_TEXT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/md.h"
#include "text/wrap.h"

typedef struct text_view text_view;

text_view *text_view_new(void);
void text_view_free(text_view *v);
/* Empties the view (a message replaced, not appended to). */
void text_view_reset(text_view *v);
/* Raw, untrusted bytes at the end of the message; may cut UTF-8 characters
 * and markdown anywhere. */
void text_view_append(text_view *v, const char *s, size_t n);
/* The message is complete: a held-back partial character is shown. */
void text_view_finish(text_view *v);

/* Brings the lines up to date for width columns (clamped to
 * 1..WRAP_MAX_WIDTH); returns the number of lines. */
size_t text_view_layout(text_view *v, int width);
/* As of the last layout. */
size_t text_view_line_count(const text_view *v);
/* Line i < text_view_line_count(v). Pointers are valid until the next
 * append, finish, layout or reset. */
const wrap_line *text_view_line(const text_view *v, size_t i);
const wrap_span *text_view_spans(const text_view *v, const wrap_line *l);
/* A signature of what line i shows (its spans, their styles and bytes,
 * its indent and flags) mixed into h (FNV-1a): two lines that draw the
 * same give the same value. Panes keep it per row to draw only the rows
 * that changed. */
uint64_t text_view_line_sig(const text_view *v, size_t i, uint64_t h);
/* The bytes spans index into (md_doc.text). */
const char *text_view_text(const text_view *v);
const md_doc *text_view_doc(const text_view *v);

/* Search, as the console's /search: a case-insensitive (ASCII) match of
 * needle within one displayed line (the concatenated bytes of its spans, so
 * hidden markup does not count and placeholders match as shown). Uses the
 * lines of the last layout. */
typedef struct text_match {
    size_t line;
    int col, end_col; /* columns [col, end_col) */
} text_match;

enum { TEXT_FORWARD = 1, TEXT_BACKWARD = -1 };

/* The first match on from_line or after it (TEXT_FORWARD: the leftmost on
 * its line) or on from_line or before it (TEXT_BACKWARD: the rightmost). */
bool text_find(const text_view *v, const char *needle, size_t from_line, int dir, text_match *m);
/* The next match after (or before) the match at: steps through several
 * matches on one line before moving on. */
bool text_find_next(const text_view *v, const char *needle, const text_match *at, int dir,
                    text_match *m);

#endif
