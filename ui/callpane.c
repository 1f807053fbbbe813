/* callpane.c: the call view (callpane.h). The conversation of a call:
 * what was said, the reply as it streams (an audio reply's transcript),
 * each turn's timings and usage, the notes (errors, rate limits) in
 * words. Keys while it has the focus: p playback, h hang up, Esc back to
 * AI Gate; typing goes to the input line, and a finished line to the call. */
#include "config.h"
#include "callpane.h"
#include "cmds.h"
#include "gatepane.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate/callctl.h"
#include "store/paths.h"
#include "text/width.h"
#include "util/clock.h"
#include "util/mem.h"

typedef struct callpane {
    pane p;
    ui *u;
    callctl *call;
    char *session_id;
    uint64_t tag;       /* the call's owner tag in the desk, 0 without a call */
} callpane;

extern const pane_ops callpane_ops;

static callpane *of(ui *u)
{
    return (callpane *)ui_pane(u, &callpane_ops);
}

static bool on_event(void *ud, net_event *ev)
{
    callpane *cp = ud;
    return cp->call && callctl_handle(cp->call, ev);
}

static void end_call(callpane *cp)
{
    desk_remove_owner(cp->u->desk, cp->tag);
    cp->tag = 0;
    callctl_free(cp->call);
    cp->call = NULL;
    free(cp->session_id);
    cp->session_id = NULL;
}

void call_open(ui *u, size_t i)
{
    callpane *cp = of(u);
    if (!u->gate || i >= gatectl_get(u->gate)->nsessions) {
        desk_flash(u->desk, true, "no AI Gate session to call");
        return;
    }
    const gatectl_session *s = gatectl_get(u->gate)->sessions[i];
    char *dir = NULL, *err = NULL;
    if (store_state_dir(&dir, &err) == 0) {
        char *calls = xasprintf("%s/calls", dir);
        free(dir);
        dir = store_mkdirs(calls, &err) == 0 ? xasprintf("%s/%s", calls, s->s->id ? s->s->id : "call")
                                             : NULL;
        free(calls);
    }
    if (!dir) {
        desk_flash(u->desk, true, "the call's files cannot be kept: %s", err ? err : "no directory");
        free(err);
        err = NULL;
    }
    callctl_params p = {0};
    p.url = u->cfg->realtime_url; /* AI_GATE_REALTIME_URL, realtime_url or the default */
    p.model = s->s->model;
    p.session_id = s->s->id;
    p.secret = s->s->client_secret;
    p.secret_expires_s = s->secret_expires_s;
    p.dir = dir;
    /* The new call's answers go to this pane under their own tag: the
     * call it replaces may still have answers on the way. */
    p.tag = desk_add_owner(u->desk, on_event, cp);
    bool expired = false;
    callctl *call = callctl_new(u->net, &p, clock_wall_ms(), &expired, &err);
    free(dir);
    if (!call) {
        desk_remove_owner(u->desk, p.tag);
        /* The call shown before, if any, stays as it was. */
        desk_flash(u->desk, true, "%s", err);
        free(err);
        if (expired || !p.secret) {
            /* The offer: a new session with the same voice, one Enter away. */
            char *line = xasprintf("/gate session --voice %s", s->s->voice ? s->s->voice : "echo");
            input_set_text(u, line);
            free(line);
            ui_focus(u, NULL);
        }
        return;
    }
    end_call(cp); /* a call already running is hung up */
    cp->call = call;
    cp->session_id = xstrdup(s->s->id ? s->s->id : "");
    cp->tag = p.tag;
    ui_show(u, &cp->p);
    ui_focus(u, NULL); /* the input line: what is typed is said */
}

bool call_take_line(ui *u, const char *line)
{
    callpane *cp = of(u);
    if (u->main != &cp->p || !cp->call)
        return false;
    if (line[0] == '/' && line[1] != '/')
        return false; /* a command: /say, /play, /hangup and the others */
    const char *text = line[0] == '/' ? line + 1 : line;
    if (!*text)
        return true;
    char *err = NULL;
    if (callctl_say(cp->call, text, &err) != 0) {
        desk_flash(u->desk, true, "%s", err);
        free(err);
        line_refill(u, line); /* nothing lost */
    }
    return true;
}

/* The call the call commands act on, shown or not; NULL (and why, in
 * words) when there is none. */
static callctl *running(ui *u, const char *cmd)
{
    callpane *cp = of(u);
    if (!cp->call)
        desk_flash(u->desk, true,
                  "/%s: no call (v on a session in the AI Gate pane, or /gate call N, starts one)",
                  cmd);
    return cp->call;
}

void uicmd_say(ui *u, const cmd_parsed *p)
{
    callctl *call = running(u, "say");
    char *err = NULL;
    if (call && callctl_say_wav(call, p->rest, &err) == 0)
        return;
    if (err) {
        desk_flash(u->desk, true, "%s", err);
        free(err);
    }
    char *again = xasprintf("/say %s", p->rest);
    line_refill(u, again); /* nothing lost */
    free(again);
}

void uicmd_play(ui *u, const cmd_parsed *p)
{
    (void)p;
    callctl *call = running(u, "play");
    if (!call)
        return;
    const callctl_info *in = callctl_info_get(call);
    if (!in->player)
        desk_flash(u->desk, true, "no player found (aplay or paplay): replies are kept as WAV files");
    callctl_set_playback(call, !in->playback);
}

void uicmd_hangup(ui *u, const cmd_parsed *p)
{
    (void)p;
    callctl *call = running(u, "hangup");
    if (call)
        callctl_hangup(call);
}

/* ------------------------------------------------------------------ drawing */

/* Draws s from row y wrapped to w columns, only the rows from top to
 * bottom (the rest is counted, not drawn); returns the rows it takes. */
static int wrapped(ui *u, int y, int x, int w, int top, int bottom, const char *s, int attr)
{
    int rows = 0;
    size_t len = strlen(s), at = 0;
    if (w < 4)
        return 0;
    do {
        size_t start = at, space = 0;
        int cols = 0;
        bool full = false;
        while (at < len && s[at] != '\n') {
            int cw = 0;
            size_t n = tw_cluster_next(s + at, len - at, &cw);
            if (!n || (cols + cw > w && at > start)) {
                full = n != 0;
                break;
            }
            if (s[at] == ' ')
                space = at;
            cols += cw;
            at += n;
        }
        size_t end = at;
        if (full && space > start) /* break at the last space, not inside a word */
            end = at = space;
        int row = y + rows;
        if (row >= top && row <= bottom)
            ui_text(u, row, x, w, s + start, end - start, attr);
        rows++;
        if (at < len && (s[at] == '\n' || s[at] == ' '))
            at++;
    } while (at < len);
    return rows;
}

static const char *state_name(const callctl_info *in)
{
    switch (in->state) {
    case CALL_CONNECTING:
        return "connecting";
    case CALL_OPEN:
        return "on the call";
    case CALL_CLOSED:
        return "ended";
    default:
        return "failed";
    }
}

/* One turn's figures in words. */
static void turn_figures(const callctl_turn *t, char *buf, size_t n)
{
    size_t k = 0;
    if (t->first_text_us)
        k += (size_t)snprintf(buf + k, n - k, "first text %.0f ms, ",
                              (double)(t->first_text_us - t->sent_us) / 1000);
    if (t->first_audio_us && k < n)
        k += (size_t)snprintf(buf + k, n - k, "first audio %.0f ms, ",
                              (double)(t->first_audio_us - t->sent_us) / 1000);
    if (k < n)
        k += (size_t)snprintf(buf + k, n - k, "%.0f ms in all", (double)(t->done_us - t->sent_us) / 1000);
    if (t->has_usage && k < n)
        k += (size_t)snprintf(buf + k, n - k, "; tokens %lld in, %lld out", (long long)t->usage.input,
                              (long long)t->usage.output);
    if (t->audio_bytes && k < n)
        snprintf(buf + k, n - k, "; audio %lld ms%s", (long long)(t->audio_bytes / 48),
                 t->wav_path ? ", saved" : "");
}

/* The call's lines from row y, drawn between top and bottom; returns how
 * many rows they take. */
static int draw_all(callpane *cp, ui *u, int y, int x, int w, int top, int bottom)
{
    const callctl_info *in = callctl_info_get(cp->call);
    int n = 0;
    char buf[256];
    int meta = ui_style(u, THEME_META), bad = ui_style(u, THEME_STATE_FAILED);
    for (size_t i = 0; i < in->nturns; i++) {
        const callctl_turn *t = &in->turns[i];
        char *said = xasprintf("you: %s", t->said);
        n += wrapped(u, y + n, x, w, top, bottom, said, ui_style(u, THEME_ROLE_YOU));
        free(said);
        char *r = xasprintf("assistant: %s%s", buf_cstr(&t->reply), t->done ? "" : " ...");
        n += wrapped(u, y + n, x, w, top, bottom, r, ui_style(u, THEME_ROLE_AI));
        free(r);
        if (t->failed && t->error) {
            n += wrapped(u, y + n, x + 2, w - 2, top, bottom, t->error, bad);
        } else if (t->done) {
            turn_figures(t, buf, sizeof buf);
            n += wrapped(u, y + n, x + 2, w - 2, top, bottom, buf, meta);
        }
        n++; /* a blank row between turns */
    }
    /* The last notes: errors and rate limits in words. */
    size_t from = in->nnotes > 3 ? in->nnotes - 3 : 0;
    for (size_t i = from; i < in->nnotes; i++)
        n += wrapped(u, y + n, x, w, top, bottom, in->notes[i],
                     strncmp(in->notes[i], "rate limits:", 12) ? bad : meta);
    if (in->state == CALL_FAILED && in->error)
        n += wrapped(u, y + n, x, w, top, bottom, in->error, bad);
    return n;
}

static void draw(pane *p, ui *u)
{
    callpane *cp = (callpane *)p;
    rect r = p->r;
    ui_blank_rect(u, r);
    if (!cp->call) {
        static const char none[] = "No call. In AI Gate (F6), v calls the chosen session.";
        ui_text(u, r.y, r.x + 1, r.w - 2, none, sizeof none - 1, ui_style(u, THEME_PLACEHOLDER));
        return;
    }
    const callctl_info *in = callctl_info_get(cp->call);
    char head[200];
    snprintf(head, sizeof head, "%s  voice %s  playback %s%s", state_name(in),
             in->voice ? in->voice : "-", in->playback ? "on" : "off",
             in->player ? "" : " (no player)");
    ui_text(u, r.y, r.x + 1, r.w - 2, head, strlen(head), ui_style(u, THEME_META));
    if (r.h < 2)
        return;
    /* Measured first (nothing drawn), then the newest rows that fit. */
    if (!in->nturns) {
        static const char hint[] = "Type to speak. /say FILE.wav sends speech, /play turns "
                                   "playback on or off, /hangup ends the call.";
        wrapped(u, r.y + 1, r.x + 1, r.w - 2, r.y + 1, r.y + r.h - 1, hint,
                ui_style(u, THEME_PLACEHOLDER));
    }
    int rows = r.h - 1;
    int total = draw_all(cp, u, 0, r.x + 1, r.w - 2, 1, 0);
    int skip = total > rows ? total - rows : 0;
    draw_all(cp, u, r.y + 1 - skip, r.x + 1, r.w - 2, r.y + 1, r.y + r.h - 1);
}

static uint64_t sig(pane *p, ui *u)
{
    (void)u;
    callpane *cp = (callpane *)p;
    return cp->call ? callctl_info_get(cp->call)->rev + 1 : 0;
}

static void title(pane *p, ui *u, rect r)
{
    callpane *cp = (callpane *)p;
    char t[160];
    snprintf(t, sizeof t, " Call %s  (Esc: AI Gate)", cp->session_id ? cp->session_id : "");
    ui_text(u, r.y, r.x, r.w, t, strlen(t), ui_style(u, THEME_TITLE));
}

static void key_play(pane *p, ui *u, int key)
{
    (void)key;
    uicmd_play(u, NULL);
    (void)p;
}

static void key_hangup(pane *p, ui *u, int key)
{
    (void)key;
    (void)p;
    uicmd_hangup(u, NULL);
}

static void key_back(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    gate_open(u);
}

static void key_type(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    ui_focus(u, NULL);
}

static const pane_key keys[] = {
    {'p', "p", "playback", key_play},
    {'h', "h", "hang up", key_hangup},
    {'\r', "Enter", "speak", key_type},
    {'\n', NULL, NULL, key_type},
    {K_ESC, "Esc", "AI Gate", key_back},
    {'q', NULL, NULL, key_back},
    {0, NULL, NULL, NULL},
};

static bool key(pane *p, ui *u, int k)
{
    (void)p;
    (void)u;
    return !K_IS_FKEY(k);
}

/* Esc on an empty input line gives the pane its keys. */
static bool claim(pane *p, ui *u, int k)
{
    if (k != K_ESC)
        return false;
    ui_focus(u, p);
    return true;
}

static void free_pane(pane *p)
{
    callpane *cp = (callpane *)p;
    end_call(cp);
    free(cp);
}

const pane_ops callpane_ops = {
    .name = "call",
    .slot = SLOT_MAIN,
    .draw = draw,
    .sig = sig,
    .keys = keys,
    .key = key,
    .claim = claim,
    .title = title,
    .free = free_pane,
};

pane *callpane_new(ui *u)
{
    callpane *cp = xcalloc(1, sizeof *cp);
    cp->p.ops = &callpane_ops;
    cp->u = u;
    return &cp->p;
}
