/* md_priv.h: what md.c, md_block.c and md_inline.c share. Not for use
 * outside src/text/md*.c. */
#ifndef AIDESK_TEXT_MD_PRIV_H
#define AIDESK_TEXT_MD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/md.h"
#include "util/buf.h"

/* Byte flags of the block being parsed (md_priv.attr). */
enum {
    MDA_PH = 1 << 0,     /* a placeholder from sanitising */
    MDA_HIDE = 1 << 1,   /* markup that is not shown */
    MDA_CODE = 1 << 2,   /* inline code */
    MDA_LINK = 1 << 3,   /* link text */
    MDA_URL = 1 << 4,    /* "(url)" of a link */
    MDA_LIT = 1 << 5,    /* escaped by a backslash: never markup */
    MDA_EMPH = 1 << 6,   /* set from the counters when spans are made */
    MDA_STRONG = 1 << 7,
};

/* A placeholder in the sanitised input. */
typedef struct md_ph {
    uint32_t off, len;
} md_ph;

typedef struct md_level {
    uint16_t src_marker;   /* source column of the marker */
    uint16_t src_content;  /* source column of the item's text */
    uint16_t disp_content; /* display column of the item's text */
} md_level;

/* Everything the line parser knows between lines. Saved for every block as
 * it was before the block's first line, so parsing can restart there. */
typedef struct md_state {
    md_level list[MD_MAX_DEPTH];
    uint8_t depth;   /* open list levels */
    uint8_t quote;   /* quote depth of the last non-blank line */
    uint8_t blank;   /* a blank line is pending: 1 + its quote depth */
    uint8_t started; /* a block exists (no empty line before the first) */
    uint8_t open;    /* a paragraph or item that a line may continue */
    uint16_t hang;   /* and the column its continuation lines start at */
    uint8_t fence;   /* inside a code block: '`' or '~', else 0 */
    uint16_t fence_indent; /* source indent of the fence, stripped from code */
    uint16_t fence_col;    /* display column of the code block's gutter */
    uint32_t fence_len;
} md_state;

typedef struct md_delim {
    uint32_t start, len, orig; /* unused part of the run; its full length */
    int32_t prev;              /* previous delimiter still in play, or -1 */
    char ch;
    bool open, close;
} md_delim;

typedef struct md_bracket {
    uint32_t pos;
    uint32_t delim; /* delimiters before it */
    bool active;
} md_bracket;

struct md_priv {
    buf_t san;  /* sanitised input */
    buf_t tail; /* raw bytes held back: a partial character, a CR or a ZWJ */
    bool after_pict; /* the last character sanitised may start an emoji ZWJ sequence */
    md_ph *ph;
    size_t nph, ph_cap;
    md_state *states; /* per block */
    size_t states_cap;
    size_t parsed_len; /* san.len at the last update */
    size_t line_start; /* where the last line began at the last update */
    bool last_open;    /* whether a block was open to continuation then */
    bool finished;

    /* The line parser. */
    md_state st;
    bool pending;      /* the last block takes lines; inline parse when it ends */
    uint32_t content;  /* where its content starts in text */
    uint32_t check_at; /* content size at which to try splitting it */

    /* Inline parsing of one block: flags per content byte, emphasis and
     * strength counters (difference arrays), delimiters and brackets. */
    uint8_t *attr;
    size_t attr_cap;
    int32_t *em, *sg;
    size_t count_cap;
    md_delim *delims;
    size_t ndelims, delims_cap;
    md_bracket *brackets;
    size_t nbrackets, brackets_cap;
};

/* md_block.c: parses san from pos to its end, appending blocks. */
void md_parse_lines(md_doc *d, size_t pos);
/* Ends the open paragraph or item (inline parse, spans). */
void md_close_open(md_doc *d);

/* md_inline.c: parses text[from, text.len) (flags in priv->attr, indexed
 * from `from`) and appends its spans with the given base kind; a dry run
 * changes nothing. Returns whether the text is closed: no delimiter,
 * bracket or backtick run left that text after it could still match, so
 * that what follows cannot change its spans. */
bool md_inline(md_doc *d, uint32_t from, uint8_t base_kind, bool dry);
/* Appends spans for text[from, text.len) as literal text of one kind,
 * splitting out placeholders: for code. */
void md_plain(md_doc *d, uint32_t from, uint8_t kind);
/* Appends a span (merging with the previous one when contiguous and alike). */
void md_add_span(md_doc *d, uint32_t off, uint32_t len, uint8_t kind, uint8_t attr);

#endif
