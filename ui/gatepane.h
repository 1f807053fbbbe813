/* gatepane.h: the AI Gate pane's state, shared by its two files
 * (gatepane.c draws it and takes its keys, gatecmd.c runs /gate). */
#ifndef AIDESK_UI_GATEPANE_H
#define AIDESK_UI_GATEPANE_H

#include "ui.h"

typedef struct gatepane {
    pane p;
    size_t sel;   /* the session chosen */
    bool details; /* its details shown */
    bool secrets; /* secrets shown in them */
} gatepane;

gatepane *gatepane_of(ui *u);
/* Shows the pane with the focus (or says why there is no AI Gate). */
void gate_open(ui *u);
/* Copies what of the chosen session to the clipboard or a private file. */
void gate_copy(ui *u, gatectl_copy_what what);

#endif
