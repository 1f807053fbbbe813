/* jsonu.h: strict JSON parsing and typed field access on top of json-c.
 *
 * json-c alone is too lenient for input from the network (see the project's
 * docs/architecture.md): even in strict mode it takes NaN, single-quoted
 * strings, raw control bytes and numbers such as "1.", "2.e3" and "-01",
 * accepts invalid UTF-8 forms and clamps huge integers. jsonu_parse closes
 * those holes: it checks UTF-8 and the lexical form itself (numbers as RFC
 * 8259 writes them), limits nesting depth and the number of values, and
 * requires the whole input to be one value.
 *
 * Invalid UTF-8 inside a string does not cost the answer: each maximal
 * invalid subpart becomes U+FFFD in that string alone, and the repair is
 * counted (utf8_repairs, util/utf8.h) so that the user can be told. Invalid
 * UTF-8 outside strings is malformed JSON.
 *
 * The getters check type and range, and copy strings so that a NUL inside
 * one (from \u0000) cannot cut it short: it is held as C0 80 (utf8.h), and
 * jsonu_to_string writes it back as \u0000. */
#ifndef AIDESK_UTIL_JSONU_H
#define AIDESK_UTIL_JSONU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define JSONU_MAX_DEPTH 32
/* Bounds on one parse, far above any real answer (a manager's list of
 * 10,000 workspaces has about 30,000 objects; a long history is read one
 * message at a time): json-c's tree of the worst input they allow stays
 * within about 150 MB instead of gigabytes. */
#define JSONU_MAX_CONTAINERS 100000
#define JSONU_MAX_VALUES 1000000

/* Parses s[0..len). Returns a new object the caller releases with
 * json_object_put(), or NULL with *err set to a new one-line description
 * (caller frees). The JSON value null parses to NULL with *err NULL. */
json_object *jsonu_parse(const char *s, size_t len, char **err);
/* A parser for many values of one answer, each found inside outer levels
 * of its arrays or objects (see jsonarr.h): jsonu_parser_parse is
 * jsonu_parse with the depth limit counting those levels, as if the whole
 * answer were parsed, and without setting up a parser for every value. */
typedef struct jsonu_parser jsonu_parser;
jsonu_parser *jsonu_parser_new(int outer);
void jsonu_parser_free(jsonu_parser *p);
json_object *jsonu_parser_parse(jsonu_parser *p, const char *s, size_t len, char **err);

/* Decoding context: the first problem found is kept in error (owned). */
typedef struct jsonu_dec {
    char *error;
    const char *what; /* what is being decoded, for messages ("workspace") */
} jsonu_dec;

void jsonu_dec_init(jsonu_dec *d, const char *what);
void jsonu_dec_free(jsonu_dec *d);
/* Records a problem (only the first one is kept). Always returns false. */
bool jsonu_fail(jsonu_dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Field getters. A missing field or JSON null is an error only when
 * required; then *out is left unchanged and the getter returns false. A
 * present field of the wrong type or out of range is always an error.
 * Returned strings are new copies (a NUL held as C0 80, see utf8.h). */
bool jsonu_str(jsonu_dec *d, json_object *o, const char *key, bool required, char **out);
bool jsonu_int(jsonu_dec *d, json_object *o, const char *key, bool required, int64_t min,
               int64_t max, int64_t *out);
bool jsonu_num(jsonu_dec *d, json_object *o, const char *key, bool required, double min,
               double max, double *out);
bool jsonu_bool(jsonu_dec *d, json_object *o, const char *key, bool required, bool *out);
/* Borrowed object / array fields (NULL when absent or null). */
json_object *jsonu_obj(jsonu_dec *d, json_object *o, const char *key, bool required);
json_object *jsonu_arr(jsonu_dec *d, json_object *o, const char *key, bool required);

/* A copy of a string value (a NUL held as C0 80). */
char *jsonu_strdup(json_object *str);
/* The inverse: a new JSON string of s (NULL gives NULL, JSON null), so
 * that every writer of json-c writes valid JSON: C0 80 becomes \u0000 and
 * bytes that are not UTF-8 become U+FFFD. */
json_object *jsonu_new_string(const char *s);
/* Serialises o compactly (no slash escaping); caller frees. C0 80 inside a
 * string, aidesk's U+0000, is written as \u0000. */
char *jsonu_to_string(json_object *o);

#endif
