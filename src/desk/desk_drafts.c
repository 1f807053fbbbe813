/* desk_drafts.c: deciding drafts by identity, and saying what became of a
 * draft that left the queue before the person's approve or reject could.
 *
 * The server is the authority: a draft it no longer holds as pending
 * answers 409 draft_not_pending, and the customer receives an approved
 * draft once whatever the consoles do. What this file adds is the person's
 * side: a decision aimed at a draft goes to that draft or nowhere, and a
 * draft decided elsewhere (another manager, an ended workspace) is reported
 * as such, with when, instead of as an error or as silence. */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/notes.h"
#include "util/clock.h"
#include "util/mem.h"

static op *op_for_draft(const desk_t *a, const char *id)
{
    for (op *o = a->ops; o; o = o->next)
        if ((o->kind == OP_APPROVE || o->kind == OP_REJECT) && o->draft_id && !strcmp(o->draft_id, id))
            return o;
    return NULL;
}

/* " at 14:02" in local time, or "" when the time is unknown. */
static void at_text(int64_t at_ms, char *out, size_t n)
{
    out[0] = '\0';
    if (at_ms <= 0)
        return;
    time_t t = (time_t)(at_ms / 1000);
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(out, n, " at %H:%M", &tm);
}

char *desk_draft_why_not(const desk_t *a, const char *draft_id)
{
    if (!draft_id)
        return NULL;
    const draft *d = model_find_draft(a->m, draft_id);
    long held = desk_draft_held_left(a, draft_id, clock_mono_ms());
    if (held >= 0)
        return xasprintf("is held for approval by this console: it goes out in %ld s unless "
                         "undone",
                         (held + 999) / 1000);
    if (d) {
        if (d->deciding || op_for_draft(a, draft_id))
            return xstrdup("is being decided by this console already: its request waits for the "
                           "server's answer");
        return NULL;
    }
    const draft_fate *f = model_draft_fate(a->m, draft_id);
    if (!f)
        return op_for_draft(a, draft_id)
                   ? xstrdup("is being decided by this console already: its request waits for "
                             "the server's answer")
                   : NULL;
    char at[32];
    at_text(f->at_ms, at, sizeof at);
    if (f->how == DRAFT_END_WS_ENDED) {
        const conv *c = f->ws_id ? model_find(a->m, f->ws_id) : NULL;
        const char *name = c && c->title ? c->title : f->ws_id ? f->ws_id : "?";
        return xasprintf("was withdrawn: its workspace %s ended%s", name, at);
    }
    const char *what = f->how == DRAFT_END_APPROVED   ? "approved"
                       : f->how == DRAFT_END_REJECTED ? "rejected"
                                                      : "decided";
    switch (f->by) {
    case DRAFT_BY_US:
        return xasprintf("was already %s from this console%s", what, at);
    case DRAFT_BY_US_MAYBE:
        return xasprintf("was already %s%s, perhaps by this console's earlier attempt whose "
                         "answer was lost",
                         what, at);
    case DRAFT_BY_UNSETTLED:
        return xasprintf("was %s%s while this console's request was on its way; its answer "
                         "will say by whom",
                         what, at);
    case DRAFT_BY_OTHER:
        break;
    }
    if (f->how == DRAFT_END_GONE && !f->at_ms)
        return xstrdup("is no longer waiting: another manager decided it");
    return xasprintf("was already %s by another manager%s", what, at);
}

/* Whether a decision on draft_id should go out now; says why not when not. */
bool desk_draft_may_decide(desk_t *a, const char *draft_id)
{
    char *why = desk_draft_why_not(a, draft_id);
    if (!why)
        return true;
    desk_flash(a, true, "that draft %s; nothing was sent", why);
    free(why);
    return false;
}

void desk_draft_deciding(desk_t *a, op *o, const char *draft_id)
{
    if (!o) {
        desk_flash(a, true, "draft %s cannot be named in a request; nothing was sent", draft_id);
        return;
    }
    o->draft_id = xstrdup(draft_id);
    draft *d = model_find_draft(a->m, draft_id);
    if (d)
        d->deciding = true;
}

/* A rejection by id: a copy of the draft's fields the request needs when
 * it is not pending here (an id typed by hand, a row drawn before the
 * draft left). The server then decides (404, 409, or it works: the answer
 * names the workspace). Approvals by id go through desk_approve_ex. */
static bool reject_id(desk_t *a, const char *draft_id, const char *text)
{
    if (!draft_id || !*draft_id || !desk_draft_may_decide(a, draft_id))
        return false;
    const draft *d = model_find_draft(a->m, draft_id);
    draft stub;
    memset(&stub, 0, sizeof stub);
    if (!d) {
        stub.id = xstrdup(draft_id);
        d = &stub;
    }
    desk_reject(a, d, text);
    free(stub.id);
    return op_for_draft(a, draft_id) != NULL;
}

bool desk_approve_id(desk_t *a, const char *draft_id, const char *edited)
{
    return desk_approve_ex(a, draft_id, edited, 0);
}

char *desk_draft_stale_why(const desk_t *a, const char *draft_id)
{
    const draft *d = model_find_draft(a->m, draft_id);
    draft_stale st;
    if (!d || !model_draft_stale(a->m, d, &st))
        return NULL;
    const conv *c = model_find(a->m, d->ws_id);
    char at[32];
    at_text(st.at_ms, at, sizeof at);
    return xasprintf("was written before %s got %s%s", c && c->title ? c->title : d->ws_id,
                     st.by_human ? "a human answer" : "another answer from the AI", at);
}

bool desk_reject_id(desk_t *a, const char *draft_id, const char *reason)
{
    return reject_id(a, draft_id, reason);
}

/* The request did not decide it. Whether it may have reached the server
 * follows the send rules (desk_ws.c): connection refused, 429 and 503 mean
 * certainly not. */
static void decide_failed(desk_t *a, op *o, draft *d, const net_event *ev)
{
    const char *doing = o->kind == OP_APPROVE ? "approving the draft" : "rejecting the draft";
    api_error *e = ai_error_from_event(a->ai, ev);
    bool not_pending = e->kind == API_ERR_CONFLICT && e->code && !strcmp(e->code, "draft_not_pending");
    bool ws_ended = e->kind == API_ERR_CONFLICT && !not_pending;
    if (not_pending || ws_ended || e->kind == API_ERR_NOT_FOUND) {
        /* Decided elsewhere: the server's refusal is the authority. */
        model_draft_gone(a->m, o->draft_id, o->conv_id,
                         ws_ended ? DRAFT_END_WS_ENDED : DRAFT_END_GONE, DRAFT_BY_OTHER, 0);
        char *why = desk_draft_why_not(a, o->draft_id);
        if (e->kind == API_ERR_NOT_FOUND)
            desk_flash(a, true, "the server no longer knows that draft; nothing was sent");
        else
            desk_flash(a, true, "that draft %s; nothing was sent",
                      why ? why : "was already decided by another manager");
        free(why);
        api_error_free(e);
        return;
    }
    bool not_arrived = (e->kind == API_ERR_NETWORK && e->fail == NET_FAIL_CONNECT) ||
                       e->kind == API_ERR_RATE_LIMITED ||
                       (e->kind == API_ERR_SERVER && e->status == 503);
    bool refused = e->kind == API_ERR_AUTH || e->kind == API_ERR_FORBIDDEN ||
                   e->kind == API_ERR_BAD_REQUEST;
    bool maybe = !not_arrived && !refused;
    if (d)
        d->maybe_ours = d->maybe_ours || maybe;
    else if (model_draft_fate(a->m, o->draft_id)) /* an event took it meanwhile */
        model_draft_gone(a->m, o->draft_id, NULL, DRAFT_END_GONE,
                         maybe ? DRAFT_BY_US_MAYBE : DRAFT_BY_OTHER, 0);
    char *why = api_error_message(e);
    if (maybe)
        desk_flash(a, true, "%s: %s; the server may have done it: if the draft stays in the "
                           "queue, it did not", doing, why);
    else
        desk_flash(a, true, "%s: %s; nothing was sent", doing, why);
    free(why);
    api_error_free(e);
}

void desk_drafts_done(desk_t *a, op *o, net_event *ev)
{
    draft *d = model_find_draft(a->m, o->draft_id);
    if (d)
        d->deciding = false; /* this answer is the one it waited for */
    if (ev->kind != NET_EV_DONE) {
        decide_failed(a, o, d, ev);
        return;
    }
    char *err = NULL;
    const char *what = o->kind == OP_APPROVE ? "approving the draft" : "rejecting the draft";
    if (o->kind == OP_APPROVE) {
        ai_approve_result *r = ai_decode_mgr_approve(ev->body, ev->body_len, &err);
        int64_t at = r && r->draft.decided_ms ? r->draft.decided_ms : clock_wall_ms();
        model_draft_gone(a->m, o->draft_id, r && r->draft.workspace_id ? r->draft.workspace_id : o->conv_id,
                         DRAFT_END_APPROVED, DRAFT_BY_US, at);
        if (r) {
            conv *c = model_find(a->m, r->draft.workspace_id ? r->draft.workspace_id : o->conv_id);
            if (c && r->message.id)
                conv_upsert(a->m, c, &r->message, clock_wall_ms());
            bool edited = r->message.approval && !strcmp(r->message.approval, "edited");
            desk_flash(a, false, "draft %s", edited ? "edited and approved" : "approved");
            ai_approve_result_free(r);
        }
    } else {
        ai_draft *r = ai_decode_mgr_reject(ev->body, ev->body_len, &err);
        int64_t at = r && r->decided_ms ? r->decided_ms : clock_wall_ms();
        model_draft_gone(a->m, o->draft_id, r && r->workspace_id ? r->workspace_id : o->conv_id,
                         DRAFT_END_REJECTED, DRAFT_BY_US, at);
        /* The conversation keeps a trace of it (model/notes.h). */
        model_note_rejection(a->m, o->draft_id, r && r->reason ? r->reason : o->text,
                             r ? r->content : NULL);
        if (r) {
            desk_flash(a, false, "draft rejected");
            ai_draft_free(r);
        }
    }
    if (err) {
        desk_flash(a, true, "%s: %s", what, err);
        free(err);
    }
}
