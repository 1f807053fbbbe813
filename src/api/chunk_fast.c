#include "config.h"
#include "api/chunk_fast.h"

#include <string.h>

#include "util/utf8.h"

typedef struct scan {
    const char *p, *end;
} scan;

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool eat(scan *s, char c)
{
    ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return true;
    }
    return false;
}

static bool hex4(const char *p)
{
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

/* A string at s->p (after whitespace): its raw span. Rejects raw control
 * bytes and malformed escapes (their meaning is checked when decoding);
 * notes invalid UTF-8, which decoding repairs. */
static bool string(scan *s, chunk_str *out)
{
    ws(s);
    if (s->p >= s->end || *s->p != '"')
        return false;
    const char *start = ++s->p;
    bool esc = false, invalid = false;
    while (s->p < s->end) {
        /* Eight plain bytes at a time: none of '"', '\\', a control or a
         * non-ASCII byte among them (the usual case). */
        while (s->end - s->p >= 8) {
            uint64_t w;
            memcpy(&w, s->p, 8);
            const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
            uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
            uint64_t special = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w) | w;
            if (special & high)
                break;
            s->p += 8;
        }
        if (s->p >= s->end)
            break;
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            out->raw = start;
            out->len = (size_t)(s->p - start);
            out->escaped = esc;
            out->invalid = invalid;
            s->p++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c >= 0x80) {
            /* Outside strings the grammar allows only ASCII (any other
             * byte is not the usual shape), so this covers the chunk. */
            uint32_t cp;
            bool ok;
            size_t n = utf8_decode(s->p, (size_t)(s->end - s->p), &cp, &ok);
            invalid |= !ok;
            s->p += n;
            continue;
        }
        if (c == '\\') {
            esc = true;
            if (s->p + 1 >= s->end)
                return false;
            char e = s->p[1];
            if (e == 'u') {
                if (s->end - s->p < 6 || !hex4(s->p + 2))
                    return false;
                s->p += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || !e)
                return false;
            s->p += 2;
            continue;
        }
        s->p++;
    }
    return false;
}

static bool literal(scan *s, const char *word)
{
    ws(s);
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
        return false;
    s->p += n;
    return true;
}

/* A string or null. */
static bool string_or_null(scan *s, chunk_str *out)
{
    ws(s);
    if (s->p < s->end && *s->p == 'n') {
        memset(out, 0, sizeof *out);
        return literal(s, "null");
    }
    return string(s, out);
}

/* A plain non-negative integer (no sign, fraction or exponent). */
static bool integer(scan *s, int64_t *out)
{
    ws(s);
    const char *b = s->p;
    int64_t v = 0;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        if (v > 100000000000000LL)
            return false;
        v = v * 10 + (*s->p - '0');
        s->p++;
    }
    if (s->p == b || (s->p - b > 1 && *b == '0'))
        return false;
    if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
        return false;
    *out = v;
    return true;
}

static bool key_is(const chunk_str *k, const char *name)
{
    size_t n = strlen(name);
    return !k->escaped && k->len == n && !memcmp(k->raw, name, n);
}

/* Iterates the members of an object: calls member() for each key. seen
 * marks the keys read so far (one bit each): json-c keeps the last of a
 * repeated key where this reader would merge the two, so a repeat is left
 * to it. */
typedef bool (*member_fn)(scan *s, const chunk_str *key, unsigned *seen, chunk_fast *out);

static bool object(scan *s, member_fn member, chunk_fast *out)
{
    unsigned seen = 0;
    if (!eat(s, '{'))
        return false;
    if (eat(s, '}'))
        return true;
    for (;;) {
        chunk_str key;
        if (!string(s, &key) || !eat(s, ':') || !member(s, &key, &seen, out))
            return false;
        if (eat(s, ','))
            continue;
        return eat(s, '}');
    }
}

/* Whether key is the n-th of its object's and not seen before (marks it). */
static bool first(const chunk_str *k, const char *name, unsigned *seen, unsigned n)
{
    if (!key_is(k, name))
        return false;
    if (*seen & (1u << n))
        return false;
    *seen |= 1u << n;
    return true;
}

static bool delta_member(scan *s, const chunk_str *k, unsigned *seen, chunk_fast *out)
{
    if (first(k, "content", seen, 0))
        return string_or_null(s, &out->content);
    if (first(k, "role", seen, 1))
        return string_or_null(s, &out->role);
    return false;
}

static bool choice_member(scan *s, const chunk_str *k, unsigned *seen, chunk_fast *out)
{
    if (first(k, "index", seen, 0)) {
        int64_t i;
        return integer(s, &i) && i == 0;
    }
    if (first(k, "delta", seen, 1))
        return object(s, delta_member, out);
    if (first(k, "finish_reason", seen, 2))
        return string_or_null(s, &out->finish_reason);
    if (first(k, "logprobs", seen, 3))
        return literal(s, "null");
    return false;
}

static bool top_member(scan *s, const chunk_str *k, unsigned *seen, chunk_fast *out)
{
    chunk_str ignored;
    if (first(k, "id", seen, 0))
        return string(s, &out->id);
    if (first(k, "model", seen, 1))
        return string(s, &out->model);
    if (first(k, "object", seen, 2) || first(k, "system_fingerprint", seen, 3))
        return string_or_null(s, &ignored);
    if (first(k, "created", seen, 4))
        return integer(s, &out->created);
    if (first(k, "choices", seen, 5)) {
        /* Exactly one choice: more (or none) go the general way. */
        return eat(s, '[') && object(s, choice_member, out) && eat(s, ']');
    }
    return false;
}

int chunk_fast_read(const char *text, size_t len, chunk_fast *out)
{
    memset(out, 0, sizeof *out);
    scan s = {text, text + len};
    if (!object(&s, top_member, out))
        return CHUNK_FAST_OTHER;
    ws(&s);
    return s.p == s.end ? CHUNK_FAST_OK : CHUNK_FAST_OTHER;
}

static void pos_save(chunk_fast_pos *p, const chunk_str *f, const char *text, size_t len,
                     const char *content)
{
    memset(p, 0, sizeof *p);
    if (!f->raw)
        return;
    p->part = f->raw < content ? 1 : 2;
    p->off = (uint16_t)(p->part == 1 ? (size_t)(f->raw - text) : (size_t)(text + len - f->raw));
    p->len = (uint16_t)f->len;
    p->escaped = f->escaped;
    p->invalid = f->invalid;
}

static void pos_load(const chunk_fast_pos *p, chunk_str *f, const char *text, size_t len)
{
    memset(f, 0, sizeof *f);
    if (!p->part)
        return;
    f->raw = p->part == 1 ? text + p->off : text + len - p->off;
    f->len = p->len;
    f->escaped = p->escaped;
    f->invalid = p->invalid;
}

/* Notes the bytes around out's content for the next chunk, when they fit. */
static void cache_save(chunk_fast_cache *c, const char *text, size_t len, const chunk_fast *out)
{
    c->valid = false;
    if (!out->content.raw)
        return;
    /* The opening quote ends the part before, the closing one starts the
     * part after. */
    size_t npre = (size_t)(out->content.raw - text);
    size_t npost = len - npre - out->content.len;
    if (npre > CHUNK_FAST_CACHE_MAX || npost > CHUNK_FAST_CACHE_MAX)
        return;
    memcpy(c->pre, text, npre);
    memcpy(c->post, text + len - npost, npost);
    c->npre = (uint16_t)npre;
    c->npost = (uint16_t)npost;
    pos_save(&c->id, &out->id, text, len, out->content.raw);
    pos_save(&c->model, &out->model, text, len, out->content.raw);
    pos_save(&c->role, &out->role, text, len, out->content.raw);
    pos_save(&c->finish_reason, &out->finish_reason, text, len, out->content.raw);
    c->created = out->created;
    c->valid = true;
}

int chunk_fast_read_cached(const char *text, size_t len, chunk_fast_cache *c, chunk_fast *out)
{
    if (c->valid && len >= (size_t)c->npre + c->npost && !memcmp(text, c->pre, c->npre) &&
        !memcmp(text + len - c->npost, c->post, c->npost)) {
        /* The same envelope: the content between must be one whole string,
         * its closing quote the first byte of the part after. */
        scan s = {text + c->npre - 1, text + len};
        chunk_str content;
        if (string(&s, &content) && s.p == text + len - c->npost + 1) {
            memset(out, 0, sizeof *out);
            out->content = content;
            pos_load(&c->id, &out->id, text, len);
            pos_load(&c->model, &out->model, text, len);
            pos_load(&c->role, &out->role, text, len);
            pos_load(&c->finish_reason, &out->finish_reason, text, len);
            out->created = c->created;
            return CHUNK_FAST_OK;
        }
    }
    int r = chunk_fast_read(text, len, out);
    if (r == CHUNK_FAST_OK)
        cache_save(c, text, len, out);
    else
        c->valid = false;
    return r;
}

static unsigned hexval(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* Raw bytes of a string (no escapes among them), repaired if need be. */
static void append_raw(buf_t *b, const char *p, size_t n, bool invalid)
{
    if (invalid)
        utf8_repair_append(b, p, n);
    else
        buf_append(b, p, n);
}

bool chunk_str_decode(const chunk_str *str, buf_t *b)
{
    if (!str->raw)
        return true;
    if (!str->escaped) {
        if (str->invalid)
            utf8_repairs_note(1);
        append_raw(b, str->raw, str->len, str->invalid);
        return true;
    }
    size_t mark = b->len;
    const char *p = str->raw, *end = str->raw + str->len;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        if (!bs) {
            append_raw(b, p, (size_t)(end - p), str->invalid);
            break;
        }
        append_raw(b, p, (size_t)(bs - p), str->invalid);
        char e = bs[1];
        p = bs + 2;
        char c = 0;
        switch (e) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
            uint32_t cp = hexval(p);
            p += 4;
            /* A surrogate pair is one character; a lone surrogate is
             * U+FFFD, as json-c makes it, so both readers agree. */
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hexval(p + 2) : 0;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            if (cp == 0) {
                buf_append(b, UTF8_TEXT_NUL, 2); /* aidesk's U+0000 */
                continue;
            }
            char tmp[4];
            buf_append(b, tmp, utf8_encode(cp, tmp));
            continue;
        }
        default:
            goto bad;
        }
        buf_append_char(b, c);
    }
    if (str->invalid)
        utf8_repairs_note(1);
    return true;
bad:
    buf_truncate(b, mark);
    return false;
}
