/* jsonarg.c: KEY=VALUE arguments with JSON values. */
#include "config.h"
#include "api/jsonarg.h"

#include <stdlib.h>
#include <string.h>

#include "util/jsonu.h"
#include "util/mem.h"
#include "util/utf8.h"

json_object *api_jsonarg_value(const char *text, bool *is_null, char **err)
{
    *err = NULL;
    *is_null = false;
    size_t len = strlen(text);
    if (!utf8_valid(text, len)) {
        *err = xstrdup("the value is not valid UTF-8");
        return NULL;
    }
    char *why = NULL;
    json_object *v = jsonu_parse(text, len, &why);
    if (v)
        return v;
    if (!why) {
        *is_null = true; /* the text is JSON null */
        return NULL;
    }
    const char *p = text + strspn(text, " \t\n\r");
    if (*p == '[' || *p == '{' || *p == '"') {
        *err = xasprintf("'%s' is not valid JSON (%s); text that starts with [, { or \" "
                         "is sent as a JSON string only when written as one, in double quotes",
                         text, why);
        free(why);
        return NULL;
    }
    free(why);
    return json_object_new_string_len(text, (int)len);
}

bool api_jsonarg_add(json_object *obj, const char *item, char **err)
{
    *err = NULL;
    const char *eq = strchr(item, '=');
    if (!eq || eq == item) {
        *err = xasprintf("expected KEY=VALUE, got '%s'", item);
        return false;
    }
    char *key = xstrndup(item, (size_t)(eq - item));
    if (!utf8_valid(key, strlen(key))) {
        *err = xstrdup("the key is not valid UTF-8");
        free(key);
        return false;
    }
    bool is_null;
    char *why = NULL;
    json_object *v = api_jsonarg_value(eq + 1, &is_null, &why);
    if (!v && !is_null) {
        *err = xasprintf("%s: %s", key, why);
        free(why);
        free(key);
        return false;
    }
    json_object_object_add(obj, key, v);
    free(key);
    return true;
}
