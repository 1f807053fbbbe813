/* compare_tokens.c: the simulator's tokenizer in C (see compare_tokens.h). */
#include "config.h"
#include "compare/compare_tokens.h"

#include <stdbool.h>

#include "util/utf8.h"

typedef struct range {
    uint32_t lo, hi;
} range;

static bool in(const range *r, size_t n, uint32_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i].lo && cp <= r[i].hi)
            return true;
    return false;
}

#define IN(tab, cp) in((tab), sizeof(tab) / sizeof *(tab), (cp))

static const range cjk[] = {
    {0x2E80, 0x2FDF}, {0x3001, 0x303F}, {0x3040, 0x30FF}, {0x3100, 0x312F},
    {0x3130, 0x318F}, {0x31F0, 0x31FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
    {0xAC00, 0xD7AF}, {0xF900, 0xFAFF}, {0xFF00, 0xFFEF}, {0x20000, 0x3134F},
};

static const range emoji_base[] = {
    {0xA9, 0xA9},       {0xAE, 0xAE},       {0x203C, 0x203C},   {0x2049, 0x2049},
    {0x2122, 0x2122},   {0x2139, 0x2139},   {0x2194, 0x21AA},   {0x231A, 0x23FF},
    {0x24C2, 0x24C2},   {0x25AA, 0x27BF},   {0x2934, 0x2935},   {0x2B05, 0x2B55},
    {0x3030, 0x3030},   {0x303D, 0x303D},   {0x3297, 0x3297},   {0x3299, 0x3299},
    {0x1F000, 0x1FAFF},
};

static const range emoji_mod[] = {
    {0xFE0E, 0xFE0F}, {0x1F3FB, 0x1F3FF}, {0x20E3, 0x20E3}, {0xE0020, 0xE007F},
};

/* Python's str.isspace. */
static const range spaces[] = {
    {0x09, 0x0D},     {0x1C, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},
    {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
    {0x205F, 0x205F}, {0x3000, 0x3000},
};

/* Above ASCII, what is NOT a letter or digit (Python's str.isalnum),
 * roughly: controls, punctuation, symbols, combining marks, private use.
 * Everything else counts as a letter. */
static const range not_alnum[] = {
    {0x80, 0xA9},     {0xAB, 0xB1},     {0xB4, 0xB4},     {0xB6, 0xB8},
    {0xBB, 0xBB},     {0xBF, 0xBF},     {0xD7, 0xD7},     {0xF7, 0xF7},
    {0x2C2, 0x2C5},   {0x2D2, 0x2DF},   {0x2E5, 0x2EB},   {0x2ED, 0x2ED},
    {0x2EF, 0x36F},   {0x374, 0x375},   {0x37E, 0x37E},   {0x384, 0x385},
    {0x387, 0x387},   {0x3F6, 0x3F6},   {0x482, 0x489},   {0x55A, 0x55F},
    {0x589, 0x58F},   {0x591, 0x5CF},   {0x5F3, 0x61F},   {0x64B, 0x65F},
    {0x66A, 0x66D},   {0x670, 0x670},   {0x6D4, 0x6D4},   {0x6D6, 0x6ED},
    {0x900, 0x903},   {0x93A, 0x93C},   {0x93E, 0x94F},   {0x951, 0x957},
    {0x962, 0x965},   {0x970, 0x970},   {0xE31, 0xE31},   {0xE34, 0xE3F},
    {0xE47, 0xE4F},   {0xE5A, 0xE5B},   {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x1FBD, 0x1FBD}, {0x1FBF, 0x1FC1}, {0x1FCD, 0x1FCF}, {0x1FDD, 0x1FDF},
    {0x1FED, 0x1FEF}, {0x1FFD, 0x206F}, {0x207A, 0x207E}, {0x208A, 0x208F},
    {0x20A0, 0x214F}, {0x218A, 0x245F}, {0x249C, 0x24E9}, {0x2500, 0x2BFF},
    {0x2E00, 0x2E7F}, {0x3000, 0x303F}, {0xD800, 0xF8FF}, {0xFE00, 0xFE6F},
    {0xFEFF, 0xFEFF}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FFFF}, {0xE0000, 0x10FFFF},
};

static bool is_cjk(uint32_t cp)
{
    return cp >= 0x2E80 && IN(cjk, cp);
}

static bool is_space(uint32_t cp)
{
    return IN(spaces, cp);
}

static bool is_word(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp >= 0x300 && cp <= 0x36F)
        return true; /* combining accents join a word */
    if (cp > 0x10FFFF)
        return false; /* an invalid byte */
    return !is_cjk(cp) && !IN(not_alnum, cp);
}

static bool is_ri(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* A cursor over code points. */
typedef struct cur {
    const char *s;
    size_t len;
} cur;

/* The code point at byte offset off and its length; 0 at the end. */
static size_t at(const cur *c, size_t off, uint32_t *cp)
{
    if (off >= c->len) {
        *cp = 0;
        return 0;
    }
    bool ok;
    size_t n = utf8_decode(c->s + off, c->len - off, cp, &ok);
    if (!ok)
        *cp = 0xFFFFFFFFu; /* an invalid byte: an "other" character */
    return n;
}

/* A keycap starts at off: [0-9#*] U+FE0F? U+20E3. Returns its length or 0. */
static size_t keycap(const cur *c, size_t off)
{
    uint32_t cp;
    size_t n = at(c, off, &cp);
    if (!n || !((cp >= '0' && cp <= '9') || cp == '#' || cp == '*'))
        return 0;
    size_t p = off + n;
    size_t m = at(c, p, &cp);
    if (m && cp == 0xFE0F) {
        p += m;
        m = at(c, p, &cp);
    }
    return m && cp == 0x20E3 ? p + m - off : 0;
}

/* A word starts at off: not a keycap, and a letter or digit. */
static bool word_starts(const cur *c, size_t off)
{
    uint32_t cp;
    return at(c, off, &cp) && is_word(cp) && !keycap(c, off);
}

static size_t word_run(const cur *c, size_t off)
{
    uint32_t cp;
    size_t n;
    while ((n = at(c, off, &cp)) && is_word(cp))
        off += n;
    return off;
}

static size_t emoji_mods(const cur *c, size_t off)
{
    uint32_t cp;
    size_t n;
    while ((n = at(c, off, &cp)) && IN(emoji_mod, cp))
        off += n;
    return off;
}

size_t compare_token_len(const char *s, size_t len)
{
    cur c = {s, len};
    uint32_t cp, cp2;
    size_t n = at(&c, 0, &cp);
    if (!n)
        return 0;
    if (cp == '\n')
        return 1;
    /* Emoji: a flag, a keycap, or a base with modifiers and ZWJ parts. */
    size_t n2 = at(&c, n, &cp2);
    if (is_ri(cp) && n2 && is_ri(cp2))
        return n + n2;
    size_t k = keycap(&c, 0);
    if (k)
        return k;
    if (IN(emoji_base, cp)) {
        size_t p = emoji_mods(&c, n);
        for (;;) {
            uint32_t z, b;
            size_t zn = at(&c, p, &z);
            if (!zn || z != 0x200D)
                break;
            size_t bn = at(&c, p + zn, &b);
            if (!bn || !IN(emoji_base, b))
                break;
            p = emoji_mods(&c, p + zn + bn);
        }
        return p;
    }
    if (is_cjk(cp))
        return n;
    /* A word, with its one leading space. */
    if (cp == ' ' && word_starts(&c, n))
        return word_run(&c, n);
    if (word_starts(&c, 0))
        return word_run(&c, 0);
    /* Other whitespace: as short as possible, up to a non-space, a newline,
     * the end, or a plain space that leads a word. */
    if (is_space(cp)) {
        size_t p = n;
        for (;;) {
            uint32_t q;
            size_t qn = at(&c, p, &q);
            if (!qn || !is_space(q) || q == '\n')
                return p;
            if (q == ' ' && word_starts(&c, p + qn))
                return p;
            p += qn;
        }
    }
    return n;
}

int64_t compare_token_count(const char *s, size_t len)
{
    int64_t count = 0;
    size_t off = 0;
    while (off < len) {
        off += compare_token_len(s + off, len - off);
        count++;
    }
    return count;
}

int64_t compare_prompt_tokens(const char *const *contents, size_t n)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = contents[i] ? contents[i] : "";
        size_t len = 0;
        while (s[len])
            len++;
        total += compare_token_count(s, len) + 4;
    }
    return total;
}

int64_t compare_tokcount_feed(compare_tokcount *t, const char *text, size_t len)
{
    if (t->off > len) { /* not the same text: start over */
        t->off = 0;
        t->stable = 0;
    }
    size_t prev = t->off, last = t->off, off = t->off;
    int64_t k = 0;
    while (off < len) {
        prev = last;
        last = off;
        off += compare_token_len(text + off, len - off);
        k++;
    }
    t->total = t->stable + k;
    if (k >= 2) {
        t->stable += k - 2;
        t->off = prev;
    }
    return t->total;
}
