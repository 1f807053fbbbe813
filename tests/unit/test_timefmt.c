/* Unit tests for src/util/timefmt.c: the one way times become text in
 * files, documents and the log. */
#include "config.h"

#include <string.h>

#include "api/apitime.h"
#include "test.h"
#include "util/timefmt.h"

static void expect(int64_t ms, timefmt_form form, const char *want)
{
    char out[TIMEFMT_SIZE];
    memset(out, 'x', sizeof out);
    if (!timefmt_utc(ms, form, out))
        fail_msg("%lld in form %d: refused", (long long)ms, (int)form);
    assert_string_equal(out, want);
}

static void timefmt__writes_each_form_in_utc(void **state)
{
    (void)state;
    expect(0, TIMEFMT_ISO, "1970-01-01T00:00:00Z");
    expect(0, TIMEFMT_ISO_MS, "1970-01-01T00:00:00.000Z");
    expect(0, TIMEFMT_STAMP, "19700101T000000Z");
    expect(INT64_C(1795274460123), TIMEFMT_ISO, "2026-11-21T15:21:00Z");
    expect(INT64_C(1795274460123), TIMEFMT_ISO_MS, "2026-11-21T15:21:00.123Z");
    expect(INT64_C(1795274460123), TIMEFMT_STAMP, "20261121T152100Z");
    expect(INT64_C(951782400007), TIMEFMT_ISO_MS, "2000-02-29T00:00:00.007Z");
}

/* Milliseconds before 1970 round down, like the seconds: -1 ms is the
 * last millisecond of 1969, not a negative fraction of its first. */
static void timefmt__rounds_down_before_1970(void **state)
{
    (void)state;
    expect(-1, TIMEFMT_ISO_MS, "1969-12-31T23:59:59.999Z");
    expect(-1, TIMEFMT_ISO, "1969-12-31T23:59:59Z");
    expect(-1000, TIMEFMT_ISO_MS, "1969-12-31T23:59:59.000Z");
}

static void timefmt__covers_years_0_to_9999_and_refuses_the_rest(void **state)
{
    (void)state;
    const int64_t first = INT64_C(-62167219200000), end = INT64_C(253402300800000);
    expect(first, TIMEFMT_ISO, "0000-01-01T00:00:00Z");
    expect(end - 1, TIMEFMT_ISO_MS, "9999-12-31T23:59:59.999Z");
    expect(end - 1, TIMEFMT_STAMP, "99991231T235959Z");
    const int64_t outside[] = {first - 1, end, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
        char out[TIMEFMT_SIZE] = "x";
        assert_false(timefmt_utc(outside[i], TIMEFMT_ISO, out));
        assert_string_equal(out, "");
    }
}

/* What is written reads back: the formatter and the parser of the
 * servers' times agree. */
static void timefmt__reads_back_through_the_iso_parser(void **state)
{
    (void)state;
    const int64_t times[] = {INT64_C(1000), INT64_C(1700000000123), INT64_C(-86400000),
                             INT64_C(253402300799999), INT64_C(-62135596800000)};
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        char out[TIMEFMT_SIZE];
        int64_t back;
        assert_true(timefmt_utc(times[i], TIMEFMT_ISO_MS, out));
        assert_true(api_time_parse_iso8601(out, &back));
        assert_int_equal(back, times[i]);
    }
}

TEST_MAIN(cmocka_unit_test(timefmt__writes_each_form_in_utc),
          cmocka_unit_test(timefmt__rounds_down_before_1970),
          cmocka_unit_test(timefmt__covers_years_0_to_9999_and_refuses_the_rest),
          cmocka_unit_test(timefmt__reads_back_through_the_iso_parser))
