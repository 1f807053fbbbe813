/* overlay.h: what every overlay (help, the pickers) draws the same way: a
 * box with a border that hides whatever is under it, and text fitted to
 * a width: wrapped by words, or shortened in the middle.
 *
 * A box owns every cell of its rectangle: the frame redraws the panes
 * under an overlay before it (frame.c), so an overlay that painted only
 * some of its cells would let them show through at its edges. */
#ifndef AIDESK_UI_OVERLAY_H
#define AIDESK_UI_OVERLAY_H

#include <stddef.h>

#include "ui.h"

/* Clears r with the help style, then draws its border (r's outermost
 * cells) with title in the top edge and foot in the bottom one, each cut
 * to fit (either may be NULL). Needs r.h >= 2 and r.w >= 4. */
void ovl_box(ui *u, rect r, const char *title, const char *foot);

/* The next line of s[0..len) for a width of w columns: returns the bytes
 * that make it, breaking after the last space that fits (a word longer
 * than the line breaks between characters), and sets *next to where the
 * following line starts (the spaces at the break skipped). A '\n' ends a
 * line. w < 1 counts as 1. */
size_t ovl_wrap(const char *s, size_t len, int w, size_t *next);

/* How many lines s takes at width w (at least 1). */
int ovl_wrap_lines(const char *s, int w);

/* s fitted to w columns into out (NUL-terminated, cut to outlen): s
 * itself when it fits, else its start and its end with an ellipsis
 * between them ("meta-llama/L…ruct-Turbo"), so that names that share a
 * beginning stay apart. Returns the columns used. */
int ovl_shorten_middle(const char *s, int w, char *out, size_t outlen);

#endif
