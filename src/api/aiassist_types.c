/* aiassist_types.c: roles, modes, and AiAssist's messages, workspaces and
 * drafts: reading them from JSON and releasing them. */
#include "config.h"
#include "api/aiassist_json.h"

#include <stdlib.h>
#include <string.h>

#include "api/apitime.h"
#include "util/mem.h"

ai_role ai_role_from_string(const char *s)
{
    if (!s)
        return AI_ROLE_USER;
    if (!strcmp(s, "ai") || !strcmp(s, "assistant"))
        return AI_ROLE_AI;
    if (!strcmp(s, "human"))
        return AI_ROLE_HUMAN;
    if (!strcmp(s, "system"))
        return AI_ROLE_SYSTEM;
    return AI_ROLE_USER;
}

const char *ai_role_name(ai_role r)
{
    switch (r) {
    case AI_ROLE_AI: return "ai";
    case AI_ROLE_HUMAN: return "human";
    case AI_ROLE_SYSTEM: return "system";
    case AI_ROLE_USER: break;
    }
    return "user";
}

ai_mode ai_mode_from_string(const char *s)
{
    if (!s)
        return AI_MODE_UNKNOWN;
    if (!strcmp(s, "ai"))
        return AI_MODE_AI;
    if (!strcmp(s, "shadow"))
        return AI_MODE_SHADOW;
    if (!strcmp(s, "takeover"))
        return AI_MODE_TAKEOVER;
    return AI_MODE_UNKNOWN;
}

const char *ai_mode_name(ai_mode m)
{
    switch (m) {
    case AI_MODE_AI: return "ai";
    case AI_MODE_SHADOW: return "shadow";
    case AI_MODE_TAKEOVER: return "takeover";
    case AI_MODE_UNKNOWN: break;
    }
    return "unknown";
}

api_error *ai_decode_error(char *err)
{
    api_error *e = api_error_malformed(API_AIASSIST, err);
    free(err);
    return e;
}

static int64_t parse_ms(const char *iso)
{
    int64_t ms;
    return iso && api_time_parse_iso8601(iso, &ms) ? ms : 0;
}

/* ---------------------------------------------------------------- release */

void ai_message_clear(ai_message *m)
{
    if (!m)
        return;
    free(m->id);
    free(m->content);
    free(m->created_at);
    free(m->approval);
    free(m->draft_id);
    memset(m, 0, sizeof *m);
}

void ai_message_free(ai_message *m)
{
    ai_message_clear(m);
    free(m);
}

void ai_message_list_clear(ai_message_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        ai_message_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void ai_message_list_free(ai_message_list *l)
{
    ai_message_list_clear(l);
    free(l);
}

void ai_workspace_clear(ai_workspace *w)
{
    if (!w)
        return;
    free(w->id);
    free(w->mode_raw);
    free(w->status);
    free(w->client_id);
    free(w->metadata_json);
    free(w->context_json);
    free(w->system_prompt);
    free(w->created_at);
    free(w->updated_at);
    free(w->last_activity_at);
    ai_message_free(w->last_message);
    memset(w, 0, sizeof *w);
}

void ai_workspace_free(ai_workspace *w)
{
    ai_workspace_clear(w);
    free(w);
}

void ai_draft_clear(ai_draft *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->workspace_id);
    free(d->content);
    free(d->created_at);
    free(d->in_reply_to);
    ai_message_free(d->in_reply_to_message);
    free(d->status);
    free(d->reason);
    free(d->decided_at);
    memset(d, 0, sizeof *d);
}

void ai_draft_free(ai_draft *d)
{
    ai_draft_clear(d);
    free(d);
}

/* ------------------------------------------------------------------ read */

bool ai_message_from_json(jsonu_dec *d, json_object *o, ai_message *m)
{
    memset(m, 0, sizeof *m);
    if (!api_dec_is_object(d, o))
        return false;
    /* The getters return false for an absent optional field too: call each
     * one and judge by d->error, which keeps the first real problem. */
    char *role = NULL;
    jsonu_str(d, o, "id", true, &m->id);
    jsonu_str(d, o, "role", false, &role);
    jsonu_str(d, o, "content", true, &m->content);
    jsonu_str(d, o, "created_at", false, &m->created_at);
    jsonu_str(d, o, "approval", false, &m->approval);
    jsonu_str(d, o, "draft_id", false, &m->draft_id);
    m->role = ai_role_from_string(role);
    free(role);
    m->created_ms = parse_ms(m->created_at);
    return !d->error;
}

bool ai_messages_from_json(jsonu_dec *d, json_object *arr, const char *name, ai_message_list *out)
{
    size_t n = json_object_array_length(arr);
    out->items = n ? xcalloc(n, sizeof *out->items) : NULL;
    out->n = 0;
    for (size_t i = 0; i < n; i++) {
        api_dec_scope sc;
        api_dec_enter(d, &sc, name, (long)i);
        bool ok = ai_message_from_json(d, json_object_array_get_idx(arr, i), &out->items[i]);
        out->n++;
        api_dec_leave(d, &sc);
        if (!ok)
            return false;
    }
    return true;
}

bool ai_message_field(jsonu_dec *d, json_object *o, const char *key, bool required, ai_message **out)
{
    json_object *v = jsonu_obj(d, o, key, required);
    if (!v)
        return !d->error;
    api_dec_scope sc;
    api_dec_enter(d, &sc, key, -1);
    *out = xcalloc(1, sizeof **out);
    bool ok = ai_message_from_json(d, v, *out);
    api_dec_leave(d, &sc);
    return ok;
}

bool ai_workspace_from_json(jsonu_dec *d, json_object *o, ai_workspace *w)
{
    memset(w, 0, sizeof *w);
    w->message_count = w->pending_drafts = -1;
    if (!api_dec_is_object(d, o))
        return false;
    jsonu_str(d, o, "id", true, &w->id);
    jsonu_str(d, o, "mode", false, &w->mode_raw);
    jsonu_str(d, o, "status", false, &w->status);
    jsonu_str(d, o, "client_id", false, &w->client_id);
    api_dec_obj_json(d, o, "metadata", &w->metadata_json);
    api_dec_obj_json(d, o, "context", &w->context_json);
    jsonu_str(d, o, "system_prompt", false, &w->system_prompt);
    jsonu_str(d, o, "created_at", false, &w->created_at);
    jsonu_str(d, o, "updated_at", false, &w->updated_at);
    jsonu_str(d, o, "last_activity_at", false, &w->last_activity_at);
    jsonu_int(d, o, "message_count", false, 0, API_INT_MAX, &w->message_count);
    jsonu_int(d, o, "pending_drafts", false, 0, API_INT_MAX, &w->pending_drafts);
    if (d->error || !ai_message_field(d, o, "last_message", false, &w->last_message))
        return false;
    w->mode = ai_mode_from_string(w->mode_raw);
    w->last_activity_ms = parse_ms(w->last_activity_at);
    return true;
}

bool ai_workspace_field(jsonu_dec *d, json_object *o, const char *key, bool required,
                        ai_workspace **out)
{
    json_object *v = jsonu_obj(d, o, key, required);
    if (!v)
        return !d->error;
    api_dec_scope sc;
    api_dec_enter(d, &sc, key, -1);
    *out = xcalloc(1, sizeof **out);
    bool ok = ai_workspace_from_json(d, v, *out);
    api_dec_leave(d, &sc);
    return ok;
}

bool ai_draft_from_json(jsonu_dec *d, json_object *o, ai_draft *dr)
{
    memset(dr, 0, sizeof *dr);
    if (!api_dec_is_object(d, o))
        return false;
    jsonu_str(d, o, "id", true, &dr->id);
    jsonu_str(d, o, "workspace_id", true, &dr->workspace_id);
    jsonu_str(d, o, "content", true, &dr->content);
    jsonu_str(d, o, "created_at", false, &dr->created_at);
    jsonu_str(d, o, "in_reply_to", false, &dr->in_reply_to);
    jsonu_str(d, o, "status", false, &dr->status);
    jsonu_str(d, o, "reason", false, &dr->reason);
    jsonu_str(d, o, "decided_at", false, &dr->decided_at);
    if (d->error)
        return false;
    dr->created_ms = parse_ms(dr->created_at);
    dr->decided_ms = parse_ms(dr->decided_at);
    return ai_message_field(d, o, "in_reply_to_message", false, &dr->in_reply_to_message);
}

bool ai_draft_field(jsonu_dec *d, json_object *o, const char *key, bool required, ai_draft **out)
{
    json_object *v = jsonu_obj(d, o, key, required);
    if (!v)
        return !d->error;
    api_dec_scope sc;
    api_dec_enter(d, &sc, key, -1);
    *out = xcalloc(1, sizeof **out);
    bool ok = ai_draft_from_json(d, v, *out);
    api_dec_leave(d, &sc);
    return ok;
}
