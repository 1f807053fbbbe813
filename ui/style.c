/* style.c: turning a theme into curses attributes, and finding themes. */
#include "config.h"
#include "ui.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

static int attrs_of(unsigned a)
{
    int r = 0;
    if (a & THEME_ATTR_BOLD)
        r |= A_BOLD;
    if (a & THEME_ATTR_DIM)
        r |= A_DIM;
#ifdef A_ITALIC
    if (a & THEME_ATTR_ITALIC)
        r |= A_ITALIC;
#endif
    if (a & THEME_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_ATTR_BLINK)
        r |= A_BLINK;
    if (a & THEME_ATTR_STANDOUT)
        r |= A_STANDOUT;
    return r;
}

void ui_apply_theme(ui *u, theme_t *t)
{
    if (u->theme && u->theme != t)
        theme_free(u->theme);
    u->theme = t;
    int ncolours = has_colors() ? COLORS : 0;
    short pairs_fg[256], pairs_bg[256];
    int npairs = 0;
    for (int i = 0; i < THEME_N_STYLES; i++) {
        theme_resolved r = theme_resolve(theme_get(t, i), ncolours);
        int attr = attrs_of(r.attrs);
        if (ncolours && (r.fg != THEME_COLOUR_DEFAULT || r.bg != THEME_COLOUR_DEFAULT)) {
            int pair = -1;
            for (int k = 0; k < npairs; k++)
                if (pairs_fg[k] == r.fg && pairs_bg[k] == r.bg)
                    pair = k + 1;
            if (pair < 0 && npairs < 255 && npairs + 1 < COLOR_PAIRS) {
                pairs_fg[npairs] = r.fg;
                pairs_bg[npairs] = r.bg;
                init_pair((short)(npairs + 1), r.fg, r.bg);
                pair = ++npairs;
            }
            if (pair > 0)
                attr |= COLOR_PAIR(pair);
        }
        u->styles[i] = attr;
    }
    u->dirty = true;
}

int ui_style(const ui *u, int style)
{
    return style >= 0 && style < THEME_N_STYLES ? u->styles[style] : 0;
}

/* Theme folders: the user's, $AIDESK_THEMES (the demo script points it at
 * the source tree), a build tree's, then the installed ones. */
static char **theme_dirs(void)
{
    char **std = theme_search_dirs();
    size_t n = 0;
    while (std[n])
        n++;
    char **v = xcalloc(n + 4, sizeof *v);
    size_t k = 0;
    const char *env = getenv("AIDESK_THEMES");
    if (env && *env)
        v[k++] = xstrdup(env);
    for (size_t i = 0; i < n; i++)
        v[k++] = xstrdup(std[i]);
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *dir = dirname(exe);
        v[k++] = xasprintf("%s/../../themes", dir);
    }
    theme_strv_free(std);
    return v;
}

theme_t *console_load_theme(const char *name, char **err)
{
    char **dirs = theme_dirs();
    theme_t *t = theme_load_named(name, (const char *const *)dirs, err);
    theme_strv_free(dirs);
    return t;
}

theme_t *console_initial_theme(const config_t *cfg, char **err)
{
    *err = NULL;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return theme_monochrome(); /* https://no-color.org */
    theme_t *t = console_load_theme(cfg->theme ? cfg->theme : "default", err);
    return t ? t : theme_builtin();
}
