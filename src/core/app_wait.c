/* app_wait.c: who waits for a person: the bell, the late threshold, and
 * reading a draft in its conversation (contracts in app.h, core/wait.h
 * and core/draftctx.h). */
#include "config.h"
#include "core/app_priv.h"

#include <string.h>

bool app_take_bell(app_t *a)
{
    unsigned bell = a->cfg->bell;
    bool ring = ((bell & CONFIG_BELL_DRAFTS) && a->m->new_drafts) ||
                ((bell & CONFIG_BELL_TAKEOVER) && a->m->new_takeover);
    a->m->new_drafts = 0;
    a->m->new_takeover = 0;
    return ring;
}

static int64_t late_ms(const app_t *a)
{
    return (int64_t)a->cfg->late_after_s * 1000;
}

bool app_wait(const app_t *a, const conv *c, int64_t now_ms, wait_info *out, bool *late)
{
    model_wait(a->m, c, out);
    if (late)
        *late = wait_is_late(out, now_ms, late_ms(a));
    return out->what != 0;
}

conv *app_longest_wait(const app_t *a, wait_info *out)
{
    return model_longest_wait(a->m, out);
}

void app_wait_refresh(app_t *a, int64_t now_wall)
{
    a->late_at = model_next_late(a->m, now_wall, late_ms(a));
}

bool app_draft_ctx(app_t *a, const char *draft_id, size_t n, draft_ctx *out)
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
            app_op_new(a, OP_HISTORY, ai_req_ws_history(a->ai, c->id), c->id);
    }
    return true;
}
