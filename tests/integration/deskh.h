/* deskh.h: driving the console's controller (desk/desk.h) against the
 * simulator without a screen, for integration tests: a desk with its own
 * network thread, a UI loop's turn (pump), and a customer who talks to the
 * simulator directly with a user key on a second network thread. */
#ifndef AIDESK_TEST_DESKH_H
#define AIDESK_TEST_DESKH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/aiassist.h"
#include "api/aiassist_types.h"
#include "config/settings.h"
#include "desk/desk.h"
#include "net/net.h"
#include "simproc.h"
#include "util/clock.h"

#define AGENT_KEY "aai_demo_agent"
#define USER_KEY "aai_demo_user"

typedef struct harness {
    config_t *cfg;
    net_t *net;
    desk_t *desk;
} harness;

/* The customer's network thread: deskh_open before the first customer
 * call, deskh_close at the end. */
int deskh_open(void);
void deskh_close(void);

/* A desk on base_url with key, quick retries (two) and the given undo
 * window (ms; 0: replies go at once). Fails the test when it cannot be
 * made. */
void h_init(harness *h, const char *base_url, const char *key, int undo_ms);
/* The same with max_retries retries (0: the first failure reaches the
 * desk). */
void h_init_retries(harness *h, const char *base_url, const char *key, int undo_ms,
                    int max_retries);
void h_free(harness *h);
/* One turn of a UI loop: wait for the network or the next timer (at most
 * max_ms), handle what came, run the timers. */
void pump(harness *h, long max_ms);
void pump_for(harness *h, long ms);
/* Starts the desk and waits for the live stream (or whatever the server
 * allows). */
void h_start(harness *h);
/* Creates a workspace through the desk and returns it once it has focus
 * (opened). */
conv *h_create(harness *h, const char *mode, const char *initial);

#define WAIT_FOR(h, ms, cond)                                                                  \
    do {                                                                                       \
        int64_t until_ = clock_mono_ms() + (ms);                                               \
        while (!(cond)) {                                                                      \
            if (clock_mono_ms() >= until_)                                                     \
                fail_msg("%s:%d: timed out waiting for %s (flash: %s)", __FILE__, __LINE__,   \
                         #cond, desk_get_status((h)->desk)->flash                                \
                                    ? desk_get_status((h)->desk)->flash                          \
                                    : "none");                                                 \
            pump((h), 50);                                                                     \
        }                                                                                      \
    } while (0)

/* The status line's message matches the extended regex re (else the test
 * fails, saying what it was). */
void assert_flash_matches(harness *h, const char *re);

/* In the model. */
size_t count_msgs(const conv *c, ai_role role, const char *text);
msg *find_msg(const conv *c, ai_role role, const char *text);
/* The first pending draft of ws_id, or NULL. */
const draft *draft_for(const model *m, const char *ws_id);
/* The same, failing the test when there is none. */
const draft *draft_of(const model *m, const char *ws_id);

/* The messages kept in the unsent store ($XDG_DATA_HOME/aidesk/unsent):
 * its files, in whatever format. */
size_t unsent_count(void);

/* Calls on the customer's network thread, outside any desk: a client of
 * the simulator with key (plain http allowed; ai_client_free it); one
 * request run to its end, its terminal event returned (the caller frees
 * it); the same, failing the test unless the call succeeded. Both take
 * ownership of r. */
ai_client *client_for(const simproc *s, const char *key);
net_event *direct(net_request *r);
void direct_ok(net_request *r);

/* The customer's side (user key), and the simulator's. A workspace
 * created by the customer: its id, to free. */
char *cust_create(const simproc *s, const char *mode, const char *initial);
void cust_send(const simproc *s, const char *ws, const char *text);
/* The customer is typing text (a preview the manager sees). */
void cust_typing(const simproc *s, const char *ws, const char *text);
/* The server's history of ws (ai_message_list_free it). */
ai_message_list *history(const simproc *s, const char *ws);
/* Messages in the server's history of ws with this text (NULL: all). */
size_t history_count(const simproc *s, const char *ws, const char *text);
/* Requests the simulator counted for path. */
long stat_count(const simproc *s, const char *path);
/* Another manager approves or rejects a draft (with a reason or NULL). */
void decide_elsewhere(const simproc *s, const char *draft_id, const char *action,
                      const char *reason);

#endif
