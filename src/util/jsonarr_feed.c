/* jsonarr_feed.c: jsonarr's walk, one byte at a time. Each state mirrors
 * a step of jsonarr.c (whole_value, jsonarr_open_member's loop over the
 * members, jsonarr_next), so that the two accept and return the same; a
 * differential test feeds both every answer cut at every byte. */
#include "config.h"
#include "util/jsonarr_feed.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

typedef enum {
    S_LEAD,      /* white space before the answer */
    S_KEY_FIRST, /* after the object's '{' */
    S_KEY,       /* inside a key */
    S_COLON,     /* after a key */
    S_VALUE,     /* after a key's ':' */
    S_SKIP_BR,   /* inside another member's bracketed value */
    S_SKIP_STR,  /* inside another member's string */
    S_SKIP_WORD, /* inside another member's bare word (a number, true...) */
    S_AFTER,     /* after a member's value */
    S_KEY_NEXT,  /* after a ',' between members */
    S_LIST,      /* inside the list */
    S_TRAIL,     /* white space after the answer */
    S_FAILED,
} fstate;

struct jsonarr_feed {
    fstate st;
    bool bare_ok;
    char *key;
    jsonarr_elem_fn fn;
    void *ud;
    bool member;    /* the list is a member of an object */
    bool found;     /* the member list was seen */
    bool key_match; /* the key just read is key */
    size_t key_len; /* bytes of the key read so far */
    bool in_str, esc;
    size_t depth;   /* brackets open inside the list or a skipped value */
    size_t index;   /* elements handed on */
    bool stopped;   /* the caller wants no more elements */
    bool punct_bad; /* jsonarr_next would have returned -1 */
    buf_t elem;     /* the element in progress, from its first non-blank byte */
    buf_t rest;     /* member form: the answer without the list's elements */
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

jsonarr_feed *jsonarr_feed_new(bool bare_ok, const char *key, jsonarr_elem_fn fn, void *ud)
{
    jsonarr_feed *f = xcalloc(1, sizeof *f);
    f->bare_ok = bare_ok;
    f->key = key ? xstrdup(key) : NULL;
    f->fn = fn;
    f->ud = ud;
    buf_init(&f->elem);
    buf_init(&f->rest);
    return f;
}

void jsonarr_feed_free(jsonarr_feed *f)
{
    if (!f)
        return;
    free(f->key);
    buf_free(&f->elem);
    buf_free(&f->rest);
    free(f);
}

bool jsonarr_feed_failed(const jsonarr_feed *f)
{
    return f->st == S_FAILED || (f->punct_bad && !f->stopped);
}

/* The element in progress is complete (a ',' or the list's end): hand it
 * on, as jsonarr_next returns it. last: the list's closing bracket. */
static void element_end(jsonarr_feed *f, bool last)
{
    size_t n = f->elem.len;
    while (n > 0 && is_ws(f->elem.data[n - 1]))
        n--;
    if (!f->stopped && !f->punct_bad) {
        if (n == 0) {
            /* "[]" is empty; "[,", "[1,]" and "[1,,2]" are not JSON. */
            if (!last || f->index > 0)
                f->punct_bad = true;
        } else {
            f->index++;
            if (!f->fn(f->ud, f->elem.data, n))
                f->stopped = true;
        }
    }
    buf_clear(&f->elem);
}

/* One byte inside a string (its opening quote already read): false when
 * it is the closing quote. */
static bool str_byte(jsonarr_feed *f, char c)
{
    if (f->esc)
        f->esc = false;
    else if (c == '\\')
        f->esc = true;
    else if (c == '"')
        return false;
    return true;
}

/* One byte inside the list. Brackets of either kind count alike, as in
 * jsonarr.c: a mismatched pair inside an element is its parser's to
 * reject. */
static void list_byte(jsonarr_feed *f, char c)
{
    if (f->in_str) {
        f->in_str = str_byte(f, c);
    } else if (f->depth == 0 && (c == ']' || c == '}')) {
        element_end(f, true);
        if (c != ']') {
            f->st = S_FAILED;
        } else if (f->member) {
            f->found = true;
            f->st = S_AFTER;
        } else {
            f->st = S_TRAIL;
        }
        return;
    } else if (f->depth == 0 && c == ',') {
        element_end(f, false);
        return;
    } else if (c == '"') {
        f->in_str = true;
    } else if (c == '[' || c == '{') {
        f->depth++;
    } else if (c == ']' || c == '}') {
        f->depth--;
    } else if (f->elem.len == 0 && is_ws(c)) {
        return; /* before the element */
    }
    /* Once the walk has failed, or the caller has stopped, the elements'
     * bytes matter no more: only where the list ends does. */
    if (!f->stopped && !f->punct_bad)
        buf_append_char(&f->elem, c);
}

/* The first byte of a member's value (not white space). */
static void value_start(jsonarr_feed *f, char c)
{
    if (f->key_match) {
        /* Only one list, and it must be a list. */
        if (f->found || c != '[') {
            f->st = S_FAILED;
            return;
        }
        buf_append_str(&f->rest, "[]");
        f->depth = 0;
        f->in_str = f->esc = false;
        f->st = S_LIST;
        return;
    }
    buf_append_char(&f->rest, c);
    if (c == '[' || c == '{') {
        f->depth = 1;
        f->in_str = f->esc = false;
        f->st = S_SKIP_BR;
    } else if (c == '"') {
        f->esc = false;
        f->st = S_SKIP_STR;
    } else if (c == ',' || c == '}' || c == ']') {
        f->st = S_FAILED; /* no value at all */
    } else {
        f->st = S_SKIP_WORD;
    }
}

static void byte(jsonarr_feed *f, char c)
{
    switch (f->st) {
    case S_LEAD:
        if (is_ws(c)) {
            /* nothing to keep */
        } else if (c == '[' && f->bare_ok) {
            f->st = S_LIST;
        } else if (c == '{' && f->key) {
            f->member = true;
            buf_append_char(&f->rest, c);
            f->st = S_KEY_FIRST;
        } else {
            f->st = S_FAILED;
        }
        return;
    case S_KEY_FIRST:
    case S_KEY_NEXT:
        if (!is_ws(c) && c != '"') {
            f->st = S_FAILED; /* "{}" has no list; "{...,}" is not JSON */
            return;
        }
        buf_append_char(&f->rest, c);
        if (c == '"') {
            f->key_match = true;
            f->key_len = 0;
            f->st = S_KEY;
        }
        return;
    case S_KEY:
        buf_append_char(&f->rest, c);
        if (c == '\\') {
            f->st = S_FAILED; /* a key with escapes could spell key */
        } else if (c == '"') {
            f->key_match = f->key_match && f->key[f->key_len] == '\0';
            f->st = S_COLON;
        } else {
            f->key_match = f->key_match && f->key[f->key_len] == c;
            if (f->key_match)
                f->key_len++;
        }
        return;
    case S_COLON:
        buf_append_char(&f->rest, c);
        if (c == ':')
            f->st = S_VALUE;
        else if (!is_ws(c))
            f->st = S_FAILED;
        return;
    case S_VALUE:
        if (is_ws(c))
            buf_append_char(&f->rest, c);
        else
            value_start(f, c);
        return;
    case S_SKIP_BR:
        buf_append_char(&f->rest, c);
        if (f->in_str) {
            f->in_str = str_byte(f, c);
        } else if (c == '"') {
            f->in_str = true;
        } else if (c == '[' || c == '{') {
            f->depth++;
        } else if ((c == ']' || c == '}') && --f->depth == 0) {
            f->st = S_AFTER;
        }
        return;
    case S_SKIP_STR:
        buf_append_char(&f->rest, c);
        if (!str_byte(f, c))
            f->st = S_AFTER;
        return;
    case S_SKIP_WORD:
        if (!is_ws(c) && c != ',' && c != '}' && c != ']') {
            buf_append_char(&f->rest, c);
            return;
        }
        f->st = S_AFTER;
        byte(f, c); /* the byte that ended the word comes after it */
        return;
    case S_AFTER:
        buf_append_char(&f->rest, c);
        if (c == ',')
            f->st = S_KEY_NEXT;
        else if (c == '}')
            f->st = f->found ? S_TRAIL : S_FAILED; /* no list, no walk */
        else if (!is_ws(c))
            f->st = S_FAILED; /* "]" closes the object wrongly; anything else is no ',' */
        return;
    case S_LIST:
        list_byte(f, c);
        return;
    case S_TRAIL:
        if (!is_ws(c))
            f->st = S_FAILED; /* more after the answer */
        return;
    case S_FAILED:
        return;
    }
}

void jsonarr_feed_push(jsonarr_feed *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n && f->st != S_FAILED; i++)
        byte(f, p[i]);
}

bool jsonarr_feed_end(jsonarr_feed *f)
{
    if (f->st != S_TRAIL)
        f->st = S_FAILED; /* cut short, or never a list */
    return !jsonarr_feed_failed(f);
}

bool jsonarr_feed_member(const jsonarr_feed *f)
{
    return f->member;
}

const char *jsonarr_feed_rest(const jsonarr_feed *f, size_t *len)
{
    if (!f->member || f->st != S_TRAIL)
        return NULL;
    *len = f->rest.len;
    return buf_cstr(&f->rest);
}

size_t jsonarr_feed_held(const jsonarr_feed *f)
{
    return f->elem.cap + f->rest.cap;
}
