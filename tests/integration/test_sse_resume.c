/* Integration tests: the manager event stream cut in the middle of an event
 * (the simulator's cut_at_byte fault) while events are being produced.
 * After the reconnect, every event arrives exactly once, in order: through
 * the network thread, and through "aidesk ws watch --json". */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "api/aiassist.h"
#include "test.h"
#include "test_cli_lib.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

#define USER_KEY "aai_demo_user"
#define AGENT_KEY "aai_demo_agent"
/* The simulator's event stream starts with this (docs/protocol.md 4.1). */
#define RETRY_LINE "retry: 2000\n\n"

static simproc sim;
static net_t *net;
static ai_client *user, *agent;

static int setup(void **state)
{
    (void)state;
    if (clit_start_sim(&sim, W("--speed", "50")) != 0)
        return -1;
    net_config cfg = {0};
    cfg.retry_base_ms = 50;
    cfg.retry_cap_ms = 400;
    net = net_new(&cfg);
    user = ai_client_new(sim.base_url, USER_KEY);
    agent = ai_client_new(sim.base_url, AGENT_KEY);
    return net && user && agent ? 0 : -1;
}

static int teardown(void **state)
{
    net_free(net);
    ai_client_free(user);
    ai_client_free(agent);
    return clit_group_teardown(state);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A number from the simulator's stats: a top-level member ("last_event_id")
 * or, with path, that path's request count. */
static long long sim_stat(const char *name, const char *path)
{
    static char buf[1 << 16];
    assert_int_equal(simproc_admin(&sim, "GET", "/_sim/stats", NULL, buf, sizeof buf), 200);
    json_object *o = json_tokener_parse(buf), *v = NULL, *n = NULL;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, name, &v));
    if (path && !json_object_object_get_ex(v, path, &n))
        n = NULL; /* no such request yet */
    long long out = path ? (n ? json_object_get_int64(n) : 0) : json_object_get_int64(v);
    json_object_put(o);
    return out;
}

/* ------------------------------------------------- through the network thread */

/* One event stream and what it delivered. */
typedef struct stream {
    uint64_t req;
    buf_t got;          /* "type|data|id\n" per event */
    char last_id[32];
    int opens, retries;
    bool ended;
    size_t cut;         /* the byte its first connection is cut at (0: none) */
} stream;

static void on_event(stream *ss, size_t n, net_event *ev)
{
    for (size_t i = 0; i < n; i++) {
        stream *s = &ss[i];
        if (s->req != ev->id)
            continue;
        if (ev->kind == NET_EV_OPEN) {
            s->opens++;
        } else if (ev->kind == NET_EV_RETRY) {
            s->retries++;
        } else if (ev->kind == NET_EV_SSE) {
            for (size_t k = 0; k < ev->nsse; k++) {
                const net_sse *e = &ev->sse[k];
                buf_printf(&s->got, "%s|%.*s|%s\n", e->type, (int)e->data_len, e->data, e->id);
                snprintf(s->last_id, sizeof s->last_id, "%s", e->id);
            }
        } else {
            s->ended = true;
        }
    }
    net_event_free(ev);
}

/* Runs a plain request to its end while the streams go on; asserts a 2xx
 * answer and returns its body (caller frees). */
static char *run(net_request *req, stream *ss, size_t n)
{
    assert_non_null(req);
    uint64_t id = net_submit(net, req);
    for (;;) {
        net_event *ev = net_wait_event(net, 15000);
        if (!ev)
            fail_msg("no answer in 15 s");
        if (ev->id != id) {
            on_event(ss, n, ev);
            continue;
        }
        if (ev->kind == NET_EV_DONE) {
            assert_true(ev->status >= 200 && ev->status < 300);
            char *body = xstrdup(ev->body ? ev->body : "");
            net_event_free(ev);
            return body;
        }
        if (ev->kind == NET_EV_FAILED || ev->kind == NET_EV_CANCELLED)
            fail_msg("request failed: %s", ev->message ? ev->message : "(no message)");
        net_event_free(ev);
    }
}

/* Pumps events for ms milliseconds. */
static void pump(stream *ss, size_t n, long ms)
{
    int64_t until = clock_mono_ms() + ms;
    for (long left = ms; left > 0; left = (long)(until - clock_mono_ms())) {
        net_event *ev = net_wait_event(net, left);
        if (ev)
            on_event(ss, n, ev);
    }
}

/* Pumps until every stream has delivered the event with id last, or 20 s. */
static void pump_until_id(stream *ss, size_t n, const char *last)
{
    int64_t until = clock_mono_ms() + 20000;
    for (;;) {
        size_t done = 0;
        for (size_t i = 0; i < n; i++)
            done += !strcmp(ss[i].last_id, last);
        if (done == n)
            return;
        long left = (long)(until - clock_mono_ms());
        if (left <= 0)
            return; /* the comparison that follows says what is missing */
        net_event *ev = net_wait_event(net, left);
        if (ev)
            on_event(ss, n, ev);
    }
}

static char *create_takeover_workspace(stream *ss, size_t n)
{
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "mode", json_object_new_string("takeover"));
    ai_ws_create_params p = {0};
    p.metadata = meta;
    char *body = run(ai_req_ws_create(user, &p), ss, n);
    json_object_put(meta);
    json_object *o = json_tokener_parse(body), *ws, *id;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "workspace", &ws));
    assert_true(json_object_object_get_ex(ws, "id", &id));
    char *out = xstrdup(json_object_get_string(id));
    json_object_put(o);
    free(body);
    return out;
}

static void typing(const char *ws, const char *text, stream *ss, size_t n)
{
    free(run(ai_req_ws_typing(user, ws, text), ss, n));
}

/* The offsets to cut the first connection at: its body is RETRY_LINE, then
 * the events after `since`; the first of them is `first` (its id, type and
 * data as the uncut stream delivered them), the second a typing event with
 * id `second`. */
static size_t plan_cuts(size_t *cut, const char *first_id, const char *first_type,
                        size_t first_data_len, const char *second_id)
{
    size_t base = strlen(RETRY_LINE);
    size_t id_line = strlen("id: \n") + strlen(first_id);
    size_t head = id_line + strlen("event: \n") + strlen(first_type) + strlen("data: ");
    size_t wire = head + first_data_len + 2;
    size_t k = 0;
    cut[k++] = base + 2;                   /* inside the id line */
    cut[k++] = base + id_line;             /* after the id line, before the rest */
    cut[k++] = base + head + 7;            /* in the data */
    cut[k++] = base + wire - 1;            /* just before the blank line */
    cut[k++] = base + wire;                /* just after it: the event is whole */
    cut[k++] = base + wire + strlen("id: \nevent: ") + strlen(second_id) + 2; /* in event 2 */
    return k;
}

/* The ids of the events in a stream's record, space-separated (for a
 * message short enough for cmocka; caller frees). */
static char *ids(const buf_t *got)
{
    buf_t out = BUF_INIT;
    buf_append(&out, "", 0);
    for (const char *l = buf_cstr(got); *l;) {
        const char *nl = strchr(l, '\n');
        const char *bar = nl;
        while (bar > l && bar[-1] != '|')
            bar--;
        buf_printf(&out, "%s%.*s", out.len ? " " : "", (int)(nl - bar), bar);
        l = nl + 1;
    }
    return buf_steal(&out);
}

static void net__delivers_every_event_once_after_a_cut_inside_an_event(void **state)
{
    (void)state;
    enum { NCUT = 6, NLIVE = 8 };
    stream ss[1 + NCUT];
    memset(ss, 0, sizeof ss);
    size_t n = 1 + NCUT;
    char *ws = create_takeover_workspace(ss, 0);
    char since[32];
    snprintf(since, sizeof since, "%lld", sim_stat("last_event_id", NULL));

    /* The reference: the same stream, never cut. */
    ss[0].req = net_submit(net, ai_req_mgr_events(agent, since, ws));
    typing(ws, "the first event, which the cuts fall in", ss, 1);
    int64_t until = clock_mono_ms() + 10000;
    while (ss[0].got.len == 0 && !ss[0].ended && clock_mono_ms() < until)
        pump(ss, 1, 50);
    /* Its one event tells where the bytes of the cut streams fall. */
    const char *line = buf_cstr(&ss[0].got);
    const char *bar1 = strchr(line, '|'), *bar2 = strrchr(line, '|');
    assert_non_null(bar1);
    char first_type[64];
    snprintf(first_type, sizeof first_type, "%.*s", (int)(bar1 - line), line);
    assert_string_equal(first_type, "typing");
    char second_id[32];
    snprintf(second_id, sizeof second_id, "%lld", atoll(ss[0].last_id) + 1);
    size_t cut[NCUT];
    assert_int_equal(plan_cuts(cut, ss[0].last_id, first_type, (size_t)(bar2 - bar1 - 1),
                               second_id), NCUT);

    for (size_t i = 0; i < NCUT; i++) {
        stream *s = &ss[1 + i];
        s->cut = cut[i];
        net_request *r = ai_req_mgr_events(agent, since, ws);
        char *spec = xasprintf("cut_at_byte=%zu;times=1;key=sse-resume-%zu-%s", cut[i], i, ws);
        net_request_add_header(r, "X-Sim-Fault", spec);
        free(spec);
        s->req = net_submit(net, r);
    }
    /* Events keep coming while the streams are cut and reconnect (the first
     * reconnect waits the server's retry: 2 s). The first is a typing event
     * (plan_cuts counts on it). */
    for (int i = 0; i < NLIVE; i++) {
        char text[64];
        snprintf(text, sizeof text, "live event %d", i);
        if (i % 2 == 0) {
            typing(ws, text, ss, n);
        } else {
            free(run(ai_req_ws_send(user, ws, text), ss, n));
        }
        pump(ss, n, 300);
    }
    char last[32];
    snprintf(last, sizeof last, "%lld", sim_stat("last_event_id", NULL));
    pump_until_id(ss, n, last);
    pump(ss, n, 200); /* room for anything repeated after the end */

    /* The reference saw every event made, once: each call made one. */
    assert_string_equal(ss[0].last_id, last);
    assert_int_equal(ss[0].opens, 1);
    assert_int_equal(atoll(last) - atoll(since), 1 + NLIVE);
    size_t lines = 0;
    for (const char *c = buf_cstr(&ss[0].got); (c = strchr(c, '\n')) != NULL; c++)
        lines++;
    assert_int_equal(lines, 1 + NLIVE);
    for (size_t i = 1; i < n; i++) {
        stream *s = &ss[i];
        if (strcmp(buf_cstr(&s->got), buf_cstr(&ss[0].got)) != 0) {
            char *got = ids(&s->got), *want = ids(&ss[0].got);
            fail_msg("cut at byte %zu: the events delivered were [%s] instead of [%s]", s->cut,
                     got, want);
        }
        /* It was cut, once, and reconnected. */
        assert_int_equal(s->opens, 2);
        assert_int_equal(s->retries, 1);
    }
    for (size_t i = 0; i < n; i++)
        net_cancel(net, ss[i].req);
    until = clock_mono_ms() + 5000;
    for (;;) {
        bool all = true;
        for (size_t i = 0; i < n; i++)
            all = all && ss[i].ended;
        if (all || clock_mono_ms() > until)
            break;
        pump(ss, n, 50);
    }
    for (size_t i = 0; i < n; i++) {
        assert_true(ss[i].ended);
        buf_free(&ss[i].got);
    }
    free(ws);
}

/* ------------------------------------------------------ through the CLI */

#define EVENTS_PATH "/api/manager/events"

/* Waits until the simulator has had n requests for the event stream (a
 * count that, unlike active_streams, does not drop when the streams of an
 * earlier test are found closed). */
static void wait_stream_requests(long long n)
{
    int64_t until = clock_mono_ms() + 15000;
    while (sim_stat("requests", EVENTS_PATH) < n) {
        if (clock_mono_ms() > until)
            fail_msg("the watchers never connected");
        sleep_ms(20);
    }
}

static void watch__prints_every_event_once_after_a_cut_inside_an_event(void **state)
{
    (void)state;
    enum { NWATCH = 4, NEVENTS = 8 };
    clit_res r;
    clit_run(&r, NULL, NULL,
             W("--json", "ws", "create", "--mode", "takeover", "--client-id", "cli-cut"));
    CLIT_EXPECT(r, 0, "\"workspace\":{", NULL);
    char *ws = clit_json_str(r.out, "workspace.id");
    assert_non_null(ws);
    clit_res_free(&r);
    long long since = sim_stat("last_event_id", NULL);
    char since_s[32], first_id[32];
    snprintf(since_s, sizeof since_s, "%lld", since);
    snprintf(first_id, sizeof first_id, "%lld", since + 1);

    /* One cut per watcher, each in the first event: inside its id line,
     * after it, in the event line, in the data. Each watcher's first
     * connection takes one (times=1); the reconnects are not cut. */
    size_t base = strlen(RETRY_LINE), id_line = strlen("id: \n") + strlen(first_id);
    size_t cuts[NWATCH] = {base + 2, base + id_line, base + id_line + 3,
                           base + id_line + strlen("event: typing\ndata: ") + 5};
    for (int i = 0; i < NWATCH; i++) {
        char spec[96];
        snprintf(spec, sizeof spec, "path=/api/manager/events;times=1;cut_at_byte=%zu", cuts[i]);
        clit_fault(&sim, spec);
    }
    long long before = sim_stat("requests", EVENTS_PATH);
    clit_proc p[NWATCH];
    for (int i = 0; i < NWATCH; i++)
        assert_int_equal(clit_spawn(&p[i], NULL, W("ws", "watch", "--json", "--workspace", ws,
                                                   "--since", since_s)),
                         0);
    wait_stream_requests(before + NWATCH);

    /* Events while the watchers are cut and reconnect. */
    for (int i = 0; i < NEVENTS; i++) {
        char text[48];
        snprintf(text, sizeof text, "watched typing %d", i);
        clit_run(&r, NULL, NULL, W("-q", "ws", "typing", ws, text));
        CLIT_EXPECT(r, 0, NULL, NULL);
        clit_res_free(&r);
        sleep_ms(250);
    }
    /* Each typing call made exactly one event: since+1 .. since+NEVENTS. */
    assert_int_equal(sim_stat("last_event_id", NULL), since + NEVENTS);
    char last_text[48];
    snprintf(last_text, sizeof last_text, "watched typing %d\"", NEVENTS - 1);
    for (int w = 0; w < NWATCH; w++) {
        assert_true(clit_wait_out(&p[w], last_text, 15000));
        clit_stop(&p[w], SIGTERM, 5000, &r);
        CLIT_EXPECT(r, 0, NULL, "reconnecting in");
        assert_non_null(strstr(r.err, "reconnected; resuming after event"));
        /* Every event once, in order: ids since+1 .. since+NEVENTS. */
        long long want = since + 1;
        char *save = NULL;
        for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            if (strncmp(l, "{\"id\":", 6) != 0)
                fail_msg("watcher %d printed '%s'", w, l);
            if (atoll(l + 6) != want)
                fail_msg("watcher %d: event %lld where %lld was due", w, atoll(l + 6), want);
            char text[48];
            snprintf(text, sizeof text, "\"text\":\"watched typing %lld\"", want - since - 1);
            assert_non_null(strstr(l, text));
            want++;
        }
        assert_int_equal(want, since + NEVENTS + 1);
        clit_res_free(&r);
    }
    free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(net__delivers_every_event_once_after_a_cut_inside_an_event,
                               clit_fresh),
        cmocka_unit_test_setup(watch__prints_every_event_once_after_a_cut_inside_an_event,
                               clit_fresh),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown) ? 1 : 0;
}
