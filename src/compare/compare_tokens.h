/* compare_tokens.h: counting tokens the way the simulator does.
 *
 * A server that sends no `usage` leaves the client to count. This is the
 * tokenizer of docs/protocol.md section 3.3 (the simulator's
 * sim/aidesksim/tokenizer.py): a token is a newline; a whole emoji sequence
 * (flag pair, keycap, emoji with modifiers, variation selectors, tag
 * characters and ZWJ-joined parts); one CJK character; a run of
 * letters/digits with its one leading space; a run of other whitespace
 * (whose last plain space goes to a following word); or any other single
 * character. It is exact for ASCII, CJK and emoji; for other scripts the
 * letter/mark classes are approximated (Unicode tables are not carried), so
 * counts made here are always reported as approximate. Invalid UTF-8 counts
 * one token per maximal invalid subpart.
 *
 * Pure functions, no allocation. */
#ifndef AIDESK_COMPARE_COMPARE_TOKENS_H
#define AIDESK_COMPARE_COMPARE_TOKENS_H

#include <stddef.h>
#include <stdint.h>

/* Byte length of the token starting at s (len > 0 bytes available); 0 when
 * len is 0. */
size_t compare_token_len(const char *s, size_t len);

/* Number of tokens in s[0..len). */
int64_t compare_token_count(const char *s, size_t len);

/* Tokens of a chat request's messages as the simulator counts
 * prompt_tokens: the tokens of every content plus 4 per message. */
int64_t compare_prompt_tokens(const char *const *contents, size_t n);

/* Counting a text that grows at its end (a streamed reply) without
 * re-reading all of it: only the last two tokens can still change (a word
 * grows, a whitespace run gives its last space to a word, an emoji gains a
 * modifier), so each feed re-reads from the start of the second-to-last
 * token. Zero it to start. */
typedef struct compare_tokcount {
    size_t off;     /* where the unsettled tokens start */
    int64_t stable; /* tokens before off */
    int64_t total;  /* tokens of the whole text as last fed */
} compare_tokcount;

/* text[0..len) is the whole text so far (it only ever grew since the last
 * call). Returns the token count. */
int64_t compare_tokcount_feed(compare_tokcount *t, const char *text, size_t len);

#endif
