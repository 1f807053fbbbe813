/* model_events.c: applying the manager's live events to the model. */
#include "config.h"
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "model/notes.h"
#include "util/mem.h"

/* The conversation an event is about; created (from what the event says)
 * when we had not heard of it, so that no event is lost. */
static conv *conv_for(model *m, const ai_event *ev, int64_t now_ms)
{
    if (ev->workspace)
        return model_upsert_workspace(m, ev->workspace, now_ms);
    if (!ev->workspace_id)
        return NULL;
    conv *c = model_find(m, ev->workspace_id);
    if (!c) {
        ai_workspace w;
        memset(&w, 0, sizeof w);
        w.id = ev->workspace_id;
        w.pending_drafts = -1;
        w.message_count = -1;
        c = model_upsert_workspace(m, &w, now_ms);
    }
    return c;
}

static void set_typing(model *m, char **slot, int64_t *when, const char *text, int64_t mono_ms)
{
    free(*slot);
    *slot = text && *text ? xstrdup(text) : NULL;
    if (when)
        *when = mono_ms;
    m->rev++;
}

/* Ending a workspace rejects its drafts with the reason "workspace ended"
 * (docs/protocol.md 3.6): that is a withdrawal, not a manager's no. */
static draft_end draft_end_of(const ai_event *ev)
{
    if (ev->type == AI_EV_DRAFT_APPROVED)
        return DRAFT_END_APPROVED;
    const char *why = ev->reason ? ev->reason : ev->draft->reason;
    return why && !strcmp(why, "workspace ended") ? DRAFT_END_WS_ENDED : DRAFT_END_REJECTED;
}

conv *model_apply_event(model *m, const ai_event *ev, int64_t now_ms, int64_t mono_ms)
{
    conv *c = NULL;
    m->events++;
    switch (ev->type) {
    case AI_EV_WORKSPACE_CREATED:
        c = conv_for(m, ev, now_ms);
        if (c)
            model_touch_now(m, c, now_ms);
        break;
    case AI_EV_WORKSPACE_ENDED:
        c = conv_for(m, ev, now_ms);
        if (c) {
            c->ended = true;
            free(c->typing);
            free(c->agent_typing);
            c->typing = c->agent_typing = NULL;
            for (size_t i = m->ndrafts; i > 0; i--)
                if (!strcmp(m->drafts[i - 1]->ws_id, c->id))
                    model_draft_gone(m, m->drafts[i - 1]->id, NULL, DRAFT_END_WS_ENDED,
                                     DRAFT_BY_OTHER, now_ms);
            c->rev++;
            m->rev++;
        }
        break;
    case AI_EV_MESSAGE_CREATED:
        c = conv_for(m, ev, now_ms);
        if (c && ev->message) {
            conv_upsert(m, c, ev->message, now_ms);
            model_touch_now(m, c, now_ms);
            m->rev++;
        }
        break;
    case AI_EV_MESSAGE_DELTA:
        c = conv_for(m, ev, now_ms);
        if (c && ev->message_id && ev->delta) {
            msg *mm = conv_find_msg(c, ev->message_id);
            if (!mm) {
                mm = conv_append(c, ev->message_id, AI_ROLE_AI, "", 0, MSG_STREAMING, now_ms);
                /* A reply arriving: news unless on screen (message.created
                 * will find it, and not count it again). */
                if (c != m->viewed) {
                    c->unread++;
                    m->rev++;
                }
            }
            if (mm->state == MSG_STREAMING)
                msg_append_text(mm, ev->delta, strlen(ev->delta));
            model_touch_now(m, c, now_ms);
        }
        break;
    case AI_EV_DRAFT_PENDING:
        if (ev->draft) {
            c = conv_for(m, ev, now_ms);
            model_add_draft(m, ev->draft);
            if (c)
                model_touch_now(m, c, now_ms);
        }
        break;
    case AI_EV_DRAFT_APPROVED:
    case AI_EV_DRAFT_REJECTED:
        if (ev->draft)
            model_draft_gone(m, ev->draft->id, ev->draft->workspace_id, draft_end_of(ev),
                             DRAFT_BY_OTHER, ev->draft->decided_ms ? ev->draft->decided_ms : now_ms);
        c = conv_for(m, ev, now_ms);
        if (c && ev->message)
            conv_upsert(m, c, ev->message, now_ms);
        /* A rejection leaves a trace in its conversation (model/notes.h). */
        if (ev->type == AI_EV_DRAFT_REJECTED && ev->draft)
            model_note_rejection(m, ev->draft->id, ev->reason ? ev->reason : ev->draft->reason,
                                 ev->draft->content);
        break;
    case AI_EV_TYPING:
        c = conv_for(m, ev, now_ms);
        if (c) {
            if (ev->who == AI_WHO_CUSTOMER)
                set_typing(m, &c->typing, &c->typing_ms, ev->text, mono_ms);
            else
                set_typing(m, &c->agent_typing, &c->typing_ms, ev->text, mono_ms);
            c->rev++;
        }
        break;
    case AI_EV_MODE_CHANGED:
        c = conv_for(m, ev, now_ms);
        if (c && ev->mode != AI_MODE_UNKNOWN && c->mode != ev->mode) {
            c->mode = ev->mode;
            c->rev++;
            m->rev++;
        }
        break;
    case AI_EV_RESET:
        m->needs_reload = true;
        m->rev++;
        break;
    case AI_EV_UNKNOWN:
        break;
    }
    /* Named by a live event: among the recent ones (the bound, model.h). */
    model_touch(m, c);
    return c;
}

bool model_expire_typing(model *m, int64_t mono_ms, int64_t max_age_ms)
{
    bool any = false;
    for (size_t i = 0; i < m->nconvs; i++) {
        conv *c = m->convs[i];
        if ((c->typing || c->agent_typing) && mono_ms - c->typing_ms > max_age_ms) {
            free(c->typing);
            free(c->agent_typing);
            c->typing = c->agent_typing = NULL;
            c->rev++;
            any = true;
        }
    }
    if (any)
        m->rev++;
    return any;
}
