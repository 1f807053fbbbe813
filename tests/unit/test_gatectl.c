/* Unit tests for the console's AI Gate controller (src/gate/gatectl.h):
 * expiry states at their boundaries, masking, base64 and OSC 52, the
 * copied snippets, private files, the concurrency warning, the error
 * details kept and the timers. Pure: no network (the controller's state is
 * built by hand). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "gate/gatectl_priv.h"
#include "slurp.h"
#include "test.h"
#include "util/jsonu.h"
#include "util/mem.h"

#define NOW 1795274400 /* 2026-11-21T15:20:00Z */

/* p, or the test fails (and the compiler knows p is not NULL below). */
static const void *must_(const void *p, const char *what)
{
    if (!p) {
        print_error("unexpected NULL: %s\n", what);
        fail();
        abort();
    }
    return p;
}
#define MUST(p) ((__typeof__(p))must_((p), #p))

static const char *SESSION =
    "{\"id\":\"sess_123\",\"object\":\"realtime.session\","
    "\"model\":\"gpt-4o-realtime-preview-2024-10-01\","
    "\"expires_at\":1795278000,\"modalities\":[\"text\",\"audio\"],\"instructions\":\"Be nice\","
    "\"voice\":\"echo\",\"temperature\":0.7,"
    "\"client_secret\":{\"value\":\"eph_unit_client_secret_9f3a\",\"expires_at\":1795274460},"
    "\"turn_credentials\":{\"iceServers\":["
    "{\"urls\":\"stun:stun1.example.invalid:3478\"},"
    "{\"urls\":[\"turn:t1.example.invalid:3478?transport=udp\","
    "\"turn:t1.example.invalid:3478?transport=tcp\"],"
    "\"username\":\"1795278000:proj\",\"credential\":\"turn_unit_credential_77\"}]},"
    "\"session_id\":\"sess_123\",\"metadata\":{\"model\":\"gpt-4o-realtime-preview-2024-10-01\","
    "\"voice\":\"echo\",\"turn_server\":\"turn:t1.example.invalid:3478?transport=udp\","
    "\"created_at\":\"2026-11-21T15:20:00.000Z\"}}";

static gatectl_session *session_from(const char *json, int64_t received_ms)
{
    char *err = NULL;
    gate_session *s = gate_decode_session(json, strlen(json), &err);
    if (!s)
        fail_msg("decode: %s", err);
    return gatectl_session_new(MUST(s), received_ms);
}

/* A controller with no desk: enough for everything that only reads state. */
static void fake_init(struct gatectl *g)
{
    memset(g, 0, sizeof *g);
    g->info.conc_limit = GATECTL_FREE_CONCURRENCY;
}

static void fake_add(struct gatectl *g, gatectl_session *s)
{
    g->info.sessions = xgrow(g->info.sessions, &g->capsessions, g->info.nsessions + 1,
                             sizeof *g->info.sessions);
    g->info.sessions[g->info.nsessions++] = s;
}

static void fake_free(struct gatectl *g)
{
    for (size_t i = 0; i < g->info.nsessions; i++)
        gatectl_session_free(g->info.sessions[i]);
    free(g->info.sessions);
}

/* ------------------------------------------------------------- timing */

static void timing__boundaries_of_the_secret_and_the_session(void **state)
{
    (void)state;
    const int64_t sec = 1000, ses = 4600; /* unix s */
    gatectl_timing t = gatectl_timing_at(sec, ses, 940000);
    assert_int_equal(t.state, GATECTL_USABLE);
    assert_int_equal(t.secret_left_s, 60);
    assert_int_equal(t.session_left_s, 3660);
    t = gatectl_timing_at(sec, ses, 998001);
    assert_int_equal(t.secret_left_s, 2);
    t = gatectl_timing_at(sec, ses, 998999);
    assert_int_equal(t.secret_left_s, 2);
    t = gatectl_timing_at(sec, ses, 999000);
    assert_int_equal(t.state, GATECTL_USABLE);
    assert_int_equal(t.secret_left_s, 1);
    t = gatectl_timing_at(sec, ses, 999999); /* 1 ms before: still usable, 1 s shown */
    assert_int_equal(t.state, GATECTL_USABLE);
    assert_int_equal(t.secret_left_s, 1);
    t = gatectl_timing_at(sec, ses, 1000000); /* exactly expires_at: expired */
    assert_int_equal(t.state, GATECTL_SECRET_EXPIRED);
    assert_int_equal(t.secret_left_s, 0);
    assert_int_equal(t.session_left_s, 3600);
    t = gatectl_timing_at(sec, ses, 4599999);
    assert_int_equal(t.state, GATECTL_SECRET_EXPIRED);
    assert_int_equal(t.session_left_s, 1);
    t = gatectl_timing_at(sec, ses, 4600000);
    assert_int_equal(t.state, GATECTL_SESSION_EXPIRED);
    assert_int_equal(t.session_left_s, 0);
    assert_int_equal(t.secret_left_s, 0);
    /* A session over before its secret: the session wins. */
    t = gatectl_timing_at(5000, 4600, 4700000);
    assert_int_equal(t.state, GATECTL_SESSION_EXPIRED);
    assert_int_equal(t.secret_left_s, 300);
    /* Absurd times do not overflow. */
    t = gatectl_timing_at(INT64_MAX, INT64_MAX, 0);
    assert_int_equal(t.state, GATECTL_USABLE);
    assert_true(t.secret_left_s > 0);
    assert_string_equal(gatectl_state_name(GATECTL_USABLE), "usable");
    assert_string_equal(gatectl_state_name(GATECTL_SECRET_EXPIRED), "secret expired");
    assert_string_equal(gatectl_state_name(GATECTL_SESSION_EXPIRED), "session expired");
}

static void timing__a_session_takes_the_answers_times_or_guesses(void **state)
{
    (void)state;
    gatectl_session *s = session_from(SESSION, (int64_t)NOW * 1000 + 250);
    assert_int_equal(s->secret_expires_s, 1795274460);
    assert_int_equal(s->expires_s, 1795278000);
    assert_int_equal(s->created_ms, (int64_t)NOW * 1000); /* metadata.created_at */
    assert_false(s->secret_expiry_guessed);
    assert_false(s->expiry_guessed);
    assert_int_equal(s->state, GATECTL_USABLE);
    gatectl_timing t = gatectl_session_timing(s, (int64_t)NOW * 1000);
    assert_int_equal(t.secret_left_s, 60);
    gatectl_session_free(s);

    /* Without expiry times: 60 s for the secret, 1 h for the session. */
    s = session_from("{\"id\":\"sess_x\",\"client_secret\":{\"value\":\"eph_x_secret_value\"}}",
                     (int64_t)NOW * 1000 + 400);
    assert_true(s->secret_expiry_guessed);
    assert_true(s->expiry_guessed);
    assert_int_equal(s->created_ms, (int64_t)NOW * 1000 + 400);
    assert_int_equal(s->secret_expires_s, NOW + 60);
    assert_int_equal(s->expires_s, NOW + 3600);
    gatectl_session_free(s);
}

/* No client_secret in the answer (optional in the SDKs' types): the
 * session's state is "no secret" while it lives, never "usable" from a
 * guessed expiry, and its JSON copy says null where the secret would be. */
static void timing__a_session_without_a_secret_has_no_secret_state(void **state)
{
    (void)state;
    const int64_t t0 = (int64_t)NOW * 1000;
    gatectl_session *s = session_from("{\"id\":\"sess_x\",\"expires_at\":1795278000}", t0);
    assert_true(s->no_secret);
    assert_int_equal(s->secret_expires_s, 0);
    assert_int_equal(s->state, GATECTL_NO_SECRET);
    gatectl_timing t = gatectl_session_timing(s, t0);
    assert_int_equal(t.state, GATECTL_NO_SECRET);
    assert_int_equal(t.secret_left_s, 0);
    assert_true(t.session_left_s > 0);
    t = gatectl_session_timing(s, (int64_t)1795278000 * 1000);
    assert_int_equal(t.state, GATECTL_SESSION_EXPIRED);
    assert_string_equal(gatectl_state_name(GATECTL_NO_SECRET), "no secret");
    char *json = gatectl_copy_text(s, GATECTL_COPY_JSON);
    assert_non_null(strstr(json, "\"client_secret\": null"));
    assert_non_null(strstr(json, "\"expires_at\": null"));
    free(json);
    gatectl_session_free(s);
}

static void timing__the_timer_wakes_each_second_only_while_counting(void **state)
{
    (void)state;
    struct gatectl g;
    fake_init(&g);
    const int64_t t0 = (int64_t)NOW * 1000;
    assert_int_equal(gatectl_next_timer_ms(&g, t0 + 123), -1); /* nothing: no wake */
    fake_add(&g, session_from(SESSION, t0));
    assert_int_equal(gatectl_next_timer_ms(&g, t0 + 123), 877);
    assert_int_equal(gatectl_next_timer_ms(&g, t0), 1000);
    assert_int_equal(gatectl_next_timer_ms(&g, t0 + 999), 1);
    /* The secret expired (session still counting): first an update now. */
    unsigned rev = g.info.rev;
    int64_t after_secret = (int64_t)1795274460 * 1000;
    assert_int_equal(gatectl_next_timer_ms(&g, after_secret), 0);
    gatectl_tick(&g, after_secret);
    assert_int_equal(g.info.sessions[0]->state, GATECTL_SECRET_EXPIRED);
    assert_true(g.info.rev != rev);
    assert_int_equal(gatectl_next_timer_ms(&g, after_secret + 10), 990);
    /* The session is over: no countdown left, no timer. */
    int64_t after_session = (int64_t)1795278000 * 1000;
    assert_int_equal(gatectl_next_timer_ms(&g, after_session), 0);
    rev = g.info.rev;
    gatectl_tick(&g, after_session);
    assert_int_equal(g.info.sessions[0]->state, GATECTL_SESSION_EXPIRED);
    assert_true(g.info.rev != rev);
    assert_int_equal(gatectl_next_timer_ms(&g, after_session + 5), -1);
    rev = g.info.rev;
    gatectl_tick(&g, after_session + 5000);
    assert_int_equal(g.info.rev, rev); /* nothing changed: no redraw */
    fake_free(&g);
}

/* ------------------------------------------------------------ masking */

static void mask__keeps_the_prefix_and_the_last_four(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"eph_abcdefghijkl1234", "eph_\xe2\x80\xa6" "1234"},
        {"ek_0123456789abcdef", "ek_\xe2\x80\xa6" "cdef"},
        {"eph_short", "eph_\xe2\x80\xa6"},            /* under 12 bytes: no tail */
        {"abcdefghijklmnop", "\xe2\x80\xa6" "mnop"},  /* no prefix */
        {"abcdefghij_klmnopqr", "\xe2\x80\xa6" "opqr"}, /* '_' too far for a prefix */
        {"1795278000:proj", "\xe2\x80\xa6" "proj"},
        {"a\x1b_bcdefghijklmnop", "\xe2\x80\xa6" "mnop"}, /* controls never shown */
        {"eph_abcdefghijk\x1b\x07z", "eph_\xe2\x80\xa6"},
        {"abc", "\xe2\x80\xa6"},
        {"", "\xe2\x80\xa6"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *m = gatectl_mask(cases[i].in);
        assert_string_equal(m, cases[i].out);
        free(m);
    }
    char *m = gatectl_mask(NULL);
    assert_string_equal(m, "");
    free(m);
}

/* ------------------------------------------------------ base64, OSC 52 */

static void osc52__base64_vectors_and_the_sequence(void **state)
{
    (void)state;
    static const char *const vec[][2] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof vec / sizeof *vec; i++) {
        char *b = gatectl_base64(vec[i][0], strlen(vec[i][0]));
        assert_string_equal(b, vec[i][1]);
        free(b);
    }
    const unsigned char bin[] = {0xFF, 0xFE, 0x00, 0xFB, 0xEF};
    char *b = gatectl_base64(bin, sizeof bin);
    assert_string_equal(b, "//4A++8=");
    free(b);
    char *seq = gatectl_osc52("hello", 5);
    assert_string_equal(seq, "\033]52;c;aGVsbG8=\a");
    free(seq);
    seq = gatectl_osc52("eph_x\n", 6);
    assert_string_equal(seq, "\033]52;c;ZXBoX3gK\a");
    free(seq);
}

/* ------------------------------------------------------- concurrency */

static void concurrency__warns_before_the_limit_would_be_passed(void **state)
{
    (void)state;
    assert_null(gatectl_conc_warning(0, 5, false));
    assert_null(gatectl_conc_warning(4, 5, false));
    char *w = MUST(gatectl_conc_warning(5, 5, false));
    assert_non_null(strstr(w, "free AI Gate plan allows 5 concurrent sessions"));
    assert_non_null(strstr(w, "5 created here are live"));
    assert_non_null(strstr(w, "repeat the command"));
    free(w);
    w = MUST(gatectl_conc_warning(11, 10, true));
    assert_non_null(strstr(w, "allows this project 10 concurrent sessions"));
    free(w);
    assert_null(gatectl_conc_warning(100, 0, false)); /* unknown limit */

    /* Live sessions: not session-expired. */
    struct gatectl g;
    fake_init(&g);
    const int64_t t0 = (int64_t)NOW * 1000;
    fake_add(&g, session_from(SESSION, t0));
    fake_add(&g, session_from(SESSION, t0));
    assert_int_equal(gatectl_live_count(&g, t0), 2);
    assert_int_equal(gatectl_live_count(&g, (int64_t)1795274460 * 1000), 2); /* secret gone */
    g.info.creating = 1;
    assert_int_equal(gatectl_live_count(&g, t0), 3);
    assert_int_equal(gatectl_live_count(&g, (int64_t)1795278000 * 1000), 1);
    fake_free(&g);
}

/* ------------------------------------------------------------ copying */

static void copy__texts_hold_the_secret_and_the_ice_servers(void **state)
{
    (void)state;
    gatectl_session *s = session_from(SESSION, (int64_t)NOW * 1000);
    char *t = gatectl_copy_text(s, GATECTL_COPY_SECRET);
    assert_string_equal(t, "eph_unit_client_secret_9f3a");
    free(t);

    t = gatectl_copy_text(s, GATECTL_COPY_CURL);
    assert_non_null(strstr(t, "curl -sS -X POST 'https://api.openai.com/v1/realtime?model="
                              "gpt-4o-realtime-preview-2024-10-01'"));
    assert_non_null(strstr(t, "-H 'Authorization: Bearer eph_unit_client_secret_9f3a'"));
    assert_non_null(strstr(t, "-H 'Content-Type: application/sdp'"));
    assert_non_null(strstr(t, "--data-binary @offer.sdp"));
    assert_non_null(strstr(t, "stun:stun1.example.invalid:3478"));
    assert_non_null(strstr(t, "turn:t1.example.invalid:3478?transport=tcp"));
    assert_non_null(strstr(t, "turn_unit_credential_77"));
    assert_non_null(strstr(t, "2026-11-21T15:21:00Z")); /* the secret's expiry */
    free(t);

    t = gatectl_copy_text(s, GATECTL_COPY_JSON);
    char *err = NULL;
    json_object *o = MUST(jsonu_parse(t, strlen(t), &err));
    json_object *v;
    assert_true(json_object_object_get_ex(o, "client_secret", &v));
    assert_string_equal(json_object_get_string(v), "eph_unit_client_secret_9f3a");
    assert_true(json_object_object_get_ex(o, "expires_at", &v));
    assert_int_equal(json_object_get_int64(v), 1795274460);
    assert_true(json_object_object_get_ex(o, "model", &v));
    assert_string_equal(json_object_get_string(v), "gpt-4o-realtime-preview-2024-10-01");
    assert_true(json_object_object_get_ex(o, "voice", &v));
    assert_string_equal(json_object_get_string(v), "echo");
    assert_true(json_object_object_get_ex(o, "ice_servers", &v));
    assert_int_equal(json_object_array_length(v), 2);
    json_object *turn = json_object_array_get_idx(v, 1), *x;
    assert_true(json_object_object_get_ex(turn, "credential", &x));
    assert_string_equal(json_object_get_string(x), "turn_unit_credential_77");
    assert_true(json_object_object_get_ex(turn, "urls", &x));
    assert_int_equal(json_object_array_length(x), 2);
    json_object_put(o);
    free(t);
    gatectl_session_free(s);
}

static void copy__a_hostile_answer_cannot_inject_shell_lines(void **state)
{
    (void)state;
    const char *json =
        "{\"id\":\"sess_1\\n rm -rf ~\",\"model\":\"m'; touch /tmp/pwned; '\\nrm -rf ~\","
        "\"voice\":\"echo\\nrm\",\"client_secret\":{\"value\":\"eph_a'b\\nc_d1234\"},"
        "\"turn_credentials\":{\"iceServers\":[{\"urls\":\"stun:x\\nrm -rf ~\"}]}}";
    gatectl_session *s = session_from(json, (int64_t)NOW * 1000);
    char *t = gatectl_copy_text(s, GATECTL_COPY_CURL);
    /* Every line is a comment or part of the one curl command. */
    int lines = 0;
    for (char *line = t; *line; lines++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        bool ok = line[0] == '#' || !strncmp(line, "curl ", 5) || !strncmp(line, "  -", 3);
        if (!ok)
            fail_msg("unexpected line: %.*s", (int)(nl - line), line);
        line = nl + 1;
    }
    assert_int_equal(lines, 9);
    assert_non_null(strstr(t, "?model=m%27%3B%20touch"));
    assert_non_null(strstr(t, "'Authorization: Bearer eph_a'\\''b?c_d1234'"));
    free(t);
    gatectl_session_free(s);
}

static void copy__details_mask_secrets_unless_asked(void **state)
{
    (void)state;
    struct gatectl g;
    fake_init(&g);
    fake_add(&g, session_from(SESSION, (int64_t)NOW * 1000));
    assert_null(gatectl_details_json(&g, 1, false));
    char *d = MUST(gatectl_details_json(&g, 0, false));
    assert_null(strstr(d, "eph_unit_client_secret_9f3a"));
    assert_null(strstr(d, "turn_unit_credential_77"));
    assert_null(strstr(d, "1795278000:proj"));
    assert_non_null(strstr(d, "\"value\": \"eph_\xe2\x80\xa6" "9f3a\""));
    assert_non_null(strstr(d, "\"turn_server\": \"turn:t1.example.invalid:3478?transport=udp\""));
    assert_non_null(strstr(d, "\"instructions\": \"Be nice\""));
    assert_non_null(strstr(d, "\n  \"model\": ")); /* pretty-printed */
    free(d);
    d = MUST(gatectl_details_json(&g, 0, true));
    assert_non_null(strstr(d, "eph_unit_client_secret_9f3a"));
    assert_non_null(strstr(d, "turn_unit_credential_77"));
    free(d);
    fake_free(&g);
}

static char tmpdir[256];

static int tmp_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/aidesk-gatectl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void copy__files_are_0600_in_a_0700_directory_and_never_replaced(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/a/gate", tmpdir);
    char *err = NULL;
    char *p1 = gatectl_write_private(dir, "sess_1-secret", ".txt", "eph_one", 7, &err);
    if (!p1)
        fail_msg("%s", err);
    struct stat st;
    assert_int_equal(stat(MUST(p1), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    char *p2 = MUST(gatectl_write_private(dir, "sess_1-secret", ".txt", "eph_two", 7, &err));
    assert_non_null(strstr(p2, "/sess_1-secret-2.txt"));
    char *c = MUST(slurp(p1));
    assert_string_equal(c, "eph_one");
    free(c);
    c = MUST(slurp(p2));
    assert_string_equal(c, "eph_two");
    free(c);

    /* A symlink where the file would go is never followed. */
    char target[400], link[400];
    snprintf(target, sizeof target, "%s/elsewhere", tmpdir);
    snprintf(link, sizeof link, "%s/x.json", dir);
    assert_int_equal(symlink(target, link), 0);
    char *p3 = MUST(gatectl_write_private(dir, "x", ".json", "{}", 2, &err));
    assert_non_null(strstr(p3, "/x-2.json"));
    assert_int_not_equal(access(target, F_OK), 0);

    /* An existing directory open to others is narrowed first. */
    char wide[300];
    snprintf(wide, sizeof wide, "%s/wide", tmpdir);
    assert_int_equal(mkdir(wide, 0755), 0);
    assert_int_equal(chmod(wide, 0755), 0);
    char *p4 = MUST(gatectl_write_private(wide, "s", ".txt", "x", 1, &err));
    assert_int_equal(stat(wide, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    free(p1);
    free(p2);
    free(p3);
    free(p4);
}

static void copy__to_a_file_in_the_state_dir_or_through_osc52(void **state)
{
    (void)state;
    char xs[300];
    snprintf(xs, sizeof xs, "%s/state", tmpdir);
    setenv("XDG_STATE_HOME", xs, 1);
    struct gatectl g;
    fake_init(&g);
    fake_add(&g, session_from(SESSION, (int64_t)NOW * 1000));
    gatectl_copy_out out;
    char *err = NULL;
    assert_false(gatectl_copy(&g, 3, GATECTL_COPY_SECRET, &out, &err));
    assert_non_null(strstr(MUST(err), "no AI Gate session 4"));
    free(err);

    assert_true(gatectl_copy(&g, 0, GATECTL_COPY_JSON, &out, &err));
    assert_null(out.osc52);
    char want[400];
    snprintf(want, sizeof want, "%s/aidesk/gate/sess_123.json", xs);
    assert_string_equal(MUST(out.path), want);
    assert_true(out.secret_expired); /* the fixture's secret is long gone */
    struct stat st;
    assert_int_equal(stat(want, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal((size_t)st.st_size, out.bytes);
    snprintf(want, sizeof want, "%s/aidesk/gate", xs);
    assert_int_equal(stat(want, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    gatectl_copy_out_clear(&out);

    assert_true(gatectl_copy(&g, 0, GATECTL_COPY_CURL, &out, &err));
    assert_non_null(strstr(MUST(out.path), "/aidesk/gate/sess_123-curl.sh"));
    gatectl_copy_out_clear(&out);

    g.osc52 = true;
    assert_true(gatectl_copy(&g, 0, GATECTL_COPY_SECRET, &out, &err));
    assert_null(out.path);
    char *b64 = gatectl_base64("eph_unit_client_secret_9f3a", 27);
    char *seq = xasprintf("\033]52;c;%s\a", b64);
    assert_string_equal(MUST(out.osc52), seq);
    assert_int_equal(out.bytes, 27);
    free(seq);
    free(b64);
    gatectl_copy_out_clear(&out);
    fake_free(&g);
}

/* ------------------------------------------------------------- errors */

static net_event *http_ev(long status, const char *body, ...)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = NET_EV_FAILED;
    ev->fail = NET_FAIL_HTTP;
    ev->status = status;
    ev->body = xstrdup(body);
    ev->body_len = strlen(body);
    ev->message = xasprintf("HTTP %ld", status);
    va_list ap;
    va_start(ap, body);
    const char *name;
    while ((name = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);
        ev->headers = xrealloc(ev->headers, (ev->nheaders + 1) * sizeof *ev->headers);
        ev->headers[ev->nheaders].name = xstrdup(name);
        ev->headers[ev->nheaders].value = xstrdup(value);
        ev->nheaders++;
    }
    va_end(ap);
    return ev;
}

static gatectl_error *error_of(net_event *ev)
{
    api_error *e = api_error_from_event_at(API_GATE, ev, NOW);
    gatectl_error *ge = gatectl_error_new(GATECTL_ACT_CREATE, e, ev, (int64_t)NOW * 1000);
    net_event_free(ev);
    return ge;
}

static void errors__details_are_kept_structured(void **state)
{
    (void)state;
    gatectl_error *ge = error_of(http_ev(
        402,
        "{\"error\":\"quota_exceeded\",\"message\":\"Quota exceeded\",\"usage\":{\"plan\":\"free\","
        "\"sessionsIncluded\":100,\"sessionsUsed\":100,\"sessionsRemaining\":0,"
        "\"estimatedMinutes\":300,\"minutesUsed\":300,\"percentUsed\":100},"
        "\"upgrade_url\":\"https://www.ai-gate.dev/pricing\"}",
        NULL));
    assert_int_equal(ge->e->kind, API_ERR_QUOTA);
    assert_string_equal(ge->e->plan, "free");
    assert_int_equal(ge->e->sessions_used, 100);
    assert_int_equal(ge->e->sessions_included, 100);
    assert_true(ge->e->percent_used == 100);
    assert_string_equal(ge->e->upgrade_url, "https://www.ai-gate.dev/pricing");
    assert_non_null(strstr(ge->message, "100 of 100 sessions used on the free plan (100%)"));
    assert_int_equal(ge->at_ms, (int64_t)NOW * 1000);
    assert_int_equal(ge->reset_s, 0);
    gatectl_error_free(ge);

    ge = error_of(http_ev(429,
                          "{\"error\":\"concurrent_limit_exceeded\",\"message\":\"Too many\","
                          "\"current\":5,\"max\":5,\"hint\":\"Close a session first\"}",
                          NULL));
    assert_int_equal(ge->e->kind, API_ERR_CONCURRENT);
    assert_int_equal(ge->e->concurrent_current, 5);
    assert_int_equal(ge->e->concurrent_max, 5);
    assert_string_equal(ge->e->hint, "Close a session first");
    assert_non_null(strstr(ge->message, "(5 of 5): Close a session first"));
    gatectl_error_free(ge);

    /* Rate limit: the reset from Retry-After ... */
    ge = error_of(http_ev(429,
                          "{\"error\":\"Rate limit exceeded\",\"message\":\"Slow down\","
                          "\"limit\":100,\"window\":\"15m\",\"resetAt\":\"2026-11-21T15:20:42Z\"}",
                          "retry-after", "30", "x-ratelimit-limit", "100",
                          "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1795274999", NULL));
    assert_int_equal(ge->e->kind, API_ERR_RATE_LIMITED);
    assert_int_equal(ge->e->rate_limit, 100);
    assert_string_equal(ge->e->rate_window, "15m");
    assert_string_equal(ge->e->reset_at, "2026-11-21T15:20:42Z");
    assert_int_equal(ge->reset_s, NOW + 30);
    gatectl_error_free(ge);
    /* ... else resetAt ... */
    ge = error_of(http_ev(
        429, "{\"error\":\"Rate limit exceeded\",\"resetAt\":\"2026-11-21T15:20:42Z\"}", NULL));
    assert_int_equal(ge->reset_s, NOW + 42);
    gatectl_error_free(ge);
    /* ... else X-RateLimit-Reset. */
    ge = error_of(http_ev(429, "{\"error\":\"Rate limit exceeded\"}", "x-ratelimit-limit", "100",
                          "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1795274999", NULL));
    assert_int_equal(ge->reset_s, 1795274999);
    gatectl_error_free(ge);
}

static void names__actions(void **state)
{
    (void)state;
    assert_string_equal(gatectl_action_name(GATECTL_ACT_CREATE), "creating a session");
    assert_string_equal(gatectl_action_name(GATECTL_ACT_METRICS), "fetching metrics");
    char *w = gatectl_safe_word("sess_1/../x y\n", 100);
    assert_string_equal(w, "sess_1?..?x?y?");
    free(w);
    w = gatectl_safe_word(NULL, 10);
    assert_string_equal(w, "");
    free(w);
}

#define TMP(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

TEST_MAIN(cmocka_unit_test(timing__boundaries_of_the_secret_and_the_session),
          cmocka_unit_test(timing__a_session_takes_the_answers_times_or_guesses),
          cmocka_unit_test(timing__a_session_without_a_secret_has_no_secret_state),
          cmocka_unit_test(timing__the_timer_wakes_each_second_only_while_counting),
          cmocka_unit_test(mask__keeps_the_prefix_and_the_last_four),
          cmocka_unit_test(osc52__base64_vectors_and_the_sequence),
          cmocka_unit_test(concurrency__warns_before_the_limit_would_be_passed),
          cmocka_unit_test(copy__texts_hold_the_secret_and_the_ice_servers),
          cmocka_unit_test(copy__a_hostile_answer_cannot_inject_shell_lines),
          cmocka_unit_test(copy__details_mask_secrets_unless_asked),
          TMP(copy__files_are_0600_in_a_0700_directory_and_never_replaced),
          TMP(copy__to_a_file_in_the_state_dir_or_through_osc52),
          cmocka_unit_test(errors__details_are_kept_structured),
          cmocka_unit_test(names__actions))
