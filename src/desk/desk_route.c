/* desk_route.c: the one route of answers and timers (desk.h): owners of
 * requests found by the tag their requests carry, and the registry of
 * the core's timers that the main loop asks through the desk. */
#include "config.h"
#include "desk/desk_priv.h"

#include <stdlib.h>
#include <string.h>

#include "util/assert.h"
#include "util/mem.h"

uint64_t desk_add_owner(desk_t *a, desk_event_fn fn, void *ud)
{
    AIDESK_ASSERT(fn != NULL);
    if (a->next_tag <= DESK_OWN_TAG)
        a->next_tag = DESK_OWN_TAG + 1;
    uint64_t tag = a->next_tag++;
    a->owners = xgrow(a->owners, &a->capowners, a->nowners + 1, sizeof *a->owners);
    a->owners[a->nowners].tag = tag;
    a->owners[a->nowners].fn = fn;
    a->owners[a->nowners].ud = ud;
    a->nowners++;
    return tag;
}

void desk_remove_owner(desk_t *a, uint64_t tag)
{
    for (size_t i = 0; tag && i < a->nowners; i++) {
        if (a->owners[i].tag != tag)
            continue;
        memmove(a->owners + i, a->owners + i + 1, (a->nowners - i - 1) * sizeof *a->owners);
        a->nowners--;
        return;
    }
}

bool desk_route_to_owner(desk_t *a, net_event *ev)
{
    /* A tag is looked up for each event (owners are few): an owner may
     * remove itself, or another, while it handles one. */
    for (size_t i = 0; i < a->nowners; i++)
        if (a->owners[i].tag == ev->tag)
            return a->owners[i].fn(a->owners[i].ud, ev);
    return false;
}

void desk_add_timer(desk_t *a, desk_timer_next_fn next, desk_timer_tick_fn tick, void *ud)
{
    AIDESK_ASSERT(next != NULL && tick != NULL);
    a->timers = xgrow(a->timers, &a->captimers, a->ntimers + 1, sizeof *a->timers);
    a->timers[a->ntimers].next = next;
    a->timers[a->ntimers].tick = tick;
    a->timers[a->ntimers].ud = ud;
    a->ntimers++;
}

void desk_remove_timers(desk_t *a, void *ud)
{
    size_t k = 0;
    for (size_t i = 0; i < a->ntimers; i++)
        if (a->timers[i].ud != ud)
            a->timers[k++] = a->timers[i];
    a->ntimers = k;
}

long desk_route_next_timer_ms(const desk_t *a, int64_t now_mono)
{
    long best = -1;
    for (size_t i = 0; i < a->ntimers; i++) {
        long t = a->timers[i].next(a->timers[i].ud, now_mono);
        if (t >= 0 && (best < 0 || t < best))
            best = t;
    }
    return best;
}

void desk_route_tick(desk_t *a, int64_t now_mono)
{
    for (size_t i = 0; i < a->ntimers; i++)
        a->timers[i].tick(a->timers[i].ud, now_mono);
}

void desk_route_free(desk_t *a)
{
    free(a->owners);
    a->owners = NULL;
    a->nowners = a->capowners = 0;
    free(a->timers);
    a->timers = NULL;
    a->ntimers = a->captimers = 0;
}
