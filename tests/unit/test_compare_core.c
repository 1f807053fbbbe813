/* Unit tests for the comparison core without a network: blind labels and
 * the vote that reveals them, runs that cannot start, reading a transcript
 * back, and the JSON export's round trip. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/compare.h"
#include "slurp.h"
#include "test.h"
#include "util/buf.h"
#include "util/mem.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/aidesk-cmp-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    setenv("XDG_DATA_HOME", dir, 1);
    setenv("XDG_STATE_HOME", dir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Fails the test (and tells the compiler so) when p is NULL. */
static void *nonnull(void *p, const char *what)
{
    if (!p) {
        print_error("%s is NULL\n", what);
        fail();
        abort();
    }
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = nonnull(fopen(path, "w"), "fopen");
    fputs(text, f);
    fclose(f);
}

static char *read_all(const char *path)
{
    return nonnull(slurp(path), "reading a file back");
}

static const char *const three[] = {"gpt-4o", "claude-3-5-sonnet-20241022", "llama-3.1-8b-instant"};

static void providers__come_from_the_model_id(void **state)
{
    (void)state;
    assert_string_equal(compare_provider_of("gpt-4o"), "openai");
    assert_string_equal(compare_provider_of("mixtral-8x7b-32768"), "groq");
    assert_string_equal(compare_provider_of("llama-3.1-sonar-large-128k-online"), "perplexity");
    assert_string_equal(compare_provider_of("pin:operator-alias/llama3"), "pin");
    assert_string_equal(compare_provider_of("pin:someone/else"), "pin");
    assert_string_equal(compare_provider_of("accounts/fireworks/models/x"), "fireworks");
    assert_string_equal(compare_provider_of("claude-3-opus"), "anthropic");
    assert_null(compare_provider_of("my-own-model"));
    assert_null(compare_provider_of(NULL));
}

static void new__refuses_bad_model_lists(void **state)
{
    (void)state;
    const char *const empty[] = {"gpt-4o", ""};
    assert_null(compare_new_detached(NULL, NULL, empty, 2, false));
    assert_null(compare_new_detached(NULL, NULL, three, 0, false));
    const char *thirteen[13];
    for (int i = 0; i < 13; i++)
        thirteen[i] = "gpt-4o";
    assert_null(compare_new_detached(NULL, NULL, thirteen, 13, false));
    compare_t *c = nonnull(compare_new_detached(NULL, NULL, thirteen, 12, false), "12 columns");
    assert_int_equal(compare_ncols(c), 12);
    compare_free(c);
}

static void blind__labels_until_the_vote(void **state)
{
    (void)state;
    compare_t *c = nonnull(compare_new_detached(NULL, NULL, three, 3, true), "compare");
    assert_true(compare_blind(c));
    assert_false(compare_revealed(c));
    for (size_t i = 0; i < 3; i++) {
        char want[2] = {(char)('A' + i), 0};
        assert_string_equal(compare_col_label(c, i), want);
        assert_string_equal(compare_col_name(c, i), want);
        assert_null(compare_col_model(c, i));
        assert_null(compare_col_provider(c, i));
    }
    assert_false(compare_vote(c, 0)); /* nothing to vote on yet */
    assert_true(compare_send(c, "hello"));
    assert_false(compare_vote(c, 3));
    assert_null(compare_to_chat(c, 0));
    unsigned rev = compare_rev(c);
    assert_true(compare_vote(c, 1));
    assert_true(compare_rev(c) != rev);
    assert_true(compare_revealed(c));
    /* Revealed: every model once, labels kept. */
    int found[3] = {0, 0, 0};
    for (size_t i = 0; i < 3; i++) {
        const char *m = nonnull((void *)compare_col_model(c, i), "model");
        assert_string_equal(compare_col_name(c, i), m);
        assert_non_null(compare_col_provider(c, i));
        for (int k = 0; k < 3; k++)
            found[k] += !strcmp(m, three[k]);
        assert_non_null(compare_col_label(c, i));
    }
    assert_true(found[0] == 1 && found[1] == 1 && found[2] == 1);
    assert_true(compare_vote(c, -1)); /* a tie on the same turn */
    assert_int_equal(compare_nvotes(c), 2);
    size_t turn;
    int col;
    assert_true(compare_vote_get(c, 0, &turn, &col));
    assert_int_equal(turn, 0);
    assert_int_equal(col, 1);
    assert_true(compare_vote_get(c, 1, &turn, &col));
    assert_int_equal(col, -1);
    assert_false(compare_vote_get(c, 2, &turn, &col));
    compare_free(c);

    /* Not blind: no labels, models at once. */
    c = nonnull(compare_new_detached(NULL, NULL, three, 3, false), "compare");
    assert_null(compare_col_label(c, 0));
    assert_string_equal(compare_col_model(c, 0), "gpt-4o");
    assert_string_equal(compare_col_provider(c, 1), "anthropic");
    compare_free(c);
}

static void runs__without_network_fail_in_their_columns(void **state)
{
    (void)state;
    compare_t *c = nonnull(compare_new_detached(NULL, NULL, three, 3, false), "compare");
    assert_int_equal(compare_col_state(c, 0), COMPARE_IDLE);
    assert_false(compare_send(c, ""));
    assert_true(compare_repeat(c, "hello", 3));
    assert_false(compare_busy(c));
    int started, wanted;
    compare_rounds(c, &started, &wanted);
    assert_int_equal(started, 3);
    assert_int_equal(wanted, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(compare_col_state(c, i), COMPARE_FAILED);
        assert_non_null(compare_col_error(c, i));
        assert_int_equal(compare_col_nruns(c, i), 3);
        compare_stats a, b;
        compare_col_stats(c, i, &a, &b);
        assert_int_equal(a.n, 0);
        assert_int_equal(b.n, 0);
    }
    assert_false(compare_cancel(c, -1)); /* nothing runs */
    assert_true(compare_rerun(c, 1));
    assert_int_equal(compare_col_nruns(c, 1), 3); /* replaced, not added */
    assert_false(compare_rerun(c, 7));
    bool fast[3], high[3];
    compare_winners(c, 0, fast, high);
    assert_false(fast[0] || fast[1] || fast[2] || high[0] || high[1] || high[2]);
    assert_null(compare_path(c)); /* detached: not saved */
    compare_free(c);
}

/* A transcript as the console writes it, cut off in the middle of a run. */
static const char transcript[] =
    "{\"type\":\"meta\",\"t\":1700000000000,\"kind\":\"compare\",\"title\":\"x\"}\n"
    "{\"t\":1700000000001,\"type\":\"compare\",\"models\":[\"gpt-4o\",\"grok-2\"],"
    "\"labels\":[\"A\",\"B\"],\"blind\":true,\"max_tokens\":50}\n"
    "{\"t\":1700000000002,\"type\":\"turn\",\"turn\":0,\"text\":\"hello\",\"runs\":1}\n"
    "{\"t\":1700000000003,\"type\":\"run\",\"col\":0,\"turn\":0,\"run\":0,\"sent_ms\":1700000000003,"
    "\"counted_prompt\":5}\n"
    "{\"t\":1700000000003,\"type\":\"run\",\"col\":1,\"turn\":0,\"run\":0,\"sent_ms\":1700000000003,"
    "\"counted_prompt\":5}\n"
    "{\"t\":1700000000400,\"type\":\"delta\",\"col\":0,\"text\":\"Hi there\"}\n"
    "{\"t\":1700000000500,\"type\":\"delta\",\"col\":1,\"text\":\"Hey\"}\n"
    "{\"t\":1700000000600,\"type\":\"delta\",\"col\":0,\"text\":\", friend.\"}\n"
    "this line is not JSON\n"
    "{\"t\":1700000000700,\"type\":\"end\",\"col\":0,\"turn\":0,\"run\":0,\"state\":\"done\","
    "\"finish_reason\":\"stop\",\"exit_code\":0,\"ttft_us\":400000,\"last_us\":600000,"
    "\"end_us\":700000,\"tokens\":5,\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,"
    "\"total_tokens\":10},\"end_ms\":1700000000700,\"retries\":0,\"skipped\":0}\n"
    "{\"t\":1700000000800,\"type\":\"vote\",\"turn\":0,\"col\":0,\"label\":\"A\",\"model\":\"gpt-4o\"}\n"
    "{\"t\":1700000000900,\"type\":\"delta\",\"col\":1,\"text\":\" yo";

static void open__reads_a_transcript_back(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/t.jsonl", dir);
    write_file(path, transcript);
    char *err = NULL;
    compare_t *c = compare_open(NULL, path, &err);
    if (!c)
        fail_msg("compare_open: %s", err);
    assert_int_equal(compare_ncols(c), 2);
    assert_true(compare_blind(c));
    assert_true(compare_revealed(c)); /* a vote was cast */
    assert_string_equal(compare_col_model(c, 1), "grok-2");
    assert_string_equal(compare_col_label(c, 1), "B");
    assert_int_equal(compare_nturns(c), 1);
    assert_string_equal(compare_turn_prompt(c, 0), "hello");
    assert_int_equal(compare_col_state(c, 0), COMPARE_DONE);
    assert_string_equal(buf_cstr(compare_col_text(c, 0)), "Hi there, friend.");
    assert_string_equal(compare_col_finish(c, 0), "stop");
    compare_metrics m;
    compare_col_metrics(c, 0, 0, &m);
    assert_int_equal(m.ttft_us, 400000);
    assert_int_equal(m.total_us, 700000);
    assert_int_equal(m.completion_tokens, 5);
    assert_false(m.completion_approx);
    assert_float_equal(m.tok_s, 4 / 0.2, 1e-9);
    /* The run that never ended (and its torn last line). */
    assert_int_equal(compare_col_state(c, 1), COMPARE_CANCELLED);
    assert_string_equal(compare_col_error(c, 1), "interrupted");
    assert_string_equal(buf_cstr(compare_col_text(c, 1)), "Hey");
    compare_col_metrics(c, 1, 0, &m);
    assert_int_equal(m.completion_tokens, 1);
    assert_true(m.completion_approx);
    assert_int_equal(m.prompt_tokens, 5);
    assert_true(m.prompt_approx);
    assert_false(compare_busy(c));
    assert_int_equal(compare_nvotes(c), 1);
    compare_free(c);

    snprintf(path, sizeof path, "%s/none.jsonl", dir);
    assert_null(compare_open(NULL, path, &err));
    assert_non_null(err);
    free(err);
    snprintf(path, sizeof path, "%s/other.jsonl", dir);
    write_file(path, "{\"type\":\"meta\",\"kind\":\"chat\"}\n");
    err = NULL;
    assert_null(compare_open(NULL, path, &err));
    assert_non_null(strstr(nonnull(err, "err"), "not a saved comparison"));
    free(err);
}

/* The system prompt and the temperature are the comparison's: kept in its
 * transcript and its export, read back from both. */
static void settings__system_and_temperature_are_kept_and_read_back(void **state)
{
    (void)state;
    static const char *const two[] = {"gpt-4o", "grok-2"};
    compare_t *c = nonnull(compare_new_detached(NULL, NULL, two, 2, false), "compare");
    double t = -1;
    assert_null(compare_system(c));
    assert_false(compare_temperature(c, &t));
    assert_false(compare_set_temperature(c, 2.5));
    assert_false(compare_set_temperature(c, -0.1));
    assert_false(compare_temperature(c, &t));
    compare_set_system(c, "Be brief.");
    assert_true(compare_set_temperature(c, 0.25));
    assert_string_equal(compare_system(c), "Be brief.");
    assert_true(compare_temperature(c, &t));
    assert_float_equal(t, 0.25, 1e-12);
    compare_free(c);

    char path[400];
    snprintf(path, sizeof path, "%s/sys.jsonl", dir);
    write_file(path,
               "{\"type\":\"meta\",\"t\":1700000000000,\"kind\":\"compare\",\"title\":\"x\"}\n"
               "{\"t\":1700000000001,\"type\":\"compare\",\"models\":[\"gpt-4o\",\"grok-2\"],"
               "\"labels\":null,\"blind\":false,\"max_tokens\":50,\"system\":\"Be brief.\","
               "\"temperature\":0.25}\n"
               "{\"t\":1700000000002,\"type\":\"turn\",\"turn\":0,\"text\":\"hello\",\"runs\":1}\n");
    char *err = NULL;
    c = compare_open(NULL, path, &err);
    if (!c)
        fail_msg("compare_open: %s", err);
    assert_string_equal(compare_system(c), "Be brief.");
    assert_true(compare_temperature(c, &t));
    assert_float_equal(t, 0.25, 1e-12);
    buf_t a = BUF_INIT;
    compare_render(c, EXPORT_JSON, &a);
    assert_non_null(strstr(buf_cstr(&a), "\"system\":\"Be brief.\""));
    assert_non_null(strstr(buf_cstr(&a), "\"temperature\":0.25"));
    char *written = NULL;
    if (compare_export(c, EXPORT_JSON, NULL, &written, &err) != 0)
        fail_msg("export: %s", err);
    compare_t *back = compare_open(NULL, nonnull(written, "written"), &err);
    if (!back)
        fail_msg("compare_open(export): %s", err);
    assert_string_equal(compare_system(back), "Be brief.");
    assert_true(compare_temperature(back, &t));
    assert_float_equal(t, 0.25, 1e-12);
    buf_clear(&a);
    compare_render(back, EXPORT_MARKDOWN, &a);
    assert_non_null(strstr(buf_cstr(&a), "Temperature 0.25."));
    assert_non_null(strstr(buf_cstr(&a), "System prompt:\n\n> Be brief."));
    buf_free(&a);
    compare_free(back);
    compare_free(c);
    free(written);
}

static void export__json_round_trips(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/t2.jsonl", dir);
    write_file(path, transcript);
    char *err = NULL;
    compare_t *c = compare_open(NULL, path, &err);
    if (!c)
        fail_msg("compare_open: %s", err);
    /* A second turn whose runs fail (no network), and a repeat. */
    assert_true(compare_repeat(c, "again \"quoted\"\nline two", 2));
    char *written = NULL;
    if (compare_export(c, EXPORT_JSON, NULL, &written, &err) != 0)
        fail_msg("export: %s", err);
    assert_non_null(strstr(nonnull(written, "written"), "/exports/compare-"));
    struct stat st;
    assert_int_equal(stat(written, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *first = read_all(written);
    assert_non_null(strstr(first, "\"format\":\"aidesk-compare\""));
    assert_non_null(strstr(first, "\"text\":\"Hi there, friend.\""));
    assert_non_null(strstr(first, "\"ttft_ms\":400.000"));
    assert_non_null(strstr(first, "\"votes\":[{\"turn\":0,\"col\":0,\"label\":\"A\""));

    compare_t *back = compare_open(NULL, written, &err);
    if (!back)
        fail_msg("compare_open(export): %s", err);
    assert_int_equal(compare_ncols(back), 2);
    assert_int_equal(compare_nturns(back), 2);
    assert_string_equal(compare_turn_prompt(back, 1), "again \"quoted\"\nline two");
    assert_string_equal(compare_col_answer(back, 0, 0), "Hi there, friend.");
    assert_int_equal(compare_col_nruns(back, 1), 2);
    assert_int_equal(compare_nvotes(back), 1);
    buf_t a = BUF_INIT, b = BUF_INIT;
    compare_render(c, EXPORT_JSON, &a);
    compare_render(back, EXPORT_JSON, &b);
    assert_string_equal(buf_cstr(&a), buf_cstr(&b));
    assert_string_equal(buf_cstr(&b), first);

    /* Markdown: the prompt, the table, the answers, the votes. */
    buf_clear(&a);
    compare_render(back, EXPORT_MARKDOWN, &a);
    const char *md = buf_cstr(&a);
    assert_non_null(strstr(md, "# Model comparison"));
    assert_non_null(strstr(md, "> hello\n"));
    assert_non_null(strstr(md, "| A · gpt-4o | openai | done | 400 | 20.0 | 0.70 | 5 | 5 | stop |"));
    assert_non_null(strstr(md, "| B · grok-2 | xai | cancelled |"));
    assert_non_null(strstr(md, "### A · gpt-4o\n\nHi there, friend."));
    assert_non_null(strstr(md, "Repeat statistics"));
    assert_non_null(strstr(md, "## Votes\n\n- Turn 1: A · gpt-4o"));
    snprintf(path, sizeof path, "%s/out.md", dir);
    free(written);
    assert_int_equal(compare_export(back, EXPORT_MARKDOWN, path, &written, &err), 0);
    assert_string_equal(written, path);
    char *md2 = read_all(path);
    assert_string_equal(md2, md);
    free(md2);
    free(written);
    buf_free(&a);
    buf_free(&b);
    free(first);
    compare_free(back);
    compare_free(c);

    /* A broken export is refused with a reason. */
    snprintf(path, sizeof path, "%s/bad.json", dir);
    write_file(path, "{\"format\":\"aidesk-compare\",\"version\":1,\"columns\":[]}\n");
    err = NULL;
    assert_null(compare_open(NULL, path, &err));
    assert_non_null(strstr(nonnull(err, "err"), "columns"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(providers__come_from_the_model_id),
        cmocka_unit_test(new__refuses_bad_model_lists),
        cmocka_unit_test(blind__labels_until_the_vote),
        cmocka_unit_test(runs__without_network_fail_in_their_columns),
        cmocka_unit_test(open__reads_a_transcript_back),
        cmocka_unit_test(export__json_round_trips),
        cmocka_unit_test(settings__system_and_temperature_are_kept_and_read_back),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown) ? 1 : 0;
}
