/* net.c: the network thread, its queues and the transfer life cycle. */
#include "config.h"
#include "net/net.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "net/batch.h"
#include "net/retry.h"
#include "net/sse.h"
#include "net/transfer.h"
#include "net/ws.h"
#include "net/wsconn.h"
#include "util/assert.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

typedef struct net_cmd {
    enum { CMD_SUBMIT, CMD_CANCEL, CMD_WS_OPEN, CMD_WS_SEND, CMD_WS_CLOSE } kind;
    uint64_t id;
    net_request *req;
    net_ws_request *wsreq; /* CMD_WS_OPEN */
    char *data;            /* CMD_WS_SEND */
    size_t len;
    unsigned code;         /* CMD_WS_CLOSE */
    struct net_cmd *next;
} net_cmd;

struct net {
    pthread_t thread;
    bool started;
    CURLM *multi;
    net_config cfg;
    char *user_agent;
    char *ca_file; /* our copy of cfg.ca_file */
    char *noproxy;

    pthread_mutex_t lock; /* guards everything down to 'quit' */
    pthread_cond_t cond;  /* signalled when an event is queued */
    pthread_cond_t kick;  /* signalled when the network thread has work (gathering) */
    net_cmd *cmd_head, *cmd_tail;
    net_event *ev_head, *ev_tail;
    size_t queued_bytes;
    net_event *taken;  /* the consumer's: events taken from the queue in one go */
    size_t popped;     /* the consumer's: bytes of taken events read since the
                        * last take (they still count as queued until then) */
    bool paused_any;   /* some transfer waits for the queue to drain */
    bool wake_pending; /* a byte sits in the wake pipe */
    uint64_t next_id;
    size_t pending;
    bool quit;

    int wake_rd, wake_wr;
    net_pool *pool;      /* blocks of SSE events, used again (batch.h) */
    transfer *transfers; /* network thread only */
    unsigned rng;        /* network thread only: retry jitter */
    struct degraded *degraded; /* network thread only: refused optional fields */
    wsconn *ws;          /* network thread only: WebSocket connections (ws.h) */
};

/* ------------------------------------------------- refused optional fields */

/* A URL whose server refused an optional field (net_request_set_fallback). */
typedef struct degraded {
    char *url, *field;
    struct degraded *next;
} degraded;

static bool is_degraded(const net_t *n, const net_request *r)
{
    for (const degraded *d = n->degraded; d; d = d->next)
        if (!strcmp(d->url, r->url) && !strcmp(d->field, r->fallback_field))
            return true;
    return false;
}

static void use_fallback(net_request *r)
{
    free(r->body);
    r->body = r->fallback_body;
    r->body_len = r->fallback_body_len;
    r->fallback_body = NULL;
    r->fallback_body_len = 0;
}

/* Whether ev is a 400 that names the request's fallback field: then the
 * URL is remembered and the fallback body replaces the body. */
static bool fall_back(net_t *n, net_request *r, const net_event *ev)
{
    if (!r->fallback_body || !r->fallback_field || ev->fail != NET_FAIL_HTTP ||
        ev->status != 400 || !ev->body || !*r->fallback_field ||
        !memmem(ev->body, ev->body_len, r->fallback_field, strlen(r->fallback_field)))
        return false;
    if (!is_degraded(n, r)) {
        degraded *d = xcalloc(1, sizeof *d);
        d->url = xstrdup(r->url);
        d->field = xstrdup(r->fallback_field);
        d->next = n->degraded;
        n->degraded = d;
    }
    log_msg("net: %s refused the field %s: not sending it there again", r->url,
            r->fallback_field);
    use_fallback(r);
    return true;
}

/* ------------------------------------------------------------ event queue */

static size_t event_bytes(const net_event *ev)
{
    return sizeof *ev + ev->body_len + ev->packed_ + 64;
}

void net_push_event(net_t *n, net_event *ev)
{
    ev->next_ = NULL;
    net_push_events(n, ev);
}

void net_push_events(net_t *n, net_event *first)
{
    if (!first)
        return;
    size_t bytes = 0, ended = 0;
    net_event *last = first;
    int64_t now = clock_mono_us();
    for (net_event *ev = first; ev; ev = ev->next_) {
        AIDESK_ASSERT(ev->bytes_ == 0); /* queued once: the consumer frees it once */
        if (!ev->at_us)
            ev->at_us = now;
        ev->bytes_ = event_bytes(ev);
        bytes += ev->bytes_;
        ended += ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED ||
                 ev->kind == NET_EV_CANCELLED;
        last = ev;
    }
    pthread_mutex_lock(&n->lock);
    if (n->ev_tail)
        n->ev_tail->next_ = first;
    else
        n->ev_head = first;
    n->ev_tail = last;
    n->queued_bytes += bytes;
    AIDESK_ASSERT(n->pending >= ended); /* one terminal event per request submitted */
    n->pending -= ended;
    if (!n->wake_pending) {
        n->wake_pending = true;
        ssize_t w;
        do
            w = write(n->wake_wr, "x", 1);
        while (w < 0 && errno == EINTR);
    }
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->lock);
}

bool net_queue_full(net_t *n)
{
    pthread_mutex_lock(&n->lock);
    bool full = n->queued_bytes > n->cfg.max_queued_bytes;
    if (full)
        n->paused_any = true;
    pthread_mutex_unlock(&n->lock);
    return full;
}

/* Moves every queued event to the consumer's own list (one lock for the
 * lot, not one per event) and empties the wake pipe. Taken events count as
 * queued until they are read, so back-pressure still bounds them: paused
 * transfers go on once what was read brings the total under half the cap. */
static void settle_locked(net_t *n)
{
    AIDESK_ASSERT(n->popped <= n->queued_bytes);
    n->queued_bytes -= n->popped;
    n->popped = 0;
    if (n->paused_any && n->queued_bytes < n->cfg.max_queued_bytes / 2) {
        n->paused_any = false;
        pthread_cond_signal(&n->kick);
        curl_multi_wakeup(n->multi);
    }
}

static void take_all_locked(net_t *n)
{
    settle_locked(n);
    if (n->ev_head) {
        n->taken = n->ev_head;
        n->ev_head = n->ev_tail = NULL;
    }
    if (n->wake_pending) {
        /* It holds one byte: one is written only while none is pending. */
        char tmp[64];
        ssize_t r;
        do
            r = read(n->wake_rd, tmp, sizeof tmp);
        while (r < 0 && errno == EINTR);
        n->wake_pending = false;
    }
}

static net_event *pop_taken(net_t *n)
{
    net_event *ev = n->taken;
    if (ev) {
        n->taken = ev->next_;
        ev->next_ = NULL;
        n->popped += ev->bytes_;
    }
    return ev;
}

net_event *net_next_event(net_t *n)
{
    if (!n->taken) {
        pthread_mutex_lock(&n->lock);
        take_all_locked(n);
        pthread_mutex_unlock(&n->lock);
    }
    return pop_taken(n);
}

net_event *net_wait_event(net_t *n, long timeout_ms)
{
    /* Events already taken are handed out without a look at the clock:
     * a fast stream asks once per token. */
    if (n->taken)
        return pop_taken(n);
    struct timespec until = {0, 0};
    if (timeout_ms >= 0) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&n->lock);
    settle_locked(n); /* what was read frees room before we wait */
    while (!n->ev_head) {
        int rc = timeout_ms < 0 ? pthread_cond_wait(&n->cond, &n->lock)
                                : pthread_cond_timedwait(&n->cond, &n->lock, &until);
        if (rc == ETIMEDOUT)
            break;
    }
    take_all_locked(n);
    pthread_mutex_unlock(&n->lock);
    return pop_taken(n);
}

net_pool *net_sse_pool(net_t *n)
{
    return n->pool;
}

int net_wake_fd(const net_t *n)
{
    return n->wake_rd;
}

size_t net_pending(net_t *n)
{
    pthread_mutex_lock(&n->lock);
    size_t p = n->pending;
    pthread_mutex_unlock(&n->lock);
    return p;
}

/* --------------------------------------------------------------- commands */

static void push_cmd(net_t *n, net_cmd *c)
{
    pthread_mutex_lock(&n->lock);
    if (n->cmd_tail)
        n->cmd_tail->next = c;
    else
        n->cmd_head = c;
    n->cmd_tail = c;
    pthread_cond_signal(&n->kick);
    pthread_mutex_unlock(&n->lock);
    curl_multi_wakeup(n->multi);
}

uint64_t net_submit(net_t *n, net_request *req)
{
    net_cmd *c = xcalloc(1, sizeof *c);
    c->kind = CMD_SUBMIT;
    c->req = req;
    pthread_mutex_lock(&n->lock);
    uint64_t id = c->id = ++n->next_id;
    n->pending++;
    pthread_mutex_unlock(&n->lock);
    push_cmd(n, c); /* c belongs to the network thread from here on */
    return id;
}

uint64_t net_ws_open(net_t *n, net_ws_request *req)
{
    net_cmd *c = xcalloc(1, sizeof *c);
    c->kind = CMD_WS_OPEN;
    c->wsreq = req;
    pthread_mutex_lock(&n->lock);
    uint64_t id = c->id = ++n->next_id;
    n->pending++;
    pthread_mutex_unlock(&n->lock);
    push_cmd(n, c);
    return id;
}

void net_ws_send(net_t *n, uint64_t id, const char *text, size_t len)
{
    net_cmd *c = xcalloc(1, sizeof *c);
    c->kind = CMD_WS_SEND;
    c->id = id;
    c->data = xmalloc(len ? len : 1);
    memcpy(c->data, text, len);
    c->len = len;
    push_cmd(n, c);
}

void net_ws_close(net_t *n, uint64_t id, unsigned code)
{
    net_cmd *c = xcalloc(1, sizeof *c);
    c->kind = CMD_WS_CLOSE;
    c->id = id;
    c->code = code;
    push_cmd(n, c);
}

void net_cancel(net_t *n, uint64_t id)
{
    net_cmd *c = xcalloc(1, sizeof *c);
    c->kind = CMD_CANCEL;
    c->id = id;
    push_cmd(n, c);
}

/* ------------------------------------------------------ the thread's loop */

static transfer *find_transfer(net_t *n, uint64_t id)
{
    for (transfer *t = n->transfers; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void unlink_transfer(net_t *n, transfer *t)
{
    for (transfer **pp = &n->transfers; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            return;
        }
    }
}

/* Ends a transfer: removes it from the multi handle and frees it. */
static void drop_transfer(net_t *n, transfer *t)
{
    if (t->easy && t->active)
        curl_multi_remove_handle(n->multi, t->easy);
    unlink_transfer(n, t);
    transfer_free(t);
}

static void start_transfer(net_t *n, transfer *t)
{
    net_fail fail = NET_FAIL_NONE;
    char *why = NULL;
    if (transfer_prepare(t, &fail, &why) != 0 ||
        curl_multi_add_handle(n->multi, t->easy) != CURLM_OK) {
        net_event *ev = xcalloc(1, sizeof *ev);
        ev->kind = NET_EV_FAILED;
        ev->id = t->id;
        ev->tag = t->req->tag;
        ev->fail = fail ? fail : NET_FAIL_INTERNAL;
        ev->message = why ? why : xstrdup("the transfer could not be set up");
        ev->not_processed = !t->may_have_acted; /* this attempt never started */
        net_push_event(n, ev);
        drop_transfer(n, t);
        return;
    }
    t->active = true;
    t->retry_due_us = 0;
    log_msg("net #%llu: %s %s%s", (unsigned long long)t->id,
            t->req->method == NET_POST ? "POST" : t->req->method == NET_DELETE ? "DELETE" : "GET",
            t->req->url, t->attempt ? " (retry)" : "");
}

static void process_commands(net_t *n)
{
    pthread_mutex_lock(&n->lock);
    net_cmd *c = n->cmd_head;
    n->cmd_head = n->cmd_tail = NULL;
    pthread_mutex_unlock(&n->lock);
    while (c) {
        net_cmd *next = c->next;
        if (c->kind == CMD_WS_OPEN) {
            wsc_start(&n->ws, n, n->multi, c->id, c->wsreq, &n->cfg, n->noproxy);
        } else if (c->kind == CMD_WS_SEND) {
            wsc_send(n->ws, c->id, c->data, c->len); /* takes data */
        } else if (c->kind == CMD_WS_CLOSE) {
            wsc_close(n->ws, c->id, c->code);
        } else if (c->kind == CMD_SUBMIT) {
            if (c->req->fallback_body && is_degraded(n, c->req))
                use_fallback(c->req);
            transfer *t = transfer_new(n, c->id, c->req, &n->cfg, n->user_agent, n->noproxy);
            t->next = n->transfers;
            n->transfers = t;
            start_transfer(n, t);
        } else if (!wsc_cancel(&n->ws, c->id)) {
            transfer *t = find_transfer(n, c->id);
            if (t) {
                log_msg("net #%llu: cancelled", (unsigned long long)t->id);
                net_event *ev = xcalloc(1, sizeof *ev);
                ev->kind = NET_EV_CANCELLED;
                ev->id = t->id;
                ev->tag = t->req->tag;
                ev->not_processed = !transfer_may_have_acted(t);
                net_push_event(n, ev);
                drop_transfer(n, t);
            }
        }
        free(c);
        c = next;
    }
}

static double jitter(net_t *n)
{
    return (double)(rand_r(&n->rng) % 1000) / 1000.0;
}

/* A finished attempt: retry, or deliver the terminal event. */
static void finish_attempt(net_t *n, transfer *t, CURLcode code)
{
    curl_multi_remove_handle(n->multi, t->easy);
    t->active = false;
    net_event *ev = transfer_outcome(t, code);
    if (ev->kind == NET_EV_DONE) {
        log_msg("net #%llu: done, HTTP %ld", (unsigned long long)t->id, ev->status);
        net_push_event(n, ev);
        drop_transfer(n, t);
        return;
    }
    if (fall_back(n, t->req, ev)) {
        /* A 400 is a refusal: nothing was acted on, so the attempt is not
         * folded into may_have_acted, and it is no retry of the same
         * request either: no backoff, no count. */
        ev->kind = NET_EV_RETRY;
        ev->fell_back = true;
        ev->attempt = t->attempt + 1;
        ev->delay_ms = 0;
        ev->not_processed = !t->may_have_acted;
        net_push_event(n, ev);
        transfer_reset_attempt(t);
        t->retry_due_us = clock_mono_us();
        return;
    }
    retry_attempt a;
    transfer_retry_input(t, ev, &a);
    retry_policy pol = {t->req->max_retries, n->cfg.retry_base_ms, n->cfg.retry_cap_ms,
                        n->cfg.retry_after_cap_ms};
    long delay = retry_decide(&pol, &a, jitter(n), time(NULL));
    if (delay < 0) {
        log_msg("net #%llu: failed: %s", (unsigned long long)t->id, ev->message);
        net_push_event(n, ev);
        drop_transfer(n, t);
        return;
    }
    t->attempt++;
    t->consecutive++;
    ev->kind = NET_EV_RETRY;
    ev->attempt = t->attempt;
    ev->delay_ms = delay;
    log_msg("net #%llu: %s; retry %d in %ld ms", (unsigned long long)t->id, ev->message,
            t->attempt, delay);
    net_push_event(n, ev);
    transfer_reset_attempt(t);
    t->retry_due_us = clock_mono_us() + (int64_t)delay * 1000;
}

static void check_timers(net_t *n, int64_t now)
{
    transfer *t = n->transfers;
    while (t) {
        transfer *next = t->next;
        if (!t->active && t->retry_due_us && t->retry_due_us <= now) {
            start_transfer(n, t);
        } else if (t->active && transfer_stalled(t, now)) {
            t->stalled = true;
            finish_attempt(n, t, CURLE_OPERATION_TIMEDOUT);
        }
        t = next;
    }
}

/* Milliseconds until the next retry or stall deadline (or max_ms). */
static long next_deadline_ms(net_t *n, int64_t now, long max_ms)
{
    int64_t best = (int64_t)max_ms * 1000;
    for (transfer *t = n->transfers; t; t = t->next) {
        int64_t due = t->active ? transfer_stall_deadline(t) : t->retry_due_us;
        if (due && due - now < best)
            best = due - now;
    }
    if (best < 0)
        best = 0;
    return (long)((best + 999) / 1000);
}

static void resume_paused(net_t *n)
{
    pthread_mutex_lock(&n->lock);
    bool room = n->queued_bytes < n->cfg.max_queued_bytes / 2;
    pthread_mutex_unlock(&n->lock);
    if (!room)
        return;
    for (transfer *t = n->transfers; t; t = t->next)
        if (t->active && t->paused)
            transfer_resume(t);
}

/* Gathering. At 200 tokens a second a stream sends a chunk every 5 ms, and
 * twelve of them wake the thread for nearly every chunk; each round then
 * has libcurl look at every transfer (a poll and a read each), and on a
 * virtual machine that costs more than the chunk it brings. So while two
 * streams or more deliver and rounds come less than GATHER_START_US apart,
 * the thread lets GATHER_MS pass before it looks again, and one round then
 * takes what all of them sent. GATHER_MS is well under the 33 ms between
 * two frames the console draws for the network: at worst a token shows
 * one frame later. A first token is never held (a time to first token is what
 * a comparison measures), nor a lone stream. A command (a new request, a
 * cancel) or room in the queue ends the wait at once. */
#define GATHER_MS 12
#define GATHER_START_US 2000
/* A stream counts as delivering if it queued events this recently: an
 * event feed that spoke a minute ago does not make a lone answer two. */
#define GATHER_RECENT_US 100000

/* Whether gathering may go on: no answer waits for its first token, and at
 * least two streams are delivering. An OpenAI-compatible answer opens with
 * a chunk that only names the role, so its first token is its second event
 * at the earliest; an EventSource feed (reconnect) has no first token. */
static bool may_gather(const net_t *n, int64_t now)
{
    int flowing = 0;
    for (const transfer *t = n->transfers; t; t = t->next) {
        if (!t->active || !t->req->stream)
            continue;
        if (t->events < 2 && !t->req->reconnect)
            return false;
        flowing += t->flushed_us && now - t->flushed_us < GATHER_RECENT_US;
    }
    return flowing >= 2;
}

/* Waits up to ms for a command, the end, or room in the queue. */
static void gather_wait(net_t *n, long ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&n->lock);
    while (!n->cmd_head && !n->quit)
        if (pthread_cond_timedwait(&n->kick, &n->lock, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&n->lock);
}

static void *net_main(void *arg)
{
    net_t *n = arg;
    int64_t last_push_us = 0;
    bool gathering = false;
    for (;;) {
        pthread_mutex_lock(&n->lock);
        bool quit = n->quit;
        pthread_mutex_unlock(&n->lock);
        if (quit)
            break;
        process_commands(n);
        resume_paused(n);
        int running = 0;
        curl_multi_perform(n->multi, &running);
        /* What this round read, one event per stream, before any terminal
         * event below. */
        int pushed = 0;
        for (transfer *t = n->transfers; t; t = t->next)
            pushed += transfer_flush(t);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(n->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            if (wsc_connected(&n->ws, msg->easy_handle, msg->data.result))
                continue;
            transfer *t = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            if (t)
                finish_attempt(n, t, msg->data.result);
        }
        int64_t now = clock_mono_us();
        check_timers(n, now);
        wsc_run(&n->ws, now);
        long curl_ms = -1;
        curl_multi_timeout(n->multi, &curl_ms);
        long wait = next_deadline_ms(n, clock_mono_us(), 3600 * 1000);
        if (curl_ms >= 0 && curl_ms < wait)
            wait = curl_ms;
        wait = wsc_next_ms(n->ws, clock_mono_us(), wait);
        /* Gather only right after a round that delivered: one that found
         * nothing waits for the sockets as usual. */
        bool gather = false;
        if (pushed) {
            int64_t t = clock_mono_us();
            bool busy = gathering ? pushed >= 2 : t - last_push_us < GATHER_START_US;
            gathering = busy && may_gather(n, t);
            last_push_us = t;
            gather = gathering && wait != 0;
        }
        if (gather) {
            gather_wait(n, wait > 0 && wait < GATHER_MS ? wait : GATHER_MS);
            continue; /* the next round reads whatever came meanwhile */
        }
        struct curl_waitfd wsfds[16];
        int nws = wsc_pollfds(n->ws, wsfds, 16);
        curl_multi_poll(n->multi, nws ? wsfds : NULL, (unsigned)nws, (int)wait, NULL);
    }
    while (n->transfers)
        drop_transfer(n, n->transfers);
    wsc_free_all(&n->ws);
    return NULL;
}

/* ------------------------------------------------------------- life cycle */

static char *make_noproxy(void)
{
    /* Loopback never goes through a proxy (tests, the simulator); the
     * user's own no_proxy list is kept. */
    const char *env = getenv("no_proxy");
    if (!env || !*env)
        env = getenv("NO_PROXY");
    if (env && *env)
        return xasprintf("%s,localhost,127.0.0.1,::1", env);
    return xstrdup("localhost,127.0.0.1,::1");
}

net_t *net_new(const net_config *cfg)
{
    net_t *n = xcalloc(1, sizeof *n);
    if (cfg)
        n->cfg = *cfg;
    if (!n->cfg.connect_timeout_ms)
        n->cfg.connect_timeout_ms = 10000;
    if (!n->cfg.max_queued_bytes)
        n->cfg.max_queued_bytes = 1024u * 1024;
    if (!n->cfg.retry_base_ms)
        n->cfg.retry_base_ms = 500;
    if (!n->cfg.retry_cap_ms)
        n->cfg.retry_cap_ms = 8000;
    if (!n->cfg.retry_after_cap_ms)
        n->cfg.retry_after_cap_ms = 60000;
    n->user_agent = xstrdup(n->cfg.user_agent ? n->cfg.user_agent : PACKAGE_NAME "/" PACKAGE_VERSION);
    n->cfg.user_agent = n->user_agent;
    n->ca_file = n->cfg.ca_file ? xstrdup(n->cfg.ca_file) : NULL;
    n->cfg.ca_file = n->ca_file;
    n->noproxy = make_noproxy();
    /* Free blocks kept for later reads: up to what the queue may hold, so
     * that a fast stream in its steady state allocates nothing. */
    n->pool = net_pool_new(n->cfg.max_queued_bytes);
    n->rng = (unsigned)clock_mono_us() ^ (unsigned)getpid();
    n->wake_rd = n->wake_wr = -1;
    pthread_mutex_init(&n->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_cond_init(&n->cond, &ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&n->kick, &ca);
    pthread_condattr_destroy(&ca);

    int fds[2];
    if (pipe(fds) != 0)
        goto fail;
    n->wake_rd = fds[0];
    n->wake_wr = fds[1];
    for (int i = 0; i < 2; i++) {
        if (fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) != 0 ||
            fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0)
            goto fail;
    }
    n->multi = curl_multi_init();
    if (!n->multi)
        goto fail;

    /* The thread takes no signals: they belong to the main thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&n->thread, NULL, net_main, n);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        goto fail;
    n->started = true;
    return n;
fail:
    net_free(n);
    return NULL;
}

void net_free(net_t *n)
{
    if (!n)
        return;
    if (n->started) {
        pthread_mutex_lock(&n->lock);
        n->quit = true;
        pthread_cond_signal(&n->kick);
        pthread_mutex_unlock(&n->lock);
        curl_multi_wakeup(n->multi);
        pthread_join(n->thread, NULL);
    }
    while (n->cmd_head) {
        net_cmd *c = n->cmd_head;
        n->cmd_head = c->next;
        net_request_free(c->req);
        net_ws_request_free(c->wsreq);
        free(c->data);
        free(c);
    }
    while (n->ev_head) {
        net_event *ev = n->ev_head;
        n->ev_head = ev->next_;
        net_event_free(ev);
    }
    while (n->taken) {
        net_event *ev = n->taken;
        n->taken = ev->next_;
        net_event_free(ev);
    }
    net_pool_release(n->pool); /* freed once the caller's events are too */
    if (n->multi)
        curl_multi_cleanup(n->multi);
    if (n->wake_rd >= 0)
        close(n->wake_rd);
    if (n->wake_wr >= 0)
        close(n->wake_wr);
    pthread_mutex_destroy(&n->lock);
    pthread_cond_destroy(&n->cond);
    pthread_cond_destroy(&n->kick);
    while (n->degraded) {
        degraded *d = n->degraded;
        n->degraded = d->next;
        free(d->url);
        free(d->field);
        free(d);
    }
    free(n->user_agent);
    free(n->ca_file);
    free(n->noproxy);
    free(n);
}
