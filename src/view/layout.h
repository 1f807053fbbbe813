/* layout.h: where each pane of the console goes, for a terminal size.
 *
 *   +---------+--------------------------------+
 *   | sidebar | title                          |
 *   |         | conversation                   |
 *   |         |                                |
 *   |         | typing preview (when typing)   |
 *   |         | drafts queue (when open)       |
 *   +---------+--------------------------------+
 *   | status bar                               |
 *   | input (1..5 lines)                       |
 *   +------------------------------------------+
 *
 * Pure geometry: no curses, so it is tested at many sizes. Every rectangle
 * lies inside the screen, none overlap, and a pane that does not fit has
 * zero height or width rather than a negative one. */
#ifndef AIDESK_VIEW_LAYOUT_H
#define AIDESK_VIEW_LAYOUT_H

#include <stdbool.h>

typedef struct rect {
    int y, x, h, w;
} rect;

typedef struct layout_opts {
    bool drafts_open;   /* the drafts queue is shown */
    int ndrafts;        /* how many drafts it lists */
    bool typing;        /* a typing preview is shown */
    int input_lines;    /* lines the input needs (1 or more) */
    bool sidebar_hidden; /* the user hid it */
} layout_opts;

typedef struct layout {
    rect sidebar, title, conv, typing, drafts, status, input;
    bool sidebar_visible;
} layout;

#define LAYOUT_MIN_COLS_FOR_SIDEBAR 60
#define LAYOUT_MAX_INPUT_LINES 5

void layout_compute(int rows, int cols, const layout_opts *o, layout *out);

/* Whether rectangle r contains the cell (y, x). */
bool rect_contains(rect r, int y, int x);

#endif
