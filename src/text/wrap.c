/* wrap.c: greedy line filling over a block's spans, cluster by cluster. */
#include "config.h"
#include "text/wrap.h"

#include <stdbool.h>
#include <stdlib.h>

#include "text/width.h"
#include "util/mem.h"

/* A position in a block's spans: span index and byte offset in text. */
typedef struct pos {
    size_t si;
    uint32_t off;
} pos_t;

/* What a line held at some point, to cut it back there. */
typedef struct mark {
    size_t nspans;
    uint32_t last_len;
    uint16_t last_width;
    int col;
} mark_t;

typedef struct ctx {
    const md_doc *d;
    const md_block *b;
    wrap_out *o;
    size_t block, s_end;
    int width;
    int indent, hang; /* after giving way to a narrow screen */
    int shift;        /* how far everything moved left to do so */
    int col;          /* next free column of the current line */
    size_t added;     /* lines added */
} ctx_t;

void wrap_free(wrap_out *o)
{
    free(o->lines);
    free(o->spans);
    *o = (wrap_out)WRAP_OUT_INIT;
}

void wrap_truncate(wrap_out *o, size_t n)
{
    if (n >= o->nlines)
        return;
    o->nlines = n;
    o->nspans = n ? o->lines[n - 1].first + o->lines[n - 1].count : 0;
}

static wrap_line *cur_line(const ctx_t *c)
{
    return &c->o->lines[c->o->nlines - 1];
}

static void add_span(ctx_t *c, uint32_t off, uint32_t len, int width, uint8_t kind, uint8_t attr)
{
    wrap_out *o = c->o;
    wrap_line *l = cur_line(c);
    if (o->nspans > l->first) {
        wrap_span *last = &o->spans[o->nspans - 1];
        if (last->off + last->len == off && last->kind == kind && last->attr == attr &&
            last->col + last->width == c->col) {
            last->len += len;
            last->width = (uint16_t)(last->width + width);
            c->col += width;
            return;
        }
    }
    o->spans = xgrow(o->spans, &o->spans_cap, o->nspans + 1, sizeof *o->spans);
    o->spans[o->nspans++] = (wrap_span){off, len, (uint16_t)c->col, (uint16_t)width, kind, attr};
    c->col += width;
}

static void end_line(ctx_t *c)
{
    wrap_line *l = cur_line(c);
    l->count = (uint32_t)(c->o->nspans - l->first);
    const wrap_span *last = l->count ? &c->o->spans[c->o->nspans - 1] : NULL;
    l->width = last ? (uint16_t)(last->col + last->width) : 0;
}

/* Starts a line: quote bars (those still on screen), then content at col. */
static void begin_line(ctx_t *c, int bars, int col, uint8_t flags)
{
    wrap_out *o = c->o;
    o->lines = xgrow(o->lines, &o->lines_cap, o->nlines + 1, sizeof *o->lines);
    o->lines[o->nlines++] = (wrap_line){
        .first = (uint32_t)o->nspans,
        .block = (uint32_t)c->block,
        .indent = (uint16_t)col,
        .flags = flags,
        .level = (flags & WRAP_LINE_HEADING) ? c->b->level : 0,
    };
    c->added++;
    for (int k = 0; k < bars; k++) {
        c->col = 2 * k - c->shift;
        if (c->col >= 0)
            add_span(c, MD_GLYPH_BAR_OFF, MD_GLYPH_BAR_LEN, 1, MD_QUOTE, 0);
    }
    c->col = col;
}

static mark_t mark_now(const ctx_t *c)
{
    const wrap_out *o = c->o;
    mark_t m = {o->nspans, 0, 0, c->col};
    if (o->nspans > cur_line(c)->first) {
        m.last_len = o->spans[o->nspans - 1].len;
        m.last_width = o->spans[o->nspans - 1].width;
    }
    return m;
}

static void cut_to(ctx_t *c, mark_t m)
{
    wrap_out *o = c->o;
    o->nspans = m.nspans;
    if (o->nspans > cur_line(c)->first) {
        o->spans[o->nspans - 1].len = m.last_len;
        o->spans[o->nspans - 1].width = m.last_width;
    }
    c->col = m.col;
}

/* The cluster at p (moving p past exhausted spans); false at the end. */
static bool cluster(ctx_t *c, pos_t *p, uint32_t *len, int *w, const md_span **sp)
{
    const md_doc *d = c->d;
    while (p->si < c->s_end) {
        const md_span *s = &d->spans[p->si];
        if (p->off < s->off + s->len) {
            *len = (uint32_t)tw_cluster_next(d->text.data + p->off, s->off + s->len - p->off, w);
            *sp = s;
            return true;
        }
        if (++p->si < c->s_end)
            p->off = d->spans[p->si].off;
    }
    return false;
}

/* A cluster wider than an empty line: show the placeholder instead. */
static void add_too_wide(ctx_t *c)
{
    add_span(c, MD_GLYPH_REPL_OFF, MD_GLYPH_REPL_LEN, 1, MD_PLACEHOLDER, 0);
}

/* Line state of flow(). */
typedef struct fill {
    bool content;     /* the line holds something besides spaces */
    bool in_space;    /* the last clusters added were spaces */
    bool prev_wide;   /* the last cluster added was 2 columns */
    bool skip_spaces; /* at a soft break: spaces here are dropped */
    bool have_brk;    /* brk/resume hold a break opportunity */
    mark_t brk, trail; /* the opportunity; where the trailing spaces began */
    pos_t resume;      /* where the next line starts if we break at brk */
} fill_t;

static void next_line(ctx_t *c, fill_t *f, uint8_t flags, bool soft)
{
    if (f->in_space)
        cut_to(c, f->trail); /* no trailing spaces */
    end_line(c);
    begin_line(c, c->b->quote, c->hang, flags);
    *f = (fill_t){.skip_spaces = soft};
}

/* Paragraphs, items, headings, labels: greedy filling, breaking at the last
 * opportunity that fits. */
static void flow(ctx_t *c, pos_t p)
{
    const char *text = c->d->text.data;
    uint8_t flags = c->b->type == MD_BLOCK_HEADING ? WRAP_LINE_HEADING
                  : c->b->type == MD_BLOCK_FENCE   ? WRAP_LINE_CODE | WRAP_LINE_LABEL
                                                   : 0;
    begin_line(c, c->b->quote, c->indent, flags);
    fill_t f = {0};
    uint32_t n;
    int w;
    const md_span *s;
    while (cluster(c, &p, &n, &w, &s)) {
        char ch = text[p.off];
        if (ch == '\n') {
            next_line(c, &f, flags, false);
            p.off += n;
            continue;
        }
        if (ch == ' ') {
            if (f.skip_spaces || (c->col + 1 > c->width && !f.content)) {
                p.off += n; /* nothing to separate */
            } else if (c->col + 1 > c->width) {
                next_line(c, &f, flags, true);
            } else {
                if (!f.in_space) {
                    f.trail = mark_now(c);
                    f.in_space = true;
                    if (f.content) {
                        f.brk = f.trail;
                        f.resume = p;
                        f.have_brk = true;
                    }
                }
                add_span(c, p.off, n, 1, s->kind, s->attr);
                f.prev_wide = false;
                p.off += n;
            }
            continue;
        }
        f.skip_spaces = false;
        if (f.content && !f.in_space && (w == 2 || f.prev_wide)) {
            f.brk = mark_now(c); /* CJK: a break may go between any two */
            f.resume = p;
            f.have_brk = true;
        }
        if (c->col + w > c->width) {
            if (f.have_brk) {
                cut_to(c, f.brk);
                p = f.resume;
                f.in_space = false;
                next_line(c, &f, flags, true);
                continue;
            }
            if (f.content) {
                next_line(c, &f, flags, true);
                continue;
            }
            if (f.in_space) {
                cut_to(c, f.trail); /* only spaces so far: drop them, retry */
                f.in_space = false;
                continue;
            }
            add_too_wide(c); /* alone on its line and still too wide */
        } else {
            add_span(c, p.off, n, w, s->kind, s->attr);
        }
        f.in_space = false;
        f.content = true;
        f.prev_wide = w == 2;
        p.off += n;
    }
    if (f.in_space)
        cut_to(c, f.trail);
    end_line(c);
}

/* A code line: filled cluster by cluster, spaces and all. */
static void code(ctx_t *c, pos_t p)
{
    begin_line(c, 0, c->indent, WRAP_LINE_CODE);
    bool content = false;
    uint32_t n;
    int w;
    const md_span *s;
    while (cluster(c, &p, &n, &w, &s)) {
        if (c->col + w > c->width) {
            if (content) {
                end_line(c);
                begin_line(c, 0, c->hang, WRAP_LINE_CODE | WRAP_LINE_CONT);
                content = false;
                continue;
            }
            add_too_wide(c);
        } else {
            add_span(c, p.off, n, w, s->kind, s->attr);
        }
        content = true;
        p.off += n;
    }
    end_line(c);
}

size_t wrap_block(const md_doc *d, size_t i, int width, wrap_out *o)
{
    const md_block *b = &d->blocks[i];
    ctx_t c = {.d = d, .b = b, .o = o, .block = i, .s_end = b->span_first + b->span_count};
    c.width = width < 1 ? 1 : width > WRAP_MAX_WIDTH ? WRAP_MAX_WIDTH : width;
    /* Content keeps at least min(width, max(6, width / 2)) columns. */
    int keep = c.width / 2 > 6 ? c.width / 2 : 6;
    keep = keep < c.width ? keep : c.width;
    int most = c.width - keep, indent = b->indent, hang = b->hang;
    int deepest = indent > hang ? indent : hang;
    c.shift = deepest > most ? deepest - most : 0;
    c.indent = indent - c.shift > 0 ? indent - c.shift : 0;
    c.hang = hang - c.shift > 0 ? hang - c.shift : 0;
    if (b->blank) {
        begin_line(&c, b->blank - 1, 0, 0);
        end_line(&c);
    }
    pos_t p = {b->span_first, b->span_count ? d->spans[b->span_first].off : 0};
    if (b->type == MD_BLOCK_CODE)
        code(&c, p);
    else
        flow(&c, p);
    return c.added;
}

void wrap_layout(const md_doc *d, int width, wrap_out *o)
{
    o->nlines = 0;
    o->nspans = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        wrap_block(d, i, width, o);
}
