/* compare_layout.h: where the columns of a model comparison go.
 *
 *   +--------------------------------------------------------------+
 *   | bar: "columns 4-6 of 12" (one line)                          |
 *   +--------------------+--------------------+--------------------+
 *   | header (metrics)   || header            || header            |
 *   | body (the answer)  || body              || body              |
 *   +--------------------+--------------------+--------------------+
 *   | (a second row of columns when the area is tall enough)       |
 *
 * 1 to 6 columns side by side, each at least CMPL_MIN_COL_W cells wide
 * (its left border included); more than fit on one row are stacked in rows
 * when the area is tall enough (each row at least CMPL_MIN_ROW_H lines),
 * and what still does not fit is paged: the page shows columns
 * [first, first + per_page) and the bar says which. Zoom shows one column
 * on the whole area.
 *
 * Every column but the first of a row has a one-cell border on its left
 * (box.x), every row but the first a one-line border on top (box.y); header
 * and body lie inside the box, below/right of those borders.
 *
 * Pure geometry, no curses: every rectangle lies inside the area, none
 * overlap, nothing has a negative size. */
#ifndef AIDESK_VIEW_COMPARE_LAYOUT_H
#define AIDESK_VIEW_COMPARE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "view/layout.h"

#define CMPL_MAX_COLS 12
#define CMPL_MAX_SIDE 6     /* columns side by side at most */
#define CMPL_MIN_COL_W 24   /* cells, border included */
#define CMPL_MIN_BODY_H 6   /* answer lines a stacked row keeps at least */

typedef struct compare_layout_opts {
    int ncols;         /* 1..CMPL_MAX_COLS (more are clamped) */
    int header_lines;  /* metrics lines above each answer (0..) */
    int zoom;          /* the column shown alone, or -1 */
    int first;         /* the first column shown (paging); clamped */
} compare_layout_opts;

typedef struct compare_layout_col {
    int index;         /* which column */
    rect box;          /* its whole cell, borders included */
    rect header;       /* the metrics lines */
    rect body;         /* the answer */
    bool border_left;  /* box.x is a border cell */
    bool border_top;   /* box.y is a border line */
} compare_layout_col;

typedef struct compare_layout {
    rect bar;          /* the page line (h 0 when there is no room) */
    compare_layout_col cols[CMPL_MAX_COLS];
    int nshown;        /* columns on screen: cols[0..nshown) */
    int first;         /* index of the first one shown (the clamped opts.first) */
    int per_row;       /* columns side by side */
    int rows;          /* rows of columns */
    int per_page;      /* per_row * rows, at most ncols */
    bool paged;        /* not every column is on screen */
} compare_layout;

/* Lays out o->ncols columns in area. */
void compare_layout_compute(rect area, const compare_layout_opts *o, compare_layout *out);

/* The page line: "columns 4-6 of 12", "column 2 of 5 (zoomed)", or
 * "3 columns"; writes into buf (n bytes) and returns it. */
const char *compare_layout_page_label(const compare_layout *l, int ncols, bool zoomed, char *buf, size_t n);

/* The first column to show so that col is on screen, moving from first as
 * little as possible (per_page from a layout computed with first). */
int compare_layout_first_for(int first, int per_page, int ncols, int col);

/* The first column of the next (dir > 0) or previous page. */
int compare_layout_page(int first, int per_page, int ncols, int dir);

/* The first of n lines a column of h rows shows while it follows its
 * answer. While the answer streams, the view moves up a quarter of its
 * height at once when the text reaches the bottom (a terminal's jump
 * scroll): twelve narrow columns moving a line at a time would change
 * every row of the screen in every frame, and give the eye no rest. The
 * last line is always on screen; once the answer is in, it is at the
 * bottom. */
int compare_layout_follow_top(int n, int h, bool streaming);

#endif
