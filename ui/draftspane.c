/* draftspane.c: the drafts queue (shadow mode): its pane, its keys, and
 * the commands that act on drafts (/drafts, /approve, /edit, /reject).
 *
 * Keys and commands act on identities, not positions (model/draftq.h):
 * a key acts on the draft its row showed when the queue was last drawn,
 * a row number typed on the command line on the queue as it was when the
 * line was opened; a draft decided elsewhere meanwhile is reported and
 * its neighbour is never acted on in its place. */
#include "config.h"
#include "cmds.h"
#include "day.h"
#include "panes.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/draftq.h"
#include "util/clock.h"
#include "util/mem.h"

typedef struct drafts {
    pane p;
    dq_view queue;     /* the queue as the last frame drew it; its sel is the selection */
    unsigned rev;      /* the model's rev when the picture was taken */
    bool taken;
    dq_view queue_cmd; /* the queue when the command line was opened */
    bool any_wait;     /* a row showed a wait at the last draw */
    int64_t wait_next_wall; /* any_wait: when the first of them changes (wall ms) */
    unsigned wait_epoch; /* moments passed (tick): each one a new signature */
} drafts;

static const pane_ops ops;

static drafts *self(ui *u)
{
    return (drafts *)ui_pane(u, &ops);
}

/* ------------------------------------------------------------------ keys */

/* The selected draft is read in its conversation (convpane.c draws it
 * under the customer's last messages): choosing a row shows it there. */
static void show_selected(drafts *dp, ui *u)
{
    const dq_row *row = dq_selected(&dp->queue);
    conv *c = row ? model_find(u->m, row->ws_id) : NULL;
    if (c && c != u->cur)
        ui_select(u, c);
}

static void key_move(pane *p, ui *u, int key)
{
    dq_move(&((drafts *)p)->queue, key == K_FN(KEY_UP) ? -1 : 1);
    show_selected((drafts *)p, u);
}

/* Approving a stale draft asks first: the line comes back as
 * "/approve! ID" for Enter to confirm. Returns true when it asked. */
static bool ask_stale(ui *u, const char *draft_id)
{
    char *why = desk_draft_stale_why(u->desk, draft_id);
    if (!why)
        return false;
    char *again = xasprintf("/approve! %s", draft_id);
    if (input_empty()) {
        line_opened(u);
        input_set_text(u, again);
    } else {
        line_refill(u, again);
    }
    free(again);
    ui_focus(u, NULL);
    desk_flash(u->desk, true, "that draft %s: Enter approves it anyway, Ctrl-C keeps it", why);
    free(why);
    return true;
}

static void key_back(pane *p, ui *u, int key)
{
    (void)p;
    (void)key;
    ui_focus(u, NULL);
}

static void key_approve(pane *p, ui *u, int key)
{
    (void)key;
    const dq_row *row = dq_selected(&((drafts *)p)->queue);
    if (row && !ask_stale(u, row->draft_id))
        desk_approve_id(u->desk, row->draft_id, NULL);
}

static void key_edit(pane *p, ui *u, int key)
{
    (void)key;
    const dq_row *row = dq_selected(&((drafts *)p)->queue);
    if (row)
        drafts_edit(u, row->draft_id);
}

static void key_reject(pane *p, ui *u, int key)
{
    (void)key;
    const dq_row *row = dq_selected(&((drafts *)p)->queue);
    if (!row)
        return;
    char *why = desk_draft_why_not(u->desk, row->draft_id);
    if (why) {
        desk_flash(u->desk, true, "that draft %s; nothing was sent", why);
        free(why);
        return;
    }
    /* The id, not the row number: the line means this draft whatever the
     * queue does while the reason is typed. */
    char *pre = xasprintf("/reject %s ", row->draft_id);
    line_opened(u);
    input_set_text(u, pre);
    free(pre);
    ui_focus(u, NULL);
    desk_flash(u->desk, false, "type the reason, then Enter");
}

static void key_open(pane *p, ui *u, int key)
{
    (void)key;
    const dq_row *row = dq_selected(&((drafts *)p)->queue);
    if (!row)
        return;
    conv *c = model_find(u->m, row->ws_id);
    if (c)
        ui_select(u, c);
    else
        desk_flash(u->desk, true, "workspace %s is not known here any more", row->label);
}

static const pane_key keys[] = {
    {K_FN(KEY_UP), NULL, NULL, key_move},
    {K_FN(KEY_DOWN), NULL, NULL, key_move},
    {'a', "a", "approve", key_approve},
    {'e', "e", "edit", key_edit},
    {'r', "r", "reject", key_reject},
    {'\r', "Enter", "open", key_open},
    {'\n', NULL, NULL, key_open},
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

void drafts_toggle_focus(ui *u)
{
    drafts *dp = self(u);
    bool open = u->focus != &dp->p;
    ui_focus(u, open ? &dp->p : NULL);
    if (open)
        show_selected(dp, u);
}

const char *drafts_selected_id(ui *u)
{
    const dq_row *row = dq_selected(&self(u)->queue);
    return row ? row->draft_id : NULL;
}

bool drafts_focused(ui *u)
{
    return u->focus == &self(u)->p;
}

/* -------------------------------------------------------------- commands */

void drafts_edit(ui *u, const char *draft_id)
{
    const draft *d = model_find_draft(u->m, draft_id);
    char *why = desk_draft_why_not(u->desk, draft_id);
    if (why || !d) {
        desk_flash(u->desk, true, "that draft %s; there is nothing to edit",
                  why ? why : "is not in the queue");
        free(why);
        return;
    }
    line_edit_draft(u, draft_id, d->content);
    ui_focus(u, NULL);
    desk_flash(u->desk, false, "edit the draft; Enter approves it, Esc gives up");
}

const char *const *drafts_ids(ui *u, size_t *n)
{
    static const char **ids;
    drafts *dp = self(u);
    free(ids);
    ids = xcalloc(dp->queue.n + 1, sizeof *ids);
    for (size_t i = 0; i < dp->queue.n; i++)
        ids[i] = dp->queue.rows[i].draft_id;
    *n = dp->queue.n;
    return ids;
}

static void line_open(pane *p, ui *u)
{
    (void)u;
    drafts *dp = (drafts *)p;
    dq_copy(&dp->queue_cmd, &dp->queue);
}

/* The id of the draft a command means: the one its first word names when
 * named (an id, or a row number read against the queue as it was when the
 * line was opened, see dq_resolve), else the one selected then. NULL (and
 * said why) when none. A row that moved while the line was typed is not
 * guessed: the line comes back naming, by id, the draft the row showed
 * when typing began, for the person to confirm with Enter or change. */
static const char *pick_draft(ui *u, const cmd_parsed *p, bool named)
{
    drafts *dp = self(u);
    if (named) {
        char *err = NULL;
        const char *meant = NULL;
        const char *id = dq_resolve(&dp->queue_cmd, &dp->queue, p->argv[0], &meant, &err);
        if (id)
            return id;
        if (meant) {
            char *again = xasprintf("/%s %s%s", p->def->name, meant, p->rest + strcspn(p->rest, " \t"));
            line_refill(u, again);
            free(again);
        }
        desk_flash(u->desk, true, "%s; nothing was sent", err);
        free(err);
        return NULL;
    }
    /* Without an id: the draft the conversation shows, the one read. */
    const char *shown = convpane_drawn_draft(u);
    if (shown)
        return shown;
    const dq_row *row = dq_selected(&dp->queue_cmd);
    if (!row)
        desk_flash(u->desk, true, "no pending drafts");
    return row ? row->draft_id : NULL;
}

void uicmd_drafts(ui *u, const cmd_parsed *p)
{
    (void)p;
    ui_focus(u, &self(u)->p);
}

void uicmd_approve(ui *u, const cmd_parsed *p)
{
    const char *id = pick_draft(u, p, p->argc > 0);
    if (!id)
        return;
    if (p->bang)
        desk_approve_ex(u->desk, id, NULL, DESK_APPROVE_ANYWAY);
    else if (!ask_stale(u, id))
        desk_approve_id(u->desk, id, NULL);
}

void uicmd_edit(ui *u, const cmd_parsed *p)
{
    const char *id = pick_draft(u, p, p->argc > 0);
    if (id)
        drafts_edit(u, id);
}

void uicmd_reject(ui *u, const cmd_parsed *p)
{
    drafts *dp = self(u);
    /* The first word names the draft when it looks like one (an id, a
     * row number); otherwise it starts the reason. */
    bool named = p->argc >= 1 && dq_is_ref(&dp->queue_cmd, &dp->queue, u->m, p->argv[0]);
    const char *id = pick_draft(u, p, named);
    if (!id)
        return;
    const char *reason = p->rest;
    if (named) {
        reason = p->rest + strcspn(p->rest, " \t"); /* past the first word */
        while (*reason == ' ' || *reason == '\t')
            reason++;
    }
    desk_reject_id(u->desk, id, *reason ? reason : NULL);
}

/* ------------------------------------------------------------------ pane */

/* After a row's name and time: how long the draft has waited (red when
 * late), whether it is stale, whether its approval is counting down.
 * Returns the columns used. */
static int row_marks(drafts *dp, ui *u, const draft *d, int y, int x, int w, int da, bool on)
{
    int used = 0;
    int64_t now = clock_wall_ms();
    if (d->created_ms > 0 && d->created_ms <= now) {
        char fig[WAIT_FIG_COLS + 2];
        fig[0] = ' ';
        wait_fig(now - d->created_ms, fig + 1);
        int64_t late = (int64_t)u->cfg->late_after_s * 1000;
        bool red = late > 0 && now - d->created_ms > late;
        used += ui_text(u, y, x, w, fig, strlen(fig), red ? (int)(ui_style(u, THEME_STATE_FAILED) | A_BOLD) : da);
        /* Drawn again when a figure or its colour next changes (as the
         * sidebar's), not every second. */
        int64_t next = wait_fig_next_wall(now, d->created_ms, red ? 0 : late);
        if (!dp->any_wait || next < dp->wait_next_wall)
            dp->wait_next_wall = next;
        dp->any_wait = true;
    }
    desk_held_info h;
    draft_stale st;
    char tmp[64];
    if (desk_held_for_draft(u->desk, d->id, clock_mono_ms(), &h)) {
        int n = snprintf(tmp, sizeof tmp, " approving in %ld s: F8 undo", (h.left_ms + 999) / 1000);
        used += ui_text(u, y, x + used, w - used, tmp, (size_t)n, on ? da : ui_style(u, THEME_STATUS_WARN));
    } else if (model_draft_stale(u->m, d, &st)) {
        used += ui_text(u, y, x + used, w - used, " \xE2\x9A\xA0stale", 9,
                        on ? da : (int)(ui_style(u, THEME_STATE_FAILED) | A_BOLD));
    }
    return used;
}

/* Each frame that draws the pane takes a new picture of the queue: the
 * selection follows its draft, or moves to a neighbour when its draft
 * left; keys act on this picture until the next frame. Taken even when
 * the queue is not on screen (the pane is drawn, with no room, whenever
 * the model changed), so that row numbers mean what F2 would show. */
static void draw(pane *p, ui *u)
{
    drafts *dp = (drafts *)p;
    dp->any_wait = false;
    if (!dp->taken || dp->rev != u->m->rev) {
        dq_capture(&dp->queue, u->m, dq_follow(&dp->queue, u->m));
        dp->rev = u->m->rev;
        dp->taken = true;
    }
    rect r = p->r;
    if (r.h <= 0)
        return;
    int a = ui_style(u, THEME_DRAFTS);
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, a);
    char head[80];
    snprintf(head, sizeof head, " Drafts waiting for approval: %zu   ", dp->queue.n);
    attrset(ui_style(u, THEME_BORDER));
    mvhline(r.y, r.x, ACS_HLINE, r.w);
    pane_hint_line(p, u, r.y, r.x, r.w, ui_style(u, THEME_TITLE), false, head, "F2 to choose");
    int rows = r.h - 1, per = 2;
    long at = dq_find(&dp->queue, dp->queue.sel);
    size_t sel = at < 0 ? 0 : (size_t)at, first = 0;
    if (sel >= (size_t)(rows / per))
        first = sel - (size_t)(rows / per) + 1;
    for (size_t i = first; i < dp->queue.n && (int)(i - first) * per + per <= rows; i++) {
        const draft *d = model_find_draft(u->m, dp->queue.rows[i].draft_id);
        if (!d)
            continue; /* not reached: the picture was taken from the model above */
        int y = r.y + 1 + (int)(i - first) * per;
        bool on = u->focus == p && at >= 0 && i == sel;
        int da = on ? ui_style(u, THEME_DRAFTS_SELECTED) : a;
        ui_blank(u, y, r.x, r.w, da);
        ui_blank(u, y + 1, r.x, r.w, da);
        char lead[160];
        time_t t = (time_t)(d->created_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        int n = snprintf(lead, sizeof lead, " %zu. %s %02d:%02d ", i + 1, dp->queue.rows[i].label, tm.tm_hour,
                         tm.tm_min);
        if (n < 0 || (size_t)n >= sizeof lead)
            n = (int)sizeof lead - 1; /* a long name, cut */
        int x = r.x + ui_text(u, y, r.x, r.w, lead, (size_t)n, da | A_BOLD);
        x += row_marks(dp, u, d, y, x, r.x + r.w - x, da, on);
        x += ui_text(u, y, x, r.x + r.w - x, " \xE2\x86\xB3 ", 5, da | A_BOLD);
        const char *q = d->reply_to ? d->reply_to : "";
        ui_text_oneline(u, y, x, r.x + r.w - x, q, strlen(q), on ? da : ui_style(u, THEME_ROLE_CUSTOMER));
        x = r.x + ui_text(u, y + 1, r.x, r.w, "    AI: ", 8, da);
        ui_text_oneline(u, y + 1, x, r.x + r.w - x, d->content, strlen(d->content),
                        on ? da : ui_style(u, THEME_ROLE_AI));
    }
}

static void wants(pane *p, ui *u, layout_opts *o)
{
    o->drafts_open = u->focus == p || (u->m->ndrafts > 0 && u->cols >= 100 && u->rows >= 30);
    o->ndrafts = (int)u->m->ndrafts;
}

static uint64_t sig(pane *p, ui *u)
{
    drafts *dp = (drafts *)p;
    uint64_t h = ((uint64_t)u->m->rev << 1) | (u->focus == p);
    h = (h ^ dp->wait_epoch) * 1099511628211ull;
    size_t n = desk_held_count(u->desk);
    desk_held_info hi;
    if (n && desk_held_get(u->desk, n - 1, clock_mono_ms(), &hi))
        h = (h ^ ((uint64_t)n << 32 | (uint64_t)(hi.left_ms + 999) / 1000)) * 1099511628211ull;
    return h;
}

/* The moment the first wait figure changes; none while nothing waits (the
 * undo window's countdown is the status bar's timer). */
static long next_timer_ms(pane *p, ui *u, int64_t now)
{
    (void)u;
    (void)now;
    drafts *dp = (drafts *)p;
    if (!dp->any_wait || p->r.h <= 0 || dp->wait_next_wall == INT64_MAX)
        return -1;
    int64_t t = dp->wait_next_wall - clock_wall_ms();
    return t < 0 ? 0 : t > 3600 * 1000 ? 3600 * 1000 : (long)t;
}

static void tick(pane *p, ui *u, int64_t now)
{
    (void)u;
    (void)now;
    drafts *dp = (drafts *)p;
    /* A new signature draws the queue again; the drawing finds the next
     * moment. */
    if (dp->any_wait && dp->wait_next_wall != INT64_MAX && clock_wall_ms() >= dp->wait_next_wall) {
        dp->wait_epoch++;
        dp->wait_next_wall = INT64_MAX;
    }
}

static void sync(pane *p, ui *u)
{
    (void)p;
    attn_bell(u); /* a new draft, a customer writing in takeover */
}

static void drafts_free(pane *p)
{
    drafts *dp = (drafts *)p;
    dq_clear(&dp->queue);
    dq_clear(&dp->queue_cmd);
    free(dp);
}

static const pane_ops ops = {
    .name = "drafts",
    .slot = SLOT_DRAFTS,
    .draw = draw,
    .sig = sig,
    .wants = wants,
    .keys = keys,
    .key = key,
    .sync = sync,
    .line_opened = line_open,
    .next_timer_ms = next_timer_ms,
    .tick = tick,
    .free = drafts_free,
};

pane *drafts_new(ui *u)
{
    (void)u;
    drafts *dp = xcalloc(1, sizeof *dp);
    dp->p.ops = &ops;
    return &dp->p;
}
