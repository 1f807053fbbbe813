/* theme.c: the style table, style values, theme files and inheritance, as
 * described in theme.h. The built-in themes are in theme_builtin.c. */
#include "config.h"
#include "config/theme.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/ini.h"
#include "config/xdg.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* How many themes one may inherit through, counting itself. */
#define THEME_MAX_DEPTH 8
#define THEME_NAME_MAX 64

struct theme {
    char *name;
    char *path; /* NULL for a built-in */
    theme_style styles[THEME_N_STYLES];
};

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

static char *shown(const char *s)
{
    return sanitize_dup(s, strlen(s), 0);
}

static char *msgf_tok(const char *fmt, const char *tok)
{
    char *t = shown(tok);
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

/* --------------------------------------------------------------- themes */

static theme_t *theme_new(const char *name, const char *path)
{
    theme_t *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    t->path = path ? xstrdup(path) : NULL;
    for (size_t i = 0; i < THEME_N_STYLES; i++) {
        t->styles[i].fg.value = t->styles[i].fg.fallback = THEME_COLOUR_DEFAULT;
        t->styles[i].bg.value = t->styles[i].bg.fallback = THEME_COLOUR_DEFAULT;
    }
    return t;
}

void theme_free(theme_t *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->path);
    free(t);
}

theme_t *theme_from_values(const char *name, const char *const values[THEME_N_STYLES], char **err)
{
    theme_t *t = theme_new(name, NULL);
    for (size_t i = 0; i < THEME_N_STYLES; i++) {
        if (!values[i])
            continue;
        char *why = NULL;
        if (theme_parse_style(values[i], &t->styles[i], &why) != 0) {
            if (err)
                *err = xasprintf("%s: %s", style_names[i], why);
            free(why);
            theme_free(t);
            return NULL;
        }
    }
    return t;
}

const char *theme_name(const theme_t *t)
{
    return t->name;
}

const char *theme_path(const theme_t *t)
{
    return t->path;
}

const theme_style *theme_get(const theme_t *t, int idx)
{
    if (idx < 0 || idx >= THEME_N_STYLES)
        idx = THEME_DEFAULT;
    return &t->styles[idx];
}

bool theme_uses_colour(const theme_t *t)
{
    for (size_t i = 0; i < THEME_N_STYLES; i++) {
        const theme_style *s = &t->styles[i];
        if (s->fg.value != THEME_COLOUR_DEFAULT || s->fg.fallback != THEME_COLOUR_DEFAULT ||
            s->bg.value != THEME_COLOUR_DEFAULT || s->bg.fallback != THEME_COLOUR_DEFAULT)
            return true;
    }
    return false;
}

bool theme_name_valid(const char *name)
{
    if (!name)
        return false;
    size_t n = strlen(name);
    if (n == 0 || n > THEME_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static char *bad_name_msg(const char *what, const char *name)
{
    char *s = shown(name ? name : "");
    char *m = xasprintf("bad %s '%s' (1-%d letters, digits, '-' and '_')", what, s, THEME_NAME_MAX);
    free(s);
    return m;
}

/* ------------------------------------------------------------ the files */

/* What one file says, before inheritance. */
typedef struct parsed {
    char *name;
    int name_line;
    char *inherits;
    int inherits_line;
    theme_style styles[THEME_N_STYLES];
    int set_line[THEME_N_STYLES]; /* 0: not set */
    enum { SEC_NONE, SEC_THEME, SEC_STYLES } section;
} parsed;

static char *twice(const char *key, int first)
{
    return xasprintf("'%s' is set twice (first on line %d)", key, first);
}

static char *on_entry(void *ud, const char *section, const char *key, const char *value, int line)
{
    parsed *pf = ud;
    if (!key) {
        if (!strcmp(section, "theme"))
            pf->section = SEC_THEME;
        else if (!strcmp(section, "styles"))
            pf->section = SEC_STYLES;
        else
            return xasprintf("unknown section [%s] (a theme has [theme] and [styles])", section);
        return NULL;
    }
    if (pf->section == SEC_THEME) {
        bool is_name = !strcmp(key, "name");
        if (!is_name && strcmp(key, "inherits") != 0)
            return xasprintf("unknown key '%s' in [theme] (known: name, inherits)", key);
        int *at = is_name ? &pf->name_line : &pf->inherits_line;
        char **slot = is_name ? &pf->name : &pf->inherits;
        if (*at)
            return twice(key, *at);
        if (!theme_name_valid(value))
            return bad_name_msg(is_name ? "theme name" : "theme name to inherit", value);
        *slot = xstrdup(value);
        *at = line;
        return NULL;
    }
    int i = theme_style_index(key);
    if (i < 0)
        return xasprintf("unknown style '%s' (themes/template.theme lists them all)", key);
    if (pf->set_line[i])
        return twice(key, pf->set_line[i]);
    char *why = NULL;
    if (theme_parse_style(value, &pf->styles[i], &why) != 0)
        return why;
    pf->set_line[i] = line;
    return NULL;
}

/* The files being loaded, innermost last: to refuse cycles. */
typedef struct chain {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct chain *up;
} chain;

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static char *dir_name(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return xstrdup(".");
    if (s == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(s - path));
}

/* The file name without ".theme". */
static char *stem(const char *path)
{
    const char *b = base_name(path);
    size_t n = strlen(b);
    if (n > 6 && !strcmp(b + n - 6, ".theme"))
        n -= 6;
    return xstrndup(b, n);
}

/* Looks for <dir>/<name>.theme. Returns 1 with *out set, 0 when no directory
 * has it, -1 with *err set. */
static int find_theme(const char *name, const char *const *dirs, char **out, char **err)
{
    for (size_t i = 0; dirs && dirs[i]; i++) {
        if (!dirs[i][0])
            continue;
        char *path = xasprintf("%s/%s.theme", dirs[i], name);
        struct stat st;
        if (stat(path, &st) != 0) {
            int e = errno;
            if (e == ENOENT || e == ENOTDIR) {
                free(path);
                continue;
            }
            *err = xasprintf("cannot read %s: %s", path, strerror(e));
            free(path);
            return -1;
        }
        if (!S_ISREG(st.st_mode)) {
            *err = xasprintf("%s is not a regular file", path);
            free(path);
            return -1;
        }
        *out = path;
        return 1;
    }
    return 0;
}

static char *dirs_list(const char *const *dirs)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; dirs && dirs[i]; i++) {
        if (!dirs[i][0])
            continue;
        if (b.len)
            buf_append_str(&b, ", ");
        buf_append_str(&b, dirs[i]);
    }
    if (!b.len)
        buf_append_str(&b, "no theme directories");
    return buf_steal(&b);
}

static theme_t *load_path(const char *path, const char *const *dirs, const chain *up, int depth,
                          char **err);

/* The theme pf inherits from, loaded: from the directories, or a built-in. */
static theme_t *load_parent(const char *path, const parsed *pf, const char *const *dirs,
                            const chain *self, int depth, char **err)
{
    char *own[2] = {NULL, NULL};
    const char *const *where = dirs;
    if (!dirs) {
        own[0] = dir_name(path);
        where = (const char *const *)own;
    }
    char *found = NULL;
    char *why = NULL;
    theme_t *t = NULL;
    int rc = find_theme(pf->inherits, where, &found, &why);
    if (rc < 0) {
        *err = xasprintf("%s:%d: %s", path, pf->inherits_line, why);
    } else if (rc == 0) {
        if (!strcmp(pf->inherits, "default")) {
            t = theme_builtin();
        } else if (!strcmp(pf->inherits, "monochrome")) {
            t = theme_monochrome();
        } else {
            char *list = dirs_list(where);
            *err = xasprintf("%s:%d: inherits unknown theme '%s' (no %s.theme in %s)", path,
                             pf->inherits_line, pf->inherits, pf->inherits, list);
            free(list);
        }
    } else if (depth >= THEME_MAX_DEPTH) {
        *err = xasprintf("%s:%d: inherits through more than %d themes", path, pf->inherits_line,
                         THEME_MAX_DEPTH);
    } else {
        struct stat st;
        const chain *c = NULL;
        if (stat(found, &st) == 0)
            for (c = self; c; c = c->up)
                if (c->dev == st.st_dev && c->ino == st.st_ino)
                    break;
        if (c) {
            buf_t b = BUF_INIT;
            buf_printf(&b, "%s:%d: inheritance cycle: ", path, pf->inherits_line);
            /* The chain runs innermost first: print it outermost first. */
            size_t n = 0;
            for (const chain *k = self; k != c->up; k = k->up)
                n++;
            for (size_t i = n; i > 0; i--) {
                const chain *k = self;
                for (size_t j = 1; j < i; j++)
                    k = k->up;
                buf_printf(&b, "%s -> ", base_name(k->path));
            }
            buf_append_str(&b, base_name(found));
            *err = buf_steal(&b);
        } else {
            t = load_path(found, dirs, self, depth + 1, err);
        }
    }
    free(why);
    free(found);
    free(own[0]);
    return t;
}

static theme_t *load_path(const char *path, const char *const *dirs, const chain *up, int depth,
                          char **err)
{
    char *tmp_err = NULL;
    if (!err)
        err = &tmp_err;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        *err = xasprintf("cannot open %s: %s", path, strerror(errno));
        free(tmp_err);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = xasprintf("%s is not a regular file", path);
        close(fd);
        free(tmp_err);
        return NULL;
    }
    buf_t text = BUF_INIT;
    int rc = ini_read_fd(fd, path, &text, err);
    close(fd);
    parsed pf;
    memset(&pf, 0, sizeof pf);
    if (rc == 0)
        rc = ini_parse(buf_cstr(&text), text.len, path, on_entry, &pf, err);
    buf_free(&text);
    theme_t *t = NULL;
    if (rc == 0) {
        chain self = {st.st_dev, st.st_ino, path, up};
        theme_t *base = pf.inherits ? load_parent(path, &pf, dirs, &self, depth, err)
                                    : theme_builtin();
        if (base) {
            char *name = pf.name ? xstrdup(pf.name) : stem(path);
            t = theme_new(name, path);
            free(name);
            for (size_t i = 0; i < THEME_N_STYLES; i++)
                t->styles[i] = pf.set_line[i] ? pf.styles[i] : base->styles[i];
            theme_free(base);
        }
    }
    free(pf.name);
    free(pf.inherits);
    free(tmp_err);
    return t;
}

theme_t *theme_load_file_in(const char *path, const char *const *dirs, char **err)
{
    if (!path || !*path) {
        if (err)
            *err = xstrdup("no theme file given");
        return NULL;
    }
    return load_path(path, dirs, NULL, 1, err);
}

theme_t *theme_load_file(const char *path, char **err)
{
    return theme_load_file_in(path, NULL, err);
}

theme_t *theme_load_named(const char *name, const char *const *dirs, char **err)
{
    if (!theme_name_valid(name)) {
        char *m = bad_name_msg("theme name", name);
        if (err)
            *err = m;
        else
            free(m);
        return NULL;
    }
    static const char *const none[] = {NULL};
    if (!dirs)
        dirs = none;
    char *path = NULL;
    char *why = NULL;
    int rc = find_theme(name, dirs, &path, &why);
    if (rc > 0) {
        theme_t *t = load_path(path, dirs, NULL, 1, err);
        free(path);
        return t;
    }
    if (rc == 0 && !strcmp(name, "default"))
        return theme_builtin();
    if (rc == 0 && !strcmp(name, "monochrome"))
        return theme_monochrome();
    if (rc == 0) {
        char **names = theme_list(dirs);
        buf_t b = BUF_INIT;
        for (size_t i = 0; names[i]; i++)
            buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
        theme_strv_free(names);
        why = xasprintf("no theme named '%s' (available: %s)", name, buf_cstr(&b));
        buf_free(&b);
    }
    if (err)
        *err = why;
    else
        free(why);
    return NULL;
}

/* ---------------------------------------------------------- directories */

void theme_strv_free(char **v)
{
    if (!v)
        return;
    for (size_t i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

char **theme_search_dirs(void)
{
    char **v = xcalloc(4, sizeof *v);
    size_t n = 0;
    static const char *const xdg[][2] = {{"XDG_CONFIG_HOME", ".config"},
                                         {"XDG_DATA_HOME", ".local/share"}};
    for (size_t i = 0; i < 2; i++) {
        char *d = NULL;
        if (config_xdg_dir(xdg[i][0], xdg[i][1], &d, NULL) == 0) {
            v[n++] = xasprintf("%s/themes", d);
            free(d);
        }
    }
#ifdef AIDESK_DATADIR
    v[n++] = xstrdup(AIDESK_DATADIR "/themes");
#endif
    v[n] = NULL;
    return v;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_list(const char *const *dirs)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    static const char *const builtins[] = {"default", "monochrome"};
    for (size_t i = 0; i < 2; i++) {
        v = xgrow(v, &cap, n + 2, sizeof *v);
        v[n++] = xstrdup(builtins[i]);
    }
    for (size_t i = 0; dirs && dirs[i]; i++) {
        if (!dirs[i][0])
            continue;
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0)
                continue;
            char *s = xstrndup(e->d_name, len - 6);
            if (!theme_name_valid(s)) {
                free(s);
                continue;
            }
            v = xgrow(v, &cap, n + 2, sizeof *v);
            v[n++] = s;
        }
        closedir(d);
    }
    qsort(v, n, sizeof *v, cmp_str);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out && !strcmp(v[out - 1], v[i]))
            free(v[i]);
        else
            v[out++] = v[i];
    }
    v[out] = NULL;
    return v;
}

/* ------------------------------------------------------------ template */

char *theme_template(void)
{
    theme_t *t = theme_builtin();
    buf_t b = BUF_INIT;
    buf_append_str(
        &b,
        "# template.theme: every style aidesk draws, with what it is for.\n"
        "#\n"
        "# Copy this file to ~/.config/aidesk/themes/NAME.theme, give it that name\n"
        "# below, change what you like, and choose it with \"theme = NAME\" in the\n"
        "# [ui] section of ~/.config/aidesk/config. Styles left out are taken from\n"
        "# the theme named by \"inherits\" (without it, from the built-in default).\n"
        "#\n"
        "# A style is \"FG [BG] [attribute ...]\":\n"
        "#   colours     black red green yellow blue magenta cyan white; the same\n"
        "#               with \"bright\" in front (brightred); default (the\n"
        "#               terminal's own colour); or a number 0-255\n"
        "#   fallbacks   \"208/yellow\" is colour 208 on terminals with 256 colours\n"
        "#               and yellow on those with 8 or 16\n"
        "#   attributes  bold dim italic underline reverse blink standout\n"
        "#\n"
        "# The values are the built-in default's (themes/default.theme). This file\n"
        "# is generated from the style table in src/config/theme.h and checked by\n"
        "# make check (tests/unit/test_theme.c), which writes the new text to\n"
        "# template.theme.new in the build directory when the two disagree.\n"
        "\n"
        "[theme]\n"
        "name = template\n"
        "# inherits = default\n"
        "\n"
        "[styles]\n");
    for (size_t i = 0; i < THEME_N_STYLES; i++) {
        char *v = theme_format_style(&t->styles[i]);
        buf_printf(&b, "\n# %s\n%s = %s\n", style_helps[i], style_names[i], v);
        free(v);
    }
    theme_free(t);
    return buf_steal(&b);
}
