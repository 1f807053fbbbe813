/* End-to-end tests of "aidesk ws ...": both sides of workspaces, the
 * unsent-message store, and "ws watch" live, across a dropped connection
 * and without the manager API. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "store/unsent.h"
#include "compare/compare_tokens.h"
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
    /* The model goes at the top level, as the SDK sends it: metadata is
     * the caller's own. */
    assert_null(clit_json_str(r.out, "workspace.metadata.model"));
    char *meta = clit_json_str(r.out, "workspace.metadata");
    assert_string_equal(meta, "{\"source\":\"test\"}");
    char *ctx = clit_json_str(r.out, "workspace.context.name");
    assert_string_equal(ctx, "Ada");
    free(meta);
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
    /* Not found is exit status 1 with --json too (the answer still says
     * so), so that scripts test it one way. */
    clit_run(&r, NULL, NULL, W("--json", "ws", "find", "cli-ada"));
    CLIT_EXPECT(r, 1, "{\"exists\":false}\n", NULL);
    clit_res_free(&r);
}

/* The reply's tokens as the simulator counts them (exact for its ASCII,
 * CJK and emoji). */
static int64_t reply_tokens(const char *json, const char *path)
{
    char *text = clit_json_str(json, path);
    assert_non_null(text);
    int64_t n = compare_token_count(text, strlen(text));
    free(text);
    return n;
}

static bool reply_has(const char *json, const char *path, const char *needle)
{
    char *text = clit_json_str(json, path);
    assert_non_null(text);
    bool has = strstr(text, needle) != NULL;
    free(text);
    return has;
}

/* -m and --max-tokens go at the top level of create and send, as the SDK
 * sends them, and the replies follow: the workspace's model answers every
 * message, a message's own model and length only that one. The
 * simulator's Perplexity model ends its replies with its sources. */
static void ws__model_and_max_tokens_shape_the_replies(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL,
             W("--json", "ws", "create", "-m", "llama-3.1-sonar-large-128k-online", "--context",
               "recent_orders=[\"ORD-77123\",\"ORD-1\"]", "Where is my order?"));
    CLIT_EXPECT(r, 0, "\"workspace\":{", NULL);
    assert_true(reply_has(r.out, "messages.1.content", "Sources:"));
    /* A list in context is a list: its first order is the one meant. */
    assert_true(reply_has(r.out, "messages.1.content", "ORD-77123"));
    char *id = clit_json_str(r.out, "workspace.id");
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("--json", "ws", "send", "--max-tokens", "5", id, "And the refund?"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_int_equal(reply_tokens(r.out, "responses.0.content"), 5);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "send", "-m", "gpt-4o", id, "Thanks a lot"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_false(reply_has(r.out, "responses.0.content", "Sources:"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "send", id, "One more question"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_true(reply_has(r.out, "responses.0.content", "Sources:"));
    assert_true(reply_tokens(r.out, "responses.0.content") > 5);
    clit_res_free(&r);
    free(id);

    clit_run(&r, NULL, NULL, W("--json", "ws", "create", "--max-tokens", "7", "Hello there"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_int_equal(reply_tokens(r.out, "messages.1.content"), 7);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "create", "--max-tokens", "0"));
    CLIT_EXPECT(r, 2, NULL, "--max-tokens");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "create", "-m", "no-such-model", "hi"));
    CLIT_EXPECT(r, 1, NULL, "no-such-model");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--unsent", "-m", "gpt-4o"));
    CLIT_EXPECT(r, 2, NULL, "go with a new message");
    clit_res_free(&r);
}

/* --context and --metadata values are JSON when they read as JSON (the
 * SDK takes any JSON value); a word stays a string; broken JSON is refused
 * before anything is sent. */
static void ws__context_and_metadata_take_json_values(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL,
             W("--json", "ws", "create", "--client-id", "cli-json", "--context", "name=Ada Lovelace",
               "--context", "visits=3", "--context", "vip=true", "--context", "zip=\"01234\"",
               "--context", "prefs={\"lang\":\"en\"}", "--context", "none=null",
               "--metadata", "tags=[1,2]"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *ctx = clit_json_str(r.out, "workspace.context");
    assert_string_equal(ctx, "{\"name\":\"Ada Lovelace\",\"visits\":3,\"vip\":true,\"zip\":\"01234\","
                             "\"prefs\":{\"lang\":\"en\"},\"none\":null}");
    char *meta = clit_json_str(r.out, "workspace.metadata");
    assert_string_equal(meta, "{\"tags\":[1,2]}");
    free(ctx);
    free(meta);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL,
             W("ws", "create", "--client-id", "cli-json-bad", "--context", "orders=[ORD-1,ORD-2]"));
    CLIT_EXPECT(r, 2, NULL, "--context: orders: '[ORD-1,ORD-2]' is not valid JSON");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "find", "cli-json-bad"));
    CLIT_EXPECT(r, 1, NULL, "no active workspace"); /* the refused one created nothing */
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

/* The id in "... kept as <id>..." on stderr (a new string). */
static char *kept_id(const char *err)
{
    const char *p = strstr(err, "kept as ");
    if (!p)
        fail_msg("no kept message id in: %s", err);
    p += strlen("kept as ");
    size_t n = strspn(p, "0123456789abcdef-");
    assert_true(n > 0);
    return xstrndup(p, n);
}

static const char *const down[] = {"AIASSIST_BASE_URL=http://127.0.0.1:1", NULL};

/* Sends text while the service is down; returns the kept message's id. */
static char *send_down(const char *id, const char *text)
{
    clit_res r;
    clit_run(&r, down, NULL, W("--max-retries", "0", "ws", "send", id, text));
    CLIT_EXPECT(r, 5, NULL, "the message is kept as ");
    assert_non_null(strstr(r.err, "send it again with: aidesk ws send --resend "));
    assert_null(strstr(r.err, "may have received it")); /* it never left */
    char *kept = kept_id(r.err);
    clit_res_free(&r);
    return kept;
}

static void ws__sends_while_the_service_is_down_are_all_kept_and_each_sent_once(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-down", NULL);
    char *first = send_down(id, "first while down");
    char *second = send_down(id, "second while down");
    assert_string_not_equal(first, second);
    /* Two at once. */
    clit_proc p[2];
    const char *texts[2] = {"third, at once", "fourth, at once"};
    for (int i = 0; i < 2; i++)
        assert_int_equal(clit_spawn(&p[i], down, W("--max-retries", "0", "ws", "send", id, texts[i])),
                         0);
    clit_res r;
    for (int i = 0; i < 2; i++) {
        clit_stop(&p[i], 0, 30000, &r);
        CLIT_EXPECT(r, 5, NULL, "the message is kept as ");
        clit_res_free(&r);
    }

    clit_run(&r, NULL, NULL, W("ws", "send", "--unsent"));
    CLIT_EXPECT(r, 0, first, NULL);
    assert_non_null(strstr(r.out, second));
    for (int i = 0; i < 2; i++)
        assert_non_null(strstr(r.out, texts[i]));
    assert_int_equal(clit_count(r.out, id), 4);
    assert_int_equal(clit_count(r.out, " unsent "), 4);
    /* Oldest first. */
    assert_true(strstr(r.out, "first while down") < strstr(r.out, "second while down"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 0, "\"state\":\"unsent\"", NULL);
    assert_int_equal(clit_count(r.out, "\"workspace\":"), 4);
    char *text0 = clit_json_str(r.out, "0.text");
    assert_string_equal(text0, "first while down");
    free(text0);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "ws_someone_else", "--unsent"));
    CLIT_EXPECT(r, 0, NULL, "no unsent messages are kept for ws_someone_else");
    assert_int_equal(r.out_len, 0);
    clit_res_free(&r);

    /* One by its id, then all the others. */
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", first));
    CLIT_EXPECT(r, 0, "user: first while down", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend-all"));
    CLIT_EXPECT(r, 0, "user: second while down", NULL);
    assert_non_null(strstr(r.out, "user: third, at once"));
    assert_non_null(strstr(r.out, "user: fourth, at once"));
    assert_null(strstr(r.out, "first while down"));
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_int_equal(clit_count(r.out, "first while down"), 1);
    assert_int_equal(clit_count(r.out, "second while down"), 1);
    assert_int_equal(clit_count(r.out, texts[0]), 1);
    assert_int_equal(clit_count(r.out, texts[1]), 1);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--unsent"));
    CLIT_EXPECT(r, 0, NULL, "no unsent messages are kept");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", first));
    CLIT_EXPECT(r, 1, NULL, "no kept message");
    clit_res_free(&r);
    free(first);
    free(second);
    free(id);
}

static void ws__two_resends_at_once_send_each_kept_message_once(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-race", NULL);
    char text[64];
    for (int i = 0; i < 8; i++) {
        snprintf(text, sizeof text, "raced message %d", i);
        free(send_down(id, text));
    }
    clit_proc p[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(clit_spawn(&p[i], NULL, W("ws", "send", "--resend-all")), 0);
    clit_res r;
    for (int i = 0; i < 2; i++) {
        clit_stop(&p[i], 0, 30000, &r);
        /* 1 when the other held one of them: left to it, said so. */
        if (r.status != 0)
            CLIT_EXPECT(r, 1, NULL, "held by another aidesk");
        clit_res_free(&r);
    }
    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    for (int i = 0; i < 8; i++) {
        snprintf(text, sizeof text, "raced message %d\"", i);
        assert_int_equal(clit_count(r.out, text), 1);
    }
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "send", "--unsent"));
    CLIT_EXPECT(r, 0, "[]\n", NULL);
    clit_res_free(&r);
    free(id);
}

static void ws__an_uncertain_message_is_sent_again_only_when_named(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-unsent", NULL);
    char path[128];
    snprintf(path, sizeof path, "path=/api/workspaces/%s/messages;times=2;status=500", id);
    clit_fault(&sim, path);
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "send", id, "please keep me"));
    CLIT_EXPECT(r, 6, NULL, "the message is kept as ");
    assert_non_null(strstr(r.err, "the service may have received it"));
    char *kept = kept_id(r.err);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", id, "and me"));
    char *kept2 = kept_id(r.err);
    clit_res_free(&r);

    clit_run(&r, NULL, NULL, W("ws", "send", id, "--unsent"));
    CLIT_EXPECT(r, 0, " uncertain ", NULL);
    assert_int_equal(clit_count(r.out, " uncertain "), 2);
    clit_res_free(&r);
    /* "All" leaves what may have arrived to the person. */
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend-all"));
    CLIT_EXPECT(r, 1, NULL, "may have arrived: check 'aidesk ws history");
    assert_int_equal(r.out_len, 0);
    clit_res_free(&r);
    /* Named, it goes. */
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", kept));
    CLIT_EXPECT(r, 0, "user: please keep me", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", kept));
    CLIT_EXPECT(r, 1, NULL, "no kept message");
    clit_res_free(&r);
    /* Or with the flag that says so. */
    clit_run(&r, NULL, NULL, W("ws", "send", id, "--resend-all", "--include-uncertain"));
    CLIT_EXPECT(r, 0, "user: and me", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    assert_int_equal(clit_count(r.out, "please keep me"), 1);
    assert_int_equal(clit_count(r.out, "and me"), 1);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", "x", "--include-uncertain"));
    CLIT_EXPECT(r, 2, NULL, "--include-uncertain goes with --resend-all");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--unsent", "--resend-all"));
    CLIT_EXPECT(r, 2, NULL, "do not go together");
    clit_res_free(&r);
    free(kept);
    free(kept2);
    free(id);
}

static void ws__a_message_for_an_ended_workspace_is_discarded_not_resent(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-ended", NULL);
    char *kept = send_down(id, "too late");
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "end", id));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", kept));
    CLIT_EXPECT(r, 1, NULL, "has ended: the kept message");
    assert_non_null(strstr(r.err, "aidesk ws send --discard "));
    assert_null(strstr(r.err, "--resend"));
    assert_null(strstr(r.err, "--unsent"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", id, "even later"));
    CLIT_EXPECT(r, 1, NULL, "has ended: the message can never be sent there");
    assert_null(strstr(r.err, "--resend"));
    char *kept2 = kept_id(r.err);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--discard", kept, "--discard", kept2));
    CLIT_EXPECT(r, 0, NULL, "forgot the kept message");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "send", "--unsent"));
    CLIT_EXPECT(r, 0, "[]\n", NULL);
    clit_res_free(&r);
    free(kept);
    free(kept2);
    free(id);
}

static void ws__a_kept_message_another_aidesk_holds_is_left_to_it(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-held", NULL);
    char *kept = send_down(id, "held elsewhere");
    /* This process plays the console that shows it. */
    char data[400];
    snprintf(data, sizeof data, "%s/d", clit_home());
    setenv("XDG_DATA_HOME", data, 1);
    store_unsent_held *h = NULL;
    assert_int_equal(store_unsent_take(kept, &h, NULL, NULL), STORE_UNSENT_TAKEN);
    char pid[64];
    snprintf(pid, sizeof pid, "held by another aidesk (pid %ld)", (long)getpid());
    clit_res r;
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", kept));
    CLIT_EXPECT(r, 1, NULL, pid);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend-all"));
    CLIT_EXPECT(r, 1, NULL, "left to it");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--discard", kept));
    CLIT_EXPECT(r, 1, NULL, pid);
    clit_res_free(&r);
    snprintf(pid, sizeof pid, "held by pid %ld", (long)getpid());
    clit_run(&r, NULL, NULL, W("ws", "send", "--unsent"));
    CLIT_EXPECT(r, 0, pid, NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    assert_int_equal(clit_count(r.out, "held elsewhere"), 0);
    clit_res_free(&r);
    store_unsent_release(h);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend", kept));
    CLIT_EXPECT(r, 0, "user: held elsewhere", NULL);
    clit_res_free(&r);
    free(kept);
    free(id);
}

static void ws__a_resend_killed_on_the_way_leaves_the_message_uncertain(void **state)
{
    (void)state;
    char *id = create("takeover", "cli-killed", NULL);
    char *kept = send_down(id, "cut short");
    char spec[160];
    snprintf(spec, sizeof spec, "path=/api/workspaces/%s/messages;times=1;latency=8000", id);
    clit_fault(&sim, spec);
    clit_proc p;
    assert_int_equal(clit_spawn(&p, NULL, W("ws", "send", "--resend", kept)), 0);
    /* Until the send is under way (the service has the message and waits
     * before answering). */
    clit_res r;
    int64_t until = clock_mono_ms() + 10000;
    bool sending = false;
    while (!sending && clock_mono_ms() < until) {
        clit_run(&r, NULL, NULL, W("ws", "send", "--unsent"));
        sending = strstr(r.out, "sending, held by pid") != NULL;
        clit_res_free(&r);
        if (!sending) {
            struct timespec ts = {0, 50000000};
            nanosleep(&ts, NULL);
        }
    }
    assert_true(sending);
    /* "sending" is written before the request goes: wait until the service
     * really has it, or a slow machine kills the sender before it sent. */
    bool arrived = false;
    while (!arrived && clock_mono_ms() < until + 10000) {
        clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
        arrived = clit_count(r.out, "cut short") == 1;
        clit_res_free(&r);
        if (!arrived) {
            struct timespec ts = {0, 50000000};
            nanosleep(&ts, NULL);
        }
    }
    assert_true(arrived);
    clit_stop(&p, SIGKILL, 5000, &r);
    assert_int_equal(r.status, 128 + SIGKILL);
    clit_res_free(&r);
    /* Nobody knows whether it arrived: a person decides. */
    clit_run(&r, NULL, NULL, W("ws", "send", "--unsent"));
    CLIT_EXPECT(r, 0, " uncertain ", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--resend-all"));
    CLIT_EXPECT(r, 1, NULL, "may have arrived");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--json", "ws", "history", id));
    assert_int_equal(clit_count(r.out, "cut short"), 1);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("ws", "send", "--discard", kept));
    CLIT_EXPECT(r, 0, NULL, NULL);
    clit_res_free(&r);
    free(kept);
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
        T(ws__model_and_max_tokens_shape_the_replies),
        T(ws__context_and_metadata_take_json_values),
        T(ws__reports_not_found_forbidden_and_conflict),
        T(ws__runs_the_shadow_review_flow),
        T(ws__sends_while_the_service_is_down_are_all_kept_and_each_sent_once),
        T(ws__two_resends_at_once_send_each_kept_message_once),
        T(ws__an_uncertain_message_is_sent_again_only_when_named),
        T(ws__a_message_for_an_ended_workspace_is_discarded_not_resent),
        T(ws__a_kept_message_another_aidesk_holds_is_left_to_it),
        T(ws__a_resend_killed_on_the_way_leaves_the_message_uncertain),
        T(ws__shows_hostile_text_safely),
        T(ws__history_keeps_the_conversation_around_invalid_utf8),
        T(watch__prints_live_events_once_across_a_drop),
        T(watch__polls_without_the_manager_api),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
