/* ui.c: drawing helpers and the console's per-conversation state. */
#include "config.h"
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "text/width.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

void ui_blank(ui *u, int y, int x, int w, int attr)
{
    (void)u;
    if (w <= 0)
        return;
    attrset(attr);
    mvhline(y, x, ' ', w);
}

int ui_text(ui *u, int y, int x, int w, const char *s, size_t len, int attr)
{
    if (w <= 0 || !s)
        return 0;
    if (sanitize_is_clean(s, len, 0))
        return ui_text_safe(u, y, x, w, s, len, attr);
    buf_t tmp = BUF_INIT;
    sanitize_append(&tmp, s, len, 0);
    int n = ui_text_safe(u, y, x, w, tmp.data, tmp.len, attr);
    buf_free(&tmp);
    return n;
}

int ui_text_oneline(ui *u, int y, int x, int w, const char *s, size_t len, int attr)
{
    if (!memchr(s, '\n', len) && !memchr(s, '\r', len) && !memchr(s, '\t', len))
        return ui_text(u, y, x, w, s, len, attr);
    buf_t b = BUF_INIT;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!space && b.len)
                buf_append_char(&b, ' ');
            space = true;
        } else {
            buf_append_char(&b, c);
            space = false;
        }
    }
    int n = ui_text(u, y, x, w, b.data ? b.data : "", b.len, attr);
    buf_free(&b);
    return n;
}

int ui_text_safe(ui *u, int y, int x, int w, const char *s, size_t len, int attr)
{
    (void)u;
    if (w <= 0 || !s)
        return 0;
    attrset(attr);
    int col = 0;
    size_t i = 0;
    move(y, x);
    while (i < len && col < w) {
        /* Printable ASCII goes out in runs; anything else a cluster at a
         * time, placed by our own width so a terminal that disagrees about
         * one character cannot shift the rest. */
        size_t run = 0;
        while (i + run < len && col + (int)run < w && (unsigned char)s[i + run] >= 0x20 &&
               (unsigned char)s[i + run] < 0x7F)
            run++;
        if (run) {
            addnstr(s + i, (int)run);
            i += run;
            col += (int)run;
            continue;
        }
        int cw;
        size_t k = tw_cluster_next(s + i, len - i, &cw);
        if (col + cw > w)
            break;
        if (cw > 0) {
            addnstr(s + i, (int)k);
            col += cw;
            move(y, x + col);
        }
        i += k;
    }
    return col;
}

void ui_blank_rect(ui *u, rect r)
{
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, ui_style(u, THEME_DEFAULT));
}

const char *ui_badge(const conv *c, int *style)
{
    if (c->kind == CONV_CHAT) {
        *style = THEME_BADGE_CHAT;
        return "CHAT";
    }
    switch (c->mode) {
    case AI_MODE_SHADOW: *style = THEME_BADGE_SHADOW; return "SHADOW";
    case AI_MODE_TAKEOVER: *style = THEME_BADGE_TAKEOVER; return "TAKEOVER";
    case AI_MODE_AI: *style = THEME_BADGE_AI; return "AI";
    default: *style = THEME_META; return "?";
    }
}

/* ------------------------------------------------------------ selection */

pane *ui_selection_pane(ui *u)
{
    return ui_pane(u, u->cur_cmp ? &comparepane_ops : &convpane_ops);
}

void ui_show(ui *u, pane *p)
{
    if (!p)
        p = ui_selection_pane(u);
    /* A pane that leaves the main area takes the focus with it. */
    if (u->main != p && u->focus == u->main)
        u->focus = u->line;
    u->main = p;
    u->dirty = true;
}

void ui_select(ui *u, conv *c)
{
    u->cur = c;
    if (c)
        u->cur_cmp = NULL;
    /* A comparison in the main area gives way; AI Gate stays until closed. */
    if (u->main == ui_pane(u, &comparepane_ops) && !u->cur_cmp)
        ui_show(u, NULL);
    desk_open(u->desk, c);
    if (c) {
        convui *cu = ui_convui(u, c);
        cu->seen = c->nmsgs;
    }
    u->dirty = true;
}

void ui_select_cmp(ui *u, cmpui *k)
{
    u->cur_cmp = k;
    u->cur = NULL;
    model_view(u->m, NULL);
    ui_show(u, NULL);
}
