/* wshs.h: the WebSocket opening handshake (RFC 6455 section 4), without I/O.
 *
 * The client sends an HTTP/1.1 GET with Upgrade: websocket and a random
 * Sec-WebSocket-Key; the server must answer 101 with Sec-WebSocket-Accept
 * equal to base64(SHA-1(key + the GUID of section 1.3)). Anything else is
 * refused: a client that took another answer for an open WebSocket would
 * talk frames to something that does not understand them. */
#ifndef AIDESK_NET_WSHS_H
#define AIDESK_NET_WSHS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* SHA-1 (FIPS 180-4) of len bytes: needed only for the accept value. */
void ws_sha1(const void *data, size_t len, uint8_t out[20]);
/* The Sec-WebSocket-Key for 16 random bytes: 24 characters and a NUL. */
void ws_key(const uint8_t nonce[16], char out[25]);
/* The Sec-WebSocket-Accept the server must send for key: 28 + NUL. */
void ws_accept(const char *key, char out[29]);

/* Appends the request: GET target on host (with ":port" when not the
 * default) and the extra header lines ("Name: value", may be NULL). */
void ws_request(buf_t *out, const char *host, const char *target, const char *key,
                const char *const *headers, size_t nheaders);

/* The server's answer, once its head is complete. */
typedef struct ws_answer {
    long status;
    size_t head_len;    /* bytes of the head, blank line included: frames follow */
} ws_answer;

/* Looks at what the server sent so far (len bytes at p) for the answer's
 * head. 0: incomplete; 1: a 101 with the right headers (*a set); -1: not
 * an open WebSocket, *why (new string) says why in words and *a's status
 * is the status read (0 if none) so that a caller can read the error body
 * after head_len. A head over 16 KiB is refused. */
int ws_answer_parse(const char *p, size_t len, const char *key, ws_answer *a, char **why);

#endif
