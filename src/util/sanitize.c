#include "config.h"
#include "util/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/emoji.h"
#include "util/utf8.h"

bool sanitize_is_unsafe_cp(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F)
        return true;
    if (cp >= 0x80 && cp <= 0x9F)
        return true; /* C1 controls, e.g. CSI 0x9B */
    switch (cp) {
    case 0x061C: /* arabic letter mark */
    case 0x200B: /* zero width space */
    case 0x200C: case 0x200D: /* ZWNJ, ZWJ (kept when joining emoji) */
    case 0x200E: case 0x200F: /* LRM, RLM */
    case 0x2028: case 0x2029: /* line / paragraph separator */
    case 0xFEFF: /* BOM / zero width no-break space */
        return true;
    default:
        break;
    }
    if (cp >= 0x202A && cp <= 0x202E)
        return true; /* embeddings and overrides */
    if (cp >= 0x2060 && cp <= 0x2069)
        return true; /* word joiner, invisible operators, isolates */
    if (cp >= 0xFFF9 && cp <= 0xFFFB)
        return true; /* interlinear annotation */
    if (cp >= 0xE0000 && cp <= 0xE007F)
        return true; /* tag characters */
    return false;
}

bool sanitize_after_pict(bool after_pict, uint32_t cp)
{
    if (emoji_is_pictographic(cp))
        return true;
    /* What may sit between an emoji and the ZWJ that joins it (UTS #51):
     * a presentation selector or a skin tone. */
    return after_pict && (cp == EMOJI_VS16 || cp == EMOJI_VS15 || emoji_is_modifier(cp));
}

bool sanitize_zwj_joins(bool after_pict, uint32_t next)
{
    return after_pict && emoji_is_pictographic(next);
}

bool sanitize_ends_in_zwj(const char *s, size_t len)
{
    return len >= 3 && !memcmp(s + len - 3, "\xE2\x80\x8D", 3);
}

static bool keeps(uint32_t cp, unsigned flags)
{
    return (cp == '\n' && (flags & SAN_KEEP_NEWLINE)) || (cp == '\t' && (flags & SAN_KEEP_TAB));
}

static void placeholder(buf_t *out, uint32_t cp)
{
    char tmp[16];
    if (cp < 0x20) {
        size_t n = utf8_encode(0x2400 + cp, tmp);
        buf_append(out, tmp, n);
    } else if (cp == 0x7F) {
        size_t n = utf8_encode(0x2421, tmp);
        buf_append(out, tmp, n);
    } else {
        int n = snprintf(tmp, sizeof tmp, "<U+%04X>", (unsigned)cp);
        buf_append(out, tmp, (size_t)n);
    }
}

/* Whether the ZWJ at s[i] (n bytes) joins emoji, given the state before. */
static bool zwj_kept(const char *s, size_t len, size_t i, size_t n, bool after_pict)
{
    if (!after_pict || i + n >= len)
        return false;
    uint32_t next;
    bool ok;
    utf8_decode(s + i + n, len - i - n, &next, &ok);
    return ok && sanitize_zwj_joins(true, next);
}

/* The one loop behind sanitising and checking: appends to out (when not
 * NULL) and returns whether the text comes out unchanged. */
static bool scan(buf_t *out, const char *s, size_t len, unsigned flags, san_state *st)
{
    size_t i = 0, run = 0; /* run: start of bytes copied verbatim */
    bool clean = true, pict = st ? st->after_pict : false;
    if (out)
        buf_reserve(out, len);
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            pict = false;
            continue;
        }
        uint32_t cp;
        bool ok;
        size_t n = utf8_text_decode(s + i, len - i, &cp, &ok);
        bool verbatim = ok && (!sanitize_is_unsafe_cp(cp) || keeps(cp, flags) ||
                               (cp == EMOJI_ZWJ && zwj_kept(s, len, i, n, pict)));
        if (verbatim) {
            pict = sanitize_after_pict(pict, cp);
            i += n;
            continue;
        }
        pict = false;
        clean = false;
        if (!out) {
            i += n;
            continue;
        }
        buf_append(out, s + run, i - run);
        if (!ok) {
            char tmp[4];
            buf_append(out, tmp, utf8_encode(UTF8_REPLACEMENT, tmp));
        } else if (cp == '\r' && (flags & SAN_KEEP_NEWLINE) && i + 1 < len && s[i + 1] == '\n') {
            /* CRLF line ending: the LF alone does the job. */
        } else {
            placeholder(out, cp);
        }
        i += n;
        run = i;
    }
    if (out)
        buf_append(out, s + run, len - run);
    if (st)
        st->after_pict = pict;
    return clean;
}

void sanitize_append(buf_t *out, const char *s, size_t len, unsigned flags)
{
    scan(out, s, len, flags, NULL);
}

void sanitize_append_piece(buf_t *out, const char *s, size_t len, unsigned flags, san_state *st)
{
    scan(out, s, len, flags, st);
}

char *sanitize_dup(const char *s, size_t len, unsigned flags)
{
    buf_t b = BUF_INIT;
    sanitize_append(&b, s, len, flags);
    return buf_steal(&b);
}

bool sanitize_is_clean(const char *s, size_t len, unsigned flags)
{
    return scan(NULL, s, len, flags, NULL);
}
