/* md_inline.c: inline markup of one block, in linear time.
 *
 * One pass left to right finds backslash escapes, code spans (which take
 * precedence over everything), delimiter runs of '*' and '_' and links; then
 * CommonMark's "process emphasis" pairs the delimiters. The result is a flag
 * byte per input byte, turned into spans at the end. Hostile input (thousands
 * of unmatched delimiters, backticks or brackets) stays linear: failed
 * searches are remembered (openers_bottom, no_closer) or capped (links). */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "text/md_priv.h"
#include "util/mem.h"

#define MAX_TICKS 64 /* longer backtick runs are literal */
#define MAX_URL 4096  /* longer destinations are not links */

static const bool special[256] = {['\\'] = true, ['`'] = true, ['*'] = true,
                                  ['_'] = true,  ['['] = true, [']'] = true};

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Anything not ASCII counts as punctuation, so that emphasis works in
 * scripts written without spaces (CJK) as it does next to punctuation. */
static bool is_punct(unsigned char c)
{
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return c >= 0x80 || (c > ' ' && c < 0x7F && !alnum);
}

void md_add_span(md_doc *d, uint32_t off, uint32_t len, uint8_t kind, uint8_t attr)
{
    if (len == 0)
        return;
    md_block *b = &d->blocks[d->nblocks - 1];
    if (d->nspans > b->span_first) {
        md_span *last = &d->spans[d->nspans - 1];
        if (last->off + last->len == off && last->kind == kind && last->attr == attr) {
            last->len += len;
            return;
        }
    }
    d->spans = xgrow(d->spans, &d->spans_cap, d->nspans + 1, sizeof *d->spans);
    d->spans[d->nspans++] = (md_span){off, len, kind, attr};
    b->span_count = (uint32_t)(d->nspans - b->span_first);
}

static uint8_t kind_of(uint8_t a, uint8_t base)
{
    if (a & MDA_PH)
        return MD_PLACEHOLDER;
    if (a & MDA_CODE)
        return MD_CODE;
    if (a & MDA_URL)
        return MD_LINK_URL;
    if (a & MDA_LINK)
        return MD_LINK;
    if (a & MDA_STRONG)
        return MD_STRONG;
    if (a & MDA_EMPH)
        return MD_EMPH;
    return base;
}

/* Spans for text[from, from+n) from the flags. */
static void emit(md_doc *d, uint32_t from, size_t n, uint8_t base)
{
    const uint8_t *a = d->priv->attr;
    size_t i = 0;
    while (i < n) {
        if (a[i] & MDA_HIDE) {
            i++;
            continue;
        }
        uint8_t kind = kind_of(a[i], base);
        uint8_t attr = (uint8_t)(((a[i] & MDA_EMPH) ? MD_ATTR_EMPH : 0) |
                                 ((a[i] & MDA_STRONG) ? MD_ATTR_STRONG : 0));
        size_t j = i + 1;
        while (j < n && !(a[j] & MDA_HIDE) && kind_of(a[j], base) == kind &&
               ((a[j] & (MDA_EMPH | MDA_STRONG)) == (a[i] & (MDA_EMPH | MDA_STRONG))))
            j++;
        md_add_span(d, from + (uint32_t)i, (uint32_t)(j - i), kind, attr);
        i = j;
    }
}

void md_plain(md_doc *d, uint32_t from, uint8_t kind)
{
    emit(d, from, d->text.len - from, kind);
}

static void mark(uint8_t *a, size_t from, size_t to, uint8_t flag)
{
    for (size_t i = from; i < to; i++)
        a[i] |= flag;
}

/* Pairs the delimiters [lo, hi) (CommonMark's process emphasis). */
static void pair_delims(struct md_priv *p, size_t lo, size_t hi)
{
    md_delim *D = p->delims;
    /* openers_bottom: per (char, closer can open, length % 3), below which
     * no opener can match such a closer any more. */
    size_t bottom[2][2][3];
    for (size_t i = 0; i < 12; i++)
        (&bottom[0][0][0])[i] = lo;
    for (size_t i = lo; i < hi; i++)
        D[i].prev = i > lo ? (int32_t)(i - 1) : -1;
    for (size_t c = lo; c < hi; c++) {
        md_delim *cl = &D[c];
        if (!cl->close)
            continue;
        while (cl->len > 0) {
            size_t *bot = &bottom[cl->ch == '_'][cl->open][cl->orig % 3];
            int32_t o = cl->prev;
            while (o >= 0 && (size_t)o >= *bot) {
                md_delim *op = &D[o];
                bool odd = (op->close || cl->open) && (op->orig + cl->orig) % 3 == 0 &&
                           !(op->orig % 3 == 0 && cl->orig % 3 == 0);
                if (op->ch == cl->ch && op->open && op->len > 0 && !odd)
                    break;
                o = op->prev;
            }
            if (o < 0 || (size_t)o < *bot) {
                *bot = c;
                break;
            }
            md_delim *op = &D[o];
            uint32_t n = op->len >= 2 && cl->len >= 2 ? 2 : 1;
            op->len -= n;
            uint32_t in_from = op->start + op->len + n, in_to = cl->start;
            mark(p->attr, op->start + op->len, in_from, MDA_HIDE);
            mark(p->attr, cl->start, cl->start + n, MDA_HIDE);
            int32_t *cnt = n == 2 ? p->sg : p->em;
            cnt[in_from]++;
            cnt[in_to]--;
            cl->start += n;
            cl->len -= n;
            /* Delimiters between the pair can no longer match anything. */
            for (int32_t k = cl->prev; k != o; k = D[k].prev)
                D[k].len = 0;
            cl->prev = op->len > 0 ? o : op->prev;
        }
    }
}

/* A code span opening with the n backticks at i: the offset of its closing
 * run, or 0 when there is none. */
static size_t code_closer(const char *t, const uint8_t *a, size_t len, size_t i, size_t n)
{
    size_t j = i + n;
    while (j < len) {
        if (t[j] != '`' || (a[j] & MDA_PH)) {
            j++;
            continue;
        }
        size_t k = j;
        while (k < len && t[k] == '`')
            k++;
        if (k - j == n)
            return j;
        j = k;
    }
    return 0;
}

/* A link destination "(url)" at t[i]: returns the offset of ')' or 0.
 * Every ']' may look ahead, so the bytes looked at per block are capped
 * (*budget): hostile text loses links, never time. */
static size_t link_dest(const char *t, const uint8_t *a, size_t len, size_t i, size_t *budget)
{
    if (i >= len || t[i] != '(')
        return 0;
    size_t depth = 0, end = len - i > MAX_URL ? i + MAX_URL : len;
    for (size_t j = i + 1; j < end; j++) {
        if (*budget == 0)
            return 0;
        --*budget;
        unsigned char c = (unsigned char)t[j];
        if ((a[j] & MDA_PH) || c <= ' ')
            return 0;
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (depth == 0)
                return j > i + 1 ? j : 0;
            depth--;
        }
    }
    return 0;
}

static void push_delim(struct md_priv *p, const char *t, size_t len, size_t i, size_t n)
{
    unsigned char before = i > 0 ? (unsigned char)t[i - 1] : ' ';
    unsigned char after = i + n < len ? (unsigned char)t[i + n] : ' ';
    bool left = !is_ws(after) && (!is_punct(after) || is_ws(before) || is_punct(before));
    bool right = !is_ws(before) && (!is_punct(before) || is_ws(after) || is_punct(after));
    p->delims = xgrow(p->delims, &p->delims_cap, p->ndelims + 1, sizeof *p->delims);
    p->delims[p->ndelims++] = (md_delim){
        .start = (uint32_t)i,
        .len = (uint32_t)n,
        .orig = (uint32_t)n,
        .prev = -1,
        .ch = t[i],
        /* The '_' rule for both: no emphasis inside words. */
        .open = left && (!right || is_punct(before)),
        .close = right && (!left || is_punct(after)),
    };
}

/* Closes a link whose text starts after the bracket b and ends at i (']'),
 * with its destination ending at e (')'). A dry run leaves t alone. */
static void make_link(struct md_priv *p, char *t, md_bracket b, size_t i, size_t e, bool dry)
{
    uint8_t *a = p->attr;
    pair_delims(p, b.delim, p->ndelims);
    p->ndelims = b.delim;
    for (size_t k = 0; k < p->nbrackets; k++)
        p->brackets[k].active = false; /* no links inside links */
    a[b.pos] |= MDA_HIDE;
    mark(a, b.pos + 1, i, MDA_LINK);
    size_t text = i - b.pos - 1, url = e - i - 2;
    if (text == url && memcmp(t + b.pos + 1, t + i + 2, url) == 0) {
        mark(a, i, e + 1, MDA_HIDE); /* [url](url): once is enough */
    } else if (text == 0) {
        mark(a, i, i + 2, MDA_HIDE);
        a[e] |= MDA_HIDE;
        mark(a, i + 2, e, MDA_URL);
    } else {
        if (!dry)
            t[i] = ' '; /* "text (url)": the ']' becomes the gap */
        mark(a, i + 1, e + 1, MDA_URL);
    }
}

bool md_inline(md_doc *d, uint32_t from, uint8_t base, bool dry)
{
    struct md_priv *p = d->priv;
    size_t len = d->text.len - from;
    char *t = d->text.data + from;
    if (len + 1 > p->count_cap) {
        size_t cap = p->count_cap;
        p->em = xgrow(p->em, &cap, len + 1, sizeof *p->em);
        p->sg = xrealloc(p->sg, cap * sizeof *p->sg);
        p->count_cap = cap;
    }
    uint8_t *a = p->attr; /* as long as the text: md_block.c keeps it so */
    for (size_t k = 0; k < len; k++)
        a[k] &= MDA_PH; /* what a dry run marked */
    memset(p->em, 0, (len + 1) * sizeof *p->em);
    memset(p->sg, 0, (len + 1) * sizeof *p->sg);
    p->ndelims = 0;
    p->nbrackets = 0;
    bool no_closer[MAX_TICKS + 1] = {false};
    size_t budget = 4 * len + MAX_URL;
    bool closed = true;
    size_t i = 0;
    while (i < len) {
        char c = t[i];
        if (!special[(unsigned char)c] || (a[i] & (MDA_PH | MDA_LIT))) {
            i++;
            continue;
        }
        if (c == '\\') {
            if (i + 1 < len && !(a[i + 1] & MDA_PH) && is_punct((unsigned char)t[i + 1]) &&
                (unsigned char)t[i + 1] < 0x80) {
                a[i] |= MDA_HIDE;
                a[i + 1] |= MDA_LIT;
                i += 2;
            } else {
                i++;
            }
        } else if (c == '`') {
            size_t n = 0;
            while (i + n < len && t[i + n] == '`')
                n++;
            size_t j = n <= MAX_TICKS && !no_closer[n] ? code_closer(t, a, len, i, n) : 0;
            if (j == 0) {
                if (n <= MAX_TICKS)
                    no_closer[n] = true; /* none after here, so none after any later run */
                closed = false;
                i += n;
                continue;
            }
            size_t s = i + n, e = j;
            /* One space inside each end is padding, as in CommonMark. */
            if (e - s >= 2 && t[s] == ' ' && t[e - 1] == ' ' && strspn(t + s, " ") < e - s) {
                a[s] |= MDA_HIDE;
                a[e - 1] |= MDA_HIDE;
            }
            mark(a, i, s, MDA_HIDE);
            mark(a, s, e, MDA_CODE);
            mark(a, j, j + n, MDA_HIDE);
            i = j + n;
        } else if (c == '*' || c == '_') {
            size_t n = 0;
            while (i + n < len && t[i + n] == c && !(a[i + n] & (MDA_PH | MDA_LIT)))
                n++;
            push_delim(p, t, len, i, n);
            i += n;
        } else if (c == '[') {
            p->brackets =
                xgrow(p->brackets, &p->brackets_cap, p->nbrackets + 1, sizeof *p->brackets);
            p->brackets[p->nbrackets++] =
                (md_bracket){.pos = (uint32_t)i, .delim = (uint32_t)p->ndelims, .active = true};
            i++;
        } else { /* ']' */
            size_t e = p->nbrackets ? link_dest(t, a, len, i + 1, &budget) : 0;
            if (p->nbrackets == 0) {
                i++;
                continue;
            }
            md_bracket b = p->brackets[--p->nbrackets];
            if (!b.active || e == 0) {
                i++;
                continue;
            }
            make_link(p, t, b, i, e, dry);
            i = e + 1;
        }
    }
    pair_delims(p, 0, p->ndelims);
    if (budget == 0)
        closed = false; /* more text, more budget: links might differ */
    for (size_t k = 0; k < p->nbrackets; k++)
        closed = closed && !p->brackets[k].active;
    for (size_t k = 0; k < p->ndelims; k++)
        closed = closed && !(p->delims[k].open && p->delims[k].len > 0);
    if (dry)
        return closed;
    int32_t em = 0, sg = 0;
    for (size_t k = 0; k < len; k++) {
        em += p->em[k];
        sg += p->sg[k];
        if (em > 0)
            a[k] |= MDA_EMPH;
        if (sg > 0)
            a[k] |= MDA_STRONG;
    }
    emit(d, from, len, base);
    return closed;
}
