/* conv.c: the messages of one conversation. */
#include "config.h"
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_priv.h"
#include "model/msgindex.h"
#include "util/assert.h"
#include "model/notes.h"
#include "util/mem.h"

bool model_is_local_id(const char *id)
{
    return !strncmp(id, "local-", 6);
}

msg *conv_find_msg(const conv *c, const char *id)
{
    return msgindex_get(c->byid, id);
}

void conv_touch(conv *c)
{
    c->rev++;
}

msg *model_msg_new(const char *id, ai_role role, const char *text, size_t len, msg_state state,
                  int64_t at_ms)
{
    /* One allocation for the record and its id. */
    size_t idlen = strlen(id) + 1;
    msg *mm = xcalloc(1, sizeof *mm + idlen);
    mm->id = (char *)(mm + 1);
    memcpy(mm->id, id, idlen);
    mm->role = role;
    /* Whole texts (history) get exactly their size; growing ones double. */
    if (text && len)
        buf_reserve_exact(&mm->text, len);
    buf_append(&mm->text, text ? text : "", text ? len : 0);
    mm->state = state;
    mm->at_ms = at_ms;
    return mm;
}

void model_conv_insert(conv *c, size_t at, msg *const *mms, size_t n)
{
    if (!n)
        return;
    c->msgs = xgrow(c->msgs, &c->capmsgs, c->nmsgs + n, sizeof *c->msgs);
    memmove(c->msgs + at + n, c->msgs + at, (c->nmsgs - at) * sizeof *c->msgs);
    c->nmsgs += n;
    if (!c->byid)
        c->byid = msgindex_new();
    for (size_t i = 0; i < n; i++) {
        msg *mm = mms[i];
        c->msgs[at + i] = mm;
        msgindex_put(c->byid, mm);
        if (model_is_local_id(mm->id))
            c->nlocal++;
        if (mm->at_ms > c->activity_ms)
            c->activity_ms = mm->at_ms;
    }
    AIDESK_ASSERT(msgindex_count(c->byid) == c->nmsgs); /* ids are unique */
    c->rev++;
}

msg *conv_append(conv *c, const char *id, ai_role role, const char *text, size_t len,
                 msg_state state, int64_t at_ms)
{
    msg *mm = model_msg_new(id, role, text, len, state, at_ms);
    model_conv_insert(c, c->nmsgs, &mm, 1);
    return mm;
}

msg *conv_append_local(conv *c, ai_role role, const char *text, int64_t at_ms)
{
    char id[40];
    snprintf(id, sizeof id, "local-%llu", (unsigned long long)++c->next_local);
    return conv_append(c, id, role, text, strlen(text), MSG_SENDING, at_ms);
}

void conv_remove_msg(conv *c, msg *mm)
{
    for (size_t i = 0; i < c->nmsgs; i++) {
        if (c->msgs[i] != mm)
            continue;
        memmove(c->msgs + i, c->msgs + i + 1, (c->nmsgs - i - 1) * sizeof *c->msgs);
        c->nmsgs--;
        msgindex_del(c->byid, mm);
        if (model_is_local_id(mm->id)) {
            AIDESK_ASSERT(c->nlocal > 0);
            c->nlocal--;
        }
        model_msg_free(mm);
        c->rev++;
        return;
    }
}

void msg_append_text(msg *mm, const char *text, size_t len)
{
    buf_append(&mm->text, text, len);
    mm->rev++;
}

void msg_set_state(msg *mm, msg_state st, const char *note)
{
    mm->state = st;
    free(mm->note);
    mm->note = note ? xstrdup(note) : NULL;
    mm->rev++;
}

void msg_set_id(conv *c, msg *mm, const char *id)
{
    msgindex_del(c->byid, mm);
    c->nlocal -= model_is_local_id(mm->id);
    if (!msg_id_inline(mm))
        free(mm->id);
    mm->id = xstrdup(id);
    c->nlocal += model_is_local_id(mm->id);
    msgindex_put(c->byid, mm);
    AIDESK_ASSERT(msgindex_count(c->byid) == c->nmsgs); /* the new id is no other's */
    mm->rev++;
    c->rev++;
}

static bool is_ours_in_flight(const msg *mm)
{
    /* A held message is not on the wire: the server cannot have it. */
    return (mm->state == MSG_SENDING && !mm->held) || mm->state == MSG_UNCERTAIN;
}

/* One of our messages still waiting for its server id, with this text. */
static msg *find_ours(const conv *c, ai_role role, const char *text)
{
    if (!c->nlocal)
        return NULL; /* the usual case when a history is merged */
    for (size_t i = 0; i < c->nmsgs; i++) {
        msg *mm = c->msgs[i];
        if (is_ours_in_flight(mm) && mm->role == role && model_is_local_id(mm->id) &&
            !strcmp(buf_cstr(&mm->text), text))
            return mm;
    }
    return NULL;
}

static const char *const APPROVALS[] = {"direct", "approved", "edited"};

const char *msg_approval_shared(const char *s)
{
    for (size_t i = 0; s && i < sizeof APPROVALS / sizeof *APPROVALS; i++)
        if (s == APPROVALS[i] || !strcmp(s, APPROVALS[i]))
            return APPROVALS[i];
    return NULL;
}

void model_msg_set_approval(msg *mm, const char *approval)
{
    if (!approval || (mm->approval && !strcmp(mm->approval, approval)))
        return;
    if (mm->approval != msg_approval_shared(mm->approval))
        free(mm->approval);
    const char *shared = msg_approval_shared(approval);
    /* Never written through: the cast only keeps the field's type. */
    mm->approval = shared ? (char *)shared : xstrdup(approval);
    mm->rev++;
}

/* An answer keeps its time in the conversation's summary (model/wait.h):
 * it outlives the messages when the bound lets them go. */
void model_note_answer(conv *c, const msg *mm)
{
    if (mm->state != MSG_FINAL || mm->kind != MSG_KIND_MESSAGE)
        return;
    if (mm->role == AI_ROLE_HUMAN && mm->at_ms > c->last_human_ms)
        c->last_human_ms = mm->at_ms;
    else if (mm->role == AI_ROLE_AI && mm->at_ms > c->last_ai_ms)
        c->last_ai_ms = mm->at_ms;
}

/* conv_upsert; with take (am itself), a new message takes am's text. */
msg *model_upsert(model *m, conv *c, const ai_message *am, int64_t now_ms, ai_message *take)
{
    if (!am || !am->id)
        return NULL;
    const char *text = am->content ? am->content : "";
    int64_t at = am->created_ms ? am->created_ms : now_ms;
    msg *mm = conv_find_msg(c, am->id);
    if (!mm && (am->role == AI_ROLE_USER || am->role == AI_ROLE_HUMAN))
        if ((mm = find_ours(c, am->role, text)))
            msg_set_id(c, mm, am->id);
    if (mm) {
        if (strcmp(buf_cstr(&mm->text), text)) {
            buf_clear(&mm->text);
            buf_append_str(&mm->text, text);
            mm->rev++;
        }
        if (mm->state != MSG_FINAL)
            msg_set_state(mm, MSG_FINAL, NULL);
        mm->at_ms = at;
        model_msg_set_approval(mm, am->approval);
        model_note_answer(c, mm);
        return mm;
    }
    if (take && take->content) {
        mm = conv_append(c, am->id, am->role, NULL, 0, MSG_FINAL, at);
        buf_adopt(&mm->text, take->content, strlen(take->content));
        take->content = NULL;
    } else {
        mm = conv_append(c, am->id, am->role, text, strlen(text), MSG_FINAL, at);
    }
    model_msg_set_approval(mm, am->approval);
    model_note_answer(c, mm);
    if (c != m->viewed) {
        c->unread++;
        m->rev++;
    }
    /* A customer writing where only a person answers: news for the bell
     * (desk_take_bell), as a new draft is. */
    if (am->role == AI_ROLE_USER && c->mode == AI_MODE_TAKEOVER && !c->ended)
        m->new_takeover++;
    if (am->role == AI_ROLE_USER && c->typing) {
        /* The customer sent what they were typing. */
        free(c->typing);
        c->typing = NULL;
    }
    return mm;
}

msg *conv_upsert(model *m, conv *c, const ai_message *am, int64_t now_ms)
{
    return model_upsert(m, c, am, now_ms, NULL);
}
