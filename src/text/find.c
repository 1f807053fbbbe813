/* find.c: /search over the displayed lines of a view. */
#include "config.h"

#include <string.h>

#include "text/view_priv.h"
#include "text/width.h"
#include "util/buf.h"

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool match_at(const char *s, const char *needle, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lower(needle[i]))
            return false;
    return true;
}

/* The column where byte b of the line's concatenated spans starts. */
static int col_of(const text_view *v, const wrap_line *l, size_t b)
{
    const wrap_span *sp = text_view_spans(v, l);
    const char *text = v->doc.text.data;
    size_t at = 0;
    for (uint32_t k = 0; k < l->count; k++) {
        if (b < at + sp[k].len || k + 1 == l->count)
            return sp[k].col + (int)tw_str_width(text + sp[k].off, b - at);
        at += sp[k].len;
    }
    return 0;
}

/* The column just after the cluster holding the byte before b. */
static int end_col_of(const text_view *v, const wrap_line *l, size_t b)
{
    const wrap_span *sp = text_view_spans(v, l);
    const char *text = v->doc.text.data;
    size_t at = 0;
    for (uint32_t k = 0; k < l->count; k++) {
        if (b <= at + sp[k].len) {
            size_t x = 0;
            int c = sp[k].col, w;
            while (x < b - at) {
                x += tw_cluster_next(text + sp[k].off + x, sp[k].len - x, &w);
                c += w;
            }
            return c;
        }
        at += sp[k].len;
    }
    return l->width;
}

/* In line li: the leftmost match starting at a column >= lo (forward) or
 * the rightmost starting at a column < hi (backward). */
static bool in_line(const text_view *v, size_t li, const char *needle, int dir, int lo, int hi,
                    buf_t *scratch, text_match *m)
{
    const wrap_line *l = text_view_line(v, li);
    const wrap_span *sp = text_view_spans(v, l);
    size_t n = strlen(needle);
    buf_clear(scratch);
    for (uint32_t k = 0; k < l->count; k++)
        buf_append(scratch, v->doc.text.data + sp[k].off, sp[k].len);
    const char *s = scratch->data;
    if (!s || scratch->len < n)
        return false;
    bool found = false;
    for (size_t i = 0; i + n <= scratch->len; i++) {
        if ((s[i] & 0xC0) == 0x80 || !match_at(s + i, needle, n))
            continue; /* matches start on a character */
        int col = col_of(v, l, i);
        if (dir == TEXT_FORWARD ? col < lo : col >= hi)
            continue;
        m->line = li;
        m->col = col;
        m->end_col = end_col_of(v, l, i + n);
        found = true;
        if (dir == TEXT_FORWARD)
            break;
    }
    return found;
}

/* Searches from line, where only columns after (forward) or before
 * (backward) col count when bounded. */
static bool search(const text_view *v, const char *needle, size_t line, int dir, bool bounded,
                   int col, text_match *m)
{
    size_t count = v->out.nlines;
    if (!needle || !*needle || count == 0)
        return false;
    if (line >= count) {
        if (dir == TEXT_FORWARD)
            return false;
        line = count - 1;
        bounded = false;
    }
    buf_t scratch = BUF_INIT;
    bool found = false;
    size_t li = line;
    for (;;) {
        int lo = 0, hi = WRAP_MAX_WIDTH + 1;
        if (li == line && bounded) {
            if (dir == TEXT_FORWARD)
                lo = col + 1;
            else
                hi = col;
        }
        if (in_line(v, li, needle, dir, lo, hi, &scratch, m)) {
            found = true;
            break;
        }
        if (dir == TEXT_FORWARD ? li + 1 >= count : li == 0)
            break;
        li = dir == TEXT_FORWARD ? li + 1 : li - 1;
    }
    buf_free(&scratch);
    return found;
}

bool text_find(const text_view *v, const char *needle, size_t from_line, int dir, text_match *m)
{
    return search(v, needle, from_line, dir == TEXT_BACKWARD ? TEXT_BACKWARD : TEXT_FORWARD, false,
                  0, m);
}

bool text_find_next(const text_view *v, const char *needle, const text_match *at, int dir,
                    text_match *m)
{
    return search(v, needle, at->line, dir == TEXT_BACKWARD ? TEXT_BACKWARD : TEXT_FORWARD, true,
                  at->col, m);
}
