/* Unit tests for src/text/md: blocks, inline markup and placeholders. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "text/md.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

static const char *const kind_names[MD_KIND_COUNT] = {
    "text", "em", "strong", "code", "cb", "h", "lm", "q", "link", "url", "ph",
};

/* The document as one string: a block per line, "TYPE:" (P, H<level>,
 * I<depth>, C, F; then qN for quotes and "b" when a blank line precedes)
 * and its spans as kind"text", attributes as +e / +s where the kind does
 * not say so already. */
static char *dump_doc(const md_doc *d)
{
    static const char types[] = "PHICF";
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < d->nblocks; i++) {
        const md_block *bl = &d->blocks[i];
        buf_append_char(&b, types[bl->type]);
        if (bl->type == MD_BLOCK_HEADING || bl->type == MD_BLOCK_ITEM)
            buf_printf(&b, "%u", bl->level);
        if (bl->quote)
            buf_printf(&b, "q%u", bl->quote);
        if (bl->blank)
            buf_append_char(&b, 'b');
        buf_append_char(&b, ':');
        for (uint32_t k = 0; k < bl->span_count; k++) {
            const md_span *s = &d->spans[bl->span_first + k];
            buf_printf(&b, " %s", kind_names[s->kind]);
            if ((s->attr & MD_ATTR_EMPH) && s->kind != MD_EMPH)
                buf_append_str(&b, "+e");
            if ((s->attr & MD_ATTR_STRONG) && s->kind != MD_STRONG)
                buf_append_str(&b, "+s");
            buf_printf(&b, "\"%.*s\"", (int)s->len, d->text.data + s->off);
        }
        if (i + 1 < d->nblocks)
            buf_append_char(&b, '\n');
    }
    return buf_steal(&b);
}

static void check(const char *input, const char *expected)
{
    md_doc d;
    md_init(&d);
    md_parse(&d, input, strlen(input));
    char *got = dump_doc(&d);
    assert_string_equal(got, expected);
    free(got);
    md_free(&d);
}

static void md__paragraph_keeps_its_line_breaks(void **state)
{
    (void)state;
    check("hello world", "P: text\"hello world\"");
    check("one\ntwo\n\nthree", "P: text\"one\ntwo\"\nPb: text\"three\"");
    check("\n\n  lead\n\n\n\ntrail\n\n", "P: text\"lead\"\nPb: text\"trail\"");
    check("crlf\r\nline\r\n", "P: text\"crlf\nline\"");
}

static void md__headings_take_one_to_six_hashes(void **state)
{
    (void)state;
    check("# One\n## Two\n### Three ###", "H1: h\"One\"\nH2: h\"Two\"\nH3: h\"Three\"");
    check("#nospace\n####### seven", "P: text\"#nospace\n####### seven\"");
    check("## C# and *F#*", "H2: h\"C# and \" em\"F#\"");
    check("text\n# heading\nmore", "P: text\"text\"\nH1: h\"heading\"\nP: text\"more\"");
}

static void md__lists_nest_by_indentation(void **state)
{
    (void)state;
    check("- one\n* two\n+ three", "I0: lm\"\xE2\x80\xA2\" text\" one\"\nI0: lm\"\xE2\x80\xA2\" text\" two\"\n"
                                   "I0: lm\"\xE2\x80\xA2\" text\" three\"");
    check("1. first\n2) second\n10. tenth", "I0: lm\"1.\" text\" first\"\nI0: lm\"2)\" text\" second\"\n"
                                            "I0: lm\"10.\" text\" tenth\"");
    check("- a\n  - b\n    - c\n  - d\n- e",
          "I0: lm\"\xE2\x80\xA2\" text\" a\"\nI1: lm\"\xE2\x97\xA6\" text\" b\"\n"
          "I2: lm\"\xE2\x96\xAA\" text\" c\"\nI1: lm\"\xE2\x97\xA6\" text\" d\"\nI0: lm\"\xE2\x80\xA2\" text\" e\"");
    /* A continuation line belongs to the item, with its break. */
    check("- item\n  goes on\nlazily", "I0: lm\"\xE2\x80\xA2\" text\" item\ngoes on\nlazily\"");
    /* Not markers: no space after, a thematic break, a bold start. */
    check("-1\n---\n**b** x", "P: text\"-1\n---\n\" strong\"b\" text\" x\"");
}

static void md__list_items_hang_and_nest_on_screen(void **state)
{
    (void)state;
    md_doc d;
    md_init(&d);
    const char *in = "- a\n  1. b\n\n     para in b\n- c\n\nafter";
    md_parse(&d, in, strlen(in));
    assert_int_equal(d.nblocks, 5);
    assert_int_equal(d.blocks[0].indent, 0);
    assert_int_equal(d.blocks[0].hang, 2);
    assert_int_equal(d.blocks[1].indent, 2); /* under a's text */
    assert_int_equal(d.blocks[1].hang, 5);   /* "1. " */
    assert_int_equal(d.blocks[2].type, MD_BLOCK_PARA);
    assert_int_equal(d.blocks[2].indent, 5); /* inside b after a blank line */
    assert_int_equal(d.blocks[3].indent, 0);
    assert_int_equal(d.blocks[4].indent, 0); /* the list ended */
    md_free(&d);
}

static void md__quotes_hold_paragraphs_and_lists(void **state)
{
    (void)state;
    check("> quoted\n> text\n>> deeper\n\nout",
          "Pq1: q\"quoted\ntext\"\nPq2: q\"deeper\"\nPb: text\"out\"");
    check("> - item *em*\n>\n> # head", "I0q1: lm\"\xE2\x80\xA2\" text\" \" q\"item \" em\"em\"\nH1q1b: h\"head\"");
    check(">no space", "Pq1: q\"no space\"");
}

static void md__fenced_code_keeps_lines_and_language(void **state)
{
    (void)state;
    check("```python\nx = *1*\n\n  y\n```\nafter",
          "F: cb\"python\"\nC: cb\"x = *1*\"\nC:\nC: cb\"  y\"\nP: text\"after\"");
    check("~~~\ncode\n~~~", "C: cb\"code\"");
    /* The closing fence must be as long as the opening one. */
    check("````\n```\n````", "C: cb\"```\"");
    /* Backticks in the info string: not a fence. */
    check("``` a`b\nx", "P: text\"``` a`b\nx\"");
    /* Indented under a list item: the item's indentation is stripped. */
    check("1. run\n   ```sh\n   ls -l\n   ```", "I0: lm\"1.\" text\" run\"\nF: cb\"sh\"\nC: cb\"ls -l\"");
}

static void md__unclosed_fence_runs_to_the_end_while_streaming(void **state)
{
    (void)state;
    md_doc d;
    md_init(&d);
    md_append(&d, "text\n```c\nint x;\n# not a heading", 32);
    md_update(&d);
    char *got = dump_doc(&d);
    assert_string_equal(got, "P: text\"text\"\nF: cb\"c\"\nC: cb\"int x;\"\nC: cb\"# not a heading\"");
    free(got);
    md_append(&d, "\n```\n# now one", 14);
    md_update(&d);
    got = dump_doc(&d);
    assert_string_equal(got, "P: text\"text\"\nF: cb\"c\"\nC: cb\"int x;\"\nC: cb\"# not a heading\"\n"
                             "H1: h\"now one\"");
    free(got);
    md_free(&d);
}

static void md__tabs_expand_to_stops_in_code_and_to_a_space_elsewhere(void **state)
{
    (void)state;
    check("```\n\tx\nab\tc\n\xE4\xB8\xAD\td\n```", "C: cb\"    x\"\nC: cb\"ab  c\"\nC: cb\"\xE4\xB8\xAD  d\"");
    check("a\tb", "P: text\"a b\"");
}

static void md__inline_code_hides_its_backticks(void **state)
{
    (void)state;
    check("use `ls *` now", "P: text\"use \" code\"ls *\" text\" now\"");
    check("``a ` b``", "P: code\"a ` b\"");
    check("`unclosed *x*", "P: text\"`unclosed \" em\"x\"");
    check("**`bold code`**", "P: code+s\"bold code\"");
}

static void md__emphasis_and_strong(void **state)
{
    (void)state;
    check("*a* _b_ **c** __d__", "P: em\"a\" text\" \" em\"b\" text\" \" strong\"c\" text\" \" strong\"d\"");
    check("***both***", "P: strong+e\"both\"");
    check("**bold *and em* bold**", "P: strong\"bold \" strong+e\"and em\" strong\" bold\"");
    check("**Note:** text", "P: strong\"Note:\" text\" text\"");
    check("*open only", "P: text\"*open only\"");
    check("**foo*", "P: text\"*\" em\"foo\"");
    check("* not em*", "I0: lm\"\xE2\x80\xA2\" text\" not em*\"");
    check("**across\nlines**", "P: strong\"across\nlines\"");
}

static void md__emphasis_never_starts_inside_words_or_numbers(void **state)
{
    (void)state;
    check("2*3*4 = 24", "P: text\"2*3*4 = 24\"");
    check("snake_case_words and __init__", "P: text\"snake_case_words and \" strong\"init\"");
    check("a * b * c", "P: text\"a * b * c\"");
    check("\xE6\x97\xA5**\xE6\x9C\xAC**\xE8\xAA\x9E", "P: text\"\xE6\x97\xA5\" strong\"\xE6\x9C\xAC\" text\"\xE8\xAA\x9E\"");
}

static void md__links_show_text_then_url(void **state)
{
    (void)state;
    check("see [the docs](https://x.org/a_b_(c)) now",
          "P: text\"see \" link\"the docs\" text\" \" url\"(https://x.org/a_b_(c))\" text\" now\"");
    check("[https://x.org](https://x.org)", "P: link\"https://x.org\"");
    check("[**bold** link](u)", "P: link+s\"bold\" link\" link\" text\" \" url\"(u)\"");
    check("[not a link] (u) [x](has space)", "P: text\"[not a link] (u) [x](has space)\"");
}

static void md__backslash_escapes_hide_the_backslash(void **state)
{
    (void)state;
    /* Each hidden backslash leaves a gap between spans. */
    check("\\*not em\\* \\\\ \\a", "P: text\"*not em\" text\"* \" text\"\\ \\a\"");
}

static void md__terminal_escapes_become_placeholders(void **state)
{
    (void)state;
    /* ESC [31m: the escape is shown as a picture, the rest as text. */
    check("a\x1B[31mred", "P: text\"a\" ph\"\xE2\x90\x9B\" text\"[31mred\"");
    /* OSC 52 (clipboard write), terminated by BEL. */
    check("\x1B]52;c;SGk=\x07", "P: ph\"\xE2\x90\x9B\" text\"]52;c;SGk=\" ph\"\xE2\x90\x87\"");
    check("over\rwrite back\x08", "P: text\"over\" ph\"\xE2\x90\x8D\" text\"write back\" ph\"\xE2\x90\x88\"");
    check("\xE2\x80\xAE" "evil", "P: ph\"<U+202E>\" text\"evil\"");
    check("bad \xFF\xFE", "P: text\"bad \" ph\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    check("\xC2\x9B" "2J", "P: ph\"<U+009B>\" text\"2J\"");
    /* In code too: placeholders are never mistaken for code. */
    check("`a\x1B" "b`\n```\nx\x1B" "y", "P: code\"a\" ph\"\xE2\x90\x9B\" code\"b\"\nC: cb\"x\" ph\"\xE2\x90\x9B\" cb\"y\"");
}

static void md__sanitises_exactly_as_util_sanitize(void **state)
{
    (void)state;
    const char in[] = "a\x1B[2Jb\r\nc\rd\te\x7F\xC2\x85\xE2\x80\x8B\xF3\xA0\x80\x81\xED\xA0\x80\xF4\x90\x80\x80z\xE4";
    md_doc d;
    md_init(&d);
    md_parse(&d, in, sizeof in - 1);
    char *want = sanitize_dup(in, sizeof in - 1, SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
    size_t len;
    const char *got = md_sanitized(&d, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(want);
    md_free(&d);
}

static void md__shows_zwj_and_zwnj_outside_emoji_sequences(void **state)
{
    (void)state;
    check("a\xE2\x80\x8D" "b\xE2\x80\x8C" "c", "P: text\"a\" ph\"<U+200D>\" text\"b\" ph\"<U+200C>\" text\"c\"");
    /* A family: one picture, its ZWJs kept. */
    check("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",
          "P: text\"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\"");
    check("\xF0\x9F\x91\xA9\xE2\x80\x8D" "x", "P: text\"\xF0\x9F\x91\xA9\" ph\"<U+200D>\" text\"x\"");
    /* U+0000, held as C0 80, is the NUL picture. */
    check("a\xC0\x80" "b", "P: text\"a\" ph\"\xE2\x90\x80\" text\"b\"");
    /* The same text, sanitised here and by util/sanitize, arriving in any
     * two pieces while streaming. */
    const char in[] = "\xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB a\xE2\x80\x8D"
                      "\xF0\x9F\x91\xA9\xE2\x80\x8D \xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88"
                      "\xE2\x80\x8D";
    char *want = sanitize_dup(in, sizeof in - 1, SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
    for (size_t cut = 0; cut < sizeof in; cut++) {
        md_doc d;
        md_init(&d);
        md_append(&d, in, cut);
        md_update(&d);
        md_append(&d, in + cut, sizeof in - 1 - cut);
        md_finish(&d);
        md_update(&d);
        size_t len;
        const char *got = md_sanitized(&d, &len);
        if (len != strlen(want) || memcmp(got, want, len))
            fail_msg("cut at %zu: '%.*s', want '%s'", cut, (int)len, got, want);
        md_free(&d);
    }
    free(want);
}

static void md__streaming_holds_back_a_partial_character(void **state)
{
    (void)state;
    md_doc d;
    md_init(&d);
    md_append(&d, "x\xE4\xB8", 3);
    md_update(&d);
    size_t len;
    md_sanitized(&d, &len);
    assert_int_equal(len, 1);
    md_append(&d, "\xAD", 1);
    md_update(&d);
    md_sanitized(&d, &len);
    assert_int_equal(len, 4);
    md_append(&d, "a\r", 2);
    md_update(&d);
    md_sanitized(&d, &len);
    assert_int_equal(len, 5); /* the CR may be half of a CRLF */
    md_finish(&d);
    md_update(&d);
    char *got = dump_doc(&d);
    assert_string_equal(got, "P: text\"x\xE4\xB8\xAD" "a\" ph\"\xE2\x90\x8D\"");
    free(got);
    md_free(&d);
}

TEST_MAIN(cmocka_unit_test(md__paragraph_keeps_its_line_breaks),
          cmocka_unit_test(md__headings_take_one_to_six_hashes),
          cmocka_unit_test(md__lists_nest_by_indentation),
          cmocka_unit_test(md__list_items_hang_and_nest_on_screen),
          cmocka_unit_test(md__quotes_hold_paragraphs_and_lists),
          cmocka_unit_test(md__fenced_code_keeps_lines_and_language),
          cmocka_unit_test(md__unclosed_fence_runs_to_the_end_while_streaming),
          cmocka_unit_test(md__tabs_expand_to_stops_in_code_and_to_a_space_elsewhere),
          cmocka_unit_test(md__inline_code_hides_its_backticks),
          cmocka_unit_test(md__emphasis_and_strong),
          cmocka_unit_test(md__emphasis_never_starts_inside_words_or_numbers),
          cmocka_unit_test(md__links_show_text_then_url),
          cmocka_unit_test(md__backslash_escapes_hide_the_backslash),
          cmocka_unit_test(md__terminal_escapes_become_placeholders),
          cmocka_unit_test(md__sanitises_exactly_as_util_sanitize),
          cmocka_unit_test(md__streaming_holds_back_a_partial_character),
          cmocka_unit_test(md__shows_zwj_and_zwnj_outside_emoji_sequences))
