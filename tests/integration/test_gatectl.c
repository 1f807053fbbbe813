/* Integration tests: the console's AI Gate controller (src/gate/gatectl.h)
 * against the simulator, through the desk's network thread and handler
 * chain, with a UI-like loop (poll the wake fd, desk_drain, desk_tick,
 * gatectl_tick). The simulator runs at --speed 60: a client secret lives
 * 1 s, a session 60 s, the rate window 15 s. Each test starts from a reset
 * simulator with its own XDG directories. */
#include "config.h"

#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config/settings.h"
#include "desk/desk.h"
#include "gate/gatectl.h"
#include "simproc.h"
#include "xdgtmp.h"
#include "test.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

static simproc sim;   /* --speed 60 */
static char xdg[256]; /* this test's XDG base */

/* p, or the test fails (and the compiler knows p is not NULL below). */
static const void *must_(const void *p, const char *what)
{
    if (!p) {
        print_error("unexpected NULL: %s\n", what);
        fail();
        abort();
    }
    return p;
}
#define MUST(p) ((__typeof__(p))must_((p), #p))

/* ------------------------------------------------------------ harness */

typedef struct harness {
    config_t *cfg;
    net_t *net;
    desk_t *desk;
    gatectl_t *g;
} harness;

static void h_init_at(harness *h, const simproc *s, const char *project)
{
    memset(h, 0, sizeof *h);
    h->cfg = config_new_defaults();
    free(h->cfg->base_url);
    h->cfg->base_url = xstrdup(s->base_url);
    free(h->cfg->gate_url);
    h->cfg->gate_url = xstrdup(s->base_url);
    h->cfg->api_key = xstrdup("aai_demo_agent");
    h->cfg->project_id = project ? xstrdup(project) : NULL;
    h->cfg->allow_http = true;
    h->cfg->timeout_ms = 10000;
    h->cfg->max_retries = 2;
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
    if (project) {
        h->g = gatectl_new(h->desk, &err);
        if (!h->g)
            fail_msg("gatectl_new: %s", err);
    }
}

static void h_init(harness *h, const char *project)
{
    h_init_at(h, &sim, project);
}

static void h_free(harness *h)
{
    gatectl_free(h->g);
    desk_free(h->desk);
    net_free(h->net);
    config_free(h->cfg);
    memset(h, 0, sizeof *h);
}

static const gatectl_info *info(const harness *h)
{
    return gatectl_get(h->g);
}

/* One turn of a UI loop: wait for the network or the next timer of either
 * controller (at most max_ms), handle what came, run the timers. */
static void pump(harness *h, long max_ms)
{
    long t = desk_next_timer_ms(h->desk, clock_mono_ms());
    long tg = gatectl_next_timer_ms(h->g, clock_wall_ms());
    if (tg >= 0 && (t < 0 || tg < t))
        t = tg;
    if (t < 0 || t > max_ms)
        t = max_ms;
    struct pollfd p = {net_wake_fd(h->net), POLLIN, 0};
    poll(&p, 1, (int)t);
    desk_drain(h->desk);
    desk_tick(h->desk, clock_mono_ms());
    gatectl_tick(h->g, clock_wall_ms());
}

#define WAIT_FOR(h, ms, cond)                                                                  \
    do {                                                                                       \
        int64_t until_ = clock_mono_ms() + (ms);                                               \
        while (!(cond)) {                                                                      \
            if (clock_mono_ms() >= until_)                                                     \
                fail_msg("%s:%d: timed out waiting for %s (error: %s)", __FILE__, __LINE__,   \
                         #cond, info(h)->error ? info(h)->error->message : "none");            \
            pump((h), 50);                                                                     \
        }                                                                                      \
    } while (0)

/* Creates a session with p (NULL: defaults) and waits for the answer;
 * returns it, or NULL when it failed (info.error says why). */
static const gatectl_session *h_create(harness *h, const gate_session_params *p)
{
    gate_session_params d;
    gate_session_params_init(&d);
    char *err = NULL;
    size_t before = info(h)->nsessions;
    if (!gatectl_create(h->g, p ? p : &d, &err))
        fail_msg("gatectl_create: %s", err);
    WAIT_FOR(h, 10000, info(h)->creating == 0);
    return info(h)->nsessions > before ? info(h)->sessions[info(h)->nsessions - 1] : NULL;
}

static void add_fault(const simproc *s, const char *spec)
{
    char body[512];
    snprintf(body, sizeof body, "{\"spec\":\"%s\"}", spec);
    assert_int_equal(simproc_admin(s, "POST", "/_sim/faults", body, NULL, 0), 200);
}

static void expect_rate(const harness *h)
{
    const gatectl_info *in = info(h);
    assert_true(in->rate.present);
    assert_int_equal(in->rate.limit, 100);
    assert_true(in->rate.reset > 0);
    assert_true(in->rate_at_ms > 0);
}

/* ------------------------------------------------ set-up and tear-down */

static int group_setup(void **state)
{
    (void)state;
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
    const char *args[] = {"--speed", "60", NULL};
    return simproc_start(&sim, args);
}

static int group_teardown(void **state)
{
    (void)state;
    simproc_stop(&sim);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    simproc_admin(&sim, "DELETE", "/_sim/faults", NULL, NULL, 0);
    if (simproc_admin(&sim, "POST", "/_sim/reset", "{}", NULL, 0) != 200)
        return -1;
    return xdgtmp_make(xdg, sizeof xdg, "gate");
}

static int test_teardown(void **state)
{
    (void)state;
    xdgtmp_remove(xdg);
    return 0;
}

/* --------------------------------------------------------------- tests */

static void gatectl__needs_a_project_id(void **state)
{
    (void)state;
    harness h;
    h_init(&h, NULL);
    char *err = NULL;
    assert_null(gatectl_new(h.desk, &err));
    assert_string_equal(MUST(err), "AI Gate needs a project id: set AI_GATE_PROJECT_ID or "
                                   "project_id / project_id_cmd in [gate]");
    free(err);
    h_free(&h);
}

static void gatectl__a_created_session_is_listed_with_its_fields(void **state)
{
    (void)state;
    harness h;
    h_init(&h, "proj_demo");
    assert_int_equal(gatectl_next_timer_ms(h.g, clock_wall_ms()), -1); /* idle: no wake */

    /* Invalid parameters never leave. */
    gate_session_params p;
    gate_session_params_init(&p);
    p.voice = "robot";
    char *err = NULL;
    assert_false(gatectl_create(h.g, &p, &err));
    assert_non_null(strstr(MUST(err), "alloy, echo, fable, onyx, nova, shimmer"));
    free(err);
    p.voice = "nova";
    p.temperature = 1.5;
    assert_false(gatectl_create(h.g, &p, &err));
    free(err);
    assert_int_equal(info(&h)->creating, 0);
    assert_false(info(&h)->rate.present); /* nothing was sent */

    p.temperature = 0.5;
    p.instructions = "Speak softly";
    int64_t t0 = clock_wall_ms();
    const gatectl_session *s = MUST(h_create(&h, &p));
    int64_t t1 = clock_wall_ms();
    assert_null(info(&h)->error);
    assert_int_equal(info(&h)->nsessions, 1);
    const gate_session *a = s->s;
    assert_true(!strncmp(MUST(a->id), "sess_", 5));
    assert_string_equal(a->model, GATE_DEFAULT_MODEL);
    assert_string_equal(a->voice, "nova");
    assert_string_equal(a->instructions, "Speak softly");
    assert_true(a->has_temperature && a->temperature == 0.5);
    assert_true(!strncmp(MUST(a->client_secret), "eph_", 4));
    assert_true(s->created_ms >= t0 - 1000 && s->created_ms <= t1 + 1000);
    assert_false(s->secret_expiry_guessed);
    assert_false(s->expiry_guessed);
    /* 60 s / 60 and 1 h / 60, rounded up to whole seconds. */
    assert_true(s->secret_expires_s * 1000 > t0 && s->secret_expires_s * 1000 <= t1 + 2000);
    assert_true(s->expires_s * 1000 >= t0 + 59000 && s->expires_s * 1000 <= t1 + 61000);
    /* ICE: 2 STUN without credentials, 4 TURN with; the TURN server in use. */
    assert_int_equal(a->ice.n, 6);
    assert_null(a->ice.items[0].username);
    assert_true(!strncmp(a->ice.items[0].urls[0], "stun:", 5));
    assert_non_null(a->ice.items[5].credential);
    assert_int_equal(a->ice.items[5].nurls, 2); /* a list of urls */
    assert_true(!strncmp(MUST(a->meta_turn_server), "turn", 4));
    assert_non_null(strstr(MUST(a->raw_json), "\"session_id\""));
    /* The state from the wall clock, and a countdown that wakes the loop. */
    gatectl_timing t = gatectl_session_timing(s, clock_wall_ms());
    assert_int_equal(s->state, GATECTL_USABLE);
    assert_true(t.secret_left_s >= 1 && t.secret_left_s <= 2);
    assert_true(t.session_left_s >= 58 && t.session_left_s <= 61);
    long next = gatectl_next_timer_ms(h.g, clock_wall_ms());
    assert_true(next >= 0 && next <= 1000);
    /* The rate headroom of the answer. */
    expect_rate(&h);
    assert_int_equal(info(&h)->rate.remaining, 99);
    assert_non_null(strstr(MUST(desk_get_status(h.desk)->flash), "AI Gate session sess_"));
    assert_false(desk_get_status(h.desk)->flash_is_error);

    /* The details view hides the secret. */
    char *d = MUST(gatectl_details_json(h.g, 0, false));
    assert_null(strstr(d, a->client_secret));
    assert_null(strstr(d, a->ice.items[5].credential));
    assert_non_null(strstr(d, "\"voice\": \"nova\""));
    free(d);

    /* The secret's countdown reaches "secret expired"; the session lives on. */
    unsigned rev = info(&h)->rev;
    WAIT_FOR(&h, 5000, info(&h)->sessions[0]->state == GATECTL_SECRET_EXPIRED);
    assert_true(info(&h)->rev != rev);
    t = gatectl_session_timing(info(&h)->sessions[0], clock_wall_ms());
    assert_int_equal(t.secret_left_s, 0);
    assert_true(t.session_left_s > 50);
    assert_true(gatectl_next_timer_ms(h.g, clock_wall_ms()) >= 0); /* still counting */
    /* The simulator agrees. */
    char body[8192];
    assert_int_equal(simproc_admin(&sim, "GET", "/_sim/gate", NULL, body, sizeof body), 200);
    assert_true(strstr(body, "\"secret_valid\": false") || strstr(body, "\"secret_valid\":false"));
    h_free(&h);
}

static void gatectl__an_expired_session_stops_the_timer(void **state)
{
    (void)state;
    /* At --speed 3600 a session lives 1 s. */
    simproc fast;
    const char *args[] = {"--speed", "3600", NULL};
    assert_int_equal(simproc_start(&fast, args), 0);
    harness h;
    h_init_at(&h, &fast, "proj_demo");
    const gatectl_session *s = MUST(h_create(&h, NULL));
    (void)s;
    WAIT_FOR(&h, 5000, info(&h)->sessions[0]->state == GATECTL_SESSION_EXPIRED);
    assert_int_equal(gatectl_next_timer_ms(h.g, clock_wall_ms()), -1);
    assert_int_equal(gatectl_live_count(h.g, clock_wall_ms()), 0);
    h_free(&h);
    simproc_stop(&fast);
}

/* client_secret is optional in the SDKs' types: a session whose answer
 * has none is kept and listed (it exists, and counted against the quota),
 * in the state "no secret" until it expires, with nothing to connect with
 * to copy. */
static void gatectl__a_session_without_a_client_secret_is_kept_and_shown(void **state)
{
    (void)state;
    simproc bare;
    const char *args[] = {"--speed", "60", "--no-client-secret", NULL};
    assert_int_equal(simproc_start(&bare, args), 0);
    harness h;
    h_init_at(&h, &bare, "proj_demo");
    const gatectl_session *s = MUST(h_create(&h, NULL));
    assert_null(info(&h)->error);
    assert_int_equal(info(&h)->nsessions, 1);
    assert_null(s->s->client_secret);
    assert_true(s->no_secret);
    assert_int_equal(s->state, GATECTL_NO_SECRET);
    assert_string_equal(gatectl_state_name(s->state), "no secret");
    gatectl_timing t = gatectl_session_timing(s, clock_wall_ms());
    assert_int_equal(t.secret_left_s, 0);
    assert_true(t.session_left_s > 50);
    assert_int_equal(gatectl_live_count(h.g, clock_wall_ms()), 1);
    const desk_status *st = desk_get_status(h.desk);
    assert_non_null(strstr(MUST(st->flash), "no client secret in the answer"));
    /* Nothing to connect with: the secret and the curl snippet are refused,
     * the JSON (ICE servers) is copied with a null secret. */
    gatectl_copy_out out;
    char *err = NULL;
    assert_false(gatectl_copy(h.g, 0, GATECTL_COPY_SECRET, &out, &err));
    assert_non_null(strstr(MUST(err), "no client secret in the answer"));
    free(err);
    assert_false(gatectl_copy(h.g, 0, GATECTL_COPY_CURL, &out, &err));
    free(err);
    char *json = gatectl_copy_text(s, GATECTL_COPY_JSON);
    assert_non_null(strstr(json, "\"client_secret\": null"));
    assert_non_null(strstr(json, "stun:"));
    free(json);
    /* It lives on a tick later, still without a secret. */
    pump(&h, 1200);
    assert_int_equal(info(&h)->sessions[0]->state, GATECTL_NO_SECRET);
    h_free(&h);
    simproc_stop(&bare);
}

static void gatectl__the_sixth_concurrent_session_is_warned_then_refused(void **state)
{
    (void)state;
    harness h;
    h_init(&h, "proj_demo");
    gate_session_params p;
    gate_session_params_init(&p);
    char *err = NULL;
    /* Five at once: creates in flight count as live. */
    for (int i = 0; i < 5; i++)
        assert_true(gatectl_create(h.g, &p, &err));
    assert_int_equal(gatectl_live_count(h.g, clock_wall_ms()), 5);
    WAIT_FOR(&h, 10000, info(&h)->creating == 0);
    assert_int_equal(info(&h)->nsessions, 5);
    assert_null(info(&h)->error);
    expect_rate(&h);
    /* At --speed 60 the 15-minute window is 15 s: it may turn over between
     * two calls of a slow (sanitised) run, so compare within one window. */
    int64_t left = info(&h)->rate.remaining, window = info(&h)->rate.reset;
    assert_true(left < info(&h)->rate.limit);

    /* The sixth: the local warning first, nothing sent ... */
    assert_false(gatectl_create(h.g, &p, &err));
    assert_non_null(strstr(MUST(err), "free AI Gate plan allows 5 concurrent sessions"));
    assert_non_null(strstr(err, "repeat the command"));
    free(err);
    assert_true(info(&h)->confirm_create);
    assert_int_equal(info(&h)->creating, 0);
    /* ... the same command again goes out, and the server refuses it. */
    assert_true(gatectl_create(h.g, &p, &err));
    assert_false(info(&h)->confirm_create);
    WAIT_FOR(&h, 10000, info(&h)->creating == 0);
    assert_int_equal(info(&h)->nsessions, 5);
    const gatectl_error *e = MUST(info(&h)->error);
    assert_int_equal(e->action, GATECTL_ACT_CREATE);
    assert_int_equal(e->e->kind, API_ERR_CONCURRENT);
    assert_int_equal(e->e->concurrent_current, 5);
    assert_int_equal(e->e->concurrent_max, 5);
    assert_non_null(e->e->hint);
    assert_non_null(strstr(e->message, "too many concurrent AI Gate sessions (5 of 5): "));
    assert_true(desk_get_status(h.desk)->flash_is_error);
    assert_int_equal(info(&h)->conc_limit, 5);
    assert_true(info(&h)->conc_from_server);
    expect_rate(&h);
    /* The refusal's headers count too. */
    if (info(&h)->rate.reset == window)
        assert_int_equal(info(&h)->rate.remaining, left - 1);
    else
        assert_int_equal(info(&h)->rate.remaining, info(&h)->rate.limit - 1);

    /* The next try warns with the server's limit. */
    assert_false(gatectl_create(h.g, &p, &err));
    assert_non_null(strstr(MUST(err), "allows this project 5 concurrent sessions"));
    free(err);
    h_free(&h);
}

static void gatectl__an_exhausted_quota_shows_plan_usage_and_upgrade(void **state)
{
    (void)state;
    harness h;
    h_init(&h, "proj_exhausted");
    assert_null(h_create(&h, NULL));
    const gatectl_error *e = MUST(info(&h)->error);
    assert_int_equal(e->e->kind, API_ERR_QUOTA);
    assert_int_equal(e->e->status, 402);
    assert_string_equal(MUST(e->e->plan), "free");
    assert_int_equal(e->e->sessions_used, 100);
    assert_int_equal(e->e->sessions_included, 100);
    assert_true(e->e->percent_used == 100);
    assert_string_equal(MUST(e->e->upgrade_url), "https://www.ai-gate.dev/pricing");
    assert_non_null(strstr(e->message, "quota exceeded: 100 of 100 sessions used on the free "
                                       "plan (100%); upgrade at https://www.ai-gate.dev/pricing"));
    assert_null(strstr(e->message, "proj_exhausted"));
    assert_non_null(strstr(MUST(desk_get_status(h.desk)->flash), "quota exceeded"));
    expect_rate(&h);
    h_free(&h);
}

static void gatectl__a_rate_limit_refusal_shows_when_it_resets(void **state)
{
    (void)state;
    harness h;
    h_init(&h, "proj_demo");
    add_fault(&sim, "status=429;retry_after=7;path=/session;times=1");
    int64_t t0 = clock_wall_ms() / 1000;
    assert_null(h_create(&h, NULL));
    const gatectl_error *e = MUST(info(&h)->error);
    assert_int_equal(e->e->kind, API_ERR_RATE_LIMITED);
    assert_int_equal(e->e->rate_limit, 100);
    assert_string_equal(MUST(e->e->rate_window), "15m");
    assert_non_null(e->e->reset_at);
    assert_true(e->reset_s >= t0 + 6 && e->reset_s <= t0 + 9);
    assert_non_null(strstr(e->message, "rate limited by AI Gate"));
    assert_non_null(strstr(e->message, "retry in 7 s"));
    expect_rate(&h);
    /* Not retried by itself: one request only. A later success clears it. */
    assert_non_null(h_create(&h, NULL));
    assert_null(info(&h)->error);
    h_free(&h);
}

static void gatectl__turn_health_and_metrics_fill_the_state(void **state)
{
    (void)state;
    harness h;
    h_init(&h, "proj_demo");
    gatectl_turn(h.g);
    assert_int_equal(info(&h)->turn_pending, 1);
    WAIT_FOR(&h, 10000, info(&h)->turn_pending == 0);
    const gate_ice_list *l = MUST(info(&h)->turn);
    assert_int_equal(l->n, 6);
    assert_non_null(l->items[2].credential);
    assert_true(info(&h)->turn_at_ms > 0);
    expect_rate(&h);
    assert_int_equal(info(&h)->rate.remaining, 99);

    gatectl_health(h.g);
    WAIT_FOR(&h, 10000, info(&h)->health_pending == 0);
    assert_null(info(&h)->error);
    const gate_kv_list *hl = MUST(info(&h)->health);
    assert_true(hl->n >= 1);
    assert_string_equal(hl->items[0].key, "status");
    assert_string_equal(hl->items[0].value, "healthy");
    const gate_kv_list *ml = MUST(info(&h)->metrics);
    bool created = false;
    for (size_t i = 0; i < ml->n; i++)
        created |= !strcmp(ml->items[i].key, "sessions_created");
    assert_true(created);
    assert_true(info(&h)->health_at_ms > 0 && info(&h)->metrics_at_ms > 0);
    expect_rate(&h);

    /* A failure is kept with its action, and cleared by the next success. */
    add_fault(&sim, "status=500;path=/turn-credentials");
    gatectl_turn(h.g);
    WAIT_FOR(&h, 10000, info(&h)->turn_pending == 0);
    const gatectl_error *e = MUST(info(&h)->error);
    assert_int_equal(e->action, GATECTL_ACT_TURN);
    assert_int_equal(e->e->kind, API_ERR_SERVER);
    assert_non_null(info(&h)->turn); /* the last good credentials stay */
    simproc_admin(&sim, "DELETE", "/_sim/faults", NULL, NULL, 0);
    gatectl_turn(h.g);
    WAIT_FOR(&h, 10000, info(&h)->turn_pending == 0);
    assert_null(info(&h)->error);
    h_free(&h);
}

/* Whether the file at path holds needle. */
static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return memmem(buf, n, needle, strlen(needle)) != NULL;
}

/* Fails when a file under dir other than allowed holds needle; returns
 * the number of files seen. */
static int scan(const char *dir, const char *needle, const char *allowed)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += scan(path, needle, allowed);
        } else if (S_ISREG(st.st_mode)) {
            n++;
            if ((!allowed || strcmp(path, allowed)) && file_has(path, needle))
                fail_msg("%s holds a secret", path);
        }
    }
    closedir(d);
    return n;
}

static void gatectl__secrets_stay_out_of_the_log_and_the_files(void **state)
{
    (void)state;
    char logpath[400];
    snprintf(logpath, sizeof logpath, "%s/debug.log", xdg);
    assert_int_equal(log_open(logpath), 0);
    harness h;
    h_init(&h, "proj_demo");
    const gatectl_session *s = MUST(h_create(&h, NULL));
    gatectl_turn(h.g);
    WAIT_FOR(&h, 10000, info(&h)->turn_pending == 0);
    char *secret = xstrdup(MUST(s->s->client_secret));
    char *cred = xstrdup(MUST(s->s->ice.items[2].credential));
    char *turn_cred = xstrdup(MUST(MUST(info(&h)->turn)->items[2].credential));

    /* The one file the user asked for holds it, 0600 in a 0700 directory. */
    gatectl_copy_out out;
    char *err = NULL;
    if (!gatectl_copy(h.g, 0, GATECTL_COPY_CURL, &out, &err))
        fail_msg("copy: %s", err);
    const char *path = MUST(out.path);
    assert_null(out.osc52);
    assert_non_null(strstr(path, xdg));
    assert_true(file_has(path, secret));
    assert_true(file_has(path, cred));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    char dir[600];
    snprintf(dir, sizeof dir, "%s/state/aidesk/gate", xdg);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    /* More work that logs: an error, health. */
    assert_null(h_create(&h, &(gate_session_params){"no-such-model", "echo", 0.7, "x"}));
    gatectl_health(h.g);
    WAIT_FOR(&h, 10000, info(&h)->health_pending == 0);
    h_free(&h);
    log_close();

    assert_true(file_has(logpath, "gate: session sess_"));
    assert_true(file_has(logpath, "net #"));
    assert_false(file_has(logpath, secret));
    assert_false(file_has(logpath, cred));
    assert_false(file_has(logpath, turn_cred));
    assert_false(file_has(logpath, "proj_demo"));
    /* No file under the XDG directories but the copy holds a secret. */
    char base[400];
    snprintf(base, sizeof base, "%s/data", xdg);
    scan(base, secret, NULL);
    scan(base, cred, NULL);
    snprintf(base, sizeof base, "%s/state", xdg);
    assert_int_equal(scan(base, secret, path), 1);
    scan(base, turn_cred, path);
    snprintf(base, sizeof base, "%s/config", xdg);
    scan(base, secret, NULL);
    gatectl_copy_out_clear(&out);
    free(secret);
    free(cred);
    free(turn_cred);
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
}

static void gatectl__copies_through_osc52_when_allowed(void **state)
{
    (void)state;
    harness h;
    h_init(&h, NULL);
    h.cfg->project_id = xstrdup("proj_demo");
    h.cfg->osc52 = true;
    char *err = NULL;
    h.g = MUST(gatectl_new(h.desk, &err));
    const gatectl_session *s = MUST(h_create(&h, NULL));
    gatectl_copy_out out;
    assert_true(gatectl_copy(h.g, 0, GATECTL_COPY_JSON, &out, &err));
    assert_null(out.path);
    const char *seq = MUST(out.osc52);
    assert_true(!strncmp(seq, "\033]52;c;", 7));
    assert_int_equal(seq[strlen(seq) - 1], '\a');
    char *text = gatectl_copy_text(s, GATECTL_COPY_JSON);
    char *b64 = gatectl_base64(text, strlen(text));
    assert_non_null(strstr(seq, b64));
    assert_int_equal(out.bytes, strlen(text));
    free(b64);
    free(text);
    gatectl_copy_out_clear(&out);
    /* Nothing written to the state directory. */
    char dir[400];
    snprintf(dir, sizeof dir, "%s/state/aidesk/gate", xdg);
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    h_free(&h);
}

static void gatectl__freed_with_requests_in_flight_the_app_goes_on(void **state)
{
    (void)state;
    harness h;
    h_init(&h, "proj_demo");
    gatectl_turn(h.g);
    gatectl_health(h.g);
    gatectl_free(h.g); /* unregisters and cancels */
    h.g = NULL;
    int64_t until = clock_mono_ms() + 500;
    while (clock_mono_ms() < until) {
        struct pollfd p = {net_wake_fd(h.net), POLLIN, 0};
        poll(&p, 1, 50);
        desk_drain(h.desk); /* the late events are nobody's: freed by the desk */
    }
    assert_int_equal(net_pending(h.net), 0);
    h_free(&h);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
    const struct CMUnitTest tests[] = {
        T(gatectl__needs_a_project_id),
        T(gatectl__a_created_session_is_listed_with_its_fields),
        T(gatectl__an_expired_session_stops_the_timer),
        T(gatectl__a_session_without_a_client_secret_is_kept_and_shown),
        T(gatectl__the_sixth_concurrent_session_is_warned_then_refused),
        T(gatectl__an_exhausted_quota_shows_plan_usage_and_upgrade),
        T(gatectl__a_rate_limit_refusal_shows_when_it_resets),
        T(gatectl__turn_health_and_metrics_fill_the_state),
        T(gatectl__secrets_stay_out_of_the_log_and_the_files),
        T(gatectl__copies_through_osc52_when_allowed),
        T(gatectl__freed_with_requests_in_flight_the_app_goes_on),
    };
#undef T
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
