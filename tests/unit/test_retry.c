/* Unit tests for the retry policy. */
#include "config.h"

#include <string.h>

#include "net/retry.h"
#include "test.h"

static const retry_policy pol = {3, 500, 8000, 60000};
static const time_t now = 1700000000; /* 2023-11-14T22:13:20Z */

static retry_attempt http(long status)
{
    retry_attempt a;
    memset(&a, 0, sizeof a);
    a.fail = NET_FAIL_HTTP;
    a.status = status;
    a.retry_safe = true;
    a.reached_server = true;
    a.sse_retry_ms = -1;
    return a;
}

static retry_attempt transport(net_fail f, bool reached)
{
    retry_attempt a = http(0);
    a.fail = f;
    a.reached_server = reached;
    return a;
}

static void retry__retries_transient_statuses_and_not_others(void **state)
{
    (void)state;
    long retryable[] = {408, 429, 500, 502, 503, 504};
    for (size_t i = 0; i < sizeof retryable / sizeof *retryable; i++) {
        retry_attempt a = http(retryable[i]);
        assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    }
    long final[] = {400, 401, 403, 404, 409, 422, 501};
    for (size_t i = 0; i < sizeof final / sizeof *final; i++) {
        retry_attempt a = http(final[i]);
        assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    }
}

static void retry__backs_off_exponentially_with_jitter_and_a_cap(void **state)
{
    (void)state;
    retry_attempt a = transport(NET_FAIL_CONNECT, false);
    long want[] = {500, 1000, 2000};
    for (int i = 0; i < 3; i++) {
        a.attempt = i;
        assert_int_equal(retry_decide(&pol, &a, 0, now), want[i]);
    }
    a.attempt = 1;
    long d = retry_decide(&pol, &a, 0.999, now);
    assert_true(d > 750 && d <= 1000); /* at most 25 % less */
    retry_policy many = {20, 500, 8000, 60000};
    a.attempt = 10;
    assert_int_equal(retry_decide(&many, &a, 0, now), 8000);
}

static void retry__stops_after_max_retries(void **state)
{
    (void)state;
    retry_attempt a = http(503);
    a.attempt = 3;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    retry_policy none = {0, 500, 8000, 60000};
    a.attempt = 0;
    assert_int_equal(retry_decide(&none, &a, 0, now), -1);
}

static void retry__honours_retry_after_seconds_date_and_ms(void **state)
{
    (void)state;
    retry_attempt a = http(429);
    a.retry_after = "4";
    assert_int_equal(retry_decide(&pol, &a, 0.5, now), 4000);
    a.retry_after = "Tue, 14 Nov 2023 22:13:27 GMT"; /* now + 7 s */
    assert_int_equal(retry_decide(&pol, &a, 0.5, now), 7000);
    a.retry_after_ms = "250";
    assert_int_equal(retry_decide(&pol, &a, 0.5, now), 250);
    /* Beyond the cap: do not retry now, let the caller say when. */
    a.retry_after_ms = NULL;
    a.retry_after = "3600";
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    /* Garbage falls back to backoff. */
    a.retry_after = "soon";
    assert_int_equal(retry_decide(&pol, &a, 0, now), 500);
}

static void retry__parses_retry_after_forms(void **state)
{
    (void)state;
    assert_int_equal(retry_after_parse_ms("0", now), 0);
    assert_int_equal(retry_after_parse_ms(" 12 ", now), 12000);
    assert_int_equal(retry_after_parse_ms("Tue, 14 Nov 2023 22:13:00 GMT", now), 0); /* past */
    assert_int_equal(retry_after_parse_ms("-1", now), -1);
    assert_int_equal(retry_after_parse_ms("1.5", now), -1);
    assert_int_equal(retry_after_parse_ms("", now), -1);
    assert_int_equal(retry_after_parse_ms("soon", now), -1);
    assert_int_equal(retry_after_parse_ms("Tue, 14 Foo 2023 22:13:27 GMT", now), -1);
    assert_int_equal(retry_after_parse_ms(NULL, now), -1);
    /* libcurl reads dates more leniently than RFC 9110 asks (another
     * zone, here 8 hours behind): a hint, capped whatever it says. */
    assert_int_equal(retry_after_parse_ms("Tue, 14 Nov 2023 22:13:27 PST", now),
                     (8 * 3600 + 7) * 1000L);
}

/* RFC 9110 has a recipient accept all three forms of an HTTP date; the
 * policy (and the console's messages, which read the same function) take
 * each, and no wait longer than a day. */
static void retry__honours_retry_after_in_every_http_date_form__up_to_a_day(void **state)
{
    (void)state;
    static const char *const forms[] = {"Tue, 14 Nov 2023 22:13:27 GMT",
                                        "Tuesday, 14-Nov-23 22:13:27 GMT",
                                        "Tue Nov 14 22:13:27 2023"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        assert_int_equal(retry_after_parse_ms(forms[i], now), 7000);
        retry_attempt a = http(503);
        a.retry_after = forms[i];
        assert_int_equal(retry_decide(&pol, &a, 0.5, now), 7000);
    }
    assert_int_equal(retry_after_parse_ms("Tue Nov  7 22:13:27 2023", now), 0); /* past */
    assert_int_equal(retry_after_parse_ms("172800", now), RETRY_AFTER_MAX_S * 1000);
    assert_int_equal(retry_after_parse_ms("99999999999999999999999", now), RETRY_AFTER_MAX_S * 1000);
    assert_int_equal(retry_after_parse_ms("Thu, 16 Nov 2023 22:13:20 GMT", now),
                     RETRY_AFTER_MAX_S * 1000);
    assert_int_equal(RETRY_AFTER_MAX_S, 86400);
}

static void retry__never_repeats_an_unsafe_post_that_may_have_arrived(void **state)
{
    (void)state;
    retry_attempt a = transport(NET_FAIL_DROPPED, true);
    a.retry_safe = false;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    a = transport(NET_FAIL_TIMEOUT, true);
    a.retry_safe = false;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    a = http(500);
    a.retry_safe = false;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    a = http(502);
    a.retry_safe = false;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    /* ...but it is retried when the server cannot have acted on it. */
    a = transport(NET_FAIL_CONNECT, false);
    a.retry_safe = false;
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    assert_true(retry_not_processed(&a));
    a = http(429);
    a.retry_safe = false;
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    assert_true(retry_not_processed(&a));
}

static void retry__a_connect_failure_after_the_request_went_out_is_not_retried(void **state)
{
    (void)state;
    /* libcurl sent the request on a reused connection, which died; its own
     * retry on a fresh connection could not connect. The error says
     * "could not connect", but the prereq callback had fired. */
    retry_attempt a = transport(NET_FAIL_CONNECT, true);
    a.retry_safe = false;
    assert_false(retry_not_processed(&a));
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    /* A request that is safe to repeat is retried all the same. */
    a.retry_safe = true;
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    /* Dropped, timed out or stalled before anything went out: not acted on. */
    net_fail early[] = {NET_FAIL_DROPPED, NET_FAIL_TIMEOUT, NET_FAIL_STALL};
    for (size_t i = 0; i < 3; i++) {
        a = transport(early[i], false);
        a.retry_safe = false;
        assert_true(retry_not_processed(&a));
        assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    }
}

static void retry__a_gateway_status_is_no_proof_that_nothing_happened(void **state)
{
    (void)state;
    /* A 503 or a 408 may come from a gateway after the backend acted: an
     * unsafe request that got one is not repeated (the SDKs would not
     * repeat a 503 on a send either). A safe one is. */
    long gateway[] = {408, 500, 502, 503, 504};
    for (size_t i = 0; i < sizeof gateway / sizeof *gateway; i++) {
        retry_attempt a = http(gateway[i]);
        a.retry_safe = false;
        assert_false(retry_not_processed(&a));
        assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
        a.retry_safe = true;
        assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    }
    /* A rate limiter refuses before acting: 429 is retried, with its
     * Retry-After. */
    retry_attempt a = http(429);
    a.retry_safe = false;
    a.retry_after = "2";
    assert_int_equal(retry_decide(&pol, &a, 0, now), 2000);
    /* So is anything the server explicitly calls retryable. */
    a = http(503);
    a.retry_safe = false;
    a.should_retry = "true";
    assert_true(retry_not_processed(&a));
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    /* A 4xx answer proves nothing either way for the policy: it is final. */
    a = http(400);
    a.retry_safe = false;
    assert_false(retry_not_processed(&a));
}

static void retry__follows_x_should_retry(void **state)
{
    (void)state;
    retry_attempt a = http(400);
    a.should_retry = "true";
    a.retry_safe = false;
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
    a = http(503);
    a.should_retry = "false";
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
}

static void retry__never_retries_a_stream_that_delivered(void **state)
{
    (void)state;
    retry_attempt a = transport(NET_FAIL_DROPPED, true);
    a.delivered = true;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    a.delivered = false;
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
}

static void retry__reconnects_an_event_source_for_ever(void **state)
{
    (void)state;
    retry_attempt a = transport(NET_FAIL_DROPPED, true);
    a.reconnect = true;
    a.delivered = true;
    a.attempt = 50;
    assert_int_equal(retry_decide(&pol, &a, 0, now), 8000);
    a.attempt = 0;
    a.sse_retry_ms = 2000;
    assert_int_equal(retry_decide(&pol, &a, 0, now), 2000);
    /* ...but not past an answer that will not change. */
    a = http(404);
    a.reconnect = true;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    a = http(401);
    a.reconnect = true;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
}

static void retry__leaves_a_429_alone_when_the_request_asks(void **state)
{
    (void)state;
    retry_attempt a = http(429);
    a.no_429 = true;
    assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    a = http(503);
    a.no_429 = true;
    assert_true(retry_decide(&pol, &a, 0, now) >= 0);
}

static void retry__never_retries_tls_refusals_or_oversize(void **state)
{
    (void)state;
    net_fail fails[] = {NET_FAIL_TLS, NET_FAIL_REFUSED, NET_FAIL_TOO_LARGE, NET_FAIL_INTERNAL};
    for (size_t i = 0; i < 4; i++) {
        retry_attempt a = transport(fails[i], false);
        assert_int_equal(retry_decide(&pol, &a, 0, now), -1);
    }
}

TEST_MAIN(cmocka_unit_test(retry__retries_transient_statuses_and_not_others),
          cmocka_unit_test(retry__backs_off_exponentially_with_jitter_and_a_cap),
          cmocka_unit_test(retry__stops_after_max_retries),
          cmocka_unit_test(retry__honours_retry_after_seconds_date_and_ms),
          cmocka_unit_test(retry__parses_retry_after_forms),
          cmocka_unit_test(retry__honours_retry_after_in_every_http_date_form__up_to_a_day),
          cmocka_unit_test(retry__never_repeats_an_unsafe_post_that_may_have_arrived),
          cmocka_unit_test(retry__a_connect_failure_after_the_request_went_out_is_not_retried),
          cmocka_unit_test(retry__a_gateway_status_is_no_proof_that_nothing_happened),
          cmocka_unit_test(retry__follows_x_should_retry),
          cmocka_unit_test(retry__never_retries_a_stream_that_delivered),
          cmocka_unit_test(retry__reconnects_an_event_source_for_ever),
          cmocka_unit_test(retry__leaves_a_429_alone_when_the_request_asks),
          cmocka_unit_test(retry__never_retries_tls_refusals_or_oversize))
