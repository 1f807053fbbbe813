/* unsent_rec.c: an unsent message's record, checked, written as JSON and
 * read back (see unsent.h for the format). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "store/file.h"
#include "store/store_priv.h"
#include "store/unsent_priv.h"
#include "util/err.h"
#include "util/jsonu.h"
#include "util/mem.h"

#define KIND "aidesk-unsent"
#define RECORD_VERSION 1
/* JSON escapes a control character in six bytes: the largest text fits. */
#define RECORD_MAX ((size_t)STORE_UNSENT_MAX_BYTES * 6 + 65536)

void store_unsent_rec_clear(store_unsent_rec *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->ws);
    free(r->text);
    free(r->idem_key);
    memset(r, 0, sizeof *r);
}

void unsent_rec_copy(store_unsent_rec *to, const store_unsent_rec *from)
{
    to->id = from->id ? xstrdup(from->id) : NULL;
    to->ws = xstrdup(from->ws);
    to->text = xstrdup(from->text);
    to->idem_key = from->idem_key ? xstrdup(from->idem_key) : NULL;
    to->as_agent = from->as_agent;
    to->uncertain = from->uncertain;
    to->sending = from->sending;
    to->written_ms = from->written_ms;
}

/* Ids are ours: digits, lower-case hex and dashes, so none names a file
 * outside the directory. */
bool unsent_valid_id(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > STORE_UNSENT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef-", id[i]))
            return false;
    return true;
}

int unsent_check_rec(const store_unsent_rec *r, char **err)
{
    if (!r->ws || !*r->ws || strlen(r->ws) > STORE_UNSENT_WS_MAX)
        return err_set(err, "an unsent message needs a workspace id of 1 to %d bytes",
                       STORE_UNSENT_WS_MAX);
    if (!r->text || strlen(r->text) > STORE_UNSENT_MAX_BYTES)
        return err_set(err, "the unsent message is larger than %d bytes",
                       STORE_UNSENT_MAX_BYTES);
    if (r->idem_key && strlen(r->idem_key) > STORE_UNSENT_IDEM_MAX)
        return err_set(err, "the idempotency key is longer than %d bytes",
                       STORE_UNSENT_IDEM_MAX);
    return 0;
}

char *unsent_rec_json(const store_unsent_rec *r)
{
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "kind", json_object_new_string(KIND));
    json_object_object_add(o, "v", json_object_new_int(RECORD_VERSION));
    json_object_object_add(o, "workspace", json_object_new_string(r->ws));
    json_object_object_add(o, "text", json_object_new_string(r->text));
    json_object_object_add(o, "as_agent", json_object_new_boolean(r->as_agent));
    json_object_object_add(o, "uncertain", json_object_new_boolean(r->uncertain));
    json_object_object_add(o, "sending", json_object_new_boolean(r->sending));
    json_object_object_add(o, "written", json_object_new_int64(r->written_ms));
    if (r->idem_key)
        json_object_object_add(o, "idem_key", json_object_new_string(r->idem_key));
    char *s = jsonu_to_string(o);
    json_object_put(o);
    char *line = xasprintf("%s\n", s);
    free(s);
    return line;
}

int unsent_read(int fd, const char *path, const char *id, store_unsent_rec *r, char **err)
{
    char *data = NULL, *perr = NULL;
    size_t len = 0;
    memset(r, 0, sizeof *r);
    if (store_read_fd(fd, path, RECORD_MAX, &data, &len, err) != 0)
        return -1;
    json_object *o = jsonu_parse(data, len, &perr);
    free(data);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        int rc = err_set(err, "%s is not an unsent message: %s", path,
                         perr ? perr : "not a JSON object");
        free(perr);
        return rc;
    }
    jsonu_dec d;
    jsonu_dec_init(&d, "unsent message");
    char *kind = NULL;
    int64_t v = 0;
    if (jsonu_str(&d, o, "kind", true, &kind) && strcmp(kind, KIND) != 0)
        jsonu_fail(&d, "it is not an unsent message");
    if (!d.error && jsonu_int(&d, o, "v", true, 1, 1000, &v) && v != RECORD_VERSION)
        jsonu_fail(&d, "a newer aidesk wrote it (version %lld)", (long long)v);
    /* Without the flag, assume the worst: it may have arrived. */
    r->uncertain = true;
    if (!d.error) {
        jsonu_str(&d, o, "workspace", true, &r->ws);
        jsonu_str(&d, o, "text", true, &r->text);
        jsonu_str(&d, o, "idem_key", false, &r->idem_key);
        jsonu_bool(&d, o, "as_agent", false, &r->as_agent);
        jsonu_bool(&d, o, "uncertain", false, &r->uncertain);
        jsonu_bool(&d, o, "sending", false, &r->sending);
        jsonu_int(&d, o, "written", false, 0, INT64_MAX, &r->written_ms);
    }
    if (!d.error && (!r->ws || !*r->ws))
        jsonu_fail(&d, "its workspace id is empty");
    free(kind);
    json_object_put(o);
    if (d.error) {
        int rc = err_set(err, "%s cannot be read: %s", path, d.error);
        jsonu_dec_free(&d);
        store_unsent_rec_clear(r);
        return rc;
    }
    jsonu_dec_free(&d);
    r->id = xstrdup(id);
    return 0;
}
