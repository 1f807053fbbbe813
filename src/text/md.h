/* md.h: a message's markdown, parsed into blocks of styled spans.
 *
 * Input is untrusted UTF-8 that may still be arriving. It is sanitised by the
 * rules of util/sanitize (controls become control pictures, C1/bidi/invisible
 * characters become "<U+XXXX>", invalid UTF-8 becomes U+FFFD; newlines and
 * tabs are kept for the parser) and every such placeholder is styled
 * MD_PLACEHOLDER so it cannot pass for real text.
 *
 * The subset: paragraphs (a newline inside one is a line break: chat text
 * means its newlines), headings "#".."######", bullet ("-", "*", "+") and
 * numbered ("1." or "1)") lists nested by indentation, block quotes ">"
 * (holding paragraphs, headings and lists), fenced code blocks (``` or ~~~,
 * an optional language; an unclosed fence runs to the end), inline `code`,
 * *emphasis* or _emphasis_, **strong** or __strong__, [links](url), backslash
 * escapes. Emphasis never starts or ends inside a word, so 2*3*4 and
 * snake_case_words stay literal. Everything else is literal text.
 *
 * Output: md_doc.text holds what is displayed: the sanitised text with the
 * markup that is shown kept, markers that are hidden simply not covered by
 * any span, tabs expanded (to 4-column stops in code, to a space elsewhere),
 * list markers normalised. Every span is a byte range of md_doc.text; spans
 * never split a UTF-8 character. The first bytes of text hold glyphs the
 * layout draws itself (MD_GLYPH_*).
 *
 * Streaming: md_append adds raw bytes (an incomplete UTF-8 character or a
 * trailing CR is held back until the next append or md_finish); md_update
 * re-parses only from the start of the block the last line belonged to (or
 * the block before, if that line may still turn out to continue it), so its
 * cost is the size of that block plus the new text. Earlier blocks, their
 * spans and their text keep their offsets. A block is re-parsed as a whole
 * because inline markup may close at its end. To keep blocks small, a code
 * block is one block per line, and a long paragraph is cut into blocks at
 * line breaks where no markup is left open (checked when it reaches 1 KiB,
 * then each time it doubles); the pieces look exactly like the whole.
 */
#ifndef AIDESK_TEXT_MD_H
#define AIDESK_TEXT_MD_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef enum md_kind {
    MD_TEXT,
    MD_EMPH,
    MD_STRONG,
    MD_CODE,         /* inline `code` */
    MD_CODE_BLOCK,   /* fenced code and its language label */
    MD_HEADING,      /* see the span's block for the level */
    MD_LIST_MARKER,  /* the bullet or number of a list item */
    MD_QUOTE,        /* quote bars and the text of a quote */
    MD_LINK,         /* a link's text */
    MD_LINK_URL,     /* "(url)" after it */
    MD_PLACEHOLDER,  /* what sanitising put in place of unsafe input */
    MD_KIND_COUNT
} md_kind;

/* A span's kind is the most specific style that applies (placeholder, code,
 * URL, link, strong, emphasis, then the block's own); attr keeps emphasis and
 * strength, which combine with any kind (a strong link, an emphasised
 * heading). */
enum { MD_ATTR_EMPH = 1 << 0, MD_ATTR_STRONG = 1 << 1 };

typedef struct md_span {
    uint32_t off, len; /* bytes of md_doc.text */
    uint8_t kind;      /* md_kind */
    uint8_t attr;      /* MD_ATTR_* */
} md_span;

typedef enum md_block_type {
    MD_BLOCK_PARA,    /* a paragraph; a '\n' in its spans is a line break */
    MD_BLOCK_HEADING, /* one line */
    MD_BLOCK_ITEM,    /* a list item: its spans start with the marker and a space */
    MD_BLOCK_CODE,    /* one line of a code block, never re-flowed */
    MD_BLOCK_FENCE,   /* a code block's language label */
} md_block_type;

typedef struct md_block {
    uint32_t span_first, span_count; /* its spans in md_doc.spans */
    uint32_t src_off;  /* start of its first line in the sanitised input */
    uint32_t text_off; /* start of its bytes in md_doc.text */
    uint16_t indent;   /* column of the first line's content (after quote bars;
                          for code, after the 2-column gutter) */
    uint16_t hang;     /* column of continuation lines (under an item's text) */
    uint8_t type;      /* md_block_type */
    uint8_t level;     /* heading: 1..6; item: nesting depth, 0 outermost */
    uint8_t quote;     /* quote depth: a bar at columns 0, 2, .. before content */
    uint8_t blank;     /* 0, or an empty line goes before the block, with
                          blank - 1 quote bars */
} md_block;

/* Glyphs at fixed offsets of md_doc.text, one column each: the quote bar and
 * the replacement for a cluster too wide for the screen. */
#define MD_GLYPH_BAR_OFF 0u
#define MD_GLYPH_BAR_LEN 3u /* U+2502 */
#define MD_GLYPH_REPL_OFF 3u
#define MD_GLYPH_REPL_LEN 3u /* U+FFFD */

#define MD_MAX_DEPTH 8 /* list nesting and quote depth beyond this are flattened */

/* Read the fields; change a doc only through the functions below. */
typedef struct md_doc {
    buf_t text;
    md_block *blocks;
    size_t nblocks, blocks_cap;
    md_span *spans;
    size_t nspans, spans_cap;
    struct md_priv *priv;
} md_doc;

void md_init(md_doc *d);
void md_free(md_doc *d);
/* Back to an empty document. */
void md_reset(md_doc *d);
/* Adds raw, untrusted bytes to the end of the message. O(n). */
void md_append(md_doc *d, const char *s, size_t n);
/* No more bytes will come: a held-back tail is shown (invalid UTF-8 as
 * U+FFFD, a lone CR as its control picture). */
void md_finish(md_doc *d);
/* Brings blocks, spans and text up to date with what was appended. Returns
 * the index of the first block that may have changed (blocks before it are
 * untouched); nblocks when nothing changed. */
size_t md_update(md_doc *d);
/* A whole, finished message: md_reset, md_append, md_finish, md_update. */
void md_parse(md_doc *d, const char *s, size_t n);
/* The sanitised input so far (valid UTF-8, not NUL-terminated). */
const char *md_sanitized(const md_doc *d, size_t *len);

#endif
