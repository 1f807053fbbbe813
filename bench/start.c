/* start.c: start-up time of the console (issue 4, docs/performance.md).
 *
 * Runs a command (the console) R times, each on a fresh pseudo-terminal of
 * COLSxROWS, with AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME=1 in its environment
 * so that it quits right after its first doupdate. For each run it records
 * the time from fork to the last byte the program wrote to the terminal
 * (the end of its first frame: nothing is drawn after it) and to its exit.
 * Prints min, median, mean and max of both, one "key value" line each.
 *
 *   bench-start [--runs R] [--size COLSxROWS] [--warmup W] -- COMMAND [ARGS...]
 *
 * The teardown after the frame (curses off, the network thread stopped)
 * is in the exit figure only. */
#define _DEFAULT_SOURCE
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stats(const char *name, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%s_min_ms %.1f\n%s_median_ms %.1f\n%s_mean_ms %.1f\n%s_max_ms %.1f\n", name, v[0], name,
           med, name, sum / n, name, v[n - 1]);
}

/* One run: *frame_ms to the last output byte, *exit_ms to the exit. */
static int one(char **cmd, int cols, int rows, double *frame_ms, double *exit_ms, size_t *bytes)
{
    struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
    int master;
    double t0 = now_ms();
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        perror("bench-start: forkpty");
        return -1;
    }
    if (pid == 0) {
        setenv("AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME", "1", 1);
        execvp(cmd[0], cmd);
        _exit(127);
    }
    double last = t0;
    *bytes = 0;
    char buf[65536];
    for (;;) {
        struct pollfd p = {master, POLLIN, 0};
        int r = poll(&p, 1, 10000);
        if (r == 0) {
            fprintf(stderr, "bench-start: no output for 10 s; stopping the run\n");
            kill(pid, SIGKILL);
            break;
        }
        if (r < 0 && errno == EINTR)
            continue;
        ssize_t n = read(master, buf, sizeof buf);
        if (n > 0) {
            last = now_ms();
            *bytes += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; /* EIO: the terminal's last user has gone */
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *exit_ms = now_ms() - t0;
    *frame_ms = last - t0;
    close(master);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench-start: the command failed (status %d)\n", status);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 20, warmup = 2, cols = 200, rows = 50, i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc)
            break;
        if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--warmup"))
            warmup = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--size")) {
            if (sscanf(argv[++i], "%dx%d", &cols, &rows) != 2)
                runs = 0;
        } else
            runs = 0;
    }
    if (i >= argc || runs < 1 || runs > 1000 || cols < 10 || rows < 5) {
        fprintf(stderr, "usage: bench-start [--runs R] [--warmup W] [--size COLSxROWS] -- COMMAND [ARGS...]\n");
        return 2;
    }
    char **cmd = argv + i;
    double *fr = calloc((size_t)runs, sizeof *fr), *ex = calloc((size_t)runs, sizeof *ex);
    size_t bytes = 0;
    for (int k = 0; k < warmup; k++) {
        double a, b;
        if (one(cmd, cols, rows, &a, &b, &bytes) != 0)
            return 1;
    }
    for (int k = 0; k < runs; k++)
        if (one(cmd, cols, rows, &fr[k], &ex[k], &bytes) != 0)
            return 1;
    printf("runs %d\n", runs);
    printf("frame_bytes %zu\n", bytes);
    stats("first_frame", fr, runs);
    stats("exit", ex, runs);
    free(fr);
    free(ex);
    return 0;
}
