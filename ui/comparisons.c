/* comparisons.c: how the console shows the comparisons of this run (one
 * prompt, N models), which the desk lists (desk/desk.h), and their
 * commands: /compare (with the model picker), /reopen, /rerun, /vote,
 * /zoom, /continue. comparepane.c shows the selected one. */
#include "config.h"
#include "cmds.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/transcript.h"
#include "util/mem.h"

/* The view is the comparison's (compare_set_view): compare_free, or
 * desk_free for those left, frees it. */
static void cmpui_free(void *view)
{
    cmpui *k = view;
    for (size_t i = 0; i < COMPARE_MAX_COLS; i++)
        text_view_free(k->cols[i].v);
    free(k);
}

cmpui *ui_cmpui(ui *u, compare_t *c)
{
    (void)u;
    cmpui *k = compare_view(c);
    if (k)
        return k;
    k = xcalloc(1, sizeof *k);
    k->c = c;
    k->zoom = -1;
    for (size_t i = 0; i < COMPARE_MAX_COLS; i++)
        k->cols[i].follow = true;
    compare_set_view(c, k, cmpui_free);
    return k;
}

size_t compares_count(ui *u)
{
    return desk_ncompares(u->desk);
}

cmpui *compares_at(ui *u, size_t i)
{
    return ui_cmpui(u, desk_compare(u->desk, i));
}

void compares_free(ui *u)
{
    u->cur_cmp = NULL;
    while (desk_ncompares(u->desk))
        compare_free(desk_compare(u->desk, 0));
}

static cmpui *start(ui *u, const char *const *models, size_t n, bool blind, int runs)
{
    compare_t *c = compare_new(u->desk, models, n, blind);
    if (!c) {
        desk_flash(u->desk, true, "/compare: give 1 to %d models", COMPARE_MAX_COLS);
        return NULL;
    }
    compare_set_max_tokens(c, u->cfg->max_tokens);
    compare_set_runs(c, runs);
    cmpui *k = ui_cmpui(u, c);
    ui_select_cmp(u, k);
    ui_focus(u, NULL);
    desk_flash(u->desk, false, "type the prompt: it goes to all %zu models%s", n,
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
        desk_flash(u->desk, true, "no model chosen: Space marks a model, Enter starts");
        return;
    }
    start(u, chosen, n, p->blind, p->runs);
}

static void picked_saved(ui *u, picker *p)
{
    char *err = NULL;
    compare_t *c = compare_open(u->desk, p->paths[p->sel], &err);
    if (!c) {
        desk_flash(u->desk, true, "reopening: %s", err);
        free(err);
        return;
    }
    compare_set_title(c, p->items[p->sel]);
    ui_select_cmp(u, ui_cmpui(u, c));
}

void uicmd_reopen(ui *u, const cmd_parsed *cp)
{
    (void)cp;
    store_transcript_info *v = NULL;
    size_t n = 0;
    char *err = NULL;
    if (store_transcript_list("compare", &v, &n, &err) != 0) {
        desk_flash(u->desk, true, "listing saved comparisons: %s", err);
        free(err);
        return;
    }
    if (n == 0) {
        desk_flash(u->desk, false, "no saved comparisons yet");
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
    picker_open(u, p);
}

void uicmd_compare(ui *u, const cmd_parsed *p)
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
                desk_flash(u->desk, true, "/compare -n: a number of runs from 1 to %d", COMPARE_MAX_RUNS);
                return;
            }
            runs = (int)v;
        } else if (!strcmp(a, "--blind")) {
            blind = true;
        } else if (n < COMPARE_MAX_COLS) {
            models[n++] = a;
        } else {
            desk_flash(u->desk, true, "/compare: at most %d models", COMPARE_MAX_COLS);
            return;
        }
    }
    if (n > 0) {
        start(u, models, n, blind, runs);
        return;
    }
    /* No models named: pick them from what the server offers. */
    size_t nm;
    const char *const *avail = desk_models(u->desk, &nm);
    if (!nm) {
        desk_flash(u->desk, true, "the model list has not arrived yet; name models: /compare A B");
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
    picker_open(u, pk);
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
    desk_flash(u->desk, true, "no column %s (1-%zu, a label, a model, or all)", a, n);
    return -2;
}

/* The comparison a command works in, or NULL (and said why). */
static cmpui *current(ui *u)
{
    if (!u->cur_cmp)
        desk_flash(u->desk, true, "this works in a comparison: /compare MODEL MODEL ...");
    return u->cur_cmp;
}

void uicmd_rerun(ui *u, const cmd_parsed *p)
{
    cmpui *k = current(u);
    int col;
    if (k && (col = col_arg(u, k, p->argc ? p->argv[0] : NULL)) >= -1 && !compare_rerun(k->c, col))
        desk_flash(u->desk, true, "nothing to re-run there (still running, or no prompt yet)");
}

void uicmd_vote(ui *u, const cmd_parsed *p)
{
    cmpui *k = current(u);
    const char *a = p->argc ? p->argv[0] : NULL;
    int col;
    if (!k)
        return;
    if (!a) {
        desk_flash(u->desk, true, "/vote N (the best column) or /vote tie");
    } else if (!strcmp(a, "tie")) {
        compare_vote(k->c, -1);
    } else if ((col = col_arg(u, k, a)) >= 0) {
        if (compare_vote(k->c, col))
            desk_flash(u->desk, false, "voted for %s", compare_col_name(k->c, (size_t)col));
    }
}

void uicmd_zoom(ui *u, const cmd_parsed *p)
{
    cmpui *k = current(u);
    if (!k)
        return;
    int col = p->argc ? col_arg(u, k, p->argv[0]) : k->sel;
    if (col >= 0)
        k->zoom = k->zoom == col ? -1 : col;
}

void uicmd_continue(ui *u, const cmd_parsed *p)
{
    cmpui *k = current(u);
    int col;
    if (!k || (col = col_arg(u, k, p->argc ? p->argv[0] : NULL)) < 0)
        return;
    conv *c = compare_to_chat(k->c, col);
    if (!c)
        desk_flash(u->desk, true, "vote first: a blind comparison hides its models");
    else
        ui_select(u, c);
}

void compare_submit(ui *u, const char *text)
{
    cmpui *k = u->cur_cmp;
    int runs = compare_runs(k->c);
    bool ok = runs > 1 ? compare_repeat(k->c, text, runs) : compare_send(k->c, text);
    if (!ok)
        desk_flash(u->desk, true, "the comparison is still running: wait, or Esc to stop it");
    for (size_t i = 0; i < COMPARE_MAX_COLS; i++)
        k->cols[i].follow = true;
}

uint64_t compares_sig(ui *u)
{
    uint64_t h = 0;
    for (size_t i = 0; i < desk_ncompares(u->desk); i++)
        h = h * 1099511628211ull + compare_rev(desk_compare(u->desk, i)) + 1;
    return h;
}
