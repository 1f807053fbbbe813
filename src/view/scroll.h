/* scroll.h: scrolling a list of variable-height items (a conversation's
 * messages) without walking the whole list.
 *
 * The position is an anchor: the item at the top of the viewport and how
 * many of its lines are scrolled past. While following the bottom the
 * anchor is recomputed from the end, so new text stays in view; once the
 * user scrolls up, the anchor stays put as items are added below, and
 * new_below counts them ("N new below"). Every operation visits only the
 * items it moves over, so its cost does not grow with the history. */
#ifndef AIDESK_VIEW_SCROLL_H
#define AIDESK_VIEW_SCROLL_H

#include <stdbool.h>
#include <stddef.h>

/* The height in lines of item i at the current width (at least 1). */
typedef int (*scroll_height_fn)(void *ud, size_t i);

typedef struct scroll_state {
    bool follow;      /* stuck to the bottom */
    size_t top;       /* anchor item (when not following) */
    int top_skip;     /* lines of it scrolled past */
    size_t new_below; /* items added since the user scrolled up */
} scroll_state;

/* What the viewport shows: from line `skip` of item `first`, `rows` rows. */
typedef struct scroll_view {
    size_t first;
    int skip;
    bool at_bottom;
} scroll_view;

void scroll_init(scroll_state *s);
/* Where the viewport of `rows` lines starts, given n items. */
scroll_view scroll_resolve(scroll_state *s, size_t n, int rows, scroll_height_fn h, void *ud);
/* Moves by delta lines (negative: up). Scrolling down to the bottom starts
 * following again. */
void scroll_by(scroll_state *s, size_t n, int rows, int delta, scroll_height_fn h, void *ud);
void scroll_home(scroll_state *s, size_t n);
void scroll_end(scroll_state *s);
/* count items were appended. */
void scroll_added(scroll_state *s, size_t count);

#endif
