/* batch.c: one NET_EV_SSE per read, in blocks used again (see batch.h). */
#include "config.h"
#include "net/batch.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/assert.h"
#include "util/mem.h"

/* ------------------------------------------------------------------ pool */

struct net_pool {
    pthread_mutex_t lock;
    net_event *free;  /* free blocks, linked by next_; packed_ is their size */
    size_t cached;    /* bytes in free blocks */
    size_t keep;
    size_t out;       /* blocks handed out and not yet back */
    bool released;    /* the transfer let go */
};

net_pool *net_pool_new(size_t keep)
{
    net_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    p->keep = keep;
    return p;
}

static void pool_destroy(net_pool *p)
{
    while (p->free) {
        net_event *b = p->free;
        p->free = b->next_;
        free(b);
    }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void net_pool_release(net_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->released = true;
    bool last = p->out == 0;
    pthread_mutex_unlock(&p->lock);
    if (last)
        pool_destroy(p);
}

void net_pool_put(net_pool *p, net_event *block)
{
    size_t size = sizeof *block + block->packed_;
    pthread_mutex_lock(&p->lock);
    p->out--;
    bool keep = !p->released && p->cached + size <= p->keep;
    if (keep) {
        block->next_ = p->free;
        p->free = block;
        p->cached += size;
    }
    bool last = p->released && p->out == 0;
    pthread_mutex_unlock(&p->lock);
    if (!keep)
        free(block);
    if (last)
        pool_destroy(p);
}

/* A block of at least size bytes: *cap is its size. Counted as handed out
 * (a block the batch fills is the pool's until it comes back). */
static char *pool_get(net_pool *p, size_t size, size_t *cap)
{
    net_event *b = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->free) {
        b = p->free;
        p->free = b->next_;
        p->cached -= sizeof *b + b->packed_;
    }
    p->out++;
    pthread_mutex_unlock(&p->lock);
    if (b && sizeof *b + b->packed_ >= size) {
        *cap = sizeof *b + b->packed_;
        return (char *)b;
    }
    *cap = size;
    return xrealloc(b, size); /* a fresh block, or a small one made larger */
}

/* ----------------------------------------------------------------- batch */

#define ITEM_ALIGN alignof(net_sse)

static size_t align_up(size_t n)
{
    return (n + ITEM_ALIGN - 1) & ~(size_t)(ITEM_ALIGN - 1);
}

static void ensure(net_batch *b, size_t more)
{
    if (!b->blk) {
        size_t want = sizeof(net_event) + more + 256;
        if (b->pool) {
            b->blk = pool_get(b->pool, want, &b->cap);
        } else {
            b->blk = xmalloc(want);
            b->cap = want;
        }
        b->used = sizeof(net_event);
    }
    if (b->cap - b->used >= more)
        return;
    size_t cap = b->cap * 2;
    if (cap - b->used < more)
        cap = b->used + more;
    b->blk = xrealloc(b->blk, cap);
    b->cap = cap;
}

void net_batch_reserve(net_batch *b, size_t len)
{
    /* The data of the events a read completes is at most the read's bytes
     * (a line "data: x" gives "x\0"), plus what earlier reads left in the
     * parser; about one item in ten bytes of input. */
    ensure(b, len + len / 4 + 64);
}

/* Copies s[0..n) and a NUL; its offset. */
static size_t put(net_batch *b, const char *s, size_t n)
{
    ensure(b, n + 1);
    size_t at = b->used;
    memcpy(b->blk + at, s, n);
    b->blk[at + n] = '\0';
    b->used += n + 1;
    return at;
}

/* Whether s[0..n) equals the string at offset at, of length len. */
static bool same(const net_batch *b, size_t at, size_t len, const char *s, size_t n)
{
    return len == n && !memcmp(b->blk + at, s, n);
}

void net_batch_add(net_batch *b, const sse_event *e)
{
    if (b->n == b->ncap)
        b->items = xgrow(b->items, &b->ncap, b->n + 1, sizeof *b->items);
    AIDESK_ASSERT(b->items != NULL);
    net_batch_item *it = &b->items[b->n];
    const net_batch_item *prev = b->n ? &b->items[b->n - 1] : NULL;
    if (prev && same(b, prev->type, prev->type_len, e->type, e->type_len))
        it->type = prev->type;
    else
        it->type = put(b, e->type, e->type_len);
    it->type_len = e->type_len;
    if (prev && same(b, prev->id, prev->id_len, e->id, e->id_len))
        it->id = prev->id;
    else
        it->id = put(b, e->id, e->id_len);
    it->id_len = e->id_len;
    it->data = put(b, e->data, e->data_len);
    it->data_len = e->data_len;
    b->n++;
}

net_event *net_batch_take(net_batch *b, uint64_t id, uint64_t tag, long status)
{
    if (!b->n)
        return NULL; /* nothing completed: the block waits for the next read */
    size_t at = align_up(b->used);
    ensure(b, at - b->used + b->n * sizeof(net_sse));
    char *blk = b->blk;
    net_event *ev = (net_event *)(void *)blk;
    memset(ev, 0, sizeof *ev);
    net_sse *items = (net_sse *)(void *)(blk + at);
    for (size_t i = 0; i < b->n; i++) {
        const net_batch_item *it = &b->items[i];
        items[i] = (net_sse){blk + it->type, it->type_len, blk + it->data, it->data_len,
                             blk + it->id, it->id_len};
    }
    ev->kind = NET_EV_SSE;
    ev->id = id;
    ev->tag = tag;
    ev->status = status;
    ev->sse = items;
    ev->nsse = b->n;
    ev->packed_ = b->cap - sizeof *ev;
    ev->pool_ = b->pool;
    b->blk = NULL;
    b->used = b->cap = 0;
    b->n = 0;
    return ev;
}

void net_batch_free(net_batch *b)
{
    if (b->blk) {
        net_event *ev = (net_event *)(void *)b->blk;
        memset(ev, 0, sizeof *ev);
        ev->packed_ = b->cap - sizeof *ev;
        if (b->pool)
            net_pool_put(b->pool, ev);
        else
            free(ev);
    }
    free(b->items);
    b->blk = NULL;
    b->items = NULL;
    b->used = b->cap = b->n = b->ncap = 0;
}

net_event *net_event_new_sse(uint64_t id, uint64_t tag, const net_sse *items, size_t n)
{
    if (!n)
        return NULL;
    net_batch b = {0};
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += items[i].type_len + items[i].data_len + items[i].id_len + 3;
    net_batch_reserve(&b, len);
    for (size_t i = 0; i < n; i++) {
        sse_event e = {items[i].type, items[i].type_len, items[i].data, items[i].data_len,
                       items[i].id, items[i].id_len};
        net_batch_add(&b, &e);
    }
    net_event *ev = net_batch_take(&b, id, tag, 0);
    net_batch_free(&b);
    return ev;
}
