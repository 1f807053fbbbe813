/* attn.c: attention: the key to the workspace that has waited longest for
 * a person, and the bell (day.h). Who waits is the core's (model/wait.h);
 * what rings the bell is the [ui] bell setting, which the desk applies. */
#include "config.h"
#include "day.h"

#include <curses.h>

#include "util/clock.h"

void attn_jump(ui *u)
{
    wait_info w;
    conv *c = desk_longest_wait(u->desk, &w);
    if (!c) {
        desk_flash(u->desk, false, "nobody is waiting for a person");
        return;
    }
    ui_select(u, c);
    char fig[WAIT_FIG_COLS + 1];
    wait_fig(clock_wall_ms() - w.since_ms, fig);
    const char *why = (w.what & WAIT_HUMAN) && (w.what & WAIT_APPROVAL) ? "an answer and a draft's approval"
                      : (w.what & WAIT_HUMAN)                           ? "a human answer"
                                                                        : "a draft's approval";
    desk_flash(u->desk, false, "%s has waited longest: %s for %s", c->title ? c->title : c->id,
              fig + (fig[0] == ' '), why);
}

void attn_bell(ui *u)
{
    /* Terminals turn the bell into urgency (a flag on the window, a
     * notification): one ring per event, as the desk counts them. */
    if (desk_take_bell(u->desk))
        beep();
}
