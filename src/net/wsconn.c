/* wsconn.c: WebSocket connections over libcurl's connect-only mode (ws.h).
 *
 * One connection goes through: CONNECTING (libcurl resolves, connects and
 * does TLS in the multi handle), HANDSHAKE (our GET with Upgrade goes out
 * through curl_easy_send, the 101 comes back through curl_easy_recv),
 * OPEN (frames), CLOSING (a close frame was sent or received; waiting for
 * the other side's or for what is left to send) - or ERRBODY, when the
 * handshake was refused with an HTTP answer whose body we read for the
 * caller's error message. */
#include "config.h"
#include "net/wsconn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "net/transfer.h"
#include "net/wsframe.h"
#include "net/wshs.h"
#include "util/baseurl.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"

#define MAX_ERROR_BODY (64 * 1024)
#define CLOSE_WAIT_US (2000 * 1000)
#define READ_CHUNK (64 * 1024)

typedef enum { W_CONNECTING, W_HANDSHAKE, W_ERRBODY, W_OPEN, W_CLOSING } wstate;

struct wsconn {
    uint64_t id;
    net_t *net;
    CURLM *multi;
    net_ws_request *req;      /* owned */
    const net_config *cfg;
    CURL *easy;
    bool in_multi;
    curl_socket_t sock;
    wstate state;
    char key[25];
    char *host;               /* for the Host header */
    char *target;             /* path and query */
    char *origin;             /* scheme://host[:port], for messages */
    buf_t out;                /* bytes to send, from out_off on */
    size_t out_off;
    buf_t later;              /* frames sent before the handshake ended */
    buf_t in;                 /* the handshake's answer */
    long err_status;
    size_t err_need;          /* ERRBODY: bytes of head and body to wait for */
    char *err_why;
    ws_reader rd;
    bool close_sent, close_got;
    unsigned close_code;      /* the code of the close that ends it */
    char *close_reason;
    int64_t started_us, last_rx_us, ping_us, close_by_us;
    char errbuf[CURL_ERROR_SIZE];
    struct wsconn *next;
};

/* ------------------------------------------------------------- requests */

net_ws_request *net_ws_request_new(const char *url)
{
    net_ws_request *r = xcalloc(1, sizeof *r);
    r->url = xstrdup(url);
    r->headers = xcalloc(1, sizeof *r->headers);
    r->max_message = 16u * 1024 * 1024;
    r->ping_ms = 20000;
    return r;
}

void net_ws_request_add_header(net_ws_request *r, const char *name, const char *value)
{
    r->headers = xrealloc(r->headers, (r->nheaders + 2) * sizeof *r->headers);
    r->headers[r->nheaders++] = xasprintf("%s: %s", name, value);
    r->headers[r->nheaders] = NULL;
}

void net_ws_request_free(net_ws_request *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nheaders; i++) {
        /* Credentials: gone from memory, not only freed. */
        memset(r->headers[i], 0, strlen(r->headers[i]));
        free(r->headers[i]);
    }
    free(r->headers);
    free(r->url);
    free(r);
}

/* ----------------------------------------------------------- life cycle */

static void random_bytes(void *p, size_t n)
{
    unsigned char *b = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(b + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got < n) {
        /* No random source at all: still different keys each time. */
        uint64_t x = (uint64_t)clock_mono_us() * 6364136223846793005ULL + (uint64_t)getpid();
        for (; got < n; got++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[got] = (unsigned char)x;
        }
    }
}

static void conn_free(wsconn *c)
{
    if (c->easy) {
        if (c->in_multi)
            curl_multi_remove_handle(c->multi, c->easy);
        curl_easy_cleanup(c->easy);
    }
    net_ws_request_free(c->req);
    free(c->host);
    free(c->target);
    free(c->origin);
    free(c->err_why);
    free(c->close_reason);
    buf_free(&c->out);
    buf_free(&c->later);
    buf_free(&c->in);
    ws_reader_free(&c->rd);
    free(c);
}

static net_event *event_new(wsconn *c, net_event_kind kind)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = kind;
    ev->id = c->id;
    ev->tag = c->req->tag;
    return ev;
}

static void unlink_conn(wsconn **list, wsconn *c)
{
    for (wsconn **pp = list; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            return;
        }
    }
}

/* Ends c with its terminal event ev. */
static void finish(wsconn **list, wsconn *c, net_event *ev)
{
    log_msg("ws #%llu: %s%s%s", (unsigned long long)c->id,
            ev->kind == NET_EV_DONE ? "closed" : ev->kind == NET_EV_FAILED ? "failed" : "cancelled",
            ev->message ? ": " : "", ev->message ? ev->message : "");
    net_t *n = c->net;
    unlink_conn(list, c);
    conn_free(c);
    net_push_event(n, ev);
}

static void fail(wsconn **list, wsconn *c, net_fail f, bool not_processed, char *message)
{
    net_event *ev = event_new(c, NET_EV_FAILED);
    ev->fail = f;
    ev->message = message;
    ev->not_processed = not_processed;
    ev->delivered = c->state >= W_OPEN;
    finish(list, c, ev);
}

static void done(wsconn **list, wsconn *c)
{
    net_event *ev = event_new(c, NET_EV_DONE);
    ev->status = c->close_code;
    ev->message = c->close_reason;
    c->close_reason = NULL;
    ev->delivered = true;
    finish(list, c, ev);
}

/* The URL's parts for libcurl (an http(s) URL) and for the handshake.
 * Returns NULL with *why set when the URL may not be used. */
static char *parse_url(wsconn *c, char **why)
{
    const char *u = c->req->url;
    char *http;
    if (!strncasecmp(u, "wss://", 6)) {
        http = xasprintf("https://%s", u + 6);
    } else if (!strncasecmp(u, "ws://", 5)) {
        http = xasprintf("http://%s", u + 5);
        /* The host part alone: baseurl_is_loopback takes base URLs. */
        char *origin = xasprintf("http://%.*s", (int)strcspn(u + 5, "/?#"), u + 5);
        bool loopback = baseurl_is_loopback(origin);
        free(origin);
        if (!loopback) {
            free(http);
            *why = xstrdup("plain ws:// is allowed only to this machine (loopback); use wss://");
            return NULL;
        }
    } else {
        *why = xstrdup("a WebSocket URL must start with wss:// (or ws:// to loopback)");
        return NULL;
    }
    CURLU *cu = curl_url();
    char *host = NULL, *port = NULL, *path = NULL, *query = NULL;
    bool ok = cu && curl_url_set(cu, CURLUPART_URL, http, 0) == CURLUE_OK &&
              curl_url_get(cu, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
              curl_url_get(cu, CURLUPART_PATH, &path, 0) == CURLUE_OK;
    if (ok) {
        if (curl_url_get(cu, CURLUPART_PORT, &port, 0) != CURLUE_OK)
            port = NULL;
        if (curl_url_get(cu, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
            query = NULL;
        c->host = port ? xasprintf("%s:%s", host, port) : xstrdup(host);
        c->target = query ? xasprintf("%s?%s", path, query) : xstrdup(path);
        c->origin = xasprintf("%s://%s", strncasecmp(u, "wss://", 6) ? "ws" : "wss", c->host);
    } else {
        *why = xstrdup("the WebSocket URL is not valid");
    }
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(cu);
    if (!ok) {
        free(http);
        return NULL;
    }
    return http;
}

void wsc_start(wsconn **list, net_t *n, CURLM *multi, uint64_t id, net_ws_request *req,
               const net_config *cfg, const char *noproxy)
{
    wsconn *c = xcalloc(1, sizeof *c);
    c->id = id;
    c->net = n;
    c->multi = multi;
    c->req = req;
    c->cfg = cfg;
    c->sock = CURL_SOCKET_BAD;
    c->started_us = clock_mono_us();
    if (!req->max_message)
        req->max_message = 16u * 1024 * 1024;
    if (req->ping_ms <= 0)
        req->ping_ms = 20000;
    if (req->stall_ms <= 0)
        req->stall_ms = 3 * req->ping_ms;
    ws_reader_init(&c->rd, req->max_message, true);
    c->next = *list;
    *list = c;
    char *why = NULL;
    char *http = parse_url(c, &why);
    if (!http) {
        fail(list, c, NET_FAIL_REFUSED, true, why);
        return;
    }
    bool tls = !strncmp(http, "https://", 8);
    c->easy = curl_easy_init();
    CURLcode rc = c->easy ? CURLE_OK : CURLE_OUT_OF_MEMORY;
    CURL *e = c->easy;
#define SET(opt, val)                                                                          \
    do {                                                                                       \
        if (rc == CURLE_OK)                                                                    \
            rc = curl_easy_setopt(e, opt, val);                                                \
    } while (0)
    SET(CURLOPT_URL, http);
    SET(CURLOPT_CONNECT_ONLY, 1L);
    SET(CURLOPT_PRIVATE, (void *)c);
    SET(CURLOPT_ERRORBUFFER, c->errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, tls ? "https" : "http");
#else
    SET(CURLOPT_PROTOCOLS, tls ? CURLPROTO_HTTPS : CURLPROTO_HTTP);
#endif
    SET(CURLOPT_SSL_VERIFYPEER, cfg->insecure_tls ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, cfg->insecure_tls ? 0L : 2L);
    if (cfg->ca_file)
        SET(CURLOPT_CAINFO, cfg->ca_file);
    SET(CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_NOPROXY, noproxy);
    SET(CURLOPT_HTTPPROXYTUNNEL, 1L); /* through a proxy: a CONNECT tunnel */
#undef SET
    free(http);
    if (rc != CURLE_OK || curl_multi_add_handle(multi, e) != CURLM_OK) {
        fail(list, c, NET_FAIL_INTERNAL, true, xstrdup("the WebSocket connection could not be set up"));
        return;
    }
    c->in_multi = true;
    log_msg("ws #%llu: connecting to %s", (unsigned long long)id, c->origin);
}

static wsconn *find(wsconn *list, uint64_t id)
{
    for (; list; list = list->next)
        if (list->id == id)
            return list;
    return NULL;
}

/* Appends a frame to what goes out (or waits for the handshake). */
static void queue_frame(wsconn *c, int op, const void *p, size_t len)
{
    uint8_t mask[4];
    random_bytes(mask, sizeof mask);
    ws_frame_encode(c->state >= W_OPEN ? &c->out : &c->later, op, true, p, len, mask);
}

void wsc_send(wsconn *list, uint64_t id, char *data, size_t len)
{
    wsconn *c = find(list, id);
    if (c && !c->close_sent && !c->close_got && c->state != W_ERRBODY)
        queue_frame(c, WS_OP_TEXT, data, len);
    free(data);
}

static void send_close(wsconn *c, unsigned code, const char *reason)
{
    buf_t p = BUF_INIT;
    ws_close_payload(&p, code, reason);
    queue_frame(c, WS_OP_CLOSE, p.data, p.len);
    buf_free(&p);
    c->close_sent = true;
    c->close_by_us = clock_mono_us() + CLOSE_WAIT_US;
}

void wsc_close(wsconn *list, uint64_t id, unsigned code)
{
    wsconn *c = find(list, id);
    if (!c || c->close_sent)
        return;
    c->close_code = code;
    send_close(c, code, NULL);
    if (c->state == W_OPEN)
        c->state = W_CLOSING;
}

bool wsc_cancel(wsconn **list, uint64_t id)
{
    wsconn *c = find(*list, id);
    if (!c)
        return false;
    net_event *ev = event_new(c, NET_EV_CANCELLED);
    ev->not_processed = c->state < W_OPEN;
    finish(list, c, ev);
    return true;
}

static net_fail connect_fail(CURLcode code)
{
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
        return NET_FAIL_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return NET_FAIL_TLS;
    default:
        return NET_FAIL_CONNECT;
    }
}

bool wsc_connected(wsconn **list, CURL *easy, CURLcode code)
{
    wsconn *c = *list;
    while (c && c->easy != easy)
        c = c->next;
    if (!c)
        return false;
    if (code != CURLE_OK) {
        fail(list, c, connect_fail(code), true,
             xasprintf("could not connect to %s: %s", c->origin,
                       c->errbuf[0] ? c->errbuf : curl_easy_strerror(code)));
        return true;
    }
    curl_socket_t s = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(easy, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK || s == CURL_SOCKET_BAD) {
        fail(list, c, NET_FAIL_INTERNAL, true, xstrdup("libcurl gave no socket for the WebSocket"));
        return true;
    }
    c->sock = s;
    c->state = W_HANDSHAKE;
    uint8_t nonce[16];
    random_bytes(nonce, sizeof nonce);
    ws_key(nonce, c->key);
    char *ua = xasprintf("User-Agent: %s", c->cfg->user_agent ? c->cfg->user_agent : PACKAGE_NAME);
    const char **hdrs = xcalloc(c->req->nheaders + 1, sizeof *hdrs);
    for (size_t i = 0; i < c->req->nheaders; i++)
        hdrs[i] = c->req->headers[i];
    hdrs[c->req->nheaders] = ua;
    ws_request(&c->out, c->host, c->target, c->key, hdrs, c->req->nheaders + 1);
    free(hdrs);
    free(ua);
    return true;
}

/* ----------------------------------------------------------------- I/O */

/* Sends what is waiting. -1 when the connection failed. */
static int flush_out(wsconn *c)
{
    while (c->out_off < c->out.len) {
        size_t n = 0;
        CURLcode rc = curl_easy_send(c->easy, c->out.data + c->out_off, c->out.len - c->out_off, &n);
        if (rc == CURLE_AGAIN)
            break;
        if (rc != CURLE_OK)
            return -1;
        c->out_off += n;
    }
    if (c->out_off == c->out.len) {
        buf_clear(&c->out);
        c->out_off = 0;
    }
    return 0;
}

/* Reads what is there into dst (the reader when NULL). 1: bytes came;
 * 0: nothing now; -1: the connection ended (EOF or error). */
static int read_in(wsconn *c, buf_t *dst)
{
    char tmp[READ_CHUNK];
    int got = 0;
    for (;;) {
        size_t n = 0;
        CURLcode rc = curl_easy_recv(c->easy, tmp, sizeof tmp, &n);
        if (rc == CURLE_AGAIN)
            return got;
        if (rc != CURLE_OK || n == 0)
            return got ? got : -1;
        got = 1;
        c->last_rx_us = clock_mono_us();
        c->ping_us = 0;
        if (dst)
            buf_append(dst, tmp, n);
        else
            ws_reader_feed(&c->rd, tmp, n);
        if (dst && dst->len > 64 * 1024 + MAX_ERROR_BODY)
            return 1;
        if (!dst && net_queue_full(c->net))
            return 1; /* back-pressure: the rest waits in the kernel */
    }
}

static size_t content_length(const char *head, size_t len)
{
    if (!head)
        return MAX_ERROR_BODY;
    for (size_t i = 0; i + 16 < len; i++) {
        if (head[i] == '\n' && !strncasecmp(head + i + 1, "content-length:", 15))
            return (size_t)strtoul(head + i + 16, NULL, 10);
    }
    return MAX_ERROR_BODY;
}

static void handshake_step(wsconn **list, wsconn *c)
{
    if (flush_out(c) != 0) {
        fail(list, c, NET_FAIL_DROPPED, true, xasprintf("the connection to %s failed", c->origin));
        return;
    }
    int r = read_in(c, &c->in);
    ws_answer a;
    char *why = NULL;
    int st = ws_answer_parse(c->in.data ? c->in.data : "", c->in.len, c->key, &a, &why);
    if (st == 0) {
        if (r < 0)
            fail(list, c, NET_FAIL_DROPPED, true,
                 xasprintf("%s closed the connection during the WebSocket handshake", c->origin));
        return;
    }
    if (st < 0) {
        if (!a.status) {
            fail(list, c, NET_FAIL_DROPPED, true, why);
            return;
        }
        c->state = W_ERRBODY;
        c->err_status = a.status;
        c->err_why = why;
        size_t cl = content_length(c->in.data, a.head_len);
        c->err_need = a.head_len + (cl < MAX_ERROR_BODY ? cl : MAX_ERROR_BODY);
        return;
    }
    /* Open: what followed the head is already frames. */
    ws_reader_feed(&c->rd, c->in.data + a.head_len, c->in.len - a.head_len);
    buf_free(&c->in);
    c->state = c->close_sent ? W_CLOSING : W_OPEN;
    buf_append(&c->out, c->later.data, c->later.len);
    buf_free(&c->later);
    c->last_rx_us = clock_mono_us();
    log_msg("ws #%llu: open", (unsigned long long)c->id);
    net_event *ev = event_new(c, NET_EV_OPEN);
    ev->status = 101;
    net_push_event(c->net, ev);
}

static void errbody_step(wsconn **list, wsconn *c)
{
    int r = read_in(c, &c->in);
    if (r >= 0 && c->in.len < c->err_need)
        return;
    net_event *ev = event_new(c, NET_EV_FAILED);
    ev->fail = NET_FAIL_HTTP;
    ev->status = c->err_status;
    ev->not_processed = true;
    ws_answer a;
    char *again = NULL;
    ws_answer_parse(c->in.data, c->in.len, c->key, &a, &again);
    free(again);
    size_t head = a.head_len;
    size_t blen = c->in.len > head ? c->in.len - head : 0;
    if (blen > MAX_ERROR_BODY)
        blen = MAX_ERROR_BODY;
    ev->body = xmalloc(blen + 1);
    memcpy(ev->body, c->in.data + head, blen);
    ev->body[blen] = '\0';
    ev->body_len = blen;
    ev->message = c->err_why;
    c->err_why = NULL;
    finish(list, c, ev);
}

/* Handles what the reader has. false when c has ended. */
static bool take_frames(wsconn **list, wsconn *c)
{
    ws_item it;
    int r;
    while ((r = ws_reader_next(&c->rd, &it)) == 1) {
        switch (it.opcode) {
        case WS_OP_TEXT:
        case WS_OP_BINARY: {
            if (c->close_got)
                break;
            net_sse m = {it.opcode == WS_OP_TEXT ? "text" : "binary",
                         it.opcode == WS_OP_TEXT ? 4 : 6, it.data, it.len, "", 0};
            net_event *ev = net_event_new_sse(c->id, c->req->tag, &m, 1);
            ev->delivered = true;
            net_push_event(c->net, ev);
            break;
        }
        case WS_OP_PING:
            if (!c->close_sent)
                queue_frame(c, WS_OP_PONG, it.data, it.len);
            break;
        case WS_OP_PONG:
            break;
        case WS_OP_CLOSE: {
            unsigned code;
            const char *reason;
            size_t rl;
            if (ws_close_parse(it.data, it.len, &code, &reason, &rl) != 0) {
                send_close(c, WS_CLOSE_PROTOCOL, NULL);
                flush_out(c);
                fail(list, c, NET_FAIL_DROPPED, false,
                     xstrdup("the server sent a malformed WebSocket close"));
                return false;
            }
            c->close_got = true;
            if (!c->close_sent) {
                c->close_code = code;
                free(c->close_reason);
                c->close_reason = rl ? xstrndup(reason, rl) : NULL;
                /* Echo the code (section 5.5.1); 1005 is never sent. */
                send_close(c, code == WS_CLOSE_NO_STATUS ? WS_CLOSE_NORMAL : code, NULL);
            }
            c->state = W_CLOSING;
            return true;
        }
        }
    }
    if (r < 0) {
        unsigned code = c->rd.fail_code;
        char *msg = xasprintf("the server broke the WebSocket protocol: %s", c->rd.fail_why);
        send_close(c, code, NULL);
        flush_out(c);
        fail(list, c, code == WS_CLOSE_TOO_BIG ? NET_FAIL_TOO_LARGE : NET_FAIL_DROPPED, false, msg);
        return false;
    }
    return true;
}

static void open_step(wsconn **list, wsconn *c, int64_t now)
{
    int r = 0;
    if (!net_queue_full(c->net)) {
        r = read_in(c, NULL);
        if (!take_frames(list, c))
            return;
    }
    if (flush_out(c) != 0 || r < 0) {
        if (c->state == W_CLOSING && c->close_sent)
            done(list, c); /* the server hung up after the closing handshake began */
        else
            fail(list, c, NET_FAIL_DROPPED, false,
                 xasprintf("%s closed the WebSocket without a close frame", c->origin));
        return;
    }
    if (c->state == W_CLOSING) {
        if ((c->close_got && c->out.len == 0) || now >= c->close_by_us)
            done(list, c);
        return;
    }
    int64_t quiet = now - c->last_rx_us;
    if (quiet >= (int64_t)c->req->stall_ms * 1000) {
        fail(list, c, NET_FAIL_STALL, false,
             xasprintf("%s went silent: no answer to pings for %ld s", c->origin,
                       c->req->stall_ms / 1000));
        return;
    }
    if (!c->ping_us && quiet >= (int64_t)c->req->ping_ms * 1000) {
        queue_frame(c, WS_OP_PING, "aidesk", 6);
        c->ping_us = now;
        flush_out(c);
    }
}

void wsc_run(wsconn **list, int64_t now)
{
    wsconn *c = *list;
    while (c) {
        wsconn *next = c->next;
        switch (c->state) {
        case W_CONNECTING:
            if (now - c->started_us > (int64_t)c->cfg->connect_timeout_ms * 1000 + 1000000)
                fail(list, c, NET_FAIL_TIMEOUT, true,
                     xasprintf("no connection to %s in time", c->origin));
            break;
        case W_HANDSHAKE:
            if (now - c->started_us > (int64_t)c->cfg->connect_timeout_ms * 1000 * 2) {
                fail(list, c, NET_FAIL_TIMEOUT, true,
                     xasprintf("%s did not answer the WebSocket handshake in time", c->origin));
                break;
            }
            handshake_step(list, c);
            break;
        case W_ERRBODY:
            errbody_step(list, c);
            break;
        case W_OPEN:
        case W_CLOSING:
            open_step(list, c, now);
            break;
        }
        c = next;
    }
}

int wsc_pollfds(const wsconn *list, struct curl_waitfd *fds, int max)
{
    int k = 0;
    for (const wsconn *c = list; c && k < max; c = c->next) {
        if (c->state == W_CONNECTING || c->sock == CURL_SOCKET_BAD)
            continue;
        fds[k].fd = c->sock;
        fds[k].events = CURL_WAIT_POLLIN | (c->out.len > c->out_off ? CURL_WAIT_POLLOUT : 0);
        fds[k].revents = 0;
        k++;
    }
    return k;
}

long wsc_next_ms(const wsconn *list, int64_t now, long max_ms)
{
    int64_t best = (int64_t)max_ms * 1000;
    for (const wsconn *c = list; c; c = c->next) {
        int64_t due;
        if (c->state == W_CONNECTING || c->state == W_HANDSHAKE || c->state == W_ERRBODY)
            due = c->started_us + (int64_t)c->cfg->connect_timeout_ms * 2000;
        else if (c->state == W_CLOSING)
            due = c->close_by_us;
        else if (!c->ping_us)
            due = c->last_rx_us + (int64_t)c->req->ping_ms * 1000;
        else
            due = c->last_rx_us + (int64_t)c->req->stall_ms * 1000;
        if (due - now < best)
            best = due - now;
    }
    if (best < 0)
        best = 0;
    return (long)((best + 999) / 1000);
}

void wsc_free_all(wsconn **list)
{
    while (*list) {
        wsconn *c = *list;
        *list = c->next;
        conn_free(c);
    }
}
