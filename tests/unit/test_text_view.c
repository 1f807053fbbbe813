/* Unit tests for src/text/view: incremental layout while streaming, and
 * search. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "text/md.h"
#include "text/view.h"
#include "util/buf.h"

/* A reply with every construct, and hostile bytes, to stream. */
static const char reply[] =
    "# Streaming *reply*\n"
    "\n"
    "Some **bold** text, `code`, a [link](https://example.org/path_(x)) and "
    "snake_case_words; 2*3*4. \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88 "
    "and emoji \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 \xF0\x9F\x87\xAF\xF0\x9F\x87\xB5 "
    "1\xEF\xB8\x8F\xE2\x83\xA3 cafe\xCC\x81.\r\n"
    "A second line with *emphasis that\ncrosses* a break.\n"
    "\n"
    "- first item that is long enough to wrap at forty columns\n"
    "  - nested **item**\n"
    "    continued lazily\n"
    "- second\n"
    "1. one\n"
    "2. two\n"
    "   ```sh\n"
    "   ls -l | grep x\n"
    "   ```\n"
    "\n"
    "> quoted text that is also long enough to need wrapping\n"
    "> > deeper\n"
    "\n"
    "```python\n"
    "def f(x):\n"
    "\treturn x * 2  # a long comment that will have to wrap around\n"
    "```\n"
    "Escapes: \x1B[31mred\x1B[0m \x1B]52;c;SGk=\x07 over\rwrite back\x08 \xE2\x80\xAE"
    "evil \xFF bad \xC2\x9B" "2J.\n"
    "~~~\n"
    "unclosed fence \xE4\xB8\xAD\n"
    "still code";

static void assert_same_lines(const text_view *a, const text_view *b)
{
    size_t n = text_view_line_count(a);
    assert_int_equal(n, text_view_line_count(b));
    const char *ta = text_view_text(a), *tb = text_view_text(b);
    for (size_t i = 0; i < n; i++) {
        const wrap_line *la = text_view_line(a, i), *lb = text_view_line(b, i);
        assert_int_equal(la->count, lb->count);
        assert_int_equal(la->width, lb->width);
        assert_int_equal(la->indent, lb->indent);
        assert_int_equal(la->flags, lb->flags);
        assert_int_equal(la->level, lb->level);
        assert_int_equal(la->block, lb->block);
        const wrap_span *sa = text_view_spans(a, la), *sb = text_view_spans(b, lb);
        for (uint32_t k = 0; k < la->count; k++) {
            assert_int_equal(sa[k].col, sb[k].col);
            assert_int_equal(sa[k].width, sb[k].width);
            assert_int_equal(sa[k].kind, sb[k].kind);
            assert_int_equal(sa[k].attr, sb[k].attr);
            assert_int_equal(sa[k].len, sb[k].len);
            assert_memory_equal(ta + sa[k].off, tb + sb[k].off, sa[k].len);
        }
    }
}

/* A fresh view given text[0..len) at once. */
static text_view *one_shot(const char *text, size_t len, bool finished, int width)
{
    text_view *v = text_view_new();
    text_view_append(v, text, len);
    if (finished)
        text_view_finish(v);
    text_view_layout(v, width);
    return v;
}

static void view__streaming_in_random_chunks_matches_a_full_layout(void **state)
{
    (void)state;
    size_t total = sizeof reply - 1;
    unsigned seed = 7;
    for (int run = 0; run < 40; run++) {
        text_view *v = text_view_new();
        int width = 40;
        size_t at = 0;
        while (at < total) {
            seed = seed * 1103515245u + 12345u;
            /* Mostly token-sized chunks (cutting characters and markers
             * anywhere), now and then a large one. */
            size_t n = 1 + (seed >> 16) % ((seed >> 8) % 7 == 0 ? 60 : 6);
            n = n < total - at ? n : total - at;
            text_view_append(v, reply + at, n);
            at += n;
            if ((seed >> 4) % 17 == 0)
                width = 1 + (int)((seed >> 12) % 100); /* a resize mid-stream */
            if ((seed >> 20) % 3 == 0 && at < total)
                continue; /* several appends per frame */
            text_view_layout(v, width);
            text_view *full = one_shot(reply, at, false, width);
            assert_same_lines(v, full);
            text_view_free(full);
        }
        text_view_finish(v);
        text_view_layout(v, width);
        text_view *full = one_shot(reply, total, true, width);
        assert_same_lines(v, full);
        text_view_free(full);
        text_view_free(v);
    }
}

static void view__byte_by_byte_matches_a_full_layout(void **state)
{
    (void)state;
    size_t total = sizeof reply - 1;
    text_view *v = text_view_new();
    for (size_t at = 0; at < total; at++) {
        text_view_append(v, reply + at, 1);
        text_view_layout(v, 33);
        text_view *full = one_shot(reply, at + 1, false, 33);
        assert_same_lines(v, full);
        text_view_free(full);
    }
    text_view_free(v);
}

static void view__appending_reparses_only_the_last_block(void **state)
{
    (void)state;
    md_doc d;
    md_init(&d);
    for (int i = 0; i < 200; i++) {
        char para[64];
        int n = snprintf(para, sizeof para, "Paragraph %d with **some** words.\n\n", i);
        md_append(&d, para, (size_t)n);
    }
    assert_int_equal(md_update(&d), 0);
    assert_int_equal(d.nblocks, 200);
    /* A new paragraph after a blank line: the last one may not take it as
     * a continuation, but the parse restarts no earlier than that. */
    md_append(&d, "more", 4);
    assert_int_equal(md_update(&d), 199);
    assert_int_equal(d.nblocks, 201);
    /* Now the last line starts a block no earlier block can absorb. */
    md_append(&d, " and more\ncontinued", 19);
    assert_int_equal(md_update(&d), 200);
    assert_int_equal(md_update(&d), 201); /* nothing new */
    /* A growing code block costs its last line only. */
    const char *code = "\n\n```\nline 1\nline 2\n";
    md_append(&d, code, strlen(code));
    md_update(&d);
    size_t blocks = d.nblocks;
    md_append(&d, "line 3", 6);
    assert_int_equal(md_update(&d), blocks - 1);
    md_append(&d, " more", 5);
    assert_int_equal(md_update(&d), blocks);
    md_free(&d);
}

static void view__long_paragraphs_stream_at_the_cost_of_their_end(void **state)
{
    (void)state;
    md_doc d;
    md_init(&d);
    for (int i = 0; i < 400; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "line %d of one paragraph, with *emphasis*\n", i);
        md_append(&d, line, (size_t)n);
    }
    md_update(&d);
    /* Split where its markup is closed, into blocks that look the same. */
    assert_true(d.nblocks > 10);
    for (size_t i = 1; i < d.nblocks; i++) {
        assert_int_equal(d.blocks[i].type, MD_BLOCK_PARA);
        assert_int_equal(d.blocks[i].blank, 0);
    }
    size_t blocks = d.nblocks;
    md_append(&d, "one more", 8);
    assert_true(md_update(&d) >= blocks - 1);
    /* An opener left open keeps the rest together: it may still close. */
    md_append(&d, " **never closed\n", 17);
    for (int i = 0; i < 100; i++)
        md_append(&d, "more text\n", 10);
    md_update(&d);
    assert_int_equal(d.nblocks, blocks);
    md_free(&d);
}

/* A long reply of long paragraphs, so that splitting them is exercised. */
static size_t long_reply(char *buf, size_t cap)
{
    static const char *words[] = {"alpha ", "*beta* ", "**gamma** ", "`delta` ", "[eps](http://e.org) ",
                                  "snake_case ", "\xE4\xB8\xAD\xE6\x96\x87 ", "*open ", "close* ",
                                  "\n", "\n", "\n", "- item ", "\n\n", "x\x1B[0m "};
    unsigned seed = 99;
    size_t len = 0;
    while (len + 32 < cap) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % (sizeof words / sizeof words[0])];
        if (w[0] == '\n' && w[1] == '\n' && (seed >> 4) % 8 != 0)
            w = "\n"; /* mostly single breaks: long paragraphs */
        memcpy(buf + len, w, strlen(w));
        len += strlen(w);
    }
    return len;
}

static void view__long_paragraphs_in_random_chunks_match_a_full_layout(void **state)
{
    (void)state;
    static char buf[24000];
    size_t total = long_reply(buf, sizeof buf);
    unsigned seed = 3;
    text_view *v = text_view_new();
    size_t at = 0, step = 0;
    while (at < total) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 12;
        n = n < total - at ? n : total - at;
        text_view_append(v, buf + at, n);
        at += n;
        text_view_layout(v, 50);
        if (++step % 97 == 0 || at == total) {
            text_view *full = one_shot(buf, at, false, 50);
            assert_same_lines(v, full);
            text_view_free(full);
        }
    }
    text_view_free(v);
}

static void view__empty_and_reset_views_have_no_lines(void **state)
{
    (void)state;
    text_view *v = text_view_new();
    assert_int_equal(text_view_layout(v, 80), 0);
    text_view_append(v, "hello", 5);
    assert_int_equal(text_view_layout(v, 80), 1);
    text_view_reset(v);
    assert_int_equal(text_view_layout(v, 80), 0);
    text_view_append(v, "\n\n\n", 3);
    assert_int_equal(text_view_layout(v, 80), 0);
    text_view_free(v);
}

static void view__search_finds_displayed_text_case_insensitively(void **state)
{
    (void)state;
    const char *text = "Alpha **beta** gamma\n\nsecond BETA line with beta\n\n- third *Beta*";
    text_view *v = one_shot(text, strlen(text), true, 80);
    assert_int_equal(text_view_line_count(v), 5);
    text_match m;
    assert_true(text_find(v, "beta", 0, TEXT_FORWARD, &m));
    assert_int_equal(m.line, 0);
    assert_int_equal(m.col, 6); /* the hidden ** do not count */
    assert_int_equal(m.end_col, 10);
    assert_true(text_find_next(v, "beta", &m, TEXT_FORWARD, &m));
    assert_int_equal(m.line, 2);
    assert_int_equal(m.col, 7);
    assert_true(text_find_next(v, "beta", &m, TEXT_FORWARD, &m));
    assert_int_equal(m.line, 2);
    assert_int_equal(m.col, 22);
    assert_true(text_find_next(v, "beta", &m, TEXT_FORWARD, &m));
    assert_int_equal(m.line, 4);
    assert_int_equal(m.col, 8);
    assert_false(text_find_next(v, "beta", &m, TEXT_FORWARD, &m));
    /* Backward from the end: the rightmost match of each line first. */
    assert_true(text_find(v, "BETA", 99, TEXT_BACKWARD, &m));
    assert_int_equal(m.line, 4);
    assert_true(text_find(v, "BETA", 3, TEXT_BACKWARD, &m));
    assert_int_equal(m.line, 2);
    assert_int_equal(m.col, 22);
    assert_true(text_find_next(v, "beta", &m, TEXT_BACKWARD, &m));
    assert_int_equal(m.col, 7);
    assert_false(text_find(v, "delta", 0, TEXT_FORWARD, &m));
    assert_false(text_find(v, "", 0, TEXT_FORWARD, &m));
    assert_false(text_find(v, "**", 0, TEXT_FORWARD, &m)); /* markup is not shown */
    text_view_free(v);
}

static void view__search_reports_display_columns(void **state)
{
    (void)state;
    /* Wide characters before the match, a placeholder as shown. */
    const char *text = "\xE6\x97\xA5\xE6\x9C\xAC x\x1B" "y \xE4\xB8\xAD\xE6\x96\x87";
    text_view *v = one_shot(text, strlen(text), true, 80);
    text_match m;
    assert_true(text_find(v, "X\xE2\x90\x9BY", 0, TEXT_FORWARD, &m));
    assert_int_equal(m.col, 5);
    assert_int_equal(m.end_col, 8);
    assert_true(text_find(v, "\xE4\xB8\xAD", 0, TEXT_FORWARD, &m));
    assert_int_equal(m.col, 9);
    assert_int_equal(m.end_col, 11);
    text_view_free(v);
}

TEST_MAIN(cmocka_unit_test(view__streaming_in_random_chunks_matches_a_full_layout),
          cmocka_unit_test(view__byte_by_byte_matches_a_full_layout),
          cmocka_unit_test(view__appending_reparses_only_the_last_block),
          cmocka_unit_test(view__long_paragraphs_stream_at_the_cost_of_their_end),
          cmocka_unit_test(view__long_paragraphs_in_random_chunks_match_a_full_layout),
          cmocka_unit_test(view__empty_and_reset_views_have_no_lines),
          cmocka_unit_test(view__search_finds_displayed_text_case_insensitively),
          cmocka_unit_test(view__search_reports_display_columns))
