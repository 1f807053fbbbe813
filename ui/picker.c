/* picker.c: a list to choose from, drawn over the panes: models for a
 * comparison (several), a saved comparison to reopen (one). */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void draw(pane *pp, ui *u)
{
    picker *p = ((pickpane *)pp)->pick;
    if (!p)
        return;
    int w = u->cols - 8 > 70 ? 70 : u->cols - 8;
    int h = (int)p->n + 3 > u->rows - 6 ? u->rows - 6 : (int)p->n + 3;
    if (w < 20 || h < 4)
        return;
    int y0 = 2, x0 = (u->cols - w) / 2;
    int a = ui_style(u, THEME_HELP), s = ui_style(u, THEME_SIDEBAR_SELECTED);
    for (int y = 0; y < h; y++)
        ui_blank(u, y0 + y, x0, w, a);
    ui_text(u, y0, x0 + 1, w - 2, p->title, strlen(p->title), ui_style(u, THEME_HELP_KEY));
    int rows = h - 2;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + (size_t)rows)
        p->top = p->sel - (size_t)rows + 1;
    for (int r = 0; r < rows && p->top + (size_t)r < p->n; r++) {
        size_t i = p->top + (size_t)r;
        int ra = i == p->sel ? s : a;
        ui_blank(u, y0 + 1 + r, x0, w, ra);
        char mark[8] = "  ";
        if (p->multi)
            strcpy(mark, p->chosen[i] ? "[x] " : "[ ] ");
        int x = x0 + 1 + ui_text(u, y0 + 1 + r, x0 + 1, 4, mark, strlen(mark), ra);
        ui_text(u, y0 + 1 + r, x, x0 + w - x - 1, p->items[i], strlen(p->items[i]), ra);
    }
    size_t chosen = 0;
    for (size_t i = 0; p->multi && i < p->n; i++)
        chosen += p->chosen[i];
    if (p->multi) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, " %zu chosen ", chosen);
        ui_text(u, y0 + h - 1, x0 + 1, w - 2, tmp, strlen(tmp), ui_style(u, THEME_META));
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
