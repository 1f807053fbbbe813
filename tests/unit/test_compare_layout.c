/* Unit tests for the comparison's column layout: 1 to 12 columns at 80x24
 * and 200x50 (and many other sizes): inside the area, no overlap, every
 * column reachable by paging, zoom, page labels. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "test.h"
#include "view/compare_layout.h"

static bool overlap(rect a, rect b)
{
    if (!a.h || !a.w || !b.h || !b.w)
        return false;
    return a.y < b.y + b.h && b.y < a.y + a.h && a.x < b.x + b.w && b.x < a.x + a.w;
}

static bool inside(rect r, rect area)
{
    if (!r.h || !r.w)
        return r.h >= 0 && r.w >= 0;
    return r.y >= area.y && r.x >= area.x && r.y + r.h <= area.y + area.h &&
           r.x + r.w <= area.x + area.w;
}

static bool within(rect r, rect box)
{
    return inside(r, box);
}

/* Checks one layout and returns the columns it shows as a bit set. */
static unsigned check(rect area, int ncols, int header, int first, int zoom, compare_layout *l)
{
    compare_layout_opts o = {ncols, header, zoom, first};
    compare_layout_compute(area, &o, l);
    assert_true(l->nshown >= 1 && l->nshown <= ncols);
    assert_true(inside(l->bar, area));
    unsigned seen = 0;
    for (int i = 0; i < l->nshown; i++) {
        const compare_layout_col *c = &l->cols[i];
        assert_true(c->index >= 0 && c->index < ncols);
        assert_false(seen & (1u << c->index));
        seen |= 1u << c->index;
        assert_true(c->box.w > 0 && c->box.h > 0);
        assert_true(inside(c->box, area));
        assert_true(within(c->header, c->box));
        assert_true(within(c->body, c->box));
        assert_false(overlap(c->header, c->body));
        assert_false(overlap(c->box, l->bar));
        for (int j = i + 1; j < l->nshown; j++)
            assert_false(overlap(c->box, l->cols[j].box));
        /* Borders are not content. */
        if (c->border_left)
            assert_true(c->header.x == c->box.x + 1 && c->body.x == c->box.x + 1);
    }
    if (zoom < 0) {
        assert_int_equal(l->nshown, l->per_page);
        assert_true(l->per_row >= 1 && l->per_row <= CMPL_MAX_SIDE);
        assert_int_equal(l->paged, l->per_page < ncols);
        /* Shown columns are consecutive from first. */
        for (int i = 0; i < l->nshown; i++)
            assert_int_equal(l->cols[i].index, l->first + i);
    }
    return seen;
}

/* Every column is on some page, reached with compare_layout_page from the start. */
static void check_size(int rows, int cols, int header)
{
    rect area = {0, 0, rows, cols};
    for (int n = 1; n <= CMPL_MAX_COLS; n++) {
        compare_layout l;
        unsigned seen = check(area, n, header, 0, -1, &l);
        int first = 0, guard = 0;
        while (first + l.per_page < n && guard++ < 20) {
            int next = compare_layout_page(first, l.per_page, n, 1);
            assert_true(next > first);
            first = next;
            seen |= check(area, n, header, first, -1, &l);
        }
        assert_int_equal(seen, (1u << n) - 1);
        /* And each column directly: compare_layout_first_for puts it on screen. */
        for (int col = 0; col < n; col++) {
            int f = compare_layout_first_for(0, l.per_page, n, col);
            unsigned s = check(area, n, header, f, -1, &l);
            assert_true(s & (1u << col));
            /* Zoomed: one column over the whole area below the bar. */
            check(area, n, header, 0, col, &l);
            assert_int_equal(l.nshown, 1);
            assert_int_equal(l.cols[0].index, col);
            assert_int_equal(l.cols[0].box.w, cols);
        }
    }
}

static void layout__one_to_twelve_columns_at_80x24(void **state)
{
    (void)state;
    check_size(24, 80, 4);
    rect area = {0, 0, 24, 80};
    compare_layout l;
    /* 2 and 3 side by side; 24 cells each at least. */
    check(area, 3, 4, 0, -1, &l);
    assert_int_equal(l.per_row, 3);
    assert_int_equal(l.rows, 1);
    assert_false(l.paged);
    for (int i = 0; i < 3; i++)
        assert_true(l.cols[i].box.w >= CMPL_MIN_COL_W);
    /* 12 do not fit: two rows of three, paged, "columns 1-6 of 12". */
    check(area, 12, 4, 0, -1, &l);
    assert_true(l.paged);
    assert_int_equal(l.per_row, 3);
    assert_int_equal(l.rows, 2);
    char buf[64];
    assert_string_equal(compare_layout_page_label(&l, 12, false, buf, sizeof buf), "columns 1-6 of 12");
    check(area, 12, 4, 4, -1, &l);
    assert_string_equal(compare_layout_page_label(&l, 12, false, buf, sizeof buf), "columns 5-10 of 12");
    check(area, 12, 4, 99, -1, &l); /* clamped to the last page */
    assert_int_equal(l.first, 6);
    assert_string_equal(compare_layout_page_label(&l, 12, false, buf, sizeof buf), "columns 7-12 of 12");
    check(area, 12, 4, 0, 1, &l);
    assert_string_equal(compare_layout_page_label(&l, 12, true, buf, sizeof buf), "column 2 of 12 (zoomed)");
}

static void layout__one_to_twelve_columns_at_200x50(void **state)
{
    (void)state;
    check_size(50, 200, 4);
    rect area = {0, 0, 50, 200};
    compare_layout l;
    check(area, 6, 4, 0, -1, &l);
    assert_int_equal(l.per_row, 6);
    assert_int_equal(l.rows, 1);
    /* 7 to 12 stack in two rows, all on one page. */
    for (int n = 7; n <= 12; n++) {
        check(area, n, 4, 0, -1, &l);
        assert_int_equal(l.rows, 2);
        assert_false(l.paged);
        assert_int_equal(l.per_page, n);
    }
    char buf[64];
    assert_string_equal(compare_layout_page_label(&l, 12, false, buf, sizeof buf), "12 columns");
    /* The second row's columns have a top border, the first row's none. */
    assert_false(l.cols[0].border_top);
    assert_true(l.cols[6].border_top);
    assert_int_equal(l.cols[6].header.y, l.cols[6].box.y + 1);
    assert_int_equal(l.cols[0].header.h, 4);
}

static void layout__survives_tiny_and_odd_sizes(void **state)
{
    (void)state;
    for (int rows = 1; rows <= 60; rows += 3)
        for (int cols = 1; cols <= 230; cols += 11)
            for (int n = 1; n <= CMPL_MAX_COLS; n += 1) {
                compare_layout l;
                rect area = {2, 3, rows, cols};
                check(area, n, 3, 0, -1, &l);
                check(area, n, 0, n, -1, &l);
            }
    compare_layout l;
    compare_layout_opts none = {0, 3, -1, 0};
    compare_layout_compute((rect){0, 0, 24, 80}, &none, &l);
    assert_int_equal(l.nshown, 0);
    compare_layout_opts one = {1, 3, -1, 0};
    compare_layout_compute((rect){0, 0, 0, 80}, &one, &l);
    assert_int_equal(l.nshown, 0);
    assert_int_equal(compare_layout_first_for(3, 3, 12, 1), 1);
    assert_int_equal(compare_layout_first_for(3, 3, 12, 7), 5);
    assert_int_equal(compare_layout_first_for(3, 3, 12, 4), 3);
    assert_int_equal(compare_layout_page(9, 3, 12, 1), 9);
    assert_int_equal(compare_layout_page(1, 3, 12, -1), 0);
}

/* A column following its answer: the last line always on screen; while
 * it streams, the view moves a quarter of its height at a time, not a
 * line at a time; once done, the last line is at the bottom. */
static void layout__a_streaming_column_jumps_a_quarter_and_keeps_the_last_line_in_view(void **state)
{
    (void)state;
    for (int h = 1; h <= 60; h++) {
        int jump = h / 4 > 1 ? h / 4 : 1, moves = 0;
        int prev = compare_layout_follow_top(0, h, true);
        assert_int_equal(prev, 0);
        for (int n = 1; n <= 400; n++) {
            int t = compare_layout_follow_top(n, h, true);
            assert_true(t >= 0);
            assert_true(t <= n - 1);     /* the last line is shown ... */
            assert_true(n - 1 < t + h);  /* ... within the column */
            assert_int_equal(t % jump, 0);
            assert_true(t == prev || t == prev + jump);
            moves += t != prev;
            prev = t;
            int done = compare_layout_follow_top(n, h, false);
            assert_int_equal(done, n > h ? n - h : 0);
        }
        /* 400 lines into h rows: a line-by-line scroll moves 400 - h
         * times; a quarter at a time about 4 (400 - h) / h. */
        int lines = 400 - h;
        assert_true(moves <= lines / jump + 1);
        if (h >= 12)
            assert_true(moves <= lines / 3 + 1);
    }
}

TEST_MAIN(cmocka_unit_test(layout__one_to_twelve_columns_at_80x24),
          cmocka_unit_test(layout__a_streaming_column_jumps_a_quarter_and_keeps_the_last_line_in_view),
          cmocka_unit_test(layout__one_to_twelve_columns_at_200x50),
          cmocka_unit_test(layout__survives_tiny_and_odd_sizes))
