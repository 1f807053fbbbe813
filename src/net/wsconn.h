/* wsconn.h: the network thread's side of WebSocket connections (ws.h).
 * Private to src/net; called by net.c's loop only. */
#ifndef AIDESK_NET_WSCONN_H
#define AIDESK_NET_WSCONN_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "net/net.h"
#include "net/ws.h"

typedef struct wsconn wsconn;

/* Starts connecting (adds an easy handle to multi); takes ownership of
 * req. On failure pushes the FAILED event itself and adds nothing. The
 * connection goes on the front of *list. */
void wsc_start(wsconn **list, net_t *n, CURLM *multi, uint64_t id, net_ws_request *req,
               const net_config *cfg, const char *noproxy);
/* Commands from the caller (unknown ids ignored). wsc_send takes data. */
void wsc_send(wsconn *list, uint64_t id, char *data, size_t len);
void wsc_close(wsconn *list, uint64_t id, unsigned code);
/* net_cancel: true when id was a WebSocket (then it is gone). */
bool wsc_cancel(wsconn **list, uint64_t id);
/* A CURLMSG_DONE for easy: true when it was a connection's (handled). */
bool wsc_connected(wsconn **list, CURL *easy, CURLcode code);
/* Reads and writes whatever the sockets allow, runs the timers; ends the
 * connections that are over (removing them from *list). */
void wsc_run(wsconn **list, int64_t now);
/* The sockets to poll besides libcurl's: fills up to max, returns the count. */
int wsc_pollfds(const wsconn *list, struct curl_waitfd *fds, int max);
/* Milliseconds until the next timer of any connection (max_ms if none sooner). */
long wsc_next_ms(const wsconn *list, int64_t now, long max_ms);
/* Drops every connection without events (the network is shutting down). */
void wsc_free_all(wsconn **list);

#endif
