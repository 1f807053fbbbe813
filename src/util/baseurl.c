/* baseurl.c: the base URL policy (see baseurl.h). libcurl's URL API says
 * what the URL is; the rules here say which of those aidesk accepts. */
#include "config.h"
#include "util/baseurl.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* A checked URL: pointers into the text given. */
typedef struct parts {
    bool https;
    const char *auth; /* host[:port] as written */
    size_t auth_len;
    const char *path; /* as written, without its trailing slashes */
    size_t path_len;
    bool loopback;
} parts;

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The URL as a message may show it: sanitised, and not at all when it
 * may hold user info. */
static int refuse(char **err, const char *url, const char *fmt)
{
    if (!err)
        return -1;
    if (strchr(url, '@'))
        return err_set(err, fmt, "the URL");
    char *s = sanitize_dup(url, strlen(url), 0);
    char *quoted = xasprintf("'%s'", s);
    int rc = err_set(err, fmt, quoted);
    free(quoted);
    free(s);
    return rc;
}

/* A DNS name, one trailing dot allowed: labels of letters, digits, '-'
 * and '_' (internal names, container names), each of 1 to 63 bytes and
 * not starting or ending with '-'. IPv4 addresses pass as names. */
static bool valid_name(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 254 || (n == 254 && h[n - 1] != '.'))
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
        } else if (is_alnum(c) || c == '-' || c == '_') {
            label++;
        } else {
            return false;
        }
    }
    return true;
}

/* host as libcurl has it: a name, an IPv4 address or "[IPv6]". */
static bool host_is_loopback(const char *host)
{
    if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
        return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    char inner[INET6_ADDRSTRLEN + 1];
    size_t n = strlen(host);
    if (n < 2 || host[0] != '[' || host[n - 1] != ']' || n - 2 >= sizeof inner)
        return false;
    memcpy(inner, host + 1, n - 2);
    inner[n - 2] = '\0';
    struct in6_addr a6;
    if (inet_pton(AF_INET6, inner, &a6) != 1)
        return false;
    return IN6_IS_ADDR_LOOPBACK(&a6) || (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
}

static bool valid_ipv6(const char *host)
{
    char inner[INET6_ADDRSTRLEN + 1];
    size_t n = strlen(host);
    if (n < 3 || host[n - 1] != ']' || n - 2 >= sizeof inner)
        return false;
    memcpy(inner, host + 1, n - 2);
    inner[n - 2] = '\0';
    struct in6_addr a6;
    return inet_pton(AF_INET6, inner, &a6) == 1;
}

/* RFC 3986 path characters: unreserved, sub-delims, ':', '@', '/' and
 * percent escapes. */
static bool valid_path(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%') {
            if (i + 2 >= n || !is_hex(p[i + 1]) || !is_hex(p[i + 2]))
                return false;
            i += 2;
        } else if (!is_alnum(p[i]) && !strchr("-._~!$&'()*+,;=:@/", p[i])) {
            return false;
        }
    }
    return true;
}

/* What libcurl made of the URL: 0, or -1 with *err. */
static int read_with_curl(const char *url, char **host, char **err)
{
    CURLU *h = curl_url();
    if (!h)
        mem_oom(sizeof(void *));
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, url, CURLU_PATH_AS_IS);
    char *v = NULL;
    if (rc == CURLUE_OK)
        rc = curl_url_get(h, CURLUPART_HOST, &v, 0);
    char *port = NULL;
    bool port_zero = rc == CURLUE_OK && curl_url_get(h, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
                     strtol(port, NULL, 10) == 0;
    curl_free(port);
    curl_url_cleanup(h);
    const char *why = NULL;
    switch (rc) {
    case CURLUE_OK:
        if (port_zero)
            why = "%s has a bad port (1 to 65535)";
        else if (!(v[0] == '[' ? valid_ipv6(v) : valid_name(v)))
            why = "%s has a bad or missing host name";
        break;
    case CURLUE_OUT_OF_MEMORY: mem_oom(strlen(url));
    case CURLUE_BAD_PORT_NUMBER: why = "%s has a bad port (1 to 65535)"; break;
    case CURLUE_NO_HOST:
    case CURLUE_BAD_HOSTNAME:
    case CURLUE_BAD_IPV6: why = "%s has a bad or missing host name"; break;
    case CURLUE_BAD_PATH:
        why = "%s has characters that are not allowed in a URL path (escape them as %%XX)";
        break;
    default: why = "%s is not a valid URL"; break;
    }
    if (why) {
        curl_free(v);
        return refuse(err, url, why);
    }
    *host = xstrdup(v);
    curl_free(v);
    return 0;
}

static int check(const char *url, bool allow_http, parts *p, char **err)
{
    p->loopback = false;
    size_t len = strlen(url);
    if (len == 0)
        return err_set(err, "the URL is empty");
    if (len > BASEURL_MAX)
        return err_set(err, "the URL is longer than %d bytes", BASEURL_MAX);
    p->https = !strncasecmp(url, "https://", 8);
    if (!p->https && strncasecmp(url, "http://", 7))
        return refuse(err, url, "%s must start with https://");
    p->auth = url + (p->https ? 8 : 7);
    p->auth_len = strcspn(p->auth, "/?#");
    if (memchr(p->auth, '@', p->auth_len))
        return err_set(err, "the URL must not contain user info (user:password@); keys belong "
                            "in api_key or api_key_cmd");
    if (strpbrk(url, "?#"))
        return refuse(err, url, "%s must not contain a query (?) or fragment (#)");
    /* What libcurl would forgive: an empty port, and characters in the
     * host that it decodes or passes on (only an IDN's xn-- form is taken). */
    if (p->auth_len && p->auth[p->auth_len - 1] == ':')
        return refuse(err, url, "%s has a bad port (1 to 65535)");
    for (size_t i = 0; i < p->auth_len; i++)
        if (!is_alnum(p->auth[i]) && !strchr("-._:[]", p->auth[i]))
            return refuse(err, url, "%s has a bad or missing host name");
    p->path = p->auth + p->auth_len;
    p->path_len = strlen(p->path);
    if (!valid_path(p->path, p->path_len))
        return refuse(err, url,
                      "%s has characters that are not allowed in a URL path (escape them as %%XX)");
    while (p->path_len > 0 && p->path[p->path_len - 1] == '/')
        p->path_len--;
    char *host = NULL;
    if (read_with_curl(url, &host, err) != 0)
        return -1;
    p->loopback = host_is_loopback(host);
    free(host);
    if (!p->https && !p->loopback && !allow_http)
        return refuse(err, url,
                      "%s uses http:// with a host that is not this machine, so the key "
                      "would cross the network unencrypted; use https://, or set "
                      "allow_http = true in [aiassist] (or --allow-http) if you mean it");
    return 0;
}

/* scheme://host[:port] in lower case, then the path when with_path. */
static char *compose(const parts *p, bool with_path)
{
    buf_t b = BUF_INIT;
    buf_append_str(&b, p->https ? "https://" : "http://");
    for (size_t i = 0; i < p->auth_len; i++) {
        char c = p->auth[i];
        buf_append_char(&b, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    if (with_path)
        buf_append(&b, p->path, p->path_len);
    return buf_steal(&b);
}

int baseurl_check(const char *url, bool allow_http, char **normalized, char **err)
{
    parts p;
    if (check(url, allow_http, &p, err) != 0)
        return -1;
    if (normalized)
        *normalized = compose(&p, true);
    return 0;
}

bool baseurl_is_loopback(const char *url)
{
    parts p;
    return url && check(url, true, &p, NULL) == 0 && p.loopback;
}

char *baseurl_origin(const char *url)
{
    parts p;
    if (!url || check(url, true, &p, NULL) != 0)
        return NULL;
    return compose(&p, false);
}
