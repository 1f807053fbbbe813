/* theme.c: themes: theme files and inheritance, names and directories, the
 * template (theme.h). Style values are in theme_style.c, the built-in
 * themes in theme_builtin.c. */
#include "config.h"
#include "config/theme.h"
#include "config/theme_priv.h"

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
                *err = xasprintf("%s: %s", theme_style_name(i), why);
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
    char *s = theme_shown(name ? name : "");
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
        buf_printf(&b, "\n# %s\n%s = %s\n", theme_style_help(i), theme_style_name(i), v);
        free(v);
    }
    theme_free(t);
    return buf_steal(&b);
}
