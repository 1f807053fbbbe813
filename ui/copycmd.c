/* copycmd.c: /copy, the last answer of the conversation shown, or one of
 * its code blocks (desk/desk.h's desk_copy chooses the sink: OSC 52 when
 * [ui] osc52 is on, else a new private file), and where it went, said in
 * the status line. */
#include "config.h"
#include "cmds.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>

/* "N" as a block number (1 and up), or 0 when it is not one. */
static int block_number(const char *s)
{
    if (!s || !*s || strlen(s) > 6 || strspn(s, "0123456789") != strlen(s))
        return 0;
    return atoi(s);
}

void uicmd_copy(ui *u, const cmd_parsed *p)
{
    int block = 0;
    if (p->argc >= 1) {
        if (strcmp(p->argv[0], "code") != 0 || p->argc > 2) {
            desk_flash(u->desk, true, "/copy: usage: /copy [code [N]]");
            return;
        }
        block = p->argc == 2 ? block_number(p->argv[1]) : 1;
        if (block <= 0) {
            desk_flash(u->desk, true, "/copy code: N is a code block's number, 1 for the first");
            return;
        }
    }
    if (!u->cur || u->main != ui_selection_pane(u) || u->cur_cmp) {
        desk_flash(u->desk, true, "/copy copies from the conversation shown: open one first");
        return;
    }
    copy_out out;
    char *err = NULL;
    if (!desk_copy(u->desk, u->cur, block, &out, &err)) {
        desk_flash(u->desk, true, "/copy: %s", err);
        free(err);
        return;
    }
    char what[48];
    if (block)
        snprintf(what, sizeof what, "code block %d", block);
    else
        snprintf(what, sizeof what, "the last answer");
    if (out.osc52) {
        /* Invisible on screen: the terminal puts it on the clipboard. */
        if (!term_write_raw(out.osc52, strlen(out.osc52)))
            desk_flash(u->desk, true, "/copy: could not write to the terminal's clipboard");
        else
            desk_flash(u->desk, false, "copied %s (%zu bytes) to the clipboard (OSC 52)", what, out.bytes);
    } else {
        desk_flash(u->desk, false, "wrote %s (%zu bytes) to %s (mode 0600)", what, out.bytes, out.path);
    }
    copy_out_clear(&out);
}
