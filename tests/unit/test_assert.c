/* Unit tests for src/util/assert.h, and for what --enable-debug builds:
 * assertions that stop the program in debug builds and cost nothing in
 * others, in code compiled without optimisation. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "util/assert.h"

static int evaluated;

/* Not static: outside debug builds it is only named in assertions, never
 * called, and a static one would be a warning. */
int count(int v);
int count(int v)
{
    evaluated++;
    return v;
}

/* Runs AIDESK_ASSERT(count(0) == 1) in a child; returns its wait status
 * and what it wrote to stderr (in out, n bytes). */
static int run_failing_assertion(char *out, size_t n)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        AIDESK_ASSERT(count(0) == 1);
        _exit(evaluated == 0 ? 0 : 3);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t r;
    while (got + 1 < n && (r = read(fds[0], out + got, n - 1 - got)) > 0)
        got += (size_t)r;
    out[got] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void assert__in_debug_builds_names_the_broken_invariant_and_aborts(void **state)
{
    (void)state;
    char out[4096];
    int status = run_failing_assertion(out, sizeof out);
#ifdef AIDESK_DEBUG
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    if (!strstr(out, "assertion 'count(0) == 1' failed at ") || !strstr(out, "test_assert.c:"))
        fail_msg("the child said: %s", out);
#else
    /* Not even evaluated: an assertion costs nothing outside debug builds. */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_string_equal(out, "");
#endif
}

static void assert__a_true_invariant_goes_on(void **state)
{
    (void)state;
    evaluated = 0;
    AIDESK_ASSERT(count(1) == 1);
#ifdef AIDESK_DEBUG
    assert_int_equal(evaluated, 1);
#else
    assert_int_equal(evaluated, 0);
#endif
}

/* --enable-debug promises code a debugger can follow: its -O0 must come
 * after any -O the compiler was given. */
static void debug_build__is_compiled_without_optimisation(void **state)
{
    (void)state;
#if defined(AIDESK_DEBUG) && defined(__OPTIMIZE__)
    fail_msg("configured with --enable-debug, yet compiled with optimisation");
#endif
}

TEST_MAIN(cmocka_unit_test(assert__in_debug_builds_names_the_broken_invariant_and_aborts),
          cmocka_unit_test(assert__a_true_invariant_goes_on),
          cmocka_unit_test(debug_build__is_compiled_without_optimisation))
