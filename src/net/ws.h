/* ws.h: WebSocket connections on the network thread.
 *
 * Debian's libcurl (7.88) has no WebSocket support, so a connection is
 * libcurl's connect-only mode (CURLOPT_CONNECT_ONLY: name resolution,
 * proxy, TCP and TLS with certificate checks done by libcurl) and then
 * curl_easy_send/curl_easy_recv carrying the opening handshake (wshs.h)
 * and RFC 6455 frames (wsframe.h), driven by the network thread's poll
 * loop like every other transfer. Only the network thread touches the
 * connection; the caller talks to it through net.h's queues.
 *
 * Safety: wss:// only (TLS verified), ws:// only to loopback; no
 * redirects (anything but 101 fails the open); messages are capped; the
 * headers (which carry credentials) are never logged. Frames we send are
 * masked with keys from the system's random source.
 *
 * Events, all with the id net_ws_open returned: NET_EV_OPEN (the server
 * accepted the handshake; status 101), then for each whole message a
 * NET_EV_SSE with one item: type "text" or "binary", data and data_len the
 * message (the queue and its back-pressure are the streams'), and exactly
 * one terminal event: NET_EV_DONE after a close
 * handshake (status: the close code, message: the reason, may be NULL),
 * NET_EV_FAILED (fail: CONNECT, TLS, TIMEOUT, HTTP - the handshake was
 * answered with another status, then status and body are the answer's -,
 * DROPPED - the connection ended without a close, or the server broke the
 * protocol -, STALL - no sign of life in time, pings unanswered -,
 * TOO_LARGE - a message over the cap), or NET_EV_CANCELLED (net_cancel:
 * the connection is dropped at once, without a close handshake). A
 * WebSocket is never retried: what was sent on it may have been acted on. */
#ifndef AIDESK_NET_WS_H
#define AIDESK_NET_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"

typedef struct net_ws_request {
    char *url;          /* owned: wss://..., or ws:// to loopback */
    char **headers;     /* owned, NULL-terminated: "Name: value" lines */
    size_t nheaders;
    size_t max_message; /* cap on one message received; default 16 MiB */
    long ping_ms;       /* ping after this much silence; default 20000 */
    long stall_ms;      /* fail after this much silence; default 3 * ping_ms */
    uint64_t tag;       /* the caller's; copied into every event */
} net_ws_request;

net_ws_request *net_ws_request_new(const char *url);
/* Adds a header line "name: value" (both copied). */
void net_ws_request_add_header(net_ws_request *r, const char *name, const char *value);
void net_ws_request_free(net_ws_request *r);

/* Opens a connection; takes ownership of req. Returns its id (never 0),
 * which net_cancel also accepts. */
uint64_t net_ws_open(net_t *n, net_ws_request *req);
/* Sends a text message (len bytes, copied) once the connection is open;
 * messages sent before NET_EV_OPEN wait for it. Ignored once closing or
 * for an unknown id. */
void net_ws_send(net_t *n, uint64_t id, const char *text, size_t len);
/* Starts the close handshake with code (1000: normal): what was queued to
 * send goes first; the terminal event is NET_EV_DONE once the server
 * answers (or after 2 s without an answer). */
void net_ws_close(net_t *n, uint64_t id, unsigned code);

#endif
