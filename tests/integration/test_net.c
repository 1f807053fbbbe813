/* Integration tests: the network thread against the simulator, with every
 * fault the simulator can inject. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "api/aiassist.h"
#include "nettest.h"
#include "simproc.h"
#include "test.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

#define KEY "aai_demo_user"

static simproc sim;
static net_t *net;
static int fault_seq;

static int setup(void **state)
{
    (void)state;
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
    const char *args[] = {"--speed", "20", NULL};
    if (simproc_start(&sim, args) != 0)
        return -1;
    net_config cfg = {0};
    cfg.retry_base_ms = 50;
    cfg.retry_cap_ms = 400;
    net = net_new(&cfg);
    return net ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    net_free(net);
    simproc_stop(&sim);
    return 0;
}

/* Asks the simulator to inject the fault `spec` into this request, `times`
 * times, under a key of its own (so tests never share a fault counter). */
static void add_fault(net_request *req, const char *spec, int times)
{
    char *f = xasprintf("%s;times=%d;key=nt%d-%lld", spec, times, ++fault_seq,
                        (long long)clock_mono_us());
    net_request_add_header(req, "X-Sim-Fault", f);
    free(f);
}

/* A chat request for a reply of exactly `tokens` tokens (the simulator's
 * X-Sim-Tokens), cut at max_tokens. */
static net_request *chat_request_n(bool stream, int max_tokens, int tokens, const char *model)
{
    net_request *r = nt_request(NET_POST, simproc_url(&sim, "/v1/chat/completions"), KEY);
    if (tokens) {
        char n[32];
        snprintf(n, sizeof n, "%d", tokens);
        net_request_add_header(r, "X-Sim-Tokens", n);
    }
    r->stream = stream;
    r->retry_safe = true;
    char *body = xasprintf("{\"model\":\"%s\",\"max_tokens\":%d,\"stream\":%s,"
                           "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about lists\"}]}",
                           model, max_tokens, stream ? "true" : "false");
    net_request_set_body(r, body, strlen(body));
    return r;
}

static net_request *chat_request(bool stream, int max_tokens)
{
    return chat_request_n(stream, max_tokens, 0, "llama-3.1-8b-instant");
}

static void net__gets_a_plain_answer_with_headers(void **state)
{
    (void)state;
    uint64_t id = net_submit(net, nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY));
    assert_true(id > 0);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.last->status, 200);
    assert_non_null(strstr(r.last->body, "\"gpt-4o\""));
    assert_non_null(net_event_header(r.last, "Content-Type"));
    assert_int_equal(r.retries, 0);
    nt_result_free(&r);
}

static void net__reports_http_errors_without_retrying_them(void **state)
{
    (void)state;
    uint64_t id =
        net_submit(net, nt_request(NET_GET, simproc_url(&sim, "/v1/models"), "aai_wrong_key"));
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_HTTP);
    assert_int_equal(r.last->status, 401);
    assert_non_null(strstr(r.last->body, "invalid_api_key"));
    assert_int_equal(r.retries, 0);
    nt_result_free(&r);
}

static void net__streams_events_then_done(void **state)
{
    (void)state;
    uint64_t id = net_submit(net, chat_request(true, 40));
    nt_result r;
    nt_collect(net, id, 15000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.opens, 1);
    assert_int_equal(r.events[0]->kind, NET_EV_OPEN);
    assert_non_null(strstr(net_event_header(r.events[0], "content-type"), "text/event-stream"));
    /* role chunk + 40 tokens + finish chunk (+ usage chunk) + [DONE] */
    assert_true(r.sse >= 43);
    assert_int_equal(r.events[r.n - 2]->kind, NET_EV_SSE);
    const net_sse *last_sse = nt_sse(&r, r.sse - 1);
    assert_string_equal(last_sse->data, "[DONE]");
    assert_int_equal(last_sse->data_len, 6);
    assert_string_equal(last_sse->type, "message");
    assert_string_equal(last_sse->id, "");
    nt_result_free(&r);
}

/* The number of chat completions a simulator has answered. */
static long chats_seen(const simproc *s)
{
    char body[16384];
    if (simproc_admin(s, "GET", "/_sim/stats", NULL, body, sizeof body) != 200)
        return -1;
    const char *p = strstr(body, "\"/v1/chat/completions\":");
    return p ? strtol(p + strlen("\"/v1/chat/completions\":"), NULL, 10) : 0;
}

static nt_result *stream_chat(net_t *n, const char *base, nt_result *r)
{
    ai_client *c = ai_client_new(base, KEY);
    ai_chat_message m = {"user", "Tell me about lists"};
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.messages = &m;
    p.nmessages = 1;
    p.model = "llama-3.1-8b-instant";
    p.max_tokens = 6;
    p.stream = true;
    uint64_t id = net_submit(n, ai_req_chat(c, &p));
    ai_client_free(c);
    nt_collect(n, id, 15000, r);
    return r;
}

static bool has_usage_chunk(const nt_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const net_event *ev = r->events[i];
        for (size_t j = 0; ev->kind == NET_EV_SSE && j < ev->nsse; j++)
            if (strstr(ev->sse[j].data, "\"usage\""))
                return true;
    }
    return false;
}

/* A server that refuses a field the SDK never sends (stream_options)
 * answers 400 naming it: the chat goes again at once with the fallback
 * body, and later chats to that URL go without the field from the start.
 * Another URL still gets it; a 400 about something else is no fallback. */
static void net__a_refused_optional_field_is_dropped_and_remembered(void **state)
{
    (void)state;
    simproc strict;
    const char *args[] = {"--speed", "0", "--refuse-field", "stream_options", NULL};
    assert_int_equal(simproc_start(&strict, args), 0);
    net_config cfg = {0};
    cfg.retry_base_ms = 50;
    net_t *n = net_new(&cfg);
    assert_non_null(n);

    nt_result r;
    stream_chat(n, strict.base_url, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.retries, 1);
    assert_int_equal(r.events[0]->kind, NET_EV_RETRY);
    assert_true(r.events[0]->fell_back);
    assert_int_equal(r.events[0]->status, 400);
    assert_int_equal(r.events[0]->delay_ms, 0);
    assert_true(r.events[0]->not_processed);
    assert_false(has_usage_chunk(&r)); /* no stream_options, no usage */
    nt_result_free(&r);
    assert_int_equal(chats_seen(&strict), 2);

    stream_chat(n, strict.base_url, &r);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.retries, 0);
    nt_result_free(&r);
    assert_int_equal(chats_seen(&strict), 3);

    /* Remembered for that URL only. */
    stream_chat(n, sim.base_url, &r);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.retries, 0);
    assert_true(has_usage_chunk(&r));
    nt_result_free(&r);

    /* A 400 that names another field is the caller's to see. */
    net_request *bad = nt_request(NET_POST, simproc_url(&strict, "/v1/chat/completions"), KEY);
    const char *b = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":9,"
                    "\"stream\":true}";
    net_request_set_body(bad, xstrdup(b), strlen(b));
    net_request_set_fallback(bad, xstrdup(b), strlen(b), "stream_options");
    bad->stream = true;
    bad->retry_safe = true;
    uint64_t id = net_submit(n, bad);
    nt_collect(n, id, 15000, &r);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->status, 400);
    assert_int_equal(r.retries, 0);
    assert_non_null(strstr(r.last->body, "temperature"));
    nt_result_free(&r);

    net_free(n);
    simproc_stop(&strict);
}

static void net__runs_sixteen_streams_at_once(void **state)
{
    (void)state;
    uint64_t ids[16];
    size_t sse[16] = {0};
    int done = 0;
    for (int i = 0; i < 16; i++)
        ids[i] = net_submit(net, chat_request(true, 30));
    int64_t until = clock_mono_ms() + 30000;
    while (done < 16 && clock_mono_ms() < until) {
        net_event *ev = net_wait_event(net, 1000);
        if (!ev)
            continue;
        for (int i = 0; i < 16; i++) {
            if (ev->id != ids[i])
                continue;
            if (ev->kind == NET_EV_SSE)
                sse[i] += ev->nsse;
            if (ev->kind == NET_EV_DONE)
                done++;
            assert_true(ev->kind == NET_EV_SSE || ev->kind == NET_EV_OPEN ||
                        ev->kind == NET_EV_DONE);
        }
        net_event_free(ev);
    }
    assert_int_equal(done, 16);
    for (int i = 0; i < 16; i++)
        assert_true(sse[i] >= 33);
    assert_int_equal(net_pending(net), 0);
}

static void net__cancel_stops_a_stream_at_once(void **state)
{
    (void)state;
    uint64_t id = net_submit(net, chat_request_n(true, 2000, 2000, "pin:operator-alias/llama3"));
    int64_t until = clock_mono_ms() + 10000;
    net_event *ev = NULL;
    while (clock_mono_ms() < until) {
        ev = net_wait_event(net, 1000);
        if (ev && ev->id == id && ev->kind == NET_EV_SSE)
            break;
        net_event_free(ev);
        ev = NULL;
    }
    assert_non_null(ev);
    net_event_free(ev);
    int64_t t0 = clock_mono_ms();
    net_cancel(net, id);
    nt_result r;
    nt_collect(net, id, 5000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_CANCELLED);
    assert_true(clock_mono_ms() - t0 < 1000);
    nt_result_free(&r);
    /* Nothing more arrives for it. */
    ev = net_wait_event(net, 300);
    if (ev)
        assert_int_not_equal(ev->id, id);
    net_event_free(ev);
}

static void net__retries_a_503_then_succeeds(void **state)
{
    (void)state;
    net_request *req = nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY);
    add_fault(req, "status=503", 1);
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.retries, 1);
    assert_int_equal(r.events[0]->kind, NET_EV_RETRY);
    assert_int_equal(r.events[0]->status, 503);
    assert_int_equal(r.events[0]->attempt, 1);
    nt_result_free(&r);
}

static void net__honours_retry_after_on_429(void **state)
{
    (void)state;
    net_request *req = nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY);
    add_fault(req, "status=429;retry_after=1", 1);
    int64_t t0 = clock_mono_ms();
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.retries, 1);
    assert_int_equal(r.events[0]->delay_ms, 1000);
    assert_true(clock_mono_ms() - t0 >= 950);
    nt_result_free(&r);
}

static void net__gives_up_after_max_retries(void **state)
{
    (void)state;
    net_request *req = nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY);
    req->max_retries = 2;
    add_fault(req, "status=502", 10);
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->status, 502);
    assert_int_equal(r.retries, 2);
    nt_result_free(&r);
}

static void net__does_not_retry_a_stream_dropped_after_delivery(void **state)
{
    (void)state;
    net_request *req = chat_request(true, 200);
    add_fault(req, "drop_after=5", 1);
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_DROPPED);
    assert_true(r.last->delivered);
    assert_int_equal(r.sse, 5);
    assert_int_equal(r.retries, 0);
    nt_result_free(&r);
}

/* Creates a workspace on s (body: the create body) and copies its id. */
static void create_ws(const simproc *s, const char *json, char *wsid, size_t n)
{
    net_request *req = nt_request(NET_POST, simproc_url(s, "/api/workspaces"), KEY);
    char *body = xstrdup(json);
    net_request_set_body(req, body, strlen(body));
    req->retry_safe = false;
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    const char *p = strstr(r.last->body, "\"id\": \"ws_");
    if (!p)
        p = strstr(r.last->body, "\"id\":\"ws_");
    assert_non_null(p);
    p = strstr(p, "ws_");
    size_t k = 0;
    while (p[k] && p[k] != '"' && k < n - 1) {
        wsid[k] = p[k];
        k++;
    }
    wsid[k] = '\0';
    nt_result_free(&r);
}

/* How often text occurs in the history of workspace wsid on s. */
static int history_count(const simproc *s, const char *wsid, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "/api/workspaces/%s/messages", wsid);
    uint64_t id = net_submit(net, nt_request(NET_GET, simproc_url(s, path), KEY));
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    int n = 0;
    for (const char *p = r.last->body; (p = strstr(p, text)) != NULL; p++)
        n++;
    nt_result_free(&r);
    return n;
}

static void net__never_repeats_a_post_that_reached_the_server(void **state)
{
    (void)state;
    /* Create a workspace, then send a message whose answer is cut off. */
    char wsid[64];
    create_ws(&sim, "{\"client_id\":\"nt-once\"}", wsid, sizeof wsid);

    char path[128];
    snprintf(path, sizeof path, "/api/workspaces/%s/messages", wsid);
    net_request *req = nt_request(NET_POST, simproc_url(&sim, path), KEY);
    add_fault(req, "drop_after=0", 5);
    char *body = xstrdup("{\"content\":\"only once please\"}");
    net_request_set_body(req, body, strlen(body));
    req->retry_safe = false;
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 15000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_false(r.last->not_processed);
    assert_int_equal(r.retries, 0);
    nt_result_free(&r);
    assert_int_equal(history_count(&sim, wsid, "only once please"), 1);
}

static void net__a_post_on_a_reused_connection_that_died_is_not_repeated(void **state)
{
    (void)state;
    /* The server records the message and dies before answering, on a
     * kept-alive connection. libcurl then repeats the request by itself on
     * a fresh connection, which is refused: "could not connect", although
     * the server got it. Neither libcurl's retry nor ours may go further. */
    char dir[256], statefile[300], port[16];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/aidesk-nt-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(statefile, sizeof statefile, "%s/state.json", dir);
    simproc own;
    const char *args[] = {"--speed", "20", "--state", statefile, NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    snprintf(port, sizeof port, "%d", own.port);

    char wsid[64];
    create_ws(&own, "{\"metadata\":{\"mode\":\"takeover\"}}", wsid, sizeof wsid);
    assert_int_equal(history_count(&own, wsid, "exactly once"), 0); /* a GET, kept alive */

    char path[128];
    snprintf(path, sizeof path, "/api/workspaces/%s/messages", wsid);
    net_request *req = nt_request(NET_POST, simproc_url(&own, path), KEY);
    net_request_add_header(req, "X-Sim-Fault", "crash_after_apply;reused_only");
    char *body = xstrdup("{\"content\":\"exactly once\"}");
    net_request_set_body(req, body, strlen(body));
    req->retry_safe = false;
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 15000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.retries, 0);
    assert_false(r.last->not_processed);
    assert_int_equal(r.last->fail, NET_FAIL_DROPPED); /* not "could not connect" */
    assert_non_null(strstr(r.last->message, "after the request went out"));
    nt_result_free(&r);

    /* Back on the same port with the same state: the message is there,
     * once. */
    simproc_stop(&own);
    const char *args2[] = {"--speed", "20", "--state", statefile, "--port", port, NULL};
    assert_int_equal(simproc_start(&own, args2), 0);
    assert_int_equal(history_count(&own, wsid, "exactly once"), 1);
    simproc_stop(&own);
    unlink(statefile);
    rmdir(dir);
}

static void net__fails_a_stalled_stream(void **state)
{
    (void)state;
    net_request *req = chat_request(true, 100);
    req->timeout_ms = 800;
    add_fault(req, "stall_after=3;stall=5000", 1);
    int64_t t0 = clock_mono_ms();
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_STALL);
    assert_true(r.last->delivered);
    assert_true(clock_mono_ms() - t0 < 4000);
    nt_result_free(&r);
}

static void net__refuses_an_event_over_the_cap(void **state)
{
    (void)state;
    net_request *req = chat_request(true, 50);
    req->max_event = 64 * 1024;
    add_fault(req, "huge_line", 1);
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 15000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_TOO_LARGE);
    assert_non_null(strstr(r.last->message, "larger than"));
    nt_result_free(&r);
}

static void net__delivers_a_malformed_chunk_as_data(void **state)
{
    (void)state;
    net_request *req = chat_request(true, 20);
    add_fault(req, "malformed=3", 1);
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 15000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    int broken = 0;
    for (size_t k = 0; k < r.sse; k++) {
        const net_sse *e = nt_sse(&r, k);
        if (e->data[0] == '{' && e->data[e->data_len - 1] != '}')
            broken++;
    }
    assert_int_equal(broken, 1);
    nt_result_free(&r);
}

static void net__survives_a_one_byte_drip(void **state)
{
    (void)state;
    net_request *req = chat_request(true, 8);
    add_fault(req, "drip", 1);
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 30000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_true(r.sse >= 11);
    assert_string_equal(nt_sse(&r, r.sse - 1)->data, "[DONE]");
    nt_result_free(&r);
}

static void net__retries_connection_refused_then_fails(void **state)
{
    (void)state;
    net_request *req = nt_request(NET_GET, "http://127.0.0.1:1/v1/models", KEY);
    req->max_retries = 2;
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_CONNECT);
    assert_true(r.last->not_processed);
    assert_int_equal(r.retries, 2);
    assert_int_equal(r.events[0]->fail, NET_FAIL_CONNECT);
    nt_result_free(&r);
}

static void net__refuses_plain_http_unless_allowed(void **state)
{
    (void)state;
    net_request *req = nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY);
    req->allow_http = false;
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 5000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_REFUSED);
    assert_int_equal(r.retries, 0);
    nt_result_free(&r);
}

static void net__back_pressure_loses_nothing(void **state)
{
    (void)state;
    /* A tiny queue forces the transfer to pause again and again. */
    net_config cfg = {0};
    cfg.max_queued_bytes = 4096;
    net_t *small = net_new(&cfg);
    assert_non_null(small);
    net_request *req = chat_request_n(true, 3000, 3000, "llama-3.1-8b-instant");
    req->tag = 7;
    uint64_t id = net_submit(small, req);
    size_t sse = 0;
    bool done = false;
    int64_t until = clock_mono_ms() + 30000;
    while (!done && clock_mono_ms() < until) {
        net_event *ev = net_wait_event(small, 1000);
        if (!ev)
            continue;
        assert_int_equal(ev->id, id);
        assert_int_equal(ev->tag, 7);
        if (ev->kind == NET_EV_SSE)
            sse += ev->nsse;
        done = ev->kind == NET_EV_DONE;
        assert_true(ev->kind != NET_EV_FAILED);
        net_event_free(ev);
    }
    assert_true(done);
    assert_true(sse >= 3003);
    net_free(small);
}

static void net__wakes_the_poll_fd_only_when_events_wait(void **state)
{
    (void)state;
    struct pollfd_like {
        int fd;
    } p = {net_wake_fd(net)};
    assert_true(p.fd >= 0);
    while (net_next_event(net))
        ;
    uint64_t id = net_submit(net, nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY));
    nt_result r;
    nt_collect(net, id, 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    nt_result_free(&r);
    /* Drained: the pipe holds nothing. */
    char c;
    assert_int_equal(read(p.fd, &c, 1), -1);
}

/* A sink that keeps what it was given, for the tests below. */
typedef struct kept {
    buf_t got;
    int pushes, restarts;
} kept;

static void kept_push(void *st, const char *p, size_t n)
{
    kept *k = st;
    buf_append(&k->got, p, n);
    k->pushes++;
}

static void kept_restart(void *st)
{
    kept *k = st;
    buf_clear(&k->got);
    k->restarts++;
}

static void kept_free(void *st)
{
    kept *k = st;
    buf_free(&k->got);
    free(k);
}

static net_sink *kept_sink(kept **k)
{
    *k = xcalloc(1, sizeof **k);
    net_sink *s = xcalloc(1, sizeof *s);
    s->state = *k;
    s->push = kept_push;
    s->restart = kept_restart;
    s->free = kept_free;
    return s;
}

/* A body read as it comes goes to the sink, not a buffer; an attempt cut
 * half way is forgotten, so the sink has the one whole answer. */
static void net__a_sink_gets_the_body_of_the_attempt_that_ended(void **state)
{
    (void)state;
    nt_result whole;
    nt_collect(net, net_submit(net, nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY)),
               10000, &whole);
    assert_non_null(whole.last);
    assert_int_equal(whole.last->kind, NET_EV_DONE);
    net_request *req = nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY);
    req->retry_safe = true;
    add_fault(req, "cut_at_byte=40", 1);
    kept *k;
    net_request_set_sink(req, kept_sink(&k));
    nt_result r;
    nt_collect(net, net_submit(net, req), 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.retries, 1);
    assert_null(r.last->body);
    assert_true(r.last->sink && r.last->sink->state == k);
    assert_int_equal(k->restarts, 1);
    assert_int_equal(k->got.len, whole.last->body_len);
    assert_memory_equal(k->got.data, whole.last->body, k->got.len);
    nt_result_free(&r);
    nt_result_free(&whole);
}

/* Dropped part way and not retried: a failure, not the part that came
 * (which the sink, freed with the request, never hands on). */
static void net__a_sink_answer_cut_short_fails(void **state)
{
    (void)state;
    net_request *req = nt_request(NET_GET, simproc_url(&sim, "/v1/models"), KEY);
    req->max_retries = 0;
    add_fault(req, "cut_at_byte=40", 1);
    kept *k;
    net_request_set_sink(req, kept_sink(&k));
    nt_result r;
    nt_collect(net, net_submit(net, req), 10000, &r);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_FAILED);
    assert_int_equal(r.last->fail, NET_FAIL_DROPPED);
    assert_null(r.last->sink);
    nt_result_free(&r);
}

/* A server of one answer: it takes one connection, reads the request's
 * head and sends its answer in one write. */
typedef struct one_shot {
    int fd, port;
    const char *answer;
    size_t len;
    pthread_t thread;
} one_shot;

static void *one_shot_main(void *arg)
{
    one_shot *s = arg;
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char req[4096];
    size_t got = 0;
    while (got < sizeof req - 1) {
        ssize_t k = read(c, req + got, sizeof req - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
        req[got] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    ssize_t w = write(c, s->answer, s->len);
    (void)w;
    close(c); /* the request was read whole (a GET): no reset */
    return NULL;
}

static void one_shot_start(one_shot *s, const char *answer, size_t len)
{
    s->answer = answer;
    s->len = len;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(s->fd, 4), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&sa, &sl), 0);
    s->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, one_shot_main, s), 0);
}

static void one_shot_stop(one_shot *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

/* Servers send an event per HTTP chunk; what one read brings is still one
 * NET_EV_SSE (one allocation, one hand-over), its events in order. */
static void net__hands_over_what_one_read_brings_as_one_event(void **state)
{
    (void)state;
    buf_t answer = BUF_INIT;
    buf_append_str(&answer, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 200; i++) {
        char ev[64];
        int n = snprintf(ev, sizeof ev, "%sdata: {\"n\":%d}\n\n", i == 100 ? "event: other\n" : "", i);
        buf_printf(&answer, "%x\r\n%s\r\n", n, ev);
    }
    buf_append_str(&answer, "0\r\n\r\n");
    one_shot srv;
    one_shot_start(&srv, answer.data, answer.len);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/events", srv.port);
    net_request *req = net_request_new(NET_GET, url);
    req->allow_http = true;
    req->stream = true;
    req->max_retries = 0;
    uint64_t id = net_submit(net, req);
    nt_result r;
    nt_collect(net, id, 10000, &r);
    one_shot_stop(&srv);
    buf_free(&answer);
    assert_non_null(r.last);
    assert_int_equal(r.last->kind, NET_EV_DONE);
    assert_int_equal(r.sse, 200);
    for (size_t k = 0; k < 200; k++) {
        char want[32];
        snprintf(want, sizeof want, "{\"n\":%zu}", k);
        const net_sse *e = nt_sse(&r, k);
        assert_string_equal(e->data, want);
        assert_int_equal(e->data_len, strlen(want));
        assert_string_equal(e->type, k == 100 ? "other" : "message");
        assert_string_equal(e->id, "");
    }
    /* One write of a few KiB: one read, perhaps two. */
    if (r.batches > 3)
        fail_msg("200 events in one write came as %zu events", r.batches);
    nt_result_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(net__gets_a_plain_answer_with_headers),
        cmocka_unit_test(net__reports_http_errors_without_retrying_them),
        cmocka_unit_test(net__streams_events_then_done),
        cmocka_unit_test(net__a_refused_optional_field_is_dropped_and_remembered),
        cmocka_unit_test(net__runs_sixteen_streams_at_once),
        cmocka_unit_test(net__cancel_stops_a_stream_at_once),
        cmocka_unit_test(net__retries_a_503_then_succeeds),
        cmocka_unit_test(net__honours_retry_after_on_429),
        cmocka_unit_test(net__gives_up_after_max_retries),
        cmocka_unit_test(net__does_not_retry_a_stream_dropped_after_delivery),
        cmocka_unit_test(net__a_sink_gets_the_body_of_the_attempt_that_ended),
        cmocka_unit_test(net__a_sink_answer_cut_short_fails),
        cmocka_unit_test(net__never_repeats_a_post_that_reached_the_server),
        cmocka_unit_test(net__a_post_on_a_reused_connection_that_died_is_not_repeated),
        cmocka_unit_test(net__fails_a_stalled_stream),
        cmocka_unit_test(net__refuses_an_event_over_the_cap),
        cmocka_unit_test(net__delivers_a_malformed_chunk_as_data),
        cmocka_unit_test(net__survives_a_one_byte_drip),
        cmocka_unit_test(net__retries_connection_refused_then_fails),
        cmocka_unit_test(net__refuses_plain_http_unless_allowed),
        cmocka_unit_test(net__back_pressure_loses_nothing),
        cmocka_unit_test(net__wakes_the_poll_fd_only_when_events_wait),
        cmocka_unit_test(net__hands_over_what_one_read_brings_as_one_event),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
