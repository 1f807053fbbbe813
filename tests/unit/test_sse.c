/* Unit tests for the SSE parser: the WHATWG rules, fed in every slicing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "net/sse.h"
#include "test.h"
#include "util/buf.h"
#include "util/mem.h"

/* Collects events as "type|data|id\n" lines. */
typedef struct collect {
    buf_t out;
    int count;
    int stop_after;
} collect;

static int on_event(void *ud, const sse_event *ev)
{
    collect *c = ud;
    buf_append(&c->out, ev->type, ev->type_len);
    buf_append_char(&c->out, '|');
    buf_append(&c->out, ev->data, ev->data_len);
    buf_append_char(&c->out, '|');
    buf_append(&c->out, ev->id, ev->id_len);
    buf_append_char(&c->out, '\n');
    c->count++;
    return c->stop_after && c->count >= c->stop_after;
}

/* Parses input whole and returns what was dispatched (caller frees). */
static char *parse_all(const char *in, size_t len)
{
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(1 << 20);
    assert_int_equal(sse_parser_feed(p, in, len, on_event, &c), SSE_OK);
    sse_parser_free(p);
    return buf_steal(&c.out);
}

static void check(const char *in, const char *want)
{
    char *got = parse_all(in, strlen(in));
    assert_string_equal(got, want);
    free(got);
}

static void sse__dispatches_on_blank_line_with_default_type(void **state)
{
    (void)state;
    check("data: hello\n\n", "message|hello|\n");
    check("event: ping\ndata: x\n\n", "ping|x|\n");
    check("data: a\ndata: b\n\n", "message|a\nb|\n");
    check("data:no-space\n\n", "message|no-space|\n");
    check("data:  two-spaces\n\n", "message| two-spaces|\n");
}

static void sse__accepts_every_line_ending(void **state)
{
    (void)state;
    check("data: a\r\n\r\ndata: b\r\rdata: c\n\n", "message|a|\nmessage|b|\nmessage|c|\n");
    check("data: x\r\n\n", "message|x|\n");
    check("data: x\n\r\n", "message|x|\n");
}

static void sse__ignores_comments_unknown_fields_and_empty_events(void **state)
{
    (void)state;
    check(": keepalive\n\n", "");
    check(":\n: comment\ndata: z\n\n", "message|z|\n");
    check("foo: bar\ndata: z\n\n", "message|z|\n");
    check("event: only-type\n\ndata: z\n\n", "message|z|\n"); /* the type does not leak */
    check("data\n\n", "message||\n");  /* field without a colon: empty value */
    check("data:\n\n", "message||\n");
    check("data\ndata\n\n", "message|\n|\n");
}

static void sse__keeps_last_event_id_across_events(void **state)
{
    (void)state;
    check("id: 1\ndata: a\n\ndata: b\n\nid: 3\ndata: c\n\n",
          "message|a|1\nmessage|b|1\nmessage|c|3\n");
    check("id: 7\n\ndata: a\n\n", "message|a|7\n"); /* id without data still counts */
    /* An id containing NUL is ignored. */
    const char in[] = "id: 5\ndata: a\n\nid: x\0y\ndata: b\n\n";
    char *got = parse_all(in, sizeof in - 1);
    assert_string_equal(got, "message|a|5\nmessage|b|5\n");
    free(got);
}

static void sse__reads_retry_only_when_all_digits(void **state)
{
    (void)state;
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(0);
    assert_int_equal(sse_parser_retry_ms(p), -1);
    const char *in = "retry: 2500\n\nretry: 12a\n\nretry: -5\n\n";
    sse_parser_feed(p, in, strlen(in), on_event, &c);
    assert_int_equal(sse_parser_retry_ms(p), 2500);
    sse_parser_free(p);
    buf_free(&c.out);
}

static void sse__drops_one_leading_bom_only(void **state)
{
    (void)state;
    check("\xEF\xBB\xBF" "data: a\n\n", "message|a|\n");
    /* A second BOM is part of the field name, so the line is ignored. */
    check("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n", "message|b|\n");
}

/* The first bytes of a BOM followed by something else are the start of
 * the first line, however the stream is cut: here they make its field name
 * unknown, so that line is ignored and the next event comes through. */
static void sse__a_partial_bom_is_content_at_every_split(void **state)
{
    (void)state;
    static const char *const ins[] = {"\xEF\xBB" "data: a\n\ndata: b\n\n",
                                      "\xEF" "\ndata: b\n\n", "\xEF\xBB\r\ndata: b\n\n"};
    for (size_t k = 0; k < sizeof ins / sizeof *ins; k++) {
        const char *in = ins[k];
        size_t len = strlen(in);
        for (size_t i = 0; i <= len; i++) {
            collect c = {BUF_INIT, 0, 0};
            sse_parser *p = sse_parser_new(1 << 20);
            sse_parser_feed(p, in, i, on_event, &c);
            sse_parser_feed(p, in + i, len - i, on_event, &c);
            assert_string_equal(buf_cstr(&c.out), "message|b|\n");
            sse_parser_free(p);
            buf_free(&c.out);
        }
    }
}

static void sse__never_dispatches_an_unterminated_event(void **state)
{
    (void)state;
    check("data: a\n\ndata: partial\n", "message|a|\n");
    check("data: partial", "");
}

/* Feeds input split into slices at every pair of positions and compares
 * with the whole parse. */
static void sse__gives_same_events_for_every_split_position(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF" "id: 1\r\nevent: a\r\ndata: \xE4\xB8\xAD\xE6\x96\x87\r\n\r\n"
                     ": c\rdata: x\rdata: y\r\r"
                     "data: {\"k\":1}\n\n";
    size_t len = strlen(in);
    char *want = parse_all(in, len);
    assert_string_equal(want, "a|\xE4\xB8\xAD\xE6\x96\x87|1\nmessage|x\ny|1\nmessage|{\"k\":1}|1\n");
    for (size_t i = 0; i <= len; i++) {
        for (size_t j = i; j <= len; j++) {
            collect c = {BUF_INIT, 0, 0};
            sse_parser *p = sse_parser_new(1 << 20);
            sse_parser_feed(p, in, i, on_event, &c);
            sse_parser_feed(p, in + i, j - i, on_event, &c);
            sse_parser_feed(p, in + j, len - j, on_event, &c);
            assert_string_equal(buf_cstr(&c.out), want);
            sse_parser_free(p);
            buf_free(&c.out);
        }
    }
    /* And one byte at a time. */
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(1 << 20);
    for (size_t i = 0; i < len; i++)
        sse_parser_feed(p, in + i, 1, on_event, &c);
    assert_string_equal(buf_cstr(&c.out), want);
    sse_parser_free(p);
    buf_free(&c.out);
    free(want);
}

static void sse__refuses_lines_and_events_over_the_cap(void **state)
{
    (void)state;
    const size_t cap = 1 << 20;
    size_t n = cap + 100;
    char *big = malloc(n + 16);
    memcpy(big, "data: ", 6);
    memset(big + 6, 'x', n - 6);
    memcpy(big + n, "\n\n", 2);
    /* In one slice... */
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(cap);
    assert_int_equal(sse_parser_feed(p, big, n + 2, on_event, &c), SSE_TOO_LONG);
    assert_int_equal(c.count, 0);
    /* ...and the parser stays refused until reset. */
    assert_int_equal(sse_parser_feed(p, "data: a\n\n", 9, on_event, &c), SSE_TOO_LONG);
    sse_parser_reset(p);
    assert_int_equal(sse_parser_feed(p, "data: a\n\n", 9, on_event, &c), SSE_OK);
    assert_int_equal(c.count, 1);
    sse_parser_free(p);
    /* ...and in small slices. */
    p = sse_parser_new(cap);
    int rc = SSE_OK;
    for (size_t off = 0; off < n + 2 && rc == SSE_OK; off += 4096)
        rc = sse_parser_feed(p, big + off, off + 4096 > n + 2 ? n + 2 - off : 4096, on_event, &c);
    assert_int_equal(rc, SSE_TOO_LONG);
    sse_parser_free(p);
    /* Many data lines adding up past the cap count too. */
    p = sse_parser_new(1000);
    rc = SSE_OK;
    for (int i = 0; i < 200 && rc == SSE_OK; i++)
        rc = sse_parser_feed(p, "data: 0123456789\n", 17, on_event, &c);
    assert_int_equal(rc, SSE_TOO_LONG);
    sse_parser_free(p);
    /* Just under the cap is fine. */
    p = sse_parser_new(cap);
    memset(big + 6, 'y', cap - 6 - 1);
    memcpy(big + cap - 1, "\n\n", 2);
    assert_int_equal(sse_parser_feed(p, big, cap + 1, on_event, &c), SSE_OK);
    sse_parser_free(p);
    buf_free(&c.out);
    free(big);
}

static void sse__stops_when_the_callback_asks(void **state)
{
    (void)state;
    collect c = {BUF_INIT, 0, 1};
    sse_parser *p = sse_parser_new(0);
    const char *in = "data: a\n\ndata: b\n\n";
    assert_int_equal(sse_parser_feed(p, in, strlen(in), on_event, &c), SSE_STOPPED);
    assert_int_equal(c.count, 1);
    sse_parser_free(p);
    buf_free(&c.out);
}

static void sse__keeps_last_id_after_reset(void **state)
{
    (void)state;
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(0);
    const char *in = "id: 42\ndata: a\n\ndata: part";
    sse_parser_feed(p, in, strlen(in), on_event, &c);
    sse_parser_reset(p);
    assert_string_equal(sse_parser_last_id(p), "42");
    sse_parser_feed(p, "data: b\n\n", 9, on_event, &c);
    assert_string_equal(buf_cstr(&c.out), "message|a|42\nmessage|b|42\n");
    sse_parser_free(p);
    buf_free(&c.out);
}

/* The id of an event counts only once its blank line is read: a
 * connection cut inside the event must not make the reconnect claim it. */
static void sse__commits_an_id_only_when_its_event_is_dispatched(void **state)
{
    (void)state;
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(0);
    const char *in = "id: 1\ndata: a\n\nid: 2\nevent: x\ndata: b\n";
    sse_parser_feed(p, in, strlen(in), on_event, &c);
    assert_string_equal(buf_cstr(&c.out), "message|a|1\n");
    assert_string_equal(sse_parser_last_id(p), "1");
    /* The connection ends here; the next one starts after event 1. */
    sse_parser_reset(p);
    assert_string_equal(sse_parser_last_id(p), "1");
    /* Its events without an id field carry the last dispatched id, not the
     * forgotten one. */
    in = "data: c\n\nid: 2\n";
    sse_parser_feed(p, in, strlen(in), on_event, &c);
    assert_string_equal(buf_cstr(&c.out), "message|a|1\nmessage|c|1\n");
    assert_string_equal(sse_parser_last_id(p), "1");
    /* An id-only block counts at its blank line, with nothing dispatched. */
    sse_parser_feed(p, "\n", 1, on_event, &c);
    assert_string_equal(sse_parser_last_id(p), "2");
    assert_int_equal(c.count, 2);
    /* The blank line may end in CR, with the LF still to come. */
    in = "id: 3\r\ndata: d\r\n\r";
    sse_parser_feed(p, in, strlen(in), on_event, &c);
    assert_string_equal(sse_parser_last_id(p), "3");
    sse_parser_reset(p);
    assert_string_equal(sse_parser_last_id(p), "3");
    /* A resumed stream starts from the id it was given. */
    sse_parser_set_last_id(p, "40");
    sse_parser_feed(p, "id: 41\n", 7, on_event, &c);
    sse_parser_reset(p);
    assert_string_equal(sse_parser_last_id(p), "40");
    sse_parser_feed(p, "data: e\n\n", 9, on_event, &c);
    assert_string_equal(buf_cstr(&c.out), "message|a|1\nmessage|c|1\nmessage|d|3\nmessage|e|40\n");
    sse_parser_free(p);
    buf_free(&c.out);
}

/* An event over the cap is never dispatched, so its id does not count. */
static void sse__forgets_the_id_of_an_event_over_the_cap(void **state)
{
    (void)state;
    collect c = {BUF_INIT, 0, 0};
    sse_parser *p = sse_parser_new(16);
    const char *in = "id: 5\ndata: 0123456789abcdefghij\n\n";
    assert_int_equal(sse_parser_feed(p, in, strlen(in), on_event, &c), SSE_TOO_LONG);
    sse_parser_reset(p);
    assert_string_equal(sse_parser_last_id(p), "");
    assert_int_equal(c.count, 0);
    sse_parser_free(p);
    buf_free(&c.out);
}

/* What the network thread hands over: copies of each event, in order, each
 * string NUL-terminated, a type or id shared with the event before it or
 * not, and data of any size (a block much larger than a read). */
static void net__packs_the_events_of_one_read_in_order(void **state)
{
    (void)state;
    size_t big = 300 * 1024;
    char *large = xmalloc(big + 1);
    memset(large, 'x', big);
    large[big] = '\0';
    net_sse in[] = {
        {"message", 7, "a", 1, "", 0},      {"message", 7, "b\nc", 3, "", 0},
        {"error", 5, "{}", 2, "7", 1},      {"message", 7, "", 0, "7", 1},
        {"delta", 5, large, big, "8", 1},   {"message", 7, "z", 1, "", 0},
    };
    size_t n = sizeof in / sizeof in[0];
    net_event *ev = net_event_new_sse(3, 9, in, n);
    assert_non_null(ev);
    assert_int_equal(ev->kind, NET_EV_SSE);
    assert_int_equal(ev->id, 3);
    assert_int_equal(ev->tag, 9);
    assert_int_equal(ev->nsse, n);
    for (size_t i = 0; i < n; i++) {
        const net_sse *e = &ev->sse[i];
        assert_int_equal(e->type_len, in[i].type_len);
        assert_string_equal(e->type, in[i].type);
        assert_int_equal(e->data_len, in[i].data_len);
        assert_memory_equal(e->data, in[i].data, in[i].data_len);
        assert_int_equal(e->data[e->data_len], '\0');
        assert_int_equal(e->id_len, in[i].id_len);
        assert_string_equal(e->id, in[i].id);
        assert_true(e->data != in[i].data); /* copies: the caller's may go */
    }
    net_event_free(ev);
    free(large);
    assert_null(net_event_new_sse(1, 1, in, 0));
}

TEST_MAIN(cmocka_unit_test(sse__dispatches_on_blank_line_with_default_type),
          cmocka_unit_test(sse__accepts_every_line_ending),
          cmocka_unit_test(sse__ignores_comments_unknown_fields_and_empty_events),
          cmocka_unit_test(sse__keeps_last_event_id_across_events),
          cmocka_unit_test(sse__reads_retry_only_when_all_digits),
          cmocka_unit_test(sse__drops_one_leading_bom_only),
          cmocka_unit_test(sse__never_dispatches_an_unterminated_event),
          cmocka_unit_test(sse__gives_same_events_for_every_split_position),
          cmocka_unit_test(sse__a_partial_bom_is_content_at_every_split),
          cmocka_unit_test(sse__refuses_lines_and_events_over_the_cap),
          cmocka_unit_test(sse__stops_when_the_callback_asks),
          cmocka_unit_test(sse__keeps_last_id_after_reset),
          cmocka_unit_test(sse__commits_an_id_only_when_its_event_is_dispatched),
          cmocka_unit_test(sse__forgets_the_id_of_an_event_over_the_cap),
          cmocka_unit_test(net__packs_the_events_of_one_read_in_order))
