#include "config.h"
#include "api/error_body.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/apitime.h"
#include "net/retry.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/mem.h"

/* The largest count we believe; beyond it the field is ignored. */
#define COUNT_MAX INT64_C(1000000000000)

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

static char *str_member(json_object *o, const char *key)
{
    json_object *v = member(o, key);
    if (!v || !json_object_is_type(v, json_type_string))
        return NULL;
    return jsonu_strdup(v);
}

static void set_once(char **slot, char *value)
{
    if (!*slot)
        *slot = value;
    else
        free(value);
}

/* A non-negative count (an integer, or a number we round). */
static void count_member(json_object *o, const char *key, int64_t *out)
{
    json_object *v = member(o, key);
    if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return;
    double d = json_object_get_double(v);
    if (!isfinite(d) || d < 0 || d > (double)COUNT_MAX)
        return;
    *out = (int64_t)llround(d);
}

/* A scalar as text: a string as is, a number printed, else NULL. */
static char *scalar_text(json_object *v)
{
    if (!v)
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return jsonu_strdup(v);
    if (json_object_is_type(v, json_type_int))
        return xasprintf("%lld", (long long)json_object_get_int64(v));
    if (json_object_is_type(v, json_type_double) && isfinite(json_object_get_double(v)))
        return xasprintf("%.15g", json_object_get_double(v));
    return NULL;
}

/* FastAPI's validation errors: detail is [{loc, msg, type}, ...]. */
static char *detail_from_list(json_object *arr)
{
    size_t n = json_object_array_length(arr);
    char *first = NULL;
    for (size_t i = 0; i < n && !first; i++) {
        json_object *it = json_object_array_get_idx(arr, i);
        first = json_object_is_type(it, json_type_string) ? jsonu_strdup(it) : str_member(it, "msg");
    }
    if (!first || n < 2)
        return first;
    char *s = xasprintf("%s (and %zu more)", first, n - 1);
    free(first);
    return s;
}

static void read_detail(api_error *e, json_object *o)
{
    json_object *d = member(o, "detail");
    if (!d)
        return;
    if (json_object_is_type(d, json_type_string)) {
        set_once(&e->detail, jsonu_strdup(d));
    } else if (json_object_is_type(d, json_type_array)) {
        char *s = detail_from_list(d);
        if (s)
            set_once(&e->detail, s);
    } else if (json_object_is_type(d, json_type_object)) {
        char *s = str_member(d, "message");
        if (!s)
            s = str_member(d, "msg");
        if (s)
            set_once(&e->detail, s);
        s = str_member(d, "code");
        if (s)
            set_once(&e->code, s);
    }
}

static void read_gate_limits(api_error *e, json_object *o, int64_t now_s)
{
    json_object *u = member(o, "usage");
    if (u && json_object_is_type(u, json_type_object)) {
        char *plan = str_member(u, "plan");
        if (plan)
            set_once(&e->plan, plan);
        count_member(u, "sessionsIncluded", &e->sessions_included);
        count_member(u, "sessionsUsed", &e->sessions_used);
        count_member(u, "sessionsRemaining", &e->sessions_remaining);
        count_member(u, "estimatedMinutes", &e->minutes_estimated);
        count_member(u, "minutesUsed", &e->minutes_used);
        json_object *p = member(u, "percentUsed");
        if (p && (json_object_is_type(p, json_type_int) || json_object_is_type(p, json_type_double))) {
            double d = json_object_get_double(p);
            if (isfinite(d) && d >= 0 && d <= 1e6)
                e->percent_used = d;
        }
    }
    char *url = str_member(o, "upgrade_url");
    if (url)
        set_once(&e->upgrade_url, url);
    count_member(o, "current", &e->concurrent_current);
    count_member(o, "max", &e->concurrent_max);
    char *hint = str_member(o, "hint");
    if (hint)
        set_once(&e->hint, hint);
    count_member(o, "limit", &e->rate_limit);
    /* A numeric window's unit is not public; seconds is the usual one. */
    json_object *w = member(o, "window");
    char *win = scalar_text(w);
    if (win && !json_object_is_type(w, json_type_string)) {
        char *with_unit = xasprintf("%s s", win);
        free(win);
        win = with_unit;
    }
    if (win)
        set_once(&e->rate_window, win);
    json_object *r = member(o, "resetAt");
    char *reset = scalar_text(r);
    if (!reset)
        return;
    set_once(&e->reset_at, reset);
    /* resetAt: an ISO-8601 time, or a unix time in seconds or milliseconds. */
    int64_t at_s = -1;
    int64_t ms;
    if (json_object_is_type(r, json_type_string) && api_time_parse_iso8601(e->reset_at, &ms)) {
        at_s = ms / 1000;
    } else if (!json_object_is_type(r, json_type_string)) {
        double d = json_object_get_double(r);
        if (isfinite(d) && d > 0 && d < 1e14)
            at_s = (int64_t)(d > 1e11 ? d / 1000 : d);
    }
    if (at_s >= 0 && e->retry_after_s < 0)
        e->retry_after_s =
            at_s > now_s ? (long)(at_s - now_s < RETRY_AFTER_MAX_S ? at_s - now_s : RETRY_AFTER_MAX_S)
                         : 0;
}

void api_error_read_json(api_error *e, json_object *o, int64_t now_s)
{
    if (!o || !json_object_is_type(o, json_type_object))
        return;
    read_detail(e, o);
    char *code = str_member(o, "code");
    if (code)
        set_once(&e->code, code);
    json_object *err = member(o, "error");
    if (err && json_object_is_type(err, json_type_object)) {
        /* OpenAI style: {error:{message, type, code}} */
        char *m = str_member(err, "message");
        if (m)
            set_once(&e->detail, m);
        char *c = str_member(err, "code");
        if (!c)
            c = str_member(err, "type");
        if (c)
            set_once(&e->code, c);
    } else if (err && json_object_is_type(err, json_type_string)) {
        set_once(&e->code, jsonu_strdup(err));
    }
    char *msg = str_member(o, "message");
    if (msg)
        set_once(&e->detail, msg);
    read_gate_limits(e, o, now_s);
    /* A code can only sharpen a limit-like kind, never turn an auth or
     * not-found answer into something else. */
    bool refinable = e->kind == API_ERR_RATE_LIMITED || e->kind == API_ERR_BAD_REQUEST ||
                     e->kind == API_ERR_SERVER;
    if (!refinable || !e->code)
        return;
    if (!strcmp(e->code, "concurrent_limit_exceeded"))
        e->kind = API_ERR_CONCURRENT;
    else if (!strcmp(e->code, "quota_exceeded"))
        e->kind = API_ERR_QUOTA;
}

void api_error_read_body(api_error *e, const char *body, size_t len, int64_t now_s)
{
    char *perr = NULL;
    json_object *o = jsonu_parse(body, len, &perr);
    free(perr);
    if (!o)
        return;
    api_error_read_json(e, o, now_s);
    json_object_put(o);
}

static bool code_has(const api_error *e, const char *needle)
{
    return e->code && strstr(e->code, needle);
}

api_error *api_error_from_stream(api_service svc, const char *data, size_t len)
{
    api_error *e = api_error_for(API_ERR_SERVER, svc);
    char *perr = NULL;
    json_object *o = data && len ? jsonu_parse(data, len, &perr) : NULL;
    free(perr);
    if (o && json_object_is_type(o, json_type_object)) {
        json_object *inner = member(o, "error");
        /* {error:{...}} or {error:"code", message} or the error object itself */
        api_error_read_json(e, o, 0);
        if (inner && json_object_is_type(inner, json_type_object))
            api_error_read_json(e, inner, 0);
    } else if (o && json_object_is_type(o, json_type_string)) {
        e->detail = jsonu_strdup(o);
    } else if (!o && data && len) {
        e->detail = xstrndup(data, len);
    }
    json_object_put(o);
    if (code_has(e, "rate_limit"))
        e->kind = API_ERR_RATE_LIMITED;
    else if (code_has(e, "invalid_api_key") || code_has(e, "authentication"))
        e->kind = API_ERR_AUTH;
    else if (code_has(e, "quota"))
        e->kind = API_ERR_QUOTA;
    if (!e->detail)
        e->detail = xstrdup("the stream reported an error");
    return e;
}
