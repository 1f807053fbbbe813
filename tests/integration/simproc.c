#include "config.h"
#include "simproc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static const char *sim_path(char *buf, size_t len)
{
    const char *p = getenv("AIDESK_SIM");
    if (p && *p)
        return p;
    const char *src = getenv("AIDESK_SRCDIR");
    snprintf(buf, len, "%s/sim/aidesk-sim", src && *src ? src : ".");
    return buf;
}

int simproc_start(simproc *s, const char *const *extra)
{
    memset(s, 0, sizeof *s);
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/aidesk-sim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        perror("simproc: mkdtemp");
        return -1;
    }
    char portfile[300];
    snprintf(portfile, sizeof portfile, "%s/port", s->dir);
    char pathbuf[512];
    const char *sim = sim_path(pathbuf, sizeof pathbuf);
    const char *python = getenv("PYTHON3");
    if (!python || !*python)
        python = "python3";

    const char *argv[64];
    int n = 0;
    argv[n++] = python;
    argv[n++] = sim;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = portfile;
    argv[n++] = "--quiet";
    for (int i = 0; extra && extra[i] && n < 62; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;

    pid_t pid = fork();
    if (pid < 0) {
        perror("simproc: fork");
        return -1;
    }
    if (pid == 0) {
        /* A test killed before its teardown must not leave a server behind. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        /* Keep the test's output clean: the simulator prints its address. */
        FILE *devnull = freopen("/dev/null", "w", stdout);
        (void)devnull;
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "simproc: cannot run %s %s: %s\n", argv[0], argv[1], strerror(errno));
        _exit(127);
    }
    s->pid = pid;
    for (int waited = 0; waited < 15000; waited += 20) {
        FILE *f = fopen(portfile, "r");
        if (f) {
            int port = 0;
            int ok = fscanf(f, "%d", &port);
            fclose(f);
            if (ok == 1 && port > 0) {
                s->port = port;
                snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", port);
                return 0;
            }
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "simproc: the simulator exited during start-up\n");
            s->pid = 0;
            return -1;
        }
        sleep_ms(20);
    }
    fprintf(stderr, "simproc: the simulator did not start within 15 s\n");
    simproc_stop(s);
    return -1;
}

void simproc_stop(simproc *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int status;
        for (int i = 0; i < 250; i++) {
            if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
                s->pid = 0;
                break;
            }
            sleep_ms(20);
        }
        if (s->pid > 0) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
            s->pid = 0;
        }
    }
    if (s->dir[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "simproc: could not remove %s\n", s->dir);
        s->dir[0] = '\0';
    }
}

const char *simproc_url(const simproc *s, const char *path)
{
    static char url[512];
    snprintf(url, sizeof url, "%s%s", s->base_url, path);
    return url;
}

int simproc_admin(const simproc *s, const char *method, const char *path, const char *body,
                  char *out, size_t outlen)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)s->port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    char req[4096];
    size_t blen = body ? strlen(body) : 0;
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     method, path, blen, body ? body : "");
    if (n < 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    char resp[65536];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof resp - 1 && (r = read(fd, resp + got, sizeof resp - 1 - got)) > 0)
        got += (size_t)r;
    close(fd);
    resp[got] = '\0';
    int status = -1;
    if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
        return -1;
    if (out && outlen) {
        const char *b = strstr(resp, "\r\n\r\n");
        snprintf(out, outlen, "%s", b ? b + 4 : "");
    }
    return status;
}
