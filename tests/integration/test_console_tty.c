/* The console on a real pseudo-terminal, against the simulator: what it
 * writes to the terminal and how.
 *
 * A frame must leave in one write, or a few: ncurses, left to itself,
 * flushed after every cursor movement, so that a screen redrawn in full
 * went out as dozens of small writes (over ssh, as many packets; on the
 * machine, a third of the UI thread's time with twelve columns streaming). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_cli_lib.h"

static simproc sim;

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "50"));
}

static void console__a_full_redraw_leaves_in_a_few_writes(void **state)
{
    (void)state;
    clit_proc p;
    assert_int_equal(clit_spawn_tty(&p, NULL, (const char *const[]){NULL}, 40, 160), 0);
    if (!clit_wait_out(&p, "AiAssist connected", 20000)) {
        clit_res r;
        clit_stop(&p, SIGTERM, 5000, &r);
        fail_msg("the console never showed it was connected; it wrote:\n%s", r.out);
    }
    assert_true(clit_wait_quiet(&p, 400, 10000));
    /* Several rounds: each is a full redraw (Ctrl-L: the screen erased and
     * every pane drawn again, some 6,000 cells in 160x40). */
    for (int round = 0; round < 3; round++) {
        size_t before = p.out_len;
        long long w0 = clit_main_thread_syscw(p.pid);
        assert_true(w0 >= 0);
        clit_send(&p, "\x0c");
        assert_true(clit_wait_quiet(&p, 400, 10000));
        long long writes = clit_main_thread_syscw(p.pid) - w0;
        size_t bytes = p.out_len - before;
        /* A redraw that wrote next to nothing would pass for the wrong
         * reason. */
        assert_true(bytes > 1000);
        if (writes > 4)
            fail_msg("a full redraw of %zu bytes took %lld writes", bytes, writes);
    }
    clit_send(&p, "\x1b[21~"); /* F10: quit */
    clit_res r;
    clit_stop(&p, 0, 10000, &r);
    assert_int_equal(r.status, 0);
    clit_res_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(console__a_full_redraw_leaves_in_a_few_writes, clit_fresh),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
