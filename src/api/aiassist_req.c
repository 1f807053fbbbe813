/* aiassist_req.c: the AiAssist client and the requests of the public API
 * (chat, models, workspaces). Manager requests: aiassist_mgr_req.c. */
#include "config.h"
#include "api/aiassist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist_req.h"
#include "api/req.h"
#include "util/baseurl.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsonu.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/utf8.h"

#define DEFAULT_TEMPERATURE 0.7
#define DEFAULT_MAX_TOKENS 1024
#define DEFAULT_TOP_P 1.0

bool ai_key_check(const char *key, char **err)
{
    *err = NULL;
    if (!key || !*key) {
        *err = xstrdup("the API key is empty");
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F) {
            *err = xstrdup("the API key contains spaces, control or non-ASCII characters");
            return false;
        }
    }
    return true;
}

ai_client *ai_client_new(const char *base_url, const char *api_key)
{
    if (!base_url)
        base_url = AI_DEFAULT_BASE_URL;
    char *err = NULL;
    if (baseurl_check(base_url, true, NULL, &err) != 0 || !ai_key_check(api_key, &err)) {
        free(err);
        return NULL;
    }
    ai_client *c = xcalloc(1, sizeof *c);
    c->base_url = xstrdup(base_url);
    c->api_key = xstrdup(api_key);
    c->timeout_ms = 30000;
    c->max_retries = 3;
    c->allow_http = baseurl_is_loopback(c->base_url);
    log_add_secret(c->api_key);
    return c;
}

void ai_client_free(ai_client *c)
{
    if (!c)
        return;
    free(c->base_url);
    free(c->api_key);
    free(c);
}

api_error *ai_error_from_event(const ai_client *c, const net_event *ev)
{
    api_error *e = api_error_from_event(API_AIASSIST, ev);
    api_error_set_origin(e, c->base_url);
    return e;
}

net_request *ai_request(const ai_client *c, net_method m, const char *path)
{
    net_request *r = api_request_new(m, c->base_url, path, c->timeout_ms, c->max_retries,
                                     c->allow_http);
    /* The SDK sets its headers on the HTTP client, so every request has
     * them, a GET without a body too: so do we. */
    api_request_json_type(r);
    net_request_add_header(r, "X-API-Key", c->api_key);
    char *bearer = xasprintf("Bearer %s", c->api_key);
    net_request_add_header(r, "Authorization", bearer);
    free(bearer);
    return r;
}

bool ai_id_ok(const char *id)
{
    return id && *id;
}

char *ai_id_path(const char *prefix, const char *id, const char *suffix)
{
    buf_t b = BUF_INIT;
    buf_append_str(&b, prefix);
    api_path_add_id(&b, id);
    buf_append_str(&b, suffix);
    return buf_steal(&b);
}

net_request *ai_id_request(const ai_client *c, net_method m, const char *prefix, const char *id,
                           const char *suffix, json_object *body, bool retry_safe)
{
    if (!ai_id_ok(id)) {
        json_object_put(body);
        return NULL;
    }
    char *path = ai_id_path(prefix, id, suffix);
    net_request *r = ai_request(c, m, path);
    free(path);
    if (body)
        api_request_set_json(r, body);
    r->retry_safe = retry_safe;
    return r;
}

/* ------------------------------------------------------------ chat */

void ai_chat_params_init(ai_chat_params *p)
{
    memset(p, 0, sizeof *p);
    p->temperature = DEFAULT_TEMPERATURE;
    p->max_tokens = DEFAULT_MAX_TOKENS;
    p->top_p = DEFAULT_TOP_P;
}

bool ai_chat_params_validate(const ai_chat_params *p, char **err)
{
    *err = NULL;
    if (!p->messages || p->nmessages == 0) {
        err_put(err, "a chat needs at least one message");
        return false;
    }
    for (size_t i = 0; i < p->nmessages; i++) {
        const ai_chat_message *m = &p->messages[i];
        if (!m->role || !*m->role || !m->content) {
            err_put(err, "message %zu has no role or no content", i + 1);
            return false;
        }
        if (!utf8_valid(m->role, strlen(m->role)) || !utf8_valid(m->content, strlen(m->content))) {
            err_put(err, "message %zu is not valid UTF-8", i + 1);
            return false;
        }
    }
    if (p->model && (!*p->model || !utf8_valid(p->model, strlen(p->model)))) {
        err_put(err, "the model name is empty or not valid UTF-8");
        return false;
    }
    if (!isfinite(p->temperature) || p->temperature < 0 || p->temperature > 2) {
        err_put(err, "temperature must be a number from 0 to 2");
        return false;
    }
    if (!isfinite(p->top_p) || p->top_p < 0 || p->top_p > 1) {
        err_put(err, "top_p must be a number from 0 to 1");
        return false;
    }
    if (p->max_tokens < 1) {
        err_put(err, "max_tokens must be at least 1");
        return false;
    }
    if (p->extra && !json_object_is_type(p->extra, json_type_object)) {
        err_put(err, "extra chat parameters must be a JSON object");
        return false;
    }
    return true;
}

net_request *ai_req_chat(const ai_client *c, const ai_chat_params *p)
{
    json_object *body = json_object_new_object();
    if (p->extra && json_object_is_type(p->extra, json_type_object)) {
        json_object_object_foreach(p->extra, key, val) {
            json_object_object_add(body, key, json_object_get(val));
        }
    }
    json_object *msgs = json_object_new_array();
    for (size_t i = 0; i < p->nmessages; i++) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "role", json_object_new_string(p->messages[i].role ? p->messages[i].role : "user"));
        json_object_object_add(m, "content", json_object_new_string(p->messages[i].content ? p->messages[i].content : ""));
        json_object_array_add(msgs, m);
    }
    /* json_object_object_add replaces a member of the same name: adding
     * ours after extra's is what makes explicit fields win. */
    json_object_object_add(body, "messages", msgs);
    if (p->model)
        json_object_object_add(body, "model", json_object_new_string(p->model));
    double t = isfinite(p->temperature) ? p->temperature : DEFAULT_TEMPERATURE;
    double top = isfinite(p->top_p) ? p->top_p : DEFAULT_TOP_P;
    json_object_object_add(body, "temperature", api_json_double(t));
    json_object_object_add(body, "max_tokens",
                           json_object_new_int(p->max_tokens >= 1 ? p->max_tokens : DEFAULT_MAX_TOKENS));
    json_object_object_add(body, "top_p", api_json_double(top));
    json_object_object_add(body, "stream", json_object_new_boolean(p->stream));
    json_object_object_del(body, "stream_options");
    net_request *r = ai_request(c, NET_POST, "/v1/chat/completions");
    if (p->stream) {
        /* The SDK never sends stream_options: a server (or the provider
         * behind it) that refuses fields it does not know answers 400
         * naming it, and then the network thread sends this body instead
         * and remembers the URL (net_request_set_fallback). */
        char *plain = jsonu_to_string(body);
        net_request_set_fallback(r, plain, strlen(plain), "stream_options");
        json_object *so = json_object_new_object();
        json_object_object_add(so, "include_usage", json_object_new_boolean(1));
        json_object_object_add(body, "stream_options", so);
    }
    api_request_set_json(r, body);
    if (p->stream) {
        net_request_add_header(r, "Accept", "text/event-stream");
        r->stream = true;
    }
    r->retry_safe = true; /* a completion has no side effect */
    return r;
}

net_request *ai_req_models(const ai_client *c)
{
    net_request *r = ai_request(c, NET_GET, "/v1/models");
    r->retry_safe = true;
    return r;
}

/* ------------------------------------------------------- workspaces */

static void add_nonempty(json_object *o, const char *key, const char *s)
{
    if (s && *s)
        json_object_object_add(o, key, json_object_new_string(s));
}

net_request *ai_req_ws_create(const ai_client *c, const ai_ws_create_params *p)
{
    json_object *body = json_object_new_object();
    if (p) {
        /* As the SDK: an empty string or object is left out like an
         * absent one. */
        add_nonempty(body, "initial_message", p->initial_message);
        add_nonempty(body, "client_id", p->client_id);
        add_nonempty(body, "system_prompt", p->system_prompt);
        if (p->context && json_object_object_length(p->context) > 0)
            json_object_object_add(body, "context", json_object_get(p->context));
        if (p->metadata && json_object_object_length(p->metadata) > 0)
            json_object_object_add(body, "metadata", json_object_get(p->metadata));
        add_nonempty(body, "model", p->model);
        if (p->max_tokens > 0)
            json_object_object_add(body, "max_tokens", json_object_new_int(p->max_tokens));
    }
    net_request *r = ai_request(c, NET_POST, "/api/workspaces");
    api_request_set_json(r, body);
    r->retry_safe = false; /* a repeat would create a second workspace */
    return r;
}

net_request *ai_req_ws_get(const ai_client *c, const char *id)
{
    return ai_id_request(c, NET_GET, "/api/workspaces", id, "", NULL, true);
}

net_request *ai_req_ws_by_client(const ai_client *c, const char *client_id)
{
    return ai_id_request(c, NET_GET, "/api/workspaces/by-client", client_id, "", NULL, true);
}

static json_object *one_field(const char *key, const char *value)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, key, json_object_new_string(value ? value : ""));
    return o;
}

bool ai_ws_model_check(const char *model, int max_tokens, char **err)
{
    *err = NULL;
    if (model && (!*model || !utf8_valid(model, strlen(model)))) {
        err_put(err, "the model name is empty or not valid UTF-8");
        return false;
    }
    if (max_tokens < 0 || max_tokens > AI_MAX_TOKENS_MAX) {
        err_put(err, "max_tokens must be from 1 to %d", AI_MAX_TOKENS_MAX);
        return false;
    }
    return true;
}

net_request *ai_req_ws_send(const ai_client *c, const char *id, const char *content)
{
    return ai_req_ws_send_opts(c, id, content, NULL);
}

net_request *ai_req_ws_send_opts(const ai_client *c, const char *id, const char *content,
                                 const ai_ws_send_opts *o)
{
    json_object *body = one_field("content", content);
    if (o) {
        api_json_add_str(body, "model", o->model);
        if (o->max_tokens > 0)
            json_object_object_add(body, "max_tokens", json_object_new_int(o->max_tokens));
    }
    return ai_id_request(c, NET_POST, "/api/workspaces", id, "/messages", body, false);
}

net_request *ai_req_ws_history(const ai_client *c, const char *id)
{
    return ai_id_request(c, NET_GET, "/api/workspaces", id, "/messages", NULL, true);
}

net_request *ai_req_ws_typing(const ai_client *c, const char *id, const char *text)
{
    return ai_id_request(c, NET_POST, "/api/workspaces", id, "/typing", one_field("text", text),
                         true);
}

net_request *ai_req_ws_end(const ai_client *c, const char *id)
{
    return ai_id_request(c, NET_POST, "/api/workspaces", id, "/end", json_object_new_object(),
                         true);
}
