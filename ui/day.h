/* day.h: what the console shows of a support team's day: who waits and
 * for how long (the sidebar, the drafts queue), a key to the one waiting
 * longest, the bell, the undo window's countdown, the ended workspaces
 * folded away.
 *
 * The facts are the core's (model/wait.h, model/order.h, desk.h's undo
 * window); these are the few functions the panes offer one another about
 * them. UI thread only. */
#ifndef AIDESK_UI_DAY_H
#define AIDESK_UI_DAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui.h"

/* attn.c: the key that jumps to the workspace that has waited longest
 * (F5): selects it and says how long it has waited; says so when nobody
 * waits. */
void attn_jump(ui *u);
/* Rings the terminal's bell when the desk says so (desk_take_bell: a new
 * draft, a customer writing in takeover, as the [ui] bell setting asks). */
void attn_bell(ui *u);

/* cmd_conv.c: takes back the newest action held in its undo window (F8,
 * /undo); a reply's text comes back to the input line (from_line: the
 * line being handled, else an empty one). */
void day_undo(ui *u, bool from_line);

/* draftspane.c: the draft the queue has selected (NULL: none), and
 * whether the queue has the focus (its keys act on that draft). */
const char *drafts_selected_id(ui *u);
bool drafts_focused(ui *u);

/* convpane.c: the id of the draft the conversation shows under its
 * messages (the one /approve, /edit, /reject mean without an id), or
 * NULL when it shows none or that draft left the queue. */
const char *convpane_drawn_draft(ui *u);

/* sidebar.c */
/* The sidebar's filter as the status bar shows it, or NULL when it shows
 * everything. */
const char *sidebar_filter_name(ui *u);
/* Whether the selection is on the "ended (N)" row, and opening or closing
 * that group (Enter on an empty line, a click). */
bool sidebar_on_group(ui *u);
void sidebar_toggle_group(ui *u);

#endif
