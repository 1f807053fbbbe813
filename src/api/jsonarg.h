/* jsonarg.h: KEY=VALUE arguments whose value is JSON when it reads as JSON
 * (workspace context and metadata, from the command line and /new).
 *
 * The SDK takes any JSON value in context and metadata (its README passes
 * a list of order ids), so a value is sent as the JSON it spells when it
 * is a whole JSON text: a number, true, false, null, a list, an object, or
 * a string in double quotes. Anything else is sent as the string written:
 * name=Ada is "Ada". Text that starts with [, { or " but is not valid JSON
 * is refused, not sent as a string, since it was meant as JSON. A value
 * that reads as a number but is meant as text is written quoted:
 * zip='"01234"' (in a shell), zip="01234" (in /new). */
#ifndef AIDESK_API_JSONARG_H
#define AIDESK_API_JSONARG_H

#include <stdbool.h>

#include <json-c/json.h>

/* The JSON value of text as above; JSON null is returned as NULL with *err
 * NULL. On a refusal returns NULL with *err (caller frees). *is_null tells
 * the two NULLs apart. */
json_object *api_jsonarg_value(const char *text, bool *is_null, char **err);

/* Adds the KEY=VALUE item to obj (a later item with the same key replaces
 * an earlier one). Returns false with *err (caller frees), obj unchanged,
 * when there is no '=' or no key, the text is not valid UTF-8, or the
 * value is refused. */
bool api_jsonarg_add(json_object *obj, const char *item, char **err);

#endif
