/* model_keep.c: the bound on what the model holds (the contract is in
 * model.h): the recent list of workspaces held whole, and letting the
 * least recent ones go.
 *
 * The recent list is intrusive and doubly linked, most recent first, so a
 * touch is constant time and the least recent one is at the tail. */
#include "config.h"
#include "model/model_priv.h"

#include <stdlib.h>

#include "util/assert.h"

/* Protected conversations a trim may pass over beyond those it lets go. */
#define TRIM_SLACK 16

void model_set_keep(model *m, size_t keep)
{
    m->keep = keep;
}

void model_keep_unlink(model *m, conv *c)
{
    if (!c->kept)
        return;
    if (c->kept_prev)
        c->kept_prev->kept_next = c->kept_next;
    else
        m->kept_head = c->kept_next;
    if (c->kept_next)
        c->kept_next->kept_prev = c->kept_prev;
    else
        m->kept_tail = c->kept_prev;
    c->kept_prev = c->kept_next = NULL;
    c->kept = false;
    AIDESK_ASSERT(m->nkept > 0);
    m->nkept--;
}

/* Links c in before `at` (at the tail when at is NULL). */
static void link_before(model *m, conv *c, conv *at)
{
    c->kept_next = at;
    c->kept_prev = at ? at->kept_prev : m->kept_tail;
    if (c->kept_prev)
        c->kept_prev->kept_next = c;
    else
        m->kept_head = c;
    if (at)
        at->kept_prev = c;
    else
        m->kept_tail = c;
    c->kept = true;
    m->nkept++;
}

void model_touch(model *m, conv *c)
{
    if (!c || c->kind != CONV_WORKSPACE)
        return;
    if (c->kept && m->kept_head == c)
        return;
    model_keep_unlink(m, c);
    link_before(m, c, m->kept_head);
}

void model_keep_place(model *m, conv *c)
{
    if (c->kind != CONV_WORKSPACE || c->kept)
        return;
    if (!m->kept_head || c->activity_ms >= m->kept_head->activity_ms) {
        link_before(m, c, m->kept_head);
        return;
    }
    /* Older than the newest: a listing of what happened before. Walk from
     * the tail (the list is nearly in activity order), so that an old
     * workspace is the first to go and a listing of thousands does not
     * push out what is in use. */
    conv *at = m->kept_tail;
    while (at && at->activity_ms < c->activity_ms)
        at = at->kept_prev;
    link_before(m, c, at ? at->kept_next : m->kept_head);
}

bool model_is_protected(const model *m, const conv *c)
{
    if (c->kind != CONV_WORKSPACE || c == m->viewed || c == m->typed_in || c == m->opening ||
        c->drafts)
        return true;
    /* Our messages in flight and replies still streaming are usually the
     * last few: look from the end. */
    for (size_t i = c->nmsgs; i > 0; i--) {
        msg_state st = c->msgs[i - 1]->state;
        if (st == MSG_SENDING || st == MSG_UNSENT || st == MSG_UNCERTAIN || st == MSG_STREAMING)
            return true;
    }
    return false;
}

size_t model_trim(model *m)
{
    if (m->nkept <= m->keep)
        return 0;
    size_t budget = m->nkept - m->keep + TRIM_SLACK, gone = 0;
    bool dropped = false;
    conv *first_protected = NULL;
    while (m->nkept > m->keep && budget-- > 0) {
        conv *c = m->kept_tail;
        if (c == first_protected)
            break; /* round the whole list: all that is left is protected */
        if (model_is_protected(m, c)) {
            model_touch(m, c);
            if (!first_protected)
                first_protected = c;
            continue;
        }
        model_keep_unlink(m, c);
        gone++;
        if (c->ended) {
            model_drop(m, c);
            dropped = true;
        } else {
            /* Live: the sidebar keeps its summary; opening it loads the
             * history again. */
            model_conv_clear(c);
            c->history_loaded = false;
            c->older = 0;
            c->older_failed = false;
            c->rev++;
        }
    }
    if (dropped)
        model_compact(m);
    if (gone) {
        m->evicted += gone;
        m->rev++;
    }
    return gone;
}
