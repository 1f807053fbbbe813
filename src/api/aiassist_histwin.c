/* aiassist_histwin.c: the part of a history kept (aiassist_types.h).
 *
 * A conversation of ten thousand messages is megabytes; the console holds
 * a window of it. This is the rule for a whole list; the history sink
 * (aiassist_histfeed.c) applies the same rule as the messages arrive, and
 * a differential test holds the two to the same result. */
#include "config.h"
#include "api/aiassist_types.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void ai_hist_window_apply(ai_message_list *l, const ai_hist_window *w, ai_hist_pos *pos)
{
    size_t n = l->n, at = 0;
    bool found = false;
    for (size_t i = 0; w && w->id && i < n && !found; i++)
        if (l->items[i].id && !strcmp(l->items[i].id, w->id)) {
            found = true;
            at = i;
        }
    /* Those just before id; the newest when it is not listed (the caller
     * then knows from found). */
    size_t to = w && w->before && found ? at : n;
    size_t from = w && w->keep && to > w->keep ? to - w->keep : 0;
    if (pos) {
        pos->total = n;
        pos->older = from;
        pos->found = found;
        pos->found_at = found ? at : 0;
    }
    if (from == 0 && to == n)
        return;
    for (size_t i = 0; i < from; i++)
        ai_message_clear(&l->items[i]);
    for (size_t i = to; i < n; i++)
        ai_message_clear(&l->items[i]);
    memmove(l->items, l->items + from, (to - from) * sizeof *l->items);
    l->n = to - from;
    if (!l->n) {
        free(l->items);
        l->items = NULL;
    } else {
        l->items = xrealloc(l->items, l->n * sizeof *l->items);
    }
}
