/* app_ws.c: workspace actions and their answers; messages that wait for
 * the server. */
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

static void unsent_store(app_t *a, const conv *c, const msg *m)
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

static void unsent_forget(app_t *a, const char *conv_id, const char *msg_id)
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
            unsent_forget(a, conv_id, msg_id);
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

void app_ws_submit(app_t *a, conv *c, msg *m)
{
    const char *text = buf_cstr(&m->text);
    net_request *r = m->as_agent ? ai_req_mgr_reply(a->ai, c->id, text)
                                 : ai_req_ws_send(a->ai, c->id, text);
    msg_set_state(m, MSG_SENDING, NULL);
    op *o = app_op_new(a, m->as_agent ? OP_REPLY : OP_SEND, r, c->id);
    if (!o) {
        msg_set_state(m, MSG_UNSENT, "this workspace id cannot be used");
        return;
    }
    o->msg_id = xstrdup(m->id);
    o->text = xstrdup(text);
    conv_touch(c);
}

void app_send(app_t *a, conv *c, const char *text, bool as_agent)
{
    if (!c || !text || !*text)
        return;
    if (c->kind == CONV_CHAT) {
        app_chat_send(a, c, text);
        return;
    }
    if (c->ended) {
        app_flash(a, true, "this workspace has ended; nothing was sent");
        return;
    }
    msg *m = conv_append_local(c, as_agent ? AI_ROLE_HUMAN : AI_ROLE_USER, text, clock_wall_ms());
    m->as_agent = as_agent;
    /* The preview is over: what was typed is now sent. */
    if (a->typing_conv && !strcmp(a->typing_conv, c->id)) {
        free(a->typing_text);
        a->typing_text = xstrdup(text);
        a->typing_dirty = false;
    }
    app_ws_submit(a, c, m);
    a->m->rev++;
}

bool app_retry(app_t *a, conv *c, msg *m)
{
    if (!c || !m || c->kind != CONV_WORKSPACE ||
        (m->state != MSG_UNSENT && m->state != MSG_UNCERTAIN))
        return false;
    m->resend = false;
    app_ws_submit(a, c, m);
    return true;
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

/* A send failed: decide whether the text certainly did not arrive. */
static void send_failed(app_t *a, conv *c, msg *m, const net_event *ev)
{
    api_error *e = ai_error_from_event(a->ai, ev);
    char *why = api_error_message(e);
    bool not_arrived =
        (e->kind == API_ERR_NETWORK && e->fail == NET_FAIL_CONNECT) ||
        e->kind == API_ERR_RATE_LIMITED || (e->kind == API_ERR_SERVER && e->status == 503);
    bool refused = e->kind == API_ERR_AUTH || e->kind == API_ERR_FORBIDDEN ||
                   e->kind == API_ERR_BAD_REQUEST || e->kind == API_ERR_CONFLICT ||
                   e->kind == API_ERR_NOT_FOUND || e->kind == API_ERR_QUOTA;
    char *note;
    if (not_arrived) {
        note = xasprintf("not sent (%s); it goes out when the server answers again", why);
        msg_set_state(m, MSG_UNSENT, note);
        m->resend = true;
        if (!a->next_probe)
            a->next_probe = clock_mono_ms() + APP_PROBE_MS;
    } else if (refused) {
        note = xasprintf("not sent: %s", why);
        msg_set_state(m, MSG_UNSENT, note);
    } else {
        note = xasprintf("may not have arrived (%s); check the conversation, /retry sends it "
                         "again",
                         why);
        msg_set_state(m, MSG_UNCERTAIN, note);
    }
    unsent_store(a, c, m);
    app_flash(a, true, "%s", note);
    free(note);
    free(why);
    api_error_free(e);
}

static msg *our_msg(conv *c, const op *o, const char *server_id)
{
    msg *m = conv_find_msg(c, o->msg_id);
    if (!m && server_id)
        m = conv_find_msg(c, server_id); /* an event named it first */
    return m;
}

/* Gives our local copy the server's id. When the server's copy is already
 * here (an event brought it first, and its text did not match ours, say
 * because the server trimmed it), ours goes and theirs stands. */
static void adopt_server_id(conv *c, msg *local, const char *server_id)
{
    if (!local || !server_id)
        return;
    msg *theirs = conv_find_msg(c, server_id);
    if (!theirs) {
        msg_set_id(c, local, server_id);
    } else if (theirs != local) {
        theirs->as_agent = local->as_agent;
        conv_remove_msg(c, local);
    }
}

static void send_done(app_t *a, op *o, conv *c, net_event *ev)
{
    msg *m = our_msg(c, o, NULL);
    if (ev->kind != NET_EV_DONE) {
        if (m)
            send_failed(a, c, m, ev);
        return;
    }
    unsent_forget(a, c->id, o->msg_id);
    char *err = NULL;
    int64_t now = clock_wall_ms();
    if (o->kind == OP_REPLY) {
        ai_message *am = ai_decode_mgr_reply(ev->body, ev->body_len, &err);
        if (!am) {
            if (m)
                msg_set_state(m, MSG_FINAL, NULL);
            app_flash(a, true, "the reply was sent, but its answer was unreadable: %s", err);
            free(err);
            return;
        }
        adopt_server_id(c, m, am->id);
        conv_upsert(a->m, c, am, now);
        ai_message_free(am);
        return;
    }
    ai_send_result *r = ai_decode_ws_send(ev->body, ev->body_len, &err);
    if (!r) {
        if (m)
            msg_set_state(m, MSG_FINAL, NULL);
        app_flash(a, true, "the message was sent, but the answer was unreadable: %s", err);
        free(err);
        return;
    }
    adopt_server_id(c, our_msg(c, o, r->user_message.id), r->user_message.id);
    if (r->user_message.id)
        conv_upsert(a->m, c, &r->user_message, now);
    if (r->mode != AI_MODE_UNKNOWN && r->mode != c->mode) {
        c->mode = r->mode;
        a->m->rev++;
    }
    m = r->user_message.id ? conv_find_msg(c, r->user_message.id) : m;
    if (r->pending_approval) {
        /* The draft is for a manager's eyes, not a message yet. */
        if (m)
            msg_set_state(m, MSG_FINAL, "the AI's answer waits for a manager's approval");
    } else if (r->mode == AI_MODE_TAKEOVER && r->responses.n == 0) {
        if (m)
            msg_set_state(m, MSG_FINAL, "a human agent will answer");
    } else {
        for (size_t i = 0; i < r->responses.n; i++)
            conv_upsert(a->m, c, &r->responses.items[i], now);
    }
    conv_touch(c);
    ai_send_result_free(r);
}

static void create_done(app_t *a, op *o, net_event *ev)
{
    if (ev->kind != NET_EV_DONE) {
        api_error_free(app_event_error(a, ev, "creating the workspace"));
        return;
    }
    char *err = NULL;
    ai_create_result *r = ai_decode_ws_create(ev->body, ev->body_len, &err);
    if (!r) {
        app_flash(a, true, "creating the workspace: %s", err);
        free(err);
        return;
    }
    int64_t now = clock_wall_ms();
    conv *c = model_upsert_workspace(a->m, &r->workspace, now);
    if (c) {
        c->mine = o->kind == OP_CREATE;
        conv_merge_history(a->m, c, &r->messages, now);
        free(a->focus);
        a->focus = xstrdup(c->id);
        app_flash(a, false, "workspace %s created (%s mode)", c->title, ai_mode_name(c->mode));
    }
    ai_create_result_free(r);
}

static void find_done(app_t *a, op *o, net_event *ev)
{
    if (ev->kind != NET_EV_DONE) {
        api_error *e = ai_error_from_event(a->ai, ev);
        if (ai_by_client_not_found(e)) {
            app_flash(a, true, "no workspace for client %s", o->text);
        } else {
            char *why = api_error_message(e);
            app_flash(a, true, "finding the workspace: %s", why);
            free(why);
        }
        api_error_free(e);
        return;
    }
    char *err = NULL;
    ai_by_client_result *r = ai_decode_ws_by_client(ev->body, ev->body_len, &err);
    if (!r) {
        app_flash(a, true, "finding the workspace: %s", err);
        free(err);
        return;
    }
    if (!r->exists || !r->workspace) {
        app_flash(a, true, "no workspace for client %s", o->text);
    } else {
        int64_t now = clock_wall_ms();
        conv *c = model_upsert_workspace(a->m, r->workspace, now);
        conv_merge_history(a->m, c, &r->messages, now);
        free(a->focus);
        a->focus = xstrdup(c->id);
    }
    ai_by_client_result_free(r);
}

static void decided_done(app_t *a, op *o, net_event *ev)
{
    const char *what = o->kind == OP_APPROVE ? "approving the draft" : "rejecting the draft";
    if (ev->kind != NET_EV_DONE) {
        api_error *e = app_event_error(a, ev, what);
        if (e->kind == API_ERR_CONFLICT || e->kind == API_ERR_NOT_FOUND)
            model_remove_draft(a->m, o->draft_id); /* decided elsewhere */
        api_error_free(e);
        return;
    }
    model_remove_draft(a->m, o->draft_id);
    char *err = NULL;
    if (o->kind == OP_APPROVE) {
        ai_approve_result *r = ai_decode_mgr_approve(ev->body, ev->body_len, &err);
        if (r) {
            conv *c = model_find(a->m, r->draft.workspace_id ? r->draft.workspace_id : o->conv_id);
            if (c && r->message.id)
                conv_upsert(a->m, c, &r->message, clock_wall_ms());
            app_flash(a, false, "draft %s", r->message.approval && !strcmp(r->message.approval,
                                                                            "edited")
                                                  ? "edited and approved"
                                                  : "approved");
            ai_approve_result_free(r);
        }
    } else {
        ai_draft *d = ai_decode_mgr_reject(ev->body, ev->body_len, &err);
        if (d) {
            app_flash(a, false, "draft rejected");
            ai_draft_free(d);
        }
    }
    if (err) {
        app_flash(a, true, "%s: %s", what, err);
        free(err);
    }
}

void app_ws_done(app_t *a, op *o, net_event *ev)
{
    conv *c = o->conv_id ? model_find(a->m, o->conv_id) : NULL;
    switch (o->kind) {
    case OP_CREATE:
        create_done(a, o, ev);
        break;
    case OP_FIND:
        find_done(a, o, ev);
        break;
    case OP_SEND:
    case OP_REPLY:
        if (c)
            send_done(a, o, c, ev);
        break;
    case OP_END:
        if (ev->kind == NET_EV_DONE && c) {
            c->ended = true;
            c->rev++;
            a->m->rev++;
            app_flash(a, false, "workspace %s ended", c->title);
        } else if (ev->kind != NET_EV_DONE) {
            api_error_free(app_event_error(a, ev, "ending the workspace"));
        }
        break;
    case OP_MODE:
        if (ev->kind == NET_EV_DONE) {
            char *err = NULL;
            ai_workspace *w = ai_decode_ws_get(ev->body, ev->body_len, &err);
            if (w) {
                conv *wc = model_upsert_workspace(a->m, w, clock_wall_ms());
                if (wc)
                    app_flash(a, false, "%s is now in %s mode", wc->title, ai_mode_name(wc->mode));
                ai_workspace_free(w);
            } else {
                free(err);
            }
        } else {
            api_error_free(app_event_error(a, ev, "changing the mode"));
        }
        break;
    case OP_APPROVE:
    case OP_REJECT:
        decided_done(a, o, ev);
        break;
    case OP_TYPING:
        break; /* previews are best effort, as in the SDK */
    default:
        break;
    }
}

/* ------------------------------------------------------------- actions */

static json_object *parse_context(const char *kv, char **err)
{
    json_object *o = json_object_new_object();
    const char *p = kv;
    while (p && *p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (!eq || eq == p) {
            *err = xasprintf("context items are key=value; '%.*s' is not", (int)n, p);
            json_object_put(o);
            return NULL;
        }
        char *key = xstrndup(p, (size_t)(eq - p));
        json_object_object_add(o, key, json_object_new_string_len(eq + 1, (int)(n - (size_t)(eq - p) - 1)));
        free(key);
        p += n;
    }
    return o;
}

bool app_create_workspace(app_t *a, const app_ws_params *p, char **err)
{
    *err = NULL;
    if (p->mode && ai_mode_from_string(p->mode) == AI_MODE_UNKNOWN) {
        *err = xasprintf("unknown mode '%s': use ai, shadow or takeover", p->mode);
        return false;
    }
    json_object *ctx = NULL, *meta = NULL;
    if (p->context_kv && *p->context_kv && !(ctx = parse_context(p->context_kv, err)))
        return false;
    if (p->mode) {
        meta = json_object_new_object();
        json_object_object_add(meta, "mode", json_object_new_string(p->mode));
    }
    ai_ws_create_params cp = {p->initial_message, p->client_id, p->system_prompt, ctx, meta};
    op *o = app_op_new(a, OP_CREATE, ai_req_ws_create(a->ai, &cp), NULL);
    json_object_put(ctx);
    json_object_put(meta);
    if (!o) {
        *err = xstrdup("the workspace request could not be built");
        return false;
    }
    return true;
}

void app_find_workspace(app_t *a, const char *client_id)
{
    op *o = app_op_new(a, OP_FIND, ai_req_ws_by_client(a->ai, client_id), NULL);
    if (o)
        o->text = xstrdup(client_id);
    else
        app_flash(a, true, "give a client id");
}

void app_end_workspace(app_t *a, conv *c)
{
    if (c && c->kind == CONV_WORKSPACE)
        app_op_new(a, OP_END, ai_req_ws_end(a->ai, c->id), c->id);
}

void app_set_mode(app_t *a, conv *c, ai_mode mode)
{
    if (!c || c->kind != CONV_WORKSPACE || mode == AI_MODE_UNKNOWN)
        return;
    app_op_new(a, OP_MODE, ai_req_mgr_set_mode(a->ai, c->id, ai_mode_name(mode)), c->id);
}

void app_approve(app_t *a, const draft *d, const char *edited)
{
    if (!d)
        return;
    op *o = app_op_new(a, OP_APPROVE, ai_req_mgr_approve(a->ai, d->id, edited), d->ws_id);
    if (o)
        o->draft_id = xstrdup(d->id);
}

void app_reject(app_t *a, const draft *d, const char *reason)
{
    if (!d)
        return;
    op *o = app_op_new(a, OP_REJECT, ai_req_mgr_reject(a->ai, d->id, reason), d->ws_id);
    if (o)
        o->draft_id = xstrdup(d->id);
}

/* Messages a previous session could not send come back as UNSENT; only the
 * user sends them (the server's state may have moved on since). */
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
