/* Unit tests for the AI Gate client: parameters, request builders,
 * session / TURN / health decoders and rate-limit headers. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api/gate.h"
#include "test.h"
#include "util/jsonu.h"
#include "util/log.h"
#include "util/mem.h"

#define BASE "https://api.ai-gate.dev"

static void gate__client_has_defaults_and_hides_the_project_id(void **state)
{
    (void)state;
    gate_client *c = gate_client_new(NULL, "proj_unit_hidden");
    assert_string_equal(c->base_url, BASE);
    assert_int_equal(c->timeout_ms, 30000);
    assert_false(c->allow_http);
    char *red = log_redact("POST /session project proj_unit_hidden");
    assert_null(strstr(red, "proj_unit_hidden"));
    free(red);
    gate_client_free(c);
    c = gate_client_new("http://localhost:8787", "proj_demo");
    assert_true(c->allow_http);
    gate_client_free(c);
}

static void gate__client_refuses_bad_project_ids_and_urls(void **state)
{
    (void)state;
    char *err;
    assert_true(gate_project_id_check("proj_demo", &err));
    assert_false(gate_project_id_check("", &err));
    free(err);
    assert_false(gate_project_id_check("proj\n", &err));
    free(err);
    assert_null(gate_client_new(NULL, NULL));
    assert_null(gate_client_new("api.ai-gate.dev", "proj_demo"));
}

static void gate__session_request_sends_sdk_defaults_without_a_key_header(void **state)
{
    (void)state;
    gate_client *c = gate_client_new(BASE "/", "proj_demo");
    gate_session_params p;
    gate_session_params_init(&p);
    net_request *r = gate_req_session(c, &p);
    assert_int_equal(r->method, NET_POST);
    assert_string_equal(r->url, BASE "/session");
    assert_int_equal(r->nheaders, 1);
    assert_string_equal(r->headers[0], "Content-Type: application/json");
    assert_string_equal(r->body, "{\"project_id\":\"proj_demo\",\"model\":"
                                 "\"gpt-4o-realtime-preview-2024-10-01\",\"voice\":\"echo\","
                                 "\"temperature\":0.7,\"instructions\":\"You are a helpful assistant\"}");
    assert_false(r->retry_safe);
    assert_false(r->stream);
    net_request_free(r);
    p.voice = "nova";
    p.temperature = 0.8;
    p.instructions = "Say \"hi\"";
    r = gate_req_session(c, &p);
    assert_string_equal(r->body, "{\"project_id\":\"proj_demo\",\"model\":"
                                 "\"gpt-4o-realtime-preview-2024-10-01\",\"voice\":\"nova\","
                                 "\"temperature\":0.8,\"instructions\":\"Say \\\"hi\\\"\"}");
    net_request_free(r);
    gate_client_free(c);
}

static void gate__other_requests_are_plain_gets_with_the_id_escaped(void **state)
{
    (void)state;
    gate_client *c = gate_client_new(BASE, "proj a&b");
    net_request *r = gate_req_turn(c);
    assert_int_equal(r->method, NET_GET);
    assert_string_equal(r->url, BASE "/turn-credentials?identifier=proj%20a%26b");
    /* Neither SDK sends a header of its own on a GET: no Content-Type
     * without a body. */
    assert_int_equal(r->nheaders, 0);
    assert_true(r->retry_safe);
    assert_null(r->body);
    net_request_free(r);
    r = gate_req_health(c);
    assert_string_equal(r->url, BASE "/health");
    assert_int_equal(r->nheaders, 0);
    net_request_free(r);
    r = gate_req_metrics(c);
    assert_string_equal(r->url, BASE "/metrics");
    assert_int_equal(r->nheaders, 0);
    net_request_free(r);
    gate_client_free(c);
}

static void gate_validate__accepts_each_voice_and_rejects_others(void **state)
{
    (void)state;
    const char *voices[] = {"alloy", "echo", "fable", "onyx", "nova", "shimmer"};
    gate_session_params p;
    gate_session_params_init(&p);
    char *err;
    for (size_t i = 0; i < 6; i++) {
        p.voice = voices[i];
        assert_true(gate_validate_params(&p, &err));
        assert_null(err);
    }
    const char *bad[] = {"Echo", "robot", "", NULL};
    for (size_t i = 0; i < 4; i++) {
        p.voice = bad[i];
        assert_false(gate_validate_params(&p, &err));
        assert_string_equal(err, "the voice must be one of alloy, echo, fable, onyx, nova, shimmer");
        free(err);
    }
}

static void gate_validate__bounds_temperature_model_and_instructions(void **state)
{
    (void)state;
    gate_session_params p;
    gate_session_params_init(&p);
    char *err;
    double ok_t[] = {0, 1, 0.5};
    for (size_t i = 0; i < 3; i++) {
        p.temperature = ok_t[i];
        assert_true(gate_validate_params(&p, &err));
    }
    double bad_t[] = {-0.01, 1.01, NAN, INFINITY};
    for (size_t i = 0; i < 4; i++) {
        p.temperature = bad_t[i];
        assert_false(gate_validate_params(&p, &err));
        assert_string_equal(err, "the temperature must be a number from 0 to 1");
        free(err);
    }
    p.temperature = 0.7;
    const char *bad_models[] = {"", "gpt 4o", "gpt\t", "gpt\x1b[0m"};
    for (size_t i = 0; i < 4; i++) {
        p.model = bad_models[i];
        assert_false(gate_validate_params(&p, &err));
        assert_non_null(strstr(err, "model"));
        free(err);
    }
    p.model = GATE_DEFAULT_MODEL;
    char *big = xmalloc(GATE_INSTRUCTIONS_MAX + 2);
    memset(big, 'a', GATE_INSTRUCTIONS_MAX + 1);
    big[GATE_INSTRUCTIONS_MAX + 1] = '\0';
    p.instructions = big;
    assert_false(gate_validate_params(&p, &err));
    assert_non_null(strstr(err, "longer than 16384 bytes"));
    free(err);
    big[GATE_INSTRUCTIONS_MAX] = '\0';
    assert_true(gate_validate_params(&p, &err));
    free(big);
    p.instructions = "bad \xFF";
    assert_false(gate_validate_params(&p, &err));
    free(err);
}

static const char *SESSION =
    "{\"id\":\"sess_123\",\"object\":\"realtime.session\",\"model\":\"gpt-4o-realtime-preview-2024-10-01\","
    "\"expires_at\":1795278000,\"modalities\":[\"text\",\"audio\"],\"instructions\":\"Be nice\","
    "\"voice\":\"echo\",\"input_audio_format\":\"pcm16\",\"output_audio_format\":\"pcm16\","
    "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.5},\"temperature\":0.7,"
    "\"max_response_output_tokens\":\"inf\",\"client_secret\":{\"value\":\"cs_unit_client_secret\","
    "\"expires_at\":1795274520},\"turn_credentials\":{\"iceServers\":["
    "{\"urls\":\"stun:stun.l.google.com:19302\"},{\"urls\":[\"stun:a:3478\",\"stun:b:3478\"]},"
    "{\"urls\":\"turn:turn.ai-gate.dev:3478\",\"username\":\"1795278000:proj\","
    "\"credential\":\"turn_unit_credential\"}]},\"session_id\":\"s-1\",\"metadata\":"
    "{\"model\":\"gpt-4o-realtime-preview-2024-10-01\",\"voice\":\"echo\",\"turn_server\":"
    "\"turn.ai-gate.dev\",\"created_at\":\"2026-11-21T15:21:00.000Z\"}}";

static void gate_session__decodes_every_field_and_hides_the_secrets(void **state)
{
    (void)state;
    char *err = NULL;
    gate_session *s = gate_decode_session(SESSION, strlen(SESSION), &err);
    assert_non_null(s);
    assert_string_equal(s->id, "sess_123");
    assert_int_equal(s->expires_at, 1795278000);
    assert_int_equal(s->nmodalities, 2);
    assert_string_equal(s->modalities[1], "audio");
    assert_string_equal(s->input_audio_format, "pcm16");
    assert_string_equal(s->turn_detection_json, "{\"type\":\"server_vad\",\"threshold\":0.5}");
    assert_true(s->has_temperature);
    assert_true(s->max_tokens_inf);
    assert_string_equal(s->client_secret, "cs_unit_client_secret");
    assert_int_equal(s->client_secret_expires_at, 1795274520);
    assert_int_equal(s->ice.n, 3);
    assert_int_equal(s->ice.items[0].nurls, 1);
    assert_null(s->ice.items[0].username);
    assert_int_equal(s->ice.items[1].nurls, 2);
    assert_string_equal(s->ice.items[1].urls[1], "stun:b:3478");
    assert_string_equal(s->ice.items[2].credential, "turn_unit_credential");
    assert_string_equal(s->session_id, "s-1");
    assert_string_equal(s->meta_turn_server, "turn.ai-gate.dev");
    assert_int_equal(s->meta_created_ms, INT64_C(1795274460000));
    assert_non_null(strstr(s->raw_json, "\"sess_123\""));
    char *red = log_redact("secret cs_unit_client_secret turn turn_unit_credential");
    assert_null(strstr(red, "cs_unit_client_secret"));
    assert_null(strstr(red, "turn_unit_credential"));
    free(red);
    gate_session_free(s);
    const char *small = "{\"client_secret\":{\"value\":\"v1234\"},\"max_response_output_tokens\":4096}";
    s = gate_decode_session(small, strlen(small), &err);
    assert_non_null(s);
    assert_false(s->max_tokens_inf);
    assert_int_equal(s->max_tokens, 4096);
    assert_false(s->has_temperature);
    gate_session_free(s);
}

static void expect_session_error(const char *json, const char *want)
{
    char *err = NULL;
    gate_session *s = gate_decode_session(json, strlen(json), &err);
    assert_null(s);
    if (!err || !strstr(err, want))
        fail_msg("error '%s' does not contain '%s'", err ? err : "(none)", want);
    free(err);
}

static void gate_session__names_missing_and_mistyped_fields(void **state)
{
    (void)state;
    expect_session_error("{\"client_secret\":{}}", "session: client_secret: missing field 'value'");
    expect_session_error("{\"client_secret\":{\"value\":7}}",
                         "session: client_secret: field 'value' should be a string");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"},\"turn_credentials\":{\"iceServers\":"
                         "[{\"urls\":5}]}}", "iceServers[0]: field 'urls' should be a string or a list of strings");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"},\"turn_credentials\":{\"iceServers\":"
                         "[{\"urls\":[\"stun:x\",1]}]}}", "field 'urls' should hold only strings");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"},\"max_response_output_tokens\":\"lots\"}",
                         "should be a number or \"inf\"");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"},\"temperature\":\"hot\"}",
                         "field 'temperature' should be a number");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"},\"modalities\":\"audio\"}",
                         "field 'modalities' should be a list of strings");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"},\"expires_at\":1e300}", "expires_at");
    expect_session_error("{\"client_secret\":{\"value\":\"v\"}", "malformed JSON");
}

/* Optional in both SDKs' types (Python NotRequired, TypeScript
 * client_secret?): an answer without it is still a session, created and
 * counted against the quota, and must not be refused. */
static void gate_session__without_a_client_secret_is_still_a_session(void **state)
{
    (void)state;
    const char *answers[] = {
        "{\"id\":\"sess_n1\",\"model\":\"gpt-4o-realtime-preview-2024-10-01\",\"expires_at\":"
        "1795278000,\"turn_credentials\":{\"iceServers\":[{\"urls\":\"stun:s.invalid\"}]},"
        "\"session_id\":\"sess_n1\",\"metadata\":{\"model\":\"m\",\"voice\":\"echo\","
        "\"turn_server\":\"t\",\"created_at\":\"2026-11-21T15:21:00.123Z\"}}",
        "{\"id\":\"sess_n1\",\"client_secret\":null,\"expires_at\":1795278000}",
    };
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++) {
        char *err = NULL;
        gate_session *s = gate_decode_session(answers[i], strlen(answers[i]), &err);
        if (!s)
            fail_msg("answer %zu refused: %s", i, err);
        assert_string_equal(s->id, "sess_n1");
        assert_null(s->client_secret);
        assert_int_equal(s->client_secret_expires_at, 0);
        assert_int_equal(s->expires_at, 1795278000);
        gate_session_free(s);
    }
    expect_session_error("{\"id\":\"sess_n1\",\"client_secret\":\"eph_x\"}",
                         "field 'client_secret' should be an object");
}

static void gate_turn__decodes_ice_servers(void **state)
{
    (void)state;
    const char *j = "{\"iceServers\":[{\"urls\":\"stun:x\"},{\"urls\":[\"turn:y?transport=tcp\"],"
                    "\"username\":\"u_unit_1\",\"credential\":\"c_unit_1\"}]}";
    char *err = NULL;
    gate_ice_list *l = gate_decode_turn(j, strlen(j), &err);
    assert_non_null(l);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[1].urls[0], "turn:y?transport=tcp");
    assert_string_equal(l->items[1].username, "u_unit_1");
    gate_ice_list_free(l);
    assert_null(gate_decode_turn("{}", 2, &err));
    assert_string_equal(err, "TURN credentials: missing field 'iceServers'");
    free(err);
}

/* The one JSON form of ICE servers (gate_ice_json): urls always a list,
 * username and credential only when given, every string valid JSON. */
static void gate_ice_json__writes_what_rtcpeerconnection_takes(void **state)
{
    (void)state;
    const char *j = "{\"iceServers\":[{\"urls\":\"stun:x\",\"extra\":1},"
                    "{\"urls\":[\"turn:y\",\"turns:z\"],\"username\":\"u_unit_2\","
                    "\"credential\":\"c\\u0000d\"}]}";
    char *err = NULL;
    gate_ice_list *l = gate_decode_turn(j, strlen(j), &err);
    assert_non_null(l);
    json_object *o = gate_ice_json(l);
    char *text = jsonu_to_string(o);
    assert_string_equal(text, "[{\"urls\":[\"stun:x\"]},{\"urls\":[\"turn:y\",\"turns:z\"],"
                              "\"username\":\"u_unit_2\",\"credential\":\"c\\u0000d\"}]");
    /* json-c's own writer (the console's pretty copies) agrees. */
    assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), text);
    free(text);
    json_object_put(o);
    gate_ice_list_free(l);
    o = gate_ice_json(NULL);
    assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), "[]");
    json_object_put(o);
}

static gate_kv_list *kv(const char *body)
{
    char *err = NULL;
    gate_kv_list *l = gate_decode_kv(body, strlen(body), &err);
    if (!l)
        fail_msg("%s", err);
    return l;
}

static void gate_kv__flattens_json_in_the_servers_order(void **state)
{
    (void)state;
    gate_kv_list *l = kv("{\"status\":\"ok\",\"uptime\":12.5,\"sessions\":{\"active\":3,\"peak\":"
                         "{\"day\":9}},\"regions\":[\"eu\",\"us\"],\"degraded\":false,\"note\":null,\"empty\":{}}");
    const char *want[][2] = {{"status", "ok"},       {"uptime", "12.5"},
                             {"sessions.active", "3"}, {"sessions.peak.day", "9"},
                             {"regions", "[\"eu\",\"us\"]"}, {"degraded", "false"},
                             {"note", "null"},       {"empty", "{}"}};
    assert_int_equal(l->n, 8);
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(l->items[i].key, want[i][0]);
        assert_string_equal(l->items[i].value, want[i][1]);
    }
    gate_kv_list_free(l);
    l = kv("\"healthy\"");
    assert_int_equal(l->n, 1);
    assert_string_equal(l->items[0].key, "status");
    assert_string_equal(l->items[0].value, "healthy");
    gate_kv_list_free(l);
}

static void gate_kv__reads_plain_text_and_prometheus_lines(void **state)
{
    (void)state;
    gate_kv_list *l = kv("OK\n");
    assert_int_equal(l->n, 1);
    assert_string_equal(l->items[0].key, "text");
    assert_string_equal(l->items[0].value, "OK");
    gate_kv_list_free(l);
    l = kv("# HELP sessions_total Sessions\r\n# TYPE sessions_total counter\r\nsessions_total 42\r\n"
           "status: up\n\n");
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[0].key, "sessions_total");
    assert_string_equal(l->items[0].value, "42");
    assert_string_equal(l->items[1].key, "status");
    assert_string_equal(l->items[1].value, "up");
    gate_kv_list_free(l);
    char *err = NULL;
    assert_null(gate_decode_kv("{\"status\":", 10, &err));
    assert_non_null(strstr(err, "malformed JSON"));
    free(err);
    assert_null(gate_decode_kv("ok \xFF", 4, &err));
    assert_non_null(strstr(err, "not UTF-8"));
    free(err);
    assert_null(gate_decode_kv("", 0, &err));
    free(err);
}

static net_event *headers_ev(const char *name, ...)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = NET_EV_DONE;
    va_list ap;
    va_start(ap, name);
    for (const char *n = name; n; n = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        ev->headers = xrealloc(ev->headers, (ev->nheaders + 1) * sizeof *ev->headers);
        ev->headers[ev->nheaders].name = xstrdup(n);
        ev->headers[ev->nheaders].value = xstrdup(v);
        ev->nheaders++;
    }
    va_end(ap);
    return ev;
}

static gate_ratelimit rl_of(net_event *ev)
{
    gate_ratelimit rl = gate_ratelimit_from_event(ev);
    net_event_free(ev);
    return rl;
}

static void gate_ratelimit__parses_present_headers_strictly(void **state)
{
    (void)state;
    gate_ratelimit rl = rl_of(headers_ev("x-ratelimit-limit", "100", "x-ratelimit-remaining", "97",
                                         "x-ratelimit-reset", "1795275300", NULL));
    assert_true(rl.present);
    assert_int_equal(rl.limit, 100);
    assert_int_equal(rl.remaining, 97);
    assert_int_equal(rl.reset, 1795275300);
    rl = rl_of(headers_ev("X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "0", NULL));
    assert_true(rl.present);
    assert_int_equal(rl.reset, 0);
}

static void gate_ratelimit__is_absent_when_missing_or_garbled(void **state)
{
    (void)state;
    assert_false(rl_of(headers_ev(NULL)).present);
    assert_false(rl_of(headers_ev("x-ratelimit-limit", "100", NULL)).present);
    const char *garbage[] = {"12a", "-1", " 5", "", "1e3", "99999999999999999999", "0x10"};
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++)
        assert_false(rl_of(headers_ev("x-ratelimit-limit", garbage[i], "x-ratelimit-remaining", "1", NULL)).present);
    assert_false(rl_of(headers_ev("x-ratelimit-limit", "10", "x-ratelimit-remaining", "11", NULL)).present);
    assert_false(rl_of(headers_ev("x-ratelimit-limit", "10", "x-ratelimit-remaining", "1",
                                  "x-ratelimit-reset", "soon", NULL)).present);
    assert_false(rl_of(headers_ev("x-ratelimit-limit", "10", "x-ratelimit-remaining", "1",
                                  "x-ratelimit-reset", "999999999999", NULL)).present);
}

static gate_ratelimit rl_make(int64_t limit, int64_t remaining, int64_t reset)
{
    gate_ratelimit rl = {.present = true, .limit = limit, .remaining = remaining, .reset = reset};
    return rl;
}

static void gate_ratelimit__answers_arriving_out_of_order_never_raise_the_count(void **state)
{
    (void)state;
    const int64_t w1 = 1795275300, w2 = w1 + 900;
    gate_ratelimit none = {0};
    /* Five answers of one window, the one sent first arriving last. */
    gate_ratelimit k = none;
    const int64_t order[] = {96, 95, 97, 98, 99};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        k = gate_ratelimit_merge(k, rl_make(100, order[i], w1));
    assert_true(k.present);
    assert_int_equal(k.remaining, 95);
    /* A new window starts over; a late answer of the old one is stale. */
    k = gate_ratelimit_merge(k, rl_make(100, 99, w2));
    assert_int_equal(k.remaining, 99);
    assert_int_equal(k.reset, w2);
    k = gate_ratelimit_merge(k, rl_make(100, 94, w1));
    assert_int_equal(k.remaining, 99);
    assert_int_equal(k.reset, w2);
    /* A changed limit (a plan upgrade) is taken as it comes. */
    k = gate_ratelimit_merge(k, rl_make(1000, 990, w2));
    assert_int_equal(k.limit, 1000);
    assert_int_equal(k.remaining, 990);
    /* Nothing known from an answer without the headers. */
    k = gate_ratelimit_merge(k, none);
    assert_int_equal(k.remaining, 990);
    /* Without a reset the order cannot be told: the fresh answer wins. */
    k = gate_ratelimit_merge(k, rl_make(1000, 995, 0));
    assert_int_equal(k.remaining, 995);
    assert_int_equal(k.reset, 0);
}

TEST_MAIN(cmocka_unit_test(gate__client_has_defaults_and_hides_the_project_id),
          cmocka_unit_test(gate__client_refuses_bad_project_ids_and_urls),
          cmocka_unit_test(gate__session_request_sends_sdk_defaults_without_a_key_header),
          cmocka_unit_test(gate__other_requests_are_plain_gets_with_the_id_escaped),
          cmocka_unit_test(gate_validate__accepts_each_voice_and_rejects_others),
          cmocka_unit_test(gate_validate__bounds_temperature_model_and_instructions),
          cmocka_unit_test(gate_session__decodes_every_field_and_hides_the_secrets),
          cmocka_unit_test(gate_session__names_missing_and_mistyped_fields),
          cmocka_unit_test(gate_session__without_a_client_secret_is_still_a_session),
          cmocka_unit_test(gate_turn__decodes_ice_servers),
          cmocka_unit_test(gate_ice_json__writes_what_rtcpeerconnection_takes),
          cmocka_unit_test(gate_kv__flattens_json_in_the_servers_order),
          cmocka_unit_test(gate_kv__reads_plain_text_and_prometheus_lines),
          cmocka_unit_test(gate_ratelimit__parses_present_headers_strictly),
          cmocka_unit_test(gate_ratelimit__is_absent_when_missing_or_garbled),
          cmocka_unit_test(gate_ratelimit__answers_arriving_out_of_order_never_raise_the_count))
