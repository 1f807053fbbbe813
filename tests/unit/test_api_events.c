/* Unit tests for the manager event decoder (ai_event_decode). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist_events.h"
#include "test.h"
#include "util/utf8.h"

static ai_event *decode(const char *type, const char *data, const char *id)
{
    char *err = NULL;
    ai_event *ev = ai_event_decode(type, data, strlen(data), id, &err);
    if (!ev)
        fail_msg("%s: %s", type, err);
    assert_null(err);
    return ev;
}

static char *decode_error(const char *type, const char *data)
{
    char *err = NULL;
    ai_event *ev = ai_event_decode(type, data, strlen(data), "1", &err);
    assert_null(ev);
    assert_non_null(err);
    return err;
}

static void events__decode_workspace_created_and_ended(void **state)
{
    (void)state;
    ai_event *ev = decode("workspace.created", "{\"workspace\":{\"id\":\"ws_1\",\"mode\":\"ai\","
                                               "\"status\":\"active\"}}", "17");
    assert_int_equal(ev->type, AI_EV_WORKSPACE_CREATED);
    assert_string_equal(ev->id, "17");
    assert_string_equal(ev->workspace->id, "ws_1");
    assert_string_equal(ev->workspace_id, "ws_1");
    ai_event_free(ev);
    ev = decode("workspace.ended", "{\"workspace\":{\"id\":\"ws_1\",\"status\":\"ended\"}}", NULL);
    assert_int_equal(ev->type, AI_EV_WORKSPACE_ENDED);
    assert_null(ev->id);
    assert_string_equal(ev->workspace->status, "ended");
    ai_event_free(ev);
}

static void events__decode_messages_and_deltas(void **state)
{
    (void)state;
    ai_event *ev = decode("message.created", "{\"workspace_id\":\"ws_1\",\"message\":{\"id\":\"msg_1\","
                                             "\"role\":\"assistant\",\"content\":\"Hi\",\"approval\":\"direct\"}}", "2");
    assert_int_equal(ev->type, AI_EV_MESSAGE_CREATED);
    assert_string_equal(ev->workspace_id, "ws_1");
    assert_int_equal(ev->message->role, AI_ROLE_AI);
    assert_string_equal(ev->message->approval, "direct");
    ai_event_free(ev);
    ev = decode("message.delta", "{\"workspace_id\":\"ws_1\",\"message_id\":\"msg_2\",\"delta\":\"Hel\"}", "3");
    assert_int_equal(ev->type, AI_EV_MESSAGE_DELTA);
    assert_string_equal(ev->message_id, "msg_2");
    assert_string_equal(ev->delta, "Hel");
    ai_event_free(ev);
}

static void events__decode_the_draft_lifecycle(void **state)
{
    (void)state;
    const char *draft = "{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"content\":\"Sure\","
                        "\"in_reply_to\":\"msg_1\",\"status\":\"pending\"}";
    char data[512];
    snprintf(data, sizeof data, "{\"draft\":%s}", draft);
    ai_event *ev = decode("draft.pending", data, "4");
    assert_int_equal(ev->type, AI_EV_DRAFT_PENDING);
    assert_string_equal(ev->draft->id, "drf_1");
    assert_string_equal(ev->workspace_id, "ws_1");
    ai_event_free(ev);
    snprintf(data, sizeof data, "{\"draft\":%s,\"message\":{\"id\":\"msg_3\",\"role\":\"ai\","
                                "\"content\":\"Sure\",\"approval\":\"approved\",\"draft_id\":\"drf_1\"}}", draft);
    ev = decode("draft.approved", data, "5");
    assert_int_equal(ev->type, AI_EV_DRAFT_APPROVED);
    assert_string_equal(ev->message->draft_id, "drf_1");
    ai_event_free(ev);
    snprintf(data, sizeof data, "{\"draft\":%s,\"reason\":\"workspace ended\"}", draft);
    ev = decode("draft.rejected", data, "6");
    assert_int_equal(ev->type, AI_EV_DRAFT_REJECTED);
    assert_string_equal(ev->reason, "workspace ended");
    ai_event_free(ev);
    snprintf(data, sizeof data, "{\"draft\":%s,\"reason\":null}", draft);
    ev = decode("draft.rejected", data, "7");
    assert_null(ev->reason);
    ai_event_free(ev);
}

static void events__decode_typing_mode_and_reset(void **state)
{
    (void)state;
    ai_event *ev = decode("typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"I need\"}", "8");
    assert_int_equal(ev->type, AI_EV_TYPING);
    assert_int_equal(ev->who, AI_WHO_CUSTOMER);
    assert_string_equal(ev->text, "I need");
    ai_event_free(ev);
    ev = decode("typing", "{\"workspace_id\":\"ws_1\",\"who\":\"bot\",\"text\":\"\"}", "9");
    assert_int_equal(ev->who, AI_WHO_OTHER);
    assert_string_equal(ev->who_raw, "bot");
    ai_event_free(ev);
    ev = decode("mode.changed", "{\"workspace_id\":\"ws_1\",\"mode\":\"takeover\",\"previous\":\"shadow\"}", "10");
    assert_int_equal(ev->type, AI_EV_MODE_CHANGED);
    assert_int_equal(ev->mode, AI_MODE_TAKEOVER);
    assert_int_equal(ev->previous, AI_MODE_SHADOW);
    ai_event_free(ev);
    ev = decode("reset", "{\"reason\":\"server state was reset\",\"last_event_id\":42}", "42");
    assert_int_equal(ev->type, AI_EV_RESET);
    assert_string_equal(ev->reason, "server state was reset");
    assert_string_equal(ev->last_event_id, "42");
    ai_event_free(ev);
    ev = decode("reset", "{\"last_event_id\":\"43\"}", NULL);
    assert_string_equal(ev->last_event_id, "43");
    ai_event_free(ev);
}

static void events__unknown_types__decode_to_unknown_without_reading_data(void **state)
{
    (void)state;
    ai_event *ev = decode("workspace.archived", "not even json \xFF", "99");
    assert_int_equal(ev->type, AI_EV_UNKNOWN);
    assert_string_equal(ev->type_raw, "workspace.archived");
    assert_string_equal(ev->id, "99");
    ai_event_free(ev);
    ev = decode(NULL, "{}", "100");
    assert_int_equal(ev->type, AI_EV_UNKNOWN);
    assert_string_equal(ev->type_raw, "message");
    ai_event_free(ev);
    assert_string_equal(ai_event_type_name(AI_EV_DRAFT_APPROVED), "draft.approved");
}

static void events__malformed_known_events__are_errors_naming_the_field(void **state)
{
    (void)state;
    char *err = decode_error("message.created", "{\"workspace_id\":\"ws_1\"}");
    assert_string_equal(err, "event message.created: missing field 'message'");
    free(err);
    err = decode_error("message.delta", "{\"workspace_id\":\"ws_1\",\"message_id\":\"m\",\"delta\":5}");
    assert_string_equal(err, "event message.delta: field 'delta' should be a string");
    free(err);
    err = decode_error("draft.pending", "{\"draft\":{\"id\":\"d\",\"content\":\"x\"}}");
    assert_string_equal(err, "event draft.pending: draft: missing field 'workspace_id'");
    free(err);
    err = decode_error("typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"x\"\xC3\x28}");
    assert_non_null(strstr(err, "invalid UTF-8 outside a string"));
    free(err);
    err = decode_error("mode.changed", "{\"workspace_id\":\"ws_1\",\"mode\":\"ai\",\"seq\":01}");
    assert_non_null(strstr(err, "'01' is not a number"));
    free(err);
    err = decode_error("mode.changed", "[]");
    assert_non_null(strstr(err, "should be a JSON object"));
    free(err);
    err = decode_error("workspace.created", "");
    assert_non_null(strstr(err, "empty"));
    free(err);
}

static void events__keep_invalid_utf8_text_with_replacement_characters(void **state)
{
    (void)state;
    uint64_t before = utf8_repairs();
    ai_event *ev = decode("typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"caf\xC3\x28\"}",
                          "7");
    assert_int_equal(ev->type, AI_EV_TYPING);
    assert_string_equal(ev->text, "caf\xEF\xBF\xBD(");
    ai_event_free(ev);
    ev = decode("message.created", "{\"workspace_id\":\"ws_1\",\"message\":{\"id\":\"m1\",\"role\":\"user\","
                                   "\"content\":\"hi \xff\xfe there \\u0000\"}}", "8");
    assert_string_equal(ev->message->content, "hi \xEF\xBF\xBD\xEF\xBF\xBD there \xC0\x80");
    ai_event_free(ev);
    assert_int_equal(utf8_repairs() - before, 2);
}

TEST_MAIN(cmocka_unit_test(events__decode_workspace_created_and_ended),
          cmocka_unit_test(events__decode_messages_and_deltas),
          cmocka_unit_test(events__decode_the_draft_lifecycle),
          cmocka_unit_test(events__decode_typing_mode_and_reset),
          cmocka_unit_test(events__unknown_types__decode_to_unknown_without_reading_data),
          cmocka_unit_test(events__malformed_known_events__are_errors_naming_the_field),
          cmocka_unit_test(events__keep_invalid_utf8_text_with_replacement_characters))
