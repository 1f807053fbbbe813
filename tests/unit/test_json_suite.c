/* The strict JSON layer against JSONTestSuite (tests/files/jsontestsuite):
 * material written elsewhere, by people who set out to break parsers.
 * Every y_ case must parse, every n_ case must be refused, and every i_
 * case must have the outcome written in i_outcomes.txt. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/utf8.h"

/* The cases kept in the repository. */
static char *own_dir(void)
{
    const char *src = getenv("AIDESK_SRCDIR");
    return xasprintf("%s/tests/files/jsontestsuite", src ? src : ".");
}

static bool read_file(const char *path, buf_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

/* The outcome i_outcomes.txt gives name, or NULL. */
static const char *documented(const char *outcomes, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = outcomes; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > n + 1 && !memcmp(p, name, n) && p[n] == ' ') {
            const char *w = p + n + 1;
            size_t wl = len - n - 1;
            if (wl == 8 && !memcmp(w, "accepted", 8))
                return "accepted";
            if (wl == 8 && !memcmp(w, "repaired", 8))
                return "repaired";
            if (wl == 7 && !memcmp(w, "refused", 7))
                return "refused";
        }
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

/* What the layer does with one case. */
static const char *outcome(const char *text, size_t len, char **err)
{
    uint64_t before = utf8_repairs();
    json_object *o = jsonu_parse(text, len, err);
    json_object_put(o);
    if (*err)
        return "refused";
    return utf8_repairs() != before ? "repaired" : "accepted";
}

/* Runs every case in dir; returns how many there were. */
static size_t run_dir(const char *dir, const char *outcomes)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    size_t cases = 0, failures = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t nl = strlen(name);
        if (nl < 7 || name[1] != '_' || strcmp(name + nl - 5, ".json"))
            continue;
        char kind = name[0];
        if (kind != 'y' && kind != 'n' && kind != 'i')
            continue;
        char *path = xasprintf("%s/%s", dir, name);
        buf_t text = BUF_INIT;
        if (!read_file(path, &text))
            fail_msg("cannot read %s", path);
        char *err = NULL;
        const char *got = outcome(buf_cstr(&text), text.len, &err);
        const char *want = kind == 'y' ? "accepted or repaired" : kind == 'n' ? "refused"
                                                                 : documented(outcomes, name);
        bool ok = kind == 'y'   ? strcmp(got, "refused") != 0
                  : kind == 'n' ? !strcmp(got, "refused")
                                : want && !strcmp(got, want);
        if (ok && err && !strstr(err, "malformed JSON"))
            ok = false; /* a refusal says what is wrong, in words */
        if (!ok) {
            print_error("%s: %s (%s), want %s\n", name, got, err ? err : "no error",
                        want ? want : "an outcome in i_outcomes.txt");
            failures++;
        }
        cases++;
        free(err);
        buf_free(&text);
        free(path);
    }
    closedir(d);
    if (failures)
        fail_msg("%zu of %zu cases in %s", failures, cases, dir);
    return cases;
}

static char *load_outcomes(void)
{
    char *own = own_dir();
    char *path = xasprintf("%s/i_outcomes.txt", own);
    buf_t b = BUF_INIT;
    if (!read_file(path, &b))
        fail_msg("cannot read %s", path);
    free(path);
    free(own);
    return buf_steal(&b);
}

static void suite__cases_kept_here(void **state)
{
    (void)state;
    char *outcomes = load_outcomes();
    char *own = own_dir();
    char *dir = xasprintf("%s/test_parsing", own);
    assert_true(run_dir(dir, outcomes) >= 5);
    free(dir);
    free(own);
    free(outcomes);
}

/* Where the whole suite is, or NULL. */
static char *suite_dir(void)
{
    const char *env = getenv("AIDESK_JSONTESTSUITE");
    const char *src = getenv("AIDESK_SRCDIR");
    char *dir = env && *env ? xstrdup(env)
                            : xasprintf("%s/../shared/JSONTestSuite/test_parsing", src ? src : ".");
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return dir;
    free(dir);
    return NULL;
}

static void suite__the_whole_suite(void **state)
{
    (void)state;
    char *dir = suite_dir();
    assert_non_null(dir);
    char *outcomes = load_outcomes();
    size_t n = run_dir(dir, outcomes);
    print_message("# %zu JSONTestSuite cases from %s\n", n, dir);
    assert_true(n > 300);
    free(outcomes);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suite__cases_kept_here),
        cmocka_unit_test(suite__the_whole_suite),
    };
    /* The whole suite is not part of the repository: run it when it is
     * there (see the README beside the cases). */
    char *dir = suite_dir();
    size_t n = dir ? 2 : 1;
    if (!dir)
        printf("# the whole JSONTestSuite was not found (set AIDESK_JSONTESTSUITE): "
               "only the cases kept here are run\n");
    free(dir);
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return _cmocka_run_group_tests("test_json_suite", tests, n, NULL, NULL) ? 1 : 0;
}
