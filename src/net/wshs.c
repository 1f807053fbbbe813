/* wshs.c: the WebSocket opening handshake and the SHA-1 it needs. */
#include "config.h"
#include "net/wshs.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/b64.h"
#include "util/mem.h"

#define MAX_HEAD (16 * 1024)

static uint32_t rol(uint32_t x, int n)
{
    return x << n | x >> (32 - n);
}

static void sha1_block(uint32_t h[5], const unsigned char *b)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
               (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (bb & c) | (~bb & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = bb ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (bb & c) | (bb & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = bb ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(bb, 30);
        bb = a;
        a = t;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void ws_sha1(const void *data, size_t len, uint8_t out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 64 <= len; i += 64)
        sha1_block(h, p + i);
    unsigned char last[128];
    size_t rest = len - i;
    memset(last, 0, sizeof last);
    if (rest)
        memcpy(last, p + i, rest);
    last[rest] = 0x80;
    size_t total = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++)
        last[total - 1 - k] = (unsigned char)(bits >> (8 * k));
    sha1_block(h, last);
    if (total == 128)
        sha1_block(h, last + 64);
    for (int k = 0; k < 5; k++) {
        out[4 * k] = (uint8_t)(h[k] >> 24);
        out[4 * k + 1] = (uint8_t)(h[k] >> 16);
        out[4 * k + 2] = (uint8_t)(h[k] >> 8);
        out[4 * k + 3] = (uint8_t)h[k];
    }
}

void ws_key(const uint8_t nonce[16], char out[25])
{
    buf_t b = BUF_INIT;
    b64_encode_append(&b, nonce, 16);
    memcpy(out, b.data, 24);
    out[24] = '\0';
    buf_free(&b);
}

void ws_accept(const char *key, char out[29])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    buf_t in = BUF_INIT;
    buf_append_str(&in, key);
    buf_append_str(&in, guid);
    uint8_t d[20];
    ws_sha1(in.data, in.len, d);
    buf_free(&in);
    buf_t b = BUF_INIT;
    b64_encode_append(&b, d, 20);
    memcpy(out, b.data, 28);
    out[28] = '\0';
    buf_free(&b);
}

void ws_request(buf_t *out, const char *host, const char *target, const char *key,
                const char *const *headers, size_t nheaders)
{
    buf_printf(out,
               "GET %s HTTP/1.1\r\n"
               "Host: %s\r\n"
               "Upgrade: websocket\r\n"
               "Connection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n",
               target, host, key);
    for (size_t i = 0; i < nheaders; i++)
        buf_printf(out, "%s\r\n", headers[i]);
    buf_append_str(out, "\r\n");
}

/* Whether a comma-separated header value holds token (any case). */
static bool has_token(const char *v, size_t n, const char *token)
{
    size_t tl = strlen(token);
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t s = i;
        while (i < n && v[i] != ',')
            i++;
        size_t e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e - s == tl && strncasecmp(v + s, token, tl) == 0)
            return true;
    }
    return false;
}

int ws_answer_parse(const char *p, size_t len, const char *key, ws_answer *a, char **why)
{
    memset(a, 0, sizeof *a);
    const char *end = NULL;
    for (size_t i = 0; i + 3 < len; i++) {
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n') {
            end = p + i + 4;
            break;
        }
    }
    if (!end) {
        if (len > MAX_HEAD) {
            *why = xstrdup("the server's answer to the WebSocket handshake is too long");
            return -1;
        }
        return 0;
    }
    a->head_len = (size_t)(end - p);
    int major, minor;
    long status;
    if (sscanf(p, "HTTP/%d.%d %ld", &major, &minor, &status) != 3) {
        *why = xstrdup("the server did not answer the WebSocket handshake with HTTP");
        return -1;
    }
    a->status = status;
    if (status != 101) {
        *why = xasprintf("the server answered the WebSocket handshake with HTTP %ld", status);
        return -1;
    }
    char want[29];
    ws_accept(key, want);
    bool upgrade = false, connection = false, accept = false;
    const char *line = (const char *)memchr(p, '\n', a->head_len) + 1;
    while (line < end - 2) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        size_t n = (size_t)(eol - line);
        if (n && line[n - 1] == '\r')
            n--;
        const char *colon = memchr(line, ':', n);
        if (colon) {
            size_t nl = (size_t)(colon - line);
            const char *v = colon + 1;
            size_t vl = n - nl - 1;
            while (vl && (*v == ' ' || *v == '\t')) {
                v++;
                vl--;
            }
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            if (nl == 7 && strncasecmp(line, "upgrade", 7) == 0)
                upgrade = has_token(v, vl, "websocket");
            else if (nl == 10 && strncasecmp(line, "connection", 10) == 0)
                connection = has_token(v, vl, "upgrade");
            else if (nl == 20 && strncasecmp(line, "sec-websocket-accept", 20) == 0)
                accept = vl == 28 && memcmp(v, want, 28) == 0;
        }
        line = eol + 1;
    }
    if (!upgrade || !connection) {
        *why = xstrdup("the server's 101 answer does not upgrade to a WebSocket");
        return -1;
    }
    if (!accept) {
        *why = xstrdup("the server's Sec-WebSocket-Accept does not match the key sent");
        return -1;
    }
    return 1;
}
