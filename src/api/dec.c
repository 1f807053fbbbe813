#include "config.h"
#include "api/dec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

json_object *api_dec_parse(const char *body, size_t len, const char *what, char **err)
{
    *err = NULL;
    if (!body || len == 0) {
        *err = xasprintf("%s: the answer is empty", what);
        return NULL;
    }
    char *perr = NULL;
    json_object *o = jsonu_parse(body, len, &perr);
    if (!o) {
        *err = perr ? xasprintf("%s: %s", what, perr) : xasprintf("%s: the answer is null", what);
        free(perr);
    }
    return o;
}

void api_dec_enter(jsonu_dec *d, api_dec_scope *sc, const char *name, long index)
{
    sc->saved = d->what;
    const char *base = d->what ? d->what : "answer";
    const char *sep = strstr(base, ": ") ? "." : ": ";
    if (index >= 0)
        snprintf(sc->path, sizeof sc->path, "%s%s%s[%ld]", base, sep, name, index);
    else
        snprintf(sc->path, sizeof sc->path, "%s%s%s", base, sep, name);
    d->what = sc->path;
}

void api_dec_leave(jsonu_dec *d, api_dec_scope *sc)
{
    d->what = sc->saved;
}

bool api_dec_finish(jsonu_dec *d, char **err)
{
    if (!d->error)
        return true;
    *err = d->error;
    d->error = NULL;
    return false;
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

bool api_dec_obj_json(jsonu_dec *d, json_object *o, const char *key, char **out)
{
    json_object *v = member(o, key);
    if (!v)
        return true;
    if (!json_object_is_type(v, json_type_object))
        return jsonu_fail(d, "field '%s' should be an object", key);
    *out = jsonu_to_string(v);
    return true;
}

bool api_dec_any_json(jsonu_dec *d, json_object *o, const char *key, char **out)
{
    (void)d;
    json_object *v = member(o, key);
    if (v)
        *out = jsonu_to_string(v);
    return true;
}

bool api_dec_str_or_int(jsonu_dec *d, json_object *o, const char *key, bool required, char **out)
{
    json_object *v = member(o, key);
    if (v && json_object_is_type(v, json_type_int)) {
        int64_t x = json_object_get_int64(v);
        if (x < 0 || x > API_INT_MAX)
            return jsonu_fail(d, "field '%s' is out of range", key);
        *out = xasprintf("%lld", (long long)x);
        return true;
    }
    return jsonu_str(d, o, key, required, out);
}

bool api_dec_is_object(jsonu_dec *d, json_object *o)
{
    if (o && json_object_is_type(o, json_type_object))
        return true;
    /* Inside something ("send result: responses[2]") vs the whole answer. */
    if (d->what && strstr(d->what, ": "))
        return jsonu_fail(d, "should be an object");
    return jsonu_fail(d, "the answer should be a JSON object");
}

void api_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
