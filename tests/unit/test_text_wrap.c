/* Unit tests for src/text/wrap: line breaking by display width. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "text/md.h"
#include "text/width.h"
#include "text/wrap.h"
#include "util/buf.h"

/* Lays out input at width and returns the lines as the screen would show
 * them, one per '\n', blanks filled in and trailing ones dropped. Code
 * continuation lines start with '>' in their gutter. Checks the width
 * invariant and the span columns on the way. */
static char *render(const char *input, size_t len, int width)
{
    md_doc d;
    md_init(&d);
    md_parse(&d, input, len);
    wrap_out o = WRAP_OUT_INIT;
    wrap_layout(&d, width, &o);
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < o.nlines; i++) {
        const wrap_line *l = &o.lines[i];
        int col = 0;
        if ((l->flags & WRAP_LINE_CONT) && l->indent >= 2) {
            for (; col < l->indent - 2; col++)
                buf_append_char(&b, ' ');
            buf_append_char(&b, '>');
            col++;
        }
        for (uint32_t k = 0; k < l->count; k++) {
            const wrap_span *s = &o.spans[l->first + k];
            assert_true(s->col >= col);
            assert_true(s->col + s->width <= (width < 1 ? 1 : width));
            assert_int_equal(s->width, tw_str_width(d.text.data + s->off, s->len));
            for (; col < s->col; col++)
                buf_append_char(&b, ' ');
            buf_append(&b, d.text.data + s->off, s->len);
            col += s->width;
        }
        assert_int_equal(l->width, col);
        if (i + 1 < o.nlines)
            buf_append_char(&b, '\n');
    }
    wrap_free(&o);
    md_free(&d);
    return buf_steal(&b);
}

static void check(const char *input, int width, const char *expected)
{
    char *got = render(input, strlen(input), width);
    assert_string_equal(got, expected);
    free(got);
}

static const char fox[] = "The quick brown fox jumps over the lazy dog and keeps running far away.";

static void wrap__breaks_at_spaces_for_80_40_20_and_9_columns(void **state)
{
    (void)state;
    check(fox, 80, fox);
    check(fox, 40, "The quick brown fox jumps over the lazy\ndog and keeps running far away.");
    check(fox, 20, "The quick brown fox\njumps over the lazy\ndog and keeps\nrunning far away.");
    check(fox, 9, "The quick\nbrown fox\njumps\nover the\nlazy dog\nand keeps\nrunning\nfar away.");
}

static void wrap__drops_spaces_at_a_break_and_keeps_them_inside(void **state)
{
    (void)state;
    check("aaaa     bbbb", 6, "aaaa\nbbbb");
    check("a  b", 10, "a  b");
    check("line one   \nline two", 20, "line one\nline two");
}

static void wrap__hangs_list_items_and_nests_them(void **state)
{
    (void)state;
    check("- one two three four\n  - five six seven\n10. eight nine", 12,
          "\xE2\x80\xA2 one two\n  three four\n  \xE2\x97\xA6 five six\n    seven\n10. eight\n    nine");
}

static void wrap__repeats_quote_bars_on_every_line(void **state)
{
    (void)state;
    check("> alpha beta gamma\n>\n>> delta", 12,
          "\xE2\x94\x82 alpha beta\n\xE2\x94\x82 gamma\n\xE2\x94\x82\n\xE2\x94\x82 \xE2\x94\x82 delta");
}

static void wrap__puts_headings_on_their_own_lines(void **state)
{
    (void)state;
    check("intro\n## A heading that wraps\nbody", 12, "intro\nA heading\nthat wraps\nbody");
}

static void wrap__breaks_cjk_between_any_two_characters(void **state)
{
    (void)state;
    /* 日本語のテキスト: 8 wide characters */
    const char *jp = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88";
    check(jp, 7, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\n\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\n\xE3\x82\xB9\xE3\x83\x88");
    /* Latin next to CJK may break there too; the Latin word stays whole. */
    check("abc\xE6\x97\xA5\xE6\x9C\xAC" "def", 6, "abc\xE6\x97\xA5\n\xE6\x9C\xAC" "def");
}

static void wrap__breaks_a_long_url_by_cluster(void **state)
{
    (void)state;
    char url[320] = "https://example.org/";
    while (strlen(url) < 300)
        strcat(url, "abcdefghij");
    url[300] = '\0';
    char in[340];
    snprintf(in, sizeof in, "see %s", url);
    char *got = render(in, strlen(in), 40);
    /* "see" alone, then the URL in full 40-column pieces. */
    assert_memory_equal(got, "see\nhttps://example.org/abcdefghijabcdefghij\n", 45);
    size_t lines = 1;
    for (const char *p = got; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + (300 + 39) / 40);
    free(got);
}

static void wrap__never_reflows_code_and_marks_its_continuations(void **state)
{
    (void)state;
    check("```\nshort   spaced\nlonger line of code here\n```", 12,
          "  short   sp\n> aced\n  longer lin\n> e of code \n> here");
}

static void wrap__never_splits_a_cluster(void **state)
{
    (void)state;
    /* e + U+0301 and a family emoji, at a width that forces a break. */
    check("abcde\xCC\x81" "fg", 5, "abcde\xCC\x81\nfg");
    /* The emoji goes down whole; "cd" stays a word. */
    check("ab\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7" "cd", 3,
          "ab\n\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\ncd");
}

static void wrap__degrades_gracefully_on_tiny_widths(void **state)
{
    (void)state;
    check("- > x", 1, "\xE2\x80\xA2\n>\nx");
    /* A wide character cannot fit in one column: a placeholder does. */
    check("\xE4\xB8\xAD\xE6\x96\x87", 1, "\xEF\xBF\xBD\n\xEF\xBF\xBD");
    /* Deep nesting gives up its indentation before the text does. */
    check("- a\n  - b\n    - c\n      - d", 9,
          "\xE2\x80\xA2 a\n \xE2\x97\xA6 b\n \xE2\x96\xAA c\n \xE2\x80\xA2 d");
    /* Width 0 or less lays out as 1. */
    char *got = render("abc", 3, 0);
    assert_string_equal(got, "a\nb\nc");
    free(got);
}

static size_t random_text(unsigned *seed, char *buf, size_t cap)
{
    static const char *pieces[] = {
        "word ", "a", " ", "  ", "\n", "\n\n", "\t", "- ", "1. ", "> ", "# ", "```\n", "`", "*", "**",
        "_", "[", "](", ")", "\\", "\xE4\xB8\xAD", "\xE6\x96\x87\xE5\xAD\x97", "\xF0\x9F\x98\x80",
        "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5", "e\xCC\x81", "\xCC\x81", "\xE2\x80\x8D", "\xEF\xB8\x8F",
        "\x1B[31m", "\x07", "\r", "\x08", "\xE2\x80\xAE", "\xFF", "\xE4", "longlonglonglonglongword",
        "\xEF\xBC\xA1", "    ", "~~~ py\n",
    };
    size_t len = 0;
    *seed = *seed * 1103515245u + 12345u;
    size_t want = (*seed >> 8) % cap;
    while (len + 32 < cap && len < want) {
        *seed = *seed * 1103515245u + 12345u;
        const char *p = pieces[(*seed >> 16) % (sizeof pieces / sizeof pieces[0])];
        memcpy(buf + len, p, strlen(p));
        len += strlen(p);
    }
    return len;
}

static void wrap__keeps_every_line_within_the_width_on_hostile_input(void **state)
{
    (void)state;
    unsigned seed = 2024;
    char buf[600];
    for (int round = 0; round < 1000; round++) {
        size_t len = random_text(&seed, buf, sizeof buf);
        seed = seed * 1103515245u + 12345u;
        int width = 1 + (int)((seed >> 16) % 120);
        free(render(buf, len, width)); /* render asserts the invariant */
    }
}

TEST_MAIN(cmocka_unit_test(wrap__breaks_at_spaces_for_80_40_20_and_9_columns),
          cmocka_unit_test(wrap__drops_spaces_at_a_break_and_keeps_them_inside),
          cmocka_unit_test(wrap__hangs_list_items_and_nests_them),
          cmocka_unit_test(wrap__repeats_quote_bars_on_every_line),
          cmocka_unit_test(wrap__puts_headings_on_their_own_lines),
          cmocka_unit_test(wrap__breaks_cjk_between_any_two_characters),
          cmocka_unit_test(wrap__breaks_a_long_url_by_cluster),
          cmocka_unit_test(wrap__never_reflows_code_and_marks_its_continuations),
          cmocka_unit_test(wrap__never_splits_a_cluster),
          cmocka_unit_test(wrap__degrades_gracefully_on_tiny_widths),
          cmocka_unit_test(wrap__keeps_every_line_within_the_width_on_hostile_input))
