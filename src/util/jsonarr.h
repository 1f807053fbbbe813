/* jsonarr.h: walking a long JSON array one element at a time.
 *
 * A conversation's history is one answer of megabytes; parsed whole, json-c
 * builds a tree about three times its size before a single message is
 * decoded. The walker finds each element's extent with a lexical scan
 * (strings and brackets only) so that the caller can parse the elements
 * one by one with jsonu_parse, which stays the authority on what is valid
 * JSON. The walker checks only the array's own punctuation; whatever
 * surprises it (a trailing comma, garbage after the array, an escaped or
 * repeated key) makes it give up, and the caller then parses the whole
 * answer the ordinary way, which names the problem exactly. Nothing here
 * allocates. */
#ifndef AIDESK_UTIL_JSONARR_H
#define AIDESK_UTIL_JSONARR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct jsonarr {
    const char *s;
    size_t len;
    size_t pos;   /* next byte to look at */
    size_t end;   /* the array's closing bracket */
    size_t index; /* elements returned so far */
    bool done;    /* past the last element */
    bool bad;     /* the punctuation was wrong */
} jsonarr;

/* Opens s[0..len) as a whole array (white space around it allowed).
 * False when it is anything else or its brackets do not balance. */
bool jsonarr_open(jsonarr *it, const char *s, size_t len);

/* Opens the array that is the value of key in the object s[0..len) is.
 * *off and *vlen get the value's extent, so that the caller can check the
 * rest of the object without it. False when s is not such an object, the
 * key is missing, repeated or not an array, or a key is written with
 * escapes (it could spell key). */
bool jsonarr_open_member(jsonarr *it, const char *s, size_t len, const char *key, size_t *off,
                         size_t *vlen);

/* The next element, without the white space around it: 1 with *elem and
 * *elen set, 0 after the last, -1 when the punctuation between elements is
 * wrong (then every later call returns -1 too). */
int jsonarr_next(jsonarr *it, const char **elem, size_t *elen);

#endif
