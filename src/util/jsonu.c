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

/* A number as RFC 8259 writes it, starting at s[i]: the index after it,
 * or 0 when what starts there is not one. json-c alone takes "1.", "2.e3"
 * and "-01"; JSON does not. */
static size_t number_end(const char *s, size_t len, size_t i)
{
#define DIGIT(k) ((k) < len && s[k] >= '0' && s[k] <= '9')
    size_t j = i;
    if (j < len && s[j] == '-')
        j++;
    if (!DIGIT(j))
        return 0;
    if (s[j] == '0')
        j++;
    else
        while (DIGIT(j))
            j++;
    if (j < len && s[j] == '.') {
        if (!DIGIT(j + 1))
            return 0;
        for (j++; DIGIT(j); j++)
            ;
    }
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        if (!DIGIT(j))
            return 0;
        while (DIGIT(j))
            j++;
    }
    /* Whatever follows must end it: "01", "1.5.2", "0x1" are not numbers. */
    if (j < len && ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'z') ||
                    (s[j] >= 'A' && s[j] <= 'Z') || s[j] == '.' || s[j] == '+' || s[j] == '-'))
        return 0;
    return j;
#undef DIGIT
}

/* "'01' is not a number ..." for the token at s[i], into why. */
static const char *bad_number(const char *s, size_t len, size_t i, char *why, size_t n)
{
    size_t j = i;
    while (j < len && j - i < 24 &&
           ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'z') ||
            (s[j] >= 'A' && s[j] <= 'Z') || s[j] == '.' || s[j] == '+' || s[j] == '-'))
        j++;
    bool more = j < len && j - i == 24;
    snprintf(why, n, "'%.*s%s' is not a number as JSON writes it", (int)(j - i), s + i,
             more ? "..." : "");
    return why;
}

/* Lexical check json-c does not do: no raw control bytes in
 * strings, and outside strings only JSON punctuation, numbers as RFC 8259
 * writes them and the three literal words; and not more values than can
 * be decoded safely. Returns NULL when fine, else a description (static,
 * or written into why). */
static const char *prescan(const char *s, size_t len, char *why, size_t nwhy)
{
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
            c == '[' || c == ']' || c == ':' || c == ',') {
            i++;
            continue;
        }
        if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
            size_t e = number_end(s, len, i);
            if (!e)
                return bad_number(s, len, i, why, nwhy);
            i = e;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t j = i;
            while (j < len && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
                j++;
            size_t n = j - i;
            if ((n == 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4))) ||
                (n == 5 && !memcmp(s + i, "false", 5))) {
                i = j;
                continue;
            }
            return "unexpected word outside a string";
        }
        return "unexpected character outside a string";
    }
    return NULL;
}

/* Copies s[0..len) to out with invalid UTF-8 inside strings replaced, each
 * maximal invalid subpart by one U+FFFD. Bytes outside strings are copied
 * as they are, for the caller to refuse. Returns the number of strings
 * repaired. */
static size_t repair_strings(const char *s, size_t len, buf_t *out)
{
    size_t strings = 0, i = 0, run = 0;
    buf_reserve(out, len + len / 4);
    while (i < len) {
        if (s[i] != '"') {
            i++;
            continue;
        }
        bool fixed = false;
        for (i++; i < len && s[i] != '"';) {
            unsigned char d = (unsigned char)s[i];
            if (d == '\\' && i + 1 < len && (unsigned char)s[i + 1] < 0x80) {
                i += 2;
                continue;
            }
            if (d < 0x80) {
                i++;
                continue;
            }
            uint32_t cp;
            bool ok;
            size_t n = utf8_decode(s + i, len - i, &cp, &ok);
            if (!ok) {
                buf_append(out, s + run, i - run);
                buf_append(out, "\xEF\xBF\xBD", 3);
                run = i + n;
                fixed = true;
            }
            i += n;
        }
        i++; /* the closing quote */
        strings += fixed;
    }
    buf_append(out, s + run, len - run);
    return strings;
}

struct jsonu_parser {
    json_tokener *tok; /* NULL when it could not be made */
};

static json_object *parse(jsonu_parser *p, const char *s, size_t len, char **err);

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
    buf_t fixed = BUF_INIT;
    size_t repaired = 0;
    if (!utf8_valid(s, len)) {
        repaired = repair_strings(s, len, &fixed);
        s = buf_cstr(&fixed);
        len = fixed.len;
        if (!utf8_valid(s, len)) {
            buf_free(&fixed);
            *err = xstrdup("malformed JSON: invalid UTF-8 outside a string");
            return NULL;
        }
    }
    json_object *o = parse(p, s, len, err);
    buf_free(&fixed);
    if (o && repaired)
        utf8_repairs_note(repaired);
    return o;
}

static json_object *parse(jsonu_parser *p, const char *s, size_t len, char **err)
{
    char why[96];
    const char *bad = prescan(s, len, why, sizeof why);
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
            buf_append(&b, UTF8_TEXT_NUL, 2);
        else
            buf_append_char(&b, p[i]);
    }
    return buf_steal(&b);
}

json_object *jsonu_new_string(const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (utf8_valid(s, len))
        return json_object_new_string_len(s, (int)len);
    /* A U+0000 (held as C0 80) becomes a real NUL, which json-c writes as
     * \u0000; anything invalid becomes U+FFFD. */
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        bool ok;
        size_t n = utf8_text_decode(s + i, len - i, &cp, &ok);
        if (ok && cp == 0) {
            buf_append_char(&b, '\0');
        } else if (ok) {
            buf_append(&b, s + i, n);
        } else {
            char tmp[4];
            buf_append(&b, tmp, utf8_encode(UTF8_REPLACEMENT, tmp));
        }
        i += n;
    }
    json_object *o = json_object_new_string_len(buf_cstr(&b), (int)b.len);
    buf_free(&b);
    return o;
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
    if (!s)
        return xstrdup("null");
    const char *c0 = memchr(s, 0xC0, n);
    if (!c0)
        return xmemdup0(s, n);
    /* Text that held a U+0000 (as C0 80, see utf8.h) is written back as
     * JSON's \u0000. json-c copies non-ASCII bytes of strings as they are,
     * and outside strings it writes only ASCII, so every C0 80 here is
     * one of those. */
    buf_t b = BUF_INIT;
    size_t i = 0;
    while (c0) {
        size_t at = (size_t)(c0 - s);
        bool nul = at + 1 < n && (unsigned char)s[at + 1] == 0x80;
        buf_append(&b, s + i, at - i);
        if (nul)
            buf_append(&b, "\\u0000", 6);
        else
            buf_append_char(&b, s[at]);
        i = at + (nul ? 2 : 1);
        c0 = i < n ? memchr(s + i, 0xC0, n - i) : NULL;
    }
    buf_append(&b, s + i, n - i);
    return buf_steal(&b);
}
