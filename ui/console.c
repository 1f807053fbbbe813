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

/* Frames: what the user does shows within a 60 Hz frame; text arriving
 * from the network is drawn at most 30 times a second, which reads as
 * smooth and halves the cost of a fast stream. */
#define FRAME_MS 16
#define STREAM_FRAME_MS 33

/* ---------------------------------------------------------------- frame */

static void relayout(ui *u)
{
    layout_opts o = {0};
    o.drafts_open = u->focus == FOCUS_DRAFTS || (u->m->ndrafts > 0 && u->cols >= 100 && u->rows >= 30);
    o.ndrafts = (int)u->m->ndrafts;
    o.typing = u->cur && (u->cur->typing || u->cur->agent_typing);
    o.input_lines = input_lines(u);
    getmaxyx(stdscr, u->rows, u->cols);
    layout_compute(u->rows, u->cols, &o, &u->lay);
}

static void draw_main(ui *u)
{
    if (u->gate_view)
        gatepane_draw(u);
    else if (u->cur_cmp)
        comparepane_draw(u);
    else
        convpane_draw(u);
}

static void blank_rect(ui *u, rect r)
{
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, ui_style(u, THEME_DEFAULT));
}

/* One frame. Most frames come from text streaming into one pane: then only
 * that pane (and the status bar, if it changed) is drawn again, so the
 * cost of a frame is the pane's, not the screen's. Anything else (a key,
 * a new message, a resize, an overlay) redraws everything. */
static void draw(ui *u)
{
    layout old = u->lay;
    relayout(u);
    const app_status *st = app_get_status(u->app);
    bool full = u->dirty || memcmp(&old, &u->lay, sizeof old) != 0 || u->m->rev != u->seen_model_rev ||
                u->cur != u->seen_conv || (u->cur && u->cur->rev != u->seen_conv_rev) ||
                u->focus == FOCUS_HELP || u->focus == FOCUS_PICKER;
    if (full) {
        erase();
        u->erase_epoch++;
        sidebar_draw(u);
        title_draw(u);
        draw_main(u);
        typing_draw(u);
        drafts_draw(u);
        status_draw(u);
        if (u->focus == FOCUS_HELP)
            help_draw(u);
        if (u->focus == FOCUS_PICKER)
            picker_draw(u);
    } else {
        bool cmp_moved = compare_signature(u) != u->seen_cmp_sig;
        if (cmp_moved)
            sidebar_draw(u); /* a comparison's "running" mark */
        if (cmp_moved || convpane_signature(u) != u->seen_sig ||
            (u->gate && gatectl_get(u->gate)->rev != u->seen_gate_rev)) {
            /* The conversation pane skips its unchanged rows by itself. */
            if (u->gate_view || u->cur_cmp)
                blank_rect(u, u->lay.conv);
            draw_main(u);
        }
        if (st->rev != u->seen_status_rev)
            status_draw(u);
    }
    input_draw(u); /* always: it puts the cursor back in the input line */
    if (u->focus != FOCUS_INPUT)
        curs_set(0);
    else
        curs_set(1);
    wnoutrefresh(stdscr);
    doupdate();
    u->frames++;
}

/* Whether anything on screen is out of date. */
static bool needs_draw(ui *u)
{
    if (u->dirty)
        return true;
    const app_status *st = app_get_status(u->app);
    if (st->rev != u->seen_status_rev || u->m->rev != u->seen_model_rev)
        return true;
    if (u->gate && gatectl_get(u->gate)->rev != u->seen_gate_rev)
        return true;
    if (compare_signature(u) != u->seen_cmp_sig)
        return true;
    if (u->cur != u->seen_conv || (u->cur && u->cur->rev != u->seen_conv_rev))
        return true;
    return convpane_signature(u) != u->seen_sig;
}

static void mark_seen(ui *u)
{
    const app_status *st = app_get_status(u->app);
    u->seen_status_rev = st->rev;
    u->seen_model_rev = u->m->rev;
    u->seen_conv = u->cur;
    u->seen_conv_rev = u->cur ? u->cur->rev : 0;
    u->seen_sig = convpane_signature(u);
    u->seen_cmp_sig = compare_signature(u);
    u->dirty = false;
}

static void after_events(ui *u)
{
    if (u->m->rev != u->seen_model_rev)
        ui_rebuild_sorted(u);
    conv *f = app_take_focus(u->app);
    if (f) {
        ui_select(u, f);
        /* Created here: we are its customer; found by client id: its agent. */
        ui_convui(u, f)->as_agent = !f->mine;
    }
    if (u->m->new_drafts) {
        /* A draft waits: ring once (terminals turn the bell into urgency). */
        beep();
        u->m->new_drafts = 0;
    }
    console_drafts_watch(u);
}

/* Benchmark hooks (bench/, docs/performance.md): with
 * AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME=1 the console quits right after its
 * first frame; at exit the debug log gets the number of frames drawn. */
static int loop(ui *u, headless *hl)
{
    const char *bench_env = getenv("AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME");
    bool bench_exit = bench_env && !strcmp(bench_env, "1");
    int64_t started_ms = clock_mono_ms(), shortest_gap = -1;
    struct pollfd fds[3];
    fds[0].fd = term_input_fd();
    fds[0].events = POLLIN;
    fds[1].fd = net_wake_fd(u->net);
    fds[1].events = POLLIN;
    fds[2].fd = term_signal_fd();
    fds[2].events = POLLIN;
    while (!u->quit) {
        int64_t now = clock_mono_ms();
        /* The headless console's script goes on once the screen shows
         * what the last keys did. */
        if (hl && !needs_draw(u) && !headless_keys_pending(hl, fds[0].fd)) {
            headless_step(hl, u, now);
            if (u->quit)
                break;
        }
        long timeout = app_next_timer_ms(u->app, now);
        if (hl) {
            long h = headless_next_timer_ms(hl, now);
            if (h >= 0 && (timeout < 0 || h < timeout))
                timeout = h;
        }
        long ct = compares_next_timer_ms(u, now);
        if (ct >= 0 && (timeout < 0 || ct < timeout))
            timeout = ct;
        if (u->gate) {
            /* The Gate pane's countdowns run on the wall clock. */
            long g = gatectl_next_timer_ms(u->gate, clock_wall_ms());
            if (g >= 0 && (timeout < 0 || g < timeout))
                timeout = g;
        }
        if (needs_draw(u)) {
            long frame = u->dirty ? FRAME_MS : STREAM_FRAME_MS;
            long until_frame = frame - (long)(now - u->last_draw_ms);
            if (until_frame <= 0) {
                if (u->frames && (shortest_gap < 0 || now - u->last_draw_ms < shortest_gap))
                    shortest_gap = now - u->last_draw_ms;
                draw(u);
                mark_seen(u);
                u->last_draw_ms = now;
                u->quit = u->quit || bench_exit;
                continue;
            }
            if (timeout < 0 || until_frame < timeout)
                timeout = until_frame;
        }
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
        if (n > 0 && (fds[1].revents & POLLIN)) {
            app_drain(u->app);
            after_events(u);
        }
        if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP)))
            keys_read(u);
        app_tick(u->app, clock_mono_ms());
        compares_tick(u, clock_mono_ms());
        if (u->gate)
            gatectl_tick(u->gate, clock_wall_ms());
        after_events(u);
    }
    log_msg("console: %lld frames in %lld ms, shortest gap %lld ms", (long long)u->frames,
            (long long)(clock_mono_ms() - started_ms), (long long)shortest_gap);
    return 0;
}

/* ------------------------------------------------------------ life cycle */

int console_run(const config_t *cfg, const console_opts *opts)
{
    setlocale(LC_ALL, "");
    net_config nc = {0};
    nc.insecure_tls = cfg->insecure_tls;
    net_t *net = net_new(&nc);
    if (!net) {
        fprintf(stderr, "aidesk: cannot start the network thread\n");
        return 1;
    }
    char *err = NULL;
    app_t *app = app_new(cfg, net, &err);
    if (!app) {
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
        app_free(app);
        net_free(net);
        return 2;
    }
    ui u;
    memset(&u, 0, sizeof u);
    u.cfg = cfg;
    u.net = net;
    u.app = app;
    u.m = app_model(app);
    u.filter = AI_MODE_UNKNOWN;
    char *terr = NULL;
    theme_t *theme = console_initial_theme(cfg, &terr);
    int keys_fd = -1, rows = 0, cols = 0;
    if (hl)
        headless_size(hl, &rows, &cols);
    if ((hl ? term_init_headless(rows, cols, &keys_fd) : term_init()) != 0) {
        headless_free(hl);
        theme_free(theme);
        free(terr);
        app_free(app);
        net_free(net);
        return 1;
    }
    if (hl)
        headless_attach(hl, keys_fd);
    ui_apply_theme(&u, theme);
    input_init(&u);
    u.gate = gatectl_new(app, &u.gate_err);
    app_start(app);
    if (terr) {
        app_flash(app, true, "%s; using the built-in theme", terr);
        free(terr);
    } else if (opts && opts->demo_note) {
        app_flash(app, false, "%s", opts->demo_note);
    }
    int rc = loop(&u, hl);
    if (hl && headless_status(hl))
        rc = headless_status(hl);
    input_end(&u);
    term_end();
    headless_free(hl);
    compares_free(&u);
    picker_free(u.pick);
    gatectl_free(u.gate);
    free(u.gate_err);
    app_free(app);
    net_free(net);
    theme_free(u.theme);
    for (size_t i = 0; i < u.ncuis; i++)
        free(u.cuis[i].conv_id);
    free(u.cuis);
    free(u.sorted);
    free(u.editing_draft);
    free(u.refill);
    dq_clear(&u.queue);
    dq_clear(&u.queue_cmd);
    free(u.search);
    return rc;
}
