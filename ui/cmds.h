/* cmds.h: the console's slash commands.
 *
 * Each command of view/commands.h's CMD_LIST has one handler here,
 * uicmd_<name>, defined beside the pane or the state it acts on (the
 * drafts commands in draftspane.c, /gate in gatecmd.c, ...). The table
 * in cmdtab.c is built from the same list, so a command without a
 * handler does not link, and dispatching is one array lookup. A handler
 * gets the parsed line (arguments checked against the command's
 * minimum) and says what went wrong itself (desk_flash). */
#ifndef AIDESK_UI_CMDS_H
#define AIDESK_UI_CMDS_H

#include "ui.h"
#include "view/commands.h"

typedef void (*uicmd_fn)(ui *u, const cmd_parsed *p);

#define UICMD_DECLARE(id, name) void uicmd_##name(ui *u, const cmd_parsed *p);
CMD_LIST(UICMD_DECLARE)
#undef UICMD_DECLARE

/* Parses and runs a "/command" line. */
void console_command(ui *u, const char *line);

#endif
