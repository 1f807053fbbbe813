/* Unit tests for src/api/url.c and src/api/apitime.c: request URLs
 * (joining, escaping, queries) and ISO-8601 times. Base URLs are in
 * test_baseurl.c, Retry-After in test_retry.c. */
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

TEST_MAIN(cmocka_unit_test(url_join__puts_exactly_one_slash__whatever_the_base_ends_with),
          cmocka_unit_test(url_escape__encodes_everything_but_unreserved__for_user_ids),
          cmocka_unit_test(url_escape__encodes_dot_segments__so_they_cannot_climb_the_path),
          cmocka_unit_test(url_add_query__starts_with_question_mark_then_ampersands),
          cmocka_unit_test(time_iso8601__parses_the_forms_servers_send),
          cmocka_unit_test(time_iso8601__rejects_garbage_and_impossible_dates))
