/* End-to-end tests of "aidesk compare" against the simulator: the metrics
 * table, --json with the answers, repeat statistics, a failed model, usage
 * errors, --save. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/mem.h"

static simproc sim;

#define FAST "llama-3.1-8b-instant"
#define MID "gpt-4o"
#define SLOW "claude-3-5-sonnet-20241022"

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "1", "--reply-tokens", "24"));
}

/* The line of the table that names model. */
static const char *row(const char *out, const char *model)
{
    const char *p = strstr(out, model);
    while (p && p != out && p[-1] != '\n')
        p = strstr(p + 1, model);
    return p;
}

static void compare__prints_the_metrics_table(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "-m", SLOW, "-m", FAST, "-m", MID, "hello", "there"));
    CLIT_EXPECT(r, 0, "MODEL", NULL);
    assert_non_null(strstr(r.out, "TTFT ms"));
    assert_non_null(strstr(r.out, "tok/s"));
    assert_non_null(strstr(r.out, "completion"));
    /* Header, three rows, the legend. */
    assert_int_equal(clit_count(r.out, "\n"), 5);
    const char *fast = row(r.out, FAST), *slow = row(r.out, SLOW), *mid = row(r.out, MID);
    assert_non_null(fast);
    assert_non_null(slow);
    assert_non_null(mid);
    /* In the order given; the groq model is marked fastest. */
    assert_true(slow < fast && fast < mid);
    const char *eol = strchr(fast, '\n');
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(eol - fast), fast);
    assert_non_null(strstr(line, "groq"));
    assert_non_null(strstr(line, "done"));
    assert_int_equal(clit_count(line, "*"), 2);
    assert_non_null(strstr(line, " 24 "));
    assert_non_null(strstr(line, "stop"));
    assert_non_null(strstr(r.out, "anthropic"));
    clit_res_free(&r);
}

static void compare__json_has_the_answers_and_the_metrics(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, "write a list\n", W("--json", "compare", "-m", FAST, "-m", MID, "-"));
    CLIT_EXPECT(r, 0, "\"columns\":[", NULL);
    assert_int_equal(clit_count(r.out, "\n"), 1);
    char *v = clit_json_str(r.out, "prompt");
    assert_string_equal(v, "write a list");
    free(v);
    v = clit_json_str(r.out, "columns.1.model");
    assert_string_equal(v, MID);
    free(v);
    v = clit_json_str(r.out, "columns.1.provider");
    assert_string_equal(v, "openai");
    free(v);
    v = clit_json_str(r.out, "columns.0.state");
    assert_string_equal(v, "done");
    free(v);
    v = clit_json_str(r.out, "columns.0.completion_tokens");
    assert_string_equal(v, "24");
    free(v);
    v = clit_json_str(r.out, "columns.0.completion_tokens_approx");
    assert_string_equal(v, "false");
    free(v);
    v = clit_json_str(r.out, "columns.0.fastest_ttft");
    assert_string_equal(v, "true");
    free(v);
    v = clit_json_str(r.out, "columns.1.fastest_ttft");
    assert_string_equal(v, "false");
    free(v);
    v = clit_json_str(r.out, "columns.0.answer");
    assert_true(v && strlen(v) > 24);
    free(v);
    v = clit_json_str(r.out, "columns.1.ttft_ms");
    assert_true(v && atof(v) > 50);
    free(v);
    v = clit_json_str(r.out, "columns.1.error");
    assert_null(v);
    v = clit_json_str(r.out, "transcript");
    assert_null(v);
    clit_res_free(&r);
}

static void compare__repeats_and_reports_median_and_spread(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "-m", "mixtral-8x7b-32768", "-n", "3", "hi"));
    CLIT_EXPECT(r, 0, "3 runs per model", NULL);
    assert_non_null(strstr(r.out, "TTFT median"));
    assert_non_null(strstr(r.out, "tok/s IQR"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL,
             W("compare", "--json", "-m", FAST, "-m", "mixtral-8x7b-32768", "-n", "3", "hi"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *v = clit_json_str(r.out, "runs");
    assert_string_equal(v, "3");
    free(v);
    v = clit_json_str(r.out, "columns.1.stats.ttft_ms.n");
    assert_string_equal(v, "3");
    free(v);
    v = clit_json_str(r.out, "columns.1.stats.tok_s.median");
    assert_true(v && atof(v) > 0);
    free(v);
    v = clit_json_str(r.out, "columns.0.runs.2.state");
    assert_string_equal(v, "done");
    free(v);
    clit_res_free(&r);
}

static void compare__a_failed_model_keeps_its_row_and_sets_the_status(void **state)
{
    (void)state;
    clit_fault(&sim, "status=500;times=1;path=/v1/chat/completions");
    clit_res r;
    clit_run(&r, NULL, NULL,
             W("--max-retries", "0", "compare", "-m", FAST, "-m", "mixtral-8x7b-32768", "hello"));
    CLIT_EXPECT(r, 6, "failed", "aidesk: ");
    assert_int_equal(clit_count(r.out, "done"), 1);
    assert_int_equal(clit_count(r.out, "failed"), 1);
    assert_int_equal(clit_count(r.err, "aidesk: "), 1);
    clit_res_free(&r);
}

static void compare__refuses_bad_usage(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "hello"));
    CLIT_EXPECT(r, 2, NULL, "-m MODEL");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "-n", "0", "hello"));
    CLIT_EXPECT(r, 2, NULL, "out of range");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "--max-tokens", "x", "hello"));
    CLIT_EXPECT(r, 2, NULL, "not a whole number");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL,
             W("compare", "-m", "a", "-m", "b", "-m", "c", "-m", "d", "-m", "e", "-m", "f", "-m",
               "g", "-m", "h", "-m", "i", "-m", "j", "-m", "k", "-m", "l", "-m", "m", "hi"));
    CLIT_EXPECT(r, 2, NULL, "at most 12");
    clit_res_free(&r);
    clit_run(&r, NULL, "", W("compare", "-m", FAST, "-"));
    CLIT_EXPECT(r, 2, NULL, "empty");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "--help"));
    CLIT_EXPECT(r, 0, "--runs", NULL);
    clit_res_free(&r);
    /* An unknown model fails in its row (404), the other is fine. */
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "-m", "no-such-model", "hi"));
    CLIT_EXPECT(r, 1, "no-such-model", "no-such-model");
    assert_int_equal(clit_count(r.out, "done"), 1);
    clit_res_free(&r);
}

static void compare__saves_a_transcript_on_request(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "--save", "--max-tokens", "5", "-m", FAST, "-m", MID, "hi"));
    CLIT_EXPECT(r, 0, "length", "saved to ");
    assert_non_null(strstr(r.err, "cut at max_tokens (5)"));
    char dir[512];
    snprintf(dir, sizeof dir, "%s/d/aidesk/transcripts", clit_home());
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, "-compare-") != NULL;
    closedir(d);
    assert_int_equal(n, 1);
    clit_res_free(&r);
}

static void compare__asks_for_max_tokens_of_the_config_file(void **state)
{
    (void)state;
    char conf[600];
    snprintf(conf, sizeof conf, "%s/compare-test.conf", clit_home());
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fputs("[aiassist]\nmax_tokens = 6\n", f);
    assert_int_equal(fclose(f), 0);
    clit_res r;
    clit_run(&r, NULL, NULL, W("--config", conf, "compare", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 0, "length", "cut at max_tokens (6)");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--config", conf, "compare", "--max-tokens", "4", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 0, "length", "cut at max_tokens (4)");
    clit_res_free(&r);
}

int main(void)
{
/* Each test starts without faults left over. */
#define T(f) cmocka_unit_test_setup(f, clit_fresh)
    const struct CMUnitTest tests[] = {
        T(compare__prints_the_metrics_table),
        T(compare__json_has_the_answers_and_the_metrics),
        T(compare__repeats_and_reports_median_and_spread),
        T(compare__a_failed_model_keeps_its_row_and_sets_the_status),
        T(compare__refuses_bad_usage),
        T(compare__saves_a_transcript_on_request),
        T(compare__asks_for_max_tokens_of_the_config_file),
    };
#undef T
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
