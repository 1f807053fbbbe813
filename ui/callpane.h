/* callpane.h: the call view - a conversation pane for a call to an AI
 * Gate session over the Realtime API (gate/callctl.h). What it offers the
 * other panes: starting a call, and the lines typed while it is shown. */
#ifndef AIDESK_UI_CALLPANE_H
#define AIDESK_UI_CALLPANE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"

/* Calls AI Gate session i (gatectl's index) and shows the call view. A
 * call already running is hung up first. When the session's secret has
 * expired, says so and offers a new session on the input line. */
void call_open(ui *u, size_t i);
/* A finished input line while the call view is shown: text is a turn
 * ("//text" says "/text"). true when the line was the call's; a command
 * is not (/say, /play and /hangup are in the command table, cmds.h). */
bool call_take_line(ui *u, const char *line);

#endif
