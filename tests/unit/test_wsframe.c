/* Unit tests for the WebSocket framer and handshake (RFC 6455). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/wsframe.h"
#include "net/wshs.h"
#include "util/b64.h"
#include "test.h"

static const unsigned char hello_unmasked[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
static const unsigned char hello_masked[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                             0x7f, 0x9f, 0x4d, 0x51, 0x58};
static const uint8_t rfc_mask[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Feeds bytes one at a time: a frame may arrive in any pieces. */
static int feed_bytewise(ws_reader *r, const void *p, size_t n, ws_item *it)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        ws_reader_feed(r, b + i, 1);
        int rc = ws_reader_next(r, it);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void wsframe__encodes_the_rfc_examples(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    ws_frame_encode(&b, WS_OP_TEXT, true, "Hello", 5, NULL);
    assert_int_equal(b.len, sizeof hello_unmasked);
    assert_memory_equal(b.data, hello_unmasked, b.len);
    buf_clear(&b);
    ws_frame_encode(&b, WS_OP_TEXT, true, "Hello", 5, rfc_mask);
    assert_int_equal(b.len, sizeof hello_masked);
    assert_memory_equal(b.data, hello_masked, b.len);
    buf_clear(&b);
    char big[65536];
    memset(big, 'x', sizeof big);
    ws_frame_encode(&b, WS_OP_BINARY, true, big, 256, NULL);
    const unsigned char h256[] = {0x82, 0x7E, 0x01, 0x00};
    assert_int_equal(b.len, 4 + 256);
    assert_memory_equal(b.data, h256, 4);
    buf_clear(&b);
    ws_frame_encode(&b, WS_OP_BINARY, true, big, 65536, NULL);
    const unsigned char h64k[] = {0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00};
    assert_int_equal(b.len, 10 + 65536);
    assert_memory_equal(b.data, h64k, 10);
    buf_free(&b);
}

static void wsframe__decodes_the_rfc_examples(void **state)
{
    (void)state;
    ws_reader r;
    ws_item it;
    /* Section 5.7: unmasked and masked "Hello" (a server's reader accepts
     * the masked one), in any pieces. */
    ws_reader_init(&r, 1 << 20, true);
    assert_int_equal(feed_bytewise(&r, hello_unmasked, sizeof hello_unmasked, &it), 1);
    assert_int_equal(it.opcode, WS_OP_TEXT);
    assert_int_equal(it.len, 5);
    assert_string_equal(it.data, "Hello");
    ws_reader_free(&r);
    ws_reader_init(&r, 1 << 20, false);
    assert_int_equal(feed_bytewise(&r, hello_masked, sizeof hello_masked, &it), 1);
    assert_string_equal(it.data, "Hello");
    /* A masked pong. */
    const unsigned char pong[] = {0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    ws_reader_feed(&r, pong, sizeof pong);
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_int_equal(it.opcode, WS_OP_PONG);
    assert_string_equal(it.data, "Hello");
    ws_reader_free(&r);
}

static void wsframe__joins_fragments_around_control_frames(void **state)
{
    (void)state;
    ws_reader r;
    ws_item it;
    ws_reader_init(&r, 1 << 20, true);
    /* "Hel", an unmasked ping in between (section 5.4 allows it), "lo". */
    const unsigned char frag[] = {0x01, 0x03, 0x48, 0x65, 0x6c, 0x89, 0x05, 'H', 'e', 'l', 'l', 'o',
                                  0x80, 0x02, 0x6c, 0x6f};
    ws_reader_feed(&r, frag, sizeof frag);
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_int_equal(it.opcode, WS_OP_PING);
    assert_string_equal(it.data, "Hello");
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_int_equal(it.opcode, WS_OP_TEXT);
    assert_string_equal(it.data, "Hello");
    assert_int_equal(ws_reader_next(&r, &it), 0);
    /* 256- and 65536-byte binary messages, with the 16- and 64-bit lengths. */
    buf_t b = BUF_INIT;
    char *big = malloc(65536);
    assert_non_null(big);
    for (size_t i = 0; i < 65536; i++)
        big[i] = (char)(i * 7);
    ws_frame_encode(&b, WS_OP_BINARY, true, big, 256, NULL);
    ws_frame_encode(&b, WS_OP_BINARY, false, big, 30000, NULL);
    ws_frame_encode(&b, WS_OP_CONT, true, big + 30000, 65536 - 30000, NULL);
    ws_reader_feed(&r, b.data, b.len);
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_int_equal(it.opcode, WS_OP_BINARY);
    assert_int_equal(it.len, 256);
    assert_memory_equal(it.data, big, 256);
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_int_equal(it.len, 65536);
    assert_memory_equal(it.data, big, 65536);
    free(big);
    buf_free(&b);
    ws_reader_free(&r);
}

static void wsframe__masked_frames_round_trip(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    const uint8_t m[4] = {0xde, 0xad, 0xbe, 0xef};
    ws_frame_encode(&b, WS_OP_TEXT, false, "{\"type\":", 8, m);
    ws_frame_encode(&b, WS_OP_PING, true, "p", 1, m);
    ws_frame_encode(&b, WS_OP_CONT, true, "\"x\"}", 4, m);
    /* The payload on the wire is not the plain text. */
    assert_null(memmem(b.data, b.len, "type", 4));
    ws_reader r;
    ws_item it;
    ws_reader_init(&r, 1024, false);
    ws_reader_feed(&r, b.data, b.len);
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_int_equal(it.opcode, WS_OP_PING);
    assert_int_equal(ws_reader_next(&r, &it), 1);
    assert_string_equal(it.data, "{\"type\":\"x\"}");
    ws_reader_free(&r);
    buf_free(&b);
}

/* One bad input: the reader refuses it with code. */
static void expect_refused(const void *p, size_t n, size_t cap, bool client, unsigned code)
{
    ws_reader r;
    ws_item it;
    ws_reader_init(&r, cap, client);
    ws_reader_feed(&r, p, n);
    int rc;
    while ((rc = ws_reader_next(&r, &it)) == 1)
        ;
    assert_int_equal(rc, -1);
    assert_int_equal(r.fail_code, code);
    assert_true(r.fail_why[0] != '\0');
    /* It stays failed. */
    ws_reader_feed(&r, hello_unmasked, sizeof hello_unmasked);
    assert_int_equal(ws_reader_next(&r, &it), -1);
    ws_reader_free(&r);
}

static void wsframe__refuses_malformed_and_oversize_frames(void **state)
{
    (void)state;
    const unsigned char rsv[] = {0xC1, 0x00};
    expect_refused(rsv, sizeof rsv, 1024, true, WS_CLOSE_PROTOCOL);
    const unsigned char opcode3[] = {0x83, 0x00};
    expect_refused(opcode3, sizeof opcode3, 1024, true, WS_CLOSE_PROTOCOL);
    const unsigned char long_ping[] = {0x89, 0x7E, 0x00, 0x80};
    expect_refused(long_ping, sizeof long_ping, 1024, true, WS_CLOSE_PROTOCOL);
    const unsigned char frag_ping[] = {0x09, 0x00};
    expect_refused(frag_ping, sizeof frag_ping, 1024, true, WS_CLOSE_PROTOCOL);
    const unsigned char stray_cont[] = {0x80, 0x01, 'x'};
    expect_refused(stray_cont, sizeof stray_cont, 1024, true, WS_CLOSE_PROTOCOL);
    const unsigned char nested[] = {0x01, 0x01, 'a', 0x81, 0x01, 'b'};
    expect_refused(nested, sizeof nested, 1024, true, WS_CLOSE_PROTOCOL);
    /* A client refuses masked frames from the server. */
    expect_refused(hello_masked, sizeof hello_masked, 1024, true, WS_CLOSE_PROTOCOL);
    const unsigned char top_bit[] = {0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1};
    expect_refused(top_bit, sizeof top_bit, 1024, true, WS_CLOSE_PROTOCOL);
    /* Over the cap: refused from the header alone, before the payload
     * arrives; and a fragmented message whose pieces add up to too much. */
    const unsigned char huge[] = {0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0};
    expect_refused(huge, sizeof huge, 1 << 20, true, WS_CLOSE_TOO_BIG);
    buf_t b = BUF_INIT;
    char piece[600];
    memset(piece, 'a', sizeof piece);
    ws_frame_encode(&b, WS_OP_TEXT, false, piece, sizeof piece, NULL);
    ws_frame_encode(&b, WS_OP_CONT, true, piece, sizeof piece, NULL);
    expect_refused(b.data, b.len, 1024, true, WS_CLOSE_TOO_BIG);
    buf_clear(&b);
    ws_frame_encode(&b, WS_OP_TEXT, true, "\xc3\x28", 2, NULL);
    expect_refused(b.data, b.len, 1024, true, WS_CLOSE_BAD_DATA);
    buf_free(&b);
}

static void wsframe__close_payloads(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    ws_close_payload(&b, 1000, "bye");
    unsigned code;
    const char *reason;
    size_t rl;
    assert_int_equal(ws_close_parse(b.data, b.len, &code, &reason, &rl), 0);
    assert_int_equal(code, 1000);
    assert_int_equal(rl, 3);
    assert_memory_equal(reason, "bye", 3);
    assert_int_equal(ws_close_parse("", 0, &code, &reason, &rl), 0);
    assert_int_equal(code, WS_CLOSE_NO_STATUS);
    assert_int_equal(ws_close_parse("\x03", 1, &code, &reason, &rl), -1);
    assert_int_equal(ws_close_parse("\x03\xed", 2, &code, &reason, &rl), -1); /* 1005 */
    assert_int_equal(ws_close_parse("\x03\xe8\xff", 3, &code, &reason, &rl), -1);
    /* A long reason is cut to fit a control frame, on a character. */
    buf_clear(&b);
    char lng[300];
    for (size_t i = 0; i + 2 < sizeof lng; i += 2)
        memcpy(lng + i, "\xc3\xa9", 2);
    lng[sizeof lng - 2] = '\0';
    ws_close_payload(&b, 1001, lng);
    assert_true(b.len <= 125);
    assert_int_equal(ws_close_parse(b.data, b.len, &code, &reason, &rl), 0);
    buf_free(&b);
}

static void wshs__sha1_and_the_rfc_accept_value(void **state)
{
    (void)state;
    uint8_t d[20];
    ws_sha1("abc", 3, d);
    const uint8_t abc[20] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                             0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
    assert_memory_equal(d, abc, 20);
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ws_sha1(two, strlen(two), d);
    const uint8_t twod[20] = {0x84, 0x98, 0x3e, 0x44, 0x1c, 0x3b, 0xd2, 0x6e, 0xba, 0xae,
                              0x4a, 0xa1, 0xf9, 0x51, 0x29, 0xe5, 0xe5, 0x46, 0x70, 0xf1};
    assert_memory_equal(d, twod, 20);
    char acc[29];
    ws_accept("dGhlIHNhbXBsZSBub25jZQ==", acc); /* section 1.3 */
    assert_string_equal(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    char key[25];
    ws_key((const uint8_t *)"the sample nonce", key);
    assert_string_equal(key, "dGhlIHNhbXBsZSBub25jZQ==");
}

static void wshs__answers(void **state)
{
    (void)state;
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
    const char *ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: keep-alive, Upgrade\r\n"
                     "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x00";
    ws_answer a;
    char *why = NULL;
    assert_int_equal(ws_answer_parse(ok, 40, key, &a, &why), 0);
    assert_int_equal(ws_answer_parse(ok, strlen(ok), key, &a, &why), 1);
    assert_int_equal(a.status, 101);
    assert_int_equal(a.head_len, strlen(ok) - 1);
    const char *bad_accept = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Accept: xxx\r\n\r\n";
    assert_int_equal(ws_answer_parse(bad_accept, strlen(bad_accept), key, &a, &why), -1);
    assert_non_null(strstr(why, "Accept"));
    free(why);
    const char *denied = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\n{}";
    assert_int_equal(ws_answer_parse(denied, strlen(denied), key, &a, &why), -1);
    assert_int_equal(a.status, 401);
    assert_non_null(strstr(why, "401"));
    free(why);
    buf_t req = BUF_INIT;
    const char *hdrs[] = {"Authorization: Bearer x"};
    ws_request(&req, "h:1", "/v1/realtime?model=m", key, hdrs, 1);
    assert_non_null(strstr(req.data, "GET /v1/realtime?model=m HTTP/1.1\r\nHost: h:1\r\n"));
    assert_non_null(strstr(req.data, "Sec-WebSocket-Version: 13\r\n"));
    assert_non_null(strstr(req.data, "Authorization: Bearer x\r\n\r\n"));
    buf_free(&req);
}

static void b64__round_trips_and_refuses_garbage(void **state)
{
    (void)state;
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        buf_t e = BUF_INIT, d = BUF_INIT;
        b64_encode_append(&e, in[i], strlen(in[i]));
        assert_string_equal(buf_cstr(&e), out[i]);
        assert_int_equal(b64_decode_append(&d, e.data ? e.data : "", e.len), 0);
        assert_string_equal(buf_cstr(&d), in[i]);
        buf_free(&e);
        buf_free(&d);
    }
    buf_t d = BUF_INIT;
    assert_int_equal(b64_decode_append(&d, "Zm9", 3), -1);
    assert_int_equal(b64_decode_append(&d, "Zm=v", 4), -1);
    assert_int_equal(b64_decode_append(&d, "Zm9v!A==", 8), -1);
    assert_int_equal(b64_decode_append(&d, "Zg==Zg==", 8), -1);
    buf_free(&d);
}

TEST_MAIN(cmocka_unit_test(wsframe__encodes_the_rfc_examples),
          cmocka_unit_test(wsframe__decodes_the_rfc_examples),
          cmocka_unit_test(wsframe__joins_fragments_around_control_frames),
          cmocka_unit_test(wsframe__masked_frames_round_trip),
          cmocka_unit_test(wsframe__refuses_malformed_and_oversize_frames),
          cmocka_unit_test(wsframe__close_payloads),
          cmocka_unit_test(wshs__sha1_and_the_rfc_accept_value),
          cmocka_unit_test(wshs__answers),
          cmocka_unit_test(b64__round_trips_and_refuses_garbage))
