#include "config.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"
#include "util/timefmt.h"
#include "util/sanitize.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static char **secrets;
static size_t nsecrets, capsecrets;

int log_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    pthread_mutex_lock(&log_lock);
    if (log_fd >= 0)
        close(log_fd);
    log_fd = fd;
    pthread_mutex_unlock(&log_lock);
    return 0;
}

void log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_fd >= 0)
        close(log_fd);
    log_fd = -1;
    pthread_mutex_unlock(&log_lock);
}

bool log_enabled(void)
{
    pthread_mutex_lock(&log_lock);
    bool on = log_fd >= 0;
    pthread_mutex_unlock(&log_lock);
    return on;
}

void log_add_secret(const char *secret)
{
    if (!secret || strlen(secret) < 4)
        return;
    pthread_mutex_lock(&log_lock);
    for (size_t i = 0; i < nsecrets; i++) {
        if (!strcmp(secrets[i], secret)) {
            pthread_mutex_unlock(&log_lock);
            return;
        }
    }
    secrets = xgrow(secrets, &capsecrets, nsecrets + 1, sizeof *secrets);
    secrets[nsecrets++] = xstrdup(secret);
    pthread_mutex_unlock(&log_lock);
}

void log_clear_secrets(void)
{
    pthread_mutex_lock(&log_lock);
    for (size_t i = 0; i < nsecrets; i++)
        free(secrets[i]);
    free(secrets);
    secrets = NULL;
    nsecrets = capsecrets = 0;
    pthread_mutex_unlock(&log_lock);
}

static bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static const char *const header_names[] = {"authorization:", "x-api-key:", "cookie:",
                                           "set-cookie:", "proxy-authorization:"};
static const char *const token_prefixes[] = {"aai_", "eph_", "ek_"};
static const char *const json_keys[] = {"credential", "password", "api_key", "apikey",
                                        "secret", "client_secret", "value", "token", "key"};

/* At s (inside text), a credential header "Name: value" runs to end of line. */
static size_t match_header(const char *s)
{
    for (size_t i = 0; i < sizeof header_names / sizeof *header_names; i++) {
        size_t n = strlen(header_names[i]);
        if (!strncasecmp(s, header_names[i], n))
            return n;
    }
    return 0;
}

/* At s, a JSON member "key": "..." with a credential-like key; returns the
 * length up to and including the opening quote of the value. */
static size_t match_json_key(const char *s)
{
    if (*s != '"')
        return 0;
    for (size_t i = 0; i < sizeof json_keys / sizeof *json_keys; i++) {
        size_t n = strlen(json_keys[i]);
        if (strncmp(s + 1, json_keys[i], n) || s[1 + n] != '"')
            continue;
        const char *p = s + 2 + n;
        while (*p == ' ')
            p++;
        if (*p != ':')
            continue;
        p++;
        while (*p == ' ')
            p++;
        if (*p != '"')
            continue;
        return (size_t)(p - s) + 1;
    }
    return 0;
}

static void redact_into(buf_t *out, const char *s)
{
    size_t i = 0, len = strlen(s);
    while (i < len) {
        size_t n;
        if ((n = match_header(s + i))) {
            buf_append(out, s + i, n);
            buf_append_str(out, " " REDACTED);
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if ((n = match_json_key(s + i))) {
            buf_append(out, s + i, n);
            buf_append_str(out, REDACTED "\"");
            i += n;
            while (i < len && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < len)
                    i++;
                i++;
            }
            i++; /* closing quote */
            continue;
        }
        bool at_word_start = i == 0 || !is_token_char(s[i - 1]);
        bool done = false;
        for (size_t k = 0; at_word_start && k < sizeof token_prefixes / sizeof *token_prefixes; k++) {
            size_t pn = strlen(token_prefixes[k]);
            if (!strncmp(s + i, token_prefixes[k], pn) && is_token_char(s[i + pn])) {
                buf_append_str(out, REDACTED);
                i += pn;
                while (i < len && is_token_char(s[i]))
                    i++;
                done = true;
                break;
            }
        }
        for (size_t k = 0; !done && k < nsecrets; k++) {
            size_t sn = strlen(secrets[k]);
            if (!strncmp(s + i, secrets[k], sn)) {
                buf_append_str(out, REDACTED);
                i += sn;
                done = true;
            }
        }
        if (!done)
            buf_append_char(out, s[i++]);
    }
}

char *log_redact(const char *s)
{
    buf_t out = BUF_INIT;
    pthread_mutex_lock(&log_lock);
    redact_into(&out, s);
    pthread_mutex_unlock(&log_lock);
    if (!out.data)
        return xstrdup("");
    return buf_steal(&out);
}

void log_msg(const char *fmt, ...)
{
    if (!log_enabled())
        return;
    buf_t raw = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&raw, fmt, ap);
    va_end(ap);
    char *red = log_redact(buf_cstr(&raw));
    buf_free(&raw);

    char when[TIMEFMT_SIZE];
    timefmt_utc(clock_wall_ms(), TIMEFMT_ISO_MS, when);
    buf_t line = BUF_INIT;
    buf_printf(&line, "%s ", when);
    sanitize_append(&line, red, strlen(red), SAN_KEEP_TAB);
    buf_append_char(&line, '\n');
    free(red);

    pthread_mutex_lock(&log_lock);
    if (log_fd >= 0) {
        const char *p = line.data;
        size_t left = line.len;
        while (left > 0) {
            ssize_t w = write(log_fd, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
    }
    pthread_mutex_unlock(&log_lock);
    buf_free(&line);
}
