/* conv.c: the messages of one conversation. */
#include "config.h"
#include "core/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgindex.h"
#include "util/assert.h"
#include "util/mem.h"

static bool is_local_id(const char *id)
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

msg *conv_append(conv *c, const char *id, ai_role role, const char *text, size_t len,
                 msg_state state, int64_t at_ms)
{
    msg *mm = xcalloc(1, sizeof *mm);
    mm->id = xstrdup(id);
    mm->role = role;
    /* Whole texts (history) get exactly their size; growing ones double. */
    if (text && len)
        buf_reserve_exact(&mm->text, len);
    buf_append(&mm->text, text ? text : "", text ? len : 0);
    mm->state = state;
    mm->at_ms = at_ms;
    c->msgs = xgrow(c->msgs, &c->capmsgs, c->nmsgs + 1, sizeof *c->msgs);
    c->msgs[c->nmsgs++] = mm;
    if (!c->byid)
        c->byid = msgindex_new();
    msgindex_put(c->byid, mm);
    AIDESK_ASSERT(msgindex_count(c->byid) == c->nmsgs); /* ids are unique */
    if (is_local_id(mm->id))
        c->nlocal++;
    if (at_ms > c->activity_ms)
        c->activity_ms = at_ms;
    c->rev++;
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
        if (is_local_id(mm->id)) {
            AIDESK_ASSERT(c->nlocal > 0);
            c->nlocal--;
        }
        if (mm->cache && mm->cache_free)
            mm->cache_free(mm->cache);
        free(mm->id);
        buf_free(&mm->text);
        free(mm->approval);
        free(mm->note);
        free(mm->idem_key);
        free(mm);
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
    c->nlocal -= is_local_id(mm->id);
    free(mm->id);
    mm->id = xstrdup(id);
    c->nlocal += is_local_id(mm->id);
    msgindex_put(c->byid, mm);
    AIDESK_ASSERT(msgindex_count(c->byid) == c->nmsgs); /* the new id is no other's */
    mm->rev++;
    c->rev++;
}

static bool is_ours_in_flight(const msg *mm)
{
    return mm->state == MSG_SENDING || mm->state == MSG_UNCERTAIN;
}

/* One of our messages still waiting for its server id, with this text. */
static msg *find_ours(const conv *c, ai_role role, const char *text)
{
    if (!c->nlocal)
        return NULL; /* the usual case when a history is merged */
    for (size_t i = 0; i < c->nmsgs; i++) {
        msg *mm = c->msgs[i];
        if (is_ours_in_flight(mm) && mm->role == role && is_local_id(mm->id) &&
            !strcmp(buf_cstr(&mm->text), text))
            return mm;
    }
    return NULL;
}

static void set_approval(msg *mm, const char *approval)
{
    if (!approval || (mm->approval && !strcmp(mm->approval, approval)))
        return;
    free(mm->approval);
    mm->approval = xstrdup(approval);
    mm->rev++;
}

/* conv_upsert; with take (am itself), a new message takes am's text. */
static msg *upsert(model *m, conv *c, const ai_message *am, int64_t now_ms, ai_message *take)
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
        set_approval(mm, am->approval);
        return mm;
    }
    if (take && take->content) {
        mm = conv_append(c, am->id, am->role, NULL, 0, MSG_FINAL, at);
        buf_adopt(&mm->text, take->content, strlen(take->content));
        take->content = NULL;
    } else {
        mm = conv_append(c, am->id, am->role, text, strlen(text), MSG_FINAL, at);
    }
    set_approval(mm, am->approval);
    if (c != m->viewed) {
        c->unread++;
        m->rev++;
    }
    if (am->role == AI_ROLE_USER && c->typing) {
        /* The customer sent what they were typing. */
        free(c->typing);
        c->typing = NULL;
    }
    return mm;
}

msg *conv_upsert(model *m, conv *c, const ai_message *am, int64_t now_ms)
{
    return upsert(m, c, am, now_ms, NULL);
}

void conv_merge_history(model *m, conv *c, ai_message_list *l, int64_t now_ms)
{
    bool first = !c->history_loaded;
    size_t unread = c->unread;
    for (size_t i = 0; l && i < l->n; i++)
        upsert(m, c, &l->items[i], now_ms, &l->items[i]);
    if (first) {
        /* Loading what was there before is not news. */
        c->unread = unread;
        c->history_loaded = true;
    }
    model_touch(m, c);
    m->rev++;
}
