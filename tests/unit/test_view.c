/* Unit tests for src/view: layout geometry, scrolling, the command table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "view/commands.h"
#include "view/layout.h"
#include "view/scroll.h"

/* ------------------------------------------------------------- layout */

static bool overlap(rect a, rect b)
{
    if (!a.h || !a.w || !b.h || !b.w)
        return false;
    return a.y < b.y + b.h && b.y < a.y + a.h && a.x < b.x + b.w && b.x < a.x + a.w;
}

static void check_layout(int rows, int cols, const layout_opts *o)
{
    layout l;
    layout_compute(rows, cols, o, &l);
    rect all[] = {l.sidebar, l.title, l.conv, l.typing, l.drafts, l.status, l.input};
    size_t n = sizeof all / sizeof *all;
    int area = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(all[i].h >= 0 && all[i].w >= 0);
        if (all[i].h && all[i].w) {
            assert_true(all[i].y >= 0 && all[i].x >= 0);
            assert_true(all[i].y + all[i].h <= rows);
            assert_true(all[i].x + all[i].w <= cols);
        }
        area += all[i].h * all[i].w;
        for (size_t j = i + 1; j < n; j++)
            assert_false(overlap(all[i], all[j]));
    }
    assert_true(area <= rows * cols);
    /* The input line always exists. */
    assert_true(l.input.h >= 1);
    assert_int_equal(l.input.w, cols);
}

static void layout__fits_every_pane_at_every_size(void **state)
{
    (void)state;
    layout_opts o = {0};
    for (int rows = 1; rows <= 60; rows += 1) {
        for (int cols = 1; cols <= 220; cols += 7) {
            for (int v = 0; v < 8; v++) {
                o.drafts_open = v & 1;
                o.typing = v & 2;
                o.input_lines = (v & 4) ? 4 : 1;
                o.ndrafts = 3;
                check_layout(rows, cols, &o);
            }
        }
    }
}

static void layout__gives_80x24_a_sidebar_and_a_usable_conversation(void **state)
{
    (void)state;
    layout_opts o = {0};
    o.input_lines = 1;
    layout l;
    layout_compute(24, 80, &o, &l);
    assert_true(l.sidebar_visible);
    assert_int_equal(l.sidebar.w, 20);
    assert_int_equal(l.conv.x, 21);
    assert_int_equal(l.conv.w, 59);
    assert_int_equal(l.status.y, 22);
    assert_int_equal(l.input.y, 23);
    assert_int_equal(l.title.h, 1);
    assert_int_equal(l.conv.h, 21);
    /* A typing preview and the drafts queue take from the conversation. */
    o.typing = true;
    o.drafts_open = true;
    o.ndrafts = 2;
    layout_compute(24, 80, &o, &l);
    assert_int_equal(l.typing.h, 1);
    assert_int_equal(l.drafts.h, 5);
    assert_int_equal(l.conv.h, 21 - 6);
    assert_int_equal(l.drafts.y, l.typing.y + 1);
}

static void layout__hides_the_sidebar_on_narrow_screens(void **state)
{
    (void)state;
    layout_opts o = {0};
    layout l;
    layout_compute(24, 59, &o, &l);
    assert_false(l.sidebar_visible);
    assert_int_equal(l.conv.x, 0);
    assert_int_equal(l.conv.w, 59);
    layout_compute(50, 200, &o, &l);
    assert_int_equal(l.sidebar.w, 32);
    o.sidebar_hidden = true;
    layout_compute(50, 200, &o, &l);
    assert_false(l.sidebar_visible);
}

/* ------------------------------------------------------------- scroll */

typedef struct heights {
    int *h;
    size_t n;
    size_t calls;
} heights;

static int height_of(void *ud, size_t i)
{
    heights *hs = ud;
    hs->calls++;
    return hs->h[i];
}

static void scroll__follows_the_bottom_until_scrolled_up(void **state)
{
    (void)state;
    int h[] = {3, 1, 4, 1, 5, 9, 2, 6};
    heights hs = {h, 8, 0};
    scroll_state s;
    scroll_init(&s);
    scroll_view v = scroll_resolve(&s, 8, 10, height_of, &hs);
    /* The last 10 lines: 6 + 2 + 2 of the 9-line item. */
    assert_int_equal(v.first, 5);
    assert_int_equal(v.skip, 7);
    assert_true(v.at_bottom);
    scroll_by(&s, 8, 10, -3, height_of, &hs);
    assert_false(s.follow);
    v = scroll_resolve(&s, 8, 10, height_of, &hs);
    assert_int_equal(v.first, 5);
    assert_int_equal(v.skip, 4);
    /* New items do not move the view; they are counted. */
    scroll_added(&s, 2);
    assert_int_equal(s.new_below, 2);
    v = scroll_resolve(&s, 8, 10, height_of, &hs);
    assert_int_equal(v.first, 5);
    assert_int_equal(v.skip, 4);
    /* Scrolling back down to the bottom follows again. */
    scroll_by(&s, 8, 10, 100, height_of, &hs);
    assert_true(s.follow);
    assert_int_equal(s.new_below, 0);
}

static void scroll__moves_across_items_both_ways(void **state)
{
    (void)state;
    int h[] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    heights hs = {h, 10, 0};
    scroll_state s;
    scroll_init(&s);
    scroll_by(&s, 10, 4, -5, height_of, &hs); /* bottom starts at item 8 */
    scroll_view v = scroll_resolve(&s, 10, 4, height_of, &hs);
    assert_int_equal(v.first, 5);
    assert_int_equal(v.skip, 1);
    scroll_by(&s, 10, 4, 3, height_of, &hs);
    v = scroll_resolve(&s, 10, 4, height_of, &hs);
    assert_int_equal(v.first, 7);
    assert_int_equal(v.skip, 0);
    scroll_home(&s, 10);
    v = scroll_resolve(&s, 10, 4, height_of, &hs);
    assert_int_equal(v.first, 0);
    assert_int_equal(v.skip, 0);
    scroll_by(&s, 10, 4, -5, height_of, &hs);
    v = scroll_resolve(&s, 10, 4, height_of, &hs);
    assert_int_equal(v.first, 0); /* cannot go above the top */
    scroll_end(&s);
    assert_true(s.follow);
}

static void scroll__cost_does_not_grow_with_history(void **state)
{
    (void)state;
    size_t n = 100000;
    int *h = malloc(n * sizeof *h);
    for (size_t i = 0; i < n; i++)
        h[i] = 1 + (int)(i % 3);
    heights hs = {h, n, 0};
    scroll_state s;
    scroll_init(&s);
    scroll_resolve(&s, n, 50, height_of, &hs);
    assert_true(hs.calls < 100);
    hs.calls = 0;
    scroll_by(&s, n, 50, -50, height_of, &hs);
    scroll_resolve(&s, n, 50, height_of, &hs);
    assert_true(hs.calls < 300);
    free(h);
}

static void scroll__short_history_never_leaves_a_gap(void **state)
{
    (void)state;
    int h[] = {1, 1};
    heights hs = {h, 2, 0};
    scroll_state s;
    scroll_init(&s);
    scroll_by(&s, 2, 10, -1, height_of, &hs);
    scroll_view v = scroll_resolve(&s, 2, 10, height_of, &hs);
    assert_int_equal(v.first, 0);
    assert_int_equal(v.skip, 0);
    assert_true(v.at_bottom);
    v = scroll_resolve(&s, 0, 10, height_of, &hs);
    assert_int_equal(v.first, 0);
}

/* ------------------------------------------------------------ commands */

static void commands__parse_quoted_arguments_and_keep_the_rest(void **state)
{
    (void)state;
    cmd_parsed p;
    char *err = NULL;
    assert_int_equal(cmd_parse("/new cust_1 shadow -s \"be brief\" tier=gold", &p, &err), 0);
    assert_int_equal(p.def->id, CMD_NEW);
    assert_int_equal(p.argc, 5);
    assert_string_equal(p.argv[0], "cust_1");
    assert_string_equal(p.argv[3], "be brief");
    assert_string_equal(p.rest, "cust_1 shadow -s \"be brief\" tier=gold");
    cmd_parsed_free(&p);
    assert_int_equal(cmd_parse("/reject 2 too \"pushy\" ", &p, &err), 0);
    assert_string_equal(p.rest, "2 too \"pushy\"");
    assert_int_equal(p.argc, 3);
    cmd_parsed_free(&p);
}

static void commands__explain_unknown_commands_and_missing_arguments(void **state)
{
    (void)state;
    cmd_parsed p;
    char *err = NULL;
    assert_int_equal(cmd_parse("/aprove", &p, &err), -1);
    assert_string_equal(err, "unknown command /aprove: did you mean /approve? (F1 lists them all)");
    free(err);
    assert_int_equal(cmd_parse("/zzzzzz", &p, &err), -1);
    assert_string_equal(err, "unknown command /zzzzzz (F1 lists them all)");
    free(err);
    assert_int_equal(cmd_parse("/mode", &p, &err), -1);
    assert_string_equal(err, "usage: /mode ai|shadow|takeover");
    free(err);
    assert_int_equal(cmd_parse("/search \"open", &p, &err), -1);
    assert_string_equal(err, "/search: a quote is not closed");
    free(err);
}

static const char *const models[] = {"gpt-4o", "gpt-4o-mini", "grok-2"};

static const char *const *cands(void *ud, cmd_arg kind, size_t *n)
{
    (void)ud;
    if (kind == ARG_MODEL) {
        *n = 3;
        return models;
    }
    *n = 0;
    return NULL;
}

static void commands__complete_names_and_arguments(void **state)
{
    (void)state;
    size_t start = 99;
    char **m = cmd_complete("/ap", 3, cands, NULL, &start);
    assert_int_equal(start, 0);
    assert_string_equal(m[0], "/approve ");
    assert_null(m[1]);
    cmd_matches_free(m);
    m = cmd_complete("/mode sh", 8, cands, NULL, &start);
    assert_int_equal(start, 6);
    assert_string_equal(m[0], "shadow ");
    cmd_matches_free(m);
    m = cmd_complete("/chat gpt", 9, cands, NULL, &start);
    assert_string_equal(m[0], "gpt-4o");
    assert_string_equal(m[1], "gpt-4o-mini");
    assert_null(m[2]);
    cmd_matches_free(m);
    m = cmd_complete("/c", 2, cands, NULL, &start);
    size_t k = 0;
    while (m[k])
        k++;
    assert_int_equal(k, 6); /* /chat /cancel /close /compare /continue /copy */
    cmd_matches_free(m);
    assert_null(cmd_complete("/quit x", 7, cands, NULL, &start));
    /* /gate: subcommands, options, and option values. */
    m = cmd_complete("/gate se", 8, cands, NULL, &start);
    assert_string_equal(m[0], "session ");
    cmd_matches_free(m);
    m = cmd_complete("/gate session --v", 17, cands, NULL, &start);
    assert_string_equal(m[0], "--voice ");
    cmd_matches_free(m);
    m = cmd_complete("/gate session --voice no", 24, cands, NULL, &start);
    assert_string_equal(m[0], "nova ");
    cmd_matches_free(m);
    m = cmd_complete("/gate session --model gpt-4o-mini", 33, cands, NULL, &start);
    assert_string_equal(m[0], "gpt-4o-mini-realtime-preview-2024-12-17 ");
    cmd_matches_free(m);
    m = cmd_complete("/gate copy c", 12, cands, NULL, &start);
    assert_string_equal(m[0], "curl ");
    cmd_matches_free(m);
    assert_null(cmd_complete("hello", 5, cands, NULL, &start));
}

static void commands__table_and_help_agree(void **state)
{
    (void)state;
    size_t n;
    const cmd_def *t = cmd_table(&n);
    assert_int_equal(n, CMD_COUNT);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].id, (cmd_id)i);
        assert_true(strlen(t[i].help) > 5);
        assert_ptr_equal(cmd_find(t[i].name), &t[i]);
    }
    size_t nk;
    const key_def *k = key_table(&nk);
    assert_true(nk > 10);
    assert_non_null(k[0].keys);
}

/* The man page documents every command the console knows. */
static void commands__are_all_in_the_man_page(void **state)
{
    (void)state;
    const char *src = getenv("AIDESK_SRCDIR");
    if (!src || !*src)
        skip();
    char path[512];
    snprintf(path, sizeof path, "%s/docs/aidesk.1", src);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char page[1 << 17];
    size_t n = fread(page, 1, sizeof page - 1, f);
    fclose(f);
    page[n] = '\0';
    size_t nc;
    const cmd_def *t = cmd_table(&nc);
    for (size_t i = 0; i < nc; i++) {
        char want[64];
        snprintf(want, sizeof want, "/%s", t[i].name);
        if (!strstr(page, want)) {
            print_error("docs/aidesk.1 does not mention %s\n", want);
            fail();
        }
    }
}

TEST_MAIN(cmocka_unit_test(layout__fits_every_pane_at_every_size),
          cmocka_unit_test(layout__gives_80x24_a_sidebar_and_a_usable_conversation),
          cmocka_unit_test(layout__hides_the_sidebar_on_narrow_screens),
          cmocka_unit_test(scroll__follows_the_bottom_until_scrolled_up),
          cmocka_unit_test(scroll__moves_across_items_both_ways),
          cmocka_unit_test(scroll__cost_does_not_grow_with_history),
          cmocka_unit_test(scroll__short_history_never_leaves_a_gap),
          cmocka_unit_test(commands__parse_quoted_arguments_and_keep_the_rest),
          cmocka_unit_test(commands__explain_unknown_commands_and_missing_arguments),
          cmocka_unit_test(commands__complete_names_and_arguments),
          cmocka_unit_test(commands__table_and_help_agree),
          cmocka_unit_test(commands__are_all_in_the_man_page))
