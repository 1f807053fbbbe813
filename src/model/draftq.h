/* draftq.h: the drafts queue as the person saw it.
 *
 * Keys and commands aimed at the queue act on identities, not positions:
 * a key pressed on a row acts on the draft that row showed when the queue
 * was last drawn, whatever the list did since (a workspace ended, another
 * manager decided a draft). A dq_view is that picture: the pending drafts
 * in the order the queue listed them (row N is rows[N - 1]), the
 * workspace of each, and the selected draft.
 *
 * The console moves the selection along with its draft (dq_follow) and
 * takes a new picture (dq_capture) only when it draws a frame, so a key
 * read before the next frame still acts on what the screen showed. It
 * keeps a second picture from the moment the command line was opened:
 * row numbers typed by hand are read against it (dq_resolve).
 *
 * Plain data, no curses, no I/O; every dq_view is zeroed to start and
 * released with dq_clear. */
#ifndef AIDESK_MODEL_DRAFTQ_H
#define AIDESK_MODEL_DRAFTQ_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

typedef struct dq_row {
    char *draft_id;
    char *ws_id;
    char *label; /* the workspace's name when the picture was taken */
} dq_row;

typedef struct dq_view {
    dq_row *rows;
    size_t n, cap;
    char *sel; /* the selected draft's id, or NULL */
} dq_view;

/* Releases what v holds; v is then empty (and may be used again). */
void dq_clear(dq_view *v);
/* Makes dst a copy of src (dst's old contents released). */
void dq_copy(dq_view *dst, const dq_view *src);
/* Replaces v with the model's pending drafts, in queue order, and sel
 * (copied; NULL for none) as the selection. */
void dq_capture(dq_view *v, const model *m, const char *sel);

/* The 0-based row of draft_id in v, or -1. */
long dq_find(const dq_view *v, const char *draft_id);
/* The selected row, or NULL. */
const dq_row *dq_selected(const dq_view *v);
/* Moves the selection delta rows within v, stopping at either end (the
 * first row when nothing was selected). */
void dq_move(dq_view *v, int delta);

/* Where the selection belongs once the queue moved from the picture
 * `shown` to the model's drafts: its own draft while that is pending;
 * when it left, the nearest draft after it in `shown` that is still
 * pending, else the nearest before it; failing those (or with nothing
 * selected), the first pending draft; NULL when none is pending. The id
 * returned belongs to m. */
const char *dq_follow(const dq_view *shown, const model *m);

/* Whether word, the first word after /reject, names a draft rather than
 * starting the reason: a row number, an id in either picture, pending or
 * remembered by the model, or an id of the documented "drf_" form. */
bool dq_is_ref(const dq_view *opened, const dq_view *now, const model *m, const char *word);

/* Resolves a draft named in a command. A row number N means the draft row
 * N showed when the command line was opened (`opened`); if the queue now
 * (`now`, the last frame) shows another draft in row N, or has no row N,
 * the number is ambiguous and refused: *err (caller frees) says so, and
 * *meant (when not NULL) gets the id row N showed when the line was
 * opened, for the person to confirm. Anything else is a draft id, taken
 * as is. Returns the draft id (pointing into the pictures or into word) or
 * NULL with *err set (*meant NULL when the number showed nothing). */
const char *dq_resolve(const dq_view *opened, const dq_view *now, const char *word,
                       const char **meant, char **err);

#endif
