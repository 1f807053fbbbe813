/* Unit tests for the fast chunk reader: it must agree with json-c on every
 * chunk it accepts, and hand everything unusual to the general decoder. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/chat_stream.h"
#include "api/chunk_fast.h"
#include "test.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/utf8.h"

static int fast(const char *s, chunk_fast *f)
{
    return chunk_fast_read(s, strlen(s), f);
}

static void chunk_fast__reads_the_usual_chunk(void **state)
{
    (void)state;
    const char *s = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi \\u00e9\\n\"},"
                    "\"finish_reason\":null}]}";
    chunk_fast f;
    assert_int_equal(fast(s, &f), CHUNK_FAST_OK);
    assert_int_equal(f.created, 1700000000);
    assert_int_equal(f.id.len, 10);
    assert_null(f.finish_reason.raw);
    buf_t b = BUF_INIT;
    assert_true(chunk_str_decode(&f.content, &b));
    assert_string_equal(buf_cstr(&b), "Hi \xC3\xA9\n");
    buf_free(&b);
    /* Keys in any order, whitespace anywhere, a role delta, a finish. */
    assert_int_equal(fast(" { \"choices\" : [ { \"finish_reason\" : \"stop\" , \"delta\" : { } , "
                          "\"index\" : 0 } ] , \"model\" : \"m\" , \"id\" : \"x\" } \n", &f),
                     CHUNK_FAST_OK);
    assert_int_equal(f.finish_reason.len, 4);
    assert_int_equal(fast("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}", &f),
                     CHUNK_FAST_OK);
    assert_int_equal(f.role.len, 9);
}

static void chunk_fast__hands_anything_unusual_to_the_general_decoder(void **state)
{
    (void)state;
    const char *other[] = {
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}",                   /* usage */
        "{\"error\":{\"message\":\"boom\"}}",                                  /* error */
        "{\"choices\":[{\"index\":0,\"delta\":{}},{\"index\":1,\"delta\":{}}]}", /* 2 choices */
        "{\"choices\":[{\"index\":1,\"delta\":{}}]}",                          /* not choice 0 */
        "{\"choices\":[]}",                                                    /* none */
        "{\"id\":\"x\",\"extra\":1}",                                          /* unknown key */
        "{\"created\":1.5}",                                                   /* fraction */
        "{\"created\":-1}",                                                    /* sign */
        "{\"created\":01}",                                                    /* leading zero */
        "{\"id\":\"a\x01" "b\"}",                                              /* raw control */
        "{\"id\":\"a\\qb\"}",                                                  /* bad escape */
        "{\"id\":\"a\\u12\"}",                                                 /* short \\u */
        "{\"id\":\"x\"} x",                                                    /* trailing */
        "{\"id\":\"x\"",                                                       /* unterminated */
        "{\"id\":NaN}",
        "{'id':'x'}",
        "[1]",
        "",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":5}}]}",             /* wrong type */
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],}",        /* trailing comma */
        "{\"id\":\"a\",\xff" "\"model\":\"m\"}",                                  /* invalid UTF-8 outside */
        "{\"i\xff" "d\":\"a\"}",                                              /* ... in a key */
        "{\"created\":1.}",                                                    /* not JSON's number */
    };
    chunk_fast f;
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        if (fast(other[i], &f) != CHUNK_FAST_OTHER) {
            print_error("accepted: %s\n", other[i]);
            fail();
        }
    }
}

static void chunk_fast__decodes_escapes_like_json_c(void **state)
{
    (void)state;
    /* Random contents built from every kind of escape, compared with json-c. */
    static const char *const pieces[] = {"a", " ", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f",
                                         "\\r", "\\u00e9", "\\u4e2d", "\\ud83d\\ude00", "\xE4\xB8\xAD",
                                         "\\ud800", "\\udc00", "\\ud83d\\u0041",
                                         "\xF0\x9F\x98\x80", "\\u001b", "\\u0000", "x y", "{", "]",
                                         /* invalid UTF-8: both repair it alike */
                                         "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80",
                                         "\xe4\xb8", "\xf0\x9f", "\x80"};
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        buf_t content = BUF_INIT;
        int n = (int)(rand_r(&seed) % 12);
        for (int i = 0; i < n; i++)
            buf_append_str(&content, pieces[rand_r(&seed) % (sizeof pieces / sizeof *pieces)]);
        char *chunk = xasprintf("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                                "\"finish_reason\":null}],\"created\":%d}",
                                buf_cstr(&content), round);
        chunk_fast f;
        assert_int_equal(fast(chunk, &f), CHUNK_FAST_OK);
        buf_t mine = BUF_INIT;
        assert_true(chunk_str_decode(&f.content, &mine));
        char *err = NULL;
        json_object *o = jsonu_parse(chunk, strlen(chunk), &err);
        assert_non_null(o);
        json_object *ch = json_object_array_get_idx(json_object_object_get(o, "choices"), 0);
        json_object *c = json_object_object_get(json_object_object_get(ch, "delta"), "content");
        char *theirs = jsonu_strdup(c);
        assert_int_equal(mine.len, strlen(theirs));
        assert_memory_equal(buf_cstr(&mine), theirs, mine.len);
        free(theirs);
        json_object_put(o);
        buf_free(&mine);
        buf_free(&content);
        free(chunk);
    }
}

static void chunk_fast__keeps_nothing_of_a_malformed_string(void **state)
{
    (void)state;
    /* The scanner already refuses malformed escapes; the decoder checks
     * again on its own and leaves the buffer as it was. */
    chunk_str bad = {"ok\\qno", 7, true, false};
    buf_t b = BUF_INIT;
    buf_append_str(&b, "kept");
    assert_false(chunk_str_decode(&bad, &b));
    assert_string_equal(buf_cstr(&b), "kept");
    buf_free(&b);
}

/* ---- the cached reader: the same answer as the plain one, always */
#define ENV1_PRE_SHORT "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
#define ENV1_POST_SHORT "}}]}"

#define FFFD "\xEF\xBF\xBD"
#define SIM_BAD "\xff\xfe bad\xc3\x28 \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80"
#define SIM_FIXED FFFD FFFD " bad" FFFD "( " FFFD FFFD " " FFFD FFFD FFFD " " FFFD FFFD FFFD FFFD FFFD

static void chunk_fast__repairs_invalid_utf8_in_a_string(void **state)
{
    (void)state;
    /* What the simulator's invalid_utf8 fault sends, in the usual chunk. */
    const char *s = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a " SIM_BAD
                    " z\\n\"},\"finish_reason\":null}]}";
    chunk_fast f;
    assert_int_equal(fast(s, &f), CHUNK_FAST_OK);
    assert_true(f.content.invalid);
    assert_false(f.id.invalid);
    uint64_t before = utf8_repairs();
    buf_t b = BUF_INIT;
    assert_true(chunk_str_decode(&f.content, &b));
    assert_string_equal(buf_cstr(&b), "a " SIM_FIXED " z\n");
    assert_int_equal(utf8_repairs() - before, 1);
    buf_free(&b);
    /* Without escapes too; and the cached reader agrees. */
    chunk_fast_cache c;
    memset(&c, 0, sizeof c);
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s\"ok\"%s", ENV1_PRE_SHORT, ENV1_POST_SHORT);
    assert_int_equal(chunk_fast_read_cached(buf, (size_t)n, &c, &f), CHUNK_FAST_OK);
    n = snprintf(buf, sizeof buf, "%s\"x\xc3\x28y\"%s", ENV1_PRE_SHORT, ENV1_POST_SHORT);
    assert_int_equal(chunk_fast_read_cached(buf, (size_t)n, &c, &f), CHUNK_FAST_OK);
    assert_true(f.content.invalid);
    assert_true(chunk_str_decode(&f.content, &b));
    assert_string_equal(buf_cstr(&b), "x" FFFD "(y");
    buf_free(&b);
    /* A malformed escape after it: nothing kept, nothing counted. */
    chunk_str bad = {"\xff\\q", 3, true, true};
    before = utf8_repairs();
    assert_false(chunk_str_decode(&bad, &b));
    assert_int_equal(b.len, 0);
    assert_int_equal(utf8_repairs(), before);
    buf_free(&b);
}

static void chunk_fast__holds_a_nul_as_json_c_strings_do(void **state)
{
    (void)state;
    chunk_fast f;
    assert_int_equal(fast("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\u0000b\"}}]}", &f),
                     CHUNK_FAST_OK);
    buf_t b = BUF_INIT;
    assert_true(chunk_str_decode(&f.content, &b));
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "a\xC0\x80" "b", 4);
    buf_free(&b);
}


static void same_str_pos(const chunk_str *a, const chunk_str *b)
{
    assert_ptr_equal(a->raw, b->raw);
    assert_int_equal(a->len, b->len);
    assert_int_equal(a->escaped, b->escaped);
    assert_int_equal(a->invalid, b->invalid);
}

/* Reads s both ways; the cached reader goes on with c. */
static void both_ways(const char *s, size_t len, chunk_fast_cache *c)
{
    chunk_fast a, b;
    int r1 = chunk_fast_read(s, len, &a);
    int r2 = chunk_fast_read_cached(s, len, c, &b);
    if (r1 != r2)
        fail_msg("'%.*s': plain %d, cached %d", (int)len, s, r1, r2);
    if (r1 != CHUNK_FAST_OK)
        return;
    same_str_pos(&a.id, &b.id);
    same_str_pos(&a.model, &b.model);
    same_str_pos(&a.role, &b.role);
    same_str_pos(&a.content, &b.content);
    same_str_pos(&a.finish_reason, &b.finish_reason);
    assert_int_equal(a.created, b.created);
}

#define ENV1_PRE "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1795274460,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
#define ENV1_POST "},\"finish_reason\":null}]}"

static void chunk_fast_cached__agrees_with_the_plain_reader_chunk_after_chunk(void **state)
{
    (void)state;
    const char *contents[] = {
        "\"Hel\"", "\"lo\"", "\"\"", "\" \\\"quoted\\\" \"", "\"back\\\\slash\\\\\"", "\"\\u00e9t\\u00e9\"",
        "\"\\ud83d\\ude00\"", "\"\xe4\xbd\xa0\xe5\xa5\xbd\"", "null", "\"a\",\"content\":\"b\"", "\"a\",\"role\":\"user\"",
        "\"x\x01y\"", "\"\xff\"", "\"open", "\"a\"\"b\"", "\"\\q\"", "\"tail\\\"", "\"ok\"",
    };
    chunk_fast_cache c;
    memset(&c, 0, sizeof c);
    char buf[512];
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof contents / sizeof *contents; i++) {
            int n = snprintf(buf, sizeof buf, "%s%s%s", ENV1_PRE, contents[i], ENV1_POST);
            both_ways(buf, (size_t)n, &c);
            /* Whatever came before, the usual next one reads the same. */
            n = snprintf(buf, sizeof buf, "%s\"next\"%s", ENV1_PRE, ENV1_POST);
            both_ways(buf, (size_t)n, &c);
            assert_true(c.valid); /* the next one will be read by comparing */
        }
    /* The envelope changes: another id, the finish, a role, spacing, garbage. */
    const char *others[] = {
        "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1795274460,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"z\"},\"finish_reason\":null}]}",
        ENV1_PRE "\"z\"},\"finish_reason\":\"stop\"}]}",
        ENV1_PRE "\"z\"" ENV1_POST " ",
        ENV1_PRE "\"z\"" ENV1_POST "x",
        ENV1_PRE "\"z\" " ENV1_POST,
        "{\"choices\":[{\"delta\":{\"content\":\"z\",\"role\":\"assistant\"},\"index\":0}],\"id\":\"c\"}",
        "{\"choices\":[{\"delta\":{\"content\":\"y\",\"role\":\"assistant\"},\"index\":0}],\"id\":\"c\"}",
        "{\"choices\":[{\"delta\":{\"content\":\"y\",\"role\":\"assistant\"},\"index\":1}],\"id\":\"c\"}",
        ENV1_PRE "\"z\"" ENV1_POST,
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        both_ways(others[i], strlen(others[i]), &c);
        int n = snprintf(buf, sizeof buf, "%s\"again\"%s", ENV1_PRE, ENV1_POST);
        both_ways(buf, (size_t)n, &c);
    }
    /* Random damage anywhere, the cache primed before each. */
    const char alphabet[] = "\"\\{}[],:n0u \x01\xc3\xa9";
    unsigned seed = 99;
    for (int round = 0; round < 5000; round++) {
        int n = snprintf(buf, sizeof buf, "%s\"prime %d\"%s", ENV1_PRE, round, ENV1_POST);
        both_ways(buf, (size_t)n, &c);
        n = snprintf(buf, sizeof buf, "%s\"some \\\"text\\\" here\"%s", ENV1_PRE, ENV1_POST);
        for (int k = 0; k < 1 + round % 2; k++) {
            seed = seed * 1103515245u + 12345u;
            /* Mostly in and around the content, sometimes anywhere. */
            size_t at = (seed >> 9) % 4 ? sizeof ENV1_PRE - 4 + (seed >> 12) % 24 : (seed >> 12) % (size_t)n;
            buf[at % (size_t)n] = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
        }
        both_ways(buf, (size_t)n, &c);
    }
}

/* Feeds one SSE data line to a stream. */
static ai_stream_status feed(ai_stream *s, const char *data, ai_stream_update *u)
{
    net_sse e = {"message", 7, data, strlen(data), "", 0};
    net_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = NET_EV_SSE;
    ev.sse = &e;
    ev.nsse = 1;
    return ai_stream_feed(s, &ev, u);
}

static void chat_stream__gives_the_same_reply_on_both_paths(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    /* Fast path, then a chunk only the general decoder takes (usage). */
    feed(s, "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}", &u);
    assert_string_equal(u.role, "assistant");
    feed(s, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}", &u);
    assert_int_equal(u.delta_len, 3);
    feed(s, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}],"
            "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}",
         &u);
    assert_int_equal(u.delta_len, 2);
    assert_string_equal(u.finish_reason, "stop");
    assert_true(u.usage);
    assert_string_equal(buf_cstr(&s->content), "Hello");
    assert_string_equal(s->id, "c1");
    assert_string_equal(s->model, "m");
    assert_int_equal(s->chunks, 3);
    assert_int_equal(s->skipped, 0);
    /* A malformed chunk is skipped, and changes nothing. */
    feed(s, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\\q\"}}]}", &u);
    assert_string_equal(buf_cstr(&s->content), "Hello");
    assert_int_equal(s->skipped, 1);
    ai_stream_free(s);
}

/* A key sent twice: json-c keeps the last value, so the fast reader must
 * not merge the two (found by tests/fuzz/fuzz_chunk). */
static void chat_stream__reads_a_repeated_key_as_json_c_does(void **state)
{
    (void)state;
    const char *repeated[] = {
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"choices\":[{\"finish_reason\":\"stop\"}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"delta\":{\"role\":\"assistant\"}}]}",
    };
    for (size_t i = 0; i < sizeof repeated / sizeof *repeated; i++) {
        ai_stream *s = ai_stream_new(NULL);
        ai_stream_update u;
        assert_int_equal(feed(s, repeated[i], &u), AI_STREAM_MORE);
        /* json-c reads only the last "choices" / "delta": no content. */
        assert_string_equal(buf_cstr(&s->content), "");
        assert_int_equal(u.delta_len, 0);
        assert_int_equal(s->chunks, 1);
        ai_stream_free(s);
    }
    chunk_fast f;
    assert_int_equal(fast("{\"id\":\"a\",\"id\":\"b\"}", &f), CHUNK_FAST_OTHER);
}

static void chat_stream__keeps_invalid_utf8_text_on_both_paths(void **state)
{
    (void)state;
    ai_stream *s = ai_stream_new(NULL);
    ai_stream_update u;
    uint64_t before = utf8_repairs();
    /* The fast path... */
    feed(s, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one " SIM_BAD "\"}}]}", &u);
    assert_string_equal(u.delta, "one " SIM_FIXED);
    /* ...and the general one (usage sends it there). */
    feed(s, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" two\xc3\x28\"}}],"
            "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}",
         &u);
    assert_string_equal(u.delta, " two" FFFD "(");
    assert_true(u.usage);
    assert_string_equal(buf_cstr(&s->content), "one " SIM_FIXED " two" FFFD "(");
    assert_int_equal(s->skipped, 0);
    assert_int_equal(s->chunks, 2);
    assert_int_equal(utf8_repairs() - before, 2);
    ai_stream_free(s);
}

TEST_MAIN(cmocka_unit_test(chunk_fast__reads_the_usual_chunk),
          cmocka_unit_test(chunk_fast_cached__agrees_with_the_plain_reader_chunk_after_chunk),
          cmocka_unit_test(chunk_fast__hands_anything_unusual_to_the_general_decoder),
          cmocka_unit_test(chunk_fast__decodes_escapes_like_json_c),
          cmocka_unit_test(chunk_fast__keeps_nothing_of_a_malformed_string),
          cmocka_unit_test(chat_stream__gives_the_same_reply_on_both_paths),
          cmocka_unit_test(chat_stream__reads_a_repeated_key_as_json_c_does),
          cmocka_unit_test(chunk_fast__repairs_invalid_utf8_in_a_string),
          cmocka_unit_test(chunk_fast__holds_a_nul_as_json_c_strings_do),
          cmocka_unit_test(chat_stream__keeps_invalid_utf8_text_on_both_paths))
