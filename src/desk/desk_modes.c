/* desk_modes.c: takeover and handing back to the mode before it, and
 * asking the AI again after a rejection (the contracts are in desk.h). */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "desk/modemem.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

/* What the memory could not keep on disk is said once per session. */
static void tell_store_error(desk_t *a, char *err)
{
    if (!err)
        return;
    if (!a->modes_told)
        desk_flash(a, true, "the mode before a takeover is not kept across restarts: %s", err);
    else
        log_msg("console: takeover modes: %s", err);
    a->modes_told = true;
    free(err);
}

static void remember(desk_t *a, const char *ws_id, ai_mode before, int64_t at_ms)
{
    char *err = NULL;
    if (a->modes && modemem_set(a->modes, ws_id, before, at_ms, &err) != 0)
        tell_store_error(a, err);
    else
        free(err);
}

static void forget(desk_t *a, const char *ws_id)
{
    char *err = NULL;
    if (a->modes && modemem_forget(a->modes, ws_id, &err) != 0)
        tell_store_error(a, err);
    else
        free(err);
}

void desk_modes_event(desk_t *a, const ai_event *e)
{
    if (e->type == AI_EV_WORKSPACE_ENDED && e->workspace_id) {
        forget(a, e->workspace_id);
    } else if (e->type == AI_EV_MODE_CHANGED && e->workspace_id) {
        /* Anyone's takeover, this console's or another manager's: its
         * "previous" is what handing back returns to. */
        if (e->mode == AI_MODE_TAKEOVER)
            remember(a, e->workspace_id, e->previous, clock_wall_ms());
        else if (e->mode != AI_MODE_UNKNOWN)
            forget(a, e->workspace_id);
    }
}

void desk_modes_mode_done(desk_t *a, const op *o, const ai_workspace *w)
{
    if (!w->id)
        return;
    if (w->mode == AI_MODE_TAKEOVER)
        remember(a, w->id, o->mode_before, clock_wall_ms());
    else if (w->mode != AI_MODE_UNKNOWN)
        forget(a, w->id);
}

void desk_modes_free(desk_t *a)
{
    modemem_free(a->modes);
    a->modes = NULL;
}

ai_mode desk_mode_before_takeover(const desk_t *a, const conv *c)
{
    if (!c || !a->modes)
        return AI_MODE_UNKNOWN;
    return modemem_get(a->modes, c->id);
}

void desk_handback(desk_t *a, conv *c)
{
    if (!c || c->kind != CONV_WORKSPACE)
        return;
    if (c->mode != AI_MODE_TAKEOVER) {
        desk_flash(a, true, "%s is not taken over (it is in %s mode): nothing to hand back",
                  c->title, ai_mode_name(c->mode));
        return;
    }
    ai_mode back = desk_mode_before_takeover(a, c);
    if (back == AI_MODE_UNKNOWN) {
        back = AI_MODE_AI;
        desk_flash(a, false, "the mode %s had before the takeover is not known: handing it back "
                            "to the AI",
                  c->title);
    }
    desk_set_mode(a, c, back);
}

/* ------------------------------------------------------ asking again */

bool desk_ask_ai_again(desk_t *a, conv *c, const char *instructions)
{
    if (!c || c->kind != CONV_WORKSPACE)
        return false;
    if (c->ended) {
        desk_flash(a, true, "%s has ended: the AI cannot answer there", c->title);
        return false;
    }
    char *key = ai_idem_key_new();
    op *o = desk_op_new(a, OP_REGENERATE,
                       ai_req_mgr_regenerate(a->ai, c->id, instructions && *instructions
                                                               ? instructions
                                                               : NULL,
                                             key),
                       c->id);
    free(key);
    if (!o) {
        desk_flash(a, true, "this workspace id cannot be used in a request");
        return false;
    }
    desk_flash(a, false, "asking the AI for a new draft for %s...", c->title);
    return true;
}

void desk_regenerate_done(desk_t *a, op *o, net_event *ev)
{
    conv *c = o->conv_id ? model_find(a->m, o->conv_id) : NULL;
    const char *name = c && c->title ? c->title : o->conv_id;
    if (ev->kind != NET_EV_DONE) {
        api_error *e = ai_error_from_event(a->ai, ev);
        char *why = api_error_message(e);
        /* A 404 that is not about the workspace: the call itself is
         * missing (a server older than it, or not ours). */
        bool no_call = e->status == 405 || (e->kind == API_ERR_NOT_FOUND &&
                                            !(e->detail && strstr(e->detail, "No workspace")));
        if (no_call)
            desk_flash(a, true, "this server cannot ask the AI again (it has no regenerate call): "
                               "reply as a human or take over");
        else
            desk_flash(a, true, "asking the AI again for %s: %s", name, why);
        free(why);
        api_error_free(e);
        return;
    }
    char *err = NULL;
    ai_draft *d = ai_decode_mgr_reject(ev->body, ev->body_len, &err);
    if (!d) {
        desk_flash(a, true, "asking the AI again for %s: %s", name, err);
        free(err);
        return;
    }
    /* The draft.pending event brings it too; whichever is first adds it. */
    model_add_draft(a->m, d);
    desk_flash(a, false, "a new draft for %s waits for approval", name);
    ai_draft_free(d);
}
