/* sanstream.c: incremental sanitising (see sanstream.h). */
#include "config.h"
#include "cli/sanstream.h"

#include "util/sanitize.h"
#include "util/utf8.h"

void cli_sanstream_init(cli_sanstream *s, unsigned flags)
{
    s->flags = flags;
    buf_init(&s->tail);
    s->st.after_pict = false;
}

void cli_sanstream_feed(cli_sanstream *s, const char *p, size_t n, buf_t *out)
{
    if (n == 0)
        return;
    buf_append(&s->tail, p, n);
    const char *d = s->tail.data;
    size_t len = s->tail.len;
    size_t cut = utf8_prefix_len(d, len);
    /* A CR at the end may be the first half of a CRLF, which sanitize
     * renders as the LF alone when newlines are kept. */
    if (cut > 0 && cut == len && d[cut - 1] == '\r' && (s->flags & SAN_KEEP_NEWLINE))
        cut--;
    /* A ZWJ is kept or shown by the character after it. */
    if (sanitize_ends_in_zwj(d, cut))
        cut -= 3;
    sanitize_append_piece(out, d, cut, s->flags, &s->st);
    buf_consume(&s->tail, cut);
}

void cli_sanstream_finish(cli_sanstream *s, buf_t *out)
{
    if (s->tail.len == 0)
        return;
    sanitize_append_piece(out, s->tail.data, s->tail.len, s->flags, &s->st);
    buf_clear(&s->tail);
}

void cli_sanstream_free(cli_sanstream *s)
{
    buf_free(&s->tail);
}
