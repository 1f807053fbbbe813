/* ui.h: the console's shared state, the drawing helpers, and what panes
 * may ask of one another.
 *
 * One ui lives for the whole run, on the UI thread. It holds what is not
 * any one pane's: the services and the content they keep (the model,
 * AI Gate, the comparisons), what the sidebar has selected, the screen,
 * and the panes (pane.h), each of which keeps its own state. All remote
 * text goes through ui_text, which sanitises it. */
#ifndef AIDESK_UI_UI_H
#define AIDESK_UI_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/settings.h"
#include "config/theme.h"
#include "desk/desk.h"
#include "compare/compare.h"
#include "gate/gatectl.h"
#include "model/model.h"
#include "pane.h"
#include "text/view.h"
#include "view/commands.h"
#include "view/layout.h"
#include "view/scroll.h"

/* One column of a comparison on screen: its answer (earlier turns, then
 * the current one) laid out by a text_view, and its own scroll position. */
typedef struct cmpcol {
    text_view *v;
    size_t turns;      /* turns in the prefix given to the view */
    size_t fed;        /* bytes of the current answer given to the view */
    unsigned rev;
    int top;           /* first line shown when not following */
    int shown_top;     /* first line shown at the last draw */
    bool follow;
} cmpcol;

/* How a comparison of this run is shown. The comparisons, their titles
 * and rounds per prompt are the core's (the desk lists them: desk_compare);
 * this is the comparison's view (compare_set_view), made by ui_cmpui and
 * freed with the comparison. */
typedef struct cmpui {
    compare_t *c;      /* the comparison it shows (borrowed) */
    int sel;           /* the selected column */
    int zoom;          /* the column zoomed, or -1 */
    int first;         /* paging */
    cmpcol cols[COMPARE_MAX_COLS];
} cmpui;

typedef struct ui {
    /* The services, and the content they keep (the comparisons: the
     * desk's, listed after the conversations). */
    const config_t *cfg;
    net_t *net;
    desk_t *desk;
    model *m;
    gatectl_t *gate;     /* AI Gate; NULL when no project id is configured */
    char *gate_err;      /* why there is no gate */

    /* What the sidebar has selected: a conversation or a comparison. */
    conv *cur;
    cmpui *cur_cmp;

    /* The screen. */
    int rows, cols;
    layout lay;
    theme_t *theme;
    int styles[THEME_N_STYLES]; /* curses attributes per style */

    /* The panes, in drawing order (panes.c). */
    pane **panes;
    size_t npanes;
    pane *focus;         /* asked first about every key */
    pane *main;          /* the one in the main area */
    pane *line;          /* the input line */

    /* Frames. */
    bool dirty;          /* a key or a resize: the next frame draws everything */
    int64_t last_draw_ms;
    int64_t frames;
    unsigned erase_epoch; /* bumped whenever the whole screen was erased */
    bool quit;
} ui;

/* ---- ui.c: drawing helpers */
/* Draws text (untrusted UTF-8; sanitised here) at (y, x), at most w
 * columns; returns the columns used. */
int ui_text(ui *u, int y, int x, int w, const char *s, size_t len, int attr);
/* The same for text that is already safe to show (the markdown engine's
 * output, sanitised when it was parsed). */
int ui_text_safe(ui *u, int y, int x, int w, const char *s, size_t len, int attr);
/* The same on one line: line breaks and tabs become single spaces (a
 * preview of a longer text), everything else as ui_text. */
int ui_text_oneline(ui *u, int y, int x, int w, const char *s, size_t len, int attr);
/* Clears w cells from (y, x) with attr. */
void ui_blank(ui *u, int y, int x, int w, int attr);
/* Clears the rectangle r with the default style. */
void ui_blank_rect(ui *u, rect r);
int ui_style(const ui *u, int style);
/* A conversation's badge (CHAT, AI, SHADOW, TAKEOVER) and its style. */
const char *ui_badge(const conv *c, int *style);

/* ---- ui.c: the selection and the main area */
/* Selects a conversation (NULL: none); a comparison in the main area
 * gives way to it. */
void ui_select(ui *u, conv *c);
/* Selects a comparison and shows it. */
void ui_select_cmp(ui *u, cmpui *k);
/* Shows p in the main area; NULL: the pane of the selection. */
void ui_show(ui *u, pane *p);
/* The pane that shows the selection (the conversation or comparison
 * pane), whatever the main area shows now. */
pane *ui_selection_pane(ui *u);
extern const pane_ops convpane_ops, comparepane_ops;

/* ---- panes.c: the registry */
void ui_panes_new(ui *u);
void ui_panes_free(ui *u);
/* The pane whose operations are ops (each kind exists once). */
pane *ui_pane(ui *u, const pane_ops *ops);
/* Gives p the focus; NULL gives it back to the input line. */
void ui_focus(ui *u, pane *p);
/* Opens an overlay with the focus, and closes it. */
void ui_open(ui *u, pane *p);
void ui_close(ui *u, pane *p);

/* ---- frame.c: frames */
/* Whether anything on screen is out of date. */
bool frame_needed(ui *u);
/* Draws what changed (everything after a key or a resize). */
void frame_draw(ui *u);

/* ---- what the panes offer one another (each in its own file) */
/* convpane.c: the conversation pane. What the console remembers about
 * one conversation's presentation: */
typedef struct convui {
    char *conv_id;
    scroll_state sc;
    bool as_agent;   /* in a workspace: speak as a human agent */
    size_t seen;     /* messages counted for "N new below" */
    /* The message at the top of the view (when not following), by
     * identity: earlier messages put before it shift every position. */
    char *top_id;
} convui;
convui *ui_convui(ui *u, const conv *c);
/* F3: the next match of the last /search. */
void convpane_search_next(ui *u);
/* sidebar.c */
void sidebar_rebuild(ui *u);
/* Ctrl-N / Ctrl-P: conversations first, then comparisons, round. */
void sidebar_move(ui *u, int delta);
conv *sidebar_first(ui *u);
/* draftspane.c: the drafts queue */
void drafts_toggle_focus(ui *u);
/* Starts editing draft_id in the input line; says why not when it left. */
void drafts_edit(ui *u, const char *draft_id);
/* Completion: the ids the queue shows (borrowed). */
const char *const *drafts_ids(ui *u, size_t *n);
/* gatepane.c */
void gate_toggle(ui *u);
/* helppane.c */
void help_open(ui *u);
/* The first screen's key hint for the status bar, until help has been
 * opened once (in any run); NULL after that. */
const char *help_first_hint(ui *u);
/* picker.c: a list to choose from, over the panes */
typedef struct picker {
    char *title;
    char **items;
    bool *chosen;
    size_t n, sel, top;
    bool multi;
    void (*done)(ui *u, struct picker *p); /* on Enter */
    int runs;          /* carried for /compare -n */
    bool blind;        /* carried for /compare --blind */
    char **paths;      /* for /reopen */
} picker;
/* Shows p (taking it) until Enter or Esc. */
void picker_open(ui *u, picker *p);
void picker_free(picker *p);
/* comparisons.c */
/* The view of c, made the first time it is asked for. */
cmpui *ui_cmpui(ui *u, compare_t *c);
/* The desk's comparisons, in creation order, as shown. */
size_t compares_count(ui *u);
cmpui *compares_at(ui *u, size_t i);
void compare_submit(ui *u, const char *text);
uint64_t compares_sig(ui *u);
/* Frees every comparison of the desk (and its view): console shutdown. */
void compares_free(ui *u);
/* inputpane.c: the input line */
/* Starts editing draft_id whose text is content; Enter approves it. */
void line_edit_draft(ui *u, const char *draft_id, const char *content);
/* The id of the draft being edited, or NULL. */
const char *line_editing_draft(ui *u);
/* Ends the edit: returns the draft's id (the caller frees it), or NULL. */
char *line_take_edit(ui *u);
/* Text for the input line once the line being handled is done (a line
 * given back for another try). */
void line_refill(ui *u, const char *text);
/* The line was opened (its first key): the panes are told. */
void line_opened(ui *u);
/* A key for the line that nothing else took (keys.c). */
void line_type(ui *u, int key);

/* ---- line.c: what a finished line does (a command, an edited draft,
 * or a message), and completion */
void console_submit(ui *u, const char *line);
const char *const *console_candidates(void *ud, cmd_arg kind, size_t *n);

/* ---- input.c: GNU readline, keys in, the line's text out */
void input_init(ui *u);
void input_end(ui *u);
/* Feeds one key (pane.h's int keys). */
void input_key(ui *u, int key);
const char *input_text(void);
/* Bytes before the cursor. */
size_t input_point(void);
void input_set_text(ui *u, const char *text);
bool input_empty(void);
/* Clears the input line, keeping its text in the history (Up brings it back). */
void input_clear_to_history(ui *u);
/* Opens the current input in $EDITOR. */
void input_edit_external(ui *u);

/* ---- keys.c: every key waiting on the terminal */
void keys_read(ui *u);

/* ---- style.c: themes by name, and the one to start with (NO_COLOR). */
void ui_apply_theme(ui *u, theme_t *t);
theme_t *console_load_theme(const char *name, char **err);
theme_t *console_initial_theme(const config_t *cfg, char **err);

#endif
