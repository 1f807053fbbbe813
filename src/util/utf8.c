#include "config.h"
#include "util/utf8.h"

#include <string.h>

size_t utf8_decode(const char *str, size_t len, uint32_t *cp, bool *valid)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    *valid = false;
    *cp = UTF8_REPLACEMENT;
    if (c < 0x80) {
        *cp = c;
        *valid = true;
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF; /* bounds for the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len)
            return i;
        unsigned char b = s[i];
        unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h)
            return i;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    *valid = true;
    return need + 1;
}

bool utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII, eight bytes at a time: most text from the network is. */
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        i += utf8_decode(s + i, len - i, &cp, &ok);
        if (!ok)
            return false;
    }
    return true;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_prefix_len(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    /* Walk back over at most three continuation bytes to the lead byte. */
    size_t i = len;
    size_t back = 0;
    while (i > 0 && back < 4 && (s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return len;
    unsigned char lead = s[i - 1];
    size_t want;
    if (lead < 0x80)
        return len;
    else if ((lead & 0xE0) == 0xC0)
        want = 1;
    else if ((lead & 0xF0) == 0xE0)
        want = 2;
    else if ((lead & 0xF8) == 0xF0)
        want = 3;
    else
        return len;
    return back < want ? i - 1 : len;
}

size_t utf8_text_decode(const char *s, size_t len, uint32_t *cp, bool *valid)
{
    if (len >= 2 && (unsigned char)s[0] == 0xC0 && (unsigned char)s[1] == 0x80) {
        *cp = 0;
        *valid = true;
        return 2;
    }
    return utf8_decode(s, len, cp, valid);
}

bool utf8_text_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *c0 = memchr(s + i, 0xC0, len - i);
        size_t end = c0 ? (size_t)(c0 - s) : len;
        if (!utf8_valid(s + i, end - i))
            return false;
        if (!c0)
            return true;
        if (end + 1 >= len || (unsigned char)s[end + 1] != 0x80)
            return false;
        i = end + 2;
    }
    return true;
}

size_t utf8_text_plain_append(buf_t *out, const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        const char *c0 = memchr(s + i, 0xC0, len - i);
        if (!c0 || c0 + 1 >= s + len || (unsigned char)c0[1] != 0x80) {
            size_t end = c0 ? (size_t)(c0 - s) + 1 : len;
            buf_append(out, s + i, end - i);
            i = end;
            continue;
        }
        buf_append(out, s + i, (size_t)(c0 - (s + i)));
        buf_append(out, "\xEF\xBF\xBD", 3);
        n++;
        i = (size_t)(c0 - s) + 2;
    }
    return n;
}

size_t utf8_repair_append(buf_t *out, const char *s, size_t len)
{
    size_t n = 0, i = 0, run = 0; /* run: start of bytes copied as they are */
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        size_t k = utf8_decode(s + i, len - i, &cp, &ok);
        if (!ok) {
            buf_append(out, s + run, i - run);
            buf_append(out, "\xEF\xBF\xBD", 3);
            n++;
            run = i + k;
        }
        i += k;
    }
    buf_append(out, s + run, len - run);
    return n;
}

static _Thread_local uint64_t repairs;

void utf8_repairs_note(size_t strings)
{
    repairs += strings;
}

uint64_t utf8_repairs(void)
{
    return repairs;
}
