/* gatectl.c: the AI Gate controller: requests, their answers, the session
 * list and its timers. Copying: gatectl_copy.c; pure helpers:
 * gatectl_calc.c. */
#include "config.h"
#include "gate/gatectl_priv.h"

#include <stdlib.h>
#include <string.h>

#include "util/baseurl.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* -------------------------------------------------- sessions and errors */

gatectl_session *gatectl_session_new(gate_session *s, int64_t received_ms)
{
    gatectl_session *gs = xcalloc(1, sizeof *gs);
    gs->s = s;
    gs->created_ms = s->meta_created_ms > 0 ? s->meta_created_ms : received_ms;
    if (!s->client_secret) {
        gs->no_secret = true;
    } else if (s->client_secret_expires_at > 0) {
        gs->secret_expires_s = s->client_secret_expires_at;
    } else {
        gs->secret_expires_s = received_ms / 1000 + GATECTL_SECRET_TTL_S;
        gs->secret_expiry_guessed = true;
    }
    if (s->expires_at > 0) {
        gs->expires_s = s->expires_at;
    } else {
        gs->expires_s = gs->created_ms / 1000 + GATECTL_SESSION_TTL_S;
        gs->expiry_guessed = true;
    }
    gs->state = gatectl_session_timing(gs, received_ms).state;
    return gs;
}

void gatectl_session_free(gatectl_session *s)
{
    if (!s)
        return;
    gate_session_free(s->s);
    free(s);
}

gatectl_timing gatectl_session_timing(const gatectl_session *s, int64_t now_ms)
{
    gatectl_timing t = gatectl_timing_at(s->secret_expires_s, s->expires_s, now_ms);
    if (s->no_secret) {
        t.secret_left_s = 0;
        if (t.state != GATECTL_SESSION_EXPIRED)
            t.state = GATECTL_NO_SECRET;
    }
    return t;
}

gatectl_error *gatectl_error_new(gatectl_action a, api_error *e, const net_event *ev,
                                 int64_t now_ms)
{
    gatectl_error *ge = xcalloc(1, sizeof *ge);
    ge->action = a;
    ge->e = e;
    ge->message = api_error_message(e);
    ge->at_ms = now_ms;
    if (e->kind == API_ERR_RATE_LIMITED) {
        if (e->retry_after_s >= 0) {
            ge->reset_s = now_ms / 1000 + e->retry_after_s;
        } else if (ev) {
            gate_ratelimit rl = gate_ratelimit_from_event(ev);
            if (rl.present && rl.reset > 0)
                ge->reset_s = rl.reset;
        }
    }
    return ge;
}

void gatectl_error_free(gatectl_error *e)
{
    if (!e)
        return;
    api_error_free(e->e);
    free(e->message);
    free(e);
}

/* ------------------------------------------------------------ lifetime */

static bool on_event(void *ud, net_event *ev);

/* The sessions' states change on the wall clock, whatever the main
 * loop's clock says. */
static long next_timer(void *ud, int64_t now_mono)
{
    (void)now_mono;
    return gatectl_next_timer_ms(ud, clock_wall_ms());
}

static void tick(void *ud, int64_t now_mono)
{
    (void)now_mono;
    gatectl_tick(ud, clock_wall_ms());
}

gatectl_t *gatectl_new(desk_t *desk, char **err)
{
    *err = NULL;
    const config_t *cfg = desk_config(desk);
    if (!cfg->project_id) {
        *err = xstrdup("AI Gate needs a project id: set AI_GATE_PROJECT_ID or project_id / "
                       "project_id_cmd in [gate]");
        return NULL;
    }
    char *why = NULL;
    if (!gate_project_id_check(cfg->project_id, &why)) {
        *err = xasprintf("the AI Gate project id cannot be used: %s", why);
        free(why);
        return NULL;
    }
    gate_client *c = gate_client_new(cfg->gate_url, cfg->project_id);
    if (!c) {
        if (baseurl_check(cfg->gate_url ? cfg->gate_url : GATE_DEFAULT_BASE_URL, true, NULL,
                          &why) != 0) {
            *err = xasprintf("AI Gate base URL: %s", why);
            free(why);
        } else {
            *err = xstrdup("the AI Gate base URL or project id cannot be used");
        }
        return NULL;
    }
    c->timeout_ms = cfg->timeout_ms;
    c->max_retries = cfg->max_retries;
    if (cfg->allow_http)
        c->allow_http = true;
    gatectl_t *g = xcalloc(1, sizeof *g);
    g->desk = desk;
    g->client = c;
    g->osc52 = cfg->osc52;
    g->info.conc_limit = GATECTL_FREE_CONCURRENCY;
    g->tag = desk_add_owner(desk, on_event, g);
    desk_add_timer(desk, next_timer, tick, g);
    return g;
}

void gatectl_free(gatectl_t *g)
{
    if (!g)
        return;
    desk_remove_owner(g->desk, g->tag);
    desk_remove_timers(g->desk, g);
    for (size_t i = 0; i < g->nops; i++)
        net_cancel(desk_net(g->desk), g->ops[i].id);
    free(g->ops);
    for (size_t i = 0; i < g->info.nsessions; i++)
        gatectl_session_free(g->info.sessions[i]);
    free(g->info.sessions);
    gate_ice_list_free(g->info.turn);
    gate_kv_list_free(g->info.health);
    gate_kv_list_free(g->info.metrics);
    gatectl_error_free(g->info.error);
    gate_client_free(g->client);
    free(g);
}

const gatectl_info *gatectl_get(const gatectl_t *g)
{
    return &g->info;
}

size_t gatectl_live_count(const gatectl_t *g, int64_t now_ms)
{
    size_t n = g->info.creating;
    for (size_t i = 0; i < g->info.nsessions; i++)
        n += gatectl_session_timing(g->info.sessions[i], now_ms).state != GATECTL_SESSION_EXPIRED;
    return n;
}

/* ------------------------------------------------------------- actions */

static void submit(gatectl_t *g, net_request *req, gatectl_action a)
{
    g->ops = xgrow(g->ops, &g->capops, g->nops + 1, sizeof *g->ops);
    g->ops[g->nops].action = a;
    req->tag = g->tag;
    g->ops[g->nops].id = net_submit(desk_net(g->desk), req);
    g->nops++;
    g->info.rev++;
}

bool gatectl_create(gatectl_t *g, const gate_session_params *p, char **err)
{
    if (!gate_validate_params(p, err))
        return false;
    int64_t mono = clock_mono_ms();
    char *warn = gatectl_conc_warning(gatectl_live_count(g, clock_wall_ms()), g->info.conc_limit,
                                      g->info.conc_from_server);
    if (warn && !(g->info.confirm_create && mono < g->confirm_until)) {
        g->info.confirm_create = true;
        g->confirm_until = mono + GATECTL_CONFIRM_MS;
        g->info.rev++;
        log_msg("gate: %s", warn);
        *err = warn;
        return false;
    }
    free(warn);
    g->info.confirm_create = false;
    g->info.creating++;
    log_msg("gate: creating a session");
    submit(g, gate_req_session(g->client, p), GATECTL_ACT_CREATE);
    return true;
}

void gatectl_turn(gatectl_t *g)
{
    g->info.turn_pending++;
    submit(g, gate_req_turn(g->client), GATECTL_ACT_TURN);
}

void gatectl_health(gatectl_t *g)
{
    g->info.health_pending += 2;
    submit(g, gate_req_health(g->client), GATECTL_ACT_HEALTH);
    submit(g, gate_req_metrics(g->client), GATECTL_ACT_METRICS);
}

/* ------------------------------------------------------------- answers */

static void set_error(gatectl_t *g, gatectl_action a, api_error *e, const net_event *ev)
{
    gatectl_error_free(g->info.error);
    g->info.error = gatectl_error_new(a, e, ev, clock_wall_ms());
    g->info.rev++;
    log_msg("gate: %s failed: %s", gatectl_action_name(a), g->info.error->message);
    desk_flash(g->desk, true, "%s: %s", gatectl_action_name(a), g->info.error->message);
}

static void clear_error(gatectl_t *g, gatectl_action a)
{
    if (g->info.error && g->info.error->action == a) {
        gatectl_error_free(g->info.error);
        g->info.error = NULL;
        g->info.rev++;
    }
}

static void note_rate(gatectl_t *g, const net_event *ev)
{
    gate_ratelimit rl = gate_ratelimit_from_event(ev);
    if (!rl.present)
        return;
    g->info.rate = gate_ratelimit_merge(g->info.rate, rl);
    g->info.rate_at_ms = clock_wall_ms();
    g->info.rev++;
}

static void session_done(gatectl_t *g, net_event *ev)
{
    char *err = NULL;
    gate_session *s = gate_decode_session(ev->body, ev->body_len, &err);
    if (!s) {
        set_error(g, GATECTL_ACT_CREATE, gate_decode_error(err), ev);
        return;
    }
    int64_t now = clock_wall_ms();
    gatectl_session *gs = gatectl_session_new(s, now);
    g->info.sessions = xgrow(g->info.sessions, &g->capsessions, g->info.nsessions + 1,
                             sizeof *g->info.sessions);
    g->info.sessions[g->info.nsessions++] = gs;
    clear_error(g, GATECTL_ACT_CREATE);
    /* Live beyond the limit: the plan allows more than assumed (or than
     * the server said before): no more warnings until a 429 tells. */
    size_t live = gatectl_live_count(g, now) - g->info.creating;
    if (g->info.conc_limit > 0 && (int64_t)live > g->info.conc_limit) {
        g->info.conc_limit = 0;
        g->info.conc_from_server = false;
    }
    g->info.rev++;
    char *id = sanitize_dup(s->id ? s->id : "", s->id ? strlen(s->id) : 0, 0);
    gatectl_timing t = gatectl_session_timing(gs, now);
    log_msg("gate: session %s created%s", id, gs->no_secret ? " without a client secret" : "");
    if (gs->no_secret)
        desk_flash(g->desk, true, "AI Gate session %s created: " GATECTL_NO_SECRET_TEXT, id);
    else
        desk_flash(g->desk, false, "AI Gate session %s created: the secret expires in %lld s", id,
                  (long long)t.secret_left_s);
    free(id);
}

static void turn_done(gatectl_t *g, net_event *ev)
{
    char *err = NULL;
    gate_ice_list *l = gate_decode_turn(ev->body, ev->body_len, &err);
    if (!l) {
        set_error(g, GATECTL_ACT_TURN, gate_decode_error(err), ev);
        return;
    }
    gate_ice_list_free(g->info.turn);
    g->info.turn = l;
    g->info.turn_at_ms = clock_wall_ms();
    clear_error(g, GATECTL_ACT_TURN);
    g->info.rev++;
    log_msg("gate: %zu ICE servers received", l->n);
}

static void kv_done(gatectl_t *g, gatectl_action a, net_event *ev)
{
    char *err = NULL;
    gate_kv_list *l = gate_decode_kv(ev->body, ev->body_len, &err);
    if (!l) {
        set_error(g, a, gate_decode_error(err), ev);
        return;
    }
    gate_kv_list **slot = a == GATECTL_ACT_HEALTH ? &g->info.health : &g->info.metrics;
    gate_kv_list_free(*slot);
    *slot = l;
    *(a == GATECTL_ACT_HEALTH ? &g->info.health_at_ms : &g->info.metrics_at_ms) = clock_wall_ms();
    clear_error(g, a);
    g->info.rev++;
}

static void finished(gatectl_t *g, gatectl_action a)
{
    switch (a) {
    case GATECTL_ACT_CREATE: g->info.creating--; break;
    case GATECTL_ACT_TURN: g->info.turn_pending--; break;
    case GATECTL_ACT_HEALTH:
    case GATECTL_ACT_METRICS: g->info.health_pending--; break;
    }
    g->info.rev++;
}

static bool on_event(void *ud, net_event *ev)
{
    gatectl_t *g = ud;
    size_t i = 0;
    while (i < g->nops && g->ops[i].id != ev->id)
        i++;
    if (i == g->nops)
        return false;
    gatectl_action a = g->ops[i].action;
    if (ev->kind != NET_EV_DONE && ev->kind != NET_EV_FAILED && ev->kind != NET_EV_CANCELLED) {
        net_event_free(ev); /* a retry to come: the request goes on */
        return true;
    }
    g->ops[i] = g->ops[--g->nops];
    finished(g, a);
    if (ev->status > 0)
        note_rate(g, ev);
    if (ev->kind == NET_EV_CANCELLED) {
        /* only gatectl_free cancels */
    } else if (ev->kind == NET_EV_FAILED) {
        api_error *e = gate_error_from_event(g->client, ev);
        if (a == GATECTL_ACT_CREATE && e->kind == API_ERR_CONCURRENT && e->concurrent_max > 0) {
            g->info.conc_limit = e->concurrent_max;
            g->info.conc_from_server = true;
        }
        set_error(g, a, e, ev);
    } else if (a == GATECTL_ACT_CREATE) {
        session_done(g, ev);
    } else if (a == GATECTL_ACT_TURN) {
        turn_done(g, ev);
    } else {
        kv_done(g, a, ev);
    }
    net_event_free(ev);
    return true;
}

/* -------------------------------------------------------------- timers */

long gatectl_next_timer_ms(const gatectl_t *g, int64_t now_ms)
{
    bool counting = false;
    for (size_t i = 0; i < g->info.nsessions; i++) {
        gatectl_timing t = gatectl_session_timing(g->info.sessions[i], now_ms);
        if (t.state != g->info.sessions[i]->state)
            return 0; /* a state to update at once */
        counting |= t.state != GATECTL_SESSION_EXPIRED;
    }
    if (!counting)
        return -1;
    int64_t r = now_ms % 1000;
    return (long)(r < 0 ? -r : 1000 - r);
}

void gatectl_tick(gatectl_t *g, int64_t now_ms)
{
    for (size_t i = 0; i < g->info.nsessions; i++) {
        gatectl_session *s = g->info.sessions[i];
        gatectl_state st = gatectl_session_timing(s, now_ms).state;
        if (st != s->state) {
            s->state = st;
            g->info.rev++;
        }
    }
    if (g->info.confirm_create && clock_mono_ms() >= g->confirm_until) {
        g->info.confirm_create = false;
        g->info.rev++;
    }
}
