/* aiassist_mgr_req.c: requests of the manager protocol (ours; see
 * docs/protocol.md), all under /api/manager/ with the same auth headers. */
#include "config.h"
#include "api/aiassist.h"

#include <stdlib.h>

#include "api/aiassist_req.h"
#include "api/req.h"
#include "api/url.h"
#include "util/buf.h"
#include "util/mem.h"

net_request *ai_req_mgr_list(const ai_client *c, const char *mode, const char *status)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/api/manager/workspaces");
    api_url_add_query(&path, "mode", mode);
    api_url_add_query(&path, "status", status);
    net_request *r = ai_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    r->retry_safe = true;
    return r;
}

net_request *ai_req_mgr_events(const ai_client *c, const char *last_event_id,
                               const char *workspace_id)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/api/manager/events");
    api_url_add_query(&path, "workspace_id", workspace_id);
    net_request *r = ai_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    net_request_add_header(r, "Accept", "text/event-stream");
    r->stream = true;
    r->reconnect = true;
    r->retry_safe = true;
    r->timeout_ms = AI_EVENTS_TIMEOUT_MS;
    if (last_event_id && *last_event_id)
        r->last_event_id = xstrdup(last_event_id);
    return r;
}

static json_object *opt_field(const char *key, const char *value)
{
    json_object *o = json_object_new_object();
    api_json_add_str(o, key, value);
    return o;
}

static json_object *req_field(const char *key, const char *value)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, key, json_object_new_string(value ? value : ""));
    return o;
}

net_request *ai_req_mgr_set_mode(const ai_client *c, const char *id, const char *mode)
{
    /* Setting a mode twice leaves the same state: safe to repeat. */
    return ai_id_request(c, NET_POST, "/api/manager/workspaces", id, "/mode",
                         req_field("mode", mode), true);
}

net_request *ai_req_mgr_drafts(const ai_client *c, const char *workspace_id)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/api/manager/drafts");
    api_url_add_query(&path, "workspace_id", workspace_id);
    net_request *r = ai_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    r->retry_safe = true;
    return r;
}

net_request *ai_req_mgr_approve(const ai_client *c, const char *draft_id, const char *content)
{
    /* Not repeated: a second try after a lost answer would fail with
     * draft_not_pending and hide that the first one worked. */
    return ai_id_request(c, NET_POST, "/api/manager/drafts", draft_id, "/approve",
                         opt_field("content", content), false);
}

net_request *ai_req_mgr_reject(const ai_client *c, const char *draft_id, const char *reason)
{
    return ai_id_request(c, NET_POST, "/api/manager/drafts", draft_id, "/reject",
                         opt_field("reason", reason), false);
}

net_request *ai_req_mgr_reply(const ai_client *c, const char *ws_id, const char *content)
{
    return ai_id_request(c, NET_POST, "/api/manager/workspaces", ws_id, "/reply",
                         req_field("content", content), false);
}

net_request *ai_req_mgr_typing(const ai_client *c, const char *ws_id, const char *text)
{
    return ai_id_request(c, NET_POST, "/api/manager/workspaces", ws_id, "/typing",
                         req_field("text", text), true);
}
