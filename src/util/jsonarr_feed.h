/* jsonarr_feed.h: the walk of jsonarr.h over an answer that arrives in
 * pieces.
 *
 * A history of 10,000 messages is megabytes; walked in place (jsonarr.h)
 * the whole answer must be held first. The feed takes the answer as it is
 * received, in pieces cut anywhere, and hands on each element of the list
 * as soon as its last byte has arrived, keeping only the element in
 * progress (and, for the form {key: [...]}, the object around the list).
 *
 * It accepts exactly what jsonarr_open (a bare list, when bare_ok) or
 * jsonarr_open_member (the list as member key) would accept, and hands on
 * the elements jsonarr_next would return, in order. The difference is
 * timing: it cannot know before the end that the whole is well formed, so
 * the elements it hands on are provisional until jsonarr_feed_end says the
 * walk held; a caller that gets false there must discard them. */
#ifndef AIDESK_UTIL_JSONARR_FEED_H
#define AIDESK_UTIL_JSONARR_FEED_H

#include <stdbool.h>
#include <stddef.h>

/* Called with each element (white space around it removed; not
 * NUL-terminated; valid during the call only). Returning false stops the
 * handing on: the feed still checks the answer's shape (as jsonarr_open
 * would) but no longer the punctuation between later elements, as a
 * caller of jsonarr_next that stops calling it. */
typedef bool (*jsonarr_elem_fn)(void *ud, const char *elem, size_t len);

typedef struct jsonarr_feed jsonarr_feed;

/* bare_ok: a bare list is accepted; key (copied; NULL for none): so is an
 * object with that member. */
jsonarr_feed *jsonarr_feed_new(bool bare_ok, const char *key, jsonarr_elem_fn fn, void *ud);
void jsonarr_feed_free(jsonarr_feed *f);

/* The next n bytes of the answer. Once the walk has failed, the rest is
 * ignored (so a caller may stop feeding: see jsonarr_feed_failed). */
void jsonarr_feed_push(jsonarr_feed *f, const char *p, size_t n);

/* Whether the walk has already failed: whatever follows, jsonarr_feed_end
 * will say false. */
bool jsonarr_feed_failed(const jsonarr_feed *f);

/* The answer has ended: true when the walk held (the answer is such a
 * list, and its punctuation was right as far as elements were handed on);
 * false otherwise, the elements handed on then meaning nothing. */
bool jsonarr_feed_end(jsonarr_feed *f);

/* Whether the list is a member of an object (known from the answer's
 * first byte on; the elements' parser starts one level deeper then). */
bool jsonarr_feed_member(const jsonarr_feed *f);

/* After jsonarr_feed_end returned true: for the member form, the answer
 * with the list replaced by [] (NUL-terminated; owned by the feed), else
 * NULL. */
const char *jsonarr_feed_rest(const jsonarr_feed *f, size_t *len);

/* The bytes held now: the element in progress and the object around the
 * list. For the tests' bound on what the walk keeps. */
size_t jsonarr_feed_held(const jsonarr_feed *f);

#endif
