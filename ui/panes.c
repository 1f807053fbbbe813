/* panes.c: the sidebar, the title line, the typing preview, the drafts
 * queue, the status bar and the help overlay. */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "text/width.h"
#include "util/clock.h"
#include "util/mem.h"
#include "view/commands.h"

static const char *badge(const conv *c, int *style)
{
    if (c->kind == CONV_CHAT) {
        *style = THEME_BADGE_CHAT;
        return "CHAT";
    }
    switch (c->mode) {
    case AI_MODE_SHADOW: *style = THEME_BADGE_SHADOW; return "SHADOW";
    case AI_MODE_TAKEOVER: *style = THEME_BADGE_TAKEOVER; return "TAKEOVER";
    case AI_MODE_AI: *style = THEME_BADGE_AI; return "AI";
    default: *style = THEME_META; return "?";
    }
}

/* ------------------------------------------------------------- sidebar */

#define SIDE_ROWS 2 /* each conversation takes two rows */

void sidebar_draw(ui *u)
{
    rect r = u->lay.sidebar;
    if (!u->lay.sidebar_visible || r.h <= 0)
        return;
    int base = ui_style(u, THEME_SIDEBAR);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, base);
    attrset(ui_style(u, THEME_BORDER));
    mvvline(r.y, r.x + r.w, ACS_VLINE, r.h);
    /* Keep the current conversation in view. Comparisons come after the
     * conversations. */
    int slots = r.h / SIDE_ROWS;
    int cur = -1;
    size_t total = u->nsorted + u->ncmps;
    for (size_t i = 0; i < u->nsorted; i++)
        if (!u->cur_cmp && u->sorted[i] == u->cur)
            cur = (int)i;
    for (size_t i = 0; i < u->ncmps; i++)
        if (u->cmps[i] == u->cur_cmp)
            cur = (int)(u->nsorted + i);
    if (cur >= 0 && cur < u->side_top)
        u->side_top = cur;
    if (cur >= 0 && slots > 0 && cur >= u->side_top + slots)
        u->side_top = cur - slots + 1;
    if (u->side_top > 0 && (size_t)u->side_top >= total)
        u->side_top = 0;
    if (!total) {
        ui_text(u, r.y, r.x + 1, r.w - 1, "no conversations", 16, ui_style(u, THEME_META));
        if (r.h > 2)
            ui_text(u, r.y + 1, r.x + 1, r.w - 1, "/new, /open, /chat", 18, ui_style(u, THEME_META));
        return;
    }
    for (int s = 0; s < slots && (size_t)(u->side_top + s) < total; s++) {
        int y = r.y + s * SIDE_ROWS;
        if ((size_t)(u->side_top + s) >= u->nsorted) {
            const cmpui *k = u->cmps[(size_t)(u->side_top + s) - u->nsorted];
            bool ksel = k == u->cur_cmp;
            int ka = ksel ? ui_style(u, THEME_SIDEBAR_SELECTED) : base;
            ui_blank(u, y, r.x, r.w, ka);
            ui_blank(u, y + 1, r.x, r.w, ka);
            ui_text(u, y, r.x + 1, r.w - 2, k->title, strlen(k->title), ka);
            int kx = r.x + 1 + ui_text(u, y + 1, r.x + 1, r.w - 2, "COMPARE", 7,
                                       ksel ? ka : ui_style(u, THEME_BADGE_CHAT));
            if (compare_busy(k->c))
                ui_text(u, y + 1, kx, r.x + r.w - kx, " running", 8,
                        ksel ? ka : ui_style(u, THEME_STATE_STREAMING));
            continue;
        }
        const conv *c = u->sorted[u->side_top + s];
        bool sel = !u->cur_cmp && c == u->cur;
        int a = sel ? ui_style(u, THEME_SIDEBAR_SELECTED)
                    : c->ended ? ui_style(u, THEME_SIDEBAR_DIM) : base;
        ui_blank(u, y, r.x, r.w, a);
        ui_blank(u, y + 1, r.x, r.w, a);
        int tw = r.w - 3;
        const char *title = c->title ? c->title : c->id;
        int used = ui_text(u, y, r.x + 1, tw, title, strlen(title), a | (c->unread ? A_BOLD : 0));
        if (c->typing && used < tw - 1)
            ui_text(u, y, r.x + 1 + used + 1, 2, "\xE2\x9C\x8E", 3,
                    sel ? a : ui_style(u, THEME_TYPING_INDICATOR)); /* ✎ */
        int bs;
        const char *b = badge(c, &bs);
        int x = r.x + 1;
        x += ui_text(u, y + 1, x, r.w - 2, b, strlen(b), sel ? a : ui_style(u, bs));
        if (c->ended)
            x += ui_text(u, y + 1, x, r.x + r.w - x, " ended", 6, sel ? a : ui_style(u, THEME_META));
        char tmp[32];
        if (c->unread) {
            int n = snprintf(tmp, sizeof tmp, " \xE2\x97\x8F%zu", c->unread); /* ●N */
            x += ui_text(u, y + 1, x, r.x + r.w - x, tmp, (size_t)n, sel ? a : ui_style(u, THEME_UNREAD));
        }
        if (c->drafts) {
            int n = snprintf(tmp, sizeof tmp, " \xE2\x9C\x8D%zu", c->drafts); /* ✍N */
            ui_text(u, y + 1, x, r.x + r.w - x, tmp, (size_t)n, sel ? a : ui_style(u, THEME_DRAFTS_COUNT));
        }
    }
}

void sidebar_hit(ui *u, int y, conv **c, cmpui **k)
{
    int s = (y - u->lay.sidebar.y) / SIDE_ROWS;
    size_t i = (size_t)(u->side_top + s);
    *c = NULL;
    *k = NULL;
    if (s < 0)
        return;
    if (i < u->nsorted)
        *c = u->sorted[i];
    else if (i - u->nsorted < u->ncmps)
        *k = u->cmps[i - u->nsorted];
}

/* --------------------------------------------------------------- title */

void title_draw(ui *u)
{
    rect r = u->lay.title;
    if (r.h <= 0)
        return;
    int a = ui_style(u, THEME_TITLE);
    ui_blank(u, r.y, r.x, r.w, a);
    if (u->gate_view) {
        ui_text(u, r.y, r.x + 1, r.w - 1, "AI Gate", 7, a | A_BOLD);
        ui_text(u, r.y, r.x + 9, r.w - 9, "  realtime voice sessions (F6 or Esc: back)", 43, a);
        return;
    }
    if (u->cur_cmp) {
        int x = r.x + 1 + ui_text(u, r.y, r.x + 1, r.w - 1, "Comparison", 10, a | A_BOLD);
        const char *t = u->cur_cmp->title;
        ui_text(u, r.y, x + 2, r.x + r.w - x - 2, t, strlen(t), a);
        return;
    }
    if (!u->cur) {
        ui_text(u, r.y, r.x + 1, r.w - 1, "aidesk", 6, a);
        return;
    }
    const conv *c = u->cur;
    int x = r.x + 1;
    const char *title = c->title ? c->title : c->id;
    x += ui_text(u, r.y, x, r.w / 2, title, strlen(title), a | A_BOLD);
    x++;
    int bs;
    const char *b = badge(c, &bs);
    x += ui_text(u, r.y, x, r.x + r.w - x, b, strlen(b), ui_style(u, bs));
    char info[160];
    int n;
    if (c->kind == CONV_CHAT)
        n = snprintf(info, sizeof info, "  model %s", c->chat_model ? c->chat_model : "?");
    else
        n = snprintf(info, sizeof info, "  %s%s  you speak as the %s", c->id,
                     c->ended ? " (ended)" : "", ui_convui(u, c)->as_agent ? "agent" : "customer");
    ui_text(u, r.y, x, r.x + r.w - x, info, (size_t)n, a);
}

/* -------------------------------------------------------------- typing */

void typing_draw(ui *u)
{
    rect r = u->lay.typing;
    if (r.h <= 0 || !u->cur)
        return;
    const char *who = u->cur->typing ? "customer" : "another agent";
    const char *text = u->cur->typing ? u->cur->typing : u->cur->agent_typing;
    if (!text)
        return;
    int a = ui_style(u, THEME_TYPING);
    ui_blank(u, r.y, r.x, r.w, a);
    char lead[48];
    int n = snprintf(lead, sizeof lead, " %s is typing: ", who);
    int x = r.x + ui_text(u, r.y, r.x, r.w, lead, (size_t)n, a | A_BOLD);
    /* Show the end of what they typed: that is where the news is. */
    size_t len = strlen(text);
    int room = r.x + r.w - x - 1;
    size_t start = 0;
    while (start < len && (int)tw_str_width(text + start, len - start) > room) {
        int cw;
        start += tw_cluster_next(text + start, len - start, &cw);
    }
    x += ui_text_oneline(u, r.y, x, room, text + start, len - start, a);
    ui_text(u, r.y, x, 1, "\xE2\x96\x8F", 3, ui_style(u, THEME_TYPING_INDICATOR)); /* ▏ */
}

/* -------------------------------------------------------------- drafts */

/* Each frame takes a new picture of the queue (u->queue): the selection
 * follows its draft, or moves to a neighbour when its draft left; keys act
 * on this picture until the next frame. Taken even when the queue is not
 * on screen, so that row numbers mean what F2 would show. */
void drafts_draw(ui *u)
{
    if (!u->queue_taken || u->queue_rev != u->m->rev) {
        dq_capture(&u->queue, u->m, dq_follow(&u->queue, u->m));
        u->queue_rev = u->m->rev;
        u->queue_taken = true;
    }
    rect r = u->lay.drafts;
    if (r.h <= 0)
        return;
    int a = ui_style(u, THEME_DRAFTS);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, a);
    char head[160];
    int n = snprintf(head, sizeof head, " Drafts waiting for approval: %zu%s", u->queue.n,
                     u->focus == FOCUS_DRAFTS ? "   a approve  e edit  r reject  Enter open  Esc back"
                                              : "   F2 to choose");
    attrset(ui_style(u, THEME_BORDER));
    mvhline(r.y, r.x, ACS_HLINE, r.w);
    ui_text(u, r.y, r.x, r.w, head, (size_t)n, ui_style(u, THEME_TITLE));
    int rows = r.h - 1, per = 2;
    long at = dq_find(&u->queue, u->queue.sel);
    size_t sel = at < 0 ? 0 : (size_t)at, first = 0;
    if (sel >= (size_t)(rows / per))
        first = sel - (size_t)(rows / per) + 1;
    for (size_t i = first; i < u->queue.n && (int)(i - first) * per + per <= rows; i++) {
        const draft *d = model_find_draft(u->m, u->queue.rows[i].draft_id);
        if (!d)
            continue; /* not reached: the picture was taken from the model above */
        int y = r.y + 1 + (int)(i - first) * per;
        bool on = u->focus == FOCUS_DRAFTS && at >= 0 && i == sel;
        int da = on ? ui_style(u, THEME_DRAFTS_SELECTED) : a;
        ui_blank(u, y, r.x, r.w, da);
        ui_blank(u, y + 1, r.x, r.w, da);
        char lead[160];
        time_t t = (time_t)(d->created_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        n = snprintf(lead, sizeof lead, " %zu. %s %02d:%02d  \xE2\x86\xB3 ", i + 1,
                     u->queue.rows[i].label, tm.tm_hour, tm.tm_min);
        if (n < 0 || (size_t)n >= sizeof lead)
            n = (int)sizeof lead - 1; /* a long name, cut */
        int x = r.x + ui_text(u, y, r.x, r.w, lead, (size_t)n, da | A_BOLD);
        const char *q = d->reply_to ? d->reply_to : "";
        ui_text_oneline(u, y, x, r.x + r.w - x, q, strlen(q), on ? da : ui_style(u, THEME_ROLE_CUSTOMER));
        x = r.x + ui_text(u, y + 1, r.x, r.w, "    AI: ", 8, da);
        ui_text_oneline(u, y + 1, x, r.x + r.w - x, d->content, strlen(d->content),
                        on ? da : ui_style(u, THEME_ROLE_AI));
    }
}

/* -------------------------------------------------------------- status */

static int put(ui *u, int y, int x, int end, const char *s, int style)
{
    if (x >= end)
        return x;
    return x + ui_text(u, y, x, end - x, s, strlen(s), ui_style(u, style));
}

void status_draw(ui *u)
{
    rect r = u->lay.status;
    if (r.h <= 0)
        return;
    const app_status *st = app_get_status(u->app);
    int64_t now = clock_mono_ms();
    int base = THEME_STATUS;
    ui_blank(u, r.y, r.x, r.w, ui_style(u, base));
    int x = r.x + 1, end = r.x + r.w;
    char tmp[200];
    switch (st->aiassist) {
    case APP_CONN_OK: x = put(u, r.y, x, end, "AiAssist connected", THEME_STATUS_OK); break;
    case APP_CONN_RETRYING: {
        long s = (long)((st->aiassist_retry_at - now + 999) / 1000);
        snprintf(tmp, sizeof tmp, "AiAssist retrying in %ld s", s < 0 ? 0 : s);
        x = put(u, r.y, x, end, tmp, THEME_STATUS_WARN);
        break;
    }
    case APP_CONN_OFFLINE:
        snprintf(tmp, sizeof tmp, "AiAssist offline%s%s", st->aiassist_note ? ": " : "",
                 st->aiassist_note ? st->aiassist_note : "");
        x = put(u, r.y, x, end, tmp, THEME_STATUS_ERROR);
        break;
    default: x = put(u, r.y, x, end, "AiAssist connecting", THEME_STATUS); break;
    }
    int after_conn = x;
    x = put(u, r.y, x, end, " \xE2\x94\x82 ", base);
    switch (st->live) {
    case APP_LIVE_STREAMING: x = put(u, r.y, x, end, "live", THEME_STATUS_OK); break;
    case APP_LIVE_POLLING: x = put(u, r.y, x, end, "polling (no live events)", THEME_STATUS_WARN); break;
    case APP_LIVE_NO_ACCESS: x = put(u, r.y, x, end, "no live view (needs an agent key)", THEME_STATUS_WARN); break;
    case APP_LIVE_RETRYING: {
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
    if (u->m->ndrafts) {
        snprintf(tmp, sizeof tmp, " \xE2\x94\x82 %zu draft%s", u->m->ndrafts, u->m->ndrafts == 1 ? "" : "s");
        x = put(u, r.y, x, end, tmp, THEME_DRAFTS_COUNT);
    }
    snprintf(tmp, sizeof tmp, " \xE2\x94\x82 %s",
             u->cur && u->cur->kind == CONV_CHAT && u->cur->chat_model ? u->cur->chat_model : u->cfg->model);
    x = put(u, r.y, x, end, tmp, base);
    const app_rate *rt = st->aiassist_rate.present ? &st->aiassist_rate : NULL;
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

/* ---------------------------------------------------------------- help */

void help_draw(ui *u)
{
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
    if (u->help_top > total - rows)
        u->help_top = total - rows > 0 ? total - rows : 0;
    int line = 0, y = y0 + 1;
    char left[200];
    for (int i = 0; i < total && y < y0 + h - 1; i++, line++) {
        if (line < u->help_top)
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
