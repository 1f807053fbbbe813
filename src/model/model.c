/* model.c: conversations and drafts. */
#include "config.h"
#include "model/model.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_priv.h"
#include "model/msgindex.h"
#include "util/assert.h"
#include "util/mem.h"

model *model_new(void)
{
    model *m = xcalloc(1, sizeof *m);
    m->byid = msgindex_new_at(offsetof(conv, id));
    m->keep = MODEL_KEEP_UNBOUNDED;
    return m;
}

void model_msg_free(msg *mm)
{
    if (!mm)
        return;
    if (mm->cache && mm->cache_free)
        mm->cache_free(mm->cache);
    if (!msg_id_inline(mm))
        free(mm->id); /* renamed (msg_set_id), or made elsewhere */
    buf_free(&mm->text);
    if (mm->approval != msg_approval_shared(mm->approval))
        free(mm->approval);
    free(mm->note);
    free(mm->idem_key);
    model_note_free(mm->notice);
    free(mm);
}

void model_conv_clear(conv *c)
{
    for (size_t i = 0; i < c->nmsgs; i++)
        model_msg_free(c->msgs[i]);
    free(c->msgs);
    msgindex_free(c->byid);
    c->msgs = NULL;
    c->byid = NULL;
    c->nmsgs = c->capmsgs = c->nlocal = 0;
}

static void conv_free(conv *c)
{
    if (!c)
        return;
    model_conv_clear(c);
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
    free(d->reply_to_id);
    free(d);
}

static void fate_clear(draft_fate *f)
{
    free(f->id);
    free(f->ws_id);
    free(f->reason);
    free(f->content);
    memset(f, 0, sizeof *f);
}

void model_free(model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nconvs; i++)
        conv_free(m->convs[i]);
    free(m->convs);
    msgindex_free(m->byid);
    for (size_t i = 0; i < m->ndrafts; i++)
        draft_free(m->drafts[i]);
    free(m->drafts);
    for (size_t i = 0; i < m->nfates; i++)
        fate_clear(&m->fates[i]);
    free(m->fates);
    free(m);
}

conv *model_find(const model *m, const char *id)
{
    return msgindex_get(m->byid, id);
}

static conv *add_conv(model *m, conv_kind kind, const char *id)
{
    conv *c = xcalloc(1, sizeof *c);
    c->kind = kind;
    c->id = xstrdup(id);
    m->convs = xgrow(m->convs, &m->capconvs, m->nconvs + 1, sizeof *m->convs);
    c->slot = m->nconvs;
    m->convs[m->nconvs++] = c;
    msgindex_put(m->byid, c);
    m->rev++;
    return c;
}

void model_drop(model *m, conv *c)
{
    AIDESK_ASSERT(c->slot < m->nconvs && m->convs[c->slot] == c); /* the model's, once */
    m->convs[c->slot] = NULL;
    msgindex_del(m->byid, c);
    model_keep_unlink(m, c);
    if (m->viewed == c)
        m->viewed = NULL;
    if (m->typed_in == c)
        m->typed_in = NULL;
    if (m->opening == c)
        m->opening = NULL;
    conv_free(c);
    m->rev++;
}

void model_compact(model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nconvs; i++) {
        if (!m->convs[i])
            continue;
        m->convs[n] = m->convs[i];
        m->convs[n]->slot = n;
        n++;
    }
    m->nconvs = n;
}

static size_t count_drafts(const model *m, const conv *c, int64_t *since);

static void set_str(char **dst, const char *src)
{
    if (src && *dst && !strcmp(*dst, src))
        return;
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

/* A listing names its workspace's last message: who spoke last, and when,
 * for one whose history is not here (model/wait.h). */
static void note_last_message(conv *c, const ai_message *last)
{
    if (!last)
        return;
    int64_t at = last->created_ms;
    if (last->role == AI_ROLE_USER) {
        /* The earliest unanswered message is at least this old; an older
         * word stands unless an answer came after it. */
        int64_t answered = c->last_human_ms > c->last_ai_ms ? c->last_human_ms : c->last_ai_ms;
        if (at && (!c->listed_wait_ms || c->listed_wait_ms < answered || at < c->listed_wait_ms))
            c->listed_wait_ms = at;
    } else {
        c->listed_wait_ms = 0;
        if (last->role == AI_ROLE_HUMAN && at > c->last_human_ms)
            c->last_human_ms = at;
        if (last->role == AI_ROLE_AI && at > c->last_ai_ms)
            c->last_ai_ms = at;
    }
}

conv *model_upsert_workspace(model *m, const ai_workspace *w, int64_t now_ms)
{
    if (!w || !w->id)
        return NULL;
    conv *c = model_find(m, w->id);
    bool is_new = !c;
    if (is_new) {
        c = add_conv(m, CONV_WORKSPACE, w->id);
        /* Its place in the order is the server's word on when it last
         * moved; "now" only when the server gives none (an event). Listing
         * it at start is not activity: a chat opened before the list came
         * stays above workspaces that were quiet. */
        c->activity_ms = w->last_activity_ms > 0 ? w->last_activity_ms : now_ms;
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
    note_last_message(c, w->last_message);
    if (w->pending_drafts >= 0 && (size_t)w->pending_drafts != c->drafts) {
        /* The listing counts drafts too; ours follows the draft list, which
         * set_drafts and events keep exact, so only take the server's count
         * while we know of no draft for it. */
        size_t known = count_drafts(m, c, &c->draft_since_ms);
        /* Drafts loaded before their workspace was listed count too. */
        c->drafts = known ? known : (size_t)w->pending_drafts;
    }
    if (is_new)
        model_keep_place(m, c);
    m->rev++;
    return c;
}

size_t model_end_unlisted(model *m, const ai_workspace_list *active, int64_t asked_ms)
{
    msgindex *listed = msgindex_new_at(offsetof(ai_workspace, id));
    for (size_t i = 0; active && i < active->n; i++)
        if (active->items[i].id)
            msgindex_put(listed, &active->items[i]);
    size_t n = 0;
    for (size_t i = 0; i < m->nconvs; i++) {
        conv *c = m->convs[i];
        if (c->kind != CONV_WORKSPACE || c->ended || c->activity_ms >= asked_ms ||
            msgindex_get(listed, c->id))
            continue;
        c->ended = true;
        c->rev++;
        n++;
    }
    msgindex_free(listed);
    if (n)
        m->rev++;
    return n;
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
    if (!c || c->slot >= m->nconvs || m->convs[c->slot] != c)
        return;
    model_drop(m, c);
    model_compact(m);
}

void model_view(model *m, const conv *c)
{
    m->viewed = c;
    if (c) /* what is on screen is recent */
        model_touch(m, (conv *)c);
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
    if (x->ended != y->ended)
        return !x->ended;
    if (x->activity_ms != y->activity_ms)
        return x->activity_ms > y->activity_ms;
    return x->activity_seq > y->activity_seq;
}

void model_touch_now(model *m, conv *c, int64_t now_ms)
{
    c->activity_ms = now_ms;
    c->activity_seq = ++m->touches;
}

size_t model_sorted(model *m, ai_mode filter, conv **out, size_t max)
{
    /* Repair the last order in place: between two calls only the
     * conversations with new activity moved (usually a few, each up to the
     * top), and new ones sit at the end. Stable, so equal ones keep their
     * places. */
    conv **v = m->convs;
    for (size_t i = 1; i < m->nconvs; i++) {
        conv *x = v[i];
        size_t j = i;
        while (j > 0 && sorts_before(x, v[j - 1])) {
            v[j] = v[j - 1];
            v[j]->slot = j;
            j--;
        }
        if (j != i) {
            v[j] = x;
            x->slot = j;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < m->nconvs && n < max; i++)
        if (filter == AI_MODE_UNKNOWN || effective_mode(v[i]) == filter)
            out[n++] = v[i];
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

static draft_fate *fate_find(const model *m, const char *id)
{
    for (size_t i = 0; id && i < m->nfates; i++)
        if (!strcmp(m->fates[i].id, id))
            return &m->fates[i];
    return NULL;
}

/* Forgets a record (the last one takes its place: the order of the ring
 * only decides which old record goes first). */
static void fate_drop(model *m, const char *id)
{
    draft_fate *f = fate_find(m, id);
    if (!f)
        return;
    fate_clear(f);
    *f = m->fates[--m->nfates];
    memset(&m->fates[m->nfates], 0, sizeof *f);
    if (m->fate_next >= m->nfates)
        m->fate_next = 0;
}

/* How many drafts of c are pending, and since when the oldest waits
 * (drafts are kept oldest first). */
static size_t count_drafts(const model *m, const conv *c, int64_t *since)
{
    size_t n = 0;
    *since = 0;
    for (size_t i = 0; i < m->ndrafts; i++) {
        if (strcmp(m->drafts[i]->ws_id, c->id))
            continue;
        if (!*since)
            *since = m->drafts[i]->created_ms;
        n++;
    }
    return n;
}

static void recount_drafts(model *m, const char *ws_id)
{
    conv *c = model_find(m, ws_id);
    if (c)
        c->drafts = count_drafts(m, c, &c->draft_since_ms);
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
    /* Pending now, whatever was remembered (a listing older than the
     * event that decided it, or a simulator whose ids restarted): the
     * server will say again if it is not. */
    fate_drop(m, ad->id);
    d = xcalloc(1, sizeof *d);
    d->id = xstrdup(ad->id);
    d->ws_id = xstrdup(ad->workspace_id);
    d->content = xstrdup(ad->content ? ad->content : "");
    const char *rid = ad->in_reply_to ? ad->in_reply_to
                      : ad->in_reply_to_message ? ad->in_reply_to_message->id
                                                : NULL;
    d->reply_to_id = rid ? xstrdup(rid) : NULL;
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

/* A new record; the oldest one goes when the ring is full. */
static draft_fate *fate_new(model *m, const char *id, const char *ws_id)
{
    if (!m->fates)
        m->fates = xcalloc(MODEL_MAX_FATES, sizeof *m->fates);
    draft_fate *f;
    if (m->nfates < MODEL_MAX_FATES) {
        f = &m->fates[m->nfates++];
    } else {
        f = &m->fates[m->fate_next];
        m->fate_next = (m->fate_next + 1) % MODEL_MAX_FATES;
        fate_clear(f);
    }
    f->id = xstrdup(id);
    f->ws_id = ws_id ? xstrdup(ws_id) : NULL;
    return f;
}

const draft_fate *model_draft_fate(const model *m, const char *id)
{
    return fate_find(m, id);
}

static void fate_merge(draft_fate *f, draft_end how, draft_by by, int64_t at_ms)
{
    if (how != DRAFT_END_GONE)
        f->how = how;
    if (at_ms && (!f->at_ms || how != DRAFT_END_GONE))
        f->at_ms = at_ms;
    /* Our own confirmed answer settles everything; anything else settles
     * only a question that was open, and an attempt of ours that may have
     * worked stays "maybe ours". */
    if (by == DRAFT_BY_US)
        f->by = by;
    else if (f->by == DRAFT_BY_UNSETTLED)
        f->by = by == DRAFT_BY_OTHER && f->maybe_ours ? DRAFT_BY_US_MAYBE : by;
}

void model_draft_gone(model *m, const char *id, const char *ws_id, draft_end how, draft_by by,
                      int64_t at_ms)
{
    if (!id)
        return;
    size_t at = m->ndrafts;
    for (size_t i = 0; i < m->ndrafts; i++)
        if (!strcmp(m->drafts[i]->id, id))
            at = i;
    draft *d = at < m->ndrafts ? m->drafts[at] : NULL;
    if (d && by == DRAFT_BY_OTHER && d->deciding)
        by = DRAFT_BY_UNSETTLED; /* ours may be the one that did it */
    else if (d && by == DRAFT_BY_OTHER && d->maybe_ours)
        by = DRAFT_BY_US_MAYBE;
    draft_fate *f = fate_find(m, id);
    if (!f && (d || ws_id)) {
        f = fate_new(m, id, ws_id ? ws_id : d->ws_id);
        /* What it said, for the note a rejection leaves (model/notes.h). */
        f->content = d && d->content ? xstrdup(d->content) : NULL;
        f->how = how;
        f->by = by;
        f->at_ms = at_ms;
        f->maybe_ours = d && d->maybe_ours;
    } else if (f) {
        fate_merge(f, how, by, at_ms);
    }
    if (!d)
        return;
    memmove(m->drafts + at, m->drafts + at + 1, (m->ndrafts - at - 1) * sizeof *m->drafts);
    m->ndrafts--;
    recount_drafts(m, d->ws_id);
    draft_free(d);
    m->rev++;
}

void model_remove_draft(model *m, const char *id)
{
    model_draft_gone(m, id, NULL, DRAFT_END_GONE, DRAFT_BY_OTHER, 0);
}

void model_set_drafts(model *m, const ai_draft_list *l)
{
    /* What this console is doing with a draft survives a fresh listing;
     * a draft the listing no longer has was decided meanwhile. */
    draft *kept = l && l->n ? xcalloc(l->n, sizeof *kept) : NULL;
    for (size_t i = 0; l && i < l->n; i++) {
        const draft *old = model_find_draft(m, l->items[i].id);
        if (old) {
            kept[i].deciding = old->deciding;
            kept[i].maybe_ours = old->maybe_ours;
        }
    }
    for (size_t i = m->ndrafts; i > 0; i--) {
        bool listed = false;
        for (size_t j = 0; l && j < l->n && !listed; j++)
            listed = l->items[j].id && !strcmp(l->items[j].id, m->drafts[i - 1]->id);
        if (!listed)
            model_draft_gone(m, m->drafts[i - 1]->id, NULL, DRAFT_END_GONE, DRAFT_BY_OTHER, 0);
    }
    for (size_t i = 0; i < m->ndrafts; i++)
        draft_free(m->drafts[i]);
    m->ndrafts = 0;
    for (size_t i = 0; i < m->nconvs; i++) {
        m->convs[i]->drafts = 0;
        m->convs[i]->draft_since_ms = 0;
    }
    size_t before = m->new_drafts;
    for (size_t i = 0; l && i < l->n; i++) {
        draft *d = model_add_draft(m, &l->items[i]);
        if (d) {
            d->deciding = d->deciding || kept[i].deciding;
            d->maybe_ours = d->maybe_ours || kept[i].maybe_ours;
        }
    }
    free(kept);
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
