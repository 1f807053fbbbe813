/* dec.h (internal to src/api): what the decoders share on top of jsonu.
 *
 * A decoder parses the whole body strictly (jsonu_parse: strict UTF-8, no
 * NaN, bounded depth, huge numbers caught by range checks), walks it with a
 * jsonu_dec whose 'what' names the place being read ("send result:
 * responses[2]"), and on the first problem returns NULL with that message. */
#ifndef AIDESK_API_DEC_H
#define AIDESK_API_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "util/jsonu.h"

/* Counts and times we accept: up to 2^53, what a JSON number holds exactly. */
#define API_INT_MAX INT64_C(9007199254740991)

/* Parses body; NULL with *err ("<what>: malformed JSON: ...", or "<what>:
 * the answer is empty/null") on failure. Caller puts the result. */
json_object *api_dec_parse(const char *body, size_t len, const char *what, char **err);

/* A place inside the value being decoded, for messages. */
typedef struct api_dec_scope {
    const char *saved;
    char path[200];
} api_dec_scope;

/* Points d->what at "<what>: name" (or "<what>.name" when already inside
 * something), with "[index]" when index >= 0. Leave with api_dec_leave. */
void api_dec_enter(jsonu_dec *d, api_dec_scope *sc, const char *name, long index);
void api_dec_leave(jsonu_dec *d, api_dec_scope *sc);

/* Finishes a decoder: when d holds an error, moves it to *err and returns
 * false; else true. */
bool api_dec_finish(jsonu_dec *d, char **err);

/* An optional field that must be an object (or null): its compact JSON in
 * *out (new), or *out unchanged when absent. */
bool api_dec_obj_json(jsonu_dec *d, json_object *o, const char *key, char **out);
/* Any optional field as compact JSON (objects, lists, scalars). */
bool api_dec_any_json(jsonu_dec *d, json_object *o, const char *key, char **out);

/* An optional string or integer field, as text (ids that some servers send
 * as numbers). */
bool api_dec_str_or_int(jsonu_dec *d, json_object *o, const char *key, bool required, char **out);

/* Whether o is a JSON object; records "<what> should be an object" if not. */
bool api_dec_is_object(jsonu_dec *d, json_object *o);

/* Frees a NULL-terminated or counted list of strings. */
void api_strv_free(char **v, size_t n);

#endif
