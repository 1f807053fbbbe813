/* view.c: a message's parse and layout, redone only where it grew. */
#include "config.h"
#include "text/view.h"

#include <stdlib.h>

#include "text/view_priv.h"
#include "util/mem.h"

text_view *text_view_new(void)
{
    text_view *v = xcalloc(1, sizeof *v);
    md_init(&v->doc);
    return v;
}

void text_view_free(text_view *v)
{
    if (!v)
        return;
    md_free(&v->doc);
    wrap_free(&v->out);
    free(v->first_line);
    free(v);
}

void text_view_reset(text_view *v)
{
    md_reset(&v->doc);
    v->out.nlines = 0;
    v->out.nspans = 0;
    v->nfirst = 0;
    v->width = 0;
}

void text_view_append(text_view *v, const char *s, size_t n)
{
    md_append(&v->doc, s, n);
}

void text_view_finish(text_view *v)
{
    md_finish(&v->doc);
}

size_t text_view_layout(text_view *v, int width)
{
    width = width < 1 ? 1 : width > WRAP_MAX_WIDTH ? WRAP_MAX_WIDTH : width;
    size_t r = md_update(&v->doc);
    if (width != v->width)
        r = 0;
    v->width = width;
    const md_doc *d = &v->doc;
    /* Blocks before r are unchanged, and so are their lines. */
    wrap_truncate(&v->out, r < v->nfirst ? v->first_line[r] : v->out.nlines);
    if (d->nblocks > v->first_cap)
        v->first_line = xgrow(v->first_line, &v->first_cap, d->nblocks, sizeof *v->first_line);
    for (size_t i = r; i < d->nblocks; i++) {
        v->first_line[i] = v->out.nlines;
        wrap_block(d, i, width, &v->out);
    }
    v->nfirst = d->nblocks;
    return v->out.nlines;
}

size_t text_view_line_count(const text_view *v)
{
    return v->out.nlines;
}

const wrap_line *text_view_line(const text_view *v, size_t i)
{
    return &v->out.lines[i];
}

const wrap_span *text_view_spans(const text_view *v, const wrap_line *l)
{
    return v->out.spans + l->first;
}

static uint64_t fnv(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211ull;
}

uint64_t text_view_line_sig(const text_view *v, size_t i, uint64_t h)
{
    const wrap_line *l = &v->out.lines[i];
    const wrap_span *sp = v->out.spans + l->first;
    const char *text = v->doc.text.data;
    h = fnv(h, ((uint64_t)l->flags << 32) | ((uint64_t)l->indent << 16) | l->level);
    for (uint32_t k = 0; k < l->count; k++) {
        h = fnv(h, ((uint64_t)sp[k].col << 24) | ((uint64_t)sp[k].kind << 8) | sp[k].attr);
        for (uint32_t b = 0; b < sp[k].len; b++)
            h = fnv(h, (unsigned char)text[sp[k].off + b]);
    }
    return h;
}

const char *text_view_text(const text_view *v)
{
    return v->doc.text.data;
}

const md_doc *text_view_doc(const text_view *v)
{
    return &v->doc;
}
