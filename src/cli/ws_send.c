/* ws_send.c: "ws send" (a customer message; kept on disk when it cannot be
 * sent, resent with --unsent) and "ws reply" (a human agent's answer, with
 * an idempotency key: see idem.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "store/unsent.h"

/* Whether the service may have stored the message although the call
 * failed: not unless the network layer knows it cannot have acted on it
 * (the same fact its retry policy goes by, net/retry.h) or the service
 * clearly refused it. */
static bool maybe_delivered(const net_event *ev)
{
    return !ev->not_processed && !net_event_refused(ev);
}

static void print_send(cli_ctx *c, const ai_send_result *r)
{
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "user_message", cli_jmessage(&r->user_message));
        json_object_object_add(o, "responses", cli_jmessages(&r->responses));
        json_object_object_add(o, "mode",
                               cli_jstr(r->mode_raw ? r->mode_raw : ai_mode_name(r->mode)));
        json_object_object_add(o, "pending_approval", json_object_new_boolean(r->pending_approval));
        cli_json_print(c, o);
        return;
    }
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

/* The send failed: keep the text (unless it is the kept one already) and
 * say how to send it again. */
static int send_failed(cli_ctx *c, const char *id, const char *text, bool from_unsent,
                       api_error *e, bool maybe)
{
    int rc = cli_fail(c, e);
    char *err = NULL;
    if (!from_unsent && store_unsent_save(id, text, &err) != 0) {
        cli_error("the message could not be kept for sending later: %s", err);
        free(err);
        return rc;
    }
    cli_error("the message is %s; send it again with: aidesk ws send %s --unsent",
              from_unsent ? "still kept" : "kept", id);
    if (maybe)
        cli_error("(the service may have received it: check 'aidesk ws history %s' first)", id);
    return rc;
}

static int send_text(cli_ctx *c, const char *id, const char *text, bool from_unsent)
{
    net_event *ev = cli_request(c, API_AIASSIST, ai_req_ws_send(c->ai, id, text), NULL, NULL);
    if (!ev)
        return cli_usage(c, "the workspace id must not be empty");
    if (ev->kind != NET_EV_DONE) {
        api_error *e = cli_event_error(c, API_AIASSIST, ev);
        bool maybe = maybe_delivered(ev);
        net_event_free(ev);
        return send_failed(c, id, text, from_unsent, e, maybe);
    }
    /* Accepted: from here on the text must not be offered for resending. */
    char *err = NULL;
    if (from_unsent && store_unsent_clear(id, &err) != 0) {
        cli_error("sent, but the kept copy could not be removed: %s", err);
        free(err);
        err = NULL;
    }
    ai_send_result *r = ai_decode_ws_send(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!r)
        return cli_fail(c, ai_decode_error(err));
    print_send(c, r);
    ai_send_result_free(r);
    if (!from_unsent) {
        char *kept = NULL;
        if (store_unsent_load(id, &kept, NULL) == 0 && kept)
            cli_note(c, "an earlier message for %s is still kept: aidesk ws send %s --unsent", id,
                     id);
        free(kept);
    }
    return CLI_OK;
}

int cli_cmd_ws_send(cli_ctx *c, const cli_args *a)
{
    const char *id = a->pos[0];
    bool unsent = cli_flag(a, "unsent");
    char *text = NULL, *err = NULL;
    int rc = CLI_OK;
    if (!*id)
        return cli_usage(c, "the workspace id must not be empty");
    if (unsent) {
        if (a->npos > 1)
            return cli_usage(c, "--unsent sends the kept message: give no other");
        if (store_unsent_load(id, &text, &err) != 0) {
            cli_error("%s", err);
            free(err);
            return CLI_ERR;
        }
        if (!text) {
            cli_error("no unsent message is kept for %s", id);
            return CLI_ERR;
        }
    } else if (!(text = cli_read_text(c, 1, false, &rc))) {
        return rc;
    }
    if (!cli_ai(c))
        rc = CLI_USAGE;
    else
        rc = send_text(c, id, text, unsent);
    free(text);
    return rc;
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
    net_event *ev =
        cli_keyed_call(c, a, ai_req_mgr_reply(c->ai, a->pos[0], text, key), key, &rc);
    free(text);
    free(key);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_message *m = ai_decode_mgr_reply(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!m)
        return cli_fail(c, ai_decode_error(err));
    if (c->json)
        cli_json_print(c, cli_jmessage(m));
    else
        cli_print_message(c, m, false);
    ai_message_free(m);
    return CLI_OK;
}
