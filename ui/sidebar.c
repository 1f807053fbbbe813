/* sidebar.c: the sidebar: the conversations, newest activity first, then
 * the comparisons; the selection kept in view; Ctrl-N / Ctrl-P, clicks,
 * /filter. */
#include "config.h"
#include "cmds.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

typedef struct sidebar {
    pane p;
    conv **sorted;      /* the order shown, rebuilt when the model changes */
    size_t n, cap;
    ai_mode filter;
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
    sp->n = model_sorted(u->m, sp->filter, sp->sorted, u->m->nconvs);
    sp->built = true;
    sp->built_rev = u->m->rev;
    /* Nothing chosen yet: the newest conversation. */
    if (!u->cur && !u->cur_cmp && sp->n)
        ui_select(u, sp->sorted[0]);
}

conv *sidebar_first(ui *u)
{
    sidebar *sp = self(u);
    return sp->n ? sp->sorted[0] : NULL;
}

void sidebar_move(ui *u, int delta)
{
    sidebar *sp = self(u);
    size_t total = sp->n + u->ncmps;
    if (!total)
        return;
    size_t at = 0;
    for (size_t i = 0; i < sp->n; i++)
        if (!u->cur_cmp && sp->sorted[i] == u->cur)
            at = i;
    for (size_t i = 0; i < u->ncmps; i++)
        if (u->cmps[i] == u->cur_cmp)
            at = sp->n + i;
    long next = (long)at + delta;
    if (next < 0)
        next = (long)total - 1;
    if ((size_t)next >= total)
        next = 0;
    if ((size_t)next < sp->n)
        ui_select(u, sp->sorted[next]);
    else
        ui_select_cmp(u, u->cmps[(size_t)next - sp->n]);
}

void uicmd_filter(ui *u, const cmd_parsed *p)
{
    ai_mode f = ai_mode_from_string(p->argv[0]);
    if (f == AI_MODE_UNKNOWN && strcmp(p->argv[0], "all")) {
        app_flash(u->app, true, "/filter: all, ai, shadow or takeover");
        return;
    }
    self(u)->filter = f;
    sidebar_rebuild(u);
}

#define SIDE_ROWS 2 /* each conversation takes two rows */

static void draw(pane *p, ui *u)
{
    sidebar *sp = (sidebar *)p;
    rect r = p->r;
    if (!u->lay.sidebar_visible || r.h <= 0)
        return;
    int base = ui_style(u, THEME_SIDEBAR);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, base);
    attrset(ui_style(u, THEME_BORDER));
    mvvline(r.y, r.x + r.w, ACS_VLINE, r.h);
    /* Keep the current conversation in view. Comparisons come after the
     * conversations. */
    int slots = r.h / SIDE_ROWS;
    int cur = -1;
    size_t total = sp->n + u->ncmps;
    for (size_t i = 0; i < sp->n; i++)
        if (!u->cur_cmp && sp->sorted[i] == u->cur)
            cur = (int)i;
    for (size_t i = 0; i < u->ncmps; i++)
        if (u->cmps[i] == u->cur_cmp)
            cur = (int)(sp->n + i);
    if (cur >= 0 && cur < sp->top)
        sp->top = cur;
    if (cur >= 0 && slots > 0 && cur >= sp->top + slots)
        sp->top = cur - slots + 1;
    if (sp->top > 0 && (size_t)sp->top >= total)
        sp->top = 0;
    if (!total) {
        ui_text(u, r.y, r.x + 1, r.w - 1, "no conversations", 16, ui_style(u, THEME_META));
        if (r.h > 2)
            ui_text(u, r.y + 1, r.x + 1, r.w - 1, "/new, /open, /chat", 18, ui_style(u, THEME_META));
        return;
    }
    for (int s = 0; s < slots && (size_t)(sp->top + s) < total; s++) {
        int y = r.y + s * SIDE_ROWS;
        if ((size_t)(sp->top + s) >= sp->n) {
            const cmpui *k = u->cmps[(size_t)(sp->top + s) - sp->n];
            bool ksel = k == u->cur_cmp;
            int ka = ksel ? ui_style(u, THEME_SIDEBAR_SELECTED) : base;
            ui_blank(u, y, r.x, r.w, ka);
            ui_blank(u, y + 1, r.x, r.w, ka);
            ui_text(u, y, r.x + 1, r.w - 2, k->title, strlen(k->title), ka);
            int kx = r.x + 1 + ui_text(u, y + 1, r.x + 1, r.w - 2, "COMPARE", 7,
                                       ksel ? ka : ui_style(u, THEME_BADGE_CHAT));
            if (compare_busy(k->c))
                ui_text(u, y + 1, kx, r.x + r.w - kx, " running", 8,
                        ksel ? ka : ui_style(u, THEME_STATE_STREAMING));
            continue;
        }
        const conv *c = sp->sorted[sp->top + s];
        bool sel = !u->cur_cmp && c == u->cur;
        int a = sel ? ui_style(u, THEME_SIDEBAR_SELECTED)
                    : c->ended ? ui_style(u, THEME_SIDEBAR_DIM) : base;
        ui_blank(u, y, r.x, r.w, a);
        ui_blank(u, y + 1, r.x, r.w, a);
        int tw = r.w - 3;
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
}

static void hit(sidebar *sp, ui *u, int y, conv **c, cmpui **k)
{
    int s = (y - sp->p.r.y) / SIDE_ROWS;
    size_t i = (size_t)(sp->top + s);
    *c = NULL;
    *k = NULL;
    if (s < 0)
        return;
    if (i < sp->n)
        *c = sp->sorted[i];
    else if (i - sp->n < u->ncmps)
        *k = u->cmps[i - sp->n];
}


static void mouse(pane *p, ui *u, const MEVENT *me)
{
    if (!(me->bstate & BUTTON1_CLICKED))
        return;
    conv *c;
    cmpui *k;
    hit((sidebar *)p, u, me->y, &c, &k);
    if (c)
        ui_select(u, c);
    else if (k)
        ui_select_cmp(u, k);
}

static void sync(pane *p, ui *u)
{
    sidebar *sp = (sidebar *)p;
    if (!sp->built || sp->built_rev != u->m->rev)
        sidebar_rebuild(u);
}

static uint64_t sig(pane *p, ui *u)
{
    sidebar *sp = (sidebar *)p;
    uint64_t h = 1469598103934665603ull;
    h = (h ^ u->m->rev) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur_cmp) * 1099511628211ull;
    h = (h ^ (uint64_t)sp->top) * 1099511628211ull;
    return h ^ compares_sig(u); /* a comparison's "running" mark */
}

static void sidebar_free(pane *p)
{
    sidebar *sp = (sidebar *)p;
    free(sp->sorted);
    free(sp);
}

static const pane_ops ops = {
    .name = "sidebar",
    .slot = SLOT_SIDEBAR,
    .draw = draw,
    .sig = sig,
    .mouse = mouse,
    .sync = sync,
    .free = sidebar_free,
};

pane *sidebar_new(ui *u)
{
    (void)u;
    sidebar *sp = xcalloc(1, sizeof *sp);
    sp->p.ops = &ops;
    sp->filter = AI_MODE_UNKNOWN;
    return &sp->p;
}
