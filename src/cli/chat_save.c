/* chat_save.c: the transcript of "aidesk chat --save" (see chat_save.h). */
#include "config.h"
#include "cli/chat_save.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "store/transcript.h"
#include "util/clock.h"
#include "util/mem.h"
#include "util/utf8.h"

#define TITLE_MAX 60

struct cli_chat_save {
    store_transcript *t;
    bool failed; /* an append failed: said once */
};

static json_object *record(const char *type, const char *content)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "t", json_object_new_int64(clock_wall_ms()));
    json_object_object_add(o, "type", json_object_new_string(type));
    json_object_object_add(o, "content", cli_jstr(content ? content : ""));
    return o;
}

static void append(cli_chat_save *s, json_object *rec)
{
    char *err = NULL;
    if (store_transcript_append(s->t, rec, &err) != 0 && !s->failed) {
        cli_error("cannot save the transcript: %s", err);
        s->failed = true;
    }
    free(err);
    json_object_put(rec);
}

cli_chat_save *cli_chat_save_new(cli_ctx *c, const char *model, const char *system,
                                 const char *prompt)
{
    (void)c;
    /* The title: the prompt's first line, cut at a character boundary. */
    size_t len = strcspn(prompt, "\n");
    if (len > TITLE_MAX)
        len = utf8_prefix_len(prompt, TITLE_MAX);
    char *title = xstrndup(prompt, len);
    store_transcript *t = NULL;
    char *err = NULL;
    int rc = store_transcript_create("chat", title, &t, &err);
    free(title);
    if (rc != 0) {
        cli_error("cannot save the chat (--save): %s", err);
        free(err);
        return NULL;
    }
    cli_chat_save *s = xcalloc(1, sizeof *s);
    s->t = t;
    if (system)
        append(s, record("system", system));
    json_object *u = record("user", prompt);
    json_object_object_add(u, "model", cli_jstr(model));
    append(s, u);
    return s;
}

void cli_chat_save_reply(cli_chat_save *s, const char *id, const char *model, const char *content,
                         const char *finish_reason, const api_error *e)
{
    if (!s)
        return;
    json_object *r = record("assistant", content);
    json_object_object_add(r, "model", cli_jstr(model));
    json_object_object_add(r, "id", cli_jstr(id));
    json_object_object_add(r, "finish_reason", cli_jstr(finish_reason));
    json_object_object_add(r, "partial", json_object_new_boolean(e != NULL));
    char *msg = e ? api_error_message(e) : NULL;
    json_object_object_add(r, "error", cli_jstr(msg));
    free(msg);
    append(s, r);
}

void cli_chat_save_free(cli_ctx *c, cli_chat_save *s)
{
    if (!s)
        return;
    if (!s->failed)
        cli_note(c, "saved to %s", store_transcript_path(s->t));
    store_transcript_free(s->t);
    free(s);
}
