/* netpoll.h: drives libcurl by socket for the network thread.
 *
 * curl_multi_perform tries every transfer each round: with twelve streams
 * a chunk on one socket cost eleven reads that found nothing, and
 * curl_multi_poll rebuilt its list of sockets from every transfer on each
 * wait. Here libcurl tells us which sockets it wants watched
 * (CURLMOPT_SOCKETFUNCTION) and when its next timeout is due
 * (CURLMOPT_TIMERFUNCTION); we wait on those with poll() and hand libcurl
 * only the sockets that are ready (curl_multi_socket_action), so a round
 * costs the transfers that have something to do.
 *
 * Everything here belongs to the network thread except net_poll_kick,
 * which any thread may call to end a wait early (new commands, room in
 * the event queue, shutting down). */
#ifndef AIDESK_NET_NETPOLL_H
#define AIDESK_NET_NETPOLL_H

#include <curl/curl.h>

typedef struct net_poll net_poll;

/* Installs the socket and timer callbacks on multi (which must outlive the
 * result and must not be driven by curl_multi_perform from then on).
 * NULL if the wake pipe could not be made or libcurl refused an option. */
net_poll *net_poll_new(CURLM *multi);
/* Removes the callbacks and closes the wake pipe. NULL is fine. */
void net_poll_free(net_poll *p);

/* Any thread: makes the current or the next net_poll_wait return at once. */
void net_poll_kick(net_poll *p);

/* Lets libcurl act on the sockets the last wait found ready, then on its
 * timer if it is due. Completed transfers are then found with
 * curl_multi_info_read as usual. */
void net_poll_run(net_poll *p);

/* Milliseconds until libcurl's timer is due (0 if it is), or max_ms if
 * that is sooner or libcurl has none. */
long net_poll_timeout_ms(const net_poll *p, long max_ms);

/* Blocks until one of libcurl's sockets, one of extra (nextra of them, as
 * for curl_multi_poll; their revents are filled in) or a kick is ready, or
 * ms milliseconds pass (-1: no limit). A kick is consumed.
 * gather_ms > 0: first lets that long pass (or a kick come) without looking
 * at the sockets, so that what several of them receive meanwhile is taken
 * in one wake-up; the caller asks for it only while data keeps coming. */
void net_poll_wait(net_poll *p, struct curl_waitfd *extra, unsigned nextra, int ms, int gather_ms);

/* How many sockets libcurl has asked us to watch (for tests). */
unsigned net_poll_nsockets(const net_poll *p);

#endif
