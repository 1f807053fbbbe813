/* headless.c: the key script runner of the headless console (headless.h). */
#include "config.h"
#include "headless.h"
#include "ui.h"

#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "term.h"
#include "util/buf.h"
#include "util/mem.h"

typedef enum step_kind { ST_TYPE, ST_KEY, ST_WAIT, ST_GONE, ST_DUMP, ST_RESIZE, ST_SH } step_kind;

typedef struct step {
    step_kind kind;
    char *arg;
    int line;
} step;

struct headless {
    int rows, cols;
    char *script, *dumps;
    step *steps;
    size_t n, cap, at;
    int keys_fd;
    long wait_ms;
    int64_t deadline;  /* of the wait under way, or -1 */
    regex_t re;
    bool re_ready;
    int status;
};

static const char *const kind_names[] = {"type", "key", "wait", "gone", "dump", "resize", "sh"};

static bool parse_size(const char *s, int *rows, int *cols)
{
    char *end;
    long c = strtol(s, &end, 10);
    if (*end != 'x' || c < 10 || c > 1000)
        return false;
    long r = strtol(end + 1, &end, 10);
    if (*end || r < 5 || r > 1000)
        return false;
    *rows = (int)r;
    *cols = (int)c;
    return true;
}

static char *load(headless *h, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return xasprintf("AIDESK_HEADLESS_SCRIPT %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int no = 0;
    char *err = NULL;
    while (!err && (len = getline(&line, &cap, f)) >= 0) {
        no++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        size_t wl = strcspn(p, " \t");
        char *arg = p + wl + strspn(p + wl, " \t");
        int kind = -1;
        for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
            if (strlen(kind_names[i]) == wl && !strncmp(p, kind_names[i], wl))
                kind = (int)i;
        int r, c;
        if (kind < 0)
            err = xasprintf("%s:%d: unknown step '%.*s'", path, no, (int)wl, p);
        else if (!*arg)
            err = xasprintf("%s:%d: %s needs an argument", path, no, kind_names[kind]);
        else if (kind == ST_RESIZE && !parse_size(arg, &r, &c))
            err = xasprintf("%s:%d: resize COLSxROWS, not %s", path, no, arg);
        if (err)
            break;
        h->steps = xgrow(h->steps, &h->cap, h->n + 1, sizeof *h->steps);
        h->steps[h->n++] = (step){(step_kind)kind, xstrdup(arg), no};
    }
    free(line);
    fclose(f);
    return err;
}

headless *headless_from_env(char **err)
{
    *err = NULL;
    const char *size = getenv("AIDESK_HEADLESS");
    if (!size || !*size)
        return NULL;
    headless *h = xcalloc(1, sizeof *h);
    h->keys_fd = -1;
    h->deadline = -1;
    const char *script = getenv("AIDESK_HEADLESS_SCRIPT");
    const char *dumps = getenv("AIDESK_HEADLESS_DUMPS");
    const char *patience = getenv("AIDESK_HEADLESS_WAIT");
    h->dumps = xstrdup(dumps && *dumps ? dumps : ".");
    h->wait_ms = patience && atol(patience) > 0 ? atol(patience) * 1000 : 30000;
    if (!parse_size(size, &h->rows, &h->cols))
        *err = xasprintf("AIDESK_HEADLESS is COLSxROWS (e.g. 80x24), not %s", size);
    else if (!script || !*script)
        *err = xstrdup("AIDESK_HEADLESS needs AIDESK_HEADLESS_SCRIPT, the key script");
    else
        *err = load(h, script);
    if (*err) {
        headless_free(h);
        return NULL;
    }
    h->script = xstrdup(script);
    return h;
}

void headless_free(headless *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->steps[i].arg);
    free(h->steps);
    if (h->re_ready)
        regfree(&h->re);
    if (h->keys_fd >= 0)
        close(h->keys_fd);
    free(h->script);
    free(h->dumps);
    free(h);
}

void headless_size(const headless *h, int *rows, int *cols)
{
    *rows = h->rows;
    *cols = h->cols;
}

void headless_attach(headless *h, int keys_fd)
{
    h->keys_fd = keys_fd;
}

int headless_status(const headless *h)
{
    return h->status;
}

long headless_next_timer_ms(const headless *h, int64_t now)
{
    if (h->deadline < 0)
        return -1;
    return h->deadline > now ? (long)(h->deadline - now) : 0;
}

bool headless_keys_pending(const headless *h, int input_fd)
{
    int n = 0;
    (void)h;
    return ioctl(input_fd, FIONREAD, &n) == 0 && n > 0;
}

/* ---------------------------------------------------------------- screen */

/* The line-drawing characters curses draws with the alternate character
 * set, as the Unicode a terminal shows for them. */
static wchar_t acs_unicode(wchar_t c)
{
    static const char from[] = "jklmnqtuvwx~a`0";
    static const wchar_t to[] = {0x2518, 0x2510, 0x250C, 0x2514, 0x253C, 0x2500, 0x251C, 0x2524,
                                 0x2534, 0x252C, 0x2502, 0x00B7, 0x2592, 0x25C6, 0x2588};
    const char *at = c > 0 && c < 128 ? strchr(from, (int)c) : NULL;
    return at ? to[at - from] : c;
}

/* Row y of the screen as UTF-8, trailing blanks cut. A wide character
 * fills two cells and is given once, as a terminal shows it. */
static void screen_line(int y, buf_t *out)
{
    buf_clear(out);
    mbstate_t st;
    memset(&st, 0, sizeof st);
    for (int x = 0; x < getmaxx(curscr); x++) {
        cchar_t cell;
        wchar_t w[CCHARW_MAX + 1];
        attr_t attr;
        short pair;
        if (mvwin_wch(curscr, y, x, &cell) == ERR || getcchar(&cell, w, &attr, &pair, NULL) == ERR)
            break;
        if (!w[0])
            w[0] = L' ', w[1] = 0;
        if (attr & A_ALTCHARSET)
            w[0] = acs_unicode(w[0]);
        if (wcwidth(w[0]) == 2)
            x++; /* curses keeps a copy in the cell it covers */
        for (size_t i = 0; w[i]; i++) {
            char mb[MB_LEN_MAX];
            size_t k = wcrtomb(mb, w[i], &st);
            if (k != (size_t)-1)
                buf_append(out, mb, k);
        }
    }
    while (out->len && out->data[out->len - 1] == ' ')
        buf_truncate(out, out->len - 1);
}

static void write_screen(FILE *f)
{
    buf_t b = BUF_INIT;
    for (int y = 0; y < getmaxy(curscr); y++) {
        screen_line(y, &b);
        fprintf(f, "%s\n", buf_cstr(&b));
    }
    buf_free(&b);
}

static bool screen_matches(const regex_t *re)
{
    buf_t b = BUF_INIT;
    bool hit = false;
    for (int y = 0; y < getmaxy(curscr) && !hit; y++) {
        screen_line(y, &b);
        hit = regexec(re, buf_cstr(&b), 0, NULL, 0) == 0;
    }
    buf_free(&b);
    return hit;
}

/* ------------------------------------------------------------------ keys */

static const struct {
    const char *name, *cap, *fixed;
} key_names[] = {
    {"Enter", NULL, "\r"},   {"Esc", NULL, "\033"},  {"Tab", NULL, "\t"},      {"Space", NULL, " "},
    {"BS", "kbs", "\177"},   {"Del", "kdch1", NULL}, {"Up", "kcuu1", NULL},    {"Down", "kcud1", NULL},
    {"Left", "kcub1", NULL}, {"Right", "kcuf1", NULL}, {"Home", "khome", NULL}, {"End", "kend", NULL},
    {"PgUp", "kpp", NULL},   {"PgDn", "knp", NULL},
};

/* Appends the bytes a terminal sends for the key called name; false
 * when there is no such key. A single character is that key. */
static bool key_bytes(const char *name, buf_t *out)
{
    if (name[0] && !name[1]) {
        buf_append_char(out, name[0]);
        return true;
    }
    for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++) {
        if (strcmp(name, key_names[i].name))
            continue;
        const char *s = key_names[i].cap ? tigetstr(key_names[i].cap) : NULL;
        if (!s || s == (char *)-1)
            s = key_names[i].fixed;
        if (!s)
            return false;
        buf_append_str(out, s);
        return true;
    }
    if (name[0] == 'F' && name[1]) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        char cap[8];
        snprintf(cap, sizeof cap, "kf%ld", n);
        const char *s = !*end && n >= 1 && n <= 12 ? tigetstr(cap) : NULL;
        if (!s || s == (char *)-1)
            return false;
        buf_append_str(out, s);
        return true;
    }
    if ((name[0] == 'C' || name[0] == 'M') && name[1] == '-' && name[2] && !name[3]) {
        char c = name[2];
        if (name[0] == 'C' && c >= 'a' && c <= 'z') {
            buf_append_char(out, (char)(c - 'a' + 1));
            return true;
        }
        if (name[0] == 'M') {
            buf_append_char(out, '\033');
            buf_append_char(out, c);
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ steps */

static void fail(headless *h, ui *u, const step *s, const char *why)
{
    fprintf(stderr, "aidesk headless: %s:%d: %s %s: %s\n", h->script, s->line, kind_names[s->kind],
            s->arg, why);
    fprintf(stderr, "aidesk headless: the screen (%dx%d):\n", getmaxx(curscr), getmaxy(curscr));
    write_screen(stderr);
    h->status = 3;
    u->quit = true;
}

static bool send_bytes(headless *h, const buf_t *b)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t w = write(h->keys_fd, b->data + off, b->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        off += (size_t)w;
    }
    return true;
}

/* Runs step s; returns true when the next one may follow at once, false
 * when it must wait (keys sent, the screen not there yet, a failure). */
static bool run(headless *h, ui *u, const step *s, int64_t now)
{
    buf_t b = BUF_INIT;
    switch (s->kind) {
    case ST_TYPE:
    case ST_KEY:
        if (s->kind == ST_TYPE) {
            buf_append_str(&b, s->arg);
        } else {
            char *names = xstrdup(s->arg), *save = NULL;
            for (char *k = strtok_r(names, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
                if (!key_bytes(k, &b)) {
                    fail(h, u, s, "no such key (see ui/headless.h)");
                    break;
                }
            }
            free(names);
        }
        if (!u->quit && !send_bytes(h, &b))
            fail(h, u, s, "the keys could not be sent");
        buf_free(&b);
        h->at++;
        return false;
    case ST_WAIT:
    case ST_GONE:
        if (h->deadline < 0) {
            int rc = regcomp(&h->re, s->arg, REG_EXTENDED | REG_NOSUB);
            if (rc != 0) {
                char why[128];
                regerror(rc, &h->re, why, sizeof why);
                fail(h, u, s, why);
                return false;
            }
            h->re_ready = true;
            h->deadline = now + h->wait_ms;
        }
        if (screen_matches(&h->re) == (s->kind == ST_WAIT)) {
            regfree(&h->re);
            h->re_ready = false;
            h->deadline = -1;
            h->at++;
            return true;
        }
        if (now >= h->deadline)
            fail(h, u, s, "timed out");
        return false;
    case ST_DUMP: {
        char *path = xasprintf("%s/%s", h->dumps, s->arg);
        FILE *f = fopen(path, "w");
        if (f) {
            write_screen(f);
            if (fclose(f) != 0)
                f = NULL;
        }
        free(path);
        if (!f) {
            fail(h, u, s, strerror(errno));
            return false;
        }
        h->at++;
        return true;
    }
    case ST_RESIZE: {
        int r = 0, c = 0;
        if (!parse_size(s->arg, &r, &c)) { /* checked when the script was read */
            fail(h, u, s, "not a size");
            return false;
        }
        term_resize_to(r, c);
        u->dirty = true;
        h->at++;
        return false;
    }
    case ST_SH: {
        fflush(NULL);
        int st = system(s->arg);
        if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fail(h, u, s, "the command failed");
            return false;
        }
        h->at++;
        return true;
    }
    }
    return false;
}

void headless_step(headless *h, ui *u, int64_t now)
{
    while (!u->quit && h->at < h->n) {
        if (!run(h, u, &h->steps[h->at], now))
            return;
    }
    if (h->at >= h->n)
        u->quit = true;
}
