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

/* Starts curses. Returns 0, or -1 with a message on stderr. */
int term_init(void);
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
