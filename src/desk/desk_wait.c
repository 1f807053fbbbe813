/* desk_wait.c: who waits for a person: the bell, the late threshold, and
 * reading a draft in its conversation (contracts in desk.h, model/wait.h
 * and model/draftctx.h). */
#include "config.h"
#include "desk/desk_priv.h"

#include <string.h>

bool desk_take_bell(desk_t *a)
{
    unsigned bell = a->cfg->bell;
    bool ring = ((bell & CONFIG_BELL_DRAFTS) && a->m->new_drafts) ||
                ((bell & CONFIG_BELL_TAKEOVER) && a->m->new_takeover);
    a->m->new_drafts = 0;
    a->m->new_takeover = 0;
    return ring;
}

int64_t desk_late_ms(const desk_t *a)
{
    return (int64_t)a->cfg->late_after_s * 1000;
}

bool desk_wait(const desk_t *a, const conv *c, int64_t now_ms, wait_info *out, bool *late)
{
    model_wait(a->m, c, out);
    if (late)
        *late = wait_is_late(out, now_ms, desk_late_ms(a));
    return out->what != 0;
}

conv *desk_longest_wait(const desk_t *a, wait_info *out)
{
    return model_longest_wait(a->m, out);
}

void desk_wait_refresh(desk_t *a, int64_t now_wall)
{
    a->late_at = model_next_late(a->m, now_wall, desk_late_ms(a));
}

bool desk_draft_ctx(desk_t *a, const char *draft_id, size_t n, draft_ctx *out)
{
    if (!model_draft_ctx(a->m, draft_id, n, out))
        return false;
    conv *c = out->c;
    if (c && !c->history_loaded) {
        /* Read in its conversation: load that (once), without putting it
         * on screen. */
        bool asked = false;
        for (op *o = a->ops; o && !asked; o = o->next)
            asked = o->kind == OP_HISTORY && o->conv_id && !strcmp(o->conv_id, c->id);
        if (!asked)
            desk_op_new(a, OP_HISTORY, ai_req_ws_history(a->ai, c->id), c->id);
    }
    return true;
}
