/* compare.c: time to first token under a twelve-way comparison (issue 5,
 * docs/performance.md).
 *
 * Runs the comparison core the console uses (compare_new_detached, the
 * network thread, the chunk decoder) against the simulator: first one
 * column alone, then twelve columns of the same model at once, R rounds.
 * The simulator gives identical requests identical latency, so every
 * column's time to first token should match the single stream's; the
 * figure is the worst gap of each round, and the median over rounds.
 *
 * That gap includes the simulator's own scheduling (one Python process
 * writing twelve first tokens at once). The simulator reports when it
 * wrote each completion's first token (GET /_sim/stats, first_tokens, on
 * the system's monotonic clock, which this process shares), so the client's
 * own share is measured too: from that write to the network thread having
 * the token. Prints "key value" lines.
 *
 *   bench-compare --url URL [--model M] [--columns N] [--rounds R] [--key KEY] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "api/aiassist.h"
#include "compare/compare.h"
#include "net/net.h"
#include "util/clock.h"

/* The simulator's first-token write time (monotonic ns) for completion id,
 * from /_sim/stats; 0 when unknown. */
static int64_t server_first_ns(const char *url, const char *id)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "curl -s '%s/_sim/stats'", url);
    FILE *f = popen(cmd, "r");
    if (!f)
        return 0;
    static char body[1 << 20];
    size_t n = fread(body, 1, sizeof body - 1, f);
    pclose(f);
    body[n] = '\0';
    char key[128];
    snprintf(key, sizeof key, "\"id\":\"%s\"", id); /* the simulator writes compact JSON */
    const char *p = strstr(body, key);
    if (!p)
        return 0;
    const char *q = strstr(p, "\"first_token_ns\":");
    return q ? strtoll(q + 17, NULL, 10) : 0;
}

/* Runs one turn of n columns of model; fills ttft[] (ms) and the client's
 * share of each (ms: from the server's write to the network thread). */
static int run(net_t *net, const ai_client *ai, const char *url, const char *model_id, size_t n,
               double *ttft, double *client)
{
    const char *models[COMPARE_MAX_COLS];
    for (size_t i = 0; i < n; i++)
        models[i] = model_id;
    compare_t *c = compare_new_detached(net, ai, models, n, false);
    if (!c || !compare_send(c, "How fast are you?"))
        return -1;
    int64_t until = clock_mono_ms() + 60000;
    while (compare_busy(c) && clock_mono_ms() < until) {
        net_event *ev = net_wait_event(net, 1000);
        if (ev && !compare_handle_event(c, ev))
            net_event_free(ev);
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        compare_metrics m;
        compare_col_metrics(c, i, clock_mono_us(), &m);
        if (compare_col_state(c, i) != COMPARE_DONE || m.ttft_us < 0)
            rc = -1;
        ttft[i] = (double)m.ttft_us / 1000.0;
        const char *id = compare_col_completion_id(c, i);
        int64_t server = id ? server_first_ns(url, id) : 0;
        client[i] = server ? (double)(compare_col_first_token_us(c, i) * 1000 - server) / 1e6 : -1;
    }
    compare_free(c);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *url = NULL, *model_id = "gpt-4o-mini", *key = "aai_demo_user";
    int columns = 12, rounds = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--url") && i + 1 < argc)
            url = argv[++i];
        else if (!strcmp(argv[i], "--model") && i + 1 < argc)
            model_id = argv[++i];
        else if (!strcmp(argv[i], "--columns") && i + 1 < argc)
            columns = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--key") && i + 1 < argc)
            key = argv[++i];
        else {
            fprintf(stderr, "usage: bench-compare --url URL [--model M] [--columns N] [--rounds R] [--key KEY]\n");
            return 2;
        }
    }
    if (!url || columns < 1 || columns > COMPARE_MAX_COLS || rounds < 1 || rounds > 50) {
        fprintf(stderr, "bench-compare: --url is required; columns 1-%d, rounds 1-50\n", COMPARE_MAX_COLS);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    net_t *net = net_new(NULL);
    ai_client *ai = ai_client_new(url, key);
    if (!net || !ai) {
        fprintf(stderr, "bench-compare: cannot set up the client\n");
        return 1;
    }
    double gaps[50], shares[50], single = 0;
    printf("columns %d\nrounds %d\nmodel %s\n", columns, rounds, model_id);
    for (int r = 0; r < rounds; r++) {
        double one[1], many[COMPARE_MAX_COLS], c1[1], cm[COMPARE_MAX_COLS];
        if (run(net, ai, url, model_id, 1, one, c1) != 0 ||
            run(net, ai, url, model_id, (size_t)columns, many, cm) != 0) {
            fprintf(stderr, "bench-compare: a run did not complete\n");
            return 1;
        }
        double worst = 0;
        printf("round%d_single_ttft_ms %.3f\nround%d_ttfts_ms", r, one[0], r);
        for (int i = 0; i < columns; i++) {
            double d = many[i] > one[0] ? many[i] - one[0] : one[0] - many[i];
            if (d > worst)
                worst = d;
            printf(" %.3f", many[i]);
        }
        printf("\nround%d_worst_gap_ms %.3f\nround%d_client_share_ms", r, worst, r);
        double share = c1[0];
        for (int i = 0; i < columns; i++) {
            printf(" %.3f", cm[i]);
            if (cm[i] > share)
                share = cm[i];
        }
        printf("\nround%d_worst_client_share_ms %.3f\n", r, share);
        gaps[r] = worst;
        shares[r] = share;
        single = one[0];
    }
    qsort(gaps, (size_t)rounds, sizeof *gaps, cmp_double);
    qsort(shares, (size_t)rounds, sizeof *shares, cmp_double);
    printf("single_ttft_ms %.3f\n", single);
    printf("worst_gap_median_ms %.3f\n", gaps[rounds / 2]);
    printf("worst_gap_min_ms %.3f\n", gaps[0]);
    printf("worst_gap_max_ms %.3f\n", gaps[rounds - 1]);
    printf("worst_client_share_median_ms %.3f\n", shares[rounds / 2]);
    printf("worst_client_share_max_ms %.3f\n", shares[rounds - 1]);
    ai_client_free(ai);
    net_free(net);
    curl_global_cleanup();
    return 0;
}
