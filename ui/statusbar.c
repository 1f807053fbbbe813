/* statusbar.c: the status bar: the connections, the mode, drafts, the
 * model, rate limits, and the last message for the person. */
#include "config.h"
#include "day.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/width.h"
#include "util/clock.h"
#include "util/mem.h"

static int put(ui *u, int y, int x, int end, const char *s, int style)
{
    if (x >= end)
        return x;
    return x + ui_text(u, y, x, end - x, s, strlen(s), ui_style(u, style));
}

/* What is held in the undo window (desk.h), with its countdown and the key
 * that takes it back: the newest, and how many more. */
static int held(ui *u, int y, int x, int end, int64_t now)
{
    size_t n = desk_held_count(u->desk);
    desk_held_info h;
    if (!n || !desk_held_get(u->desk, n - 1, now, &h))
        return x;
    char tmp[200];
    const conv *c = model_find(u->m, h.conv_id);
    const char *name = c && c->title ? c->title : h.conv_id;
    long s = (h.left_ms + 999) / 1000;
    char more[32] = "";
    if (n > 1)
        snprintf(more, sizeof more, " (+%zu)", n - 1);
    if (h.kind == DESK_HELD_APPROVE)
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 approving the draft for %s in %ld s%s: F8 undo", name, s, more);
    else
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 your reply to %s goes in %ld s%s: F8 undo", name, s, more);
    return put(u, y, x, end, tmp, THEME_STATUS_WARN);
}

static void draw(pane *p, ui *u)
{
    rect r = p->r;
    if (r.h <= 0)
        return;
    const desk_status *st = desk_get_status(u->desk);
    int64_t now = clock_mono_ms();
    int base = THEME_STATUS;
    ui_blank(u, r.y, r.x, r.w, ui_style(u, base));
    int x = r.x + 1, end = r.x + r.w;
    char tmp[200];
    switch (st->aiassist) {
    case DESK_CONN_OK: x = put(u, r.y, x, end, "AiAssist connected", THEME_STATUS_OK); break;
    case DESK_CONN_RETRYING: {
        long s = (long)((st->aiassist_retry_at - now + 999) / 1000);
        snprintf(tmp, sizeof tmp, "AiAssist retrying in %ld s", s < 0 ? 0 : s);
        x = put(u, r.y, x, end, tmp, THEME_STATUS_WARN);
        break;
    }
    case DESK_CONN_OFFLINE:
        snprintf(tmp, sizeof tmp, "AiAssist offline%s%s", st->aiassist_note ? ": " : "",
                 st->aiassist_note ? st->aiassist_note : "");
        x = put(u, r.y, x, end, tmp, THEME_STATUS_ERROR);
        break;
    default: x = put(u, r.y, x, end, "AiAssist connecting", THEME_STATUS); break;
    }
    x = held(u, r.y, x, end, now);
    int after_conn = x;
    x = put(u, r.y, x, end, " \xE2\x94\x82 ", base);
    switch (st->live) {
    case DESK_LIVE_STREAMING: x = put(u, r.y, x, end, "live", THEME_STATUS_OK); break;
    case DESK_LIVE_POLLING: x = put(u, r.y, x, end, "polling (no live events)", THEME_STATUS_WARN); break;
    case DESK_LIVE_NO_ACCESS: x = put(u, r.y, x, end, "no live view (needs an agent key)", THEME_STATUS_WARN); break;
    case DESK_LIVE_RETRYING: {
        long s = (long)((st->live_retry_at - now + 999) / 1000);
        snprintf(tmp, sizeof tmp, "live: reconnecting in %ld s", s < 0 ? 0 : s);
        x = put(u, r.y, x, end, tmp, THEME_STATUS_WARN);
        break;
    }
    default: x = put(u, r.y, x, end, "live: connecting", THEME_STATUS); break;
    }
    if (u->cur && u->cur->kind == CONV_WORKSPACE) {
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 %s", ai_mode_name(u->cur->mode));
        x = put(u, r.y, x, end, tmp, base);
    }
    const char *filter = sidebar_filter_name(u);
    if (filter) {
        /* A list that hides conversations says so, always. */
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 filter: %s", filter);
        x = put(u, r.y, x, end, tmp, THEME_STATUS_WARN);
    }
    if (u->m->ndrafts) {
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 %zu draft%s", u->m->ndrafts, u->m->ndrafts == 1 ? "" : "s");
        x = put(u, r.y, x, end, tmp, THEME_DRAFTS_COUNT);
    }
    snprintf(tmp, sizeof tmp, " \xE2\x94\x82 %s",
             u->cur && u->cur->kind == CONV_CHAT && u->cur->chat_model ? u->cur->chat_model : u->cfg->model);
    x = put(u, r.y, x, end, tmp, base);
    const desk_rate *rt = st->aiassist_rate.present ? &st->aiassist_rate : NULL;
    if (rt) {
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 rate %lld/%lld", (long long)rt->remaining, (long long)rt->limit);
        x = put(u, r.y, x, end, tmp, rt->remaining * 10 < rt->limit ? THEME_STATUS_WARN : base);
    }
    if (u->gate && gatectl_get(u->gate)->rate.present) {
        /* AI Gate's headroom as it last reported it, and when it resets. */
        const gate_ratelimit *g = &gatectl_get(u->gate)->rate;
        char at[16] = "";
        if (g->reset) {
            time_t t = (time_t)g->reset;
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(at, sizeof at, " until %H:%M", &tm);
        }
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 gate %lld/%lld%s", (long long)g->remaining,
                 (long long)g->limit, at);
        x = put(u, r.y, x, end, tmp, g->remaining * 10 < g->limit ? THEME_STATUS_WARN : base);
    }
    const char *hint = st->flash ? NULL : help_first_hint(u);
    if (hint) {
        x = put(u, r.y, x, end, " \xE2\x94\x82 ", base);
        put(u, r.y, x, end, hint, THEME_STATUS_OK);
    }
    if (st->flash) {
        /* A message cut short says nothing: while it shows, it takes the
         * place of everything but the connection state if the line has no
         * room for it otherwise. */
        if (x + 3 + (int)tw_str_width(st->flash, strlen(st->flash)) > end && after_conn < x) {
            ui_blank(u, r.y, after_conn, end - after_conn, ui_style(u, base));
            x = after_conn;
        }
        x = put(u, r.y, x, end, " \xE2\x94\x82 ", base);
        put(u, r.y, x, end, st->flash, st->flash_is_error ? THEME_FLASH_ERROR : THEME_FLASH_INFO);
    }
}

static uint64_t held_left_s(ui *u, int64_t now);

static uint64_t sig(pane *p, ui *u)
{
    (void)p;
    uint64_t h = 1469598103934665603ull ^ desk_get_status(u->desk)->rev;
    h = (h ^ u->m->rev) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)u->cur) * 1099511628211ull;
    h = (h ^ (u->cur ? u->cur->rev : 0)) * 1099511628211ull;
    h = (h ^ (uint64_t)held_left_s(u, clock_mono_ms())) * 1099511628211ull;
    h = (h ^ (uintptr_t)sidebar_filter_name(u)) * 1099511628211ull;
    return h ^ (u->gate ? gatectl_get(u->gate)->rev : 0);
}

/* The undo window's countdown, in whole seconds (and how many are held),
 * for the signature; 0 when nothing is held. */
static uint64_t held_left_s(ui *u, int64_t now)
{
    size_t n = desk_held_count(u->desk);
    desk_held_info h;
    if (!n || !desk_held_get(u->desk, n - 1, now, &h))
        return 0;
    return ((uint64_t)n << 32) | (uint64_t)((h.left_ms + 999) / 1000);
}

/* While something is held, the countdown ticks once a second. */
static long next_timer_ms(pane *p, ui *u, int64_t now)
{
    (void)p;
    size_t n = desk_held_count(u->desk);
    desk_held_info h;
    if (!n || !desk_held_get(u->desk, n - 1, now, &h))
        return -1;
    long t = h.left_ms % 1000;
    return t ? t : 1000;
}

static const pane_ops ops = {
    .name = "status",
    .slot = SLOT_STATUS,
    .draw = draw,
    .sig = sig,
    .next_timer_ms = next_timer_ms,
};

pane *statusbar_new(ui *u)
{
    (void)u;
    pane *p = xcalloc(1, sizeof *p);
    p->ops = &ops;
    return p;
}
