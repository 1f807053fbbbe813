/* json_out.c: --json output. json-c builds and escapes the documents; the
 * field names here are documented in aidesk(1) and stay stable. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

json_object *cli_jstr(const char *s)
{
    return jsonu_new_string(s);
}

json_object *cli_jraw(const char *json_text)
{
    if (!json_text)
        return NULL;
    char *err = NULL;
    json_object *o = jsonu_parse(json_text, strlen(json_text), &err);
    free(err);
    return o;
}

static void put_int(json_object *o, const char *key, int64_t v)
{
    json_object_object_add(o, key, v >= 0 ? json_object_new_int64(v) : NULL);
}

json_object *cli_jmessage(const ai_message *m)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", cli_jstr(m->id));
    json_object_object_add(o, "role", json_object_new_string(ai_role_name(m->role)));
    json_object_object_add(o, "content", cli_jstr(m->content));
    json_object_object_add(o, "created_at", cli_jstr(m->created_at));
    json_object_object_add(o, "approval", cli_jstr(m->approval));
    json_object_object_add(o, "draft_id", cli_jstr(m->draft_id));
    return o;
}

json_object *cli_jmessages(const ai_message_list *l)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; l && i < l->n; i++)
        json_object_array_add(a, cli_jmessage(&l->items[i]));
    return a;
}

json_object *cli_jworkspace(const ai_workspace *w)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", cli_jstr(w->id));
    json_object_object_add(o, "mode", cli_jstr(w->mode_raw ? w->mode_raw : ai_mode_name(w->mode)));
    json_object_object_add(o, "status", cli_jstr(w->status));
    json_object_object_add(o, "client_id", cli_jstr(w->client_id));
    json_object_object_add(o, "system_prompt", cli_jstr(w->system_prompt));
    json_object_object_add(o, "context", cli_jraw(w->context_json));
    json_object_object_add(o, "metadata", cli_jraw(w->metadata_json));
    json_object_object_add(o, "created_at", cli_jstr(w->created_at));
    json_object_object_add(o, "updated_at", cli_jstr(w->updated_at));
    if (w->last_activity_at || w->message_count >= 0 || w->pending_drafts >= 0 ||
        w->last_message) {
        json_object_object_add(o, "last_activity_at", cli_jstr(w->last_activity_at));
        put_int(o, "message_count", w->message_count);
        put_int(o, "pending_drafts", w->pending_drafts);
        json_object_object_add(o, "last_message",
                               w->last_message ? cli_jmessage(w->last_message) : NULL);
    }
    return o;
}

json_object *cli_jdraft(const ai_draft *d)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", cli_jstr(d->id));
    json_object_object_add(o, "workspace_id", cli_jstr(d->workspace_id));
    json_object_object_add(o, "content", cli_jstr(d->content));
    json_object_object_add(o, "created_at", cli_jstr(d->created_at));
    json_object_object_add(o, "status", cli_jstr(d->status));
    json_object_object_add(o, "in_reply_to", cli_jstr(d->in_reply_to));
    json_object_object_add(o, "in_reply_to_message",
                           d->in_reply_to_message ? cli_jmessage(d->in_reply_to_message) : NULL);
    json_object_object_add(o, "reason", cli_jstr(d->reason));
    return o;
}

json_object *cli_jerror(const api_error *e)
{
    if (!e)
        return NULL;
    json_object *o = json_object_new_object();
    char *msg = api_error_message(e);
    json_object_object_add(o, "kind", json_object_new_string(api_error_kind_name(e->kind)));
    json_object_object_add(o, "message", cli_jstr(msg));
    json_object_object_add(o, "exit_code", json_object_new_int(api_error_exit_code(e)));
    free(msg);
    return o;
}

/* \uXXXX for one code point (a surrogate pair above U+FFFF). */
static void escape_cp(buf_t *b, uint32_t cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        buf_printf(b, "\\u%04x\\u%04x", 0xD800u + (unsigned)(cp >> 10),
                   0xDC00u + (unsigned)(cp & 0x3FF));
    } else {
        buf_printf(b, "\\u%04x", (unsigned)cp);
    }
}

void cli_json_print(cli_ctx *c, json_object *o)
{
    (void)c;
    char *text = jsonu_to_string(o);
    json_object_put(o);
    /* Outside strings a JSON text is plain ASCII, so every character
     * handled here sits inside a string, where an escape means the same. */
    buf_t b = BUF_INIT;
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x20 && ch < 0x7F) {
            buf_append_char(&b, (char)ch);
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        size_t n = utf8_decode(text + i, len - i, &cp, &ok);
        if (!ok)
            escape_cp(&b, UTF8_REPLACEMENT);
        else if (sanitize_is_unsafe_cp(cp))
            escape_cp(&b, cp);
        else
            buf_append(&b, text + i, n);
        i += n;
    }
    buf_append_char(&b, '\n');
    cli_out(b.data, b.len);
    buf_free(&b);
    free(text);
}
