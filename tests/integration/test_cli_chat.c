/* End-to-end tests of "aidesk chat" and "aidesk models" against the
 * simulator: output, --json, every error class and its exit status, the
 * faults a stream can suffer, sanitising, and interrupts. */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/clock.h"
#include "util/mem.h"
#include "util/utf8.h"

static simproc sim;

#define FAST "-m", "llama-3.1-8b-instant"

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "50"));
}

static void chat__streams_the_reply_and_notes_a_cut(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "20", "hello", "there"));
    CLIT_EXPECT(r, 0, NULL, "cut at max_tokens (20)");
    assert_true(r.out_len > 10);
    assert_int_equal(r.out[r.out_len - 1], '\n');
    clit_res_free(&r);
}

static void chat__prints_one_json_object(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("--json", "chat", FAST, "--max-tokens", "8", "hi"));
    CLIT_EXPECT(r, 0, "\"finish_reason\":\"length\"", NULL);
    char *v = clit_json_str(r.out, "id");
    assert_non_null(v);
    assert_non_null(strstr(v, "chatcmpl-"));
    free(v);
    v = clit_json_str(r.out, "model");
    assert_string_equal(v, "llama-3.1-8b-instant");
    free(v);
    v = clit_json_str(r.out, "usage.completion_tokens");
    assert_string_equal(v, "8");
    free(v);
    v = clit_json_str(r.out, "skipped_chunks");
    assert_string_equal(v, "0");
    free(v);
    v = clit_json_str(r.out, "error");
    assert_null(v);
    free(v);
    assert_int_equal(clit_count(r.out, "\n"), 1);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("chat", "--json", "--no-stream", FAST, "--max-tokens", "5", "hi"));
    CLIT_EXPECT(r, 0, "\"total_tokens\"", NULL);
    clit_res_free(&r);
}

/* A server that refuses fields it does not know answers 400 to the
 * stream_options the SDK never sends: the chat goes again at once without
 * it (nothing was acted on), and since no usage comes, the counts are
 * aidesk's own, marked as estimates. */
static void chat__goes_again_without_stream_options_when_refused(void **state)
{
    (void)state;
    simproc strict;
    assert_int_equal(simproc_start(&strict, W("--speed", "50", "--refuse-field", "stream_options")), 0);
    char url[96];
    snprintf(url, sizeof url, "AIASSIST_BASE_URL=%s", strict.base_url);
    clit_res r;
    clit_run(&r, W(url), NULL, W("--json", "chat", FAST, "--max-tokens", "8", "hi"));
    CLIT_EXPECT(r, 0, "\"finish_reason\":\"length\"", "refused an optional field");
    assert_non_null(strstr(r.err, "stream_options"));
    char *v = clit_json_str(r.out, "usage.completion_tokens");
    assert_string_equal(v, "8");
    free(v);
    v = clit_json_str(r.out, "usage.estimated");
    assert_string_equal(v, "true");
    free(v);
    v = clit_json_str(r.out, "usage.prompt_tokens");
    assert_string_equal(v, "5"); /* "hi" and 4 for its message, as the simulator counts */
    free(v);
    clit_res_free(&r);
    /* Exactly two requests reached the server, the refused one and the
     * chat without the field. */
    char stats[8192];
    assert_int_equal(simproc_admin(&strict, "GET", "/_sim/stats", NULL, stats, sizeof stats), 200);
    char *n = clit_json_str(stats, "requests./v1/chat/completions");
    assert_string_equal(n, "2");
    free(n);

    /* Plain text the same way; a server with usage says no estimate. */
    clit_run(&r, W(url), NULL, W("chat", FAST, "--max-tokens", "8", "hi"));
    CLIT_EXPECT(r, 0, NULL, "refused an optional field");
    assert_true(r.out_len > 0);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "chat", FAST, "--max-tokens", "8", "hi"));
    CLIT_EXPECT(r, 0, "\"total_tokens\"", NULL);
    assert_null(strstr(r.out, "estimated"));
    assert_null(strstr(r.err, "refused"));
    clit_res_free(&r);
    simproc_stop(&strict);
}

static void chat__reads_the_prompt_from_stdin_and_saves_it(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, "give me a list\n",
             W("chat", FAST, "-s", "be brief", "--save", "--max-tokens", "30", "-"));
    CLIT_EXPECT(r, 0, NULL, "saved to ");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/d/aidesk/transcripts", clit_home());
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    char path[800] = "";
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, "-chat-"))
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    closedir(d);
    assert_true(path[0]);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "\"type\":\"meta\""));
    assert_non_null(strstr(buf, "\"type\":\"system\""));
    assert_non_null(strstr(buf, "give me a list"));
    assert_non_null(strstr(buf, "\"type\":\"assistant\""));
    clit_res_free(&r);
}

static void models__lists_ids_with_providers(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("models"));
    CLIT_EXPECT(r, 0, "claude-3-haiku-20240307", NULL);
    assert_non_null(strstr(r.out, "anthropic"));
    assert_int_equal(clit_count(r.out, "\n"), 17);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("models", "--json"));
    CLIT_EXPECT(r, 0, "{\"id\":\"gpt-4o\",\"provider\":\"openai\"}", NULL);
    assert_int_equal(r.out[0], '[');
    clit_res_free(&r);
}

static void errors__map_to_exit_statuses(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, W("AIASSIST_API_KEY=aai_wrong"), NULL, W("models"));
    CLIT_EXPECT(r, 3, NULL, "rejected the API key");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("chat", "-m", "no-such-model", "hi"));
    CLIT_EXPECT(r, 1, NULL, "not found");
    clit_res_free(&r);
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("models"));
    CLIT_EXPECT(r, 2, NULL, "no AiAssist API key: set AIASSIST_API_KEY or api_key / api_key_cmd in ");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("chat", "--frob"));
    CLIT_EXPECT(r, 2, NULL, "unknown option '--frob'");
    assert_non_null(strstr(r.err, "Try 'aidesk chat --help'."));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("chat", "--temperature", "9", "hi"));
    CLIT_EXPECT(r, 2, NULL, "temperature");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--timeout", "nonsense", "models"));
    CLIT_EXPECT(r, 2, NULL, "--timeout");
    clit_res_free(&r);
}

static void errors__retry_a_429_then_succeed(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/models;times=1;status=429;retry_after=1");
    clit_res r;
    int64_t t0 = clock_mono_ms();
    clit_run(&r, NULL, NULL, W("models"));
    CLIT_EXPECT(r, 0, "gpt-4o", "retrying in 1.0 s: rate limited by AiAssist");
    assert_non_null(strstr(r.err, "(attempt 1 of 3)"));
    assert_true(clock_mono_ms() - t0 >= 950);
    clit_res_free(&r);
}

static void errors__give_up_on_many_429s_with_status_4(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/models;times=5;status=429;retry_after=1");
    clit_res r;
    clit_run(&r, NULL, NULL, W("--max-retries", "1", "models"));
    CLIT_EXPECT(r, 4, NULL, "rate limited by AiAssist");
    clit_res_free(&r);
}

static void errors__retry_a_503_once_and_quietly(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/models;times=1;status=503");
    clit_res r;
    clit_run(&r, NULL, NULL, W("-q", "models"));
    CLIT_EXPECT(r, 0, "gpt-4o", NULL);
    assert_int_equal(r.err_len, 0);
    clit_res_free(&r);
    clit_fault(&sim, "path=/v1/models;times=9;status=502");
    clit_run(&r, NULL, NULL, W("--max-retries", "0", "models"));
    CLIT_EXPECT(r, 6, NULL, "server error (HTTP 502)");
    clit_res_free(&r);
}

static void errors__report_a_dead_server_with_status_5(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("--base-url", "http://127.0.0.1:1", "--max-retries", "1", "models"));
    CLIT_EXPECT(r, 5, NULL, "cannot reach http://127.0.0.1:1");
    assert_non_null(strstr(r.err, "retrying in"));
    clit_res_free(&r);
}

static void stream__skips_a_malformed_chunk_with_a_note(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/chat/completions;times=1;malformed=3");
    clit_res r;
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "15", "hi"));
    CLIT_EXPECT(r, 0, NULL, "1 malformed chunk was skipped");
    clit_res_free(&r);
}

static void stream__keeps_partial_text_when_cut(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/chat/completions;times=1;drop_after=6");
    clit_res r;
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "200", "hi"));
    CLIT_EXPECT(r, 5, NULL, "was cut");
    assert_true(r.out_len > 3);
    assert_int_equal(r.out[r.out_len - 1], '\n');
    clit_res_free(&r);
}

static void stream__fails_a_stall_after_the_timeout(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/chat/completions;times=1;stall_after=4;stall=5000");
    clit_res r;
    int64_t t0 = clock_mono_ms();
    clit_run(&r, NULL, NULL, W("--timeout", "1", "chat", FAST, "--max-tokens", "100", "hi"));
    CLIT_EXPECT(r, 5, NULL, "went silent");
    assert_true(r.out_len > 0);
    assert_true(clock_mono_ms() - t0 < 4500);
    clit_res_free(&r);
}

static void stream__is_cancelled_by_sigint_with_status_130(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/v1/chat/completions;times=1;stall_after=5;stall=8000");
    clit_proc p;
    assert_int_equal(clit_spawn(&p, NULL, W("chat", FAST, "--max-tokens", "100", "hi")), 0);
    assert_true(clit_wait_out(&p, NULL, 10000));
    int64_t t0 = clock_mono_ms();
    clit_res r;
    clit_stop(&p, SIGINT, 5000, &r);
    CLIT_EXPECT(r, 130, NULL, "cancelled");
    assert_true(clock_mono_ms() - t0 < 3000);
    assert_true(r.out_len > 0);
    clit_res_free(&r);
}

/* ESC (0x1b) or a C1 CSI (C2 9B) would reach the terminal. */
static bool has_controls(const clit_res *r)
{
    return memchr(r->out, 0x1b, r->out_len) || strstr(r->out, "\xc2\x9b") ||
           strstr(r->out, "\xe2\x80\xae");
}

static void output__is_sanitised_unless_raw_to_a_pipe(void **state)
{
    (void)state;
    clit_res r;
    clit_fault(&sim, "path=/v1/chat/completions;times=1;escapes");
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, "\xe2\x90\x9b[2J", NULL); /* ESC shown as U+241B */
    assert_false(has_controls(&r));
    assert_non_null(strstr(r.out, "<U+202E>"));
    clit_res_free(&r);

    clit_fault(&sim, "path=/v1/chat/completions;times=1;escapes");
    clit_run(&r, NULL, NULL, W("--raw", "chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, "\x1b[2J", NULL);
    clit_res_free(&r);

    clit_fault(&sim, "path=/v1/chat/completions;times=1;escapes");
    clit_run(&r, NULL, NULL, W("--json", "chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, "\\u001b[2J", NULL);
    assert_false(has_controls(&r));
    assert_non_null(strstr(r.out, "\\u202e"));
    clit_res_free(&r);

    clit_fault(&sim, "path=/v1/chat/completions;times=1;escapes");
    clit_run_pty(&r, NULL, W("--raw", "chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, "\xe2\x90\x9b[2J", "--raw ignored");
    assert_false(has_controls(&r));
    clit_res_free(&r);
}

/* What the simulator's invalid_utf8 fault sends (docs/protocol.md 6),
 * each maximal invalid subpart one U+FFFD. */
#define FFFD "\xef\xbf\xbd"
#define SIM_FIXED FFFD FFFD " bad" FFFD "( " FFFD FFFD " " FFFD FFFD FFFD " " FFFD FFFD FFFD FFFD FFFD
#define BAD_UTF8_WARNING "not valid UTF-8"

static void invalid_utf8_kept(const clit_res *r)
{
    if (!strstr(r->out, SIM_FIXED))
        fail_msg("the text around the bad bytes is not all there: %s", r->out);
    assert_true(utf8_valid(r->out, r->out_len));
    assert_int_equal(clit_count(r->err, BAD_UTF8_WARNING), 1);
    assert_null(strstr(r->err, "malformed"));
}

static void chat__keeps_text_around_invalid_utf8_with_one_warning(void **state)
{
    (void)state;
    clit_res r;
    /* Streamed: the chunk that holds the bad bytes is kept, not skipped. */
    clit_fault(&sim, "path=/v1/chat/completions;times=1;invalid_utf8");
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, NULL, BAD_UTF8_WARNING);
    invalid_utf8_kept(&r);
    clit_res_free(&r);
    /* A plain answer is not refused for it. */
    clit_fault(&sim, "path=/v1/chat/completions;times=1;invalid_utf8");
    clit_run(&r, NULL, NULL, W("chat", FAST, "--no-stream", "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, NULL, BAD_UTF8_WARNING);
    invalid_utf8_kept(&r);
    clit_res_free(&r);
    /* --json, and --raw to a pipe: U+FFFD there too, the output valid. */
    clit_fault(&sim, "path=/v1/chat/completions;times=1;invalid_utf8");
    clit_run(&r, NULL, NULL, W("--json", "chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, "\"skipped_chunks\":0", BAD_UTF8_WARNING);
    invalid_utf8_kept(&r);
    clit_res_free(&r);
    clit_fault(&sim, "path=/v1/chat/completions;times=1;invalid_utf8");
    clit_run(&r, NULL, NULL, W("--raw", "chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, NULL, BAD_UTF8_WARNING);
    invalid_utf8_kept(&r);
    clit_res_free(&r);
    /* No bad bytes, no warning. */
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "10", "hi"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_null(strstr(r.err, BAD_UTF8_WARNING));
    clit_res_free(&r);
}

static void output__never_shows_the_key(void **state)
{
    (void)state;
    char log[600];
    snprintf(log, sizeof log, "%s/debug.log", clit_home());
    clit_res r;
    clit_run(&r, W("AIASSIST_API_KEY=aai_secret_test_key_123"), NULL,
             W("--debug", log, "chat", FAST, "--max-tokens", "5", "hi"));
    CLIT_EXPECT(r, 3, NULL, NULL);
    assert_null(strstr(r.err, "aai_secret_test_key_123"));
    assert_null(strstr(r.out, "aai_secret_test_key_123"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--debug", log, "chat", FAST, "--max-tokens", "5", "hi"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_true(n > 0);
    assert_null(strstr(buf, "aai_secret_test_key_123"));
    assert_null(strstr(buf, "aai_demo_agent"));
}

/* A config file in the scratch directory; its path in path. */
static void write_config(char *path, size_t n, const char *text)
{
    snprintf(path, n, "%s/chat-test.conf", clit_home());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void chat__asks_for_max_tokens_of_the_config_file(void **state)
{
    (void)state;
    char conf[600];
    write_config(conf, sizeof conf, "[aiassist]\nmax_tokens = 7\n");
    clit_res r;
    clit_run(&r, NULL, NULL, W("--config", conf, "--json", "chat", FAST, "hi"));
    CLIT_EXPECT(r, 0, "\"finish_reason\":\"length\"", NULL);
    char *v = clit_json_str(r.out, "usage.completion_tokens");
    assert_string_equal(v, "7");
    free(v);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--config", conf, "chat", FAST, "--no-stream", "hi"));
    CLIT_EXPECT(r, 0, NULL, "cut at max_tokens (7)");
    clit_res_free(&r);
    /* The option still wins over the file. */
    clit_run(&r, NULL, NULL, W("--config", conf, "chat", FAST, "--max-tokens", "9", "hi"));
    CLIT_EXPECT(r, 0, NULL, "cut at max_tokens (9)");
    clit_res_free(&r);
}

static void chat__refuses_max_tokens_over_the_one_limit(void **state)
{
    (void)state;
    clit_res r;
    /* The config file takes at most 1000000; the option the same. */
    clit_run(&r, NULL, NULL, W("chat", FAST, "--max-tokens", "1000001", "hi"));
    CLIT_EXPECT(r, 2, NULL, "--max-tokens");
    assert_non_null(strstr(r.err, "1000000"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "-m", "gpt-4o", "--max-tokens", "1000001", "hi"));
    CLIT_EXPECT(r, 2, NULL, "--max-tokens");
    clit_res_free(&r);
    char conf[600];
    write_config(conf, sizeof conf, "[aiassist]\nmax_tokens = 1000001\n");
    clit_run(&r, NULL, NULL, W("--config", conf, "chat", FAST, "hi"));
    CLIT_EXPECT(r, 2, NULL, "max_tokens must be between 1 and 1000000");
    clit_res_free(&r);
}

/* A fast reply to a pipe goes out in large writes: one write per token was
 * most of the CPU of a long reply. Nothing is lost on the way: the same
 * text as the reply asked for without streaming. */
static void chat__writes_a_fast_reply_in_few_writes(void **state)
{
    (void)state;
    simproc fast;
    assert_int_equal(simproc_start(&fast, W("--speed", "0", "--reply-tokens", "20000")), 0);
    char url[128];
    snprintf(url, sizeof url, "AIASSIST_BASE_URL=%s", fast.base_url);
    clit_res r, plain;
    clit_run(&r, W(url), NULL, W("chat", FAST, "--max-tokens", "20000", "hi"));
    clit_run(&plain, W(url), NULL, W("chat", FAST, "--no-stream", "--max-tokens", "20000", "hi"));
    simproc_stop(&fast);
    CLIT_EXPECT(r, 0, NULL, NULL);
    CLIT_EXPECT(plain, 0, NULL, NULL);
    assert_true(r.out_len > 50000);
    assert_int_equal(r.out_len, plain.out_len);
    assert_memory_equal(r.out, plain.out, r.out_len);
    if (r.syscw < 0) {
        clit_res_free(&r);
        clit_res_free(&plain);
        skip(); /* no /proc/PID/io here */
    }
    /* 20,000 tokens; the network's wake-ups and the reply's writes are a
     * few hundred at most. */
    if (r.syscw > 1000)
        fail_msg("%lld writes for a reply of 20,000 tokens", r.syscw);
    clit_res_free(&r);
    clit_res_free(&plain);
}

static void help__shows_syntax_and_exit_codes(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("--help"));
    CLIT_EXPECT(r, 0, "Exit status:", NULL);
    assert_non_null(strstr(r.out, "ws watch"));
    assert_non_null(strstr(r.out, "AIASSIST_API_KEY"));
    assert_non_null(strstr(r.out, "130 interrupted"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("chat", "--help"));
    CLIT_EXPECT(r, 0, "Usage: aidesk chat", NULL);
    assert_non_null(strstr(r.out, "Example: aidesk chat"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "--help"));
    CLIT_EXPECT(r, 0, "aidesk ws approve", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("-V"));
    CLIT_EXPECT(r, 0, "aidesk " PACKAGE_VERSION, NULL);
    clit_res_free(&r);
}

/* Each test starts without faults left over. */
#define T(f) cmocka_unit_test_setup(f, clit_fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(chat__streams_the_reply_and_notes_a_cut),
        T(chat__prints_one_json_object),
        T(chat__goes_again_without_stream_options_when_refused),
        T(chat__reads_the_prompt_from_stdin_and_saves_it),
        T(models__lists_ids_with_providers),
        T(errors__map_to_exit_statuses),
        T(errors__retry_a_429_then_succeed),
        T(errors__give_up_on_many_429s_with_status_4),
        T(errors__retry_a_503_once_and_quietly),
        T(errors__report_a_dead_server_with_status_5),
        T(stream__skips_a_malformed_chunk_with_a_note),
        T(stream__keeps_partial_text_when_cut),
        T(stream__fails_a_stall_after_the_timeout),
        T(stream__is_cancelled_by_sigint_with_status_130),
        T(output__is_sanitised_unless_raw_to_a_pipe),
        T(chat__keeps_text_around_invalid_utf8_with_one_warning),
        T(output__never_shows_the_key),
        T(chat__asks_for_max_tokens_of_the_config_file),
        T(chat__refuses_max_tokens_over_the_one_limit),
        T(chat__writes_a_fast_reply_in_few_writes),
        T(help__shows_syntax_and_exit_codes),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
