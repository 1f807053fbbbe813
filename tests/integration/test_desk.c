/* Integration tests: the console's controller (src/desk/desk.h) against the
 * simulator. Each test runs its own desk (its own network thread) with its
 * own XDG directories; a "customer" talks to the simulator directly with a
 * user key through a second network thread (the harness: deskh.h). */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "api/aiassist.h"
#include "api/aiassist_types.h"
#include "deskh.h"
#include "config/settings.h"
#include "desk/desk.h"
#include "simproc.h"
#include "xdgtmp.h"
#include "store/paths.h"
#include "store/transcript.h"
#include "test.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

/* The undo window has its own tests (test_desk_day.c): every desk here
 * sends at once (h_init's undo_ms 0). */

static simproc sim;       /* shared by the tests that need nothing special */
static char xdg[256];     /* this test's XDG base */

/* ------------------------------------------------------ conversations */

static bool is_server_id(const msg *m)
{
    return m && !strncmp(m->id, "msg_", 4);
}

/* A copy of a pending draft's identity, to act on after it left the
 * model (as a row drawn a moment ago does). */
static draft keep_draft(const draft *d)
{
    draft k;
    memset(&k, 0, sizeof k);
    k.id = xstrdup(d->id);
    k.ws_id = xstrdup(d->ws_id);
    return k;
}

static void drop_draft(draft *k)
{
    free(k->id);
    free(k->ws_id);
}

static void add_fault(const simproc *s, const char *spec)
{
    char body[512];
    snprintf(body, sizeof body, "{\"spec\":\"%s\"}", spec);
    assert_int_equal(simproc_admin(s, "POST", "/_sim/faults", body, NULL, 0), 200);
}

/* Makes the next send in c fail as what says ("status=503",
 * "drop_after=0"); path (n bytes) gets the send's path, for stat_count. */
static void fault_next_send(const conv *c, const char *what, char *path, size_t n)
{
    snprintf(path, n, "/api/workspaces/%s/messages", c->id);
    char spec[400];
    snprintf(spec, sizeof spec, "%s;path=%s;times=1", what, path);
    add_fault(&sim, spec);
}

static void clear_faults(const simproc *s)
{
    assert_int_equal(simproc_admin(s, "DELETE", "/_sim/faults", NULL, NULL, 0), 200);
}

/* Keeps a message the way an older aidesk did: one file per key, its name
 * the key in hex, a flag byte in front of the text. */
static void write_legacy_unsent(const char *key, const char *content)
{
    char path[600];
    int at = snprintf(path, sizeof path, "%s/aidesk/unsent", getenv("XDG_DATA_HOME"));
    assert_int_equal(store_mkdirs(path, NULL), 0);
    at += snprintf(path + at, sizeof path - (size_t)at, "/");
    for (const char *k = key; *k; k++)
        at += snprintf(path + at, sizeof path - (size_t)at, "%02x", (unsigned char)*k);
    snprintf(path + at, sizeof path - (size_t)at, ".msg");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(content, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* A loopback port nobody listens on. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

/* ------------------------------------------------ set-up and tear-down */

static int group_setup(void **state)
{
    (void)state;
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
    const char *args[] = {"--speed", "10", NULL};
    if (simproc_start(&sim, args) != 0)
        return -1;
    return deskh_open();
}

static int group_teardown(void **state)
{
    (void)state;
    deskh_close();
    simproc_stop(&sim);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    return xdgtmp_make(xdg, sizeof xdg, "desk");
}

static int test_teardown(void **state)
{
    (void)state;
    clear_faults(&sim);
    xdgtmp_remove(xdg);
    return 0;
}

/* --------------------------------------------------------------- tests */

/* An owner of requests as the comparisons, AI Gate and a call are. */
typedef struct route_seen {
    desk_t *desk;
    uint64_t tag;
    bool remove_self; /* removes its own tag while it handles an answer */
    int events, ticks;
    long next;
} route_seen;

static bool route_take(void *ud, net_event *ev)
{
    route_seen *s = ud;
    s->events++;
    if (s->remove_self)
        desk_remove_owner(s->desk, s->tag);
    net_event_free(ev);
    return true;
}

static long route_next(void *ud, int64_t now_mono)
{
    (void)now_mono;
    return ((route_seen *)ud)->next;
}

static void route_tick(void *ud, int64_t now_mono)
{
    (void)now_mono;
    ((route_seen *)ud)->ticks++;
}

static net_event *answer(uint64_t id, uint64_t tag)
{
    net_sse item = {"message", 7, "{}", 2, "", 0};
    return net_event_new_sse(id, tag, &item, 1);
}

static void desk__routes_each_answer_to_the_owner_its_tag_names_and_asks_each_timer(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    route_seen a = {.desk = h.desk, .next = -1}, b = {.desk = h.desk, .next = -1, .remove_self = true};
    a.tag = desk_add_owner(h.desk, route_take, &a);
    b.tag = desk_add_owner(h.desk, route_take, &b);
    assert_true(a.tag && b.tag && a.tag != b.tag);
    assert_true(desk_handle_event(h.desk, answer(7, b.tag)));
    assert_true(desk_handle_event(h.desk, answer(8, a.tag)));
    assert_int_equal(a.events, 1);
    assert_int_equal(b.events, 1);
    /* b let go of its tag while it handled its answer: the next one is
     * dropped, and reaches nobody else. */
    assert_false(desk_handle_event(h.desk, answer(7, b.tag)));
    assert_int_equal(b.events, 1);
    assert_int_equal(a.events, 1);
    /* A tag nobody holds is nobody's; a tag is never given twice. */
    uint64_t c = desk_add_owner(h.desk, route_take, &b);
    assert_true(c != a.tag && c != b.tag);
    assert_false(desk_handle_event(h.desk, answer(9, c + 1)));
    desk_remove_owner(h.desk, c);
    assert_false(desk_handle_event(h.desk, answer(9, c)));
    assert_int_equal(b.events, 1);

    /* The timers: the main loop's next deadline counts a registered one,
     * and its tick comes with the desk's. */
    desk_add_timer(h.desk, route_next, route_tick, &a);
    a.next = 0;
    assert_int_equal(desk_next_timer_ms(h.desk, clock_mono_ms()), 0);
    desk_tick(h.desk, clock_mono_ms());
    assert_int_equal(a.ticks, 1);
    desk_remove_timers(h.desk, &a);
    desk_tick(h.desk, clock_mono_ms());
    assert_int_equal(a.ticks, 1);
    desk_remove_owner(h.desk, a.tag);
    h_free(&h);
}

static void desk__start_loads_models_workspaces_drafts_and_opens_the_live_stream(void **state)
{
    (void)state;
    char *ws = cust_create(&sim, "shadow", NULL);
    cust_send(&sim, ws, "Can I get a refund for order 12?");
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    desk_start(h.desk);
    model *m = desk_model(h.desk);
    size_t nmodels = 0;
    WAIT_FOR(&h, 10000,
             desk_get_status(h.desk)->live == DESK_LIVE_STREAMING &&
                 (desk_models(h.desk, &nmodels), nmodels > 0) && model_find(m, ws) &&
                 draft_for(m, ws));
    assert_int_equal(nmodels, 17);
    const char *const *models = desk_models(h.desk, &nmodels);
    bool has_gpt4o = false;
    for (size_t i = 0; i < nmodels; i++)
        has_gpt4o |= !strcmp(models[i], "gpt-4o");
    assert_true(has_gpt4o);
    conv *c = model_find(m, ws);
    assert_int_equal(c->kind, CONV_WORKSPACE);
    assert_int_equal(c->mode, AI_MODE_SHADOW);
    assert_false(c->mine);
    assert_int_equal(c->drafts, 1);
    assert_non_null(draft_of(m, ws)->reply_to);
    assert_int_equal(desk_get_status(h.desk)->aiassist, DESK_CONN_OK);
    /* A fresh load rings no bell. */
    assert_int_equal(m->new_drafts, 0);
    /* Opening it loads the history: the customer's message, not yet the
     * AI's (it waits for approval). */
    desk_open(h.desk, c);
    WAIT_FOR(&h, 10000, c->history_loaded);
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Can I get a refund for order 12?"), 1);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 0);
    assert_int_equal(c->unread, 0);
    h_free(&h);
    free(ws);
}

static void desk__creates_a_workspace_that_gets_focus_and_the_ai_reply(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "ai", "Hello, where is my order?");
    assert_true(c->mine);
    assert_int_equal(c->mode, AI_MODE_AI);
    assert_null(desk_take_focus(h.desk)); /* once */
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Hello, where is my order?"), 1);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 1);

    desk_send(h.desk, c, "And can I get a refund?", false);
    msg *mine = find_msg(c, AI_ROLE_USER, "And can I get a refund?");
    assert_non_null(mine);
    assert_int_equal(mine->state, MSG_SENDING);
    WAIT_FOR(&h, 15000, count_msgs(c, AI_ROLE_AI, NULL) == 2 && c->msgs[c->nmsgs - 1]->state == MSG_FINAL &&
                            !desk_is_streaming(h.desk, c) && mine->state == MSG_FINAL);
    pump_for(&h, 300); /* late events change nothing */
    assert_true(is_server_id(mine));
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "And can I get a refund?"), 1);
    msg *reply = c->msgs[c->nmsgs - 1];
    assert_int_equal(reply->role, AI_ROLE_AI);
    assert_int_equal(reply->state, MSG_FINAL);
    assert_string_equal(reply->approval, "direct");
    assert_true(reply->text.len > 0);
    assert_int_equal(c->nmsgs, 4);
    assert_int_equal(history_count(&sim, c->id, NULL), 4);
    assert_int_equal(c->unread, 0); /* on screen */
    assert_int_equal(unsent_count(), 0);
    h_free(&h);
}

static void desk__a_shadow_draft_appears_live_and_approving_with_an_edit_shows_edited(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "shadow", NULL);
    model *m = desk_model(h.desk);
    assert_int_equal(c->mode, AI_MODE_SHADOW);
    cust_send(&sim, c->id, "My parcel never came");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) != NULL);
    assert_int_equal(c->drafts, 1);
    assert_true(m->new_drafts >= 1);
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_USER, "My parcel never came") != NULL);
    const draft *d = draft_of(m, c->id);
    assert_non_null(d->reply_to);
    assert_string_equal(d->reply_to, "My parcel never came");
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 0);

    desk_approve(h.desk, d, "Sorry! A new parcel is on its way.");
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_AI, "Sorry! A new parcel is on its way.") != NULL &&
                            draft_for(m, c->id) == NULL);
    pump_for(&h, 300);
    msg *ai = find_msg(c, AI_ROLE_AI, "Sorry! A new parcel is on its way.");
    assert_string_equal(ai->approval, "edited");
    assert_int_equal(ai->state, MSG_FINAL);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 1);
    assert_int_equal(c->drafts, 0);
    assert_null(draft_for(m, c->id));
    assert_false(desk_get_status(h.desk)->flash_is_error);
    h_free(&h);
}

static void desk__rejecting_a_draft_removes_it_and_adds_no_message(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "shadow", NULL);
    model *m = desk_model(h.desk);
    cust_send(&sim, c->id, "Cancel my subscription");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) != NULL);
    draft stale = {0};
    stale.id = xstrdup(draft_of(m, c->id)->id);
    stale.ws_id = xstrdup(c->id);
    desk_reject(h.desk, draft_for(m, c->id), "too vague");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) == NULL);
    pump_for(&h, 300);
    assert_int_equal(c->drafts, 0);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 0);
    /* Approving it afterwards says it was rejected here, and asks nothing. */
    char path[200];
    snprintf(path, sizeof path, "/api/manager/drafts/%s/approve", stale.id);
    desk_approve(h.desk, &stale, NULL);
    assert_true(desk_get_status(h.desk)->flash_is_error);
    assert_flash_matches(&h, "^that draft was already rejected from this console at "
                             "[0-9]{2}:[0-9]{2}; nothing was sent$");
    pump_for(&h, 300);
    assert_int_equal(stat_count(&sim, path), 0);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 0);
    free(stale.id);
    free(stale.ws_id);
    h_free(&h);
}

static void desk__a_draft_decided_by_another_manager_is_reported_and_nothing_is_sent(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    model *m = desk_model(h.desk);
    conv *c = h_create(&h, "shadow", NULL);
    cust_send(&sim, c->id, "Where is my refund?");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) != NULL);
    draft shown = keep_draft(draft_of(m, c->id)); /* what the queue showed */
    char approve_path[200], reject_path[200];
    snprintf(approve_path, sizeof approve_path, "/api/manager/drafts/%s/approve", shown.id);
    snprintf(reject_path, sizeof reject_path, "/api/manager/drafts/%s/reject", shown.id);

    /* Another manager approves it; the event takes it off the queue. */
    decide_elsewhere(&sim, shown.id, "approve", NULL);
    WAIT_FOR(&h, 10000, draft_for(m, c->id) == NULL);
    pump_for(&h, 200);

    /* This console's approve and reject, aimed at that draft, only say so. */
    desk_approve(h.desk, &shown, NULL);
    assert_true(desk_get_status(h.desk)->flash_is_error);
    assert_flash_matches(&h, "^that draft was already approved by another manager at "
                             "[0-9]{2}:[0-9]{2}; nothing was sent$");
    desk_reject(h.desk, &shown, "not this one");
    assert_flash_matches(&h, "^that draft was already approved by another manager at "
                             "[0-9]{2}:[0-9]{2}; nothing was sent$");
    pump_for(&h, 300);
    assert_int_equal(stat_count(&sim, approve_path), 0);
    assert_int_equal(stat_count(&sim, reject_path), 0);
    assert_int_equal(history_count(&sim, c->id, NULL), 2); /* the question, the one answer */
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 1);

    /* A draft withdrawn because its workspace ended says that instead. */
    conv *c2 = h_create(&h, "shadow", NULL);
    cust_send(&sim, c2->id, "Cancel my order");
    WAIT_FOR(&h, 10000, draft_for(m, c2->id) != NULL);
    draft gone = keep_draft(draft_of(m, c2->id));
    ai_client *cl = client_for(&sim, USER_KEY);
    direct_ok(ai_req_ws_end(cl, c2->id));
    ai_client_free(cl);
    WAIT_FOR(&h, 10000, draft_for(m, c2->id) == NULL && c2->ended);
    desk_approve(h.desk, &gone, NULL);
    char re[300];
    snprintf(re, sizeof re, "^that draft was withdrawn: its workspace %s ended at "
                            "[0-9]{2}:[0-9]{2}; nothing was sent$", c2->title);
    assert_flash_matches(&h, re);
    pump_for(&h, 300);
    snprintf(approve_path, sizeof approve_path, "/api/manager/drafts/%s/approve", gone.id);
    assert_int_equal(stat_count(&sim, approve_path), 0);
    drop_draft(&shown);
    drop_draft(&gone);
    h_free(&h);
}

/* Both consoles' requests go out before either hears of the other's: the
 * server decides, the customer gets the draft once, and the console that
 * lost says it was already decided, not that something failed. */
static void desk__two_consoles_approving_one_draft_send_it_once_and_the_second_says_so(void **state)
{
    (void)state;
    harness h1, h2;
    h_init(&h1, sim.base_url, AGENT_KEY, 0);
    h_init(&h2, sim.base_url, AGENT_KEY, 0);
    h_start(&h1);
    h_start(&h2);
    char *ws = cust_create(&sim, "shadow", NULL);
    cust_send(&sim, ws, "Can I change my address?");
    model *m1 = desk_model(h1.desk), *m2 = desk_model(h2.desk);
    WAIT_FOR(&h1, 10000, draft_for(m1, ws) != NULL);
    WAIT_FOR(&h2, 10000, draft_for(m2, ws) != NULL);
    draft d1 = keep_draft(draft_of(m1, ws));
    desk_approve(h1.desk, draft_of(m1, ws), NULL);
    desk_approve(h2.desk, draft_of(m2, ws), NULL);
    char path[200];
    snprintf(path, sizeof path, "/api/manager/drafts/%s/approve", d1.id);
    int64_t until = clock_mono_ms() + 10000;
    const desk_status *s1 = desk_get_status(h1.desk), *s2 = desk_get_status(h2.desk);
    while (stat_count(&sim, path) < 2 || !s1->flash || !s2->flash ||
           draft_for(m1, ws) || draft_for(m2, ws) || (!s1->flash_is_error && !s2->flash_is_error)) {
        if (clock_mono_ms() > until)
            fail_msg("the two answers did not come (\"%s\", \"%s\")", s1->flash ? s1->flash : "",
                     s2->flash ? s2->flash : "");
        pump(&h1, 20);
        pump(&h2, 20);
    }
    pump_for(&h1, 200);
    pump_for(&h2, 200);
    assert_int_equal(stat_count(&sim, path), 2);
    assert_int_equal(history_count(&sim, ws, NULL), 2); /* the question, the answer once */
    harness *won = s1->flash_is_error ? &h2 : &h1, *lost = s1->flash_is_error ? &h1 : &h2;
    assert_false(desk_get_status(won->desk)->flash_is_error);
    assert_flash_matches(won, "^draft approved$");
    assert_flash_matches(lost, "^that draft (was already approved by another manager at "
                               "[0-9]{2}:[0-9]{2}|is no longer waiting: another manager decided "
                               "it); nothing was sent$");
    /* The console that lost asks nothing more when asked again. */
    desk_approve(lost->desk, &d1, NULL);
    assert_flash_matches(lost, "another manager.*nothing was sent$");
    pump_for(lost, 300);
    assert_int_equal(stat_count(&sim, path), 2);
    drop_draft(&d1);
    free(ws);
    h_free(&h1);
    h_free(&h2);
}

static void desk__in_takeover_a_customer_gets_no_ai_reply_and_a_human_answers(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "ai", NULL);
    desk_set_mode(h.desk, c, AI_MODE_TAKEOVER);
    WAIT_FOR(&h, 10000, c->mode == AI_MODE_TAKEOVER);

    cust_send(&sim, c->id, "I want to talk to a person");
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_USER, "I want to talk to a person") != NULL);
    pump_for(&h, 800);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 0);

    desk_send(h.desk, c, "Hi, I'm Sam from support.", true);
    msg *human = find_msg(c, AI_ROLE_HUMAN, "Hi, I'm Sam from support.");
    assert_non_null(human);
    assert_true(human->as_agent);
    WAIT_FOR(&h, 10000, human->state == MSG_FINAL);
    pump_for(&h, 300);
    assert_true(is_server_id(human));
    assert_int_equal(count_msgs(c, AI_ROLE_HUMAN, NULL), 1);
    assert_int_equal(c->nmsgs, 2);
    ai_message_list *l = history(&sim, c->id);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->items[1].role, AI_ROLE_HUMAN);
    assert_string_equal(l->items[1].id, human->id);
    ai_message_list_free(l);

    /* As the customer, in takeover: no AI answer, a note instead. */
    desk_send(h.desk, c, "Thanks Sam", false);
    msg *mine = find_msg(c, AI_ROLE_USER, "Thanks Sam");
    /* The live event may confirm it before the send's answer adds the note. */
    WAIT_FOR(&h, 10000, mine->state == MSG_FINAL && mine->note != NULL);
    pump_for(&h, 300);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 0);
    assert_int_equal(c->nmsgs, 3);

    /* Ending it; a send afterwards goes nowhere. */
    desk_end_workspace(h.desk, c);
    WAIT_FOR(&h, 10000, c->ended);
    desk_send(h.desk, c, "hello?", false);
    assert_null(find_msg(c, AI_ROLE_USER, "hello?"));
    assert_true(desk_get_status(h.desk)->flash_is_error);
    h_free(&h);
}

/* Transcript records, gathered. */
typedef struct tx_seen {
    size_t meta, user, delta, reply_end;
    buf_t deltas;
    char state[32];
} tx_seen;

static bool tx_record(void *ud, json_object *rec)
{
    tx_seen *s = ud;
    json_object *t = NULL, *v = NULL;
    if (!json_object_object_get_ex(rec, "type", &t))
        return true;
    const char *type = json_object_get_string(t);
    if (!strcmp(type, "meta")) {
        s->meta++;
    } else if (!strcmp(type, "user")) {
        s->user++;
    } else if (!strcmp(type, "delta")) {
        s->delta++;
        if (json_object_object_get_ex(rec, "text", &v))
            buf_append_str(&s->deltas, json_object_get_string(v));
    } else if (!strcmp(type, "reply_end")) {
        s->reply_end++;
        if (json_object_object_get_ex(rec, "state", &v))
            snprintf(s->state, sizeof s->state, "%s", json_object_get_string(v));
    }
    return true;
}

/* The one chat transcript of this test, read back. */
static void read_transcript(tx_seen *s)
{
    memset(s, 0, sizeof *s);
    store_transcript_info *v = NULL;
    size_t n = 0;
    assert_int_equal(store_transcript_list("chat", &v, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_non_null(strstr(v[0].path, xdg)); /* under XDG_DATA_HOME */
    assert_int_equal(store_transcript_load(v[0].path, tx_record, s, NULL, NULL), 0);
    store_transcript_list_free(v, n);
}

static void desk__a_chat_streams_its_reply_into_a_transcript(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = desk_new_chat(h.desk, "gpt-4o-mini");
    assert_string_equal(c->chat_model, "gpt-4o-mini");
    /* A pause in the middle, so that it is seen growing however busy the
     * machine is (a starved network thread may read a fast stream whole). */
    add_fault(&sim, "stall_after=4;stall=1000;times=1;path=/v1/chat/completions");
    desk_send(h.desk, c, "Give me a list of shipping options", false);
    assert_true(desk_is_streaming(h.desk, c));
    assert_int_equal(c->nmsgs, 2);
    msg *reply = c->msgs[1];
    assert_int_equal(reply->state, MSG_STREAMING);
    /* It shows while it streams: part of it first, the rest later. */
    size_t partial = 0;
    int64_t until = clock_mono_ms() + 15000;
    while (desk_is_streaming(h.desk, c) && clock_mono_ms() < until) {
        pump(&h, 50);
        if (!partial && desk_is_streaming(h.desk, c))
            partial = reply->text.len;
    }
    assert_false(desk_is_streaming(h.desk, c));
    assert_int_equal(reply->state, MSG_FINAL);
    assert_true(partial > 0);
    assert_true(reply->text.len > partial);
    assert_int_equal(c->msgs[0]->state, MSG_FINAL);
    /* A second turn sends the whole conversation. */
    desk_send(h.desk, c, "Thanks!", false);
    WAIT_FOR(&h, 15000, !desk_is_streaming(h.desk, c));
    assert_int_equal(c->nmsgs, 4);
    assert_int_equal(c->msgs[3]->state, MSG_FINAL);

    tx_seen s;
    read_transcript(&s);
    assert_int_equal(s.meta, 1);
    assert_int_equal(s.user, 2);
    assert_true(s.delta >= 2);
    assert_int_equal(s.reply_end, 2);
    assert_string_equal(s.state, "done");
    buf_t both = BUF_INIT;
    buf_append_str(&both, buf_cstr(&reply->text));
    buf_append_str(&both, buf_cstr(&c->msgs[3]->text));
    assert_string_equal(buf_cstr(&s.deltas), buf_cstr(&both));
    buf_free(&both);
    buf_free(&s.deltas);
    h_free(&h);
}

/* A server that refuses stream_options (which the SDK never sends): the
 * console's chat goes again without it and completes, and the connection
 * is not shown as failing on the way; the next turn goes without it at
 * once. */
static void desk__a_chat_completes_where_stream_options_is_refused(void **state)
{
    (void)state;
    simproc strict;
    const char *args[] = {"--speed", "50", "--refuse-field", "stream_options", NULL};
    assert_int_equal(simproc_start(&strict, args), 0);
    harness h;
    h_init(&h, strict.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = desk_new_chat(h.desk, "llama-3.1-8b-instant");
    desk_send(h.desk, c, "Give me a list of shipping options", false);
    WAIT_FOR(&h, 15000, !desk_is_streaming(h.desk, c));
    assert_int_equal(c->msgs[1]->state, MSG_FINAL);
    assert_true(c->msgs[1]->text.len > 0);
    assert_int_equal(desk_get_status(h.desk)->aiassist, DESK_CONN_OK);
    desk_send(h.desk, c, "Thanks!", false);
    WAIT_FOR(&h, 15000, !desk_is_streaming(h.desk, c));
    assert_int_equal(c->msgs[3]->state, MSG_FINAL);
    char body[16384];
    assert_int_equal(simproc_admin(&strict, "GET", "/_sim/stats", NULL, body, sizeof body), 200);
    /* The refused first attempt and two chats: the second went without
     * the field from the start. */
    const char *n = strstr(body, "\"/v1/chat/completions\":");
    assert_non_null(n);
    assert_int_equal(strtol(n + strlen("\"/v1/chat/completions\":"), NULL, 10), 3);
    h_free(&h);
    simproc_stop(&strict);
}

static void desk__cancelling_a_chat_keeps_the_partial_reply(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = desk_new_chat(h.desk, "pin:operator-alias/llama3");
    assert_false(desk_cancel_stream(h.desk, c));
    desk_send(h.desk, c, "Write me a long poem about parcels", false);
    msg *reply = c->msgs[1];
    WAIT_FOR(&h, 10000, reply->text.len > 0);
    assert_true(desk_cancel_stream(h.desk, c));
    WAIT_FOR(&h, 5000, !desk_is_streaming(h.desk, c));
    assert_int_equal(reply->state, MSG_CANCELLED);
    assert_true(reply->text.len > 0);
    size_t kept = reply->text.len;
    pump_for(&h, 300);
    assert_int_equal(reply->text.len, kept);
    tx_seen s;
    read_transcript(&s);
    assert_string_equal(s.state, "cancelled");
    assert_string_equal(buf_cstr(&s.deltas), buf_cstr(&reply->text));
    buf_free(&s.deltas);
    h_free(&h);
}

static void desk__a_chat_reply_cut_by_a_drop_fails_with_the_partial_text(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    add_fault(&sim, "drop_after=5;path=/v1/chat/completions;times=1");
    conv *c = desk_new_chat(h.desk, "gpt-4o-mini");
    desk_send(h.desk, c, "Tell me about refunds", false);
    msg *reply = c->msgs[1];
    WAIT_FOR(&h, 10000, !desk_is_streaming(h.desk, c));
    assert_int_equal(reply->state, MSG_FAILED);
    assert_true(reply->text.len > 0);
    assert_non_null(reply->note);
    assert_true(desk_get_status(h.desk)->flash_is_error);
    tx_seen s;
    read_transcript(&s);
    assert_string_equal(s.state, "failed");
    buf_free(&s.deltas);
    /* The next turn works (the fault fired once) and carries the cut reply. */
    desk_send(h.desk, c, "Go on", false);
    WAIT_FOR(&h, 10000, !desk_is_streaming(h.desk, c));
    assert_int_equal(c->msgs[3]->state, MSG_FINAL);
    h_free(&h);
}

static void desk__a_chat_reply_with_invalid_utf8_is_kept_and_noted(void **state)
{
    (void)state;
#define FFFD "\xEF\xBF\xBD"
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    add_fault(&sim, "invalid_utf8;path=/v1/chat/completions;times=1");
    conv *c = desk_new_chat(h.desk, "gpt-4o-mini");
    desk_send(h.desk, c, "Tell me about refunds", false);
    msg *reply = c->msgs[1];
    WAIT_FOR(&h, 10000, !desk_is_streaming(h.desk, c));
    /* The chunk with the bad bytes is kept, each maximal invalid subpart
     * one U+FFFD (docs/protocol.md 6 lists the bytes). */
    assert_int_equal(reply->state, MSG_FINAL);
    if (!strstr(buf_cstr(&reply->text), FFFD FFFD " bad" FFFD "( " FFFD FFFD " " FFFD FFFD FFFD " "
                                        FFFD FFFD FFFD FFFD FFFD))
        fail_msg("reply: %s", buf_cstr(&reply->text));
    const desk_status *st = desk_get_status(h.desk);
    assert_non_null(st->flash);
    assert_non_null(strstr(st->flash, "not valid UTF-8"));
    assert_false(st->flash_is_error);
    /* The next turn sends it back and works. */
    desk_send(h.desk, c, "Go on", false);
    WAIT_FOR(&h, 10000, !desk_is_streaming(h.desk, c));
    assert_int_equal(c->msgs[3]->state, MSG_FINAL);
    h_free(&h);
}

static void desk__a_message_sent_while_the_server_is_down_goes_out_once_it_is_back(void **state)
{
    (void)state;
    char statefile[300], port[16];
    snprintf(statefile, sizeof statefile, "%s/sim-state.json", xdg);
    simproc own;
    const char *args[] = {"--speed", "10", "--state", statefile, NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    snprintf(port, sizeof port, "%d", own.port);

    harness h;
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_STREAMING);
    conv *c = h_create(&h, "takeover", NULL);
    pump_for(&h, 700); /* the state file is saved at most every 0.5 s */
    simproc_stop(&own);

    desk_send(h.desk, c, "Are you there?", false);
    msg *m = find_msg(c, AI_ROLE_USER, "Are you there?");
    WAIT_FOR(&h, 15000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNSENT);
    assert_true(m->resend);
    assert_non_null(m->note);
    assert_int_equal(unsent_count(), 1);
    assert_int_not_equal(desk_get_status(h.desk)->aiassist, DESK_CONN_OK);
    pump_for(&h, 500);
    assert_int_equal(m->state, MSG_UNSENT); /* nothing answers yet */

    /* The server comes back on the same port with the same state. */
    const char *args2[] = {"--speed", "10", "--state", statefile, "--port", port, NULL};
    assert_int_equal(simproc_start(&own, args2), 0);
    assert_int_equal(own.port, atoi(port));
    WAIT_FOR(&h, 20000, m->state == MSG_FINAL);
    pump_for(&h, 1500);
    assert_true(is_server_id(m));
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Are you there?"), 1);
    assert_int_equal(history_count(&own, c->id, "Are you there?"), 1);
    assert_int_equal(unsent_count(), 0);
    assert_int_equal(desk_get_status(h.desk)->aiassist, DESK_CONN_OK);
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_STREAMING);
    h_free(&h);
    simproc_stop(&own);
}

static void desk__a_send_refused_with_429_goes_out_once_the_server_answers_a_probe(void **state)
{
    (void)state;
    harness h;
    h_init_retries(&h, sim.base_url, AGENT_KEY, 0, 0); /* the 429 reaches the desk at once */
    h_start(&h);
    conv *c = h_create(&h, "takeover", NULL);
    char path[200];
    fault_next_send(c, "status=429;retry_after=1", path, sizeof path);
    desk_send(h.desk, c, "Busy?", false);
    msg *m = find_msg(c, AI_ROLE_USER, "Busy?");
    WAIT_FOR(&h, 10000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNSENT);
    assert_true(m->resend);
    assert_int_equal(unsent_count(), 1);
    /* The connection itself never looked down; the probe's answer is what
     * sends it (its timer, run early). */
    assert_int_equal(desk_get_status(h.desk)->aiassist, DESK_CONN_OK);
    assert_true(desk_next_timer_ms(h.desk, clock_mono_ms()) >= 0);
    desk_tick(h.desk, clock_mono_ms() + 6000);
    WAIT_FOR(&h, 10000, m->state == MSG_FINAL);
    pump_for(&h, 300);
    assert_true(is_server_id(m));
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Busy?"), 1);
    assert_int_equal(stat_count(&sim, path), 2); /* the 429 and the resend */
    assert_int_equal(history_count(&sim, c->id, "Busy?"), 1);
    assert_int_equal(unsent_count(), 0);
    h_free(&h);
}

static void desk__a_send_answered_503_may_have_arrived_and_is_never_resent(void **state)
{
    (void)state;
    /* A 503 may come from a gateway after the server stored the message:
     * not a proof that it did not arrive. A user key: no live stream
     * settles it either. */
    harness h;
    h_init(&h, sim.base_url, USER_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "takeover", NULL);
    char path[200];
    fault_next_send(c, "status=503", path, sizeof path);
    desk_send(h.desk, c, "Overloaded?", false);
    msg *m = find_msg(c, AI_ROLE_USER, "Overloaded?");
    WAIT_FOR(&h, 10000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_false(m->resend);
    assert_non_null(strstr(m->note, "may not have arrived"));
    desk_tick(h.desk, clock_mono_ms() + 60000);
    pump_for(&h, 500);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_int_equal(stat_count(&sim, path), 1); /* never repeated */
    h_free(&h);
}

static void desk__finds_a_customers_workspace_by_client_id(void **state)
{
    (void)state;
    ai_client *cl = client_for(&sim, USER_KEY);
    char client[64];
    snprintf(client, sizeof client, "cust_find_%lld", (long long)clock_mono_us());
    ai_ws_create_params p = {.initial_message = "I am back about my order", .client_id = client};
    direct_ok(ai_req_ws_create(cl, &p));
    ai_client_free(cl);
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    /* Not started: no listing or event stream names it first, so the
     * lookup has to ask. */
    desk_find_workspace(h.desk, client);
    conv *c = NULL;
    WAIT_FOR(&h, 10000, (c = desk_take_focus(h.desk)) != NULL);
    assert_string_equal(c->title, client);
    assert_false(c->mine);
    assert_true(c->history_loaded);
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "I am back about my order"), 1);
    /* Known now: found again without asking the server. */
    char path[200];
    snprintf(path, sizeof path, "/api/workspaces/by-client/%s", client);
    assert_int_equal(stat_count(&sim, path), 1);
    desk_find_workspace(h.desk, client);
    assert_ptr_equal(desk_take_focus(h.desk), c);
    pump_for(&h, 100);
    assert_int_equal(stat_count(&sim, path), 1);
    desk_find_workspace(h.desk, "nobody_by_that_name");
    WAIT_FOR(&h, 10000, desk_get_status(h.desk)->flash &&
                            strstr(desk_get_status(h.desk)->flash, "nobody_by_that_name"));
    assert_true(desk_get_status(h.desk)->flash_is_error);
    assert_null(desk_take_focus(h.desk));
    /* Ended, it may have a successor: the server is asked again. */
    desk_end_workspace(h.desk, c);
    WAIT_FOR(&h, 10000, c->ended);
    desk_find_workspace(h.desk, client);
    WAIT_FOR(&h, 10000, stat_count(&sim, path) == 2);
    h_free(&h);
}

static void desk__a_send_that_may_have_arrived_is_uncertain_and_never_resent(void **state)
{
    (void)state;
    /* A user key: no live stream, so nothing tells the desk the message
     * arrived but the answer it never got. */
    harness h;
    h_init(&h, sim.base_url, USER_KEY, 0);
    h_start(&h);
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_NO_ACCESS);
    conv *c = h_create(&h, "takeover", NULL);
    char path[200];
    fault_next_send(c, "drop_after=0", path, sizeof path);
    desk_send(h.desk, c, "Did this arrive?", false);
    msg *m = find_msg(c, AI_ROLE_USER, "Did this arrive?");
    WAIT_FOR(&h, 10000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_false(m->resend);
    assert_int_equal(unsent_count(), 1);
    /* Time passes, the server answers other calls: never sent again. */
    desk_open(h.desk, c);
    pump_for(&h, 1500);
    desk_tick(h.desk, clock_mono_ms() + 60000);
    pump_for(&h, 300);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_int_equal(stat_count(&sim, path), 1); /* the send, once */
    assert_int_equal(history_count(&sim, c->id, "Did this arrive?"), 1);
    char *ws = xstrdup(c->id);
    h_free(&h);

    /* A restart offers it again, as unsent, saying it may have arrived. */
    h_init(&h, sim.base_url, USER_KEY, 0);
    h_start(&h);
    c = model_find(desk_model(h.desk), ws);
    assert_non_null(c);
    m = find_msg(c, AI_ROLE_USER, "Did this arrive?");
    assert_non_null(m);
    assert_int_equal(m->state, MSG_UNSENT);
    assert_false(m->resend);
    assert_non_null(strstr(m->note, "may have arrived"));
    pump_for(&h, 500);
    assert_int_equal(history_count(&sim, ws, "Did this arrive?"), 1);
    assert_int_equal(unsent_count(), 1);
    /* Its history shows the server's copy beside ours, which stays. */
    desk_open(h.desk, c);
    WAIT_FOR(&h, 10000, c->history_loaded);
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Did this arrive?"), 2);
    assert_int_equal(m->state, MSG_UNSENT);

    /* Another uncertain send that a later history shows arrived: it is the
     * server's, and nothing is kept to send again. */
    fault_next_send(c, "drop_after=0", path, sizeof path);
    desk_send(h.desk, c, "And this one?", false);
    m = find_msg(c, AI_ROLE_USER, "And this one?");
    WAIT_FOR(&h, 10000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_int_equal(unsent_count(), 2);
    desk_reload(h.desk);
    WAIT_FOR(&h, 10000, m->state == MSG_FINAL);
    pump(&h, 10);
    assert_true(is_server_id(m));
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "And this one?"), 1);
    assert_int_equal(unsent_count(), 1); /* the restored one only */
    free(ws);
    h_free(&h);
}

static void desk__a_dropped_send_seen_on_the_live_stream_is_known_to_have_arrived(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "takeover", NULL);
    char path[200];
    fault_next_send(c, "drop_after=0", path, sizeof path);
    desk_send(h.desk, c, "Seen live", false);
    msg *m = find_msg(c, AI_ROLE_USER, "Seen live");
    /* Whichever comes first, the failed answer or the event, the message
     * ends as the server's, once, and nothing is kept to send again. */
    WAIT_FOR(&h, 10000, m->state == MSG_FINAL && is_server_id(m));
    pump_for(&h, 500);
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Seen live"), 1);
    assert_int_equal(history_count(&sim, c->id, "Seen live"), 1);
    assert_int_equal(unsent_count(), 0);
    h_free(&h);
}

static void desk__a_restart_restores_unsent_messages_as_unsent(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead_port());
    harness h;
    h_init(&h, url, AGENT_KEY, 0);
    desk_start(h.desk);
    model *m = desk_model(h.desk);
    ai_workspace w;
    memset(&w, 0, sizeof w);
    w.id = (char *)"ws_far";
    w.pending_drafts = -1;
    conv *c = model_upsert_workspace(m, &w, 1);
    desk_send(h.desk, c, "first, as the customer", false);
    desk_send(h.desk, c, "second, as an agent", true);
    WAIT_FOR(&h, 15000, c->msgs[0]->state == MSG_UNSENT && c->msgs[1]->state == MSG_UNSENT);
    assert_true(c->msgs[0]->resend);
    /* Down: offline, or already counting down to the live stream's next try. */
    desk_conn conn = desk_get_status(h.desk)->aiassist;
    assert_true(conn == DESK_CONN_OFFLINE || conn == DESK_CONN_RETRYING);
    assert_int_equal(unsent_count(), 2);
    h_free(&h);

    h_init(&h, url, AGENT_KEY, 0);
    desk_start(h.desk);
    c = model_find(desk_model(h.desk), "ws_far");
    assert_non_null(c);
    assert_int_equal(c->nmsgs, 2);
    msg *a = find_msg(c, AI_ROLE_USER, "first, as the customer");
    msg *b = find_msg(c, AI_ROLE_HUMAN, "second, as an agent");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->state, MSG_UNSENT);
    assert_int_equal(b->state, MSG_UNSENT);
    assert_false(a->as_agent);
    assert_true(b->as_agent);
    assert_false(a->resend); /* only the user sends them again */
    assert_int_equal(unsent_count(), 2); /* the same records, not doubled */
    /* The user's retry: still no server, so it waits again. */
    assert_true(desk_retry(h.desk, c, a));
    assert_int_equal(a->state, MSG_SENDING);
    WAIT_FOR(&h, 15000, a->state == MSG_UNSENT);
    assert_true(a->resend);
    assert_int_equal(unsent_count(), 2);
    h_free(&h);
}

static void desk__a_restart_restores_many_unsent_messages_in_order_and_loses_none(void **state)
{
    (void)state;
    /* Twelve left by an older aidesk, in its format: "local-10" sorts
     * before "local-2"; each comes back once, in order. */
    char key[64], text[64];
    for (int i = 1; i <= 12; i++) {
        snprintf(key, sizeof key, "ws_many#local-%d", i);
        snprintf(text, sizeof text, "Cmessage %d", i);
        write_legacy_unsent(key, text);
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead_port());
    for (int round = 0; round < 2; round++) {
        harness h;
        h_init(&h, url, AGENT_KEY, 0);
        desk_start(h.desk);
        conv *c = model_find(desk_model(h.desk), "ws_many");
        assert_non_null(c);
        assert_int_equal(c->nmsgs, 12);
        for (int i = 1; i <= 12; i++) {
            snprintf(text, sizeof text, "message %d", i);
            assert_string_equal(buf_cstr(&c->msgs[i - 1]->text), text);
            assert_int_equal(c->msgs[i - 1]->state, MSG_UNSENT);
        }
        assert_int_equal(unsent_count(), 12);
        h_free(&h);
    }
}

/* ------------------------------------- two consoles on one data directory */

/* One console in a child process, on the data directory of the test. It
 * keeps three messages (sent while the server is down) when tag is set,
 * then writes the text of every unsent message it shows to out_fd and
 * closes it, and ends when go_fd says so: both consoles are alive at once.
 * It never returns into the test runner. */
typedef struct console_kid {
    const char *url;
    const char *tag;
    int out_fd, go_fd;
} console_kid;

static size_t count_in(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static bool all_unsent(const conv *c, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < c->nmsgs; i++)
        k += c->msgs[i]->state == MSG_UNSENT;
    return k == n;
}

static void console_kid_run(const console_kid *k)
{
    harness h;
    h_init_retries(&h, k->url, AGENT_KEY, 0, 0);
    desk_start(h.desk);
    conv *c = model_find(desk_model(h.desk), "ws_both");
    if (k->tag) {
        ai_workspace w;
        memset(&w, 0, sizeof w);
        w.id = (char *)"ws_both";
        w.pending_drafts = -1;
        c = model_upsert_workspace(desk_model(h.desk), &w, 1);
        char text[64];
        for (int i = 1; i <= 3; i++) {
            snprintf(text, sizeof text, "%s says %d", k->tag, i);
            desk_send(h.desk, c, text, false);
        }
        int64_t until = clock_mono_ms() + 15000;
        while (!all_unsent(c, 3) && clock_mono_ms() < until)
            pump(&h, 50);
        if (!all_unsent(c, 3))
            _exit(2);
    }
    buf_t b = BUF_INIT;
    for (size_t i = 0; c && i < c->nmsgs; i++)
        if (c->msgs[i]->state == MSG_UNSENT)
            buf_printf(&b, "%s\n", buf_cstr(&c->msgs[i]->text));
    if (b.len && write(k->out_fd, b.data, b.len) != (ssize_t)b.len)
        _exit(3);
    close(k->out_fd);
    buf_free(&b);
    char go;
    if (read(k->go_fd, &go, 1) != 1)
        _exit(4);
    h_free(&h);
    _exit(0);
}

/* Runs two consoles at once (tags a and b, or restoring only when NULL)
 * and returns what each showed, in out[0] and out[1] (caller frees). */
static void two_consoles(const char *url, const char *a, const char *b, char *out[2])
{
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pids[2];
    int outs[2];
    const char *tags[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(p[0]);
            close(go[1]);
            console_kid k = {url, tags[i], p[1], go[0]};
            console_kid_run(&k);
        }
        close(p[1]);
        outs[i] = p[0];
    }
    for (int i = 0; i < 2; i++) {
        buf_t r = BUF_INIT;
        char chunk[512];
        ssize_t n;
        while ((n = read(outs[i], chunk, sizeof chunk)) > 0)
            buf_append(&r, chunk, (size_t)n);
        close(outs[i]);
        out[i] = buf_steal(&r);
    }
    /* Both have shown what they show: now they may end. */
    assert_int_equal(write(go[1], "gg", 2), 2);
    for (int i = 0; i < 2; i++) {
        int st = 0;
        assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    close(go[0]);
    close(go[1]);
}

static void desk__two_consoles_on_one_data_directory_keep_every_unsent_message_once(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead_port());
    /* Both keep three messages for the same workspace, at the same time. */
    char *shown[2];
    two_consoles(url, "alpha", "beta", shown);
    assert_string_equal(shown[0], "alpha says 1\nalpha says 2\nalpha says 3\n");
    assert_string_equal(shown[1], "beta says 1\nbeta says 2\nbeta says 3\n");
    free(shown[0]);
    free(shown[1]);
    assert_int_equal(unsent_count(), 6);

    /* Both restart at once: each message comes back in exactly one. */
    two_consoles(url, NULL, NULL, shown);
    char both[1024];
    snprintf(both, sizeof both, "%s%s", shown[0], shown[1]);
    char text[64];
    for (int i = 1; i <= 3; i++) {
        snprintf(text, sizeof text, "alpha says %d\n", i);
        assert_int_equal(count_in(both, text), 1);
        snprintf(text, sizeof text, "beta says %d\n", i);
        assert_int_equal(count_in(both, text), 1);
    }
    free(shown[0]);
    free(shown[1]);

    /* And once more, in one console: all six, once each, still kept. */
    harness h;
    h_init_retries(&h, url, AGENT_KEY, 0, 0);
    desk_start(h.desk);
    conv *c = model_find(desk_model(h.desk), "ws_both");
    assert_non_null(c);
    assert_int_equal(c->nmsgs, 6);
    for (int i = 1; i <= 3; i++) {
        snprintf(text, sizeof text, "alpha says %d", i);
        assert_int_equal(count_msgs(c, AI_ROLE_USER, text), 1);
        snprintf(text, sizeof text, "beta says %d", i);
        assert_int_equal(count_msgs(c, AI_ROLE_USER, text), 1);
    }
    assert_int_equal(unsent_count(), 6);
    h_free(&h);
}

/* A port that takes connections and reads nothing: a request sent there
 * is on the wire, and no answer ever comes. Returns the listening socket. */
static int black_hole(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 64), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* A console killed while its messages were on the wire: they were written
 * ahead, so the next start finds them, as "may have arrived" (they may
 * have), and the agent reply with the idempotency key it went out with. */
static void desk__a_console_killed_during_a_send_finds_the_message_again_as_uncertain(void **state)
{
    (void)state;
    int port;
    int hole = black_hole(&port);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        close(ready[0]);
        harness h;
        h_init(&h, url, AGENT_KEY, 0);
        desk_start(h.desk);
        ai_workspace w;
        memset(&w, 0, sizeof w);
        w.id = (char *)"ws_wire";
        w.pending_drafts = -1;
        conv *c = model_upsert_workspace(desk_model(h.desk), &w, 1);
        desk_send(h.desk, c, "on the wire as the customer", false);
        desk_send(h.desk, c, "on the wire as an agent", true);
        const char *key = c->msgs[c->nmsgs - 1]->idem_key;
        pump_for(&h, 300);
        if (!key || c->msgs[0]->state != MSG_SENDING || c->msgs[1]->state != MSG_SENDING ||
            write(ready[1], key, strlen(key)) != (ssize_t)strlen(key))
            _exit(2);
        close(ready[1]);
        for (;;)
            pump(&h, 1000); /* until killed */
    }
    close(ready[1]);
    char key[128] = "";
    ssize_t n = read(ready[0], key, sizeof key - 1);
    close(ready[0]);
    assert_true(n > 0);
    key[n] = '\0';
    kill(kid, SIGKILL);
    int st;
    assert_int_equal(waitpid(kid, &st, 0), kid);
    close(hole);
    assert_int_equal(unsent_count(), 2);

    harness h;
    h_init(&h, url, AGENT_KEY, 0);
    desk_start(h.desk);
    conv *c = model_find(desk_model(h.desk), "ws_wire");
    assert_non_null(c);
    msg *a = find_msg(c, AI_ROLE_USER, "on the wire as the customer");
    msg *b = find_msg(c, AI_ROLE_HUMAN, "on the wire as an agent");
    assert_non_null(a);
    assert_non_null(b);
    assert_false(a->resend); /* may have arrived: only the person decides */
    assert_false(b->resend);
    assert_non_null(strstr(a->note, "may have arrived"));
    assert_non_null(b->idem_key);
    assert_string_equal(b->idem_key, key);
    assert_int_equal(unsent_count(), 2);
    h_free(&h);
}

static void desk__the_live_stream_resumes_after_a_drop_without_losing_or_repeating(void **state)
{
    (void)state;
    char *ws = cust_create(&sim, "takeover", NULL);
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    add_fault(&sim, "drop_after=3;path=/api/manager/events;times=1");
    h_start(&h);
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_STREAMING);
    bool saw_retry = false;
    char text[64];
    for (int i = 1; i <= 8; i++) {
        snprintf(text, sizeof text, "message %d", i);
        cust_send(&sim, ws, text);
        for (int k = 0; k < 3; k++) {
            pump(&h, 20);
            saw_retry |= desk_get_status(h.desk)->live == DESK_LIVE_RETRYING;
        }
    }
    model *m = desk_model(h.desk);
    WAIT_FOR(&h, 10000, model_find(m, ws) && model_find(m, ws)->nmsgs >= 8);
    pump_for(&h, 800);
    conv *c = model_find(m, ws);
    assert_int_equal(c->nmsgs, 8);
    for (int i = 1; i <= 8; i++) {
        snprintf(text, sizeof text, "message %d", i);
        assert_int_equal(count_msgs(c, AI_ROLE_USER, text), 1);
        assert_string_equal(buf_cstr(&c->msgs[i - 1]->text), text);
    }
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_STREAMING);
    /* The drop happened (the fault fired) and the stream came back. */
    char body[4096];
    assert_int_equal(simproc_admin(&sim, "GET", "/_sim/faults", NULL, body, sizeof body), 200);
    assert_non_null(strstr(body, "\"fired\": 1") ? body : strstr(body, "\"fired\":1"));
    assert_true(stat_count(&sim, "/api/manager/events") >= 2);
    assert_true(saw_retry);
    h_free(&h);
    free(ws);
}

static void desk__without_the_manager_api_it_polls_the_workspace_on_screen(void **state)
{
    (void)state;
    simproc own;
    const char *args[] = {"--speed", "10", "--no-manager", NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    harness h;
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_POLLING);
    conv *c = h_create(&h, "takeover", "Hi there");
    WAIT_FOR(&h, 5000, c->history_loaded);
    assert_int_equal(desk_get_status(h.desk)->aiassist, DESK_CONN_OK);
    cust_send(&own, c->id, "Anyone?");
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_USER, "Anyone?") != NULL);
    assert_int_equal(c->nmsgs, 2);
    assert_int_equal(c->unread, 0);
    /* Polling again finds nothing new and adds nothing. */
    pump_for(&h, 3500);
    assert_int_equal(c->nmsgs, 2);
    assert_int_equal(desk_get_status(h.desk)->live, DESK_LIVE_POLLING);
    h_free(&h);
    simproc_stop(&own);
}

static void desk__a_polled_history_with_invalid_utf8_is_noted_once(void **state)
{
    (void)state;
    simproc own;
    const char *args[] = {"--speed", "10", "--no-manager", NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    harness h;
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "takeover", "Hi there");
    WAIT_FOR(&h, 5000, c->history_loaded);
    /* Every history answer from now on holds bytes that are not UTF-8. */
    char spec[200];
    snprintf(spec, sizeof spec, "invalid_utf8;path=/api/workspaces/%s/messages", c->id);
    add_fault(&own, spec);
    const desk_status *st = desk_get_status(h.desk);
    WAIT_FOR(&h, 10000, st->flash && strstr(st->flash, "not valid UTF-8"));
    /* The message is there, with U+FFFD where the bad bytes were. */
    bool kept = false;
    for (size_t i = 0; i < c->nmsgs; i++)
        kept |= !strncmp(buf_cstr(&c->msgs[i]->text), "Hi there \xEF\xBF\xBD\xEF\xBF\xBD bad", 16);
    assert_true(kept);
    int64_t first = st->flash_until;
    /* The poller reads it again every few seconds: no new note. */
    pump_for(&h, 3500);
    assert_non_null(st->flash);
    assert_int_equal(st->flash_until, first);
    h_free(&h);
    simproc_stop(&own);
}

static void desk__typing_previews_are_debounced_and_the_last_one_goes_out(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "takeover", NULL);
    char path[200];
    snprintf(path, sizeof path, "/api/workspaces/%s/typing", c->id);
    long before = stat_count(&sim, path);
    const char *full = "Where is my parcel, please";
    char text[64];
    int64_t t0 = clock_mono_ms();
    size_t n = 0;
    while (clock_mono_ms() - t0 < 100) {
        n = n < strlen(full) ? n + 1 : n;
        snprintf(text, sizeof text, "%.*s", (int)n, full);
        desk_typing(h.desk, c, text, false);
        pump(&h, 4);
    }
    desk_typing(h.desk, c, full, false);
    pump_for(&h, 700);
    long sent = stat_count(&sim, path) - before;
    assert_true(sent >= 1);
    assert_true(sent <= 2);
    /* The last text is what the preview shows (echoed by the live stream). */
    WAIT_FOR(&h, 5000, c->typing && !strcmp(c->typing, full));
    h_free(&h);
}

static void desk__a_customers_typing_shows_in_the_conversation(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    char *ws = cust_create(&sim, "ai", NULL);
    cust_typing(&sim, ws, "I ordered a lamp and");
    model *m = desk_model(h.desk);
    WAIT_FOR(&h, 5000, model_find(m, ws) && model_find(m, ws)->typing);
    conv *c = model_find(m, ws);
    assert_string_equal(c->typing, "I ordered a lamp and");
    /* Sending it ends the preview. */
    cust_send(&sim, ws, "I ordered a lamp and it broke");
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_USER, "I ordered a lamp and it broke") != NULL);
    assert_null(c->typing);
    assert_true(c->unread >= 1);
    free(ws);
    h_free(&h);
}

static void desk__a_server_reset_makes_it_list_everything_again(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    WAIT_FOR(&h, 5000, desk_model(h.desk)->nconvs > 0);
    assert_int_equal(simproc_admin(&sim, "POST", "/_sim/reset", "{}", NULL, 0), 200);
    /* Stats restart at the reset: a list request now is the reload. */
    WAIT_FOR(&h, 5000, stat_count(&sim, "/api/manager/workspaces") >= 1 &&
                           stat_count(&sim, "/api/manager/drafts") >= 1);
    assert_false(desk_model(h.desk)->needs_reload);
    h_free(&h);
}

/* ------------------------------------- a server that dies at the worst moment */

/* A simulator of this test's own, keeping its state in statefile (under
 * the test's XDG directory) so that it can come back as it was. */
static void own_start(simproc *own, char *statefile, size_t n, int port)
{
    if (port == 0)
        snprintf(statefile, n, "%s/sim-state.json", xdg);
    char portarg[16];
    snprintf(portarg, sizeof portarg, "%d", port);
    const char *args[] = {"--speed", "10", "--state", statefile, "--port", portarg, NULL};
    assert_int_equal(simproc_start(own, args), 0);
    if (port)
        assert_int_equal(own->port, port);
}

static void desk__a_message_recorded_by_a_server_that_died_is_uncertain_and_never_resent(void **state)
{
    (void)state;
    char statefile[300];
    simproc own;
    own_start(&own, statefile, sizeof statefile, 0);
    int port = own.port;
    /* A user key: no live stream, so only the send's own answer could
     * tell the desk what happened. */
    harness h;
    h_init(&h, own.base_url, USER_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "takeover", NULL);
    WAIT_FOR(&h, 10000, c->history_loaded); /* a GET: the connection stays open */
    char path[200], spec[300];
    snprintf(path, sizeof path, "/api/workspaces/%s/messages", c->id);
    snprintf(spec, sizeof spec, "crash_after_apply;reused_only;path=%s", path);
    add_fault(&own, spec);

    /* Sent on the kept-alive connection, stored, and then the server is
     * gone: libcurl's own retry on a new connection is refused. */
    desk_send(h.desk, c, "Did you get this?", false);
    msg *m = find_msg(c, AI_ROLE_USER, "Did you get this?");
    WAIT_FOR(&h, 15000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_false(m->resend);
    assert_non_null(strstr(m->note, "may not have arrived"));
    assert_int_equal(unsent_count(), 1);
    simproc_stop(&own);

    /* Back on the same port with the same state: the server has it once,
     * and nothing sends it again, however long the desk runs. */
    own_start(&own, statefile, sizeof statefile, port);
    pump_for(&h, 800);
    desk_tick(h.desk, clock_mono_ms() + 60000);
    pump_for(&h, 800);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_int_equal(stat_count(&own, path), 0);
    assert_int_equal(history_count(&own, c->id, "Did you get this?"), 1);
    assert_int_equal(count_msgs(c, AI_ROLE_USER, "Did you get this?"), 1);
    h_free(&h);
    simproc_stop(&own);
}

static void desk__a_reply_whose_answer_was_lost_is_retried_with_its_key_and_arrives_once(void **state)
{
    (void)state;
    /* Not started: no live stream names the reply first; only its own
     * answers can. */
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    conv *c = h_create(&h, "takeover", NULL);
    char path[200], spec[300];
    snprintf(path, sizeof path, "/api/manager/workspaces/%s/reply", c->id);
    snprintf(spec, sizeof spec, "drop_after=0;times=1;path=%s", path);
    add_fault(&sim, spec);
    desk_send(h.desk, c, "I have refunded the order.", true);
    msg *m = find_msg(c, AI_ROLE_HUMAN, "I have refunded the order.");
    assert_non_null(m->idem_key);
    WAIT_FOR(&h, 10000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_FINAL);
    assert_true(is_server_id(m));
    assert_int_equal(stat_count(&sim, path), 2); /* the lost answer, the replay */
    assert_int_equal(history_count(&sim, c->id, "I have refunded the order."), 1);
    h_free(&h);
}

static void desk__an_approval_whose_answer_was_lost_is_retried_and_the_customer_gets_one_message(
    void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "shadow", NULL);
    model *m = desk_model(h.desk);
    cust_send(&sim, c->id, "Where is my refund?");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) != NULL);
    const draft *d = draft_of(m, c->id);
    char path[200], spec[300];
    snprintf(path, sizeof path, "/api/manager/drafts/%s/approve", d->id);
    snprintf(spec, sizeof spec, "drop_after=0;times=1;path=%s", path);
    add_fault(&sim, spec);
    desk_approve(h.desk, d, "It left our bank today.");
    WAIT_FOR(&h, 10000, stat_count(&sim, path) == 2);
    WAIT_FOR(&h, 10000, draft_for(m, c->id) == NULL &&
                            find_msg(c, AI_ROLE_AI, "It left our bank today.") != NULL &&
                            desk_get_status(h.desk)->flash &&
                            strstr(desk_get_status(h.desk)->flash, "approved"));
    assert_false(desk_get_status(h.desk)->flash_is_error);
    pump_for(&h, 300);
    assert_int_equal(history_count(&sim, c->id, "It left our bank today."), 1);
    assert_int_equal(count_msgs(c, AI_ROLE_AI, NULL), 1);
    h_free(&h);
}

static void desk__an_uncertain_reply_goes_out_again_after_a_crash_and_arrives_once(void **state)
{
    (void)state;
    char statefile[300];
    simproc own;
    own_start(&own, statefile, sizeof statefile, 0);
    int port = own.port;
    harness h;
    h_init(&h, own.base_url, AGENT_KEY, 0); /* not started: no live stream */
    conv *c = h_create(&h, "takeover", NULL);
    char path[200], spec[300];
    snprintf(path, sizeof path, "/api/manager/workspaces/%s/reply", c->id);
    snprintf(spec, sizeof spec, "crash_after_apply;path=%s", path);
    add_fault(&own, spec);

    /* Applied, then the server is gone: retried with its key while it is
     * down, in vain. It may have arrived. */
    desk_send(h.desk, c, "Your parcel is on its way.", true);
    msg *m = find_msg(c, AI_ROLE_HUMAN, "Your parcel is on its way.");
    char *key = xstrdup(m->idem_key);
    WAIT_FOR(&h, 15000, m->state != MSG_SENDING);
    assert_int_equal(m->state, MSG_UNCERTAIN);
    assert_non_null(strstr(m->note, "goes out again with its idempotency key"));
    assert_true(m->resend);
    simproc_stop(&own);

    /* Back with the same state: it goes out again by itself, with the same
     * key, so the server answers from its record and the customer has one. */
    own_start(&own, statefile, sizeof statefile, port);
    WAIT_FOR(&h, 15000, m->state == MSG_FINAL);
    assert_string_equal(m->idem_key, key);
    assert_true(is_server_id(m));
    assert_int_equal(stat_count(&own, path), 1);
    assert_int_equal(history_count(&own, c->id, "Your parcel is on its way."), 1);
    free(key);
    h_free(&h);
    simproc_stop(&own);
}

/* The messages of c are the server's history of ws: same ids, roles and
 * texts, in the same order. */
static void assert_same_as_server(const conv *c, const char *ws)
{
    ai_message_list *l = history(&sim, ws);
    assert_int_equal(c->nmsgs, l->n);
    for (size_t i = 0; i < l->n; i++) {
        assert_string_equal(c->msgs[i]->id, l->items[i].id);
        assert_int_equal(c->msgs[i]->role, l->items[i].role);
        assert_string_equal(buf_cstr(&c->msgs[i]->text), l->items[i].content);
    }
    ai_message_list_free(l);
}

static void desk__a_workspace_that_left_memory_opens_with_its_whole_history(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    /* A bound of one workspace, from the configuration. */
    desk_free(h.desk);
    h.cfg->keep_workspaces = 1;
    char *err = NULL;
    h.desk = desk_new(h.cfg, h.net, &err);
    assert_non_null(h.desk);
    h_start(&h);
    model *m = desk_model(h.desk);

    /* Two conversations the console watches live: one that ends, one that
     * stays open. */
    char *gone = cust_create(&sim, "ai", "Where is my order?");
    cust_send(&sim, gone, "It was due on Monday.");
    cust_send(&sim, gone, "Thanks, bye.");
    char *idle = cust_create(&sim, "ai", "Can I change my address?");
    cust_send(&sim, idle, "It is 12 High Street.");
    WAIT_FOR(&h, 10000, model_find(m, idle) && model_find(m, idle)->nmsgs >= 4);
    ai_client *cl = client_for(&sim, USER_KEY);
    direct_ok(ai_req_ws_end(cl, gone));
    ai_client_free(cl);
    WAIT_FOR(&h, 10000, model_find(m, gone) && model_find(m, gone)->ended);

    /* A newer customer pushes both out of memory. */
    char *newer = cust_create(&sim, "ai", "Hello?");
    WAIT_FOR(&h, 10000, model_find(m, newer) && model_find(m, newer)->nmsgs >= 2);
    WAIT_FOR(&h, 10000, !model_find(m, gone) && model_find(m, idle) &&
                            model_find(m, idle)->nmsgs == 0);
    assert_true(m->nkept <= 1);
    conv *c = model_find(m, idle);
    assert_false(c->history_loaded);
    assert_non_null(c->title); /* its summary stays in the sidebar */

    /* Opened again, the live one loads its whole history. */
    desk_open(h.desk, c);
    WAIT_FOR(&h, 10000, c->history_loaded);
    assert_same_as_server(c, idle);

    /* The ended one is found on the server by its id (as /go does) and
     * opens with its whole history. */
    desk_find_by_name(h.desk, gone);
    WAIT_FOR(&h, 10000, (c = desk_take_focus(h.desk)) != NULL);
    assert_string_equal(c->id, gone);
    assert_true(c->ended);
    desk_open(h.desk, c);
    WAIT_FOR(&h, 10000, c->history_loaded);
    assert_same_as_server(c, gone);
    assert_true(c->nmsgs >= 6);

    /* A name the server does not know either is said so. */
    desk_find_by_name(h.desk, "ws_nowhere");
    WAIT_FOR(&h, 10000, desk_get_status(h.desk)->flash &&
                            strstr(desk_get_status(h.desk)->flash, "no conversation called ws_nowhere"));
    free(gone);
    free(idle);
    free(newer);
    h_free(&h);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
    const struct CMUnitTest tests[] = {
        T(desk__routes_each_answer_to_the_owner_its_tag_names_and_asks_each_timer),
        T(desk__start_loads_models_workspaces_drafts_and_opens_the_live_stream),
        T(desk__finds_a_customers_workspace_by_client_id),
        T(desk__creates_a_workspace_that_gets_focus_and_the_ai_reply),
        T(desk__a_shadow_draft_appears_live_and_approving_with_an_edit_shows_edited),
        T(desk__rejecting_a_draft_removes_it_and_adds_no_message),
        T(desk__a_draft_decided_by_another_manager_is_reported_and_nothing_is_sent),
        T(desk__two_consoles_approving_one_draft_send_it_once_and_the_second_says_so),
        T(desk__in_takeover_a_customer_gets_no_ai_reply_and_a_human_answers),
        T(desk__a_chat_streams_its_reply_into_a_transcript),
        T(desk__a_chat_completes_where_stream_options_is_refused),
        T(desk__cancelling_a_chat_keeps_the_partial_reply),
        T(desk__a_chat_reply_cut_by_a_drop_fails_with_the_partial_text),
        T(desk__a_chat_reply_with_invalid_utf8_is_kept_and_noted),
        T(desk__a_message_sent_while_the_server_is_down_goes_out_once_it_is_back),
        T(desk__a_send_refused_with_429_goes_out_once_the_server_answers_a_probe),
        T(desk__a_send_answered_503_may_have_arrived_and_is_never_resent),
        T(desk__a_send_that_may_have_arrived_is_uncertain_and_never_resent),
        T(desk__a_dropped_send_seen_on_the_live_stream_is_known_to_have_arrived),
        T(desk__a_restart_restores_unsent_messages_as_unsent),
        T(desk__a_restart_restores_many_unsent_messages_in_order_and_loses_none),
        T(desk__two_consoles_on_one_data_directory_keep_every_unsent_message_once),
        T(desk__a_console_killed_during_a_send_finds_the_message_again_as_uncertain),
        T(desk__the_live_stream_resumes_after_a_drop_without_losing_or_repeating),
        T(desk__without_the_manager_api_it_polls_the_workspace_on_screen),
        T(desk__a_polled_history_with_invalid_utf8_is_noted_once),
        T(desk__typing_previews_are_debounced_and_the_last_one_goes_out),
        T(desk__a_customers_typing_shows_in_the_conversation),
        T(desk__a_server_reset_makes_it_list_everything_again),
        T(desk__a_message_recorded_by_a_server_that_died_is_uncertain_and_never_resent),
        T(desk__a_reply_whose_answer_was_lost_is_retried_with_its_key_and_arrives_once),
        T(desk__an_approval_whose_answer_was_lost_is_retried_and_the_customer_gets_one_message),
        T(desk__an_uncertain_reply_goes_out_again_after_a_crash_and_arrives_once),
        T(desk__a_workspace_that_left_memory_opens_with_its_whole_history),
    };
#undef T
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
