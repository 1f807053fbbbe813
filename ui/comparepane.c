/* comparepane.c: the selected comparison: N models side by side,
 * streaming live with their metrics; paging, zoom, per-column scrolling,
 * votes and reruns from the keys. */
#include "config.h"
#include "overlay.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/width.h"
#include "util/clock.h"
#include "util/mem.h"
#include "view/compare_layout.h"

#define HEADER_LINES 3

/* The pane, and what it drew last: with the same comparison in the same
 * place on a screen not erased since, only the rows of an answer that
 * changed are drawn again (the rest of stdscr still holds them). */
typedef struct cmppane {
    pane p; /* first: the frame knows only this */
    const cmpui *drawn_k;
    unsigned drawn_epoch;
    rect drawn_r;
    compare_layout drawn_l;
    int drawn_stats;
    bool drawn_empty;
    bool valid;
    /* Per column on screen: what each row of its answer showed. */
    uint64_t *rowsig[CMPL_MAX_COLS];
    int nrowsig[CMPL_MAX_COLS];
} cmppane;

/* ------------------------------------------------------------- drawing */

/* Brings column i's view up to date with the comparison. */
static text_view *col_view(cmpui *k, size_t i)
{
    cmpcol *cc = &k->cols[i];
    unsigned rev = compare_col_rev(k->c, i);
    size_t turns = compare_nturns(k->c);
    const buf_t *t = compare_col_text(k->c, i);
    if (!cc->v)
        cc->v = text_view_new();
    else if (cc->rev == rev && cc->turns == turns)
        return cc->v;
    bool rebuild = cc->turns != turns || t->len < cc->fed;
    if (rebuild) {
        /* Earlier turns, then this turn's prompt: the column's history. */
        text_view_reset(cc->v);
        buf_t b = BUF_INIT;
        for (size_t turn = 0; turn < turns; turn++) {
            const char *q = compare_turn_prompt(k->c, turn);
            buf_printf(&b, "> **you:** %s\n\n", q ? q : "");
            if (turn + 1 < turns)
                buf_printf(&b, "%s\n\n---\n\n", compare_col_answer(k->c, i, turn));
        }
        text_view_append(cc->v, b.data ? b.data : "", b.len);
        buf_free(&b);
        cc->fed = 0;
        cc->turns = turns;
    }
    if (t->len > cc->fed) {
        text_view_append(cc->v, t->data + cc->fed, t->len - cc->fed);
        cc->fed = t->len;
    }
    cc->rev = rev;
    return cc->v;
}

static int state_style(compare_state s)
{
    switch (s) {
    case COMPARE_STREAMING:
    case COMPARE_WAITING: return THEME_STATE_STREAMING;
    case COMPARE_DONE: return THEME_STATUS_OK;
    case COMPARE_FAILED:
    case COMPARE_CANCELLED: return THEME_STATE_FAILED;
    default: return THEME_META;
    }
}

static void draw_header(ui *u, cmpui *k, const compare_layout_col *col, const bool *fast, const bool *high,
                        int64_t now_us)
{
    size_t i = (size_t)col->index;
    rect h = col->header;
    bool sel = (int)i == k->sel;
    int ta = ui_style(u, sel ? THEME_SIDEBAR_SELECTED : THEME_TITLE);
    for (int y = 0; y < h.h; y++)
        ui_blank(u, h.y + y, h.x, h.w, y == 0 ? ta : ui_style(u, THEME_DEFAULT));
    char tmp[256];
    const char *name = compare_col_name(k->c, i);
    const char *prov = compare_col_provider(k->c, i);
    compare_state st = compare_col_state(k->c, i);
    /* The state keeps its place at the right; the name gives way. */
    const char *sn = compare_state_name(st);
    int sw = h.w > (int)strlen(sn) + 6 ? (int)strlen(sn) + 1 : 0;
    int end = h.x + h.w - sw - 1;
    int x = h.x;
    /* The provider when there is room for it; else the name alone,
     * shortened in the middle: names of one family share their start
     * (meta-llama/..., accounts/fireworks/...) and differ at the end. */
    if (prov)
        snprintf(tmp, sizeof tmp, " (%s)", prov);
    if (prov && (int)(tw_str_width(name, strlen(name)) + tw_str_width(tmp, strlen(tmp))) <= end - x) {
        x += ui_text(u, h.y, x, end - x, name, strlen(name), ta | A_BOLD);
        ui_text(u, h.y, x, end - x, tmp, strlen(tmp), ta);
    } else {
        char nm[256];
        ovl_shorten_middle(name, end - x, nm, sizeof nm);
        ui_text(u, h.y, x, end - x, nm, strlen(nm), ta | A_BOLD);
    }
    if (sw)
        ui_text(u, h.y, h.x + h.w - sw, sw, sn, strlen(sn), ui_style(u, state_style(st)));
    if (h.h < 2)
        return;
    compare_metrics m;
    compare_col_metrics(k->c, i, now_us, &m);
    x = h.x;
    if (m.ttft_us >= 0)
        snprintf(tmp, sizeof tmp, "TTFT %lld ms", (long long)(m.ttft_us / 1000));
    else
        snprintf(tmp, sizeof tmp, "TTFT -");
    x += ui_text(u, h.y + 1, x, h.w, tmp, strlen(tmp), ui_style(u, fast[i] ? THEME_STATUS_OK : THEME_META) | (fast[i] ? A_BOLD : 0));
    if (m.tok_s >= 0)
        snprintf(tmp, sizeof tmp, "  %.0f tok/s", m.tok_s);
    else
        snprintf(tmp, sizeof tmp, "  - tok/s");
    x += ui_text(u, h.y + 1, x, h.x + h.w - x, tmp, strlen(tmp), ui_style(u, high[i] ? THEME_STATUS_OK : THEME_META) | (high[i] ? A_BOLD : 0));
    if (m.total_us >= 0) {
        snprintf(tmp, sizeof tmp, "  %.1f s", (double)m.total_us / 1e6);
        ui_text(u, h.y + 1, x, h.x + h.w - x, tmp, strlen(tmp), ui_style(u, THEME_META));
    }
    if (h.h < 3)
        return;
    const char *err = compare_col_error(k->c, i);
    if (st == COMPARE_FAILED && err) {
        ui_text(u, h.y + 2, h.x, h.w, err, strlen(err), ui_style(u, THEME_STATE_FAILED));
        return;
    }
    int rs, rw;
    compare_rounds(k->c, &rs, &rw);
    const char *fin = compare_col_finish(k->c, i);
    snprintf(tmp, sizeof tmp, "%s%lld/%s%lld tok%s%s%s", m.prompt_approx ? "~" : "",
             (long long)(m.prompt_tokens < 0 ? 0 : m.prompt_tokens), m.completion_approx ? "~" : "",
             (long long)(m.completion_tokens < 0 ? 0 : m.completion_tokens), fin ? "  " : "", fin ? fin : "",
             rw > 1 ? "" : "");
    x = h.x + ui_text(u, h.y + 2, h.x, h.w, tmp, strlen(tmp), ui_style(u, THEME_META));
    if (rw > 1) {
        snprintf(tmp, sizeof tmp, "  run %d/%d", rs, rw);
        ui_text(u, h.y + 2, x, h.x + h.w - x, tmp, strlen(tmp), ui_style(u, THEME_META));
    }
    if (h.h < 4 || rw <= 1)
        return;
    /* No room for the table of runs under the columns: each column says
     * its own median and spread. */
    compare_stats t, sp;
    compare_col_stats(k->c, i, &t, &sp);
    char a[64] = "TTFT -", b[64] = "";
    if (t.n)
        snprintf(a, sizeof a, "med %.0f ms (%.0f-%.0f)", t.median, t.min, t.max);
    if (sp.n)
        snprintf(b, sizeof b, "  %.0f tok/s (%.0f-%.0f)", sp.median, sp.min, sp.max);
    snprintf(tmp, sizeof tmp, "%s%s", a, b);
    ui_text(u, h.y + 3, h.x, h.w, tmp, strlen(tmp), ui_style(u, THEME_META));
}

static void draw_body(ui *u, cmppane *cp, int slot, cmpui *k, const compare_layout_col *col)
{
    size_t i = (size_t)col->index;
    rect b = col->body;
    if (b.h <= 0 || b.w <= 1)
        return;
    text_view *v = col_view(k, i);
    int n = (int)text_view_layout(v, b.w - 1);
    cmpcol *cc = &k->cols[i];
    compare_state st = compare_col_state(k->c, i);
    bool streaming = st == COMPARE_STREAMING || st == COMPARE_WAITING;
    int top = cc->follow ? compare_layout_follow_top(n, b.h, streaming) : cc->top;
    if (top > n - 1)
        top = n > 0 ? n - 1 : 0;
    cc->shown_top = top;
    if (cp->nrowsig[slot] != b.h) {
        free(cp->rowsig[slot]);
        cp->rowsig[slot] = xcalloc((size_t)b.h, sizeof *cp->rowsig[slot]);
        cp->nrowsig[slot] = b.h;
        cp->valid = false;
    }
    uint64_t *rs = cp->rowsig[slot];
    const char *text = text_view_text(v);
    bool more = !cc->follow && top + b.h < n;
    for (int y = 0; y < b.h; y++) {
        int li = top + y;
        bool cursor = li == n - 1 && streaming;
        bool marker = more && y == b.h - 1;
        uint64_t sig = 1469598103934665603ull ^ ((uint64_t)cursor << 1) ^ (uint64_t)marker;
        if (li < n)
            sig = text_view_line_sig(v, (size_t)li, sig);
        if (marker)
            sig = (sig ^ (uint64_t)(n - top - b.h)) * 1099511628211ull;
        /* 0 is never a row's signature: it marks a row to draw. */
        sig = sig ? sig : 1;
        if (cp->valid && rs[y] == sig)
            continue;
        rs[y] = sig;
        ui_blank(u, b.y + y, b.x, b.w, ui_style(u, THEME_DEFAULT));
        if (li < n) {
            const wrap_line *l = text_view_line(v, (size_t)li);
            const wrap_span *sp = text_view_spans(v, l);
            for (uint32_t s = 0; s < l->count; s++) {
                int style = sp[s].kind == MD_PLACEHOLDER ? THEME_PLACEHOLDER
                            : sp[s].kind == MD_CODE || sp[s].kind == MD_CODE_BLOCK ? THEME_MD_CODE
                            : sp[s].kind == MD_QUOTE ? THEME_ROLE_YOU
                            : sp[s].kind == MD_HEADING ? THEME_MD_HEADING
                            : sp[s].kind == MD_LIST_MARKER ? THEME_MD_LISTMARKER
                            : THEME_ROLE_AI;
                int a = ui_style(u, style) | ((sp[s].attr & MD_ATTR_STRONG) ? A_BOLD : 0);
                ui_text_safe(u, b.y + y, b.x + sp[s].col, sp[s].width, text + sp[s].off, sp[s].len, a);
            }
            if (cursor && l->width + 1 < b.w)
                ui_text(u, b.y + y, b.x + l->width, 1, "\xE2\x96\x8C", 3, ui_style(u, THEME_STATE_STREAMING));
        }
        if (marker) {
            char tmp[40];
            int m = snprintf(tmp, sizeof tmp, " \xE2\x86\x93 %d more ", n - top - b.h);
            ui_text(u, b.y + b.h - 1, b.x + b.w - 14, 13, tmp, (size_t)m, ui_style(u, THEME_NEWBELOW));
        }
    }
}

/* The repeat-run summary: median and spread per model, at the bottom of
 * r. Returns its height (0: not shown); draws it only if draw. */
static int draw_stats(ui *u, cmpui *k, rect r, bool draw)
{
    int rs, rw;
    compare_rounds(k->c, &rs, &rw);
    size_t n = compare_ncols(k->c);
    int h = (int)n + 2;
    /* Only under columns that keep a readable answer; else each column's
     * header says its own figures (draw_header). */
    if (rw <= 1 || r.h - h < 1 + HEADER_LINES + CMPL_MIN_BODY_H)
        return 0;
    if (!draw)
        return h;
    int y = r.y + r.h - h;
    char tmp[512];
    attrset(ui_style(u, THEME_BORDER));
    mvhline(y, r.x, ACS_HLINE, r.w);
    snprintf(tmp, sizeof tmp, " %d of %d runs: median (min-max) ", rs, rw);
    ui_text(u, y, r.x + 2, r.w - 2, tmp, strlen(tmp), ui_style(u, THEME_TITLE));
    snprintf(tmp, sizeof tmp, " %-28s %-26s %s", "model", "TTFT ms", "tokens/s");
    ui_text(u, y + 1, r.x, r.w, tmp, strlen(tmp), ui_style(u, THEME_META));
    for (size_t i = 0; i < n; i++) {
        compare_stats t, s;
        compare_col_stats(k->c, i, &t, &s);
        char a[64] = "-", b2[64] = "-";
        if (t.n)
            snprintf(a, sizeof a, "%.0f (%.0f-%.0f)", t.median, t.min, t.max);
        if (s.n)
            snprintf(b2, sizeof b2, "%.0f (%.0f-%.0f)", s.median, s.min, s.max);
        char nm[128];
        int nw = ovl_shorten_middle(compare_col_name(k->c, i), 28, nm, sizeof nm);
        int pad = nw < 28 ? 28 - nw : 0;
        snprintf(tmp, sizeof tmp, " %.127s%*s %-26.63s %.63s", nm, pad, "", a, b2);
        ui_blank(u, y + 2 + (int)i, r.x, r.w, ui_style(u, THEME_DEFAULT));
        ui_text(u, y + 2 + (int)i, r.x, r.w, tmp, strlen(tmp), ui_style(u, THEME_DEFAULT));
    }
    return h;
}

static void draw(pane *p, ui *u)
{
    cmppane *cp = (cmppane *)p;
    cmpui *k = u->cur_cmp;
    rect r = p->r;
    if (!k || r.h <= 2 || r.w <= 4) {
        ui_blank_rect(u, r);
        cp->drawn_k = NULL;
        return;
    }
    int n = (int)compare_ncols(k->c);
    int64_t now_us = clock_mono_us();
    int rs, rw;
    compare_rounds(k->c, &rs, &rw);
    /* The table of runs, if any, is at the bottom; its height is known
     * before it is drawn, so the answers above it can be laid out first. */
    int stats = draw_stats(u, k, r, false);
    r.h -= stats;
    compare_layout_opts o = {n, HEADER_LINES + (rw > 1 && !stats), k->zoom, k->first};
    compare_layout l;
    memset(&l, 0, sizeof l);
    compare_layout_compute(r, &o, &l);
    k->first = l.first;
    /* Keep the selected column on screen. */
    if (k->zoom < 0 && (k->sel < l.first || k->sel >= l.first + l.nshown)) {
        k->first = compare_layout_first_for(l.first, l.per_page, n, k->sel);
        o.first = k->first;
        memset(&l, 0, sizeof l);
        compare_layout_compute(r, &o, &l);
    }
    bool empty = n == 0 || compare_nturns(k->c) == 0;
    /* Rows kept from the last draw are still on screen only if nothing
     * erased or moved them. */
    cp->valid = cp->valid && cp->drawn_k == k && cp->drawn_epoch == u->erase_epoch &&
                !memcmp(&cp->drawn_r, &p->r, sizeof p->r) && cp->drawn_stats == stats &&
                cp->drawn_empty == empty && !memcmp(&cp->drawn_l, &l, sizeof l);
    if (!cp->valid)
        ui_blank_rect(u, p->r);
    draw_stats(u, k, p->r, true);
    bool fast[COMPARE_MAX_COLS] = {false}, high[COMPARE_MAX_COLS] = {false};
    compare_winners(k->c, now_us, fast, high);
    if (l.bar.h > 0) {
        char lab[64], head[200];
        compare_layout_page_label(&l, n, k->zoom >= 0, lab, sizeof lab);
        snprintf(head, sizeof head, "%s%s  turn %zu%s   ", lab,
                 compare_blind(k->c) && !compare_revealed(k->c) ? "  blind" : "", compare_nturns(k->c),
                 compare_busy(k->c) ? "  running" : "");
        pane_hint_line(p, u, l.bar.y, l.bar.x, l.bar.w, ui_style(u, THEME_STATUS), true, head,
                       "Right/Left: work with the columns");
    }
    attrset(ui_style(u, THEME_BORDER));
    for (int c = 0; c < l.nshown; c++) {
        const compare_layout_col *col = &l.cols[c];
        if (col->border_left)
            mvvline(col->box.y, col->box.x, ACS_VLINE, col->box.h);
        if (col->border_top)
            mvhline(col->box.y, col->box.x, ACS_HLINE, col->box.w);
    }
    for (int c = 0; c < l.nshown; c++) {
        draw_header(u, k, &l.cols[c], fast, high, now_us);
        draw_body(u, cp, c, k, &l.cols[c]);
    }
    if (empty) {
        const char *s = "Type the prompt below: every model answers it at once.";
        ui_text(u, r.y + r.h / 2, r.x + 2, r.w - 2, s, strlen(s), ui_style(u, THEME_META));
    }
    /* What the rows now show (draw_body may have found a column's rows
     * new, which draws all of them this once). */
    cp->drawn_k = k;
    cp->drawn_epoch = u->erase_epoch;
    cp->drawn_r = p->r;
    cp->drawn_l = l;
    cp->drawn_stats = stats;
    cp->drawn_empty = empty;
    cp->valid = true;
}

/* ----------------------------------------------------------------- keys */

static void scroll_col(cmpcol *cc, int delta, int body_h)
{
    int n = cc->v ? (int)text_view_line_count(cc->v) : 0;
    /* From what the column shows (a jump-scrolled one may show less than
     * a screenful). */
    int top = cc->follow ? cc->shown_top : cc->top;
    top += delta;
    if (top < 0)
        top = 0;
    if (top >= n - body_h) {
        cc->follow = true;
        return;
    }
    cc->follow = false;
    cc->top = top;
}

static int body_height(pane *p)
{
    int h = p->r.h - 1 - HEADER_LINES;
    return h > 1 ? h : 1;
}

static cmpui *shown_cmp(ui *u)
{
    if (!u->cur_cmp)
        ui_focus(u, NULL); /* nothing to work with */
    return u->cur_cmp;
}

static void key_column(pane *p, ui *u, int key)
{
    (void)p;
    cmpui *k = shown_cmp(u);
    if (!k)
        return;
    int n = (int)compare_ncols(k->c);
    if (key == K_FN(KEY_LEFT))
        k->sel = k->sel > 0 ? k->sel - 1 : n - 1;
    else
        k->sel = k->sel + 1 < n ? k->sel + 1 : 0;
}

static void key_page_all(pane *p, ui *u, int key)
{
    cmpui *k = shown_cmp(u);
    if (!k)
        return;
    int d = (key == K_FN(KEY_PPAGE) ? -1 : 1) * (body_height(p) - 1);
    for (int i = 0; i < (int)compare_ncols(k->c); i++)
        scroll_col(&k->cols[i], d, body_height(p));
}

static void key_page_one(pane *p, ui *u, int key)
{
    cmpui *k = shown_cmp(u);
    if (k)
        scroll_col(&k->cols[k->sel], (key == '[' ? -1 : 1) * (body_height(p) - 1), body_height(p));
}

static void key_zoom(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    cmpui *k = shown_cmp(u);
    if (k)
        k->zoom = k->zoom == k->sel ? -1 : k->sel;
}

static void key_rerun(pane *p, ui *u, int key)
{
    (void)p;
    cmpui *k = shown_cmp(u);
    if (k && key == 'R')
        compare_rerun(k->c, -1);
    else if (k && !compare_rerun(k->c, k->sel))
        desk_flash(u->desk, true, "nothing to re-run in this column yet");
}

static void key_cancel(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    cmpui *k = shown_cmp(u);
    if (k)
        compare_cancel(k->c, -1);
}

static void key_vote(pane *p, ui *u, int key)
{
    (void)p;
    cmpui *k = shown_cmp(u);
    if (k && key == 't')
        compare_vote(k->c, -1);
    else if (k && compare_vote(k->c, k->sel))
        desk_flash(u->desk, false, "voted for %s", compare_col_name(k->c, (size_t)k->sel));
}

static void key_page(pane *p, ui *u, int key)
{
    cmpui *k = shown_cmp(u);
    if (!k)
        return;
    compare_layout l;
    int n = (int)compare_ncols(k->c);
    compare_layout_opts o = {n, HEADER_LINES, -1, k->first};
    compare_layout_compute(p->r, &o, &l);
    k->first = compare_layout_page(k->first, l.per_page, n, key == 'n' ? 1 : -1);
}

static void key_type(pane *p, ui *u, int key)
{
    (void)p;
    ui_focus(u, NULL);
    if (key == '/')
        input_set_text(u, "/");
}

/* Esc stops the selected column while it runs, else gives the keys back. */
static void key_esc(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    cmpui *k = shown_cmp(u);
    if (!k)
        return;
    compare_state st = compare_col_state(k->c, (size_t)k->sel);
    if (st == COMPARE_WAITING || st == COMPARE_STREAMING)
        compare_cancel(k->c, k->sel);
    else
        ui_focus(u, NULL);
}

static const pane_key keys[] = {
    {K_FN(KEY_LEFT), "<-/->", "column", key_column},
    {K_FN(KEY_RIGHT), NULL, NULL, key_column},
    {K_FN(KEY_PPAGE), "PgUp/PgDn", "all", key_page_all},
    {K_FN(KEY_NPAGE), NULL, NULL, key_page_all},
    {'[', "[ ]", "one", key_page_one},
    {']', NULL, NULL, key_page_one},
    {'z', "z", "zoom", key_zoom},
    {'r', "r/R", "rerun", key_rerun},
    {'R', NULL, NULL, key_rerun},
    {'c', "c", "cancel all", key_cancel},
    {'v', "v", "vote", key_vote},
    {'t', "t", "tie", key_vote},
    {'n', "n/p", "page", key_page},
    {'p', NULL, NULL, key_page},
    {'\r', "Enter", "type", key_type},
    {'\n', NULL, NULL, key_type},
    {'/', NULL, NULL, key_type},
    {K_ESC, NULL, NULL, key_esc},
    {0, NULL, NULL, NULL},
};

/* Every other key but the F-keys stops here too. */
static bool key(pane *p, ui *u, int k)
{
    (void)p;
    (void)u;
    return !K_IS_FKEY(k);
}

/* The arrows on an empty input line give the columns the keys. */
static bool claim(pane *p, ui *u, int k)
{
    if (!u->cur_cmp || (k != K_FN(KEY_LEFT) && k != K_FN(KEY_RIGHT)))
        return false;
    ui_focus(u, p);
    return true;
}

/* Esc on the input line stops every column. */
static bool from_line(pane *p, ui *u, int k, bool line_empty)
{
    (void)p;
    (void)line_empty;
    if (k != K_ESC || !u->cur_cmp || !compare_busy(u->cur_cmp->c))
        return false;
    compare_cancel(u->cur_cmp->c, -1);
    desk_flash(u->desk, false, "stopped every column");
    return true;
}

static void title(pane *p, ui *u, rect r)
{
    (void)p;
    if (!u->cur_cmp)
        return;
    int a = ui_style(u, THEME_TITLE);
    int x = r.x + 1 + ui_text(u, r.y, r.x + 1, r.w - 1, "Comparison", 10, a | A_BOLD);
    const char *t = compare_title(u->cur_cmp->c);
    ui_text(u, r.y, x + 2, r.x + r.w - x - 2, t, strlen(t), a);
}

static void cmppane_free(pane *p)
{
    cmppane *cp = (cmppane *)p;
    for (int i = 0; i < CMPL_MAX_COLS; i++)
        free(cp->rowsig[i]);
    free(cp);
}

static uint64_t sig(pane *p, ui *u)
{
    (void)p;
    return compares_sig(u) ^ (uint64_t)(uintptr_t)u->cur_cmp;
}

const pane_ops comparepane_ops = {
    .name = "compare",
    .slot = SLOT_MAIN,
    .draw = draw,
    .sig = sig,
    .keys = keys,
    .key = key,
    .claim = claim,
    .from_line = from_line,
    .title = title,
    .free = cmppane_free,
};

pane *comparepane_new(ui *u)
{
    (void)u;
    cmppane *cp = xcalloc(1, sizeof *cp);
    cp->p.ops = &comparepane_ops;
    return &cp->p;
}
