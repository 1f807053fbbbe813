/* Unit tests for src/config: layers and precedence, the INI reader, file
 * permission rules, key commands, URL rules, redaction and rendering. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/ini.h"
#include "config/keycmd.h"
#include "config/settings.h"
#include "slurp.h"
#include "test.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

/* ---------------------------------------------------------------- fixture */

typedef struct fx {
    char *root;
    char *conf; /* $XDG_CONFIG_HOME/aidesk/config */
} fx;

static const char *const service_vars[] = {"AIASSIST_API_KEY", "AIASSIST_BASE_URL",
                                           "AI_GATE_PROJECT_ID", "AI_GATE_BASE_URL",
                                           "AI_GATE_REALTIME_URL"};

static char *sub(const fx *f, const char *rel)
{
    return xasprintf("%s/%s", f->root, rel);
}

static int setup(void **state)
{
    fx *f = xcalloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/aidesk-test-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    f->root = mkdtemp(tmpl);
    assert_non_null(f->root);
    const char *dirs[][2] = {{"HOME", "home"},
                             {"XDG_CONFIG_HOME", "config"},
                             {"XDG_DATA_HOME", "data"},
                             {"XDG_STATE_HOME", "state"}};
    for (size_t i = 0; i < 4; i++) {
        char *d = sub(f, dirs[i][1]);
        assert_int_equal(mkdir(d, 0700), 0);
        setenv(dirs[i][0], d, 1);
        free(d);
    }
    char *d = sub(f, "config/aidesk");
    assert_int_equal(mkdir(d, 0700), 0);
    free(d);
    f->conf = sub(f, "config/aidesk/config");
    for (size_t i = 0; i < sizeof service_vars / sizeof *service_vars; i++)
        unsetenv(service_vars[i]);
    umask(022);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fx *f = *state;
    nftw(f->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->root);
    free(f->conf);
    free(f);
    log_clear_secrets();
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

/* Loads with opts; asserts success. */
static config_t *load_ok(const config_options *o)
{
    char *err = NULL;
    config_t *c = NULL;
    int rc = config_load(o, &c, &err);
    if (rc != 0)
        fail_msg("config_load failed: %s", err);
    return c;
}

/* Loads with opts; asserts failure and returns the message. */
static char *load_err(const config_options *o)
{
    char *err = NULL;
    config_t *c = NULL;
    assert_int_equal(config_load(o, &c, &err), -1);
    assert_null(c);
    assert_non_null(err);
    return err;
}

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        if (!strstr((hay), (needle)))                                                              \
            fail_msg("'%s' does not contain '%s'", (hay), (needle));                               \
    } while (0)

/* ------------------------------------------------------------- precedence */

static void config__uses_defaults_without_file_env_or_options(void **state)
{
    (void)state;
    config_t *c = load_ok(NULL);
    assert_string_equal(c->base_url, CONFIG_DEFAULT_BASE_URL);
    assert_string_equal(c->gate_url, CONFIG_DEFAULT_GATE_URL);
    assert_string_equal(c->model, "gpt-4o");
    assert_int_equal(c->timeout_ms, 30000);
    assert_int_equal(c->max_retries, 3);
    assert_int_equal(c->max_tokens, 1024);
    assert_int_equal(c->keep_workspaces, 200);
    assert_false(c->allow_http);
    assert_false(c->insecure_tls);
    assert_false(c->osc52);
    assert_string_equal(c->theme, "default");
    assert_null(c->debug_log);
    assert_null(c->api_key);
    assert_null(c->project_id);
    assert_false(c->config_loaded);
    for (int i = 0; i < CONFIG_N_ITEMS; i++)
        assert_int_equal(c->origin[i].source, CONFIG_SRC_DEFAULT);
    config_free(c);
}

/* For both base URLs: each layer beats the ones below it. */
static void config__option_beats_env_beats_file_beats_default_for_base_urls(void **state)
{
    fx *f = *state;
    write_file(f->conf,
               "[aiassist]\nbase_url = https://file.example/\n"
               "[gate]\nbase_url = https://gate-file.example\n",
               0644);
    config_options o = {0};
    config_t *c = load_ok(&o);
    assert_string_equal(c->base_url, "https://file.example");
    assert_string_equal(c->gate_url, "https://gate-file.example");
    assert_int_equal(c->origin[CONFIG_BASE_URL].source, CONFIG_SRC_FILE);
    char *where = xasprintf("%s:2", f->conf);
    assert_string_equal(c->origin[CONFIG_BASE_URL].where, where);
    free(where);
    config_free(c);

    setenv("AIASSIST_BASE_URL", "https://env.example", 1);
    setenv("AI_GATE_BASE_URL", "https://gate-env.example", 1);
    c = load_ok(&o);
    assert_string_equal(c->base_url, "https://env.example");
    assert_string_equal(c->gate_url, "https://gate-env.example");
    assert_int_equal(c->origin[CONFIG_GATE_URL].source, CONFIG_SRC_ENV);
    assert_string_equal(c->origin[CONFIG_GATE_URL].where, "AI_GATE_BASE_URL");
    config_free(c);

    o.base_url = "https://opt.example";
    o.gate_url = "https://gate-opt.example";
    c = load_ok(&o);
    assert_string_equal(c->base_url, "https://opt.example");
    assert_string_equal(c->gate_url, "https://gate-opt.example");
    assert_int_equal(c->origin[CONFIG_BASE_URL].source, CONFIG_SRC_OPTION);
    assert_string_equal(c->origin[CONFIG_BASE_URL].where, "--base-url");
    config_free(c);
}

/* Settings without an environment layer: option > file > default. */
static void config__option_beats_file_for_every_other_setting(void **state)
{
    fx *f = *state;
    write_file(f->conf,
               "[aiassist]\nmodel = claude-3-haiku-20240307\ntimeout = 2.5\nmax_retries = 7\n"
               "max_tokens = 20000\n"
               "allow_http = yes\n[ui]\ntheme = dark\nosc52 = on\nkeep_workspaces = 50\n"
               "[debug]\nlog = ~/aidesk.log\n",
               0644);
    config_t *c = load_ok(NULL);
    assert_int_equal(c->keep_workspaces, 50);
    assert_string_equal(c->model, "claude-3-haiku-20240307");
    assert_int_equal(c->timeout_ms, 2500);
    assert_int_equal(c->max_retries, 7);
    assert_int_equal(c->max_tokens, 20000);
    assert_true(c->allow_http);
    assert_true(c->osc52);
    assert_string_equal(c->theme, "dark");
    char *log = xasprintf("%s/aidesk.log", getenv("HOME"));
    assert_string_equal(c->debug_log, log);
    free(log);
    for (int i = CONFIG_MODEL; i <= CONFIG_DEBUG_LOG; i++)
        if (i != CONFIG_INSECURE_TLS)
            assert_int_equal(c->origin[i].source, CONFIG_SRC_FILE);
    config_free(c);

    config_options o = {.model = "gpt-4o-mini",
                        .timeout = "60",
                        .max_retries = "0",
                        .allow_http = CONFIG_FLAG_OFF,
                        .insecure_tls = CONFIG_FLAG_ON,
                        .theme = "light",
                        .debug_log = "/dev/null"};
    c = load_ok(&o);
    assert_string_equal(c->model, "gpt-4o-mini");
    assert_int_equal(c->timeout_ms, 60000);
    assert_int_equal(c->max_retries, 0);
    assert_false(c->allow_http);
    assert_true(c->insecure_tls);
    assert_string_equal(c->theme, "light");
    assert_string_equal(c->debug_log, "/dev/null");
    assert_int_equal(c->origin[CONFIG_TIMEOUT].source, CONFIG_SRC_OPTION);
    assert_string_equal(c->origin[CONFIG_TIMEOUT].where, "--timeout");
    assert_int_equal(c->origin[CONFIG_OSC52].source, CONFIG_SRC_FILE);
    config_free(c);
}

static void config__env_beats_file_for_key_and_project_id(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\napi_key = aai_fromfile1\n[gate]\nproject_id = proj_file\n",
               0600);
    config_t *c = load_ok(NULL);
    assert_string_equal(c->api_key, "aai_fromfile1");
    assert_string_equal(c->project_id, "proj_file");
    assert_int_equal(c->origin[CONFIG_API_KEY].source, CONFIG_SRC_FILE);
    config_free(c);

    setenv("AIASSIST_API_KEY", "aai_fromenv22", 1);
    setenv("AI_GATE_PROJECT_ID", "proj_env", 1);
    c = load_ok(NULL);
    assert_string_equal(c->api_key, "aai_fromenv22");
    assert_string_equal(c->project_id, "proj_env");
    assert_int_equal(c->origin[CONFIG_PROJECT_ID].source, CONFIG_SRC_ENV);
    config_free(c);

    /* An empty variable is no value: the file's counts. */
    setenv("AIASSIST_API_KEY", "", 1);
    c = load_ok(NULL);
    assert_string_equal(c->api_key, "aai_fromfile1");
    config_free(c);
}

static void config__explicit_config_path_replaces_default_and_must_exist(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\nmodel = from-default-file\n", 0644);
    char *other = sub(f, "other.conf");
    write_file(other, "[aiassist]\nmodel = from-other-file\n", 0644);
    config_options o = {.config_path = other};
    config_t *c = load_ok(&o);
    assert_string_equal(c->model, "from-other-file");
    assert_string_equal(c->config_path, other);
    assert_true(c->config_loaded);
    config_free(c);
    free(other);

    o.config_path = "/nonexistent-aidesk-dir/config";
    char *err = load_err(&o);
    assert_contains(err, "/nonexistent-aidesk-dir/config");
    assert_contains(err, "No such file");
    free(err);
}

static void config__option_values_are_range_checked(void **state)
{
    (void)state;
    static const struct {
        config_options o;
        const char *msg;
    } cases[] = {
        {{.timeout = "0.05"}, "--timeout: timeout must be between 0.1 and 3600"},
        {{.timeout = "3600.5"}, "between 0.1 and 3600"},
        {{.timeout = "2,5"}, "--timeout: timeout must be a number of seconds"},
        {{.timeout = "1e3"}, "number of seconds"},
        {{.timeout = ""}, "number of seconds"},
        {{.max_retries = "11"}, "--max-retries: max_retries must be between 0 and 10"},
        {{.max_retries = "-1"}, "whole number"},
        {{.model = ""}, "--model: model must not be empty"},
        {{.model = "gpt 4o"}, "printable"},
        {{.base_url = "ftp://x.example"}, "--base-url: 'ftp://x.example' must start with https://"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *err = load_err(&cases[i].o);
        assert_contains(err, cases[i].msg);
        free(err);
    }
    config_options ok = {.timeout = "0.1", .max_retries = "10"};
    config_t *c = load_ok(&ok);
    assert_int_equal(c->timeout_ms, 100);
    assert_int_equal(c->max_retries, 10);
    config_free(c);
    ok.timeout = "3600";
    c = load_ok(&ok);
    assert_int_equal(c->timeout_ms, 3600000);
    config_free(c);
}

/* -------------------------------------------------------------------- INI */

static char *collect(void *ud, const char *section, const char *key, const char *value, int line)
{
    buf_t *b = ud;
    if (key)
        buf_printf(b, "%d:%s.%s=<%s>\n", line, section, key, value);
    else
        buf_printf(b, "%d:[%s]\n", line, section);
    return NULL;
}

static void ini__parses_comments_quotes_and_blank_lines(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF# comment after a byte order mark\n"
                       "; another\n"
                       "\n"
                       "  [one]  # trailing comment\n"
                       "a=1\n"
                       "  b  =   spaced out value  \r\n"
                       "c = \"  quoted # not a comment \\\"q\\\" \\\\ \"\n"
                       "d =\n"
                       "e = x#y\n"
                       "[two]\n"
                       "f = \"\"\n";
    buf_t b = BUF_INIT;
    char *err = NULL;
    assert_int_equal(ini_parse(text, strlen(text), "t", collect, &b, &err), 0);
    assert_string_equal(buf_cstr(&b), "4:[one]\n"
                                      "5:one.a=<1>\n"
                                      "6:one.b=<spaced out value>\n"
                                      "7:one.c=<  quoted # not a comment \"q\" \\ >\n"
                                      "8:one.d=<>\n"
                                      "9:one.e=<x#y>\n"
                                      "10:[two]\n"
                                      "11:two.f=<>\n");
    buf_free(&b);
}

static void ini__reports_errors_with_name_and_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"[a]\nb = 1\njust words\n", "f.ini:3: expected 'key = value' or '[section]'"},
        {"k = v\n", "f.ini:1: key 'k' comes before any [section]"},
        {"[a\n", "f.ini:1: section header without ']'"},
        {"[a] x\n", "f.ini:1: unexpected text after the section header"},
        {"[]\n", "f.ini:1: bad section name ''"},
        {"[a]\nk = \"open\n", "f.ini:2: unterminated quoted value"},
        {"[a]\nk = \"a\" \"b\"\n", "f.ini:2: unexpected text after the closing quote"},
        {"[a]\nbad key = 1\n", "f.ini:2: bad key name 'bad key'"},
        {"[a]\n\nk = \xff\n", "f.ini:3: invalid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf_t b = BUF_INIT;
        char *err = NULL;
        assert_int_equal(
            ini_parse(cases[i].text, strlen(cases[i].text), "f.ini", collect, &b, &err), -1);
        assert_non_null(err);
        assert_contains(err, cases[i].msg);
        free(err);
        buf_free(&b);
    }
    const char nul[] = "[a]\nk = v\0w\n";
    char *err = NULL;
    buf_t b = BUF_INIT;
    assert_int_equal(ini_parse(nul, sizeof nul - 1, "f.ini", collect, &b, &err), -1);
    assert_string_equal(err, "f.ini:2: NUL byte in the file");
    free(err);
    buf_free(&b);
}

static void config__reads_the_full_fixture(void **state)
{
    fx *f = *state;
    const char *srcdir = getenv("AIDESK_SRCDIR");
    if (!srcdir)
        skip();
    char *fixture = xasprintf("%s/tests/files/config/full.conf", srcdir);
    char *err = NULL;
    char *text = slurp(fixture);
    assert_non_null(text);
    write_file(f->conf, text, 0600); /* the fixture holds a key: private copy */
    config_t *c = NULL;
    assert_int_equal(config_load(NULL, &c, &err), 0);
    assert_string_equal(c->base_url, "http://localhost:8080/v1");
    assert_string_equal(c->api_key, "aai_fixture_key_123");
    assert_string_equal(c->model, "meta-llama/Llama-3.3-70B-Instruct-Turbo");
    assert_int_equal(c->timeout_ms, 12500);
    assert_int_equal(c->max_retries, 5);
    assert_string_equal(c->gate_url, "https://[::1]:9443");
    assert_string_equal(c->project_id, "proj_fixture");
    assert_string_equal(c->theme, "solarized-dark");
    assert_true(c->osc52);
    config_free(c);
    free(text);
    free(fixture);
}

static void config__unknown_key_is_an_error_naming_file_and_line(void **state)
{
    fx *f = *state;
    write_file(f->conf, "# settings\n[aiassist]\n\nmodle = gpt-4o\n", 0644);
    char *err = load_err(NULL);
    char *want = xasprintf("%s:4: unknown key 'modle' in [aiassist]", f->conf);
    assert_string_equal(err, want);
    free(want);
    free(err);
}

static void config__bad_section_number_and_boolean_are_errors(void **state)
{
    fx *f = *state;
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"[aiasist]\nmodel = x\n", ":1: unknown section [aiasist]"},
        {"[aiassist]\ntimeout = soon\n", ":2: timeout: timeout must be a number of seconds"},
        {"[aiassist]\ntimeout = 0\n", ":2: timeout: timeout must be between 0.1 and 3600"},
        {"[aiassist]\nmax_retries = 3.5\n", ":2: max_retries: max_retries must be a whole"},
        {"[aiassist]\nmax_tokens = 0\n", ":2: max_tokens: max_tokens must be between 1 and 1000000"},
        {"[aiassist]\nmax_tokens = many\n", ":2: max_tokens: max_tokens must be a whole number"},
        {"[aiassist]\nallow_http = maybe\n", ":2: allow_http: expected true or false"},
        {"[ui]\nosc52 = enabled\n", ":2: osc52: expected true or false"},
        {"[ui]\nkeep_workspaces = -1\n", ":2: keep_workspaces: keep_workspaces must be a whole"},
        {"[ui]\nkeep_workspaces = 100001\n",
         ":2: keep_workspaces: keep_workspaces must be between 0 and 100000"},
        {"[gate]\nmodel = x\n", ":2: unknown key 'model' in [gate]"},
        {"[aiassist]\nbase_url = https://user:pw@x.example\n",
         ":2: base_url: the URL must not contain user info"},
        {"[debug]\nlog =\n", ":2: log: the debug log path is empty"},
        {"[gate]\nbase_url = api.example\n",
         ":2: base_url: 'api.example' must start with https://"},
        {"[aiassist]\napi_key_cmd = pass show x | head\n", ":2: api_key_cmd: shell syntax"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_file(f->conf, cases[i].text, 0644);
        char *err = load_err(NULL);
        assert_contains(err, f->conf);
        assert_contains(err, cases[i].msg);
        assert_null(strstr(err, "pw@"));
        free(err);
    }
}

/* ------------------------------------------------------------ permissions */

static void config__refuses_key_file_readable_by_others(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\napi_key = aai_leaky_key_1\n", 0644);
    char *err = load_err(NULL);
    char *want = xasprintf("config file %s holds an API key and is readable by others "
                           "(mode 0644); fix with: chmod 600 %s",
                           f->conf, f->conf);
    assert_string_equal(err, want);
    assert_null(strstr(err, "aai_leaky_key_1"));
    free(want);
    free(err);

    write_file(f->conf, "[gate]\nproject_id = proj_leaky\n", 0640);
    err = load_err(NULL);
    assert_contains(err, "holds an AI Gate project id and is readable by others (mode 0640)");
    free(err);
}

static void config__accepts_private_key_file(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\napi_key = aai_private_key\n", 0600);
    config_t *c = load_ok(NULL);
    assert_string_equal(c->api_key, "aai_private_key");
    config_free(c);
    write_file(f->conf, "[aiassist]\napi_key = aai_private_key\n", 0400);
    c = load_ok(NULL);
    config_free(c);
}

static void config__accepts_public_file_without_secrets(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\nmodel = gpt-4o-mini\n", 0644);
    config_t *c = load_ok(NULL);
    assert_string_equal(c->model, "gpt-4o-mini");
    config_free(c);
}

static void config__refuses_group_writable_file_with_key_command(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\napi_key_cmd = printf aai_cmd_key\n", 0664);
    char *err = load_err(NULL);
    assert_contains(err, "names a key command and is writable by others (mode 0664)");
    assert_contains(err, "fix with: chmod go-w");
    free(err);
    /* Readable is fine for a command: it holds no secret itself. */
    write_file(f->conf, "[aiassist]\napi_key_cmd = printf aai_cmd_key\n", 0644);
    config_t *c = load_ok(NULL);
    assert_string_equal(c->api_key, "aai_cmd_key");
    config_free(c);
}

static void config__refuses_file_owned_by_another_user(void **state)
{
    fx *f = *state;
    if (geteuid() != 0)
        skip(); /* only root can give a file away */
    write_file(f->conf, "[aiassist]\nmodel = gpt-4o\n", 0644);
    assert_int_equal(chown(f->conf, 4242, 4242), 0);
    char *err = load_err(NULL);
    assert_contains(err, "belongs to another user (uid 4242)");
    assert_contains(err, "fix with: sudo chown 0 ");
    free(err);
}

static void config__refuses_both_inline_key_and_key_command(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\napi_key = aai_one_key\napi_key_cmd = printf x\n", 0600);
    char *err = load_err(NULL);
    assert_contains(err, ":3: api_key_cmd: api_key and api_key_cmd are both set");
    free(err);
}

/* ----------------------------------------------------------- key commands */

static void keycmd__splits_words_quotes_and_escapes(void **state)
{
    (void)state;
    char **argv = NULL;
    char *err = NULL;
    assert_int_equal(
        keycmd_split("  pass  show 'ai/my key' \"a \\\"b\\\" \\x\" c\\ d ''  ", &argv, &err), 0);
    assert_string_equal(argv[0], "pass");
    assert_string_equal(argv[1], "show");
    assert_string_equal(argv[2], "ai/my key");
    assert_string_equal(argv[3], "a \"b\" \\x");
    assert_string_equal(argv[4], "c d");
    assert_string_equal(argv[5], "");
    assert_null(argv[6]);
    keycmd_argv_free(argv);

    static const struct {
        const char *cmd;
        const char *msg;
    } bad[] = {
        {"", "empty command"},
        {"   ", "empty command"},
        {"echo 'open", "unterminated single quote"},
        {"echo \"open", "unterminated double quote"},
        {"echo x\\", "backslash at the end"},
        {"pass show x | head -1", "without a shell"},
        {"echo $HOME", "without a shell"},
        {"~/bin/key", "without a shell"},
        {"pass show key # comment", "without a shell"},
        {"getkey $(whoami)", "without a shell"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err = NULL;
        assert_int_equal(keycmd_split(bad[i].cmd, &argv, &err), -1);
        assert_contains(err, bad[i].msg);
        free(err);
    }
    char *d = keycmd_describe("pass show ai/key");
    assert_string_equal(d, "pass ...");
    free(d);
    d = keycmd_describe("getkey");
    assert_string_equal(d, "getkey");
    free(d);
}

static void keycmd__takes_the_trimmed_first_line(void **state)
{
    (void)state;
    char *secret = NULL, *err = NULL;
    assert_int_equal(keycmd_run("printf '  aai_first_line \\r\\nsecond line\\n'", 0, &secret, &err),
                     0);
    assert_string_equal(secret, "aai_first_line");
    free(secret);
    assert_int_equal(keycmd_run("sh -c 'echo aai_via_shell'", 0, &secret, &err), 0);
    assert_string_equal(secret, "aai_via_shell");
    free(secret);
}

static void keycmd__failure_message_names_command_but_hides_output(void **state)
{
    (void)state;
    char *secret = NULL, *err = NULL;
    assert_int_equal(keycmd_run("sh -c 'echo topsecret_output; exit 3'", 0, &secret, &err), -1);
    assert_null(secret);
    assert_string_equal(err, "command 'sh ...' exited with status 3 (its output is not shown)");
    free(err);
    assert_int_equal(keycmd_run("sh -c 'kill -TERM $$'", 0, &secret, &err), -1);
    assert_contains(err, "was killed by signal 15");
    free(err);
    assert_int_equal(keycmd_run("true", 0, &secret, &err), -1);
    assert_string_equal(err, "command 'true' printed nothing");
    free(err);
    assert_int_equal(keycmd_run("printf '\\n\\nlater'", 0, &secret, &err), -1);
    assert_string_equal(err, "command 'printf ...' printed an empty first line");
    free(err);
}

static void keycmd__kills_a_command_that_times_out(void **state)
{
    (void)state;
    char *secret = NULL, *err = NULL;
    int64_t t0 = clock_mono_ms();
    assert_int_equal(keycmd_run("sleep 5", 200, &secret, &err), -1);
    int64_t took = clock_mono_ms() - t0;
    assert_true(took >= 150 && took < 2000);
    assert_string_equal(err, "command 'sleep ...' did not finish within 0.2 s and was stopped");
    free(err);
    /* A shell's grandchildren go with it (the whole process group). */
    t0 = clock_mono_ms();
    assert_int_equal(keycmd_run("sh -c 'sleep 5; echo late'", 200, &secret, &err), -1);
    assert_true(clock_mono_ms() - t0 < 2000);
    free(err);
}

static void keycmd__reports_a_missing_program(void **state)
{
    (void)state;
    char *secret = NULL, *err = NULL;
    assert_int_equal(keycmd_run("aidesk-no-such-program --flag", 0, &secret, &err), -1);
    assert_string_equal(err, "command 'aidesk-no-such-program ...' could not be started: No such "
                             "file or directory");
    free(err);
}

static void config__runs_key_command_only_when_nothing_higher_gives_the_key(void **state)
{
    fx *f = *state;
    write_file(f->conf,
               "[aiassist]\napi_key_cmd = printf 'aai_from_cmd\\n'\n"
               "[gate]\nproject_id_cmd = sh -c 'exit 1'\n",
               0600);
    setenv("AI_GATE_PROJECT_ID", "proj_env_wins", 1); /* the failing command never runs */
    config_t *c = load_ok(NULL);
    assert_string_equal(c->api_key, "aai_from_cmd");
    assert_int_equal(c->origin[CONFIG_API_KEY].source, CONFIG_SRC_COMMAND);
    assert_string_equal(c->origin[CONFIG_API_KEY].command, "printf ...");
    assert_string_equal(c->project_id, "proj_env_wins");
    config_free(c);

    unsetenv("AI_GATE_PROJECT_ID");
    char *err = load_err(NULL);
    assert_contains(err, ":4: project_id_cmd: command 'sh ...' exited with status 1");
    free(err);

    config_options o = {.no_key_commands = true};
    c = load_ok(&o);
    assert_null(c->api_key);
    assert_true(c->origin[CONFIG_API_KEY].not_run);
    config_free(c);
}

static void config__refuses_key_command_output_unfit_for_a_header(void **state)
{
    fx *f = *state;
    write_file(f->conf, "[aiassist]\napi_key_cmd = printf 'aai_bad key'\n", 0600);
    char *err = load_err(NULL);
    assert_contains(err, "the API key contains spaces");
    assert_null(strstr(err, "aai_bad"));
    free(err);
}

/* ------------------------------------------------------------------- URLs */

static void config__http_url_is_refused_unless_allow_http_is_set(void **state)
{
    fx *f = *state;
    setenv("AIASSIST_BASE_URL", "http://sim.example:8080/", 1);
    char *err = load_err(NULL);
    assert_contains(err, "AIASSIST_BASE_URL: 'http://sim.example:8080/' uses http://");
    free(err);
    write_file(f->conf, "[aiassist]\nallow_http = true\n", 0644);
    config_t *c = load_ok(NULL);
    assert_string_equal(c->base_url, "http://sim.example:8080");
    config_free(c);
    config_options o = {.allow_http = CONFIG_FLAG_OFF};
    err = load_err(&o);
    free(err);
}

/* The URL rules are util/baseurl.h's (tested in test_baseurl.c); these are
 * the cases where the configuration once had rules of its own. */
static void config__base_urls_are_judged_as_libcurl_reads_them(void **state)
{
    (void)state;
    /* An underscore, as in a container's name: libcurl connects to it. */
    setenv("AIASSIST_BASE_URL", "https://aidesk_sim.internal:8443/v1/", 1);
    config_t *c = load_ok(NULL);
    assert_string_equal(c->base_url, "https://aidesk_sim.internal:8443/v1");
    config_free(c);
    /* 127.1 is 127.0.0.1 to libcurl: this machine, where http is fine. */
    setenv("AIASSIST_BASE_URL", "http://127.1:8080", 1);
    c = load_ok(NULL);
    assert_string_equal(c->base_url, "http://127.1:8080");
    config_free(c);
}

/* ------------------------------------------------- redaction and rendering */

static void config__registers_secrets_for_redaction(void **state)
{
    (void)state;
    setenv("AIASSIST_API_KEY", "sk-plain-looking-key", 1);
    setenv("AI_GATE_PROJECT_ID", "proj_12345678", 1);
    config_t *c = load_ok(NULL);
    char *r = log_redact("using sk-plain-looking-key for proj_12345678");
    assert_string_equal(r, "using " REDACTED " for " REDACTED);
    free(r);
    r = log_redact("sk-plain-looking-key");
    assert_string_equal(r, REDACTED);
    free(r);
    config_free(c);
}

static void config__render_shows_sources_but_never_secrets(void **state)
{
    fx *f = *state;
    write_file(f->conf,
               "[aiassist]\napi_key_cmd = printf sk_cmd_secret_1\n[gate]\n"
               "project_id = proj_file_secret\n[ui]\ntheme = \"dark\"\n",
               0600);
    config_options o = {.model = "gpt-4o-mini"};
    config_t *c = load_ok(&o);
    char *text = config_render(c);
    assert_null(strstr(text, "sk_cmd_secret_1"));
    assert_null(strstr(text, "proj_file_secret"));
    assert_contains(text, "set (from command: printf ..., ");
    assert_contains(text, "set (from file: ");
    assert_contains(text, "gpt-4o-mini");
    assert_contains(text, "(option: --model)");
    assert_contains(text, "(default)");
    assert_contains(text, "30 s");
    assert_contains(text, "ui.keep_workspaces     200");
    assert_contains(text, " (read)\n");
    free(text);
    config_free(c);

    setenv("AIASSIST_API_KEY", "sk_env_secret_2", 1);
    unlink(f->conf);
    c = load_ok(NULL);
    text = config_render(c);
    assert_null(strstr(text, "sk_env_secret_2"));
    assert_contains(text, "set (from environment: AIASSIST_API_KEY)");
    assert_contains(text, "not set\n");
    assert_contains(text, " (not present)\n");
    free(text);
    config_free(c);
}

/* The day's settings: the bell, when a wait is late, the undo window. */
static void config__bell_late_after_and_undo_are_read_checked_and_shown(void **state)
{
    fx *f = *state;
    config_t *c = load_ok(NULL);
    assert_int_equal(c->bell, CONFIG_BELL_DRAFTS | CONFIG_BELL_TAKEOVER);
    assert_int_equal(c->late_after_s, 120);
    assert_int_equal(c->undo_ms, 5000);
    char *text = config_render(c);
    assert_contains(text, "ui.bell                drafts,takeover");
    assert_contains(text, "ui.late_after          120 s");
    assert_contains(text, "ui.undo                5 s ");
    free(text);
    config_free(c);

    write_file(f->conf, "[ui]\nbell = takeover\nlate_after = 45\nundo = 2.5\n", 0644);
    c = load_ok(NULL);
    assert_int_equal(c->bell, CONFIG_BELL_TAKEOVER);
    assert_int_equal(c->late_after_s, 45);
    assert_int_equal(c->undo_ms, 2500);
    for (int i = CONFIG_BELL; i <= CONFIG_UNDO; i++)
        assert_int_equal(c->origin[i].source, CONFIG_SRC_FILE);
    text = config_render(c);
    assert_contains(text, "ui.bell                takeover");
    assert_contains(text, "ui.undo                2.5 s");
    free(text);
    config_free(c);

    write_file(f->conf, "[ui]\nbell = none\nlate_after = 0\nundo = 0\n", 0644);
    c = load_ok(NULL);
    assert_int_equal(c->bell, 0);
    assert_int_equal(c->late_after_s, 0);
    assert_int_equal(c->undo_ms, 0);
    text = config_render(c);
    assert_contains(text, "ui.bell                none");
    assert_contains(text, "ui.late_after          0 (never late)");
    assert_contains(text, "ui.undo                0 (off)");
    free(text);
    config_free(c);

    write_file(f->conf, "[ui]\nbell = drafts, takeover\nundo = 0.05\n", 0644);
    c = load_ok(NULL);
    assert_int_equal(c->bell, CONFIG_BELL_DRAFTS | CONFIG_BELL_TAKEOVER);
    assert_int_equal(c->undo_ms, 50);
    config_free(c);

    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"[ui]\nbell = loud\n", ":2: bell: bell is drafts, takeover, both (drafts,takeover) or none"},
        {"[ui]\nbell = none,drafts\n", ":2: bell: bell: none goes alone"},
        {"[ui]\nbell =\n", ":2: bell: bell is drafts"},
        {"[ui]\nlate_after = 2m\n", ":2: late_after: late_after must be a whole number of seconds"},
        {"[ui]\nlate_after = 86401\n", ":2: late_after: late_after must be between 0 and 86400"},
        {"[ui]\nundo = 61\n", ":2: undo: undo must be a number of seconds from 0 to 60"},
        {"[ui]\nundo = soon\n", ":2: undo: undo must be a number of seconds from 0 to 60"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(f->conf, bad[i].text, 0644);
        char *err = load_err(NULL);
        assert_contains(err, bad[i].msg);
        free(err);
    }
}

/* ca_file: read from the file (with ~/), overridden by --ca-file, shown
 * with its source; a file that is missing, not a file or holds no PEM
 * certificate stops the start with the layer to blame. */
static void config__ca_file_is_read_overridden_checked_and_shown(void **state)
{
    fx *f = *state;
    static const char pem[] = "# test CA\n-----BEGIN CERTIFICATE-----\nMIIB\n"
                              "-----END CERTIFICATE-----\n";
    char *home_ca = sub(f, "home/ca.pem");
    char *other_ca = sub(f, "other.pem");
    write_file(home_ca, pem, 0644);
    write_file(other_ca, pem, 0644);

    config_t *c = load_ok(NULL);
    assert_null(c->ca_file);
    char *text = config_render(c);
    assert_contains(text, "aiassist.ca_file       (system)");
    free(text);
    config_free(c);

    write_file(f->conf, "[aiassist]\nca_file = ~/ca.pem\n", 0644);
    c = load_ok(NULL);
    assert_string_equal(c->ca_file, home_ca);
    assert_int_equal(c->origin[CONFIG_CA_FILE].source, CONFIG_SRC_FILE);
    text = config_render(c);
    char *want = xasprintf("aiassist.ca_file       %s", home_ca);
    assert_contains(text, want);
    assert_contains(text, "config/aidesk/config:2)");
    free(want);
    free(text);
    config_free(c);

    /* The option wins, and the file's value, overridden, is not opened. */
    write_file(f->conf, "[aiassist]\nca_file = /nonexistent/ca.pem\n", 0644);
    config_options o = {.ca_file = other_ca};
    c = load_ok(&o);
    assert_string_equal(c->ca_file, other_ca);
    assert_int_equal(c->origin[CONFIG_CA_FILE].source, CONFIG_SRC_OPTION);
    text = config_render(c);
    assert_contains(text, "(option: --ca-file)");
    free(text);
    config_free(c);

    char *err = load_err(NULL);
    assert_contains(err, "config/aidesk/config:2: ca_file: cannot read the CA file "
                         "/nonexistent/ca.pem: No such file or directory");
    free(err);

    unlink(f->conf);
    char *not_pem = sub(f, "key.pem");
    write_file(not_pem, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n", 0644);
    const char *bad[][2] = {
        {"/nonexistent/ca.pem", "--ca-file: cannot read the CA file /nonexistent/ca.pem"},
        {not_pem, "holds no PEM certificate"},
        {f->root, "is not a regular file"},
        {"", "--ca-file: the CA file path is empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        config_options ob = {.ca_file = bad[i][0]};
        err = load_err(&ob);
        assert_contains(err, bad[i][1]);
        free(err);
    }
    /* Unreadable (unless we are root, whom modes do not stop). */
    if (geteuid() != 0) {
        assert_int_equal(chmod(other_ca, 0), 0);
        err = load_err(&o);
        assert_contains(err, "Permission denied");
        free(err);
    }
    free(not_pem);
    free(home_ca);
    free(other_ca);
}

/* realtime_url: the default, the file's [gate] realtime_url, the
 * environment's AI_GATE_REALTIME_URL above it; anything but wss:// or
 * ws:// refused at the line or variable that said it. */
static void config__realtime_url_layers_and_checks(void **state)
{
    fx *f = *state;
    config_t *c = load_ok(NULL);
    assert_string_equal(c->realtime_url, "wss://api.openai.com/v1/realtime");
    assert_int_equal(c->origin[CONFIG_REALTIME_URL].source, CONFIG_SRC_DEFAULT);
    config_free(c);

    write_file(f->conf, "[gate]\nrealtime_url = wss://rt.example.com/v1/realtime\n", 0644);
    c = load_ok(NULL);
    assert_string_equal(c->realtime_url, "wss://rt.example.com/v1/realtime");
    assert_int_equal(c->origin[CONFIG_REALTIME_URL].source, CONFIG_SRC_FILE);
    char *text = config_render(c);
    assert_contains(text, "gate.realtime_url      wss://rt.example.com/v1/realtime");
    assert_contains(text, "config/aidesk/config:2)");
    free(text);
    config_free(c);

    setenv("AI_GATE_REALTIME_URL", "ws://127.0.0.1:9/v1/realtime", 1);
    c = load_ok(NULL);
    assert_string_equal(c->realtime_url, "ws://127.0.0.1:9/v1/realtime");
    text = config_render(c);
    assert_contains(text, "(environment: AI_GATE_REALTIME_URL)");
    free(text);
    config_free(c);
    /* Empty: unset, as every variable. */
    setenv("AI_GATE_REALTIME_URL", "", 1);
    c = load_ok(NULL);
    assert_string_equal(c->realtime_url, "wss://rt.example.com/v1/realtime");
    config_free(c);

    setenv("AI_GATE_REALTIME_URL", "https://rt.example.com/v1/realtime", 1);
    char *err = load_err(NULL);
    assert_contains(err, "AI_GATE_REALTIME_URL: the Realtime URL must start with wss://");
    free(err);
    unsetenv("AI_GATE_REALTIME_URL");

    static const char *const bad[] = {"http://rt.example.com/", "wss://", "wss:///v1",
                                      "wss://a b/"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *conf = xasprintf("[gate]\nrealtime_url = \"%s\"\n", bad[i]);
        write_file(f->conf, conf, 0644);
        free(conf);
        err = load_err(NULL);
        assert_contains(err, "config/aidesk/config:2: realtime_url: the Realtime URL");
        free(err);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
TEST_MAIN(T(config__uses_defaults_without_file_env_or_options),
          T(config__bell_late_after_and_undo_are_read_checked_and_shown),
          T(config__option_beats_env_beats_file_beats_default_for_base_urls),
          T(config__option_beats_file_for_every_other_setting),
          T(config__env_beats_file_for_key_and_project_id),
          T(config__explicit_config_path_replaces_default_and_must_exist),
          T(config__option_values_are_range_checked),
          T(ini__parses_comments_quotes_and_blank_lines), T(ini__reports_errors_with_name_and_line),
          T(config__reads_the_full_fixture),
          T(config__unknown_key_is_an_error_naming_file_and_line),
          T(config__bad_section_number_and_boolean_are_errors),
          T(config__refuses_key_file_readable_by_others), T(config__accepts_private_key_file),
          T(config__accepts_public_file_without_secrets),
          T(config__refuses_group_writable_file_with_key_command),
          T(config__refuses_file_owned_by_another_user),
          T(config__refuses_both_inline_key_and_key_command),
          T(keycmd__splits_words_quotes_and_escapes), T(keycmd__takes_the_trimmed_first_line),
          T(keycmd__failure_message_names_command_but_hides_output),
          T(keycmd__kills_a_command_that_times_out), T(keycmd__reports_a_missing_program),
          T(config__runs_key_command_only_when_nothing_higher_gives_the_key),
          T(config__refuses_key_command_output_unfit_for_a_header),
          T(config__http_url_is_refused_unless_allow_http_is_set),
          T(config__base_urls_are_judged_as_libcurl_reads_them),
          T(config__registers_secrets_for_redaction),
          T(config__render_shows_sources_but_never_secrets),
          T(config__ca_file_is_read_overridden_checked_and_shown),
          T(config__realtime_url_layers_and_checks))
