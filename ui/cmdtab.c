/* cmdtab.c: running a slash command: the table from command id to
 * handler (cmds.h), and the commands that belong to the whole console. */
#include "config.h"
#include "cmds.h"

#include <stdlib.h>

static const uicmd_fn handlers[] = {
#define UICMD_ENTRY(id, name) [CMD_##id] = uicmd_##name,
    CMD_LIST(UICMD_ENTRY)
#undef UICMD_ENTRY
};
_Static_assert(sizeof handlers / sizeof *handlers == CMD_COUNT, "one handler per command, in CMD_LIST");

void console_command(ui *u, const char *line)
{
    cmd_parsed p;
    char *err = NULL;
    if (cmd_parse(line, &p, &err) != 0) {
        desk_flash(u->desk, true, "%s", err);
        free(err);
        return;
    }
    handlers[p.def->id](u, &p);
    u->dirty = true;
    cmd_parsed_free(&p);
}

void uicmd_quit(ui *u, const cmd_parsed *p)
{
    (void)p;
    u->quit = true;
}

void uicmd_theme(ui *u, const cmd_parsed *p)
{
    char *err = NULL;
    theme_t *t = console_load_theme(p->argv[0], &err);
    if (!t) {
        desk_flash(u->desk, true, "/theme: %s", err);
        free(err);
        return;
    }
    ui_apply_theme(u, t);
    clearok(curscr, TRUE);
}

void uicmd_reload(ui *u, const cmd_parsed *p)
{
    (void)p;
    desk_reload(u->desk);
}
