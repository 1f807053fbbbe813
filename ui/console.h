/* console.h: the interactive console (curses). The only entry point the
 * rest of the program uses. */
#ifndef AIDESK_UI_CONSOLE_H
#define AIDESK_UI_CONSOLE_H

#include "config/settings.h"

typedef struct console_opts {
    bool demo;          /* connected to a simulator started by aidesk --demo */
    const char *demo_note; /* a line to show at start (e.g. the simulator's address) */
} console_opts;

/* Runs the console until the user quits. cfg is borrowed. Returns the
 * process exit status. */
int console_run(const config_t *cfg, const console_opts *opts);

#endif
