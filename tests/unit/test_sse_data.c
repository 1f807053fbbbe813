/* test_sse_data.c: reads the SSE test-vector files (see test_sse_data.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_sse_data.h"
#include "util/mem.h"

typedef struct reader {
    const char *path;
    int line;
    const char *p;   /* the rest of the current line */
    const char *end;
} reader;

static void bad(const reader *r, const char *what)
{
    fail_msg("%s:%d: %s", r->path, r->line, what);
}

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
        r->p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A quoted string with C escapes, into out. */
static void read_string(reader *r, buf_t *out)
{
    skip_space(r);
    if (r->p >= r->end || *r->p != '"')
        bad(r, "expected a string in double quotes");
    r->p++;
    for (;;) {
        if (r->p >= r->end)
            bad(r, "unterminated string");
        char c = *r->p++;
        if (c == '"')
            break;
        if (c != '\\') {
            buf_append_char(out, c);
            continue;
        }
        if (r->p >= r->end)
            bad(r, "a lone backslash");
        c = *r->p++;
        switch (c) {
        case 'n': buf_append_char(out, '\n'); break;
        case 'r': buf_append_char(out, '\r'); break;
        case 't': buf_append_char(out, '\t'); break;
        case '0': buf_append_char(out, '\0'); break;
        case '\\': buf_append_char(out, '\\'); break;
        case '"': buf_append_char(out, '"'); break;
        case 'x': {
            int hi = r->p + 1 < r->end ? hexval(r->p[0]) : -1;
            int lo = hi >= 0 ? hexval(r->p[1]) : -1;
            if (lo < 0)
                bad(r, "\\x needs two hex digits");
            buf_append_char(out, (char)(hi * 16 + lo));
            r->p += 2;
            break;
        }
        default: bad(r, "unknown escape");
        }
    }
}

static char *read_cstring(reader *r, size_t *len)
{
    buf_t b = BUF_INIT;
    buf_append(&b, "", 0);
    read_string(r, &b);
    if (len)
        *len = b.len;
    return buf_steal(&b);
}

static long read_number(reader *r)
{
    skip_space(r);
    if (r->p >= r->end || !isdigit((unsigned char)*r->p))
        bad(r, "expected a number");
    long n = 0;
    while (r->p < r->end && isdigit((unsigned char)*r->p))
        n = n * 10 + (*r->p++ - '0');
    return n;
}

static bool keyword(reader *r, const char *kw)
{
    size_t n = strlen(kw);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, kw, n) != 0)
        return false;
    if (r->p + n < r->end && r->p[n] != ' ' && r->p[n] != '\t')
        return false;
    r->p += n;
    return true;
}

static void end_of_line(reader *r)
{
    skip_space(r);
    if (r->p != r->end)
        bad(r, "unexpected text at the end of the line");
}

static sv_step *add_step(sv_case *c, size_t *cap, sv_kind kind)
{
    c->steps = xgrow(c->steps, cap, c->nsteps + 1, sizeof *c->steps);
    sv_step *s = &c->steps[c->nsteps++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    return s;
}

static void parse_line(reader *r, sv_file *f, size_t *ccap, size_t *scap)
{
    sv_case *c = f->ncases ? &f->cases[f->ncases - 1] : NULL;
    if (keyword(r, "case")) {
        skip_space(r);
        if (r->p == r->end)
            bad(r, "a case needs a name");
        f->cases = xgrow(f->cases, ccap, f->ncases + 1, sizeof *f->cases);
        c = &f->cases[f->ncases++];
        memset(c, 0, sizeof *c);
        c->name = xstrndup(r->p, (size_t)(r->end - r->p));
        c->line = r->line;
        c->retry = -2;
        *scap = 0;
        r->p = r->end;
        return;
    }
    if (!c)
        bad(r, "a line before the first case");
    bool pre = false;
    if (keyword(r, "in") || (pre = keyword(r, "pre"))) {
        sv_step *s = add_step(c, scap, pre ? SV_PRE : SV_IN);
        buf_t one = BUF_INIT, all = BUF_INIT;
        buf_append(&all, "", 0);
        read_string(r, &one);
        long times = 1;
        skip_space(r);
        if (!pre && r->p < r->end && *r->p == '*') {
            r->p++;
            times = read_number(r);
        }
        for (long i = 0; i < times; i++)
            buf_append(&all, one.data, one.len);
        buf_free(&one);
        s->len = all.len;
        s->bytes = buf_steal(&all);
    } else if (keyword(r, "block")) {
        sv_step *s = add_step(c, scap, SV_BLOCK);
        s->id = read_cstring(r, NULL);
        s->bytes = read_cstring(r, &s->len);
    } else if (keyword(r, "last_id")) {
        sv_step *s = add_step(c, scap, SV_LAST_ID);
        s->bytes = read_cstring(r, &s->len);
    } else if (keyword(r, "reconnect")) {
        add_step(c, scap, SV_RECONNECT);
    } else if (keyword(r, "retry")) {
        c->retry = read_number(r);
    } else if (keyword(r, "event")) {
        size_t tl, dl, il;
        char *type = read_cstring(r, &tl);
        char *data = read_cstring(r, &dl);
        char *id = read_cstring(r, &il);
        sse_event ev = {type, tl, data, dl, id, il};
        sv_render(&c->want, &ev);
        free(type);
        free(data);
        free(id);
    } else {
        bad(r, "unknown keyword");
    }
    end_of_line(r);
}

void sv_load(const char *name, sv_file *f)
{
    memset(f, 0, sizeof *f);
    const char *src = getenv("AIDESK_SRCDIR");
    if (!src || !*src)
        fail_msg("AIDESK_SRCDIR is not set (make check sets it)");
    char *path = xasprintf("%s/tests/files/sse/%s", src, name);
    FILE *in = fopen(path, "rb");
    if (!in)
        fail_msg("cannot open %s", path);
    buf_t text = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        buf_append(&text, chunk, n);
    assert_false(ferror(in));
    fclose(in);
    reader r = {path, 0, NULL, NULL};
    size_t ccap = 0, scap = 0;
    const char *p = text.data, *end = text.data + text.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        r.line++;
        r.p = p;
        r.end = le;
        skip_space(&r);
        if (r.p < r.end && *r.p != '#')
            parse_line(&r, f, &ccap, &scap);
        p = nl ? nl + 1 : end;
    }
    if (f->ncases == 0)
        fail_msg("%s: no cases", path);
    buf_free(&text);
    free(path);
}

void sv_free(sv_file *f)
{
    for (size_t i = 0; i < f->ncases; i++) {
        sv_case *c = &f->cases[i];
        for (size_t j = 0; j < c->nsteps; j++) {
            free(c->steps[j].bytes);
            free(c->steps[j].id);
        }
        free(c->steps);
        free(c->name);
        buf_free(&c->want);
    }
    free(f->cases);
    memset(f, 0, sizeof *f);
}

static void render_part(buf_t *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            buf_append_str(out, "\\n");
        else if (c == '|' || c == '\\' || c < 0x20 || c == 0x7f)
            buf_printf(out, "\\x%02x", c);
        else
            buf_append_char(out, (char)c);
    }
}

void sv_render(buf_t *out, const sse_event *ev)
{
    render_part(out, ev->type, ev->type_len);
    buf_append_char(out, '|');
    render_part(out, ev->data, ev->data_len);
    buf_append_char(out, '|');
    render_part(out, ev->id, ev->id_len);
    buf_append_char(out, '\n');
}

int sv_collect(void *ud, const sse_event *ev)
{
    sv_render(ud, ev);
    return 0;
}

void sv_rng_seed(sv_rng *r, unsigned long long seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    if (!r->s)
        r->s = 1;
}

size_t sv_rng_below(sv_rng *r, size_t n)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (size_t)(r->s % n);
}

void sv_feed_random(sse_parser *p, const char *buf, size_t len, sv_rng *r, size_t max_piece,
                    buf_t *out)
{
    size_t off = 0;
    while (off < len) {
        size_t piece = 1 + sv_rng_below(r, max_piece);
        if (piece > len - off)
            piece = len - off;
        assert_int_equal(sse_parser_feed(p, buf + off, piece, sv_collect, out), SSE_OK);
        off += piece;
    }
}
