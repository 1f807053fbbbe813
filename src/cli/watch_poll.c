/* watch_poll.c: "ws watch --workspace ID" on a server without the manager
 * API (docs/protocol.md 4.2): poll the history and diff by message id. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/watch.h"
#include "util/clock.h"
#include "util/mem.h"

#define POLL_INTERVAL_MS 2000

/* The message ids seen so far, sorted for a binary search. */
typedef struct idset {
    char **ids;
    size_t n, cap;
} idset;

/* Adds id; false when it was there already. */
static bool idset_add(idset *s, const char *id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = strcmp(s->ids[mid], id);
        if (r == 0)
            return false;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    s->ids = xgrow(s->ids, &s->cap, s->n + 1, sizeof *s->ids);
    memmove(s->ids + lo + 1, s->ids + lo, (s->n - lo) * sizeof *s->ids);
    s->ids[lo] = xstrdup(id);
    s->n++;
    return true;
}

static void idset_free(idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ids[i]);
    free(s->ids);
}

static bool print_new(cli_ctx *c, const char *ws, const ai_message *m)
{
    buf_t text = BUF_INIT, line = BUF_INIT;
    json_object *data = NULL;
    if (c->json) {
        data = json_object_new_object();
        json_object_object_add(data, "workspace_id", cli_jstr(ws));
        json_object_object_add(data, "message", cli_jmessage(m));
    } else {
        buf_printf(&text, "%s: %s", ai_role_name(m->role), cli_short(c, m->content, 100));
    }
    cli_watch_line(c, "message.created", NULL, ws, data, buf_cstr(&text), &line);
    bool ok = cli_out(line.data ? line.data : "", line.len);
    buf_free(&text);
    buf_free(&line);
    cli_pool_clear(c);
    return ok;
}

/* One poll. Returns -1 to go on, or an exit status to stop with. */
static int poll_once(cli_ctx *c, const char *ws, idset *seen, bool first)
{
    net_event *ev = cli_request(c, API_AIASSIST, ai_req_ws_history(c->ai, ws), NULL, NULL);
    if (ev->kind == NET_EV_CANCELLED) {
        net_event_free(ev);
        return CLI_OK;
    }
    if (ev->kind != NET_EV_DONE) {
        api_error *e = cli_event_error(c, API_AIASSIST, ev);
        net_event_free(ev);
        if (!api_error_is_transient(e))
            return cli_fail(c, e);
        char *msg = api_error_message(e);
        cli_note(c, "poll failed: %s; trying again in %d s", msg, POLL_INTERVAL_MS / 1000);
        free(msg);
        api_error_free(e);
        return -1;
    }
    char *err = NULL;
    ai_message_list *l = ai_decode_ws_history(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!l)
        return cli_fail(c, ai_decode_error(err));
    int rc = -1;
    for (size_t i = 0; i < l->n && rc < 0; i++) {
        const ai_message *m = &l->items[i];
        if (m->id && idset_add(seen, m->id) && !first && !print_new(c, ws, m))
            rc = CLI_ERR;
    }
    ai_message_list_free(l);
    return rc;
}

int cli_watch_poll(cli_ctx *c, const char *ws)
{
    cli_note(c, "this server has no manager API: polling the history of %s every %d s "
                "(new messages only)",
             ws, POLL_INTERVAL_MS / 1000);
    idset seen = {NULL, 0, 0};
    int rc = -1;
    for (bool first = true; rc < 0; first = false) {
        rc = poll_once(c, ws, &seen, first);
        cli_tell_repairs(c);
        int64_t due = clock_mono_ms() + POLL_INTERVAL_MS;
        while (rc < 0) {
            int64_t left = due - clock_mono_ms();
            if (left <= 0)
                break;
            cli_wake w = cli_wait(c, (long)left);
            if (w == CLI_WAKE_SIGNAL) {
                rc = CLI_OK;
            } else if (w == CLI_WAKE_NET) {
                net_event *stray; /* nothing else runs: drain to clear the wake fd */
                while ((stray = net_next_event(c->net)) != NULL)
                    net_event_free(stray);
            }
        }
    }
    idset_free(&seen);
    return rc;
}
