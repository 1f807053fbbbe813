/* End-to-end tests of TLS: the simulator serves https:// and wss:// with a
 * certificate of a throwaway CA made here with the openssl command, and
 * the real aidesk trusts it only through --ca-file or ca_file. A call and
 * a plain API call succeed with it; without it, or with another CA, they
 * fail on the certificate with the network exit status before anything is
 * sent. Without openssl the whole file is skipped, and says so. */
#include "config.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "test_cli_lib.h"
#include "util/buf.h"
#include "util/mem.h"

static simproc sim;
static char dir[256];       /* the certificates */
static char ca[320];        /* the CA that signed the simulator's certificate */
static char other_ca[320];  /* a CA that did not */
static char rt_env[160];    /* AI_GATE_REALTIME_URL=wss://... */

#define ENV W(rt_env, "AIDESK_PLAYER=none")

static bool have_openssl(void)
{
    return system("command -v openssl >/dev/null 2>&1") == 0;
}

/* Runs a shell command in dir, its output kept in dir/openssl.log and
 * shown when it fails. */
static int sh(const char *cmd)
{
    char *full = xasprintf("cd '%s' && (%s) >>openssl.log 2>&1", dir, cmd);
    int rc = system(full);
    free(full);
    if (rc != 0) {
        char *show = xasprintf("sed 's/^/# /' '%s/openssl.log' >&2", dir);
        if (system(show) != 0)
            fprintf(stderr, "# (no openssl.log)\n");
        free(show);
    }
    return rc;
}

/* A CA (ca.pem), a server certificate for 127.0.0.1 and localhost signed
 * by it (srv.pem, srv.key) and an unrelated CA (other-ca.pem). */
static int make_certs(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/aidesk-tls-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(other_ca, sizeof other_ca, "%s/other-ca.pem", dir);
    static const char *const steps[] = {
        "printf '%s\\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' "
        "'extendedKeyUsage=serverAuth' >srv.ext",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=aidesk test CA' "
        "-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' "
        "-keyout ca.key -out ca.pem",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=aidesk other CA' "
        "-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' "
        "-keyout other-ca.key -out other-ca.pem",
        "openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout srv.key -out srv.csr",
        "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile srv.ext -out srv.pem",
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (sh(steps[i]) != 0) {
            fprintf(stderr, "# making the test certificates failed at step %zu\n", i + 1);
            return -1;
        }
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (make_certs() != 0)
        return -1;
    char cert[320], key[320];
    snprintf(cert, sizeof cert, "%s/srv.pem", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
    if (simproc_start(&sim, W("--speed", "50", "--tls-cert", cert, "--tls-key", key)) != 0)
        return -1;
    /* Every base URL the children get is https://. */
    snprintf(sim.base_url, sizeof sim.base_url, "https://127.0.0.1:%d", sim.port);
    snprintf(rt_env, sizeof rt_env, "AI_GATE_REALTIME_URL=wss://127.0.0.1:%d/v1/realtime",
             sim.port);
    clit_init(&sim);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    clit_done();
    simproc_stop(&sim);
    if (dir[0]) {
        char *cmd = xasprintf("rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
        free(cmd);
    }
    return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    buf_append(ud, p, size * n);
    return size * n;
}

/* A /_sim/ call over TLS, trusting the test CA; the answer's body. */
static char *sim_call(const char *method, const char *path)
{
    CURL *e = curl_easy_init();
    assert_non_null(e);
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d%s", sim.port, path);
    buf_t b = BUF_INIT;
    long status = 0;
    assert_int_equal(curl_easy_setopt(e, CURLOPT_URL, url), CURLE_OK);
    assert_int_equal(curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method), CURLE_OK);
    assert_int_equal(curl_easy_setopt(e, CURLOPT_CAINFO, ca), CURLE_OK);
    assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body), CURLE_OK);
    assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEDATA, &b), CURLE_OK);
    if (!strcmp(method, "POST"))
        assert_int_equal(curl_easy_setopt(e, CURLOPT_POSTFIELDS, "{}"), CURLE_OK);
    CURLcode rc = curl_easy_perform(e);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(e);
    assert_int_equal(status, 200);
    return buf_steal(&b);
}

static int fresh(void **state)
{
    (void)state;
    free(sim_call("POST", "/_sim/reset"));
    /* No config file a failed test left behind. */
    char *conf = xasprintf("%s/c/aidesk/config", clit_home());
    unlink(conf);
    free(conf);
    return 0;
}

/* What the simulator saw: requests to the Gate session endpoint, and
 * sessions minted. */
static void assert_nothing_sent(void)
{
    char *stats = sim_call("GET", "/_sim/stats");
    if (strstr(stats, "\"/session\"") || strstr(stats, "\"/v1/"))
        fail_msg("the simulator was sent a request: %s", stats);
    free(stats);
    char *gate = sim_call("GET", "/_sim/gate");
    if (!strstr(gate, "\"sessions\": []") && !strstr(gate, "\"sessions\":[]"))
        fail_msg("a session was minted: %s", gate);
    free(gate);
}

static void call__over_https_and_wss_with_the_ca_file(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, ENV, NULL,
             W("--ca-file", ca, "gate", "call", "--say", "Where is my parcel?"));
    CLIT_EXPECT(r, 0, "You said: Where is my parcel?", NULL);
    assert_non_null(strstr(r.out, "timings        first text "));
    clit_res_free(&r);
    char *stats = sim_call("GET", "/_sim/stats");
    assert_non_null(strstr(stats, "\"/session\":1"));
    free(stats);
}

/* The same CA from the config file: ca_file in [aiassist]. */
static void call__trusts_the_ca_file_of_the_config_file(void **state)
{
    (void)state;
    char *cdir = xasprintf("%s/c/aidesk", clit_home());
    char *cmd = xasprintf("mkdir -p '%s'", cdir);
    assert_int_equal(system(cmd), 0);
    char *conf = xasprintf("%s/config", cdir);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f, "[aiassist]\nca_file = %s\n", ca);
    assert_int_equal(fclose(f), 0);
    clit_res r;
    clit_run(&r, ENV, NULL, W("gate", "call", "--say", "hello there"));
    CLIT_EXPECT(r, 0, "You said: hello there", NULL);
    clit_res_free(&r);
    /* --ca-file overrides it. */
    clit_run(&r, ENV, NULL, W("--ca-file", other_ca, "gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 5, NULL, "certificate");
    clit_res_free(&r);
    assert_int_equal(unlink(conf), 0);
    free(conf);
    free(cmd);
    free(cdir);
}

static void call__without_the_ca_fails_on_the_certificate_and_sends_nothing(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, ENV, NULL, W("gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 5, NULL, "certificate");
    assert_null(strstr(r.out, "You said"));
    clit_res_free(&r);
    assert_nothing_sent();
    /* The CA file replaces the system's: another CA is no better. */
    clit_run(&r, ENV, NULL, W("--ca-file", other_ca, "gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 5, NULL, "certificate");
    clit_res_free(&r);
    assert_nothing_sent();
    /* A CA file that is not there stops aidesk before it connects. */
    clit_run(&r, ENV, NULL, W("--ca-file", "/nonexistent/ca.pem", "gate", "call", "--say", "hi"));
    CLIT_EXPECT(r, 2, NULL, "--ca-file: cannot read the CA file /nonexistent/ca.pem");
    clit_res_free(&r);
    assert_nothing_sent();
}

static void models__over_https_with_the_ca_file(void **state)
{
    (void)state;
    clit_res r;
    clit_run(&r, NULL, NULL, W("--ca-file", ca, "models"));
    CLIT_EXPECT(r, 0, "gpt-4o", NULL);
    clit_res_free(&r);
    clit_run(&r, NULL, NULL, W("models"));
    CLIT_EXPECT(r, 5, NULL, "certificate");
    clit_res_free(&r);
    char *stats = sim_call("GET", "/_sim/stats");
    assert_non_null(strstr(stats, "\"/v1/models\":1"));
    free(stats);
}

#define T(f) cmocka_unit_test_setup(f, fresh)

int main(void)
{
    if (!have_openssl()) {
        /* A loud skip: TAP's, which make check counts and shows as SKIP. */
        static const char why[] = "openssl not found: the TLS tests need it to make their "
                                  "certificates (Debian: apt-get install openssl)";
        printf("1..0 # SKIP %s\n", why);
        fprintf(stderr, "test_call_tls: SKIPPED: %s\n", why);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        T(call__over_https_and_wss_with_the_ca_file),
        T(call__trusts_the_ca_file_of_the_config_file),
        T(call__without_the_ca_fails_on_the_certificate_and_sends_nothing),
        T(models__over_https_with_the_ca_file),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, group_setup, group_teardown) ? 1 : 0;
}
