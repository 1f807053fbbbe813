#include "config.h"
#include "text/width.h"

#include "text/width_tab.h"
#include "util/emoji.h"
#include "util/utf8.h"

#define ZWJ 0x200Du
#define VS16 0xFE0Fu
#define KEYCAP 0x20E3u

static bool in_table(uint32_t cp, const tw_range *t, size_t n)
{
    if (n == 0 || cp < t[0].lo || cp > t[n - 1].hi)
        return false;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp > t[mid].hi)
            lo = mid + 1;
        else if (cp < t[mid].lo)
            hi = mid;
        else
            return true;
    }
    return false;
}

int tw_cp_width(uint32_t cp)
{
    /* Everything below the combining diacriticals (ASCII, Latin-1, Latin
     * Extended, IPA, spacing modifiers) is one column. */
    if (cp < 0x300)
        return 1;
    if (in_table(cp, tw_zero_tab, tw_zero_len))
        return 0;
    if (cp >= 0x1100 && in_table(cp, tw_wide_tab, tw_wide_len))
        return 2;
    return 1;
}

bool tw_is_pictographic(uint32_t cp)
{
    return cp >= 0xA9 && emoji_is_pictographic(cp);
}

static bool is_ri(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

static bool is_skin_tone(uint32_t cp)
{
    return emoji_is_modifier(cp);
}

static bool is_keycap_base(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || cp == '#' || cp == '*';
}

/* Decodes the character at s[i]; false at the end or on invalid UTF-8, which
 * never joins a cluster. */
static bool peek(const char *s, size_t len, size_t i, uint32_t *cp, size_t *n)
{
    if (i >= len)
        return false;
    bool ok;
    *n = utf8_decode(s + i, len - i, cp, &ok);
    return ok;
}

size_t tw_cluster_next(const char *s, size_t len, int *width)
{
    const unsigned char *u = (const unsigned char *)s;
    /* ASCII followed by ASCII (or nothing) cannot have anything attached. */
    if (u[0] < 0x80 && (len == 1 || u[1] < 0x80)) {
        *width = 1;
        return 1;
    }
    uint32_t base;
    bool ok;
    size_t i = utf8_decode(s, len, &base, &ok);
    int w = tw_cp_width(base); /* U+FFFD when invalid: 1 */
    if (ok && base < 0x20) {
        *width = 1; /* a control never takes marks (a newline must stay one) */
        return i;
    }
    /* cur: the emoji that marks attach to, which moves along a ZWJ chain. */
    uint32_t cur = ok ? base : UTF8_REPLACEMENT;
    bool pict = ok && tw_is_pictographic(base);
    uint32_t cp;
    size_t n;
    if (ok && is_ri(base) && peek(s, len, i, &cp, &n) && is_ri(cp)) {
        i += n; /* a flag: exactly two indicators */
        w = 2;
    }
    while (peek(s, len, i, &cp, &n)) {
        if (cp == ZWJ) {
            i += n;
            uint32_t next;
            size_t m;
            if (pict && peek(s, len, i, &next, &m) && tw_is_pictographic(next)) {
                i += m;
                cur = next;
                w = 2;
            }
        } else if (cp == VS16) {
            i += n;
            if (tw_is_pictographic(cur) || is_keycap_base(cur) || is_ri(cur))
                w = 2;
        } else if (is_skin_tone(cp)) {
            /* Attached only to a modifier base; otherwise it is an emoji of
             * its own (and must be counted as such). */
            if (!in_table(cur, tw_modbase_tab, tw_modbase_len))
                break;
            i += n;
            w = 2;
        } else if (cp == KEYCAP) {
            i += n;
            if (is_keycap_base(base))
                w = 2;
        } else if (tw_cp_width(cp) == 0) {
            i += n; /* combining marks, VS15 and other invisible extenders */
        } else {
            break;
        }
    }
    *width = w;
    return i;
}

size_t tw_str_width(const char *s, size_t len)
{
    size_t i = 0, cols = 0;
    while (i < len) {
        int w;
        i += tw_cluster_next(s + i, len - i, &w);
        cols += (size_t)w;
    }
    return cols;
}
