#include "config.h"
#include "api/url.h"

#include <stdbool.h>
#include <string.h>

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
