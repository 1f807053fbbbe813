/* call.c: a call's time to first audio, and the client's share of it
 * (issue 14, docs/performance.md).
 *
 * Each round creates an AI Gate session on the simulator, calls it over
 * the Realtime WebSocket with the call controller the console and the CLI
 * use (gate/callctl.h, the network thread, the framer, the event
 * decoder), says one line and waits for the reply. Time to first audio is
 * from the turn being sent to the network thread having the first audio
 * delta. The simulator reports when response.create reached it and when
 * it wrote the first audio (GET /_sim/stats, first_tokens, on the
 * monotonic clock this process shares), so the rest is the client's: from
 * the turn being sent to the simulator having it, and from the
 * simulator's write to the controller having decoded the audio. Prints
 * "key value" lines.
 *
 *   bench-call --url URL --realtime WSURL [--rounds R] [--project P] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "api/gate.h"
#include "gate/callctl.h"
#include "net/net.h"
#include "util/clock.h"

/* The simulator's arrival and first-audio times (monotonic ns) for
 * response id; false when unknown. */
static bool server_times(const char *url, const char *id, int64_t *arrived, int64_t *first)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "curl -s '%s/_sim/stats'", url);
    FILE *f = popen(cmd, "r");
    if (!f)
        return false;
    static char body[1 << 20];
    size_t n = fread(body, 1, sizeof body - 1, f);
    pclose(f);
    body[n] = '\0';
    char key[128];
    snprintf(key, sizeof key, "\"id\":\"%s\"", id); /* compact JSON */
    const char *p = strstr(body, key);
    if (!p)
        return false;
    const char *a = strstr(p, "\"arrived_ns\":"), *t = strstr(p, "\"first_token_ns\":");
    if (!a || !t)
        return false;
    *arrived = strtoll(a + 13, NULL, 10);
    *first = strtoll(t + 17, NULL, 10);
    return *arrived > 0 && *first > 0;
}

static net_event *wait_done(net_t *net, uint64_t id)
{
    for (;;) {
        net_event *ev = net_wait_event(net, 30000);
        if (!ev)
            return NULL;
        if (ev->id == id && (ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED ||
                             ev->kind == NET_EV_CANCELLED))
            return ev;
        net_event_free(ev);
    }
}

/* One round: ttfa, client share (ms). 0, or -1 when it did not complete. */
static int round_once(net_t *net, gate_client *g, const char *url, const char *ws, double *ttfa,
                      double *client, double *out_ms, double *in_ms)
{
    gate_session_params p;
    gate_session_params_init(&p);
    net_request *req = gate_req_session(g, &p);
    uint64_t id = net_submit(net, req);
    net_event *ev = wait_done(net, id);
    if (!ev || ev->kind != NET_EV_DONE) {
        net_event_free(ev);
        return -1;
    }
    char *err = NULL;
    gate_session *s = gate_decode_session(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!s) {
        free(err);
        return -1;
    }
    callctl_params cp = {0};
    cp.url = ws;
    cp.session_id = s->id;
    cp.secret = s->client_secret;
    cp.secret_expires_s = s->client_secret_expires_at;
    bool expired;
    callctl *c = callctl_new(net, &cp, clock_wall_ms(), &expired, &err);
    gate_session_free(s);
    if (!c || callctl_say(c, "How fast are you?", &err) != 0) {
        free(err);
        callctl_free(c);
        return -1;
    }
    while (callctl_busy(c) && callctl_info_get(c)->state <= CALL_OPEN) {
        net_event *e = net_wait_event(net, 30000);
        if (!e)
            break;
        if (!callctl_handle(c, e))
            net_event_free(e);
    }
    const callctl_info *in = callctl_info_get(c);
    int rc = -1;
    if (in->nturns && !in->turns[0].failed && in->turns[0].first_audio_us) {
        const callctl_turn *t = &in->turns[0];
        int64_t arrived = 0, first = 0;
        *ttfa = (double)(t->first_audio_us - t->sent_us) / 1000.0;
        if (t->response_id && server_times(url, t->response_id, &arrived, &first)) {
            *out_ms = (double)(arrived - t->sent_us * 1000) / 1e6;
            *in_ms = (double)(t->first_audio_handled_us * 1000 - first) / 1e6;
            *client = *out_ms + *in_ms;
            rc = 0;
        }
    }
    callctl_hangup(c);
    while (callctl_info_get(c)->state <= CALL_OPEN) {
        net_event *e = net_wait_event(net, 5000);
        if (!e)
            break;
        if (!callctl_handle(c, e))
            net_event_free(e);
    }
    callctl_free(c);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *url = NULL, *ws = NULL, *project = "proj_growth";
    int rounds = 10;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--url") && i + 1 < argc)
            url = argv[++i];
        else if (!strcmp(argv[i], "--realtime") && i + 1 < argc)
            ws = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--project") && i + 1 < argc)
            project = argv[++i];
        else {
            fprintf(stderr, "usage: bench-call --url URL --realtime WSURL [--rounds R] [--project P]\n");
            return 2;
        }
    }
    if (!url || !ws || rounds < 1 || rounds > 100) {
        fprintf(stderr, "bench-call: --url and --realtime are required; rounds 1-100\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    net_t *net = net_new(NULL);
    gate_client *g = gate_client_new(url, project);
    if (!net || !g) {
        fprintf(stderr, "bench-call: cannot set up the client\n");
        return 1;
    }
    double ttfa[100], client[100], share[100], outs[100], ins[100];
    printf("rounds %d\n", rounds);
    for (int r = 0; r < rounds; r++) {
        if (round_once(net, g, url, ws, &ttfa[r], &client[r], &outs[r], &ins[r]) != 0) {
            fprintf(stderr, "bench-call: round %d did not complete\n", r);
            return 1;
        }
        share[r] = ttfa[r] > 0 ? 100.0 * client[r] / ttfa[r] : 0;
        printf("round%d_ttfa_ms %.3f\nround%d_client_ms %.3f (out %.3f, in %.3f)\n", r, ttfa[r], r,
               client[r], outs[r], ins[r]);
    }
    qsort(ttfa, (size_t)rounds, sizeof *ttfa, cmp_double);
    qsort(client, (size_t)rounds, sizeof *client, cmp_double);
    qsort(share, (size_t)rounds, sizeof *share, cmp_double);
    printf("ttfa_median_ms %.3f\nttfa_min_ms %.3f\nttfa_max_ms %.3f\n", ttfa[rounds / 2], ttfa[0],
           ttfa[rounds - 1]);
    printf("client_median_ms %.3f\nclient_min_ms %.3f\nclient_max_ms %.3f\n", client[rounds / 2],
           client[0], client[rounds - 1]);
    printf("client_share_median_pct %.2f\n", share[rounds / 2]);
    gate_client_free(g);
    net_free(net);
    curl_global_cleanup();
    return 0;
}
