/* Events exactly once across a cut connection: the SSE parser with a model
 * of the manager's event stream (tests/files/sse/manager-stream.txt).
 *
 * The connection is cut at every byte offset in turn. The client does what
 * the network thread does on a reconnect: it resets the parser as for a new
 * connection and sends the parser's last event id; the model server replays
 * the blocks after the one with that id. Whatever the offset, and however
 * the bytes are split into reads, the events delivered must be exactly the
 * recorded ones: none missing, none twice, in order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/sse.h"
#include "test.h"
#include "test_sse_data.h"
#include "util/buf.h"

/* What the model server sends to a connection with this Last-Event-ID
 * ("" for none): the preamble, then the blocks after the one with that id. */
static void server_body(const sv_case *c, const char *last_id, buf_t *out)
{
    buf_clear(out);
    size_t from = 0;
    if (*last_id) {
        size_t i;
        for (i = 0; i < c->nsteps; i++)
            if (c->steps[i].kind == SV_BLOCK && !strcmp(c->steps[i].id, last_id))
                break;
        if (i == c->nsteps)
            fail_msg("Last-Event-ID '%s' names no event of the stream", last_id);
        from = i + 1;
    }
    for (size_t i = 0; i < c->nsteps; i++) {
        const sv_step *s = &c->steps[i];
        if (s->kind == SV_PRE || (s->kind == SV_BLOCK && i >= from))
            buf_append(out, s->bytes, s->len);
    }
}

static const char *last_block_id(const sv_case *c)
{
    const char *id = "";
    for (size_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].kind == SV_BLOCK && *c->steps[i].id)
            id = c->steps[i].id;
    return id;
}

typedef struct fixture {
    sv_file file;
    const sv_case *stream;
    buf_t full; /* the first connection's body */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    sv_load("manager-stream.txt", &f->file);
    f->stream = &f->file.cases[0];
    server_body(f->stream, "", &f->full);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sv_free(&f->file);
    buf_free(&f->full);
    free(f);
    return 0;
}

/* Feeds the first cut bytes of body as one connection's reads (random
 * sizes), then ends the connection as the network thread does. */
static void connection(sse_parser *p, const buf_t *body, size_t cut, sv_rng *r, buf_t *got)
{
    size_t max_piece = 1 + sv_rng_below(r, 97);
    sv_feed_random(p, body->data, cut, r, max_piece, got);
    sse_parser_reset(p);
}

/* The ids of rendered events ("type|data|id" lines), space-separated. */
static void ids_of(const char *events, buf_t *out)
{
    buf_clear(out);
    for (const char *l = events; *l;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        const char *bar = l + n;
        while (bar > l && bar[-1] != '|')
            bar--;
        buf_printf(out, "%s%.*s", out->len ? " " : "", (int)(l + n - bar), bar);
        l += n + (nl != NULL);
    }
}

/* Fails with the ids delivered and the first event that differs (cmocka
 * keeps messages short, so not the whole stream). */
static void check(const fixture *f, const buf_t *got, const char *where)
{
    const char *want = buf_cstr(&f->stream->want);
    const char *g = buf_cstr(got);
    if (!strcmp(g, want))
        return;
    size_t i = 0;
    while (g[i] && g[i] == want[i])
        i++;
    while (i > 0 && g[i - 1] != '\n')
        i--;
    buf_t gi = BUF_INIT, wi = BUF_INIT;
    ids_of(g, &gi);
    ids_of(want, &wi);
    fail_msg("%s: delivered the events with ids [%s], the stream has [%s]; first "
             "difference: got '%.80s', want '%.80s'",
             where, buf_cstr(&gi), buf_cstr(&wi), g + i, want + i);
}

static void sse__resumes_exactly_once_after_a_cut_at_every_byte(void **state)
{
    const fixture *f = *state;
    const sv_case *s = f->stream;
    assert_true(f->full.len > 1000);
    buf_t replay = BUF_INIT, got = BUF_INIT;
    for (size_t cut = 0; cut <= f->full.len; cut++) {
        sv_rng r;
        sv_rng_seed(&r, cut);
        sse_parser *p = sse_parser_new(1 << 20);
        buf_clear(&got);
        buf_append(&got, "", 0);
        connection(p, &f->full, cut, &r, &got);
        server_body(s, sse_parser_last_id(p), &replay);
        connection(p, &replay, replay.len, &r, &got);
        char where[64];
        snprintf(where, sizeof where, "cut at byte %zu", cut);
        check(f, &got, where);
        assert_string_equal(sse_parser_last_id(p), last_block_id(s));
        sse_parser_free(p);
    }
    buf_free(&replay);
    buf_free(&got);
}

/* The replay itself is cut too, at a random byte, and a third connection
 * finishes the stream. */
static void sse__resumes_exactly_once_after_two_cuts(void **state)
{
    const fixture *f = *state;
    const sv_case *s = f->stream;
    buf_t replay = BUF_INIT, got = BUF_INIT;
    for (size_t cut = 0; cut <= f->full.len; cut++) {
        sv_rng r;
        sv_rng_seed(&r, cut + 0x5eed);
        sse_parser *p = sse_parser_new(1 << 20);
        buf_clear(&got);
        buf_append(&got, "", 0);
        connection(p, &f->full, cut, &r, &got);
        server_body(s, sse_parser_last_id(p), &replay);
        size_t cut2 = sv_rng_below(&r, replay.len + 1);
        connection(p, &replay, cut2, &r, &got);
        server_body(s, sse_parser_last_id(p), &replay);
        connection(p, &replay, replay.len, &r, &got);
        char where[96];
        snprintf(where, sizeof where, "cut at byte %zu, then the replay at byte %zu", cut, cut2);
        check(f, &got, where);
        sse_parser_free(p);
    }
    buf_free(&replay);
    buf_free(&got);
}

/* The stream as recorded is what the file says it delivers, whole and byte
 * by byte (so the cut tests compare with the right thing). */
static void sse__parses_the_recorded_stream(void **state)
{
    const fixture *f = *state;
    buf_t got = BUF_INIT;
    buf_append(&got, "", 0);
    sse_parser *p = sse_parser_new(1 << 20);
    assert_int_equal(sse_parser_feed(p, f->full.data, f->full.len, sv_collect, &got), SSE_OK);
    check(f, &got, "read whole");
    assert_int_equal(sse_parser_retry_ms(p), 1500);
    sse_parser_free(p);
    buf_clear(&got);
    buf_append(&got, "", 0);
    p = sse_parser_new(1 << 20);
    for (size_t i = 0; i < f->full.len; i++)
        assert_int_equal(sse_parser_feed(p, f->full.data + i, 1, sv_collect, &got), SSE_OK);
    check(f, &got, "read byte by byte");
    sse_parser_free(p);
    buf_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sse__parses_the_recorded_stream),
        cmocka_unit_test(sse__resumes_exactly_once_after_a_cut_at_every_byte),
        cmocka_unit_test(sse__resumes_exactly_once_after_two_cuts),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown) ? 1 : 0;
}
