/* rusage.c: what one command cost (bench/run peers, docs/performance.md).
 *
 *   bench-rusage FILE -- COMMAND [ARGS...]
 *
 * Runs the command (standard input, output and error are its own), waits
 * for it, and writes to FILE one line: "cpu_ms N peak_rss_kb N status N"
 * (CPU: user + system of the command and of everything it waited for;
 * peak RSS: the largest of them; status: its exit status, 128 + N when
 * killed by signal N). Exits with the command's status.
 *
 * Why a program of its own: a forked child's peak RSS starts at its
 * parent's resident size (the copy it execs from), so a command started
 * from Python (some 15 MB) could never show less than that. Started from
 * here, the floor is this small program's size. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: bench-rusage FILE -- COMMAND [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench-rusage: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        fprintf(stderr, "bench-rusage: %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("bench-rusage: wait4");
            return 2;
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    double ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    fprintf(f, "cpu_ms %.1f peak_rss_kb %ld status %d\n", ms, ru.ru_maxrss, code);
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 2;
    }
    return code;
}
