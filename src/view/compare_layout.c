/* compare_layout.c: see compare_layout.h. */
#include "config.h"
#include "view/compare_layout.h"

#include <stdio.h>
#include <string.h>

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static rect mk(int y, int x, int h, int w)
{
    rect r = {y, x, h < 0 ? 0 : h, w < 0 ? 0 : w};
    return r;
}

/* Fills one column's rectangles from its box. */
static void place(compare_layout_col *c, int index, rect box, bool left, bool top, int header_lines)
{
    c->index = index;
    c->box = box;
    c->border_left = left && box.w > 1;
    c->border_top = top && box.h > 1;
    int x = box.x + c->border_left, y = box.y + c->border_top;
    int w = box.w - c->border_left, h = box.h - c->border_top;
    int hh = clamp(header_lines, 0, h);
    c->header = mk(y, x, hh, w);
    c->body = mk(y + hh, x, h - hh, w);
}

void compare_layout_compute(rect area, const compare_layout_opts *o, compare_layout *out)
{
    memset(out, 0, sizeof *out);
    int n = clamp(o->ncols, 0, CMPL_MAX_COLS);
    if (n == 0 || area.h < 1 || area.w < 1)
        return;
    int y = area.y, h = area.h;
    if (h >= 3) {
        out->bar = mk(y, area.x, 1, area.w);
        y++;
        h--;
    }
    int hdr = o->header_lines > 0 ? o->header_lines : 0;
    if (o->zoom >= 0 && o->zoom < n) {
        out->nshown = out->per_row = out->rows = out->per_page = 1;
        out->first = o->zoom;
        out->paged = n > 1;
        place(&out->cols[0], o->zoom, mk(y, area.x, h, area.w), false, false, hdr);
        return;
    }
    int fit = clamp(area.w / CMPL_MIN_COL_W, 1, CMPL_MAX_SIDE);
    int row_min = hdr + CMPL_MIN_BODY_H;
    int rows_fit = h >= row_min ? 1 + (h - row_min) / (row_min + 1) : 1;
    if (n <= fit) {
        out->per_row = n;
        out->rows = 1;
    } else {
        int rows_needed = (n + fit - 1) / fit;
        out->rows = rows_needed < rows_fit ? rows_needed : rows_fit;
        /* All on one page: spread them evenly over the rows. */
        out->per_row = out->rows == rows_needed ? (n + out->rows - 1) / out->rows : fit;
    }
    out->per_page = out->per_row * out->rows < n ? out->per_row * out->rows : n;
    out->first = clamp(o->first, 0, n - out->per_page);
    out->paged = out->per_page < n;
    out->nshown = out->per_page;

    int shown = 0;
    for (int r = 0; r < out->rows && shown < out->nshown; r++) {
        /* Rows share the height; the first ones take the remainder. */
        int rh = h / out->rows + (r < h % out->rows ? 1 : 0);
        int ry = y + r * (h / out->rows) + (r < h % out->rows ? r : h % out->rows);
        int x = area.x;
        for (int k = 0; k < out->per_row && shown < out->nshown; k++) {
            int cw = area.w / out->per_row + (k < area.w % out->per_row ? 1 : 0);
            place(&out->cols[shown], out->first + shown, mk(ry, x, rh, cw), k > 0, r > 0, hdr);
            x += cw;
            shown++;
        }
    }
    out->nshown = shown;
}

const char *compare_layout_page_label(const compare_layout *l, int ncols, bool zoomed, char *buf, size_t n)
{
    if (zoomed && l->nshown == 1)
        snprintf(buf, n, "column %d of %d (zoomed)", l->first + 1, ncols);
    else if (l->paged && l->nshown == 1)
        snprintf(buf, n, "column %d of %d", l->first + 1, ncols);
    else if (l->paged)
        snprintf(buf, n, "columns %d-%d of %d", l->first + 1, l->first + l->nshown, ncols);
    else
        snprintf(buf, n, "%d column%s", ncols, ncols == 1 ? "" : "s");
    return buf;
}

int compare_layout_first_for(int first, int per_page, int ncols, int col)
{
    if (per_page < 1)
        per_page = 1;
    if (col < first)
        first = col;
    else if (col >= first + per_page)
        first = col - per_page + 1;
    return clamp(first, 0, ncols - per_page > 0 ? ncols - per_page : 0);
}

int compare_layout_page(int first, int per_page, int ncols, int dir)
{
    if (per_page < 1)
        per_page = 1;
    int next = first + (dir > 0 ? per_page : dir < 0 ? -per_page : 0);
    return clamp(next, 0, ncols - per_page > 0 ? ncols - per_page : 0);
}

int compare_layout_follow_top(int n, int h, bool streaming)
{
    if (h < 1 || n <= h)
        return n > h ? n - 1 : 0;
    if (!streaming)
        return n - h;
    int jump = h / 4 > 1 ? h / 4 : 1;
    return (n - h + jump - 1) / jump * jump;
}
