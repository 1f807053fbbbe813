/* order.h: the sidebar's list: which conversations (a filter), in what
 * order (one that holds still while the person steps through it), and
 * finding one by name.
 *
 * Filters: "all"; "active" (not ended: live workspaces and chats); a mode
 * ("ai", "shadow", "takeover": workspaces in that mode, ended ones
 * included); or "active" and a mode together ("active takeover"). The
 * name of a filter (conv_filter_name) is what a pane shows while it is on.
 *
 * The order: model_sorted (model.h) sorts by activity, so a conversation
 * with news moves up between two frames. While the person steps through
 * the list that is a trap: the row under the cursor changes by itself. A
 * conv_order is a picture of the order that the person moves in: frozen,
 * it keeps every conversation in its row; those that leave (the filter no
 * longer takes them, or they left memory) leave, new ones join at the end;
 * thawed, it takes the model's order again at the next refresh. The UI
 * freezes it while the person moves and thaws it when they stop (or
 * leave the list).
 *
 * Plain data, no I/O; UI thread only. */
#ifndef AIDESK_MODEL_ORDER_H
#define AIDESK_MODEL_ORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

typedef struct conv_filter {
    bool active_only; /* not ended */
    ai_mode mode;     /* AI_MODE_UNKNOWN: any (chats too) */
} conv_filter;

/* The filter that takes everything. */
#define CONV_FILTER_ALL ((conv_filter){false, AI_MODE_UNKNOWN})

/* Reads a filter: words separated by spaces, "all", "active" and a mode
 * (at most one of each; "all" alone). Returns false with *err (caller
 * frees) naming what is wrong. */
bool conv_filter_parse(const char *text, conv_filter *out, char **err);
/* "all", "active", "takeover", "active takeover": a static string. */
const char *conv_filter_name(const conv_filter *f);
bool conv_filter_is_all(const conv_filter *f);
/* Whether the filter takes c. A mode takes only workspaces in it. */
bool conv_filter_match(const conv_filter *f, const conv *c);

/* model_sorted with a filter: up to max conversations, most recent
 * activity first (live before ended), those f takes. */
size_t model_sorted_by(model *m, const conv_filter *f, conv **out, size_t max);

typedef struct conv_order {
    char **ids;  /* the rows, by conversation id */
    size_t n, cap;
    bool frozen;
} conv_order;

/* A zeroed conv_order is empty and thawed. */
void order_clear(conv_order *o);
void order_freeze(conv_order *o);
void order_thaw(conv_order *o);

/* Brings o up to date with m under f (see above) and fills out (up to max)
 * with its conversations, row by row. Returns how many. Costs the
 * conversations in memory (a lookup by id each while frozen). */
size_t order_refresh(conv_order *o, model *m, const conv_filter *f, conv **out, size_t max);

/* The conversation called name: its id; else a conversation whose title
 * (a workspace's client id, a chat's title) is name, exactly, then ignoring
 * case; else the one whose title starts with name (ignoring case) when
 * only one does. Among several of one title, a live one before an ended
 * one, then the most recent. *nmatch (may be NULL) gets how many had that
 * title (or prefix), so that a pane can say which of them it took. NULL
 * when none (the workspace may have left memory: desk_find_by_name asks
 * the server), or when a prefix starts several titles (*nmatch > 1).
 * Comparisons are the console's to look up, not the model's. */
conv *model_lookup(const model *m, const char *name, size_t *nmatch);

#endif
