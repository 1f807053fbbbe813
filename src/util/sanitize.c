#include "config.h"
#include "util/sanitize.h"

#include <stdio.h>
#include <stdlib.h>

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

void sanitize_append(buf_t *out, const char *s, size_t len, unsigned flags)
{
    size_t i = 0, run = 0; /* run: start of bytes copied verbatim */
    buf_reserve(out, len);
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        size_t n = utf8_decode(s + i, len - i, &cp, &ok);
        if (ok && !sanitize_is_unsafe_cp(cp)) {
            i += n;
            continue;
        }
        if (ok && keeps(cp, flags)) {
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
    buf_append(out, s + run, len - run);
}

char *sanitize_dup(const char *s, size_t len, unsigned flags)
{
    buf_t b = BUF_INIT;
    sanitize_append(&b, s, len, flags);
    return buf_steal(&b);
}

bool sanitize_is_clean(const char *s, size_t len, unsigned flags)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp;
        bool ok;
        size_t n = utf8_decode(s + i, len - i, &cp, &ok);
        if (!ok || (sanitize_is_unsafe_cp(cp) && !keeps(cp, flags)))
            return false;
        i += n;
    }
    return true;
}
