/* soak_console: the console's controller (src/desk/desk.h) without a
 * screen, for the fault soak (test_soak.py). It does what a person at a
 * console does, at a steady pace: sends messages into workspaces, as the
 * customer and as a human agent, and leaves the rest (resending what the
 * server never got, keeping what may have arrived) to the desk, exactly as
 * the console does.
 *
 *   soak_console URL TAG COUNT INTERVAL_MS WS...
 *
 * The key comes from AIASSIST_API_KEY; the data directory from the XDG
 * environment (shared with other consoles and the CLI on purpose). After
 * COUNT messages it keeps running until its standard input closes (the
 * soak's "the server is up for good now"), then waits until nothing is on
 * its way or waiting to go out by itself, prints one line per message
 * ("STATE<TAB>TEXT") and exits 0; 3 when it could not settle in time. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config/settings.h"
#include "desk/desk.h"
#include "util/clock.h"
#include "util/mem.h"

#define SETTLE_MS 60000

static const char *state_name(msg_state s)
{
    switch (s) {
    case MSG_FINAL:
        return "FINAL";
    case MSG_SENDING:
        return "SENDING";
    case MSG_UNSENT:
        return "UNSENT";
    case MSG_UNCERTAIN:
        return "UNCERTAIN";
    default:
        return "OTHER";
    }
}

/* Ours and still moving: on the wire, or waiting to go out by itself. */
static bool unsettled(const model *m, const char *tag)
{
    for (size_t i = 0; i < m->nconvs; i++) {
        const conv *c = m->convs[i];
        for (size_t k = 0; k < c->nmsgs; k++) {
            const msg *mm = c->msgs[k];
            if (!strstr(buf_cstr(&mm->text), tag))
                continue;
            if (mm->state == MSG_SENDING ||
                ((mm->state == MSG_UNSENT || mm->state == MSG_UNCERTAIN) && mm->resend))
                return true;
        }
    }
    return false;
}

static void report(const model *m, const char *tag)
{
    for (size_t i = 0; i < m->nconvs; i++) {
        const conv *c = m->convs[i];
        for (size_t k = 0; k < c->nmsgs; k++) {
            const msg *mm = c->msgs[k];
            if (strstr(buf_cstr(&mm->text), tag))
                printf("%s\t%s\n", state_name(mm->state), buf_cstr(&mm->text));
        }
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: soak_console URL TAG COUNT INTERVAL_MS WS...\n");
        return 2;
    }
    const char *url = argv[1], *tag = argv[2];
    int count = atoi(argv[3]);
    long interval = atol(argv[4]);
    char **wss = argv + 5;
    int nws = argc - 5;
    const char *key = getenv("AIASSIST_API_KEY");
    if (!key) {
        fprintf(stderr, "soak_console: AIASSIST_API_KEY is not set\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    config_t *cfg = config_new_defaults();
    free(cfg->base_url);
    cfg->base_url = xstrdup(url);
    free(cfg->api_key);
    cfg->api_key = xstrdup(key);
    cfg->allow_http = true;
    cfg->timeout_ms = 10000;
    cfg->undo_ms = 0; /* replies go at once: the soak is about the network */
    net_config nc = {0};
    nc.retry_base_ms = 200;
    nc.retry_cap_ms = 1000;
    nc.connect_timeout_ms = 2000;
    net_t *net = net_new(&nc);
    char *err = NULL;
    desk_t *desk = net ? desk_new(cfg, net, &err) : NULL;
    if (!desk) {
        fprintf(stderr, "soak_console: %s\n", err ? err : "cannot start");
        return 2;
    }
    desk_start(desk);
    model *m = desk_model(desk);
    conv **cs = xcalloc((size_t)nws, sizeof *cs);
    for (int i = 0; i < nws; i++) {
        cs[i] = model_find(m, wss[i]);
        if (!cs[i]) {
            ai_workspace w;
            memset(&w, 0, sizeof w);
            w.id = wss[i];
            w.pending_drafts = -1;
            cs[i] = model_upsert_workspace(m, &w, clock_wall_ms());
        }
    }
    int sent = 0;
    bool input_open = true;
    int64_t next_send = clock_mono_ms(), settle_by = 0;
    for (;;) {
        int64_t now = clock_mono_ms();
        if (sent < count && now >= next_send) {
            /* Every third as the agent: a reply, with an idempotency key. */
            conv *c = model_find(m, wss[sent % nws]);
            bool agent = sent % 3 == 2;
            char text[128];
            snprintf(text, sizeof text, "%s %s %d", tag, agent ? "agent" : "customer", sent + 1);
            if (c)
                desk_send(desk, c, text, agent);
            sent++;
            next_send = now + interval;
        }
        if (!input_open && !settle_by)
            settle_by = now + SETTLE_MS;
        if (settle_by && sent >= count && !unsettled(m, tag))
            break;
        if (settle_by && now >= settle_by) {
            report(m, tag);
            fprintf(stderr, "soak_console %s: still unsettled after %d s\n", tag,
                    SETTLE_MS / 1000);
            return 3;
        }
        long wait = desk_next_timer_ms(desk, now);
        long until_send = sent < count ? (long)(next_send - now) : 1000;
        if (wait < 0 || wait > until_send)
            wait = until_send < 0 ? 0 : until_send;
        if (wait > 200)
            wait = 200;
        struct pollfd p[2] = {{net_wake_fd(net), POLLIN, 0}, {0, POLLIN, 0}};
        int np = input_open ? 2 : 1;
        poll(p, (nfds_t)np, (int)wait);
        if (input_open && (p[1].revents & (POLLIN | POLLHUP))) {
            char b[64];
            if (read(0, b, sizeof b) <= 0)
                input_open = false;
        }
        desk_drain(desk);
        desk_tick(desk, clock_mono_ms());
    }
    report(m, tag);
    free(cs);
    desk_free(desk);
    net_free(net);
    config_free(cfg);
    curl_global_cleanup();
    return 0;
}
