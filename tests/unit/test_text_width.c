/* Unit tests for src/text/width: code point widths and clusters. */
#include "config.h"

#include <string.h>

#include "test.h"
#include "text/width.h"

/* The cluster at the start of s: its length in bytes and its width. */
static size_t first(const char *s, int *w)
{
    return tw_cluster_next(s, strlen(s), w);
}

static void assert_one_cluster(const char *s, int width)
{
    int w = -1;
    assert_int_equal(first(s, &w), strlen(s));
    assert_int_equal(w, width);
}

static void width__ascii_and_latin_are_one_column(void **state)
{
    (void)state;
    assert_int_equal(tw_cp_width('A'), 1);
    assert_int_equal(tw_cp_width(' '), 1);
    assert_int_equal(tw_cp_width(0xE9), 1);  /* é */
    assert_int_equal(tw_cp_width(0x0153), 1); /* œ */
    assert_int_equal(tw_cp_width(0x00AD), 1); /* soft hyphen: terminals draw it */
    assert_int_equal(tw_str_width("hello, world", 12), 12);
    assert_int_equal(tw_str_width("h\xC3\xA9llo", 6), 5);
}

static void width__combining_marks_join_their_base(void **state)
{
    (void)state;
    assert_int_equal(tw_cp_width(0x0301), 0);
    assert_int_equal(tw_cp_width(0x20DD), 0); /* Me: enclosing circle */
    assert_int_equal(tw_cp_width(0x0903), 1); /* Mc: spacing mark */
    assert_one_cluster("e\xCC\x81", 1);              /* e + U+0301 */
    assert_one_cluster("a\xCC\x81\xCC\xA7\xCC\x88", 1); /* three marks */
    assert_int_equal(tw_str_width("caf" "e\xCC\x81", 6), 4);
    /* A mark with nothing before it is a zero-width cluster of its own. */
    assert_one_cluster("\xCC\x81", 0);
}

static void width__cjk_hangul_and_fullwidth_are_two_columns(void **state)
{
    (void)state;
    assert_int_equal(tw_cp_width(0x4E2D), 2);  /* 中 */
    assert_int_equal(tw_cp_width(0x3042), 2);  /* あ */
    assert_int_equal(tw_cp_width(0xAC00), 2);  /* 가 */
    assert_int_equal(tw_cp_width(0xFF21), 2);  /* fullwidth A */
    assert_int_equal(tw_cp_width(0x3000), 2);  /* ideographic space */
    assert_int_equal(tw_cp_width(0x20000), 2); /* CJK extension B */
    assert_int_equal(tw_cp_width(0xFF61), 1);  /* halfwidth katakana stop */
    assert_int_equal(tw_str_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 9), 6); /* 日本語 */
    /* Conjoining jamo: a leading consonant takes its vowel and final. */
    assert_one_cluster("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", 2);
}

static void width__emoji_with_presentation_are_two_columns(void **state)
{
    (void)state;
    assert_int_equal(tw_cp_width(0x1F600), 2); /* 😀 */
    assert_int_equal(tw_cp_width(0x231A), 2);  /* ⌚ */
    assert_int_equal(tw_cp_width(0x1F9E0), 2); /* 🧠 */
    assert_int_equal(tw_cp_width(0x2764), 1);  /* ❤ is text by default */
    assert_one_cluster("\xF0\x9F\x98\x80", 2);
}

static void width__zwj_family_is_one_cluster_of_two(void **state)
{
    (void)state;
    /* 👩‍👩‍👧 */
    assert_one_cluster("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", 2);
    /* 👩🏽‍💻: a skin tone inside the sequence */
    assert_one_cluster("\xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB", 2);
    /* ❤️‍🔥: VS16 then ZWJ */
    assert_one_cluster("\xE2\x9D\xA4\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x94\xA5", 2);
    /* A ZWJ between letters joins nothing: it rides on the first letter. */
    int w;
    assert_int_equal(first("a\xE2\x80\x8D" "b", &w), 4);
    assert_int_equal(w, 1);
    assert_int_equal(tw_str_width("a\xE2\x80\x8D" "b", 5), 2);
}

static void width__flags_pair_regional_indicators(void **state)
{
    (void)state;
    const char *jp = "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5"; /* 🇯🇵 */
    assert_one_cluster(jp, 2);
    /* Three indicators: a flag, then a lone one (drawn as a wide letter). */
    const char *three = "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5\xF0\x9F\x87\xAF";
    int w;
    assert_int_equal(first(three, &w), 8);
    assert_int_equal(w, 2);
    assert_int_equal(tw_str_width(three, 12), 4);
}

static void width__skin_tones_attach_to_modifier_bases_only(void **state)
{
    (void)state;
    assert_one_cluster("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", 2); /* 👍🏽 */
    assert_one_cluster("\xE2\x98\x9D\xF0\x9F\x8F\xBB", 2);     /* ☝🏻: text base made wide */
    /* After a letter a skin tone is a swatch of its own, 2 columns. */
    assert_int_equal(tw_str_width("a\xF0\x9F\x8F\xBD", 5), 3);
}

static void width__keycaps_and_variation_selectors(void **state)
{
    (void)state;
    assert_one_cluster("1\xEF\xB8\x8F\xE2\x83\xA3", 2); /* 1️⃣ */
    assert_one_cluster("#\xE2\x83\xA3", 2);             /* without VS16 */
    assert_one_cluster("\xE2\x9D\xA4\xEF\xB8\x8F", 2);  /* ❤️: VS16 makes it an emoji */
    assert_one_cluster("\xE2\x9D\xA4", 1);
    assert_one_cluster("\xE2\x98\xBA\xEF\xB8\x8E", 1);     /* ☺︎ VS15 */
    assert_one_cluster("\xF0\x9F\x98\x80\xEF\xB8\x8E", 2); /* 😀︎ VS15 keeps the safe width */
    assert_one_cluster("A\xEF\xB8\x8F", 1);                /* VS16 on a letter: nothing */
}

static void width__zero_width_characters_take_no_column(void **state)
{
    (void)state;
    assert_int_equal(tw_cp_width(0x200B), 0); /* ZWSP */
    assert_int_equal(tw_cp_width(0x200C), 0); /* ZWNJ */
    assert_int_equal(tw_cp_width(0x200D), 0); /* ZWJ */
    assert_int_equal(tw_cp_width(0xFE0F), 0);
    assert_int_equal(tw_cp_width(0x2060), 0);  /* word joiner */
    assert_int_equal(tw_cp_width(0xFEFF), 0);  /* BOM */
    assert_int_equal(tw_cp_width(0xE0041), 0); /* tag */
    assert_int_equal(tw_str_width("a\xE2\x80\x8B" "b", 5), 2);
}

static void width__invalid_utf8_is_one_replacement_column(void **state)
{
    (void)state;
    int w;
    assert_int_equal(first("\xFF" "a", &w), 1);
    assert_int_equal(w, 1);
    assert_int_equal(tw_cluster_next("\xE4\xB8", 2, &w), 2); /* cut short */
    assert_int_equal(w, 1);
    assert_int_equal(first("\xE4\xB8X", &w), 2);
    assert_int_equal(w, 1);
    assert_int_equal(first("\xED\xA0\x80", &w), 1); /* a surrogate */
    assert_int_equal(tw_str_width("\xED\xA0\x80", 3), 3);
    /* A control never takes marks: a newline stays one byte. */
    assert_int_equal(first("\n\xCC\x81", &w), 1);
}

static void width__clusters_cover_any_bytes_and_stay_within_two_columns(void **state)
{
    (void)state;
    static const char *pieces[] = {"a", " ", "\xCC\x81", "\xE2\x80\x8D", "\xEF\xB8\x8F", "\xE4\xB8\xAD",
                                   "\xF0\x9F\x98\x80", "\xF0\x9F\x87\xAF", "\xF0\x9F\x8F\xBD", "\xFF",
                                   "\xE4", "\xE2\x83\xA3", "1", "\x1B", "\n"};
    unsigned seed = 12345;
    char buf[256];
    for (int round = 0; round < 2000; round++) {
        size_t len = 0;
        while (len < sizeof buf - 8) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
            if ((seed >> 8) % 13 == 0)
                break;
        }
        size_t i = 0, cols = 0;
        while (i < len) {
            int w = -1;
            size_t n = tw_cluster_next(buf + i, len - i, &w);
            assert_true(n >= 1 && n <= len - i);
            assert_true(w >= 0 && w <= 2);
            i += n;
            cols += (size_t)w;
        }
        assert_int_equal(cols, tw_str_width(buf, len));
    }
}

TEST_MAIN(cmocka_unit_test(width__ascii_and_latin_are_one_column),
          cmocka_unit_test(width__combining_marks_join_their_base),
          cmocka_unit_test(width__cjk_hangul_and_fullwidth_are_two_columns),
          cmocka_unit_test(width__emoji_with_presentation_are_two_columns),
          cmocka_unit_test(width__zwj_family_is_one_cluster_of_two),
          cmocka_unit_test(width__flags_pair_regional_indicators),
          cmocka_unit_test(width__skin_tones_attach_to_modifier_bases_only),
          cmocka_unit_test(width__keycaps_and_variation_selectors),
          cmocka_unit_test(width__zero_width_characters_take_no_column),
          cmocka_unit_test(width__invalid_utf8_is_one_replacement_column),
          cmocka_unit_test(width__clusters_cover_any_bytes_and_stay_within_two_columns))
