/* titlebar.c: the title line above the main area: what the pane there
 * shows, in its own words (its title operation). */
#include "config.h"
#include "panes.h"
#include "ui.h"

#include <stdlib.h>

#include "util/mem.h"

static void draw(pane *p, ui *u)
{
    rect r = p->r;
    if (r.h <= 0)
        return;
    ui_blank(u, r.y, r.x, r.w, ui_style(u, THEME_TITLE));
    if (u->main->ops->title)
        u->main->ops->title(u->main, u, r);
}

static uint64_t sig(pane *p, ui *u)
{
    (void)p;
    uint64_t h = 1469598103934665603ull;
    h = (h ^ (uint64_t)(uintptr_t)u->main) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur_cmp) * 1099511628211ull;
    h = (h ^ (u->cur ? u->cur->rev : 0)) * 1099511628211ull;
    return h ^ u->m->rev;
}

static const pane_ops ops = {
    .name = "title",
    .slot = SLOT_TITLE,
    .draw = draw,
    .sig = sig,
};

pane *titlebar_new(ui *u)
{
    (void)u;
    pane *p = xcalloc(1, sizeof *p);
    p->ops = &ops;
    return p;
}
