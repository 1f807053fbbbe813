/* sidebar.c: the sidebar: the conversations (live ones first, the ended
 * ones folded into one "ended (N)" row that Enter opens), then the
 * comparisons; how long each workspace has waited for a person; the
 * selection kept in view; Ctrl-N / Ctrl-P, clicks, /filter.
 *
 * The order is model/order.h's: it holds still while the person steps
 * through the list (frozen by a move, thawed when they stop moving for
 * a moment), so the row under the cursor never changes by itself. */
#include "config.h"
#include "cmds.h"
#include "day.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/order.h"
#include "util/clock.h"
#include "util/mem.h"

/* How long after the last step the order may follow activity again. */
#define THAW_MS 3000

/* One row of the list: a conversation, the ended group, or a comparison. */
typedef struct sitem {
    conv *c;
    cmpui *k;
    bool group;
} sitem;

typedef struct sidebar {
    pane p;
    conv **sorted;      /* the order, rebuilt when the model changes */
    size_t n, cap;
    conv_order order;
    conv_filter filter;
    sitem *items;       /* what the rows show, rebuilt before each use */
    size_t nitems, capitems;
    size_t nended;
    bool ended_open;
    bool on_group;      /* the selection is on the "ended (N)" row */
    const void *group_from; /* what was selected then: selecting anything else leaves the row */
    int64_t moved_mono; /* the last step through the list */
    bool any_wait;      /* a row showed a wait at the last draw: the figures tick */
    int64_t wait_next_wall; /* any_wait: when the first of them changes (wall ms) */
    unsigned wait_epoch; /* moments passed (tick): each one a new signature */
    int top;            /* first row shown */
    bool built;
    unsigned built_rev; /* the model's rev when it was */
} sidebar;

static const pane_ops ops;

static sidebar *self(ui *u)
{
    return (sidebar *)ui_pane(u, &ops);
}

void sidebar_rebuild(ui *u)
{
    sidebar *sp = self(u);
    sp->sorted = xgrow(sp->sorted, &sp->cap, u->m->nconvs + 1, sizeof *sp->sorted);
    sp->n = order_refresh(&sp->order, u->m, &sp->filter, sp->sorted, u->m->nconvs);
    sp->built = true;
    sp->built_rev = u->m->rev;
    /* Nothing chosen yet: the newest conversation. */
    if (!u->cur && !u->cur_cmp && sp->n)
        ui_select(u, sp->sorted[0]);
}

/* The rows: live conversations in the order, the ended group and (open)
 * its members, then the comparisons. A selected ended conversation shows
 * under a closed group too, so that the selection is always in view. */
static void build_items(sidebar *sp, ui *u)
{
    sp->items = xgrow(sp->items, &sp->capitems, sp->n + compares_count(u) + 2, sizeof *sp->items);
    if (sp->on_group && sp->group_from != (u->cur_cmp ? (const void *)u->cur_cmp : (const void *)u->cur))
        sp->on_group = false; /* F5, /go, the queue chose a conversation since */
    size_t k = 0;
    sp->nended = 0;
    for (size_t i = 0; i < sp->n; i++) {
        if (sp->sorted[i]->ended)
            sp->nended++;
        else
            sp->items[k++] = (sitem){sp->sorted[i], NULL, false};
    }
    if (sp->nended) {
        sp->items[k++] = (sitem){NULL, NULL, true};
        for (size_t i = 0; i < sp->n; i++)
            if (sp->sorted[i]->ended && (sp->ended_open || sp->sorted[i] == u->cur))
                sp->items[k++] = (sitem){sp->sorted[i], NULL, false};
    } else {
        sp->on_group = false;
    }
    for (size_t i = 0; i < compares_count(u); i++)
        sp->items[k++] = (sitem){NULL, compares_at(u, i), false};
    sp->nitems = k;
}

/* The row of the selection, or -1. */
static long sel_item(sidebar *sp, ui *u)
{
    for (size_t i = 0; i < sp->nitems; i++) {
        const sitem *it = &sp->items[i];
        if (sp->on_group ? it->group
                         : it->k ? it->k == u->cur_cmp : (it->c && !u->cur_cmp && it->c == u->cur))
            return (long)i;
    }
    return -1;
}

conv *sidebar_first(ui *u)
{
    sidebar *sp = self(u);
    return sp->n ? sp->sorted[0] : NULL;
}

void sidebar_move(ui *u, int delta)
{
    sidebar *sp = self(u);
    build_items(sp, u);
    if (!sp->nitems)
        return;
    /* Stepping through the list: it holds still until the person stops. */
    order_freeze(&sp->order);
    sp->moved_mono = clock_mono_ms();
    long at = sel_item(sp, u);
    if (at < 0)
        at = delta > 0 ? -1 : 0;
    long next = at + delta;
    if (next < 0)
        next = (long)sp->nitems - 1;
    if ((size_t)next >= sp->nitems)
        next = 0;
    const sitem *it = &sp->items[next];
    sp->on_group = it->group;
    sp->group_from = u->cur_cmp ? (const void *)u->cur_cmp : (const void *)u->cur;
    if (it->c)
        ui_select(u, it->c);
    else if (it->k)
        ui_select_cmp(u, it->k);
    u->dirty = true;
}

bool sidebar_on_group(ui *u)
{
    return self(u)->on_group;
}

void sidebar_toggle_group(ui *u)
{
    sidebar *sp = self(u);
    sp->ended_open = !sp->ended_open;
    u->dirty = true;
}

const char *sidebar_filter_name(ui *u)
{
    sidebar *sp = self(u);
    return conv_filter_is_all(&sp->filter) ? NULL : conv_filter_name(&sp->filter);
}

void uicmd_filter(ui *u, const cmd_parsed *p)
{
    conv_filter f;
    char *err = NULL;
    if (!conv_filter_parse(p->rest, &f, &err)) {
        desk_flash(u->desk, true, "/filter: %s (all, active, ai, shadow, takeover, or active and a mode)",
                  err);
        free(err);
        return;
    }
    sidebar *sp = self(u);
    sp->filter = f;
    order_thaw(&sp->order);
    sidebar_rebuild(u);
    if (conv_filter_is_all(&f))
        desk_flash(u->desk, false, "the list shows every conversation again");
    else
        desk_flash(u->desk, false, "the list shows only %s conversations (/filter all: every one)",
                  conv_filter_name(&f));
}

#define SIDE_ROWS 2 /* each row of the list takes two lines */

static void draw_group(sidebar *sp, ui *u, rect r, int y, bool sel, int base)
{
    int a = sel ? ui_style(u, THEME_SIDEBAR_SELECTED) : ui_style(u, THEME_SIDEBAR_DIM);
    ui_blank(u, y, r.x, r.w, a);
    ui_blank(u, y + 1, r.x, r.w, sel ? a : base);
    char tmp[48];
    int n = snprintf(tmp, sizeof tmp, "%s ended (%zu)", sp->ended_open ? "\xE2\x96\xBE" : "\xE2\x96\xB8",
                     sp->nended); /* ▾ open, ▸ closed */
    ui_text(u, y, r.x + 1, r.w - 2, tmp, (size_t)n, a);
    if (sel) {
        const char *h = sp->ended_open ? "Enter: fold" : "Enter: open";
        ui_text(u, y + 1, r.x + 1, r.w - 2, h, strlen(h), a);
    }
}

static void draw_conv(sidebar *sp, ui *u, rect r, int y, const conv *c, int64_t now_wall)
{
    bool sel = !sp->on_group && !u->cur_cmp && c == u->cur;
    int base = ui_style(u, THEME_SIDEBAR);
    int a = sel ? ui_style(u, THEME_SIDEBAR_SELECTED) : c->ended ? ui_style(u, THEME_SIDEBAR_DIM) : base;
    ui_blank(u, y, r.x, r.w, a);
    ui_blank(u, y + 1, r.x, r.w, a);
    /* How long it has waited for a person, at the right of its name. */
    wait_info w;
    bool late = false;
    int ww = 0;
    if (desk_wait(u->desk, c, now_wall, &w, &late) && w.since_ms && r.w > 12) {
        char fig[WAIT_FIG_COLS + 1];
        wait_fig(now_wall - w.since_ms, fig);
        ww = WAIT_FIG_COLS + 1;
        ui_text(u, y, r.x + r.w - ww, WAIT_FIG_COLS, fig, strlen(fig),
                late ? (int)(ui_style(u, THEME_STATE_FAILED) | A_BOLD) : sel ? a : ui_style(u, THEME_META));
        /* Drawn again when the figure or its colour next changes, on a
         * whole second of the wall clock: workspaces that began to wait at
         * different moments tick together, not each in its own wake-up. */
        int64_t next = wait_fig_next_wall(now_wall, w.since_ms, late ? 0 : desk_late_ms(u->desk));
        if (!sp->any_wait || next < sp->wait_next_wall)
            sp->wait_next_wall = next;
        sp->any_wait = true;
    }
    int tw = r.w - 3 - ww;
    const char *title = c->title ? c->title : c->id;
    int used = ui_text(u, y, r.x + 1, tw, title, strlen(title), a | (c->unread ? A_BOLD : 0));
    if (c->typing && used < tw - 1)
        ui_text(u, y, r.x + 1 + used + 1, 2, "\xE2\x9C\x8E", 3,
                sel ? a : ui_style(u, THEME_TYPING_INDICATOR)); /* ✎ */
    int bs;
    const char *b = ui_badge(c, &bs);
    int x = r.x + 1;
    x += ui_text(u, y + 1, x, r.w - 2, b, strlen(b), sel ? a : ui_style(u, bs));
    if (c->ended)
        x += ui_text(u, y + 1, x, r.x + r.w - x, " ended", 6, sel ? a : ui_style(u, THEME_META));
    char tmp[32];
    if (c->unread) {
        int n = snprintf(tmp, sizeof tmp, " \xE2\x97\x8F%zu", c->unread); /* ●N */
        x += ui_text(u, y + 1, x, r.x + r.w - x, tmp, (size_t)n, sel ? a : ui_style(u, THEME_UNREAD));
    }
    if (c->drafts) {
        int n = snprintf(tmp, sizeof tmp, " \xE2\x9C\x8D%zu", c->drafts); /* ✍N */
        ui_text(u, y + 1, x, r.x + r.w - x, tmp, (size_t)n, sel ? a : ui_style(u, THEME_DRAFTS_COUNT));
    }
}

static void draw_cmp(ui *u, rect r, int y, const cmpui *k, int base)
{
    bool ksel = k == u->cur_cmp;
    int ka = ksel ? ui_style(u, THEME_SIDEBAR_SELECTED) : base;
    ui_blank(u, y, r.x, r.w, ka);
    ui_blank(u, y + 1, r.x, r.w, ka);
    const char *title = compare_title(k->c);
    ui_text(u, y, r.x + 1, r.w - 2, title, strlen(title), ka);
    int kx = r.x + 1 + ui_text(u, y + 1, r.x + 1, r.w - 2, "COMPARE", 7, ksel ? ka : ui_style(u, THEME_BADGE_CHAT));
    if (compare_busy(k->c))
        ui_text(u, y + 1, kx, r.x + r.w - kx, " running", 8, ksel ? ka : ui_style(u, THEME_STATE_STREAMING));
}

static void draw(pane *p, ui *u)
{
    sidebar *sp = (sidebar *)p;
    rect r = p->r;
    sp->any_wait = false;
    build_items(sp, u);
    if (!u->lay.sidebar_visible || r.h <= 0)
        return;
    int base = ui_style(u, THEME_SIDEBAR);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, base);
    attrset(ui_style(u, THEME_BORDER));
    mvvline(r.y, r.x + r.w, ACS_VLINE, r.h);
    /* Keep the selection in view. */
    int slots = r.h / SIDE_ROWS;
    long cur = sel_item(sp, u);
    if (cur >= 0 && cur < sp->top)
        sp->top = (int)cur;
    if (cur >= 0 && slots > 0 && cur >= sp->top + slots)
        sp->top = (int)cur - slots + 1;
    if (sp->top > 0 && (size_t)sp->top >= sp->nitems)
        sp->top = 0;
    if (!sp->nitems) {
        ui_text(u, r.y, r.x + 1, r.w - 1, "no conversations", 16, ui_style(u, THEME_META));
        if (r.h > 2)
            ui_text(u, r.y + 1, r.x + 1, r.w - 1, "/new, /open, /chat", 18, ui_style(u, THEME_META));
        return;
    }
    int64_t now_wall = clock_wall_ms();
    for (int s = 0; s < slots && (size_t)(sp->top + s) < sp->nitems; s++) {
        int y = r.y + s * SIDE_ROWS;
        const sitem *it = &sp->items[sp->top + s];
        if (it->group)
            draw_group(sp, u, r, y, sp->on_group, base);
        else if (it->k)
            draw_cmp(u, r, y, it->k, base);
        else
            draw_conv(sp, u, r, y, it->c, now_wall);
    }
}

static const sitem *hit(sidebar *sp, ui *u, int y)
{
    build_items(sp, u);
    int s = (y - sp->p.r.y) / SIDE_ROWS;
    if (s < 0 || (size_t)(sp->top + s) >= sp->nitems)
        return NULL;
    return &sp->items[sp->top + s];
}

static void mouse(pane *p, ui *u, const MEVENT *me)
{
    if (!(me->bstate & BUTTON1_CLICKED))
        return;
    sidebar *sp = (sidebar *)p;
    const sitem *it = hit(sp, u, me->y);
    if (!it)
        return;
    sp->on_group = it->group;
    sp->group_from = u->cur_cmp ? (const void *)u->cur_cmp : (const void *)u->cur;
    if (it->group)
        sidebar_toggle_group(u);
    else if (it->c)
        ui_select(u, it->c);
    else if (it->k)
        ui_select_cmp(u, it->k);
}

static void sync(pane *p, ui *u)
{
    sidebar *sp = (sidebar *)p;
    if (!sp->built || sp->built_rev != u->m->rev)
        sidebar_rebuild(u);
}

/* While someone waits, the figures tick when one of them changes: each
 * second under a minute, each minute under an hour (the signature says
 * whether that moment has come); nothing waiting, no timer. The order
 * thaws once the person has stopped stepping through it. */
static long next_timer_ms(pane *p, ui *u, int64_t now_mono)
{
    (void)u;
    sidebar *sp = (sidebar *)p;
    long best = -1;
    if (sp->any_wait && sp->wait_next_wall != INT64_MAX) {
        int64_t t = sp->wait_next_wall - clock_wall_ms();
        best = t < 0 ? 0 : t > 3600 * 1000 ? 3600 * 1000 : (long)t;
    }
    if (sp->order.frozen) {
        long t = (long)(sp->moved_mono + THAW_MS - now_mono);
        if (t < 0)
            t = 0;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

static void tick(pane *p, ui *u, int64_t now_mono)
{
    sidebar *sp = (sidebar *)p;
    /* A figure's moment has come: a new signature draws the list again,
     * and the drawing finds the next moment (none until then). */
    if (sp->any_wait && sp->wait_next_wall != INT64_MAX && clock_wall_ms() >= sp->wait_next_wall) {
        sp->wait_epoch++;
        sp->wait_next_wall = INT64_MAX;
    }
    if (sp->order.frozen && now_mono >= sp->moved_mono + THAW_MS) {
        order_thaw(&sp->order);
        sidebar_rebuild(u);
    }
}

static uint64_t sig(pane *p, ui *u)
{
    sidebar *sp = (sidebar *)p;
    uint64_t h = 1469598103934665603ull;
    h = (h ^ u->m->rev) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur_cmp) * 1099511628211ull;
    h = (h ^ (uint64_t)sp->top) * 1099511628211ull;
    h = (h ^ ((uint64_t)sp->on_group << 1 | sp->ended_open)) * 1099511628211ull;
    h = (h ^ ((uint64_t)sp->built_rev * 31 + sp->n)) * 1099511628211ull;
    h = (h ^ sp->wait_epoch) * 1099511628211ull;
    return h ^ compares_sig(u); /* a comparison's "running" mark */
}

static void sidebar_free(pane *p)
{
    sidebar *sp = (sidebar *)p;
    free(sp->sorted);
    free(sp->items);
    order_clear(&sp->order);
    free(sp);
}

static const pane_ops ops = {
    .name = "sidebar",
    .slot = SLOT_SIDEBAR,
    .draw = draw,
    .sig = sig,
    .mouse = mouse,
    .sync = sync,
    .next_timer_ms = next_timer_ms,
    .tick = tick,
    .free = sidebar_free,
};

pane *sidebar_new(ui *u)
{
    (void)u;
    sidebar *sp = xcalloc(1, sizeof *sp);
    sp->p.ops = &ops;
    sp->filter = CONV_FILTER_ALL;
    return &sp->p;
}
