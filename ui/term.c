#include "config.h"
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int sig_pipe[2] = {-1, -1};
static struct termios saved_tios;
static bool have_tios;
static volatile sig_atomic_t curses_on;
/* Headless: curses reads keys from a pipe and writes to /dev/null. */
static SCREEN *headless_scr;
static FILE *headless_in, *headless_out;
static int input_fd = STDIN_FILENO;

static void note_signal(int sig)
{
    int saved = errno;
    char c = (char)sig;
    if (sig_pipe[1] >= 0 && write(sig_pipe[1], &c, 1) < 0) {
        /* The pipe is full: the loop has plenty to read already. */
    }
    errno = saved;
}

/* Async-signal-safe restore for crashes: no curses calls. */
static void crash_restore(int sig)
{
    static const char reset[] = "\033[0m\033[?1000l\033[?1002l\033[?1006l\033[?2004l"
                                "\033[?25h\033[?1049l\r\n";
    if (curses_on) {
        if (write(STDOUT_FILENO, reset, sizeof reset - 1) < 0) {
            /* nothing more can be done here */
        }
        if (have_tios)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved_tios);
        curses_on = 0;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void at_exit_restore(void)
{
    term_end();
}

static int make_signal_pipe(void)
{
    if (pipe(sig_pipe) != 0) {
        perror("aidesk: pipe");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

/* What both kinds of terminal share once curses has a screen. */
static void setup_curses(void)
{
    curses_on = 1;
    atexit(at_exit_restore);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    /* Without this ncurses, while it updates the screen, flushes its
     * output and polls the keyboard after every changed line: a write and
     * a poll per line, hundreds per frame with twelve columns streaming.
     * The loop reads keys before it draws, and a frame goes out in a few
     * large writes. */
    typeahead(-1);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    curs_set(1);
    mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    /* ncurses (6.4) flushes its output after every cursor movement until
     * the screen has once been left and resumed: it cannot tell us from a
     * low-level terminfo program before that. With twelve columns
     * streaming that was some 100 small writes per frame, a third of the
     * UI thread's time in the pseudo-terminal's write. Leaving and resuming
     * at once, before anything is drawn, makes a frame one write. */
    endwin();
    doupdate();
}

static void install_handlers(bool crash_restore_too)
{
    install(SIGWINCH, note_signal, SA_RESTART);
    install(SIGTERM, note_signal, SA_RESTART);
    install(SIGHUP, note_signal, SA_RESTART);
    install(SIGINT, note_signal, SA_RESTART);
    install(SIGTSTP, note_signal, SA_RESTART);
    install(SIGCONT, note_signal, SA_RESTART);
    install(SIGPIPE, SIG_IGN, 0);
    if (!crash_restore_too)
        return;
    int fatal[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        install(fatal[i], crash_restore, SA_RESETHAND);
}

int term_init(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "aidesk: the console needs a terminal (use a subcommand for scripts; "
                        "see aidesk --help)\n");
        return -1;
    }
    if (make_signal_pipe() != 0)
        return -1;
    have_tios = tcgetattr(STDIN_FILENO, &saved_tios) == 0;
    /* LINES/COLUMNS in the environment would pin the size. */
    unsetenv("LINES");
    unsetenv("COLUMNS");
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    if (!initscr()) {
        fprintf(stderr, "aidesk: cannot start curses on this terminal\n");
        return -1;
    }
    setup_curses();
    install_handlers(true);
    return 0;
}

int term_init_headless(int rows, int cols, int *keys_fd)
{
    int kp[2];
    if (make_signal_pipe() != 0)
        return -1;
    if (pipe(kp) != 0) {
        perror("aidesk: pipe");
        return -1;
    }
    fcntl(kp[0], F_SETFD, FD_CLOEXEC);
    fcntl(kp[1], F_SETFD, FD_CLOEXEC);
    fcntl(kp[1], F_SETFL, fcntl(kp[1], F_GETFL) | O_NONBLOCK);
    headless_in = fdopen(kp[0], "r");
    headless_out = fopen("/dev/null", "w");
    if (!headless_in || !headless_out) {
        perror("aidesk: headless terminal");
        return -1;
    }
    /* Not a terminal: curses takes the size from the environment. */
    char n[16];
    snprintf(n, sizeof n, "%d", rows);
    setenv("LINES", n, 1);
    snprintf(n, sizeof n, "%d", cols);
    setenv("COLUMNS", n, 1);
    set_escdelay(25);
    /* A fixed description every ncurses install has, so that key
     * sequences and screens do not depend on the caller's $TERM. */
    static const char *const types[] = {"xterm-256color", "xterm", "vt100"};
    for (size_t i = 0; i < sizeof types / sizeof *types && !headless_scr; i++)
        headless_scr = newterm(types[i], headless_out, headless_in);
    if (!headless_scr) {
        fprintf(stderr, "aidesk: no terminal description for the headless console\n");
        return -1;
    }
    set_term(headless_scr);
    input_fd = kp[0];
    *keys_fd = kp[1];
    setup_curses();
    install_handlers(false);
    return 0;
}

void term_end(void)
{
    if (!curses_on)
        return;
    mousemask(0, NULL);
    endwin();
    curses_on = 0;
    if (headless_scr) {
        delscreen(headless_scr);
        headless_scr = NULL;
        fclose(headless_in);
        fclose(headless_out);
        headless_in = headless_out = NULL;
        input_fd = STDIN_FILENO;
    }
}

int term_input_fd(void)
{
    return input_fd;
}

bool term_write_raw(const char *s, size_t len)
{
    if (headless_scr)
        return fwrite(s, 1, len, headless_out) == len;
    return write(STDOUT_FILENO, s, len) == (ssize_t)len;
}

void term_resize_to(int rows, int cols)
{
    resizeterm(rows, cols);
}

int term_signal_fd(void)
{
    return sig_pipe[0];
}

term_signals term_take_signals(void)
{
    term_signals s = {false, false, false, false};
    char buf[64];
    ssize_t n;
    while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            switch (buf[i]) {
            case SIGWINCH: s.resize = true; break;
            case SIGTERM:
            case SIGHUP:
            case SIGINT: s.quit = true; break;
            case SIGTSTP: s.suspend = true; break;
            case SIGCONT: s.resumed = true; break;
            default: break;
            }
        }
    }
    return s;
}

bool term_resize(void)
{
    if (headless_scr)
        return false; /* the script sets the size (term_resize_to) */
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
        return false;
    if (ws.ws_row == LINES && ws.ws_col == COLS)
        return false;
    resizeterm(ws.ws_row, ws.ws_col);
    return true;
}

void term_leave(void)
{
    if (curses_on) {
        def_prog_mode();
        endwin();
    }
}

void term_return(void)
{
    if (curses_on) {
        reset_prog_mode();
        term_resize();
        clearok(curscr, TRUE);
        refresh();
    }
}

void term_suspend(void)
{
    term_leave();
    /* Stop for real: our SIGTSTP handler only notes the signal. */
    install(SIGTSTP, SIG_DFL, 0);
    kill(getpid(), SIGTSTP);
    install(SIGTSTP, note_signal, SA_RESTART);
    term_return();
}

int term_colors(void)
{
    return has_colors() ? COLORS : 0;
}
