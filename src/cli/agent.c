/* agent.c: the manager side (docs/protocol.md section 4): list
 * workspaces, change a mode, review drafts. These calls need an agent key;
 * a user key gets 403 (exit status 3). Actions carry an idempotency key
 * (idem.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"

static bool check_mode(cli_ctx *c, const char *what, const char *mode)
{
    if (ai_mode_from_string(mode) != AI_MODE_UNKNOWN)
        return true;
    cli_usage(c, "%s: '%s' is not one of ai, shadow, takeover", what, mode);
    return false;
}

static void print_list(cli_ctx *c, const ai_workspace_list *l)
{
    printf("%-22s %-8s %-7s %5s %6s  %-19s  %s\n", "WORKSPACE", "MODE", "STATUS", "MSGS",
           "DRAFTS", "LAST ACTIVITY", "CLIENT / LAST MESSAGE");
    for (size_t i = 0; i < l->n; i++) {
        const ai_workspace *w = &l->items[i];
        char t[40];
        printf("%-22s %-8s %-7s %5lld %6lld  %-19s  %s", cli_s1(c, w->id),
               w->mode_raw ? cli_short(c, w->mode_raw, 8) : ai_mode_name(w->mode),
               w->status ? cli_short(c, w->status, 7) : "-", (long long)w->message_count,
               (long long)w->pending_drafts, cli_time(w->last_activity_ms, true, t, sizeof t),
               w->client_id ? cli_s1(c, w->client_id) : "-");
        if (w->last_message)
            printf(" / %s: %s", ai_role_name(w->last_message->role),
                   cli_short(c, w->last_message->content, 60));
        putchar('\n');
        cli_pool_clear(c);
    }
}

int cli_cmd_ws_list(cli_ctx *c, const cli_args *a)
{
    int rc;
    const char *mode = cli_opt(a, "mode");
    if (mode && !check_mode(c, "--mode", mode))
        return CLI_USAGE;
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev =
        cli_call(c, API_AIASSIST, ai_req_mgr_list(c->ai, mode, cli_opt(a, "status")), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_workspace_list *l = ai_decode_mgr_list(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!l)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < l->n; i++)
            json_object_array_add(arr, cli_jworkspace(&l->items[i]));
        cli_json_print(c, arr);
    } else {
        print_list(c, l);
    }
    ai_workspace_list_free(l);
    return CLI_OK;
}

int cli_cmd_ws_mode(cli_ctx *c, const cli_args *a)
{
    int rc;
    if (!check_mode(c, "MODE", a->pos[1]))
        return CLI_USAGE;
    char *key = cli_idem_key(c, a, &rc);
    if (!key)
        return rc;
    if (!cli_ai(c)) {
        free(key);
        return CLI_USAGE;
    }
    net_event *ev =
        cli_keyed_call(c, a, ai_req_mgr_set_mode(c->ai, a->pos[0], a->pos[1], key), key, &rc);
    free(key);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_workspace *w = ai_decode_ws_get(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!w)
        return cli_fail(c, ai_decode_error(err));
    if (c->json)
        cli_json_print(c, cli_jworkspace(w));
    else
        cli_print_workspace_line(c, w);
    ai_workspace_free(w);
    return CLI_OK;
}

static void print_draft(cli_ctx *c, const ai_draft *d)
{
    char t[40];
    printf("%s  %s  %s\n", cli_s1(c, d->id), cli_s1(c, d->workspace_id),
           cli_time(d->created_ms, true, t, sizeof t));
    if (d->in_reply_to_message) {
        printf("  customer: ");
        cli_print_message(c, d->in_reply_to_message, false);
    }
    printf("  draft:    ");
    cli_put_indented(cli_sm(c, d->content), 12);
    putchar('\n');
    cli_pool_clear(c);
}

int cli_cmd_ws_drafts(cli_ctx *c, const cli_args *a)
{
    int rc;
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev =
        cli_call(c, API_AIASSIST, ai_req_mgr_drafts(c->ai, cli_opt(a, "workspace")), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_draft_list *l = ai_decode_mgr_drafts(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!l)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < l->n; i++)
            json_object_array_add(arr, cli_jdraft(&l->items[i]));
        cli_json_print(c, arr);
    } else if (l->n == 0) {
        cli_note(c, "no drafts are waiting");
    } else {
        for (size_t i = 0; i < l->n; i++)
            print_draft(c, &l->items[i]);
    }
    ai_draft_list_free(l);
    return CLI_OK;
}

int cli_cmd_ws_approve(cli_ctx *c, const cli_args *a)
{
    int rc;
    char *key = cli_idem_key(c, a, &rc);
    if (!key)
        return rc;
    if (!cli_ai(c)) {
        free(key);
        return CLI_USAGE;
    }
    net_event *ev = cli_keyed_call(
        c, a, ai_req_mgr_approve(c->ai, a->pos[0], cli_opt(a, "edit"), key), key, &rc);
    free(key);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_approve_result *r = ai_decode_mgr_approve(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!r)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "draft", cli_jdraft(&r->draft));
        json_object_object_add(o, "message", cli_jmessage(&r->message));
        cli_json_print(c, o);
    } else {
        printf("approved %s\n", cli_s1(c, r->draft.id ? r->draft.id : a->pos[0]));
        cli_print_message(c, &r->message, false);
    }
    ai_approve_result_free(r);
    return CLI_OK;
}

int cli_cmd_ws_reject(cli_ctx *c, const cli_args *a)
{
    int rc;
    char *key = cli_idem_key(c, a, &rc);
    if (!key)
        return rc;
    if (!cli_ai(c)) {
        free(key);
        return CLI_USAGE;
    }
    net_event *ev = cli_keyed_call(
        c, a, ai_req_mgr_reject(c->ai, a->pos[0], cli_opt(a, "reason"), key), key, &rc);
    free(key);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_draft *d = ai_decode_mgr_reject(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!d)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        cli_json_print(c, cli_jdraft(d));
    } else {
        printf("rejected %s", cli_s1(c, d->id ? d->id : a->pos[0]));
        if (d->reason)
            printf(": %s", cli_s1(c, d->reason));
        putchar('\n');
    }
    ai_draft_free(d);
    return CLI_OK;
}
