/* ini.c: the INI reader described in ini.h. */
#include "config.h"
#include "config/ini.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/* Trims blanks from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

static bool valid_name(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i]))
            return false;
    return true;
}

/* A name as it may appear in a message: names that failed validation are
 * user input and could hold anything, so they are sanitised. */
static char *shown(const char *s, size_t n)
{
    return sanitize_dup(s, n, 0);
}

/* Decodes a quoted value starting at s[0] == '"'. Returns the contents, or
 * NULL with *why set to a static message. */
static char *unquote(const char *s, size_t n, const char **why)
{
    buf_t out = BUF_INIT;
    size_t i = 1;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '"')
            break;
        if (c == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\')) {
            buf_append_char(&out, s[++i]);
            continue;
        }
        buf_append_char(&out, c);
    }
    if (i >= n) {
        buf_free(&out);
        *why = "unterminated quoted value";
        return NULL;
    }
    if (i + 1 != n) {
        buf_free(&out);
        *why = "unexpected text after the closing quote (quote the whole value)";
        return NULL;
    }
    return buf_steal(&out);
}

typedef struct ini_state {
    const char *name;
    ini_handler handler;
    void *ud;
    char *section;
    char **err;
} ini_state;

static int fail(ini_state *st, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The error at a line: "NAME:LINE: what". */
static int fail(ini_state *st, int line, const char *fmt, ...)
{
    buf_t what = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&what, fmt, ap);
    va_end(ap);
    int rc = err_set(st->err, "%s:%d: %s", st->name, line, buf_cstr(&what));
    buf_free(&what);
    return rc;
}

/* Hands a handler's verdict on: NULL means go on. */
static int verdict(ini_state *st, int line, char *msg)
{
    if (!msg)
        return 0;
    int rc = fail(st, line, "%s", msg);
    free(msg);
    return rc;
}

static int section_line(ini_state *st, const char *s, size_t n, int line)
{
    const char *close = memchr(s, ']', n);
    if (!close)
        return fail(st, line, "section header without ']'");
    const char *rest = close + 1;
    size_t rn = n - (size_t)(rest - s);
    trim(&rest, &rn);
    if (rn > 0 && rest[0] != '#' && rest[0] != ';')
        return fail(st, line, "unexpected text after the section header");
    const char *name = s + 1;
    size_t nn = (size_t)(close - name);
    trim(&name, &nn);
    if (!valid_name(name, nn)) {
        char *bad = shown(name, nn);
        int rc = fail(st, line, "bad section name '%s'", bad);
        free(bad);
        return rc;
    }
    free(st->section);
    st->section = xstrndup(name, nn);
    return verdict(st, line, st->handler(st->ud, st->section, NULL, NULL, line));
}

static int pair_line(ini_state *st, const char *s, size_t n, int line)
{
    const char *eq = memchr(s, '=', n);
    if (!eq) {
        char *bad = shown(s, n);
        int rc = fail(st, line, "expected 'key = value' or '[section]', found '%s'", bad);
        free(bad);
        return rc;
    }
    const char *key = s;
    size_t kn = (size_t)(eq - s);
    trim(&key, &kn);
    if (!valid_name(key, kn)) {
        char *bad = shown(key, kn);
        int rc = fail(st, line, "bad key name '%s'", bad);
        free(bad);
        return rc;
    }
    if (!st->section) {
        char *k = xstrndup(key, kn);
        int rc = fail(st, line, "key '%s' comes before any [section]", k);
        free(k);
        return rc;
    }
    const char *val = eq + 1;
    size_t vn = n - (size_t)(val - s);
    trim(&val, &vn);
    char *value;
    if (vn > 0 && val[0] == '"') {
        const char *why = NULL;
        value = unquote(val, vn, &why);
        if (!value)
            return fail(st, line, "%s", why);
    } else {
        value = xstrndup(val, vn);
    }
    char *k = xstrndup(key, kn);
    int rc = verdict(st, line, st->handler(st->ud, st->section, k, value, line));
    free(k);
    free(value);
    return rc;
}

int ini_parse(const char *text, size_t len, const char *name, ini_handler handler, void *ud,
              char **err)
{
    ini_state st = {name, handler, ud, NULL, err};
    int rc = 0;
    int line = 0;
    size_t pos = 0;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int at = 1;
        for (const char *p = text; p < nul; p++)
            at += *p == '\n';
        return fail(&st, at, "NUL byte in the file");
    }
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        pos = 3; /* a byte order mark some editors write */
    while (rc == 0 && pos < len) {
        line++;
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (!utf8_valid(s, n)) {
            rc = fail(&st, line, "invalid UTF-8");
            break;
        }
        trim(&s, &n);
        if (n == 0 || s[0] == '#' || s[0] == ';')
            continue;
        rc = s[0] == '[' ? section_line(&st, s, n, line) : pair_line(&st, s, n, line);
    }
    free(st.section);
    return rc;
}

int ini_read_fd(int fd, const char *name, buf_t *out, char **err)
{
    for (;;) {
        buf_reserve(out, 4096);
        ssize_t r = read(fd, out->data + out->len, 4096);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            if (err)
                *err = xasprintf("cannot read %s: %s", name, strerror(errno));
            return -1;
        }
        if (r == 0)
            return 0;
        out->len += (size_t)r;
        out->data[out->len] = '\0';
        if (out->len > INI_MAX_FILE_BYTES) {
            if (err)
                *err = xasprintf("%s is larger than %d bytes", name, INI_MAX_FILE_BYTES);
            return -1;
        }
    }
}

int ini_parse_file(const char *path, ini_handler handler, void *ud, char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (err)
            *err = xasprintf("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    buf_t b = BUF_INIT;
    int rc = ini_read_fd(fd, path, &b, err);
    /* A read-only descriptor has nothing to flush: close cannot lose data. */
    close(fd);
    if (rc == 0)
        rc = ini_parse(buf_cstr(&b), b.len, path, handler, ud, err);
    buf_free(&b);
    return rc;
}

int ini_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}
