/* panes.c: the registry of panes (panes.h), the focus, and the key
 * tables every pane shares, with the key-hint line that shows them. */
#include "config.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static pane *(*const makers[])(ui *) = {
#define PANE_MAKER(name) name##_new,
    PANES(PANE_MAKER)
#undef PANE_MAKER
};

void ui_panes_new(ui *u)
{
    u->npanes = sizeof makers / sizeof *makers;
    u->panes = xcalloc(u->npanes, sizeof *u->panes);
    for (size_t i = 0; i < u->npanes; i++)
        u->panes[i] = makers[i](u);
    u->line = NULL;
    for (size_t i = 0; i < u->npanes && !u->line; i++)
        if (u->panes[i]->ops->slot == SLOT_INPUT)
            u->line = u->panes[i];
    u->focus = u->line;
    u->main = ui_selection_pane(u);
}

void ui_panes_free(ui *u)
{
    for (size_t i = 0; i < u->npanes; i++) {
        pane *p = u->panes[i];
        if (p->ops->free)
            p->ops->free(p);
        else
            free(p);
    }
    free(u->panes);
    u->panes = NULL;
    u->npanes = 0;
    u->focus = u->main = u->line = NULL;
}

pane *ui_pane(ui *u, const pane_ops *ops)
{
    for (size_t i = 0; i < u->npanes; i++)
        if (u->panes[i]->ops == ops)
            return u->panes[i];
    return NULL;
}

void ui_focus(ui *u, pane *p)
{
    u->focus = p ? p : u->line;
    u->dirty = true;
}

void ui_open(ui *u, pane *p)
{
    p->open = true;
    ui_focus(u, p);
}

void ui_close(ui *u, pane *p)
{
    p->open = false;
    if (u->focus == p)
        ui_focus(u, NULL);
    u->dirty = true;
}

/* ------------------------------------------------------------ key tables */

bool pane_keytab(pane *p, ui *u, int key)
{
    for (const pane_key *k = p->ops->keys; k && k->key; k++) {
        if (k->key == key) {
            k->fn(p, u, key);
            return true;
        }
    }
    return false;
}

bool pane_take_key(pane *p, ui *u, int key)
{
    if (pane_keytab(p, u, key))
        return true;
    return p->ops->key && p->ops->key(p, u, key);
}

void pane_keys_hint(const pane_key *keys, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (const pane_key *k = keys; k && k->key && at < len; k++) {
        if (!k->keys)
            continue;
        int n = snprintf(buf + at, len - at, "%s%s %s", at ? "  " : "", k->keys, k->help);
        if (n < 0)
            break;
        at += (size_t)n;
    }
}

void pane_hint_line(pane *p, ui *u, int y, int x, int w, int attr, bool bar, const char *head,
                    const char *away)
{
    char keys[256];
    const char *tail = away;
    if (u->focus == p) {
        pane_keys_hint(p->ops->keys, keys, sizeof keys);
        tail = keys;
    }
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s%s", head ? head : "", tail ? tail : "");
    if (bar) {
        ui_blank(u, y, x, w, attr);
        x++;
        w--;
    }
    ui_text(u, y, x, w, buf_cstr(&b), b.len, attr);
    buf_free(&b);
}
