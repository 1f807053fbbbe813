/* Integration tests: the call controller (gate/callctl.h) against the
 * simulator's Realtime endpoint - text turns, WAV in and out, both
 * protocol generations, expired secrets and every fault. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "gate/callctl.h"
#include "net/net.h"
#include "simproc.h"
#include "test.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/wav.h"
#include "xdgtmp.h"

static simproc sim;
static net_t *net;
static char tmp[512];
static char url[128];
static int dirs;

typedef struct minted {
    char *id, *secret;
    int64_t secret_expires;
} minted;

static int setup(void **state)
{
    (void)state;
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
    const char *args[] = {"--speed", "20", NULL};
    if (simproc_start(&sim, args) != 0 || xdgtmp_make(tmp, sizeof tmp, "call") != 0)
        return -1;
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/v1/realtime", sim.port);
    setenv("AIDESK_PLAYER", "none", 1);
    net = net_new(NULL);
    return net ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    net_free(net);
    simproc_stop(&sim);
    xdgtmp_remove(tmp);
    return 0;
}

/* proj_growth: a plan with room for every session these tests make. */
static minted mint(const char *voice, const char *instructions)
{
    char body[512], out[8192];
    snprintf(body, sizeof body, "{\"project_id\":\"proj_growth\",\"voice\":\"%s\",\"instructions\":\"%s\"}",
             voice, instructions);
    assert_int_equal(simproc_admin(&sim, "POST", "/session", body, out, sizeof out), 200);
    json_object *o = json_tokener_parse(out), *v, *cs;
    assert_non_null(o);
    minted m;
    assert_true(json_object_object_get_ex(o, "id", &v));
    m.id = xstrdup(json_object_get_string(v));
    assert_true(json_object_object_get_ex(o, "client_secret", &cs));
    assert_true(json_object_object_get_ex(cs, "value", &v));
    m.secret = xstrdup(json_object_get_string(v));
    assert_true(json_object_object_get_ex(cs, "expires_at", &v));
    m.secret_expires = json_object_get_int64(v);
    json_object_put(o);
    return m;
}

static void minted_free(minted *m)
{
    free(m->id);
    free(m->secret);
}

static callctl *start(const minted *m, bool beta, bool text_only, char *dir_out)
{
    snprintf(dir_out, 600, "%s/call%d", tmp, ++dirs);
    callctl_params p = {0};
    p.url = url;
    p.session_id = m->id;
    p.secret = m->secret;
    p.secret_expires_s = m->secret_expires;
    p.beta = beta;
    p.text_only = text_only;
    p.dir = dir_out;
    bool expired = true;
    char *err = NULL;
    callctl *c = callctl_new(net, &p, clock_wall_ms(), &expired, &err);
    assert_null(err);
    assert_non_null(c);
    assert_false(expired);
    return c;
}

/* Runs the loop until the last turn is done or the call is over. */
static void run_turn(callctl *c)
{
    while (callctl_busy(c) && callctl_info_get(c)->state <= CALL_OPEN) {
        net_event *ev = net_wait_event(net, 15000);
        assert_non_null(ev);
        if (!callctl_handle(c, ev))
            net_event_free(ev);
    }
}

static void run_until_over(callctl *c)
{
    while (callctl_info_get(c)->state <= CALL_OPEN) {
        net_event *ev = net_wait_event(net, 15000);
        assert_non_null(ev);
        if (!callctl_handle(c, ev))
            net_event_free(ev);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    buf_t b = BUF_INIT;
    char tmpb[65536];
    size_t n;
    while ((n = fread(tmpb, 1, sizeof tmpb, f)) > 0)
        buf_append(&b, tmpb, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

static bool has_note(const callctl_info *in, const char *part)
{
    for (size_t i = 0; i < in->nnotes; i++)
        if (strstr(in->notes[i], part))
            return true;
    return false;
}

static void call__a_text_turn_streams_times_and_saves_the_audio(void **state)
{
    (void)state;
    minted m = mint("nova", "Answer like a pirate.");
    char dir[600];
    callctl *c = start(&m, false, false, dir);
    char *err = NULL;
    assert_int_equal(callctl_say(c, "where is my parcel", &err), 0);
    /* One turn at a time. */
    assert_int_equal(callctl_say(c, "and another", &err), -1);
    assert_non_null(strstr(err, "wait"));
    free(err);
    err = NULL;
    run_turn(c);
    const callctl_info *in = callctl_info_get(c);
    assert_int_equal(in->state, CALL_OPEN);
    assert_int_equal(in->nturns, 1);
    const callctl_turn *t = &in->turns[0];
    assert_false(t->failed);
    assert_string_equal(t->status, "completed");
    /* The session's instructions and voice were followed. */
    assert_non_null(strstr(buf_cstr(&t->reply), "where is my parcel"));
    assert_non_null(strstr(buf_cstr(&t->reply), "Answer like a pirate"));
    assert_string_equal(in->voice, "nova");
    assert_true(t->first_text_us > 0 && t->first_audio_us > 0);
    assert_true(t->done_us >= t->first_audio_us);
    assert_true(t->has_usage && t->usage.output > 0 && t->usage.output_audio > 0);
    assert_true(t->audio_bytes > 0);
    assert_true(has_note(in, "rate limits: requests"));
    /* The WAV next to the transcript. */
    assert_non_null(t->wav_path);
    size_t len;
    char *wav = slurp(t->wav_path, &len);
    assert_int_equal(len, 44 + t->audio_bytes);
    assert_memory_equal(wav, "RIFF", 4);
    buf_t pcm = BUF_INIT;
    assert_int_equal(wav_decode(wav, len, &pcm, &err), 0);
    assert_int_equal(pcm.len, t->audio_bytes);
    buf_free(&pcm);
    free(wav);
    char *tpath = xasprintf("%s/transcript.txt", dir);
    struct stat tst;
    assert_int_equal(stat(tpath, &tst), 0);
    assert_int_equal(tst.st_mode & 0777, 0600);
    char *tr = slurp(tpath, &len);
    assert_non_null(strstr(tr, "you: where is my parcel\nassistant: "));
    free(tr);
    free(tpath);
    /* A second turn, then hang up cleanly. */
    assert_int_equal(callctl_say(c, "thanks", &err), 0);
    run_turn(c);
    assert_int_equal(in->nturns, 2);
    assert_false(in->turns[1].failed);
    callctl_hangup(c);
    run_until_over(c);
    assert_int_equal(in->state, CALL_CLOSED);
    assert_int_equal(in->close_code, 1000);
    callctl_free(c);
    minted_free(&m);
}

/* Playback: the player (here a script that notes what it was given) is
 * started on the reply's WAV once the reply is done, only when asked. */
static void call__plays_replies_when_asked(void **state)
{
    (void)state;
    char *script = xasprintf("%s/player.sh", tmp), *played = xasprintf("%s/played.txt", tmp);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\necho \"$1\" >> '%s'\n", played);
    fclose(f);
    assert_int_equal(chmod(script, 0700), 0);
    setenv("AIDESK_PLAYER", script, 1);
    minted m = mint("alloy", "x");
    char dir[600];
    callctl *c = start(&m, false, false, dir);
    setenv("AIDESK_PLAYER", "none", 1);
    const callctl_info *in = callctl_info_get(c);
    assert_non_null(in->player);
    char *err = NULL;
    assert_int_equal(callctl_say(c, "one", &err), 0); /* playback off: not played */
    run_turn(c);
    callctl_set_playback(c, true);
    assert_true(in->playback);
    assert_int_equal(callctl_say(c, "two", &err), 0);
    run_turn(c);
    assert_non_null(in->turns[1].wav_path);
    /* The player runs as a child: wait for its note (bounded). */
    char buf[1024] = "";
    for (int i = 0; i < 200 && !strstr(buf, "turn-2.wav"); i++) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
        FILE *p = fopen(played, "r");
        if (p) {
            size_t n = fread(buf, 1, sizeof buf - 1, p);
            buf[n] = '\0';
            fclose(p);
        }
    }
    assert_non_null(strstr(buf, "turn-2.wav"));
    assert_null(strstr(buf, "turn-1.wav"));
    callctl_free(c);
    minted_free(&m);
    free(script);
    free(played);
}

static void call__a_wav_is_sent_as_speech(void **state)
{
    (void)state;
    /* 1.5 s at 16 kHz stereo: converted before it goes. */
    char *path = xasprintf("%s/in.wav", tmp);
    buf_t f = BUF_INIT;
    size_t frames = 24000;
    wav_header(&f, (uint32_t)(frames * 4));
    f.data[22] = 2;
    f.data[24] = (char)(16000 & 0xff);
    f.data[25] = (char)(16000 >> 8);
    for (size_t i = 0; i < frames * 2; i++)
        buf_append(&f, "\x10\x01", 2);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(f.data, 1, f.len, fp), f.len);
    fclose(fp);
    buf_free(&f);
    minted m = mint("echo", "Be brief.");
    char dir[600];
    callctl *c = start(&m, false, false, dir);
    char *err = NULL;
    assert_int_equal(callctl_say_wav(c, path, &err), 0);
    run_turn(c);
    const callctl_turn *t = &callctl_info_get(c)->turns[0];
    assert_false(t->failed);
    assert_non_null(strstr(t->said, "in.wav, 1500 ms"));
    assert_non_null(strstr(buf_cstr(&t->reply), "1500 ms of audio"));
    assert_true(t->usage.input_audio > 0);
    /* Not a WAV: refused before anything is sent. */
    assert_int_equal(callctl_say_wav(c, dir, &err), -1);
    assert_non_null(err);
    free(err);
    assert_int_equal(callctl_info_get(c)->nturns, 1);
    callctl_free(c);
    minted_free(&m);
    free(path);
}

static void call__beta_names_and_text_only_replies(void **state)
{
    (void)state;
    minted m = mint("onyx", "Be brief.");
    char dir[600];
    callctl *c = start(&m, true, true, dir);
    char *err = NULL;
    assert_int_equal(callctl_say(c, "hello", &err), 0);
    run_turn(c);
    const callctl_info *in = callctl_info_get(c);
    assert_true(in->beta_seen);
    const callctl_turn *t = &in->turns[0];
    assert_false(t->failed);
    assert_non_null(strstr(buf_cstr(&t->reply), "hello"));
    assert_int_equal(t->audio_bytes, 0);
    assert_true(t->first_audio_us == 0 && t->first_text_us > 0);
    assert_null(t->wav_path);
    callctl_free(c);
    minted_free(&m);
}

static void call__an_expired_secret_is_refused_with_an_offer(void **state)
{
    (void)state;
    minted m = mint("echo", "x");
    callctl_params p = {0};
    p.url = url;
    p.session_id = m.id;
    p.secret = m.secret;
    p.secret_expires_s = m.secret_expires;
    bool expired = false;
    char *err = NULL;
    /* Known to be expired here: nothing goes out. */
    assert_null(callctl_new(net, &p, (m.secret_expires + 5) * 1000, &expired, &err));
    assert_true(expired);
    assert_non_null(strstr(err, "create a new session"));
    free(err);
    minted_free(&m);
    /* Expired at the server (its clock runs 1000 times faster). */
    simproc fast;
    const char *args[] = {"--speed", "1000", NULL};
    assert_int_equal(simproc_start(&fast, args), 0);
    char out[8192];
    assert_int_equal(simproc_admin(&fast, "POST", "/session", "{\"project_id\":\"proj_demo\"}", out,
                                   sizeof out), 200);
    json_object *o = json_tokener_parse(out), *cs, *v;
    assert_true(json_object_object_get_ex(o, "client_secret", &cs));
    assert_true(json_object_object_get_ex(cs, "value", &v));
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    char furl[128];
    snprintf(furl, sizeof furl, "ws://127.0.0.1:%d/v1/realtime", fast.port);
    p.url = furl;
    p.secret = json_object_get_string(v);
    p.secret_expires_s = 0; /* unknown here */
    callctl *c = callctl_new(net, &p, clock_wall_ms(), &expired, &err);
    json_object_put(o);
    assert_non_null(c);
    run_until_over(c);
    const callctl_info *in = callctl_info_get(c);
    assert_int_equal(in->state, CALL_FAILED);
    assert_true(in->secret_expired);
    assert_non_null(strstr(in->error, "create a new session"));
    callctl_free(c);
    simproc_stop(&fast);
}

static void add_fault(const char *spec)
{
    char *body = xasprintf("{\"spec\":\"%s;path=/v1/realtime;times=1\"}", spec);
    assert_int_equal(simproc_admin(&sim, "POST", "/_sim/faults", body, NULL, 0), 200);
    free(body);
}

static void call__faults_in_words(void **state)
{
    (void)state;
    char dir[600];
    char *err = NULL;
    /* An error event: the turn fails, the call goes on. */
    add_fault("status=500");
    minted m = mint("echo", "x");
    callctl *c = start(&m, false, false, dir);
    assert_int_equal(callctl_say(c, "hello", &err), 0);
    run_turn(c);
    const callctl_info *in = callctl_info_get(c);
    assert_true(in->turns[0].failed);
    assert_non_null(strstr(in->turns[0].error, "the Realtime service failed"));
    assert_true(has_note(in, "Simulated 500"));
    assert_int_equal(in->state, CALL_OPEN);
    callctl_free(c);
    minted_free(&m);
    /* A rate-limit event with nothing left, then the error. */
    add_fault("status=429;retry_after=9");
    m = mint("echo", "x");
    c = start(&m, false, false, dir);
    assert_int_equal(callctl_say(c, "hello", &err), 0);
    run_turn(c);
    in = callctl_info_get(c);
    assert_true(has_note(in, "rate limit used up: requests 0 of 5000 left"));
    assert_non_null(strstr(in->turns[0].error, "rate limit reached"));
    callctl_free(c);
    minted_free(&m);
    /* A dropped connection. */
    add_fault("drop_after=6");
    m = mint("echo", "x");
    c = start(&m, false, false, dir);
    assert_int_equal(callctl_say(c, "hello", &err), 0);
    run_turn(c);
    in = callctl_info_get(c);
    assert_int_equal(in->state, CALL_FAILED);
    assert_non_null(strstr(in->error, "without a close frame"));
    assert_true(in->turns[0].failed);
    assert_int_equal(callctl_say(c, "again", &err), -1);
    free(err);
    err = NULL;
    callctl_free(c);
    minted_free(&m);
    /* A slow first delta shows in the turn's time to first text. */
    add_fault("latency=600");
    m = mint("echo", "x");
    c = start(&m, false, false, dir);
    assert_int_equal(callctl_say(c, "hello", &err), 0);
    run_turn(c);
    const callctl_turn *t = &callctl_info_get(c)->turns[0];
    assert_false(t->failed);
    assert_true(t->first_text_us - t->sent_us >= 600000);
    callctl_free(c);
    minted_free(&m);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(call__a_text_turn_streams_times_and_saves_the_audio),
        cmocka_unit_test(call__a_wav_is_sent_as_speech),
        cmocka_unit_test(call__plays_replies_when_asked),
        cmocka_unit_test(call__beta_names_and_text_only_replies),
        cmocka_unit_test(call__an_expired_secret_is_refused_with_an_offer),
        cmocka_unit_test(call__faults_in_words),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
