/* desk.h: the support desk's controller (desk_t), without curses: the
 * chats, workspaces and drafts a person works on, the live stream, the
 * undo window, messages kept unsent, the status line, the comparisons of
 * this run, and the one route of answers and timers for every controller
 * on its network thread.
 *
 * The desk turns what the user asks for into requests on the network
 * thread, and what comes back into model changes. Every action returns at
 * once; results arrive as network events, which the UI loop hands to
 * desk_handle_event (or drains with desk_drain). Timers (typing debounce,
 * history polling, resending what waited for the server, expiring typing
 * previews) are due at desk_next_timer_ms and run in desk_tick.
 *
 * Live updates come from the manager event stream (an EventSource that
 * resumes with Last-Event-ID); when the server has none, the desk polls the
 * history of the workspaces it knows and says so in its status.
 *
 * Sending is never repeated by accident. Whether a failed message may have
 * arrived is the network layer's fact (net_event.not_processed, the one
 * its retry policy goes by, net/retry.h): a message the server certainly
 * did not act on (nothing of it went out on any connection, or a 429)
 * stays UNSENT, is kept in the local store, and is sent again once the
 * server answers again; one the server clearly refused (a 4xx) stays
 * UNSENT until the user sends it; anything else (a dropped connection, a
 * time-out, a 5xx or 408 that a gateway may have produced after the
 * server acted) is UNCERTAIN, and only the user can send it again
 * (desk_retry). Manager actions (replies, approvals, rejections, modes)
 * carry an idempotency key chosen when the person acts; a reply keeps its
 * key on the message (and on disk), so sending it again cannot deliver it
 * twice: an UNCERTAIN reply goes out again by itself once the server
 * answers, as an UNSENT message does.
 *
 * UI thread only. */
#ifndef AIDESK_DESK_DESK_H
#define AIDESK_DESK_DESK_H

#include <stdbool.h>
#include <stdint.h>

#include "api/aiassist.h"
#include "api/error.h"
#include "api/gate.h"
#include "config/settings.h"
#include "desk/copy.h"
#include "model/draftctx.h"
#include "model/model.h"
#include "model/wait.h"
#include "net/net.h"

typedef enum desk_conn {
    DESK_CONN_UNKNOWN,   /* nothing tried yet */
    DESK_CONN_OK,
    DESK_CONN_RETRYING,  /* retry_at says when */
    DESK_CONN_OFFLINE,   /* the last attempt failed; note says why */
} desk_conn;

typedef enum desk_live {
    DESK_LIVE_OFF,        /* not started */
    DESK_LIVE_CONNECTING,
    DESK_LIVE_STREAMING,  /* the event stream is open */
    DESK_LIVE_RETRYING,   /* reconnecting; retry_at says when */
    DESK_LIVE_POLLING,    /* the server has no event stream: polling history */
    DESK_LIVE_NO_ACCESS,  /* the key is not an agent key: no live view */
} desk_live;

typedef struct desk_rate {
    bool present;
    int64_t limit, remaining, reset; /* reset: unix s, 0 if unknown */
} desk_rate;

typedef struct desk_status {
    desk_conn aiassist;
    int64_t aiassist_retry_at;  /* monotonic ms */
    char *aiassist_note;
    desk_live live;
    int64_t live_retry_at;      /* monotonic ms */
    desk_rate aiassist_rate;
    desk_rate gate_rate;
    char *flash;                /* a one-line message for the user, or NULL */
    bool flash_is_error;
    int64_t flash_until;        /* monotonic ms */
    unsigned rev;               /* bumped on every change */
} desk_status;

typedef struct desk desk_t;

/* cfg and net are borrowed and must outlive the desk; the desk owns the
 * model it creates (desk_model). Fails (NULL, *err set) when the config has
 * no usable key or URL. */
desk_t *desk_new(const config_t *cfg, net_t *net, char **err);
void desk_free(desk_t *a);
model *desk_model(desk_t *a);
const desk_status *desk_get_status(const desk_t *a);
const ai_client *desk_ai_client(const desk_t *a);
/* The models the server offers (after desk_start), for completion. */
const char *const *desk_models(const desk_t *a, size_t *n);

/* Lists workspaces and drafts, opens the event stream, loads the model
 * list and messages left unsent by an earlier session. */
void desk_start(desk_t *a);

/* Takes ownership of ev. Returns true if the desk, or the owner that
 * registered ev's tag (desk_add_owner), knew the request. */
bool desk_handle_event(desk_t *a, net_event *ev);

/* One route for every answer: the core's other controllers sharing the
 * network thread (comparisons, AI Gate, a call) register as owners and
 * get a tag, which they put in net_request.tag (net_ws_request.tag) of
 * every request they submit; each event then goes straight to its
 * owner's fn. fn returns true when it took the event (it then owns and
 * frees it); false (a request it no longer follows) lets the desk free
 * it. Events of a removed owner are freed unseen. */
typedef bool (*desk_event_fn)(void *ud, net_event *ev);
/* The tag (never 0, never given twice in this desk's life). */
uint64_t desk_add_owner(desk_t *a, desk_event_fn fn, void *ud);
/* No-op for an unknown tag or 0; allowed from inside an owner's fn. */
void desk_remove_owner(desk_t *a, uint64_t tag);

/* One registry of timers: a controller's next deadline (milliseconds from
 * now_mono, -1 for none) and its tick, asked by desk_next_timer_ms and
 * called by desk_tick with the main loop's clock. */
typedef long (*desk_timer_next_fn)(void *ud, int64_t now_mono);
typedef void (*desk_timer_tick_fn)(void *ud, int64_t now_mono);
void desk_add_timer(desk_t *a, desk_timer_next_fn next, desk_timer_tick_fn tick, void *ud);
/* Removes every timer of ud (no-op when none); not from inside a tick. */
void desk_remove_timers(desk_t *a, void *ud);

/* The comparisons of this run (compare.h) are the desk's: every one
 * created on it (compare_new, compare_open and an imported export with
 * a desk) is listed here from its creation, in creation order, until
 * compare_free takes it out; desk_free frees those left (and, through
 * compare_free, what a console attached to them with compare_set_view).
 * A front end lists and finds them here and keeps only how it shows
 * them. Comparisons without a desk (detached, read-only) are not listed. */
typedef struct compare compare_t;
size_t desk_ncompares(const desk_t *a);
/* The i-th (i < desk_ncompares), borrowed. */
compare_t *desk_compare(const desk_t *a, size_t i);
/* The first whose title (compare_title) is title exactly, else the first
 * equal ignoring case; NULL when none. */
compare_t *desk_find_compare(const desk_t *a, const char *title);
/* For compare.c: enter c in the list, and take it out (no-op when it is
 * not there). */
void desk_add_compare(desk_t *a, compare_t *c);
void desk_remove_compare(desk_t *a, compare_t *c);
net_t *desk_net(const desk_t *a);
const config_t *desk_config(const desk_t *a);
/* Handles every event waiting on the network thread. */
void desk_drain(desk_t *a);
/* Handles events waiting on the network thread until none is left or
 * budget_us microseconds of handling have passed (budget_us <= 0: no
 * limit), so that a burst of them (a fast stream) is taken in slices
 * between which the console reads keys. True when it stopped for the
 * budget: more may be waiting, and the wake fd does not say so. */
bool desk_drain_for(desk_t *a, int64_t budget_us);

/* Milliseconds from now_mono until the next timer (the desk's and the
 * registered ones), or -1 when none. */
long desk_next_timer_ms(const desk_t *a, int64_t now_mono);
void desk_tick(desk_t *a, int64_t now_mono);

/* Shows a message in the status line for a few seconds. A message the
 * desk ties to a state (desk_cancel_stream's "stopping the reply...") goes
 * as soon as that state ends; the same text flashed again while it shows
 * stays tied. */
void desk_flash(desk_t *a, bool is_error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- actions: each returns at once */

/* Puts c on screen: marks it read and loads its history when needed. */
void desk_open(desk_t *a, conv *c);
/* Earlier messages (model.h, "the window"): when c holds only a window
 * of its history (c->older > 0), asks for the HIST_WINDOW messages just
 * before what it holds, which go before them when they arrive. One
 * request at a time: true while one is on its way (also when this call
 * made it); false when there is nothing to load, or the last attempt
 * failed (said in words; c->older_failed) and desk_earlier_retry was not
 * called since. */
bool desk_load_earlier(desk_t *a, conv *c);
bool desk_earlier_loading(const desk_t *a, const conv *c);
/* The person asks again after a failure. */
void desk_earlier_retry(desk_t *a, conv *c);
/* /save: writes c as JSON or Markdown to path (NULL: a new file under the
 * data directory), and says where or why not. Of a conversation that holds
 * only a window the whole history is loaded first, and the file written
 * when it is in: never a part taken for the whole. */
void desk_save(desk_t *a, conv *c, bool json, const char *path);

typedef struct desk_ws_params {
    const char *client_id;       /* NULL: the server picks none */
    const char *initial_message; /* NULL: none */
    const char *system_prompt;   /* NULL: none */
    const char *const *context;  /* ncontext "key=value" items (api/jsonarg.h:
                                  * a value is JSON when it reads as JSON) */
    size_t ncontext;
    const char *mode;            /* "ai", "shadow", "takeover" or NULL */
    const char *model;           /* the model answering in it, or NULL */
    const char *max_tokens;      /* its longest reply, as typed, or NULL */
} desk_ws_params;
/* Creates a workspace; it appears (and is opened) when the server answers.
 * Returns false with *err (caller frees) when the parameters are wrong. */
bool desk_create_workspace(desk_t *a, const desk_ws_params *p, char **err);
/* Resumes the workspace of a client id (opens it when found). One the
 * model already has and that has not ended is opened without a request. */
void desk_find_workspace(desk_t *a, const char *client_id);
/* For a name the model does not have (a workspace that left memory, see
 * the bound in model/model.h): asks the server for the workspace with that
 * id (ws_...) or, otherwise, that client id, and opens it when found; says
 * so when there is none. */
void desk_find_by_name(desk_t *a, const char *name);
void desk_end_workspace(desk_t *a, conv *c);

/* Sends text in c: in a chat, to its model (streamed); in a workspace, as
 * the customer (the public send) or, with as_agent, as a human agent: such
 * a reply is held for the undo window first (see "deciding with
 * confirmation and an undo window" below). */
void desk_send(desk_t *a, conv *c, const char *text, bool as_agent);
/* Sends an UNSENT or UNCERTAIN message again (the user's explicit wish); a
 * reply goes with the idempotency key it was first sent with. */
bool desk_retry(desk_t *a, conv *c, msg *m);
/* Typing preview for c (debounced: at most one request per 300 ms, the
 * last text always goes out). */
void desk_typing(desk_t *a, conv *c, const char *text, bool as_agent);
void desk_set_mode(desk_t *a, conv *c, ai_mode mode);
/* Approving and rejecting act on a draft's identity (its id), never on a
 * position in the queue. A draft this console knows has left the queue
 * (decided by another manager, withdrawn because its workspace ended) or
 * is already being decided here is not asked for again: the status line
 * says what happened and when ("that draft was already approved by another
 * manager at 14:02; nothing was sent"), and nothing else is done.
 * Otherwise the request goes out and the server decides: its 409
 * draft_not_pending is reported the same way, as decided elsewhere, not as
 * a failure. edited: the new text, or NULL to approve as is. An approval
 * is held for the undo window first, and a stale draft is refused (see
 * desk_approve_ex). */
void desk_approve(desk_t *a, const draft *d, const char *edited);
void desk_reject(desk_t *a, const draft *d, const char *reason);
/* The same by id, for a draft that may have left the queue meanwhile (a
 * row drawn a moment ago, an id typed by hand); one the console has never
 * seen goes to the server, which decides. Returns true when a request went
 * out (an approval: or is held for the undo window). */
bool desk_approve_id(desk_t *a, const char *draft_id, const char *edited);
bool desk_reject_id(desk_t *a, const char *draft_id, const char *reason);
/* Why acting on draft_id now would do nothing, as the rest of a sentence
 * about it ("was already approved by another manager at 14:02", "was
 * withdrawn: its workspace cust_7 ended at 14:05", "is being decided by
 * this console already: ..."); NULL when it is pending and free to decide,
 * or unknown here. An approval of this console held in its undo window
 * counts as being decided ("is held for approval by this console: it goes
 * out in 4 s unless undone"). Caller frees. */
char *desk_draft_why_not(const desk_t *a, const char *draft_id);
/* Stops the reply streaming in c; the partial text is kept. The status
 * line says "stopping the reply..." until the reply has stopped (its
 * message then says "cancelled"), not for the usual few seconds. Returns
 * false when nothing was streaming. */
bool desk_cancel_stream(desk_t *a, conv *c);
bool desk_is_streaming(const desk_t *a, const conv *c);

/* A new local chat with a model (NULL: the configured one). */
conv *desk_new_chat(desk_t *a, const char *model_name);
void desk_set_chat_model(desk_t *a, conv *c, const char *model_name);

/* A conversation the desk wants on screen (a workspace just created or
 * found), once; NULL when none. */
conv *desk_take_focus(desk_t *a);

/* Reloads the workspace list and drafts (after a reset, or on demand). */
void desk_reload(desk_t *a);

/* ---- who waits (desk_wait.c; model/wait.h says what waiting is) */

/* Whether to ring the bell now: a new draft waits, or a customer wrote in
 * a takeover workspace, since the last call, as far as the [ui] bell
 * setting asks for either. Reading it consumes it (model.new_drafts and
 * model.new_takeover go back to 0), so that one event rings once. */
bool desk_take_bell(desk_t *a);
/* c's wait (model/wait.h), and whether it is late at now_ms (wall clock)
 * by the [ui] late_after setting. Returns whether c waits at all. */
bool desk_wait(const desk_t *a, const conv *c, int64_t now_ms, wait_info *out, bool *late);
/* The [ui] late_after setting in ms (0: nothing is ever late). */
int64_t desk_late_ms(const desk_t *a);
/* The workspace that has waited longest (a jump key), or NULL. */
conv *desk_longest_wait(const desk_t *a, wait_info *out);

/* ---- reading a draft before deciding it (model/draftctx.h) */

/* The draft in its conversation, with up to n of the customer's last
 * messages; when its workspace's history is not loaded, asks for it (the
 * model then fills in, and out->complete says whether it has). Returns
 * false when draft_id is not pending here. */
bool desk_draft_ctx(desk_t *a, const char *draft_id, size_t n, draft_ctx *out);
/* Why approving draft_id needs a confirmation, as the rest of a sentence
 * ("was written before cust_7 got a human answer at 14:02"), or NULL when
 * it is not stale (or not pending here). Caller frees. */
char *desk_draft_stale_why(const desk_t *a, const char *draft_id);

/* ---- deciding with confirmation and an undo window (desk_undo.c)
 *
 * An approval and a reply as a human agent are held for the [ui] undo
 * setting's time (5 s by default; 0 sends at once) before they go out,
 * so that a key pressed by mistake can be taken back. The idempotency key
 * of the action is fixed when the person acts, and the action goes out
 * with it when the window closes (desk_tick; desk_next_timer_ms counts
 * it). While held:
 *   - a reply is in its conversation as our message, SENDING with
 *     msg.held set, and already kept in the unsent store (not as being
 *     sent): should the console die, the next start shows it as not sent,
 *     and only the person sends it (desk_retry);
 *   - an approval changes nothing yet: the draft stays in the queue
 *     (desk_draft_why_not says it is held), and when the window closes it
 *     is checked again (decided elsewhere meanwhile: reported, nothing
 *     sent; stale meanwhile and not approved anyway: refused as below).
 * Quitting (desk_free) sends nothing that is still held: the safe side,
 * since the person may have quit precisely to stop it. A held reply is
 * kept as an unsent record (shown at the next start, sent only by the
 * person); a held approval is dropped, and its draft still waits on the
 * server, in the queue at the next start. Nothing is lost either way. */

typedef enum desk_held_kind {
    DESK_HELD_APPROVE,
    DESK_HELD_REPLY,
} desk_held_kind;

typedef struct desk_held_info {
    uint64_t id;          /* for desk_undo and desk_send_now; never 0 */
    desk_held_kind kind;
    const char *conv_id;  /* the workspace */
    const char *draft_id; /* APPROVE: the draft */
    const char *text;     /* APPROVE: the edited text, or NULL; REPLY: the reply */
    const char *msg_id;   /* REPLY: our message in the conversation */
    long left_ms;         /* until it goes out (0: due now) */
} desk_held_info;

enum {
    DESK_APPROVE_ANYWAY = 1 << 0, /* approve a stale draft (the person confirmed) */
};

/* Approves a draft by id (see desk_approve_id), flags DESK_APPROVE_*. A
 * stale draft (model/draftctx.h) is refused without DESK_APPROVE_ANYWAY:
 * the status line says why and that approving anyway is possible, and
 * nothing is held or sent. Returns true when the approval was held or
 * went out. */
bool desk_approve_ex(desk_t *a, const char *draft_id, const char *edited, unsigned flags);
/* What is held now, oldest first: how many, and the i-th at now_mono (false
 * when i is out of range). */
size_t desk_held_count(const desk_t *a);
bool desk_held_get(const desk_t *a, size_t i, int64_t now_mono, desk_held_info *out);
/* The held action with this id, the newest one (id 0), the one for a draft
 * or the one of a message; false when none. */
bool desk_held_find(const desk_t *a, uint64_t id, int64_t now_mono, desk_held_info *out);
bool desk_held_for_draft(const desk_t *a, const char *draft_id, int64_t now_mono,
                        desk_held_info *out);
bool desk_held_for_msg(const desk_t *a, const char *msg_id, int64_t now_mono, desk_held_info *out);
/* Takes back held action id (0: the newest): nothing is sent; a reply
 * leaves its conversation and the store, and its text comes back in
 * *text (caller frees; text may be NULL) for the input line. False when it
 * is no longer held (it went out, or never was). */
bool desk_undo(desk_t *a, uint64_t id, char **text);
/* Sends held action id (0: the newest) now, without waiting for the
 * window to close. False when it is no longer held. */
bool desk_send_now(desk_t *a, uint64_t id);

/* ---- takeover and handing back (desk_modes.c)
 *
 * Taking over remembers the mode the workspace was in, and handing back
 * returns to it (shadow stays shadow). The memory is local: this
 * console's own takeovers, and every mode.changed event into takeover
 * (its "previous", so another manager's takeover counts too), kept in
 * <state>/takeover-modes.json so that a restart knows them. The service's
 * events are not replayed from the start of a workspace at a restart, so
 * they could not tell it; the file can. Several consoles on one state
 * directory share the file (read, merged and replaced under a lock). */

/* The mode c was in before its takeover, or AI_MODE_UNKNOWN. */
ai_mode desk_mode_before_takeover(const desk_t *a, const conv *c);
/* Hands c back from takeover to the mode before it; to ai when that is
 * not known (the status line says so). */
void desk_handback(desk_t *a, conv *c);

/* ---- after a rejection: asking the AI again (desk_modes.c)
 *
 * Asks the service for a new draft answering the customer's last message
 * (POST /api/manager/workspaces/{id}/regenerate, ours: docs/protocol.md
 * section 4), with instructions for it (may be NULL: e.g. the rejection's
 * reason). The draft arrives in the queue like any other. A server
 * without the call is reported in words. Returns false when nothing was
 * asked (not a live workspace). */
bool desk_ask_ai_again(desk_t *a, conv *c, const char *instructions);

/* ---- copying (desk_copy.c, model/snippet.h, desk/copy.h) */

/* Copies the last answer in c (block 0) or its code block number block
 * (1 = the first): through OSC 52 when [ui] osc52 is on (out->osc52 is
 * for the UI to write to the terminal), else into a new private file
 * (out->path) under <state>/copies. Returns true with *out filled
 * (release with copy_out_clear), or false with *err in words ("this
 * conversation has no answer yet", "the last answer has 2 code blocks"). */
bool desk_copy(desk_t *a, const conv *c, int block, copy_out *out, char **err);

#endif
