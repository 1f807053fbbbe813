/* Unit tests for the streamed chat state machine (chat_stream.c) on
 * synthetic event sequences. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/chat_stream.h"
#include "test.h"
#include "util/mem.h"

static net_event *ev_new(net_event_kind kind)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = kind;
    return ev;
}

static net_event *sse(const char *type, const char *data)
{
    type = type ? type : "message";
    net_sse e = {type, strlen(type), data, strlen(data), "", 0};
    return net_event_new_sse(0, 0, &e, 1);
}

/* One NET_EV_SSE holding the data of n "message" events (what one read of
 * a fast stream brings). */
static net_event *batch(const char *const *data, size_t n)
{
    net_sse e[8];
    for (size_t i = 0; i < n; i++)
        e[i] = (net_sse){"message", 7, data[i], strlen(data[i]), "", 0};
    return net_event_new_sse(0, 0, e, n);
}

/* Feeds one event (and frees it). */
static ai_stream_status feed(ai_stream *s, net_event *ev, ai_stream_update *u)
{
    ai_stream_status st = ai_stream_feed(s, ev, u);
    net_event_free(ev);
    return st;
}

static ai_stream_status chunk(ai_stream *s, const char *data, ai_stream_update *u)
{
    return feed(s, sse(NULL, data), u);
}

#define ROLE "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1795274460," \
             "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}"
#define DELTA(t) "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" t "\"}}]}"
#define FINISH(r) "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" r "\"}]}"
#define USAGE "{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"

static void stream__assembles_a_normal_reply__until_done(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new("https://api.aiassist.net");
    ai_stream_update u;
    assert_int_equal(feed(s, ev_new(NET_EV_OPEN), &u), AI_STREAM_MORE);
    assert_true(s->open);
    assert_int_equal(chunk(s, ROLE, &u), AI_STREAM_MORE);
    assert_string_equal(u.role, "assistant");
    assert_null(u.delta);
    assert_int_equal(chunk(s, DELTA("Hel"), &u), AI_STREAM_MORE);
    assert_int_equal(u.delta_len, 3);
    assert_memory_equal(u.delta, "Hel", 3);
    assert_int_equal(chunk(s, DELTA("lo \\u00e9"), &u), AI_STREAM_MORE);
    assert_int_equal(u.delta_len, 5);
    assert_memory_equal(u.delta, "lo \xC3\xA9", 5);
    assert_int_equal(chunk(s, FINISH("stop"), &u), AI_STREAM_MORE);
    assert_string_equal(u.finish_reason, "stop");
    assert_int_equal(chunk(s, USAGE, &u), AI_STREAM_MORE);
    assert_true(u.usage);
    assert_int_equal(s->usage.total_tokens, 5);
    assert_int_equal(chunk(s, " [DONE] ", &u), AI_STREAM_FINISHED);
    assert_int_equal(feed(s, ev_new(NET_EV_DONE), &u), AI_STREAM_IGNORED);
    assert_string_equal(buf_cstr(&s->content), "Hello \xC3\xA9");
    assert_string_equal(s->id, "chatcmpl-1");
    assert_string_equal(s->model, "gpt-4o");
    assert_int_equal(s->created, 1795274460);
    assert_string_equal(s->finish_reason, "stop");
    assert_int_equal(s->chunks, 5);
    assert_int_equal(s->skipped, 0);
    assert_null(ai_stream_take_error(s));
    ai_stream_free(s);
}

static void stream__sums_up_the_chunks_of_one_read(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    /* Role, text, a malformed chunk, more text, the finish: one update. */
    const char *one[] = {ROLE, DELTA("Hel"), "not json", DELTA("lo"), FINISH("stop")};
    assert_int_equal(feed(s, batch(one, 5), &u), AI_STREAM_MORE);
    assert_string_equal(u.role, "assistant");
    assert_int_equal(u.delta_len, 5);
    assert_memory_equal(u.delta, "Hello", 5);
    assert_string_equal(u.finish_reason, "stop");
    assert_int_equal(s->skipped, 1);
    assert_int_equal(s->deltas, 2);
    /* [DONE] ends it: what follows in the same read is not read. */
    const char *two[] = {DELTA(" you"), "[DONE]", DELTA(" never")};
    assert_int_equal(feed(s, batch(two, 3), &u), AI_STREAM_FINISHED);
    assert_int_equal(u.delta_len, 4);
    assert_memory_equal(u.delta, " you", 4);
    assert_string_equal(buf_cstr(&s->content), "Hello you");
    ai_stream_free(s);
}

static void stream__keeps_the_text_before_an_error_in_the_same_read(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    const char *one[] = {DELTA("part"), DELTA("ial"),
                         "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}",
                         DELTA(" lost")};
    assert_int_equal(feed(s, batch(one, 4), &u), AI_STREAM_FAILED);
    /* The text that came first still reaches the screen. */
    assert_int_equal(u.delta_len, 7);
    assert_memory_equal(u.delta, "partial", 7);
    assert_string_equal(buf_cstr(&s->content), "partial");
    api_error_free(ai_stream_take_error(s));
    ai_stream_free(s);
}

static void stream__skips_and_counts_malformed_chunks__like_the_sdk(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    chunk(s, DELTA("a"), NULL);
    assert_int_equal(chunk(s, "this is not json", NULL), AI_STREAM_MORE);
    assert_int_equal(chunk(s, "{\"choices\":5}", NULL), AI_STREAM_MORE);
    assert_int_equal(chunk(s, "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\xC3\x28}", NULL), AI_STREAM_MORE);
    assert_int_equal(chunk(s, "", NULL), AI_STREAM_MORE);
    chunk(s, DELTA("b"), NULL);
    assert_int_equal(chunk(s, "[DONE]", NULL), AI_STREAM_FINISHED);
    assert_string_equal(buf_cstr(&s->content), "ab");
    assert_int_equal(s->skipped, 4);
    assert_int_equal(s->chunks, 2);
    assert_non_null(strstr(s->skip_reason, "malformed JSON"));
    ai_stream_free(s);
}

static void stream__reports_finish_reason_length(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    chunk(s, DELTA("cut"), &u);
    chunk(s, FINISH("length"), &u);
    assert_string_equal(u.finish_reason, "length");
    assert_int_equal(chunk(s, "[DONE]", &u), AI_STREAM_FINISHED);
    assert_string_equal(s->finish_reason, "length");
    ai_stream_free(s);
}

static void stream__keeps_escape_sequences_in_deltas_verbatim(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    chunk(s, DELTA("\\u001b]0;pwned\\u0007\\u001b[2J"), &u);
    assert_int_equal(u.delta_len, 14);
    assert_string_equal(buf_cstr(&s->content), "\x1b]0;pwned\x07\x1b[2J");
    ai_stream_free(s);
}

static void stream__an_error_object_mid_stream__fails_and_keeps_the_partial_reply(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    chunk(s, DELTA("partial"), NULL);
    assert_int_equal(chunk(s, "{\"error\":{\"message\":\"Upstream provider overloaded\",\"type\":"
                              "\"server_error\"}}", NULL), AI_STREAM_FAILED);
    assert_string_equal(buf_cstr(&s->content), "partial");
    api_error *e = ai_stream_take_error(s);
    assert_int_equal(e->kind, API_ERR_SERVER);
    char *m = api_error_message(e);
    assert_string_equal(m, "AiAssist had a server error: Upstream provider overloaded");
    free(m);
    api_error_free(e);
    assert_int_equal(chunk(s, DELTA("more"), NULL), AI_STREAM_IGNORED);
    assert_string_equal(buf_cstr(&s->content), "partial");
    ai_stream_free(s);
}

static void stream__an_error_event__fails_with_the_kind_it_names(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    assert_int_equal(feed(s, sse("error", "{\"error\":{\"message\":\"Slow down\",\"code\":"
                                          "\"rate_limit_exceeded\"}}"), NULL), AI_STREAM_FAILED);
    assert_int_equal(s->error->kind, API_ERR_RATE_LIMITED);
    assert_string_equal(s->error->detail, "Slow down");
    ai_stream_free(s);
    s = ai_stream_new(NULL);
    assert_int_equal(feed(s, sse("error", "provider exploded"), NULL), AI_STREAM_FAILED);
    assert_int_equal(s->error->kind, API_ERR_SERVER);
    assert_string_equal(s->error->detail, "provider exploded");
    ai_stream_free(s);
}

static void stream__ending_without_done__is_a_cut_off_protocol_error(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    chunk(s, DELTA("half a sen"), NULL);
    assert_int_equal(feed(s, ev_new(NET_EV_DONE), NULL), AI_STREAM_FAILED);
    assert_string_equal(buf_cstr(&s->content), "half a sen");
    assert_int_equal(s->error->kind, API_ERR_PROTOCOL);
    assert_int_equal(api_error_exit_code(s->error), 7);
    char *m = api_error_message(s->error);
    assert_string_equal(m, "the stream from AiAssist was cut off (no [DONE])");
    free(m);
    ai_stream_free(s);
}

static void stream__a_failed_event_after_partial_content__gives_the_typed_error(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new("https://api.aiassist.net/");
    chunk(s, DELTA("so far"), NULL);
    net_event *ev = ev_new(NET_EV_FAILED);
    ev->fail = NET_FAIL_DROPPED;
    ev->message = xstrdup("connection closed by peer");
    ev->delivered = true;
    assert_int_equal(feed(s, ev, NULL), AI_STREAM_FAILED);
    assert_string_equal(buf_cstr(&s->content), "so far");
    char *m = api_error_message(s->error);
    assert_string_equal(m, "the connection to https://api.aiassist.net was cut: connection closed by peer");
    free(m);
    ai_stream_free(s);
    s = ai_stream_new(NULL);
    ev = ev_new(NET_EV_FAILED);
    ev->fail = NET_FAIL_HTTP;
    ev->status = 401;
    ev->body = xstrdup("{\"detail\":\"Invalid API key\",\"code\":\"invalid_api_key\"}");
    ev->body_len = strlen(ev->body);
    assert_int_equal(feed(s, ev, NULL), AI_STREAM_FAILED);
    assert_int_equal(s->error->kind, API_ERR_AUTH);
    ai_stream_free(s);
    s = ai_stream_new(NULL);
    assert_int_equal(feed(s, ev_new(NET_EV_RETRY), NULL), AI_STREAM_MORE);
    assert_int_equal(feed(s, ev_new(NET_EV_CANCELLED), NULL), AI_STREAM_FAILED);
    assert_int_equal(s->error->kind, API_ERR_CANCELLED);
    ai_stream_free(s);
}

/* Two choices that both say index 0: the first is choice 0, and the
 * second's text is neither appended nor leaked (found by
 * tests/fuzz/fuzz_chunk). */
static void stream__reads_only_the_first_of_two_choices_0(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    assert_int_equal(chunk(s, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},"
                              "\"finish_reason\":\"stop\"},{\"index\":0,\"delta\":{\"role\":\"x\","
                              "\"content\":\"b\"},\"finish_reason\":\"length\"}]}",
                           &u),
                     AI_STREAM_MORE);
    assert_string_equal(buf_cstr(&s->content), "a");
    assert_string_equal(s->finish_reason, "stop");
    assert_null(s->role);
    assert_int_equal(s->skipped, 0);
    ai_stream_free(s);
}

TEST_MAIN(cmocka_unit_test(stream__assembles_a_normal_reply__until_done),
          cmocka_unit_test(stream__skips_and_counts_malformed_chunks__like_the_sdk),
          cmocka_unit_test(stream__reports_finish_reason_length),
          cmocka_unit_test(stream__keeps_escape_sequences_in_deltas_verbatim),
          cmocka_unit_test(stream__an_error_object_mid_stream__fails_and_keeps_the_partial_reply),
          cmocka_unit_test(stream__an_error_event__fails_with_the_kind_it_names),
          cmocka_unit_test(stream__ending_without_done__is_a_cut_off_protocol_error),
          cmocka_unit_test(stream__a_failed_event_after_partial_content__gives_the_typed_error),
          cmocka_unit_test(stream__reads_only_the_first_of_two_choices_0),
          cmocka_unit_test(stream__sums_up_the_chunks_of_one_read),
          cmocka_unit_test(stream__keeps_the_text_before_an_error_in_the_same_read))
