/* Unit tests for the AiAssist request builders: method, URL, headers and
 * JSON body of every call, public and manager. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist.h"
#include "api/jsonarg.h"
#include "test.h"
#include "util/jsonu.h"
#include "util/log.h"

#define KEY "aai_unit_test_key_42"
#define BASE "https://api.aiassist.net/"

static const char *header(const net_request *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strncasecmp(r->headers[i], name, n) && r->headers[i][n] == ':')
            return r->headers[i] + n + 2;
    return NULL;
}

/* Exactly the SDK's headers, plus Accept for streams. */
static void assert_headers(const net_request *r, bool stream)
{
    assert_int_equal(r->nheaders, stream ? 4 : 3);
    assert_null(r->headers[r->nheaders]);
    assert_string_equal(header(r, "Content-Type"), "application/json");
    assert_string_equal(header(r, "X-API-Key"), KEY);
    assert_string_equal(header(r, "Authorization"), "Bearer " KEY);
    if (stream)
        assert_string_equal(header(r, "Accept"), "text/event-stream");
}

static void assert_body(const net_request *r, const char *json)
{
    if (!json) {
        assert_null(r->body);
        return;
    }
    assert_non_null(r->body);
    assert_int_equal(r->body_len, strlen(json));
    assert_string_equal(r->body, json);
}

static json_object *parse(const char *s)
{
    char *err = NULL;
    json_object *o = jsonu_parse(s, strlen(s), &err);
    assert_null(err);
    assert_non_null(o);
    return o;
}

static void check(net_request *r, net_method m, const char *url, const char *body, bool retry_safe)
{
    assert_non_null(r);
    assert_int_equal(r->method, m);
    assert_string_equal(r->url, url);
    assert_headers(r, r->stream);
    assert_body(r, body);
    assert_int_equal(r->retry_safe, retry_safe);
    net_request_free(r);
}

/* A manager action with the caller's idempotency key: the SDK's headers
 * plus the key, and safe to repeat because of it. */
static void check_keyed(net_request *r, const char *url, const char *body, const char *key)
{
    assert_non_null(r);
    assert_int_equal(r->method, NET_POST);
    assert_string_equal(r->url, url);
    assert_int_equal(r->nheaders, 4);
    assert_string_equal(header(r, "X-API-Key"), KEY);
    assert_string_equal(header(r, "Idempotency-Key"), key);
    assert_body(r, body);
    assert_true(r->retry_safe);
    net_request_free(r);
}

static void client__has_sdk_defaults__and_registers_the_key_as_a_secret(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(NULL, "zz-plain-key-material");
    assert_string_equal(c->base_url, "https://api.aiassist.net");
    assert_int_equal(c->timeout_ms, 30000);
    assert_int_equal(c->max_retries, 3);
    assert_false(c->allow_http);
    char *red = log_redact("key=zz-plain-key-material end");
    assert_null(strstr(red, "zz-plain-key-material"));
    free(red);
    ai_client_free(c);
    c = ai_client_new("http://127.0.0.1:8080", KEY);
    assert_true(c->allow_http);
    ai_client_free(c);
}

static void client__refuses_keys_that_could_inject_headers_and_bad_urls(void **state)
{
    (void)state;
    char *err;
    assert_true(ai_key_check(KEY, &err));
    assert_false(ai_key_check("aai_x\r\nX-Evil: 1", &err));
    assert_null(strstr(err, "aai_x"));
    free(err);
    assert_false(ai_key_check("", &err));
    free(err);
    assert_null(ai_client_new(NULL, "aai_key\n"));
    assert_null(ai_client_new(NULL, "aai key"));
    assert_null(ai_client_new(NULL, NULL));
    assert_null(ai_client_new("ftp://api.aiassist.net", KEY));
    assert_null(ai_client_new("https://user:pw@api.aiassist.net", KEY));
}

/* The client goes by the configuration's URL rules (util/baseurl.h): what
 * a config file could not hold, a caller cannot give it either. */
static void client__refuses_the_base_urls_the_configuration_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {"https://api.example/a%zz", "https://api.example/{v1}",
                                      "https://-api.example", "https://api.example:"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (ai_client_new(bad[i], KEY))
            fail_msg("a client for %s", bad[i]);
    /* Plain http goes to this machine, however libcurl is told so. */
    ai_client *c = ai_client_new("http://127.1:8080", KEY);
    assert_non_null(c);
    assert_true(c->allow_http);
    ai_client_free(c);
}

static void chat__sends_defaults_and_the_sdk_headers__when_not_streamed(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    c->timeout_ms = 1234;
    c->max_retries = 1;
    ai_chat_message msgs[] = {{"system", "Be brief."}, {"user", "Hello"}};
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.messages = msgs;
    p.nmessages = 2;
    net_request *r = ai_req_chat(c, &p);
    assert_false(r->stream);
    assert_int_equal(r->timeout_ms, 1234);
    assert_int_equal(r->max_retries, 1);
    assert_false(r->allow_http);
    check(r, NET_POST, "https://api.aiassist.net/v1/chat/completions",
          "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\","
          "\"content\":\"Hello\"}],\"temperature\":0.7,\"max_tokens\":1024,\"top_p\":1.0,"
          "\"stream\":false}",
          true);
    ai_client_free(c);
}

static void chat__asks_for_usage_and_event_stream__when_streamed(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    ai_chat_message msg = {"user", "Write a poem"};
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.messages = &msg;
    p.nmessages = 1;
    p.model = "claude-3-5-sonnet-20241022";
    p.temperature = 0.25;
    p.max_tokens = 50;
    p.top_p = 0.9;
    p.stream = true;
    net_request *r = ai_req_chat(c, &p);
    assert_true(r->stream);
    assert_false(r->reconnect);
    /* The SDK never sends stream_options: the same body without it is the
     * fallback for a server that refuses it (net_request_set_fallback). */
    assert_string_equal(r->fallback_field, "stream_options");
    assert_string_equal(r->fallback_body,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Write a poem\"}],"
                        "\"model\":\"claude-3-5-sonnet-20241022\",\"temperature\":0.25,"
                        "\"max_tokens\":50,\"top_p\":0.9,\"stream\":true}");
    assert_int_equal(r->fallback_body_len, strlen(r->fallback_body));
    check(r, NET_POST, "https://api.aiassist.net/v1/chat/completions",
          "{\"messages\":[{\"role\":\"user\",\"content\":\"Write a poem\"}],"
          "\"model\":\"claude-3-5-sonnet-20241022\",\"temperature\":0.25,\"max_tokens\":50,"
          "\"top_p\":0.9,\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
          true);
    ai_client_free(c);
}

static void chat__passes_extra_fields_through__but_explicit_ones_win(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    ai_chat_message msg = {"user", "quote \" newline \n escape \x1b[2J"};
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.messages = &msg;
    p.nmessages = 1;
    char *perr;
    p.extra = parse("{\"user\":\"u1\",\"seed\":5,\"temperature\":0.1,\"model\":\"gpt-4o\","
                    "\"stream\":true,\"messages\":[]}");
    net_request *r = ai_req_chat(c, &p);
    json_object *b = jsonu_parse(r->body, r->body_len, &perr);
    assert_non_null(b);
    json_object *v;
    assert_true(json_object_object_get_ex(b, "user", &v));
    assert_string_equal(json_object_get_string(v), "u1");
    assert_true(json_object_object_get_ex(b, "seed", &v));
    assert_int_equal(json_object_get_int(v), 5);
    assert_true(json_object_object_get_ex(b, "model", &v)); /* no explicit model: extra's */
    assert_string_equal(json_object_get_string(v), "gpt-4o");
    assert_true(json_object_object_get_ex(b, "temperature", &v));
    assert_true(fabs(json_object_get_double(v) - 0.7) < 1e-9);
    assert_true(json_object_object_get_ex(b, "stream", &v));
    assert_false(json_object_get_boolean(v));
    assert_false(json_object_object_get_ex(b, "stream_options", &v));
    assert_true(json_object_object_get_ex(b, "messages", &v));
    json_object *m0 = json_object_array_get_idx(v, 0), *content;
    assert_true(json_object_object_get_ex(m0, "content", &content));
    assert_string_equal(json_object_get_string(content), msg.content);
    json_object_put(b);
    net_request_free(r);
    /* extra is borrowed: still ours, still intact. */
    assert_int_equal(json_object_object_length(p.extra), 6);
    json_object_put(p.extra);
    ai_client_free(c);
}

static void chat_params__validation_names_the_problem(void **state)
{
    (void)state;
    ai_chat_message ok = {"user", "hi"}, bad_utf8 = {"user", "\xC3("}, no_role = {NULL, "x"};
    ai_chat_params p;
    char *err;
    ai_chat_params_init(&p);
    assert_false(ai_chat_params_validate(&p, &err));
    assert_string_equal(err, "a chat needs at least one message");
    free(err);
    p.messages = &ok;
    p.nmessages = 1;
    assert_true(ai_chat_params_validate(&p, &err));
    assert_null(err);
    p.temperature = NAN;
    assert_false(ai_chat_params_validate(&p, &err));
    assert_non_null(strstr(err, "temperature"));
    free(err);
    p.temperature = 2.5;
    assert_false(ai_chat_params_validate(&p, &err));
    free(err);
    p.temperature = 1;
    p.top_p = -0.1;
    assert_false(ai_chat_params_validate(&p, &err));
    assert_non_null(strstr(err, "top_p"));
    free(err);
    p.top_p = 1;
    p.max_tokens = 0;
    assert_false(ai_chat_params_validate(&p, &err));
    free(err);
    p.max_tokens = 10;
    p.messages = &bad_utf8;
    assert_false(ai_chat_params_validate(&p, &err));
    assert_string_equal(err, "message 1 is not valid UTF-8");
    free(err);
    p.messages = &no_role;
    assert_false(ai_chat_params_validate(&p, &err));
    free(err);
    /* A NaN that slips through still gives valid JSON (the default). */
    ai_client *c = ai_client_new(BASE, KEY);
    p.messages = &ok;
    p.temperature = INFINITY;
    net_request *r = ai_req_chat(c, &p);
    json_object *b = jsonu_parse(r->body, r->body_len, &err);
    assert_non_null(b);
    json_object_put(b);
    net_request_free(r);
    ai_client_free(c);
}

static void models__is_a_plain_get(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    check(ai_req_models(c), NET_GET, "https://api.aiassist.net/v1/models", NULL, true);
    ai_client_free(c);
}

static void ws_create__leaves_absent_fields_out(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    check(ai_req_ws_create(c, NULL), NET_POST, "https://api.aiassist.net/api/workspaces", "{}", false);
    ai_ws_create_params p = {0};
    /* Empty values are left out too, as the SDK's "if value:" does. */
    p.initial_message = "";
    p.system_prompt = "";
    p.model = "";
    p.context = json_object_new_object();
    check(ai_req_ws_create(c, &p), NET_POST, "https://api.aiassist.net/api/workspaces", "{}", false);
    json_object_put(p.context);
    p = (ai_ws_create_params){0};
    p.client_id = "customer_12345";
    check(ai_req_ws_create(c, &p), NET_POST, "https://api.aiassist.net/api/workspaces",
          "{\"client_id\":\"customer_12345\"}", false);
    p.initial_message = "I need help";
    p.system_prompt = "You are support.";
    p.context = parse("{\"tier\":\"premium\",\"orders\":[\"ORD-1\"]}");
    p.metadata = parse("{\"mode\":\"shadow\"}");
    check(ai_req_ws_create(c, &p), NET_POST, "https://api.aiassist.net/api/workspaces",
          "{\"initial_message\":\"I need help\",\"client_id\":\"customer_12345\","
          "\"system_prompt\":\"You are support.\",\"context\":{\"tier\":\"premium\",\"orders\":"
          "[\"ORD-1\"]},\"metadata\":{\"mode\":\"shadow\"}}",
          false);
    /* The model and its max_tokens at the top level, as the SDK sends
     * them, not in metadata. */
    p.model = "gpt-4o-mini";
    p.max_tokens = 300;
    check(ai_req_ws_create(c, &p), NET_POST, "https://api.aiassist.net/api/workspaces",
          "{\"initial_message\":\"I need help\",\"client_id\":\"customer_12345\","
          "\"system_prompt\":\"You are support.\",\"context\":{\"tier\":\"premium\",\"orders\":"
          "[\"ORD-1\"]},\"metadata\":{\"mode\":\"shadow\"},\"model\":\"gpt-4o-mini\","
          "\"max_tokens\":300}",
          false);
    json_object_put(p.context);
    json_object_put(p.metadata);
    ai_client_free(c);
}

static void ws_send__carries_the_messages_model_and_max_tokens(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    ai_ws_send_opts o = {NULL, 0};
    check(ai_req_ws_send_opts(c, "ws_1", "hi", &o), NET_POST,
          "https://api.aiassist.net/api/workspaces/ws_1/messages", "{\"content\":\"hi\"}", false);
    o.model = "claude-3-haiku-20240307";
    check(ai_req_ws_send_opts(c, "ws_1", "hi", &o), NET_POST,
          "https://api.aiassist.net/api/workspaces/ws_1/messages",
          "{\"content\":\"hi\",\"model\":\"claude-3-haiku-20240307\"}", false);
    o.max_tokens = 40;
    check(ai_req_ws_send_opts(c, "ws_1", "hi", &o), NET_POST,
          "https://api.aiassist.net/api/workspaces/ws_1/messages",
          "{\"content\":\"hi\",\"model\":\"claude-3-haiku-20240307\",\"max_tokens\":40}", false);
    assert_null(ai_req_ws_send_opts(c, "", "hi", &o));
    char *err = NULL;
    assert_true(ai_ws_model_check(NULL, 0, &err));
    assert_true(ai_ws_model_check("gpt-4o", AI_MAX_TOKENS_MAX, &err));
    assert_false(ai_ws_model_check("", 0, &err));
    assert_non_null(strstr(err, "model"));
    free(err);
    assert_false(ai_ws_model_check("\xC3(", 0, &err));
    free(err);
    assert_false(ai_ws_model_check(NULL, -1, &err));
    assert_non_null(strstr(err, "max_tokens"));
    free(err);
    ai_client_free(c);
}

/* K=V arguments: JSON when the value reads as JSON, else the text. */
static void jsonarg__values_are_json_when_they_read_as_json(void **state)
{
    (void)state;
    json_object *o = json_object_new_object();
    const char *items[] = {"name=Ada Lovelace", "orders=[\"ORD-1\",\"ORD-2\"]", "n=3",
                           "x=1.5",  "vip=true",  "no=false", "none=null", "nested={\"a\":[1]}",
                           "zip=\"01234\"", "empty=", "eq=a=b", "lead=007", "word=nullish"};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        char *err = NULL;
        if (!api_jsonarg_add(o, items[i], &err))
            fail_msg("%s: %s", items[i], err);
    }
    char *text = jsonu_to_string(o);
    assert_string_equal(text, "{\"name\":\"Ada Lovelace\",\"orders\":[\"ORD-1\",\"ORD-2\"],\"n\":3,"
                              "\"x\":1.5,\"vip\":true,\"no\":false,\"none\":null,"
                              "\"nested\":{\"a\":[1]},\"zip\":\"01234\",\"empty\":\"\","
                              "\"eq\":\"a=b\",\"lead\":\"007\",\"word\":\"nullish\"}");
    free(text);
    /* Meant as JSON but broken, or no key: refused, the object untouched. */
    const char *bad[] = {"orders=[ORD-1,ORD-2]", "o={\"a\":}", "s=\"open", "=x", "novalue",
                         "k=\xC3("};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *err = NULL;
        assert_false(api_jsonarg_add(o, bad[i], &err));
        assert_non_null(err);
        free(err);
    }
    char *err = NULL;
    assert_false(api_jsonarg_add(o, "orders=[ORD-1]", &err));
    assert_non_null(strstr(err, "orders: '[ORD-1]' is not valid JSON"));
    free(err);
    assert_int_equal(json_object_object_length(o), 13);
    json_object_put(o);
}

static void ws_calls__use_the_sdk_paths_with_ids_percent_encoded(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    check(ai_req_ws_get(c, "ws_abc"), NET_GET, "https://api.aiassist.net/api/workspaces/ws_abc", NULL, true);
    check(ai_req_ws_get(c, "../../v1/models?x#y"), NET_GET,
          "https://api.aiassist.net/api/workspaces/..%2F..%2Fv1%2Fmodels%3Fx%23y", NULL, true);
    check(ai_req_ws_get(c, ".."), NET_GET, "https://api.aiassist.net/api/workspaces/%2E%2E", NULL, true);
    check(ai_req_ws_by_client(c, "customer 1/2"), NET_GET,
          "https://api.aiassist.net/api/workspaces/by-client/customer%201%2F2", NULL, true);
    check(ai_req_ws_send(c, "ws_1", "What's \"up\"?"), NET_POST,
          "https://api.aiassist.net/api/workspaces/ws_1/messages",
          "{\"content\":\"What's \\\"up\\\"?\"}", false);
    check(ai_req_ws_history(c, "ws_1"), NET_GET, "https://api.aiassist.net/api/workspaces/ws_1/messages", NULL, true);
    check(ai_req_ws_typing(c, "ws_1", "I need help with"), NET_POST,
          "https://api.aiassist.net/api/workspaces/ws_1/typing", "{\"text\":\"I need help with\"}", true);
    check(ai_req_ws_end(c, "ws_1"), NET_POST, "https://api.aiassist.net/api/workspaces/ws_1/end", "{}", true);
    ai_client_free(c);
}

static void ws_calls__refuse_empty_ids__that_would_address_another_resource(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    assert_null(ai_req_ws_get(c, ""));
    assert_null(ai_req_ws_get(c, NULL));
    assert_null(ai_req_ws_by_client(c, ""));
    assert_null(ai_req_ws_send(c, "", "x"));
    assert_null(ai_req_ws_history(c, NULL));
    assert_null(ai_req_ws_typing(c, "", "x"));
    assert_null(ai_req_ws_end(c, ""));
    assert_null(ai_req_mgr_set_mode(c, "", "ai", "k1"));
    assert_null(ai_req_mgr_approve(c, "", NULL, "k1"));
    assert_null(ai_req_mgr_reject(c, NULL, NULL, "k1"));
    assert_null(ai_req_mgr_reply(c, "", "x", "k1"));
    assert_null(ai_req_mgr_typing(c, "", "x"));
    ai_client_free(c);
}

static void mgr_list_and_drafts__add_only_the_filters_given(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    check(ai_req_mgr_list(c, NULL, NULL), NET_GET, "https://api.aiassist.net/api/manager/workspaces", NULL, true);
    check(ai_req_mgr_list(c, "shadow", NULL), NET_GET,
          "https://api.aiassist.net/api/manager/workspaces?mode=shadow", NULL, true);
    check(ai_req_mgr_list(c, NULL, "active"), NET_GET,
          "https://api.aiassist.net/api/manager/workspaces?status=active", NULL, true);
    check(ai_req_mgr_list(c, "a&b", "x y"), NET_GET,
          "https://api.aiassist.net/api/manager/workspaces?mode=a%26b&status=x%20y", NULL, true);
    check(ai_req_mgr_drafts(c, NULL), NET_GET, "https://api.aiassist.net/api/manager/drafts", NULL, true);
    check(ai_req_mgr_drafts(c, "ws_9"), NET_GET,
          "https://api.aiassist.net/api/manager/drafts?workspace_id=ws_9", NULL, true);
    ai_client_free(c);
}

static void mgr_events__is_a_resumable_event_source(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    net_request *r = ai_req_mgr_events(c, NULL, NULL);
    assert_true(r->stream);
    assert_true(r->reconnect);
    assert_int_equal(r->timeout_ms, 45000);
    assert_null(r->last_event_id);
    check(r, NET_GET, "https://api.aiassist.net/api/manager/events", NULL, true);
    r = ai_req_mgr_events(c, "1234", "ws_1");
    assert_string_equal(r->last_event_id, "1234");
    check(r, NET_GET, "https://api.aiassist.net/api/manager/events?workspace_id=ws_1", NULL, true);
    ai_client_free(c);
}

static void mgr_actions__post_their_bodies_with_the_right_retry_safety(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    /* Without a key nothing with an effect is repeated: a second reply
     * would reach the customer twice. */
    check(ai_req_mgr_set_mode(c, "ws_1", "takeover", NULL), NET_POST,
          "https://api.aiassist.net/api/manager/workspaces/ws_1/mode", "{\"mode\":\"takeover\"}", false);
    check(ai_req_mgr_approve(c, "drf_1", NULL, NULL), NET_POST,
          "https://api.aiassist.net/api/manager/drafts/drf_1/approve", "{}", false);
    check(ai_req_mgr_approve(c, "drf_1", "Edited answer", NULL), NET_POST,
          "https://api.aiassist.net/api/manager/drafts/drf_1/approve", "{\"content\":\"Edited answer\"}", false);
    check(ai_req_mgr_reject(c, "drf_1", NULL, NULL), NET_POST,
          "https://api.aiassist.net/api/manager/drafts/drf_1/reject", "{}", false);
    check(ai_req_mgr_reject(c, "drf_1", "off topic", ""), NET_POST,
          "https://api.aiassist.net/api/manager/drafts/drf_1/reject", "{\"reason\":\"off topic\"}", false);
    check(ai_req_mgr_reply(c, "ws_1", "Hello, I am Ann.", NULL), NET_POST,
          "https://api.aiassist.net/api/manager/workspaces/ws_1/reply", "{\"content\":\"Hello, I am Ann.\"}", false);
    check(ai_req_mgr_typing(c, "ws_1", "Hel"), NET_POST,
          "https://api.aiassist.net/api/manager/workspaces/ws_1/typing", "{\"text\":\"Hel\"}", true);
    ai_client_free(c);
}

static void mgr_actions__with_a_key_carry_it_and_are_safe_to_repeat(void **state)
{
    (void)state;
    ai_client *c = ai_client_new(BASE, KEY);
    const char *k = "0123456789abcdef0123456789abcdef";
    check_keyed(ai_req_mgr_set_mode(c, "ws_1", "shadow", k),
                "https://api.aiassist.net/api/manager/workspaces/ws_1/mode", "{\"mode\":\"shadow\"}", k);
    check_keyed(ai_req_mgr_approve(c, "drf_1", "Edited", k),
                "https://api.aiassist.net/api/manager/drafts/drf_1/approve", "{\"content\":\"Edited\"}", k);
    check_keyed(ai_req_mgr_reject(c, "drf_1", NULL, k),
                "https://api.aiassist.net/api/manager/drafts/drf_1/reject", "{}", k);
    check_keyed(ai_req_mgr_reply(c, "ws_1", "Hi", k),
                "https://api.aiassist.net/api/manager/workspaces/ws_1/reply", "{\"content\":\"Hi\"}", k);
    ai_client_free(c);
}

static void idem_keys__are_128_random_bits_in_hex_and_checked_before_use(void **state)
{
    (void)state;
    char *a = ai_idem_key_new(), *b = ai_idem_key_new();
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_string_not_equal(a, b);
    assert_true(ai_idem_key_ok(a));
    free(a);
    free(b);
    assert_true(ai_idem_key_ok("retry-7_a.b:c"));
    assert_false(ai_idem_key_ok(""));
    assert_false(ai_idem_key_ok(NULL));
    assert_false(ai_idem_key_ok("two words"));
    assert_false(ai_idem_key_ok("x\r\nX-Injected: 1"));
    assert_false(ai_idem_key_ok("it's"));
    char long_key[AI_IDEM_KEY_MAX + 2];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    assert_false(ai_idem_key_ok(long_key));
    long_key[AI_IDEM_KEY_MAX] = '\0';
    assert_true(ai_idem_key_ok(long_key));
}

TEST_MAIN(cmocka_unit_test(client__has_sdk_defaults__and_registers_the_key_as_a_secret),
          cmocka_unit_test(client__refuses_keys_that_could_inject_headers_and_bad_urls),
          cmocka_unit_test(client__refuses_the_base_urls_the_configuration_refuses),
          cmocka_unit_test(chat__sends_defaults_and_the_sdk_headers__when_not_streamed),
          cmocka_unit_test(chat__asks_for_usage_and_event_stream__when_streamed),
          cmocka_unit_test(chat__passes_extra_fields_through__but_explicit_ones_win),
          cmocka_unit_test(chat_params__validation_names_the_problem),
          cmocka_unit_test(models__is_a_plain_get),
          cmocka_unit_test(ws_create__leaves_absent_fields_out),
          cmocka_unit_test(ws_send__carries_the_messages_model_and_max_tokens),
          cmocka_unit_test(jsonarg__values_are_json_when_they_read_as_json),
          cmocka_unit_test(ws_calls__use_the_sdk_paths_with_ids_percent_encoded),
          cmocka_unit_test(ws_calls__refuse_empty_ids__that_would_address_another_resource),
          cmocka_unit_test(mgr_list_and_drafts__add_only_the_filters_given),
          cmocka_unit_test(mgr_events__is_a_resumable_event_source),
          cmocka_unit_test(mgr_actions__post_their_bodies_with_the_right_retry_safety),
          cmocka_unit_test(mgr_actions__with_a_key_carry_it_and_are_safe_to_repeat),
          cmocka_unit_test(idem_keys__are_128_random_bits_in_hex_and_checked_before_use))
