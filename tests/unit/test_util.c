/* Unit tests for src/util: buffers, UTF-8, sanitising, strict JSON, redaction. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/buf.h"
#include "util/emoji.h"
#include "util/jsonarr.h"
#include "util/jsonu.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

static void buf__appends_printf_and_consumes(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    buf_append_str(&b, "hello");
    buf_printf(&b, " %d %s", 42, "world");
    assert_string_equal(b.data, "hello 42 world");
    buf_consume(&b, 6);
    assert_string_equal(b.data, "42 world");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d", i);
    assert_int_equal(b.len, 8 + 4000);
    assert_memory_equal(b.data + b.len - 4, "0999", 4);
    char *s = buf_steal(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);
}

static void buf__an_exact_reservation_holds_exactly_that_much(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    buf_append_str(&b, "ab");
    buf_reserve_exact(&b, 1000000);
    assert_int_equal(b.cap, 2 + 1000000 + 1);
    const char *before = b.data;
    char chunk[1000];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 1000; i++)
        buf_append(&b, chunk, sizeof chunk);
    assert_ptr_equal(b.data, before); /* no copy on the way */
    assert_int_equal(b.len, 1000002);
    assert_int_equal(b.data[b.len], '\0');
    buf_reserve_exact(&b, 0);
    assert_int_equal(b.cap, 1000003);
    buf_free(&b);
}

/* Walks s with jsonarr (opened by open_fn's result) and joins the
 * elements with '|'; "BAD" when the walk fails. */
static char *walk(jsonarr *it)
{
    buf_t b = BUF_INIT;
    const char *e;
    size_t n;
    int r;
    while ((r = jsonarr_next(it, &e, &n)) == 1) {
        if (b.len)
            buf_append_char(&b, '|');
        buf_append(&b, e, n);
    }
    if (r < 0) {
        assert_int_equal(jsonarr_next(it, &e, &n), -1);
        buf_free(&b);
        return xstrdup("BAD");
    }
    assert_int_equal(jsonarr_next(it, &e, &n), 0);
    return buf_steal(&b);
}

static void jsonarr_walk(const char *s, const char *want)
{
    jsonarr it;
    assert_true(jsonarr_open(&it, s, strlen(s)));
    char *got = walk(&it);
    assert_string_equal(got, want);
    free(got);
}

static void jsonarr__walks_elements_with_brackets_and_quotes_inside(void **state)
{
    (void)state;
    jsonarr_walk("[]", "");
    jsonarr_walk(" \n[ \t]\r\n", "");
    jsonarr_walk("[1]", "1");
    jsonarr_walk("[ {\"a\":\"],[\"} , [1,[2]] ,\"x\\\"]\",null ]", "{\"a\":\"],[\"}|[1,[2]]|\"x\\\"]\"|null");
    jsonarr_walk("[1,]", "BAD");
    jsonarr_walk("[,1]", "BAD");
    jsonarr_walk("[1,,2]", "BAD");
    /* Inside an element is for the element's parser to judge. */
    jsonarr_walk("[1 2, {]]", "1 2|{]");
    jsonarr it;
    const char *refused[] = {"", "{}", "[1] x", "[1}", "[[1]", "\"[1]\"", "[\"a]\""};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        assert_false(jsonarr_open(&it, refused[i], strlen(refused[i])));
}

static void jsonarr__finds_the_one_member_array_of_an_object(void **state)
{
    (void)state;
    jsonarr it;
    size_t off = 0, vlen = 0;
    const char *s = "{ \"n\": 2, \"x\": {\"messages\": 1}, \"messages\" : [ \"a\" , {\"b\":[]} ], \"z\":\"}\" }";
    assert_true(jsonarr_open_member(&it, s, strlen(s), "messages", &off, &vlen));
    assert_memory_equal(s + off, "[ \"a\" , {\"b\":[]} ]", vlen);
    char *got = walk(&it);
    assert_string_equal(got, "\"a\"|{\"b\":[]}");
    free(got);
    const char *refused[] = {
        "[]", "{}", "{\"messages\":{}}", "{\"messages\":[],\"messages\":[]}", "{\"messag\\u0065s\":[]}",
        "{\"messages\":[]", "{\"messages\":[]} x", "{\"messages\":[],}", "{\"messages\" []}",
        "{\"other\":[]}", "{\"messages\":[}", "{\"messages\":[]]", "{\"a\":1 \"messages\":[]}",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        if (jsonarr_open_member(&it, refused[i], strlen(refused[i]), "messages", &off, &vlen))
            fail_msg("opened '%s'", refused[i]);
}

static void utf8__decodes_valid_characters(void **state)
{
    (void)state;
    uint32_t cp;
    bool ok;
    assert_int_equal(utf8_decode("A", 1, &cp, &ok), 1);
    assert_true(ok);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp, &ok), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode("\xE4\xB8\xAD", 3, &cp, &ok), 3);
    assert_int_equal(cp, 0x4E2D);
    assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp, &ok), 4);
    assert_int_equal(cp, 0x1F600);
    assert_true(ok);
}

static void utf8__rejects_overlong_surrogate_and_out_of_range(void **state)
{
    (void)state;
    assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(utf8_valid("\xE0\x80\xAF", 3));     /* overlong */
    assert_false(utf8_valid("\xED\xA0\x80", 3));     /* U+D800 */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* U+110000 */
    assert_false(utf8_valid("\xF5\x80\x80\x80", 4));
    assert_false(utf8_valid("\xE4\xB8", 2)); /* truncated */
    assert_false(utf8_valid("\x80", 1));
    assert_true(utf8_valid("plain \xE4\xB8\xAD\xF0\x9F\x98\x80", 13));
    /* Long ASCII runs go eight bytes at a time: a bad byte anywhere after. */
    assert_false(utf8_valid("0123456789abcdef\xFF", 17));
    assert_false(utf8_valid("01234567\xC0\xAF" "89abcdef", 18));
    assert_true(utf8_valid("0123456\xE4\xB8\xAD" "0123456789", 20));
    uint32_t cp;
    bool ok;
    /* Maximal subpart: a truncated 3-byte sequence followed by ASCII. */
    assert_int_equal(utf8_decode("\xE4\xB8X", 3, &cp, &ok), 2);
    assert_false(ok);
    assert_int_equal(cp, UTF8_REPLACEMENT);
}

static void utf8__prefix_len_never_splits_a_character(void **state)
{
    (void)state;
    const char *s = "ab\xE4\xB8\xAD"; /* 5 bytes */
    assert_int_equal(utf8_prefix_len(s, 5), 5);
    assert_int_equal(utf8_prefix_len(s, 4), 2);
    assert_int_equal(utf8_prefix_len(s, 3), 2);
    assert_int_equal(utf8_prefix_len(s, 2), 2);
}

static void sanitize_check(const char *in, size_t len, unsigned flags, const char *want)
{
    char *out = sanitize_dup(in, len, flags);
    assert_string_equal(out, want);
    assert_true(utf8_valid(out, strlen(out)));
    assert_true(sanitize_is_clean(out, strlen(out), flags));
    free(out);
}

static void sanitize__shows_escape_sequences_as_pictures(void **state)
{
    (void)state;
    sanitize_check("\x1b[2Jhi", 6, 0, "\xE2\x90\x9B[2Jhi");
    /* OSC 52 clipboard write terminated by BEL */
    sanitize_check("\x1b]52;c;aGk=\x07", 12, 0, "\xE2\x90\x9B]52;c;aGk=\xE2\x90\x87");
    sanitize_check("a\rb\bc\x7f", 6, 0, "a\xE2\x90\x8D" "b\xE2\x90\x88" "c\xE2\x90\xA1");
    assert_false(sanitize_is_clean("\x1b[31m", 5, 0));
    assert_true(sanitize_is_clean("plain text", 10, 0));
}

static void sanitize__keeps_newlines_only_when_asked(void **state)
{
    (void)state;
    sanitize_check("a\nb\r\nc\td", 8, SAN_KEEP_NEWLINE | SAN_KEEP_TAB, "a\nb\nc\td");
    sanitize_check("a\nb", 3, 0, "a\xE2\x90\x8A" "b");
    sanitize_check("a\rb", 3, SAN_KEEP_NEWLINE, "a\xE2\x90\x8D" "b");
}

static void sanitize__makes_c1_bidi_and_invisible_characters_visible(void **state)
{
    (void)state;
    sanitize_check("\xC2\x9B" "31m", 5, 0, "<U+009B>31m");   /* C1 CSI */
    sanitize_check("x\xE2\x80\xAEy", 5, 0, "x<U+202E>y");   /* RLO */
    sanitize_check("x\xE2\x81\xA6y", 5, 0, "x<U+2066>y");   /* LRI */
    sanitize_check("x\xE2\x80\x8By", 5, 0, "x<U+200B>y");   /* ZWSP */
    sanitize_check("\xF3\xA0\x80\x81", 4, 0, "<U+E0001>");  /* tag */
    /* ZWJ inside an emoji sequence is kept */
    sanitize_check("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB", 11, 0,
                   "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB");
}

static void sanitize__replaces_invalid_utf8(void **state)
{
    (void)state;
    sanitize_check("a\xFF" "b\xC0\xAF", 5, 0, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void jsonu_parse_ok(const char *s)
{
    char *err = NULL;
    json_object *o = jsonu_parse(s, strlen(s), &err);
    assert_null(err);
    assert_non_null(o);
    json_object_put(o);
}

static void jsonu_parse_bad(const char *s, size_t len)
{
    char *err = NULL;
    json_object *o = jsonu_parse(s, len, &err);
    assert_null(o);
    assert_non_null(err);
    assert_true(strstr(err, "malformed JSON") != NULL);
    free(err);
}

static void jsonu__accepts_strict_json(void **state)
{
    (void)state;
    jsonu_parse_ok("{\"a\":[1,2.5,-3e2,true,false,null,\"x\\u00e9\"]}");
    jsonu_parse_ok("  [ ]\n");
    jsonu_parse_ok("123");
    jsonu_parse_ok("\"\xE4\xB8\xAD\"");
}

static void jsonu__rejects_what_json_c_lets_through(void **state)
{
    (void)state;
    jsonu_parse_bad("{\"a\":NaN}", 9);
    jsonu_parse_bad("{\"a\":Infinity}", 14);
    jsonu_parse_bad("{'a':1}", 7);
    jsonu_parse_bad("{\"a\":\"x\x01y\"}", 11);     /* raw control byte */
    jsonu_parse_bad("{\"a\":1} {\"b\":2}", 15);      /* two values */
    jsonu_parse_bad("{\"a\":1", 6);                  /* truncated */
    jsonu_parse_bad("{\"a\":1,}", 8);                /* trailing comma */
    jsonu_parse_bad("", 0);
    /* nesting deeper than the limit */
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    jsonu_parse_bad(deep, 200);
}

/* "[x,x,...]" with n copies of x. */
static char *repeated_list(const char *x, size_t n)
{
    buf_t b = BUF_INIT;
    buf_append_char(&b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_append_char(&b, ',');
        buf_append_str(&b, x);
    }
    buf_append_char(&b, ']');
    return buf_steal(&b);
}

static void jsonu__refuses_answers_too_dense_to_decode_safely(void **state)
{
    (void)state;
    struct {
        const char *x;
        size_t n;
        const char *want; /* NULL: accepted */
    } cases[] = {
        {"{}", 20000, NULL},
        {"{}", JSONU_MAX_CONTAINERS, "too many objects and arrays"}, /* and the list itself */
        {"[]", JSONU_MAX_CONTAINERS + 5, "too many objects and arrays"},
        {"1", 200000, NULL},
        {"1", JSONU_MAX_VALUES + 1, "too many values"},
        {"\"{[,,,]}\"", 100000, NULL}, /* punctuation inside strings is text */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = repeated_list(cases[i].x, cases[i].n);
        char *err = NULL;
        json_object *o = jsonu_parse(s, strlen(s), &err);
        if (cases[i].want) {
            assert_null(o);
            assert_non_null(err);
            if (!strstr(err, cases[i].want))
                fail_msg("%s x %zu: '%s'", cases[i].x, cases[i].n, err);
        } else {
            if (!o)
                fail_msg("%s x %zu refused: %s", cases[i].x, cases[i].n, err);
            assert_int_equal(json_object_array_length(o), cases[i].n);
        }
        json_object_put(o);
        free(err);
        free(s);
    }
}

static void jsonu__getters_check_types_and_ranges(void **state)
{
    (void)state;
    const char *s = "{\"s\":\"a\\u0000b\",\"n\":5,\"big\":99999999999999999999999,"
                    "\"f\":1.5,\"b\":true,\"o\":{},\"l\":[],\"z\":null}";
    char *err = NULL;
    json_object *o = jsonu_parse(s, strlen(s), &err);
    assert_non_null(o);
    jsonu_dec d;
    jsonu_dec_init(&d, "thing");
    char *str = NULL;
    assert_true(jsonu_str(&d, o, "s", true, &str));
    assert_string_equal(str, "a\xC0\x80" "b"); /* U+0000 held so it cannot cut it short */
    free(str);
    int64_t n = 0;
    assert_true(jsonu_int(&d, o, "n", true, 0, 10, &n));
    assert_int_equal(n, 5);
    double f = 0;
    assert_true(jsonu_num(&d, o, "f", true, 0, 2, &f));
    bool b = false;
    assert_true(jsonu_bool(&d, o, "b", true, &b));
    assert_true(b);
    assert_non_null(jsonu_obj(&d, o, "o", true));
    assert_non_null(jsonu_arr(&d, o, "l", true));
    /* absent and null optional fields are fine */
    assert_false(jsonu_str(&d, o, "z", false, &str));
    assert_false(jsonu_str(&d, o, "nope", false, &str));
    assert_null(d.error);
    /* clamped huge integer is out of range */
    assert_false(jsonu_int(&d, o, "big", true, 0, INT64_MAX - 1, &n));
    assert_non_null(d.error);
    assert_string_equal(d.error, "thing: field 'big' is out of range");
    jsonu_dec_free(&d);

    jsonu_dec_init(&d, NULL);
    assert_false(jsonu_int(&d, o, "s", true, 0, 10, &n));
    assert_string_equal(d.error, "field 's' should be a number");
    jsonu_dec_free(&d);
    jsonu_dec_init(&d, NULL);
    assert_false(jsonu_str(&d, o, "missing", true, &str));
    assert_string_equal(d.error, "missing field 'missing'");
    jsonu_dec_free(&d);
    json_object_put(o);
}

/* ---- invalid UTF-8: repaired, one U+FFFD per maximal invalid subpart */

#define FFFD "\xEF\xBF\xBD"

static void repair_check(const char *in, size_t len, const char *want, size_t nwant)
{
    buf_t b = BUF_INIT;
    assert_int_equal(utf8_repair_append(&b, in, len), nwant);
    if (strcmp(buf_cstr(&b), want))
        fail_msg("repair of '%.*s': got '%s', want '%s'", (int)len, in, buf_cstr(&b), want);
    assert_true(utf8_valid(b.data ? b.data : "", b.len));
    buf_free(&b);
}

static void utf8__repairs_each_maximal_invalid_subpart(void **state)
{
    (void)state;
    /* The Unicode standard's examples of "maximal subparts" (chapter 3,
     * U+FFFD substitution), which WHATWG's decoder follows. */
    repair_check("a\x80" "b", 3, "a" FFFD "b", 1);
    repair_check("\xC0\xAF", 2, FFFD FFFD, 2);                      /* overlong: C0 never starts */
    repair_check("\xE0\x80\xAF", 3, FFFD FFFD FFFD, 3);             /* overlong 3-byte */
    repair_check("\xED\xA0\x80", 3, FFFD FFFD FFFD, 3);             /* a surrogate */
    repair_check("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4);    /* above U+10FFFF */
    repair_check("\xF8\x88\x80\x80\x80", 5, FFFD FFFD FFFD FFFD FFFD, 5); /* 5-byte form */
    repair_check("\xE4\xB8" "x", 3, FFFD "x", 1);                   /* cut short: one */
    repair_check("\xF0\x9F\x98" "x", 4, FFFD "x", 1);
    repair_check("\xF0\x9F\x98", 3, FFFD, 1);                       /* cut at the end */
    repair_check("\xC3\x28", 2, FFFD "(", 1);
    /* What the simulator's invalid_utf8 fault sends. */
    repair_check("\xff\xfe bad\xc3\x28 \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80", 21,
                 FFFD FFFD " bad" FFFD "( " FFFD FFFD " " FFFD FFFD FFFD " " FFFD FFFD FFFD FFFD FFFD,
                 13);
    /* Valid text is copied as it is. */
    repair_check("caf\xC3\xA9 \xF0\x9F\x98\x80", 10, "caf\xC3\xA9 \xF0\x9F\x98\x80", 0);
}

static void utf8__text_form_holds_a_nul_as_c0_80(void **state)
{
    (void)state;
    uint32_t cp;
    bool ok;
    assert_int_equal(utf8_text_decode("\xC0\x80" "x", 3, &cp, &ok), 2);
    assert_true(ok);
    assert_int_equal(cp, 0);
    assert_int_equal(utf8_text_decode("\xC0\xAF", 2, &cp, &ok), 1); /* other C0 forms stay invalid */
    assert_false(ok);
    assert_false(utf8_valid("a\xC0\x80", 3));
    assert_true(utf8_text_valid("a\xC0\x80" "b\xC3\xA9", 6));
    assert_false(utf8_text_valid("a\xC0\xAF", 3));
    assert_false(utf8_text_valid("a\xC0", 2));
    assert_false(utf8_text_valid("\xC0\x80\xFF", 3));
    buf_t b = BUF_INIT;
    assert_int_equal(utf8_text_plain_append(&b, "a\xC0\x80" "b\xC0\x80", 6), 2);
    assert_string_equal(buf_cstr(&b), "a" FFFD "b" FFFD);
    buf_clear(&b);
    assert_int_equal(utf8_text_plain_append(&b, "\xC0\xAF", 2), 0); /* not its form */
    assert_memory_equal(b.data, "\xC0\xAF", 2);
    buf_free(&b);
}

/* jsonu_new_string undoes jsonu_strdup: a decoded U+0000 goes back out as
 * \u0000, and bytes that are not UTF-8 cannot make the document invalid. */
static void jsonu_new_string__writes_back_what_was_decoded(void **state)
{
    (void)state;
    char *err = NULL;
    json_object *in = jsonu_parse("\"a\\u0000b\"", 10, &err);
    assert_null(err);
    char *decoded = jsonu_strdup(in);
    json_object_put(in);
    json_object *out = jsonu_new_string(decoded);
    assert_string_equal(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN),
                        "\"a\\u0000b\"");
    json_object_put(out);
    free(decoded);
    out = jsonu_new_string("caf\xC3\xA9 \xFF!");
    assert_string_equal(json_object_get_string(out), "caf\xC3\xA9 \xEF\xBF\xBD!");
    json_object_put(out);
    assert_null(jsonu_new_string(NULL));
}

static void jsonu__repairs_invalid_utf8_inside_strings_only(void **state)
{
    (void)state;
    const char *s = "{\"a\":\"x\xffy\",\"b\":\"kept \xc3\xa9\",\"c\":[\"\xc0\xaf\",\"\\u00e9\xed\xa0\x80\"],"
                    "\"k\xfe\":1}";
    uint64_t before = utf8_repairs();
    char *err = NULL;
    json_object *o = jsonu_parse(s, strlen(s), &err);
    if (!o)
        fail_msg("refused: %s", err);
    assert_int_equal(utf8_repairs() - before, 4); /* strings repaired, the key included */
    jsonu_dec d;
    jsonu_dec_init(&d, NULL);
    char *v = NULL;
    assert_true(jsonu_str(&d, o, "a", true, &v));
    assert_string_equal(v, "x" FFFD "y");
    free(v);
    assert_true(jsonu_str(&d, o, "b", true, &v));
    assert_string_equal(v, "kept \xc3\xa9");
    free(v);
    json_object *c = jsonu_arr(&d, o, "c", true);
    v = jsonu_strdup(json_object_array_get_idx(c, 0));
    assert_string_equal(v, FFFD FFFD);
    free(v);
    v = jsonu_strdup(json_object_array_get_idx(c, 1));
    assert_string_equal(v, "\xc3\xa9" FFFD FFFD FFFD);
    free(v);
    int64_t n = 0;
    assert_true(jsonu_int(&d, o, "k" FFFD, true, 0, 9, &n));
    assert_int_equal(n, 1);
    assert_null(d.error);
    jsonu_dec_free(&d);
    json_object_put(o);
    /* Nothing repaired, nothing counted. */
    before = utf8_repairs();
    jsonu_parse_ok("{\"a\":\"\\u00ff \xc3\xbf\"}");
    assert_int_equal(utf8_repairs(), before);
    /* Outside strings the grammar allows ASCII only: that is malformed. */
    const char *outside[] = {"[1,\xff]", "\xff[]", "{\"a\":1}\xc3", "[\"a\"\xc0\xaf]"};
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
        o = jsonu_parse(outside[i], strlen(outside[i]), &err);
        assert_null(o);
        assert_non_null(err);
        assert_non_null(strstr(err, "malformed JSON"));
        free(err);
    }
    assert_int_equal(utf8_repairs(), before);
}

static void jsonu__refuses_numbers_outside_json_grammar(void **state)
{
    (void)state;
    /* RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
    const char *bad[] = {"1.", "2.e3", "01", "-", ".5", "+1", "1e", "0x1", "-01", "1.5.2", "1e+",
                         "0x", "1E", "-.5", "--1", "1e5e5", "00", "1.e", "0.", "-0x10", "2e-",
                         "Infinity", "-Infinity", "1_000", "0e", "1..2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *doc[3] = {xasprintf("%s", bad[i]), xasprintf("[%s]", bad[i]),
                        xasprintf("{\"n\": %s }", bad[i])};
        for (int k = 0; k < 3; k++) {
            char *err = NULL;
            json_object *o = jsonu_parse(doc[k], strlen(doc[k]), &err);
            if (o || !err || !strstr(err, "malformed JSON"))
                fail_msg("'%s' accepted", doc[k]);
            json_object_put(o);
            free(err);
            free(doc[k]);
        }
    }
    /* The message names the number. */
    char *err = NULL;
    assert_null(jsonu_parse("{\"created\":1.}", 14, &err));
    assert_string_equal(err, "malformed JSON: '1.' is not a number as JSON writes it");
    free(err);
    const char *good[] = {"0", "-0", "1", "-1", "10", "0.5", "-0.5", "1e5", "1E5", "1e+5", "1e-5",
                          "1.5e-05", "-1.0E+3", "0e0", "123456789012345678901234567890"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char *doc = xasprintf("[%s,%s]", good[i], good[i]);
        jsonu_parse_ok(doc);
        free(doc);
        jsonu_parse_ok(good[i]);
    }
}

static void jsonu__writes_a_nul_back_as_u0000(void **state)
{
    (void)state;
    char *err = NULL;
    json_object *o = jsonu_parse("[\"a\\u0000b\\u0000\"]", 18, &err);
    assert_non_null(o);
    char *text = jsonu_strdup(json_object_array_get_idx(o, 0));
    assert_memory_equal(text, "a\xC0\x80" "b\xC0\x80", 7);
    json_object_put(o);
    /* Text holding it, sent on in a request or a file: \u0000 again. */
    o = json_object_new_object();
    json_object_object_add(o, "content", json_object_new_string(text));
    json_object_object_add(o, "other", json_object_new_string("\xC3\xA9"));
    char *out = jsonu_to_string(o);
    assert_string_equal(out, "{\"content\":\"a\\u0000b\\u0000\",\"other\":\"\xC3\xA9\"}");
    assert_true(utf8_valid(out, strlen(out)));
    free(out);
    json_object_put(o);
    free(text);
}

static void sanitize__shows_zwj_and_zwnj_outside_emoji_sequences(void **state)
{
    (void)state;
#define ZWJ "\xE2\x80\x8D"
#define ZWNJ "\xE2\x80\x8C"
#define WOMAN "\xF0\x9F\x91\xA9"
#define MAN "\xF0\x9F\x91\xA8"
#define GIRL "\xF0\x9F\x91\xA7"
#define LAPTOP "\xF0\x9F\x92\xBB"
#define TONE "\xF0\x9F\x8F\xBD"
#define FLAG "\xF0\x9F\x8F\xB3"
#define RAINBOW "\xF0\x9F\x8C\x88"
#define VS16 "\xEF\xB8\x8F"
    /* Between letters, at either end, next to one emoji only: shown. */
    sanitize_check("a" ZWJ "b", 5, 0, "a<U+200D>b");
    sanitize_check("a" ZWNJ "b", 5, 0, "a<U+200C>b");
    sanitize_check(ZWJ "x", 4, 0, "<U+200D>x");
    sanitize_check(WOMAN ZWJ, 7, 0, WOMAN "<U+200D>");
    sanitize_check(ZWJ WOMAN, 7, 0, "<U+200D>" WOMAN);
    sanitize_check(WOMAN ZWJ "a", 8, 0, WOMAN "<U+200D>a");
    sanitize_check("a" ZWJ WOMAN, 8, 0, "a<U+200D>" WOMAN);
    sanitize_check(WOMAN ZWNJ LAPTOP, 11, 0, WOMAN "<U+200C>" LAPTOP); /* ZWNJ joins nothing */
    sanitize_check(WOMAN ZWJ ZWJ LAPTOP, 14, 0, WOMAN "<U+200D><U+200D>" LAPTOP);
    sanitize_check(WOMAN " " ZWJ LAPTOP, 12, 0, WOMAN " <U+200D>" LAPTOP);
    /* Inside emoji sequences: kept, they are part of the picture. */
    const char *kept[] = {
        MAN ZWJ WOMAN ZWJ GIRL,            /* a family */
        WOMAN TONE ZWJ LAPTOP,             /* a technologist with a skin tone */
        FLAG VS16 ZWJ RAINBOW,             /* a rainbow flag */
        "x " WOMAN ZWJ LAPTOP " y",
    };
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        sanitize_check(kept[i], strlen(kept[i]), 0, kept[i]);
    /* U+0000 held as C0 80 is shown as the NUL picture. */
    sanitize_check("a\xC0\x80" "b", 4, 0, "a\xE2\x90\x80" "b");
    assert_false(sanitize_is_clean("a" ZWJ "b", 5, 0));
    assert_true(sanitize_is_clean(MAN ZWJ WOMAN, 11, 0));
}

static void sanitize__pieces_give_what_the_whole_text_gives(void **state)
{
    (void)state;
    const char *texts[] = {
        MAN ZWJ WOMAN ZWJ GIRL " and a" ZWJ "b " WOMAN ZWJ,
        WOMAN TONE ZWJ LAPTOP ZWNJ FLAG VS16 ZWJ RAINBOW,
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        const char *s = texts[t];
        size_t len = strlen(s);
        char *want = sanitize_dup(s, len, 0);
        /* Cut at every character boundary that does not end in a ZWJ. */
        for (size_t cut = 0; cut <= len; cut++) {
            if ((cut < len && (s[cut] & 0xC0) == 0x80) || sanitize_ends_in_zwj(s, cut))
                continue;
            san_state st = {false};
            buf_t b = BUF_INIT;
            sanitize_append_piece(&b, s, cut, 0, &st);
            sanitize_append_piece(&b, s + cut, len - cut, 0, &st);
            if (strcmp(buf_cstr(&b), want))
                fail_msg("cut at %zu: '%s', want '%s'", cut, buf_cstr(&b), want);
            buf_free(&b);
        }
        free(want);
    }
}

static void emoji__knows_extended_pictographic(void **state)
{
    (void)state;
    const uint32_t yes[] = {0xA9, 0xAE, 0x203C, 0x2122, 0x231A, 0x2600, 0x2764, 0x3030, 0x303D,
                            0x3297, 0x3299, 0x1F000, 0x1F469, 0x1F4BB, 0x1F600, 0x1FAFF, 0x1FFFD};
    const uint32_t no[] = {'a', 0xA8, 0xAA, 0xE9, 0x200D, 0x203B, 0x3041, 0x3298, 0x4E2D, 0xAC00,
                           0xFE0F, 0x1F1E6, 0x1F3FB, 0x1FFFE, 0x10FFFF};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!emoji_is_pictographic(yes[i]))
            fail_msg("U+%04X should be pictographic", (unsigned)yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (emoji_is_pictographic(no[i]))
            fail_msg("U+%04X should not be pictographic", (unsigned)no[i]);
    assert_true(emoji_is_modifier(0x1F3FD));
    assert_false(emoji_is_modifier(0x1F3FA));
}

static void log__redacts_keys_headers_and_registered_secrets(void **state)
{
    (void)state;
    log_add_secret("proj_s3cret_id");
    char *r = log_redact("GET /turn-credentials?identifier=proj_s3cret_id X-API-Key: aai_abc123\n"
                         "Authorization: Bearer aai_abc123\n"
                         "key aai_zzz9 and {\"client_secret\":{\"value\":\"eph_xyz\"},"
                         "\"credential\":\"turnpass\",\"model\":\"gpt-4o\"}");
    assert_null(strstr(r, "proj_s3cret_id"));
    assert_null(strstr(r, "aai_abc123"));
    assert_null(strstr(r, "aai_zzz9"));
    assert_null(strstr(r, "eph_xyz"));
    assert_null(strstr(r, "turnpass"));
    assert_non_null(strstr(r, "\"model\":\"gpt-4o\""));
    assert_non_null(strstr(r, "X-API-Key: " REDACTED));
    free(r);
    log_clear_secrets();
    r = log_redact("nothing secret here: aai_ alone");
    assert_string_equal(r, "nothing secret here: aai_ alone");
    free(r);
}

TEST_MAIN(cmocka_unit_test(buf__appends_printf_and_consumes),
          cmocka_unit_test(buf__an_exact_reservation_holds_exactly_that_much),
          cmocka_unit_test(jsonarr__walks_elements_with_brackets_and_quotes_inside),
          cmocka_unit_test(jsonarr__finds_the_one_member_array_of_an_object),
          cmocka_unit_test(utf8__decodes_valid_characters),
          cmocka_unit_test(utf8__rejects_overlong_surrogate_and_out_of_range),
          cmocka_unit_test(utf8__prefix_len_never_splits_a_character),
          cmocka_unit_test(sanitize__shows_escape_sequences_as_pictures),
          cmocka_unit_test(sanitize__keeps_newlines_only_when_asked),
          cmocka_unit_test(sanitize__makes_c1_bidi_and_invisible_characters_visible),
          cmocka_unit_test(sanitize__replaces_invalid_utf8),
          cmocka_unit_test(jsonu__accepts_strict_json),
          cmocka_unit_test(jsonu__rejects_what_json_c_lets_through),
          cmocka_unit_test(jsonu__refuses_answers_too_dense_to_decode_safely),
          cmocka_unit_test(jsonu__getters_check_types_and_ranges),
          cmocka_unit_test(utf8__repairs_each_maximal_invalid_subpart),
          cmocka_unit_test(utf8__text_form_holds_a_nul_as_c0_80),
          cmocka_unit_test(jsonu__repairs_invalid_utf8_inside_strings_only),
          cmocka_unit_test(jsonu_new_string__writes_back_what_was_decoded),
          cmocka_unit_test(jsonu__refuses_numbers_outside_json_grammar),
          cmocka_unit_test(jsonu__writes_a_nul_back_as_u0000),
          cmocka_unit_test(sanitize__shows_zwj_and_zwnj_outside_emoji_sequences),
          cmocka_unit_test(sanitize__pieces_give_what_the_whole_text_gives),
          cmocka_unit_test(emoji__knows_extended_pictographic),
          cmocka_unit_test(log__redacts_keys_headers_and_registered_secrets))
