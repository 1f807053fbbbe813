/* headless.h: the console without a terminal, driven by a key script.
 *
 * With AIDESK_HEADLESS=COLSxROWS the console draws into a virtual
 * terminal of that size (term_init_headless: curses writes to /dev/null
 * and reads keys from a pipe), runs the script named by
 * AIDESK_HEADLESS_SCRIPT, and writes the screens it asks for under
 * AIDESK_HEADLESS_DUMPS (default: the current directory). The screen is
 * read back from curses' own picture of the terminal (curscr), so what
 * the tests compare is exactly what a terminal would show, as text.
 *
 * A script is one step a line ('#' starts a comment):
 *
 *   type TEXT          types TEXT (UTF-8), as keys
 *   key NAME...        Enter Esc Tab Space BS Del Up Down Left Right Home
 *                      End PgUp PgDn F1..F12 C-a..C-z M-x (Alt-x), or one
 *                      ASCII character
 *   wait REGEX         until a line of the screen matches (POSIX ERE)
 *   gone REGEX         until no line matches
 *   dump NAME          the screen, one line per row, trailing blanks cut
 *   resize COLSxROWS   the terminal takes a new size
 *   sh COMMAND         runs COMMAND with /bin/sh; a failure fails the script
 *
 * Keys go through the pipe exactly as a terminal sends them (escape
 * sequences from the terminal description), and the next step waits
 * until they were read and the screen drawn again, so a lone Esc is never
 * taken for Alt. A wait gives up after AIDESK_HEADLESS_WAIT seconds (30
 * by default): the console then quits with status 3, and the failing line
 * and the screen go to stderr. At the end of the script it quits with 0. */
#ifndef AIDESK_UI_HEADLESS_H
#define AIDESK_UI_HEADLESS_H

#include <stdbool.h>
#include <stdint.h>

struct ui;
typedef struct headless headless;

/* NULL with *err NULL when AIDESK_HEADLESS is not set; NULL with *err
 * (caller frees) when it or the script is wrong. */
headless *headless_from_env(char **err);
void headless_free(headless *h);
void headless_size(const headless *h, int *rows, int *cols);
/* The pipe's writing end (owned by h from now on). */
void headless_attach(headless *h, int keys_fd);

/* Runs the steps that can run now. Called by the main loop whenever the
 * screen is up to date and every key sent was read. Sets u->quit at the
 * end of the script or on a failure. */
void headless_step(headless *h, struct ui *u, int64_t now_mono);
/* Whether keys sent are still waiting in the pipe. */
bool headless_keys_pending(const headless *h, int input_fd);
/* When the step waiting for the screen gives up, or -1. */
long headless_next_timer_ms(const headless *h, int64_t now_mono);
/* The exit status: 0, or 3 after a failed step. */
int headless_status(const headless *h);

#endif
