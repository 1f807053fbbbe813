#include "config.h"
#include "view/layout.h"

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

void layout_compute(int rows, int cols, const layout_opts *o, layout *out)
{
    memset(out, 0, sizeof *out);
    if (rows < 1 || cols < 1)
        return;
    /* The input and the status bar come first: typing must always work. */
    int input_h = clamp(o->input_lines, 1, LAYOUT_MAX_INPUT_LINES);
    if (input_h > rows / 3)
        input_h = rows / 3 > 0 ? rows / 3 : 1;
    if (input_h > rows)
        input_h = rows;
    out->input = mk(rows - input_h, 0, input_h, cols);
    int status_h = rows - input_h >= 1 ? 1 : 0;
    out->status = mk(rows - input_h - status_h, 0, status_h, cols);
    int body_h = rows - input_h - status_h;

    out->sidebar_visible = !o->sidebar_hidden && cols >= LAYOUT_MIN_COLS_FOR_SIDEBAR && body_h > 0;
    int side_w = out->sidebar_visible ? clamp(cols / 4, 20, 32) : 0;
    out->sidebar = mk(0, 0, out->sidebar_visible ? body_h : 0, side_w);
    int main_x = side_w ? side_w + 1 : 0; /* one column for the border */
    int main_w = cols - main_x;

    int y = 0, left = body_h;
    int title_h = left >= 3 ? 1 : 0;
    out->title = mk(y, main_x, title_h, main_w);
    y += title_h;
    left -= title_h;

    int drafts_h = 0;
    if (o->drafts_open && left >= 6) {
        int want = 1 + (o->ndrafts > 0 ? o->ndrafts * 2 : 1);
        drafts_h = clamp(want, 2, left / 2);
    }
    int typing_h = o->typing && left - drafts_h >= 3 ? 1 : 0;
    int conv_h = left - drafts_h - typing_h;
    out->conv = mk(y, main_x, conv_h, main_w);
    y += conv_h;
    out->typing = mk(y, main_x, typing_h, main_w);
    y += typing_h;
    out->drafts = mk(y, main_x, drafts_h, main_w);
}

bool rect_contains(rect r, int y, int x)
{
    return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}
