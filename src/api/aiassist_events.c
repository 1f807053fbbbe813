#include "config.h"
#include "api/aiassist_events.h"

#include <stdlib.h>
#include <string.h>

#include "api/aiassist_json.h"
#include "util/mem.h"

static const struct {
    ai_event_type type;
    const char *name;
} event_names[] = {
    {AI_EV_WORKSPACE_CREATED, "workspace.created"},
    {AI_EV_WORKSPACE_ENDED, "workspace.ended"},
    {AI_EV_MESSAGE_CREATED, "message.created"},
    {AI_EV_MESSAGE_DELTA, "message.delta"},
    {AI_EV_DRAFT_PENDING, "draft.pending"},
    {AI_EV_DRAFT_APPROVED, "draft.approved"},
    {AI_EV_DRAFT_REJECTED, "draft.rejected"},
    {AI_EV_TYPING, "typing"},
    {AI_EV_MODE_CHANGED, "mode.changed"},
    {AI_EV_RESET, "reset"},
};

const char *ai_event_type_name(ai_event_type t)
{
    for (size_t i = 0; i < sizeof event_names / sizeof *event_names; i++)
        if (event_names[i].type == t)
            return event_names[i].name;
    return "unknown";
}

static ai_event_type type_of(const char *s)
{
    for (size_t i = 0; s && i < sizeof event_names / sizeof *event_names; i++)
        if (!strcmp(event_names[i].name, s))
            return event_names[i].type;
    return AI_EV_UNKNOWN;
}

void ai_event_free(ai_event *ev)
{
    if (!ev)
        return;
    free(ev->type_raw);
    free(ev->id);
    free(ev->workspace_id);
    ai_workspace_free(ev->workspace);
    ai_message_free(ev->message);
    free(ev->message_id);
    free(ev->delta);
    ai_draft_free(ev->draft);
    free(ev->reason);
    free(ev->who_raw);
    free(ev->text);
    free(ev->mode_raw);
    free(ev->previous_raw);
    free(ev->last_event_id);
    free(ev);
}

static void take_workspace_id(ai_event *ev, const char *id)
{
    if (!ev->workspace_id && id)
        ev->workspace_id = xstrdup(id);
}

static void read_data(jsonu_dec *d, json_object *o, ai_event *ev)
{
    switch (ev->type) {
    case AI_EV_WORKSPACE_CREATED:
    case AI_EV_WORKSPACE_ENDED:
        if (ai_workspace_field(d, o, "workspace", true, &ev->workspace) && ev->workspace)
            take_workspace_id(ev, ev->workspace->id);
        break;
    case AI_EV_MESSAGE_CREATED:
        jsonu_str(d, o, "workspace_id", true, &ev->workspace_id);
        ai_message_field(d, o, "message", true, &ev->message);
        break;
    case AI_EV_MESSAGE_DELTA:
        jsonu_str(d, o, "workspace_id", true, &ev->workspace_id);
        jsonu_str(d, o, "message_id", true, &ev->message_id);
        jsonu_str(d, o, "delta", true, &ev->delta);
        break;
    case AI_EV_DRAFT_PENDING:
    case AI_EV_DRAFT_APPROVED:
    case AI_EV_DRAFT_REJECTED:
        if (ai_draft_field(d, o, "draft", true, &ev->draft) && ev->draft)
            take_workspace_id(ev, ev->draft->workspace_id);
        if (ev->type == AI_EV_DRAFT_APPROVED)
            ai_message_field(d, o, "message", true, &ev->message);
        if (ev->type == AI_EV_DRAFT_REJECTED)
            jsonu_str(d, o, "reason", false, &ev->reason);
        break;
    case AI_EV_TYPING:
        jsonu_str(d, o, "workspace_id", true, &ev->workspace_id);
        jsonu_str(d, o, "who", true, &ev->who_raw);
        jsonu_str(d, o, "text", true, &ev->text);
        ev->who = !ev->who_raw                        ? AI_WHO_OTHER
                  : !strcmp(ev->who_raw, "customer") ? AI_WHO_CUSTOMER
                  : !strcmp(ev->who_raw, "agent")    ? AI_WHO_AGENT
                                                     : AI_WHO_OTHER;
        break;
    case AI_EV_MODE_CHANGED:
        jsonu_str(d, o, "workspace_id", true, &ev->workspace_id);
        jsonu_str(d, o, "mode", true, &ev->mode_raw);
        jsonu_str(d, o, "previous", false, &ev->previous_raw);
        ev->mode = ai_mode_from_string(ev->mode_raw);
        ev->previous = ai_mode_from_string(ev->previous_raw);
        break;
    case AI_EV_RESET:
        jsonu_str(d, o, "reason", false, &ev->reason);
        api_dec_str_or_int(d, o, "last_event_id", false, &ev->last_event_id);
        break;
    case AI_EV_UNKNOWN:
        break;
    }
}

ai_event *ai_event_decode(const char *type, const char *data, size_t len, const char *sse_id,
                          char **err)
{
    *err = NULL;
    ai_event *ev = xcalloc(1, sizeof *ev);
    ev->type_raw = xstrdup(type && *type ? type : "message");
    ev->type = type_of(ev->type_raw);
    ev->id = sse_id && *sse_id ? xstrdup(sse_id) : NULL;
    if (ev->type == AI_EV_UNKNOWN)
        return ev; /* not even parsed: whatever a newer server sends is fine */
    char what[64];
    strcpy(what, "event ");
    strncat(what, ai_event_type_name(ev->type), sizeof what - strlen(what) - 1);
    json_object *o = api_dec_parse(data, len, what, err);
    if (!o) {
        ai_event_free(ev);
        return NULL;
    }
    jsonu_dec d;
    jsonu_dec_init(&d, what);
    if (api_dec_is_object(&d, o))
        read_data(&d, o, ev);
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_event_free(ev);
        return NULL;
    }
    return ev;
}
