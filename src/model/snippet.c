/* snippet.c: the last answer of a conversation and its code blocks
 * (snippet.h). */
#include "config.h"
#include "model/snippet.h"

#include <stdlib.h>
#include <string.h>

#include "text/md.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

#define TAB_STOP 4 /* as the markdown parser counts columns */

/* The newest messages are always held (a window keeps the newest, model.h). */
const msg *snip_last_answer(const conv *c)
{
    for (size_t i = c ? c->nmsgs : 0; i > 0; i--) {
        const msg *mm = c->msgs[i - 1];
        if (mm->kind == MSG_KIND_MESSAGE && (mm->role == AI_ROLE_AI || mm->role == AI_ROLE_HUMAN) &&
            mm->text.len)
            return mm;
    }
    return NULL;
}

char *snip_copy_text(const char *text, size_t len)
{
    return sanitize_dup(text ? text : "", text ? len : 0, SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
}

const char *snip_lang_ext(const char *lang)
{
    static const char *const map[][2] = {
        {"python", ".py"}, {"py", ".py"},       {"sh", ".sh"},     {"bash", ".sh"},
        {"shell", ".sh"},  {"zsh", ".sh"},      {"console", ".sh"}, {"json", ".json"},
        {"c", ".c"},       {"h", ".h"},         {"cpp", ".cpp"},   {"c++", ".cpp"},
        {"go", ".go"},     {"rust", ".rs"},     {"rs", ".rs"},     {"js", ".js"},
        {"javascript", ".js"}, {"ts", ".ts"},   {"typescript", ".ts"}, {"java", ".java"},
        {"ruby", ".rb"},   {"rb", ".rb"},       {"sql", ".sql"},   {"yaml", ".yaml"},
        {"yml", ".yaml"},  {"toml", ".toml"},   {"html", ".html"}, {"css", ".css"},
        {"xml", ".xml"},   {"diff", ".diff"},   {"patch", ".diff"}, {"make", ".mk"},
        {"makefile", ".mk"}, {"md", ".md"},     {"markdown", ".md"},
    };
    for (size_t i = 0; lang && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(lang, map[i][0]))
            return map[i][1];
    return ".txt";
}

/* The line of s that starts at off: its length without the newline. */
static size_t line_len(const char *s, size_t n, size_t off)
{
    const char *nl = memchr(s + off, '\n', n - off);
    return nl ? (size_t)(nl - (s + off)) : n - off;
}

/* Columns of the blanks at the start of l (tabs to the next stop). */
static size_t indent_cols(const char *l, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n && (l[i] == ' ' || l[i] == '\t'); i++)
        col = l[i] == '\t' ? (col / TAB_STOP + 1) * TAB_STOP : col + 1;
    return col;
}

/* The language word of a fence line ("```python x" -> "python"), or NULL. */
static char *fence_lang(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    char f = i < n ? l[i] : 0;
    while (i < n && l[i] == f)
        i++;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    size_t s = i;
    while (i < n && l[i] != ' ' && l[i] != '\t')
        i++;
    return i > s ? xstrndup(l + s, i - s) : NULL;
}

/* Appends a code line without the fence's indentation (the parser strips
 * the same, md_block.c). */
static void add_line(buf_t *b, const char *l, size_t n, size_t fence_indent)
{
    size_t strip = 0, col = 0;
    while (strip < n && col < fence_indent && (l[strip] == ' ' || l[strip] == '\t')) {
        col = l[strip] == '\t' ? (col / TAB_STOP + 1) * TAB_STOP : col + 1;
        strip++;
    }
    buf_append(b, l + strip, n - strip);
    buf_append_char(b, '\n');
}

void snip_code_blocks(const char *text, size_t len, snip_blocks *out)
{
    memset(out, 0, sizeof *out);
    md_doc d;
    md_init(&d);
    md_parse(&d, text ? text : "", text ? len : 0);
    size_t n = 0;
    const char *san = md_sanitized(&d, &n);
    size_t cap = 0, prev_end = (size_t)-1, fence_indent = 0;
    buf_t cur = BUF_INIT;
    for (size_t i = 0; i < d.nblocks; i++) {
        const md_block *b = &d.blocks[i];
        if (b->type != MD_BLOCK_CODE)
            continue;
        size_t off = b->src_off, ln = line_len(san, n, off);
        /* A code line right after the last one's is the same block; any
         * other starts one, and the line before it is its opening fence. */
        if (off != prev_end + 1 || !out->n) {
            if (off == 0)
                continue; /* not possible: a fence line comes first */
            size_t fs = off - 1;
            while (fs > 0 && san[fs - 1] != '\n')
                fs--;
            size_t fl = off - 1 - fs;
            out->v = xgrow(out->v, &cap, out->n + 1, sizeof *out->v);
            out->v[out->n].lang = fence_lang(san + fs, fl);
            out->v[out->n].text = NULL;
            if (out->n)
                out->v[out->n - 1].text = buf_steal(&cur);
            out->n++;
            fence_indent = indent_cols(san + fs, fl);
        }
        add_line(&cur, san + off, ln, fence_indent);
        prev_end = off + ln;
    }
    if (out->n)
        out->v[out->n - 1].text = buf_steal(&cur);
    buf_free(&cur);
    md_free(&d);
}

void snip_blocks_clear(snip_blocks *b)
{
    for (size_t i = 0; b && i < b->n; i++) {
        free(b->v[i].lang);
        free(b->v[i].text);
    }
    if (b) {
        free(b->v);
        memset(b, 0, sizeof *b);
    }
}
