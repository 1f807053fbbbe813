/* theme_style.c: the style table and style values: parsing, formatting and
 * picking colours for a terminal (theme.h). */
#include "config.h"
#include "config/theme.h"
#include "config/theme_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* ------------------------------------------------------------ the table */

static const char *const style_names[THEME_N_STYLES] = {
#define THEME_NAME_(id, key, help) [THEME_##id] = key,
    THEME_STYLES(THEME_NAME_)
#undef THEME_NAME_
};

static const char *const style_helps[THEME_N_STYLES] = {
#define THEME_HELP_(id, key, help) [THEME_##id] = help,
    THEME_STYLES(THEME_HELP_)
#undef THEME_HELP_
};

size_t theme_style_count(void)
{
    return THEME_N_STYLES;
}

const char *theme_style_name(size_t i)
{
    return i < THEME_N_STYLES ? style_names[i] : NULL;
}

const char *theme_style_help(size_t i)
{
    return i < THEME_N_STYLES ? style_helps[i] : NULL;
}

int theme_style_index(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < THEME_N_STYLES; i++)
        if (!strcmp(style_names[i], name))
            return (int)i;
    return -1;
}

/* -------------------------------------------------------------- colours */

static const char *const colour_names[8] = {"black", "red",     "green", "yellow",
                                            "blue",  "magenta", "cyan",  "white"};

static const struct {
    const char *name;
    unsigned flag;
} attr_names[] = {
    {"bold", THEME_ATTR_BOLD},         {"dim", THEME_ATTR_DIM},
    {"italic", THEME_ATTR_ITALIC},     {"underline", THEME_ATTR_UNDERLINE},
    {"reverse", THEME_ATTR_REVERSE},   {"blink", THEME_ATTR_BLINK},
    {"standout", THEME_ATTR_STANDOUT},
};
#define N_ATTRS (sizeof attr_names / sizeof attr_names[0])

/* xterm's default red, green and blue for colour i (0-255). */
static void colour_rgb(int i, int rgb[3])
{
    static const unsigned char base[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    if (i < 16) {
        for (int k = 0; k < 3; k++)
            rgb[k] = base[i][k];
    } else if (i < 232) {
        int c = i - 16;
        rgb[0] = level[c / 36];
        rgb[1] = level[(c / 6) % 6];
        rgb[2] = level[c % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
    }
}

/* The nearest of the sixteen to a colour of the 256. */
static short nearest16(int c)
{
    int want[3];
    colour_rgb(c, want);
    int best = 0;
    long best_d = -1;
    for (int i = 0; i < 16; i++) {
        int have[3];
        colour_rgb(i, have);
        long d = 0;
        for (int k = 0; k < 3; k++)
            d += (long)(want[k] - have[k]) * (want[k] - have[k]);
        if (best_d < 0 || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return (short)best;
}

char *theme_shown(const char *s)
{
    return sanitize_dup(s, strlen(s), 0);
}

static char *msgf_tok(const char *fmt, const char *tok)
{
    char *t = theme_shown(tok);
    char *m = xasprintf(fmt, t);
    free(t);
    return m;
}

/* One colour without '/'. Returns 0, or -1 with *err set. */
static int parse_colour1(const char *s, short *out, char **err)
{
    if (!strcasecmp(s, "default")) {
        *out = THEME_COLOUR_DEFAULT;
        return 0;
    }
    if (*s >= '0' && *s <= '9') {
        long v = 0;
        const char *p = s;
        while (*p >= '0' && *p <= '9' && v <= 255)
            v = v * 10 + (*p++ - '0');
        if (*p == '\0' && v <= 255) {
            *out = (short)v;
            return 0;
        }
        if (*p == '\0' || (*p >= '0' && *p <= '9')) {
            *err = msgf_tok("colour %s is out of range (0-255)", s);
            return -1;
        }
    }
    const char *name = s;
    int add = 0;
    if (!strncasecmp(s, "bright", 6)) {
        name = s + 6;
        add = 8;
    }
    for (int i = 0; i < 8; i++) {
        if (!strcasecmp(name, colour_names[i])) {
            *out = (short)(i + add);
            return 0;
        }
    }
    *err = msgf_tok("unknown colour '%s'", s);
    return -1;
}

/* A colour token: VALUE or VALUE/FALLBACK. Returns 0, or -1 with *err. */
static int parse_colour(const char *tok, theme_colour *out, char **err)
{
    const char *slash = strchr(tok, '/');
    if (!slash) {
        short v;
        if (parse_colour1(tok, &v, err) != 0)
            return -1;
        out->value = v;
        out->fallback = v < 16 ? v : nearest16(v);
        return 0;
    }
    if (strchr(slash + 1, '/')) {
        *err = msgf_tok("bad colour '%s' (one fallback at most: VALUE/FALLBACK)", tok);
        return -1;
    }
    if (slash == tok || slash[1] == '\0') {
        *err = msgf_tok("bad colour '%s' (write VALUE/FALLBACK, as in 208/yellow)", tok);
        return -1;
    }
    char *head = xstrndup(tok, (size_t)(slash - tok));
    short v, fb;
    int rc = parse_colour1(head, &v, err);
    free(head);
    if (rc != 0)
        return -1;
    if (parse_colour1(slash + 1, &fb, err) != 0)
        return -1;
    if (v == THEME_COLOUR_DEFAULT) {
        *err = msgf_tok("bad colour '%s' ('default' needs no fallback)", tok);
        return -1;
    }
    if (fb > 15) {
        *err = msgf_tok("bad colour '%s' (a fallback is 0-15, a colour name or 'default')", tok);
        return -1;
    }
    out->value = v;
    out->fallback = fb;
    return 0;
}

static bool parse_attr(const char *tok, unsigned *flags)
{
    for (size_t i = 0; i < N_ATTRS; i++) {
        if (!strcasecmp(tok, attr_names[i].name)) {
            *flags |= attr_names[i].flag;
            return true;
        }
    }
    return false;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int theme_parse_style(const char *value, theme_style *out, char **err)
{
    theme_style st = {{THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT},
                      {THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT},
                      0};
    char *msg = NULL;
    int ntok = 0;
    bool in_attrs = false;
    const char *p = value ? value : "";
    for (;;) {
        while (is_blank(*p))
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && !is_blank(*p))
            p++;
        char *tok = xstrndup(start, (size_t)(p - start));
        ntok++;
        if (ntok == 1) {
            unsigned ignored = 0;
            if (parse_attr(tok, &ignored)) {
                msg = msgf_tok("a style starts with its colour, not '%s' (as in: default "
                               "default bold)",
                               tok);
            } else {
                char *why = NULL;
                if (parse_colour(tok, &st.fg, &why) != 0)
                    msg = why;
            }
        } else if (ntok == 2 && !parse_attr(tok, &st.attrs)) {
            char *why = NULL;
            if (parse_colour(tok, &st.bg, &why) != 0) {
                if (!strchr(tok, '/') && strncmp(why, "colour ", 7) != 0) {
                    free(why);
                    why = msgf_tok("unknown colour or attribute '%s'", tok);
                }
                msg = why;
            }
        } else if (ntok == 2) {
            in_attrs = true;
        } else if (!parse_attr(tok, &st.attrs)) {
            theme_colour ignored;
            char *why = NULL;
            if (parse_colour(tok, &ignored, &why) == 0)
                msg = msgf_tok(in_attrs ? "colour '%s' after an attribute (write FG [BG] "
                                          "[attribute ...])"
                                        : "a third colour '%s' (write FG [BG] [attribute ...])",
                               tok);
            else
                msg = msgf_tok("unknown attribute '%s' (known: bold dim italic underline "
                               "reverse blink standout)",
                               tok);
            free(why);
        } else {
            in_attrs = true;
        }
        free(tok);
        if (msg)
            break;
    }
    if (!msg && ntok == 0)
        msg = xstrdup("empty style (write FG [BG] [attribute ...], as in: 114/green default bold)");
    if (msg) {
        if (err)
            *err = msg;
        else
            free(msg);
        return -1;
    }
    *out = st;
    return 0;
}

static void format_colour(buf_t *b, theme_colour c)
{
    if (c.value == THEME_COLOUR_DEFAULT) {
        buf_append_str(b, "default");
        return;
    }
    if (c.value < 16) {
        buf_printf(b, "%s%s", c.value >= 8 ? "bright" : "", colour_names[c.value & 7]);
        if (c.fallback == c.value)
            return;
    } else {
        buf_printf(b, "%d", c.value);
    }
    if (c.fallback == THEME_COLOUR_DEFAULT)
        buf_append_str(b, "/default");
    else
        buf_printf(b, "/%s%s", c.fallback >= 8 ? "bright" : "", colour_names[c.fallback & 7]);
}

char *theme_format_style(const theme_style *s)
{
    buf_t b = BUF_INIT;
    format_colour(&b, s->fg);
    buf_append_char(&b, ' ');
    format_colour(&b, s->bg);
    for (size_t i = 0; i < N_ATTRS; i++)
        if (s->attrs & attr_names[i].flag)
            buf_printf(&b, " %s", attr_names[i].name);
    return buf_steal(&b);
}

bool theme_style_equal(const theme_style *a, const theme_style *b)
{
    return a->fg.value == b->fg.value && a->fg.fallback == b->fg.fallback &&
           a->bg.value == b->bg.value && a->bg.fallback == b->bg.fallback && a->attrs == b->attrs;
}

short theme_colour_pick(theme_colour c, int ncolours)
{
    if (ncolours >= 256)
        return c.value;
    if (ncolours >= 16)
        return c.fallback;
    if (ncolours >= 8)
        return c.fallback >= 8 ? (short)(c.fallback - 8) : c.fallback;
    return THEME_COLOUR_DEFAULT;
}

theme_resolved theme_resolve(const theme_style *s, int ncolours)
{
    theme_resolved r = {theme_colour_pick(s->fg, ncolours), theme_colour_pick(s->bg, ncolours),
                        s->attrs};
    if (ncolours < 8) {
        if (s->bg.value != THEME_COLOUR_DEFAULT)
            r.attrs |= THEME_ATTR_REVERSE;
        return r;
    }
    if (ncolours < 16 && s->fg.fallback == 8) {
        r.fg = THEME_COLOUR_DEFAULT;
        r.attrs |= THEME_ATTR_DIM;
    }
    if (r.fg != THEME_COLOUR_DEFAULT && r.fg == r.bg)
        r.fg = THEME_COLOUR_DEFAULT;
    return r;
}
