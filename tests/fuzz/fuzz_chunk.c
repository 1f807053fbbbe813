/* fuzz_chunk: the fast chunk reader (src/api/chunk_fast.c) against json-c.
 *
 * The input is a stream: each line is the data of one server-sent event.
 * Two streams (src/api/chat_stream.c) read it. The first gets every chunk
 * as sent, so the usual ones go through the fast reader and its cache. The
 * second gets each object chunk with one more member in front
 * ("aidesk-fuzz-pad":0), which json-c reads exactly as before and the fast
 * reader refuses (an unknown key): every chunk of that stream goes through
 * the general json-c decoder. After every chunk, both must report the same
 * thing (status, role, delta, finish reason, usage) and hold the same
 * reply, ids, counts and errors: whatever the fast reader accepts, it must
 * read as json-c does.
 *
 * On the side, chunk_fast_read_cached must answer exactly as
 * chunk_fast_read for every chunk of the sequence (the cache is only a
 * shortcut). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/chat_stream.h"
#include "api/chunk_fast.h"
#include "fuzz.h"
#include "net/net.h"
#include "util/buf.h"
#include "util/mem.h"

#define PAD "\"aidesk-fuzz-pad\":0"

/* The chunk with PAD as its first member, when it is an object; else as is. */
static char *padded(const char *s, size_t n, size_t *out_len)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    buf_t b = BUF_INIT;
    if (i < n && s[i] == '{') {
        size_t j = i + 1;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
            j++;
        buf_append(&b, s, i + 1);
        buf_append_str(&b, PAD);
        if (j < n && s[j] != '}')
            buf_append_char(&b, ',');
        buf_append(&b, s + i + 1, n - i - 1);
    } else {
        buf_append(&b, s, n);
    }
    *out_len = b.len;
    return buf_steal(&b);
}

static bool same_str(const chunk_str *a, const chunk_str *b)
{
    return a->raw == b->raw && a->len == b->len &&
           (!a->raw || (a->escaped == b->escaped && a->invalid == b->invalid));
}

/* chunk_fast_read_cached gives what chunk_fast_read gives. */
static void check_cache(chunk_fast_cache *cache, const char *s, size_t n)
{
    chunk_fast plain, cached;
    int r1 = chunk_fast_read(s, n, &plain);
    int r2 = chunk_fast_read_cached(s, n, cache, &cached);
    if (r1 != r2) {
        fz_dump("chunk", s, n);
        fz_fail("chunk_fast_read says %d, chunk_fast_read_cached %d", r1, r2);
    }
    if (r1 != CHUNK_FAST_OK)
        return;
    if (!same_str(&plain.id, &cached.id) || !same_str(&plain.model, &cached.model) ||
        !same_str(&plain.role, &cached.role) || !same_str(&plain.content, &cached.content) ||
        !same_str(&plain.finish_reason, &cached.finish_reason) ||
        plain.created != cached.created) {
        fz_dump("chunk", s, n);
        fz_fail("chunk_fast_read_cached read a field differently from chunk_fast_read");
    }
}

static void same_text(const char *what, const char *fast, const char *slow, const char *chunk,
                      size_t n)
{
    if (fz_same(fast, slow))
        return;
    fz_dump("chunk", chunk, n);
    if (fast)
        fz_dump("fast path", fast, strlen(fast));
    else
        fputs("  fast path: none\n", stderr);
    if (slow)
        fz_dump("json-c", slow, strlen(slow));
    else
        fputs("  json-c: none\n", stderr);
    fz_fail("%s differs between the fast reader and json-c", what);
}

static void compare(const ai_stream *a, const ai_stream *b, ai_stream_status sa,
                    ai_stream_status sb, const ai_stream_update *ua, const ai_stream_update *ub,
                    const char *chunk, size_t n)
{
    if (sa != sb) {
        fz_dump("chunk", chunk, n);
        fz_fail("status %d with the fast reader, %d with json-c", (int)sa, (int)sb);
    }
    same_text("the role of this chunk", ua->role, ub->role, chunk, n);
    same_text("the finish reason of this chunk", ua->finish_reason, ub->finish_reason, chunk, n);
    if (ua->usage != ub->usage || ua->delta_len != ub->delta_len ||
        (ua->delta_len && memcmp(ua->delta, ub->delta, ua->delta_len))) {
        fz_dump("chunk", chunk, n);
        fz_fail("the delta or usage of this chunk differs between the fast reader and json-c");
    }
    if (a->content.len != b->content.len ||
        (a->content.len && memcmp(a->content.data, b->content.data, a->content.len))) {
        fz_dump("chunk", chunk, n);
        fz_dump("fast reply", a->content.data ? a->content.data : "", a->content.len);
        fz_dump("json-c reply", b->content.data ? b->content.data : "", b->content.len);
        fz_fail("the reply differs between the fast reader and json-c");
    }
    same_text("the completion id", a->id, b->id, chunk, n);
    same_text("the model", a->model, b->model, chunk, n);
    same_text("the role", a->role, b->role, chunk, n);
    same_text("the finish reason", a->finish_reason, b->finish_reason, chunk, n);
    if (a->created != b->created || a->chunks != b->chunks || a->skipped != b->skipped ||
        a->done != b->done || !a->error != !b->error ||
        memcmp(&a->usage, &b->usage, sizeof a->usage)) {
        fz_dump("chunk", chunk, n);
        fz_fail("created %lld/%lld, chunks %zu/%zu, skipped %zu/%zu, done %d/%d, error %d/%d "
                "(fast reader/json-c)",
                (long long)a->created, (long long)b->created, a->chunks, b->chunks, a->skipped,
                b->skipped, a->done, b->done, !!a->error, !!b->error);
    }
    /* What the stream keeps is shown: it must be text. */
    fz_utf8("the reply", buf_cstr(&a->content));
    fz_utf8("the role", a->role);
    fz_utf8("the finish reason", a->finish_reason);
}

static void feed(ai_stream *s, const char *data, size_t n, ai_stream_status *st,
                 ai_stream_update *u)
{
    net_sse e = {"message", 7, data, n, "", 0};
    net_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = NET_EV_SSE;
    ev.sse = &e;
    ev.nsse = 1;
    *st = ai_stream_feed(s, &ev, u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    ai_stream *fast = ai_stream_new(NULL), *slow = ai_stream_new(NULL);
    chunk_fast_cache cache;
    memset(&cache, 0, sizeof cache);
    size_t i = 0;
    while (i < size) {
        const char *nl = memchr(s + i, '\n', size - i);
        size_t n = nl ? (size_t)(nl - (s + i)) : size - i;
        char *chunk = xmemdup0(s + i, n);
        i += n + 1;
        check_cache(&cache, chunk, n);
        size_t pn;
        char *pchunk = padded(chunk, n, &pn);
        ai_stream_status sa, sb;
        ai_stream_update ua, ub;
        feed(fast, chunk, n, &sa, &ua);
        feed(slow, pchunk, pn, &sb, &ub);
        compare(fast, slow, sa, sb, &ua, &ub, chunk, n);
        free(pchunk);
        free(chunk);
    }
    ai_stream_free(fast);
    ai_stream_free(slow);
    return 0;
}
