/* deskh.c: the controller without a screen, for integration tests
 * (deskh.h). */
#include "config.h"
#include "deskh.h"

#include <dirent.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "nettest.h"
#include "test.h"
#include "util/mem.h"

static net_t *dnet; /* the customer's network thread */

int deskh_open(void)
{
    dnet = net_new(NULL);
    return dnet ? 0 : -1;
}

void deskh_close(void)
{
    net_free(dnet);
    dnet = NULL;
}

void h_init_retries(harness *h, const char *base_url, const char *key, int undo_ms,
                    int max_retries)
{
    memset(h, 0, sizeof *h);
    h->cfg = config_new_defaults();
    free(h->cfg->base_url);
    h->cfg->base_url = xstrdup(base_url);
    free(h->cfg->api_key);
    h->cfg->api_key = xstrdup(key);
    h->cfg->allow_http = true;
    h->cfg->timeout_ms = 10000;
    h->cfg->max_retries = max_retries;
    h->cfg->undo_ms = undo_ms;
    net_config nc = {0};
    nc.retry_base_ms = 50;
    nc.retry_cap_ms = 300;
    nc.connect_timeout_ms = 2000;
    h->net = net_new(&nc);
    assert_non_null(h->net);
    char *err = NULL;
    h->desk = desk_new(h->cfg, h->net, &err);
    if (!h->desk)
        fail_msg("desk_new: %s", err);
}

void h_init(harness *h, const char *base_url, const char *key, int undo_ms)
{
    h_init_retries(h, base_url, key, undo_ms, 2);
}

void h_free(harness *h)
{
    desk_free(h->desk);
    net_free(h->net);
    config_free(h->cfg);
    memset(h, 0, sizeof *h);
}

void pump(harness *h, long max_ms)
{
    long t = desk_next_timer_ms(h->desk, clock_mono_ms());
    if (t < 0 || t > max_ms)
        t = max_ms;
    struct pollfd p = {net_wake_fd(h->net), POLLIN, 0};
    poll(&p, 1, (int)t);
    desk_drain(h->desk);
    desk_tick(h->desk, clock_mono_ms());
}

void pump_for(harness *h, long ms)
{
    int64_t until = clock_mono_ms() + ms;
    while (clock_mono_ms() < until)
        pump(h, (long)(until - clock_mono_ms()));
}

void h_start(harness *h)
{
    desk_start(h->desk);
    WAIT_FOR(h, 10000, desk_get_status(h->desk)->live != DESK_LIVE_CONNECTING);
}

conv *h_create(harness *h, const char *mode, const char *initial)
{
    desk_ws_params p = {0};
    p.mode = mode;
    p.initial_message = initial;
    char *err = NULL;
    assert_true(desk_create_workspace(h->desk, &p, &err));
    conv *c = NULL;
    WAIT_FOR(h, 10000, (c = desk_take_focus(h->desk)) != NULL);
    desk_open(h->desk, c);
    return c;
}

void assert_flash_matches(harness *h, const char *re)
{
    const char *flash = desk_get_status(h->desk)->flash;
    regex_t rx;
    assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
    bool ok = flash && regexec(&rx, flash, 0, NULL, 0) == 0;
    regfree(&rx);
    if (!ok)
        fail_msg("the status line says \"%s\", not /%s/", flash ? flash : "(nothing)", re);
}

size_t count_msgs(const conv *c, ai_role role, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nmsgs; i++)
        n += c->msgs[i]->role == role && (!text || !strcmp(buf_cstr(&c->msgs[i]->text), text));
    return n;
}

msg *find_msg(const conv *c, ai_role role, const char *text)
{
    for (size_t i = 0; i < c->nmsgs; i++)
        if (c->msgs[i]->role == role && !strcmp(buf_cstr(&c->msgs[i]->text), text))
            return c->msgs[i];
    return NULL;
}

const draft *draft_for(const model *m, const char *ws_id)
{
    for (size_t i = 0; i < m->ndrafts; i++)
        if (!strcmp(m->drafts[i]->ws_id, ws_id))
            return m->drafts[i];
    return NULL;
}

const draft *draft_of(const model *m, const char *ws_id)
{
    const draft *d = draft_for(m, ws_id);
    if (!d) {
        fail_msg("no pending draft for %s", ws_id);
        abort(); /* not reached: tells the compiler d is set below */
    }
    return d;
}

size_t unsent_count(void)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/aidesk/unsent", getenv("XDG_DATA_HOME"));
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

ai_client *client_for(const simproc *s, const char *key)
{
    ai_client *c = ai_client_new(s->base_url, key);
    assert_non_null(c);
    c->allow_http = true;
    return c;
}

net_event *direct(net_request *r)
{
    assert_non_null(r);
    uint64_t id = net_submit(dnet, r);
    nt_result res;
    nt_collect(dnet, id, 20000, &res);
    assert_non_null(res.last);
    net_event *last = res.last;
    res.events[res.n - 1] = NULL;
    res.n--;
    nt_result_free(&res);
    return last;
}

void direct_ok(net_request *r)
{
    net_event *ev = direct(r);
    if (ev->kind != NET_EV_DONE)
        fail_msg("customer call failed: %ld %s %s", ev->status, ev->message ? ev->message : "",
                 ev->body ? ev->body : "");
    net_event_free(ev);
}

char *cust_create(const simproc *s, const char *mode, const char *initial)
{
    ai_client *cl = client_for(s, USER_KEY);
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "mode", json_object_new_string(mode));
    ai_ws_create_params p = {.initial_message = initial, .metadata = meta};
    net_event *ev = direct(ai_req_ws_create(cl, &p));
    json_object_put(meta);
    assert_int_equal(ev->kind, NET_EV_DONE);
    char *err = NULL;
    ai_create_result *r = ai_decode_ws_create(ev->body, ev->body_len, &err);
    assert_non_null(r);
    char *id = xstrdup(r->workspace.id);
    ai_create_result_free(r);
    net_event_free(ev);
    ai_client_free(cl);
    return id;
}

void cust_send(const simproc *s, const char *ws, const char *text)
{
    ai_client *cl = client_for(s, USER_KEY);
    direct_ok(ai_req_ws_send(cl, ws, text));
    ai_client_free(cl);
}

void cust_typing(const simproc *s, const char *ws, const char *text)
{
    ai_client *cl = client_for(s, USER_KEY);
    direct_ok(ai_req_ws_typing(cl, ws, text));
    ai_client_free(cl);
}

ai_message_list *history(const simproc *s, const char *ws)
{
    ai_client *cl = client_for(s, USER_KEY);
    net_event *ev = direct(ai_req_ws_history(cl, ws));
    assert_int_equal(ev->kind, NET_EV_DONE);
    char *err = NULL;
    ai_message_list *l = ai_decode_ws_history(ev->body, ev->body_len, &err);
    assert_non_null(l);
    net_event_free(ev);
    ai_client_free(cl);
    return l;
}

size_t history_count(const simproc *s, const char *ws, const char *text)
{
    ai_message_list *l = history(s, ws);
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += !text || !strcmp(l->items[i].content, text);
    ai_message_list_free(l);
    return n;
}

long stat_count(const simproc *s, const char *path)
{
    char *body = xcalloc(1, 65536);
    assert_int_equal(simproc_admin(s, "GET", "/_sim/stats", NULL, body, 65536), 200);
    json_object *o = json_tokener_parse(body);
    free(body);
    assert_non_null(o);
    json_object *reqs = NULL, *n = NULL;
    long count = 0;
    if (json_object_object_get_ex(o, "requests", &reqs) &&
        json_object_object_get_ex(reqs, path, &n))
        count = (long)json_object_get_int64(n);
    json_object_put(o);
    return count;
}

void decide_elsewhere(const simproc *s, const char *draft_id, const char *action,
                      const char *reason)
{
    char path[200], body[300];
    snprintf(path, sizeof path, "/_sim/drafts/%s/decide", draft_id);
    if (reason)
        snprintf(body, sizeof body, "{\"action\":\"%s\",\"reason\":\"%s\"}", action, reason);
    else
        snprintf(body, sizeof body, "{\"action\":\"%s\"}", action);
    assert_int_equal(simproc_admin(s, "POST", path, body, NULL, 0), 200);
}
