/* Unit tests for src/api/url.c and src/api/apitime.c: base URLs, escaping,
 * loopback detection, ISO-8601, HTTP dates and Retry-After. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/apitime.h"
#include "api/url.h"
#include "test.h"
#include "util/buf.h"

static void url_join__puts_exactly_one_slash__whatever_the_base_ends_with(void **state)
{
    (void)state;
    const char *bases[] = {"https://api.aiassist.net", "https://api.aiassist.net/",
                           "https://api.aiassist.net///"};
    for (size_t i = 0; i < 3; i++) {
        char *u = api_url_join(bases[i], "/v1/models");
        assert_string_equal(u, "https://api.aiassist.net/v1/models");
        free(u);
    }
    char *u = api_url_join("https://proxy.example/aiassist/", "/api/workspaces");
    assert_string_equal(u, "https://proxy.example/aiassist/api/workspaces");
    free(u);
}

static void url_escape__encodes_everything_but_unreserved__for_user_ids(void **state)
{
    (void)state;
    char *s = api_url_escape("ws_AZaz09-._~");
    assert_string_equal(s, "ws_AZaz09-._~");
    free(s);
    s = api_url_escape("a/b?c#d&e=f g%h");
    assert_string_equal(s, "a%2Fb%3Fc%23d%26e%3Df%20g%25h");
    free(s);
    s = api_url_escape("caf\xC3\xA9\n");
    assert_string_equal(s, "caf%C3%A9%0A");
    free(s);
}

static void url_escape__encodes_dot_segments__so_they_cannot_climb_the_path(void **state)
{
    (void)state;
    char *s = api_url_escape("..");
    assert_string_equal(s, "%2E%2E");
    free(s);
    s = api_url_escape(".");
    assert_string_equal(s, "%2E");
    free(s);
    s = api_url_escape("a..b");
    assert_string_equal(s, "a..b");
    free(s);
}

static void url_add_query__starts_with_question_mark_then_ampersands(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    buf_append_str(&b, "/api/manager/workspaces");
    api_url_add_query(&b, "mode", NULL);
    assert_string_equal(buf_cstr(&b), "/api/manager/workspaces");
    api_url_add_query(&b, "mode", "shadow");
    api_url_add_query(&b, "status", "a&b=c");
    assert_string_equal(buf_cstr(&b), "/api/manager/workspaces?mode=shadow&status=a%26b%3Dc");
    buf_free(&b);
}

static void url_parse__reads_scheme_host_port_and_path(void **state)
{
    (void)state;
    api_url u;
    char *err;
    assert_true(api_url_parse("HTTPS://API.Example.COM:8443/base/", &u, &err));
    assert_string_equal(u.scheme, "https");
    assert_string_equal(u.host, "api.example.com");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.path, "/base");
    assert_false(u.loopback);
    api_url_clear(&u);
    assert_true(api_url_parse("http://[::1]:8080", &u, &err));
    assert_string_equal(u.host, "::1");
    assert_true(u.loopback);
    api_url_clear(&u);
}

static void url_parse__refuses_bad_urls__with_a_reason(void **state)
{
    (void)state;
    const char *bad[] = {
        "ftp://host",          "api.aiassist.net",         "https://user:pw@host",
        "https://host/?q=1",   "https://host/#frag",       "https://",
        "https://host:0",      "https://host:65536",       "https://host:12ab",
        "https://ho st",       "https://host\x1b[31m",     "https://[::1",
        "https://[nonsense]",  "https://h\xC3\xA9st",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        api_url u;
        char *err = NULL;
        assert_false(api_url_parse(bad[i], &u, &err));
        assert_non_null(err);
        assert_true(strlen(err) > 10);
        free(err);
    }
}

static void url_is_loopback__knows_127_8_ipv6_and_localhost(void **state)
{
    (void)state;
    assert_true(api_url_is_loopback("http://127.0.0.1:8080"));
    assert_true(api_url_is_loopback("http://127.255.3.4/"));
    assert_true(api_url_is_loopback("http://localhost:9000"));
    assert_true(api_url_is_loopback("http://LOCALHOST"));
    assert_true(api_url_is_loopback("http://[::1]:1"));
    assert_true(api_url_is_loopback("http://[0:0:0:0:0:0:0:1]"));
    assert_true(api_url_is_loopback("http://[::ffff:127.0.0.1]"));
    assert_false(api_url_is_loopback("http://128.0.0.1"));
    assert_false(api_url_is_loopback("http://localhost.evil.com"));
    assert_false(api_url_is_loopback("http://127.0.0.1.evil.com"));
    assert_false(api_url_is_loopback("http://[::2]"));
    assert_false(api_url_is_loopback("https://api.aiassist.net"));
    assert_false(api_url_is_loopback("not a url"));
}

static void url_origin__drops_path_and_keeps_port(void **state)
{
    (void)state;
    char *o = api_url_origin("https://api.aiassist.net/some/path/");
    assert_string_equal(o, "https://api.aiassist.net");
    free(o);
    o = api_url_origin("http://[::1]:8080/x");
    assert_string_equal(o, "http://[::1]:8080");
    free(o);
    assert_null(api_url_origin("https://user:key@host"));
}

static void time_iso8601__parses_the_forms_servers_send(void **state)
{
    (void)state;
    int64_t ms;
    assert_true(api_time_parse_iso8601("1970-01-01T00:00:00Z", &ms));
    assert_int_equal(ms, 0);
    assert_true(api_time_parse_iso8601("2026-11-21T15:21:00.123Z", &ms));
    assert_int_equal(ms, INT64_C(1795274460123));
    assert_true(api_time_parse_iso8601("2026-11-21T16:21:00.123+01:00", &ms));
    assert_int_equal(ms, INT64_C(1795274460123));
    assert_true(api_time_parse_iso8601("2026-11-21 15:21:00.123456", &ms));
    assert_int_equal(ms, INT64_C(1795274460123));
    assert_true(api_time_parse_iso8601("2024-02-29", &ms));
    assert_int_equal(ms, INT64_C(1709164800000));
    assert_true(api_time_parse_iso8601("2026-11-21T15:21Z", &ms));
    assert_int_equal(ms, INT64_C(1795274460000));
}

static void time_iso8601__rejects_garbage_and_impossible_dates(void **state)
{
    (void)state;
    int64_t ms = 42;
    const char *bad[] = {"", "yesterday", "2026-13-01", "2023-02-29", "2026-11-21T25:00:00Z",
                         "2026-11-21T15:21:00.Z", "2026-11-21T15:21:00Zjunk", "2026-1-2",
                         "2026-11-21T15:21:00+2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(api_time_parse_iso8601(bad[i], &ms));
    assert_int_equal(ms, 42);
}

static void time_http_date__parses_all_three_rfc_forms(void **state)
{
    (void)state;
    int64_t s;
    assert_true(api_time_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &s));
    assert_int_equal(s, 784111777);
    assert_true(api_time_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &s));
    assert_int_equal(s, 784111777);
    assert_true(api_time_parse_http_date("Sun Nov  6 08:49:37 1994", &s));
    assert_int_equal(s, 784111777);
    assert_false(api_time_parse_http_date("Sun, 06 Nov 1994 08:49:37 PST", &s));
    assert_false(api_time_parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT", &s));
    assert_false(api_time_parse_http_date("5", &s));
}

static void retry_after__takes_seconds_or_a_date__and_caps_the_wait(void **state)
{
    (void)state;
    long w;
    assert_true(api_retry_after_parse("4", 0, &w));
    assert_int_equal(w, 4);
    assert_true(api_retry_after_parse("99999999999999999999999", 0, &w));
    assert_int_equal(w, 86400);
    assert_true(api_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", 784111770, &w));
    assert_int_equal(w, 7);
    assert_true(api_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", 784111999, &w));
    assert_int_equal(w, 0);
    assert_false(api_retry_after_parse("-1", 0, &w));
    assert_false(api_retry_after_parse("1.5", 0, &w));
    assert_false(api_retry_after_parse("", 0, &w));
    assert_false(api_retry_after_parse("soon", 0, &w));
}

TEST_MAIN(cmocka_unit_test(url_join__puts_exactly_one_slash__whatever_the_base_ends_with),
          cmocka_unit_test(url_escape__encodes_everything_but_unreserved__for_user_ids),
          cmocka_unit_test(url_escape__encodes_dot_segments__so_they_cannot_climb_the_path),
          cmocka_unit_test(url_add_query__starts_with_question_mark_then_ampersands),
          cmocka_unit_test(url_parse__reads_scheme_host_port_and_path),
          cmocka_unit_test(url_parse__refuses_bad_urls__with_a_reason),
          cmocka_unit_test(url_is_loopback__knows_127_8_ipv6_and_localhost),
          cmocka_unit_test(url_origin__drops_path_and_keeps_port),
          cmocka_unit_test(time_iso8601__parses_the_forms_servers_send),
          cmocka_unit_test(time_iso8601__rejects_garbage_and_impossible_dates),
          cmocka_unit_test(time_http_date__parses_all_three_rfc_forms),
          cmocka_unit_test(retry_after__takes_seconds_or_a_date__and_caps_the_wait))
