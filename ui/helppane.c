/* helppane.c: the help overlay: every key, what the sidebar's marks
 * mean, and every command, from the tables that drive them
 * (view/commands.h), in a bordered box over the panes, each description
 * wrapped to the width; PgUp/PgDn and Up/Down scroll, any other key
 * closes it. Also the first screen's key hint, shown in the status bar
 * until help has been opened once (remembered in the state directory). */
#include "config.h"
#include "cmds.h"
#include "overlay.h"
#include "panes.h"
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/paths.h"
#include "util/log.h"
#include "util/mem.h"

typedef struct helppane {
    pane p;
    int top;   /* first line shown */
    int seen;  /* help opened before: -1 not known yet, 0 no, 1 yes */
} helppane;

static const pane_ops ops;

/* What the sidebar shows beside a conversation (sidebar.c). ✎ and ✍ look
 * alike, so each says where it sits as well as what it means. */
static const key_def legend[] = {
    {"\xE2\x97\x8F" "N  (second line)", "N messages you have not seen"},
    {"\xE2\x9C\x8D" "N  (second line)", "N drafts waiting for your approval (shadow mode; F2)"},
    {"\xE2\x9C\x8E" "   (after the name)", "the customer is typing right now"},
    {"AI SHADOW TAKEOVER", "a workspace's mode: the AI answers; drafts wait for you; you answer"},
    {"CHAT", "a plain chat with a model"},
    {"ended", "the workspace has ended (dimmed)"},
    {"COMPARE running", "a comparison with columns still answering"},
};

static const char seen_file[] = "help-seen";

static bool seen_path(char **path)
{
    char *dir = NULL, *err = NULL;
    if (store_state_dir(&dir, &err) != 0) {
        log_msg("help: no state directory: %s", err);
        free(err);
        return false;
    }
    *path = xasprintf("%s/%s", dir, seen_file);
    free(dir);
    return true;
}

static helppane *helppane_of(ui *u)
{
    helppane *hp = (helppane *)ui_pane(u, &ops);
    if (hp->seen < 0) {
        char *path;
        hp->seen = 1; /* without a state directory, do not nag about it */
        if (seen_path(&path)) {
            if (access(path, F_OK) != 0 && errno == ENOENT)
                hp->seen = 0;
            free(path);
        }
    }
    return hp;
}

const char *help_first_hint(ui *u)
{
    if (helppane_of(u)->seen)
        return NULL;
    return "F1 help  Ctrl-N/Ctrl-P next/previous  F2 drafts  F6 AI Gate  F10 quit";
}

void help_open(ui *u)
{
    helppane *hp = helppane_of(u);
    hp->top = 0;
    if (!hp->seen) {
        hp->seen = 1;
        char *path;
        if (seen_path(&path)) {
            int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (fd < 0)
                log_msg("help: cannot create %s: %s", path, strerror(errno));
            else
                close(fd);
            free(path);
        }
    }
    ui_open(u, &hp->p);
}

void uicmd_help(ui *u, const cmd_parsed *p)
{
    (void)p;
    help_open(u);
}

/* ------------------------------------------------------------- drawing */

/* One pass over the lines of help: counts them, and draws those from top
 * on in the rows [y0, y0 + rows) when draw is set. */
typedef struct pass {
    ui *u;
    bool draw;
    int top, y0, rows, x0, w; /* the text area */
    int line;                 /* lines so far */
    int kw;                   /* the left column's width */
} pass;

static void put(pass *ps, int x, const char *s, size_t len, int attr)
{
    int y = ps->line - ps->top;
    if (ps->draw && y >= 0 && y < ps->rows)
        ui_text(ps->u, ps->y0 + y, ps->x0 + x, ps->w - x, s, len, attr);
}

/* Text from column x to the right edge, wrapped; continuation lines
 * start at column x too. */
static void para(pass *ps, int x, const char *s, int attr)
{
    size_t len = strlen(s), at = 0;
    do {
        size_t next, n = ovl_wrap(s + at, len - at, ps->w - x, &next);
        put(ps, x, s + at, n, attr);
        ps->line++;
        at += next;
    } while (at < len);
}

static void heading(pass *ps, const char *s)
{
    if (ps->line > 0)
        ps->line++;
    para(ps, 0, s, ui_style(ps->u, THEME_HELP_KEY) | A_BOLD);
}

/* A key or a command and what it does: side by side when the left fits
 * its column, else the left on its own lines and the words under it. */
static void pair(pass *ps, const char *l, const char *r)
{
    int k = ui_style(ps->u, THEME_HELP_KEY), a = ui_style(ps->u, THEME_HELP);
    int lw = ovl_wrap_lines(l, ps->kw);
    size_t next;
    if (lw == 1 && ovl_wrap(l, strlen(l), ps->kw, &next) == strlen(l)) {
        put(ps, 0, l, strlen(l), k);
    } else {
        para(ps, 0, l, k);
    }
    para(ps, ps->kw + 1, r, a);
}

static void lines(pass *ps)
{
    size_t nk, nc;
    const key_def *keys = key_table(&nk);
    const cmd_def *cmds = cmd_table(&nc);
    heading(ps, "Keys");
    for (size_t i = 0; i < nk; i++)
        pair(ps, keys[i].keys, keys[i].help);
    heading(ps, "Marks in the sidebar");
    for (size_t i = 0; i < sizeof legend / sizeof *legend; i++)
        pair(ps, legend[i].keys, legend[i].help);
    heading(ps, "Commands");
    for (size_t i = 0; i < nc; i++) {
        char *l = xasprintf("/%s%s%s", cmds[i].name, *cmds[i].usage ? " " : "", cmds[i].usage);
        pair(ps, l, cmds[i].help);
        free(l);
    }
}

/* The box covers everything above the status bar: the whole width, so
 * nothing of the panes shows at its edges. */
static rect box_rect(ui *u)
{
    int h = u->lay.status.h > 0 ? u->lay.status.y : u->rows;
    return (rect){0, 0, h, u->cols};
}

static void draw(pane *p, ui *u)
{
    helppane *hp = (helppane *)p;
    rect b = box_rect(u);
    if (b.h < 4 || b.w < 12) {
        if (b.h > 0 && b.w > 0)
            ovl_box(u, b, NULL, NULL);
        return;
    }
    pass ps = {.u = u, .y0 = b.y + 1, .rows = b.h - 2, .x0 = b.x + 2, .w = b.w - 4};
    ps.kw = ps.w * 2 / 5 > 36 ? 36 : ps.w * 2 / 5;
    lines(&ps);
    int total = ps.line;
    if (hp->top > total - ps.rows)
        hp->top = total - ps.rows > 0 ? total - ps.rows : 0;
    char foot[80];
    int last = hp->top + ps.rows < total ? hp->top + ps.rows : total;
    snprintf(foot, sizeof foot, " lines %d-%d of %d%s ", hp->top + 1, last, total,
             last < total ? ", PgDn for more" : "");
    ovl_box(u, b, " aidesk help: keys and commands (Esc closes, PgUp/PgDn scroll) ", foot);
    ps.draw = true;
    ps.top = hp->top;
    ps.line = 0;
    lines(&ps);
}

static bool key(pane *p, ui *u, int k)
{
    helppane *hp = (helppane *)p;
    int page = box_rect(u).h - 3 > 1 ? box_rect(u).h - 3 : 1;
    if (k == K_FN(KEY_NPAGE) || k == K_FN(KEY_DOWN))
        hp->top += k == K_FN(KEY_NPAGE) ? page : 1; /* draw() keeps it in range */
    else if (k == K_FN(KEY_PPAGE) || k == K_FN(KEY_UP))
        hp->top -= k == K_FN(KEY_PPAGE) ? page : 1;
    else if (k == K_FN(KEY_HOME))
        hp->top = 0;
    else
        ui_close(u, p);
    if (hp->top < 0)
        hp->top = 0;
    return true;
}

static const pane_ops ops = {
    .name = "help",
    .slot = SLOT_OVERLAY,
    .draw = draw,
    .key = key,
};

pane *helppane_new(ui *u)
{
    (void)u;
    helppane *hp = xcalloc(1, sizeof *hp);
    hp->p.ops = &ops;
    hp->seen = -1;
    return &hp->p;
}
