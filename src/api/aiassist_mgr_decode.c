/* aiassist_mgr_decode.c: decoders of the manager calls' answers (our own
 * protocol, docs/protocol.md). */
#include "config.h"
#include "api/aiassist_types.h"

#include <stdlib.h>
#include <string.h>

#include "api/aiassist_json.h"
#include "util/mem.h"

void ai_workspace_list_free(ai_workspace_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        ai_workspace_clear(&l->items[i]);
    free(l->items);
    free(l);
}

ai_workspace_list *ai_decode_mgr_list(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "workspace list", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "workspace list");
    ai_workspace_list *l = xcalloc(1, sizeof *l);
    json_object *arr = api_dec_is_object(&d, o) ? jsonu_arr(&d, o, "workspaces", true) : NULL;
    size_t n = arr ? json_object_array_length(arr) : 0;
    l->items = n ? xcalloc(n, sizeof *l->items) : NULL;
    for (size_t i = 0; i < n && !d.error; i++) {
        api_dec_scope sc;
        api_dec_enter(&d, &sc, "workspaces", (long)i);
        ai_workspace_from_json(&d, json_object_array_get_idx(arr, i), &l->items[i]);
        l->n++;
        api_dec_leave(&d, &sc);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_workspace_list_free(l);
        return NULL;
    }
    return l;
}

void ai_draft_list_free(ai_draft_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        ai_draft_clear(&l->items[i]);
    free(l->items);
    free(l);
}

ai_draft_list *ai_decode_mgr_drafts(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "draft list", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "draft list");
    ai_draft_list *l = xcalloc(1, sizeof *l);
    json_object *arr = api_dec_is_object(&d, o) ? jsonu_arr(&d, o, "drafts", true) : NULL;
    size_t n = arr ? json_object_array_length(arr) : 0;
    l->items = n ? xcalloc(n, sizeof *l->items) : NULL;
    for (size_t i = 0; i < n && !d.error; i++) {
        api_dec_scope sc;
        api_dec_enter(&d, &sc, "drafts", (long)i);
        ai_draft_from_json(&d, json_object_array_get_idx(arr, i), &l->items[i]);
        l->n++;
        api_dec_leave(&d, &sc);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_draft_list_free(l);
        return NULL;
    }
    return l;
}

/* Reads the required object field key into *out with from_json. */
#define READ_REQUIRED(d, o, key, out, from_json)                              \
    do {                                                                      \
        json_object *v_ = jsonu_obj((d), (o), (key), true);                   \
        if (v_) {                                                             \
            api_dec_scope sc_;                                                \
            api_dec_enter((d), &sc_, (key), -1);                              \
            from_json((d), v_, (out));                                        \
            api_dec_leave((d), &sc_);                                         \
        }                                                                     \
    } while (0)

void ai_approve_result_free(ai_approve_result *r)
{
    if (!r)
        return;
    ai_draft_clear(&r->draft);
    ai_message_clear(&r->message);
    free(r);
}

ai_approve_result *ai_decode_mgr_approve(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "approval", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "approval");
    ai_approve_result *r = xcalloc(1, sizeof *r);
    if (api_dec_is_object(&d, o)) {
        READ_REQUIRED(&d, o, "draft", &r->draft, ai_draft_from_json);
        if (!d.error)
            READ_REQUIRED(&d, o, "message", &r->message, ai_message_from_json);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_approve_result_free(r);
        return NULL;
    }
    return r;
}

ai_draft *ai_decode_mgr_reject(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "rejection", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "rejection");
    ai_draft *dr = xcalloc(1, sizeof *dr);
    if (api_dec_is_object(&d, o))
        READ_REQUIRED(&d, o, "draft", dr, ai_draft_from_json);
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_draft_free(dr);
        return NULL;
    }
    return dr;
}

ai_message *ai_decode_mgr_reply(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "reply", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "reply");
    ai_message *m = xcalloc(1, sizeof *m);
    if (api_dec_is_object(&d, o))
        READ_REQUIRED(&d, o, "message", m, ai_message_from_json);
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        ai_message_free(m);
        return NULL;
    }
    return m;
}

bool ai_decode_mgr_typing(const char *body, size_t len, char **err)
{
    *err = NULL;
    if (!body || len == 0)
        return true;
    json_object *o = api_dec_parse(body, len, "typing preview", err);
    if (!o)
        return false;
    jsonu_dec d;
    jsonu_dec_init(&d, "typing preview");
    bool ok = true;
    if (api_dec_is_object(&d, o)) {
        jsonu_bool(&d, o, "ok", false, &ok);
        if (!d.error && !ok)
            jsonu_fail(&d, "the server did not accept it ('ok' is false)");
    }
    json_object_put(o);
    return api_dec_finish(&d, err);
}
