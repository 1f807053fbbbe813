/* inputpane.c: the input line on screen (input.c keeps its text with
 * readline), and what belongs to the line being typed: the draft it
 * edits, text given back for another try, what Esc means on it.
 *
 * With the line focused, a key is offered first to the pane in the main
 * area (claim: Esc gives AI Gate its keys back, the arrows the columns
 * of a comparison, on an empty line), then to the line itself (Esc, Alt),
 * then to the pane of the selection (from_line: paging the conversation,
 * Esc stopping a reply); the console's bindings (keys.c) and readline get
 * what is left. */
#include "config.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/width.h"
#include "util/mem.h"

typedef struct inputpane {
    pane p;
    char *editing;  /* the id of the draft being edited on the line */
    bool told;      /* the person was told that draft left the queue */
    char *refill;   /* text for the line once the line being handled is done */
    int cy, cx;     /* the cursor, where the last draw put it */
} inputpane;

static const pane_ops ops;

static inputpane *self(ui *u)
{
    return (inputpane *)u->line;
}

void line_edit_draft(ui *u, const char *draft_id, const char *content)
{
    inputpane *ip = self(u);
    char *id = xstrdup(draft_id); /* draft_id may be the one being replaced */
    free(ip->editing);
    ip->editing = id;
    ip->told = false;
    input_set_text(u, content);
}

const char *line_editing_draft(ui *u)
{
    return u->line ? self(u)->editing : NULL;
}

char *line_take_edit(ui *u)
{
    inputpane *ip = self(u);
    char *id = ip->editing;
    ip->editing = NULL;
    ip->told = false;
    return id;
}

void line_refill(ui *u, const char *text)
{
    inputpane *ip = self(u);
    free(ip->refill);
    ip->refill = xstrdup(text);
}

void line_opened(ui *u)
{
    for (size_t i = 0; i < u->npanes; i++)
        if (u->panes[i]->ops->line_opened)
            u->panes[i]->ops->line_opened(u->panes[i], u);
}

/* A key for readline. A line handled by that key may ask for text in the
 * next one (line_refill): readline clears the line after its handler
 * returns, so it is put there now. */
static void feed(ui *u, int key)
{
    inputpane *ip = self(u);
    input_key(u, key);
    if (ip->refill) {
        char *text = ip->refill;
        ip->refill = NULL;
        input_set_text(u, text);
        free(text);
    }
}

void line_type(ui *u, int key)
{
    if (input_empty())
        line_opened(u);
    feed(u, key);
}

static bool key(pane *p, ui *u, int k)
{
    inputpane *ip = (inputpane *)p;
    if (k == K_ESC) {
        /* Esc and a key at once is Alt-key: readline gets both bytes. */
        wint_t next;
        int r = get_wch(&next);
        if (r != ERR) {
            feed(u, K_ESC);
            feed(u, r == KEY_CODE_YES ? K_FN(next) : (int)next);
            return true;
        }
    }
    bool empty = input_empty();
    if (empty && u->main->ops->claim && u->main->ops->claim(u->main, u, k))
        return true;
    if (k == K_ESC && ip->editing) {
        free(line_take_edit(u));
        input_set_text(u, "");
        desk_flash(u->desk, false, "draft edit abandoned; the draft is unchanged");
        return true;
    }
    pane *sel = ui_selection_pane(u);
    if (sel->ops->from_line && sel->ops->from_line(sel, u, k, empty))
        return true;
    return k == K_ESC; /* Esc alone never reaches readline */
}

/* After events: tells the person, once, that the draft they are editing
 * left the queue. */
static void sync(pane *p, ui *u)
{
    inputpane *ip = (inputpane *)p;
    if (!ip->editing || ip->told || model_find_draft(u->m, ip->editing))
        return;
    char *why = desk_draft_why_not(u->desk, ip->editing);
    if (!why)
        return;
    desk_flash(u->desk, true, "the draft being edited %s; Enter sends nothing", why);
    free(why);
    ip->told = true;
}

static const char *prompt(ui *u, char *buf, size_t len)
{
    if (line_editing_draft(u))
        snprintf(buf, len, "edit draft> ");
    else if (input_text()[0] == '/')
        snprintf(buf, len, "> ");
    else if (u->cur_cmp)
        snprintf(buf, len, "compare> ");
    else if (!u->cur)
        snprintf(buf, len, "> ");
    else if (u->cur->kind == CONV_CHAT)
        snprintf(buf, len, "you> ");
    else
        snprintf(buf, len, "%s> ", ui_convui(u, u->cur)->as_agent ? "agent" : "customer");
    return buf;
}

/* Visual rows of the input: each logical line wrapped at width w. */
static int rows_for(const char *s, int first_w, int w)
{
    int rows = 1, col = 0, lim = first_w;
    size_t i = 0, len = strlen(s);
    while (i < len) {
        if (s[i] == '\n') {
            rows++;
            col = 0;
            lim = w;
            i++;
            continue;
        }
        int cw;
        size_t k = tw_cluster_next(s + i, len - i, &cw);
        if (col + cw > lim) {
            rows++;
            col = 0;
            lim = w;
        }
        col += cw;
        i += k;
    }
    return rows;
}

static int input_lines(ui *u)
{
    char pb[32];
    int pw = (int)strlen(prompt(u, pb, sizeof pb));
    int w = u->cols > 1 ? u->cols - 1 : 1;
    int r = rows_for(input_text(), w - pw > 1 ? w - pw : 1, w);
    return r > LAYOUT_MAX_INPUT_LINES ? LAYOUT_MAX_INPUT_LINES : r;
}

static void draw(pane *p, ui *u)
{
    inputpane *ip = (inputpane *)p;
    rect r = p->r;
    if (r.h <= 0 || r.w <= 0)
        return;
    int a = ui_style(u, THEME_INPUT), pa = ui_style(u, THEME_INPUT_PROMPT);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, a);
    char pb[32];
    const char *pr = prompt(u, pb, sizeof pb);
    int pw = (int)strlen(pr);
    int w = r.w > 1 ? r.w - 1 : 1;
    /* Lay the text out into visual rows, remembering the cursor's place,
     * then show the window of rows that holds the cursor. */
    const char *s = input_text();
    size_t len = strlen(s), point = input_point();
    int row = 0, col = pw, cur_row = 0, cur_col = pw;
    typedef struct piece {
        int row, col;
        size_t off, len;
    } piece;
    piece *pcs = NULL;
    size_t npcs = 0, cap = 0;
    size_t i = 0;
    while (i <= len) {
        if (i == point) {
            cur_row = row;
            cur_col = col;
        }
        if (i == len)
            break;
        if (s[i] == '\n') {
            row++;
            col = 0;
            i++;
            continue;
        }
        int cw;
        size_t k = tw_cluster_next(s + i, len - i, &cw);
        if (col + cw > w) {
            row++;
            col = 0;
            if (i == point) {
                cur_row = row;
                cur_col = col;
            }
        }
        pcs = xgrow(pcs, &cap, npcs + 1, sizeof *pcs);
        pcs[npcs++] = (piece){row, col, i, k};
        col += cw;
        i += k;
    }
    if (cur_col >= w) {
        cur_row++;
        cur_col = 0;
    }
    int top = cur_row >= r.h ? cur_row - r.h + 1 : 0;
    if (top == 0)
        ui_text(u, r.y, r.x, pw, pr, strlen(pr), pa);
    for (size_t k = 0; k < npcs; k++) {
        int vr = pcs[k].row - top;
        if (vr < 0 || vr >= r.h)
            continue;
        ui_text(u, r.y + vr, r.x + pcs[k].col, r.w - pcs[k].col, s + pcs[k].off, pcs[k].len, a);
    }
    free(pcs);
    ip->cy = r.y + cur_row - top;
    ip->cx = r.x + cur_col;
}

static void wants(pane *p, ui *u, layout_opts *o)
{
    (void)p;
    o->input_lines = input_lines(u);
}

static bool cursor(pane *p, ui *u, int *y, int *x)
{
    (void)u;
    *y = ((inputpane *)p)->cy;
    *x = ((inputpane *)p)->cx;
    return true;
}

static void inputpane_free(pane *p)
{
    inputpane *ip = (inputpane *)p;
    free(ip->editing);
    free(ip->refill);
    free(ip);
}

static const pane_ops ops = {
    .name = "input",
    .slot = SLOT_INPUT,
    .draw = draw,
    .wants = wants,
    .key = key,
    .cursor = cursor,
    .sync = sync,
    .free = inputpane_free,
};

pane *inputpane_new(ui *u)
{
    (void)u;
    inputpane *ip = xcalloc(1, sizeof *ip);
    ip->p.ops = &ops;
    return &ip->p;
}
