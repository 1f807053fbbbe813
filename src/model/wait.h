/* wait.h: who waits for a person, and since when.
 *
 * A workspace waits for a person when
 *   - it is in takeover and a customer message has no human answer after
 *     it (WAIT_HUMAN: since the first such message), or
 *   - a draft of its waits for a manager's approval (WAIT_APPROVAL: since
 *     the oldest pending draft was written).
 * Ended workspaces and chats never wait.
 *
 * Times are the server's (a message's and a draft's created_at), wall
 * clock in ms, so they are right after a restart and the same on every
 * console. A workspace whose messages are not in memory (never opened, or
 * let go by the bound, model/model.h) is judged by its summary: the
 * newest human and AI answers seen (conv.last_human_ms, last_ai_ms) and
 * the listing's word that its last message was the customer's
 * (conv.listed_wait_ms, "at least since then"). A draft whose creation
 * time is unknown waits, but since an unknown time: it counts for
 * WAIT_APPROVAL and never for the longest wait.
 *
 * "Late" is the console's judgement: a wait longer than a threshold (the
 * [ui] late_after setting; desk.h applies it).
 *
 * Pure functions of the model; no I/O. */
#ifndef AIDESK_MODEL_WAIT_H
#define AIDESK_MODEL_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

enum {
    WAIT_HUMAN = 1 << 0,    /* a customer waits for a human answer (takeover) */
    WAIT_APPROVAL = 1 << 1, /* a draft waits for a manager */
};

/* A wait as the panes show it: always WAIT_FIG_COLS columns, right
 * aligned (" 5s", "12s", " 3m", " 2h", " 4d"), so that a figure that
 * grows never moves what follows it. out has room for WAIT_FIG_COLS + 1. */
#define WAIT_FIG_COLS 3
void wait_fig(int64_t ms, char *out);
/* Milliseconds (>= 1) until wait_fig of a wait of ms shows another figure:
 * the next second under a minute, the next minute under an hour, and so
 * on. A pane that shows waits wakes then, not every second. */
int64_t wait_fig_next_ms(int64_t ms);
/* The wall-clock moment (ms, on a whole second) when a wait that began at
 * since_ms next shows another figure or turns late (late_ms after it; 0:
 * it never turns, or already has). On whole seconds so that waits that
 * began at different moments tick together, in one wake-up. */
int64_t wait_fig_next_wall(int64_t now_wall, int64_t since_ms, int64_t late_ms);

typedef struct wait_info {
    unsigned what;            /* WAIT_* bits; 0: nobody waits */
    int64_t since_ms;         /* the earliest of the two below that is known; 0 when none */
    int64_t human_since_ms;   /* WAIT_HUMAN: since when (0: not waiting so) */
    int64_t approval_since_ms; /* WAIT_APPROVAL: the oldest draft's time (0: unknown) */
} wait_info;

/* Whether and since when c waits. Costs the customer messages at the end
 * of c. */
void model_wait(const model *m, const conv *c, wait_info *out);

/* The workspace in memory that has waited longest (the earliest since_ms),
 * for a key that jumps to it; NULL when nobody waits since a known time.
 * out (may be NULL) gets its wait. Costs a pass over the conversations in
 * memory (bounded, model/model.h), model_wait for those that may wait. */
conv *model_longest_wait(const model *m, wait_info *out);

/* Whether a wait counts as late at now_ms (wall clock): waiting for more
 * than late_ms (> 0; 0 or less: never late). */
bool wait_is_late(const wait_info *w, int64_t now_ms, int64_t late_ms);

/* The earliest wall-clock moment after now_ms at which some wait in the
 * model becomes late, or 0 when none will (for the caller's timers: a
 * pane turns the wait red then). */
int64_t model_next_late(const model *m, int64_t now_ms, int64_t late_ms);

#endif
