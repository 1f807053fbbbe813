/* gatectl_priv.h: what the AI Gate controller's files (and its unit tests)
 * share. */
#ifndef AIDESK_GATE_GATECTL_PRIV_H
#define AIDESK_GATE_GATECTL_PRIV_H

#include "gate/gatectl.h"

typedef struct gatectl_op {
    uint64_t id; /* the network request */
    gatectl_action action;
} gatectl_op;

struct gatectl {
    desk_t *desk;
    uint64_t tag; /* its requests' owner tag in the desk */
    gate_client *client;
    bool osc52;
    gatectl_info info;
    size_t capsessions;
    gatectl_op *ops;
    size_t nops, capops;
    int64_t confirm_until; /* monotonic ms: the warned create may be repeated until then */
};

/* A session for the list from a decoded answer (taken over) that arrived
 * at received_ms (wall). */
gatectl_session *gatectl_session_new(gate_session *s, int64_t received_ms);
void gatectl_session_free(gatectl_session *s);

/* The error record of a failure (takes e) that came in ev (may be NULL) at
 * now_ms (wall). */
gatectl_error *gatectl_error_new(gatectl_action a, api_error *e, const net_event *ev,
                                 int64_t now_ms);
void gatectl_error_free(gatectl_error *e);

/* Only [A-Za-z0-9._:@+-] of s (others become '?'), at most max bytes: for
 * server text in file names and shell comments. Caller frees. */
char *gatectl_safe_word(const char *s, size_t max);

#endif
