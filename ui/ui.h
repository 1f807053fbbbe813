/* ui.h: the console's shared state and the panes' drawing functions.
 *
 * One ui struct lives for the whole run, on the UI thread. Panes read the
 * model (through the app) and draw into stdscr inside their rectangle from
 * the layout; the main loop decides which panes are dirty and refreshes
 * the screen at most once a frame. All remote text goes through ui_text,
 * which sanitises it. */
#ifndef AIDESK_UI_UI_H
#define AIDESK_UI_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/settings.h"
#include "config/theme.h"
#include "core/app.h"
#include "core/compare.h"
#include "core/draftq.h"
#include "core/gatectl.h"
#include "text/view.h"
#include "core/model.h"
#include "view/layout.h"
#include "view/commands.h"
#include "view/scroll.h"

/* What the console remembers about one conversation's presentation. */
typedef struct convui {
    char *conv_id;
    scroll_state sc;
    bool as_agent;   /* in a workspace: speak as a human agent */
    size_t seen;     /* messages counted for "N new below" */
} convui;

typedef enum ui_focus {
    FOCUS_INPUT,
    FOCUS_DRAFTS,
    FOCUS_HELP,
    FOCUS_GATE,
    FOCUS_COMPARE, /* keys act on the comparison's columns */
    FOCUS_PICKER,  /* the list picker overlay */
} ui_focus;

/* One column of a comparison on screen: its answer (earlier turns, then the
 * current one) laid out by a text_view, and its own scroll position. */
typedef struct cmpcol {
    text_view *v;
    size_t turns;      /* turns in the prefix given to the view */
    size_t fed;        /* bytes of the current answer given to the view */
    unsigned rev;
    int top;           /* first line shown when not following */
    bool follow;
} cmpcol;

/* A comparison the console shows. */
typedef struct cmpui {
    compare_t *c;
    char *title;
    int sel;           /* the selected column */
    int zoom;          /* the column zoomed, or -1 */
    int first;         /* paging */
    int runs;          /* rounds per prompt (/compare -n) */
    cmpcol cols[COMPARE_MAX_COLS];
} cmpui;

struct ui;

/* The list picker overlay (choosing models, reopening a comparison). */
typedef struct picker {
    char *title;
    char **items;
    bool *chosen;
    size_t n, sel, top;
    bool multi;
    void (*done)(struct ui *u, struct picker *p); /* on Enter */
    int runs;          /* carried for /compare -n */
    bool blind;        /* carried for /compare --blind */
    char **paths;      /* for /reopen */
} picker;

typedef struct ui {
    const config_t *cfg;
    net_t *net;
    app_t *app;
    model *m;
    int rows, cols;
    layout lay;
    theme_t *theme;
    int styles[THEME_N_STYLES]; /* curses attributes per style */

    conv *cur;
    convui *cuis;
    size_t ncuis, capcuis;
    ai_mode filter;
    conv **sorted;      /* the sidebar's order, rebuilt when the model changes */
    size_t nsorted, capsorted;
    int side_top;       /* first sidebar row shown */

    ui_focus focus;
    /* The drafts queue as the last frame drew it; its sel is the queue's
     * selection (a draft id). Keys act on what it holds, never on the
     * model's list as it is by then (core/draftq.h). */
    dq_view queue;
    unsigned queue_rev;  /* the model's rev when the picture was taken */
    bool queue_taken;
    dq_view queue_cmd;   /* the queue when the command line was opened */
    int help_top;
    char *editing_draft; /* the id of the draft being edited in the input line */
    bool editing_told;   /* the person was told that draft left the queue */
    char *refill;        /* text for the input line once the line being handled is done */
    char *search;        /* the last /search needle */
    size_t search_msg;   /* the message of the last match */

    /* AI Gate: the pane replaces the conversation while gate_view is set. */
    gatectl_t *gate;     /* NULL when no project id is configured */
    char *gate_err;      /* why there is no gate */
    bool gate_view;
    size_t gate_sel;
    bool gate_details;
    bool gate_secrets;   /* show secrets in the details */
    unsigned seen_gate_rev;

    /* Comparisons: listed in the sidebar after the conversations; the one
     * in cur_cmp replaces the conversation pane. */
    cmpui **cmps;
    size_t ncmps, capcmps;
    cmpui *cur_cmp;
    picker *pick;
    uint64_t seen_cmp_sig;

    bool dirty;          /* something must be drawn */
    unsigned seen_model_rev, seen_status_rev, seen_conv_rev;
    const conv *seen_conv;
    uint64_t seen_sig;   /* signature of the visible messages' revisions */
    int64_t last_draw_ms;
    int64_t frames;
    unsigned erase_epoch; /* bumped whenever the whole screen was erased */
    bool quit;
} ui;

/* ---- ui.c: shared helpers */
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
int ui_style(const ui *u, int style);
convui *ui_convui(ui *u, const conv *c);
void ui_select(ui *u, conv *c);
void ui_rebuild_sorted(ui *u);
void ui_apply_theme(ui *u, theme_t *t);

/* ---- panes */
void sidebar_draw(ui *u);
/* What the sidebar shows at screen row y: a conversation or a comparison
 * (both NULL when nothing). */
void sidebar_hit(ui *u, int y, conv **c, cmpui **k);
void title_draw(ui *u);
void convpane_draw(ui *u);
/* Scrolling keys for the conversation pane. */
void convpane_scroll(ui *u, int delta_lines);
void convpane_home(ui *u);
void convpane_end(ui *u);
/* Signature of what the pane would show now (changes when it must redraw). */
uint64_t convpane_signature(ui *u);
/* Finds the next message containing needle after the current match; moves
 * the view there. Returns false when there is none. */
bool convpane_search(ui *u, const char *needle, bool next);
void typing_draw(ui *u);
void drafts_draw(ui *u);
void status_draw(ui *u);
void help_draw(ui *u);

/* ---- gatepane.c: AI Gate */
void gatepane_draw(ui *u);
void gatepane_key(ui *u, int is_key, wint_t ch);
struct cmd_parsed;
void gate_command(ui *u, const struct cmd_parsed *p);
void gate_open(ui *u);

/* ---- comparepane.c: model comparisons */
void comparepane_draw(ui *u);
void compare_key(ui *u, int is_key, wint_t ch);
void compare_command(ui *u, int id, const struct cmd_parsed *p);
void compare_submit(ui *u, const char *text);
void ui_select_cmp(ui *u, cmpui *k);
uint64_t compare_signature(ui *u);
long compares_next_timer_ms(ui *u, int64_t now_mono);
void compares_tick(ui *u, int64_t now_mono);
void compares_free(ui *u);

/* ---- picker.c */
void picker_draw(ui *u);
void picker_key(ui *u, int is_key, wint_t ch);
void picker_free(picker *p);

/* ---- input.c: the readline bridge */
void input_init(ui *u);
void input_end(ui *u);
/* Feeds one key from curses (a wide character or a KEY_ code). */
void input_key(ui *u, int is_key, wint_t ch);
void input_draw(ui *u);
/* Lines the input needs at the current width. */
int input_lines(ui *u);
const char *input_text(void);
void input_set_text(ui *u, const char *text);
bool input_empty(void);
/* Clears the input line, keeping its text in the history (Up brings it back). */
void input_clear_to_history(ui *u);
/* Opens the current input in $EDITOR. */
void input_edit_external(ui *u);

/* ---- cmdrun.c: what a finished line does */
void console_submit(ui *u, const char *line);
void console_command(ui *u, const char *line);
/* The command line is being opened (its first key): row numbers typed in
 * it are read against the queue as it shows now. */
void console_line_opened(ui *u);
/* Starts editing draft_id (the draft a row or a command named) in the
 * input line; says why not when it left the queue. */
void console_edit_draft(ui *u, const char *draft_id);
/* After events: tells the person, once, that the draft they are editing
 * left the queue. */
void console_drafts_watch(ui *u);
/* Completion candidates for an argument kind (readline's Tab). */
const char *const *console_candidates(void *ud, cmd_arg kind, size_t *n);

/* ---- keys.c: every key waiting on the terminal */
void keys_read(ui *u);

/* ---- style.c: themes by name, and the one to start with (NO_COLOR). */
theme_t *console_load_theme(const char *name, char **err);
theme_t *console_initial_theme(const config_t *cfg, char **err);

#endif
