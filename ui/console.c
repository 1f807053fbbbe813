/* console.c: the console's main loop: poll, events, timers, frames, and
 * the console's life cycle. */
#include "config.h"
#include "console.h"
#include "ui.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "headless.h"
#include "term.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

/* Frames: what the user types shows at once (input first: a key's echo
 * is never held back for a frame); text arriving from the network is
 * drawn at most 30 times a second, which reads as smooth and halves the
 * cost of a fast stream. While such a frame is pending the network's wake
 * fd is not watched: whatever arrives until the frame is taken in one go
 * just before it, one wake-up for every stream together rather than one
 * per chunk. Events are handled in slices of at most DRAIN_SLICE_US, with
 * keys read between them; a backlog is taken slice after slice, not one
 * slice a frame. */
#define STREAM_FRAME_MS 33
#define DRAIN_SLICE_US 4000

/* After events and keys: the panes catch up with the model. */
static void after_events(ui *u)
{
    conv *f = desk_take_focus(u->desk);
    if (f) {
        ui_select(u, f);
        /* Created here: we are its customer; found by client id: its agent. */
        ui_convui(u, f)->as_agent = !f->mine;
    }
    for (size_t i = 0; i < u->npanes; i++)
        if (u->panes[i]->ops->sync)
            u->panes[i]->ops->sync(u->panes[i], u);
}

/* The soonest of the desk's and the panes' timers, or -1. */
static long next_timer(ui *u, int64_t now)
{
    long best = desk_next_timer_ms(u->desk, now);
    for (size_t i = 0; i < u->npanes; i++) {
        pane *p = u->panes[i];
        long t = p->ops->next_timer_ms ? p->ops->next_timer_ms(p, u, now) : -1;
        if (t >= 0 && (best < 0 || t < best))
            best = t;
    }
    return best;
}

static void tick(ui *u)
{
    desk_tick(u->desk, clock_mono_ms());
    for (size_t i = 0; i < u->npanes; i++)
        if (u->panes[i]->ops->tick)
            u->panes[i]->ops->tick(u->panes[i], u, clock_mono_ms());
}

/* Takes a slice of the network's events, when there may be some. */
static bool drain(ui *u, bool more, int64_t *longest_us)
{
    struct pollfd p = {net_wake_fd(u->net), POLLIN, 0};
    if (!more && poll(&p, 1, 0) <= 0)
        return false;
    int64_t t0 = clock_mono_us();
    more = desk_drain_for(u->desk, DRAIN_SLICE_US);
    after_events(u);
    int64_t took = clock_mono_us() - t0;
    if (took > *longest_us)
        *longest_us = took;
    return more;
}

/* Benchmark hooks (bench/, docs/performance.md): with
 * AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME=1 the console quits right after its
 * first frame; at exit the debug log gets the number of frames drawn, the
 * shortest gap before a frame not caused by a key, and the longest frame
 * and slice of events. */
static int loop(ui *u, headless *hl)
{
    const char *bench_env = getenv("AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME");
    bool bench_exit = bench_env && !strcmp(bench_env, "1");
    int64_t started_ms = clock_mono_ms(), shortest_gap = -1;
    int64_t longest_draw_us = 0, longest_drain_us = 0;
    bool net_more = false; /* a slice of events stopped for its budget */
    struct pollfd fds[3];
    fds[0].fd = term_input_fd();
    fds[0].events = POLLIN;
    fds[1].events = POLLIN;
    fds[2].fd = term_signal_fd();
    fds[2].events = POLLIN;
    while (!u->quit) {
        int64_t now = clock_mono_ms();
        /* The headless console's script goes on once the screen shows
         * what the last keys did. */
        if (hl && !frame_needed(u) && !headless_keys_pending(hl, fds[0].fd)) {
            headless_step(hl, u, now);
            if (u->quit)
                break;
        }
        long timeout = next_timer(u, now);
        if (hl) {
            long h = headless_next_timer_ms(hl, now);
            if (h >= 0 && (timeout < 0 || h < timeout))
                timeout = h;
        }
        bool defer_net = false;
        if (frame_needed(u)) {
            bool keyed = u->dirty;
            long until_frame = keyed ? 0 : STREAM_FRAME_MS - (long)(now - u->last_draw_ms);
            if (until_frame <= 0) {
                if (!keyed) {
                    /* What arrived while the frame waited goes in it. */
                    net_more = drain(u, net_more, &longest_drain_us);
                    if (u->frames && (shortest_gap < 0 || now - u->last_draw_ms < shortest_gap))
                        shortest_gap = now - u->last_draw_ms;
                }
                int64_t t0 = clock_mono_us();
                frame_draw(u);
                int64_t took = clock_mono_us() - t0;
                if (took > longest_draw_us)
                    longest_draw_us = took;
                u->last_draw_ms = clock_mono_ms();
                u->quit = u->quit || bench_exit;
                continue;
            }
            /* A backlog (a slice stopped for its budget) goes on being
             * taken at once, slice by slice, keys read between them. */
            defer_net = !net_more;
            if (timeout < 0 || until_frame < timeout)
                timeout = until_frame;
        }
        if (net_more && !defer_net)
            timeout = 0;
        fds[1].fd = defer_net ? -1 : net_wake_fd(u->net);
        int n = poll(fds, 3, (int)timeout);
        if (n < 0 && errno != EINTR)
            return 1;
        if (n > 0 && (fds[2].revents & POLLIN)) {
            term_signals s = term_take_signals();
            if (s.quit)
                u->quit = true;
            if (s.suspend)
                term_suspend();
            if (s.resize || s.resumed || s.suspend) {
                term_resize();
                clearok(curscr, TRUE);
                u->dirty = true;
            }
        }
        /* Keys first; their frame is drawn before more events are taken. */
        bool keyed = n > 0 && (fds[0].revents & (POLLIN | POLLHUP));
        if (keyed)
            keys_read(u);
        else if (!defer_net && (net_more || (n > 0 && (fds[1].revents & POLLIN))))
            net_more = drain(u, true, &longest_drain_us);
        tick(u);
        after_events(u);
    }
    log_msg("console: %lld frames in %lld ms, shortest gap %lld ms", (long long)u->frames,
            (long long)(clock_mono_ms() - started_ms), (long long)shortest_gap);
    log_msg("console: longest frame %.1f ms, longest slice of events %.1f ms",
            (double)longest_draw_us / 1e3, (double)longest_drain_us / 1e3);
    return 0;
}

/* ------------------------------------------------------------ life cycle */

int console_run(const config_t *cfg, const console_opts *opts)
{
    setlocale(LC_ALL, "");
    net_config nc = {0};
    nc.insecure_tls = cfg->insecure_tls;
    nc.ca_file = cfg->ca_file;
    net_t *net = net_new(&nc);
    if (!net) {
        fprintf(stderr, "aidesk: cannot start the network thread\n");
        return 1;
    }
    char *err = NULL;
    desk_t *desk = desk_new(cfg, net, &err);
    if (!desk) {
        fprintf(stderr, "aidesk: %s\n", err);
        free(err);
        net_free(net);
        return 2;
    }
    char *herr = NULL;
    headless *hl = headless_from_env(&herr);
    if (herr) {
        fprintf(stderr, "aidesk: %s\n", herr);
        free(herr);
        desk_free(desk);
        net_free(net);
        return 2;
    }
    ui u;
    memset(&u, 0, sizeof u);
    u.cfg = cfg;
    u.net = net;
    u.desk = desk;
    u.m = desk_model(desk);
    u.dirty = true;
    char *terr = NULL;
    theme_t *theme = console_initial_theme(cfg, &terr);
    int keys_fd = -1, rows = 0, cols = 0;
    if (hl)
        headless_size(hl, &rows, &cols);
    if ((hl ? term_init_headless(rows, cols, &keys_fd) : term_init()) != 0) {
        headless_free(hl);
        theme_free(theme);
        free(terr);
        desk_free(desk);
        net_free(net);
        return 1;
    }
    if (hl)
        headless_attach(hl, keys_fd);
    ui_apply_theme(&u, theme);
    u.gate = gatectl_new(desk, &u.gate_err);
    ui_panes_new(&u);
    input_init(&u);
    desk_start(desk);
    if (terr) {
        desk_flash(desk, true, "%s; using the built-in theme", terr);
        free(terr);
    } else if (opts && opts->demo_note) {
        desk_flash(desk, false, "%s", opts->demo_note);
    }
    int rc = loop(&u, hl);
    if (hl && headless_status(hl))
        rc = headless_status(hl);
    input_end(&u);
    term_end();
    headless_free(hl);
    ui_panes_free(&u);
    compares_free(&u);
    gatectl_free(u.gate);
    free(u.gate_err);
    desk_free(desk);
    net_free(net);
    theme_free(u.theme);
    return rc;
}
