/* net/netpoll: libcurl driven by socket, against the simulator. The
 * network thread's own tests (test_net) run every fault through it; these
 * hold the pieces the thread relies on. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "net/netpoll.h"
#include "simproc.h"
#include "test.h"
#include "util/clock.h"

static simproc sim;

static int setup(void **state)
{
    (void)state;
    return simproc_start(&sim, NULL);
}

static int teardown(void **state)
{
    (void)state;
    simproc_stop(&sim);
    return 0;
}

static size_t keep(char *p, size_t size, size_t n, void *ud)
{
    size_t *got = ud;
    (void)p;
    *got += size * n;
    return size * n;
}

/* Runs every transfer of multi to its end with nothing but net_poll:
 * how many finished with HTTP 200. */
static int run_all(CURLM *multi, net_poll *p, int want)
{
    int ok = 0, done = 0;
    int64_t until = clock_mono_ms() + 20000;
    while (done < want && clock_mono_ms() < until) {
        net_poll_run(p);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            long status = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            ok += m->data.result == CURLE_OK && status == 200;
            done++;
        }
        if (done < want)
            net_poll_wait(p, NULL, 0, (int)net_poll_timeout_ms(p, 1000), 0);
    }
    return ok;
}

static void netpoll__drives_transfers_by_socket_and_lets_their_sockets_go(void **state)
{
    (void)state;
    CURLM *multi = curl_multi_init();
    net_poll *p = net_poll_new(multi);
    assert_non_null(p);
    enum { N = 6 };
    CURL *e[N];
    size_t got[N] = {0};
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer aai_demo_agent");
    for (int i = 0; i < N; i++) {
        e[i] = curl_easy_init();
        curl_easy_setopt(e[i], CURLOPT_URL, simproc_url(&sim, "/v1/models"));
        curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, keep);
        curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &got[i]);
        curl_easy_setopt(e[i], CURLOPT_FORBID_REUSE, 1L);
        assert_int_equal(curl_multi_add_handle(multi, e[i]), CURLM_OK);
    }
    /* Nothing is watched before libcurl has connected anything. */
    assert_int_equal(net_poll_nsockets(p), 0);
    assert_int_equal(run_all(multi, p, N), N);
    for (int i = 0; i < N; i++) {
        assert_true(got[i] > 0); /* the answers were read, not only their headers */
        curl_multi_remove_handle(multi, e[i]);
        curl_easy_cleanup(e[i]);
    }
    /* Connections not kept: libcurl has asked us to forget every socket. */
    assert_int_equal(net_poll_nsockets(p), 0);
    curl_slist_free_all(h);
    net_poll_free(p);
    curl_multi_cleanup(multi);
}

static void *kick_later(void *arg)
{
    usleep(100 * 1000);
    net_poll_kick(arg);
    return NULL;
}

static void netpoll__a_kick_from_another_thread_ends_a_wait_without_limit(void **state)
{
    (void)state;
    CURLM *multi = curl_multi_init();
    net_poll *p = net_poll_new(multi);
    assert_non_null(p);
    /* Many kicks before a wait: one wait ends, the next one does not see
     * them again (one byte at most waits in the pipe). */
    for (int i = 0; i < 1000; i++)
        net_poll_kick(p);
    int64_t t0 = clock_mono_ms();
    net_poll_wait(p, NULL, 0, 5000, 0);
    assert_true(clock_mono_ms() - t0 < 4000);
    t0 = clock_mono_ms();
    net_poll_wait(p, NULL, 0, 200, 0);
    assert_true(clock_mono_ms() - t0 >= 150); /* nothing left to end it */
    /* A wait without limit ends when another thread kicks, also while it
     * is gathering. */
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, kick_later, p), 0);
    net_poll_wait(p, NULL, 0, -1, 0);
    pthread_join(th, NULL);
    assert_int_equal(pthread_create(&th, NULL, kick_later, p), 0);
    t0 = clock_mono_ms();
    net_poll_wait(p, NULL, 0, -1, 4000);
    pthread_join(th, NULL);
    assert_true(clock_mono_ms() - t0 < 3000);
    net_poll_free(p);
    curl_multi_cleanup(multi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(netpoll__drives_transfers_by_socket_and_lets_their_sockets_go),
        cmocka_unit_test(netpoll__a_kick_from_another_thread_ends_a_wait_without_limit),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
