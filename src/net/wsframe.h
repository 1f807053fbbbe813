/* wsframe.h: the WebSocket framing of RFC 6455 section 5, without I/O.
 *
 * Encoding: a client masks every frame it sends (section 5.3) with a fresh
 * key the caller supplies; the server's side (the tests) sends unmasked.
 *
 * Decoding: a reader takes bytes as they come and hands back whole
 * messages (fragments joined, section 5.4) and the control frames that may
 * come between fragments (ping, pong, close). Whatever breaks the protocol
 * is refused with the close code the RFC names (section 7.4.1): reserved
 * bits or opcodes (1002), a control frame that is fragmented or longer than
 * 125 bytes (1002), a continuation out of place (1002), a masked frame from
 * a server when the reader is a client's (1002), a 64-bit length with its
 * top bit set (1002), a text message that is not UTF-8 (1007), and a
 * message over the reader's cap (1009) - refused as soon as its header
 * says so, before its payload is held. After an error the reader stays
 * failed: the connection must be closed. */
#ifndef AIDESK_NET_WSFRAME_H
#define AIDESK_NET_WSFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum {
    WS_OP_CONT = 0x0,
    WS_OP_TEXT = 0x1,
    WS_OP_BINARY = 0x2,
    WS_OP_CLOSE = 0x8,
    WS_OP_PING = 0x9,
    WS_OP_PONG = 0xA,
};

/* Close codes (section 7.4.1). */
enum {
    WS_CLOSE_NORMAL = 1000,
    WS_CLOSE_GOING_AWAY = 1001,
    WS_CLOSE_PROTOCOL = 1002,
    WS_CLOSE_NO_STATUS = 1005, /* never sent: a close frame without a code */
    WS_CLOSE_ABNORMAL = 1006,  /* never sent: the connection dropped */
    WS_CLOSE_BAD_DATA = 1007,
    WS_CLOSE_TOO_BIG = 1009,
};

/* Appends one frame to out. mask: the 4-byte masking key (a client's), or
 * NULL for an unmasked frame (a server's). fin false starts or continues a
 * fragmented message (opcode WS_OP_CONT for the pieces after the first). */
void ws_frame_encode(buf_t *out, int opcode, bool fin, const void *payload, size_t len,
                     const uint8_t *mask);
/* Appends a close frame's payload: code in network order, then reason (at
 * most 123 bytes are kept, cut on a UTF-8 boundary). */
void ws_close_payload(buf_t *out, unsigned code, const char *reason);
/* Reads a close frame's payload: the code (WS_CLOSE_NO_STATUS when empty)
 * and the reason (not NUL-terminated; *reason_len bytes). Returns -1 when
 * the payload is malformed (one byte, a code no endpoint may send, a
 * reason that is not UTF-8). */
int ws_close_parse(const char *p, size_t len, unsigned *code, const char **reason,
                   size_t *reason_len);

typedef struct ws_reader {
    size_t max_message;   /* cap on a message (all fragments), in bytes */
    bool client;          /* refuse masked frames (a client's reader) */
    buf_t in;             /* bytes not yet made into frames */
    buf_t msg;            /* the message being joined */
    int msg_op;           /* its opcode; 0 when none is open */
    buf_t ctl;            /* the last control frame handed out */
    bool msg_done;        /* msg was handed out: empty it on the next call */
    unsigned fail_code;   /* the close code once failed; 0 before */
    char fail_why[96];
} ws_reader;

/* One thing read: a whole message or a control frame. data is the payload
 * (NUL-terminated for convenience), valid until the next ws_reader call. */
typedef struct ws_item {
    int opcode;        /* TEXT, BINARY, CLOSE, PING or PONG */
    const char *data;
    size_t len;
} ws_item;

void ws_reader_init(ws_reader *r, size_t max_message, bool client);
void ws_reader_free(ws_reader *r);
/* Adds bytes read from the connection. */
void ws_reader_feed(ws_reader *r, const void *data, size_t len);
/* 1: *item is the next message or control frame; 0: more bytes are
 * needed; -1: the peer broke the protocol (r->fail_code and r->fail_why
 * say how; every later call returns -1 too). */
int ws_reader_next(ws_reader *r, ws_item *item);

#endif
