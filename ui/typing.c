/* typing.c: the line that shows what the customer (or another agent) is
 * typing in the conversation on screen, live. */
#include "config.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/width.h"
#include "util/mem.h"

static void draw(pane *p, ui *u)
{
    rect r = p->r;
    if (r.h <= 0 || !u->cur)
        return;
    const char *who = u->cur->typing ? "customer" : "another agent";
    const char *text = u->cur->typing ? u->cur->typing : u->cur->agent_typing;
    if (!text)
        return;
    int a = ui_style(u, THEME_TYPING);
    ui_blank(u, r.y, r.x, r.w, a);
    char lead[48];
    int n = snprintf(lead, sizeof lead, " %s is typing: ", who);
    int x = r.x + ui_text(u, r.y, r.x, r.w, lead, (size_t)n, a | A_BOLD);
    /* Show the end of what they typed: that is where the news is. */
    size_t len = strlen(text);
    int room = r.x + r.w - x - 1;
    size_t start = 0;
    while (start < len && (int)tw_str_width(text + start, len - start) > room) {
        int cw;
        start += tw_cluster_next(text + start, len - start, &cw);
    }
    x += ui_text_oneline(u, r.y, x, room, text + start, len - start, a);
    ui_text(u, r.y, x, 1, "\xE2\x96\x8F", 3, ui_style(u, THEME_TYPING_INDICATOR)); /* ▏ */
}

static void wants(pane *p, ui *u, layout_opts *o)
{
    (void)p;
    o->typing = u->cur && (u->cur->typing || u->cur->agent_typing);
}

static uint64_t sig(pane *p, ui *u)
{
    (void)p;
    if (!u->cur)
        return 0;
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)u->cur;
    h = (h ^ u->cur->rev) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur->typing) * 1099511628211ull;
    return h ^ (uint64_t)(uintptr_t)u->cur->agent_typing;
}

static const pane_ops ops = {
    .name = "typing",
    .slot = SLOT_TYPING,
    .draw = draw,
    .sig = sig,
    .wants = wants,
};

pane *typing_new(ui *u)
{
    (void)u;
    pane *p = xcalloc(1, sizeof *p);
    p->ops = &ops;
    return p;
}
