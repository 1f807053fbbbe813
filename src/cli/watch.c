/* watch.c: "ws watch": the manager's live events, one line each, until
 * SIGINT or SIGTERM (exit status 0).
 *
 * The network thread runs the event stream as an EventSource: after a drop
 * it reconnects with Last-Event-ID and the server replays what was missed.
 * Ids are still tracked here, so an event the server sends twice is printed
 * once. A server without the manager API (404) is watched by polling one
 * workspace's history (watch_poll.c). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist_events.h"
#include "cli/cli_priv.h"
#include "cli/watch.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/mem.h"

typedef struct watcher {
    cli_ctx *c;
    bool deltas;      /* print message.delta too */
    bool have_last;
    long long last;   /* id of the last event printed */
    int opens;        /* connections made (more than one: reconnected) */
    bool out_broken;
} watcher;

/* The event's id as a number, or -1 when it is not one. */
static long long numeric_id(const char *id)
{
    if (!id || !*id || strlen(id) > 18)
        return -1;
    for (const char *p = id; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    return strtoll(id, NULL, 10);
}

/* What the line says after the time, type and workspace. */
static void summary(cli_ctx *c, const ai_event *e, buf_t *b)
{
    switch (e->type) {
    case AI_EV_WORKSPACE_CREATED:
        if (e->workspace)
            buf_printf(b, "mode %s, client %s", ai_mode_name(e->workspace->mode),
                       e->workspace->client_id ? cli_short(c, e->workspace->client_id, 40) : "-");
        break;
    case AI_EV_WORKSPACE_ENDED: buf_append_str(b, "ended"); break;
    case AI_EV_MESSAGE_CREATED:
        if (e->message)
            buf_printf(b, "%s: %s", ai_role_name(e->message->role),
                       cli_short(c, e->message->content, 100));
        break;
    case AI_EV_MESSAGE_DELTA:
        buf_printf(b, "%s +%s", cli_s1(c, e->message_id), cli_short(c, e->delta, 100));
        break;
    case AI_EV_DRAFT_PENDING:
    case AI_EV_DRAFT_APPROVED:
        if (e->draft)
            buf_printf(b, "%s: %s", cli_s1(c, e->draft->id), cli_short(c, e->draft->content, 100));
        break;
    case AI_EV_DRAFT_REJECTED:
        if (e->draft)
            buf_printf(b, "%s: %s", cli_s1(c, e->draft->id),
                       e->reason ? cli_short(c, e->reason, 100) : "rejected");
        break;
    case AI_EV_TYPING:
        buf_printf(b, "%s: %s", e->who_raw ? cli_short(c, e->who_raw, 20) : "?",
                   cli_short(c, e->text, 100));
        break;
    case AI_EV_MODE_CHANGED:
        buf_printf(b, "%s -> %s", ai_mode_name(e->previous), ai_mode_name(e->mode));
        break;
    case AI_EV_RESET:
        buf_printf(b, "%s", e->reason ? cli_short(c, e->reason, 100) : "the server was reset");
        break;
    case AI_EV_UNKNOWN: break;
    }
}

void cli_watch_line(cli_ctx *c, const char *type, const char *sse_id, const char *workspace_id,
                    json_object *data, const char *text, buf_t *out)
{
    if (c->json) {
        json_object *o = json_object_new_object();
        long long n = numeric_id(sse_id);
        json_object_object_add(o, "id", n >= 0 ? json_object_new_int64(n) : cli_jstr(sse_id));
        json_object_object_add(o, "type", cli_jstr(type));
        json_object_object_add(o, "workspace_id", cli_jstr(workspace_id));
        json_object_object_add(o, "t", json_object_new_int64(clock_wall_ms()));
        json_object_object_add(o, "data", data);
        cli_json_print(c, o);
        return;
    }
    json_object_put(data);
    char t[40];
    buf_printf(out, "%s  %-17s %-22s %s\n", cli_time(clock_wall_ms(), false, t, sizeof t),
               cli_short(c, type, 40), workspace_id ? cli_s1(c, workspace_id) : "-", text);
}

static void print_event(watcher *w, const ai_event *e, const net_sse *ev)
{
    cli_ctx *c = w->c;
    buf_t text = BUF_INIT, line = BUF_INIT;
    json_object *data = NULL;
    if (c->json) {
        char *err = NULL;
        data = jsonu_parse(ev->data, ev->data_len, &err);
        free(err);
    } else {
        summary(c, e, &text);
    }
    cli_watch_line(c, e->type_raw ? e->type_raw : ai_event_type_name(e->type), ev->id,
                   e->workspace_id, data, buf_cstr(&text), &line);
    if (line.len && !cli_out(line.data, line.len))
        w->out_broken = true;
    if (ferror(stdout))
        w->out_broken = true;
    buf_free(&text);
    buf_free(&line);
    cli_pool_clear(c);
}

/* One server-sent event; false when the output failed. */
static bool on_sse(watcher *w, const net_sse *ev)
{
    cli_ctx *c = w->c;
    char *err = NULL;
    ai_event *e = ai_event_decode(ev->type, ev->data, ev->data_len, ev->id, &err);
    if (!e) {
        cli_note(c, "skipped a malformed %s event: %s", ev->type, err);
        free(err);
        return true;
    }
    long long id = numeric_id(ev->id);
    bool show = true;
    if (e->type == AI_EV_RESET) {
        /* Ids may start again (a cleared server): continue from its newest. */
        long long to = numeric_id(e->last_event_id);
        w->have_last = (to >= 0 || id >= 0);
        w->last = to >= 0 ? to : id;
        cli_note(c, "the server reset the event stream (%s): events may have been missed; "
                    "'aidesk ws list' shows the current state",
                 e->reason ? e->reason : "no reason given");
    } else if (id >= 0) {
        if (w->have_last && id <= w->last) {
            show = false; /* seen already */
        } else {
            w->have_last = true;
            w->last = id;
        }
    }
    if (e->type == AI_EV_MESSAGE_DELTA && !w->deltas)
        show = false;
    if (show)
        print_event(w, e, ev);
    ai_event_free(e);
    cli_tell_repairs(c); /* now, not when the watch ends */
    return !w->out_broken;
}

static bool on_event(void *ud, const net_event *ev)
{
    watcher *w = ud;
    if (ev->kind == NET_EV_OPEN) {
        if (++w->opens > 1)
            cli_note(w->c, "reconnected; resuming after event %lld", w->have_last ? w->last : 0);
        return true;
    }
    for (size_t i = 0; i < ev->nsse; i++)
        if (!on_sse(w, &ev->sse[i]))
            return false;
    return true;
}

int cli_cmd_ws_watch(cli_ctx *c, const cli_args *a)
{
    const char *ws = cli_opt(a, "workspace");
    const char *since = cli_opt(a, "since");
    watcher w;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.deltas = cli_flag(a, "deltas");
    if (since) {
        w.last = numeric_id(since);
        if (w.last < 0)
            return cli_usage(c, "--since: not an event id (a whole number): '%s'", since);
        w.have_last = true;
    }
    if (ws && !*ws)
        return cli_usage(c, "--workspace: empty");
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev =
        cli_request(c, API_AIASSIST, ai_req_mgr_events(c->ai, since, ws), on_event, &w);
    int rc = CLI_OK;
    if (w.out_broken) {
        rc = CLI_ERR;
    } else if (ev->kind == NET_EV_FAILED) {
        api_error *e = cli_event_error(c, API_AIASSIST, ev);
        if (e->kind == API_ERR_NOT_FOUND && w.opens == 0) {
            api_error_free(e);
            if (ws) {
                rc = cli_watch_poll(c, ws);
            } else {
                cli_error("this server has no manager API (no event stream at "
                          "/api/manager/events); 'aidesk ws watch --workspace ID' polls one "
                          "workspace instead");
                rc = CLI_ERR;
            }
        } else {
            rc = cli_fail(c, e);
        }
    }
    /* CANCELLED: SIGINT or SIGTERM, the normal way to stop watching. */
    net_event_free(ev);
    return rc;
}
