/* test_cli_lib.c: running aidesk as a child process (see test_cli_lib.h). */
#include "config.h"
#include "test_cli_lib.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/mem.h"

static char home[256];
static char base_url[96];
static simproc *shared_sim; /* clit_start_sim's */

void clit_init(const simproc *sim)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(home, sizeof home, "%s/aidesk-clit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(home)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(base_url, sizeof base_url, "%s", sim ? sim->base_url : "http://127.0.0.1:1");
}

void clit_done(void)
{
    if (!home[0])
        return;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", home);
    home[0] = '\0';
}

int clit_start_sim(simproc *sim, const char *const *args)
{
    if (simproc_start(sim, args) != 0)
        return -1;
    shared_sim = sim;
    clit_init(sim);
    return 0;
}

int clit_group_teardown(void **state)
{
    (void)state;
    clit_done();
    if (shared_sim)
        simproc_stop(shared_sim);
    shared_sim = NULL;
    return 0;
}

int clit_fresh(void **state)
{
    (void)state;
    if (shared_sim)
        clit_clear_faults(shared_sim);
    return 0;
}

const char *clit_home(void)
{
    return home;
}

static void set_env(const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq) {
        unsetenv(s);
        return;
    }
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
    setenv(name, eq + 1, 1);
}

/* In the child: the private environment, then exec. */
static void exec_aidesk(const char *const *env, const char *const *words)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s/c", home);
    setenv("XDG_CONFIG_HOME", buf, 1);
    snprintf(buf, sizeof buf, "%s/d", home);
    setenv("XDG_DATA_HOME", buf, 1);
    snprintf(buf, sizeof buf, "%s/s", home);
    setenv("XDG_STATE_HOME", buf, 1);
    setenv("AIASSIST_API_KEY", "aai_demo_agent", 1);
    setenv("AIASSIST_BASE_URL", base_url, 1);
    setenv("AI_GATE_PROJECT_ID", "proj_demo", 1);
    setenv("AI_GATE_BASE_URL", base_url, 1);
    for (size_t i = 0; env && env[i]; i++)
        set_env(env[i]);
    const char *bin = getenv("AIDESK_BIN");
    if (!bin || !*bin)
        bin = "./aidesk";
    const char *argv[64];
    size_t n = 0;
    argv[n++] = bin;
    for (size_t i = 0; words[i] && n < 63; i++)
        argv[n++] = words[i];
    argv[n] = NULL;
    execv(bin, (char *const *)argv);
    fprintf(stderr, "cannot run %s: %s\n", bin, strerror(errno));
    _exit(127);
}

static int spawn(clit_proc *p, const char *const *env, const char *stdin_text,
                 const char *const *words, bool pty)
{
    memset(p, 0, sizeof *p);
    int out[2], err[2], in[2];
    if (pty) {
        if (openpty(&out[0], &out[1], NULL, NULL, NULL) != 0)
            return -1;
        fcntl(out[0], F_SETFD, FD_CLOEXEC);
        fcntl(out[1], F_SETFD, FD_CLOEXEC);
    } else if (pipe2(out, O_CLOEXEC) != 0) {
        return -1;
    }
    if (pipe2(err, O_CLOEXEC) != 0 || pipe2(in, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (pty)
            setsid();
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        exec_aidesk(env, words);
    }
    close(out[1]);
    close(err[1]);
    close(in[0]);
    if (stdin_text) {
        size_t len = strlen(stdin_text);
        if (write(in[1], stdin_text, len) != (ssize_t)len)
            fprintf(stderr, "short write to the child's stdin\n");
    }
    close(in[1]);
    p->pid = pid;
    p->out_fd = out[0];
    p->err_fd = err[0];
    return 0;
}

int clit_spawn(clit_proc *p, const char *const *env, const char *const *words)
{
    return spawn(p, env, NULL, words, false);
}

int clit_spawn_tty(clit_proc *p, const char *const *env, const char *const *words, int rows,
                   int cols)
{
    memset(p, 0, sizeof *p);
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    int master = -1;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        exec_aidesk(env, words);
    }
    fcntl(master, F_SETFD, FD_CLOEXEC);
    p->pid = pid;
    p->out_fd = master;
    p->err_fd = -1;
    return 0;
}

void clit_send(clit_proc *p, const char *text)
{
    size_t len = strlen(text);
    assert_int_equal(write(p->out_fd, text, len), (ssize_t)len);
}

static long long syscw_of(const char *path);

long long clit_main_thread_syscw(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/io", (long)pid, (long)pid);
    return syscw_of(path);
}

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    *buf = xgrow(*buf, cap, *len + n + 1, 1);
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* Reads what is there (waiting up to wait_ms); false when both are closed. */
static bool pump(clit_proc *p, long wait_ms)
{
    struct pollfd fds[2] = {{p->out_fd, POLLIN, 0}, {p->err_fd, POLLIN, 0}};
    if (p->out_fd < 0 && p->err_fd < 0)
        return false;
    if (poll(fds, 2, (int)wait_ms) <= 0)
        return true;
    char chunk[65536];
    for (int i = 0; i < 2; i++) {
        if (!fds[i].revents)
            continue;
        ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) { /* EOF, or EIO from a pty whose child has gone */
            close(fds[i].fd);
            if (i == 0)
                p->out_fd = -1;
            else
                p->err_fd = -1;
        } else if (i == 0) {
            append(&p->out, &p->out_len, &p->out_cap, chunk, (size_t)n);
        } else {
            append(&p->err, &p->err_len, &p->err_cap, chunk, (size_t)n);
        }
    }
    return true;
}

bool clit_wait_out(clit_proc *p, const char *needle, long timeout_ms)
{
    int64_t until = clock_mono_ms() + timeout_ms;
    while (clock_mono_ms() < until) {
        if (p->out && (needle ? strstr(p->out, needle) != NULL : p->out_len > 0))
            return true;
        if (!pump(p, 50))
            break;
    }
    return p->out && (needle ? strstr(p->out, needle) != NULL : p->out_len > 0);
}

bool clit_wait_quiet(clit_proc *p, long quiet_ms, long timeout_ms)
{
    int64_t until = clock_mono_ms() + timeout_ms;
    size_t seen = p->out_len + p->err_len;
    int64_t last = clock_mono_ms();
    while (clock_mono_ms() < until) {
        if (!pump(p, 20))
            return true;
        if (p->out_len + p->err_len != seen) {
            seen = p->out_len + p->err_len;
            last = clock_mono_ms();
        } else if (clock_mono_ms() - last >= quiet_ms) {
            return true;
        }
    }
    return false;
}

/* The syscw line of an io file of /proc, or -1. */
static long long syscw_of(const char *path)
{
    char line[128];
    FILE *f = fopen(path, "r");
    long long n = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "syscw:", 6))
            n = strtoll(line + 6, NULL, 10);
    fclose(f);
    return n;
}

/* Reaps pid if it has exited, reading its counters first (a process that
 * has exited but is not reaped keeps them). */
static bool reap(pid_t pid, int *status, long long *syscw)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid != pid)
        return false;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
    *syscw = syscw_of(path);
    return waitpid(pid, status, 0) == pid;
}

void clit_stop(clit_proc *p, int sig, long timeout_ms, clit_res *r)
{
    if (sig)
        kill(p->pid, sig);
    int64_t until = clock_mono_ms() + timeout_ms;
    int status = 0;
    long long syscw = -1;
    bool exited = false;
    while (clock_mono_ms() < until) {
        pump(p, 20);
        if (!exited && reap(p->pid, &status, &syscw))
            exited = true;
        if (exited && p->out_fd < 0 && p->err_fd < 0)
            break;
    }
    memset(r, 0, sizeof *r);
    if (!exited) {
        kill(p->pid, SIGKILL);
        waitpid(p->pid, &status, 0);
        r->status = -1;
    } else {
        r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (p->out_fd >= 0)
        close(p->out_fd);
    if (p->err_fd >= 0)
        close(p->err_fd);
    r->out = p->out ? p->out : xstrdup("");
    r->out_len = p->out_len;
    r->err = p->err ? p->err : xstrdup("");
    r->err_len = p->err_len;
    r->syscw = syscw;
    memset(p, 0, sizeof *p);
}

void clit_run(clit_res *r, const char *const *env, const char *stdin_text,
              const char *const *words)
{
    clit_proc p;
    if (spawn(&p, env, stdin_text, words, false) != 0)
        fail_msg("cannot start aidesk");
    clit_stop(&p, 0, 60000, r);
}

void clit_run_pty(clit_res *r, const char *const *env, const char *const *words)
{
    clit_proc p;
    if (spawn(&p, env, NULL, words, true) != 0)
        fail_msg("cannot start aidesk on a pseudo-terminal");
    clit_stop(&p, 0, 60000, r);
}

void clit_res_free(clit_res *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

void clit_fault(const simproc *sim, const char *spec)
{
    char body[512], out[256];
    snprintf(body, sizeof body, "{\"spec\":\"%s\"}", spec);
    int st = simproc_admin(sim, "POST", "/_sim/faults", body, out, sizeof out);
    if (st != 200)
        fail_msg("fault '%s' refused: %d %s", spec, st, out);
}

void clit_clear_faults(const simproc *sim)
{
    simproc_admin(sim, "DELETE", "/_sim/faults", NULL, NULL, 0);
}

size_t clit_count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
        n++;
    return n;
}

char *clit_json_str(const char *text, const char *path)
{
    char *err = NULL;
    json_object *root = jsonu_parse(text, strlen(text), &err);
    free(err);
    if (!root)
        return NULL;
    json_object *o = root;
    char *copy = xstrdup(path), *save = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
        if (json_object_is_type(o, json_type_array))
            o = json_object_array_get_idx(o, (size_t)atoi(k));
        else if (!json_object_object_get_ex(o, k, &o))
            o = NULL;
    }
    free(copy);
    char *s = NULL;
    if (o && json_object_is_type(o, json_type_string))
        s = xstrdup(json_object_get_string(o));
    else if (o)
        s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(root);
    return s;
}

void clit_expect(const clit_res *r, int status, const char *out_has, const char *err_has,
                 const char *file, int line)
{
    bool ok = r->status == status && (!out_has || strstr(r->out, out_has)) &&
              (!err_has || strstr(r->err, err_has));
    if (ok)
        return;
    char want[512];
    snprintf(want, sizeof want, "status %d%s%s%s%s%s%s", status, out_has ? ", stdout with '" : "",
             out_has ? out_has : "", out_has ? "'" : "", err_has ? ", stderr with '" : "",
             err_has ? err_has : "", err_has ? "'" : "");
    fail_msg("%s:%d: want %s; got status %d\n--- stdout:\n%.3000s\n--- stderr:\n%.3000s", file,
             line, want, r->status, r->out, r->err);
}
