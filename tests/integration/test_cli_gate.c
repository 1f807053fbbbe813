/* End-to-end tests of "aidesk gate ...", "aidesk config" and --demo: what
 * is shown, what stays hidden, and the AI Gate limits. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/gate.h"
#include "gate/gatectl.h"
#include "demo/simlaunch.h"
#include "test.h"
#include "test_cli_lib.h"
#include "util/jsonu.h"
#include "util/mem.h"

static simproc sim;

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "50"));
}

/* Each test starts from an empty simulator: no sessions, no faults. */
static int fresh(void **state)
{
    clit_fresh(state);
    simproc_admin(&sim, "POST", "/_sim/reset", "{}", NULL, 0);
    return 0;
}

static void gate__creates_a_session_hiding_its_secrets(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("gate", "session", "--voice", "nova", "--temperature", "0.5"));
    CLIT_EXPECT(r, 0, "session        sess_", NULL);
    assert_non_null(strstr(r.out, "voice          nova"));
    assert_non_null(strstr(r.out, "(in "));
    assert_non_null(strstr(r.out, "client secret  [hidden"));
    assert_non_null(strstr(r.out, "credential [hidden]"));
    assert_non_null(strstr(r.out, "rate limit     99 of 100 requests left"));
    assert_null(strstr(r.out, "eph_"));
    assert_null(strstr(r.out, "proj_demo"));
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("gate", "session", "--show-secrets"));
    CLIT_EXPECT(r, 0, "client secret  eph_", NULL);
    assert_null(strstr(r.out, "credential [hidden]"));
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("--json", "gate", "session"));
    CLIT_EXPECT(r, 0, "\"rate_limit\":{\"limit\":100,", NULL);
    char *secret = clit_json_str(r.out, "session.client_secret.value");
    assert_non_null(secret);
    assert_true(!strncmp(secret, "eph_", 4));
    free(secret);
    char *ice = clit_json_str(r.out, "session.turn_credentials.iceServers.2.credential");
    assert_non_null(ice);
    free(ice);
    clit_res_free(&r);
}

/* client_secret is optional in both SDKs' types: a session created
 * without one is shown (and was counted against the quota), with the
 * secret's place saying so, not refused as malformed. */
static void gate__shows_a_session_without_a_client_secret(void **state)
{
    (void)state;
    simproc bare;
    assert_int_equal(simproc_start(&bare, W("--speed", "50", "--no-client-secret")), 0);
    char url[96];
    snprintf(url, sizeof url, "AI_GATE_BASE_URL=%s", bare.base_url);
    clit_res r;
    clit_run(&r, W(url), NULL, W("gate", "session", "--show-secrets"));
    CLIT_EXPECT(r, 0, "session        sess_", NULL);
    assert_non_null(strstr(r.out, "client secret  no client secret in the answer\n"));
    assert_null(strstr(r.out, "secret expires"));
    assert_non_null(strstr(r.out, "ice servers:\n  stun:"));
    clit_res_free(&r);
    clit_run(&r, W(url), NULL, W("--json", "gate", "session"));
    CLIT_EXPECT(r, 0, "\"session\":{\"id\":\"sess_", NULL);
    assert_null(strstr(r.out, "client_secret"));
    clit_res_free(&r);
    simproc_stop(&bare);
}

static void gate__checks_parameters_before_sending(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("gate", "session", "--voice", "robot"));
    CLIT_EXPECT(r, 2, NULL, "alloy, echo, fable, onyx, nova, shimmer");
    assert_non_null(strstr(r.err, "Try 'aidesk gate session --help'."));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("gate", "session", "--temperature", "1.5"));
    CLIT_EXPECT(r, 2, NULL, "temperature");
    clit_res_free(&r);
    clit_run(&r, W("AI_GATE_PROJECT_ID"), NULL, W("gate", "turn"));
    CLIT_EXPECT(r, 2, NULL, "no AI Gate project id: set AI_GATE_PROJECT_ID or project_id");
    clit_res_free(&r);
    clit_run(&r, W("AI_GATE_PROJECT_ID=proj_unknown"), NULL, W("gate", "session"));
    CLIT_EXPECT(r, 3, NULL, "project id");
    clit_res_free(&r);
}

static void gate__explains_an_exhausted_quota(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, W("AI_GATE_PROJECT_ID=proj_exhausted"), NULL, W("gate", "session"));
    CLIT_EXPECT(r, 4, NULL, "quota exceeded: 100 of 100 sessions used on the free plan (100%)");
    assert_non_null(strstr(r.err, "upgrade at https://"));
    assert_null(strstr(r.err, "proj_exhausted"));
    clit_res_free(&r);
}

static void gate__refuses_a_sixth_concurrent_session(void **state)
{
    (void)state;
    clit_res r;
    for (int i = 0; i < 5; i++) {
        clit_run(&r, NULL, NULL, W("-q", "gate", "session"));
        CLIT_EXPECT(r, 0, NULL, NULL);
        clit_res_free(&r);
    }
    /* Refused at once: waiting cannot free a session slot. */
    clit_run(&r, NULL, NULL, W("gate", "session"));
    CLIT_EXPECT(r, 4, NULL, "too many concurrent AI Gate sessions (5 of 5)");
    assert_null(strstr(r.err, "retrying"));
    clit_res_free(&r);
}

static void gate__shows_turn_servers_and_health(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("gate", "turn"));
    CLIT_EXPECT(r, 0, "stun:", NULL);
    assert_non_null(strstr(r.out, "credential [hidden]"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("gate", "turn", "--json"));
    CLIT_EXPECT(r, 0, "{\"iceServers\":[{\"urls\":[\"stun:", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("gate", "health"));
    CLIT_EXPECT(r, 0, "health:\n  status                   healthy", NULL);
    assert_non_null(strstr(r.out, "metrics:"));
    assert_non_null(strstr(r.out, "sessions_created"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("gate", "health", "--json"));
    CLIT_EXPECT(r, 0, "{\"health\":{\"status\":\"healthy\"", NULL);
    assert_non_null(strstr(r.out, "\"metrics\":{"));
    clit_res_free(&r);
}

/* `o`'s member at a dotted path, compact, as a new string; NULL if absent. */
static char *json_at(json_object *o, const char *path)
{
    char *p = xstrdup(path);
    for (char *save = NULL, *k = strtok_r(p, ".", &save); o && k; k = strtok_r(NULL, ".", &save))
        if (!json_object_object_get_ex(o, k, &o))
            o = NULL;
    free(p);
    return o ? jsonu_to_string(o) : NULL;
}

/* One form of ICE servers everywhere: what `gate session --json` prints is
 * what the console copies as JSON for the same session (the simulator
 * sends a STUN server's urls as a bare string: both write a list), and
 * `gate turn --json` writes no null for an absent username. */
static void gate__prints_ice_servers_as_the_console_copies_them(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("--json", "gate", "session"));
    CLIT_EXPECT(r, 0, "\"session\":", NULL);
    char *err = NULL;
    json_object *doc = jsonu_parse(r.out, r.out_len, &err);
    assert_non_null(doc);
    char *printed = json_at(doc, "session.turn_credentials.iceServers");
    char *session = json_at(doc, "session");
    json_object_put(doc);
    clit_res_free(&r);
    assert_non_null(printed);

    gate_session *s = gate_decode_session(session, strlen(session), &err);
    assert_non_null(s);
    gatectl_session gs = {.s = s, .secret_expires_s = s->client_secret_expires_at};
    char *copy = gatectl_copy_text(&gs, GATECTL_COPY_JSON);
    json_object *cdoc = jsonu_parse(copy, strlen(copy), &err);
    assert_non_null(cdoc);
    char *copied = json_at(cdoc, "ice_servers");
    assert_non_null(copied);
    assert_string_equal(printed, copied);
    assert_non_null(strstr(printed, "{\"urls\":[\"stun:"));
    json_object_put(cdoc);
    free(copied);
    free(copy);
    gate_session_free(s);
    free(session);
    free(printed);

    clit_run(&r, NULL, NULL, W("gate", "turn", "--json"));
    CLIT_EXPECT(r, 0, "{\"iceServers\":[{\"urls\":[\"stun:", NULL);
    assert_null(strstr(r.out, "null"));
    clit_res_free(&r);
}

static void gate__keeps_secrets_out_of_the_debug_log(void **state)
{
    (void)state;
    char log[600];
    snprintf(log, sizeof log, "%s/gate-debug.log", clit_home());
    clit_res r;
    clit_run(&r, NULL, NULL, W("--debug", log, "--json", "gate", "session"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *secret = clit_json_str(r.out, "session.client_secret.value");
    char *cred = clit_json_str(r.out, "session.turn_credentials.iceServers.2.credential");
    assert_non_null(secret);
    assert_non_null(cred);
    assert_null(strstr(r.err, secret));
    clit_res_free(&r);
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    char buf[131072];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_true(n > 0);
    assert_null(strstr(buf, secret));
    assert_null(strstr(buf, cred));
    assert_null(strstr(buf, "proj_demo"));
    assert_null(strstr(buf, "aai_demo_agent"));
    free(secret);
    free(cred);
}

static void config__shows_sources_without_secrets(void **state)
{
    (void)state;
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/c/aidesk", clit_home());
    snprintf(path, sizeof path, "%s/config", dir);
    char mk[800];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", dir);
    assert_int_equal(system(mk), 0);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    const char *text = "[aiassist]\nmodel = gpt-4o-mini\napi_key_cmd = echo aai_from_command\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);

    clit_res r;
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("config"));
    CLIT_EXPECT(r, 0, "from command (not run): echo ...", NULL);
    assert_non_null(strstr(r.out, "gpt-4o-mini"));
    assert_non_null(strstr(r.out, "set (from environment: AI_GATE_PROJECT_ID)"));
    assert_null(strstr(r.out, "proj_demo"));
    clit_res_free(&r);
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("config", "--run-key-commands"));
    CLIT_EXPECT(r, 0, "set (from command: echo ...", NULL);
    assert_null(strstr(r.out, "aai_from_command"));
    clit_res_free(&r);
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("config", "--json"));
    CLIT_EXPECT(r, 0, "\"model\":{\"value\":\"gpt-4o-mini\",\"source\":\"file\"", NULL);
    assert_null(strstr(r.out, "aai_from_command"));
    clit_res_free(&r);
    /* The day's settings are shown too (text and JSON). */
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("config"));
    CLIT_EXPECT(r, 0, "ui.bell                drafts,takeover", NULL);
    assert_non_null(strstr(r.out, "ui.late_after          120 s"));
    assert_non_null(strstr(r.out, "ui.undo                5 s"));
    clit_res_free(&r);
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("config", "--json"));
    CLIT_EXPECT(r, 0, "\"bell\":{\"value\":[\"drafts\",\"takeover\"],\"source\":\"default\"", NULL);
    assert_non_null(strstr(r.out, "\"late_after\":{\"value\":120,"));
    assert_non_null(strstr(r.out, "\"undo\":{\"value\":5"));
    clit_res_free(&r);
    /* The command does give the key to a call. */
    clit_run(&r, W("AIASSIST_API_KEY"), NULL, W("models"));
    CLIT_EXPECT(r, 3, NULL, "rejected the API key");
    clit_res_free(&r);
    unlink(path);
}

static void demo__runs_one_command_against_a_fresh_simulator(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, W("AIASSIST_API_KEY", "AIASSIST_BASE_URL", "AI_GATE_PROJECT_ID", "AI_GATE_BASE_URL"),
             NULL, W("--demo", "ws", "list", "--json"));
    CLIT_EXPECT(r, 0, "[]\n", "demo: the simulator runs at http://127.0.0.1:");
    clit_res_free(&r);
    clit_run(&r, W("AIDESK_SIM=/nonexistent/aidesk-sim"), NULL, W("--demo", "-q", "models"));
    CLIT_EXPECT(r, 1, NULL, "--demo: the simulator exited during start-up");
    clit_res_free(&r);
}

/* While a demo runs, another terminal scripts against its simulator with
 * the lines the demo gives (stderr, and a file): calls share its state. */
static void demo__another_terminal_scripts_against_the_running_demo(void **state)
{
    (void)state;
    char sdir[600];
    snprintf(sdir, sizeof sdir, "%s/s", clit_home());
    setenv("XDG_STATE_HOME", sdir, 1);
    char *err = NULL;
    simlaunch *demo = simlaunch_start(NULL, NULL, &err);
    if (!demo)
        fail_msg("simlaunch_start: %s", err);
    char *lines = simlaunch_exports(demo);
    char *path = simlaunch_share(demo, &err);
    if (!path)
        fail_msg("simlaunch_share: %s", err);
    char want[700];
    snprintf(want, sizeof want, "%s/aidesk/demo.env", sdir);
    assert_string_equal(path, want);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[2048];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, lines));
    /* The four variables, as a second terminal gets them by sourcing. */
    char vars[4][300];
    int nv = 0;
    for (char *l = strtok(lines, "\n"); l && nv < 4; l = strtok(NULL, "\n")) {
        assert_true(!strncmp(l, "export ", 7));
        snprintf(vars[nv++], sizeof vars[0], "%s", l + 7);
    }
    assert_int_equal(nv, 4);
    assert_string_equal(vars[1], "AIASSIST_API_KEY=aai_demo_agent");
    assert_string_equal(vars[3], "AI_GATE_PROJECT_ID=proj_demo");
    const char *env[] = {vars[0], vars[1], vars[2], vars[3], NULL};
    clit_res r;
    clit_run(&r, env, NULL,
             W("--json", "ws", "create", "--mode", "takeover", "--client-id", "demo-1", "hello"));
    CLIT_EXPECT(r, 0, "\"workspace\"", NULL);
    char *ws = clit_json_str(r.out, "workspace.id");
    assert_non_null(ws);
    clit_res_free(&r);
    clit_run(&r, env, NULL, W("ws", "send", ws, "a second message"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    clit_run(&r, env, NULL, W("ws", "history", ws));
    CLIT_EXPECT(r, 0, "a second message", NULL);
    assert_non_null(strstr(r.out, "hello"));
    clit_res_free(&r);
    free(ws);
    /* Gone with the demo; one another demo wrote since stays. */
    simlaunch_unshare(demo, path);
    assert_int_not_equal(access(path, F_OK), 0);
    char *again = simlaunch_share(demo, &err);
    f = fopen(again, "w");
    assert_non_null(f);
    fputs("export AIASSIST_BASE_URL=http://127.0.0.1:1\n", f);
    fclose(f);
    simlaunch_unshare(demo, again);
    assert_int_equal(access(again, F_OK), 0);
    unlink(again);
    free(again);
    free(path);
    free(lines);
    simlaunch_stop(demo);
}

#define T(f) cmocka_unit_test_setup(f, fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(gate__creates_a_session_hiding_its_secrets),
        T(gate__shows_a_session_without_a_client_secret),
        T(gate__checks_parameters_before_sending),
        T(gate__explains_an_exhausted_quota),
        T(gate__refuses_a_sixth_concurrent_session),
        T(gate__shows_turn_servers_and_health),
        T(gate__prints_ice_servers_as_the_console_copies_them),
        T(gate__keeps_secrets_out_of_the_debug_log),
        T(config__shows_sources_without_secrets),
        T(demo__runs_one_command_against_a_fresh_simulator),
        T(demo__another_terminal_scripts_against_the_running_demo),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
