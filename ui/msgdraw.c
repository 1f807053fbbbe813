/* msgdraw.c: one message of a conversation on screen: its text laid
 * out (kept with the message), its header, body lines and note, and a
 * signature for each row so that the pane draws only rows that changed. */
#include "config.h"
#include "msgdraw.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/notes.h"
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
text_view *msg_view(msg *m)
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

int msg_body_width(rect r)
{
    int w = r.w - 3;
    return w < 1 ? 1 : w;
}

int msg_height(msg *m, rect r)
{
    text_view *v = msg_view(m);
    size_t n = text_view_layout(v, msg_body_width(r));
    return 1 + (int)n + (m->note ? 1 : 0) + (msg_has_choices(m) ? 1 : 0) + 1;
}

bool msg_has_choices(const msg *m)
{
    return msg_is_note(m) && m->notice && m->notice->what == NOTE_DRAFT_REJECTED;
}

void msg_draw_choices(ui *u, rect r, int y)
{
    static const char choices[] = "\xE2\x86\x92 next: write a reply as the agent \xC2\xB7 /takeover "
                                  "\xC2\xB7 /again [what to change]: ask the AI again";
    ui_text(u, y, r.x + 2, r.w - 2, choices, sizeof choices - 1, ui_style(u, THEME_META) | A_BOLD);
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

void msg_draw_header(ui *u, rect r, int y, const conv *c, const msg *m)
{
    const char *label;
    int rs = role_style(c, m, &label);
    if (msg_has_choices(m)) {
        label = "draft rejected";
        rs = THEME_STATE_FAILED;
    }
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

void msg_draw_body_line(ui *u, rect r, int y, const conv *c, msg *m, text_view *v, size_t i, bool last,
                        const char *search)
{
    int x0 = r.x + 2;
    const char *label;
    int role = role_style(c, m, &label);
    const wrap_line *l = text_view_line(v, i);
    const wrap_span *sp = text_view_spans(v, l);
    const char *text = text_view_text(v);
    if (l->flags & WRAP_LINE_CODE)
        ui_blank(u, y, x0, msg_body_width(r), ui_style(u, THEME_MD_CODEBLOCK));
    if ((l->flags & WRAP_LINE_CONT) && l->indent >= 2)
        ui_text(u, y, x0 + l->indent - 2, 1, "\xE2\x86\xAA", 3, ui_style(u, THEME_META)); /* ↪ */
    /* The markdown engine's text is sanitised already. */
    for (uint32_t k = 0; k < l->count; k++)
        ui_text_safe(u, y, x0 + sp[k].col, sp[k].width, text + sp[k].off, sp[k].len,
                     span_style(u, role, &sp[k]));
    if (search && *search) {
        text_match mt;
        bool ok = text_find(v, search, i, TEXT_FORWARD, &mt) && mt.line == i;
        while (ok) {
            mvchgat(y, x0 + mt.col, mt.end_col - mt.col, (attr_t)ui_style(u, THEME_SEARCH_MATCH) & ~A_COLOR,
                    (short)PAIR_NUMBER(ui_style(u, THEME_SEARCH_MATCH)), NULL);
            text_match nx;
            ok = text_find_next(v, search, &mt, TEXT_FORWARD, &nx) && nx.line == i;
            mt = nx;
        }
    }
    if (last && m->state == MSG_STREAMING && l->width + 1 < msg_body_width(r))
        ui_text(u, y, x0 + l->width, 1, "\xE2\x96\x8C", 3, ui_style(u, THEME_STATE_STREAMING)); /* ▌ */
}

void msg_draw_note(ui *u, rect r, int y, const msg *m)
{
    int st = m->state == MSG_FINAL ? THEME_META
             : m->state == MSG_UNSENT || m->state == MSG_SENDING ? THEME_STATE_UNSENT
                                                                 : THEME_STATE_FAILED;
    int x = r.x + 2;
    x += ui_text(u, y, x, 2, m->state == MSG_FINAL ? "\xC2\xB7 " : "\xE2\x9A\xA0 ", m->state == MSG_FINAL ? 3 : 4,
                 ui_style(u, st));
    ui_text(u, y, x, r.x + r.w - x, m->note, strlen(m->note), ui_style(u, st));
}

/* ------------------------------------------------------------ signatures */

uint64_t msg_mix(uint64_t h, uint64_t v)
{
    h ^= v;
    return h * 1099511628211ull;
}

static uint64_t mix_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = msg_mix(h, (unsigned char)s[i]);
    return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    return s ? mix_bytes(h, s, strlen(s)) : msg_mix(h, 0x5bd1e995u);
}

uint64_t msg_header_sig(const msg *m)
{
    uint64_t h = msg_mix(1469598103934665603ull, 'H');
    h = msg_mix(h, (uint64_t)(uintptr_t)m);
    h = msg_mix(h, (uint64_t)m->state * 31 + (uint64_t)m->role * 7 + (m->as_agent ? 1 : 0));
    h = msg_mix(h, (uint64_t)m->at_ms);
    return mix_str(h, m->approval);
}

uint64_t msg_body_sig(const msg *m, text_view *v, size_t i, bool cursor, const char *search)
{
    uint64_t h = msg_mix(1469598103934665603ull, 'B');
    h = msg_mix(h, (uint64_t)(uintptr_t)m);
    h = msg_mix(h, cursor ? 1 : 0);
    return mix_str(text_view_line_sig(v, i, h), search);
}

uint64_t msg_note_sig(const msg *m)
{
    return mix_str(msg_mix(msg_mix(1469598103934665603ull, 'N'), (uint64_t)m->state), m->note);
}
