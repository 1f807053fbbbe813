#include "config.h"
#include "view/scroll.h"

void scroll_init(scroll_state *s)
{
    s->follow = true;
    s->top = 0;
    s->top_skip = 0;
    s->new_below = 0;
}

static int height(scroll_height_fn h, void *ud, size_t i)
{
    int v = h(ud, i);
    return v < 1 ? 1 : v;
}

/* The anchor that shows the last `rows` lines. */
static scroll_view bottom_view(size_t n, int rows, scroll_height_fn h, void *ud)
{
    scroll_view v = {0, 0, true};
    if (n == 0)
        return v;
    int left = rows;
    size_t i = n;
    while (i > 0 && left > 0) {
        int hi = height(h, ud, i - 1);
        if (hi >= left) {
            v.first = i - 1;
            v.skip = hi - left;
            return v;
        }
        left -= hi;
        i--;
    }
    v.first = 0;
    v.skip = 0;
    return v;
}

/* Whether the anchor (top, skip) leaves nothing below the viewport. */
static bool reaches_bottom(size_t n, size_t top, int skip, int rows, scroll_height_fn h, void *ud)
{
    int shown = 0;
    for (size_t i = top; i < n; i++) {
        shown += height(h, ud, i) - (i == top ? skip : 0);
        if (shown > rows)
            return false;
    }
    return true;
}

scroll_view scroll_resolve(scroll_state *s, size_t n, int rows, scroll_height_fn h, void *ud)
{
    if (s->follow || n == 0 || rows <= 0)
        return bottom_view(n, rows > 0 ? rows : 0, h, ud);
    if (s->top >= n) {
        s->top = n - 1;
        s->top_skip = 0;
    }
    int hi = height(h, ud, s->top);
    if (s->top_skip >= hi)
        s->top_skip = hi - 1;
    scroll_view v = {s->top, s->top_skip, false};
    /* Never leave blank space below when there is history above. */
    if (reaches_bottom(n, s->top, s->top_skip, rows, h, ud)) {
        scroll_view b = bottom_view(n, rows, h, ud);
        if (b.first < v.first || (b.first == v.first && b.skip < v.skip))
            v = b;
        v.at_bottom = true;
    }
    return v;
}

void scroll_by(scroll_state *s, size_t n, int rows, int delta, scroll_height_fn h, void *ud)
{
    if (n == 0)
        return;
    scroll_view v = scroll_resolve(s, n, rows, h, ud);
    size_t top = v.first;
    int skip = v.skip;
    if (delta < 0) {
        int up = -delta;
        while (up > 0) {
            if (skip >= up) {
                skip -= up;
                up = 0;
            } else if (top == 0) {
                skip = 0;
                up = 0;
            } else {
                up -= skip + 1;
                top--;
                skip = height(h, ud, top) - 1;
            }
        }
        s->follow = false;
        s->top = top;
        s->top_skip = skip;
        return;
    }
    int down = delta;
    while (down > 0 && top < n) {
        int left_in_item = height(h, ud, top) - skip;
        if (down < left_in_item) {
            skip += down;
            down = 0;
        } else {
            down -= left_in_item;
            top++;
            skip = 0;
        }
    }
    if (top >= n || reaches_bottom(n, top, skip, rows, h, ud)) {
        scroll_end(s);
        return;
    }
    s->follow = false;
    s->top = top;
    s->top_skip = skip;
}

void scroll_home(scroll_state *s, size_t n)
{
    if (n == 0)
        return;
    s->follow = false;
    s->top = 0;
    s->top_skip = 0;
}

void scroll_end(scroll_state *s)
{
    s->follow = true;
    s->new_below = 0;
}

void scroll_added(scroll_state *s, size_t count)
{
    if (!s->follow)
        s->new_below += count;
}
