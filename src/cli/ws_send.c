/* ws_send.c: "ws send" (a customer message; kept on disk when it cannot be
 * sent, see ws_unsent.c for sending it later) and "ws reply" (a human
 * agent's answer, with an idempotency key: see idem.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "cli/ws_unsent.h"
#include "store/unsent.h"
#include "util/mem.h"

/* Whether the service may have stored the message although the call
 * failed: not unless the network layer knows it cannot have acted on it
 * (the same fact its retry policy goes by, net/retry.h) or the service
 * clearly refused it. */
static bool maybe_delivered(const net_event *ev)
{
    return !ev->not_processed && !net_event_refused(ev);
}

bool cli_ws_ended(const api_error *e)
{
    return e->kind == API_ERR_CONFLICT && e->code && !strcmp(e->code, "workspace_ended");
}

static net_event *post(cli_ctx *c, net_request *req, api_error **e, bool *maybe)
{
    *e = NULL;
    *maybe = false;
    net_event *ev = cli_request(c, API_AIASSIST, req, NULL, NULL);
    if (ev && ev->kind != NET_EV_DONE) {
        *maybe = maybe_delivered(ev);
        *e = cli_event_error(c, API_AIASSIST, ev);
        net_event_free(ev);
        return NULL;
    }
    return ev;
}

net_event *cli_ws_post(cli_ctx *c, const char *ws, const char *text, bool as_agent,
                       const char *idem_key, api_error **e, bool *maybe)
{
    return post(c,
                as_agent ? ai_req_mgr_reply(c->ai, ws, text, idem_key)
                         : ai_req_ws_send(c->ai, ws, text),
                e, maybe);
}

net_event *cli_ws_post_opts(cli_ctx *c, const char *ws, const char *text,
                            const ai_ws_send_opts *o, api_error **e, bool *maybe)
{
    return post(c, ai_req_ws_send_opts(c->ai, ws, text, o), e, maybe);
}

static json_object *send_json(const ai_send_result *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "user_message", cli_jmessage(&r->user_message));
    json_object_object_add(o, "responses", cli_jmessages(&r->responses));
    json_object_object_add(o, "mode", cli_jstr(r->mode_raw ? r->mode_raw : ai_mode_name(r->mode)));
    json_object_object_add(o, "pending_approval", json_object_new_boolean(r->pending_approval));
    return o;
}

static void print_send(cli_ctx *c, const ai_send_result *r)
{
    cli_print_message(c, &r->user_message, false);
    /* In shadow mode the responses are drafts the customer does not see
     * yet: say so before showing them. */
    if (r->pending_approval)
        printf("pending manager approval%s\n", r->responses.n ? "; the draft:" : "");
    for (size_t i = 0; i < r->responses.n; i++)
        cli_print_message(c, &r->responses.items[i], false);
    if (!r->pending_approval && r->mode == AI_MODE_TAKEOVER && r->responses.n == 0)
        printf("a human agent will answer\n");
}

int cli_ws_print_answer(cli_ctx *c, net_event *ev, bool as_agent, const char *unsent_id,
                        const char *ws)
{
    char *err = NULL;
    json_object *o = NULL;
    if (as_agent) {
        ai_message *m = ai_decode_mgr_reply(ev->body, ev->body_len, &err);
        net_event_free(ev);
        if (!m)
            return cli_fail(c, ai_decode_error(err));
        if (c->json)
            o = cli_jmessage(m);
        else
            cli_print_message(c, m, false);
        ai_message_free(m);
    } else {
        ai_send_result *r = ai_decode_ws_send(ev->body, ev->body_len, &err);
        net_event_free(ev);
        if (!r)
            return cli_fail(c, ai_decode_error(err));
        if (c->json)
            o = send_json(r);
        else
            print_send(c, r);
        ai_send_result_free(r);
    }
    if (o && unsent_id) {
        json_object *w = json_object_new_object();
        json_object_object_add(w, "unsent_id", cli_jstr(unsent_id));
        json_object_object_add(w, "workspace", cli_jstr(ws));
        json_object_object_add(w, "result", o);
        o = w;
    }
    if (o)
        cli_json_print(c, o);
    return CLI_OK;
}

/* The send failed: keep the text as a new record (a reply with its
 * idempotency key) and say how to send it again (or, when the workspace
 * has ended, how to forget it). */
static int keep_failed(cli_ctx *c, const char *ws, const char *text, const char *idem_key,
                       api_error *e, bool maybe, bool overrides)
{
    bool ended = cli_ws_ended(e);
    int rc = cli_fail(c, e);
    store_unsent_rec r;
    memset(&r, 0, sizeof r);
    r.ws = (char *)ws;
    r.text = (char *)text;
    r.as_agent = idem_key != NULL;
    r.idem_key = (char *)idem_key;
    r.uncertain = maybe;
    store_unsent_held *h = NULL;
    char *err = NULL;
    if (store_unsent_add(&r, &h, &err) != 0) {
        cli_error("the message could not be kept for sending later: %s", err);
        free(err);
        return rc;
    }
    char *id = xstrdup(store_unsent_held_rec(h)->id);
    store_unsent_release(h);
    if (ended) {
        cli_error("workspace %s has ended: the message can never be sent there; it is kept as %s "
                  "(forget it with: aidesk ws send --discard %s)",
                  ws, id, id);
    } else {
        cli_error("the message is kept as %s; send it again with: aidesk ws send --resend %s", id,
                  id);
        if (maybe && idem_key)
            cli_error("(it goes with its idempotency key, so the service applies it once)");
        else if (maybe)
            cli_error("(the service may have received it: check 'aidesk ws history %s' first)", ws);
        /* The store keeps the text, not the per-message overrides. */
        if (overrides)
            cli_error("(sent again that way it goes without --model and --max-tokens: the "
                      "workspace's own apply)");
    }
    free(id);
    return rc;
}

static int send_new(cli_ctx *c, const char *ws, const char *text, const ai_ws_send_opts *o)
{
    api_error *e = NULL;
    bool maybe;
    net_event *ev = cli_ws_post_opts(c, ws, text, o, &e, &maybe);
    if (!ev && !e)
        return cli_usage(c, "the workspace id must not be empty");
    if (!ev)
        return keep_failed(c, ws, text, NULL, e, maybe, o && (o->model || o->max_tokens));
    int rc = cli_ws_print_answer(c, ev, false, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    store_unsent_entry *v = NULL;
    size_t n = 0;
    if (store_unsent_list(ws, &v, &n, NULL) == 0 && n > 0)
        cli_note(c, "%zu earlier message%s for %s %s still kept: aidesk ws send %s --unsent", n,
                 n == 1 ? "" : "s", ws, n == 1 ? "is" : "are", ws);
    store_unsent_list_free(v, n);
    return CLI_OK;
}

int cli_cmd_ws_send(cli_ctx *c, const cli_args *a)
{
    int modes = cli_flag(a, "unsent") + cli_flag(a, "resend") + cli_flag(a, "resend-all") +
                cli_flag(a, "discard");
    if (modes > 1)
        return cli_usage(c, "--unsent, --resend, --resend-all and --discard do not go together");
    if (cli_flag(a, "include-uncertain") && !cli_flag(a, "resend-all"))
        return cli_usage(c, "--include-uncertain goes with --resend-all");
    const char *ws = a->npos ? a->pos[0] : NULL;
    if (ws && !*ws)
        return cli_usage(c, "the workspace id must not be empty");
    ai_ws_send_opts o = {NULL, 0};
    int rc = CLI_OK;
    if (!cli_ws_model_opts(c, a, &o.model, &o.max_tokens, &rc))
        return rc;
    if (modes && (o.model || o.max_tokens))
        return cli_usage(c, "--model and --max-tokens go with a new message, not with kept ones");
    if (modes)
        return cli_ws_unsent(c, a, ws);
    if (!ws)
        return cli_usage(c, "give a workspace id and a message (or --unsent to see kept ones)");
    char *text = cli_read_text(c, 1, false, &rc);
    if (!text)
        return rc;
    if (!cli_ai(c))
        rc = CLI_USAGE;
    else
        rc = send_new(c, ws, text, &o);
    free(text);
    return rc;
}

/* A reply with key was accepted: a copy kept by an earlier call with the
 * same key (the person repeated it, as the error said) stands for this
 * very reply and goes. One held elsewhere is left to its holder. */
static void forget_kept_reply(const char *ws, const char *key)
{
    store_unsent_entry *v = NULL;
    size_t n = 0;
    if (store_unsent_list(ws, &v, &n, NULL) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].rec.as_agent || !v[i].rec.idem_key || strcmp(v[i].rec.idem_key, key))
            continue;
        store_unsent_held *h = NULL;
        long holder = 0;
        if (store_unsent_take(v[i].rec.id, &h, &holder, NULL) == STORE_UNSENT_TAKEN)
            store_unsent_delete(h, NULL);
    }
    store_unsent_list_free(v, n);
}

/* A reply the service refused as it is (wrong key, unknown or ended
 * workspace, a bad request): keeping it would not help, the error says why. */
static bool reply_refused(const api_error *e)
{
    return e->kind == API_ERR_AUTH || e->kind == API_ERR_FORBIDDEN ||
           e->kind == API_ERR_NOT_FOUND || e->kind == API_ERR_BAD_REQUEST ||
           e->kind == API_ERR_CONFLICT;
}

int cli_cmd_ws_reply(cli_ctx *c, const cli_args *a)
{
    int rc;
    char *text = cli_read_text(c, 1, false, &rc);
    if (!text)
        return rc;
    char *key = cli_idem_key(c, a, &rc);
    if (!key) {
        free(text);
        return rc;
    }
    if (!cli_ai(c)) {
        free(text);
        free(key);
        return CLI_USAGE;
    }
    /* Kept on failure like a customer's message, with its key: nothing the
     * agent wrote is lost, and sending it again cannot deliver it twice. */
    api_error *e = NULL;
    bool maybe;
    net_event *ev = cli_ws_post(c, a->pos[0], text, true, key, &e, &maybe);
    if (!ev && !e)
        rc = cli_usage(c, "the workspace id must not be empty");
    else if (!ev && reply_refused(e))
        rc = cli_fail(c, e);
    else if (!ev) {
        rc = keep_failed(c, a->pos[0], text, key, e, maybe, false);
        if (maybe)
            cli_print_repeat(a, key);
    } else {
        forget_kept_reply(a->pos[0], key);
        rc = cli_ws_print_answer(c, ev, true, NULL, NULL);
    }
    free(text);
    free(key);
    return rc;
}
