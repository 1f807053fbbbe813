/* snippet.h: the pieces of a conversation a person copies: the last
 * answer, and the code blocks in it.
 *
 * The last answer is the newest message from the AI or a human agent that
 * has text (a note is not one; a reply still streaming is, as far as it
 * got). Code blocks are the fenced blocks of its markdown, found by the
 * same parser that draws them (text/md.h), so what a person sees as block
 * N is block N here. A block's text is its lines as written, without the
 * fences and without the fence's own indentation, tabs kept; like all
 * copied text it is sanitised (util/sanitize.h: escape sequences and
 * other controls become visible, newlines and tabs stay), because a
 * clipboard ends up pasted into terminals.
 *
 * Pure functions; no I/O. */
#ifndef AIDESK_MODEL_SNIPPET_H
#define AIDESK_MODEL_SNIPPET_H

#include <stddef.h>

#include "model/model.h"

/* The last answer in c (see above), or NULL when there is none. */
const msg *snip_last_answer(const conv *c);

typedef struct snip_block {
    char *lang; /* the fence's language word ("python"), or NULL */
    char *text; /* the code, sanitised, each line ending in '\n' */
} snip_block;

typedef struct snip_blocks {
    snip_block *v;
    size_t n;
} snip_blocks;

/* The fenced code blocks of text[0..len), in order. An unclosed fence
 * runs to the end (as it is drawn). Release with snip_blocks_clear. */
void snip_code_blocks(const char *text, size_t len, snip_blocks *out);
void snip_blocks_clear(snip_blocks *b);

/* The whole of text[0..len) as copied: sanitised, newlines and tabs kept.
 * Caller frees. */
char *snip_copy_text(const char *text, size_t len);

/* A file extension for a fence's language (".py" for python, ".sh" for
 * sh/bash/shell, ...; ".txt" for anything else or NULL). */
const char *snip_lang_ext(const char *lang);

#endif
