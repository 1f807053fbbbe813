/* Unit tests for src/util/err.c: the one way a failing function says why. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/err.h"

static int fails_with(char **err, const char *what, int n)
{
    return err_set(err, "cannot %s: %d left", what, n);
}

static void err__sets_the_formatted_reason_and_returns_minus_one(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(fails_with(&err, "open x", 3), -1);
    assert_string_equal(err, "cannot open x: 3 left");
    free(err);
    /* Longer than any stack buffer a formatter might start with. */
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err = NULL;
    assert_int_equal(err_set(&err, "%s%s", big, big), -1);
    assert_int_equal(strlen(err), 2 * (sizeof big - 1));
    free(err);
}

static void err__takes_no_reason_when_the_caller_wants_none(void **state)
{
    (void)state;
    assert_int_equal(fails_with(NULL, "read", 0), -1);
}

TEST_MAIN(cmocka_unit_test(err__sets_the_formatted_reason_and_returns_minus_one),
          cmocka_unit_test(err__takes_no_reason_when_the_caller_wants_none))
