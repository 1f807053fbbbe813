/* gate.c: "gate session", "gate turn", "gate health". The client secret
 * and TURN credentials are hidden unless --show-secrets (or --json, which
 * is for machines and prints the whole answer). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_priv.h"
#include "util/jsonu.h"

#define HIDDEN "[hidden: --show-secrets shows it]"

static void print_ice(cli_ctx *c, const gate_ice_list *l, bool show)
{
    for (size_t i = 0; i < l->n; i++) {
        const gate_ice_server *s = &l->items[i];
        printf("  ");
        for (size_t u = 0; u < s->nurls; u++)
            printf("%s%s", u ? " " : "", cli_s1(c, s->urls[u]));
        if (s->username)
            printf("  username %s", show ? cli_s1(c, s->username) : "[hidden]");
        if (s->credential)
            printf("  credential %s", show ? cli_s1(c, s->credential) : "[hidden]");
        putchar('\n');
    }
}

/* The answer as sent, but for its ICE servers, which are written in the
 * one form the console copies too (gate_ice_json). */
static json_object *session_json(const gate_session *s)
{
    json_object *o = cli_jraw(s->raw_json), *tc, *ice;
    if (o && json_object_object_get_ex(o, "turn_credentials", &tc) &&
        json_object_is_type(tc, json_type_object) &&
        json_object_object_get_ex(tc, "iceServers", &ice) &&
        json_object_is_type(ice, json_type_array))
        json_object_object_add(tc, "iceServers", gate_ice_json(&s->ice));
    return o;
}

static json_object *ratelimit_json(const gate_ratelimit *rl)
{
    if (!rl->present)
        return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "limit", json_object_new_int64(rl->limit));
    json_object_object_add(o, "remaining", json_object_new_int64(rl->remaining));
    json_object_object_add(o, "reset", rl->reset ? json_object_new_int64(rl->reset) : NULL);
    return o;
}

static void print_session(cli_ctx *c, const gate_session *s, const gate_ratelimit *rl, bool show)
{
    char t[80];
    printf("%-14s %s\n", "session", cli_s1(c, s->id));
    printf("%-14s %s\n", "model", cli_s1(c, s->model));
    printf("%-14s %s\n", "voice", cli_s1(c, s->voice));
    if (s->has_temperature)
        printf("%-14s %.2g\n", "temperature", s->temperature);
    printf("%-14s %s\n", "expires", cli_expiry(s->expires_at, t, sizeof t));
    if (!s->client_secret) {
        /* Optional in the SDKs' types: the session exists and counts
         * against the quota all the same. */
        printf("%-14s %s\n", "client secret", GATE_NO_SECRET_TEXT);
    } else {
        printf("%-14s %s\n", "client secret", show ? cli_s1(c, s->client_secret) : HIDDEN);
        printf("%-14s %s\n", "secret expires", cli_expiry(s->client_secret_expires_at, t, sizeof t));
    }
    printf("ice servers:\n");
    print_ice(c, &s->ice, show);
    if (rl->present) {
        printf("%-14s %lld of %lld requests left", "rate limit", (long long)rl->remaining,
               (long long)rl->limit);
        if (rl->reset)
            printf("; resets %s", cli_expiry(rl->reset, t, sizeof t));
        putchar('\n');
    }
}

int cli_cmd_gate_session(cli_ctx *c, const cli_args *a)
{
    gate_session_params p;
    gate_session_params_init(&p);
    const char *v;
    if ((v = cli_opt(a, "voice")))
        p.voice = v;
    if ((v = cli_opt(a, "model")))
        p.model = v;
    if ((v = cli_opt(a, "instructions")))
        p.instructions = v;
    if ((v = cli_opt(a, "temperature")) && !cli_parse_double(c, "--temperature", v, &p.temperature))
        return CLI_USAGE;
    char *err = NULL;
    if (!gate_validate_params(&p, &err)) {
        int rc = cli_usage(c, "%s", err);
        free(err);
        return rc;
    }
    if (!cli_gate(c))
        return CLI_USAGE;
    int rc;
    net_event *ev = cli_call(c, API_GATE, gate_req_session(c->gate, &p), &rc);
    if (!ev)
        return rc;
    gate_ratelimit rl = gate_ratelimit_from_event(ev);
    gate_session *s = gate_decode_session(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!s)
        return cli_fail(c, gate_decode_error(err));
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "session", session_json(s));
        json_object_object_add(o, "rate_limit", ratelimit_json(&rl));
        cli_json_print(c, o);
    } else {
        print_session(c, s, &rl, cli_flag(a, "show-secrets"));
    }
    gate_session_free(s);
    return CLI_OK;
}

int cli_cmd_gate_turn(cli_ctx *c, const cli_args *a)
{
    if (!cli_gate(c))
        return CLI_USAGE;
    int rc;
    net_event *ev = cli_call(c, API_GATE, gate_req_turn(c->gate), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    gate_ice_list *l = gate_decode_turn(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!l)
        return cli_fail(c, gate_decode_error(err));
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "iceServers", gate_ice_json(l));
        cli_json_print(c, o);
    } else {
        print_ice(c, l, cli_flag(a, "show-secrets"));
    }
    gate_ice_list_free(l);
    return CLI_OK;
}

/* A /health or /metrics answer: the JSON as sent when it is an object,
 * else its key/value pairs as strings. */
static json_object *kv_json(const net_event *ev, const gate_kv_list *l)
{
    char *err = NULL;
    json_object *o = jsonu_parse(ev->body, ev->body_len, &err);
    free(err);
    if (o && json_object_is_type(o, json_type_object))
        return o;
    json_object_put(o);
    o = json_object_new_object();
    for (size_t i = 0; i < l->n; i++)
        json_object_object_add(o, l->items[i].key, cli_jstr(l->items[i].value));
    return o;
}

/* Fetches and shows one of them; returns an exit status. */
static int show_kv(cli_ctx *c, net_request *req, const char *title, json_object *doc)
{
    int rc;
    net_event *ev = cli_call(c, API_GATE, req, &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    gate_kv_list *l = gate_decode_kv(ev->body, ev->body_len, &err);
    if (!l) {
        net_event_free(ev);
        return cli_fail(c, gate_decode_error(err));
    }
    if (c->json) {
        json_object_object_add(doc, title, kv_json(ev, l));
    } else {
        printf("%s:\n", title);
        for (size_t i = 0; i < l->n; i++)
            printf("  %-24s %s\n", cli_s1(c, l->items[i].key), cli_s1(c, l->items[i].value));
    }
    gate_kv_list_free(l);
    net_event_free(ev);
    return CLI_OK;
}

int cli_cmd_gate_health(cli_ctx *c, const cli_args *a)
{
    (void)a;
    if (!cli_gate(c))
        return CLI_USAGE;
    json_object *doc = json_object_new_object();
    int rc = show_kv(c, gate_req_health(c->gate), "health", doc);
    if (rc == CLI_OK && !c->signal) {
        /* Metrics are extra: without them the health still stands. */
        if (show_kv(c, gate_req_metrics(c->gate), "metrics", doc) != CLI_OK) {
            cli_note(c, "(metrics unavailable)");
            json_object_object_add(doc, "metrics", NULL);
        }
    }
    if (rc == CLI_OK && c->json)
        cli_json_print(c, json_object_get(doc));
    json_object_put(doc);
    return rc;
}
