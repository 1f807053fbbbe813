/* desk_unsent.c: our messages that wait for the server, kept in the local
 * store so they survive a failed send and a restart; sent again by
 * themselves only when the server certainly did not get them (desk.h). */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/unsent.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

/* One of our messages kept in the unsent store, its record held. */
typedef struct desk_kept {
    char *conv_id;
    char *msg_id;             /* the message's local id in this session */
    store_unsent_held *rec;
} desk_kept;

static size_t find_kept(const desk_t *a, const char *conv_id, const char *msg_id)
{
    for (size_t i = 0; i < a->nkept; i++)
        if (!strcmp(a->kept[i]->conv_id, conv_id) && !strcmp(a->kept[i]->msg_id, msg_id))
            return i;
    return a->nkept;
}

static void keep(desk_t *a, const char *conv_id, const char *msg_id, store_unsent_held *rec)
{
    desk_kept *k = xcalloc(1, sizeof *k);
    k->conv_id = xstrdup(conv_id);
    k->msg_id = xstrdup(msg_id);
    k->rec = rec;
    a->kept = xgrow(a->kept, &a->capkept, a->nkept + 1, sizeof *a->kept);
    a->kept[a->nkept++] = k;
}

static void kept_free(desk_kept *k)
{
    free(k->conv_id);
    free(k->msg_id);
    free(k);
}

void desk_unsent_store(desk_t *a, const conv *c, const msg *m)
{
    /* The agent flag and whether it may have arrived go with the text, so
     * that a restart (or "aidesk ws send --unsent") sends it the same way
     * and never by itself when it may have arrived. */
    store_unsent_rec r;
    memset(&r, 0, sizeof r);
    r.ws = c->id;
    r.text = (char *)buf_cstr(&m->text);
    r.as_agent = m->as_agent;
    r.uncertain = m->state == MSG_UNCERTAIN;
    r.sending = m->state == MSG_SENDING && !m->held; /* held: not on its way yet */
    r.idem_key = m->idem_key;
    char *err = NULL;
    size_t i = find_kept(a, c->id, m->id);
    if (i < a->nkept) {
        const store_unsent_rec *old = store_unsent_held_rec(a->kept[i]->rec);
        if (!r.idem_key)
            r.idem_key = old->idem_key;
        if (old->as_agent == r.as_agent && (old->uncertain || !r.uncertain) &&
            old->sending == r.sending && !strcmp(old->text, r.text) &&
            (old->idem_key != NULL) == (r.idem_key != NULL) &&
            (!r.idem_key || !strcmp(old->idem_key, r.idem_key)))
            return; /* kept as it is */
        if (store_unsent_update(a->kept[i]->rec, &r, &err) != 0) {
            desk_flash(a, true, "could not update the unsent message on disk: %s", err);
            free(err);
        }
        return;
    }
    store_unsent_held *h = NULL;
    if (store_unsent_add(&r, &h, &err) != 0) {
        desk_flash(a, true, "could not keep the unsent message on disk: %s", err);
        free(err);
        return;
    }
    keep(a, c->id, m->id, h);
}

void desk_unsent_forget(desk_t *a, const char *conv_id, const char *msg_id)
{
    size_t i = find_kept(a, conv_id, msg_id);
    if (i == a->nkept)
        return;
    desk_kept *k = a->kept[i];
    a->kept[i] = a->kept[--a->nkept];
    /* Deleted while still held: no other aidesk can have taken it. */
    char *err = NULL;
    if (store_unsent_delete(k->rec, &err) != 0) {
        log_msg("console: could not remove the sent message %s from the store: %s", msg_id, err);
        free(err);
    }
    kept_free(k);
}

/* A stored message is still waiting while its local id names a message
 * that is not (yet) the server's. One that an event or a history merge
 * recognised (renamed to its server id, FINAL) no longer is: without
 * this, a restart would offer to send it again. */
void desk_unsent_sweep(desk_t *a)
{
    for (size_t i = a->nkept; i > 0; i--) {
        const desk_kept *k = a->kept[i - 1];
        conv *c = model_find(a->m, k->conv_id);
        const msg *m = c ? conv_find_msg(c, k->msg_id) : NULL;
        if (!m || (m->state != MSG_UNSENT && m->state != MSG_UNCERTAIN &&
                   m->state != MSG_SENDING)) {
            char *conv_id = xstrdup(k->conv_id), *msg_id = xstrdup(k->msg_id);
            desk_unsent_forget(a, conv_id, msg_id);
            free(conv_id);
            free(msg_id);
        }
    }
}

void desk_unsent_free(desk_t *a)
{
    /* Released, not deleted: they wait for the next start. */
    for (size_t i = 0; i < a->nkept; i++) {
        store_unsent_release(a->kept[i]->rec);
        kept_free(a->kept[i]);
    }
    free(a->kept);
    a->kept = NULL;
    a->nkept = a->capkept = 0;
}

bool desk_msg_waits_to_resend(const msg *m)
{
    /* Certainly not delivered, or a reply whose key makes a second
     * delivery impossible (the service answers a repeat from its record). */
    return m->resend && (m->state == MSG_UNSENT || (m->state == MSG_UNCERTAIN && m->idem_key));
}

bool desk_has_waiting_unsent(const desk_t *a)
{
    for (size_t i = 0; i < a->m->nconvs; i++) {
        const conv *c = a->m->convs[i];
        for (size_t k = 0; k < c->nmsgs; k++)
            if (desk_msg_waits_to_resend(c->msgs[k]))
                return true;
    }
    return false;
}

void desk_unsent_resend(desk_t *a)
{
    for (size_t i = 0; i < a->m->nconvs; i++) {
        conv *c = a->m->convs[i];
        for (size_t k = 0; k < c->nmsgs; k++) {
            msg *m = c->msgs[k];
            if (desk_msg_waits_to_resend(m)) {
                m->resend = false;
                log_msg("console: the server is back; sending %s in %s", m->id, c->id);
                desk_ws_submit(a, c, m);
            }
        }
    }
}

/* Messages a previous session could not send come back as UNSENT; only the
 * user sends them (the server's state may have moved on since). Records
 * another aidesk holds stay its own: it shows them, and may send them. */
void desk_unsent_restore(desk_t *a)
{
    store_unsent_entry *v = NULL;
    size_t n = 0, elsewhere = 0;
    long holder = 0;
    char *err = NULL;
    if (store_unsent_list(NULL, &v, &n, &err) != 0) {
        desk_flash(a, true, "could not read the unsent messages: %s", err);
        free(err);
        return;
    }
    /* Oldest first: the order they were written in. */
    for (size_t i = 0; i < n; i++) {
        store_unsent_held *h = NULL;
        long who = 0;
        int rc = v[i].held ? STORE_UNSENT_HELD : store_unsent_take(v[i].rec.id, &h, &who, &err);
        if (rc == STORE_UNSENT_HELD) {
            elsewhere++;
            holder = v[i].held ? v[i].holder : who;
            continue;
        }
        if (rc != STORE_UNSENT_TAKEN) {
            if (err)
                log_msg("console: an unsent message stays on disk: %s", err);
            free(err);
            err = NULL;
            continue; /* sent meanwhile by another aidesk, or unreadable */
        }
        const store_unsent_rec *r = store_unsent_held_rec(h);
        conv *c = model_find(a->m, r->ws);
        if (!c) {
            ai_workspace w;
            memset(&w, 0, sizeof w);
            w.id = r->ws;
            w.pending_drafts = -1;
            c = model_upsert_workspace(a->m, &w, clock_wall_ms());
        }
        msg *m = conv_append_local(c, r->as_agent ? AI_ROLE_HUMAN : AI_ROLE_USER, r->text,
                                   r->written_ms ? r->written_ms : clock_wall_ms());
        m->as_agent = r->as_agent;
        if (r->idem_key)
            m->idem_key = xstrdup(r->idem_key); /* a resend stays the same reply */
        msg_set_state(m, MSG_UNSENT,
                      !r->uncertain ? "not sent in an earlier session; /retry sends it"
                      : m->idem_key ? "may have arrived in an earlier session; /retry sends it "
                                      "with its idempotency key, so it cannot arrive twice"
                                    : "may have arrived in an earlier session: check the "
                                      "conversation; /retry sends it again");
        keep(a, c->id, m->id, h);
    }
    store_unsent_list_free(v, n);
    if (elsewhere && holder > 0)
        desk_flash(a, false, "%zu unsent message%s held by another aidesk (pid %ld)", elsewhere,
                  elsewhere == 1 ? " is" : "s are", holder);
    else if (elsewhere)
        desk_flash(a, false, "%zu unsent message%s held by another aidesk", elsewhere,
                  elsewhere == 1 ? " is" : "s are");
}
