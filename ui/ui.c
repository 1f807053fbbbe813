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

convui *ui_convui(ui *u, const conv *c)
{
    for (size_t i = 0; i < u->ncuis; i++)
        if (!strcmp(u->cuis[i].conv_id, c->id))
            return &u->cuis[i];
    u->cuis = xgrow(u->cuis, &u->capcuis, u->ncuis + 1, sizeof *u->cuis);
    convui *cu = &u->cuis[u->ncuis++];
    memset(cu, 0, sizeof *cu);
    cu->conv_id = xstrdup(c->id);
    scroll_init(&cu->sc);
    /* In a workspace someone else created we are the agent. */
    cu->as_agent = c->kind == CONV_WORKSPACE && !c->mine;
    cu->seen = c->nmsgs;
    return cu;
}

void ui_select(ui *u, conv *c)
{
    u->cur = c;
    if (c)
        u->cur_cmp = NULL;
    app_open(u->app, c);
    if (c) {
        convui *cu = ui_convui(u, c);
        cu->seen = c->nmsgs;
    }
    u->dirty = true;
}

void ui_rebuild_sorted(ui *u)
{
    u->sorted = xgrow(u->sorted, &u->capsorted, u->m->nconvs + 1, sizeof *u->sorted);
    u->nsorted = model_sorted(u->m, u->filter, u->sorted, u->m->nconvs);
    /* Nothing chosen yet: the newest conversation. */
    if (!u->cur && !u->cur_cmp && u->nsorted)
        ui_select(u, u->sorted[0]);
    u->dirty = true;
}
