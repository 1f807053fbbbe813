/* ws_unsent.c: the messages "ws send" (and the console) kept because they
 * could not be sent: listed with --unsent, sent with --resend and
 * --resend-all, forgotten with --discard.
 *
 * Every record is taken (locked) before it is sent and deleted only while
 * still held, so two aidesk processes never send one record twice; one
 * held elsewhere (a console showing it, another send) is left alone. One
 * that may have arrived is sent only when named, or with
 * --include-uncertain. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "cli/ws_unsent.h"
#include "store/unsent.h"
#include "util/clock.h"
#include "util/mem.h"

static const char *age(int64_t written_ms, char *buf, size_t n)
{
    int64_t s = (clock_wall_ms() - written_ms) / 1000;
    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(buf, n, "%lld s", (long long)s);
    else if (s < 2 * 3600)
        snprintf(buf, n, "%lld min", (long long)(s / 60));
    else if (s < 2 * 86400)
        snprintf(buf, n, "%lld h", (long long)(s / 3600));
    else
        snprintf(buf, n, "%lld d", (long long)(s / 86400));
    return buf;
}

static const char *state_name(const store_unsent_rec *r)
{
    return r->sending ? "sending" : r->uncertain ? "uncertain" : "unsent";
}

/* " (pid N)" or "", for messages about a holder. */
static const char *pid_note(long holder, char *buf, size_t n)
{
    if (holder > 0)
        snprintf(buf, n, " (pid %ld)", holder);
    else
        buf[0] = '\0';
    return buf;
}

static json_object *entry_json(const store_unsent_entry *e)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", cli_jstr(e->rec.id));
    json_object_object_add(o, "workspace", cli_jstr(e->rec.ws));
    json_object_object_add(o, "written", json_object_new_int64(e->rec.written_ms));
    int64_t age_s = (clock_wall_ms() - e->rec.written_ms) / 1000;
    json_object_object_add(o, "age_s", json_object_new_int64(age_s < 0 ? 0 : age_s));
    json_object_object_add(o, "state", json_object_new_string(state_name(&e->rec)));
    json_object_object_add(o, "as_agent", json_object_new_boolean(e->rec.as_agent));
    json_object_object_add(o, "held", json_object_new_boolean(e->held));
    json_object_object_add(o, "holder_pid",
                           e->held && e->holder > 0 ? json_object_new_int64(e->holder) : NULL);
    json_object_object_add(o, "idem_key", cli_jstr(e->rec.idem_key));
    json_object_object_add(o, "text", cli_jstr(e->rec.text));
    return o;
}

static int list(cli_ctx *c, const char *ws)
{
    store_unsent_entry *v = NULL;
    size_t n = 0;
    char *err = NULL;
    if (store_unsent_list(ws, &v, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return CLI_ERR;
    }
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++)
            json_object_array_add(arr, entry_json(&v[i]));
        cli_json_print(c, arr);
    } else if (n == 0) {
        cli_note(c, "no unsent messages are kept%s%s", ws ? " for " : "", ws ? ws : "");
    }
    size_t wid = 0, wws = 0;
    for (size_t i = 0; !c->json && i < n; i++) {
        size_t l = strlen(v[i].rec.id);
        wid = l > wid ? l : wid;
        l = strlen(cli_s1(c, v[i].rec.ws));
        wws = l > wws ? l : wws;
    }
    for (size_t i = 0; !c->json && i < n; i++) {
        const store_unsent_rec *r = &v[i].rec;
        char when[32], state[64];
        if (v[i].held && v[i].holder > 0)
            snprintf(state, sizeof state, "%s, held by pid %ld", state_name(r), v[i].holder);
        else
            snprintf(state, sizeof state, "%s%s", state_name(r), v[i].held ? ", held" : "");
        /* The first line only; the whole text is in --json. */
        size_t first = strcspn(r->text, "\n");
        char *line = xstrndup(r->text, first);
        printf("%-*s  %-*s  %6s  %-9s  %s%s%s\n", (int)wid, r->id, (int)wws, cli_s1(c, r->ws),
               age(r->written_ms, when, sizeof when), state, r->as_agent ? "(agent) " : "",
               cli_short(c, line, 72), r->text[first] && first <= 72 ? " ..." : "");
        free(line);
    }
    cli_pool_clear(c);
    store_unsent_list_free(v, n);
    return CLI_OK;
}

/* Sends the held record h and ends it: deleted once sent (while still
 * held), released otherwise. *stop is set when the failure says the
 * service cannot take any message now (the rest would fail alike). */
static int send_held(cli_ctx *c, store_unsent_held *h, bool *stop)
{
    const store_unsent_rec *r = store_unsent_held_rec(h);
    char *id = xstrdup(r->id), *ws = xstrdup(r->ws);
    bool as_agent = r->as_agent;
    api_error *e = NULL;
    char *err = NULL;
    int rc;
    *stop = false;
    /* Marked first: should this process die during the send, the next
     * holder knows it may have arrived. An agent reply goes out with the
     * key it was first sent with (or one chosen now and kept), so the
     * service applies it once however often it is sent. */
    store_unsent_rec mark = *r;
    char *key = NULL;
    if (mark.as_agent && !mark.idem_key)
        mark.idem_key = key = ai_idem_key_new();
    mark.sending = true;
    int marked = store_unsent_update(h, &mark, &err);
    free(key);
    r = store_unsent_held_rec(h);
    if (marked != 0) {
        cli_error("%s; %s was not sent", err, id);
        free(err);
        store_unsent_release(h);
        free(id);
        free(ws);
        return CLI_ERR;
    }
    bool maybe;
    net_event *ev = cli_ws_post(c, r->ws, r->text, r->as_agent, r->idem_key, &e, &maybe);
    if (ev) {
        /* Accepted: from here on it must not be offered for sending. */
        if (store_unsent_delete(h, &err) != 0) {
            cli_error("sent, but the kept copy %s could not be removed: %s", id, err);
            free(err);
        }
        rc = cli_ws_print_answer(c, ev, as_agent, id, ws);
    } else if (!e) {
        store_unsent_set_sending(h, false, NULL);
        store_unsent_release(h);
        rc = cli_usage(c, "the kept message %s has no workspace id", id);
    } else {
        bool ended = cli_ws_ended(e);
        bool doubt = maybe || r->uncertain; /* this time, or an earlier one */
        *stop = !(e->kind == API_ERR_CONFLICT || e->kind == API_ERR_NOT_FOUND ||
                  e->kind == API_ERR_BAD_REQUEST);
        rc = cli_fail(c, e);
        store_unsent_rec u = *r;
        u.sending = false;
        u.uncertain = maybe;
        if (store_unsent_update(h, &u, &err) != 0) {
            cli_error("%s", err); /* still marked: it will count as uncertain */
            free(err);
        }
        store_unsent_release(h);
        if (ended)
            cli_error("workspace %s has ended: the kept message %s can never be sent there; "
                      "forget it with: aidesk ws send --discard %s",
                      ws, id, id);
        else if (doubt)
            cli_error("%s is still kept, and it may have arrived: check 'aidesk ws history %s' "
                      "before sending it again with: aidesk ws send --resend %s",
                      id, ws, id);
        else
            cli_error("%s is still kept; send it again with: aidesk ws send --resend %s", id, id);
    }
    free(id);
    free(ws);
    return rc;
}

/* Takes the record id; NULL after a message (*rc set) when it is held
 * elsewhere or gone. */
static store_unsent_held *take(const char *id, int *rc)
{
    store_unsent_held *h = NULL;
    long holder = 0;
    char *err = NULL, pid[32];
    switch (store_unsent_take(id, &h, &holder, &err)) {
    case STORE_UNSENT_TAKEN:
        return h;
    case STORE_UNSENT_HELD:
        cli_error("the kept message %s is held by another aidesk%s, which may be sending it; "
                  "nothing was done",
                  id, pid_note(holder, pid, sizeof pid));
        break;
    case STORE_UNSENT_GONE:
        cli_error("no kept message %s (see: aidesk ws send --unsent)", id);
        break;
    default:
        cli_error("%s", err);
        free(err);
        break;
    }
    *rc = CLI_ERR;
    return NULL;
}

static int resend_named(cli_ctx *c, const cli_args *a)
{
    int rc = CLI_OK;
    const char *id;
    for (size_t i = 0; (id = cli_opt_nth(a, "resend", i)) && !c->signal; i++) {
        int one = CLI_OK;
        bool stop = false;
        store_unsent_held *h = take(id, &one);
        /* Named by the person: sent even when it may have arrived. */
        if (h)
            one = send_held(c, h, &stop);
        if (one != CLI_OK && (rc == CLI_OK || rc == CLI_ERR))
            rc = one;
    }
    return rc;
}

static int resend_all(cli_ctx *c, const char *ws, bool include_uncertain)
{
    store_unsent_entry *v = NULL;
    size_t n = 0;
    char *err = NULL, pid[32];
    if (store_unsent_list(ws, &v, &n, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return CLI_ERR;
    }
    if (n == 0)
        cli_note(c, "no unsent messages are kept%s%s", ws ? " for " : "", ws ? ws : "");
    int rc = CLI_OK;
    size_t left = 0;
    bool stop = false;
    for (size_t i = 0; i < n; i++) {
        if (stop || c->signal) {
            left++;
            continue;
        }
        store_unsent_held *h = NULL;
        long holder = 0;
        const char *id = v[i].rec.id;
        int got = store_unsent_take(id, &h, &holder, &err);
        if (got == STORE_UNSENT_GONE)
            continue; /* sent meanwhile by another aidesk */
        if (got == STORE_UNSENT_HELD) {
            cli_note(c, "%s is held by another aidesk%s: left to it", id,
                     pid_note(holder, pid, sizeof pid));
            if (rc == CLI_OK)
                rc = CLI_ERR;
            continue;
        }
        if (got != STORE_UNSENT_TAKEN) {
            cli_error("%s", err);
            free(err);
            err = NULL;
            if (rc == CLI_OK)
                rc = CLI_ERR;
            continue;
        }
        /* Its state as held now, not as listed. */
        const store_unsent_rec *r = store_unsent_held_rec(h);
        /* A reply with its idempotency key is safe to send again whether
         * or not it arrived: the service applies a key once. */
        if (r->uncertain && !include_uncertain && !(r->as_agent && r->idem_key)) {
            cli_error("%s may have arrived: check 'aidesk ws history %s', then send it with: "
                      "aidesk ws send --resend %s",
                      id, r->ws, id);
            store_unsent_release(h);
            if (rc == CLI_OK)
                rc = CLI_ERR;
            continue;
        }
        int one = send_held(c, h, &stop);
        if (one != CLI_OK && (rc == CLI_OK || rc == CLI_ERR))
            rc = one;
    }
    if (left)
        cli_error("%zu more kept message%s not tried; they stay kept", left, left == 1 ? " was" : "s were");
    store_unsent_list_free(v, n);
    return rc;
}

static int discard(cli_ctx *c, const cli_args *a)
{
    int rc = CLI_OK;
    const char *id;
    for (size_t i = 0; (id = cli_opt_nth(a, "discard", i)); i++) {
        int one = CLI_OK;
        store_unsent_held *h = take(id, &one);
        if (!h) {
            rc = one;
            continue;
        }
        const store_unsent_rec *r = store_unsent_held_rec(h);
        char *ws = xstrdup(r->ws);
        char *err = NULL;
        if (store_unsent_delete(h, &err) != 0) {
            cli_error("%s", err);
            free(err);
            rc = CLI_ERR;
        } else {
            cli_note(c, "forgot the kept message %s for %s", id, ws);
        }
        free(ws);
    }
    return rc;
}

int cli_ws_unsent(cli_ctx *c, const cli_args *a, const char *ws)
{
    if (cli_flag(a, "unsent") || cli_flag(a, "resend-all")) {
        if (a->npos > 1)
            return cli_usage(c, "%s takes at most a workspace id",
                             cli_flag(a, "unsent") ? "--unsent" : "--resend-all");
        if (cli_flag(a, "unsent"))
            return list(c, ws);
        if (!cli_ai(c))
            return CLI_USAGE;
        return resend_all(c, ws, cli_flag(a, "include-uncertain"));
    }
    const char *opt = cli_flag(a, "resend") ? "--resend" : "--discard";
    if (a->npos > 0)
        return cli_usage(c, "%s takes kept message ids only (their workspace is kept with them)",
                         opt);
    if (cli_flag(a, "discard"))
        return discard(c, a);
    if (!cli_ai(c))
        return CLI_USAGE;
    return resend_named(c, a);
}
