/* End-to-end tests of "aidesk ws ...": both sides of workspaces, the
 * unsent-message store, and "ws watch" live, across a dropped connection
 * and without the manager API. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/clock.h"
#include "util/mem.h"

static simproc sim;

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "50"));
}

/* Creates a workspace (extra words after "ws create") and returns its id. */
static char *create(const char *mode, const char *client, const char *message)
{
    clit_res r;
    if (message)
        clit_run(&r, NULL, NULL,
                 W("--json", "ws", "create", "--mode", mode, "--client-id", client, message));
    else
        clit_run(&r, NULL, NULL, W("--json", "ws", "create", "--mode", mode, "--client-id", client));
    CLIT_EXPECT(r, 0, "\"workspace\":{", NULL);
    char *id = clit_json_str(r.out, "workspace.id");
    assert_non_null(id);
    clit_res_free(&r);
    return id;
}

static void ws__creates_finds_and_ends_a_workspace(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL,
             W("ws", "create", "--client-id", "cli-ada", "--context", "name=Ada", "--metadata",
               "source=test", "-m", "llama-3.1-8b-instant", "Where", "is", "my", "order?"));
    CLIT_EXPECT(r, 0, "user: Where is my order?", NULL);
    assert_non_null(strstr(r.out, "workspace ws_"));
    assert_non_null(strstr(r.out, " ai: "));
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "find", "cli-ada", "--json"));
    CLIT_EXPECT(r, 0, "\"exists\":true", NULL);
    char *id = clit_json_str(r.out, "workspace.id");
    char *model = clit_json_str(r.out, "workspace.metadata.model");
    assert_string_equal(model, "llama-3.1-8b-instant");
    char *ctx = clit_json_str(r.out, "workspace.context.name");
    assert_string_equal(ctx, "Ada");
    free(model);
    free(ctx);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "get", id));
    CLIT_EXPECT(r, 0, "status         active", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "get", id, "--json"));
    CLIT_EXPECT(r, 0, "\"mode\":\"ai\"", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "typing", id, "hel"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "history", id, "--json"));
    CLIT_EXPECT(r, 0, "\"role\":\"user\"", NULL);
    assert_int_equal(r.out[0], '[');
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "end", id));
    CLIT_EXPECT(r, 0, "status ended", NULL);
    clit_res_free(&r);
    free(id);

    clit_run(&r, NULL, NULL, W("ws", "find", "cli-ada"));
    CLIT_EXPECT(r, 1, NULL, "no active workspace for client 'cli-ada'");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "find", "cli-ada"));
    CLIT_EXPECT(r, 0, "{\"exists\":false}\n", NULL);
    clit_res_free(&r);
}

static void ws__reports_not_found_forbidden_and_conflict(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "get", "ws_does_not_exist"));
    CLIT_EXPECT(r, 1, NULL, "not found");
    clit_res_free(&r);
    clit_run(&r, W("AIASSIST_API_KEY=aai_demo_user"), NULL, W("ws", "list"));
    CLIT_EXPECT(r, 3, NULL, "refused access");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "mode", "ws_x", "sideways"));
    CLIT_EXPECT(r, 2, NULL, "not one of ai, shadow, takeover");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "create", "--context", "novalue"));
    CLIT_EXPECT(r, 2, NULL, "expected KEY=VALUE");
    clit_res_free(&r);
}

static void ws__runs_the_shadow_review_flow(void **state)
{
    (void)state;
    char *id = create("shadow", "cli-shadow", NULL);
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "send", id, "I", "want", "a", "refund"));
    CLIT_EXPECT(r, 0, "pending manager approval", NULL);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "drafts", "--workspace", id, "--json"));
    CLIT_EXPECT(r, 0, "\"status\":\"pending\"", NULL);
    char *draft = clit_json_str(r.out, "0.id");
    char *asked = clit_json_str(r.out, "0.in_reply_to_message.content");
    assert_string_equal(asked, "I want a refund");
    free(asked);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "drafts", "--workspace", id));
    CLIT_EXPECT(r, 0, "customer: ", NULL);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "approve", draft, "--edit", "Refunded today."));
    CLIT_EXPECT(r, 0, "ai: Refunded today.  [edited]", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "approve", draft));
    CLIT_EXPECT(r, 1, NULL, "conflict");
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("-q", "ws", "send", id, "thanks"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "drafts", "--workspace", id));
    char *second = clit_json_str(r.out, "0.id");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "reject", second, "--reason", "too long"));
    CLIT_EXPECT(r, 0, "rejected drf_", NULL);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "mode", id, "takeover"));
    CLIT_EXPECT(r, 0, "mode takeover", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", id, "hello?"));
    CLIT_EXPECT(r, 0, "a human agent will answer", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, "A human here.\n", W("ws", "reply", id, "-"));
    CLIT_EXPECT(r, 0, "human: A human here.", NULL);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "list", "--mode", "takeover"));
    CLIT_EXPECT(r, 0, id, NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "list"));
    CLIT_EXPECT(r, 0, "\"message_count\":", NULL);
    clit_res_free(&r);
    free(draft);
    free(second);
    free(id);
}

static void ws__keeps_a_failed_message_and_resends_it_once(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-unsent", NULL);
    char path[128];
    snprintf(path, sizeof path, "path=/api/workspaces/%s/messages;times=1;status=500", id);
    clit_fault(&sim, path);
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "send", id, "please keep me"));
    CLIT_EXPECT(r, 6, NULL, "the message is kept; send it again with: aidesk ws send");
    assert_non_null(strstr(r.err, "--unsent"));
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 0, "user: please keep me", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 1, NULL, "no unsent message is kept");
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_int_equal(clit_count(r.out, "please keep me"), 1);
    clit_res_free(&r);
    free(id);
}

static void ws__shows_hostile_text_safely(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-hostile", "hello");
    char spec[160];
    snprintf(spec, sizeof spec, "path=/api/workspaces/%s/messages;times=1;escapes", id);
    clit_fault(&sim, spec);
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "history", id));
    CLIT_EXPECT(r, 0, "\xe2\x90\x9b]52;", NULL); /* the OSC 52 shown, not obeyed */
    assert_null(memchr(r.out, 0x1b, r.out_len));
    assert_null(strstr(r.out, "\xc2\x9b"));
    clit_res_free(&r);
    free(id);
}

#define FFFD "\xef\xbf\xbd"
#define SIM_FIXED FFFD FFFD " bad" FFFD "( " FFFD FFFD " " FFFD FFFD FFFD " " FFFD FFFD FFFD FFFD FFFD

static void ws__history_keeps_the_conversation_around_invalid_utf8(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-badbytes", "hello there");
    char spec[160];
    /* Bytes that are not UTF-8 in every message's content: each message is
     * kept, with U+FFFD in place of the bad bytes, and the user is told once. */
    snprintf(spec, sizeof spec, "path=/api/workspaces/%s/messages;times=1;invalid_utf8", id);
    clit_fault(&sim, spec);
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "history", id));
    CLIT_EXPECT(r, 0, "user: hello there " SIM_FIXED, "not valid UTF-8");
    assert_int_equal(clit_count(r.err, "not valid UTF-8"), 1);
    clit_res_free(&r);
    clit_fault(&sim, spec);
    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    CLIT_EXPECT(r, 0, "\"content\":\"hello there " SIM_FIXED "\"", "not valid UTF-8");
    clit_res_free(&r);
    free(id);
}

/* Waits until the counter named by key ("\"active_streams\"", or a path's
 * request count) in the simulator's stats reaches n. */
static void wait_stat(const simproc *s, const char *key, int n)
{
    int64_t until = clock_mono_ms() + 15000;
    char buf[16384];
    while (clock_mono_ms() < until) {
        if (simproc_admin(s, "GET", "/_sim/stats", NULL, buf, sizeof buf) == 200) {
            const char *p = strstr(buf, key);
            if (p && atoi(strchr(p + strlen(key) - 1, ':') + 1) >= n)
                return;
        }
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    fail_msg("the simulator never counted %d for %s", n, key);
}

static void watch__prints_live_events_once_across_a_drop(void **state)
{
    (void)state;
    clit_fault(&sim, "path=/api/manager/events;times=1;drop_after=3");
    clit_proc p;
    assert_int_equal(clit_spawn(&p, NULL, W("ws", "watch", "--json")), 0);
    wait_stat(&sim, "\"active_streams\"", 1);
    char *id = create("takeover", "cli-watch", NULL);
    clit_res r;
    char text[32];
    for (int i = 1; i <= 6; i++) {
        snprintf(text, sizeof text, "watch message %d", i);
        clit_run(&r, NULL, NULL, W("-q", "ws", "send", id, text));
        CLIT_EXPECT(r, 0, NULL, NULL);
        clit_res_free(&r);
    }
    assert_true(clit_wait_out(&p, "watch message 6", 15000));
    clit_stop(&p, SIGTERM, 5000, &r);
    CLIT_EXPECT(r, 0, "\"type\":\"workspace.created\"", "reconnecting in 2.0 s");
    /* Every message exactly once, ids strictly increasing. */
    for (int i = 1; i <= 6; i++) {
        snprintf(text, sizeof text, "watch message %d\"", i);
        assert_int_equal(clit_count(r.out, text), 1);
    }
    long long last = -1;
    size_t lines = 0;
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        assert_true(!strncmp(line, "{\"id\":", 6));
        long long n = atoll(line + 6);
        assert_true(n > last);
        last = n;
        lines++;
    }
    assert_int_equal(lines, 7); /* workspace.created and six message.created */
    clit_res_free(&r);
    free(id);
}

static void watch__polls_without_the_manager_api(void **state)
{
    (void)state;
    simproc bare;
    const char *args[] = {"--speed", "50", "--no-manager", NULL};
    assert_int_equal(simproc_start(&bare, args), 0);
    char url[128];
    snprintf(url, sizeof url, "AIASSIST_BASE_URL=%s", bare.base_url);
    const char *const env[] = {url, NULL};
    clit_res r;
    clit_run(&r, env, NULL, W("--json", "ws", "create", "--mode", "takeover"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *id = clit_json_str(r.out, "workspace.id");
    clit_res_free(&r);

    clit_run(&r, env, NULL, W("ws", "watch"));
    CLIT_EXPECT(r, 1, NULL, "no manager API");
    clit_res_free(&r);

    clit_proc p;
    assert_int_equal(clit_spawn(&p, env, W("ws", "watch", "--workspace", id)), 0);
    /* The first poll only learns what is there: add to the history after it. */
    char path[160];
    snprintf(path, sizeof path, "\"/api/workspaces/%s/messages\":", id);
    wait_stat(&bare, path, 1);
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
    clit_run(&r, env, NULL, W("-q", "ws", "send", id, "polled message"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    assert_true(clit_wait_out(&p, "polled message", 8000));
    clit_stop(&p, SIGINT, 5000, &r);
    CLIT_EXPECT(r, 0, "message.created", "polling the history");
    assert_int_equal(clit_count(r.out, "polled message"), 1);
    clit_res_free(&r);
    free(id);
    simproc_stop(&bare);
}

/* Each test starts without faults left over. */
#define T(f) cmocka_unit_test_setup(f, clit_fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(ws__creates_finds_and_ends_a_workspace),
        T(ws__reports_not_found_forbidden_and_conflict),
        T(ws__runs_the_shadow_review_flow),
        T(ws__keeps_a_failed_message_and_resends_it_once),
        T(ws__shows_hostile_text_safely),
        T(ws__history_keeps_the_conversation_around_invalid_utf8),
        T(watch__prints_live_events_once_across_a_drop),
        T(watch__polls_without_the_manager_api),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
