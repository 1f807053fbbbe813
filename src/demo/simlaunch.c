/* simlaunch.c: the simulator behind --demo (see simlaunch.h). */
#include "config.h"
#include "demo/simlaunch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sanitize.h"

#define START_TIMEOUT_MS 10000
#define STOP_GRACE_MS 2000
#define LOG_TAIL_LINES 5

struct simlaunch {
    pid_t pid;
    char *dir;      /* private temporary directory */
    char *url;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static bool readable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* The directory of the running executable, or NULL. */
static char *exe_dir(const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    char *path = NULL;
    if (n > 0) {
        buf[n] = '\0';
        path = xstrdup(buf);
    } else if (argv0 && strchr(argv0, '/')) {
        path = realpath(argv0, NULL);
    }
    if (!path)
        return NULL;
    char *slash = strrchr(path, '/');
    if (slash)
        *(slash == path ? slash + 1 : slash) = '\0';
    return path;
}

/* name in one of $PATH's directories (executable when exec is set). */
static char *search_path(const char *name, bool exec)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    char *copy = xstrdup(path), *save = NULL, *found = NULL;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *cand = xasprintf("%s/%s", *d ? d : ".", name);
        if (exec ? access(cand, X_OK) == 0 && readable_file(cand) : readable_file(cand))
            found = cand;
        else
            free(cand);
    }
    free(copy);
    return found;
}

static char *find_sim(const char *argv0)
{
    const char *env = getenv("AIDESK_SIM");
    if (env && *env)
        return xstrdup(env);
    char *dir = exe_dir(argv0);
    if (dir) {
        static const char *const rel[] = {"sim/aidesk-sim", "../sim/aidesk-sim",
                                          "../../sim/aidesk-sim", "aidesk-sim"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char *cand = xasprintf("%s/%s", dir, rel[i]);
            if (readable_file(cand)) {
                free(dir);
                return cand;
            }
            free(cand);
        }
        free(dir);
    }
    if (readable_file(AIDESK_BINDIR "/aidesk-sim"))
        return xstrdup(AIDESK_BINDIR "/aidesk-sim");
    return search_path("aidesk-sim", false);
}

static char *find_python(void)
{
    const char *env = getenv("PYTHON3");
    const char *name = env && *env ? env : "python3";
    if (strchr(name, '/'))
        return xstrdup(name);
    return search_path(name, true);
}

/* The last lines of the simulator's log, on one line, for an error. */
static char *log_tail(const simlaunch *s)
{
    char *path = xasprintf("%s/sim.log", s->dir);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f)
        return xstrdup("(no log)");
    char buf[4096];
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > (long)sizeof buf - 1)
        fseek(f, -(long)(sizeof buf - 1), SEEK_END);
    else
        rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
    size_t start = n;
    for (int lines = 0; start > 0; start--)
        if (buf[start - 1] == '\n' && ++lines == LOG_TAIL_LINES)
            break;
    if (start == n)
        return xstrdup("(empty log)");
    buf_t b = BUF_INIT;
    for (char *p = buf + start; *p; p++) {
        if (*p == '\n')
            buf_append_str(&b, " | ");
        else
            buf_append_char(&b, *p);
    }
    char *out = sanitize_dup(buf_cstr(&b), b.len, 0);
    buf_free(&b);
    return out;
}

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void child(const char *python, char *const *argv, int log_fd, pid_t parent)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(127);
#else
    (void)parent;
#endif
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0)
        dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(python, argv);
    _exit(127);
}

static int spawn(simlaunch *s, const char *python, const char *sim, const char *const *extra,
                 char **err)
{
    char *port_file = xasprintf("%s/port", s->dir);
    char *log_path = xasprintf("%s/sim.log", s->dir);
    int pf = open(port_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (pf >= 0)
        close(pf);
    free(log_path);
    size_t nextra = 0;
    while (extra && extra[nextra])
        nextra++;
    const char **argv = xcalloc(nextra + 12, sizeof *argv);
    size_t n = 0;
    argv[n++] = python;
    argv[n++] = sim;
    argv[n++] = "--host";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    argv[n++] = "--quiet";
    for (size_t i = 0; i < nextra; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    int rc = -1;
    if (pf < 0 || log_fd < 0) {
        *err = xasprintf("cannot create files in %s: %s", s->dir, strerror(errno));
    } else {
        pid_t parent = getpid();
        pid_t pid = fork();
        if (pid == 0)
            child(python, (char *const *)argv, log_fd, parent);
        if (pid < 0) {
            *err = xasprintf("cannot start the simulator: %s", strerror(errno));
        } else {
            s->pid = pid;
            rc = 0;
        }
    }
    if (log_fd >= 0)
        close(log_fd);
    free(argv);
    free(port_file);
    return rc;
}

/* Waits for the port file; 0, or -1 with *err. */
static int wait_port(simlaunch *s, char **err)
{
    char *port_file = xasprintf("%s/port", s->dir);
    int rc = -1;
    for (int waited = 0; waited < START_TIMEOUT_MS; waited += 20) {
        FILE *f = fopen(port_file, "r");
        int port = 0;
        if (f) {
            if (fscanf(f, "%d", &port) != 1)
                port = 0;
            fclose(f);
        }
        if (port > 0 && port < 65536) {
            s->url = xasprintf("http://127.0.0.1:%d", port);
            rc = 0;
            break;
        }
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            char *tail = log_tail(s);
            *err = xasprintf("the simulator exited during start-up (%s %d); its log ends: %s",
                             WIFEXITED(status) ? "status" : "signal",
                             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), tail);
            free(tail);
            break;
        }
        sleep_ms(20);
    }
    if (rc != 0 && !*err) {
        char *tail = log_tail(s);
        *err = xasprintf("the simulator did not start within %d s; its log ends: %s",
                         START_TIMEOUT_MS / 1000, tail);
        free(tail);
    }
    free(port_file);
    return rc;
}

simlaunch *simlaunch_start(const char *argv0, const char *const *extra_args, char **err)
{
    *err = NULL;
    char *sim = find_sim(argv0);
    if (!sim) {
        *err = xstrdup("cannot find the simulator (aidesk-sim): set AIDESK_SIM to its path");
        return NULL;
    }
    char *python = find_python();
    if (!python) {
        *err = xstrdup("cannot find python3, which runs the simulator: install it or set PYTHON3");
        free(sim);
        return NULL;
    }
    simlaunch *s = xcalloc(1, sizeof *s);
    const char *tmp = getenv("TMPDIR");
    s->dir = xasprintf("%s/aidesk-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        *err = xasprintf("cannot create a temporary directory: %s", strerror(errno));
        free(s->dir);
        s->dir = NULL;
    } else if (spawn(s, python, sim, extra_args, err) == 0) {
        wait_port(s, err);
    }
    free(python);
    free(sim);
    if (*err) {
        simlaunch_stop(s);
        return NULL;
    }
    return s;
}

const char *simlaunch_url(const simlaunch *s)
{
    return s->url;
}

static void set(config_t *cfg, config_item item, char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value);
    config_origin *o = &cfg->origin[item];
    free(o->where);
    free(o->command);
    o->source = CONFIG_SRC_OPTION;
    o->where = xstrdup("--demo");
    o->command = NULL;
    o->not_run = false;
}

void simlaunch_apply(const simlaunch *s, config_t *cfg)
{
    set(cfg, CONFIG_BASE_URL, &cfg->base_url, s->url);
    set(cfg, CONFIG_GATE_URL, &cfg->gate_url, s->url);
    set(cfg, CONFIG_API_KEY, &cfg->api_key, SIMLAUNCH_API_KEY);
    set(cfg, CONFIG_PROJECT_ID, &cfg->project_id, SIMLAUNCH_PROJECT_ID);
    log_add_secret(SIMLAUNCH_API_KEY);
    log_add_secret(SIMLAUNCH_PROJECT_ID);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *p = xasprintf("%s/%s", dir, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void simlaunch_stop(simlaunch *s)
{
    if (!s)
        return;
    if (s->pid > 0) {
        int status;
        kill(s->pid, SIGTERM);
        int waited = 0;
        while (waitpid(s->pid, &status, WNOHANG) == 0 && waited < STOP_GRACE_MS) {
            sleep_ms(20);
            waited += 20;
        }
        if (waited >= STOP_GRACE_MS) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
        }
    }
    if (s->dir)
        remove_dir(s->dir);
    free(s->dir);
    free(s->url);
    free(s);
}
