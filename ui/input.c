/* input.c: the input line's text, GNU readline in callback mode.
 *
 * readline never touches the terminal here: its terminal preparation is a
 * no-op, its signal handling is off, its output goes to /dev/null, and it
 * reads keys from a small queue that the curses loop fills. The input
 * pane (inputpane.c) draws its line buffer. So ~/.inputrc, history, completion and editing
 * all work while curses owns the screen. */
#include "config.h"
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "store/histfile.h"
#include "store/paths.h"
#include "term.h"
#include "text/width.h"
#include "util/assert.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "view/commands.h"

static ui *U;
static unsigned char queue[256];
static size_t qhead, qlen;
static FILE *devnull;
static char *history_path;
/* The lines entered in this console, added to the shared history file at
 * the end (store/histfile.h): not the whole history, which would
 * overwrite what other consoles added meanwhile. */
static char **session_lines;
static size_t nsession, capsession;
static char *last_line; /* for noticing edits (typing previews) */

static void push_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n && qlen < sizeof queue; i++)
        queue[(qhead + qlen++) % sizeof queue] = (unsigned char)s[i];
}

static int getc_cb(FILE *f)
{
    (void)f;
    if (!qlen)
        return EOF;
    int c = queue[qhead];
    qhead = (qhead + 1) % sizeof queue;
    qlen--;
    return c;
}

static int input_available(void)
{
    return qlen > 0;
}

static void prep_noop(int meta)
{
    (void)meta;
}

static void deprep_noop(void)
{
}

static void redisplay(void)
{
    if (U)
        U->dirty = true;
}

#define HISTORY_KEEP 2000

static void remember(const char *line)
{
    if (!line || !*line)
        return;
    if (nsession == HISTORY_KEEP) {
        /* Only the newest HISTORY_KEEP would stay in the file anyway. */
        free(session_lines[0]);
        memmove(session_lines, session_lines + 1, (nsession - 1) * sizeof *session_lines);
        nsession--;
    }
    session_lines = xgrow(session_lines, &capsession, nsession + 1, sizeof *session_lines);
    session_lines[nsession++] = xstrdup(line);
}

static void on_line(char *line)
{
    if (!line) {
        U->quit = true; /* Ctrl-D on an empty line */
        return;
    }
    if (*line) {
        HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
        if (!last || strcmp(last->line, line)) {
            add_history(line);
            remember(line);
        }
    }
    free(last_line);
    last_line = NULL;
    console_submit(U, line);
    free(line);
    U->dirty = true;
}

/* ------------------------------------------------------------ completion */

static char **complete(const char *text, int start, int end)
{
    (void)text;
    (void)start;
    rl_attempted_completion_over = 1;
    size_t wstart = 0;
    char **m = cmd_complete(rl_line_buffer, (size_t)end, console_candidates, U, &wstart);
    if (!m)
        return NULL;
    size_t n = 0;
    while (m[n])
        n++;
    AIDESK_ASSERT(n > 0); /* no match is NULL, not an empty list */
    /* readline wants [common prefix, matches..., NULL], malloc'd. */
    char **out = xcalloc(n + 2, sizeof *out);
    if (n == 1) {
        out[0] = m[0];
        m[0] = NULL;
    } else {
        size_t common = strlen(m[0]);
        for (size_t i = 1; i < n; i++) {
            size_t k = 0;
            while (k < common && m[i][k] == m[0][k])
                k++;
            common = k;
        }
        out[0] = xstrndup(m[0], common);
        for (size_t i = 0; i < n; i++) {
            out[i + 1] = m[i];
            m[i] = NULL;
        }
    }
    cmd_matches_free(m);
    return out;
}

static void show_matches(char **matches, int n, int max)
{
    (void)max;
    buf_t b = BUF_INIT;
    buf_append_str(&b, "matches:");
    for (int i = 1; i <= n && b.len < 400; i++) {
        buf_append_char(&b, ' ');
        buf_append_str(&b, matches[i]);
    }
    desk_flash(U->desk, false, "%s", buf_cstr(&b));
    buf_free(&b);
}

static int newline_cmd(int count, int key)
{
    (void)count;
    (void)key;
    rl_insert_text("\n");
    return 0;
}

static int editor_cmd(int count, int key)
{
    (void)count;
    (void)key;
    input_edit_external(U);
    return 0;
}

void input_init(ui *u)
{
    U = u;
    devnull = fopen("/dev/null", "w");
    rl_readline_name = "aidesk";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = prep_noop;
    rl_deprep_term_function = deprep_noop;
    rl_getc_function = getc_cb;
    rl_input_available_hook = input_available;
    rl_redisplay_function = redisplay;
    rl_instream = stdin;
    rl_outstream = devnull ? devnull : stdout;
    rl_attempted_completion_function = complete;
    rl_completion_display_matches_hook = show_matches;
    rl_completer_word_break_characters = " ";
    rl_completion_append_character = '\0';
    rl_callback_handler_install("", on_line);
    /* After install: ~/.inputrc has been read; our bindings come on top. */
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_variable_bind("horizontal-scroll-mode", "off");
    rl_variable_bind("bell-style", "none");
    rl_bind_keyseq("\033\r", newline_cmd);
    rl_bind_keyseq("\033\n", newline_cmd);
    rl_bind_keyseq("\030\005", editor_cmd); /* Ctrl-X Ctrl-E */
    rl_bind_keyseq("\033[3~", rl_delete);
    rl_bind_keyseq("\033[H", rl_beg_of_line);
    rl_bind_keyseq("\033[F", rl_end_of_line);

    using_history();
    stifle_history(HISTORY_KEEP);
    char *err = NULL;
    if (store_history_path(&history_path, &err) == 0) {
        read_history(history_path);
    } else {
        free(err);
        history_path = NULL;
    }
}

void input_end(ui *u)
{
    (void)u;
    rl_callback_handler_remove();
    if (history_path) {
        /* Appended under a lock: other consoles' lines stay. A planted
         * symlink is refused, not followed. */
        char *err = NULL;
        if (store_history_append(history_path, (const char *const *)session_lines, nsession,
                                 HISTORY_KEEP, &err) != 0)
            free(err); /* the screen is gone: nowhere to say it */
    }
    for (size_t i = 0; i < nsession; i++)
        free(session_lines[i]);
    free(session_lines);
    session_lines = NULL;
    nsession = capsession = 0;
    free(history_path);
    history_path = NULL;
    free(last_line);
    last_line = NULL;
    if (devnull)
        fclose(devnull);
    devnull = NULL;
    U = NULL;
}

const char *input_text(void)
{
    return rl_line_buffer ? rl_line_buffer : "";
}

size_t input_point(void)
{
    return rl_point < 0 ? 0 : (size_t)rl_point;
}

bool input_empty(void)
{
    return !rl_line_buffer || !*rl_line_buffer;
}

void input_clear_to_history(ui *u)
{
    add_history(input_text());
    remember(input_text());
    input_set_text(u, "");
}

void input_set_text(ui *u, const char *text)
{
    rl_replace_line(text, 0);
    rl_point = rl_end;
    u->dirty = true;
}

/* Sends a typing preview when the text changed (not for commands). */
static void notice_edit(ui *u)
{
    const char *now = input_text();
    if (last_line && !strcmp(last_line, now))
        return;
    free(last_line);
    last_line = xstrdup(now);
    if (!u->cur || u->cur->kind != CONV_WORKSPACE || now[0] == '/' || line_editing_draft(u))
        return;
    convui *cu = ui_convui(u, u->cur);
    desk_typing(u->desk, u->cur, now, cu->as_agent);
}

void input_key(ui *u, int key)
{
    const char *seq = NULL;
    char tmp[8];
    size_t n = 0;
    bool is_key = K_IS_FN(key);
    uint32_t ch = (uint32_t)(key & ~K_FN_BIT);
    if (is_key) {
        switch (ch) {
        case KEY_LEFT: seq = "\033[D"; break;
        case KEY_RIGHT: seq = "\033[C"; break;
        case KEY_UP: seq = "\033[A"; break;
        case KEY_DOWN: seq = "\033[B"; break;
        case KEY_HOME: seq = "\033[H"; break;
        case KEY_END: seq = "\033[F"; break;
        case KEY_DC: seq = "\033[3~"; break;
        case KEY_BACKSPACE: seq = "\177"; break;
        case KEY_ENTER: seq = "\r"; break;
        default: return; /* keys readline has no use for */
        }
        n = strlen(seq);
    } else if (ch < 0x80) {
        tmp[0] = (char)ch;
        n = 1;
        seq = tmp;
    } else if (ch <= 0x10FFFF && (ch < 0xD800 || ch > 0xDFFF)) {
        n = utf8_encode(ch, tmp);
        seq = tmp;
    } else {
        return;
    }
    push_bytes(seq, n);
    while (qlen && !u->quit)
        rl_callback_read_char();
    notice_edit(u);
    u->dirty = true;
}

/* ------------------------------------------------------------- $EDITOR */

void input_edit_external(ui *u)
{
    const char *tmpdir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/aidesk-msg-XXXXXX.md", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(path, 3); /* created 0600 */
    if (fd < 0) {
        desk_flash(u->desk, true, "cannot create a file for the editor: %s", strerror(errno));
        return;
    }
    const char *text = input_text();
    size_t left = strlen(text);
    const char *p = text;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    close(fd);
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    /* The editor command may carry arguments ("code -w"): the shell splits
     * it, the file name goes as "$1" so it is never re-parsed. */
    setenv("AIDESK_EDITOR", editor, 1);
    term_leave();
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", "exec $AIDESK_EDITOR \"$1\"", "sh", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid > 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    term_return();
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        desk_flash(u->desk, true, "the editor did not finish cleanly; the input is unchanged");
        unlink(path);
        return;
    }
    FILE *f = fopen(path, "r");
    buf_t b = BUF_INIT;
    if (f) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
            buf_append(&b, chunk, n);
        fclose(f);
    }
    unlink(path);
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
        buf_truncate(&b, b.len - 1);
    input_set_text(u, buf_cstr(&b));
    buf_free(&b);
    u->dirty = true;
}
