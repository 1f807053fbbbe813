/* Integration tests: WebSocket connections on the network thread (ws.h)
 * against the simulator's Realtime endpoint. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "net/net.h"
#include "net/ws.h"
#include "simproc.h"
#include "test.h"
#include "util/log.h"
#include "util/mem.h"

static simproc sim;
static net_t *net;

static int setup(void **state)
{
    (void)state;
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
    const char *args[] = {"--speed", "20", NULL};
    if (simproc_start(&sim, args) != 0)
        return -1;
    net = net_new(NULL);
    return net ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    net_free(net);
    simproc_stop(&sim);
    return 0;
}

/* A new session's client secret (caller frees). */
static char *mint(void)
{
    char out[8192];
    int st = simproc_admin(&sim, "POST", "/session", "{\"project_id\":\"proj_demo\"}", out, sizeof out);
    assert_int_equal(st, 200);
    json_object *o = json_tokener_parse(out), *cs, *v;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "client_secret", &cs));
    assert_true(json_object_object_get_ex(cs, "value", &v));
    char *s = xstrdup(json_object_get_string(v));
    json_object_put(o);
    return s;
}

static uint64_t open_ws(const char *secret, const char *fault)
{
    char url[128];
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/v1/realtime", sim.port);
    net_ws_request *r = net_ws_request_new(url);
    char *auth = xasprintf("Bearer %s", secret);
    net_ws_request_add_header(r, "Authorization", auth);
    free(auth);
    if (fault)
        net_ws_request_add_header(r, "X-Sim-Fault", fault);
    return net_ws_open(net, r);
}

/* The next event of id (others freed); fails the test on a time-out. */
static net_event *next_of(uint64_t id)
{
    for (;;) {
        net_event *ev = net_wait_event(net, 10000);
        assert_non_null(ev);
        if (ev->id == id)
            return ev;
        net_event_free(ev);
    }
}

static bool is_terminal(const net_event *ev)
{
    return ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED || ev->kind == NET_EV_CANCELLED;
}

/* Reads messages until one of type `until` (or the end); returns the
 * terminal event if the connection ended first, else NULL. Counts the
 * messages whose type is `count`. */
static net_event *read_until(uint64_t id, const char *until, const char *count, int *counted)
{
    for (;;) {
        net_event *ev = next_of(id);
        if (is_terminal(ev))
            return ev;
        if (ev->kind == NET_EV_SSE) {
            assert_int_equal(ev->nsse, 1);
            assert_string_equal(ev->sse[0].type, "text");
            json_object *o = json_tokener_parse(ev->sse[0].data), *t;
            assert_non_null(o);
            assert_true(json_object_object_get_ex(o, "type", &t));
            const char *type = json_object_get_string(t);
            if (count && counted && !strcmp(type, count))
                (*counted)++;
            bool stop = !strcmp(type, until);
            json_object_put(o);
            if (stop) {
                net_event_free(ev);
                return NULL;
            }
        }
        net_event_free(ev);
    }
}

static void send_turn(uint64_t id, const char *text)
{
    char *m = xasprintf("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
                        "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"%s\"}]}}",
                        text);
    net_ws_send(net, id, m, strlen(m));
    free(m);
    const char *rc = "{\"type\":\"response.create\"}";
    net_ws_send(net, id, rc, strlen(rc));
}

static void ws__a_turn_then_a_clean_close(void **state)
{
    (void)state;
    char *secret = mint();
    uint64_t id = open_ws(secret, NULL);
    free(secret);
    /* Sent before the handshake ends: it waits for it. */
    send_turn(id, "hello there");
    net_event *ev = next_of(id);
    assert_int_equal(ev->kind, NET_EV_OPEN);
    assert_int_equal(ev->status, 101);
    net_event_free(ev);
    int deltas = 0;
    assert_null(read_until(id, "response.done", "response.output_audio.delta", &deltas));
    assert_true(deltas > 3);
    /* A second turn on the same connection. */
    send_turn(id, "and again");
    deltas = 0;
    assert_null(read_until(id, "response.done", "response.output_audio.delta", &deltas));
    assert_true(deltas > 3);
    net_ws_close(net, id, 1000);
    ev = read_until(id, "never", NULL, NULL);
    assert_int_equal(ev->kind, NET_EV_DONE);
    assert_int_equal(ev->status, 1000);
    net_event_free(ev);
    assert_int_equal(net_pending(net), 0);
}

static void ws__a_refused_handshake_fails_with_the_answer(void **state)
{
    (void)state;
    uint64_t id = open_ws("eph_never_minted", NULL);
    net_event *ev = next_of(id);
    assert_int_equal(ev->kind, NET_EV_FAILED);
    assert_int_equal(ev->fail, NET_FAIL_HTTP);
    assert_int_equal(ev->status, 401);
    assert_true(ev->not_processed);
    assert_non_null(strstr(ev->body, "invalid_api_key"));
    net_event_free(ev);
}

static void ws__a_dropped_connection_fails(void **state)
{
    (void)state;
    char *secret = mint();
    uint64_t id = open_ws(secret, "drop_after=5");
    free(secret);
    send_turn(id, "hello");
    net_event *ev = read_until(id, "response.done", NULL, NULL);
    assert_non_null(ev);
    assert_int_equal(ev->kind, NET_EV_FAILED);
    assert_int_equal(ev->fail, NET_FAIL_DROPPED);
    assert_true(ev->delivered);
    net_event_free(ev);
}

static void ws__cancel_drops_at_once(void **state)
{
    (void)state;
    char *secret = mint();
    uint64_t id = open_ws(secret, "latency=3000");
    free(secret);
    send_turn(id, "hello");
    net_event *ev = next_of(id);
    assert_int_equal(ev->kind, NET_EV_OPEN);
    net_event_free(ev);
    net_cancel(net, id);
    ev = read_until(id, "never", NULL, NULL);
    assert_int_equal(ev->kind, NET_EV_CANCELLED);
    net_event_free(ev);
}

static void ws__refuses_plain_ws_off_loopback_and_other_schemes(void **state)
{
    (void)state;
    const char *urls[] = {"ws://example.com/v1/realtime", "https://127.0.0.1/v1/realtime"};
    for (size_t i = 0; i < 2; i++) {
        uint64_t id = net_ws_open(net, net_ws_request_new(urls[i]));
        net_event *ev = next_of(id);
        assert_int_equal(ev->kind, NET_EV_FAILED);
        assert_int_equal(ev->fail, NET_FAIL_REFUSED);
        net_event_free(ev);
    }
    /* Nobody listening: a connect failure, nothing sent. */
    uint64_t id = net_ws_open(net, net_ws_request_new("ws://127.0.0.1:1/v1/realtime"));
    net_event *ev = next_of(id);
    assert_int_equal(ev->kind, NET_EV_FAILED);
    assert_int_equal(ev->fail, NET_FAIL_CONNECT);
    assert_true(ev->not_processed);
    net_event_free(ev);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ws__a_turn_then_a_clean_close),
        cmocka_unit_test(ws__a_refused_handshake_fails_with_the_answer),
        cmocka_unit_test(ws__a_dropped_connection_fails),
        cmocka_unit_test(ws__cancel_drops_at_once),
        cmocka_unit_test(ws__refuses_plain_ws_off_loopback_and_other_schemes),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
