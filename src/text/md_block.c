/* md_block.c: the line parser. Each line is classified from its own bytes
 * and the state left by the lines before it (never by lines after it), which
 * is what lets md_update restart at a block boundary. */
#include "config.h"

#include <string.h>

#include "text/md_priv.h"
#include "text/width.h"
#include "util/mem.h"

#define TAB_STOP 4
/* A paragraph is split into blocks (at a line break, where its inline
 * markup is closed) once it holds this much, and each time it doubles, so
 * that a long one streams at the cost of its last part. */
#define SPLIT_AT 1024u

/* Bullets by nesting depth: U+2022, U+25E6, U+25AA. */
static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA"};

/* Skips spaces and tabs from s[0]; *cols gets the columns skipped, tabs
 * counted to the next stop from column col0. */
static size_t skip_ws(const char *s, size_t len, size_t col0, size_t *cols)
{
    size_t i = 0, c = col0;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) {
        c = s[i] == '\t' ? (c / TAB_STOP + 1) * TAB_STOP : c + 1;
        i++;
    }
    *cols = c - col0;
    return i;
}

static uint16_t clamp16(size_t v)
{
    return v > 0xFFFF ? 0xFFFF : (uint16_t)v;
}

/* Where the content of the innermost container starts on screen. */
static uint16_t container_col(const md_state *st)
{
    return st->depth ? st->list[st->depth - 1].disp_content : (uint16_t)(2 * st->quote);
}

/* A line indented less than an item's text is not inside that item. */
static void pop_levels(md_state *st, size_t cols)
{
    while (st->depth && st->list[st->depth - 1].src_content > cols)
        st->depth--;
}

static void append_text(md_doc *d, const char *s, size_t n, uint8_t flags)
{
    struct md_priv *p = d->priv;
    if (n == 0)
        return;
    buf_append(&d->text, s, n);
    size_t need = d->text.len - p->content;
    if (need > p->attr_cap)
        p->attr = xgrow(p->attr, &p->attr_cap, need, 1);
    memset(p->attr + (need - n), flags, n);
}

/* The first placeholder that ends after off. */
static size_t first_ph(const struct md_priv *p, size_t off)
{
    size_t lo = 0, hi = p->nph;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->ph[mid].off + p->ph[mid].len <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Appends san[off, off+len) to the current block's text, marking
 * placeholders. Tabs become one space, or in code (tab_stops) spaces to the
 * next 4-column stop counted in display columns from the copy's start. */
static void copy(md_doc *d, size_t off, size_t len, bool tab_stops)
{
    struct md_priv *p = d->priv;
    const char *s = p->san.data;
    size_t k = first_ph(p, off), i = off, end = off + len, col = 0;
    while (i < end) {
        if (k < p->nph && p->ph[k].off <= i) {
            size_t e = p->ph[k].off + p->ph[k].len;
            e = e < end ? e : end;
            append_text(d, s + i, e - i, MDA_PH);
            col += tw_str_width(s + i, e - i);
            i = e;
            k++;
            continue;
        }
        size_t e = k < p->nph && p->ph[k].off < end ? p->ph[k].off : end;
        while (i < e) {
            const char *t = memchr(s + i, '\t', e - i);
            size_t stop = t ? (size_t)(t - s) : e;
            append_text(d, s + i, stop - i, 0);
            if (tab_stops)
                col += tw_str_width(s + i, stop - i);
            i = stop;
            if (t) {
                static const char spaces[TAB_STOP] = "    ";
                size_t n = tab_stops ? TAB_STOP - col % TAB_STOP : 1;
                append_text(d, spaces, n, 0);
                col += n;
                i++;
            }
        }
    }
}

static md_block *new_block(md_doc *d, const md_state *before, size_t off, uint8_t type,
                           size_t indent, size_t hang)
{
    struct md_priv *p = d->priv;
    md_state *st = &p->st;
    size_t cap = d->blocks_cap;
    d->blocks = xgrow(d->blocks, &d->blocks_cap, d->nblocks + 1, sizeof *d->blocks);
    if (d->blocks_cap != cap)
        p->states = xrealloc(p->states, d->blocks_cap * sizeof *p->states);
    p->states[d->nblocks] = *before;
    md_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->type = type;
    b->span_first = (uint32_t)d->nspans;
    b->src_off = (uint32_t)off;
    b->text_off = (uint32_t)d->text.len;
    b->indent = clamp16(indent);
    b->hang = clamp16(hang);
    b->quote = type == MD_BLOCK_CODE || type == MD_BLOCK_FENCE ? 0 : st->quote;
    if (st->blank) {
        unsigned bars = st->blank - 1u;
        b->blank = (uint8_t)(1 + (bars < b->quote ? bars : b->quote));
    }
    st->blank = 0;
    st->started = 1;
    p->content = (uint32_t)d->text.len;
    return b;
}

static uint8_t flow_kind(const md_doc *d)
{
    return d->blocks[d->nblocks - 1].quote ? MD_QUOTE : MD_TEXT;
}

/* The new block is a paragraph or item: it takes continuation lines. */
static void start_flow(md_doc *d, const md_block *b)
{
    struct md_priv *p = d->priv;
    p->pending = true;
    p->check_at = SPLIT_AT;
    p->st.open = 1;
    p->st.hang = b->hang;
}

void md_close_open(md_doc *d)
{
    struct md_priv *p = d->priv;
    p->st.open = 0;
    if (!p->pending)
        return;
    p->pending = false;
    md_inline(d, p->content, flow_kind(d), false);
}

/* Whether the pending block should end before the next line, which then
 * starts a block of its own that looks the same on screen. */
static bool split_here(md_doc *d)
{
    struct md_priv *p = d->priv;
    size_t have = d->text.len - p->content;
    if (have < p->check_at)
        return false;
    if (md_inline(d, p->content, flow_kind(d), true))
        return true;
    p->check_at = have < UINT32_MAX / 2 ? (uint32_t)(2 * have) : UINT32_MAX;
    return false;
}

/* A line inside a fence: the closing fence, or code. */
static void code_line(md_doc *d, const md_state *before, size_t off, size_t len)
{
    struct md_priv *p = d->priv;
    md_state *st = &p->st;
    const char *l = p->san.data + off;
    size_t cols, c = skip_ws(l, len, 0, &cols), n = 0;
    while (c + n < len && l[c + n] == st->fence)
        n++;
    if (cols <= st->fence_indent + 3u && n >= st->fence_len) {
        size_t rest;
        if (c + n + skip_ws(l + c + n, len - c - n, 0, &rest) == len) {
            st->fence = 0;
            return;
        }
    }
    /* Strip the fence's own indentation from its code. */
    size_t strip = 0, col = 0;
    while (strip < len && col < st->fence_indent && (l[strip] == ' ' || l[strip] == '\t')) {
        col = l[strip] == '\t' ? (col / TAB_STOP + 1) * TAB_STOP : col + 1;
        strip++;
    }
    size_t at = st->fence_col + 2u;
    new_block(d, before, off, MD_BLOCK_CODE, at, at);
    copy(d, off + strip, len - strip, true);
    md_plain(d, p->content, MD_CODE_BLOCK);
}

static bool open_fence(md_doc *d, const md_state *before, size_t off, const char *r, size_t rn,
                       size_t cols)
{
    struct md_priv *p = d->priv;
    md_state *st = &p->st;
    size_t limit = (st->depth ? st->list[st->depth - 1].src_content : 0) + 3u;
    char ch = r[0];
    if (st->quote || cols > limit || (ch != '`' && ch != '~'))
        return false;
    size_t n = 0;
    while (n < rn && r[n] == ch)
        n++;
    if (n < 3 || (ch == '`' && memchr(r + n, '`', rn - n)))
        return false;
    md_close_open(d);
    pop_levels(st, cols);
    st->fence = (uint8_t)ch;
    st->fence_len = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    st->fence_indent = clamp16(cols);
    st->fence_col = container_col(st);
    size_t ws, ls = n + skip_ws(r + n, rn - n, 0, &ws), le = ls;
    while (le < rn && r[le] != ' ' && r[le] != '\t')
        le++;
    if (le > ls) {
        size_t at = st->fence_col + 2u;
        new_block(d, before, off, MD_BLOCK_FENCE, at, at);
        copy(d, (size_t)(r - p->san.data) + ls, le - ls, false);
        md_plain(d, p->content, MD_CODE_BLOCK);
    }
    return true;
}

static bool heading(md_doc *d, const md_state *before, size_t off, const char *r, size_t rn,
                    size_t cols)
{
    struct md_priv *p = d->priv;
    size_t h = 0;
    while (h < rn && h < 7 && r[h] == '#')
        h++;
    if (cols > 3 || h == 0 || h > 6 || (h < rn && r[h] != ' ' && r[h] != '\t'))
        return false;
    size_t ws, s = h + skip_ws(r + h, rn - h, 0, &ws), e = rn;
    while (e > s && (r[e - 1] == ' ' || r[e - 1] == '\t'))
        e--;
    /* An optional closing run of '#' after a space. */
    size_t k = e;
    while (k > s && r[k - 1] == '#')
        k--;
    if (k == s || r[k - 1] == ' ' || r[k - 1] == '\t') {
        e = k;
        while (e > s && (r[e - 1] == ' ' || r[e - 1] == '\t'))
            e--;
    }
    md_close_open(d);
    pop_levels(&p->st, cols);
    size_t col = container_col(&p->st);
    md_block *b = new_block(d, before, off, MD_BLOCK_HEADING, col, col);
    b->level = (uint8_t)h;
    copy(d, (size_t)(r - p->san.data) + s, e - s, false);
    md_inline(d, p->content, MD_HEADING, false);
    return true;
}

/* The length of a list marker at r ("-", "*", "+", or up to 9 digits and
 * '.' or ')') followed by white space or the end; 0 if there is none. */
static size_t list_marker(const char *r, size_t rn, bool *numbered)
{
    size_t n = 0;
    *numbered = false;
    if (r[0] == '-' || r[0] == '*' || r[0] == '+') {
        n = 1;
    } else {
        while (n < rn && n < 10 && r[n] >= '0' && r[n] <= '9')
            n++;
        if (n == 0 || n > 9 || n == rn || (r[n] != '.' && r[n] != ')'))
            return 0;
        n++;
        *numbered = true;
    }
    return n == rn || r[n] == ' ' || r[n] == '\t' ? n : 0;
}

static bool item(md_doc *d, const md_state *before, size_t off, const char *r, size_t rn,
                 size_t cols)
{
    struct md_priv *p = d->priv;
    md_state *st = &p->st;
    bool numbered;
    size_t m = list_marker(r, rn, &numbered);
    if (m == 0)
        return false;
    md_close_open(d);
    while (st->depth && st->list[st->depth - 1].src_marker > cols)
        st->depth--;
    /* The same indentation is a sibling; the deepest level takes all
     * deeper items. */
    if (st->depth && (st->list[st->depth - 1].src_marker == cols || st->depth == MD_MAX_DEPTH))
        st->depth--;
    size_t parent = container_col(st);
    size_t ws, s = m + skip_ws(r + m, rn - m, cols + m, &ws);
    const char *mark = numbered ? r : bullets[st->depth % 3];
    size_t mlen = numbered ? m : strlen(mark), mw = numbered ? m : 1;
    md_level lv = {
        .src_marker = clamp16(cols),
        .src_content = clamp16(cols + m + (s == rn || ws > 4 ? 1 : ws)),
        .disp_content = clamp16(parent + mw + 1),
    };
    md_block *b = new_block(d, before, off, MD_BLOCK_ITEM, parent, lv.disp_content);
    b->level = st->depth;
    st->list[st->depth++] = lv;
    append_text(d, mark, mlen, 0);
    append_text(d, " ", 1, 0);
    md_add_span(d, p->content, (uint32_t)mlen, MD_LIST_MARKER, 0);
    md_add_span(d, p->content + (uint32_t)mlen, 1, MD_TEXT, 0);
    p->content = (uint32_t)d->text.len;
    copy(d, (size_t)(r - p->san.data) + s, rn - s, false);
    start_flow(d, b);
    return true;
}

static void process_line(md_doc *d, size_t off, size_t len)
{
    struct md_priv *p = d->priv;
    md_state *st = &p->st;
    const md_state before = *st;
    const char *l = p->san.data + off;
    if (st->fence) {
        code_line(d, &before, off, len);
        return;
    }
    size_t k = 0;
    unsigned q = 0;
    for (;;) {
        size_t j = k;
        while (j < len && j - k < 3 && l[j] == ' ')
            j++;
        if (j == len || l[j] != '>')
            break;
        q += q < MD_MAX_DEPTH;
        k = j + 1;
        if (k < len && (l[k] == ' ' || l[k] == '\t'))
            k++;
    }
    size_t cols, c = k + skip_ws(l + k, len - k, 0, &cols);
    if (c == len) {
        md_close_open(d);
        if (st->started)
            st->blank = (uint8_t)(1 + q);
        return;
    }
    if (q != st->quote) {
        md_close_open(d);
        st->depth = 0;
        st->quote = (uint8_t)q;
    }
    const char *r = l + c;
    size_t rn = len - c;
    if (heading(d, &before, off, r, rn, cols) || open_fence(d, &before, off, r, rn, cols) ||
        item(d, &before, off, r, rn, cols))
        return;
    if (st->open) {
        if (p->pending && !split_here(d)) {
            append_text(d, "\n", 1, 0); /* a line break within the paragraph */
            copy(d, off + c, rn, false);
            return;
        }
        /* A split, or a restart at the block a split began. */
        size_t hang = st->hang;
        md_close_open(d);
        start_flow(d, new_block(d, &before, off, MD_BLOCK_PARA, hang, hang));
        copy(d, off + c, rn, false);
        return;
    }
    pop_levels(st, cols);
    size_t col = container_col(st);
    start_flow(d, new_block(d, &before, off, MD_BLOCK_PARA, col, col));
    copy(d, off + c, rn, false);
}

static bool st_open(const struct md_priv *p)
{
    return p->st.open != 0;
}

void md_parse_lines(md_doc *d, size_t pos)
{
    struct md_priv *p = d->priv;
    const char *s = p->san.data;
    size_t n = p->san.len;
    while (pos < n) {
        const char *nl = memchr(s + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - s) : n;
        if (!nl)
            p->last_open = st_open(p);
        process_line(d, pos, end - pos);
        if (!nl)
            break;
        pos = end + 1;
        p->line_start = pos;
    }
    if (pos == n)
        p->last_open = st_open(p); /* the last line is the empty one after '\n' */
    md_close_open(d);
}
