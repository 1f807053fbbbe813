/* transfer.c: libcurl settings, callbacks and outcome of one attempt. */
#include "config.h"
#include "net/transfer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/mem.h"

#ifndef CURL_WRITEFUNC_ERROR
#define CURL_WRITEFUNC_ERROR 0xFFFFFFFF
#endif

#define MAX_HEADERS 100
#define MAX_HEADER_BYTES (64 * 1024)
#define MAX_ERROR_BODY (64 * 1024)
#define STREAM_READ_BYTES (64 * 1024L)
#define BATCH_MAX_BYTES (256 * 1024)

transfer *transfer_new(net_t *n, uint64_t id, net_request *req, const net_config *cfg,
                       const char *user_agent, const char *noproxy)
{
    (void)user_agent; /* cfg->user_agent holds the same string */
    transfer *t = xcalloc(1, sizeof *t);
    t->id = id;
    t->net = n;
    t->req = req;
    t->cfg = cfg;
    t->noproxy = noproxy;
    if (req->stream) {
        t->batch.pool = net_sse_pool(n);
        t->sse = sse_parser_new(req->max_event);
        if (req->last_event_id)
            sse_parser_set_last_id(t->sse, req->last_event_id);
    }
    return t;
}

static void clear_headers(transfer *t)
{
    for (size_t i = 0; i < t->nheaders; i++) {
        free(t->headers[i].name);
        free(t->headers[i].value);
    }
    free(t->headers);
    t->headers = NULL;
    t->nheaders = 0;
    t->header_bytes = 0;
}

void transfer_reset_attempt(transfer *t)
{
    if (t->easy)
        curl_easy_cleanup(t->easy);
    t->easy = NULL;
    curl_slist_free_all(t->hdrs);
    t->hdrs = NULL;
    clear_headers(t);
    buf_free(&t->body);
    if (t->sunk && t->req->sink && t->req->sink->restart)
        t->req->sink->restart(t->req->sink->state);
    t->sunk = 0;
    t->status = 0;
    t->paused = t->stalled = t->too_large = t->request_sent = t->opened = false;
    t->active = false;
    t->errbuf[0] = '\0';
    if (t->sse)
        sse_parser_reset(t->sse);
}

void transfer_free(transfer *t)
{
    if (!t)
        return;
    transfer_reset_attempt(t);
    net_batch_free(&t->batch);
    sse_parser_free(t->sse);
    net_request_free(t->req);
    free(t);
}

/* ---------------------------------------------------------------- callbacks */

static void emit_open(transfer *t)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->kind = NET_EV_OPEN;
    ev->id = t->id;
    ev->tag = t->req->tag;
    ev->status = t->status;
    ev->headers = xcalloc(t->nheaders ? t->nheaders : 1, sizeof *ev->headers);
    for (size_t i = 0; i < t->nheaders; i++) {
        ev->headers[i].name = xstrdup(t->headers[i].name);
        ev->headers[i].value = xstrdup(t->headers[i].value);
    }
    ev->nheaders = t->nheaders;
    t->opened = true;
    t->consecutive = 0;
    net_push_event(t->net, ev);
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    transfer *t = ud;
    size_t len = size * nmemb;
    t->last_byte_us = clock_mono_us();
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
        /* A new response (after 1xx, or the only one): start over. */
        clear_headers(t);
        const char *sp = memchr(p, ' ', len);
        t->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        return len;
    }
    size_t n = len;
    while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    if (n == 0) {
        if (t->status >= 200 && t->status < 300 && t->req->stream && !t->opened)
            emit_open(t);
        return len;
    }
    const char *colon = memchr(p, ':', n);
    if (!colon || t->nheaders >= MAX_HEADERS || t->header_bytes + n > MAX_HEADER_BYTES)
        return len; /* folded, malformed or excess headers are ignored */
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vl = n - nl - 1;
    while (vl && (*v == ' ' || *v == '\t')) {
        v++;
        vl--;
    }
    while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
        vl--;
    t->headers = xrealloc(t->headers, (t->nheaders + 1) * sizeof *t->headers);
    char *name = xmemdup0(p, nl);
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    t->headers[t->nheaders].name = name;
    t->headers[t->nheaders].value = xmemdup0(v, vl);
    t->nheaders++;
    /* A plain answer of known size gets its buffer at once: no doubling,
     * no copies, no slack (a long history is megabytes). */
    if (!t->req->stream && !t->req->sink && !strcmp(name, "content-length") && t->body.len == 0) {
        char *end;
        unsigned long long clen = strtoull(t->headers[t->nheaders - 1].value, &end, 10);
        if (*end == '\0' && clen > 0 && clen <= t->req->max_body)
            buf_reserve_exact(&t->body, (size_t)clen);
    }
    t->header_bytes += n;
    return len;
}

static int on_sse(void *ud, const sse_event *e)
{
    transfer *t = ud;
    net_batch_add(&t->batch, e);
    if (t->events < 2)
        t->events++;
    return 0;
}

bool transfer_flush(transfer *t)
{
    net_event *ev = net_batch_take(&t->batch, t->id, t->req->tag, t->status);
    if (!ev)
        return false;
    t->delivered = true;
    t->flushed_us = clock_mono_us();
    net_push_event(t->net, ev);
    return true;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    transfer *t = ud;
    size_t len = size * nmemb;
    t->last_byte_us = clock_mono_us();
    if (t->req->stream && t->status >= 200 && t->status < 300) {
        if (!t->opened)
            emit_open(t);
        if (net_queue_full(t->net)) {
            t->paused = true;
            return CURL_WRITEFUNC_PAUSE;
        }
        net_batch_reserve(&t->batch, len);
        int rc = sse_parser_feed(t->sse, p, len, on_sse, t);
        /* The batch goes out when the network thread's round ends
         * (transfer_flush); a very long round does not wait that long. */
        if (t->batch.used >= BATCH_MAX_BYTES)
            transfer_flush(t);
        if (rc == SSE_TOO_LONG) {
            t->too_large = true;
            return CURL_WRITEFUNC_ERROR;
        }
        return len;
    }
    size_t cap = t->req->stream ? MAX_ERROR_BODY : t->req->max_body;
    if (t->req->sink && t->status >= 200 && t->status < 300) {
        /* Read as it comes (net_sink): only the count is kept here. */
        if (t->sunk + len > cap) {
            t->too_large = true;
            return CURL_WRITEFUNC_ERROR;
        }
        t->sunk += len;
        t->req->sink->push(t->req->sink->state, p, len);
        return len;
    }
    if (t->body.len + len > cap) {
        t->too_large = true;
        return CURL_WRITEFUNC_ERROR;
    }
    buf_append(&t->body, p, len);
    return len;
}

#if LIBCURL_VERSION_NUM >= 0x075000
static int on_prereq(void *ud, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                     int conn_local_port)
{
    (void)conn_primary_ip;
    (void)conn_local_ip;
    (void)conn_primary_port;
    (void)conn_local_port;
    transfer *t = ud;
    t->request_sent = true;
    return CURL_PREREQFUNC_OK;
}
#endif

/* ------------------------------------------------------------------- set-up */

static bool scheme_allowed(const net_request *r)
{
    if (!strncmp(r->url, "https://", 8))
        return true;
    return r->allow_http && !strncmp(r->url, "http://", 7);
}

static bool add_header(transfer *t, const char *line)
{
    struct curl_slist *h = curl_slist_append(t->hdrs, line);
    if (!h)
        return false;
    t->hdrs = h;
    return true;
}

int transfer_prepare(transfer *t, net_fail *fail, char **why)
{
    const net_request *r = t->req;
    transfer_reset_attempt(t);
    if (!scheme_allowed(r)) {
        *fail = NET_FAIL_REFUSED;
        *why = xstrdup(r->allow_http ? "only http:// and https:// URLs can be used"
                                     : "refused a plain http:// URL: use https:// (http:// is "
                                       "allowed only for loopback or when allow_http is set)");
        return -1;
    }
    CURL *e = curl_easy_init();
    if (!e) {
        *fail = NET_FAIL_INTERNAL;
        *why = xstrdup("libcurl could not create a transfer");
        return -1;
    }
    t->easy = e;
    bool ok = true;
    for (size_t i = 0; i < r->nheaders; i++)
        ok = ok && add_header(t, r->headers[i]);
    ok = ok && add_header(t, "Expect:");
    if (r->stream) {
        const char *last = sse_parser_last_id(t->sse);
        if (*last) {
            char *line = xasprintf("Last-Event-ID: %s", last);
            ok = ok && add_header(t, line);
            free(line);
        }
        ok = ok && add_header(t, "Cache-Control: no-cache");
    }
    if (!ok) {
        *fail = NET_FAIL_INTERNAL;
        *why = xstrdup("out of memory while setting up a transfer");
        return -1;
    }
    const char *protos = r->allow_http ? "http,https" : "https";
    long connect_ms = t->cfg->connect_timeout_ms;
    if (r->timeout_ms > 0 && r->timeout_ms < connect_ms)
        connect_ms = r->timeout_ms;
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                          \
    do {                                                                                       \
        if (rc == CURLE_OK)                                                                    \
            rc = curl_easy_setopt(e, opt, val);                                                \
    } while (0)
    SET(CURLOPT_URL, r->url);
    SET(CURLOPT_PRIVATE, (void *)t);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, protos);
    SET(CURLOPT_REDIR_PROTOCOLS_STR, protos);
#else
    long pmask = r->allow_http ? (CURLPROTO_HTTP | CURLPROTO_HTTPS) : CURLPROTO_HTTPS;
    SET(CURLOPT_PROTOCOLS, pmask);
    SET(CURLOPT_REDIR_PROTOCOLS, pmask);
    (void)protos;
#endif
    SET(CURLOPT_SSL_VERIFYPEER, t->cfg->insecure_tls ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, t->cfg->insecure_tls ? 0L : 2L);
    if (t->cfg->ca_file)
        SET(CURLOPT_CAINFO, t->cfg->ca_file);
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    if (!r->stream && r->timeout_ms > 0)
        SET(CURLOPT_TIMEOUT_MS, r->timeout_ms);
    if (r->stream) {
        SET(CURLOPT_TCP_KEEPALIVE, 1L);
        /* Bigger reads, fewer of everything per token: system calls, wake-ups,
         * events (a read becomes one NET_EV_SSE). A slow stream still
         * delivers each event as soon as it arrives. */
        SET(CURLOPT_BUFFERSIZE, STREAM_READ_BYTES);
    }
    else
        SET(CURLOPT_ACCEPT_ENCODING, ""); /* the byte cap applies after decoding */
    SET(CURLOPT_USERAGENT, t->cfg->user_agent);
    SET(CURLOPT_NOPROXY, t->noproxy);
    SET(CURLOPT_HTTPHEADER, t->hdrs);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, (void *)t);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)t);
#if LIBCURL_VERSION_NUM >= 0x075000
    SET(CURLOPT_PREREQFUNCTION, on_prereq);
    SET(CURLOPT_PREREQDATA, (void *)t);
#else
    /* Without the prereq callback nothing tells when libcurl repeated the
     * request by itself after a reused connection died: a request with an
     * effect gets a connection of its own, where libcurl never does. */
    if (!r->retry_safe)
        SET(CURLOPT_FRESH_CONNECT, 1L);
#endif
    if (r->method == NET_POST) {
        SET(CURLOPT_POST, 1L);
        SET(CURLOPT_POSTFIELDS, r->body ? r->body : "");
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(r->body ? r->body_len : 0));
    } else if (r->method == NET_DELETE) {
        SET(CURLOPT_CUSTOMREQUEST, "DELETE");
    }
#undef SET
    if (rc != CURLE_OK) {
        *fail = NET_FAIL_INTERNAL;
        *why = xasprintf("libcurl refused a setting: %s", curl_easy_strerror(rc));
        return -1;
    }
    t->last_byte_us = clock_mono_us();
    return 0;
}

/* ------------------------------------------------------------------ outcome */

static net_fail classify(CURLcode code, bool sent, const char **what)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        if (sent) {
            /* libcurl's own retry on a fresh connection, after a reused
             * one died with our request on it. */
            *what = "the connection closed after the request went out, and reconnecting failed";
            return NET_FAIL_DROPPED;
        }
        *what = code == CURLE_COULDNT_CONNECT ? "could not connect" : "could not resolve the host";
        return NET_FAIL_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        *what = sent ? "timed out waiting for the answer" : "timed out connecting";
        return sent ? NET_FAIL_TIMEOUT : NET_FAIL_CONNECT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        *what = "TLS failed";
        return NET_FAIL_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        *what = "refused the URL";
        return NET_FAIL_REFUSED;
    case CURLE_FAILED_INIT:
    case CURLE_OUT_OF_MEMORY:
        *what = "libcurl failed";
        return NET_FAIL_INTERNAL;
    default:
        *what = "the connection dropped";
        return NET_FAIL_DROPPED;
    }
}

net_event *transfer_outcome(transfer *t, CURLcode code)
{
    net_event *ev = xcalloc(1, sizeof *ev);
    ev->id = t->id;
    ev->tag = t->req->tag;
    ev->delivered = t->delivered;
    long status = t->status;
    if (!status)
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    ev->status = status;
    ev->headers = t->headers;
    ev->nheaders = t->nheaders;
    t->headers = NULL;
    t->nheaders = 0;
#if LIBCURL_VERSION_NUM < 0x075000
    curl_off_t pre = 0;
    curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
    t->request_sent = pre > 0;
#endif
    if (t->stalled) {
        ev->kind = NET_EV_FAILED;
        ev->fail = NET_FAIL_STALL;
        ev->message = xasprintf("no data from the server for %ld s", t->req->timeout_ms / 1000);
        return ev;
    }
    if (t->too_large) {
        ev->kind = NET_EV_FAILED;
        ev->fail = NET_FAIL_TOO_LARGE;
        ev->message = t->req->stream && status >= 200 && status < 300
                          ? xasprintf("the server sent an event larger than %zu KiB",
                                      t->req->max_event / 1024)
                          : xasprintf("the answer was larger than %zu KiB",
                                      (t->req->stream ? MAX_ERROR_BODY : t->req->max_body) / 1024);
        return ev;
    }
    if (code == CURLE_OK) {
        if (status >= 200 && status < 300) {
            if (t->req->stream && t->req->reconnect) {
                ev->kind = NET_EV_FAILED;
                ev->fail = NET_FAIL_DROPPED;
                ev->message = xstrdup("the server closed the event stream");
                return ev;
            }
            ev->kind = NET_EV_DONE;
            if (t->req->sink) {
                ev->sink = t->req->sink;
                t->req->sink = NULL;
                return ev;
            }
            ev->body_len = t->body.len;
            ev->body = buf_steal(&t->body);
            return ev;
        }
        ev->kind = NET_EV_FAILED;
        ev->fail = NET_FAIL_HTTP;
        ev->body_len = t->body.len;
        ev->body = buf_steal(&t->body);
        ev->message = xasprintf("HTTP status %ld", status);
        return ev;
    }
    const char *what;
    ev->kind = NET_EV_FAILED;
    ev->fail = classify(code, t->request_sent, &what);
    ev->message = xasprintf("%s: %s", what, t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
    return ev;
}

bool transfer_may_have_acted(const transfer *t)
{
    return t->may_have_acted || t->request_sent;
}

void transfer_retry_input(transfer *t, net_event *ev, retry_attempt *a)
{
    memset(a, 0, sizeof *a);
    a->reconnect = t->req->stream && t->req->reconnect;
    a->attempt = a->reconnect ? t->consecutive : t->attempt;
    a->retry_safe = t->req->retry_safe;
    a->no_429 = !t->req->retry_429;
    a->reached_server = t->request_sent;
    a->delivered = t->delivered;
    a->fail = ev->fail;
    a->status = ev->status;
    a->retry_after = net_event_header(ev, "retry-after");
    a->retry_after_ms = net_event_header(ev, "retry-after-ms");
    a->should_retry = net_event_header(ev, "x-should-retry");
    a->sse_retry_ms = t->sse ? sse_parser_retry_ms(t->sse) : -1;
    if (!retry_not_processed(a))
        t->may_have_acted = true;
    ev->not_processed = !t->may_have_acted;
}

int64_t transfer_stall_deadline(const transfer *t)
{
    if (!t->req->stream || t->paused || t->req->timeout_ms <= 0)
        return 0;
    return t->last_byte_us + (int64_t)t->req->timeout_ms * 1000;
}

bool transfer_stalled(const transfer *t, int64_t now)
{
    int64_t d = transfer_stall_deadline(t);
    return d && now >= d;
}

void transfer_resume(transfer *t)
{
    t->paused = false;
    t->last_byte_us = clock_mono_us();
    curl_easy_pause(t->easy, CURLPAUSE_CONT);
}
