/* draftctx.c: a draft in its conversation, and whether it is stale
 * (draftctx.h). */
#include "config.h"
#include "model/draftctx.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

bool model_draft_stale(const model *m, const draft *d, draft_stale *out)
{
    memset(out, 0, sizeof *out);
    const conv *c = d ? model_find(m, d->ws_id) : NULL;
    if (!c || !d->created_ms)
        return false; /* without a time, nothing can be said to be after it */
    bool human = c->last_human_ms > d->created_ms, ai = c->last_ai_ms > d->created_ms;
    if (!human && !ai)
        return false;
    out->stale = true;
    out->by_human = human;
    out->at_ms = human ? c->last_human_ms : c->last_ai_ms;
    return true;
}

bool model_draft_ctx(const model *m, const char *draft_id, size_t n, draft_ctx *out)
{
    memset(out, 0, sizeof *out);
    const draft *d = model_find_draft(m, draft_id);
    if (!d)
        return false;
    out->d = d;
    out->c = model_find(m, d->ws_id);
    model_draft_stale(m, d, &out->stale);
    conv *c = out->c;
    if (!c)
        return true;
    out->complete = c->history_loaded;
    if (d->reply_to_id)
        out->answers = conv_find_msg(c, d->reply_to_id);
    if (!n)
        return true;
    out->recent = xcalloc(n, sizeof *out->recent);
    /* From the end: the last n customer messages, then put oldest first. */
    bool past_answered = false;
    for (size_t i = c->nmsgs; i > 0 && out->nrecent < n; i--) {
        const msg *mm = c->msgs[i - 1];
        if (mm->kind != MSG_KIND_MESSAGE || mm->role != AI_ROLE_USER)
            continue;
        out->recent[out->nrecent++] = mm;
        if (mm == out->answers)
            past_answered = true;
        else if (!past_answered && out->answers)
            out->after++;
    }
    if (!out->answers)
        out->after = 0;
    for (size_t i = 0; i < out->nrecent / 2; i++) {
        const msg *t = out->recent[i];
        out->recent[i] = out->recent[out->nrecent - 1 - i];
        out->recent[out->nrecent - 1 - i] = t;
    }
    return true;
}

void draft_ctx_clear(draft_ctx *x)
{
    if (!x)
        return;
    free(x->recent);
    memset(x, 0, sizeof *x);
}
