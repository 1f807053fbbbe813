/* gatepane.c: the AI Gate pane: the realtime sessions created in this run
 * with live countdowns, their details, copying, and the service's limits. */
#include "config.h"
#include "callpane.h"
#include "gatepane.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "term.h"
#include "util/clock.h"
#include "util/mem.h"
#include "view/commands.h"

static const pane_ops ops;

gatepane *gatepane_of(ui *u)
{
    return (gatepane *)ui_pane(u, &ops);
}

void gate_open(ui *u)
{
    if (!u->gate) {
        desk_flash(u->desk, true, "%s", u->gate_err ? u->gate_err : "AI Gate is not configured");
        return;
    }
    pane *p = ui_pane(u, &ops);
    ui_show(u, p);
    ui_focus(u, p);
}

void gate_toggle(ui *u)
{
    if (u->main == ui_pane(u, &ops)) {
        ui_show(u, NULL);
        ui_focus(u, NULL);
    } else {
        gate_open(u);
    }
}

static void clock_text(int64_t unix_s, char *buf, size_t len)
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, len, "%H:%M:%S", &tm);
}

static void left_text(int64_t s, char *buf, size_t len)
{
    if (s <= 0)
        snprintf(buf, len, "expired");
    else if (s < 120)
        snprintf(buf, len, "%lld s", (long long)s);
    else
        snprintf(buf, len, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

static int state_style(gatectl_state st)
{
    switch (st) {
    case GATECTL_USABLE: return THEME_STATUS_OK;
    case GATECTL_SECRET_EXPIRED:
    case GATECTL_NO_SECRET: return THEME_STATUS_WARN;
    default: return THEME_STATE_FAILED;
    }
}

static int line(ui *u, int y, const char *s, int style)
{
    rect r = gatepane_of(u)->p.r;
    if (y >= r.y + r.h)
        return y;
    ui_text(u, y, r.x + 1, r.w - 1, s, strlen(s), ui_style(u, style));
    return y + 1;
}

/* The last refusal, with every detail the service gave. */
static int draw_error(ui *u, int y, const gatectl_error *ge)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s failed: %s", gatectl_action_name(ge->action), ge->message);
    y = line(u, y, tmp, THEME_STATUS_ERROR);
    const api_error *e = ge->e;
    if (!e)
        return y;
    if (e->kind == API_ERR_QUOTA) {
        snprintf(tmp, sizeof tmp, "  plan %s: %lld of %lld sessions used (%.0f%%), %lld left",
                 e->plan ? e->plan : "?", (long long)e->sessions_used, (long long)e->sessions_included,
                 e->percent_used < 0 ? 0.0 : e->percent_used,
                 (long long)(e->sessions_remaining < 0 ? 0 : e->sessions_remaining));
        y = line(u, y, tmp, THEME_STATUS_ERROR);
        if (e->upgrade_url) {
            snprintf(tmp, sizeof tmp, "  upgrade: %s", e->upgrade_url);
            y = line(u, y, tmp, THEME_STATUS_ERROR);
        }
    } else if (e->kind == API_ERR_CONCURRENT) {
        snprintf(tmp, sizeof tmp, "  concurrent sessions: %lld of %lld%s%s",
                 (long long)e->concurrent_current, (long long)e->concurrent_max,
                 e->hint ? "  hint: " : "", e->hint ? e->hint : "");
        y = line(u, y, tmp, THEME_STATUS_ERROR);
    } else if (e->kind == API_ERR_RATE_LIMITED && ge->reset_s) {
        char at[16];
        clock_text(ge->reset_s, at, sizeof at);
        long long in = (long long)(ge->reset_s - clock_wall_ms() / 1000);
        snprintf(tmp, sizeof tmp, "  the rate limit resets at %s (in %lld s)", at, in < 0 ? 0 : in);
        y = line(u, y, tmp, THEME_STATUS_ERROR);
    }
    return y;
}

static int draw_details(ui *u, int y, const gatectl_info *gi)
{
    gatepane *gp = gatepane_of(u);
    rect r = gp->p.r;
    const gatectl_session *gs = gi->sessions[gp->sel];
    const gate_session *s = gs->s;
    char tmp[512];
    y = line(u, y, "", THEME_DEFAULT);
    snprintf(tmp, sizeof tmp, "Session %s%s", s->id ? s->id : "?",
             gp->secrets ? "   (secrets shown: s hides them)" : "   (s shows secrets)");
    y = line(u, y, tmp, THEME_TITLE);
    char *masked = s->client_secret ? (gp->secrets ? xstrdup(s->client_secret)
                                                       : gatectl_mask(s->client_secret))
                                    : xstrdup(GATECTL_NO_SECRET_TEXT);
    char exp[16];
    clock_text(gs->secret_expires_s, exp, sizeof exp);
    snprintf(tmp, sizeof tmp, "  client secret  %s%s%s%s", masked, gs->no_secret ? "" : "  (valid until ",
             gs->no_secret ? "" : exp, gs->no_secret ? "" : ")");
    free(masked);
    y = line(u, y, tmp, THEME_DEFAULT);
    if (s->meta_turn_server) {
        snprintf(tmp, sizeof tmp, "  TURN in use    %s", s->meta_turn_server);
        y = line(u, y, tmp, THEME_DEFAULT);
    }
    for (size_t i = 0; i < s->ice.n && y < r.y + r.h; i++) {
        const gate_ice_server *is = &s->ice.items[i];
        buf_t b = BUF_INIT;
        buf_append_str(&b, i == 0 ? "  ICE servers    " : "                 ");
        for (size_t k = 0; k < is->nurls; k++)
            buf_printf(&b, "%s%s", k ? ", " : "", is->urls[k]);
        if (is->username || is->credential) {
            char *un = is->username ? (gp->secrets ? xstrdup(is->username) : gatectl_mask(is->username)) : NULL;
            char *cr = is->credential ? (gp->secrets ? xstrdup(is->credential) : gatectl_mask(is->credential)) : NULL;
            buf_printf(&b, "  user %s  credential %s", un ? un : "-", cr ? cr : "-");
            free(un);
            free(cr);
        }
        y = line(u, y, buf_cstr(&b), THEME_DEFAULT);
        buf_free(&b);
    }
    /* Every field of the answer, secrets masked unless asked. */
    char *json = gatectl_details_json(u->gate, gp->sel, gp->secrets);
    if (json) {
        y = line(u, y, "  the whole answer:", THEME_META);
        char *p = json;
        while (p && *p && y < r.y + r.h) {
            char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            char *one = xstrndup(p, n);
            char *ind = xasprintf("    %s", one);
            y = line(u, y, ind, THEME_META);
            free(ind);
            free(one);
            p = nl ? nl + 1 : NULL;
        }
        free(json);
    }
    return y;
}

static void draw(pane *p, ui *u)
{
    gatepane *gp = (gatepane *)p;
    rect r = p->r;
    ui_blank_rect(u, r);
    if (r.h <= 0 || !u->gate)
        return;
    const gatectl_info *gi = gatectl_get(u->gate);
    int64_t now = clock_wall_ms();
    char tmp[512];
    int y = r.y;
    size_t live = gatectl_live_count(u->gate, now);
    int n = snprintf(tmp, sizeof tmp, "Realtime sessions created in this run: %zu   live %zu", gi->nsessions, live);
    if (gi->conc_limit > 0)
        n += snprintf(tmp + n, sizeof tmp - (size_t)n, " of %lld%s", (long long)gi->conc_limit,
                      gi->conc_from_server ? "" : " (free plan)");
    if (gi->rate.present) {
        char at[16] = "";
        if (gi->rate.reset)
            clock_text(gi->rate.reset, at, sizeof at);
        snprintf(tmp + n, sizeof tmp - (size_t)n, "   requests left %lld/%lld%s%s", (long long)gi->rate.remaining,
                 (long long)gi->rate.limit, *at ? ", resets " : "", at);
    }
    y = line(u, y, tmp, THEME_TITLE);
    if (gi->creating || gi->turn_pending || gi->health_pending)
        y = line(u, y, "  waiting for AI Gate...", THEME_STATE_STREAMING);
    if (gi->nsessions == 0) {
        y = line(u, y, "", THEME_DEFAULT);
        y = line(u, y, "No sessions yet. Create one with:", THEME_META);
        y = line(u, y, "  /gate session [--voice alloy|echo|fable|onyx|nova|shimmer] [--temperature 0-1]", THEME_META);
        y = line(u, y, "  /gate turn     TURN credentials      /gate health   health and metrics", THEME_META);
    } else {
        /* The model column gives way on narrow screens. */
        int mw = r.w - 82;
        mw = mw < 12 ? 12 : mw > 36 ? 36 : mw;
        snprintf(tmp, sizeof tmp, "  %-3s %-22s %-*s %-8s %-9s %-8s %-8s %s", "#", "session", mw, "model",
                 "voice", "created", "secret", "session", "state");
        y = line(u, y, tmp, THEME_META);
        if (gp->sel >= gi->nsessions)
            gp->sel = gi->nsessions - 1;
        for (size_t i = 0; i < gi->nsessions && y < r.y + r.h; i++) {
            const gatectl_session *gs = gi->sessions[i];
            gatectl_timing t = gatectl_session_timing(gs, now);
            char created[16], sl[24], xl[24];
            clock_text(gs->created_ms / 1000, created, sizeof created);
            left_text(t.secret_left_s, sl, sizeof sl);
            if (gs->no_secret)
                snprintf(sl, sizeof sl, "none");
            left_text(t.session_left_s, xl, sizeof xl);
            bool sel = i == gp->sel && u->focus == p;
            snprintf(tmp, sizeof tmp, "%s %-3zu %-22.22s %-*.*s %-8.8s %-9s %-8s %-8s ", sel ? ">" : " ",
                     i + 1, gs->s->id ? gs->s->id : "?", mw, mw, gs->s->model ? gs->s->model : "?",
                     gs->s->voice ? gs->s->voice : "?", created, sl, xl);
            int a = sel ? ui_style(u, THEME_SIDEBAR_SELECTED) : ui_style(u, THEME_DEFAULT);
            int x = r.x + 1 + ui_text(u, y, r.x + 1, r.w - 1, tmp, strlen(tmp), a);
            const char *st = gatectl_state_name(t.state);
            ui_text(u, y, x, r.x + r.w - x, st, strlen(st), ui_style(u, state_style(t.state)));
            y++;
        }
    }
    if (gi->error)
        y = draw_error(u, y, gi->error);
    if (gi->turn && y < r.y + r.h) {
        buf_t b = BUF_INIT;
        buf_printf(&b, "TURN credentials: %zu servers", gi->turn->n);
        for (size_t i = 0; i < gi->turn->n && i < 3; i++)
            buf_printf(&b, "%s%s", i ? ", " : " (", gi->turn->items[i].nurls ? gi->turn->items[i].urls[0] : "?");
        buf_append_str(&b, gi->turn->n ? (gi->turn->n > 3 ? ", ...)" : ")") : "");
        y = line(u, y, buf_cstr(&b), THEME_DEFAULT);
        buf_free(&b);
    }
    const gate_kv_list *lists[2] = {gi->health, gi->metrics};
    const char *names[2] = {"health", "metrics"};
    for (int k = 0; k < 2; k++) {
        if (!lists[k] || y >= r.y + r.h)
            continue;
        buf_t b = BUF_INIT;
        buf_printf(&b, "%s:", names[k]);
        for (size_t i = 0; i < lists[k]->n && b.len < 400; i++)
            buf_printf(&b, " %s=%s", lists[k]->items[i].key, lists[k]->items[i].value);
        y = line(u, y, buf_cstr(&b), THEME_DEFAULT);
        buf_free(&b);
    }
    if (gp->details && gi->nsessions)
        draw_details(u, y, gi);
    if (u->focus == p && r.h > 2)
        pane_hint_line(p, u, r.y + r.h - 1, r.x, r.w, ui_style(u, THEME_STATUS), true, " ", NULL);
}

void gate_copy(ui *u, gatectl_copy_what what)
{
    gatepane *gp = gatepane_of(u);
    const gatectl_info *gi = gatectl_get(u->gate);
    if (!gi->nsessions) {
        desk_flash(u->desk, true, "no session to copy from: /gate session creates one");
        return;
    }
    gatectl_copy_out out;
    char *err = NULL;
    if (!gatectl_copy(u->gate, gp->sel, what, &out, &err)) {
        desk_flash(u->desk, true, "copy: %s", err);
        free(err);
        return;
    }
    const char *thing = what == GATECTL_COPY_SECRET ? "the client secret"
                        : what == GATECTL_COPY_CURL ? "a curl snippet"
                                                    : "the session as JSON";
    if (out.osc52) {
        /* Invisible to the screen: the terminal puts it on the clipboard. */
        if (!term_write_raw(out.osc52, strlen(out.osc52)))
            desk_flash(u->desk, true, "could not write to the terminal's clipboard");
        else
            desk_flash(u->desk, false, "copied %s to the clipboard (OSC 52)%s", thing,
                      out.secret_expired ? "; its secret has expired" : "");
    } else {
        desk_flash(u->desk, false, "wrote %s to %s (mode 0600)%s", thing, out.path,
                  out.secret_expired ? "; its secret has expired" : "");
    }
    gatectl_copy_out_clear(&out);
}

/* ------------------------------------------------------------------ keys */

static void key_move(pane *p, ui *u, int key)
{
    gatepane *gp = (gatepane *)p;
    size_t n = gatectl_get(u->gate)->nsessions;
    if (key == K_FN(KEY_UP) && gp->sel > 0)
        gp->sel--;
    else if (key == K_FN(KEY_DOWN) && gp->sel + 1 < n)
        gp->sel++;
}

static void key_details(pane *p, ui *u, int key)
{
    (void)u;
    (void)key;
    ((gatepane *)p)->details = !((gatepane *)p)->details;
}

static void key_secrets(pane *p, ui *u, int key)
{
    (void)u;
    (void)key;
    ((gatepane *)p)->secrets = !((gatepane *)p)->secrets;
}

static void key_copy(pane *p, ui *u, int key)
{
    (void)p;
    gate_copy(u, key == 'c' ? GATECTL_COPY_SECRET : key == 'y' ? GATECTL_COPY_CURL : GATECTL_COPY_JSON);
}

static void key_turn(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    gatectl_turn(u->gate);
}

static void key_health(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    gatectl_health(u->gate);
}

static void key_line(pane *p, ui *u, int key)
{
    (void)p;
    input_set_text(u, key == 'n' ? "/gate session " : "/");
    ui_focus(u, NULL);
}

/* A call to the chosen session: the call view (callpane.c). */
static void key_call(pane *p, ui *u, int key)
{
    (void)key;
    call_open(u, ((gatepane *)p)->sel);
}

static void key_back(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    ui_show(u, NULL);
    ui_focus(u, NULL);
}

static const pane_key keys[] = {
    {K_FN(KEY_UP), "Up/Down", "choose", key_move},
    {K_FN(KEY_DOWN), NULL, NULL, key_move},
    {'\r', "Enter", "details", key_details},
    {'\n', NULL, NULL, key_details},
    {'s', "s", "secrets", key_secrets},
    {'c', "c", "copy secret", key_copy},
    {'y', "y", "copy curl", key_copy},
    {'j', "j", "copy JSON", key_copy},
    {'n', "n", "new", key_line},
    {'t', "t", "TURN", key_turn},
    {'h', "h", "health", key_health},
    {'v', "v", "call", key_call},
    {'/', "/", "command", key_line},
    {K_ESC, "Esc", "back", key_back},
    {'q', NULL, NULL, key_back},
    {0, NULL, NULL, NULL},
};

/* Every other key but the F-keys stops here too. */
static bool key(pane *p, ui *u, int k)
{
    (void)p;
    (void)u;
    return !K_IS_FKEY(k);
}

/* Esc on an empty input line gives the pane its keys back. */
static bool claim(pane *p, ui *u, int k)
{
    if (k != K_ESC)
        return false;
    ui_focus(u, p);
    return true;
}

static void title(pane *p, ui *u, rect r)
{
    (void)p;
    int a = ui_style(u, THEME_TITLE);
    ui_text(u, r.y, r.x + 1, r.w - 1, "AI Gate", 7, a | A_BOLD);
    ui_text(u, r.y, r.x + 9, r.w - 9, "  realtime voice sessions (F6 or Esc: back)", 43, a);
}

/* Whether the pane shows a countdown that moves: it is the main pane and
 * some session has a secret or a session with time left. */
static bool counting(pane *p, ui *u, int64_t wall)
{
    if (!u->gate || u->main != p)
        return false;
    const gatectl_info *gi = gatectl_get(u->gate);
    for (size_t i = 0; i < gi->nsessions; i++) {
        gatectl_timing t = gatectl_session_timing(gi->sessions[i], wall);
        if (t.secret_left_s > 0 || t.session_left_s > 0)
            return true;
    }
    return false;
}

/* The countdowns are in whole seconds: while they show, the second of
 * the wall clock is part of what the pane shows, so the frame draws it
 * again each second and at no other time. */
static uint64_t sig(pane *p, ui *u)
{
    uint64_t h = u->gate ? gatectl_get(u->gate)->rev : 0;
    int64_t wall = clock_wall_ms();
    if (counting(p, u, wall))
        h = (h ^ (uint64_t)(wall / 1000)) * 1099511628211ull;
    return h;
}

/* The sessions' states follow the wall clock in the core (gatectl's
 * timer in the desk); the seconds only matter while the pane is shown, so
 * a hidden pane asks for no timer of its own. */
static long next_timer_ms(pane *p, ui *u, int64_t now)
{
    (void)now;
    if (!u->gate)
        return -1;
    int64_t wall = clock_wall_ms();
    return counting(p, u, wall) ? 1000 - (long)(wall % 1000) : -1;
}

static const pane_ops ops = {
    .name = "gate",
    .slot = SLOT_MAIN,
    .draw = draw,
    .sig = sig,
    .keys = keys,
    .key = key,
    .claim = claim,
    .title = title,
    .next_timer_ms = next_timer_ms,
};

pane *gatepane_new(ui *u)
{
    (void)u;
    gatepane *gp = xcalloc(1, sizeof *gp);
    gp->p.ops = &ops;
    return &gp->p;
}
