/* wsframe.c: WebSocket frames (RFC 6455 section 5). */
#include "config.h"
#include "net/wsframe.h"

#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

void ws_frame_encode(buf_t *out, int opcode, bool fin, const void *payload, size_t len,
                     const uint8_t *mask)
{
    unsigned char h[14];
    size_t n = 0;
    h[n++] = (unsigned char)((fin ? 0x80 : 0) | (opcode & 0x0F));
    unsigned char m = mask ? 0x80 : 0;
    if (len < 126) {
        h[n++] = (unsigned char)(m | len);
    } else if (len <= 0xFFFF) {
        h[n++] = (unsigned char)(m | 126);
        h[n++] = (unsigned char)(len >> 8);
        h[n++] = (unsigned char)len;
    } else {
        h[n++] = (unsigned char)(m | 127);
        for (int i = 7; i >= 0; i--)
            h[n++] = (unsigned char)((uint64_t)len >> (8 * i));
    }
    if (mask) {
        memcpy(h + n, mask, 4);
        n += 4;
    }
    buf_reserve(out, n + len);
    buf_append(out, h, n);
    if (!len)
        return;
    size_t at = out->len;
    buf_append(out, payload, len);
    if (mask) {
        unsigned char *p = (unsigned char *)out->data + at;
        for (size_t i = 0; i < len; i++)
            p[i] ^= mask[i & 3];
    }
}

void ws_close_payload(buf_t *out, unsigned code, const char *reason)
{
    unsigned char c[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    buf_append(out, c, 2);
    if (!reason)
        return;
    size_t len = strlen(reason);
    if (len > 123)
        len = utf8_prefix_len(reason, 123);
    buf_append(out, reason, len);
}

/* Codes an endpoint may put in a close frame (section 7.4). */
static bool code_sendable(unsigned code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

int ws_close_parse(const char *p, size_t len, unsigned *code, const char **reason,
                   size_t *reason_len)
{
    *reason = "";
    *reason_len = 0;
    if (len == 0) {
        *code = WS_CLOSE_NO_STATUS;
        return 0;
    }
    if (len == 1)
        return -1;
    *code = (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
    if (!code_sendable(*code) || !utf8_valid(p + 2, len - 2))
        return -1;
    *reason = p + 2;
    *reason_len = len - 2;
    return 0;
}

void ws_reader_init(ws_reader *r, size_t max_message, bool client)
{
    memset(r, 0, sizeof *r);
    r->max_message = max_message;
    r->client = client;
}

void ws_reader_free(ws_reader *r)
{
    buf_free(&r->in);
    buf_free(&r->msg);
    buf_free(&r->ctl);
}

void ws_reader_feed(ws_reader *r, const void *data, size_t len)
{
    if (!r->fail_code)
        buf_append(&r->in, data, len);
}

static int fail(ws_reader *r, unsigned code, const char *why)
{
    r->fail_code = code;
    snprintf(r->fail_why, sizeof r->fail_why, "%s", why);
    buf_free(&r->in);
    buf_free(&r->msg);
    return -1;
}

int ws_reader_next(ws_reader *r, ws_item *item)
{
    if (r->fail_code)
        return -1;
    if (r->msg_done) {
        buf_clear(&r->msg);
        r->msg_done = false;
    }
    for (;;) {
        const unsigned char *p = (const unsigned char *)r->in.data;
        size_t have = r->in.len;
        if (have < 2)
            return 0;
        bool fin = p[0] & 0x80;
        int op = p[0] & 0x0F;
        bool masked = p[1] & 0x80;
        uint64_t len = p[1] & 0x7F;
        size_t hdr = 2;
        if (p[0] & 0x70)
            return fail(r, WS_CLOSE_PROTOCOL, "a frame with reserved bits set");
        bool control = op & 0x8;
        if (op != WS_OP_CONT && op != WS_OP_TEXT && op != WS_OP_BINARY && op != WS_OP_CLOSE &&
            op != WS_OP_PING && op != WS_OP_PONG)
            return fail(r, WS_CLOSE_PROTOCOL, "a frame with a reserved opcode");
        if (control && (!fin || len > 125))
            return fail(r, WS_CLOSE_PROTOCOL, "a control frame fragmented or over 125 bytes");
        if (masked && r->client)
            return fail(r, WS_CLOSE_PROTOCOL, "a masked frame from the server");
        if (op == WS_OP_CONT && !r->msg_op)
            return fail(r, WS_CLOSE_PROTOCOL, "a continuation frame with no message to continue");
        if (!control && op != WS_OP_CONT && r->msg_op)
            return fail(r, WS_CLOSE_PROTOCOL, "a new message inside a fragmented one");
        if (len == 126) {
            if (have < 4)
                return 0;
            len = (uint64_t)p[2] << 8 | p[3];
            hdr = 4;
        } else if (len == 127) {
            if (have < 10)
                return 0;
            len = 0;
            for (int i = 0; i < 8; i++)
                len = len << 8 | p[2 + i];
            hdr = 10;
            if (len >> 63)
                return fail(r, WS_CLOSE_PROTOCOL, "a frame length with its top bit set");
        }
        if (!control && len > r->max_message - (op == WS_OP_CONT ? r->msg.len : 0))
            return fail(r, WS_CLOSE_TOO_BIG, "a message over the size cap");
        const unsigned char *key = NULL;
        if (masked) {
            key = p + hdr;
            hdr += 4;
        }
        if (have < hdr || have - hdr < len)
            return 0;
        buf_t *dst = control ? &r->ctl : &r->msg;
        if (control)
            buf_clear(dst);
        size_t at = dst->len;
        buf_append(dst, p + hdr, (size_t)len);
        if (key) {
            unsigned char *d = (unsigned char *)dst->data + at;
            for (size_t i = 0; i < len; i++)
                d[i] ^= key[i & 3];
        }
        buf_consume(&r->in, hdr + (size_t)len);
        if (control) {
            item->opcode = op;
            item->data = buf_cstr(&r->ctl);
            item->len = r->ctl.len;
            return 1;
        }
        if (op != WS_OP_CONT)
            r->msg_op = op;
        if (!fin)
            continue;
        if (r->msg_op == WS_OP_TEXT && !utf8_valid(r->msg.data ? r->msg.data : "", r->msg.len))
            return fail(r, WS_CLOSE_BAD_DATA, "a text message that is not UTF-8");
        item->opcode = r->msg_op;
        r->msg_op = 0;
        /* The message is handed over; the buffer is emptied on the next
         * call, so data stays valid until then. */
        item->data = buf_cstr(&r->msg);
        item->len = r->msg.len;
        r->msg_done = true;
        return 1;
    }
}
