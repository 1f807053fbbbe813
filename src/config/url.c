/* url.c: base URL rules (see url.h). */
#include "config.h"
#include "config/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool config_host_is_loopback(const char *host)
{
    if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
        return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    char inner[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof inner) {
        memcpy(inner, host + 1, n - 2);
        inner[n - 2] = '\0';
        host = inner;
    }
    struct in6_addr a6;
    if (inet_pton(AF_INET6, host, &a6) != 1)
        return false;
    if (IN6_IS_ADDR_LOOPBACK(&a6))
        return true;
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

static int url_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int url_fail(char **err, const char *fmt, ...)
{
    if (err) {
        buf_t b = BUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        buf_vprintf(&b, fmt, ap);
        va_end(ap);
        *err = buf_steal(&b);
    }
    return -1;
}

/* A DNS name (labels of letters, digits and inner hyphens, each at most 63
 * bytes; one trailing dot allowed) or a dotted IPv4 address. */
static bool valid_reg_name(const char *h, size_t n)
{
    if (n == 0 || n > 253)
        return false;
    if (h[n - 1] == '.')
        n--;
    size_t label = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? h[i] : '.';
        if (c == '.') {
            if (label == 0 || label > 63 || h[i - 1] == '-' || h[i - label] == '-')
                return false;
            label = 0;
        } else if (is_alnum(c) || c == '-') {
            label++;
        } else {
            return false;
        }
    }
    return true;
}

static bool valid_ipv6_literal(const char *h, size_t n)
{
    char tmp[INET6_ADDRSTRLEN];
    if (n < 2 || h[0] != '[' || h[n - 1] != ']' || n - 2 >= sizeof tmp)
        return false;
    memcpy(tmp, h + 1, n - 2);
    tmp[n - 2] = '\0';
    struct in6_addr a6;
    return inet_pton(AF_INET6, tmp, &a6) == 1;
}

/* RFC 3986 path characters: unreserved, sub-delims, ':', '@', '/' and
 * percent escapes. */
static bool valid_path(const char *p)
{
    for (; *p; p++) {
        if (*p == '%') {
            if (!is_hex(p[1]) || !is_hex(p[2]))
                return false;
            p += 2;
        } else if (!is_alnum(*p) && !strchr("-._~!$&'()*+,;=:@/", *p)) {
            return false;
        }
    }
    return true;
}

static bool valid_port(const char *p, size_t n)
{
    if (n == 0 || n > 5)
        return false;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

/* The checks; safe is url made fit to be shown in a message. */
static int check(const char *url, const char *safe, bool allow_http, char **normalized, char **err)
{
    bool https = !strncasecmp(url, "https://", 8);
    bool http = !https && !strncasecmp(url, "http://", 7);
    if (!https && !http)
        return url_fail(err, "'%s' must start with https://", safe);
    const char *auth = url + (https ? 8 : 7);
    size_t alen = strcspn(auth, "/?#");
    const char *host = auth;
    size_t hlen = alen;
    if (memchr(auth, '@', alen))
        return url_fail(err, "the URL must not contain user info (user:password@); keys belong in "
                             "api_key or api_key_cmd");
    if (strpbrk(url, "?#"))
        return url_fail(err, "'%s' must not contain a query (?) or fragment (#)", safe);
    /* The port follows the last ':' outside brackets. */
    const char *close = memchr(auth, ']', alen);
    const char *from = close ? close : auth;
    const char *colon = memchr(from, ':', alen - (size_t)(from - auth));
    if (colon) {
        hlen = (size_t)(colon - auth);
        if (!valid_port(colon + 1, alen - hlen - 1))
            return url_fail(err, "'%s' has a bad port (1 to 65535)", safe);
    }
    bool bracketed = hlen > 0 && host[0] == '[';
    if (bracketed ? !valid_ipv6_literal(host, hlen) : !valid_reg_name(host, hlen))
        return url_fail(err, "'%s' has a bad or missing host name", safe);
    if (!valid_path(auth + alen))
        return url_fail(err,
                        "'%s' has characters that are not allowed in a URL path (escape them as "
                        "%%XX)",
                        safe);
    char *h = xstrndup(host, hlen);
    bool loopback = config_host_is_loopback(h);
    free(h);
    if (http && !loopback && !allow_http)
        return url_fail(err,
                        "'%s' uses http:// with a host that is not this machine, so the key "
                        "would cross the network unencrypted; use https://, or set "
                        "allow_http = true in [aiassist] (or --allow-http) if you mean it",
                        safe);
    buf_t b = BUF_INIT;
    buf_append_str(&b, https ? "https://" : "http://");
    for (size_t i = 0; i < hlen; i++)
        buf_append_char(&b, lower(host[i]));
    buf_append_str(&b, host + hlen);
    size_t keep = b.len;
    while (keep > 0 && b.data[keep - 1] == '/')
        keep--;
    buf_truncate(&b, keep);
    *normalized = buf_steal(&b);
    return 0;
}

int config_url_check(const char *url, bool allow_http, char **normalized, char **err)
{
    size_t len = strlen(url);
    if (len == 0)
        return url_fail(err, "the URL is empty");
    if (len > CONFIG_URL_MAX)
        return url_fail(err, "the URL is longer than %d bytes", CONFIG_URL_MAX);
    char *safe = sanitize_dup(url, len, 0);
    int rc = check(url, safe, allow_http, normalized, err);
    free(safe);
    return rc;
}
