/* test.h: what every cmocka test file includes. Tests print TAP so that
 * automake's TAP driver counts each case. */
#ifndef AIDESK_TEST_H
#define AIDESK_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define TEST_MAIN(...)                                                        \
    int main(void)                                                            \
    {                                                                         \
        const struct CMUnitTest tests_[] = {__VA_ARGS__};                     \
        cmocka_set_message_output(CM_OUTPUT_TAP);                             \
        return cmocka_run_group_tests(tests_, NULL, NULL) ? 1 : 0;            \
    }

#endif
