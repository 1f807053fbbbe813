/* echo.c: keystroke echo latency of the console (issue 12, "input first";
 * docs/performance.md).
 *
 * Runs a command (the console) on a pseudo-terminal of COLSxROWS that this
 * program owns, types the given lines to set a scene up (a chat whose
 * reply streams, twelve columns), waits until the terminal shows TEXT (the
 * streaming cursor), then types keys at a human rate and timestamps, for
 * each, when its echo reaches the terminal. The key is "§", which nothing
 * else on the screen shows: key i has been echoed when the terminal has
 * been sent the i-th "§" since typing began. Every CLEAR keys the input is
 * emptied with Ctrl-U (not timed) so the line never scrolls sideways.
 * Prints the latencies' median, 90th and 99th percentile and maximum, the
 * keys typed and those not echoed within a second, as "key value" lines;
 * --lat-file FILE gets every latency, one a line. Whether the scene lasted
 * while typing is for the caller to check (bench/console.sh reads the
 * console's debug log).
 *
 *   bench-echo [--size COLSxROWS] [--keys N] [--interval-ms MS] [--clear N]
 *              [--ready TEXT] [--line TEXT]... [--wait-for TEXT]
 *              [--settle-ms MS] [--lat-file FILE] -- COMMAND [ARGS...]
 *
 * The interval varies by +-40 % around MS (120: some 8 keys a second),
 * from a fixed seed, so every run types the same rhythm. */
#define _DEFAULT_SOURCE
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY "\xc2\xa7" /* § */
#define LOST_MS 1000.0

typedef struct {
    int fd;
    long keys_seen;   /* "§" sent to the terminal since typing began */
    bool counting;
    int half;         /* the key's first byte ended the last read */
    const char *want; /* text waited for, or NULL */
    size_t want_len, matched;
    bool seen;        /* want was seen since it was set */
    bool eof;
} term_out;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void scan(term_out *t, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (t->counting) {
            if (t->half && b[i] == 0xa7)
                t->keys_seen++;
            t->half = b[i] == 0xc2;
        }
        if (t->want) {
            /* A naive match is enough: the texts waited for do not
             * overlap themselves. */
            if (b[i] == (unsigned char)t->want[t->matched]) {
                if (++t->matched == t->want_len) {
                    t->seen = true;
                    t->matched = 0;
                }
            } else {
                t->matched = b[i] == (unsigned char)t->want[0];
            }
        }
    }
}

/* Reads what the terminal was sent for up to MS milliseconds, or until
 * STOP(t) holds. */
static void pump(term_out *t, double ms, bool (*stop)(const term_out *, long), long arg)
{
    double end = now_ms() + ms;
    unsigned char buf[65536];
    while (!t->eof && !(stop && stop(t, arg))) {
        double left = end - now_ms();
        if (left <= 0)
            break;
        struct pollfd p = {t->fd, POLLIN, 0};
        int r = poll(&p, 1, (int)left + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(t->fd, buf, sizeof buf);
        if (n > 0)
            scan(t, buf, (size_t)n);
        else if (!(n < 0 && errno == EINTR))
            t->eof = true;
    }
}

static bool has_keys(const term_out *t, long n) { return t->keys_seen >= n; }
static bool has_seen(const term_out *t, long n) { (void)n; return t->seen; }

static void type(int fd, const char *s)
{
    size_t len = strlen(s);
    while (len) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        len -= (size_t)w;
    }
}

static void watch(term_out *t, const char *text)
{
    t->want = text;
    t->want_len = text ? strlen(text) : 0;
    t->matched = 0;
    t->seen = false;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, int n, double p)
{
    int i = (int)(p * n + 0.999999) - 1;
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

int main(int argc, char **argv)
{
    int cols = 200, rows = 50, keys = 200, interval = 120, clear = 50, settle = 1000, i = 1;
    const char *ready = NULL, *wait_text = NULL, *lat_file = NULL, *lines[16];
    int nlines = 0;
    bool bad = false;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc) {
            bad = true;
            break;
        }
        const char *o = argv[i], *v = argv[++i];
        if (!strcmp(o, "--size"))
            bad |= sscanf(v, "%dx%d", &cols, &rows) != 2;
        else if (!strcmp(o, "--keys"))
            keys = atoi(v);
        else if (!strcmp(o, "--interval-ms"))
            interval = atoi(v);
        else if (!strcmp(o, "--clear"))
            clear = atoi(v);
        else if (!strcmp(o, "--settle-ms"))
            settle = atoi(v);
        else if (!strcmp(o, "--ready"))
            ready = v;
        else if (!strcmp(o, "--wait-for"))
            wait_text = v;
        else if (!strcmp(o, "--lat-file"))
            lat_file = v;
        else if (!strcmp(o, "--line") && nlines < 16)
            lines[nlines++] = v;
        else
            bad = true;
    }
    if (bad || i >= argc || keys < 1 || keys > 100000 || interval < 1 || clear < 1 || cols < 10 ||
        rows < 5) {
        fprintf(stderr, "usage: bench-echo [--size COLSxROWS] [--keys N] [--interval-ms MS] [--clear N]\n"
                        "  [--ready TEXT] [--line TEXT]... [--wait-for TEXT] [--settle-ms MS] [--lat-file FILE]\n"
                        "  -- COMMAND...\n");
        return 2;
    }
    double *lat = calloc((size_t)keys, sizeof *lat);
    if (!lat)
        return 1;
    struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
    term_out t = {0};
    pid_t pid = forkpty(&t.fd, NULL, NULL, &ws);
    if (pid < 0) {
        perror("bench-echo: forkpty");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[i], argv + i);
        _exit(127);
    }
    int rc = 1;
    if (ready) {
        watch(&t, ready);
        pump(&t, 20000, has_seen, 0);
        if (!t.seen) {
            fprintf(stderr, "bench-echo: the terminal never showed \"%s\"\n", ready);
            goto out;
        }
    }
    pump(&t, 300, NULL, 0);
    for (int l = 0; l < nlines; l++) {
        type(t.fd, lines[l]);
        type(t.fd, "\r");
        pump(&t, 500, NULL, 0);
    }
    if (wait_text) {
        watch(&t, wait_text);
        pump(&t, 30000, has_seen, 0);
        if (!t.seen) {
            fprintf(stderr, "bench-echo: the terminal never showed \"%s\"\n", wait_text);
            goto out;
        }
    }
    pump(&t, settle, NULL, 0);
    t.counting = true;
    t.seen = false;
    unsigned rnd = 12345;
    int lost = 0;
    double start = now_ms();
    for (int k = 0; k < keys; k++) {
        if (k && k % clear == 0) {
            pump(&t, LOST_MS, has_keys, k);
            type(t.fd, "\x15");
            pump(&t, 200, NULL, 0);
        }
        double sent = now_ms();
        type(t.fd, KEY);
        pump(&t, LOST_MS, has_keys, k + 1);
        if (t.keys_seen >= k + 1) {
            lat[k] = now_ms() - sent;
        } else {
            lat[k] = LOST_MS;
            lost++;
            t.keys_seen = k + 1; /* count on from here */
        }
        rnd = rnd * 1103515245u + 12345u;
        double gap = interval * (0.6 + 0.8 * (double)((rnd >> 16) & 0x7fff) / 32767.0);
        double left = sent + gap - now_ms();
        if (left > 0)
            pump(&t, left, NULL, 0);
    }
    double typed_s = (now_ms() - start) / 1e3;
    if (lat_file) {
        FILE *f = fopen(lat_file, "w");
        if (!f) {
            perror("bench-echo: --lat-file");
            goto out;
        }
        for (int k = 0; k < keys; k++)
            fprintf(f, "%.3f\n", lat[k]);
        if (fclose(f) != 0) {
            perror("bench-echo: --lat-file");
            goto out;
        }
    }
    qsort(lat, (size_t)keys, sizeof *lat, cmp_double);
    printf("keys %d\nlost %d\ntyping_s %.1f\n", keys, lost, typed_s);
    printf("echo_median_ms %.2f\necho_p90_ms %.2f\necho_p99_ms %.2f\necho_max_ms %.2f\n",
           pct(lat, keys, 0.5), pct(lat, keys, 0.9), pct(lat, keys, 0.99), lat[keys - 1]);
    rc = 0;
out:
    type(t.fd, "\x1b[21~"); /* F10: quit */
    pump(&t, 100, NULL, 0);
    for (int w = 0; w < 50; w++) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            pid = 0;
            break;
        }
        pump(&t, 100, NULL, 0);
    }
    if (pid) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    close(t.fd);
    free(lat);
    return rc;
}
