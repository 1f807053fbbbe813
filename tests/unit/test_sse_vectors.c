/* The SSE parser against test vectors written from other people's test
 * suites (tests/files/sse/conformance.txt: web-platform-tests' eventsource
 * format tests and the eventsource-parser package's tests), each fed whole,
 * split in two at every position, and one byte at a time. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/sse.h"
#include "test.h"
#include "test_sse_data.h"
#include "util/buf.h"

typedef enum split_mode {
    WHOLE,
    AT,    /* in two pieces at a position */
    BYTES, /* one byte at a time */
} split_mode;

static const char *mode_name(split_mode m)
{
    return m == WHOLE ? "whole" : m == AT ? "split in two" : "byte by byte";
}

static void feed(sse_parser *p, const buf_t *body, split_mode m, size_t at, buf_t *got)
{
    const char *s = body->data;
    size_t n = body->len;
    if (m == WHOLE) {
        assert_int_equal(sse_parser_feed(p, s, n, sv_collect, got), SSE_OK);
    } else if (m == AT) {
        size_t k = at < n ? at : n;
        assert_int_equal(sse_parser_feed(p, s, k, sv_collect, got), SSE_OK);
        assert_int_equal(sse_parser_feed(p, s + k, n - k, sv_collect, got), SSE_OK);
    } else {
        for (size_t i = 0; i < n; i++)
            assert_int_equal(sse_parser_feed(p, s + i, 1, sv_collect, got), SSE_OK);
    }
}

/* Runs one case in one way; fails with the case's name and line. */
static void run_case(const sv_case *c, split_mode m, size_t at)
{
    sse_parser *p = sse_parser_new(1 << 20);
    buf_t got = BUF_INIT, body = BUF_INIT;
    buf_append(&got, "", 0);
    for (size_t i = 0; i < c->nsteps; i++) {
        const sv_step *s = &c->steps[i];
        if (s->kind == SV_IN) {
            buf_append(&body, s->bytes, s->len);
            continue;
        }
        feed(p, &body, m, at, &got);
        buf_clear(&body);
        if (s->kind == SV_RECONNECT) {
            sse_parser_reset(p);
        } else if (s->kind == SV_LAST_ID) {
            const char *last = sse_parser_last_id(p);
            if (strlen(last) != s->len || memcmp(last, s->bytes, s->len) != 0)
                fail_msg("%s (line %d), %s at %zu: last event id '%s', want '%s'", c->name,
                         c->line, mode_name(m), at, last, s->bytes);
        } else {
            fail_msg("%s (line %d): 'pre' and 'block' belong in a server's stream", c->name,
                     c->line);
        }
    }
    feed(p, &body, m, at, &got);
    const char *want = buf_cstr(&c->want);
    if (strcmp(buf_cstr(&got), want) != 0)
        fail_msg("%s (line %d), %s at %zu:\ngot:\n%swant:\n%s", c->name, c->line, mode_name(m),
                 at, buf_cstr(&got), want);
    if (c->retry != -2 && sse_parser_retry_ms(p) != c->retry)
        fail_msg("%s (line %d), %s: retry %ld, want %ld", c->name, c->line, mode_name(m),
                 sse_parser_retry_ms(p), c->retry);
    sse_parser_free(p);
    buf_free(&got);
    buf_free(&body);
}

static size_t longest_body(const sv_case *c)
{
    size_t most = 0, cur = 0;
    for (size_t i = 0; i < c->nsteps; i++) {
        if (c->steps[i].kind == SV_IN) {
            cur += c->steps[i].len;
        } else {
            most = cur > most ? cur : most;
            cur = 0;
        }
    }
    return cur > most ? cur : most;
}

static void sse__meets_the_public_conformance_vectors(void **state)
{
    (void)state;
    sv_file f;
    sv_load("conformance.txt", &f);
    size_t wpt = 0, esp = 0;
    for (size_t i = 0; i < f.ncases; i++) {
        const sv_case *c = &f.cases[i];
        wpt += !strncmp(c->name, "wpt/", 4);
        esp += !strncmp(c->name, "esp/", 4);
        run_case(c, WHOLE, 0);
        run_case(c, BYTES, 0);
        size_t most = longest_body(c);
        for (size_t at = 0; at <= most; at++)
            run_case(c, AT, at);
    }
    /* Both suites are there (a file cut short would not pass unnoticed). */
    assert_true(wpt >= 20);
    assert_true(esp >= 25);
    sv_free(&f);
}

TEST_MAIN(cmocka_unit_test(sse__meets_the_public_conformance_vectors))
