/* nettest.h: helpers for integration tests that drive the network thread. */
#ifndef AIDESK_TEST_NETTEST_H
#define AIDESK_TEST_NETTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"

#define NT_MAX_EVENTS 4096

/* Everything one request produced, up to and including its terminal event. */
typedef struct nt_result {
    net_event *events[NT_MAX_EVENTS];
    size_t n;
    size_t retries, opens;
    size_t sse;     /* server-sent events, in all NET_EV_SSE events */
    size_t batches; /* NET_EV_SSE events (one per read that completed any) */
    net_event *last; /* the terminal event, NULL on time-out */
} nt_result;

/* Waits (up to timeout_ms) for request id's terminal event, collecting its
 * events. Events of other requests are freed. */
void nt_collect(net_t *n, uint64_t id, long timeout_ms, nt_result *r);
void nt_result_free(nt_result *r);
/* The k-th server-sent event of the result (from 0), or NULL. */
const net_sse *nt_sse(const nt_result *r, size_t k);

/* A request to the simulator with the AiAssist auth headers of key. */
net_request *nt_request(net_method m, const char *url, const char *key);

#endif
