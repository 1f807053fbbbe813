/* End-to-end tests of what "aidesk ws ..." does when a call may have been
 * applied although it failed: never sent twice by itself, and for the
 * manager actions an idempotency key that makes repeating them safe. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/mem.h"

static simproc sim;

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "50"));
}

/* A simulator of the test's own that keeps its state in the scratch
 * directory, so that it can come back as it was after it died; env gets
 * "AIASSIST_BASE_URL=..." for it. port 0: a free one. */
static void own_start(simproc *own, int port, char *env, size_t n)
{
    char statefile[400], portarg[16];
    snprintf(statefile, sizeof statefile, "%s/sim-state.json", clit_home());
    if (port == 0)
        unlink(statefile); /* a new simulator starts empty */
    snprintf(portarg, sizeof portarg, "%d", port);
    const char *args[] = {"--speed", "50", "--state", statefile, "--port", portarg, NULL};
    assert_int_equal(simproc_start(own, args), 0);
    if (port)
        assert_int_equal(own->port, port);
    snprintf(env, n, "AIASSIST_BASE_URL=%s", own->base_url);
}

static char *create_on(const char *const *env, const char *mode)
{
    clit_res r;
    clit_run(&r, env, NULL, W("--json", "ws", "create", "--mode", mode));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *id = clit_json_str(r.out, "workspace.id");
    assert_non_null(id);
    clit_res_free(&r);
    return id;
}

static size_t history_count(const char *const *env, const char *id, const char *text)
{
    clit_res r;
    clit_run(&r, env, NULL, W("--json", "ws", "history", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    size_t n = clit_count(r.out, text);
    clit_res_free(&r);
    return n;
}

/* The key in "--idempotency-key K" of text, as a new string. */
static char *key_in(const char *text)
{
    const char *p = strstr(text, "--idempotency-key ");
    assert_non_null(p);
    p += strlen("--idempotency-key ");
    size_t n = 0;
    while (isxdigit((unsigned char)p[n]))
        n++;
    assert_int_equal(n, 32);
    return xstrndup(p, n);
}

static void reply__an_uncertain_reply_shows_the_command_that_repeats_it_safely(void **state)
{
    (void)state;
    simproc own;
    char url[128];
    own_start(&own, 0, url, sizeof url);
    int port = own.port;
    const char *const env[] = {url, NULL};
    char *id = create_on(env, "takeover");
    char spec[200];
    snprintf(spec, sizeof spec, "crash_after_apply;path=/api/manager/workspaces/%s/reply", id);
    clit_fault(&own, spec);

    /* Applied, then the server dies; retried with the key while it is
     * down, in vain. */
    clit_res r;
    clit_run(&r, env, NULL,
             W("--max-retries", "1", "ws", "reply", id, "Your refund is on its way."));
    CLIT_EXPECT(r, 5, NULL, "it may have been applied");
    char *key = key_in(r.err);
    char *want = xasprintf(
        "\n  aidesk ws reply --idempotency-key %s %s 'Your refund is on its way.'\n", key, id);
    CLIT_EXPECT(r, 5, NULL, want);
    assert_null(strstr(r.err, "aai_demo")); /* no key material in the command */
    clit_res_free(&r);
    simproc_stop(&own);

    /* Back with its state: the printed command is answered from the
     * server's record, and the customer has the reply once. */
    own_start(&own, port, url, sizeof url);
    clit_run(&r, env, NULL,
             W("ws", "reply", "--idempotency-key", key, id, "Your", "refund", "is", "on", "its",
               "way."));
    CLIT_EXPECT(r, 0, "human: Your refund is on its way.", NULL);
    clit_res_free(&r);
    assert_int_equal(history_count(env, id, "Your refund is on its way."), 1);
    /* The copy kept by the failed call went with the reply it stood for. */
    clit_run(&r, env, NULL, W("--json", "ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 0, "[]", NULL);
    clit_res_free(&r);

    /* The same key for another text is refused, not applied. */
    clit_run(&r, env, NULL, W("ws", "reply", "--idempotency-key", key, id, "Something else"));
    CLIT_EXPECT(r, 1, NULL, "already used for a different request");
    assert_null(strstr(r.err, "it may have been applied"));
    clit_res_free(&r);
    assert_int_equal(history_count(env, id, "Something else"), 0);
    free(want);
    free(key);
    free(id);
    simproc_stop(&own);
}

/* What an agent wrote is never lost: a reply that could not be sent is
 * kept with its key, and sending the kept copy (even "uncertain": it may
 * have been applied) reaches the customer once. */
static void reply__a_failed_reply_is_kept_with_its_key_and_resent_once(void **state)
{
    (void)state;
    simproc own;
    char url[128];
    own_start(&own, 0, url, sizeof url);
    int port = own.port;
    const char *const env[] = {url, NULL};
    char *id = create_on(env, "takeover");
    char spec[200];
    snprintf(spec, sizeof spec, "crash_after_apply;path=/api/manager/workspaces/%s/reply", id);
    clit_fault(&own, spec);
    clit_res r;
    clit_run(&r, env, NULL, W("--max-retries", "1", "ws", "reply", id, "Kept and sent once."));
    CLIT_EXPECT(r, 5, NULL, "the message is kept as ");
    CLIT_EXPECT(r, 5, NULL, "it goes with its idempotency key");
    clit_res_free(&r);
    /* And while the service is down, one that certainly never got there. */
    simproc_stop(&own);
    clit_run(&r, env, NULL, W("--max-retries", "0", "ws", "reply", id, "Kept while down."));
    CLIT_EXPECT(r, 5, NULL, "the message is kept as ");
    assert_null(strstr(r.err, "it may have been applied"));
    clit_res_free(&r);
    clit_run(&r, env, NULL, W("--json", "ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_int_equal(clit_count(r.out, "\"as_agent\":true"), 2);
    assert_int_equal(clit_count(r.out, "\"idem_key\":\""), 2);
    clit_res_free(&r);

    /* Back with its state: both go, the one it had already applied is
     * answered from its record; each reaches the customer once. */
    own_start(&own, port, url, sizeof url);
    clit_run(&r, env, NULL, W("ws", "send", id, "--resend-all"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    assert_int_equal(history_count(env, id, "Kept and sent once."), 1);
    assert_int_equal(history_count(env, id, "Kept while down."), 1);
    clit_run(&r, env, NULL, W("--json", "ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 0, "[]", NULL);
    clit_res_free(&r);
    free(id);
    simproc_stop(&own);
}

static void send__a_retry_on_a_kept_alive_connection_that_died_may_have_arrived(void **state)
{
    (void)state;
    simproc own;
    char url[128];
    own_start(&own, 0, url, sizeof url);
    int port = own.port;
    const char *const env[] = {url, NULL};
    char *id = create_on(env, "takeover");
    /* The first try is rate limited (certainly not acted on: retried at
     * once, on the same connection); the retry is stored and the server
     * dies, and libcurl's own repeat on a new connection is refused. */
    char spec[200];
    snprintf(spec, sizeof spec, "status=429;retry_after=0;times=1;path=/api/workspaces/%s/messages",
             id);
    clit_fault(&own, spec);
    snprintf(spec, sizeof spec, "crash_after_apply;reused_only;path=/api/workspaces/%s/messages",
             id);
    clit_fault(&own, spec);
    clit_res r;
    clit_run(&r, env, NULL, W("--max-retries", "2", "ws", "send", id, "Is it shipped?"));
    CLIT_EXPECT(r, 5, NULL, "after the request went out");
    assert_non_null(strstr(r.err, "may have received it"));
    assert_null(strstr(r.err, "cannot reach"));
    clit_res_free(&r);
    simproc_stop(&own);

    own_start(&own, port, url, sizeof url);
    assert_int_equal(history_count(env, id, "Is it shipped?"), 1);
    free(id);
    simproc_stop(&own);
}

static void approve__a_lost_answer_is_retried_with_the_key_and_a_repeat_is_answered_alike(
    void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("--json", "ws", "create", "--mode", "shadow", "Where is it?"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *id = clit_json_str(r.out, "workspace.id");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "drafts", "--workspace", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *draft = clit_json_str(r.out, "0.id");
    assert_non_null(draft);
    clit_res_free(&r);

    char spec[200];
    snprintf(spec, sizeof spec, "drop_after=0;times=1;path=/api/manager/drafts/%s/approve", draft);
    clit_fault(&sim, spec);
    clit_run(&r, NULL, NULL,
             W("ws", "approve", draft, "--edit", "It ships today.", "--idempotency-key",
               "approve-once-1"));
    CLIT_EXPECT(r, 0, "approved", "retrying");
    clit_res_free(&r);
    /* Run again with the same key, it gets the first answer, not a 409. */
    clit_run(&r, NULL, NULL,
             W("ws", "approve", draft, "--edit", "It ships today.", "--idempotency-key",
               "approve-once-1"));
    CLIT_EXPECT(r, 0, "ai: It ships today.", NULL);
    clit_res_free(&r);
    assert_int_equal(history_count(NULL, id, "It ships today."), 1);
    /* Without the key it is a new decision, which comes too late. */
    clit_run(&r, NULL, NULL, W("ws", "approve", draft));
    CLIT_EXPECT(r, 1, NULL, "already approved");
    assert_null(strstr(r.err, "it may have been applied"));
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "reject", draft, "--idempotency-key", "not a key"));
    CLIT_EXPECT(r, 2, NULL, "--idempotency-key");
    clit_res_free(&r);
    free(draft);
    free(id);
}

#define T(f) cmocka_unit_test_setup(f, clit_fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(reply__an_uncertain_reply_shows_the_command_that_repeats_it_safely),
        T(reply__a_failed_reply_is_kept_with_its_key_and_resent_once),
        T(send__a_retry_on_a_kept_alive_connection_that_died_may_have_arrived),
        T(approve__a_lost_answer_is_retried_with_the_key_and_a_repeat_is_answered_alike),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
