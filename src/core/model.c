/* model.c: conversations and drafts. */
#include "config.h"
#include "core/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgindex.h"
#include "util/mem.h"

model *model_new(void)
{
    model *m = xcalloc(1, sizeof *m);
    return m;
}

static void msg_free(msg *mm)
{
    if (!mm)
        return;
    if (mm->cache && mm->cache_free)
        mm->cache_free(mm->cache);
    free(mm->id);
    buf_free(&mm->text);
    free(mm->approval);
    free(mm->note);
    free(mm->idem_key);
    free(mm);
}

static void conv_free(conv *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nmsgs; i++)
        msg_free(c->msgs[i]);
    free(c->msgs);
    msgindex_free(c->byid);
    free(c->id);
    free(c->title);
    free(c->typing);
    free(c->agent_typing);
    free(c->chat_model);
    free(c);
}

static void draft_free(draft *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->ws_id);
    free(d->content);
    free(d->reply_to);
    free(d);
}

void model_free(model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nconvs; i++)
        conv_free(m->convs[i]);
    free(m->convs);
    for (size_t i = 0; i < m->ndrafts; i++)
        draft_free(m->drafts[i]);
    free(m->drafts);
    free(m);
}

conv *model_find(const model *m, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < m->nconvs; i++)
        if (!strcmp(m->convs[i]->id, id))
            return m->convs[i];
    return NULL;
}

static conv *add_conv(model *m, conv_kind kind, const char *id)
{
    conv *c = xcalloc(1, sizeof *c);
    c->kind = kind;
    c->id = xstrdup(id);
    m->convs = xgrow(m->convs, &m->capconvs, m->nconvs + 1, sizeof *m->convs);
    m->convs[m->nconvs++] = c;
    m->rev++;
    return c;
}

static void set_str(char **dst, const char *src)
{
    if (src && *dst && !strcmp(*dst, src))
        return;
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

conv *model_upsert_workspace(model *m, const ai_workspace *w, int64_t now_ms)
{
    if (!w || !w->id)
        return NULL;
    conv *c = model_find(m, w->id);
    if (!c) {
        c = add_conv(m, CONV_WORKSPACE, w->id);
        c->activity_ms = now_ms;
    }
    if (w->client_id && *w->client_id)
        set_str(&c->title, w->client_id);
    else if (!c->title)
        c->title = xstrdup(w->id);
    if (w->mode != AI_MODE_UNKNOWN)
        c->mode = w->mode;
    if (w->status)
        c->ended = !strcmp(w->status, "ended");
    if (w->last_activity_ms > c->activity_ms)
        c->activity_ms = w->last_activity_ms;
    if (w->pending_drafts >= 0 && (size_t)w->pending_drafts != c->drafts) {
        /* The listing counts drafts too; ours follows the draft list, which
         * set_drafts and events keep exact, so only take the server's count
         * while we know of no draft for it. */
        size_t known = 0;
        for (size_t i = 0; i < m->ndrafts; i++)
            known += !strcmp(m->drafts[i]->ws_id, c->id);
        /* Drafts loaded before their workspace was listed count too. */
        c->drafts = known ? known : (size_t)w->pending_drafts;
    }
    m->rev++;
    return c;
}

conv *model_new_chat(model *m, const char *model_name, int64_t now_ms)
{
    char id[32];
    snprintf(id, sizeof id, "chat-%llu", (unsigned long long)++m->next_chat);
    conv *c = add_conv(m, CONV_CHAT, id);
    c->chat_model = xstrdup(model_name);
    c->title = xasprintf("chat %llu", (unsigned long long)m->next_chat);
    c->mine = true;
    c->history_loaded = true;
    c->activity_ms = now_ms;
    c->mode = AI_MODE_AI;
    return c;
}

void model_remove(model *m, conv *c)
{
    for (size_t i = 0; i < m->nconvs; i++) {
        if (m->convs[i] != c)
            continue;
        memmove(m->convs + i, m->convs + i + 1, (m->nconvs - i - 1) * sizeof *m->convs);
        m->nconvs--;
        if (m->viewed == c)
            m->viewed = NULL;
        conv_free(c);
        m->rev++;
        return;
    }
}

void model_view(model *m, const conv *c)
{
    m->viewed = c;
    if (c && c->unread) {
        ((conv *)c)->unread = 0;
        m->rev++;
    }
}

static ai_mode effective_mode(const conv *c)
{
    return c->kind == CONV_CHAT ? AI_MODE_UNKNOWN : c->mode;
}

static bool sorts_before(const conv *x, const conv *y)
{
    /* Newest activity first; ended workspaces after live ones. */
    return (x->ended != y->ended) ? !x->ended : x->activity_ms > y->activity_ms;
}

size_t model_sorted(const model *m, ai_mode filter, conv **out, size_t max)
{
    /* Insertion into the bounded output: lists are short and mostly sorted
     * already, and with more conversations than max the most recent ones
     * are kept (not the first created). */
    size_t n = 0;
    for (size_t i = 0; i < m->nconvs && max > 0; i++) {
        conv *x = m->convs[i];
        if (filter != AI_MODE_UNKNOWN && effective_mode(x) != filter)
            continue;
        size_t j = n < max ? n++ : max;
        while (j > 0 && sorts_before(x, out[j - 1])) {
            if (j < max)
                out[j] = out[j - 1];
            j--;
        }
        if (j < max)
            out[j] = x;
    }
    return n;
}

/* ------------------------------------------------------------------ drafts */

draft *model_find_draft(const model *m, const char *id)
{
    for (size_t i = 0; id && i < m->ndrafts; i++)
        if (!strcmp(m->drafts[i]->id, id))
            return m->drafts[i];
    return NULL;
}

static void recount_drafts(model *m, const char *ws_id)
{
    conv *c = model_find(m, ws_id);
    if (!c)
        return;
    size_t n = 0;
    for (size_t i = 0; i < m->ndrafts; i++)
        n += !strcmp(m->drafts[i]->ws_id, ws_id);
    c->drafts = n;
}

draft *model_add_draft(model *m, const ai_draft *ad)
{
    if (!ad || !ad->id || !ad->workspace_id)
        return NULL;
    draft *d = model_find_draft(m, ad->id);
    if (d)
        return d;
    if (ad->status && strcmp(ad->status, "pending") != 0)
        return NULL;
    d = xcalloc(1, sizeof *d);
    d->id = xstrdup(ad->id);
    d->ws_id = xstrdup(ad->workspace_id);
    d->content = xstrdup(ad->content ? ad->content : "");
    if (ad->in_reply_to_message && ad->in_reply_to_message->content) {
        d->reply_to = xstrdup(ad->in_reply_to_message->content);
    } else if (ad->in_reply_to) {
        /* A live draft.pending names the message only by id: it is
         * usually here already (its message.created came first). */
        conv *c = model_find(m, ad->workspace_id);
        const msg *q = c ? conv_find_msg(c, ad->in_reply_to) : NULL;
        if (q)
            d->reply_to = xstrdup(buf_cstr(&q->text));
    }
    d->created_ms = ad->created_ms;
    /* Oldest first: insert by creation time (usually at the end). */
    m->drafts = xgrow(m->drafts, &m->capdrafts, m->ndrafts + 1, sizeof *m->drafts);
    size_t at = m->ndrafts;
    while (at > 0 && m->drafts[at - 1]->created_ms > d->created_ms)
        at--;
    memmove(m->drafts + at + 1, m->drafts + at, (m->ndrafts - at) * sizeof *m->drafts);
    m->drafts[at] = d;
    m->ndrafts++;
    m->new_drafts++;
    recount_drafts(m, d->ws_id);
    m->rev++;
    return d;
}

void model_remove_draft(model *m, const char *id)
{
    for (size_t i = 0; id && i < m->ndrafts; i++) {
        if (strcmp(m->drafts[i]->id, id))
            continue;
        draft *d = m->drafts[i];
        memmove(m->drafts + i, m->drafts + i + 1, (m->ndrafts - i - 1) * sizeof *m->drafts);
        m->ndrafts--;
        recount_drafts(m, d->ws_id);
        draft_free(d);
        m->rev++;
        return;
    }
}

void model_set_drafts(model *m, const ai_draft_list *l)
{
    for (size_t i = 0; i < m->ndrafts; i++)
        draft_free(m->drafts[i]);
    m->ndrafts = 0;
    for (size_t i = 0; i < m->nconvs; i++)
        m->convs[i]->drafts = 0;
    size_t before = m->new_drafts;
    for (size_t i = 0; l && i < l->n; i++)
        model_add_draft(m, &l->items[i]);
    /* A fresh load is not news: only drafts arriving live ring the bell. */
    m->new_drafts = before;
    m->rev++;
}

const char *msg_state_name(msg_state st)
{
    switch (st) {
    case MSG_FINAL: return "final";
    case MSG_STREAMING: return "streaming";
    case MSG_CANCELLED: return "cancelled";
    case MSG_FAILED: return "failed";
    case MSG_SENDING: return "sending";
    case MSG_UNSENT: return "unsent";
    case MSG_UNCERTAIN: return "uncertain";
    }
    return "?";
}
