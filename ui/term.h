/* term.h: the terminal: curses set-up and tear-down, signals.
 *
 * The terminal is restored on every way out: a normal exit, a fatal signal
 * (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL: the handler writes the reset
 * sequences and the saved termios directly, since curses is not
 * async-signal-safe, then re-raises), SIGTERM/SIGHUP/SIGINT (turned into a
 * quit request), and suspension (Ctrl-Z, SIGTSTP) with a clean redraw on
 * SIGCONT. Signal handlers only write a byte to a pipe the main loop polls. */
#ifndef AIDESK_UI_TERM_H
#define AIDESK_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* Starts curses. Returns 0, or -1 with a message on stderr. */
int term_init(void);
/* Starts curses on a virtual terminal of rows x cols (the headless
 * console, ui/headless.h): output goes to /dev/null, keys come from a
 * pipe whose writing end (non-blocking) is *keys_fd. The screen is read
 * back from curses itself. Returns 0, or -1 with a message on stderr. */
int term_init_headless(int rows, int cols, int *keys_fd);
/* The fd the main loop polls for keys: stdin, or the headless pipe. */
int term_input_fd(void);
/* Writes bytes to the terminal outside curses (an OSC 52 clipboard
 * sequence). Returns false when they did not all go out. */
bool term_write_raw(const char *s, size_t len);
/* Gives the virtual terminal a new size (headless only). */
void term_resize_to(int rows, int cols);
/* Ends curses (idempotent). */
void term_end(void);
/* The fd to poll for signal notifications. */
int term_signal_fd(void);

typedef struct term_signals {
    bool resize;
    bool quit;
    bool suspend;
    bool resumed;
} term_signals;
/* Reads what the signal pipe collected. */
term_signals term_take_signals(void);
/* Re-reads the window size after SIGWINCH; returns true if it changed. */
bool term_resize(void);
/* Suspends the process the way Ctrl-Z would, restoring curses after. */
void term_suspend(void);
/* Leaves curses for a child program (the $EDITOR), and comes back. */
void term_leave(void);
void term_return(void);
int term_colors(void);

#endif
