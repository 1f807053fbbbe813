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
#include <time.h>

#include "day.h"
#include "util/buf.h"
#include "util/clock.h"
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
    /* The draft shown under the conversation (read before deciding): a
     * message of its own, so that it is laid out like any AI message. */
    msg dmsg;
    char *dmsg_id;
    bool draft_drawn;   /* the last draw showed that draft */
    size_t dlines;      /* the draft's body lines, all of them (some may not fit) */
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

/* The view stays on the message it showed at the top when earlier ones
 * are put before it (desk_load_earlier): its identity, not its position. */
static void anchor_sync(convui *cu, const conv *c)
{
    if (cu->sc.follow || !cu->top_id)
        return;
    if (cu->sc.top < c->nmsgs && !strcmp(c->msgs[cu->sc.top]->id, cu->top_id))
        return;
    const msg *mm = conv_find_msg(c, cu->top_id);
    for (size_t i = 0; mm && i < c->nmsgs; i++) {
        if (c->msgs[i] != mm)
            continue;
        if (i > cu->sc.top)
            cu->seen += i - cu->sc.top; /* those are above, not "new below" */
        cu->sc.top = i;
        return;
    }
}

/* After the view moved: what it is placed on now. */
static void anchor_keep(convui *cu, const conv *c)
{
    if (cu->sc.follow || cu->sc.top >= c->nmsgs) {
        free(cu->top_id);
        cu->top_id = NULL;
        return;
    }
    const char *id = c->msgs[cu->sc.top]->id;
    if (!cu->top_id || strcmp(cu->top_id, id)) {
        free(cu->top_id);
        cu->top_id = xstrdup(id);
    }
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

/* n with thousands grouped: 12,345. */
static void group_digits(size_t n, char *out, size_t size)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%zu", n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
}

/* The row above the first message held when the server lists earlier
 * ones (model.h, "the window"): showing it asks for them at once. */
static void draw_older(convpane *cp, ui *u, rect r, conv *c)
{
    bool loading = desk_load_earlier(u->desk, c);
    char num[32], tmp[160];
    group_digits(c->older, num, sizeof num);
    const char *what = c->older == 1 ? "earlier message" : "earlier messages";
    int n;
    if (loading)
        n = snprintf(tmp, sizeof tmp, " \xE2\x86\x91 %s %s: loading...", num, what);
    else if (c->older_failed)
        n = snprintf(tmp, sizeof tmp, " \xE2\x86\x91 %s %s not loaded: scroll up to retry", num, what);
    else
        n = snprintf(tmp, sizeof tmp, " \xE2\x86\x91 %s %s", num, what);
    if (n < 0 || (size_t)n >= sizeof tmp)
        n = (int)sizeof tmp - 1;
    uint64_t sig = 1469598103934665603ull;
    for (int i = 0; i < n; i++)
        sig = msg_mix(sig, (unsigned char)tmp[i]);
    if (row_changed(cp, u, 0, sig))
        ui_text(u, r.y, r.x, r.w, tmp, (size_t)n, ui_style(u, THEME_META) | A_BOLD);
}

/* ------------------------------------------------------ the draft read */

const char *convpane_drawn_draft(ui *u)
{
    convpane *cp = self(u);
    return cp->draft_drawn && cp->dmsg_id && model_find_draft(u->m, cp->dmsg_id) ? cp->dmsg_id : NULL;
}

/* The draft to read under c: the one the queue has selected when it is
 * c's, else c's oldest pending one; NULL when c has none. */
static const draft *shown_draft(ui *u, const conv *c)
{
    if (!c || c->kind != CONV_WORKSPACE || !c->drafts)
        return NULL;
    const char *id = drafts_selected_id(u);
    const draft *d = id ? model_find_draft(u->m, id) : NULL;
    if (d && !strcmp(d->ws_id, c->id))
        return d;
    for (size_t i = 0; i < u->m->ndrafts; i++)
        if (!strcmp(u->m->drafts[i]->ws_id, c->id))
            return u->m->drafts[i];
    return NULL;
}

static void dmsg_clear(convpane *cp)
{
    if (cp->dmsg.cache_free)
        cp->dmsg.cache_free(cp->dmsg.cache);
    buf_free(&cp->dmsg.text);
    free(cp->dmsg_id);
    cp->dmsg_id = NULL;
    memset(&cp->dmsg, 0, sizeof cp->dmsg);
}

/* The draft as a message (its view laid out as an AI message's). */
static msg *dmsg_of(convpane *cp, const draft *d)
{
    const char *t = d->content ? d->content : "";
    if (!cp->dmsg_id || strcmp(cp->dmsg_id, d->id) || !cp->dmsg.text.data || strcmp(cp->dmsg.text.data, t)) {
        dmsg_clear(cp);
        cp->dmsg_id = xstrdup(d->id);
        cp->dmsg.role = AI_ROLE_AI;
        cp->dmsg.state = MSG_FINAL;
        cp->dmsg.at_ms = d->created_ms;
        buf_append(&cp->dmsg.text, t, strlen(t) + 1); /* with its NUL, for the comparison above */
        cp->dmsg.text.len--;
        cp->dmsg.rev = 1;
    }
    return &cp->dmsg;
}

/* Rows of the conversation kept above a long draft: a third of the pane,
 * at least this many, so the customer's last words stay in view. */
#define DRAFT_CONTEXT_ROWS 4

/* Rows of the draft block: a header, the body (the pane but for the
 * conversation's rows above it), a line about staleness when stale, a line
 * of keys. */
static int draft_rows(convpane *cp, ui *u, const draft *d, rect r, size_t *nbody, char **stale)
{
    text_view *v = msg_view(dmsg_of(cp, d));
    size_t nb = text_view_layout(v, msg_body_width(r));
    *stale = desk_draft_stale_why(u->desk, d->id);
    int fixed = 2 + (*stale ? 1 : 0);
    /* The draft is what is being decided: it may take two thirds of the
     * pane; the rest shows the customer's last words above it. */
    int context = r.h / 3 > DRAFT_CONTEXT_ROWS ? r.h / 3 : DRAFT_CONTEXT_ROWS;
    int room = r.h - context - fixed;
    if (room < 1)
        room = 1;
    *nbody = nb > (size_t)room ? (size_t)room : nb;
    cp->dlines = nb;
    return fixed + (int)*nbody;
}

static void draw_draft(convpane *cp, ui *u, rect r, int y, const conv *c, const draft *d, size_t nbody,
                       const char *stale)
{
    int a = ui_style(u, THEME_DRAFTS);
    char tmp[256];
    char when[16] = "";
    if (d->created_ms) {
        time_t t = (time_t)(d->created_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(when, sizeof when, " at %H:%M", &tm);
    }
    ui_blank(u, y, r.x, r.w, a);
    int n = snprintf(tmp, sizeof tmp, " AI draft \xC2\xB7 awaiting your approval \xC2\xB7 written%s", when);
    ui_text(u, y, r.x, r.w, tmp, (size_t)n, a | A_BOLD);
    y++;
    msg *m = &cp->dmsg;
    text_view *v = msg_view(m);
    /* A draft that does not fit ends in a line that says so, as a pager's
     * "more" does, and where it is whole. */
    bool cut = cp->dlines > nbody && nbody > 1;
    size_t shown = cut ? nbody - 1 : nbody;
    for (size_t i = 0; i < shown; i++, y++) {
        ui_blank(u, y, r.x, r.w, ui_style(u, THEME_DEFAULT));
        msg_draw_body_line(u, r, y, c, m, v, i, false, NULL);
    }
    if (cut) {
        ui_blank(u, y, r.x, r.w, ui_style(u, THEME_DEFAULT));
        n = snprintf(tmp, sizeof tmp, " \xE2\x80\xA6 %zu more lines: /edit shows the whole draft",
                     cp->dlines - shown);
        ui_text(u, y, r.x, r.w, tmp, (size_t)n, ui_style(u, THEME_META) | A_BOLD);
        y++;
    }
    if (stale) {
        ui_blank(u, y, r.x, r.w, ui_style(u, THEME_DEFAULT));
        n = snprintf(tmp, sizeof tmp, "\xE2\x9A\xA0 stale: this draft %s; approving asks first", stale);
        if (n < 0 || (size_t)n >= sizeof tmp)
            n = (int)sizeof tmp - 1;
        ui_text(u, y, r.x + 1, r.w - 1, tmp, (size_t)n, ui_style(u, THEME_STATE_FAILED) | A_BOLD);
        y++;
    }
    ui_blank(u, y, r.x, r.w, a);
    desk_held_info h;
    if (desk_held_for_draft(u->desk, d->id, clock_mono_ms(), &h))
        n = snprintf(tmp, sizeof tmp, " approving in %ld s: F8 undo", (h.left_ms + 999) / 1000);
    else if (drafts_focused(u))
        n = snprintf(tmp, sizeof tmp, " a approve  e edit  r reject  Up/Down another draft  Esc back");
    else
        n = snprintf(tmp, sizeof tmp, " /approve, /edit, /reject act on this draft; F2: the queue (a, e, r)");
    ui_text(u, y, r.x, r.w, tmp, (size_t)n, a);
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
    /* A draft awaiting approval is read below the conversation, the
     * customer's last messages above it. */
    const draft *d = shown_draft(u, c);
    size_t nbody = 0;
    char *stale = NULL;
    rect dr = r;
    if (d) {
        int h = draft_rows(cp, u, d, r, &nbody, &stale);
        if (h < r.h) {
            dr.y = r.y + r.h - h;
            dr.h = h;
            r.h -= h;
        } else {
            d = NULL;
        }
    }
    cp->draft_drawn = d != NULL;
    if (d) {
        draw_draft(cp, u, dr, dr.y, c, d, nbody, stale);
        for (int k = r.h; k < r.h + dr.h && k < SIG_ROWS; k++)
            cp->row_valid[k] = false;
    }
    free(stale);
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
    anchor_sync(cu, c);
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
    /* Earlier messages not held: a row above the first one says so, when
     * the view reaches it. */
    bool older = false;
    scroll_view sv;
    if (c->kind == CONV_WORKSPACE && c->older && rows > 1) {
        sv = scroll_resolve(&cu->sc, c->nmsgs, rows - 1, height_cb, &h);
        older = sv.first == 0 && sv.skip == 0;
    }
    if (!older)
        sv = scroll_resolve(&cu->sc, c->nmsgs, rows, height_cb, &h);
    anchor_keep(cu, c);
    int y = r.y, row = 0, skip = sv.skip;
    if (older) {
        draw_older(cp, u, r, c);
        row = 1;
    }
    cp->vis_first = sv.first;
    for (size_t i = sv.first; i < c->nmsgs && row < rows; i++) {
        msg *m = c->msgs[i];
        text_view *v = msg_view(m);
        size_t nb = text_view_layout(v, msg_body_width(r));
        bool choices = msg_has_choices(m);
        int total = 1 + (int)nb + (m->note ? 1 : 0) + (choices ? 1 : 0) + 1;
        int choices_at = 1 + (int)nb + (m->note ? 1 : 0);
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
            } else if (choices && k == choices_at) {
                if (row_changed(cp, u, row, msg_mix(msg_header_sig(m), 'X')))
                    msg_draw_choices(u, r, y + row);
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
    if (c->drafts) {
        /* The draft read below: which, its state, its undo countdown, the queue's focus. */
        const draft *d = shown_draft(u, c);
        desk_held_info hi;
        h = (h ^ (uint64_t)(uintptr_t)d ^ u->m->rev) * 1099511628211ull;
        h = (h ^ (uint64_t)drafts_focused(u)) * 1099511628211ull;
        if (d && desk_held_for_draft(u->desk, d->id, clock_mono_ms(), &hi))
            h = (h ^ ((uint64_t)(hi.left_ms + 999) / 1000 + 7)) * 1099511628211ull;
    }
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
    anchor_sync(cu, u->cur);
    hctx h = {cp->p.r, u->cur};
    bool at_top = !cu->sc.follow && cu->sc.top == 0 && cu->sc.top_skip == 0;
    scroll_by(&cu->sc, u->cur->nmsgs, cp->p.r.h, delta, height_cb, &h);
    anchor_keep(cu, u->cur);
    /* Up at the top after earlier messages failed to load: try again. */
    if (delta < 0 && at_top)
        desk_earlier_retry(u->desk, u->cur);
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
        if (u->cur && k == K_FN(KEY_HOME)) {
            convui *cu = ui_convui(u, u->cur);
            scroll_home(&cu->sc, u->cur->nmsgs);
            anchor_keep(cu, u->cur);
            desk_earlier_retry(u->desk, u->cur);
        } else if (u->cur)
            scroll_end(&ui_convui(u, u->cur)->sc);
        return true;
    }
    if (k == K_ESC && u->cur && desk_cancel_stream(u->desk, u->cur)) {
        desk_flash(u->desk, false, "stopping the reply...");
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
            anchor_keep(cu, c);
            cp->search_msg = i - 1;
            u->dirty = true;
            return true;
        }
    }
    return false;
}

/* A search looks in what is held: said so when earlier messages are not. */
static void not_found(ui *u, const char *what, const char *needle)
{
    const conv *c = u->cur;
    if (c && c->older)
        desk_flash(u->desk, true, "%s %s in the messages loaded (%zu earlier ones are not: Home loads them)",
                   what, needle, c->older);
    else
        desk_flash(u->desk, true, "%s %s", what, needle);
}

void uicmd_search(ui *u, const cmd_parsed *p)
{
    convpane *cp = self(u);
    free(cp->search);
    cp->search = xstrdup(p->rest);
    if (!search(cp, u, false))
        not_found(u, "not found:", cp->search);
}

void convpane_search_next(ui *u)
{
    convpane *cp = self(u);
    if (cp->search && !search(cp, u, true))
        not_found(u, "no more matches for", cp->search);
}

static void convpane_free(pane *p)
{
    convpane *cp = (convpane *)p;
    for (size_t i = 0; i < cp->ncuis; i++) {
        free(cp->cuis[i].conv_id);
        free(cp->cuis[i].top_id);
    }
    free(cp->cuis);
    free(cp->search);
    dmsg_clear(cp);
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
