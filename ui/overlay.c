/* overlay.c: the box and the word wrapping every overlay shares
 * (overlay.h). */
#include "config.h"
#include "overlay.h"

#include <stdbool.h>
#include <string.h>

#include "text/width.h"

void ovl_box(ui *u, rect r, const char *title, const char *foot)
{
    if (r.h < 2 || r.w < 4)
        return;
    int a = ui_style(u, THEME_HELP), b = ui_style(u, THEME_BORDER);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, a);
    attrset(b);
    mvhline(r.y, r.x + 1, ACS_HLINE, r.w - 2);
    mvhline(r.y + r.h - 1, r.x + 1, ACS_HLINE, r.w - 2);
    mvvline(r.y + 1, r.x, ACS_VLINE, r.h - 2);
    mvvline(r.y + 1, r.x + r.w - 1, ACS_VLINE, r.h - 2);
    mvaddch(r.y, r.x, ACS_ULCORNER);
    mvaddch(r.y, r.x + r.w - 1, ACS_URCORNER);
    mvaddch(r.y + r.h - 1, r.x, ACS_LLCORNER);
    mvaddch(r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
    attrset(A_NORMAL);
    int k = ui_style(u, THEME_HELP_KEY);
    if (title && r.w > 6)
        ui_text(u, r.y, r.x + 2, r.w - 4, title, strlen(title), k);
    if (foot && r.w > 6)
        ui_text(u, r.y + r.h - 1, r.x + 2, r.w - 4, foot, strlen(foot), ui_style(u, THEME_META));
}

size_t ovl_wrap(const char *s, size_t len, int w, size_t *next)
{
    if (w < 1)
        w = 1;
    size_t i = 0, brk = 0, brk_next = 0;
    int col = 0;
    while (i < len) {
        if (s[i] == '\n') {
            *next = i + 1;
            return i;
        }
        int cw = 0;
        size_t n = tw_cluster_next(s + i, len - i, &cw);
        if (n == 0)
            n = 1;
        if (col + cw > w) {
            if (s[i] == ' ') { /* the break falls on a space: drop the spaces */
                size_t j = i;
                while (j < len && s[j] == ' ')
                    j++;
                *next = j;
                return i;
            }
            if (brk > 0) {
                *next = brk_next;
                return brk;
            }
            if (i == 0) /* one cluster wider than the line: it goes alone */
                i = n;
            *next = i;
            return i;
        }
        if (s[i] == ' ') {
            brk = i;
            size_t j = i;
            while (j < len && s[j] == ' ')
                j++;
            brk_next = j;
        }
        col += cw;
        i += n;
    }
    *next = len;
    return len;
}

int ovl_wrap_lines(const char *s, int w)
{
    size_t len = strlen(s), at = 0;
    int n = 0;
    do {
        size_t next;
        ovl_wrap(s + at, len - at, w, &next);
        at += next;
        n++;
    } while (at < len);
    return n;
}

int ovl_shorten_middle(const char *s, int w, char *out, size_t outlen)
{
    size_t len = strlen(s);
    int total = (int)tw_str_width(s, len);
    if (outlen == 0)
        return 0;
    if (total <= w || w < 3) {
        size_t n = total <= w ? len : 0, cut = 0;
        if (w >= 1 && total > w) { /* too narrow for an ellipsis: the start */
            int col = 0, cw;
            for (size_t i = 0; i < len; i += n) {
                n = tw_cluster_next(s + i, len - i, &cw);
                if (n == 0 || col + cw > w)
                    break;
                col += cw;
                cut = i + n;
            }
            n = cut;
        }
        if (n >= outlen)
            n = outlen - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return (int)tw_str_width(out, n);
    }
    int tail_w = (w - 1) / 2, head_w = w - 1 - tail_w;
    size_t head_end = 0, tail_start = len;
    int col = 0;
    bool tail_found = false;
    for (size_t i = 0; i < len;) {
        int cw;
        size_t n = tw_cluster_next(s + i, len - i, &cw);
        if (n == 0)
            n = 1;
        if (col + cw <= head_w)
            head_end = i + n;
        if (!tail_found && total - col <= tail_w) {
            tail_start = i;
            tail_found = true;
        }
        col += cw;
        i += n;
    }
    size_t tail = len - tail_start;
    if (head_end + 3 + tail >= outlen) {
        out[0] = '\0';
        return 0;
    }
    memcpy(out, s, head_end);
    memcpy(out + head_end, "\xE2\x80\xA6", 3);
    memcpy(out + head_end + 3, s + tail_start, tail);
    out[head_end + 3 + tail] = '\0';
    return (int)tw_str_width(out, strlen(out));
}
