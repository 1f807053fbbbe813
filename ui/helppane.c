/* helppane.c: the help overlay: every key and command, from the tables
 * that drive them (view/commands.h), scrolled with PgUp/PgDn; any other
 * key closes it. */
#include "config.h"
#include "cmds.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

typedef struct helppane {
    pane p;
    int top; /* first line shown */
} helppane;

static const pane_ops ops;

void help_open(ui *u)
{
    helppane *hp = (helppane *)ui_pane(u, &ops);
    hp->top = 0;
    ui_open(u, &hp->p);
}

void uicmd_help(ui *u, const cmd_parsed *p)
{
    (void)p;
    help_open(u);
}

static bool key(pane *p, ui *u, int k)
{
    helppane *hp = (helppane *)p;
    if (k == K_FN(KEY_NPAGE) || k == K_FN(KEY_DOWN))
        hp->top += k == K_FN(KEY_NPAGE) ? 10 : 1;
    else if (k == K_FN(KEY_PPAGE) || k == K_FN(KEY_UP))
        hp->top = hp->top > 10 ? hp->top - (k == K_FN(KEY_PPAGE) ? 10 : 1) : 0;
    else
        ui_close(u, p);
    return true;
}

static void draw(pane *p, ui *u)
{
    helppane *hp = (helppane *)p;
    int h = u->rows - 4, w = u->cols - 4;
    if (h < 3 || w < 20)
        return;
    int y0 = 1, x0 = 2;
    int a = ui_style(u, THEME_HELP), k = ui_style(u, THEME_HELP_KEY);
    for (int y = 0; y < h; y++)
        ui_blank(u, y0 + y, x0, w, a);
    attrset(ui_style(u, THEME_BORDER));
    mvhline(y0, x0, ACS_HLINE, w);
    mvhline(y0 + h - 1, x0, ACS_HLINE, w);
    static const char head[] = " aidesk help: keys and commands (Esc closes, PgUp/PgDn scroll) ";
    ui_text(u, y0, x0 + 2, w - 4, head, sizeof head - 1, k);
    /* Lines come from the same tables that drive keys and completion. */
    size_t nk, nc;
    const key_def *keys = key_table(&nk);
    const cmd_def *cmds = cmd_table(&nc);
    int total = (int)(nk + nc + 3);
    int rows = h - 2;
    if (hp->top > total - rows)
        hp->top = total - rows > 0 ? total - rows : 0;
    int line = 0, y = y0 + 1;
    char left[200];
    for (int i = 0; i < total && y < y0 + h - 1; i++, line++) {
        if (line < hp->top)
            continue;
        const char *l = NULL, *rt = NULL;
        if (i == 0) {
            l = "Keys";
        } else if ((size_t)i <= nk) {
            l = keys[i - 1].keys;
            rt = keys[i - 1].help;
        } else if ((size_t)i == nk + 1) {
            l = "";
        } else if ((size_t)i == nk + 2) {
            l = "Commands";
        } else {
            const cmd_def *c = &cmds[i - (int)nk - 3];
            snprintf(left, sizeof left, "/%s %s", c->name, c->usage);
            l = left;
            rt = c->help;
        }
        int kw = w / 2 - 2 > 36 ? 36 : w / 2 - 2;
        ui_text(u, y, x0 + 2, rt ? kw : w - 4, l, strlen(l), rt ? k : (int)(k | A_BOLD));
        if (rt)
            ui_text(u, y, x0 + 3 + kw, w - kw - 5, rt, strlen(rt), a);
        y++;
    }
}

static const pane_ops ops = {
    .name = "help",
    .slot = SLOT_OVERLAY,
    .draw = draw,
    .key = key,
};

pane *helppane_new(ui *u)
{
    (void)u;
    helppane *hp = xcalloc(1, sizeof *hp);
    hp->p.ops = &ops;
    return &hp->p;
}
