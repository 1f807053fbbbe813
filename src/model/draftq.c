/* draftq.c: pictures of the drafts queue, the selection that follows its
 * draft, and row numbers read against what the person saw. */
#include "config.h"
#include "model/draftq.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void dq_clear(dq_view *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->rows[i].draft_id);
        free(v->rows[i].ws_id);
        free(v->rows[i].label);
    }
    free(v->rows);
    free(v->sel);
    memset(v, 0, sizeof *v);
}

static void add_row(dq_view *v, const char *draft_id, const char *ws_id, const char *label)
{
    v->rows = xgrow(v->rows, &v->cap, v->n + 1, sizeof *v->rows);
    dq_row *r = &v->rows[v->n++];
    r->draft_id = xstrdup(draft_id);
    r->ws_id = xstrdup(ws_id);
    r->label = xstrdup(label);
}

void dq_copy(dq_view *dst, const dq_view *src)
{
    if (dst == src)
        return;
    dq_clear(dst);
    for (size_t i = 0; i < src->n; i++)
        add_row(dst, src->rows[i].draft_id, src->rows[i].ws_id, src->rows[i].label);
    dst->sel = src->sel ? xstrdup(src->sel) : NULL;
}

void dq_capture(dq_view *v, const model *m, const char *sel)
{
    char *keep = sel ? xstrdup(sel) : NULL; /* sel may point into v */
    dq_clear(v);
    for (size_t i = 0; i < m->ndrafts; i++) {
        const draft *d = m->drafts[i];
        const conv *c = model_find(m, d->ws_id);
        add_row(v, d->id, d->ws_id, c && c->title ? c->title : d->ws_id);
    }
    v->sel = keep;
}

long dq_find(const dq_view *v, const char *draft_id)
{
    for (size_t i = 0; draft_id && i < v->n; i++)
        if (!strcmp(v->rows[i].draft_id, draft_id))
            return (long)i;
    return -1;
}

const dq_row *dq_selected(const dq_view *v)
{
    long at = dq_find(v, v->sel);
    return at < 0 ? NULL : &v->rows[at];
}

void dq_move(dq_view *v, int delta)
{
    if (!v->n)
        return;
    long at = dq_find(v, v->sel);
    long to = at < 0 ? 0 : at + delta;
    if (to < 0)
        to = 0;
    if ((size_t)to >= v->n)
        to = (long)v->n - 1;
    free(v->sel);
    v->sel = xstrdup(v->rows[to].draft_id);
}

const char *dq_follow(const dq_view *shown, const model *m)
{
    if (!m->ndrafts)
        return NULL;
    const draft *d = model_find_draft(m, shown->sel);
    if (d)
        return d->id;
    long at = dq_find(shown, shown->sel);
    if (at >= 0) {
        for (size_t i = (size_t)at + 1; i < shown->n; i++)
            if ((d = model_find_draft(m, shown->rows[i].draft_id)))
                return d->id;
        for (long i = at - 1; i >= 0; i--)
            if ((d = model_find_draft(m, shown->rows[i].draft_id)))
                return d->id;
    }
    return m->drafts[0]->id;
}

static bool is_number(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

bool dq_is_ref(const dq_view *opened, const dq_view *now, const model *m, const char *word)
{
    if (!word || !*word)
        return false;
    return is_number(word) || !strncmp(word, "drf_", 4) || dq_find(opened, word) >= 0 ||
           dq_find(now, word) >= 0 || model_find_draft(m, word) || model_draft_fate(m, word);
}

const char *dq_resolve(const dq_view *opened, const dq_view *now, const char *word,
                       const char **meant, char **err)
{
    *err = NULL;
    if (meant)
        *meant = NULL;
    if (!is_number(word))
        return word;
    char *end;
    unsigned long n = strtoul(word, &end, 10);
    if (n < 1 || n > opened->n) {
        *err = opened->n ? xasprintf("no draft %s: the queue showed %zu when you began typing",
                                     word, opened->n)
                         : xasprintf("no draft %s: the queue was empty when you began typing", word);
        return NULL;
    }
    const dq_row *then = &opened->rows[n - 1];
    const dq_row *still = n <= now->n ? &now->rows[n - 1] : NULL;
    if (still && !strcmp(still->draft_id, then->draft_id))
        return then->draft_id;
    if (meant)
        *meant = then->draft_id;
    if (still)
        *err = xasprintf("the queue moved while you typed: row %lu was %s's draft, now %s's", n,
                         then->label, still->label);
    else
        *err = xasprintf("the queue moved while you typed: row %lu was %s's draft, now gone", n,
                         then->label);
    return NULL;
}
