/* stream.c: the core stream benchmark (issue 3, docs/performance.md).
 *
 * Consumes one streamed chat completion of N tokens from the simulator
 * through the real pipeline: the network thread (libcurl multi, SSE parser,
 * event queue) and the chunk decoder (ai_stream_feed), on this thread as
 * the CLI and the console do. Beside it, in the same run, curl -N fetches
 * the same stream (same body, same headers) into /dev/null. Reports, one
 * "key value" line each, for both: wall time, tokens/s, CPU seconds
 * (user + system, every thread; curl's from wait4), and the pipeline's
 * peak RSS (curl's is not reported: a forked child's high-water mark
 * includes the parent's pages from before the exec), plus the
 * simulator's CPU when its pid is given (it is not part of either figure).
 *
 *   bench-stream --url URL [--tokens N] [--repeat R] [--model M]
 *                [--key KEY] [--sim-pid PID] [--curl PATH] [--no-curl]
 *                [--cli AIDESK] [--discard] [--queue-bytes N]
 *
 * Each of the R rounds runs curl, then the pipeline, then (with --cli) the
 * whole command line, "aidesk chat" with its output to /dev/null (it asks
 * for N tokens through max_tokens of a config file made for it, so the
 * simulator must give N tokens without X-Sim-Tokens: --reply-tokens N);
 * the medians are reported. Peak RSS is the process's high-water mark, so compare runs
 * with different N in separate processes (bench/run does).
 *
 * --discard empties the accumulated reply after each chunk, which leaves
 * only the pipeline's own memory: with it the peak must not depend on N.
 * Without it the reply text itself (N tokens) is kept, as the CLI does.
 * --queue-bytes sets the network thread's back-pressure limit (net.h's
 * max_queued_bytes, default 1 MiB), to see what the queue costs in memory. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "api/aiassist.h"
#include "api/chat_stream.h"
#include "net/net.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double cpu_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
}

/* utime + stime of another process, in seconds (-1 if unreadable). */
static double cpu_of(long pid)
{
    if (pid <= 0)
        return -1;
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* After ")": state, then fields 4..13; utime and stime are 14 and 15. */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long vm_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

typedef struct result {
    double wall, cpu, sim_cpu;
    long tokens;
    long long bytes;
    long rss_kb;
    int ok;
} result;

typedef struct opts {
    const char *url, *key, *model, *curl, *cli;
    long tokens;
    int repeat;
    long sim_pid;
    int discard, no_curl;
    long queue_bytes;
} opts;

static net_request *make_request(const ai_client *c, const opts *o)
{
    ai_chat_message m = {"user", "Benchmark: stream a long answer."};
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.messages = &m;
    p.nmessages = 1;
    p.model = o->model;
    p.stream = true;
    p.max_tokens = (int)o->tokens;
    net_request *r = ai_req_chat(c, &p);
    char n[32];
    snprintf(n, sizeof n, "%ld", o->tokens);
    net_request_add_header(r, "X-Sim-Tokens", n);
    return r;
}

static result run_pipeline(net_t *net, const ai_client *c, const opts *o)
{
    result res = {0};
    ai_stream *s = ai_stream_new(c->base_url);
    net_request *r = make_request(c, o);
    double sim0 = cpu_of(o->sim_pid);
    double c0 = cpu_self(), t0 = now_s();
    net_submit(net, r);
    int terminal = 0;
    ai_stream_status st = AI_STREAM_MORE;
    while (!terminal) {
        net_event *ev = net_wait_event(net, -1);
        if (!ev)
            continue;
        ai_stream_update u;
        ai_stream_status x = ai_stream_feed(s, ev, &u);
        if (x != AI_STREAM_IGNORED)
            st = x;
        if (u.delta && u.delta_len)
            res.bytes += (long long)u.delta_len;
        if (o->discard)
            buf_clear(&s->content);
        terminal = ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED || ev->kind == NET_EV_CANCELLED;
        if (ev->kind == NET_EV_FAILED)
            fprintf(stderr, "bench-stream: the request failed: %s\n", ev->message ? ev->message : "?");
        net_event_free(ev);
    }
    res.wall = now_s() - t0;
    res.cpu = cpu_self() - c0;
    res.tokens = (long)s->deltas; /* an event carries a whole read: count chunks */
    double sim1 = cpu_of(o->sim_pid);
    res.sim_cpu = sim0 >= 0 && sim1 >= 0 ? sim1 - sim0 : -1;
    res.ok = st == AI_STREAM_FINISHED && res.tokens == o->tokens;
    if (!res.ok)
        fprintf(stderr, "bench-stream: pipeline got %ld of %ld tokens (status %d)\n", res.tokens,
                o->tokens, (int)st);
    ai_stream_free(s);
    res.rss_kb = vm_hwm_kb();
    return res;
}

static result run_curl(const ai_client *c, const opts *o)
{
    result res = {0};
    net_request *r = make_request(c, o);
    char bodyfile[] = "/tmp/aidesk-bench-body-XXXXXX";
    int fd = mkstemp(bodyfile);
    if (fd < 0 || write(fd, r->body, r->body_len) != (ssize_t)r->body_len) {
        perror("bench-stream: body file");
        exit(1);
    }
    close(fd);
    const char *argv[64];
    int n = 0;
    char data[300];
    snprintf(data, sizeof data, "@%s", bodyfile);
    argv[n++] = o->curl;
    argv[n++] = "-sS";
    argv[n++] = "-N";
    argv[n++] = "-o";
    argv[n++] = "/dev/null";
    argv[n++] = "-w";
    argv[n++] = "%{size_download}";
    for (size_t i = 0; i < r->nheaders && n < 56; i++) {
        argv[n++] = "-H";
        argv[n++] = r->headers[i];
    }
    argv[n++] = "--data-binary";
    argv[n++] = data;
    argv[n++] = r->url;
    argv[n] = NULL;
    int out[2];
    if (pipe(out) != 0) {
        perror("pipe");
        exit(1);
    }
    double sim0 = cpu_of(o->sim_pid);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    char got[64] = "";
    size_t gl = 0;
    ssize_t k;
    while ((k = read(out[0], got + gl, sizeof got - 1 - gl)) > 0)
        gl += (size_t)k;
    got[gl] = 0;
    close(out[0]);
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    res.wall = now_s() - t0;
    double sim1 = cpu_of(o->sim_pid);
    res.sim_cpu = sim0 >= 0 && sim1 >= 0 ? sim1 - sim0 : -1;
    res.cpu = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    res.rss_kb = ru.ru_maxrss;
    res.bytes = atoll(got);
    res.tokens = o->tokens;
    res.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!res.ok)
        fprintf(stderr, "bench-stream: curl failed (status %d)\n", status);
    unlink(bodyfile);
    net_request_free(r);
    return res;
}

/* aidesk chat, its output to /dev/null, with a configuration of its own
 * that asks for o->tokens tokens. CPU of the process from wait4. */
static result run_cli(const opts *o)
{
    result res = {0};
    char home[] = "/tmp/aidesk-bench-cli-XXXXXX";
    if (!mkdtemp(home)) {
        perror("bench-stream: mkdtemp");
        exit(1);
    }
    char conf_dir[512], conf[600], tokens[32];
    snprintf(conf_dir, sizeof conf_dir, "%s/aidesk", home);
    snprintf(conf, sizeof conf, "%s/config", conf_dir);
    snprintf(tokens, sizeof tokens, "%ld", o->tokens);
    FILE *f = mkdir(conf_dir, 0700) == 0 ? fopen(conf, "w") : NULL;
    if (!f || fprintf(f, "[aiassist]\nmax_tokens = %ld\n", o->tokens) < 0 || fclose(f) != 0) {
        perror("bench-stream: the CLI's config file");
        exit(1);
    }
    double sim0 = cpu_of(o->sim_pid);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        setenv("XDG_CONFIG_HOME", home, 1);
        setenv("XDG_DATA_HOME", home, 1);
        setenv("XDG_STATE_HOME", home, 1);
        setenv("AIASSIST_API_KEY", o->key, 1);
        setenv("AIASSIST_BASE_URL", o->url, 1);
        execl(o->cli, o->cli, "chat", "-q", "-m", o->model, "Benchmark: stream a long answer.",
              (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    res.wall = now_s() - t0;
    double sim1 = cpu_of(o->sim_pid);
    res.sim_cpu = sim0 >= 0 && sim1 >= 0 ? sim1 - sim0 : -1;
    res.cpu = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    res.tokens = o->tokens;
    res.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!res.ok)
        fprintf(stderr, "bench-stream: aidesk chat failed (status %d)\n", status);
    unlink(conf);
    rmdir(conf_dir);
    rmdir(home);
    return res;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench-stream --url URL [--tokens N] [--repeat R] [--model M] [--key KEY]\n"
                    "                    [--sim-pid PID] [--curl PATH] [--no-curl] [--cli AIDESK]\n"
                    "                    [--discard] [--queue-bytes N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    opts o = {NULL, "aai_demo_user", "llama-3.1-8b-instant", "curl", NULL, 1000000, 3, 0, 0, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--discard"))
            o.discard = 1;
        else if (!strcmp(a, "--no-curl"))
            o.no_curl = 1;
        else if (!v)
            usage();
        else if (!strcmp(a, "--url"))
            o.url = v, i++;
        else if (!strcmp(a, "--tokens"))
            o.tokens = atol(v), i++;
        else if (!strcmp(a, "--repeat"))
            o.repeat = atoi(v), i++;
        else if (!strcmp(a, "--model"))
            o.model = v, i++;
        else if (!strcmp(a, "--key"))
            o.key = v, i++;
        else if (!strcmp(a, "--sim-pid"))
            o.sim_pid = atol(v), i++;
        else if (!strcmp(a, "--curl"))
            o.curl = v, i++;
        else if (!strcmp(a, "--cli"))
            o.cli = v, i++;
        else if (!strcmp(a, "--queue-bytes"))
            o.queue_bytes = atol(v), i++;
        else
            usage();
    }
    if (!o.url || o.tokens < 1 || o.tokens > 10000000 || o.repeat < 1 || o.repeat > 99)
        usage();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    ai_client *c = ai_client_new(o.url, o.key);
    net_config nc = {0};
    nc.max_queued_bytes = o.queue_bytes > 0 ? (size_t)o.queue_bytes : 0; /* 0: the default */
    net_t *net = c ? net_new(&nc) : NULL;
    if (!net) {
        fprintf(stderr, "bench-stream: cannot set up the client for %s\n", o.url);
        return 1;
    }
    double pw[99], pc[99], ps[99], cw[99], cc[99], cs[99], lw[99], lc[99];
    long long pbytes = 0, cbytes = 0;
    int ok = 1;
    for (int i = 0; i < o.repeat; i++) {
        if (!o.no_curl) {
            result r = run_curl(c, &o);
            ok &= r.ok;
            cw[i] = r.wall;
            cc[i] = r.cpu;
            cs[i] = r.sim_cpu;
            cbytes = r.bytes;
        }
        result r = run_pipeline(net, c, &o);
        ok &= r.ok;
        pw[i] = r.wall;
        pc[i] = r.cpu;
        ps[i] = r.sim_cpu;
        pbytes = r.bytes;
        if (o.cli) {
            r = run_cli(&o);
            ok &= r.ok;
            lw[i] = r.wall;
            lc[i] = r.cpu;
        }
    }
    /* Every round's CPU, in order, for the spread. */
    printf("pipeline_cpu_s_all");
    for (int i = 0; i < o.repeat; i++)
        printf(" %.3f", pc[i]);
    printf("\n");
    if (!o.no_curl) {
        printf("curl_cpu_s_all");
        for (int i = 0; i < o.repeat; i++)
            printf(" %.3f", cc[i]);
        printf("\n");
    }
    if (o.cli) {
        printf("cli_cpu_s_all");
        for (int i = 0; i < o.repeat; i++)
            printf(" %.3f", lc[i]);
        printf("\n");
    }
    long rss = vm_hwm_kb();
    printf("tokens %ld\n", o.tokens);
    printf("rounds %d\n", o.repeat);
    printf("mode %s\n", o.discard ? "discard" : "keep");
    double w = median(pw, o.repeat), cpu = median(pc, o.repeat);
    printf("pipeline_wall_s %.3f\n", w);
    printf("pipeline_tokens_per_s %.0f\n", (double)o.tokens / w);
    printf("pipeline_cpu_s %.3f\n", cpu);
    printf("pipeline_cpu_us_per_token %.3f\n", cpu * 1e6 / (double)o.tokens);
    printf("pipeline_content_bytes %lld\n", pbytes);
    printf("pipeline_peak_rss_kb %ld\n", rss);
    if (o.sim_pid)
        printf("pipeline_sim_cpu_s %.3f\n", median(ps, o.repeat));
    if (!o.no_curl) {
        double ccpu = median(cc, o.repeat);
        printf("curl_wall_s %.3f\n", median(cw, o.repeat));
        printf("curl_tokens_per_s %.0f\n", (double)o.tokens / median(cw, o.repeat));
        printf("curl_cpu_s %.3f\n", ccpu);
        printf("curl_bytes %lld\n", cbytes);
        if (o.sim_pid)
            printf("curl_sim_cpu_s %.3f\n", median(cs, o.repeat));
        printf("cpu_ratio %.2f\n", ccpu > 0 ? cpu / ccpu : 0.0);
    }
    if (o.cli) {
        double lcpu = median(lc, o.repeat);
        printf("cli_wall_s %.3f\n", median(lw, o.repeat));
        printf("cli_cpu_s %.3f\n", lcpu);
        printf("cli_to_pipeline_ratio %.2f\n", cpu > 0 ? lcpu / cpu : 0.0);
        if (!o.no_curl) {
            double ccpu = median(cc, o.repeat);
            printf("cli_to_curl_ratio %.2f\n", ccpu > 0 ? lcpu / ccpu : 0.0);
        }
    }
    printf("ok %d\n", ok);
    net_free(net);
    ai_client_free(c);
    curl_global_cleanup();
    return ok ? 0 : 1;
}
