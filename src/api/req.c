#include "config.h"
#include "api/req.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/url.h"
#include "util/jsonu.h"
#include "util/mem.h"

net_request *api_request_new(net_method m, const char *base, const char *path, long timeout_ms,
                             int max_retries, bool allow_http)
{
    char *url = api_url_join(base, path);
    net_request *r = net_request_new(m, url);
    free(url);
    r->timeout_ms = timeout_ms;
    r->max_retries = max_retries;
    r->allow_http = allow_http;
    return r;
}

static bool has_header(const net_request *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strncasecmp(r->headers[i], name, n) && r->headers[i][n] == ':')
            return true;
    return false;
}

void api_request_json_type(net_request *r)
{
    if (!has_header(r, "Content-Type"))
        net_request_add_header(r, "Content-Type", "application/json");
}

void api_request_set_json(net_request *r, json_object *body)
{
    char *s = jsonu_to_string(body);
    json_object_put(body);
    net_request_set_body(r, s, strlen(s));
    api_request_json_type(r);
}

void api_path_add_id(buf_t *path, const char *id)
{
    buf_append_char(path, '/');
    api_url_escape_append(path, id);
}

json_object *api_json_double(double v)
{
    char tmp[64];
    /* %.15g round-trips every value a person types and drops the binary
     * noise of %.17g; keep a ".0" so the value still reads as a float. */
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (!strpbrk(tmp, ".eEn"))
        strncat(tmp, ".0", sizeof tmp - strlen(tmp) - 1);
    return json_object_new_double_s(v, tmp);
}

void api_json_add_str(json_object *o, const char *key, const char *s)
{
    if (s)
        json_object_object_add(o, key, json_object_new_string(s));
}
