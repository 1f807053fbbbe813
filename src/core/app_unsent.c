/* app_unsent.c: our messages that wait for the server, kept in the local
 * store so they survive a failed send and a restart; sent again by
 * themselves only when the server certainly did not get them (app.h). */
#include "config.h"
#include "core/app_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/unsent.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

/* The store key of one of our unsent messages. */
static char *unsent_key(const char *conv_id, const char *msg_id)
{
    return xasprintf("%s#%s", conv_id, msg_id);
}

/* Saves rec under key (taken) and remembers the key. */
static void unsent_save(app_t *a, char *key, const char *rec)
{
    char *err = NULL;
    if (store_unsent_save(key, rec, &err) != 0) {
        app_flash(a, true, "could not keep the unsent message on disk: %s", err);
        free(err);
        free(key);
    } else {
        bool known = false;
        for (size_t i = 0; i < a->nstored && !known; i++)
            known = !strcmp(a->stored[i], key);
        if (known) {
            free(key);
        } else {
            a->stored = xgrow(a->stored, &a->capstored, a->nstored + 1, sizeof *a->stored);
            a->stored[a->nstored++] = key;
        }
    }
}

void app_unsent_store(app_t *a, const conv *c, const msg *m)
{
    /* The agent flag rides in front of the text so a restart sends it the
     * same way; lower case says it may have arrived (UNCERTAIN). */
    char flag = m->as_agent ? 'A' : 'C';
    if (m->state == MSG_UNCERTAIN)
        flag = (char)(flag - 'A' + 'a');
    char *rec = xasprintf("%c%s", flag, buf_cstr(&m->text));
    unsent_save(a, unsent_key(c->id, m->id), rec);
    free(rec);
}

void app_unsent_forget(app_t *a, const char *conv_id, const char *msg_id)
{
    char *key = unsent_key(conv_id, msg_id);
    char *err = NULL;
    if (store_unsent_clear(key, &err) != 0) {
        log_msg("console: could not clear unsent %s: %s", key, err);
        free(err);
    }
    for (size_t i = 0; i < a->nstored; i++) {
        if (strcmp(a->stored[i], key))
            continue;
        free(a->stored[i]);
        a->stored[i] = a->stored[--a->nstored];
        break;
    }
    free(key);
}

/* A stored message is still waiting while its local id names a message
 * that is not (yet) the server's. One that an event or a history merge
 * recognised (renamed to its server id, FINAL) no longer is: without
 * this, a restart would offer to send it again. */
void app_unsent_sweep(app_t *a)
{
    for (size_t i = a->nstored; i > 0; i--) {
        const char *key = a->stored[i - 1];
        const char *hash = strchr(key, '#');
        char *conv_id = xstrndup(key, (size_t)(hash - key));
        conv *c = model_find(a->m, conv_id);
        const msg *m = c ? conv_find_msg(c, hash + 1) : NULL;
        if (!m || (m->state != MSG_UNSENT && m->state != MSG_UNCERTAIN &&
                   m->state != MSG_SENDING)) {
            char *msg_id = xstrdup(hash + 1);
            app_unsent_forget(a, conv_id, msg_id);
            free(msg_id);
        }
        free(conv_id);
    }
}

void app_unsent_free(app_t *a)
{
    for (size_t i = 0; i < a->nstored; i++)
        free(a->stored[i]);
    free(a->stored);
    a->stored = NULL;
    a->nstored = a->capstored = 0;
}

bool app_has_waiting_unsent(const app_t *a)
{
    for (size_t i = 0; i < a->m->nconvs; i++) {
        const conv *c = a->m->convs[i];
        for (size_t k = 0; k < c->nmsgs; k++)
            if (c->msgs[k]->state == MSG_UNSENT && c->msgs[k]->resend)
                return true;
    }
    return false;
}

void app_unsent_resend(app_t *a)
{
    for (size_t i = 0; i < a->m->nconvs; i++) {
        conv *c = a->m->convs[i];
        for (size_t k = 0; k < c->nmsgs; k++) {
            msg *m = c->msgs[k];
            if (m->state == MSG_UNSENT && m->resend) {
                m->resend = false;
                log_msg("console: the server is back; sending %s in %s", m->id, c->id);
                app_ws_submit(a, c, m);
            }
        }
    }
}

typedef struct restored {
    const char *key;
    char *ws;
    char *text;
    unsigned long long num; /* the N of "local-N", for ordering */
    bool numeric;
} restored;

static int restored_cmp(const void *x, const void *y)
{
    const restored *p = x, *q = y;
    int c = strcmp(p->ws, q->ws);
    if (c)
        return c;
    if (p->numeric != q->numeric)
        return p->numeric ? -1 : 1;
    if (p->numeric)
        return p->num < q->num ? -1 : p->num > q->num;
    return strcmp(p->key, q->key);
}

/* Messages a previous session could not send come back as UNSENT; only the
 * user sends them (the server's state may have moved on since). */
void app_unsent_restore(app_t *a)
{
    char **keys = NULL;
    size_t n = 0;
    char *err = NULL;
    if (store_unsent_keys(&keys, &n, &err) != 0) {
        free(err);
        return;
    }
    /* Everything is read before anything is re-keyed: a new key may be an
     * old one not read yet ("local-10" becoming "local-2"). The order is
     * the order they were written in, which the sorted keys are not. */
    restored *v = xcalloc(n + 1, sizeof *v);
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        const char *hash = strchr(keys[i], '#');
        char *text = NULL;
        if (!hash || store_unsent_load(keys[i], &text, &err) != 0 || !text || !*text) {
            free(err);
            err = NULL;
            free(text);
            continue;
        }
        restored *r = &v[nv++];
        r->key = keys[i];
        r->ws = xstrndup(keys[i], (size_t)(hash - keys[i]));
        r->text = text;
        char *end = NULL;
        if (!strncmp(hash + 1, "local-", 6) && hash[7] >= '0' && hash[7] <= '9') {
            r->num = strtoull(hash + 7, &end, 10);
            r->numeric = end && !*end;
        }
    }
    qsort(v, nv, sizeof *v, restored_cmp);
    for (size_t i = 0; i < nv; i++) {
        const char *text = v[i].text;
        conv *c = model_find(a->m, v[i].ws);
        if (!c) {
            ai_workspace w;
            memset(&w, 0, sizeof w);
            w.id = v[i].ws;
            w.pending_drafts = -1;
            c = model_upsert_workspace(a->m, &w, clock_wall_ms());
        }
        bool agent = text[0] == 'A' || text[0] == 'a';
        bool maybe = text[0] == 'a' || text[0] == 'c';
        const char *body = strchr("AaCc", text[0]) ? text + 1 : text;
        msg *m = conv_append_local(c, agent ? AI_ROLE_HUMAN : AI_ROLE_USER, body, clock_wall_ms());
        m->as_agent = agent;
        msg_set_state(m, MSG_UNSENT,
                      maybe ? "may have arrived in an earlier session: check the conversation; "
                              "/retry sends it again"
                            : "not sent in an earlier session; /retry sends it");
        /* Re-keyed under its new local id, as it was (flags and all). */
        unsent_save(a, unsent_key(c->id, m->id), text);
    }
    /* Then the old keys go, unless one is also a new key. A crash in
     * between leaves a message twice, never loses one. */
    for (size_t i = 0; i < nv; i++) {
        bool reused = false;
        for (size_t k = 0; k < a->nstored && !reused; k++)
            reused = !strcmp(a->stored[k], v[i].key);
        if (!reused && store_unsent_clear(v[i].key, &err) != 0) {
            free(err);
            err = NULL;
        }
        free(v[i].ws);
        free(v[i].text);
    }
    free(v);
    store_unsent_keys_free(keys);
}
