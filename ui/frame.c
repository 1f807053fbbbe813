/* frame.c: one frame: the layout, which panes to draw, the cursor.
 *
 * Whether a pane is drawn is decided here and only here: after a key or
 * a resize (ui.dirty) or a change of layout, everything is drawn on an
 * erased screen; otherwise a pane is drawn when its signature changed
 * since it was last drawn (pane.h), so a frame caused by text streaming
 * into one pane costs that pane (and the status bar, if it changed).
 * An overlay is drawn again whenever something under it was. */
#include "config.h"
#include "ui.h"

#include <string.h>

static rect slot_rect(const ui *u, pane_slot s)
{
    const layout *l = &u->lay;
    switch (s) {
    case SLOT_SIDEBAR: return l->sidebar;
    case SLOT_TITLE: return l->title;
    case SLOT_MAIN: return l->conv;
    case SLOT_TYPING: return l->typing;
    case SLOT_DRAFTS: return l->drafts;
    case SLOT_STATUS: return l->status;
    case SLOT_INPUT: return l->input;
    case SLOT_OVERLAY: break;
    }
    return (rect){0, 0, u->rows, u->cols};
}

static void compute_layout(ui *u, layout *out)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    u->rows = rows;
    u->cols = cols;
    layout_opts o = {0};
    o.input_lines = 1;
    for (size_t i = 0; i < u->npanes; i++)
        if (u->panes[i]->ops->wants)
            u->panes[i]->ops->wants(u->panes[i], u, &o);
    /* The drafts queue belongs beside a workspace: over a comparison, a
     * chat or AI Gate it shows only when asked for (it has the focus). */
    bool workspace = u->main && u->main->ops == &convpane_ops && u->cur && !u->cur_cmp &&
                     u->cur->kind == CONV_WORKSPACE;
    if (o.drafts_open && !workspace && !(u->focus && u->focus->ops->slot == SLOT_DRAFTS))
        o.drafts_open = false;
    layout_compute(rows, cols, &o, out);
}

static bool shown(const ui *u, const pane *p)
{
    if (p->ops->slot == SLOT_MAIN)
        return p == u->main;
    if (p->ops->slot == SLOT_OVERLAY)
        return p->open;
    return true;
}

static uint64_t sig_of(ui *u, pane *p)
{
    return p->ops->sig ? p->ops->sig(p, u) : 0;
}

bool frame_needed(ui *u)
{
    if (u->dirty)
        return true;
    layout l;
    compute_layout(u, &l);
    if (memcmp(&l, &u->lay, sizeof l) != 0)
        return true;
    for (size_t i = 0; i < u->npanes; i++) {
        pane *p = u->panes[i];
        if (shown(u, p) && p->ops->sig && p->ops->sig(p, u) != p->drawn_sig)
            return true;
    }
    return false;
}

void frame_draw(ui *u)
{
    layout old = u->lay;
    compute_layout(u, &u->lay);
    bool full = u->dirty || memcmp(&old, &u->lay, sizeof old) != 0;
    if (full) {
        erase();
        u->erase_epoch++;
    }
    bool below = false; /* a pane under the overlays was drawn */
    for (size_t i = 0; i < u->npanes; i++) {
        pane *p = u->panes[i];
        p->r = slot_rect(u, p->ops->slot);
        if (!shown(u, p))
            continue;
        bool overlay = p->ops->slot == SLOT_OVERLAY;
        if (full || (p->ops->sig && sig_of(u, p) != p->drawn_sig) || (overlay && below)) {
            p->ops->draw(p, u);
            /* Taken after drawing: drawing may move what it shows (the
             * sidebar keeping the selection in view). */
            p->drawn_sig = sig_of(u, p);
            below = below || !overlay;
        }
    }
    int y, x;
    pane *f = u->focus;
    if (f->ops->cursor && f->ops->cursor(f, u, &y, &x)) {
        move(y, x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(stdscr);
    doupdate();
    u->dirty = false;
    u->frames++;
}
