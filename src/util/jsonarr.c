#include "config.h"
#include "util/jsonarr.h"

#include <string.h>

#define NPOS ((size_t)-1)

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && is_ws(s[i]))
        i++;
    return i;
}

/* s[i] is '"': the index after the closing quote, or NPOS. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return NPOS;
}

/* s[i] is '[' or '{': the index of the bracket that closes it, or NPOS.
 * Brackets of either kind count alike: a mismatched pair is for the
 * element's parser to reject. */
static size_t match_close(const char *s, size_t len, size_t i)
{
    size_t depth = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, len, i);
            if (i == NPOS)
                return NPOS;
            continue;
        }
        if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (--depth == 0)
                return i;
        }
        i++;
    }
    return NPOS;
}

/* The end of the value starting at s[i] (exclusive), within s[0..limit):
 * a bracketed value or string whole, a bare word up to punctuation or
 * white space. NPOS when it does not end in time. */
static size_t value_end(const char *s, size_t limit, size_t i)
{
    if (i >= limit)
        return NPOS;
    if (s[i] == '[' || s[i] == '{') {
        size_t c = match_close(s, limit, i);
        return c == NPOS ? NPOS : c + 1;
    }
    if (s[i] == '"')
        return skip_string(s, limit, i);
    size_t j = i;
    while (j < limit && !is_ws(s[j]) && s[j] != ',' && s[j] != '}' && s[j] != ']')
        j++;
    return j == i ? NPOS : j;
}

static void start(jsonarr *it, const char *s, size_t len, size_t open, size_t close)
{
    it->s = s;
    it->len = len;
    it->pos = open + 1;
    it->end = close;
    it->index = 0;
    it->done = false;
    it->bad = false;
}

/* s[0..len) is one bracketed value, open ... close, with white space
 * around it: the index of its opening bracket (*close gets the closing
 * one's), or NPOS. */
static size_t whole_value(const char *s, size_t len, char open, char close_ch, size_t *close)
{
    size_t i = skip_ws(s, len, 0);
    if (i >= len || s[i] != open)
        return NPOS;
    *close = match_close(s, len, i);
    if (*close == NPOS || s[*close] != close_ch || skip_ws(s, len, *close + 1) != len)
        return NPOS;
    return i;
}

bool jsonarr_open(jsonarr *it, const char *s, size_t len)
{
    size_t close, open = whole_value(s, len, '[', ']', &close);
    if (open == NPOS)
        return false;
    start(it, s, len, open, close);
    return true;
}

bool jsonarr_open_member(jsonarr *it, const char *s, size_t len, const char *key, size_t *off,
                         size_t *vlen)
{
    size_t close, i = whole_value(s, len, '{', '}', &close);
    if (i == NPOS)
        return false;
    size_t klen = strlen(key), found = NPOS, found_end = 0;
    i = skip_ws(s, close, i + 1);
    if (i == close)
        return false;
    for (;;) {
        if (i >= close || s[i] != '"')
            return false;
        size_t kend = skip_string(s, close, i);
        if (kend == NPOS || memchr(s + i + 1, '\\', kend - i - 2))
            return false;
        bool match = kend - i - 2 == klen && !memcmp(s + i + 1, key, klen);
        i = skip_ws(s, close, kend);
        if (i >= close || s[i] != ':')
            return false;
        size_t v = skip_ws(s, close, i + 1);
        size_t ve = value_end(s, close, v);
        if (ve == NPOS)
            return false;
        if (match) {
            if (found != NPOS || s[v] != '[' || s[ve - 1] != ']')
                return false;
            found = v;
            found_end = ve;
        }
        i = skip_ws(s, close, ve);
        if (i == close)
            break;
        if (s[i] != ',')
            return false;
        i = skip_ws(s, close, i + 1);
    }
    if (found == NPOS)
        return false;
    start(it, s, len, found, found_end - 1);
    *off = found;
    *vlen = found_end - found;
    return true;
}

int jsonarr_next(jsonarr *it, const char **elem, size_t *elen)
{
    if (it->bad)
        return -1;
    if (it->done)
        return 0;
    const char *s = it->s;
    size_t i = skip_ws(s, it->end, it->pos);
    if (i == it->end) {
        /* "[]" is empty; "[1,]" is not JSON. */
        it->done = true;
        if (it->index == 0)
            return 0;
        it->bad = true;
        return -1;
    }
    size_t b = i, depth = 0;
    while (i < it->end) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, it->end, i);
            if (i == NPOS)
                break;
            continue;
        }
        if (depth == 0 && c == ',')
            break;
        if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (depth == 0)
                break;
            depth--;
        }
        i++;
    }
    size_t e = i == NPOS ? b : i;
    while (e > b && is_ws(s[e - 1]))
        e--;
    if (i == NPOS || e == b || depth != 0 || (i < it->end && s[i] != ',')) {
        it->bad = true;
        return -1;
    }
    if (i == it->end)
        it->done = true;
    else
        it->pos = i + 1;
    *elem = s + b;
    *elen = e - b;
    it->index++;
    return 1;
}
