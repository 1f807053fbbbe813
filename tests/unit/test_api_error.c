/* Unit tests for src/api/error*.c: typed errors from every status/body pair
 * of both services, from every network failure, their messages and exit
 * codes. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist.h"
#include "api/aiassist_types.h"
#include "api/error.h"
#include "api/gate.h"
#include "test.h"
#include "util/log.h"
#include "util/mem.h"

#define NOW 1795274400 /* 2026-11-21T15:20:00Z */

/* A FAILED event for an HTTP error; headers as name, value pairs, NULL-ended. */
static net_event *http_ev(long status, const char *body, ...)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = NET_EV_FAILED;
    ev->fail = NET_FAIL_HTTP;
    ev->status = status;
    if (body) {
        ev->body = xstrdup(body);
        ev->body_len = strlen(body);
    }
    ev->message = xasprintf("HTTP %ld", status);
    va_list ap;
    va_start(ap, body);
    const char *name;
    while ((name = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);
        ev->headers = xrealloc(ev->headers, (ev->nheaders + 1) * sizeof *ev->headers);
        ev->headers[ev->nheaders].name = xstrdup(name);
        ev->headers[ev->nheaders].value = xstrdup(value);
        ev->nheaders++;
    }
    va_end(ap);
    return ev;
}

static net_event *fail_ev(net_fail f, const char *message)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = NET_EV_FAILED;
    ev->fail = f;
    ev->message = message ? xstrdup(message) : NULL;
    return ev;
}

/* Decodes ev for svc, checks kind and exit code, returns the message. */
static char *check(api_service svc, net_event *ev, api_error_kind kind, int exit_code,
                   api_error **out)
{
    api_error *e = api_error_from_event_at(svc, ev, NOW);
    net_event_free(ev);
    assert_int_equal(e->kind, kind);
    assert_int_equal(api_error_exit_code(e), exit_code);
    char *msg = api_error_message(e);
    assert_null(strchr(msg, '\n'));
    if (out)
        *out = e;
    else
        api_error_free(e);
    return msg;
}

static void error__aiassist_401_invalid_key__is_auth_with_the_server_detail(void **state)
{
    (void)state;
    api_error *e;
    char *m = check(API_AIASSIST, http_ev(401, "{\"detail\":\"Invalid API key\",\"code\":\"invalid_api_key\"}", NULL),
                    API_ERR_AUTH, 3, &e);
    assert_string_equal(m, "AiAssist rejected the API key: Invalid API key");
    assert_string_equal(e->code, "invalid_api_key");
    assert_int_equal(e->status, 401);
    free(m);
    api_error_free(e);
}

static void error__aiassist_403_and_404__are_forbidden_and_not_found(void **state)
{
    (void)state;
    char *m = check(API_AIASSIST, http_ev(403, "{\"detail\":\"This call needs an agent key\",\"code\":\"forbidden\"}", NULL),
                    API_ERR_FORBIDDEN, 3, NULL);
    assert_string_equal(m, "AiAssist refused access: This call needs an agent key");
    free(m);
    api_error *e;
    m = check(API_AIASSIST, http_ev(404, "{\"detail\":\"No workspace for client c1.\",\"code\":\"not_found\"}", NULL),
              API_ERR_NOT_FOUND, 1, &e);
    assert_string_equal(m, "not found at AiAssist: No workspace for client c1.");
    assert_true(ai_by_client_not_found(e));
    ai_by_client_result *r = ai_by_client_missing();
    assert_false(r->exists);
    assert_null(r->workspace);
    ai_by_client_result_free(r);
    free(m);
    api_error_free(e);
}

static void error__aiassist_409__is_a_conflict_naming_what_happened(void **state)
{
    (void)state;
    char *m = check(API_AIASSIST, http_ev(409, "{\"detail\":\"Workspace ws_1 has ended.\",\"code\":\"workspace_ended\"}", NULL),
                    API_ERR_CONFLICT, 1, NULL);
    assert_string_equal(m, "conflict at AiAssist: Workspace ws_1 has ended.");
    free(m);
    m = check(API_AIASSIST, http_ev(409, "{\"code\":\"draft_not_pending\"}", NULL), API_ERR_CONFLICT, 1, NULL);
    assert_string_equal(m, "conflict at AiAssist: the draft was already approved or rejected");
    free(m);
}

static void error__aiassist_429__reads_retry_after_seconds_or_date(void **state)
{
    (void)state;
    api_error *e;
    char *m = check(API_AIASSIST, http_ev(429, "{\"detail\":\"Too many requests\",\"code\":\"rate_limited\"}",
                                          "retry-after", "4", NULL),
                    API_ERR_RATE_LIMITED, 4, &e);
    assert_string_equal(m, "rate limited by AiAssist: retry in 4 s");
    assert_int_equal(e->retry_after_s, 4);
    assert_true(api_error_is_transient(e));
    free(m);
    api_error_free(e);
    m = check(API_AIASSIST, http_ev(429, NULL, "Retry-After", "Sat, 21 Nov 2026 15:20:30 GMT", NULL),
              API_ERR_RATE_LIMITED, 4, NULL);
    assert_string_equal(m, "rate limited by AiAssist: retry in 30 s");
    free(m);
    m = check(API_AIASSIST, http_ev(429, "slow down", "retry-after", "whenever", NULL),
              API_ERR_RATE_LIMITED, 4, NULL);
    assert_string_equal(m, "rate limited by AiAssist: try again later");
    free(m);
}

static void error__5xx__is_a_server_error_with_or_without_a_json_body(void **state)
{
    (void)state;
    char *m = check(API_AIASSIST, http_ev(500, "{\"detail\":\"Provider failed\",\"code\":\"server_error\"}", NULL),
                    API_ERR_SERVER, 6, NULL);
    assert_string_equal(m, "AiAssist had a server error (HTTP 500): Provider failed");
    free(m);
    m = check(API_AIASSIST, http_ev(502, "<html><body>Bad Gateway</body></html>", NULL), API_ERR_SERVER, 6, NULL);
    assert_string_equal(m, "AiAssist had a server error (HTTP 502)");
    free(m);
    m = check(API_AIASSIST, http_ev(503, NULL, "retry-after", "10", NULL), API_ERR_SERVER, 6, NULL);
    assert_string_equal(m, "AiAssist had a server error (HTTP 503); retry in 10 s");
    free(m);
    m = check(API_GATE, http_ev(500, "{\"error\":\"upstream_error\",\"message\":\"OpenAI did not answer\"}", NULL),
              API_ERR_SERVER, 6, NULL);
    assert_string_equal(m, "AI Gate had a server error (HTTP 500): OpenAI did not answer");
    free(m);
}

static void error__non_json_bodies__still_get_the_kind_from_the_status(void **state)
{
    (void)state;
    char *m = check(API_AIASSIST, http_ev(401, "Unauthorized", NULL), API_ERR_AUTH, 3, NULL);
    assert_string_equal(m, "AiAssist rejected the API key (HTTP 401)");
    free(m);
    m = check(API_AIASSIST, http_ev(400, "{\"detail\":", NULL), API_ERR_BAD_REQUEST, 1, NULL);
    assert_string_equal(m, "AiAssist refused the request (HTTP 400)");
    free(m);
    m = check(API_AIASSIST, http_ev(422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"field required\"},"
                                         "{\"msg\":\"bad\"}]}", NULL),
              API_ERR_BAD_REQUEST, 1, NULL);
    assert_string_equal(m, "AiAssist refused the request: field required (and 1 more)");
    free(m);
    m = check(API_AIASSIST, http_ev(418, "{\"detail\":[1,2]}", NULL), API_ERR_BAD_REQUEST, 1, NULL);
    assert_string_equal(m, "AiAssist refused the request (HTTP 418)");
    free(m);
}

static void error__gate_400_and_401__name_the_problem(void **state)
{
    (void)state;
    char *m = check(API_GATE, http_ev(400, "{\"error\":\"invalid_request\",\"message\":\"voice must be one of ...\"}", NULL),
                    API_ERR_BAD_REQUEST, 1, NULL);
    assert_string_equal(m, "AI Gate refused the request: voice must be one of ...");
    free(m);
    m = check(API_GATE, http_ev(401, "{\"error\":\"unauthorized\",\"message\":\"Unknown project id\"}", NULL),
              API_ERR_AUTH, 3, NULL);
    assert_string_equal(m, "AI Gate does not accept the project id: Unknown project id");
    free(m);
}

static void error__gate_402__reports_the_full_usage(void **state)
{
    (void)state;
    api_error *e;
    char *m = check(API_GATE, http_ev(402,
        "{\"error\":\"quota_exceeded\",\"message\":\"Monthly session quota exceeded\","
        "\"usage\":{\"plan\":\"free\",\"sessionsIncluded\":100,\"sessionsUsed\":100,"
        "\"sessionsRemaining\":0,\"estimatedMinutes\":500,\"minutesUsed\":512.4,\"percentUsed\":100},"
        "\"upgrade_url\":\"https://www.ai-gate.dev/pricing\"}", NULL),
        API_ERR_QUOTA, 4, &e);
    assert_string_equal(m, "AI Gate quota exceeded: 100 of 100 sessions used on the free plan "
                           "(100%); upgrade at https://www.ai-gate.dev/pricing");
    assert_string_equal(e->plan, "free");
    assert_int_equal(e->sessions_included, 100);
    assert_int_equal(e->sessions_used, 100);
    assert_int_equal(e->sessions_remaining, 0);
    assert_int_equal(e->minutes_estimated, 500);
    assert_int_equal(e->minutes_used, 512);
    assert_string_equal(e->code, "quota_exceeded");
    free(m);
    api_error_free(e);
    m = check(API_GATE, http_ev(402, "{\"error\":\"quota_exceeded\",\"message\":\"Out of sessions\","
                                     "\"usage\":{\"sessionsUsed\":\"lots\"}}", NULL),
              API_ERR_QUOTA, 4, NULL);
    assert_string_equal(m, "AI Gate quota exceeded: Out of sessions");
    free(m);
}

static void error__gate_429_rate__uses_reset_at_for_the_wait(void **state)
{
    (void)state;
    api_error *e;
    char *m = check(API_GATE, http_ev(429,
        "{\"error\":\"Rate limit exceeded\",\"message\":\"Too many requests\",\"limit\":100,"
        "\"window\":\"15 minutes\",\"resetAt\":\"2026-11-21T15:20:42.000Z\"}", NULL),
        API_ERR_RATE_LIMITED, 4, &e);
    assert_string_equal(m, "rate limited by AI Gate (100 requests per 15 minutes): retry in 42 s");
    assert_int_equal(e->rate_limit, 100);
    assert_string_equal(e->reset_at, "2026-11-21T15:20:42.000Z");
    free(m);
    api_error_free(e);
    /* resetAt in unix milliseconds; the Retry-After header wins over it. */
    m = check(API_GATE, http_ev(429, "{\"error\":\"Rate limit exceeded\",\"limit\":100,\"window\":900,"
                                     "\"resetAt\":1795274460000}", NULL),
              API_ERR_RATE_LIMITED, 4, NULL);
    assert_string_equal(m, "rate limited by AI Gate (100 requests per 900 s): retry in 60 s");
    free(m);
    m = check(API_GATE, http_ev(429, "{\"error\":\"Rate limit exceeded\",\"resetAt\":1795274460}",
                                "retry-after", "3", NULL),
              API_ERR_RATE_LIMITED, 4, NULL);
    assert_string_equal(m, "rate limited by AI Gate: retry in 3 s");
    free(m);
}

static void error__gate_429_concurrent__is_its_own_kind(void **state)
{
    (void)state;
    api_error *e;
    char *m = check(API_GATE, http_ev(429,
        "{\"error\":\"concurrent_limit_exceeded\",\"message\":\"Too many concurrent sessions\","
        "\"current\":5,\"max\":5,\"hint\":\"Close an open session or upgrade your plan\"}", NULL),
        API_ERR_CONCURRENT, 4, &e);
    assert_string_equal(m, "too many concurrent AI Gate sessions (5 of 5): Close an open session "
                           "or upgrade your plan");
    assert_int_equal(e->concurrent_current, 5);
    assert_int_equal(e->concurrent_max, 5);
    free(m);
    api_error_free(e);
}

static void error__redirects__are_protocol_errors_that_explain_why(void **state)
{
    (void)state;
    char *m = check(API_AIASSIST, http_ev(302, "", "location", "https://evil.example/steal", NULL),
                    API_ERR_PROTOCOL, 7, NULL);
    assert_string_equal(m, "the server redirected to https://evil.example/steal; aidesk does not "
                           "follow redirects so your key cannot leak");
    free(m);
    m = check(API_GATE, http_ev(301, NULL, NULL), API_ERR_PROTOCOL, 7, NULL);
    assert_non_null(strstr(m, "HTTP 301"));
    assert_non_null(strstr(m, "project id"));
    free(m);
}

static void error__network_failures__say_what_failed_and_where(void **state)
{
    (void)state;
    static const struct {
        net_fail f;
        const char *expect;
    } cases[] = {
        {NET_FAIL_CONNECT, "cannot reach https://api.aiassist.net: connection refused"},
        {NET_FAIL_TIMEOUT, "https://api.aiassist.net did not answer in time: connection refused"},
        {NET_FAIL_STALL, "the stream from https://api.aiassist.net went silent: connection refused"},
        {NET_FAIL_DROPPED, "the connection to https://api.aiassist.net was cut: connection refused"},
        {NET_FAIL_TLS, "no secure connection to https://api.aiassist.net: connection refused"},
        {NET_FAIL_REFUSED, "aidesk refused to contact https://api.aiassist.net: connection refused"},
        {NET_FAIL_INTERNAL, "the network could not be set up for https://api.aiassist.net: connection refused"},
    };
    ai_client *c = ai_client_new(NULL, "aai_testkey_0001");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        net_event *ev = fail_ev(cases[i].f, "connection refused");
        api_error *e = ai_error_from_event(c, ev);
        net_event_free(ev);
        assert_int_equal(e->kind, API_ERR_NETWORK);
        assert_int_equal(api_error_exit_code(e), 5);
        assert_int_equal(e->fail, cases[i].f);
        assert_string_equal(e->what, "connection refused");
        char *m = api_error_message(e);
        assert_string_equal(m, cases[i].expect);
        free(m);
        api_error_free(e);
    }
    /* Without a client: the service's name instead of the host. */
    char *m = check(API_GATE, fail_ev(NET_FAIL_CONNECT, NULL), API_ERR_NETWORK, 5, NULL);
    assert_string_equal(m, "cannot reach AI Gate");
    free(m);
    ai_client_free(c);
}

static void error__too_large_and_cancelled__map_to_protocol_and_130(void **state)
{
    (void)state;
    char *m = check(API_AIASSIST, fail_ev(NET_FAIL_TOO_LARGE, "more than 16 MiB"), API_ERR_PROTOCOL, 7, NULL);
    assert_string_equal(m, "the answer from AiAssist was too large: more than 16 MiB");
    free(m);
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = NET_EV_CANCELLED;
    m = check(API_AIASSIST, ev, API_ERR_CANCELLED, 130, NULL);
    assert_string_equal(m, "cancelled");
    free(m);
}

static void error__messages__never_contain_a_key_or_a_project_id(void **state)
{
    (void)state;
    ai_client *c = ai_client_new("https://api.aiassist.net", "zz_custom_key_material");
    gate_client *g = gate_client_new(NULL, "proj_topsecret");
    char *m = check(API_AIASSIST, http_ev(401, "{\"detail\":\"Invalid API key zz_custom_key_material "
                                               "(aai_otherlooking_key)\"}", NULL),
                    API_ERR_AUTH, 3, NULL);
    assert_null(strstr(m, "zz_custom_key_material"));
    assert_null(strstr(m, "aai_otherlooking_key"));
    assert_non_null(strstr(m, "[redacted]"));
    free(m);
    m = check(API_GATE, http_ev(401, "{\"error\":\"unauthorized\",\"message\":\"Unknown project proj_topsecret\"}", NULL),
              API_ERR_AUTH, 3, NULL);
    assert_null(strstr(m, "proj_topsecret"));
    free(m);
    gate_client_free(g);
    ai_client_free(c);
}

static void error__hostile_server_text__is_sanitised_and_cut_to_one_line(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *body = xasprintf("{\"detail\":\"\\u001b]52;c;cGF3bmVk\\u0007\\r\\nfake prompt$ %s\"}", big);
    char *m = check(API_AIASSIST, http_ev(400, body, NULL), API_ERR_BAD_REQUEST, 1, NULL);
    assert_null(strchr(m, '\x1b'));
    assert_null(strchr(m, '\x07'));
    assert_null(strchr(m, '\r'));
    assert_true(strlen(m) < 700);
    free(m);
    free(body);
}

static void error__local_errors__keep_their_text_and_kind(void **state)
{
    (void)state;
    api_error *e = api_error_new(API_ERR_BAD_REQUEST, "no workspace is selected (%d open)", 3);
    char *m = api_error_message(e);
    assert_string_equal(m, "no workspace is selected (3 open)");
    assert_int_equal(api_error_exit_code(e), 1);
    free(m);
    api_error_free(e);
    assert_int_equal(api_error_exit_code(NULL), 0);
    e = ai_decode_error(xstrdup("history: missing field 'messages'"));
    m = api_error_message(e);
    assert_string_equal(m, "AiAssist sent a malformed answer: history: missing field 'messages'");
    assert_int_equal(api_error_exit_code(e), 7);
    free(m);
    api_error_free(e);
    assert_string_equal(api_error_kind_name(API_ERR_CONCURRENT), "concurrent");
}

TEST_MAIN(cmocka_unit_test(error__aiassist_401_invalid_key__is_auth_with_the_server_detail),
          cmocka_unit_test(error__aiassist_403_and_404__are_forbidden_and_not_found),
          cmocka_unit_test(error__aiassist_409__is_a_conflict_naming_what_happened),
          cmocka_unit_test(error__aiassist_429__reads_retry_after_seconds_or_date),
          cmocka_unit_test(error__5xx__is_a_server_error_with_or_without_a_json_body),
          cmocka_unit_test(error__non_json_bodies__still_get_the_kind_from_the_status),
          cmocka_unit_test(error__gate_400_and_401__name_the_problem),
          cmocka_unit_test(error__gate_402__reports_the_full_usage),
          cmocka_unit_test(error__gate_429_rate__uses_reset_at_for_the_wait),
          cmocka_unit_test(error__gate_429_concurrent__is_its_own_kind),
          cmocka_unit_test(error__redirects__are_protocol_errors_that_explain_why),
          cmocka_unit_test(error__network_failures__say_what_failed_and_where),
          cmocka_unit_test(error__too_large_and_cancelled__map_to_protocol_and_130),
          cmocka_unit_test(error__messages__never_contain_a_key_or_a_project_id),
          cmocka_unit_test(error__hostile_server_text__is_sanitised_and_cut_to_one_line),
          cmocka_unit_test(error__local_errors__keep_their_text_and_kind))
