/* panes.h: the registry of panes. Each pane file defines NAME_new(u),
 * which builds its pane (its state struct, starting with a `pane`); the
 * list below is every pane the console has, in drawing order: the
 * tiled ones, then the overlays, which are drawn over them. Adding a
 * pane is one line here (see docs/architecture.md). */
#ifndef AIDESK_UI_PANES_H
#define AIDESK_UI_PANES_H

#include "pane.h"

struct ui;

#define PANES(X)                                                                                      \
    X(sidebar) X(titlebar) X(convpane) X(gatepane) X(callpane) X(comparepane) X(typing) X(drafts) X(statusbar)   \
    X(inputpane) X(helppane) X(picker)

#define PANE_DECLARE(name) pane *name##_new(struct ui *u);
PANES(PANE_DECLARE)
#undef PANE_DECLARE

#endif
