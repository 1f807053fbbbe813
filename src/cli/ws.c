/* ws.c: the customer side of workspaces: create, get, find, history,
 * typing, end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/jsonarg.h"
#include "cli/cli_priv.h"
#include "cli/ws_unsent.h"
#include "util/mem.h"

/* A JSON object from repeated KEY=VALUE options, each value JSON when it
 * reads as JSON (api/jsonarg.h); NULL when none was given or after a usage
 * error (*rc set). */
static json_object *pairs(cli_ctx *c, const cli_args *a, const char *opt, int *rc)
{
    json_object *o = NULL;
    const char *v;
    for (size_t i = 0; (v = cli_opt_nth(a, opt, i)) != NULL; i++) {
        if (!o)
            o = json_object_new_object();
        char *err = NULL;
        if (!api_jsonarg_add(o, v, &err)) {
            json_object_put(o);
            *rc = cli_usage(c, "--%s: %s", opt, err);
            free(err);
            return NULL;
        }
    }
    return o;
}

bool cli_ws_model_opts(cli_ctx *c, const cli_args *a, const char **model, int *max_tokens,
                       int *rc)
{
    *model = cli_opt(a, "model");
    *max_tokens = 0;
    const char *v = cli_opt(a, "max-tokens");
    long n = 0;
    if (v && !cli_parse_int(c, "--max-tokens", v, 1, AI_MAX_TOKENS_MAX, &n)) {
        *rc = CLI_USAGE;
        return false;
    }
    *max_tokens = (int)n;
    char *err = NULL;
    if (!ai_ws_model_check(*model, *max_tokens, &err)) {
        *rc = cli_usage(c, "--model: %s", err);
        free(err);
        return false;
    }
    return true;
}

static void print_messages(cli_ctx *c, const ai_message_list *l, bool date)
{
    for (size_t i = 0; i < l->n; i++)
        cli_print_message(c, &l->items[i], date);
}

static int create_send(cli_ctx *c, const ai_ws_create_params *p)
{
    int rc;
    net_event *ev = cli_call(c, API_AIASSIST, ai_req_ws_create(c->ai, p), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_create_result *r = ai_decode_ws_create(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!r)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "workspace", cli_jworkspace(&r->workspace));
        json_object_object_add(o, "messages", cli_jmessages(&r->messages));
        cli_json_print(c, o);
    } else {
        cli_print_workspace_line(c, &r->workspace);
        print_messages(c, &r->messages, false);
    }
    ai_create_result_free(r);
    return CLI_OK;
}

int cli_cmd_ws_create(cli_ctx *c, const cli_args *a)
{
    int rc = CLI_OK;
    char *text = NULL;
    if (a->npos && !(text = cli_read_text(c, 0, false, &rc)))
        return rc;
    json_object *context = pairs(c, a, "context", &rc);
    json_object *meta = rc == CLI_OK ? pairs(c, a, "metadata", &rc) : NULL;
    const char *mode = cli_opt(a, "mode");
    const char *model = NULL;
    int max_tokens = 0;
    if (rc == CLI_OK && mode && ai_mode_from_string(mode) == AI_MODE_UNKNOWN)
        rc = cli_usage(c, "--mode: '%s' is not one of ai, shadow, takeover", mode);
    if (rc == CLI_OK)
        cli_ws_model_opts(c, a, &model, &max_tokens, &rc);
    if (rc == CLI_OK && mode) {
        if (!meta)
            meta = json_object_new_object();
        json_object_object_add(meta, "mode", json_object_new_string(mode));
    }
    if (rc == CLI_OK && !cli_ai(c))
        rc = CLI_USAGE;
    if (rc == CLI_OK) {
        ai_ws_create_params p = {text,    cli_opt(a, "client-id"), cli_opt(a, "system"), context,
                                 meta,    model,                   max_tokens};
        rc = create_send(c, &p);
    }
    json_object_put(context);
    json_object_put(meta);
    free(text);
    return rc;
}

static void print_field(cli_ctx *c, const char *name, const char *value)
{
    if (value)
        printf("%-14s %s\n", name, cli_s1(c, value));
}

int cli_cmd_ws_get(cli_ctx *c, const cli_args *a)
{
    int rc;
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev = cli_call(c, API_AIASSIST, ai_req_ws_get(c->ai, a->pos[0]), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_workspace *w = ai_decode_ws_get(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!w)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        cli_json_print(c, cli_jworkspace(w));
    } else {
        print_field(c, "id", w->id);
        print_field(c, "mode", w->mode_raw ? w->mode_raw : ai_mode_name(w->mode));
        print_field(c, "status", w->status);
        print_field(c, "client_id", w->client_id);
        print_field(c, "created_at", w->created_at);
        print_field(c, "updated_at", w->updated_at);
        print_field(c, "context", w->context_json);
        print_field(c, "metadata", w->metadata_json);
        if (w->system_prompt)
            printf("%-14s %s\n", "system_prompt", cli_sm(c, w->system_prompt));
    }
    ai_workspace_free(w);
    return CLI_OK;
}

int cli_cmd_ws_find(cli_ctx *c, const cli_args *a)
{
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev = cli_request(c, API_AIASSIST, ai_req_ws_by_client(c->ai, a->pos[0]), NULL, NULL);
    if (!ev)
        return cli_usage(c, "the client id must not be empty");
    ai_by_client_result *r = NULL;
    if (ev->kind == NET_EV_DONE) {
        char *err = NULL;
        r = ai_decode_ws_by_client(ev->body, ev->body_len, &err);
        net_event_free(ev);
        if (!r)
            return cli_fail(c, ai_decode_error(err));
    } else {
        api_error *e = cli_event_error(c, API_AIASSIST, ev);
        net_event_free(ev);
        if (!ai_by_client_not_found(e))
            return cli_fail(c, e);
        api_error_free(e);
        r = ai_by_client_missing();
    }
    int rc = CLI_OK;
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "exists", json_object_new_boolean(r->exists));
        if (r->exists) {
            json_object_object_add(o, "workspace", r->workspace ? cli_jworkspace(r->workspace) : NULL);
            json_object_object_add(o, "messages", cli_jmessages(&r->messages));
        }
        cli_json_print(c, o);
    }
    /* Not found is exit status 1 whatever the format, so that a script can
     * test it the same way with and without --json. */
    if (!r->exists || !r->workspace) {
        if (!c->json)
            cli_error("no active workspace for client '%s'", a->pos[0]);
        rc = CLI_ERR;
    } else if (!c->json) {
        cli_print_workspace_line(c, r->workspace);
        print_messages(c, &r->messages, false);
    }
    ai_by_client_result_free(r);
    return rc;
}

int cli_cmd_ws_history(cli_ctx *c, const cli_args *a)
{
    int rc;
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev = cli_call(c, API_AIASSIST, ai_req_ws_history(c->ai, a->pos[0]), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_message_list *l = ai_decode_ws_history(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!l)
        return cli_fail(c, ai_decode_error(err));
    if (c->json)
        cli_json_print(c, cli_jmessages(l));
    else
        print_messages(c, l, true);
    ai_message_list_free(l);
    return CLI_OK;
}

int cli_cmd_ws_typing(cli_ctx *c, const cli_args *a)
{
    int rc;
    char *text = cli_read_text(c, 1, false, &rc);
    if (!text)
        return rc;
    if (!cli_ai(c)) {
        free(text);
        return CLI_USAGE;
    }
    net_event *ev = cli_call(c, API_AIASSIST, ai_req_ws_typing(c->ai, a->pos[0], text), &rc);
    free(text);
    if (!ev)
        return rc;
    net_event_free(ev);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ok", json_object_new_boolean(true));
        cli_json_print(c, o);
    }
    return CLI_OK;
}

int cli_cmd_ws_end(cli_ctx *c, const cli_args *a)
{
    int rc;
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev = cli_call(c, API_AIASSIST, ai_req_ws_end(c->ai, a->pos[0]), &rc);
    if (!ev)
        return rc;
    /* The SDK ignores this answer; show the workspace when there is one. */
    ai_workspace *w = NULL;
    if (ev->body_len) {
        char *err = NULL;
        w = ai_decode_ws_get(ev->body, ev->body_len, &err);
        free(err);
    }
    net_event_free(ev);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ok", json_object_new_boolean(true));
        json_object_object_add(o, "workspace", w ? cli_jworkspace(w) : NULL);
        cli_json_print(c, o);
    } else if (w && w->id) {
        cli_print_workspace_line(c, w);
    } else {
        printf("ended %s\n", cli_s1(c, a->pos[0]));
    }
    ai_workspace_free(w);
    return CLI_OK;
}
