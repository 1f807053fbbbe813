/* Integration tests: model comparisons (src/compare/compare.h) through the
 * console's controller against the simulator, whose models have different
 * speed profiles (docs/protocol.md 3.5). Every reply is 40 tokens
 * (--reply-tokens) at the real pace (--speed 1), so the profiles show. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "config/settings.h"
#include "desk/desk.h"
#include "compare/compare.h"
#include "compare/compare_tokens.h"
#include "simproc.h"
#include "xdgtmp.h"
#include "store/transcript.h"
#include "test.h"
#include "util/clock.h"
#include "util/mem.h"

#define KEY "aai_demo_user"
#define TOKENS 40
#define FAST "llama-3.1-8b-instant"
#define MID "gpt-4o"
#define SLOW "claude-3-5-sonnet-20241022"

static simproc sim;
static char xdg[256];

/* ------------------------------------------------------------ harness */

typedef struct harness {
    config_t *cfg;
    net_t *net;
    desk_t *desk;
} harness;

static void h_init(harness *h, int max_retries)
{
    memset(h, 0, sizeof *h);
    h->cfg = config_new_defaults();
    free(h->cfg->base_url);
    h->cfg->base_url = xstrdup(sim.base_url);
    free(h->cfg->api_key);
    h->cfg->api_key = xstrdup(KEY);
    h->cfg->allow_http = true;
    h->cfg->timeout_ms = 10000;
    h->cfg->max_retries = max_retries;
    net_config nc = {0};
    nc.retry_base_ms = 50;
    nc.retry_cap_ms = 300;
    nc.connect_timeout_ms = 2000;
    h->net = net_new(&nc);
    assert_non_null(h->net);
    char *err = NULL;
    h->desk = desk_new(h->cfg, h->net, &err);
    if (!h->desk)
        fail_msg("desk_new: %s", err);
}

static void h_free(harness *h)
{
    desk_free(h->desk);
    net_free(h->net);
    config_free(h->cfg);
    memset(h, 0, sizeof *h);
}

/* Fails the test (and tells the compiler so) when p is NULL. */
static void *nonnull(const void *p, const char *what)
{
    if (!p) {
        print_error("%s is NULL\n", what);
        fail();
        abort();
    }
    return (void *)p;
}

/* One turn of a UI loop with a comparison on screen. */
static void pump(harness *h, compare_t *c, long max_ms)
{
    int64_t now = clock_mono_ms();
    long t = desk_next_timer_ms(h->desk, now);
    long t2 = c ? compare_next_timer_ms(c, now) : -1;
    if (t2 >= 0 && (t < 0 || t2 < t))
        t = t2;
    if (t < 0 || t > max_ms)
        t = max_ms;
    struct pollfd p = {net_wake_fd(h->net), POLLIN, 0};
    poll(&p, 1, (int)t);
    desk_drain(h->desk);
    desk_tick(h->desk, clock_mono_ms());
    if (c)
        compare_tick(c, clock_mono_ms());
}

#define WAIT_FOR(h, c, ms, cond)                                                               \
    do {                                                                                       \
        int64_t until_ = clock_mono_ms() + (ms);                                               \
        while (!(cond)) {                                                                      \
            if (clock_mono_ms() >= until_)                                                     \
                fail_msg("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond);       \
            pump((h), (c), 50);                                                                \
        }                                                                                      \
    } while (0)

static void pump_for(harness *h, compare_t *c, long ms)
{
    int64_t until = clock_mono_ms() + ms;
    while (clock_mono_ms() < until)
        pump(h, c, (long)(until - clock_mono_ms()));
}

static void add_fault(const char *spec)
{
    char body[512];
    snprintf(body, sizeof body, "{\"spec\":\"%s\"}", spec);
    assert_int_equal(simproc_admin(&sim, "POST", "/_sim/faults", body, NULL, 0), 200);
}

static int64_t count(const char *s)
{
    return compare_token_count(s, strlen(s));
}

static size_t col_of(const compare_t *c, const char *name)
{
    for (size_t i = 0; i < compare_ncols(c); i++)
        if (!strcmp(nonnull(compare_col_model(c, i), "model"), name))
            return i;
    fail_msg("no column for %s", name);
    abort();
}

/* A finished column: done, its answer and the server's usage agree with
 * what was sent (each column's own history: earlier prompts, its own
 * answers, the new prompt, 4 tokens a message). */
static void expect_done(const compare_t *c, size_t col)
{
    assert_int_equal(compare_col_state(c, col), COMPARE_DONE);
    assert_null(compare_col_error(c, col));
    const char *text = buf_cstr(compare_col_text(c, col));
    assert_int_equal(count(text), TOKENS);
    compare_metrics m;
    compare_col_metrics(c, col, clock_mono_us(), &m);
    assert_true(m.ttft_us > 0);
    /* Unknown (-1) only when the whole answer came in one read, which a
     * busy machine can make happen; never 0 or nonsense. */
    assert_true(m.tok_s > 0 || m.tok_s == -1);
    assert_true(m.total_us >= m.ttft_us);
    assert_false(m.running);
    assert_int_equal(m.completion_tokens, TOKENS);
    assert_false(m.completion_approx);
    int64_t want = 0;
    size_t last = compare_nturns(c) - 1;
    for (size_t t = 0; t <= last; t++) {
        want += count(compare_turn_prompt(c, t)) + 4;
        const char *a = compare_col_answer(c, col, t);
        if (t < last && *a)
            want += count(a) + 4;
    }
    assert_int_equal(m.prompt_tokens, want);
    assert_false(m.prompt_approx);
    assert_string_equal(compare_col_finish(c, col), "stop");
}

static char *render(const compare_t *c)
{
    buf_t b = BUF_INIT;
    compare_render(c, EXPORT_JSON, &b);
    return buf_steal(&b);
}

/* ------------------------------------------------------------- tests */

static void compare__three_profiles_stream_side_by_side_in_the_predicted_order(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    const char *models[] = {SLOW, FAST, MID};
    compare_t *c = nonnull(compare_new(h.desk, models, 3, false), "compare");
    assert_int_equal(compare_col_state(c, 0), COMPARE_IDLE);
    unsigned rev = compare_rev(c);
    assert_true(compare_send(c, "hello there, how do refunds work?"));
    assert_true(compare_busy(c));
    assert_false(compare_send(c, "not while running"));
    assert_true(compare_rev(c) != rev);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(compare_col_state(c, i), COMPARE_WAITING);
    /* The fast model finishes while the slow one has not even started. */
    size_t fast = col_of(c, FAST), mid = col_of(c, MID), slow = col_of(c, SLOW);
    unsigned slow_rev = compare_col_rev(c, slow);
    WAIT_FOR(&h, c, 10000, compare_col_state(c, fast) == COMPARE_DONE);
    assert_int_equal(compare_col_state(c, slow), COMPARE_WAITING);
    WAIT_FOR(&h, c, 10000, compare_col_state(c, slow) == COMPARE_STREAMING);
    assert_true(compare_col_rev(c, slow) != slow_rev);
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    for (size_t i = 0; i < 3; i++)
        expect_done(c, i);
    assert_string_equal(compare_col_provider(c, fast), "groq");
    assert_string_equal(compare_col_provider(c, mid), "openai");
    assert_string_equal(compare_col_provider(c, slow), "anthropic");

    int64_t now = clock_mono_us();
    compare_metrics mf, mm, ms;
    compare_col_metrics(c, fast, now, &mf);
    compare_col_metrics(c, mid, now, &mm);
    compare_col_metrics(c, slow, now, &ms);
    print_message("# ttft ms %.1f %.1f %.1f, tok/s %.1f %.1f %.1f\n", mf.ttft_us / 1e3,
                  mm.ttft_us / 1e3, ms.ttft_us / 1e3, mf.tok_s, mm.tok_s, ms.tok_s);
    /* TTFT 60 < 400 < 700 ms (+-15 %); 800 > 90 > 70 tokens/s (+-20 %). */
    assert_true(mf.ttft_us < mm.ttft_us && mm.ttft_us < ms.ttft_us);
    /* 40 tokens at 800/s last 50 ms: a reader the machine starves that long
     * gets them in one read, and their rate is unknown (-1), never wrong. */
    bool fast_measured = mf.tok_s > 0;
    assert_true(fast_measured ? mf.tok_s > mm.tok_s : mf.tok_s == -1);
    assert_true(mm.tok_s > ms.tok_s);
    assert_true(mm.ttft_us > 300000 && mm.ttft_us < 700000);
    assert_true(ms.tok_s > 40 && ms.tok_s < 100);
    bool best_ttft[3], best_rate[3];
    compare_winners(c, now, best_ttft, best_rate);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(best_ttft[i], i == fast);
        assert_int_equal(best_rate[i], i == (fast_measured ? fast : mid));
    }

    /* Kept in the store as it streamed: reopening gives the same thing. */
    const char *path = nonnull(compare_path(c), "transcript");
    store_transcript_info *v = NULL;
    size_t n = 0;
    assert_int_equal(store_transcript_list("compare", &v, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].path, path);
    assert_non_null(strstr(nonnull(v[0].title, "title"), "vs"));
    store_transcript_list_free(v, n);
    char *err = NULL;
    compare_t *back = compare_open(NULL, path, &err);
    if (!back)
        fail_msg("compare_open: %s", err);
    char *a = render(c), *b = render(back);
    assert_string_equal(a, b);
    free(a);
    free(b);
    compare_free(back);
    compare_free(c);
    h_free(&h);
}

static void compare__a_failure_stays_in_its_column(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 0);
    add_fault("status=500;times=1;path=/v1/chat/completions");
    const char *models[] = {FAST, "mixtral-8x7b-32768", MID};
    compare_t *c = nonnull(compare_new(h.desk, models, 3, false), "compare");
    assert_true(compare_send(c, "hello"));
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    size_t failed = 0;
    for (size_t i = 0; i < 3; i++) {
        if (compare_col_state(c, i) == COMPARE_FAILED) {
            failed++;
            const char *e = nonnull(compare_col_error(c, i), "error");
            print_message("# failed column: %s\n", e);
            assert_int_equal(compare_col_exit_code(c, i), 6);
            assert_int_equal(compare_col_text(c, i)->len, 0);
        } else {
            expect_done(c, i);
        }
    }
    assert_int_equal(failed, 1);
    /* The failed one alone can run again, and now succeeds. */
    size_t f = 0;
    while (compare_col_state(c, f) != COMPARE_FAILED)
        f++;
    unsigned other_rev = compare_col_rev(c, (f + 1) % 3);
    assert_true(compare_rerun(c, (int)f));
    assert_int_equal(compare_col_state(c, f), COMPARE_WAITING);
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    expect_done(c, f);
    assert_int_equal(compare_col_rev(c, (f + 1) % 3), other_rev);
    assert_int_equal(compare_col_nruns(c, f), 1); /* replaced */
    compare_free(c);
    h_free(&h);
}

static void compare__cancel_one_keeps_its_text_and_follow_ups_keep_each_history(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    const char *models[] = {FAST, SLOW, MID};
    compare_t *c = nonnull(compare_new(h.desk, models, 3, false), "compare");
    size_t slow = col_of(c, SLOW);
    assert_false(compare_cancel(c, -1)); /* nothing runs */
    assert_true(compare_send(c, "tell me about shipping"));
    WAIT_FOR(&h, c, 10000, compare_col_text(c, slow)->len > 0);
    assert_true(compare_cancel(c, (int)slow));
    assert_int_equal(compare_col_state(c, slow), COMPARE_CANCELLED); /* at once */
    assert_false(compare_cancel(c, (int)slow));
    size_t partial = compare_col_text(c, slow)->len;
    assert_true(partial > 0);
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    pump_for(&h, c, 200); /* late events of the cancelled stream change nothing */
    assert_int_equal(compare_col_state(c, slow), COMPARE_CANCELLED);
    assert_int_equal(compare_col_text(c, slow)->len, partial);
    assert_int_equal(compare_col_exit_code(c, slow), 130);
    compare_metrics m;
    compare_col_metrics(c, slow, clock_mono_us(), &m);
    assert_true(m.completion_approx); /* no usage came: counted */
    assert_true(m.completion_tokens >= 1 && m.completion_tokens < TOKENS);
    for (size_t i = 0; i < 3; i++)
        if (i != slow)
            expect_done(c, i);

    /* A follow-up: each model gets its own answer back (the cancelled one
     * its partial text), which the server's prompt_tokens confirm. */
    assert_true(compare_send(c, "and what about returns?"));
    WAIT_FOR(&h, c, 15000, !compare_busy(c));
    assert_int_equal(compare_nturns(c), 2);
    for (size_t i = 0; i < 3; i++)
        expect_done(c, i);
    compare_metrics a, b;
    compare_col_metrics(c, slow, clock_mono_us(), &a);
    compare_col_metrics(c, (slow + 1) % 3, clock_mono_us(), &b);
    assert_true(a.prompt_tokens < b.prompt_tokens);

    /* Cancel all: everything stops at once, nothing is left running. */
    assert_true(compare_send(c, "one more"));
    assert_true(compare_cancel(c, -1));
    assert_false(compare_busy(c));
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(compare_col_state(c, i), COMPARE_CANCELLED);
    pump_for(&h, c, 300);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(compare_col_state(c, i), COMPARE_CANCELLED);
    /* Rerun all replaces the cancelled answers. */
    assert_true(compare_rerun(c, -1));
    WAIT_FOR(&h, c, 15000, !compare_busy(c));
    for (size_t i = 0; i < 3; i++) {
        expect_done(c, i);
        assert_int_equal(compare_col_nruns(c, i), 1);
    }
    compare_free(c);
    h_free(&h);
}

static void compare__repeat_runs_rounds_and_gives_medians(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    const char *models[] = {FAST, "mixtral-8x7b-32768"};
    compare_t *c = nonnull(compare_new(h.desk, models, 2, false), "compare");
    assert_false(compare_repeat(c, "hi", 0));
    assert_true(compare_repeat(c, "hi", 3));
    int started, wanted;
    compare_rounds(c, &started, &wanted);
    assert_int_equal(started, 1);
    assert_int_equal(wanted, 3);
    /* Rounds go one after the other: never more runs than the round. */
    while (compare_busy(c)) {
        compare_rounds(c, &started, &wanted);
        for (size_t i = 0; i < 2; i++)
            assert_true(compare_col_nruns(c, i) == (size_t)started);
        assert_false(compare_rerun(c, 0)); /* not during a repeat */
        pump(&h, c, 50);
    }
    compare_rounds(c, &started, &wanted);
    assert_int_equal(started, 3);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(compare_col_nruns(c, i), 3);
        for (size_t k = 0; k < 3; k++)
            assert_int_equal(compare_col_run_state(c, i, k), COMPARE_DONE);
        compare_stats t, r;
        compare_col_stats(c, i, &t, &r);
        assert_int_equal(t.n, 3);
        assert_int_equal(r.n, 3);
        assert_true(t.min <= t.median && t.median <= t.max && t.min > 0);
        assert_true(r.min <= r.median && r.median <= r.max && r.min > 0);
        assert_true(t.q1 <= t.median && t.median <= t.q3);
        expect_done(c, i);
    }
    /* The llama profile is faster to the first token than mixtral's. */
    compare_stats t0, r0, t1, r1;
    compare_col_stats(c, col_of(c, FAST), &t0, &r0);
    compare_col_stats(c, col_of(c, "mixtral-8x7b-32768"), &t1, &r1);
    assert_true(t0.median < t1.median);
    assert_true(r0.median > r1.median);

    /* A repeat can be stopped: cancel all ends the rounds. */
    assert_true(compare_repeat(c, "again", 5));
    WAIT_FOR(&h, c, 5000, compare_col_nruns(c, 0) >= 2);
    assert_true(compare_cancel(c, -1));
    assert_false(compare_busy(c));
    compare_rounds(c, &started, &wanted);
    assert_true(started < 5);
    compare_free(c);
    h_free(&h);
}

static void compare__exports_round_trip_and_reopened_ones_continue(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    const char *models[] = {FAST, MID};
    compare_t *c = nonnull(compare_new(h.desk, models, 2, true), "compare");
    compare_set_max_tokens(c, 1000);
    assert_true(compare_send(c, "write a list"));
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    assert_false(compare_revealed(c));
    assert_null(compare_to_chat(c, 0));
    assert_true(compare_vote(c, 1));
    const char *winner = nonnull(compare_col_model(c, 1), "winner");

    char *md = NULL, *json = NULL, *err = NULL;
    if (compare_export(c, EXPORT_MARKDOWN, NULL, &md, &err) != 0 ||
        compare_export(c, EXPORT_JSON, NULL, &json, &err) != 0)
        fail_msg("export: %s", err);
    struct stat st;
    assert_int_equal(stat(nonnull(json, "json"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_non_null(strstr(nonnull(md, "md"), "/exports/"));
    compare_t *back = compare_open(NULL, json, &err);
    if (!back)
        fail_msg("compare_open(%s): %s", json, err);
    char *a = render(c), *b = render(back);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"blind\":true,\"revealed\":true"));
    free(b);
    compare_free(back);

    /* The transcript reopened with the desk goes on where it was. */
    char *path = xstrdup(nonnull(compare_path(c), "path"));
    compare_free(c);
    c = compare_open(h.desk, path, &err);
    if (!c)
        fail_msg("compare_open(%s): %s", path, err);
    b = render(c);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_string_equal(compare_path(c), path);
    assert_true(compare_send(c, "and a poem"));
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    expect_done(c, 0);
    expect_done(c, 1);
    a = render(c);
    compare_free(c);
    c = compare_open(NULL, path, &err);
    if (!c)
        fail_msg("compare_open(%s): %s", path, err);
    assert_int_equal(compare_nturns(c), 2);
    b = render(c);
    assert_string_equal(a, b);
    free(a);
    free(b);
    compare_free(c);

    /* An export reopened with the desk continues in a new transcript that
     * holds the whole history. */
    c = compare_open(h.desk, json, &err);
    if (!c)
        fail_msg("compare_open(%s): %s", json, err);
    assert_null(compare_path(c));
    assert_true(compare_send(c, "one more thing"));
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    const char *p2 = nonnull(compare_path(c), "new transcript");
    assert_true(strcmp(p2, path) != 0);
    a = render(c);
    char *p2copy = xstrdup(p2);
    compare_free(c);
    c = compare_open(NULL, p2copy, &err);
    if (!c)
        fail_msg("compare_open(%s): %s", p2copy, err);
    b = render(c);
    assert_string_equal(a, b);
    assert_int_equal(compare_nturns(c), 2);
    assert_int_equal(compare_nvotes(c), 1);
    free(a);
    free(b);
    free(p2copy);
    compare_free(c);
    free(path);
    free(md);
    free(json);
    (void)winner;
    h_free(&h);
}

static void compare__continue_with_one_model_as_a_plain_chat(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    const char *models[] = {FAST, "mixtral-8x7b-32768"};
    compare_t *c = nonnull(compare_new(h.desk, models, 2, false), "compare");
    assert_true(compare_send(c, "hello"));
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    assert_true(compare_send(c, "tell me more"));
    WAIT_FOR(&h, c, 10000, !compare_busy(c));
    size_t col = col_of(c, "mixtral-8x7b-32768");
    conv *ch = nonnull(compare_to_chat(c, (int)col), "chat");
    assert_int_equal(ch->kind, CONV_CHAT);
    assert_string_equal(ch->chat_model, "mixtral-8x7b-32768");
    assert_int_equal(ch->nmsgs, 4);
    assert_string_equal(buf_cstr(&ch->msgs[0]->text), "hello");
    assert_int_equal(ch->msgs[1]->role, AI_ROLE_AI);
    assert_string_equal(buf_cstr(&ch->msgs[1]->text), compare_col_answer(c, col, 0));
    assert_string_equal(buf_cstr(&ch->msgs[3]->text), compare_col_answer(c, col, 1));
    assert_int_equal(ch->msgs[3]->state, MSG_FINAL);
    compare_free(c); /* the chat lives on without the comparison */
    desk_send(h.desk, ch, "thanks", false);
    WAIT_FOR(&h, NULL, 10000, !desk_is_streaming(h.desk, ch));
    assert_int_equal(ch->nmsgs, 6);
    assert_int_equal(ch->msgs[5]->state, MSG_FINAL);
    assert_int_equal(count(buf_cstr(&ch->msgs[5]->text)), TOKENS);
    h_free(&h);
}

static void compare__twelve_columns_at_once(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    const char *models[] = {
        FAST, "mixtral-8x7b-32768", "llama-3.3-70b-versatile",
        "accounts/fireworks/models/llama-v3p3-70b-instruct", "gemini-1.5-flash",
        "claude-3-haiku-20240307", "gpt-4o-mini", "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        MID, "mistral-large-latest", "gemini-1.5-pro", "grok-2",
    };
    compare_t *c = nonnull(compare_new(h.desk, models, 12, false), "compare");
    compare_set_max_tokens(c, 10);
    assert_true(compare_send(c, "hi"));
    WAIT_FOR(&h, c, 15000, !compare_busy(c));
    for (size_t i = 0; i < 12; i++) {
        assert_int_equal(compare_col_state(c, i), COMPARE_DONE);
        assert_string_equal(compare_col_finish(c, i), "length");
        assert_int_equal(count(buf_cstr(compare_col_text(c, i))), 10);
        assert_non_null(compare_col_provider(c, i));
    }
    compare_free(c);
    h_free(&h);
}

/* What a console keeps about a comparison (compare_set_view): counted
 * when the core frees it with its comparison. */
typedef struct view {
    int *freed;
    char *scratch; /* heap memory: ASan tells if a view is never freed */
} view;

static void view_free(void *p)
{
    view *v = p;
    (*v->freed)++;
    free(v->scratch);
    free(v);
}

static view *view_new(int *freed)
{
    view *v = xcalloc(1, sizeof *v);
    v->freed = freed;
    v->scratch = xstrdup("scroll, zoom, follow");
    return v;
}

static void compare__the_app_lists_its_comparisons_and_frees_those_left(void **state)
{
    (void)state;
    harness h;
    h_init(&h, 2);
    assert_int_equal(desk_ncompares(h.desk), 0);
    const char *pair[] = {FAST, MID}, *trio[] = {SLOW, FAST, MID};
    compare_t *a = nonnull(compare_new(h.desk, pair, 2, false), "a");
    compare_t *b = nonnull(compare_new(h.desk, trio, 3, true), "b");
    /* Listed by the desk, in creation order, under their titles. */
    assert_int_equal(desk_ncompares(h.desk), 2);
    assert_ptr_equal(desk_compare(h.desk, 0), a);
    assert_ptr_equal(desk_compare(h.desk, 1), b);
    assert_string_equal(compare_title(a), FAST " vs " MID);
    assert_string_equal(compare_title(b), "blind, 3 models");
    assert_ptr_equal(desk_find_compare(h.desk, FAST " vs " MID), a);
    assert_ptr_equal(desk_find_compare(h.desk, "BLIND, 3 Models"), b);
    assert_null(desk_find_compare(h.desk, "no such comparison"));
    compare_set_title(b, "my blind test");
    assert_ptr_equal(desk_find_compare(h.desk, "my blind test"), b);
    assert_null(desk_find_compare(h.desk, "blind, 3 models"));
    /* Rounds per prompt are the comparison's, within 1..COMPARE_MAX_RUNS. */
    assert_int_equal(compare_runs(a), 1);
    compare_set_runs(a, 3);
    assert_int_equal(compare_runs(a), 3);
    compare_set_runs(b, COMPARE_MAX_RUNS + 5);
    assert_int_equal(compare_runs(b), COMPARE_MAX_RUNS);
    /* A comparison read without a desk is nobody's. */
    assert_true(compare_send(a, "hi"));
    WAIT_FOR(&h, a, 10000, !compare_busy(a));
    const char *path = compare_path(a);
    assert_non_null(path);
    char *err = NULL;
    compare_t *ro = compare_open(NULL, path, &err);
    if (!ro)
        fail_msg("compare_open(%s): %s", path, err);
    assert_int_equal(desk_ncompares(h.desk), 2);
    compare_free(ro);
    /* Reopened on the desk: listed after the others. */
    compare_t *again = compare_open(h.desk, path, &err);
    if (!again)
        fail_msg("compare_open(%s): %s", path, err);
    assert_int_equal(desk_ncompares(h.desk), 3);
    assert_ptr_equal(desk_compare(h.desk, 2), again);
    assert_string_equal(compare_title(again), FAST " vs " MID);
    assert_ptr_equal(desk_find_compare(h.desk, FAST " vs " MID), a); /* the first of the two */
    /* Freeing one leaves the others, in order, and frees its view. */
    int freed = 0;
    view *va = view_new(&freed);
    compare_set_view(a, va, view_free);
    assert_ptr_equal(compare_view(a), va);
    compare_set_view(b, view_new(&freed), view_free);
    compare_set_view(again, view_new(&freed), view_free);
    compare_free(a);
    assert_int_equal(freed, 1);
    assert_int_equal(desk_ncompares(h.desk), 2);
    assert_ptr_equal(desk_compare(h.desk, 0), b);
    assert_ptr_equal(desk_compare(h.desk, 1), again);
    assert_ptr_equal(desk_find_compare(h.desk, FAST " vs " MID), again);
    /* The desk frees those left, with their views (ASan: no leak). */
    h_free(&h);
    assert_int_equal(freed, 3);
}

/* ------------------------------------------------------------- setup */

static int group_setup(void **state)
{
    (void)state;
    const char *args[] = {"--speed", "1", "--reply-tokens", "40", NULL};
    return simproc_start(&sim, args);
}

static int group_teardown(void **state)
{
    (void)state;
    simproc_stop(&sim);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    return xdgtmp_make(xdg, sizeof xdg, "cmp");
}

static int test_teardown(void **state)
{
    (void)state;
    simproc_admin(&sim, "DELETE", "/_sim/faults", NULL, NULL, 0);
    xdgtmp_remove(xdg);
    return 0;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
    const struct CMUnitTest tests[] = {
        T(compare__three_profiles_stream_side_by_side_in_the_predicted_order),
        T(compare__a_failure_stays_in_its_column),
        T(compare__cancel_one_keeps_its_text_and_follow_ups_keep_each_history),
        T(compare__repeat_runs_rounds_and_gives_medians),
        T(compare__exports_round_trip_and_reopened_ones_continue),
        T(compare__continue_with_one_model_as_a_plain_chat),
        T(compare__twelve_columns_at_once),
        T(compare__the_app_lists_its_comparisons_and_frees_those_left),
    };
#undef T
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
