/* pane.h: what every pane of the console is, and how it is asked things.
 *
 * A pane is a value with operations (as tig's views share one table of
 * operations): it draws itself in the rectangle the layout gives its
 * slot, says what it shows (a signature, so the frame knows when to draw
 * it again), answers keys when it has the focus, and may have timers.
 * Its state is its own struct, which starts with a `pane`, in its own
 * file; nothing else reaches into it. Adding a pane is one new file with
 * its pane_ops and a constructor, and one line in the registry
 * (panes.c); docs/architecture.md has the recipe.
 *
 * Keys are ints: a character as is, a curses KEY_ code as K_FN(code)
 * (the two ranges overlap otherwise). A pane's key table binds keys to
 * handlers and carries the help each pane shows (hint line, F1). */
#ifndef AIDESK_UI_PANE_H
#define AIDESK_UI_PANE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view/layout.h"

struct ui;
typedef struct pane pane;

#define K_FN_BIT 0x40000000
#define K_FN(code) ((int)(code) | K_FN_BIT)
#define K_IS_FN(k) (((k) & K_FN_BIT) != 0)
#define K_ESC 27
#define K_CTRL(c) ((c) & 0x1f)
/* Any function key F1 to F12: they reach the console's own bindings
 * (keys.c) whichever pane has the focus. */
#define K_IS_FKEY(k) ((k) >= K_FN(KEY_F(1)) && (k) <= K_FN(KEY_F(12)))

/* Where the layout puts a pane. MAIN holds one pane at a time (ui.main:
 * the conversation, a comparison, AI Gate); an OVERLAY is drawn over
 * the others while it is open. */
typedef enum pane_slot {
    SLOT_SIDEBAR,
    SLOT_TITLE,
    SLOT_MAIN,
    SLOT_TYPING,
    SLOT_DRAFTS,
    SLOT_STATUS,
    SLOT_INPUT,
    SLOT_OVERLAY,
} pane_slot;

/* One binding of a pane's key table. The table ends with a zero key.
 * keys/help are what help shows ("a", "approve"); an entry without
 * them binds a key that an entry before it already describes (Down
 * after "Up/Down"). */
typedef struct pane_key {
    int key;
    const char *keys, *help;
    void (*fn)(pane *p, struct ui *u, int key);
} pane_key;

typedef struct pane_ops {
    const char *name;
    pane_slot slot;
    /* Draws the whole of p->r (blank what it does not fill). Required. */
    void (*draw)(pane *p, struct ui *u);
    /* What it would show now, as far as anything but a key can change
     * it (a key redraws everything). The frame draws the pane again when
     * this changes. NULL: only a key changes it. */
    uint64_t (*sig)(pane *p, struct ui *u);
    /* Its wishes for the layout (the drafts queue open, lines of input). */
    void (*wants)(pane *p, struct ui *u, layout_opts *o);

    /* Keys while it has the focus: its table, then key() for the rest;
     * key() returns true when the key stops there. A key that goes on
     * reaches the console's bindings, and then the input line. */
    const pane_key *keys;
    bool (*key)(pane *p, struct ui *u, int key);
    /* In MAIN, with the input line focused and empty: whether this key
     * hands this pane the focus (Esc to AI Gate, arrows to a comparison). */
    bool (*claim)(pane *p, struct ui *u, int key);
    /* Showing the sidebar's selection: keys typed on the input line that
     * act on it first (scrolling, Esc stopping a reply). */
    bool (*from_line)(pane *p, struct ui *u, int key, bool line_empty);
    /* A mouse event in its rectangle (or, for the wheel, anywhere). */
    void (*mouse)(pane *p, struct ui *u, const MEVENT *me);
    /* Where the cursor goes while it has the focus; false hides it. */
    bool (*cursor)(pane *p, struct ui *u, int *y, int *x);

    /* In MAIN: draws the title line r for what it shows. */
    void (*title)(pane *p, struct ui *u, rect r);
    /* After events and keys: brings its own state up to the model's. */
    void (*sync)(pane *p, struct ui *u);
    /* The command line was opened (its first key was typed). */
    void (*line_opened)(pane *p, struct ui *u);
    /* Timers: ms until the next (-1: none), and running what is due. */
    long (*next_timer_ms)(pane *p, struct ui *u, int64_t now_mono);
    void (*tick)(pane *p, struct ui *u, int64_t now_mono);
    /* Releases the pane and what it holds. NULL: free(p). */
    void (*free)(pane *p);
} pane_ops;

struct pane {
    const pane_ops *ops;
    rect r;             /* given by the frame before each draw */
    bool open;          /* an overlay: shown */
    uint64_t drawn_sig; /* sig() when it was last drawn */
};

/* Runs p's key table for key; true when a binding took it. */
bool pane_keytab(pane *p, struct ui *u, int key);
/* Asks the pane with the focus about key: its table, then its key(). */
bool pane_take_key(pane *p, struct ui *u, int key);
/* The hint line of a key table: "a approve  e edit ..." into buf. */
void pane_keys_hint(const pane_key *keys, char *buf, size_t len);
/* Draws p's key-hint line on row y from x, w columns, in attr: head
 * (NULL: none), then the keys of p's table (pane_keys_hint) while p has
 * the focus, else away: what gives it the keys ("F2 to choose"; NULL:
 * nothing). bar: a status bar, the row blanked in attr first and the
 * text one column in; otherwise the text goes over what is there (a
 * header on a border). Every pane that shows its keys draws them so. */
void pane_hint_line(pane *p, struct ui *u, int y, int x, int w, int attr, bool bar, const char *head,
                    const char *away);

#endif
