/* convpane.c: the conversation pane: messages wrapped by display width,
 * markdown as styles, streaming replies growing in place, scrolling that
 * follows the bottom until the user scrolls up, and /search.
 *
 * Each message keeps a text_view (its parsed, wrapped lines) in its render
 * cache; a frame lays out and draws only the messages on screen, so its
 * cost does not depend on the length of the history. */
#include "config.h"
#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/view.h"
#include "util/mem.h"

typedef struct mcache {
    text_view *v;
    size_t fed;      /* bytes of the message's text given to the view */
    unsigned rev;    /* the message revision seen */
    bool finished;
} mcache;

static void mcache_free(void *p)
{
    mcache *mc = p;
    text_view_free(mc->v);
    free(mc);
}

/* The view of m, brought up to date with its text. */
static text_view *view_of(msg *m)
{
    mcache *mc = m->cache;
    if (!mc) {
        mc = xcalloc(1, sizeof *mc);
        mc->v = text_view_new();
        mc->rev = m->rev - 1;
        m->cache = mc;
        m->cache_free = mcache_free;
    }
    if (mc->rev == m->rev)
        return mc->v;
    mc->rev = m->rev;
    const char *t = m->text.data ? m->text.data : "";
    size_t len = m->text.len;
    /* Streaming appends to the end; anything else (a reply replaced by the
     * server's final text, a finished message edited) starts over. */
    if (len < mc->fed || (mc->finished && len != mc->fed)) {
        text_view_reset(mc->v);
        mc->fed = 0;
        mc->finished = false;
    }
    if (len > mc->fed) {
        text_view_append(mc->v, t + mc->fed, len - mc->fed);
        mc->fed = len;
    }
    if (m->state != MSG_STREAMING && m->state != MSG_SENDING && !mc->finished) {
        text_view_finish(mc->v);
        mc->finished = true;
    }
    return mc->v;
}

static int body_width(const ui *u)
{
    int w = u->lay.conv.w - 3;
    return w < 1 ? 1 : w;
}

/* Lines of one message: header, body, note, blank separator. */
static int msg_height(ui *u, msg *m)
{
    text_view *v = view_of(m);
    size_t n = text_view_layout(v, body_width(u));
    return 1 + (int)n + (m->note ? 1 : 0) + 1;
}

typedef struct hctx {
    ui *u;
    conv *c;
} hctx;

static int height_cb(void *ud, size_t i)
{
    hctx *h = ud;
    return msg_height(h->u, h->c->msgs[i]);
}

/* ------------------------------------------------------------ drawing */

static int role_style(const conv *c, const msg *m, const char **label)
{
    switch (m->role) {
    case AI_ROLE_AI: *label = "AI"; return THEME_ROLE_AI;
    case AI_ROLE_HUMAN: *label = "agent"; return THEME_ROLE_HUMAN;
    case AI_ROLE_SYSTEM: *label = "system"; return THEME_ROLE_SYSTEM;
    case AI_ROLE_USER:
        if (c->kind == CONV_CHAT) {
            *label = "you";
            return THEME_ROLE_YOU;
        }
        *label = "customer";
        return THEME_ROLE_CUSTOMER;
    }
    *label = "?";
    return THEME_DEFAULT;
}

static void draw_header(ui *u, int y, const conv *c, const msg *m)
{
    rect r = u->lay.conv;
    const char *label;
    int rs = role_style(c, m, &label);
    int x = r.x + 1;
    x += ui_text(u, y, x, r.w - 1, label, strlen(label), ui_style(u, rs) | A_BOLD);
    char when[16] = "";
    if (m->at_ms) {
        time_t t = (time_t)(m->at_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(when, sizeof when, " %H:%M", &tm);
    }
    x += ui_text(u, y, x, r.x + r.w - x, when, strlen(when), ui_style(u, THEME_META));
    const char *extra = NULL;
    int es = THEME_META;
    if (m->role == AI_ROLE_AI && c->kind == CONV_WORKSPACE && m->approval) {
        extra = !strcmp(m->approval, "direct") ? " · sent directly"
                : !strcmp(m->approval, "edited") ? " · edited and approved"
                : !strcmp(m->approval, "approved") ? " · approved"
                                                   : NULL;
    }
    if (m->as_agent && m->role == AI_ROLE_HUMAN)
        extra = " · you";
    switch (m->state) {
    case MSG_STREAMING: extra = " · streaming"; es = THEME_STATE_STREAMING; break;
    case MSG_CANCELLED: extra = " · cancelled"; es = THEME_STATE_FAILED; break;
    case MSG_FAILED: extra = " · failed"; es = THEME_STATE_FAILED; break;
    case MSG_SENDING: extra = " · sending"; es = THEME_STATE_UNSENT; break;
    case MSG_UNSENT: extra = " · not sent"; es = THEME_STATE_UNSENT; break;
    case MSG_UNCERTAIN: extra = " · may not have arrived"; es = THEME_STATE_FAILED; break;
    case MSG_FINAL: break;
    }
    if (extra)
        ui_text(u, y, x, r.x + r.w - x, extra, strlen(extra), ui_style(u, es));
}

static int span_style(ui *u, int role, const wrap_span *s)
{
    int st;
    switch (s->kind) {
    case MD_EMPH: st = THEME_MD_EMPH; break;
    case MD_STRONG: st = THEME_MD_STRONG; break;
    case MD_CODE: st = THEME_MD_CODE; break;
    case MD_CODE_BLOCK: st = THEME_MD_CODEBLOCK; break;
    case MD_HEADING: st = THEME_MD_HEADING; break;
    case MD_LIST_MARKER: st = THEME_MD_LISTMARKER; break;
    case MD_QUOTE: st = THEME_MD_QUOTE; break;
    case MD_LINK:
    case MD_LINK_URL: st = THEME_MD_LINK; break;
    case MD_PLACEHOLDER: st = THEME_PLACEHOLDER; break;
    default: st = role; break;
    }
    int a = ui_style(u, st);
    if (s->attr & MD_ATTR_STRONG)
        a |= A_BOLD;
#ifdef A_ITALIC
    if (s->attr & MD_ATTR_EMPH)
        a |= A_ITALIC;
#endif
    return a;
}

/* Draws body line i of m's view at screen row y. */
static void draw_body_line(ui *u, int y, const conv *c, msg *m, text_view *v, size_t i, bool last)
{
    rect r = u->lay.conv;
    int x0 = r.x + 2;
    const char *label;
    int role = role_style(c, m, &label);
    const wrap_line *l = text_view_line(v, i);
    const wrap_span *sp = text_view_spans(v, l);
    const char *text = text_view_text(v);
    if (l->flags & WRAP_LINE_CODE)
        ui_blank(u, y, x0, body_width(u), ui_style(u, THEME_MD_CODEBLOCK));
    if ((l->flags & WRAP_LINE_CONT) && l->indent >= 2)
        ui_text(u, y, x0 + l->indent - 2, 1, "\xE2\x86\xAA", 3, ui_style(u, THEME_META)); /* ↪ */
    /* The markdown engine's text is sanitised already. */
    for (uint32_t k = 0; k < l->count; k++)
        ui_text_safe(u, y, x0 + sp[k].col, sp[k].width, text + sp[k].off, sp[k].len,
                     span_style(u, role, &sp[k]));
    if (u->search && *u->search) {
        text_match mt;
        bool ok = text_find(v, u->search, i, TEXT_FORWARD, &mt) && mt.line == i;
        while (ok) {
            mvchgat(y, x0 + mt.col, mt.end_col - mt.col, (attr_t)ui_style(u, THEME_SEARCH_MATCH) & ~A_COLOR,
                    (short)PAIR_NUMBER(ui_style(u, THEME_SEARCH_MATCH)), NULL);
            text_match nx;
            ok = text_find_next(v, u->search, &mt, TEXT_FORWARD, &nx) && nx.line == i;
            mt = nx;
        }
    }
    if (last && m->state == MSG_STREAMING && l->width + 1 < body_width(u))
        ui_text(u, y, x0 + l->width, 1, "\xE2\x96\x8C", 3, ui_style(u, THEME_STATE_STREAMING)); /* ▌ */
}

static void draw_note(ui *u, int y, const msg *m)
{
    rect r = u->lay.conv;
    int st = m->state == MSG_FINAL ? THEME_META
             : m->state == MSG_UNSENT || m->state == MSG_SENDING ? THEME_STATE_UNSENT
                                                                 : THEME_STATE_FAILED;
    int x = r.x + 2;
    x += ui_text(u, y, x, 2, m->state == MSG_FINAL ? "\xC2\xB7 " : "\xE2\x9A\xA0 ", m->state == MSG_FINAL ? 3 : 4,
                 ui_style(u, st));
    ui_text(u, y, x, r.x + r.w - x, m->note, strlen(m->note), ui_style(u, st));
}

static void draw_empty(ui *u)
{
    rect r = u->lay.conv;
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

/* What was on screen at the last draw, for the redraw check. */
static const conv *vis_conv;
static size_t vis_first, vis_last;

/* What each row of the pane showed at the last draw: a row whose content
 * did not change is not drawn again, so a streaming reply costs the rows
 * it grows, not the pane. */
#define SIG_ROWS 1024
static uint64_t row_sig[SIG_ROWS];
static bool row_valid[SIG_ROWS];
static rect sig_rect;
static unsigned sig_epoch;
static const conv *sig_conv;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    return h * 1099511628211ull;
}

static uint64_t mix_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = mix(h, (unsigned char)s[i]);
    return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    return s ? mix_bytes(h, s, strlen(s)) : mix(h, 0x5bd1e995u);
}

/* Whether row must be drawn; if so it is blanked and its signature kept. */
static bool row_changed(ui *u, int row, uint64_t sig)
{
    if (row < 0 || row >= SIG_ROWS)
        return true;
    if (row_valid[row] && row_sig[row] == sig)
        return false;
    row_sig[row] = sig;
    row_valid[row] = true;
    rect r = u->lay.conv;
    ui_blank(u, r.y + row, r.x, r.w, ui_style(u, THEME_DEFAULT));
    return true;
}

static uint64_t header_sig(const msg *m)
{
    uint64_t h = mix(1469598103934665603ull, 'H');
    h = mix(h, (uint64_t)(uintptr_t)m);
    h = mix(h, (uint64_t)m->state * 31 + (uint64_t)m->role * 7 + (m->as_agent ? 1 : 0));
    h = mix(h, (uint64_t)m->at_ms);
    return mix_str(h, m->approval);
}

static uint64_t body_sig(ui *u, const msg *m, text_view *v, size_t i, bool cursor)
{
    const wrap_line *l = text_view_line(v, i);
    const wrap_span *sp = text_view_spans(v, l);
    const char *text = text_view_text(v);
    uint64_t h = mix(1469598103934665603ull, 'B');
    h = mix(h, (uint64_t)(uintptr_t)m);
    h = mix(h, ((uint64_t)l->flags << 32) | ((uint64_t)l->indent << 16) | (cursor ? 1 : 0));
    for (uint32_t k = 0; k < l->count; k++) {
        h = mix(h, ((uint64_t)sp[k].col << 24) | ((uint64_t)sp[k].kind << 8) | sp[k].attr);
        h = mix_bytes(h, text + sp[k].off, sp[k].len);
    }
    return mix_str(h, u->search);
}

static uint64_t note_sig(const msg *m)
{
    return mix_str(mix(mix(1469598103934665603ull, 'N'), (uint64_t)m->state), m->note);
}

void convpane_draw(ui *u)
{
    rect r = u->lay.conv;
    if (r.h <= 0 || r.w <= 0)
        return;
    conv *c = u->cur;
    vis_conv = c;
    vis_first = vis_last = 0;
    /* After a full erase, another conversation or another size, every row
     * is drawn. */
    if (sig_epoch != u->erase_epoch || sig_conv != c || memcmp(&sig_rect, &r, sizeof r)) {
        memset(row_valid, 0, sizeof row_valid);
        sig_epoch = u->erase_epoch;
        sig_conv = c;
        sig_rect = r;
    }
    if (!c || (c->nmsgs == 0 && c->kind == CONV_CHAT)) {
        memset(row_valid, 0, sizeof row_valid);
        draw_empty(u);
        return;
    }
    if (c->nmsgs == 0) {
        memset(row_valid, 0, sizeof row_valid);
        const char *s = c->history_loaded ? "no messages yet" : "loading...";
        ui_text(u, r.y + 1, r.x + 2, r.w - 2, s, strlen(s), ui_style(u, THEME_META));
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
    hctx h = {u, c};
    scroll_view sv = scroll_resolve(&cu->sc, c->nmsgs, rows, height_cb, &h);
    int y = r.y, row = 0, skip = sv.skip;
    vis_first = sv.first;
    for (size_t i = sv.first; i < c->nmsgs && row < rows; i++) {
        msg *m = c->msgs[i];
        text_view *v = view_of(m);
        size_t nb = text_view_layout(v, body_width(u));
        int total = 1 + (int)nb + (m->note ? 1 : 0) + 1;
        bool streaming = m->state == MSG_STREAMING;
        for (int k = skip; k < total && row < rows; k++, row++) {
            if (k == 0) {
                if (row_changed(u, row, header_sig(m)))
                    draw_header(u, y + row, c, m);
            } else if (k <= (int)nb) {
                bool last = k == (int)nb;
                if (row_changed(u, row, body_sig(u, m, v, (size_t)(k - 1), last && streaming)))
                    draw_body_line(u, y + row, c, m, v, (size_t)(k - 1), last);
            } else if (m->note && k == (int)nb + 1) {
                if (row_changed(u, row, note_sig(m)))
                    draw_note(u, y + row, m);
            } else if (nb == 0 && streaming) {
                /* Nothing yet: the cursor waits where the text will come. */
                if (row_changed(u, row, mix(header_sig(m), 'C')))
                    ui_text(u, y + row, r.x + 2, 1, "\xE2\x96\x8C", 3, ui_style(u, THEME_STATE_STREAMING));
            } else {
                row_changed(u, row, 'S');
            }
        }
        skip = 0;
        vis_last = i;
    }
    for (; row < rows; row++)
        row_changed(u, row, 'E');
    if (marker) {
        char tmp[80];
        int n = snprintf(tmp, sizeof tmp, " \xE2\x86\x93 %zu new below (End) ", cu->sc.new_below);
        int a = ui_style(u, THEME_NEWBELOW);
        row_valid[rows < SIG_ROWS ? rows : SIG_ROWS - 1] = false;
        ui_blank(u, r.y + r.h - 1, r.x, r.w, a);
        ui_text(u, r.y + r.h - 1, r.x + (r.w - 20) / 2, r.w, tmp, (size_t)n, a);
    }
}

uint64_t convpane_signature(ui *u)
{
    conv *c = u->cur;
    if (!c)
        return 0;
    uint64_t h = 1469598103934665603ull ^ c->nmsgs;
    if (c != vis_conv)
        return h ^ 0x9e3779b97f4a7c15ull;
    for (size_t i = vis_first; i <= vis_last && i < c->nmsgs; i++) {
        h ^= (uint64_t)(uintptr_t)c->msgs[i] + c->msgs[i]->rev * 1099511628211ull;
        h *= 1099511628211ull;
    }
    return h;
}

void convpane_scroll(ui *u, int delta)
{
    if (!u->cur)
        return;
    convui *cu = ui_convui(u, u->cur);
    hctx h = {u, u->cur};
    scroll_by(&cu->sc, u->cur->nmsgs, u->lay.conv.h, delta, height_cb, &h);
    u->dirty = true;
}

void convpane_home(ui *u)
{
    if (!u->cur)
        return;
    scroll_home(&ui_convui(u, u->cur)->sc, u->cur->nmsgs);
    u->dirty = true;
}

void convpane_end(ui *u)
{
    if (!u->cur)
        return;
    scroll_end(&ui_convui(u, u->cur)->sc);
    u->dirty = true;
}

bool convpane_search(ui *u, const char *needle, bool next)
{
    conv *c = u->cur;
    if (!c || !needle || !*needle || !c->nmsgs)
        return false;
    /* Newest first: F3 goes further back in the conversation. */
    size_t start = next && u->search_msg > 0 && u->search_msg <= c->nmsgs ? u->search_msg - 1
                   : next                                                   ? 0
                                                                            : c->nmsgs;
    if (next && u->search_msg == 0)
        return false;
    for (size_t i = start; i > 0; i--) {
        msg *m = c->msgs[i - 1];
        text_view *v = view_of(m);
        text_view_layout(v, body_width(u));
        text_match mt;
        if (text_find(v, needle, 0, TEXT_FORWARD, &mt)) {
            convui *cu = ui_convui(u, c);
            cu->sc.follow = false;
            cu->sc.top = i - 1;
            cu->sc.top_skip = 0;
            u->search_msg = i - 1;
            u->dirty = true;
            return true;
        }
    }
    return false;
}
