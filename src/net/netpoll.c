/* netpoll.c: libcurl driven by socket (see netpoll.h). */
#include "config.h"
#include "net/netpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

typedef struct watch {
    curl_socket_t fd;
    short events; /* POLLIN / POLLOUT as libcurl asked */
} watch;

struct net_poll {
    CURLM *multi;
    watch *watches; /* what libcurl wants watched, in no order */
    unsigned nwatch, capwatch;
    int64_t due_us; /* libcurl's timer, -1 when it has none */
    int kick_rd, kick_wr;
    atomic_bool kicked; /* a byte sits in the kick pipe */
    struct pollfd *pfd; /* the last wait's set: [0] the kick, then libcurl's */
    unsigned npfd, cappfd, ncurl;
};

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *ud, void *sockp)
{
    (void)easy;
    (void)sockp;
    net_poll *p = ud;
    unsigned i = 0;
    while (i < p->nwatch && p->watches[i].fd != fd)
        i++;
    if (what == CURL_POLL_REMOVE) {
        if (i < p->nwatch)
            p->watches[i] = p->watches[--p->nwatch];
        return 0;
    }
    if (i == p->nwatch) {
        if (p->nwatch == p->capwatch) {
            p->capwatch = p->capwatch ? p->capwatch * 2 : 16;
            p->watches = xrealloc(p->watches, p->capwatch * sizeof *p->watches);
        }
        p->watches[p->nwatch++].fd = fd;
    }
    p->watches[i].events = (short)((what & CURL_POLL_IN ? POLLIN : 0) |
                                   (what & CURL_POLL_OUT ? POLLOUT : 0));
    return 0;
}

static int on_timer(CURLM *multi, long ms, void *ud)
{
    (void)multi;
    net_poll *p = ud;
    p->due_us = ms < 0 ? -1 : clock_mono_us() + (int64_t)ms * 1000;
    return 0;
}

net_poll *net_poll_new(CURLM *multi)
{
    net_poll *p = xcalloc(1, sizeof *p);
    p->multi = multi;
    p->due_us = -1;
    p->kick_rd = p->kick_wr = -1;
    int fds[2];
    if (pipe(fds) != 0)
        goto fail;
    p->kick_rd = fds[0];
    p->kick_wr = fds[1];
    for (int i = 0; i < 2; i++)
        if (fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) != 0 ||
            fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0)
            goto fail;
    if (curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket) != CURLM_OK ||
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, p) != CURLM_OK ||
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer) != CURLM_OK ||
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, p) != CURLM_OK)
        goto fail;
    return p;
fail:
    net_poll_free(p);
    return NULL;
}

void net_poll_free(net_poll *p)
{
    if (!p)
        return;
    if (p->multi) {
        curl_multi_setopt(p->multi, CURLMOPT_SOCKETFUNCTION, NULL);
        curl_multi_setopt(p->multi, CURLMOPT_TIMERFUNCTION, NULL);
    }
    if (p->kick_rd >= 0)
        close(p->kick_rd);
    if (p->kick_wr >= 0)
        close(p->kick_wr);
    free(p->watches);
    free(p->pfd);
    free(p);
}

void net_poll_kick(net_poll *p)
{
    /* One byte at most waits in the pipe: a burst of commands costs one
     * write, and the pipe never fills. */
    if (atomic_exchange(&p->kicked, true))
        return;
    ssize_t w;
    do
        w = write(p->kick_wr, "k", 1);
    while (w < 0 && errno == EINTR);
}

static void take_kick(net_poll *p)
{
    atomic_store(&p->kicked, false);
    char tmp[16];
    ssize_t r;
    do
        r = read(p->kick_rd, tmp, sizeof tmp);
    while (r > 0 || (r < 0 && errno == EINTR));
}

void net_poll_run(net_poll *p)
{
    int running;
    /* pfd is the last wait's snapshot: libcurl may drop or add sockets
     * while it acts on one, and a descriptor it no longer knows is
     * ignored. */
    for (unsigned i = 1; i <= p->ncurl; i++) {
        short re = p->pfd[i].revents;
        if (!re)
            continue;
        p->pfd[i].revents = 0;
        int mask = (re & (POLLIN | POLLPRI | POLLHUP | POLLERR | POLLNVAL) ? CURL_CSELECT_IN : 0) |
                   (re & (POLLOUT | POLLERR) ? CURL_CSELECT_OUT : 0) |
                   (re & (POLLERR | POLLNVAL) ? CURL_CSELECT_ERR : 0);
        CURLMcode rc = curl_multi_socket_action(p->multi, p->pfd[i].fd, mask, &running);
        if (rc != CURLM_OK && rc != CURLM_BAD_SOCKET)
            log_msg("net: libcurl on a socket: %s", curl_multi_strerror(rc));
    }
    p->ncurl = 0;
    if (p->due_us >= 0 && p->due_us <= clock_mono_us()) {
        p->due_us = -1; /* libcurl sets it again if it needs to */
        CURLMcode rc = curl_multi_socket_action(p->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        if (rc != CURLM_OK)
            log_msg("net: libcurl on its timer: %s", curl_multi_strerror(rc));
    }
}

long net_poll_timeout_ms(const net_poll *p, long max_ms)
{
    if (p->due_us < 0)
        return max_ms;
    int64_t left = p->due_us - clock_mono_us();
    if (left <= 0)
        return 0;
    long ms = (long)((left + 999) / 1000);
    return ms < max_ms || max_ms < 0 ? ms : max_ms;
}

void net_poll_wait(net_poll *p, struct curl_waitfd *extra, unsigned nextra, int ms, int gather_ms)
{
    if (gather_ms > 0 && ms != 0) {
        struct pollfd k = {.fd = p->kick_rd, .events = POLLIN};
        int g = ms > 0 && ms < gather_ms ? ms : gather_ms;
        int rc;
        do
            rc = poll(&k, 1, g);
        while (rc < 0 && errno == EINTR);
        /* Whatever is ready now is taken below without sleeping again;
         * a kick (a command) ends the gathering at once. */
        ms = 0;
    }
    unsigned need = 1 + p->nwatch + nextra;
    if (need > p->cappfd) {
        p->cappfd = need + 8;
        p->pfd = xrealloc(p->pfd, p->cappfd * sizeof *p->pfd);
    }
    p->pfd[0] = (struct pollfd){.fd = p->kick_rd, .events = POLLIN};
    for (unsigned i = 0; i < p->nwatch; i++)
        p->pfd[1 + i] = (struct pollfd){.fd = p->watches[i].fd, .events = p->watches[i].events};
    p->ncurl = p->nwatch;
    for (unsigned i = 0; i < nextra; i++)
        p->pfd[1 + p->ncurl + i] = (struct pollfd){
            .fd = extra[i].fd,
            .events = (short)((extra[i].events & CURL_WAIT_POLLIN ? POLLIN : 0) |
                              (extra[i].events & CURL_WAIT_POLLPRI ? POLLPRI : 0) |
                              (extra[i].events & CURL_WAIT_POLLOUT ? POLLOUT : 0))};
    p->npfd = need;
    int rc;
    do
        rc = poll(p->pfd, p->npfd, ms);
    while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        log_msg("net: poll: %s", strerror(errno));
        for (unsigned i = 0; i < p->npfd; i++)
            p->pfd[i].revents = 0;
        return;
    }
    if (p->pfd[0].revents)
        take_kick(p);
    for (unsigned i = 0; i < nextra; i++) {
        short re = p->pfd[1 + p->ncurl + i].revents;
        extra[i].revents = (unsigned short)((re & (POLLIN | POLLHUP | POLLERR) ? CURL_WAIT_POLLIN : 0) |
                                            (re & POLLPRI ? CURL_WAIT_POLLPRI : 0) |
                                            (re & (POLLOUT | POLLERR) ? CURL_WAIT_POLLOUT : 0));
    }
}

unsigned net_poll_nsockets(const net_poll *p)
{
    return p->nwatch;
}
