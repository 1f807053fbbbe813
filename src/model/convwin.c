/* convwin.c: a window of a long history (model.h, "the window"). */
#include "config.h"
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "model/model_priv.h"
#include "model/msgindex.h"
#include "model/notes.h"
#include "util/mem.h"

/* Named by the server: what the server's list holds. */
static bool from_server(const msg *mm)
{
    return mm->kind == MSG_KIND_MESSAGE && !model_is_local_id(mm->id);
}

static size_t first_server_at(const conv *c)
{
    for (size_t i = 0; i < c->nmsgs; i++)
        if (from_server(c->msgs[i]))
            return i;
    return c->nmsgs;
}

const msg *conv_first_server_msg(const conv *c)
{
    size_t at = first_server_at(c);
    return at < c->nmsgs ? c->msgs[at] : NULL;
}

/* Puts l->items[0..n) (those c does not hold, the first of each id) before
 * c's first message from the server, taking their texts. Not news. */
static void put_before(conv *c, ai_message_list *l, size_t n, int64_t now_ms)
{
    if (!n)
        return;
    msg **add = xcalloc(n, sizeof *add);
    msgindex *seen = msgindex_new();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        ai_message *am = &l->items[i];
        if (!am->id || conv_find_msg(c, am->id) || msgindex_get(seen, am->id))
            continue;
        msg *mm = model_msg_new(am->id, am->role, NULL, 0, MSG_FINAL,
                                am->created_ms ? am->created_ms : now_ms);
        if (am->content) {
            buf_adopt(&mm->text, am->content, strlen(am->content));
            am->content = NULL;
        }
        model_msg_set_approval(mm, am->approval);
        model_note_answer(c, mm);
        msgindex_put(seen, mm);
        add[k++] = mm;
    }
    msgindex_free(seen);
    model_conv_insert(c, first_server_at(c), add, k);
    free(add);
    for (size_t i = 0; i < n; i++)
        ai_message_clear(&l->items[i]);
}

void conv_forget_history(model *m, conv *c)
{
    size_t k = 0;
    for (size_t i = 0; i < c->nmsgs; i++) {
        msg *mm = c->msgs[i];
        if (from_server(mm) && mm->state == MSG_FINAL) {
            msgindex_del(c->byid, mm);
            model_msg_free(mm);
        } else {
            c->msgs[k++] = mm; /* ours in flight, a note */
        }
    }
    c->nmsgs = k;
    if (!k)
        model_conv_clear(c); /* as the bound leaves it: no array, no index */
    c->older = 0;
    c->history_loaded = false;
    c->rev++;
    m->rev++;
}

/* Where l's messages go against what c holds: how many of them come
 * before c's first message from the server (*lead), and the new older. */
static size_t place(model *m, conv *c, const ai_message_list *l, const ai_hist_pos *pos,
                    const char *asked_id, size_t *lead)
{
    *lead = 0;
    const msg *f = conv_first_server_msg(c);
    if (!f)
        return pos->older;
    for (size_t j = 0; j < l->n; j++)
        if (l->items[j].id && !strcmp(l->items[j].id, f->id)) {
            *lead = j; /* the window reaches back to it, or further */
            return pos->older;
        }
    /* f is before the window: the two must meet, else a gap between them
     * would go unseen (many messages missed while away). */
    bool meet = l->n && conv_find_msg(c, l->items[0].id);
    bool asked = asked_id && !strcmp(asked_id, f->id);
    if (meet && asked && pos->found)
        return pos->found_at;
    if (meet && !asked)
        return c->older; /* asked about another (a load before it moved): as it was */
    if (!meet && !asked_id) {
        /* It held none of the server's when asked: what it holds now came
         * live since, after the listing. */
        *lead = l->n;
        return pos->older;
    }
    conv_forget_history(m, c);
    return pos->older;
}

void conv_merge_window(model *m, conv *c, ai_message_list *l, const ai_hist_pos *pos,
                       const char *asked_id, int64_t now_ms)
{
    bool first = !c->history_loaded;
    size_t unread = c->unread, rings = m->new_takeover;
    size_t lead = 0, n = l ? l->n : 0;
    size_t older = l ? place(m, c, l, pos, asked_id, &lead) : 0;
    if (lead)
        put_before(c, l, lead, now_ms);
    for (size_t i = lead; i < n; i++) {
        model_upsert(m, c, &l->items[i], now_ms, &l->items[i]);
        /* Done with: what is left of it goes now, not with the list, so
         * that the model grows into the room it leaves. */
        ai_message_clear(&l->items[i]);
    }
    c->older = older;
    if (first) {
        /* Loading what was there before is not news. */
        c->unread = unread;
        m->new_takeover = rings;
        c->history_loaded = true;
        /* The notes of rejections this console saw (the messages may
         * have left with the bound, or come before the history). */
        model_notes_restore(m, c);
    }
    model_touch(m, c);
    m->rev++;
}

void conv_merge_history(model *m, conv *c, ai_message_list *l, int64_t now_ms)
{
    const msg *f = conv_first_server_msg(c);
    char *fid = f ? xstrdup(f->id) : NULL;
    ai_hist_window w = {0, fid, false};
    ai_hist_pos pos = {0};
    if (l)
        ai_hist_window_apply(l, &w, &pos); /* the whole list: only where f is */
    conv_merge_window(m, c, l, &pos, fid, now_ms);
    free(fid);
}

bool conv_prepend_history(model *m, conv *c, ai_message_list *l, const ai_hist_pos *pos,
                          const char *before_id, int64_t now_ms)
{
    const msg *f = conv_first_server_msg(c);
    if (!f || !before_id || strcmp(f->id, before_id))
        return false;
    put_before(c, l, l->n, now_ms);
    c->older = pos->older;
    c->rev++; /* the row that counts them, even when none came */
    m->rev++;
    return true;
}
