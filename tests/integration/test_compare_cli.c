/* End-to-end tests of "aidesk compare" against the simulator: the metrics
 * table, --json with the answers, repeat statistics, a failed model, usage
 * errors, --save. */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/mem.h"

static simproc sim;

#define FAST "llama-3.1-8b-instant"
#define MID "gpt-4o"
#define SLOW "claude-3-5-sonnet-20241022"

static int setup(void **state)
{
    (void)state;
    return clit_start_sim(&sim, W("--speed", "1", "--reply-tokens", "24"));
}

/* The line of the table that names model. */
static const char *row(const char *out, const char *model)
{
    const char *p = strstr(out, model);
    while (p && p != out && p[-1] != '\n')
        p = strstr(p + 1, model);
    return p;
}

static void compare__prints_the_metrics_table(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "-m", SLOW, "-m", FAST, "-m", MID, "hello", "there"));
    CLIT_EXPECT(r, 0, "MODEL", NULL);
    assert_non_null(strstr(r.out, "TTFT ms"));
    assert_non_null(strstr(r.out, "tok/s"));
    assert_non_null(strstr(r.out, "completion"));
    /* Header, three rows, the legend. */
    assert_int_equal(clit_count(r.out, "\n"), 5);
    const char *fast = row(r.out, FAST), *slow = row(r.out, SLOW), *mid = row(r.out, MID);
    assert_non_null(fast);
    assert_non_null(slow);
    assert_non_null(mid);
    /* In the order given; the groq model is marked fastest. */
    assert_true(slow < fast && fast < mid);
    const char *eol = strchr(fast, '\n');
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(eol - fast), fast);
    assert_non_null(strstr(line, "groq"));
    assert_non_null(strstr(line, "done"));
    assert_int_equal(clit_count(line, "*"), 2);
    assert_non_null(strstr(line, " 24 "));
    assert_non_null(strstr(line, "stop"));
    assert_non_null(strstr(r.out, "anthropic"));
    clit_res_free(&r);
}

static void compare__json_has_the_answers_and_the_metrics(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, "write a list\n", W("--json", "compare", "-m", FAST, "-m", MID, "-"));
    CLIT_EXPECT(r, 0, "\"columns\":[", NULL);
    assert_int_equal(clit_count(r.out, "\n"), 1);
    char *v = clit_json_str(r.out, "prompt");
    assert_string_equal(v, "write a list");
    free(v);
    v = clit_json_str(r.out, "columns.1.model");
    assert_string_equal(v, MID);
    free(v);
    v = clit_json_str(r.out, "columns.1.provider");
    assert_string_equal(v, "openai");
    free(v);
    v = clit_json_str(r.out, "columns.0.state");
    assert_string_equal(v, "done");
    free(v);
    v = clit_json_str(r.out, "columns.0.completion_tokens");
    assert_string_equal(v, "24");
    free(v);
    v = clit_json_str(r.out, "columns.0.completion_tokens_approx");
    assert_string_equal(v, "false");
    free(v);
    v = clit_json_str(r.out, "columns.0.fastest_ttft");
    assert_string_equal(v, "true");
    free(v);
    v = clit_json_str(r.out, "columns.1.fastest_ttft");
    assert_string_equal(v, "false");
    free(v);
    v = clit_json_str(r.out, "columns.0.answer");
    assert_true(v && strlen(v) > 24);
    free(v);
    v = clit_json_str(r.out, "columns.1.ttft_ms");
    assert_true(v && atof(v) > 50);
    free(v);
    v = clit_json_str(r.out, "columns.1.error");
    assert_null(v);
    v = clit_json_str(r.out, "transcript");
    assert_null(v);
    clit_res_free(&r);
}

static void compare__repeats_and_reports_median_and_spread(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "-m", "mixtral-8x7b-32768", "-n", "3", "hi"));
    CLIT_EXPECT(r, 0, "3 runs per model", NULL);
    assert_non_null(strstr(r.out, "TTFT median"));
    assert_non_null(strstr(r.out, "tok/s IQR"));
    clit_res_free(&r);
    clit_run(&r, NULL, NULL,
             W("compare", "--json", "-m", FAST, "-m", "mixtral-8x7b-32768", "-n", "3", "hi"));
    CLIT_EXPECT(r, 0, NULL, NULL);
    char *v = clit_json_str(r.out, "runs");
    assert_string_equal(v, "3");
    free(v);
    v = clit_json_str(r.out, "columns.1.stats.ttft_ms.n");
    assert_string_equal(v, "3");
    free(v);
    v = clit_json_str(r.out, "columns.1.stats.tok_s.median");
    assert_true(v && atof(v) > 0);
    free(v);
    v = clit_json_str(r.out, "columns.0.runs.2.state");
    assert_string_equal(v, "done");
    free(v);
    clit_res_free(&r);
}

static void compare__a_failed_model_keeps_its_row_and_sets_the_status(void **state)
{
    (void)state;
    clit_fault(&sim, "status=500;times=1;path=/v1/chat/completions");
    clit_res r;
    clit_run(&r, NULL, NULL,
             W("--max-retries", "0", "compare", "-m", FAST, "-m", "mixtral-8x7b-32768", "hello"));
    CLIT_EXPECT(r, 6, "failed", "aidesk: ");
    assert_int_equal(clit_count(r.out, "done"), 1);
    assert_int_equal(clit_count(r.out, "failed"), 1);
    assert_int_equal(clit_count(r.err, "aidesk: "), 1);
    clit_res_free(&r);
}

static void compare__refuses_bad_usage(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "hello"));
    CLIT_EXPECT(r, 2, NULL, "-m MODEL");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "-n", "0", "hello"));
    CLIT_EXPECT(r, 2, NULL, "out of range");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "--max-tokens", "x", "hello"));
    CLIT_EXPECT(r, 2, NULL, "not a whole number");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL,
             W("compare", "-m", "a", "-m", "b", "-m", "c", "-m", "d", "-m", "e", "-m", "f", "-m",
               "g", "-m", "h", "-m", "i", "-m", "j", "-m", "k", "-m", "l", "-m", "m", "hi"));
    CLIT_EXPECT(r, 2, NULL, "at most 12");
    clit_res_free(&r);
    clit_run(&r, NULL, "", W("compare", "-m", FAST, "-"));
    CLIT_EXPECT(r, 2, NULL, "empty");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "--help"));
    CLIT_EXPECT(r, 0, "--runs", NULL);
    clit_res_free(&r);
    /* An unknown model fails in its row (404), the other is fine. */
    clit_run(&r, NULL, NULL, W("compare", "-m", FAST, "-m", "no-such-model", "hi"));
    CLIT_EXPECT(r, 1, "no-such-model", "no-such-model");
    assert_int_equal(clit_count(r.out, "done"), 1);
    clit_res_free(&r);
}

static void compare__saves_a_transcript_on_request(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("compare", "--save", "--max-tokens", "5", "-m", FAST, "-m", MID, "hi"));
    CLIT_EXPECT(r, 0, "length", "saved to ");
    assert_non_null(strstr(r.err, "cut at max_tokens (5)"));
    char dir[512];
    snprintf(dir, sizeof dir, "%s/d/aidesk/transcripts", clit_home());
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, "-compare-") != NULL;
    closedir(d);
    assert_int_equal(n, 1);
    clit_res_free(&r);
}

static void compare__asks_for_max_tokens_of_the_config_file(void **state)
{
    (void)state;
    char conf[600];
    snprintf(conf, sizeof conf, "%s/compare-test.conf", clit_home());
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fputs("[aiassist]\nmax_tokens = 6\n", f);
    assert_int_equal(fclose(f), 0);
    clit_res r;
    clit_run(&r, NULL, NULL, W("--config", conf, "compare", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 0, "length", "cut at max_tokens (6)");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("--config", conf, "compare", "--max-tokens", "4", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 0, "length", "cut at max_tokens (4)");
    clit_res_free(&r);
}

/* A stand-in server that keeps each request's body (one per line in
 * bodies) and streams a two-token answer: what the wire carries. */
static const char capture_py[] =
    "import http.server, json, os, sys\n"
    "out, portfile = sys.argv[1], sys.argv[2]\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    protocol_version = 'HTTP/1.1'\n"
    "    def log_message(self, *a): pass\n"
    "    def do_POST(self):\n"
    "        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))\n"
    "        with open(out, 'ab') as f: f.write(body + b'\\n')\n"
    "        data = b''\n"
    "        for i, d in enumerate([{'role': 'assistant', 'content': 'hi'}, {}]):\n"
    "            ev = {'id': 'c1', 'object': 'chat.completion.chunk', 'created': 1,\n"
    "                  'model': 'gpt-4o', 'choices': [{'index': 0, 'delta': d,\n"
    "                  'finish_reason': 'stop' if i else None}]}\n"
    "            data += b'data: ' + json.dumps(ev).encode() + b'\\n\\n'\n"
    "        data += b'data: [DONE]\\n\\n'\n"
    "        self.send_response(200)\n"
    "        self.send_header('Content-Type', 'text/event-stream')\n"
    "        self.send_header('Content-Length', str(len(data)))\n"
    "        self.end_headers()\n"
    "        self.wfile.write(data)\n"
    "s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)\n"
    "open(portfile + '.tmp', 'w').write(str(s.server_address[1]))\n"
    "os.rename(portfile + '.tmp', portfile)\n"
    "s.serve_forever()\n";

static void compare__a_system_prompt_and_a_temperature_go_to_every_model(void **state)
{
    (void)state;
    /* With the simulator: the system prompt is part of every prompt. */
    clit_res r;
    clit_run(&r, NULL, NULL, W("--json", "compare", "-m", FAST, "-m", MID, "hello"));
    CLIT_EXPECT(r, 0, "\"columns\":[", NULL);
    char *plain = clit_json_str(r.out, "columns.0.prompt_tokens");
    char *v = clit_json_str(r.out, "system");
    assert_null(v); /* null: none */
    clit_res_free(&r);
    clit_run(&r, NULL, NULL,
             W("--json", "compare", "-s", "Answer like a pirate, in one line.", "--temperature",
               "0.25", "-m", FAST, "-m", MID, "hello"));
    CLIT_EXPECT(r, 0, "\"columns\":[", NULL);
    v = clit_json_str(r.out, "system");
    assert_string_equal(v, "Answer like a pirate, in one line.");
    free(v);
    v = clit_json_str(r.out, "temperature");
    assert_string_equal(v, "0.25");
    free(v);
    for (int col = 0; col < 2; col++) {
        char path[64];
        snprintf(path, sizeof path, "columns.%d.prompt_tokens", col);
        char *with = clit_json_str(r.out, path);
        assert_non_null(plain);
        assert_non_null(with);
        if (atol(with) <= atol(plain))
            fail_msg("column %d: %s prompt tokens with the system prompt, %s without", col, with,
                     plain);
        free(with);
    }
    free(plain);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "--temperature", "2.5", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 2, NULL, "--temperature must be between 0 and 2");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "--temperature", "warm", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 2, NULL, "not a number");
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("compare", "-s", "", "-m", FAST, "hi"));
    CLIT_EXPECT(r, 2, NULL, "the system prompt is empty");
    clit_res_free(&r);

    /* On the wire, to a server that keeps what it gets. */
    char dir[600], bodies[700], portfile[700], script[700];
    snprintf(dir, sizeof dir, "%s/capture", clit_home());
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(bodies, sizeof bodies, "%s/bodies", dir);
    snprintf(portfile, sizeof portfile, "%s/port", dir);
    snprintf(script, sizeof script, "%s/capture.py", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    assert_true(fputs(capture_py, f) >= 0);
    assert_int_equal(fclose(f), 0);
    const char *py = getenv("PYTHON3") && *getenv("PYTHON3") ? getenv("PYTHON3") : "python3";
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execlp(py, py, script, bodies, portfile, (char *)NULL);
        _exit(127);
    }
    char port[16] = "";
    for (int i = 0; i < 200 && !port[0]; i++) {
        FILE *pf = fopen(portfile, "r");
        if (pf) {
            if (!fgets(port, sizeof port, pf))
                port[0] = '\0';
            fclose(pf);
        }
        if (!port[0])
            usleep(50000);
    }
    assert_true(port[0] != '\0');
    char url[100];
    snprintf(url, sizeof url, "AIASSIST_BASE_URL=http://127.0.0.1:%s", port);
    clit_run(&r, W(url), NULL,
             W("compare", "-s", "Be brief.", "--temperature", "0.25", "-m", FAST, "-m", MID,
               "hello"));
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    CLIT_EXPECT(r, 0, "done", NULL);
    clit_res_free(&r);
    f = fopen(bodies, "r");
    assert_non_null(f);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        char *sys = clit_json_str(line, "messages.0.role");
        char *text = clit_json_str(line, "messages.0.content");
        char *t = clit_json_str(line, "temperature");
        char *user = clit_json_str(line, "messages.1.content");
        assert_string_equal(sys, "system");
        assert_string_equal(text, "Be brief.");
        assert_string_equal(t, "0.25");
        assert_string_equal(user, "hello");
        free(sys);
        free(text);
        free(t);
        free(user);
    }
    fclose(f);
    assert_int_equal(n, 2); /* one request per model, both alike */
}

int main(void)
{
/* Each test starts without faults left over. */
#define T(f) cmocka_unit_test_setup(f, clit_fresh)
    const struct CMUnitTest tests[] = {
        T(compare__prints_the_metrics_table),
        T(compare__json_has_the_answers_and_the_metrics),
        T(compare__repeats_and_reports_median_and_spread),
        T(compare__a_failed_model_keeps_its_row_and_sets_the_status),
        T(compare__refuses_bad_usage),
        T(compare__saves_a_transcript_on_request),
        T(compare__asks_for_max_tokens_of_the_config_file),
        T(compare__a_system_prompt_and_a_temperature_go_to_every_model),
    };
#undef T
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, clit_group_teardown) ? 1 : 0;
}
