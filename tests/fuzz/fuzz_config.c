/* fuzz_config: the INI reader (src/config/ini.c), the config file
 * (src/config/file.c, settings) and theme files (src/config/theme*.c).
 *
 * The first byte picks what reads the rest:
 *   'i'  ini_parse with a handler that checks what the reader promises
 *        (names of name characters, UTF-8 values, lines in order) and
 *        sometimes stops the parse with a message of its own;
 *   'c'  the rest is a config file, loaded by config_file_load: the values
 *        kept stay within their documented bounds, an error is one clean
 *        line, and neither the error nor config_render shows a secret;
 *   't'  the rest is up to three theme files separated by NUL bytes
 *        (a.theme, b.theme, c.theme, so that "inherits" can chain and
 *        loop), a.theme loaded: every style in range, the name valid.
 * Files live in a private temporary directory made at the first run. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/ini.h"
#include "config/settings.h"
#include "config/settings_priv.h"
#include "config/theme.h"
#include "fuzz.h"
#include "util/mem.h"
#include "util/sanitize.h"

static char *dir;

static void remove_dir(void)
{
    const char *names[] = {"config", "a.theme", "b.theme", "c.theme"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(dir);
}

static const char *workdir(void)
{
    if (!dir) {
        const char *tmp = getenv("TMPDIR");
        char *tmpl = xasprintf("%s/aidesk-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(tmpl))
            fz_fail("cannot make a temporary directory");
        dir = tmpl;
        atexit(remove_dir);
    }
    return dir;
}

/* Writes s[0..n) to dir/name (mode 0600); n == SIZE_MAX removes it. */
static char *put_file(const char *name, const char *s, size_t n)
{
    char *path = xasprintf("%s/%s", workdir(), name);
    if (n == SIZE_MAX) {
        unlink(path);
        return path;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || (n && write(fd, s, n) != (ssize_t)n) || close(fd) != 0)
        fz_fail("cannot write %s", path);
    return path;
}

/* An error for people: one line, nothing a terminal would obey. */
static void check_message(const char *what, const char *msg)
{
    if (!msg)
        fz_fail("%s failed without a message", what);
    if (!sanitize_is_clean(msg, strlen(msg), 0)) {
        fz_dump("message", msg, strlen(msg));
        fz_fail("%s: the error is not one clean line", what);
    }
}

/* ------------------------------------------------------------ ini */

static bool name_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

typedef struct ini_seen {
    int last_line;
    fz_rng rng;
} ini_seen;

static char *on_ini(void *ud, const char *section, const char *key, const char *value, int line)
{
    ini_seen *st = ud;
    if (!name_ok(section) || (key && !name_ok(key)))
        fz_fail("ini: a section or key name of other characters reached the handler");
    if (!key != !value)
        fz_fail("ini: a key without a value, or a value without a key");
    if (value)
        fz_utf8("an ini value", value);
    if (line <= st->last_line)
        fz_fail("ini: line %d after line %d", line, st->last_line);
    st->last_line = line;
    return fz_below(&st->rng, 16) ? NULL : xstrdup("stopped by the handler \x1b[31m");
}

static void ini(const char *s, size_t n, const uint8_t *data, size_t size)
{
    ini_seen st = {0, fz_rng_from(data, size, 1)};
    char *err = NULL;
    int rc = ini_parse(s, n, "fuzz.ini", on_ini, &st, &err);
    if ((rc == 0) != (err == NULL))
        fz_fail("ini_parse returned %d with %s message", rc, err ? "a" : "no");
    if (err && (strncmp(err, "fuzz.ini:", 9) || strchr(err, '\n')))
        fz_fail("ini: the error does not start with the name and a line, or is not one line");
    free(err);
}

/* ------------------------------------------------------------ config */

/* The values of api_key / project_id lines, as written (for looking them
 * up in messages): a secret at least 12 bytes long that occurs only once
 * in the file, so that finding it elsewhere means it was shown. */
static void secrets_in(const char *s, size_t n, char **found, size_t max, size_t *count)
{
    size_t i = 0;
    while (i < n && *count < max) {
        const char *line = s + i;
        const char *nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        const char *eq = memchr(line, '=', len);
        if (!eq)
            continue;
        const char *k = line;
        while (k < eq && (*k == ' ' || *k == '\t'))
            k++;
        size_t kl = (size_t)(eq - k);
        while (kl && (k[kl - 1] == ' ' || k[kl - 1] == '\t'))
            kl--;
        if (!((kl == 7 && !memcmp(k, "api_key", 7)) || (kl == 10 && !memcmp(k, "project_id", 10))))
            continue;
        const char *v = eq + 1;
        size_t vl = len - (size_t)(v - line);
        while (vl && (*v == ' ' || *v == '\t' || *v == '"')) {
            v++;
            vl--;
        }
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '"' ||
                      v[vl - 1] == '\r'))
            vl--;
        if (vl < 12 || memchr(v, '\\', vl) || memchr(v, '\0', vl))
            continue;
        char *secret = xmemdup0(v, vl);
        if (memmem(s, n, secret, vl) == (const void *)v &&
            !memmem(v + 1, n - (size_t)(v + 1 - s), secret, vl))
            found[(*count)++] = secret;
        else
            free(secret);
    }
}

static void no_secret_in(const char *what, const char *text, char **secrets, size_t count)
{
    for (size_t i = 0; text && i < count; i++)
        if (strstr(text, secrets[i])) {
            fz_dump(what, text, strlen(text));
            fz_fail("%s shows a secret from the config file", what);
        }
}

static void config(const char *s, size_t n)
{
    char *path = put_file("config", s, n);
    config_t *c = config_new_defaults();
    config_cmd key_cmd = {NULL, NULL}, pid_cmd = {NULL, NULL};
    char *err = NULL;
    int rc = config_file_load(c, path, true, &key_cmd, &pid_cmd, &err);
    char *secrets[4];
    size_t nsecrets = 0;
    secrets_in(s, n, secrets, 4, &nsecrets);
    if (rc != 0) {
        check_message("config_file_load", err);
        no_secret_in("the error", err, secrets, nsecrets);
    } else {
        if (err)
            fz_fail("config_file_load succeeded with a message");
        if (c->timeout_ms < CONFIG_TIMEOUT_MIN_MS || c->timeout_ms > CONFIG_TIMEOUT_MAX_MS ||
            c->max_retries < 0 || c->max_retries > CONFIG_MAX_RETRIES_MAX || c->max_tokens < 1 ||
            c->max_tokens > CONFIG_MAX_TOKENS_MAX)
            fz_fail("a number outside its bounds: timeout %d, retries %d, max_tokens %d",
                    c->timeout_ms, c->max_retries, c->max_tokens);
        for (int i = 0; i < CONFIG_N_ITEMS; i++) {
            char **f = config_str_field(c, (config_item)i);
            if (f)
                fz_utf8(config_item_name((config_item)i), *f);
        }
        /* The rendering must not depend on what the secrets are. */
        char *shown = config_render(c);
        fz_utf8("config_render", shown);
        no_secret_in("config_render", shown, secrets, nsecrets);
        char *saved_key = c->api_key, *saved_pid = c->project_id;
        c->api_key = saved_key ? xstrdup("another-key") : NULL;
        c->project_id = saved_pid ? xstrdup("another-id") : NULL;
        char *other = config_render(c);
        if (strcmp(shown, other)) {
            fz_dump("rendered", shown, strlen(shown));
            fz_dump("with other secrets", other, strlen(other));
            fz_fail("config_render shows something of the secrets");
        }
        free(c->api_key);
        free(c->project_id);
        c->api_key = saved_key;
        c->project_id = saved_pid;
        free(shown);
        free(other);
    }
    for (size_t i = 0; i < nsecrets; i++)
        free(secrets[i]);
    free(err);
    free(key_cmd.cmd);
    free(key_cmd.where);
    free(pid_cmd.cmd);
    free(pid_cmd.where);
    config_free(c);
    free(path);
}

/* ------------------------------------------------------------- themes */

static void check_colour(theme_colour col, size_t i)
{
    if (col.value < THEME_COLOUR_DEFAULT || col.value > 255 ||
        col.fallback < THEME_COLOUR_DEFAULT || col.fallback > 15)
        fz_fail("style %zu: colour %d / fallback %d out of range", i, col.value, col.fallback);
}

static void themes(const char *s, size_t n)
{
    static const char *const names[] = {"a.theme", "b.theme", "c.theme"};
    char *path = NULL;
    for (size_t i = 0; i < 3; i++) {
        const char *nul = s ? memchr(s, '\0', n) : NULL;
        size_t len = nul ? (size_t)(nul - s) : n;
        char *p = put_file(names[i], s, s ? len : SIZE_MAX);
        if (i == 0)
            path = p;
        else
            free(p);
        if (s && nul) {
            s = nul + 1;
            n -= len + 1;
        } else {
            s = NULL;
        }
    }
    const char *dirs[] = {workdir(), NULL};
    char *err = NULL;
    theme_t *t = theme_load_file_in(path, dirs, &err);
    if (!t) {
        check_message("theme_load_file_in", err);
    } else {
        if (err)
            fz_fail("a theme loaded with a message");
        if (!theme_name_valid(theme_name(t)))
            fz_fail("a theme loaded under an invalid name");
        for (size_t i = 0; i < theme_style_count(); i++) {
            const theme_style *st = theme_get(t, (int)i);
            check_colour(st->fg, i);
            check_colour(st->bg, i);
            if (st->attrs & ~0x7Fu)
                fz_fail("style %zu: unknown attribute bits %#x", i, st->attrs);
        }
        theme_free(t);
    }
    free(err);
    free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    int pick = data[0] == 'i' ? 0 : data[0] == 'c' ? 1 : data[0] == 't' ? 2 : data[0] % 3;
    if (pick == 0)
        ini(s, n, data, size);
    else if (pick == 1)
        config(s, n);
    else
        themes(s, n);
    return 0;
}
