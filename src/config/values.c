/* values.c: checking single configuration values, the same way whichever
 * layer they come from. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/ini.h"
#include "config/settings_priv.h"
#include "config/xdg.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* A number macro as a string literal, for messages. */
#define NUM_(x) #x
#define NUM(x) NUM_(x)

/* Longest model, theme or secret accepted; far beyond any real one. */
#define VALUE_MAX 4096

static char *quoted(const char *s)
{
    return sanitize_dup(s, strlen(s), 0);
}

/* A message about a file: its path sanitised (it may come from anywhere),
 * then a reason that is ours. */
static char *bad_file(const char *fmt, const char *path, const char *reason)
{
    char *q = quoted(path);
    char *msg = xasprintf(fmt, q, reason);
    free(q);
    return msg;
}

static char *bad_value(const char *what, const char *s)
{
    char *q = quoted(s);
    char *msg = xasprintf(what, q);
    free(q);
    return msg;
}

/* Seconds with an optional fraction ("30", "2.5", ".5") as ms, parsed by
 * hand: strtod would follow LC_NUMERIC and read "2,5" in some locales.
 * False when s is not such a number; a huge one stops growing past an
 * hour (enough for every caller's range check). */
static bool read_seconds(const char *s, long *ms)
{
    long whole = 0;
    int frac = 0, digits = 0, frac_digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        if (whole <= CONFIG_TIMEOUT_MAX_MS / 1000)
            whole = whole * 10 + (*p - '0'); /* stops growing once too big */
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, frac_digits++) {
            if (frac_digits < 3)
                frac = frac * 10 + (*p - '0');
            else if (frac_digits == 3 && *p >= '5')
                frac++; /* round to the millisecond */
        }
    }
    if (*p || digits + frac_digits == 0)
        return false;
    for (int i = frac_digits; i < 3; i++)
        frac *= 10;
    *ms = whole * 1000 + frac;
    return true;
}

char *config_parse_timeout(const char *s, int *ms)
{
    long total;
    if (!read_seconds(s, &total))
        return bad_value("timeout must be a number of seconds (such as 30 or 2.5), found '%s'", s);
    if (total < CONFIG_TIMEOUT_MIN_MS || total > CONFIG_TIMEOUT_MAX_MS)
        return bad_value("timeout must be between 0.1 and 3600 seconds, found '%s'", s);
    *ms = (int)total;
    return NULL;
}

char *config_parse_retries(const char *s, int *n)
{
    int v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        if (v <= CONFIG_MAX_RETRIES_MAX)
            v = v * 10 + (*p - '0');
    if (*p || p == s)
        return bad_value("max_retries must be a whole number, found '%s'", s);
    if (v > CONFIG_MAX_RETRIES_MAX)
        return bad_value("max_retries must be between 0 and 10, found '%s'", s);
    *n = v;
    return NULL;
}

char *config_parse_max_tokens(const char *s, int *n)
{
    long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        if (v <= CONFIG_MAX_TOKENS_MAX)
            v = v * 10 + (*p - '0');
    if (*p || p == s)
        return bad_value("max_tokens must be a whole number, found '%s'", s);
    if (v < 1 || v > CONFIG_MAX_TOKENS_MAX)
        return bad_value("max_tokens must be between 1 and " NUM(CONFIG_MAX_TOKENS_MAX) ", found '%s'", s);
    *n = (int)v;
    return NULL;
}

char *config_parse_keep_workspaces(const char *s, int *n)
{
    long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        if (v <= CONFIG_KEEP_WORKSPACES_MAX)
            v = v * 10 + (*p - '0');
    if (*p || p == s)
        return bad_value("keep_workspaces must be a whole number, found '%s'", s);
    if (v > CONFIG_KEEP_WORKSPACES_MAX)
        return bad_value("keep_workspaces must be between 0 and 100000, found '%s'", s);
    *n = (int)v;
    return NULL;
}

char *config_parse_bell(const char *s, unsigned *bits)
{
    unsigned v = 0;
    bool none = false;
    const char *p = s;
    while (*p) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t,");
        if (!n)
            break;
        if (n == 6 && !strncmp(p, "drafts", 6))
            v |= CONFIG_BELL_DRAFTS;
        else if (n == 8 && !strncmp(p, "takeover", 8))
            v |= CONFIG_BELL_TAKEOVER;
        else if (n == 4 && !strncmp(p, "none", 4))
            none = true;
        else
            return bad_value("bell is drafts, takeover, both (drafts,takeover) or none, "
                             "found '%s'",
                             s);
        p += n;
    }
    if (none && v)
        return bad_value("bell: none goes alone, found '%s'", s);
    if (!none && !v)
        return bad_value("bell is drafts, takeover, both (drafts,takeover) or none, found '%s'", s);
    *bits = v;
    return NULL;
}

char *config_parse_late_after(const char *s, int *seconds)
{
    long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        if (v <= CONFIG_LATE_AFTER_MAX_S)
            v = v * 10 + (*p - '0');
    if (*p || p == s)
        return bad_value("late_after must be a whole number of seconds, found '%s'", s);
    if (v > CONFIG_LATE_AFTER_MAX_S)
        return bad_value("late_after must be between 0 and 86400 seconds, found '%s'", s);
    *seconds = (int)v;
    return NULL;
}

char *config_parse_undo(const char *s, int *ms)
{
    long v;
    if (!read_seconds(s, &v) || v > CONFIG_UNDO_MAX_MS)
        return bad_value("undo must be a number of seconds from 0 to 60 (such as 5 or 2.5; 0 "
                         "turns it off), found '%s'",
                         s);
    *ms = (int)v;
    return NULL;
}

char *config_parse_flag(const char *s, bool *b)
{
    if (ini_parse_bool(s, b) == 0)
        return NULL;
    return bad_value("expected true or false (or yes/no, on/off, 1/0), found '%s'", s);
}

/* Printable ASCII without blanks: what a model or theme name is made of. */
static bool is_token(const char *s)
{
    if (!*s || strlen(s) > VALUE_MAX)
        return false;
    for (; *s; s++)
        if (*s <= ' ' || *s > '~')
            return false;
    return true;
}

char *config_check_model(const char *s)
{
    if (!*s)
        return xstrdup("model must not be empty");
    if (!is_token(s))
        return bad_value("model must be printable ASCII without spaces, found '%s'", s);
    return NULL;
}

char *config_check_theme(const char *s)
{
    if (!*s)
        return xstrdup("theme must not be empty");
    if (!is_token(s))
        return bad_value("theme must be printable ASCII without spaces, found '%s'", s);
    return NULL;
}

char *config_check_secret(const char *s, const char *what)
{
    /* A secret goes into an HTTP header: a newline or control byte in it
     * would let it write other headers. */
    if (!*s)
        return xasprintf("the %s is empty", what);
    if (!is_token(s))
        return xasprintf("the %s contains spaces, control characters or non-ASCII bytes "
                         "(it is not shown)",
                         what);
    return NULL;
}

char *config_expand_file(const char *s, const char *what, char **out)
{
    if (!*s)
        return xasprintf("the %s path is empty", what);
    if (strncmp(s, "~/", 2) != 0) {
        *out = xstrdup(s);
        return NULL;
    }
    char *home = config_home_dir();
    if (!home)
        return xasprintf("cannot expand ~/ in the %s path: no home directory (set HOME)", what);
    *out = xasprintf("%s/%s", home, s + 2);
    free(home);
    return NULL;
}

char *config_expand_path(const char *s, char **out)
{
    return config_expand_file(s, "debug log", out);
}

/* What every PEM certificate starts with; a bundle of DER or a key alone
 * would only fail at the first connection, as a TLS error. */
#define PEM_CERT "-----BEGIN CERTIFICATE-----"

char *config_check_ca_file(const char *path)
{
    /* O_NONBLOCK: a FIFO in its place must not hang the start. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return bad_file("cannot read the CA file %s: %s", path, strerror(errno));
    struct stat st;
    char *msg = NULL;
    if (fstat(fd, &st) != 0)
        msg = bad_file("cannot examine the CA file %s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        msg = bad_file("the CA file %s is not a regular file%s", path, "");
    if (msg) {
        close(fd);
        return msg;
    }
    buf_t text = BUF_INIT;
    char *rerr = NULL;
    /* A bundle of every public CA is about 200 KiB: the INI limit fits. */
    if (ini_read_fd(fd, path, &text, &rerr) != 0)
        msg = bad_file("cannot read the CA file: %s%s", rerr, "");
    else if (!text.len || !strstr(buf_cstr(&text), PEM_CERT))
        msg = bad_file("the CA file %s holds no PEM certificate (" PEM_CERT " ...)%s", path, "");
    close(fd); /* read-only: nothing to lose */
    free(rerr);
    buf_free(&text);
    return msg;
}

char *config_check_realtime_url(const char *s)
{
    size_t scheme = !strncmp(s, "wss://", 6) ? 6 : !strncmp(s, "ws://", 5) ? 5 : 0;
    if (!scheme)
        return bad_value("the Realtime URL must start with wss:// (or ws:// to this machine), "
                         "found '%s'",
                         s);
    if (!s[scheme] || s[scheme] == '/' || !is_token(s))
        return bad_value("the Realtime URL needs a host and no spaces or control characters, "
                         "found '%s'",
                         s);
    return NULL;
}

char *config_shell_quote(const char *s)
{
    if (*s &&
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+:@%,=") ==
            strlen(s))
        return xstrdup(s);
    buf_t b = BUF_INIT;
    buf_append_char(&b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_append_str(&b, "'\\''");
        else
            buf_append_char(&b, *s);
    }
    buf_append_char(&b, '\'');
    return buf_steal(&b);
}
