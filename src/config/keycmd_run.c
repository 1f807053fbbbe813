/* keycmd_run.c: running a key command with a time limit (see keycmd.h).
 *
 * posix_spawnp rather than fork: it is safe in a threaded program and
 * reports a program that cannot be executed as an error of its own, so "not
 * found" never looks like "exited with status 127". */
#include "config.h"
#include "config/keycmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

typedef struct run {
    pid_t pid;
    int64_t deadline;
    buf_t out;
    bool timed_out;
    bool too_big;
    bool lost; /* someone else collected its exit status */
    int read_errno;
} run;

static int spawn(char **argv, int out_fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc)
        return rc;
    rc = posix_spawnattr_init(&at);
    if (rc) {
        posix_spawn_file_actions_destroy(&fa);
        return rc;
    }
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    if (!rc)
        rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (!rc)
        rc = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
    /* Descriptors opened by libraries without O_CLOEXEC must not leak into
     * a program we did not write. */
    if (!rc)
        rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
    if (!rc)
        rc = posix_spawnattr_setsigmask(&at, &none);
    if (!rc)
        rc = posix_spawnattr_setsigdefault(&at, &all);
    /* Its own process group, so that a time-out also stops whatever it
     * started (sh -c '...' leaves grandchildren). */
    if (!rc)
        rc = posix_spawnattr_setpgroup(&at, 0);
    if (!rc)
        rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                               POSIX_SPAWN_SETPGROUP);
    if (!rc)
        rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Reads the child's stdout until end of file, the deadline, the size cap
 * or an error. */
static void collect_into(run *r, int fd, char *tmp, size_t size)
{
    for (;;) {
        int64_t left = r->deadline - clock_mono_ms();
        if (left <= 0) {
            r->timed_out = true;
            return;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int n = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r->read_errno = errno;
            return;
        }
        if (n == 0) {
            r->timed_out = true;
            return;
        }
        ssize_t got = read(fd, tmp, size);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0) {
            r->read_errno = errno;
            return;
        }
        if (got == 0)
            return;
        if (r->out.len + (size_t)got > KEYCMD_MAX_OUTPUT) {
            r->too_big = true;
            return;
        }
        buf_append(&r->out, tmp, (size_t)got);
    }
}

static void collect(run *r, int fd)
{
    char tmp[4096];
    collect_into(r, fd, tmp, sizeof tmp);
    explicit_bzero(tmp, sizeof tmp); /* it held the secret */
}

static void kill_group(pid_t pid)
{
    /* The group may already be gone; then there is nothing to stop. */
    if (kill(-pid, SIGKILL) != 0)
        kill(pid, SIGKILL);
}

/* Waits for the child until the deadline, killing it if it is still there
 * then (or if it must stop anyway). Returns its wait status. */
static int reap(run *r, bool stop_now)
{
    int status = 0;
    if (stop_now)
        kill_group(r->pid);
    for (;;) {
        pid_t w = waitpid(r->pid, &status, stop_now ? 0 : WNOHANG);
        if (w == r->pid)
            return status;
        if (w < 0 && errno != EINTR) {
            r->lost = true; /* ECHILD: a waitpid(-1) elsewhere took it */
            return 0;
        }
        if (w == 0 && clock_mono_ms() >= r->deadline) {
            r->timed_out = true;
            stop_now = true;
            kill_group(r->pid);
            continue;
        }
        if (w == 0) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
}

/* The verdict on a finished run: NULL when the output may be used. */
static char *judge(const run *r, int status, int timeout_ms)
{
    if (r->timed_out)
        return xasprintf("did not finish within %.1f s and was stopped", timeout_ms / 1000.0);
    if (r->too_big)
        return xasprintf("printed more than %d bytes and was stopped", KEYCMD_MAX_OUTPUT);
    if (r->lost)
        return xstrdup("ended, but its exit status was collected elsewhere, so its output "
                       "cannot be trusted");
    if (r->read_errno)
        return xasprintf("its output could not be read: %s", strerror(r->read_errno));
    if (WIFSIGNALED(status))
        return xasprintf("was killed by signal %d", WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return xasprintf("exited with status %d (its output is not shown)", WEXITSTATUS(status));
    return NULL;
}

/* The trimmed first line of out, or NULL with *why set. */
static char *first_line(const buf_t *out, const char **why)
{
    const char *s = out->data ? out->data : "";
    size_t n = out->len;
    const char *nl = memchr(s, '\n', n);
    if (nl)
        n = (size_t)(nl - s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n == 0) {
        *why = out->len == 0 ? "printed nothing" : "printed an empty first line";
        return NULL;
    }
    if (memchr(s, '\0', n)) {
        *why = "printed a NUL byte";
        return NULL;
    }
    return xstrndup(s, n);
}

/* Runs argv to completion; returns NULL with *secret set, or why not. */
static char *run_argv(char **argv, int timeout_ms, char **secret)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return xasprintf("cannot make a pipe: %s", strerror(errno));
    run r = {0, clock_mono_ms() + timeout_ms, BUF_INIT, false, false, false, 0};
    int rc = spawn(argv, pfd[1], &r.pid);
    close(pfd[1]);
    if (rc != 0) {
        close(pfd[0]);
        return xasprintf("could not be started: %s", strerror(rc));
    }
    /* Room for everything up front: growing would leave copies of the
     * secret in freed memory. */
    buf_reserve(&r.out, KEYCMD_MAX_OUTPUT);
    collect(&r, pfd[0]);
    close(pfd[0]);
    int status = reap(&r, r.timed_out || r.too_big || r.read_errno);
    char *why = judge(&r, status, timeout_ms);
    if (!why) {
        const char *msg = NULL;
        *secret = first_line(&r.out, &msg);
        if (!*secret)
            why = xstrdup(msg);
    }
    explicit_bzero(r.out.data, r.out.cap);
    buf_free(&r.out);
    return why;
}

int keycmd_run(const char *cmd, int timeout_ms, char **secret, char **err)
{
    char **argv;
    char *why = NULL;
    if (keycmd_split(cmd, &argv, &why) != 0) {
        if (err)
            *err = xasprintf("cannot run the command: %s", why);
        free(why);
        return -1;
    }
    why = run_argv(argv, timeout_ms > 0 ? timeout_ms : KEYCMD_DEFAULT_TIMEOUT_MS, secret);
    keycmd_argv_free(argv);
    if (!why)
        return 0;
    if (err) {
        char *what = keycmd_describe(cmd);
        *err = xasprintf("command '%s' %s", what, why);
        free(what);
    }
    free(why);
    return -1;
}
