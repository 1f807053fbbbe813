/* Unit tests for the comparison's figures: token counting (against the
 * simulator's tokenizer), metrics on synthetic timelines, statistics of
 * repeated runs, and picking the fastest / highest with ties. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compare/compare_metrics.h"
#include "compare/compare_tokens.h"
#include "test.h"

/* ------------------------------------------------------------- tokens */

/* Counts from sim/aidesksim/tokenizer.py for the same strings. */
static const struct {
    const char *text;
    int64_t count;
} token_cases[] = {
    {"", 0},
    {"hello", 1},
    {" hello world", 2},
    {"hello  world", 3},
    {" hello  world", 3},
    {"a\n\nb", 4},
    {"   x", 2},
    {"\t\tfoo", 2},
    {"end.  ", 3},
    {"snake_case_name", 5},
    {"Hi! How are you?", 6},
    {"你好，世界", 5},
    {"日本語のテキスト", 8},
    {"👩\u200d💻 coding", 2},
    {"🇫🇷🇯🇵", 2},
    {"1\uFE0F\u20E3 one", 2},
    {" 1\uFE0F\u20E3", 2},
    {"x 1\uFE0F\u20E3", 3},
    {"👋🏽 hi", 2},
    {"café naïve", 2},
    {"e\u0301t\u00e9", 1},
    {"https://example.com/a/b?c=d", 15},
    {"  \n  ", 3},
    {"x\r\ny", 4},
    {"2024-11-21", 5},
    {"α β γ", 3},
    {"Привет мир", 2},
    {"© 2024 ™", 4},
    {"a—b – c", 6},
    {"→ ok ✅", 4},
    {"   1", 2},
    {"\u00a0\u00a0word", 2},
    {"tab\tsep\tvalues", 5},
    {"\u3000x", 2},
};

static void tokens__count_like_the_simulator(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof token_cases / sizeof *token_cases; i++) {
        const char *t = token_cases[i].text;
        int64_t got = compare_token_count(t, strlen(t));
        if (got != token_cases[i].count)
            fail_msg("'%s': %lld tokens, want %lld", t, (long long)got,
                     (long long)token_cases[i].count);
    }
    /* Joining the tokens gives the text back: lengths add up. */
    const char *t = " hello  world 👩\u200d💻!";
    size_t off = 0, len = strlen(t);
    while (off < len) {
        size_t n = compare_token_len(t + off, len - off);
        assert_true(n > 0);
        off += n;
    }
    assert_int_equal(off, len);
    assert_int_equal(compare_token_len("", 0), 0);
}

static void tokens__count_invalid_utf8_per_bad_byte(void **state)
{
    (void)state;
    const char bad[] = "a\xff\xfe b";
    assert_int_equal(compare_token_count(bad, sizeof bad - 1), 4); /* a, FF, FE, " b" */
}

static void tokens__prompt_adds_four_per_message(void **state)
{
    (void)state;
    const char *msgs[] = {"hello there", "Hi! How are you?", NULL};
    assert_int_equal(compare_prompt_tokens(msgs, 3), 2 + 4 + 6 + 4 + 0 + 4);
    assert_int_equal(compare_prompt_tokens(msgs, 0), 0);
}

/* Feeding a text piece by piece counts what counting it whole does, for
 * every way of cutting it (the tricky tails: words that grow, whitespace
 * that gives its last space away, emoji that gain modifiers, keycaps). */
static void tokens__incremental_matches_whole(void **state)
{
    (void)state;
    static const char *const alphabet[] = {
        "a", "b", "1", " ", "  ", "\t", "\n", ".", "_", "\u00e9", "\u0301", "你",
        "👩", "\u200d", "💻", "🏽", "\uFE0F", "\u20E3", "🇫", "🇷", "#", "\u00a0",
    };
    size_t na = sizeof alphabet / sizeof *alphabet;
    unsigned seed = 12345;
    for (int round = 0; round < 3000; round++) {
        char text[512];
        size_t len = 0;
        int pieces = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        for (int p = 0; p < pieces; p++) {
            const char *s = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % na];
            size_t l = strlen(s);
            memcpy(text + len, s, l);
            len += l;
        }
        int64_t whole = compare_token_count(text, len);
        /* Cut at random code point boundaries (pieces come in whole). */
        compare_tokcount tc;
        memset(&tc, 0, sizeof tc);
        size_t fed = 0;
        while (fed < len) {
            size_t step = 1 + ((seed = seed * 1103515245u + 12345u) >> 16) % 9;
            fed = fed + step > len ? len : fed + step;
            while (fed < len && ((unsigned char)text[fed] & 0xC0) == 0x80)
                fed++;
            int64_t part = compare_tokcount_feed(&tc, text, fed);
            assert_int_equal(part, compare_token_count(text, fed));
        }
        assert_int_equal(tc.total, whole);
    }
}

/* ------------------------------------------------------------ metrics */

/* A run sent at 1 s whose first token came 250 ms later. */
static compare_times timeline(void)
{
    compare_times t = {1000000, 1250000, 0, 0};
    t.last_us = t.first_us;
    return t;
}

static void metrics__ttft_and_total(void **state)
{
    (void)state;
    compare_times t = {0, 0, 0, 0};
    assert_int_equal(compare_ttft_us(&t), -1);
    assert_int_equal(compare_total_us(&t, 5000000), -1);
    t.sent_us = 1000000;
    assert_int_equal(compare_ttft_us(&t), -1); /* waiting */
    assert_int_equal(compare_total_us(&t, 1400000), 400000); /* running: so far */
    t = timeline();
    assert_int_equal(compare_ttft_us(&t), 250000);
    t.end_us = 3000000;
    assert_int_equal(compare_total_us(&t, 9000000), 2000000); /* ended: fixed */
}

static void metrics__rate_so_far_and_final(void **state)
{
    (void)state;
    compare_times t = timeline();
    /* One token: no rate yet, whatever the time. */
    assert_true(compare_tok_per_s(&t, 1, 2000000) < 0);
    /* 11 tokens, 0.5 s after the first token: 10 / 0.5 = 20 tok/s, even if
     * the last token arrived earlier (the stream is still going). */
    t.last_us = 1600000;
    assert_float_equal(compare_tok_per_s(&t, 11, 1750000), 20.0, 1e-9);
    /* Later, with no new token, the live rate falls. */
    assert_float_equal(compare_tok_per_s(&t, 11, 2250000), 10.0, 1e-9);
    /* Ended: the rate is over the tokens' own span, not the clock. */
    t.end_us = 1700000;
    assert_float_equal(compare_tok_per_s(&t, 11, 9000000), 10.0 / 0.35, 1e-9);
    /* All tokens at once: no division by zero. */
    t.last_us = t.first_us;
    assert_true(compare_tok_per_s(&t, 50, 9000000) < 0);
    /* A clock that reads earlier than the first token. */
    compare_times u = timeline();
    assert_true(compare_tok_per_s(&u, 5, 1000) < 0);
}

static void metrics__usage_wins_over_counting(void **state)
{
    (void)state;
    compare_sample s;
    memset(&s, 0, sizeof s);
    s.t = timeline();
    s.t.last_us = 2250000;
    s.t.end_us = 2300000;
    s.counted_completion = 40;
    s.counted_prompt = 12;
    compare_metrics m;
    compare_metrics_compute(&s, 5000000, &m);
    assert_int_equal(m.completion_tokens, 40);
    assert_true(m.completion_approx);
    assert_int_equal(m.prompt_tokens, 12);
    assert_true(m.prompt_approx);
    assert_float_equal(m.tok_s, 39.0, 1e-9);
    assert_int_equal(m.ttft_us, 250000);
    assert_int_equal(m.total_us, 1300000);
    assert_false(m.running);
    s.usage = true;
    s.usage_prompt = 14;
    s.usage_completion = 41;
    compare_metrics_compute(&s, 5000000, &m);
    assert_int_equal(m.completion_tokens, 41);
    assert_false(m.completion_approx);
    assert_int_equal(m.prompt_tokens, 14);
    assert_false(m.prompt_approx);
    assert_float_equal(m.tok_s, 40.0, 1e-9);
    /* Not sent: nothing known. */
    memset(&s, 0, sizeof s);
    s.counted_prompt = -1;
    compare_metrics_compute(&s, 5000000, &m);
    assert_int_equal(m.ttft_us, -1);
    assert_int_equal(m.total_us, -1);
    assert_int_equal(m.completion_tokens, -1);
    assert_int_equal(m.prompt_tokens, -1);
    assert_false(m.prompt_approx || m.completion_approx || m.running);
    assert_true(m.tok_s < 0);
}

/* -------------------------------------------------------------- stats */

static void stats__median_odd_even_and_spread(void **state)
{
    (void)state;
    compare_stats s;
    double odd[] = {300, 100, 200};
    assert_int_equal(compare_stats_compute(odd, 3, &s), 3);
    assert_float_equal(s.median, 200, 1e-9);
    assert_float_equal(s.min, 100, 1e-9);
    assert_float_equal(s.max, 300, 1e-9);
    assert_float_equal(s.q1, 150, 1e-9);
    assert_float_equal(s.q3, 250, 1e-9);
    assert_float_equal(odd[0], 300, 0); /* not sorted in place */
    double even[] = {4, 1, 3, 2};
    assert_int_equal(compare_stats_compute(even, 4, &s), 4);
    assert_float_equal(s.median, 2.5, 1e-9);
    assert_float_equal(s.q1, 1.75, 1e-9);
    assert_float_equal(s.q3, 3.25, 1e-9);
    /* Unknown values are left out. */
    double gaps[] = {-1, 10, -1, 30};
    assert_int_equal(compare_stats_compute(gaps, 4, &s), 2);
    assert_float_equal(s.median, 20, 1e-9);
    assert_float_equal(s.min, 10, 1e-9);
    double one[] = {7};
    compare_stats_compute(one, 1, &s);
    assert_float_equal(s.median, 7, 0);
    assert_float_equal(s.q1, 7, 0);
    assert_float_equal(s.q3, 7, 0);
    double none[] = {-1, -1};
    assert_int_equal(compare_stats_compute(none, 2, &s), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(compare_stats_compute(NULL, 0, &s), 0);
}

static void best__picks_ties_and_skips_failures(void **state)
{
    (void)state;
    bool w[5];
    double ttft[] = {400, 60, 60, 700, 30};
    bool ok[] = {true, true, true, true, false}; /* the 30 ms one failed */
    assert_int_equal(compare_best(ttft, ok, 5, true, w), 2);
    assert_false(w[0]);
    assert_true(w[1] && w[2]);
    assert_false(w[3] || w[4]);
    double rate[] = {90, 800, -1, 800.0000000001, 70};
    assert_int_equal(compare_best(rate, NULL, 5, false, w), 2);
    assert_true(w[1] && w[3]);
    assert_false(w[0] || w[2] || w[4]);
    double unknown[] = {-1, -1};
    assert_int_equal(compare_best(unknown, NULL, 2, true, w), 0);
    assert_false(w[0] || w[1]);
    bool none_ok[] = {false, false};
    double two[] = {1, 2};
    assert_int_equal(compare_best(two, none_ok, 2, false, w), 0);
    assert_int_equal(compare_best(two, NULL, 0, false, w), 0);
}

TEST_MAIN(cmocka_unit_test(tokens__count_like_the_simulator),
          cmocka_unit_test(tokens__count_invalid_utf8_per_bad_byte),
          cmocka_unit_test(tokens__prompt_adds_four_per_message),
          cmocka_unit_test(tokens__incremental_matches_whole),
          cmocka_unit_test(metrics__ttft_and_total),
          cmocka_unit_test(metrics__rate_so_far_and_final),
          cmocka_unit_test(metrics__usage_wins_over_counting),
          cmocka_unit_test(stats__median_odd_even_and_spread),
          cmocka_unit_test(best__picks_ties_and_skips_failures))
