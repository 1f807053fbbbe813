/* End-to-end tests of "aidesk gate call" against the simulator: the reply
 * and its timings, --json, WAV in and out, faults and exit statuses, and
 * the client secret kept out of the debug log. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/wav.h"

static simproc sim;
static char rt_env[160];

static int setup(void **state)
{
    (void)state;
    int rc = clit_start_sim(&sim, W("--speed", "50"));
    snprintf(rt_env, sizeof rt_env, "AI_GATE_REALTIME_URL=ws://127.0.0.1:%d/v1/realtime", sim.port);
    return rc;
}

static int fresh(void **state)
{
    clit_fresh(state);
    simproc_admin(&sim, "POST", "/_sim/reset", "{}", NULL, 0);
    return 0;
}

#define ENV W(rt_env, "AIDESK_PLAYER=none")

static void call__says_text_and_prints_the_transcript_and_timings(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/call1", clit_home());
    clit_res r;
    clit_run(&r, ENV, NULL,
             W("gate", "call", "--voice", "shimmer", "--instructions", "Speak like a butler.", "--say",
               "Where is my parcel?", "--save", dir));
    CLIT_EXPECT(r, 0, "You said: Where is my parcel?", NULL);
    assert_non_null(strstr(r.out, "Speak like a butler"));
    assert_non_null(strstr(r.out, "timings        first text "));
    assert_non_null(strstr(r.out, "first audio "));
    assert_non_null(strstr(r.out, "tokens "));
    assert_non_null(strstr(r.out, "/turn-1.wav"));
    clit_res_free(&r);
    char *wav = xasprintf("%s/turn-1.wav", dir);
    struct stat st;
    assert_int_equal(stat(wav, &st), 0);
    assert_true(st.st_size > 44);
    /* The reply's audio goes back in as speech. */
    clit_run(&r, ENV, NULL, W("--json", "gate", "call", "--wav", wav));
    CLIT_EXPECT(r, 0, "\"said\":\"(audio turn-1.wav, ", NULL);
    char *reply = clit_json_str(r.out, "turn.reply");
    assert_non_null(reply);
    assert_non_null(strstr(reply, " ms of audio"));
    assert_non_null(strstr(r.out, "\"first_audio_ms\":"));
    assert_non_null(strstr(r.out, "\"output_audio_tokens\":"));
    free(reply);
    clit_res_free(&r);
    free(wav);
}

static void call__beta_and_text_only_with_json(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, ENV, NULL, W("--json", "gate", "call", "--beta", "--text", "--say", "hello"));
    CLIT_EXPECT(r, 0, "\"protocol\":\"beta\"", NULL);
    assert_non_null(strstr(r.out, "\"first_audio_ms\":null"));
    assert_non_null(strstr(r.out, "\"status\":\"completed\""));
    clit_res_free(&r);
}

static void call__usage_errors(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, ENV, NULL, W("gate", "call"));
    CLIT_EXPECT(r, 2, NULL, "--say TEXT or --wav FILE");
    clit_res_free(&r);
    clit_run(&r, ENV, NULL, W("gate", "call", "--say", "a", "--wav", "b.wav"));
    CLIT_EXPECT(r, 2, NULL, "one of");
    clit_res_free(&r);
    clit_run(&r, W("AI_GATE_REALTIME_URL=https://x.example/v1/realtime"), NULL,
             W("gate", "call", "--say", "a"));
    CLIT_EXPECT(r, 2, NULL, "wss://");
    clit_res_free(&r);
    clit_run(&r, ENV, NULL, W("gate", "call", "--wav", "/nonexistent.wav"));
    CLIT_EXPECT(r, 1, NULL, "cannot read /nonexistent.wav");
    clit_res_free(&r);
    /* ws:// is for this machine only. */
    clit_run(&r, W("AI_GATE_REALTIME_URL=ws://example.com/v1/realtime"), NULL,
             W("gate", "call", "--say", "a"));
    CLIT_EXPECT(r, 1, NULL, "loopback");
    clit_res_free(&r);
}

static void call__faults_have_their_exit_statuses(void **state)
{
    (void)state;
    clit_res r;
    clit_fault(&sim, "status=500;path=/v1/realtime;times=1");
    clit_run(&r, ENV, NULL, W("gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 6, NULL, "the Realtime service failed: Simulated 500");
    clit_res_free(&r);
    clit_fault(&sim, "status=429;path=/v1/realtime;times=1");
    clit_run(&r, ENV, NULL, W("gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 4, NULL, "rate limit used up: requests 0 of 5000 left");
    assert_non_null(strstr(r.err, "rate limit reached"));
    clit_res_free(&r);
    clit_fault(&sim, "drop_after=6;path=/v1/realtime;times=1");
    clit_run(&r, ENV, NULL, W("gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 5, NULL, "closed the WebSocket without a close frame");
    clit_res_free(&r);
    clit_fault(&sim, "latency=500;path=/v1/realtime;times=1");
    clit_run(&r, ENV, NULL, W("--json", "gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *at = strstr(r.out, "\"first_text_ms\":");
    assert_non_null(at);
    assert_true(atof(at + 16) >= 500.0);
    clit_res_free(&r);
}

/* Whether text holds a client secret: "eph_" and 20 more letters or digits. */
static bool holds_secret(const char *text)
{
    for (const char *p = strstr(text, "eph_"); p; p = strstr(p + 1, "eph_")) {
        size_t n = 0;
        while (isalnum((unsigned char)p[4 + n]))
            n++;
        if (n >= 20)
            return true;
    }
    return false;
}

static void call__keeps_the_client_secret_out_of_the_log(void **state)
{
    (void)state;
    char log[600];
    snprintf(log, sizeof log, "%s/call-debug.log", clit_home());
    clit_res r;
    clit_run(&r, ENV, NULL, W("--debug", log, "gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_false(holds_secret(r.out));
    assert_false(holds_secret(r.err));
    clit_res_free(&r);
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "ws #"));   /* the call was logged */
    assert_false(holds_secret(buf));
    assert_null(strstr(buf, "Bearer"));
}

/* The Realtime endpoint from the config file's realtime_url, below
 * AI_GATE_REALTIME_URL and --realtime-url. */
static void call__takes_the_realtime_url_from_the_config_file(void **state)
{
    (void)state;
    char *cdir = xasprintf("%s/c/aidesk", clit_home());
    char *mk = xasprintf("mkdir -p '%s'", cdir);
    assert_int_equal(system(mk), 0);
    char *conf = xasprintf("%s/config", cdir);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f, "[gate]\nrealtime_url = %s\n", strchr(rt_env, '=') + 1);
    assert_int_equal(fclose(f), 0);
    clit_res r;
    clit_run(&r, W("AI_GATE_REALTIME_URL", "AIDESK_PLAYER=none"), NULL,
             W("gate", "call", "--say", "from the file"));
    CLIT_EXPECT(r, 0, "You said: from the file", NULL);
    clit_res_free(&r);
    /* The environment and the option win over the file. */
    clit_run(&r, W("AI_GATE_REALTIME_URL=ws://127.0.0.1:1/v1/realtime", "AIDESK_PLAYER=none"),
             NULL, W("gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 5, NULL, "127.0.0.1:1");
    clit_res_free(&r);
    clit_run(&r, W("AI_GATE_REALTIME_URL", "AIDESK_PLAYER=none"), NULL,
             W("gate", "call", "--realtime-url", "ws://127.0.0.1:1/v1/realtime", "--say", "hi"));
    CLIT_EXPECT(r, 5, NULL, "127.0.0.1:1");
    clit_res_free(&r);
    /* A bad one is named with its line. */
    f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f, "[gate]\nrealtime_url = https://rt.example.com/v1/realtime\n");
    assert_int_equal(fclose(f), 0);
    clit_run(&r, W("AI_GATE_REALTIME_URL"), NULL, W("gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 2, NULL, "config:2: realtime_url: the Realtime URL must start with wss://");
    clit_res_free(&r);
    assert_int_equal(unlink(conf), 0);
    free(conf);
    free(mk);
    free(cdir);
}

#define T(f) cmocka_unit_test_setup(f, fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(call__says_text_and_prints_the_transcript_and_timings),
        T(call__beta_and_text_only_with_json),
        T(call__usage_errors),
        T(call__faults_have_their_exit_statuses),
        T(call__keeps_the_client_secret_out_of_the_log),
        T(call__takes_the_realtime_url_from_the_config_file),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
