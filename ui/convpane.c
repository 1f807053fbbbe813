/* convpane.c: the conversation pane: messages wrapped by display width,
 * markdown as styles, streaming replies growing in place, scrolling that
 * follows the bottom until the user scrolls up, and /search.
 *
 * A frame lays out and draws only the messages on screen (msgdraw.c),
 * so its cost does not depend on the length of the history; and within
 * the pane only the rows whose content changed, so a streaming reply
 * costs the rows it grows. */
#include "config.h"
#include "cmds.h"
#include "msgdraw.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* What each row of the pane showed at the last draw. */
#define SIG_ROWS 1024

typedef struct convpane {
    pane p;
    convui *cuis;       /* per conversation: scroll, who you speak as */
    size_t ncuis, capcuis;
    char *search;       /* the last /search needle */
    size_t search_msg;  /* the message of the last match */
    /* What was on screen at the last draw, for the signature. */
    const conv *vis_conv;
    size_t vis_first, vis_last;
    /* The rows as drawn: valid while the screen was not erased and the
     * conversation and the rectangle are the same. */
    uint64_t row_sig[SIG_ROWS];
    bool row_valid[SIG_ROWS];
    rect sig_rect;
    unsigned sig_epoch;
    const conv *sig_conv;
} convpane;

static convpane *self(ui *u)
{
    return (convpane *)ui_pane(u, &convpane_ops);
}

convui *ui_convui(ui *u, const conv *c)
{
    convpane *cp = self(u);
    for (size_t i = 0; i < cp->ncuis; i++)
        if (!strcmp(cp->cuis[i].conv_id, c->id))
            return &cp->cuis[i];
    cp->cuis = xgrow(cp->cuis, &cp->capcuis, cp->ncuis + 1, sizeof *cp->cuis);
    convui *cu = &cp->cuis[cp->ncuis++];
    memset(cu, 0, sizeof *cu);
    cu->conv_id = xstrdup(c->id);
    scroll_init(&cu->sc);
    /* In a workspace someone else created we are the agent. */
    cu->as_agent = c->kind == CONV_WORKSPACE && !c->mine;
    cu->seen = c->nmsgs;
    return cu;
}

typedef struct hctx {
    rect r;
    conv *c;
} hctx;

static int height_cb(void *ud, size_t i)
{
    hctx *h = ud;
    return msg_height(h->c->msgs[i], h->r);
}

/* ------------------------------------------------------------ drawing */

static void draw_empty(ui *u, rect r)
{
    int a = ui_style(u, THEME_META);
    static const char *const lines[] = {
        "Nothing here yet.",
        "",
        "/chat [MODEL]        talk to a model",
        "/new CLIENT_ID       create a workspace (you are its customer)",
        "/open CLIENT_ID      resume a customer's workspace",
        "Ctrl-N / Ctrl-P      move between conversations",
        "F1                   every key and command",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines && (int)i + 1 < r.h; i++)
        ui_text(u, r.y + 1 + (int)i, r.x + 2, r.w - 2, lines[i], strlen(lines[i]), a);
}

/* Whether row must be drawn; if so it is blanked and its signature kept. */
static bool row_changed(convpane *cp, ui *u, int row, uint64_t sig)
{
    if (row < 0 || row >= SIG_ROWS)
        return true;
    if (cp->row_valid[row] && cp->row_sig[row] == sig)
        return false;
    cp->row_sig[row] = sig;
    cp->row_valid[row] = true;
    rect r = cp->p.r;
    ui_blank(u, r.y + row, r.x, r.w, ui_style(u, THEME_DEFAULT));
    return true;
}

static void draw(pane *p, ui *u)
{
    convpane *cp = (convpane *)p;
    rect r = p->r;
    if (r.h <= 0 || r.w <= 0)
        return;
    conv *c = u->cur;
    cp->vis_conv = c;
    cp->vis_first = cp->vis_last = 0;
    /* After a full erase, another conversation or another size, every row
     * is drawn. */
    if (cp->sig_epoch != u->erase_epoch || cp->sig_conv != c || memcmp(&cp->sig_rect, &r, sizeof r)) {
        memset(cp->row_valid, 0, sizeof cp->row_valid);
        cp->sig_epoch = u->erase_epoch;
        cp->sig_conv = c;
        cp->sig_rect = r;
    }
    if (!c || c->nmsgs == 0) {
        memset(cp->row_valid, 0, sizeof cp->row_valid);
        ui_blank_rect(u, r);
        if (!c || c->kind == CONV_CHAT) {
            draw_empty(u, r);
        } else {
            const char *s = c->history_loaded ? "no messages yet" : "loading...";
            ui_text(u, r.y + 1, r.x + 2, r.w - 2, s, strlen(s), ui_style(u, THEME_META));
        }
        return;
    }
    convui *cu = ui_convui(u, c);
    if (c->nmsgs > cu->seen) {
        scroll_added(&cu->sc, c->nmsgs - cu->seen);
        cu->seen = c->nmsgs;
    } else if (c->nmsgs < cu->seen) {
        cu->seen = c->nmsgs;
    }
    int rows = r.h;
    bool marker = !cu->sc.follow && cu->sc.new_below > 0;
    if (marker)
        rows--;
    hctx h = {r, c};
    scroll_view sv = scroll_resolve(&cu->sc, c->nmsgs, rows, height_cb, &h);
    int y = r.y, row = 0, skip = sv.skip;
    cp->vis_first = sv.first;
    for (size_t i = sv.first; i < c->nmsgs && row < rows; i++) {
        msg *m = c->msgs[i];
        text_view *v = msg_view(m);
        size_t nb = text_view_layout(v, msg_body_width(r));
        int total = 1 + (int)nb + (m->note ? 1 : 0) + 1;
        bool streaming = m->state == MSG_STREAMING;
        for (int k = skip; k < total && row < rows; k++, row++) {
            if (k == 0) {
                if (row_changed(cp, u, row, msg_header_sig(m)))
                    msg_draw_header(u, r, y + row, c, m);
            } else if (k <= (int)nb) {
                bool last = k == (int)nb;
                if (row_changed(cp, u, row, msg_body_sig(m, v, (size_t)(k - 1), last && streaming, cp->search)))
                    msg_draw_body_line(u, r, y + row, c, m, v, (size_t)(k - 1), last, cp->search);
            } else if (m->note && k == (int)nb + 1) {
                if (row_changed(cp, u, row, msg_note_sig(m)))
                    msg_draw_note(u, r, y + row, m);
            } else if (nb == 0 && streaming) {
                /* Nothing yet: the cursor waits where the text will come. */
                if (row_changed(cp, u, row, msg_mix(msg_header_sig(m), 'C')))
                    ui_text(u, y + row, r.x + 2, 1, "\xE2\x96\x8C", 3, ui_style(u, THEME_STATE_STREAMING));
            } else {
                row_changed(cp, u, row, 'S');
            }
        }
        skip = 0;
        cp->vis_last = i;
    }
    for (; row < rows; row++)
        row_changed(cp, u, row, 'E');
    if (marker) {
        char tmp[80];
        int n = snprintf(tmp, sizeof tmp, " \xE2\x86\x93 %zu new below (End) ", cu->sc.new_below);
        int a = ui_style(u, THEME_NEWBELOW);
        cp->row_valid[rows < SIG_ROWS ? rows : SIG_ROWS - 1] = false;
        ui_blank(u, r.y + r.h - 1, r.x, r.w, a);
        ui_text(u, r.y + r.h - 1, r.x + (r.w - 20) / 2, r.w, tmp, (size_t)n, a);
    }
}

/* The conversation, and the revisions of the messages on screen. */
static uint64_t sig(pane *p, ui *u)
{
    convpane *cp = (convpane *)p;
    conv *c = u->cur;
    if (!c)
        return 0;
    uint64_t h = (1469598103934665603ull ^ c->nmsgs) * 1099511628211ull;
    h = (h ^ c->rev) * 1099511628211ull;
    if (c != cp->vis_conv)
        return h ^ 0x9e3779b97f4a7c15ull;
    for (size_t i = cp->vis_first; i <= cp->vis_last && i < c->nmsgs; i++) {
        h ^= (uint64_t)(uintptr_t)c->msgs[i] + c->msgs[i]->rev * 1099511628211ull;
        h *= 1099511628211ull;
    }
    return h;
}

static void title(pane *p, ui *u, rect r)
{
    (void)p;
    int a = ui_style(u, THEME_TITLE);
    if (!u->cur) {
        ui_text(u, r.y, r.x + 1, r.w - 1, "aidesk", 6, a);
        return;
    }
    const conv *c = u->cur;
    int x = r.x + 1;
    const char *t = c->title ? c->title : c->id;
    x += ui_text(u, r.y, x, r.w / 2, t, strlen(t), a | A_BOLD);
    x++;
    int bs;
    const char *b = ui_badge(c, &bs);
    x += ui_text(u, r.y, x, r.x + r.w - x, b, strlen(b), ui_style(u, bs));
    char info[160];
    int n;
    if (c->kind == CONV_CHAT)
        n = snprintf(info, sizeof info, "  model %s", c->chat_model ? c->chat_model : "?");
    else
        n = snprintf(info, sizeof info, "  %s%s  you speak as the %s", c->id, c->ended ? " (ended)" : "",
                     ui_convui(u, c)->as_agent ? "agent" : "customer");
    if (n < 0 || (size_t)n >= sizeof info)
        n = (int)sizeof info - 1;
    ui_text(u, r.y, x, r.x + r.w - x, info, (size_t)n, a);
}

/* ------------------------------------------------------- scrolling, keys */

static void scroll_lines(convpane *cp, ui *u, int delta)
{
    if (!u->cur)
        return;
    convui *cu = ui_convui(u, u->cur);
    hctx h = {cp->p.r, u->cur};
    scroll_by(&cu->sc, u->cur->nmsgs, cp->p.r.h, delta, height_cb, &h);
    u->dirty = true;
}

/* Keys typed on the input line: paging, Home and End on an empty line,
 * Esc stops the reply being streamed. */
static bool from_line(pane *p, ui *u, int k, bool line_empty)
{
    convpane *cp = (convpane *)p;
    if (k == K_FN(KEY_PPAGE) || k == K_FN(KEY_NPAGE)) {
        scroll_lines(cp, u, (k == K_FN(KEY_PPAGE) ? -1 : 1) * (p->r.h - 2));
        return true;
    }
    if ((k == K_FN(KEY_HOME) || k == K_FN(KEY_END)) && line_empty) {
        if (u->cur && k == K_FN(KEY_HOME))
            scroll_home(&ui_convui(u, u->cur)->sc, u->cur->nmsgs);
        else if (u->cur)
            scroll_end(&ui_convui(u, u->cur)->sc);
        return true;
    }
    if (k == K_ESC && u->cur && app_cancel_stream(u->app, u->cur)) {
        app_flash(u->app, false, "stopping the reply...");
        return true;
    }
    return false;
}

static void mouse(pane *p, ui *u, const MEVENT *me)
{
    if (me->bstate & BUTTON4_PRESSED)
        scroll_lines((convpane *)p, u, -3);
    else if (me->bstate & BUTTON5_PRESSED)
        scroll_lines((convpane *)p, u, 3);
}

/* ---------------------------------------------------------------- search */

/* Finds the next message containing needle after the current match, and
 * moves the view there. Returns false when there is none. */
static bool search(convpane *cp, ui *u, bool next)
{
    conv *c = u->cur;
    const char *needle = cp->search;
    if (!c || !needle || !*needle || !c->nmsgs)
        return false;
    /* Newest first: F3 goes further back in the conversation. */
    size_t start = next && cp->search_msg > 0 && cp->search_msg <= c->nmsgs ? cp->search_msg - 1
                   : next                                                     ? 0
                                                                              : c->nmsgs;
    if (next && cp->search_msg == 0)
        return false;
    for (size_t i = start; i > 0; i--) {
        text_view *v = msg_view(c->msgs[i - 1]);
        text_view_layout(v, msg_body_width(cp->p.r));
        text_match mt;
        if (text_find(v, needle, 0, TEXT_FORWARD, &mt)) {
            convui *cu = ui_convui(u, c);
            cu->sc.follow = false;
            cu->sc.top = i - 1;
            cu->sc.top_skip = 0;
            cp->search_msg = i - 1;
            u->dirty = true;
            return true;
        }
    }
    return false;
}

void uicmd_search(ui *u, const cmd_parsed *p)
{
    convpane *cp = self(u);
    free(cp->search);
    cp->search = xstrdup(p->rest);
    if (!search(cp, u, false))
        app_flash(u->app, true, "not found: %s", cp->search);
}

void convpane_search_next(ui *u)
{
    convpane *cp = self(u);
    if (cp->search && !search(cp, u, true))
        app_flash(u->app, true, "no more matches for %s", cp->search);
}

static void convpane_free(pane *p)
{
    convpane *cp = (convpane *)p;
    for (size_t i = 0; i < cp->ncuis; i++)
        free(cp->cuis[i].conv_id);
    free(cp->cuis);
    free(cp->search);
    free(cp);
}

const pane_ops convpane_ops = {
    .name = "conversation",
    .slot = SLOT_MAIN,
    .draw = draw,
    .sig = sig,
    .from_line = from_line,
    .mouse = mouse,
    .title = title,
    .free = convpane_free,
};

pane *convpane_new(ui *u)
{
    (void)u;
    convpane *cp = xcalloc(1, sizeof *cp);
    cp->p.ops = &convpane_ops;
    return &cp->p;
}
