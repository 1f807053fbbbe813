/* notes.c: the note a rejected draft leaves in its conversation (the
 * contract is in notes.h). */
#include "config.h"
#include "model/notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model_priv.h"
#include "util/buf.h"
#include "util/mem.h"

void model_note_free(msg_note *n)
{
    if (!n)
        return;
    free(n->draft_id);
    free(n->reason);
    free(n->draft_text);
    free(n);
}

static const char *by_words(draft_by by)
{
    switch (by) {
    case DRAFT_BY_US: return " from this console";
    case DRAFT_BY_US_MAYBE: return ", perhaps by this console's earlier attempt";
    case DRAFT_BY_UNSETTLED: return "";
    case DRAFT_BY_OTHER: return " by another manager";
    }
    return "";
}

/* The sentence a pane that knows nothing of notes shows. */
static char *note_text(const msg_note *n)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "The AI's draft was rejected%s", by_words(n->by));
    if (n->at_ms > 0) {
        time_t t = (time_t)(n->at_ms / 1000);
        struct tm tm;
        char at[16];
        if (localtime_r(&t, &tm) && strftime(at, sizeof at, "%H:%M", &tm))
            buf_printf(&b, " at %s", at);
    }
    if (n->reason && *n->reason)
        buf_printf(&b, ": \"%s\".", n->reason);
    else
        buf_append_str(&b, " (no reason given).");
    buf_append_str(&b, " Nothing was sent to the customer. Next: reply as a human, take over, "
                        "or ask the AI again.");
    return buf_steal(&b);
}

static void set_str(char **dst, const char *src)
{
    if (!src || (*dst && !strcmp(*dst, src)))
        return;
    free(*dst);
    *dst = xstrdup(src);
}

/* Where a note of time at_ms goes: after the last message not newer. */
static void place(conv *c, msg *note)
{
    size_t at = c->nmsgs - 1; /* the note is last (just appended) */
    while (at > 0 && note->at_ms && c->msgs[at - 1]->at_ms > note->at_ms)
        at--;
    if (at == c->nmsgs - 1)
        return;
    memmove(c->msgs + at + 1, c->msgs + at, (c->nmsgs - 1 - at) * sizeof *c->msgs);
    c->msgs[at] = note;
}

msg *model_note_rejection(model *m, const char *draft_id, const char *reason,
                          const char *content)
{
    draft_fate *f = (draft_fate *)model_draft_fate(m, draft_id);
    if (!f || f->how != DRAFT_END_REJECTED)
        return NULL;
    if (reason && !f->reason)
        f->reason = xstrdup(reason);
    if (content && !f->content)
        f->content = xstrdup(content);
    conv *c = f->ws_id ? model_find(m, f->ws_id) : NULL;
    if (!c || c->kind != CONV_WORKSPACE)
        return NULL;
    char *id = xasprintf(NOTE_ID_PREFIX "%s", draft_id);
    msg *mm = conv_find_msg(c, id);
    bool is_new = !mm;
    if (is_new) {
        mm = conv_append(c, id, AI_ROLE_SYSTEM, "", 0, MSG_FINAL, f->at_ms);
        mm->kind = MSG_KIND_NOTE;
        mm->notice = xcalloc(1, sizeof *mm->notice);
        mm->notice->what = NOTE_DRAFT_REJECTED;
        mm->notice->draft_id = xstrdup(draft_id);
    }
    free(id);
    msg_note *n = mm->notice;
    set_str(&n->reason, f->reason);
    set_str(&n->draft_text, f->content);
    n->by = f->by;
    if (f->at_ms)
        n->at_ms = mm->at_ms = f->at_ms;
    char *text = note_text(n);
    if (strcmp(buf_cstr(&mm->text), text)) {
        buf_clear(&mm->text);
        buf_append_str(&mm->text, text);
        mm->rev++;
        c->rev++;
    }
    free(text);
    if (is_new)
        place(c, mm);
    return mm;
}

void model_notes_restore(model *m, conv *c)
{
    for (size_t i = 0; i < m->nfates; i++) {
        const draft_fate *f = &m->fates[i];
        if (f->how == DRAFT_END_REJECTED && f->ws_id && !strcmp(f->ws_id, c->id))
            model_note_rejection(m, f->id, NULL, NULL);
    }
}
