#include "config.h"
#include "util/jsonu.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/utf8.h"

/* Lexical check json-c does not do: strict UTF-8, no raw control bytes in
 * strings, and outside strings only JSON punctuation, numbers and the three
 * literal words; and not more values than can be decoded safely. Returns
 * NULL when fine, else a static description. */
static const char *prescan(const char *s, size_t len)
{
    if (!utf8_valid(s, len))
        return "invalid UTF-8";
    size_t i = 0, containers = 0, commas = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        /* json-c spends hundreds of bytes on each object: a 16 MB answer of
         * "{}," would take gigabytes. Every value but the first follows a
         * comma, so commas count the values. */
        if (c == '{' || c == '[') {
            if (++containers > JSONU_MAX_CONTAINERS)
                return "too many objects and arrays to decode safely";
        } else if (c == ',') {
            if (++commas >= JSONU_MAX_VALUES)
                return "too many values to decode safely";
        }
        if (c == '"') {
            for (i++;; i++) {
                if (i >= len)
                    return "unterminated string";
                unsigned char d = (unsigned char)s[i];
                if (d == '"')
                    break;
                if (d < 0x20)
                    return "control character inside a string";
                if (d == '\\')
                    i++;
            }
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' ||
            c == '[' || c == ']' || c == ':' || c == ',' || c == '-' || c == '+' ||
            c == '.' || (c >= '0' && c <= '9')) {
            i++;
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            size_t j = i;
            while (j < len && s[j] >= 'a' && s[j] <= 'z')
                j++;
            size_t n = j - i;
            /* 'e' is an exponent and only valid after digits: json-c checks
             * number syntax, we only keep words out. */
            if ((n == 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4))) ||
                (n == 5 && !memcmp(s + i, "false", 5)) || (n == 1 && s[i] == 'e')) {
                i = j;
                continue;
            }
            return "unexpected word outside a string";
        }
        if (c == 'E') {
            i++;
            continue;
        }
        return "unexpected character outside a string";
    }
    return NULL;
}

struct jsonu_parser {
    json_tokener *tok; /* NULL when it could not be made */
};

jsonu_parser *jsonu_parser_new(int outer)
{
    jsonu_parser *p = xcalloc(1, sizeof *p);
    if (outer >= 0 && outer < JSONU_MAX_DEPTH) {
        p->tok = json_tokener_new_ex(JSONU_MAX_DEPTH - outer);
        if (p->tok)
            json_tokener_set_flags(p->tok, JSON_TOKENER_STRICT);
    }
    return p;
}

void jsonu_parser_free(jsonu_parser *p)
{
    if (!p)
        return;
    if (p->tok)
        json_tokener_free(p->tok);
    free(p);
}

json_object *jsonu_parser_parse(jsonu_parser *p, const char *s, size_t len, char **err)
{
    *err = NULL;
    const char *bad = prescan(s, len);
    if (bad) {
        *err = xasprintf("malformed JSON: %s", bad);
        return NULL;
    }
    json_tokener *tok = p->tok;
    if (!tok) {
        *err = xstrdup("malformed JSON: parser unavailable");
        return NULL;
    }
    json_tokener_reset(tok);
    json_object *o = json_tokener_parse_ex(tok, s, (int)(len > (size_t)INT32_MAX ? INT32_MAX : len));
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue) {
        /* Whole input given and still incomplete: truncated. Finish with an
         * empty chunk so numbers at the very end are accepted. */
        o = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        end = len;
    }
    if (jerr != json_tokener_success) {
        *err = xasprintf("malformed JSON: %s", json_tokener_error_desc(jerr));
        json_object_put(o);
        return NULL;
    }
    while (end < len && (s[end] == ' ' || s[end] == '\n' || s[end] == '\r' || s[end] == '\t'))
        end++;
    if (end != len) {
        json_object_put(o);
        *err = xstrdup("malformed JSON: unexpected data after the value");
        return NULL;
    }
    return o;
}

json_object *jsonu_parse(const char *s, size_t len, char **err)
{
    jsonu_parser *p = jsonu_parser_new(0);
    json_object *o = jsonu_parser_parse(p, s, len, err);
    jsonu_parser_free(p);
    return o;
}

void jsonu_dec_init(jsonu_dec *d, const char *what)
{
    d->error = NULL;
    d->what = what;
}

void jsonu_dec_free(jsonu_dec *d)
{
    free(d->error);
    d->error = NULL;
}

bool jsonu_fail(jsonu_dec *d, const char *fmt, ...)
{
    if (d->error)
        return false;
    buf_t b = BUF_INIT;
    if (d->what)
        buf_printf(&b, "%s: ", d->what);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    d->error = buf_steal(&b);
    return false;
}

static json_object *field(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object))
        return NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return NULL;
    return v; /* NULL for JSON null */
}

static bool absent(jsonu_dec *d, const char *key, bool required)
{
    if (required)
        return jsonu_fail(d, "missing field '%s'", key);
    return false;
}

char *jsonu_strdup(json_object *str)
{
    const char *p = json_object_get_string(str);
    size_t n = (size_t)json_object_get_string_len(str);
    if (!memchr(p, '\0', n))
        return xmemdup0(p, n);
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\0')
            buf_append(&b, "\xEF\xBF\xBD", 3);
        else
            buf_append_char(&b, p[i]);
    }
    return buf_steal(&b);
}

bool jsonu_str(jsonu_dec *d, json_object *o, const char *key, bool required, char **out)
{
    json_object *v = field(o, key);
    if (!v)
        return absent(d, key, required);
    if (!json_object_is_type(v, json_type_string))
        return jsonu_fail(d, "field '%s' should be a string", key);
    *out = jsonu_strdup(v);
    return true;
}

bool jsonu_int(jsonu_dec *d, json_object *o, const char *key, bool required, int64_t min,
               int64_t max, int64_t *out)
{
    json_object *v = field(o, key);
    if (!v)
        return absent(d, key, required);
    int64_t x;
    if (json_object_is_type(v, json_type_int)) {
        x = json_object_get_int64(v);
        /* json-c clamps out-of-range values to the int64 limits; both lie
         * outside every range we accept. */
    } else if (json_object_is_type(v, json_type_double)) {
        double f = json_object_get_double(v);
        if (!isfinite(f) || f != floor(f) || f < -9e15 || f > 9e15)
            return jsonu_fail(d, "field '%s' should be a whole number", key);
        x = (int64_t)f;
    } else {
        return jsonu_fail(d, "field '%s' should be a number", key);
    }
    if (x < min || x > max)
        return jsonu_fail(d, "field '%s' is out of range", key);
    *out = x;
    return true;
}

bool jsonu_num(jsonu_dec *d, json_object *o, const char *key, bool required, double min,
               double max, double *out)
{
    json_object *v = field(o, key);
    if (!v)
        return absent(d, key, required);
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return jsonu_fail(d, "field '%s' should be a number", key);
    double f = json_object_get_double(v);
    if (!isfinite(f) || f < min || f > max)
        return jsonu_fail(d, "field '%s' is out of range", key);
    *out = f;
    return true;
}

bool jsonu_bool(jsonu_dec *d, json_object *o, const char *key, bool required, bool *out)
{
    json_object *v = field(o, key);
    if (!v)
        return absent(d, key, required);
    if (!json_object_is_type(v, json_type_boolean))
        return jsonu_fail(d, "field '%s' should be true or false", key);
    *out = json_object_get_boolean(v);
    return true;
}

json_object *jsonu_obj(jsonu_dec *d, json_object *o, const char *key, bool required)
{
    json_object *v = field(o, key);
    if (!v) {
        absent(d, key, required);
        return NULL;
    }
    if (!json_object_is_type(v, json_type_object)) {
        jsonu_fail(d, "field '%s' should be an object", key);
        return NULL;
    }
    return v;
}

json_object *jsonu_arr(jsonu_dec *d, json_object *o, const char *key, bool required)
{
    json_object *v = field(o, key);
    if (!v) {
        absent(d, key, required);
        return NULL;
    }
    if (!json_object_is_type(v, json_type_array)) {
        jsonu_fail(d, "field '%s' should be a list", key);
        return NULL;
    }
    return v;
}

char *jsonu_to_string(json_object *o)
{
    size_t n = 0;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
    return xmemdup0(s ? s : "null", s ? n : 4);
}
