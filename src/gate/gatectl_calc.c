/* gatectl_calc.c: the AI Gate controller's pure helpers: expiry states,
 * masking, base64 and OSC 52, the concurrency warning. */
#include "config.h"
#include "gate/gatectl.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

const char *gatectl_state_name(gatectl_state s)
{
    switch (s) {
    case GATECTL_USABLE: return "usable";
    case GATECTL_SECRET_EXPIRED: return "secret expired";
    case GATECTL_SESSION_EXPIRED: return "session expired";
    case GATECTL_NO_SECRET: return "no secret";
    }
    return "?";
}

const char *gatectl_action_name(gatectl_action a)
{
    switch (a) {
    case GATECTL_ACT_CREATE: return "creating a session";
    case GATECTL_ACT_TURN: return "fetching TURN credentials";
    case GATECTL_ACT_HEALTH: return "checking health";
    case GATECTL_ACT_METRICS: return "fetching metrics";
    }
    return "?";
}

/* Whole seconds from now_ms to at_s, rounded up; 0 once reached. */
static int64_t left_s(int64_t at_s, int64_t now_ms)
{
    if (at_s > INT64_MAX / 1000 - 1)
        at_s = INT64_MAX / 1000 - 1;
    int64_t ms = at_s * 1000 - now_ms;
    return ms <= 0 ? 0 : (ms + 999) / 1000;
}

gatectl_timing gatectl_timing_at(int64_t secret_expires_s, int64_t session_expires_s,
                                 int64_t now_ms)
{
    gatectl_timing t;
    t.secret_left_s = left_s(secret_expires_s, now_ms);
    t.session_left_s = left_s(session_expires_s, now_ms);
    if (t.session_left_s == 0)
        t.state = GATECTL_SESSION_EXPIRED;
    else if (t.secret_left_s == 0)
        t.state = GATECTL_SECRET_EXPIRED;
    else
        t.state = GATECTL_USABLE;
    return t;
}

static bool shown_char(char c)
{
    return c > 0x20 && c < 0x7F;
}

char *gatectl_mask(const char *secret)
{
    if (!secret)
        return xstrdup("");
    size_t n = strlen(secret);
    buf_t b = BUF_INIT;
    const char *us = memchr(secret, '_', n < 8 ? n : 8);
    if (us) {
        size_t plen = (size_t)(us - secret) + 1;
        bool ok = true;
        for (size_t i = 0; i < plen; i++)
            ok &= shown_char(secret[i]);
        if (ok && plen < n)
            buf_append(&b, secret, plen);
    }
    buf_append_str(&b, ELLIPSIS);
    if (n >= 12) {
        bool ok = true;
        for (size_t i = n - 4; i < n; i++)
            ok &= shown_char(secret[i]);
        if (ok)
            buf_append(&b, secret + n - 4, 4);
    }
    return buf_steal(&b);
}

char *gatectl_base64(const void *data, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    char *out = xmalloc((len + 2) / 3 * 4 + 1);
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
        out[o++] = tab[v & 63];
    }
    if (len - i == 1) {
        unsigned v = (unsigned)p[i] << 16;
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
        out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

char *gatectl_osc52(const char *text, size_t len)
{
    char *b64 = gatectl_base64(text, len);
    char *seq = xasprintf("\033]52;c;%s\a", b64);
    free(b64);
    return seq;
}

char *gatectl_conc_warning(size_t live, int64_t limit, bool limit_from_server)
{
    if (limit <= 0 || (int64_t)live < limit)
        return NULL;
    if (limit_from_server)
        return xasprintf("AI Gate allows this project %lld concurrent sessions and %zu created "
                         "here are live: repeat the command to create one anyway",
                         (long long)limit, live);
    return xasprintf("the free AI Gate plan allows %lld concurrent sessions and %zu created "
                     "here are live: repeat the command to create one anyway",
                     (long long)limit, live);
}
