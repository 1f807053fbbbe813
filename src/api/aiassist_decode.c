/* aiassist_decode.c: decoders of the public AiAssist answers (chat, models,
 * workspaces). The manager's answers are in aiassist_mgr_decode.c. */
#include "config.h"
#include "api/aiassist_types.h"

#include <stdlib.h>
#include <string.h>

#include "api/aiassist_json.h"
#include "util/assert.h"
#include "util/mem.h"

/* -------------------------------------------------------------- chat */

void ai_chat_result_free(ai_chat_result *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->object);
    free(r->model);
    AIDESK_ASSERT(r->choices || !r->nchoices);
    for (size_t i = 0; i < r->nchoices; i++) {
        free(r->choices[i].content);
        free(r->choices[i].finish_reason);
    }
    free(r->choices);
    free(r);
}

static void read_choice(jsonu_dec *d, json_object *c, size_t i, ai_chat_choice *ch)
{
    ch->index = (int64_t)i;
    if (!api_dec_is_object(d, c))
        return;
    jsonu_int(d, c, "index", false, 0, API_INT_MAX, &ch->index);
    jsonu_str(d, c, "finish_reason", false, &ch->finish_reason);
    json_object *m = jsonu_obj(d, c, "message", true);
    if (!m)
        return;
    api_dec_scope sc;
    api_dec_enter(d, &sc, "message", -1);
    char *role = NULL;
    jsonu_str(d, m, "role", false, &role);
    ch->role = role ? ai_role_from_string(role) : AI_ROLE_AI;
    free(role);
    /* content is null in OpenAI answers that carry only tool calls. */
    jsonu_str(d, m, "content", false, &ch->content);
    if (!ch->content)
        ch->content = xstrdup("");
    api_dec_leave(d, &sc);
}

void ai_usage_field(jsonu_dec *d, json_object *o, ai_usage *u)
{
    json_object *us = jsonu_obj(d, o, "usage", false);
    if (!us)
        return;
    api_dec_scope sc;
    api_dec_enter(d, &sc, "usage", -1);
    u->present = true;
    jsonu_int(d, us, "prompt_tokens", false, 0, API_INT_MAX, &u->prompt_tokens);
    jsonu_int(d, us, "completion_tokens", false, 0, API_INT_MAX, &u->completion_tokens);
    jsonu_int(d, us, "total_tokens", false, 0, API_INT_MAX, &u->total_tokens);
    api_dec_leave(d, &sc);
}

ai_chat_result *ai_decode_chat(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "chat completion", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "chat completion");
    ai_chat_result *r = xcalloc(1, sizeof *r);
    if (api_dec_is_object(&d, o)) {
        jsonu_str(&d, o, "id", false, &r->id);
        jsonu_str(&d, o, "object", false, &r->object);
        jsonu_int(&d, o, "created", false, 0, API_INT_MAX, &r->created);
        jsonu_str(&d, o, "model", false, &r->model);
        json_object *ch = jsonu_arr(&d, o, "choices", true);
        size_t n = ch ? json_object_array_length(ch) : 0;
        if (ch && n == 0)
            jsonu_fail(&d, "field 'choices' is empty");
        r->choices = n ? xcalloc(n, sizeof *r->choices) : NULL;
        for (size_t i = 0; i < n && !d.error; i++) {
            api_dec_scope sc;
            api_dec_enter(&d, &sc, "choices", (long)i);
            read_choice(&d, json_object_array_get_idx(ch, i), i, &r->choices[i]);
            r->nchoices++;
            api_dec_leave(&d, &sc);
        }
        ai_usage_field(&d, o, &r->usage);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_chat_result_free(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------ models */

void ai_model_list_free(ai_model_list *l)
{
    if (!l)
        return;
    AIDESK_ASSERT(l->items || !l->n);
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].id);
        free(l->items[i].owned_by);
    }
    free(l->items);
    free(l);
}

ai_model_list *ai_decode_models(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "model list", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "model list");
    ai_model_list *l = xcalloc(1, sizeof *l);
    json_object *data = api_dec_is_object(&d, o) ? jsonu_arr(&d, o, "data", true) : NULL;
    size_t n = data ? json_object_array_length(data) : 0;
    l->items = n ? xcalloc(n, sizeof *l->items) : NULL;
    for (size_t i = 0; i < n && !d.error; i++) {
        api_dec_scope sc;
        api_dec_enter(&d, &sc, "data", (long)i);
        json_object *m = json_object_array_get_idx(data, i);
        if (api_dec_is_object(&d, m)) {
            jsonu_str(&d, m, "id", true, &l->items[i].id);
            jsonu_str(&d, m, "owned_by", false, &l->items[i].owned_by);
        }
        l->n++;
        api_dec_leave(&d, &sc);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_model_list_free(l);
        return NULL;
    }
    return l;
}

/* -------------------------------------------------------- workspaces */

/* {workspace:{...}} or, as the SDK also accepts, the workspace itself. */
static void read_wrapped_workspace(jsonu_dec *d, json_object *o, ai_workspace *w)
{
    json_object *inner = jsonu_obj(d, o, "workspace", false);
    if (d->error)
        return;
    if (inner) {
        api_dec_scope sc;
        api_dec_enter(d, &sc, "workspace", -1);
        ai_workspace_from_json(d, inner, w);
        api_dec_leave(d, &sc);
    } else {
        ai_workspace_from_json(d, o, w);
    }
}

static void read_message_field_list(jsonu_dec *d, json_object *o, const char *key,
                                    ai_message_list *out)
{
    json_object *arr = jsonu_arr(d, o, key, false);
    if (arr)
        ai_messages_from_json(d, arr, key, out);
}

void ai_create_result_free(ai_create_result *r)
{
    if (!r)
        return;
    ai_workspace_clear(&r->workspace);
    ai_message_list_clear(&r->messages);
    free(r);
}

ai_create_result *ai_decode_ws_create(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "new workspace", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "new workspace");
    ai_create_result *r = xcalloc(1, sizeof *r);
    if (api_dec_is_object(&d, o)) {
        read_wrapped_workspace(&d, o, &r->workspace);
        read_message_field_list(&d, o, "messages", &r->messages);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_create_result_free(r);
        return NULL;
    }
    return r;
}

ai_workspace *ai_decode_ws_get(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "workspace", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "workspace");
    ai_workspace *w = xcalloc(1, sizeof *w);
    if (api_dec_is_object(&d, o))
        read_wrapped_workspace(&d, o, w);
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_workspace_free(w);
        return NULL;
    }
    return w;
}

void ai_by_client_result_free(ai_by_client_result *r)
{
    if (!r)
        return;
    ai_workspace_free(r->workspace);
    ai_message_list_clear(&r->messages);
    free(r);
}

bool ai_by_client_not_found(const api_error *e)
{
    return e && e->kind == API_ERR_NOT_FOUND && e->status == 404;
}

ai_by_client_result *ai_by_client_missing(void)
{
    return xcalloc(1, sizeof(ai_by_client_result));
}

static void *by_client_dec(jsonu_dec *d, json_object *o, ai_msg_walk *w)
{
    ai_by_client_result *r = xcalloc(1, sizeof *r);
    if (api_dec_is_object(d, o)) {
        ai_workspace_field(d, o, "workspace", false, &r->workspace);
        ai_msg_list_read(d, o, "messages", false, w, &r->messages);
        bool exists = r->workspace != NULL;
        jsonu_bool(d, o, "exists", false, &exists);
        if (!d->error && exists && !r->workspace)
            jsonu_fail(d, "'exists' is true but 'workspace' is missing");
        r->exists = exists;
    }
    return r;
}

static void by_client_free(void *r)
{
    ai_by_client_result_free(r);
}

ai_by_client_result *ai_decode_ws_by_client_as(const char *body, size_t len, bool walk, char **err)
{
    return ai_msg_walk_decode(body, len, "messages", false, "workspace lookup", walk, by_client_dec,
                              by_client_free, err);
}

ai_by_client_result *ai_decode_ws_by_client(const char *body, size_t len, char **err)
{
    return ai_decode_ws_by_client_as(body, len, true, err);
}

void ai_send_result_free(ai_send_result *r)
{
    if (!r)
        return;
    ai_message_clear(&r->user_message);
    ai_message_list_clear(&r->responses);
    free(r->mode_raw);
    free(r);
}

ai_send_result *ai_decode_ws_send(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "send result", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "send result");
    ai_send_result *r = xcalloc(1, sizeof *r);
    if (api_dec_is_object(&d, o)) {
        json_object *um = jsonu_obj(&d, o, "user_message", true);
        if (um) {
            api_dec_scope sc;
            api_dec_enter(&d, &sc, "user_message", -1);
            ai_message_from_json(&d, um, &r->user_message);
            api_dec_leave(&d, &sc);
        }
        read_message_field_list(&d, o, "responses", &r->responses);
        jsonu_str(&d, o, "mode", false, &r->mode_raw);
        r->mode = ai_mode_from_string(r->mode_raw);
        jsonu_bool(&d, o, "pending_approval", false, &r->pending_approval);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_send_result_free(r);
        return NULL;
    }
    return r;
}
