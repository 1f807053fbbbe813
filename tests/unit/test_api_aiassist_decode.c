/* Unit tests for the AiAssist decoders: valid answers, the SDK's
 * tolerances, missing fields, wrong types and hostile input. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist.h"
#include "api/aiassist_json.h"
#include "api/aiassist_types.h"
#include "test.h"
#include "util/buf.h"
#include "net/net.h"
#include "util/mem.h"
#include "util/utf8.h"

#define D(fn, json) fn(json, strlen(json), &err)

/* Asserts that the decoder failed with a message containing want. */
#define ASSERT_FAILS(fn, json, want)                                          \
    do {                                                                      \
        char *err_ = NULL;                                                    \
        void *r_ = fn(json, strlen(json), &err_);                             \
        assert_null(r_);                                                      \
        assert_non_null(err_);                                                \
        if (!strstr(err_, want))                                              \
            fail_msg("error '%s' does not contain '%s'", err_, want);         \
        free(err_);                                                           \
    } while (0)

static const char *CHAT =
    "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\",\"created\":1795274460,"
    "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":\"Hello! How can I help?\"},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":15,\"total_tokens\":25}}";

static void chat__decodes_a_full_completion(void **state)
{
    (void)state;
    char *err = NULL;
    ai_chat_result *r = D(ai_decode_chat, CHAT);
    assert_non_null(r);
    assert_string_equal(r->id, "chatcmpl-abc");
    assert_string_equal(r->object, "chat.completion");
    assert_int_equal(r->created, 1795274460);
    assert_string_equal(r->model, "gpt-4o");
    assert_int_equal(r->nchoices, 1);
    assert_int_equal(r->choices[0].role, AI_ROLE_AI);
    assert_string_equal(r->choices[0].content, "Hello! How can I help?");
    assert_string_equal(r->choices[0].finish_reason, "stop");
    assert_true(r->usage.present);
    assert_int_equal(r->usage.prompt_tokens, 10);
    assert_int_equal(r->usage.completion_tokens, 15);
    assert_int_equal(r->usage.total_tokens, 25);
    ai_chat_result_free(r);
}

static void chat__accepts_missing_usage_and_null_content(void **state)
{
    (void)state;
    char *err = NULL;
    ai_chat_result *r = D(ai_decode_chat, "{\"choices\":[{\"message\":{\"content\":null},"
                                          "\"finish_reason\":\"length\"}]}");
    assert_non_null(r);
    assert_false(r->usage.present);
    assert_string_equal(r->choices[0].content, "");
    assert_string_equal(r->choices[0].finish_reason, "length");
    assert_null(r->id);
    ai_chat_result_free(r);
}

static void chat__names_the_field__when_missing_or_of_the_wrong_type(void **state)
{
    (void)state;
    ASSERT_FAILS(ai_decode_chat, "{\"id\":\"x\"}", "chat completion: missing field 'choices'");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":{}}", "field 'choices' should be a list");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[]}", "field 'choices' is empty");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[{\"index\":0}]}",
                 "chat completion: choices[0]: missing field 'message'");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[{\"message\":{\"content\":42}}]}",
                 "chat completion: choices[0].message: field 'content' should be a string");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[7]}", "choices[0]: should be an object");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[{\"message\":{\"content\":\"x\"}}],\"usage\":"
                                 "{\"total_tokens\":-1}}", "usage: field 'total_tokens' is out of range");
    ASSERT_FAILS(ai_decode_chat, "[]", "should be a JSON object");
    ASSERT_FAILS(ai_decode_chat, "", "the answer is empty");
    ASSERT_FAILS(ai_decode_chat, "null", "the answer is null");
}

static void chat__rejects_hostile_json__with_a_clear_message(void **state)
{
    (void)state;
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]\xC0\xAF}",
                 "invalid UTF-8 outside a string");
    ASSERT_FAILS(ai_decode_chat, "{\"created\":1.,\"choices\":[{\"message\":{\"content\":\"x\"}}]}",
                 "chat completion: malformed JSON: '1.' is not a number as JSON writes it");
    ASSERT_FAILS(ai_decode_chat, "{\"created\":2.e3,\"choices\":[{\"message\":{\"content\":\"x\"}}]}",
                 "'2.e3' is not a number");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[{\"index\":-01,\"message\":{\"content\":\"x\"}}]}",
                 "'-01' is not a number");
    ASSERT_FAILS(ai_decode_chat, "{\"created\":NaN,\"choices\":[]}", "malformed JSON");
    ASSERT_FAILS(ai_decode_chat, "{\"created\":99999999999999999999999,\"choices\":"
                                 "[{\"message\":{\"content\":\"x\"}}]}", "field 'created' is out of range");
    ASSERT_FAILS(ai_decode_chat, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]} trailing",
                 "malformed JSON");
    buf_t deep = BUF_INIT;
    for (int i = 0; i < 100; i++)
        buf_append_str(&deep, "[");
    for (int i = 0; i < 100; i++)
        buf_append_str(&deep, "]");
    ASSERT_FAILS(ai_decode_chat, deep.data, "malformed JSON");
    buf_free(&deep);
}

static void chat__keeps_escape_sequences_verbatim__as_data(void **state)
{
    (void)state;
    char *err = NULL;
    ai_chat_result *r = D(ai_decode_chat, "{\"choices\":[{\"message\":{\"content\":"
                                          "\"\\u001b]52;c;cGF3bmVk\\u0007red\\u001b[31m\\r\"}}]}");
    assert_non_null(r);
    assert_string_equal(r->choices[0].content, "\x1b]52;c;cGF3bmVk\x07red\x1b[31m\r");
    ai_chat_result_free(r);
}

static void models__lists_ids_and_owners(void **state)
{
    (void)state;
    char *err = NULL;
    ai_model_list *l = D(ai_decode_models, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\","
                                           "\"owned_by\":\"openai\"},{\"id\":\"pin:op/llama3\"}]}");
    assert_non_null(l);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[0].id, "gpt-4o");
    assert_string_equal(l->items[0].owned_by, "openai");
    assert_string_equal(l->items[1].id, "pin:op/llama3");
    assert_null(l->items[1].owned_by);
    ai_model_list_free(l);
    ASSERT_FAILS(ai_decode_models, "{\"models\":[]}", "model list: missing field 'data'");
    ASSERT_FAILS(ai_decode_models, "{\"data\":[{\"owned_by\":\"x\"}]}", "data[0]: missing field 'id'");
}

static void ws_create__reads_the_wrapped_form_with_messages(void **state)
{
    (void)state;
    char *err = NULL;
    ai_create_result *r = D(ai_decode_ws_create,
        "{\"workspace\":{\"id\":\"ws_1\",\"mode\":\"shadow\",\"status\":\"active\",\"metadata\":"
        "{\"mode\": \"shadow\", \"n\": [1, 2]},\"client_id\":\"c1\"},\"messages\":[{\"id\":\"msg_1\","
        "\"role\":\"user\",\"content\":\"hi\",\"created_at\":\"2026-11-21T15:21:00.123Z\"},"
        "{\"id\":\"msg_2\",\"role\":\"assistant\",\"content\":\"hello\"}]}");
    assert_non_null(r);
    assert_string_equal(r->workspace.id, "ws_1");
    assert_int_equal(r->workspace.mode, AI_MODE_SHADOW);
    assert_string_equal(r->workspace.mode_raw, "shadow");
    assert_string_equal(r->workspace.status, "active");
    assert_string_equal(r->workspace.metadata_json, "{\"mode\":\"shadow\",\"n\":[1,2]}");
    assert_string_equal(r->workspace.client_id, "c1");
    assert_int_equal(r->messages.n, 2);
    assert_int_equal(r->messages.items[0].role, AI_ROLE_USER);
    assert_int_equal(r->messages.items[0].created_ms, INT64_C(1795274460123));
    assert_int_equal(r->messages.items[1].role, AI_ROLE_AI);
    assert_int_equal(r->messages.items[1].created_ms, 0);
    ai_create_result_free(r);
}

static void ws_create__accepts_workspace_fields_at_the_top_level(void **state)
{
    (void)state;
    char *err = NULL;
    ai_create_result *r = D(ai_decode_ws_create, "{\"id\":\"ws_2\",\"mode\":\"future-mode\"}");
    assert_non_null(r);
    assert_string_equal(r->workspace.id, "ws_2");
    assert_int_equal(r->workspace.mode, AI_MODE_UNKNOWN);
    assert_string_equal(r->workspace.mode_raw, "future-mode");
    assert_int_equal(r->messages.n, 0);
    ai_create_result_free(r);
    ASSERT_FAILS(ai_decode_ws_create, "{\"mode\":\"ai\"}", "new workspace: missing field 'id'");
    ASSERT_FAILS(ai_decode_ws_create, "{\"workspace\":{\"id\":\"w\",\"metadata\":[]}}",
                 "new workspace: workspace: field 'metadata' should be an object");
    ASSERT_FAILS(ai_decode_ws_create, "{\"workspace\":\"ws_1\"}", "field 'workspace' should be an object");
    ASSERT_FAILS(ai_decode_ws_create, "{\"id\":\"w\",\"messages\":{}}", "field 'messages' should be a list");
}

static void ws_get__reads_wrapped_or_bare_workspaces(void **state)
{
    (void)state;
    char *err = NULL;
    ai_workspace *w = D(ai_decode_ws_get, "{\"workspace\":{\"id\":\"ws_1\",\"mode\":\"takeover\","
                                          "\"system_prompt\":\"Be kind\",\"context\":{\"a\":1}}}");
    assert_non_null(w);
    assert_int_equal(w->mode, AI_MODE_TAKEOVER);
    assert_string_equal(w->system_prompt, "Be kind");
    assert_string_equal(w->context_json, "{\"a\":1}");
    assert_int_equal(w->message_count, -1);
    ai_workspace_free(w);
    w = D(ai_decode_ws_get, "{\"id\":\"ws_1\",\"mode\":\"ai\"}");
    assert_non_null(w);
    assert_int_equal(w->mode, AI_MODE_AI);
    ai_workspace_free(w);
    ASSERT_FAILS(ai_decode_ws_get, "{\"id\":5}", "workspace: field 'id' should be a string");
}

static void ws_by_client__reads_exists_and_workspace(void **state)
{
    (void)state;
    char *err = NULL;
    ai_by_client_result *r = D(ai_decode_ws_by_client,
        "{\"workspace\":{\"id\":\"ws_1\"},\"messages\":[{\"id\":\"m\",\"content\":\"x\"}],\"exists\":true}");
    assert_non_null(r);
    assert_true(r->exists);
    assert_string_equal(r->workspace->id, "ws_1");
    assert_int_equal(r->messages.n, 1);
    ai_by_client_result_free(r);
    r = D(ai_decode_ws_by_client, "{\"workspace\":null,\"messages\":[],\"exists\":false}");
    assert_non_null(r);
    assert_false(r->exists);
    assert_null(r->workspace);
    ai_by_client_result_free(r);
    r = D(ai_decode_ws_by_client, "{\"workspace\":{\"id\":\"ws_1\"}}");
    assert_true(r->exists);
    ai_by_client_result_free(r);
    ASSERT_FAILS(ai_decode_ws_by_client, "{\"workspace\":null,\"exists\":true}", "'exists' is true");
    ASSERT_FAILS(ai_decode_ws_by_client, "{\"exists\":\"yes\"}", "field 'exists' should be true or false");
}

static void ws_send__reads_all_three_modes(void **state)
{
    (void)state;
    char *err = NULL;
    ai_send_result *r = D(ai_decode_ws_send,
        "{\"user_message\":{\"id\":\"msg_1\",\"content\":\"I want a refund\",\"created_at\":"
        "\"2026-11-21T15:21:00Z\"},\"responses\":[{\"id\":\"drf_1\",\"role\":\"ai\",\"content\":"
        "\"Sure\"}],\"mode\":\"shadow\",\"pending_approval\":true}");
    assert_non_null(r);
    assert_string_equal(r->user_message.id, "msg_1");
    assert_int_equal(r->user_message.role, AI_ROLE_USER);
    assert_int_equal(r->responses.n, 1);
    assert_int_equal(r->mode, AI_MODE_SHADOW);
    assert_true(r->pending_approval);
    ai_send_result_free(r);
    r = D(ai_decode_ws_send, "{\"user_message\":{\"id\":\"m\",\"content\":\"x\"},\"responses\":[],"
                             "\"mode\":\"takeover\",\"pending_approval\":false}");
    assert_non_null(r);
    assert_int_equal(r->responses.n, 0);
    assert_int_equal(r->mode, AI_MODE_TAKEOVER);
    ai_send_result_free(r);
    ASSERT_FAILS(ai_decode_ws_send, "{\"responses\":[]}", "send result: missing field 'user_message'");
    ASSERT_FAILS(ai_decode_ws_send, "{\"user_message\":{\"id\":\"m\",\"content\":\"x\"},\"responses\":"
                                    "[{\"id\":\"a\",\"content\":\"x\"},{\"id\":\"b\"}]}",
                 "send result: responses[1]: missing field 'content'");
    ASSERT_FAILS(ai_decode_ws_send, "{\"user_message\":{\"id\":\"m\",\"content\":\"x\"},"
                                    "\"pending_approval\":1}", "field 'pending_approval' should be true or false");
}

static void ws_history__reads_a_wrapped_or_bare_list_and_maps_roles(void **state)
{
    (void)state;
    const char *list =
        "[{\"id\":\"1\",\"role\":\"user\",\"content\":\"a\"},{\"id\":\"2\",\"role\":\"assistant\","
        "\"content\":\"b\"},{\"id\":\"3\",\"role\":\"human\",\"content\":\"c\"},{\"id\":\"4\","
        "\"role\":\"system\",\"content\":\"d\"},{\"id\":\"5\",\"role\":\"robot\",\"content\":\"e\"},"
        "{\"id\":\"6\",\"role\":\"ai\",\"content\":\"f\",\"approval\":\"edited\",\"draft_id\":\"drf_9\"}]";
    char *err = NULL;
    ai_message_list *l = D(ai_decode_ws_history, list);
    assert_non_null(l);
    assert_int_equal(l->n, 6);
    ai_role want[] = {AI_ROLE_USER, AI_ROLE_AI, AI_ROLE_HUMAN, AI_ROLE_SYSTEM, AI_ROLE_USER, AI_ROLE_AI};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(l->items[i].role, want[i]);
    assert_string_equal(l->items[5].approval, "edited");
    assert_string_equal(l->items[5].draft_id, "drf_9");
    ai_message_list_free(l);
    char *wrapped = xasprintf("{\"messages\":%s}", list);
    l = D(ai_decode_ws_history, wrapped);
    assert_non_null(l);
    assert_int_equal(l->n, 6);
    ai_message_list_free(l);
    free(wrapped);
    ASSERT_FAILS(ai_decode_ws_history, "{\"msgs\":[]}", "history: missing field 'messages'");
    ASSERT_FAILS(ai_decode_ws_history, "[{\"id\":\"1\",\"content\":\"a\",\"role\":3}]",
                 "history: messages[0]: field 'role' should be a string");
    assert_string_equal(ai_role_name(ai_role_from_string("assistant")), "ai");
    assert_string_equal(ai_mode_name(ai_mode_from_string("shadow")), "shadow");
}

static void ws_history__keeps_nul_and_controls_as_data(void **state)
{
    (void)state;
    char *err = NULL;
    ai_message_list *l = D(ai_decode_ws_history, "[{\"id\":\"1\",\"content\":\"a\\u0000b\\u009b2J\"}]");
    assert_non_null(l);
    assert_string_equal(l->items[0].content, "a\xC0\x80" "b\xC2\x9B" "2J"); /* U+0000 as C0 80 */
    ai_message_list_free(l);
}

#define FFFD "\xEF\xBF\xBD"

static void chat__keeps_invalid_utf8_as_replacement_characters(void **state)
{
    (void)state;
    char *err = NULL;
    uint64_t before = utf8_repairs();
    /* What the simulator's invalid_utf8 fault appends to a plain answer. */
    ai_chat_result *r = D(ai_decode_chat, "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"message\":"
                                          "{\"content\":\"Hello \xff\xfe bad\xc3\x28 \xc0\xaf \xed\xa0\x80 "
                                          "\xf8\x88\x80\x80\x80 end\"},\"finish_reason\":\"stop\"}]}");
    if (!r)
        fail_msg("refused: %s", err);
    assert_string_equal(r->choices[0].content, "Hello " FFFD FFFD " bad" FFFD "( " FFFD FFFD " " FFFD
                                               FFFD FFFD " " FFFD FFFD FFFD FFFD FFFD " end");
    assert_string_equal(r->id, "chatcmpl-1");
    assert_string_equal(r->choices[0].finish_reason, "stop");
    assert_int_equal(utf8_repairs() - before, 1);
    ai_chat_result_free(r);
}

static void ws_history__keeps_every_message_around_invalid_utf8(void **state)
{
    (void)state;
    const char *body = "{\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hello\"},"
                       "{\"id\":\"m2\",\"role\":\"assistant\",\"content\":\"bad \xc0\xaf here\"},"
                       "{\"id\":\"m3\",\"role\":\"user\",\"content\":\"after \xe4\xb8\xad\"}]}";
    /* Message by message, and through the whole tree: the same. */
    for (int walk = 1; walk >= 0; walk--) {
        char *err = NULL;
        uint64_t before = utf8_repairs();
        ai_message_list *l = ai_decode_ws_history_as(body, strlen(body), walk, &err);
        if (!l)
            fail_msg("walk %d refused: %s", walk, err);
        assert_int_equal(l->n, 3);
        assert_string_equal(l->items[0].content, "hello");
        assert_string_equal(l->items[1].content, "bad " FFFD FFFD " here");
        assert_string_equal(l->items[2].content, "after \xe4\xb8\xad");
        assert_int_equal(l->items[1].role, AI_ROLE_AI);
        assert_true(utf8_repairs() > before);
        ai_message_list_free(l);
    }
    /* by-client carries a history too. */
    const char *found = "{\"exists\":true,\"workspace\":{\"id\":\"ws_\xff\"},\"messages\":"
                        "[{\"id\":\"m1\",\"content\":\"x\xed\xa0\x80y\"}]}";
    char *err = NULL;
    ai_by_client_result *c = D(ai_decode_ws_by_client, found);
    assert_non_null(c);
    assert_string_equal(c->workspace->id, "ws_" FFFD);
    assert_string_equal(c->messages.items[0].content, "x" FFFD FFFD FFFD "y");
    ai_by_client_result_free(c);
}

/* ---- the element-by-element history reader against the whole tree */

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static void same_lists(const ai_message_list *a, const ai_message_list *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const ai_message *x = &a->items[i], *y = &b->items[i];
        assert_true(same_str(x->id, y->id) && same_str(x->content, y->content) &&
                    same_str(x->created_at, y->created_at) && same_str(x->approval, y->approval) &&
                    same_str(x->draft_id, y->draft_id));
        assert_int_equal(x->role, y->role);
        assert_int_equal(x->created_ms, y->created_ms);
    }
}

/* The same outcome, but that reading message by message stops at the
 * first message of the wrong shape: that error may stand where the whole
 * tree finds a later message that is not JSON. */
static void same_outcome(const char *what, const char *s, size_t len, const void *a, const char *e1,
                         const void *b, const char *e2)
{
    bool shape_first = e1 && e2 && !strstr(e1, "malformed JSON") && strstr(e2, "malformed JSON");
    if (!a != !b || (!same_str(e1, e2) && !shape_first))
        fail_msg("%s of '%.*s': %s / %s against %s / %s", what, (int)len, s, a ? "result" : "NULL",
                 e1 ? e1 : "-", b ? "result" : "NULL", e2 ? e2 : "-");
}

/* Both answers that carry a history, decoded message by message and
 * through the whole tree: the same result or the same error. */
static void history_both(const char *s, size_t len)
{
    char *e1 = NULL, *e2 = NULL;
    ai_message_list *a = ai_decode_ws_history(s, len, &e1);
    ai_message_list *b = ai_decode_ws_history_as(s, len, false, &e2);
    same_outcome("history", s, len, a, e1, b, e2);
    if (a)
        same_lists(a, b);
    ai_message_list_free(a);
    ai_message_list_free(b);
    free(e1);
    free(e2);
    e1 = e2 = NULL;
    ai_by_client_result *c = ai_decode_ws_by_client(s, len, &e1);
    ai_by_client_result *d = ai_decode_ws_by_client_as(s, len, false, &e2);
    same_outcome("lookup", s, len, c, e1, d, e2);
    if (c) {
        assert_int_equal(c->exists, d->exists);
        assert_true(!c->workspace == !d->workspace);
        if (c->workspace)
            assert_true(same_str(c->workspace->id, d->workspace->id));
        same_lists(&c->messages, &d->messages);
    }
    ai_by_client_result_free(c);
    ai_by_client_result_free(d);
    free(e1);
    free(e2);
}

static const char *HISTORY_CASES[] = {
    "[]", " [ ] ", "{\"messages\":[]}", "[null]", "[1]", "[[]]", "[{}]",
    "[{\"id\":\"1\",\"content\":\"a ] } , [ { \\\" \\\\\"}]",
    (" \r\n[ {\"id\":\"1\",\"content\":\"a\",\"meta\":{\"x\":[1,{\"y\":\"]\"}]}} ,\n"
     "{\"id\":\"2\",\"content\":\"b\",\"role\":\"ai\",\"created_at\":\"2026-11-21T10:00:00Z\"} ]\t"),
    "{\"total\":2,\"messages\":[{\"id\":\"1\",\"content\":\"a\"}],\"next\":null}",
    "{\"messages\":[{\"id\":\"1\",\"content\":\"a\"}],\"messages\":[]}",
    "{\"messag\\u0065s\":[{\"id\":\"1\",\"content\":\"a\"}]}",
    "{\"messages\":{\"id\":\"1\"}}", "{\"messages\":null}", "{\"messages\":[1,]}",
    "{\"messages\":[{\"id\":\"1\",\"content\":\"a\"}],}", "{\"messages\":[],\"x\":nan}",
    "[{\"id\":\"1\",\"content\":\"a\"},]", "[,{\"id\":\"1\",\"content\":\"a\"}]",
    "[{\"id\":\"1\",\"content\":\"a\"} {\"id\":\"2\",\"content\":\"b\"}]",
    "[{\"id\":\"1\",\"content\":\"a\"}] x", "[{\"id\":\"1\",\"content\":\"a\"}",
    "[{\"id\":\"1\",\"content\":\"a\"}]]", "[{\"id\":\"1\",\"content\":\"a]",
    "[{\"id\":\"1\",\"content\":\"a\"],{\"id\":\"2\"}}]",
    "[{\"id\":\"1\"},{\"id\":\"2\",\"content\":tru}]",
    "[{\"id\":\"1\",\"content\":\"\xff\"}]", "[{\"id\":\"1\",\"content\":\"a\nb\"}]",
    "[{\"id\":\"1\",\"content\":\"a\",\"role\":3},{\"id\":\"2\",\"content\":'b'}]",
    "[{\"id\":\"1\",\"content\":\"a\",\"role\":3},{\"id\":\"2\"}]",
    "[{\"id\":\"1\",\"content\":\"\\ud83d\\ude00 \\u0000\"}]", "{}", "\"x\"", "", " ", "null",
    "{\"exists\":true,\"workspace\":{\"id\":\"ws_1\"},\"messages\":[{\"id\":\"1\",\"content\":\"a\"}]}",
    "{\"exists\":true,\"messages\":[{\"id\":\"1\",\"content\":\"a\"}]}",
    "{\"exists\":1,\"messages\":[{\"id\":\"1\"}]}", "{\"messages\":[{\"id\":\"1\"}],\"exists\":1}",
    "{\"workspace\":{\"id\":2},\"messages\":[{\"id\":\"1\"}]}",
};

static void ws_history__reading_by_element_matches_the_whole_tree(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof HISTORY_CASES / sizeof *HISTORY_CASES; i++)
        history_both(HISTORY_CASES[i], strlen(HISTORY_CASES[i]));
    /* Reading stops at the first message of the wrong shape. */
    ASSERT_FAILS(ai_decode_ws_history, "[1, {\"id\":\"2\",\"content\":\"b\"}, nope]",
                 "history: messages[0]: should be an object");
    ASSERT_FAILS(ai_decode_ws_history, "[{\"id\":\"1\",\"content\":\"a\"}, nope, 1]",
                 "history: malformed JSON");
    /* Nesting at the limit, counted from the top of the answer. */
    for (int depth = 28; depth <= 33; depth++) {
        buf_t b = BUF_INIT;
        buf_append_str(&b, "{\"messages\":[{\"id\":\"1\",\"content\":\"a\",\"x\":");
        for (int k = 0; k < depth; k++)
            buf_append_char(&b, '[');
        for (int k = 0; k < depth; k++)
            buf_append_char(&b, ']');
        buf_append_str(&b, "}]}");
        history_both(b.data, b.len);
        history_both(b.data + 13, b.len - 14);
        buf_free(&b);
    }
}

static void ws_history__damaged_answers_fail_alike_either_way(void **state)
{
    (void)state;
    const char *base =
        "{\"workspace\": {\"id\":\"ws_1\",\"status\":\"active\"}, \"messages\": [{\"id\":\"m1\",\"role\":\"user\",\"content\":\"Where is [my] order, \\\"#42\\\"?\"},\n"
        " {\"id\":\"m2\",\"role\":\"assistant\",\"content\":\"It ships {today}.\",\"approval\":\"edited\","
        "\"draft_id\":\"d1\",\"created_at\":\"2026-11-21T10:00:00Z\"},\n"
        " {\"id\":\"m3\",\"content\":\"\\u00e9t\\u00e9 \xe2\x9c\x93\",\"extra\":[1,2,{\"k\":[]}]}], \"count\": 3, \"exists\": true}";
    const char alphabet[] = "{}[],:\" \\a1n";
    size_t blen = strlen(base);
    char *s = xmalloc(blen + 8); /* up to three inserts and the NUL */
    unsigned seed = 12345;
    for (int round = 0; round < 4000; round++) {
        memcpy(s, base, blen + 1);
        size_t len = blen;
        int edits = 1 + round % 3;
        for (int k = 0; k < edits; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            char c = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
            switch ((seed >> 4) % 3) {
            case 0: /* replace */
                s[at] = c;
                break;
            case 1: /* delete */
                memmove(s + at, s + at + 1, len - at);
                len--;
                break;
            default: /* insert */
                memmove(s + at + 1, s + at, len - at + 1);
                s[at] = c;
                len++;
                break;
            }
        }
        history_both(s, len);
        /* The bare list inside it too. */
        const char *open = memchr(s, '[', len);
        if (open)
            history_both(open, len - (size_t)(open - s));
    }
    free(s);
}

/* ---- the history decoded as it arrives (ai_history_sink_new) */

/* The answer s as the console gets it with the sink: pushed in the pieces
 * that end at cuts[0..ncuts), after a first attempt that broke off half
 * way (forgotten); -1 is the second fetch, decoded whole. *how: the
 * sink's verdict. */
static ai_message_list *fed_history(const char *s, size_t len, const size_t *cuts, size_t ncuts,
                                    const ai_hist_window *win, ai_hist_pos *pos, char **err,
                                    int *how)
{
    net_sink *k = ai_history_sink_new(win);
    k->push(k->state, s, len / 2);
    k->restart(k->state);
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        char *piece = xmemdup0(s + at, to - at); /* nothing can read past it */
        k->push(k->state, piece, to - at);
        free(piece);
        at = to;
    }
    ai_message_list *l = NULL;
    *err = NULL;
    *how = ai_history_sink_result(k, &l, pos, err);
    net_sink_free(k);
    if (*how < 0) {
        /* The console's second fetch: decoded whole, the same window. */
        l = ai_decode_ws_history(s, len, err);
        if (l)
            ai_hist_window_apply(l, win, pos);
    }
    return l;
}

static unsigned fed_seed = 777;

/* The windows every history below is read with (model/model.h, "the
 * window"): all; the newest two; the newest one placed against m3; the
 * two just before m3, and before m2; one before an id not listed. */
static const ai_hist_window FED_WINDOWS[] = {
    {0, NULL, false}, {2, NULL, false}, {1, "m3", false},
    {2, "m3", true},  {2, "m2", true},  {1, "m9", true},
};
#define NWIN (sizeof FED_WINDOWS / sizeof *FED_WINDOWS)

/* Fed in pieces, s gives what the whole answer gives: the same messages
 * or the same error, word for word, and with a window the same part of
 * them placed at the same position. every: cut at every byte too (else
 * byte by byte and at random only). whole_ok: never a second fetch. */
static void history_fed(const char *s, size_t len, bool every, bool whole_ok)
{
    char *want_err = NULL;
    ai_message_list *whole = ai_decode_ws_history(s, len, &want_err);
    ai_message_list *want[NWIN];
    ai_hist_pos want_pos[NWIN];
    for (size_t k = 0; k < NWIN; k++) {
        want[k] = NULL;
        memset(&want_pos[k], 0, sizeof want_pos[k]);
        if (!whole)
            continue;
        /* A copy of the whole list, cut by the window. */
        char *e2 = NULL;
        want[k] = ai_decode_ws_history(s, len, &e2);
        free(e2);
        ai_hist_window_apply(want[k], &FED_WINDOWS[k], &want_pos[k]);
    }
    size_t *cuts = xcalloc(len + 1, sizeof *cuts);
    size_t ways = (every ? len + 1 : 0) + 4;
    for (size_t w = 0; w < ways; w++) {
        size_t n = 0;
        if (every && w <= len) {
            cuts[0] = w;
            n = w < len ? 1 : 0;
        } else if (w == ways - 4) {
            for (n = 0; n < len; n++)
                cuts[n] = n + 1;
        } else {
            for (size_t at = 0; at < len; n++) {
                fed_seed = fed_seed * 1103515245u + 12345u;
                cuts[n] = at += 1 + (fed_seed >> 16) % 24;
            }
            if (n && cuts[n - 1] > len)
                cuts[n - 1] = len;
        }
        for (size_t k = 0; k < NWIN; k++) {
            char *err = NULL;
            int how = 0;
            ai_hist_pos pos = {7, 7, true, 7};
            ai_message_list *got = fed_history(s, len, cuts, n, &FED_WINDOWS[k], &pos, &err, &how);
            if (!got != !want[k] || !same_str(err, want_err))
                fail_msg("'%.*s' in pieces (way %zu, window %zu): %s / %s, whole: %s / %s", (int)len,
                         s, w, k, got ? "list" : "NULL", err ? err : "-", want[k] ? "list" : "NULL",
                         want_err ? want_err : "-");
            if (got) {
                same_lists(got, want[k]);
                assert_int_equal(pos.total, want_pos[k].total);
                assert_int_equal(pos.older, want_pos[k].older);
                assert_int_equal(pos.found, want_pos[k].found);
                assert_int_equal(pos.found_at, want_pos[k].found_at);
            }
            if (whole_ok && how < 0)
                fail_msg("'%.*s' in pieces (way %zu) was fetched again", (int)len, s, w);
            ai_message_list_free(got);
            free(err);
        }
    }
    free(cuts);
    for (size_t k = 0; k < NWIN; k++)
        ai_message_list_free(want[k]);
    ai_message_list_free(whole);
    free(want_err);
}

static const char *FED_BASE =
    "{\"workspace\": {\"id\":\"ws_1\"}, \"messages\": [{\"id\":\"m1\",\"role\":\"user\",\"content\":\"Where is [my] order, \\\"#42\\\"?\"},\n"
    " {\"id\":\"m2\",\"role\":\"assistant\",\"content\":\"It ships {today}.\",\"approval\":\"edited\","
    "\"draft_id\":\"d1\",\"created_at\":\"2026-11-21T10:00:00Z\"},\n"
    " {\"id\":\"m3\",\"content\":\"\\u00e9t\\u00e9 \xe2\x9c\x93 \xff\",\"extra\":[1,2,{\"k\":[]}]}], \"count\": 3}";

static void ws_history__fed_in_pieces_decodes_as_the_whole_answer(void **state)
{
    (void)state;
    size_t blen = strlen(FED_BASE);
    /* A good answer, either form, is read in one fetch however cut. */
    history_fed(FED_BASE, blen, true, true);
    const char *list = strchr(FED_BASE, '[');
    history_fed(list, (size_t)(strrchr(FED_BASE, ']') + 1 - list), true, true);
    for (size_t i = 0; i < sizeof HISTORY_CASES / sizeof *HISTORY_CASES; i++)
        history_fed(HISTORY_CASES[i], strlen(HISTORY_CASES[i]), true, false);
    /* Cut short anywhere (a server that closed a chunked answer early):
     * never a shorter history taken for the whole. */
    for (size_t len = 0; len < blen; len++)
        history_fed(FED_BASE, len, false, false);
    /* Damaged: bad JSON, a message of the wrong shape, a non-list. */
    const char alphabet[] = "{}[],:\" \\a1n";
    char *s = xmalloc(blen + 8);
    unsigned seed = 4242;
    for (int round = 0; round < 1500; round++) {
        memcpy(s, FED_BASE, blen + 1);
        size_t len = blen;
        for (int k = 0; k < 1 + round % 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            char c = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
            switch ((seed >> 4) % 3) {
            case 0: s[at] = c; break;
            case 1: memmove(s + at, s + at + 1, len - at); len--; break;
            default: memmove(s + at + 1, s + at, len - at + 1); s[at] = c; len++; break;
            }
        }
        history_fed(s, len, false, false);
    }
    free(s);
}

/* Thousands of messages, pieces cut anywhere inside them. */
static void ws_history__the_sink_reads_a_long_history_in_pieces(void **state)
{
    (void)state;
    buf_t a = BUF_INIT;
    buf_append_str(&a, "[");
    for (int i = 0; i < 5000; i++)
        buf_printf(&a, "%s{\"id\":\"m%d\",\"role\":\"%s\",\"content\":\"message %d\"}", i ? "," : "",
                   i, i % 2 ? "assistant" : "user", i);
    buf_append_str(&a, "]");
    net_sink *k = ai_history_sink_new(NULL);
    for (size_t at = 0; at < a.len; at += 4096)
        k->push(k->state, a.data + at, a.len - at < 4096 ? a.len - at : 4096);
    ai_message_list *l = NULL;
    char *err = NULL;
    assert_int_equal(ai_history_sink_result(k, &l, NULL, &err), 1);
    assert_int_equal(l->n, 5000);
    assert_string_equal(l->items[4999].id, "m4999");
    assert_string_equal(l->items[4999].content, "message 4999");
    assert_int_equal(l->items[4999].role, AI_ROLE_AI);
    ai_message_list_free(l);
    net_sink_free(k);
    buf_free(&a);
}

/* A history of n messages m0..m(n-1), as the server lists it. */
static void long_history(buf_t *a, int n)
{
    buf_append_str(a, "{\"messages\": [");
    for (int i = 0; i < n; i++)
        buf_printf(a, "%s{\"id\":\"m%d\",\"role\":\"user\",\"content\":\"message %d\"}",
                   i ? "," : "", i, i);
    buf_append_str(a, "]}");
}

/* The sink fed a in pieces of 777 bytes with window w; never holding more
 * than the window (plus the message in progress, which is not a kept one). */
static ai_message_list *windowed(const buf_t *a, const ai_hist_window *w, ai_hist_pos *pos)
{
    net_sink *k = ai_history_sink_new(w);
    for (size_t at = 0; at < a->len; at += 777) {
        k->push(k->state, a->data + at, a->len - at < 777 ? a->len - at : 777);
        assert_true(ai_history_sink_held(k) <= w->keep);
    }
    ai_message_list *l = NULL;
    char *err = NULL;
    assert_int_equal(ai_history_sink_result(k, &l, pos, &err), 1);
    net_sink_free(k);
    return l;
}

static void ws_history__the_sink_keeps_a_window_of_a_long_history(void **state)
{
    (void)state;
    buf_t a = BUF_INIT;
    long_history(&a, 5000);
    /* The newest 1,000, and how many come before them. */
    ai_hist_window w = {1000, NULL, false};
    ai_hist_pos pos;
    ai_message_list *l = windowed(&a, &w, &pos);
    assert_int_equal(l->n, 1000);
    assert_string_equal(l->items[0].id, "m4000");
    assert_string_equal(l->items[999].id, "m4999");
    assert_string_equal(l->items[999].content, "message 4999");
    assert_int_equal(pos.total, 5000);
    assert_int_equal(pos.older, 4000);
    assert_false(pos.found);
    ai_message_list_free(l);
    /* Placed against the first message held: where the server lists it. */
    w.id = "m3500";
    l = windowed(&a, &w, &pos);
    assert_string_equal(l->items[0].id, "m4000");
    assert_true(pos.found);
    assert_int_equal(pos.found_at, 3500);
    ai_message_list_free(l);
    /* The 1,000 just before a message, in order. */
    w.before = true;
    l = windowed(&a, &w, &pos);
    assert_int_equal(l->n, 1000);
    for (size_t i = 0; i < l->n; i++) {
        char want[16];
        snprintf(want, sizeof want, "m%zu", 2500 + i);
        assert_string_equal(l->items[i].id, want);
    }
    assert_int_equal(pos.older, 2500);
    assert_int_equal(pos.found_at, 3500);
    ai_message_list_free(l);
    /* Fewer than the window before it: all of them, none older. */
    w.id = "m300";
    l = windowed(&a, &w, &pos);
    assert_int_equal(l->n, 300);
    assert_string_equal(l->items[0].id, "m0");
    assert_string_equal(l->items[299].id, "m299");
    assert_int_equal(pos.older, 0);
    ai_message_list_free(l);
    /* An id the server no longer lists: said so (the newest, as a list). */
    w.id = "m-gone";
    l = windowed(&a, &w, &pos);
    assert_false(pos.found);
    assert_int_equal(pos.total, 5000);
    ai_message_list_free(l);
    /* A message of the wrong shape far before the window is still the
     * whole answer's error, word for word. */
    buf_t b = BUF_INIT;
    buf_append_str(&b, "[{\"id\":\"m0\",\"content\":\"x\"},{\"id\":\"m1\"}");
    for (int i = 2; i < 3000; i++)
        buf_printf(&b, ",{\"id\":\"m%d\",\"content\":\"x\"}", i);
    buf_append_str(&b, "]");
    net_sink *k = ai_history_sink_new(&(ai_hist_window){1000, NULL, false});
    k->push(k->state, b.data, b.len);
    char *err = NULL, *want = NULL;
    assert_int_equal(ai_history_sink_result(k, &l, NULL, &err), 0);
    assert_null(ai_decode_ws_history(b.data, b.len, &want));
    assert_string_equal(err, want);
    free(err);
    free(want);
    net_sink_free(k);
    buf_free(&b);
    buf_free(&a);
}

static void mgr_list__reads_the_list_extras(void **state)
{
    (void)state;
    char *err = NULL;
    ai_workspace_list *l = D(ai_decode_mgr_list,
        "{\"workspaces\":[{\"id\":\"ws_1\",\"mode\":\"shadow\",\"status\":\"active\","
        "\"last_activity_at\":\"2026-11-21T15:21:00.123Z\",\"message_count\":4,\"pending_drafts\":1,"
        "\"last_message\":{\"id\":\"m4\",\"role\":\"user\",\"content\":\"hello?\"}},"
        "{\"id\":\"ws_2\",\"message_count\":0,\"pending_drafts\":0,\"last_message\":null}]}");
    assert_non_null(l);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->items[0].message_count, 4);
    assert_int_equal(l->items[0].pending_drafts, 1);
    assert_int_equal(l->items[0].last_activity_ms, INT64_C(1795274460123));
    assert_string_equal(l->items[0].last_message->content, "hello?");
    assert_null(l->items[1].last_message);
    ai_workspace_list_free(l);
    ASSERT_FAILS(ai_decode_mgr_list, "{\"workspaces\":[{\"id\":\"w\",\"message_count\":-1}]}",
                 "workspaces[0]: field 'message_count' is out of range");
    ASSERT_FAILS(ai_decode_mgr_list, "{\"workspaces\":[{\"id\":\"w\",\"pending_drafts\":\"1\"}]}",
                 "field 'pending_drafts' should be a number");
    ASSERT_FAILS(ai_decode_mgr_list, "{\"workspaces\":[{\"id\":\"w\",\"last_message\":{\"id\":\"m\"}}]}",
                 "workspace list: workspaces[0].last_message: missing field 'content'");
}

static void mgr_drafts__reads_drafts_with_their_source_message(void **state)
{
    (void)state;
    char *err = NULL;
    ai_draft_list *l = D(ai_decode_mgr_drafts,
        "{\"drafts\":[{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"content\":\"Sure, refunded.\","
        "\"created_at\":\"2026-11-21T15:21:00Z\",\"in_reply_to\":\"msg_1\",\"in_reply_to_message\":"
        "{\"id\":\"msg_1\",\"role\":\"user\",\"content\":\"refund?\"},\"status\":\"pending\"}]}");
    assert_non_null(l);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->items[0].workspace_id, "ws_1");
    assert_string_equal(l->items[0].in_reply_to_message->content, "refund?");
    assert_string_equal(l->items[0].status, "pending");
    assert_int_equal(l->items[0].created_ms, INT64_C(1795274460000));
    ai_draft_list_free(l);
    ASSERT_FAILS(ai_decode_mgr_drafts, "{\"drafts\":[{\"id\":\"d\",\"content\":\"x\"}]}",
                 "draft list: drafts[0]: missing field 'workspace_id'");
}

static void mgr_answers__decode_approve_reject_reply_and_typing(void **state)
{
    (void)state;
    char *err = NULL;
    ai_approve_result *a = D(ai_decode_mgr_approve,
        "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"content\":\"Edited\",\"status\":"
        "\"approved\"},\"message\":{\"id\":\"msg_5\",\"role\":\"ai\",\"content\":\"Edited\","
        "\"approval\":\"edited\",\"draft_id\":\"drf_1\"}}");
    assert_non_null(a);
    assert_string_equal(a->draft.status, "approved");
    assert_string_equal(a->message.approval, "edited");
    ai_approve_result_free(a);
    ASSERT_FAILS(ai_decode_mgr_approve, "{\"draft\":{\"id\":\"d\",\"workspace_id\":\"w\",\"content\":\"x\"}}",
                 "approval: missing field 'message'");
    ai_draft *d = D(ai_decode_mgr_reject, "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\","
                                          "\"content\":\"x\",\"status\":\"rejected\",\"reason\":\"rude\","
                                          "\"decided_at\":\"2024-05-01T14:02:03.000Z\"}}");
    assert_non_null(d);
    assert_string_equal(d->reason, "rude");
    assert_string_equal(d->decided_at, "2024-05-01T14:02:03.000Z");
    assert_true(d->decided_ms == 1714572123000LL); /* when it was decided, for "at 14:02" */
    ai_draft_free(d);
    ASSERT_FAILS(ai_decode_mgr_reject, "{}", "rejection: missing field 'draft'");
    ai_message *m = D(ai_decode_mgr_reply, "{\"message\":{\"id\":\"msg_6\",\"role\":\"human\",\"content\":\"Hi\"}}");
    assert_non_null(m);
    assert_int_equal(m->role, AI_ROLE_HUMAN);
    ai_message_free(m);
    assert_true(ai_decode_mgr_typing("{\"ok\":true}", 11, &err));
    assert_true(ai_decode_mgr_typing("", 0, &err));
    assert_false(ai_decode_mgr_typing("{\"ok\":false}", 12, &err));
    assert_non_null(strstr(err, "'ok' is false"));
    free(err);
    assert_false(ai_decode_mgr_typing("{\"ok\":\"yes\"}", 12, &err));
    free(err);
}

TEST_MAIN(cmocka_unit_test(chat__decodes_a_full_completion),
          cmocka_unit_test(chat__accepts_missing_usage_and_null_content),
          cmocka_unit_test(chat__names_the_field__when_missing_or_of_the_wrong_type),
          cmocka_unit_test(chat__rejects_hostile_json__with_a_clear_message),
          cmocka_unit_test(chat__keeps_escape_sequences_verbatim__as_data),
          cmocka_unit_test(models__lists_ids_and_owners),
          cmocka_unit_test(ws_create__reads_the_wrapped_form_with_messages),
          cmocka_unit_test(ws_create__accepts_workspace_fields_at_the_top_level),
          cmocka_unit_test(ws_get__reads_wrapped_or_bare_workspaces),
          cmocka_unit_test(ws_by_client__reads_exists_and_workspace),
          cmocka_unit_test(ws_send__reads_all_three_modes),
          cmocka_unit_test(ws_history__reads_a_wrapped_or_bare_list_and_maps_roles),
          cmocka_unit_test(ws_history__keeps_nul_and_controls_as_data),
          cmocka_unit_test(chat__keeps_invalid_utf8_as_replacement_characters),
          cmocka_unit_test(ws_history__keeps_every_message_around_invalid_utf8),
          cmocka_unit_test(ws_history__reading_by_element_matches_the_whole_tree),
          cmocka_unit_test(ws_history__damaged_answers_fail_alike_either_way),
          cmocka_unit_test(ws_history__fed_in_pieces_decodes_as_the_whole_answer),
          cmocka_unit_test(ws_history__the_sink_reads_a_long_history_in_pieces),
          cmocka_unit_test(ws_history__the_sink_keeps_a_window_of_a_long_history),
          cmocka_unit_test(mgr_list__reads_the_list_extras),
          cmocka_unit_test(mgr_drafts__reads_drafts_with_their_source_message),
          cmocka_unit_test(mgr_answers__decode_approve_reject_reply_and_typing))
