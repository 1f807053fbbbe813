/* order.c: the sidebar's filter, a steady order, and finding a
 * conversation by name (order.h). */
#include "config.h"
#include "model/order.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

bool conv_filter_parse(const char *text, conv_filter *out, char **err)
{
    conv_filter f = CONV_FILTER_ALL;
    bool all = false, any = false;
    const char *p = text ? text : "";
    while (*p) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, " \t");
        if (!n)
            break;
        char *w = xstrndup(p, n);
        ai_mode mode = ai_mode_from_string(w);
        bool dup = false;
        if (!strcmp(w, "all")) {
            dup = all;
            all = true;
        } else if (!strcmp(w, "active")) {
            dup = f.active_only;
            f.active_only = true;
        } else if (mode != AI_MODE_UNKNOWN) {
            dup = f.mode != AI_MODE_UNKNOWN;
            f.mode = mode;
        } else {
            *err = xasprintf("unknown filter '%s': use all, active, ai, shadow or takeover "
                             "(active goes with a mode: active takeover)",
                             w);
            free(w);
            return false;
        }
        if (dup) {
            *err = xasprintf("'%s' twice: a filter is all, or active and at most one mode", w);
            free(w);
            return false;
        }
        free(w);
        any = true;
        p += n;
    }
    if (!any) {
        *err = xstrdup("give a filter: all, active, ai, shadow or takeover");
        return false;
    }
    if (all && (f.active_only || f.mode != AI_MODE_UNKNOWN)) {
        *err = xstrdup("'all' goes alone: it shows everything");
        return false;
    }
    *out = f;
    return true;
}

const char *conv_filter_name(const conv_filter *f)
{
    if (!f->active_only) {
        switch (f->mode) {
        case AI_MODE_AI: return "ai";
        case AI_MODE_SHADOW: return "shadow";
        case AI_MODE_TAKEOVER: return "takeover";
        case AI_MODE_UNKNOWN: return "all";
        }
        return "all";
    }
    switch (f->mode) {
    case AI_MODE_AI: return "active ai";
    case AI_MODE_SHADOW: return "active shadow";
    case AI_MODE_TAKEOVER: return "active takeover";
    case AI_MODE_UNKNOWN: return "active";
    }
    return "active";
}

bool conv_filter_is_all(const conv_filter *f)
{
    return !f->active_only && f->mode == AI_MODE_UNKNOWN;
}

bool conv_filter_match(const conv_filter *f, const conv *c)
{
    if (f->active_only && c->ended)
        return false;
    if (f->mode == AI_MODE_UNKNOWN)
        return true;
    return c->kind == CONV_WORKSPACE && c->mode == f->mode;
}

size_t model_sorted_by(model *m, const conv_filter *f, conv **out, size_t max)
{
    /* model_sorted repairs the model's order in place (whatever max it is
     * given); filter after. */
    model_sorted(m, AI_MODE_UNKNOWN, out, 0);
    size_t k = 0;
    for (size_t i = 0; i < m->nconvs && k < max; i++)
        if (conv_filter_match(f, m->convs[i]))
            out[k++] = m->convs[i];
    return k;
}

void order_clear(conv_order *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->ids[i]);
    free(o->ids);
    memset(o, 0, sizeof *o);
}

void order_freeze(conv_order *o)
{
    o->frozen = true;
}

void order_thaw(conv_order *o)
{
    o->frozen = false;
}

static void put_id(conv_order *o, const char *id)
{
    o->ids = xgrow(o->ids, &o->cap, o->n + 1, sizeof *o->ids);
    o->ids[o->n++] = xstrdup(id);
}

size_t order_refresh(conv_order *o, model *m, const conv_filter *f, conv **out, size_t max)
{
    if (!o->frozen) {
        for (size_t i = 0; i < o->n; i++)
            free(o->ids[i]);
        o->n = 0;
        /* The model's order, repaired (model_sorted), then filtered. */
        conv **all = xcalloc(m->nconvs ? m->nconvs : 1, sizeof *all);
        size_t n = model_sorted_by(m, f, all, m->nconvs);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            put_id(o, all[i]->id);
            if (k < max)
                out[k++] = all[i];
        }
        free(all);
        return k;
    }
    /* Frozen: keep the rows that still stand, then add the newcomers. The
     * lookup by id is a hash (model_find); "seen" marks what the rows hold. */
    size_t keep = 0, k = 0;
    bool *seen = xcalloc(m->nconvs ? m->nconvs : 1, sizeof *seen);
    for (size_t i = 0; i < o->n; i++) {
        conv *c = model_find(m, o->ids[i]);
        if (!c || !conv_filter_match(f, c) || seen[c->slot]) {
            free(o->ids[i]);
            continue;
        }
        seen[c->slot] = true;
        o->ids[keep++] = o->ids[i];
        if (k < max)
            out[k++] = c;
    }
    o->n = keep;
    for (size_t i = 0; i < m->nconvs; i++) {
        conv *c = m->convs[i];
        if (seen[i] || !conv_filter_match(f, c))
            continue;
        put_id(o, c->id);
        if (k < max)
            out[k++] = c;
    }
    free(seen);
    return k;
}

/* Whether x should be chosen over y among conversations of one name. */
static bool better(const conv *x, const conv *y)
{
    if (!y)
        return true;
    if (x->ended != y->ended)
        return !x->ended;
    return x->activity_ms > y->activity_ms;
}

typedef enum how_match { BY_EXACT, BY_CASE, BY_PREFIX } how_match;

static bool title_matches(const conv *c, const char *name, how_match how)
{
    if (!c->title)
        return false;
    switch (how) {
    case BY_EXACT: return !strcmp(c->title, name);
    case BY_CASE: return !strcasecmp(c->title, name);
    case BY_PREFIX: return !strncasecmp(c->title, name, strlen(name));
    }
    return false;
}

conv *model_lookup(const model *m, const char *name, size_t *nmatch)
{
    if (nmatch)
        *nmatch = 0;
    if (!name || !*name)
        return NULL;
    conv *c = model_find(m, name);
    if (c) {
        if (nmatch)
            *nmatch = 1;
        return c;
    }
    for (how_match how = BY_EXACT; how <= BY_PREFIX; how++) {
        conv *best = NULL;
        size_t n = 0;
        for (size_t i = 0; i < m->nconvs; i++) {
            conv *x = m->convs[i];
            if (!title_matches(x, name, how))
                continue;
            n++;
            if (better(x, best))
                best = x;
        }
        /* A prefix names a conversation only when it names one title. */
        if (how == BY_PREFIX && n > 1) {
            const char *t = best->title;
            for (size_t i = 0; i < m->nconvs; i++)
                if (title_matches(m->convs[i], name, how) && strcmp(m->convs[i]->title, t)) {
                    if (nmatch)
                        *nmatch = n;
                    return NULL;
                }
        }
        if (best) {
            if (nmatch)
                *nmatch = n;
            return best;
        }
    }
    return NULL;
}
