#include "config.h"
#include "api/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

void api_url_escape_append(buf_t *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    bool only_dots = *s && strspn(s, ".") == strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (is_unreserved(*p) && !(only_dots && *p == '.')) {
            buf_append_char(b, (char)*p);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(b, esc, 3);
        }
    }
}

char *api_url_escape(const char *s)
{
    buf_t b = BUF_INIT;
    api_url_escape_append(&b, s);
    return buf_steal(&b);
}

void api_url_add_query(buf_t *url, const char *name, const char *value)
{
    if (!value)
        return;
    buf_append_char(url, memchr(url->data ? url->data : "", '?', url->len) ? '&' : '?');
    buf_append_str(url, name);
    buf_append_char(url, '=');
    api_url_escape_append(url, value);
}

char *api_url_join(const char *base, const char *path)
{
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    while (*path == '/')
        path++;
    return xasprintf("%.*s/%s", (int)n, base, path);
}

void api_url_clear(api_url *u)
{
    free(u->scheme);
    free(u->host);
    free(u->path);
    memset(u, 0, sizeof *u);
}

static bool host_is_loopback(const char *host)
{
    if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
        return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    struct in6_addr a6;
    if (inet_pton(AF_INET6, host, &a6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&a6))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
    }
    return false;
}

static bool fail(char **err, const char *msg)
{
    *err = xstrdup(msg);
    return false;
}

/* Characters allowed in a registered host name: letters, digits, '-', '.',
 * '_' (seen in internal names). Anything else (IDNs must be given in their
 * xn-- form) is refused rather than guessed at. */
static bool host_chars_ok(const char *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (!(is_unreserved(c) && c != '~'))
            return false;
    }
    return n > 0;
}

static bool parse_port(const char *p, size_t n, int *port)
{
    if (n == 0 || n > 5 || strspn(p, "0123456789") < n)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    if (v < 1 || v > 65535)
        return false;
    *port = v;
    return true;
}

bool api_url_parse(const char *url, api_url *u, char **err)
{
    memset(u, 0, sizeof *u);
    *err = NULL;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F)
            return fail(err, "the URL contains spaces, control or non-ASCII characters");
    const char *sep = strstr(url, "://");
    if (!sep)
        return fail(err, "the URL must start with https:// (or http:// for a local server)");
    size_t slen = (size_t)(sep - url);
    if (!((slen == 5 && !strncasecmp(url, "https", 5)) || (slen == 4 && !strncasecmp(url, "http", 4))))
        return fail(err, "only https:// and http:// URLs are supported");
    const char *auth = sep + 3;
    size_t alen = strcspn(auth, "/?#");
    const char *rest = auth + alen;
    if (strpbrk(rest, "?#"))
        return fail(err, "a base URL cannot have a query or a fragment");
    if (memchr(auth, '@', alen))
        return fail(err, "credentials do not belong in a URL; configure the key instead");
    const char *host = auth;
    size_t hlen;
    const char *after;
    if (*auth == '[') {
        const char *close = memchr(auth, ']', alen);
        if (!close)
            return fail(err, "the URL has an unterminated [IPv6] host");
        host = auth + 1;
        hlen = (size_t)(close - host);
        after = close + 1;
        char tmp[64];
        struct in6_addr a6;
        if (hlen == 0 || hlen >= sizeof tmp)
            return fail(err, "the URL has a malformed IPv6 host");
        memcpy(tmp, host, hlen);
        tmp[hlen] = '\0';
        if (inet_pton(AF_INET6, tmp, &a6) != 1)
            return fail(err, "the URL has a malformed IPv6 host");
    } else {
        const char *colon = memchr(auth, ':', alen);
        hlen = colon ? (size_t)(colon - auth) : alen;
        after = auth + hlen;
        if (!host_chars_ok(host, hlen))
            return fail(err, "the URL has an empty or malformed host");
    }
    int port = 0;
    size_t tail = (size_t)(auth + alen - after);
    if (tail > 0) {
        if (*after != ':' || !parse_port(after + 1, tail - 1, &port))
            return fail(err, "the URL has a malformed port (1 to 65535)");
    }
    u->scheme = xstrndup(url, slen);
    for (char *c = u->scheme; *c; c++)
        *c = (char)(*c | 0x20);
    u->host = xstrndup(host, hlen);
    for (char *c = u->host; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c | 0x20);
    u->port = port;
    size_t plen = strlen(rest);
    while (plen > 0 && rest[plen - 1] == '/')
        plen--;
    u->path = xstrndup(rest, plen);
    u->loopback = host_is_loopback(u->host);
    return true;
}

bool api_url_is_loopback(const char *url)
{
    api_url u;
    char *err;
    if (!api_url_parse(url, &u, &err)) {
        free(err);
        return false;
    }
    bool lb = u.loopback;
    api_url_clear(&u);
    return lb;
}

char *api_url_origin(const char *url)
{
    api_url u;
    char *err;
    if (!url || !api_url_parse(url, &u, &err)) {
        if (url)
            free(err);
        return NULL;
    }
    buf_t b = BUF_INIT;
    bool v6 = strchr(u.host, ':') != NULL;
    buf_printf(&b, "%s://%s%s%s", u.scheme, v6 ? "[" : "", u.host, v6 ? "]" : "");
    if (u.port)
        buf_printf(&b, ":%d", u.port);
    api_url_clear(&u);
    return buf_steal(&b);
}
