/* test_jsonarr_feed.c: the walk fed in pieces against the walk of the
 * whole answer (util/jsonarr.h): for every answer, cut at every byte and
 * in random pieces, the same elements, the same verdict, the same object
 * around the list. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/buf.h"
#include "util/jsonarr.h"
#include "util/jsonarr_feed.h"
#include "util/mem.h"

#define KEY "messages"

/* The elements after ':' joined by '|', then " rest=" and the object
 * around the list (member form), white space around it left out; or "NO"
 * when the walk does not hold. stop: how many elements the caller takes
 * before it stops (0: all). */
static void add_elem(buf_t *b, const char *e, size_t n)
{
    buf_append_char(b, '|');
    buf_append(b, e, n);
}

static void add_rest(buf_t *b, const char *r, size_t n)
{
    while (n && strchr(" \t\r\n", r[0]))
        r++, n--;
    while (n && strchr(" \t\r\n", r[n - 1]))
        n--;
    buf_append_str(b, " rest=");
    buf_append(b, r, n);
}

static char *whole(const char *s, size_t len, bool bare_ok, size_t stop)
{
    jsonarr it;
    size_t off = 0, alen = 0;
    bool member = false;
    if (!(bare_ok && jsonarr_open(&it, s, len))) {
        if (!jsonarr_open_member(&it, s, len, KEY, &off, &alen))
            return xstrdup("NO");
        member = true;
    }
    buf_t b = BUF_INIT;
    buf_append_str(&b, "OK:");
    const char *e;
    size_t n, got = 0;
    int r;
    while ((stop == 0 || got < stop) && (r = jsonarr_next(&it, &e, &n)) != 0) {
        if (r < 0) {
            buf_free(&b);
            return xstrdup("NO");
        }
        add_elem(&b, e, n);
        got++;
    }
    if (member) {
        buf_t rest = BUF_INIT;
        buf_append(&rest, s, off);
        buf_append_str(&rest, "[]");
        buf_append(&rest, s + off + alen, len - off - alen);
        add_rest(&b, rest.data, rest.len);
        buf_free(&rest);
    }
    return buf_steal(&b);
}

typedef struct {
    buf_t out;
    size_t got, stop;
} sink;

static bool take(void *ud, const char *e, size_t n)
{
    sink *k = ud;
    add_elem(&k->out, e, n);
    k->got++;
    return k->stop == 0 || k->got < k->stop;
}

/* Feeds s in the pieces that end at cuts[0..ncuts) (ascending). */
static char *fed(const char *s, size_t len, bool bare_ok, size_t stop, const size_t *cuts,
                 size_t ncuts)
{
    sink k = {BUF_INIT, 0, stop};
    buf_append_str(&k.out, "OK:");
    jsonarr_feed *f = jsonarr_feed_new(bare_ok, KEY, take, &k);
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        /* Each piece from its own copy, so that nothing can read past it. */
        char *piece = xmemdup0(s + at, to - at);
        jsonarr_feed_push(f, piece, to - at);
        free(piece);
        at = to;
    }
    char *r;
    if (!jsonarr_feed_end(f)) {
        r = xstrdup("NO");
    } else {
        size_t rl = 0;
        const char *rest = jsonarr_feed_rest(f, &rl);
        if (rest)
            add_rest(&k.out, rest, rl);
        r = buf_steal(&k.out);
    }
    buf_free(&k.out);
    jsonarr_feed_free(f);
    return r;
}

static unsigned long rng_state = 12345;
static unsigned rng(unsigned n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng_state >> 33) % n);
}

/* One answer, every way of cutting it that matters. */
static void check(const char *s)
{
    size_t len = strlen(s);
    for (int bare_ok = 0; bare_ok <= 1; bare_ok++) {
        for (size_t stop = 0; stop <= 2; stop++) {
            char *want = whole(s, len, bare_ok, stop);
            /* In one piece, and in two cut at every byte. */
            for (size_t cut = 0; cut <= len; cut++) {
                char *got = fed(s, len, bare_ok, stop, &cut, cut < len ? 1 : 0);
                if (strcmp(got, want))
                    fail_msg("'%s' (bare %d, stop %zu) cut at %zu: '%s', whole: '%s'", s, bare_ok,
                             stop, cut, got, want);
                free(got);
            }
            /* A byte at a time, and at random. */
            size_t *cuts = xcalloc(len + 1, sizeof *cuts);
            for (size_t i = 0; i < len; i++)
                cuts[i] = i + 1;
            char *got = fed(s, len, bare_ok, stop, cuts, len);
            if (strcmp(got, want))
                fail_msg("'%s' byte by byte: '%s', whole: '%s'", s, got, want);
            free(got);
            for (int round = 0; round < 4; round++) {
                size_t n = 0;
                for (size_t at = 0; at < len; n++)
                    cuts[n] = at += 1 + rng(8);
                if (n && cuts[n - 1] > len)
                    cuts[n - 1] = len;
                got = fed(s, len, bare_ok, stop, cuts, n);
                if (strcmp(got, want))
                    fail_msg("'%s' in random pieces: '%s', whole: '%s'", s, got, want);
                free(got);
            }
            free(cuts);
            free(want);
        }
    }
}

static void jsonarr_feed__in_pieces_walks_as_the_whole_answer(void **state)
{
    (void)state;
    const char *answers[] = {
        "[]", " \n[ \t]\r\n", "[1]", "[ {\"a\":\"],[\"} , [1,[2]] ,\"x\\\"]\",null ]",
        "[1,]", "[,1]", "[1,,2]", "[1 2, {]]", "", "{}", "[1] x", "[1}", "[[1]", "\"[1]\"",
        "[\"a]\"", "[1", "[\"a\\", "[{\"id\":\"m1\",\"content\":\"a, b ] c\"},{\"id\":\"m2\"}]",
        "{ \"n\": 2, \"x\": {\"messages\": 1}, \"messages\" : [ \"a\" , {\"b\":[]} ], \"z\":\"}\" }",
        "{\"messages\":{}}", "{\"messages\":[],\"messages\":[]}", "{\"messag\\u0065s\":[]}",
        "{\"messages\":[]", "{\"messages\":[]} x", "{\"messages\":[],}", "{\"messages\" []}",
        "{\"other\":[]}", "{\"messages\":[}", "{\"messages\":[]]", "{\"a\":1 \"messages\":[]}",
        "{\"messages\":[1,2],\"a\":true}", "{\"a\":[\"x]\"],\"messages\":[1]}", "{\"messagesx\":[1]}",
        "{\"message\":[1]}", "{\"messages\":[1,]}", "{\"a\":x[1],\"messages\":[1]}",
        "{\"a\":\"\\\"\",\"messages\":[\"\\\\\"]}", "{\"messages\":[1]}]", "{\"messages\":[1]}}",
        "{\"a\":,\"messages\":[1]}", "{\"a\":1}", "[1]]", "[{]", "{\"messages\":[{\"a\":[}]}]}",
        "{\"a\\n\":1,\"messages\":[1]}", "{\"messages\":[1],\"\\u0061\":2}",
    };
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++)
        check(answers[i]);
    /* Random answers from the characters that matter to the walk. */
    static const char *const bits[] = {
        "[", "]", "{", "}", ",", ":", "\"", "\\", " ", "1", "x", "\"messages\"", "\"a\"",
    };
    for (int i = 0; i < 3000; i++) {
        char s[64];
        size_t n = 0;
        s[0] = '\0';
        /* Most of them start like an answer, so that the walk goes far. */
        if (rng(3))
            n = (size_t)snprintf(s, sizeof s, "%s", rng(2) ? "[" : "{\"messages\":[");
        for (unsigned k = rng(10); k > 0; k--) {
            const char *b = bits[rng(sizeof bits / sizeof *bits)];
            if (n + strlen(b) + 1 >= sizeof s)
                break;
            memcpy(s + n, b, strlen(b) + 1);
            n += strlen(b);
        }
        check(s);
    }
}

/* A long history is never held whole: the feed keeps the element in
 * progress, not what it has handed on. */
static void jsonarr_feed__holds_one_element_not_the_answer(void **state)
{
    (void)state;
    buf_t a = BUF_INIT;
    buf_append_str(&a, "{\"messages\":[");
    for (int i = 0; i < 10000; i++)
        buf_printf(&a, "%s{\"id\":\"m%d\",\"content\":\"message number %d, with [brackets]\"}",
                   i ? "," : "", i, i);
    buf_append_str(&a, "],\"next\":null}");
    sink k = {BUF_INIT, 0, 0};
    jsonarr_feed *f = jsonarr_feed_new(true, KEY, take, &k);
    size_t most = 0;
    for (size_t at = 0; at < a.len; at += 1000) {
        jsonarr_feed_push(f, a.data + at, a.len - at < 1000 ? a.len - at : 1000);
        size_t held = jsonarr_feed_held(f);
        most = held > most ? held : most;
    }
    assert_true(jsonarr_feed_end(f));
    assert_int_equal(k.got, 10000);
    size_t rl;
    assert_string_equal(jsonarr_feed_rest(f, &rl), "{\"messages\":[],\"next\":null}");
    /* The answer is some 600 KB; an element under 100 bytes. */
    assert_true(most < 1024);
    jsonarr_feed_free(f);
    buf_free(&k.out);
    buf_free(&a);
}

TEST_MAIN(cmocka_unit_test(jsonarr_feed__in_pieces_walks_as_the_whole_answer),
          cmocka_unit_test(jsonarr_feed__holds_one_element_not_the_answer))
