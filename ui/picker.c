/* picker.c: a list to choose from, drawn over the panes: models for a
 * comparison (several), a saved comparison to reopen (one). */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"
#include "panes.h"
#include "util/mem.h"

typedef struct pickpane {
    pane p;
    picker *pick; /* the list shown, or NULL */
} pickpane;

static const pane_ops ops;

void picker_free(picker *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i]);
        if (p->paths)
            free(p->paths[i]);
    }
    free(p->items);
    free(p->paths);
    free(p->chosen);
    free(p->title);
    free(p);
}

/* An item fitted to w columns: shortened in the middle, where names of
 * one family (models of a provider, files of a folder) differ least. */
static void item_text(ui *u, int y, int x, int w, const char *s, int attr)
{
    char fit[512];
    ovl_shorten_middle(s, w, fit, sizeof fit);
    ui_text(u, y, x, w, fit, strlen(fit), attr);
}

/* A box in the middle, its title wrapped inside it, one item a row, on
 * a blank screen. */
static void draw(pane *pp, ui *u)
{
    picker *p = ((pickpane *)pp)->pick;
    if (!p)
        return;
    int bottom = u->lay.status.h > 0 ? u->lay.status.y : u->rows;
    int w = u->cols - 4 > 74 ? 74 : u->cols - 4;
    if (w < 12 || bottom < 6)
        return;
    int iw = w - 4; /* the text inside: a border and a space each side */
    int tl = ovl_wrap_lines(p->title, iw);
    int h = (int)p->n + tl + 3; /* borders, the title, a blank line */
    if (h > bottom - 2)
        h = bottom - 2;
    int rows = h - tl - 3;
    if (rows < 1)
        return;
    rect b = {1, (u->cols - w) / 2, h, w};
    /* A modal list: the panes above the status bar give way whole, so
     * no piece of their words shows around the box. */
    int m = ui_style(u, THEME_DEFAULT);
    for (int y = 0; y < bottom; y++)
        ui_blank(u, y, 0, u->cols, m);
    size_t chosen = 0;
    for (size_t i = 0; p->multi && i < p->n; i++)
        chosen += p->chosen[i];
    char foot[64] = "";
    if (p->multi)
        snprintf(foot, sizeof foot, " %zu chosen ", chosen);
    else if (p->n > (size_t)rows)
        snprintf(foot, sizeof foot, " %zu of %zu ", p->sel + 1, p->n);
    ovl_box(u, b, NULL, *foot ? foot : NULL);
    int a = ui_style(u, THEME_HELP), s = ui_style(u, THEME_SIDEBAR_SELECTED);
    int k = ui_style(u, THEME_HELP_KEY);
    size_t len = strlen(p->title), at = 0;
    for (int l = 0; l < tl; l++) {
        size_t next, n = ovl_wrap(p->title + at, len - at, iw, &next);
        ui_text(u, b.y + 1 + l, b.x + 2, iw, p->title + at, n, k);
        at += next;
    }
    int y0 = b.y + 2 + tl;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + (size_t)rows)
        p->top = p->sel - (size_t)rows + 1;
    for (int r = 0; r < rows && p->top + (size_t)r < p->n; r++) {
        size_t i = p->top + (size_t)r;
        int ra = i == p->sel ? s : a;
        ui_blank(u, y0 + r, b.x + 1, b.w - 2, ra);
        char mark[8] = "";
        if (p->multi)
            strcpy(mark, p->chosen[i] ? "[x] " : "[ ] ");
        int x = b.x + 2 + ui_text(u, y0 + r, b.x + 2, 4, mark, strlen(mark), ra);
        item_text(u, y0 + r, x, b.x + b.w - 2 - x, p->items[i], ra);
    }
}

void picker_open(ui *u, picker *p)
{
    pickpane *pp = (pickpane *)ui_pane(u, &ops);
    picker_free(pp->pick);
    pp->pick = p;
    ui_open(u, &pp->p);
}

/* Closes the list; returns it (the caller frees it). */
static picker *take(pane *pp, ui *u)
{
    picker *p = ((pickpane *)pp)->pick;
    ((pickpane *)pp)->pick = NULL;
    ui_close(u, pp);
    return p;
}

static bool key(pane *pp, ui *u, int k)
{
    picker *p = ((pickpane *)pp)->pick;
    if (!p) {
        ui_close(u, pp);
        return true;
    }
    if (k == K_FN(KEY_UP) && p->sel > 0)
        p->sel--;
    else if (k == K_FN(KEY_DOWN) && p->sel + 1 < p->n)
        p->sel++;
    else if (k == K_FN(KEY_PPAGE))
        p->sel = p->sel > 10 ? p->sel - 10 : 0;
    else if (k == K_FN(KEY_NPAGE))
        p->sel = p->sel + 10 < p->n ? p->sel + 10 : p->n - 1;
    else if (k == ' ' && p->multi)
        p->chosen[p->sel] = !p->chosen[p->sel];
    else if (k == '\r' || k == '\n') {
        take(pp, u);
        p->done(u, p);
        picker_free(p);
    } else if (k == K_ESC || k == 'q') {
        picker_free(take(pp, u));
    }
    return true; /* every key, the F-keys too, is the list's while it shows */
}

static void pick_free(pane *pp)
{
    picker_free(((pickpane *)pp)->pick);
    free(pp);
}

static const pane_ops ops = {
    .name = "picker",
    .slot = SLOT_OVERLAY,
    .draw = draw,
    .key = key,
    .free = pick_free,
};

pane *picker_new(ui *u)
{
    (void)u;
    pickpane *pp = xcalloc(1, sizeof *pp);
    pp->p.ops = &ops;
    return &pp->p;
}
