/* Integration tests: a long conversation held as a window (model.h, "the
 * window") by the console's controller against the simulator: the newest
 * messages on opening, earlier ones brought in order on request, one
 * request at a time, a failure said in words and asked again only when
 * the person asks, and /save writing the whole conversation. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "api/aiassist.h"
#include "api/aiassist_types.h"
#include "deskh.h"
#include "desk/desk.h"
#include "simproc.h"
#include "slurp.h"
#include "test.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "xdgtmp.h"

#define LONG 3000

static simproc sim;
static char xdg[256];
static char statefile[300];
static char *ws_id; /* the long conversation */

/* A simulator whose workspace of client cust_long holds LONG messages
 * (bench/mkstate.py writes them into its saved state). */
static int group_setup(void **state)
{
    (void)state;
    if (xdgtmp_make(xdg, sizeof xdg, "deskwin") != 0 || deskh_open() != 0)
        return -1;
    snprintf(statefile, sizeof statefile, "%s/sim-state.json", xdg);
    const char *args[] = {"--speed", "10", "--state", statefile, NULL};
    if (simproc_start(&sim, args) != 0)
        return -1;
    ai_client *cl = client_for(&sim, USER_KEY);
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "mode", json_object_new_string("takeover"));
    ai_ws_create_params p = {.client_id = "cust_long", .initial_message = "hello", .metadata = meta};
    net_event *ev = direct(ai_req_ws_create(cl, &p));
    json_object_put(meta);
    ai_client_free(cl);
    char *err = NULL;
    ai_create_result *r = ev->kind == NET_EV_DONE ? ai_decode_ws_create(ev->body, ev->body_len, &err) : NULL;
    net_event_free(ev);
    free(err);
    if (!r)
        return -1;
    ws_id = xstrdup(r->workspace.id);
    ai_create_result_free(r);
    simproc_stop(&sim);
    const char *src = getenv("AIDESK_SRCDIR");
    char *cmd = xasprintf("python3 '%s/bench/mkstate.py' '%s' cust_long %d >/dev/null",
                          src ? src : ".", statefile, LONG);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0)
        return -1;
    return simproc_start(&sim, args);
}

static int group_teardown(void **state)
{
    (void)state;
    deskh_close();
    simproc_stop(&sim);
    xdgtmp_remove(xdg);
    free(ws_id);
    return 0;
}

static void add_fault(const char *spec)
{
    char body[512];
    snprintf(body, sizeof body, "{\"spec\":\"%s\"}", spec);
    assert_int_equal(simproc_admin(&sim, "POST", "/_sim/faults", body, NULL, 0), 200);
}

/* c holds the server's messages [from, LONG), in order. */
static void holds_from(const conv *c, const ai_message_list *server, size_t from)
{
    assert_int_equal(server->n, LONG);
    assert_int_equal(c->nmsgs, LONG - from);
    assert_int_equal(c->older, from);
    for (size_t i = from; i < server->n; i++) {
        assert_string_equal(c->msgs[i - from]->id, server->items[i].id);
        assert_string_equal(buf_cstr(&c->msgs[i - from]->text), server->items[i].content);
    }
}

static bool flash_has(harness *h, const char *s)
{
    const char *f = desk_get_status(h->desk)->flash;
    return f && strstr(f, s);
}

/* The whole file /save wrote: every message the server lists, in order. */
static void saved_all(const char *path, const ai_message_list *server)
{
    char *text = slurp(path);
    assert_non_null(text);
    char *err = NULL;
    json_object *o = jsonu_parse(text, strlen(text), &err);
    assert_null(err);
    json_object *msgs = NULL;
    assert_true(json_object_object_get_ex(o, "messages", &msgs));
    assert_int_equal(json_object_array_length(msgs), server->n);
    for (size_t i = 0; i < server->n; i++) {
        json_object *id = NULL, *content = NULL;
        json_object_object_get_ex(json_object_array_get_idx(msgs, i), "id", &id);
        json_object_object_get_ex(json_object_array_get_idx(msgs, i), "content", &content);
        assert_string_equal(json_object_get_string(id), server->items[i].id);
        assert_string_equal(json_object_get_string(content), server->items[i].content);
    }
    json_object_put(o);
    free(text);
}

static void desk_window__a_long_conversation_opens_newest_first_and_reads_back_to_its_start(void **state)
{
    (void)state;
    harness h;
    h_init_retries(&h, sim.base_url, AGENT_KEY, 0, 0);
    h_start(&h);
    ai_message_list *server = history(&sim, ws_id);
    char path[200];
    snprintf(path, sizeof path, "/api/workspaces/%s/messages", ws_id);

    /* Opened: the newest 1,000, and how many come before them. */
    desk_find_workspace(h.desk, "cust_long");
    conv *c = NULL;
    WAIT_FOR(&h, 10000, (c = desk_take_focus(h.desk)) != NULL);
    desk_open(h.desk, c);
    WAIT_FOR(&h, 20000, c->history_loaded);
    holds_from(c, server, LONG - HIST_WINDOW);

    /* /save loads the rest and writes all of it; the conversation still
     * holds its window. */
    char *file = xasprintf("%s/whole.json", xdg);
    desk_save(h.desk, c, true, file);
    WAIT_FOR(&h, 20000, flash_has(&h, "saved to"));
    saved_all(file, server);
    holds_from(c, server, LONG - HIST_WINDOW);

    /* Earlier ones: asked once however often the view asks, and put
     * before what is held, in order. */
    long before = stat_count(&sim, path);
    assert_true(desk_load_earlier(h.desk, c));
    assert_true(desk_load_earlier(h.desk, c));
    assert_true(desk_earlier_loading(h.desk, c));
    WAIT_FOR(&h, 20000, c->older == LONG - 2 * HIST_WINDOW);
    assert_false(desk_earlier_loading(h.desk, c));
    assert_int_equal(stat_count(&sim, path) - before, 1);
    holds_from(c, server, LONG - 2 * HIST_WINDOW);

    /* A failure is said in words, and not asked again until the person
     * asks (the marker offers it). */
    char spec[300];
    snprintf(spec, sizeof spec, "status=503;path=%s;times=1", path);
    add_fault(spec);
    assert_true(desk_load_earlier(h.desk, c));
    WAIT_FOR(&h, 20000, c->older_failed);
    assert_true(flash_has(&h, "loading earlier messages"));
    before = stat_count(&sim, path);
    assert_false(desk_load_earlier(h.desk, c));
    assert_int_equal(stat_count(&sim, path), before);
    holds_from(c, server, LONG - 2 * HIST_WINDOW);
    desk_earlier_retry(h.desk, c);
    WAIT_FOR(&h, 20000, c->older == 0);
    assert_false(c->older_failed);
    holds_from(c, server, 0);
    assert_false(desk_load_earlier(h.desk, c)); /* nothing left */

    /* Everything held: /save writes it at once. */
    unlink(file);
    desk_save(h.desk, c, true, file);
    assert_true(flash_has(&h, "saved to"));
    saved_all(file, server);

    /* A live message goes after them, older unchanged. */
    cust_send(&sim, ws_id, "one more thing");
    WAIT_FOR(&h, 10000, c->nmsgs == LONG + 1);
    assert_string_equal(buf_cstr(&c->msgs[LONG]->text), "one more thing");
    assert_int_equal(c->older, 0);
    free(file);
    ai_message_list_free(server);
    h_free(&h);
}

/* The server no longer lists message id (the simulator stopped, its
 * saved state edited, and started again on the same port). */
static void server_drops(const char *id)
{
    int port = sim.port;
    simproc_stop(&sim);
    char *cmd = xasprintf("python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); "
                          "[w.update(messages=[m for m in w[\"messages\"] if m[\"id\"]!=sys.argv[2]]) "
                          "for w in d[\"store\"][\"workspaces\"]]; json.dump(d, open(p, \"w\"))' '%s' '%s'",
                          statefile, id);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char portarg[16];
    snprintf(portarg, sizeof portarg, "%d", port);
    const char *args[] = {"--speed", "10", "--state", statefile, "--port", portarg, NULL};
    assert_int_equal(simproc_start(&sim, args), 0);
}

static void desk_window__a_first_message_gone_from_the_server_is_said_and_the_newest_come_again(void **state)
{
    (void)state;
    harness h;
    h_init_retries(&h, sim.base_url, AGENT_KEY, 0, 0);
    h_start(&h);
    desk_find_workspace(h.desk, "cust_long");
    conv *c = NULL;
    WAIT_FOR(&h, 10000, (c = desk_take_focus(h.desk)) != NULL);
    desk_open(h.desk, c);
    WAIT_FOR(&h, 20000, c->history_loaded);
    ai_message_list *server = history(&sim, ws_id);
    size_t n = server->n;
    assert_int_equal(c->older, n - HIST_WINDOW);
    char *first = xstrdup(c->msgs[0]->id);
    assert_string_equal(first, server->items[n - HIST_WINDOW].id);
    ai_message_list_free(server);

    /* The message the view is placed against goes from the server: said
     * in words, and the newest window loaded again. */
    server_drops(first);
    assert_true(desk_load_earlier(h.desk, c));
    WAIT_FOR(&h, 20000, flash_has(&h, "changed on the server"));
    WAIT_FOR(&h, 20000, c->history_loaded);
    server = history(&sim, ws_id);
    assert_int_equal(server->n, n - 1);
    assert_null(conv_find_msg(c, first));
    assert_int_equal(c->nmsgs, HIST_WINDOW);
    assert_int_equal(c->older, n - 1 - HIST_WINDOW);
    for (size_t i = 0; i < HIST_WINDOW; i++)
        assert_string_equal(c->msgs[i]->id, server->items[n - 1 - HIST_WINDOW + i].id);
    ai_message_list_free(server);
    free(first);
    h_free(&h);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(desk_window__a_long_conversation_opens_newest_first_and_reads_back_to_its_start),
        cmocka_unit_test(desk_window__a_first_message_gone_from_the_server_is_said_and_the_newest_come_again),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
