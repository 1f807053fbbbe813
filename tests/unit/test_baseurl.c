/* Unit tests for src/util/baseurl.c: the one policy for base URLs, which
 * the configuration, the API clients and the messages all go by. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/baseurl.h"
#include "util/mem.h"

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        if (!strstr((hay), (needle)))                                                              \
            fail_msg("'%s' does not contain '%s'", (hay), (needle));                               \
    } while (0)

static void baseurl__allows_http_only_for_this_machine_unless_allowed(void **state)
{
    (void)state;
    static const char *const loopback[] = {"http://127.0.0.1:8080",    "http://127.9.8.7",
                                           "http://localhost/v1",      "http://LOCALHOST:1",
                                           "http://[::1]:8443/",       "http://[::ffff:127.0.0.1]",
                                           "http://[0:0:0:0:0:0:0:1]", "http://localhost."};
    for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++) {
        char *out = NULL, *err = NULL;
        if (baseurl_check(loopback[i], false, &out, &err) != 0)
            fail_msg("%s refused: %s", loopback[i], err);
        assert_true(baseurl_is_loopback(loopback[i]));
        free(out);
    }
    char *out = NULL, *err = NULL;
    assert_int_equal(baseurl_check("http://api.example.com", false, &out, &err), -1);
    assert_contains(err, "uses http:// with a host that is not this machine");
    assert_contains(err, "allow_http");
    free(err);
    assert_int_equal(baseurl_check("http://api.example.com", true, &out, &err), 0);
    assert_string_equal(out, "http://api.example.com");
    free(out);
}

/* The host judged is the one libcurl connects to, however it is spelled:
 * an address libcurl reads as 127.0.0.1 is this machine, and a name that
 * only looks like one is not. */
static void baseurl__judges_the_host_libcurl_connects_to(void **state)
{
    (void)state;
    assert_true(baseurl_is_loopback("http://127.1:8080"));
    assert_true(baseurl_is_loopback("http://0x7f.0.0.1/v1"));
    assert_int_equal(baseurl_check("http://127.1:8080", false, NULL, NULL), 0);
    static const char *const remote[] = {
        "http://128.0.0.1",          "http://localhost.evil.com", "http://127.0.0.1.evil.com",
        "http://[::2]",              "https://api.aiassist.net",  "not a url",
        "http://localhost.example",
    };
    for (size_t i = 0; i < sizeof remote / sizeof *remote; i++)
        if (baseurl_is_loopback(remote[i]))
            fail_msg("%s taken for this machine", remote[i]);
    assert_false(baseurl_is_loopback(NULL));
}

static void baseurl__refuses_bad_syntax_and_user_info__with_a_reason(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        const char *msg;
    } bad[] = {
        {"https://user:hunter2@api.example", "must not contain user info"},
        {"https:/user:hunter2@api.example", "must start with https://"},
        {"https://api.example/v1?x=1", "must not contain a query"},
        {"https://api.example/#top", "must not contain a query (?) or fragment"},
        {"api.example", "must start with https://"},
        {"ftp://api.example", "must start with https://"},
        {"https://", "bad or missing host"},
        {"https://:443", "bad or missing host"},
        {"https://-x.example", "bad or missing host"},
        {"https://x-.example", "bad or missing host"},
        {"https://a..example", "bad or missing host"},
        {"https://[::zz]", "bad or missing host"},
        {"https://[::1", "bad or missing host"},
        {"https://[nonsense]", "bad or missing host"},
        {"https://[fe80::1%25eth0]", "bad or missing host"},
        {"https://ho st", "bad or missing host"},
        {"https://host\x1b[31m", "bad or missing host"},
        {"https://h\xC3\xA9st", "bad or missing host"},
        {"https://ho%73t", "bad or missing host"},
        {"https://api.example:0", "bad port"},
        {"https://api.example:65536", "bad port"},
        {"https://api.example:12ab", "bad port"},
        {"https://api.example:", "bad port"},
        {"https://api.example/a b", "not allowed in a URL path"},
        {"https://api.example/%zz", "not allowed in a URL path"},
        {"https://api.example/a%2", "not allowed in a URL path"},
        {"https://api.example/{x}", "not allowed in a URL path"},
        {"", "empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *out = NULL, *err = NULL;
        if (baseurl_check(bad[i].url, true, &out, &err) != -1)
            fail_msg("%s accepted as %s", bad[i].url, out);
        assert_null(out);
        assert_contains(err, bad[i].msg);
        assert_null(strstr(err, "hunter2"));
        assert_null(strchr(err, '\x1b'));
        free(err);
        assert_null(baseurl_origin(bad[i].url));
    }
    /* err may be NULL: the verdict alone. */
    assert_int_equal(baseurl_check("ftp://x", true, NULL, NULL), -1);
}

static void baseurl__refuses_a_url_longer_than_the_limit(void **state)
{
    (void)state;
    size_t n = BASEURL_MAX + 1;
    char *url = xmalloc(n + 1);
    memcpy(url, "https://api.example/", 20);
    memset(url + 20, 'a', n - 20);
    url[n] = '\0';
    char *err = NULL;
    assert_int_equal(baseurl_check(url, true, NULL, &err), -1);
    assert_contains(err, "longer than 2048 bytes");
    free(err);
    url[n - 1] = '\0';
    assert_int_equal(baseurl_check(url, true, NULL, NULL), 0);
    free(url);
}

/* Underscores are in real internal and container names, and libcurl
 * connects to them. */
static void baseurl__takes_underscores_in_host_names(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(baseurl_check("https://aidesk_sim.internal:8443/v1/", false, &out, NULL), 0);
    assert_string_equal(out, "https://aidesk_sim.internal:8443/v1");
    free(out);
}

static void baseurl__strips_trailing_slashes_and_lowercases_scheme_and_host(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"https://API.Example.COM/", "https://api.example.com"},
        {"HTTPS://api.example.com/v1//", "https://api.example.com/v1"},
        {"https://api.example.com:8443/Path/", "https://api.example.com:8443/Path"},
        {"https://[::1]:9443", "https://[::1]:9443"},
        {"https://10.0.0.1/v1", "https://10.0.0.1/v1"},
        {"https://api.example/a%2Fb/x:y@z", "https://api.example/a%2Fb/x:y@z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = NULL, *err = NULL;
        if (baseurl_check(cases[i][0], false, &out, &err) != 0)
            fail_msg("%s refused: %s", cases[i][0], err);
        assert_string_equal(out, cases[i][1]);
        free(out);
    }
}

static void baseurl_origin__drops_the_path_and_keeps_the_port(void **state)
{
    (void)state;
    char *o = baseurl_origin("https://API.aiassist.net/some/path/");
    assert_string_equal(o, "https://api.aiassist.net");
    free(o);
    o = baseurl_origin("http://[::1]:8080/x");
    assert_string_equal(o, "http://[::1]:8080");
    free(o);
    assert_null(baseurl_origin("https://user:key@host"));
    assert_null(baseurl_origin(NULL));
}

TEST_MAIN(cmocka_unit_test(baseurl__allows_http_only_for_this_machine_unless_allowed),
          cmocka_unit_test(baseurl__judges_the_host_libcurl_connects_to),
          cmocka_unit_test(baseurl__refuses_bad_syntax_and_user_info__with_a_reason),
          cmocka_unit_test(baseurl__refuses_a_url_longer_than_the_limit),
          cmocka_unit_test(baseurl__takes_underscores_in_host_names),
          cmocka_unit_test(baseurl__strips_trailing_slashes_and_lowercases_scheme_and_host),
          cmocka_unit_test(baseurl_origin__drops_the_path_and_keeps_the_port))
