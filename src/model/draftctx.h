/* draftctx.h: what a manager needs to read before approving a draft.
 *
 * A draft is read in its conversation: the message it answers, and the
 * customer's last messages (some may have come after the draft was
 * written: it does not answer those). Everything comes from the model by
 * the draft's id; a workspace whose history is not loaded yet gives what
 * it has (complete says so; desk_draft_ctx in desk.h also starts the load).
 * Of a long conversation only a window of the newest messages is held
 * (model.h): the customer's last messages are in it; the message a draft
 * answers may not be, when older than the window (answers then NULL).
 *
 * A draft is stale when its workspace got an answer after the draft was
 * written: a human agent's message, or another AI message (another draft
 * approved, a direct reply), by the server's times (created_at of both).
 * Approving a stale draft would likely say something already said or
 * contradicted, so the desk refuses a plain approve of one (desk.h). The
 * answer's time is the workspace's summary (conv.last_human_ms,
 * last_ai_ms), which outlives its messages.
 *
 * Pure functions of the model; no I/O; UI thread only. */
#ifndef AIDESK_MODEL_DRAFTCTX_H
#define AIDESK_MODEL_DRAFTCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

typedef struct draft_stale {
    bool stale;
    bool by_human;   /* the answer after it was a human agent's (else the AI's) */
    int64_t at_ms;   /* when that answer was written (wall clock) */
} draft_stale;

/* Whether d is stale (see above); out gets the details (zeroed when not). */
bool model_draft_stale(const model *m, const draft *d, draft_stale *out);

typedef struct draft_ctx {
    const draft *d;       /* the draft (the model's; valid until the model changes) */
    conv *c;              /* its workspace, or NULL when not in memory */
    const msg *answers;   /* the message it answers, or NULL when not in memory
                           * (d->reply_to may still have its text) */
    const msg **recent;   /* the customer's last messages, oldest first (owned by
                           * the ctx; the messages are the model's) */
    size_t nrecent;
    size_t after;         /* how many of recent came after the message it answers */
    bool complete;        /* c's history is loaded: nothing older is missing */
    draft_stale stale;
} draft_ctx;

/* Fills out for the pending draft draft_id with up to n of the customer's
 * last messages. Returns false (out zeroed) when the draft is not pending
 * here (desk_draft_why_not says what became of it). Release with
 * draft_ctx_clear. */
bool model_draft_ctx(const model *m, const char *draft_id, size_t n, draft_ctx *out);
void draft_ctx_clear(draft_ctx *x);

#endif
