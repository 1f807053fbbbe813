/* desk_undo.c: the undo window: approvals and replies as a human agent are
 * held a few seconds before they go out (the contract is in desk.h,
 * "deciding with confirmation and an undo window"). */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

static void held_free(desk_held *h)
{
    if (!h)
        return;
    free(h->conv_id);
    free(h->draft_id);
    free(h->text);
    free(h->msg_id);
    free(h->idem_key);
    free(h);
}

static desk_held *hold(desk_t *a, desk_held_kind kind, const char *conv_id)
{
    desk_held *h = xcalloc(1, sizeof *h);
    h->id = ++a->held_seq;
    h->kind = kind;
    h->conv_id = conv_id ? xstrdup(conv_id) : NULL;
    h->due = clock_mono_ms() + a->cfg->undo_ms;
    a->held = xgrow(a->held, &a->capheld, a->nheld + 1, sizeof *a->held);
    a->held[a->nheld++] = h;
    a->st.rev++;
    return h;
}

/* Takes held action i out of the list (the caller frees it). */
static desk_held *take(desk_t *a, size_t i)
{
    desk_held *h = a->held[i];
    memmove(a->held + i, a->held + i + 1, (a->nheld - i - 1) * sizeof *a->held);
    a->nheld--;
    a->st.rev++;
    return h;
}

static void info(const desk_held *h, int64_t now, desk_held_info *out)
{
    out->id = h->id;
    out->kind = h->kind;
    out->conv_id = h->conv_id;
    out->draft_id = h->draft_id;
    out->text = h->text;
    out->msg_id = h->msg_id;
    out->left_ms = h->due > now ? (long)(h->due - now) : 0;
}

size_t desk_held_count(const desk_t *a)
{
    return a->nheld;
}

bool desk_held_get(const desk_t *a, size_t i, int64_t now_mono, desk_held_info *out)
{
    if (i >= a->nheld)
        return false;
    info(a->held[i], now_mono, out);
    return true;
}

static size_t find(const desk_t *a, uint64_t id)
{
    if (!id)
        return a->nheld ? a->nheld - 1 : a->nheld;
    for (size_t i = 0; i < a->nheld; i++)
        if (a->held[i]->id == id)
            return i;
    return a->nheld;
}

bool desk_held_find(const desk_t *a, uint64_t id, int64_t now_mono, desk_held_info *out)
{
    size_t i = find(a, id);
    return i < a->nheld && desk_held_get(a, i, now_mono, out);
}

bool desk_held_for_draft(const desk_t *a, const char *draft_id, int64_t now_mono,
                        desk_held_info *out)
{
    for (size_t i = 0; draft_id && i < a->nheld; i++)
        if (a->held[i]->draft_id && !strcmp(a->held[i]->draft_id, draft_id))
            return desk_held_get(a, i, now_mono, out);
    return false;
}

bool desk_held_for_msg(const desk_t *a, const char *msg_id, int64_t now_mono, desk_held_info *out)
{
    for (size_t i = 0; msg_id && i < a->nheld; i++)
        if (a->held[i]->msg_id && !strcmp(a->held[i]->msg_id, msg_id))
            return desk_held_get(a, i, now_mono, out);
    return false;
}

long desk_draft_held_left(const desk_t *a, const char *draft_id, int64_t now_mono)
{
    desk_held_info hi;
    return desk_held_for_draft(a, draft_id, now_mono, &hi) ? hi.left_ms : -1;
}

int64_t desk_undo_due(const desk_t *a)
{
    int64_t due = 0;
    for (size_t i = 0; i < a->nheld; i++)
        if (!due || a->held[i]->due < due)
            due = a->held[i]->due;
    return due;
}

/* ------------------------------------------------------------- replies */

void desk_reply_hold(desk_t *a, conv *c, msg *m)
{
    if (a->cfg->undo_ms <= 0) {
        desk_ws_submit(a, c, m);
        return;
    }
    m->held = true;
    msg_set_state(m, MSG_SENDING, NULL);
    /* On disk at once, as not sent: a console that dies in the window
     * leaves it for the person at the next start, never sent by itself. */
    desk_unsent_store(a, c, m);
    desk_held *h = hold(a, DESK_HELD_REPLY, c->id);
    h->msg_id = xstrdup(m->id);
    h->text = xstrdup(buf_cstr(&m->text));
    conv_touch(c);
}

/* Our held reply's message, or NULL when it went (the workspace left,
 * the message was removed). */
static msg *held_msg(desk_t *a, const desk_held *h, conv **cp)
{
    conv *c = model_find(a->m, h->conv_id);
    msg *m = c ? conv_find_msg(c, h->msg_id) : NULL;
    *cp = c;
    return m && m->held ? m : NULL;
}

static void reply_go(desk_t *a, desk_held *h)
{
    conv *c;
    msg *m = held_msg(a, h, &c);
    if (!m)
        return;
    m->held = false;
    if (c->ended) {
        msg_set_state(m, MSG_UNSENT, "not sent: the workspace ended during the undo window");
        desk_unsent_store(a, c, m);
        desk_flash(a, true, "the reply was not sent: %s ended during its undo window", c->title);
        return;
    }
    desk_ws_submit(a, c, m);
}

/* ----------------------------------------------------------- approvals */

/* Whether a held approval may still go: pending, not decided elsewhere,
 * not stale unless approved anyway. Says why not when not. */
static bool approval_still_fits(desk_t *a, const desk_held *h)
{
    if (!desk_draft_may_decide(a, h->draft_id))
        return false;
    if (h->flags & DESK_APPROVE_ANYWAY)
        return true;
    char *why = desk_draft_stale_why(a, h->draft_id);
    if (!why)
        return true;
    desk_flash(a, true, "that draft %s during the undo window; approve it anyway to send it; "
                       "nothing was sent",
              why);
    free(why);
    return false;
}

static void approve_go(desk_t *a, desk_held *h)
{
    if (approval_still_fits(a, h))
        desk_approve_send(a, h->draft_id, h->conv_id, h->text, h->idem_key);
}

bool desk_approve_ex(desk_t *a, const char *draft_id, const char *edited, unsigned flags)
{
    return desk_approve_draft(a, draft_id, NULL, edited, flags);
}

bool desk_approve_draft(desk_t *a, const char *draft_id, const char *ws_hint, const char *edited,
                       unsigned flags)
{
    if (!draft_id || !*draft_id || !desk_draft_may_decide(a, draft_id))
        return false;
    if (!(flags & DESK_APPROVE_ANYWAY)) {
        char *why = desk_draft_stale_why(a, draft_id);
        if (why) {
            desk_flash(a, true, "that draft %s: it may repeat or contradict that answer; approve "
                               "it anyway to send it; nothing was sent",
                      why);
            free(why);
            return false;
        }
    }
    const draft *d = model_find_draft(a->m, draft_id);
    const char *ws = d ? d->ws_id : ws_hint;
    /* One decision, however often it is sent: its key is fixed now. */
    char *key = ai_idem_key_new();
    if (a->cfg->undo_ms <= 0) {
        desk_approve_send(a, draft_id, ws, edited, key);
        free(key);
        return true;
    }
    desk_held *h = hold(a, DESK_HELD_APPROVE, ws);
    h->draft_id = xstrdup(draft_id);
    h->text = edited ? xstrdup(edited) : NULL;
    h->idem_key = key;
    h->flags = flags;
    a->m->rev++; /* the queue shows the countdown */
    return true;
}

/* --------------------------------------------------------------- both */

bool desk_undo(desk_t *a, uint64_t id, char **text)
{
    if (text)
        *text = NULL;
    size_t i = find(a, id);
    if (i == a->nheld)
        return false;
    desk_held *h = take(a, i);
    if (h->kind == DESK_HELD_REPLY) {
        conv *c;
        msg *m = held_msg(a, h, &c);
        if (m) {
            desk_unsent_forget(a, c->id, m->id);
            conv_remove_msg(c, m);
            a->m->rev++;
        }
        if (text) {
            *text = h->text;
            h->text = NULL;
        }
        desk_flash(a, false, "reply taken back: nothing was sent");
    } else {
        a->m->rev++;
        desk_flash(a, false, "approval taken back: nothing was sent; the draft still waits");
    }
    held_free(h);
    return true;
}

static void go(desk_t *a, desk_held *h)
{
    if (h->kind == DESK_HELD_REPLY)
        reply_go(a, h);
    else
        approve_go(a, h);
}

bool desk_send_now(desk_t *a, uint64_t id)
{
    size_t i = find(a, id);
    if (i == a->nheld)
        return false;
    desk_held *h = take(a, i);
    go(a, h);
    held_free(h);
    return true;
}

void desk_undo_tick(desk_t *a, int64_t now_mono)
{
    /* Oldest first; what goes may change the list: take, then act. */
    for (size_t i = 0; i < a->nheld;) {
        if (a->held[i]->due > now_mono) {
            i++;
            continue;
        }
        desk_held *h = take(a, i);
        go(a, h);
        held_free(h);
    }
}

void desk_undo_quit(desk_t *a)
{
    while (a->nheld) {
        desk_held *h = take(a, 0);
        if (h->kind == DESK_HELD_REPLY) {
            conv *c;
            msg *m = held_msg(a, h, &c);
            if (m) {
                m->held = false;
                msg_set_state(m, MSG_UNSENT, "not sent: the console quit during its undo "
                                             "window; /retry sends it");
                desk_unsent_store(a, c, m);
            }
            log_msg("console: a reply in %s was held when the console quit: kept as unsent",
                    h->conv_id);
        } else {
            log_msg("console: the approval of %s was held when the console quit: not sent; the "
                    "draft still waits",
                    h->draft_id);
        }
        held_free(h);
    }
}
