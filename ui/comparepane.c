/* comparepane.c: one prompt, N models side by side, streaming live with
 * their metrics; paging, zoom, per-column scrolling, votes, reruns. */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/transcript.h"
#include "util/clock.h"
#include "util/mem.h"
#include "view/commands.h"
#include "view/compare_layout.h"

#define HEADER_LINES 3

/* ------------------------------------------------------------ the model */

static cmpui *cmpui_add(ui *u, compare_t *c, const char *title, int runs)
{
    cmpui *k = xcalloc(1, sizeof *k);
    k->c = c;
    k->title = xstrdup(title);
    k->zoom = -1;
    k->runs = runs > 1 ? runs : 1;
    for (size_t i = 0; i < COMPARE_MAX_COLS; i++)
        k->cols[i].follow = true;
    u->cmps = xgrow(u->cmps, &u->capcmps, u->ncmps + 1, sizeof *u->cmps);
    u->cmps[u->ncmps++] = k;
    return k;
}

static void cmpui_free(cmpui *k)
{
    for (size_t i = 0; i < COMPARE_MAX_COLS; i++)
        text_view_free(k->cols[i].v);
    compare_free(k->c);
    free(k->title);
    free(k);
}

void compares_free(ui *u)
{
    for (size_t i = 0; i < u->ncmps; i++)
        cmpui_free(u->cmps[i]);
    free(u->cmps);
    u->cmps = NULL;
    u->ncmps = 0;
    u->cur_cmp = NULL;
}

void ui_select_cmp(ui *u, cmpui *k)
{
    u->cur_cmp = k;
    u->cur = NULL;
    model_view(u->m, NULL);
    u->gate_view = false;
    u->dirty = true;
}

static char *title_for(const char *const *models, size_t n, bool blind)
{
    buf_t b = BUF_INIT;
    if (blind) {
        buf_printf(&b, "blind, %zu models", n);
    } else {
        for (size_t i = 0; i < n; i++)
            buf_printf(&b, "%s%s", i ? " vs " : "", models[i]);
    }
    return buf_steal(&b);
}

static cmpui *start(ui *u, const char *const *models, size_t n, bool blind, int runs)
{
    compare_t *c = compare_new(u->app, models, n, blind);
    if (!c) {
        app_flash(u->app, true, "/compare: give 1 to %d models", COMPARE_MAX_COLS);
        return NULL;
    }
    compare_set_max_tokens(c, u->cfg->max_tokens);
    char *t = title_for(models, n, blind);
    cmpui *k = cmpui_add(u, c, t, runs);
    free(t);
    ui_select_cmp(u, k);
    u->focus = FOCUS_INPUT;
    app_flash(u->app, false, "type the prompt: it goes to all %zu models%s", n,
              runs > 1 ? " (repeated)" : "");
    return k;
}

/* ------------------------------------------------------------ commands */

static void picked_models(ui *u, picker *p)
{
    const char *chosen[COMPARE_MAX_COLS];
    size_t n = 0;
    for (size_t i = 0; i < p->n && n < COMPARE_MAX_COLS; i++)
        if (p->chosen[i])
            chosen[n++] = p->items[i];
    if (n == 0) {
        app_flash(u->app, true, "no model chosen: Space marks a model, Enter starts");
        return;
    }
    start(u, chosen, n, p->blind, p->runs);
}

static void picked_saved(ui *u, picker *p)
{
    char *err = NULL;
    compare_t *c = compare_open(u->app, p->paths[p->sel], &err);
    if (!c) {
        app_flash(u->app, true, "reopening: %s", err);
        free(err);
        return;
    }
    cmpui *k = cmpui_add(u, c, p->items[p->sel], 1);
    ui_select_cmp(u, k);
}

static void open_picker(ui *u, picker *p)
{
    picker_free(u->pick);
    u->pick = p;
    u->focus = FOCUS_PICKER;
    u->dirty = true;
}

static void reopen_list(ui *u)
{
    store_transcript_info *v = NULL;
    size_t n = 0;
    char *err = NULL;
    if (store_transcript_list("compare", &v, &n, &err) != 0) {
        app_flash(u->app, true, "listing saved comparisons: %s", err);
        free(err);
        return;
    }
    if (n == 0) {
        app_flash(u->app, false, "no saved comparisons yet");
        store_transcript_list_free(v, n);
        return;
    }
    picker *p = xcalloc(1, sizeof *p);
    p->title = xstrdup("Reopen a comparison (Enter opens, Esc closes)");
    p->n = n;
    p->items = xcalloc(n + 1, sizeof *p->items);
    p->paths = xcalloc(n + 1, sizeof *p->paths);
    p->chosen = xcalloc(n, sizeof *p->chosen);
    for (size_t i = 0; i < n; i++) {
        p->items[i] = xstrdup(v[i].title ? v[i].title : v[i].path);
        p->paths[i] = xstrdup(v[i].path);
    }
    p->done = picked_saved;
    store_transcript_list_free(v, n);
    open_picker(u, p);
}

static void compare_cmd(ui *u, const cmd_parsed *p)
{
    int runs = 1;
    bool blind = false;
    const char *models[COMPARE_MAX_COLS];
    size_t n = 0;
    for (int i = 0; i < p->argc; i++) {
        const char *a = p->argv[i];
        if (!strcmp(a, "-n") && i + 1 < p->argc) {
            char *end;
            long v = strtol(p->argv[++i], &end, 10);
            if (*end || v < 1 || v > COMPARE_MAX_RUNS) {
                app_flash(u->app, true, "/compare -n: a number of runs from 1 to %d", COMPARE_MAX_RUNS);
                return;
            }
            runs = (int)v;
        } else if (!strcmp(a, "--blind")) {
            blind = true;
        } else if (n < COMPARE_MAX_COLS) {
            models[n++] = a;
        } else {
            app_flash(u->app, true, "/compare: at most %d models", COMPARE_MAX_COLS);
            return;
        }
    }
    if (n > 0) {
        start(u, models, n, blind, runs);
        return;
    }
    /* No models named: pick them from what the server offers. */
    size_t nm;
    const char *const *avail = app_models(u->app, &nm);
    if (!nm) {
        app_flash(u->app, true, "the model list has not arrived yet; name models: /compare A B");
        return;
    }
    picker *pk = xcalloc(1, sizeof *pk);
    pk->title = xstrdup("Models to compare (Space marks, Enter starts, Esc closes)");
    pk->multi = true;
    pk->n = nm;
    pk->items = xcalloc(nm + 1, sizeof *pk->items);
    pk->chosen = xcalloc(nm, sizeof *pk->chosen);
    for (size_t i = 0; i < nm; i++)
        pk->items[i] = xstrdup(avail[i]);
    pk->runs = runs;
    pk->blind = blind;
    pk->done = picked_models;
    open_picker(u, pk);
}

/* The column a command names ("2", "B", a model), or the selected one;
 * -1 for "all". Returns -2 when it names nothing. */
static int col_arg(ui *u, cmpui *k, const char *a)
{
    if (!a)
        return k->sel;
    if (!strcmp(a, "all"))
        return -1;
    size_t n = compare_ncols(k->c);
    char *end;
    long v = strtol(a, &end, 10);
    if (!*end && v >= 1 && (size_t)v <= n)
        return (int)v - 1;
    for (size_t i = 0; i < n; i++) {
        const char *label = compare_col_label(k->c, i), *mname = compare_col_model(k->c, i);
        if ((label && !strcasecmp(label, a)) || (mname && !strcmp(mname, a)))
            return (int)i;
    }
    app_flash(u->app, true, "no column %s (1-%zu, a label, a model, or all)", a, n);
    return -2;
}

void compare_command(ui *u, int id, const cmd_parsed *p)
{
    if (id == CMD_COMPARE) {
        compare_cmd(u, p);
        return;
    }
    if (id == CMD_REOPEN) {
        reopen_list(u);
        return;
    }
    cmpui *k = u->cur_cmp;
    if (!k) {
        app_flash(u->app, true, "this works in a comparison: /compare MODEL MODEL ...");
        return;
    }
    const char *a = p->argc ? p->argv[0] : NULL;
    int col;
    switch (id) {
    case CMD_RERUN:
        if ((col = col_arg(u, k, a)) >= -1 && !compare_rerun(k->c, col))
            app_flash(u->app, true, "nothing to re-run there (still running, or no prompt yet)");
        break;
    case CMD_VOTE:
        if (!a) {
            app_flash(u->app, true, "/vote N (the best column) or /vote tie");
        } else if (!strcmp(a, "tie")) {
            compare_vote(k->c, -1);
        } else if ((col = col_arg(u, k, a)) >= 0) {
            if (compare_vote(k->c, col))
                app_flash(u->app, false, "voted for %s", compare_col_name(k->c, (size_t)col));
        }
        break;
    case CMD_ZOOM:
        col = a ? col_arg(u, k, a) : k->sel;
        if (col >= 0)
            k->zoom = k->zoom == col ? -1 : col;
        break;
    case CMD_CONTINUE:
        if ((col = col_arg(u, k, a)) >= 0) {
            conv *c = compare_to_chat(k->c, col);
            if (!c)
                app_flash(u->app, true, "vote first: a blind comparison hides its models");
            else
                ui_select(u, c);
        }
        break;
    default:
        break;
    }
    u->dirty = true;
}

void compare_submit(ui *u, const char *text)
{
    cmpui *k = u->cur_cmp;
    bool ok = k->runs > 1 ? compare_repeat(k->c, text, k->runs) : compare_send(k->c, text);
    if (!ok)
        app_flash(u->app, true, "the comparison is still running: wait, or Esc to stop it");
    for (size_t i = 0; i < COMPARE_MAX_COLS; i++)
        k->cols[i].follow = true;
}

/* ----------------------------------------------------------------- keys */

static void scroll_col(cmpcol *cc, int delta, int body_h)
{
    int n = cc->v ? (int)text_view_line_count(cc->v) : 0;
    int top = cc->follow ? (n > body_h ? n - body_h : 0) : cc->top;
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

static int body_height(ui *u)
{
    int h = u->lay.conv.h - 1 - HEADER_LINES;
    return h > 1 ? h : 1;
}

void compare_key(ui *u, int is_key, wint_t ch)
{
    cmpui *k = u->cur_cmp;
    if (!k) {
        u->focus = FOCUS_INPUT;
        return;
    }
    int n = (int)compare_ncols(k->c);
    if (is_key && ch == KEY_LEFT)
        k->sel = k->sel > 0 ? k->sel - 1 : n - 1;
    else if (is_key && ch == KEY_RIGHT)
        k->sel = k->sel + 1 < n ? k->sel + 1 : 0;
    else if (is_key && (ch == KEY_PPAGE || ch == KEY_NPAGE)) {
        int d = (ch == KEY_PPAGE ? -1 : 1) * (body_height(u) - 1);
        for (int i = 0; i < n; i++)
            scroll_col(&k->cols[i], d, body_height(u));
    } else if (!is_key && (ch == '[' || ch == ']'))
        scroll_col(&k->cols[k->sel], (ch == '[' ? -1 : 1) * (body_height(u) - 1), body_height(u));
    else if (!is_key && ch == 'z')
        k->zoom = k->zoom == k->sel ? -1 : k->sel;
    else if (!is_key && ch == 'r') {
        if (!compare_rerun(k->c, k->sel))
            app_flash(u->app, true, "nothing to re-run in this column yet");
    } else if (!is_key && ch == 'R')
        compare_rerun(k->c, -1);
    else if (!is_key && ch == 'c')
        compare_cancel(k->c, -1);
    else if (!is_key && ch == 'v') {
        if (compare_vote(k->c, k->sel))
            app_flash(u->app, false, "voted for %s", compare_col_name(k->c, (size_t)k->sel));
    } else if (!is_key && ch == 't')
        compare_vote(k->c, -1);
    else if (!is_key && (ch == 'n' || ch == 'p')) {
        cmpl_layout l;
        cmpl_opts o = {n, HEADER_LINES, -1, k->first};
        rect area = u->lay.conv;
        cmpl_compute(area, &o, &l);
        k->first = cmpl_page(k->first, l.per_page, n, ch == 'n' ? 1 : -1);
    } else if (!is_key && (ch == '\r' || ch == '\n' || ch == '/')) {
        u->focus = FOCUS_INPUT;
        if (ch == '/')
            input_set_text(u, "/");
    } else if (!is_key && ch == 27) {
        if (compare_col_state(k->c, (size_t)k->sel) == COMPARE_WAITING ||
            compare_col_state(k->c, (size_t)k->sel) == COMPARE_STREAMING)
            compare_cancel(k->c, k->sel);
        else
            u->focus = FOCUS_INPUT;
    }
    u->dirty = true;
}

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

static void draw_header(ui *u, cmpui *k, const cmpl_col *col, const bool *fast, const bool *high,
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
    x += ui_text(u, h.y, x, end - x, name, strlen(name), ta | A_BOLD);
    if (prov) {
        snprintf(tmp, sizeof tmp, " (%s)", prov);
        ui_text(u, h.y, x, end - x, tmp, strlen(tmp), ta);
    }
    if (sw)
        ui_text(u, h.y, h.x + h.w - sw, sw, sn, strlen(sn), ui_style(u, state_style(st)));
    if (h.h < 2)
        return;
    cmp_metrics m;
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
}

static void draw_body(ui *u, cmpui *k, const cmpl_col *col)
{
    size_t i = (size_t)col->index;
    rect b = col->body;
    if (b.h <= 0 || b.w <= 1)
        return;
    text_view *v = col_view(k, i);
    int n = (int)text_view_layout(v, b.w - 1);
    cmpcol *cc = &k->cols[i];
    int top = cc->follow ? (n > b.h ? n - b.h : 0) : cc->top;
    if (top > n - 1)
        top = n > 0 ? n - 1 : 0;
    const char *text = text_view_text(v);
    compare_state st = compare_col_state(k->c, i);
    for (int y = 0; y < b.h && top + y < n; y++) {
        const wrap_line *l = text_view_line(v, (size_t)(top + y));
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
        if (top + y == n - 1 && (st == COMPARE_STREAMING || st == COMPARE_WAITING) && l->width + 1 < b.w)
            ui_text(u, b.y + y, b.x + l->width, 1, "\xE2\x96\x8C", 3, ui_style(u, THEME_STATE_STREAMING));
    }
    if (!cc->follow && top + b.h < n) {
        char tmp[40];
        int m = snprintf(tmp, sizeof tmp, " \xE2\x86\x93 %d more ", n - top - b.h);
        ui_text(u, b.y + b.h - 1, b.x + b.w - 14, 13, tmp, (size_t)m, ui_style(u, THEME_NEWBELOW));
    }
}

/* The repeat-run summary: median and spread per model. */
static int draw_stats(ui *u, cmpui *k, rect r)
{
    int rs, rw;
    compare_rounds(k->c, &rs, &rw);
    size_t n = compare_ncols(k->c);
    if (rw <= 1 || r.h < (int)n + 4)
        return 0;
    int h = (int)n + 2;
    int y = r.y + r.h - h;
    char tmp[256];
    attrset(ui_style(u, THEME_BORDER));
    mvhline(y, r.x, ACS_HLINE, r.w);
    snprintf(tmp, sizeof tmp, " %d of %d runs: median (min-max) ", rs, rw);
    ui_text(u, y, r.x + 2, r.w - 2, tmp, strlen(tmp), ui_style(u, THEME_TITLE));
    snprintf(tmp, sizeof tmp, " %-28s %-26s %s", "model", "TTFT ms", "tokens/s");
    ui_text(u, y + 1, r.x, r.w, tmp, strlen(tmp), ui_style(u, THEME_META));
    for (size_t i = 0; i < n; i++) {
        cmp_stats t, s;
        compare_col_stats(k->c, i, &t, &s);
        char a[64] = "-", b2[64] = "-";
        if (t.n)
            snprintf(a, sizeof a, "%.0f (%.0f-%.0f)", t.median, t.min, t.max);
        if (s.n)
            snprintf(b2, sizeof b2, "%.0f (%.0f-%.0f)", s.median, s.min, s.max);
        snprintf(tmp, sizeof tmp, " %-28.28s %-26s %s", compare_col_name(k->c, i), a, b2);
        ui_blank(u, y + 2 + (int)i, r.x, r.w, ui_style(u, THEME_DEFAULT));
        ui_text(u, y + 2 + (int)i, r.x, r.w, tmp, strlen(tmp), ui_style(u, THEME_DEFAULT));
    }
    return h;
}

void comparepane_draw(ui *u)
{
    cmpui *k = u->cur_cmp;
    rect r = u->lay.conv;
    if (!k || r.h <= 2 || r.w <= 4)
        return;
    int n = (int)compare_ncols(k->c);
    int64_t now_us = clock_mono_us();
    r.h -= draw_stats(u, k, r);
    cmpl_opts o = {n, HEADER_LINES, k->zoom, k->first};
    cmpl_layout l;
    cmpl_compute(r, &o, &l);
    k->first = l.first;
    /* Keep the selected column on screen. */
    if (k->zoom < 0 && (k->sel < l.first || k->sel >= l.first + l.nshown)) {
        k->first = cmpl_first_for(l.first, l.per_page, n, k->sel);
        o.first = k->first;
        cmpl_compute(r, &o, &l);
    }
    bool fast[COMPARE_MAX_COLS] = {false}, high[COMPARE_MAX_COLS] = {false};
    compare_winners(k->c, now_us, fast, high);
    if (l.bar.h > 0) {
        char lab[64], tmp[256];
        cmpl_page_label(&l, n, k->zoom >= 0, lab, sizeof lab);
        snprintf(tmp, sizeof tmp, "%s%s  turn %zu%s   %s", lab, compare_blind(k->c) && !compare_revealed(k->c) ? "  blind" : "",
                 compare_nturns(k->c), compare_busy(k->c) ? "  running" : "",
                 u->focus == FOCUS_COMPARE ? "<-/-> column  PgUp/PgDn all  [ ] one  z zoom  r/R rerun  c cancel all  "
                                              "v vote  t tie  n/p page  Enter type"
                                           : "Right/Left: work with the columns");
        ui_blank(u, l.bar.y, l.bar.x, l.bar.w, ui_style(u, THEME_STATUS));
        ui_text(u, l.bar.y, l.bar.x + 1, l.bar.w - 1, tmp, strlen(tmp), ui_style(u, THEME_STATUS));
    }
    attrset(ui_style(u, THEME_BORDER));
    for (int c = 0; c < l.nshown; c++) {
        const cmpl_col *col = &l.cols[c];
        if (col->border_left)
            mvvline(col->box.y, col->box.x, ACS_VLINE, col->box.h);
        if (col->border_top)
            mvhline(col->box.y, col->box.x, ACS_HLINE, col->box.w);
    }
    for (int c = 0; c < l.nshown; c++) {
        draw_header(u, k, &l.cols[c], fast, high, now_us);
        draw_body(u, k, &l.cols[c]);
    }
    if (n == 0 || compare_nturns(k->c) == 0) {
        const char *s = "Type the prompt below: every model answers it at once.";
        ui_text(u, r.y + r.h / 2, r.x + 2, r.w - 2, s, strlen(s), ui_style(u, THEME_META));
    }
}

uint64_t compare_signature(ui *u)
{
    uint64_t h = 0;
    for (size_t i = 0; i < u->ncmps; i++)
        h = h * 1099511628211ull + compare_rev(u->cmps[i]->c) + 1;
    return h;
}

long compares_next_timer_ms(ui *u, int64_t now)
{
    long best = -1;
    for (size_t i = 0; i < u->ncmps; i++) {
        long t = compare_next_timer_ms(u->cmps[i]->c, now);
        if (t >= 0 && (best < 0 || t < best))
            best = t;
    }
    return best;
}

void compares_tick(ui *u, int64_t now)
{
    for (size_t i = 0; i < u->ncmps; i++)
        compare_tick(u->cmps[i]->c, now);
}
