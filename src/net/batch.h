/* batch.h: building one NET_EV_SSE from the events one read completes,
 * in blocks that are used again. Private to src/net.
 *
 * A fast stream is mostly events of a token each. Making each its own
 * allocation cost a malloc on the network thread and a free on the
 * caller's per token; worse, glibc trimmed the network thread's heap as
 * the caller freed them and grew it again for the next ones, so the pages
 * were faulted in again and again (page faults and madvise were the
 * largest part of the core stream's CPU). Now one read makes one block,
 * the event first, then the strings, then the net_sse array pointing into
 * them:
 *
 *     [net_event][type\0 id\0 data\0 data\0 ...][pad][net_sse x n]
 *
 * A type or id equal to the previous event's is stored once. When the
 * caller frees the event (net_event_free), the block goes back to the
 * pool of the transfer that made it, which hands it out again for a later
 * read: in a steady stream nothing is allocated, and no page is touched
 * for the first time. A pool keeps at most keep bytes of free blocks (the
 * rest are freed); it lives until its transfer and every block it handed
 * out are gone, whichever comes last (any thread may free an event).
 *
 * Back-pressure counts a block's whole size (packed_ is its size past the
 * event), which is what it holds. */
#ifndef AIDESK_NET_BATCH_H
#define AIDESK_NET_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "net/sse.h"

typedef struct net_pool net_pool;

/* A pool that keeps up to keep bytes of free blocks. */
net_pool *net_pool_new(size_t keep);
/* The transfer lets go of its pool: it is freed now, or when the last of
 * its blocks comes back. */
void net_pool_release(net_pool *p);
/* Takes back the block of an event the pool handed out (net_event_free). */
void net_pool_put(net_pool *p, net_event *block);

typedef struct net_batch_item {
    size_t type, type_len, data, data_len, id, id_len; /* offsets into the block */
} net_batch_item;

typedef struct net_batch {
    net_pool *pool;        /* where blocks come from (NULL: plain malloc) */
    char *blk;             /* the block being filled (owned), or NULL */
    size_t used, cap;
    net_batch_item *items; /* the events so far (reused) */
    size_t n, ncap;
} net_batch;

/* Makes room for about len more bytes of events (a read of len bytes is
 * coming). */
void net_batch_reserve(net_batch *b, size_t len);
/* Copies one event into the batch. */
void net_batch_add(net_batch *b, const sse_event *e);
/* The batch as a NET_EV_SSE the caller owns (kind, id, tag and status
 * set), or NULL when it holds no event. The builder is empty after. */
net_event *net_batch_take(net_batch *b, uint64_t id, uint64_t tag, long status);
/* Gives back a block not taken and frees the builder's arrays (not the
 * pool). */
void net_batch_free(net_batch *b);

#endif
