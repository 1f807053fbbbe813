/* md.c: the document, incremental sanitising and restartable parsing. */
#include "config.h"
#include "text/md.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text/md_priv.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

#define SAN_FLAGS (SAN_KEEP_NEWLINE | SAN_KEEP_TAB)

/* The glyphs at the start of text (see MD_GLYPH_*). */
static const char glyphs[] = "\xE2\x94\x82" "\xEF\xBF\xBD";

static void start_text(md_doc *d)
{
    buf_clear(&d->text);
    buf_append(&d->text, glyphs, sizeof glyphs - 1);
}

void md_init(md_doc *d)
{
    memset(d, 0, sizeof *d);
    d->priv = xcalloc(1, sizeof *d->priv);
    start_text(d);
}

void md_free(md_doc *d)
{
    struct md_priv *p = d->priv;
    if (p) {
        buf_free(&p->san);
        buf_free(&p->tail);
        free(p->ph);
        free(p->states);
        free(p->attr);
        free(p->em);
        free(p->sg);
        free(p->delims);
        free(p->brackets);
        free(p);
    }
    buf_free(&d->text);
    free(d->blocks);
    free(d->spans);
    memset(d, 0, sizeof *d);
}

void md_reset(md_doc *d)
{
    struct md_priv *p = d->priv;
    buf_clear(&p->san);
    buf_clear(&p->tail);
    p->after_pict = false;
    p->nph = 0;
    p->parsed_len = 0;
    p->line_start = 0;
    p->last_open = false;
    p->finished = false;
    memset(&p->st, 0, sizeof p->st);
    p->pending = false;
    d->nblocks = 0;
    d->nspans = 0;
    start_text(d);
}

static void add_ph(struct md_priv *p, size_t off)
{
    p->ph = xgrow(p->ph, &p->ph_cap, p->nph + 1, sizeof *p->ph);
    p->ph[p->nph].off = (uint32_t)off;
    p->ph[p->nph].len = (uint32_t)(p->san.len - off);
    p->nph++;
}

/* Sanitises s[0..len) onto san and returns how many bytes it used: all of
 * them when final, otherwise it stops before a tail that more input could
 * change (a character cut short, a CR that may begin a CRLF, a ZWJ that
 * may join two emoji). The output for
 * the bytes it used is exactly what sanitising the whole input would give. */
static size_t sanitize_some(struct md_priv *p, const char *s, size_t len, bool final)
{
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (i < len) {
            unsigned char c = (unsigned char)s[i];
            if (!((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t'))
                break;
            i++;
        }
        if (i > run)
            p->after_pict = false;
        buf_append(&p->san, s + run, i - run);
        if (i == len)
            break;
        if (s[i] == '\r') {
            if (i + 1 == len && !final)
                break;
            if (i + 1 < len && s[i + 1] == '\n') {
                i++; /* CRLF: the LF alone ends the line */
                continue;
            }
        }
        uint32_t cp;
        bool ok;
        size_t n = utf8_text_decode(s + i, len - i, &cp, &ok);
        if (!ok && i + n == len && !final)
            break; /* may be the start of a character still on its way */
        bool joins = false;
        if (ok && cp == 0x200D && p->after_pict) {
            uint32_t next = 0;
            bool next_ok = false;
            size_t m = i + n < len ? utf8_decode(s + i + n, len - i - n, &next, &next_ok) : 0;
            if (!final && (i + n == len || (!next_ok && i + n + m == len)))
                break; /* the character after it decides */
            joins = next_ok && sanitize_zwj_joins(true, next);
        }
        size_t at = p->san.len;
        if (!ok) {
            char rep[4];
            buf_append(&p->san, rep, utf8_encode(UTF8_REPLACEMENT, rep));
            add_ph(p, at);
        } else if (sanitize_is_unsafe_cp(cp) && !joins) {
            sanitize_append(&p->san, s + i, n, SAN_FLAGS);
            add_ph(p, at);
        } else {
            buf_append(&p->san, s + i, n);
        }
        p->after_pict = ok && (joins || sanitize_after_pict(p->after_pict, cp));
        i += n;
    }
    return i;
}

static void feed(struct md_priv *p, const char *s, size_t n)
{
    if (p->tail.len == 0) {
        size_t used = sanitize_some(p, s, n, p->finished);
        buf_append(&p->tail, s + used, n - used);
        return;
    }
    buf_append(&p->tail, s, n);
    size_t used = sanitize_some(p, p->tail.data, p->tail.len, p->finished);
    buf_consume(&p->tail, used);
}

void md_append(md_doc *d, const char *s, size_t n)
{
    if (n > 0)
        feed(d->priv, s, n);
}

void md_finish(md_doc *d)
{
    struct md_priv *p = d->priv;
    p->finished = true;
    if (p->tail.len > 0)
        feed(p, "", 0);
}

const char *md_sanitized(const md_doc *d, size_t *len)
{
    *len = d->priv->san.len;
    return d->priv->san.data ? d->priv->san.data : "";
}

size_t md_update(md_doc *d)
{
    struct md_priv *p = d->priv;
    if (p->san.len == p->parsed_len)
        return d->nblocks;
    /* Lines before the last one are complete and classified for good; the
     * last one may still change, and with it the block it belongs to, or
     * the block before if that was open to continuation lines. */
    size_t r = d->nblocks;
    while (r > 0 && d->blocks[r - 1].src_off >= p->line_start)
        r--;
    bool scratch = false;
    if (r == d->nblocks || p->last_open) {
        if (r > 0)
            r--;
        else
            scratch = true;
    }
    size_t pos = 0;
    if (!scratch) {
        md_block *b = &d->blocks[r];
        pos = b->src_off;
        p->st = p->states[r];
        d->text.len = b->text_off;
        d->text.data[d->text.len] = '\0';
        d->nspans = b->span_first;
    } else {
        memset(&p->st, 0, sizeof p->st);
        start_text(d);
        d->nspans = 0;
    }
    d->nblocks = r;
    p->pending = false;
    md_parse_lines(d, pos);
    p->parsed_len = p->san.len;
    return r;
}

void md_parse(md_doc *d, const char *s, size_t n)
{
    md_reset(d);
    md_append(d, s, n);
    md_finish(d);
    md_update(d);
}
