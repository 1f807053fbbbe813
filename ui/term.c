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

int term_init(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "aidesk: the console needs a terminal (use a subcommand for scripts; "
                        "see aidesk --help)\n");
        return -1;
    }
    if (pipe(sig_pipe) != 0) {
        perror("aidesk: pipe");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
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
    curses_on = 1;
    atexit(at_exit_restore);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    curs_set(1);
    mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);

    install(SIGWINCH, note_signal, SA_RESTART);
    install(SIGTERM, note_signal, SA_RESTART);
    install(SIGHUP, note_signal, SA_RESTART);
    install(SIGINT, note_signal, SA_RESTART);
    install(SIGTSTP, note_signal, SA_RESTART);
    install(SIGCONT, note_signal, SA_RESTART);
    install(SIGPIPE, SIG_IGN, 0);
    int fatal[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        install(fatal[i], crash_restore, SA_RESETHAND);
    return 0;
}

void term_end(void)
{
    if (!curses_on)
        return;
    mousemask(0, NULL);
    endwin();
    curses_on = 0;
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
