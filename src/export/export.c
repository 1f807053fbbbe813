#include "config.h"
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "store/file.h"
#include "store/paths.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/timefmt.h"
#include "util/utf8.h"

static const char *author(const conv *c, ai_role role)
{
    switch (role) {
    case AI_ROLE_AI: return "AI";
    case AI_ROLE_HUMAN: return "agent";
    case AI_ROLE_SYSTEM: return "system";
    case AI_ROLE_USER: return c->kind == CONV_CHAT ? "you" : "customer";
    }
    return "?";
}

/* One message as the export shows it: held, or from the earlier ones. */
typedef struct xmsg {
    const char *id;
    ai_role role;
    const char *text;
    size_t len;
    int64_t at_ms;
    const char *approval;
    const char *state; /* NULL: final */
    const char *note;
} xmsg;

/* Calls fn with each message of the conversation in order: the earlier
 * ones c does not hold, then c's own (notes left out: the console's own
 * remark, model/notes.h, not the conversation). */
typedef void (*each_fn)(const conv *c, const xmsg *m, void *ud);

static void each(const conv *c, const ai_message_list *earlier, each_fn fn, void *ud)
{
    for (size_t i = 0; earlier && i < earlier->n; i++) {
        const ai_message *am = &earlier->items[i];
        if (!am->id || conv_find_msg(c, am->id))
            continue;
        const char *t = am->content ? am->content : "";
        xmsg x = {am->id, am->role, t, strlen(t), am->created_ms, am->approval, NULL, NULL};
        fn(c, &x, ud);
    }
    for (size_t i = 0; i < c->nmsgs; i++) {
        const msg *m = c->msgs[i];
        if (m->kind == MSG_KIND_NOTE)
            continue;
        xmsg x = {m->id, m->role, m->text.data ? m->text.data : "", m->text.len, m->at_ms,
                  m->approval, m->state != MSG_FINAL ? msg_state_name(m->state) : NULL, m->note};
        fn(c, &x, ud);
    }
}

static void md_one(const conv *c, const xmsg *m, void *ud)
{
    buf_t *out = ud;
    char when[TIMEFMT_SIZE];
    timefmt_utc(m->at_ms, TIMEFMT_ISO, when);
    buf_printf(out, "## %s · %s", author(c, m->role), when);
    if (m->approval)
        buf_printf(out, " · %s", m->approval);
    if (m->state)
        buf_printf(out, " · %s", m->state);
    buf_append_str(out, "\n\n");
    /* A U+0000 (held as C0 80) as U+FFFD: the file is plain text. */
    utf8_text_plain_append(out, m->text, m->len);
    if (m->note)
        buf_printf(out, "\n\n> %s", m->note);
    buf_append_str(out, "\n\n");
}

static void render_md(const conv *c, const ai_message_list *earlier, buf_t *out)
{
    buf_printf(out, "# %s\n\n", c->title ? c->title : c->id);
    if (c->kind == CONV_CHAT)
        buf_printf(out, "Chat with `%s`.\n\n", c->chat_model ? c->chat_model : "?");
    else
        buf_printf(out, "Workspace `%s`, %s mode%s.\n\n", c->id, ai_mode_name(c->mode),
                   c->ended ? ", ended" : "");
    each(c, earlier, md_one, out);
}

static void json_one(const conv *c, const xmsg *m, void *ud)
{
    (void)c;
    json_object *jm = json_object_new_object();
    char when[TIMEFMT_SIZE];
    timefmt_utc(m->at_ms, TIMEFMT_ISO, when);
    json_object_object_add(jm, "id", json_object_new_string(m->id));
    json_object_object_add(jm, "role", json_object_new_string(ai_role_name(m->role)));
    json_object_object_add(jm, "content", json_object_new_string_len(m->text, (int)m->len));
    json_object_object_add(jm, "created_at", json_object_new_string(when));
    const char *st = m->state ? m->state : msg_state_name(MSG_FINAL);
    json_object_object_add(jm, "state", json_object_new_string(st));
    if (m->approval)
        json_object_object_add(jm, "approval", json_object_new_string(m->approval));
    if (m->note)
        json_object_object_add(jm, "note", json_object_new_string(m->note));
    json_object_array_add(ud, jm);
}

static void render_json(const conv *c, const ai_message_list *earlier, buf_t *out)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(c->kind == CONV_CHAT ? "chat" : "workspace"));
    json_object_object_add(o, "id", json_object_new_string(c->id));
    json_object_object_add(o, "title", json_object_new_string(c->title ? c->title : c->id));
    if (c->kind == CONV_CHAT)
        json_object_object_add(o, "model", json_object_new_string(c->chat_model ? c->chat_model : ""));
    else
        json_object_object_add(o, "mode", json_object_new_string(ai_mode_name(c->mode)));
    json_object *arr = json_object_new_array();
    each(c, earlier, json_one, arr);
    json_object_object_add(o, "messages", arr);
    char *s = jsonu_to_string(o);
    buf_append_str(out, s);
    buf_append_char(out, '\n');
    free(s);
    json_object_put(o);
}

void export_render_with(const conv *c, const ai_message_list *earlier, export_format f, buf_t *out)
{
    if (f == EXPORT_JSON)
        render_json(c, earlier, out);
    else
        render_md(c, earlier, out);
}

void export_render(const conv *c, export_format f, buf_t *out)
{
    export_render_with(c, NULL, f, out);
}

/* A file-name-safe version of a title. */
static char *slug(const char *s)
{
    char *o = xstrdup(s && *s ? s : "conversation");
    for (char *p = o; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            *p = '_';
    if (strlen(o) > 60)
        o[60] = '\0';
    return o;
}

int export_conv(const conv *c, export_format f, const char *path, char **written, char **err)
{
    if (c->older) {
        /* Never a part taken for the whole. */
        bool one = c->older == 1;
        *err = xasprintf("%zu earlier message%s of this conversation %s not loaded: the file "
                         "would hold only the newest %zu",
                         c->older, one ? "" : "s", one ? "is" : "are", c->nmsgs);
        return -1;
    }
    return export_conv_with(c, NULL, f, path, written, err);
}

int export_conv_with(const conv *c, const ai_message_list *earlier, export_format f,
                     const char *path, char **written, char **err)
{
    buf_t b = BUF_INIT;
    export_render_with(c, earlier, f, &b);
    char *target = NULL;
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW;
    if (path) {
        target = xstrdup(path);
        flags |= O_TRUNC;
    } else {
        char *dir = NULL;
        if (store_data_subdir("exports", &dir, err) != 0) {
            buf_free(&b);
            return -1;
        }
        char stamp[TIMEFMT_SIZE];
        timefmt_utc(clock_wall_ms(), TIMEFMT_STAMP, stamp);
        char *name = slug(c->title);
        target = xasprintf("%s/%s-%s.%s", dir, name, stamp, f == EXPORT_JSON ? "json" : "md");
        free(name);
        free(dir);
        flags |= O_EXCL;
    }
    int fd = open(target, flags, 0600);
    if (fd < 0) {
        *err = xasprintf("cannot write %s: %s", target, strerror(errno));
        free(target);
        buf_free(&b);
        return -1;
    }
    int rc = store_write_all(fd, b.data, b.len);
    if (close(fd) != 0)
        rc = -1;
    buf_free(&b);
    if (rc != 0) {
        *err = xasprintf("writing %s failed: %s", target, strerror(errno));
        free(target);
        return -1;
    }
    *written = target;
    return 0;
}
