/* desk_priv.h: the desk's internals, shared by its source files only. */
#ifndef AIDESK_DESK_DESK_PRIV_H
#define AIDESK_DESK_DESK_PRIV_H

#include "api/chat_stream.h"
#include "desk/desk.h"
#include "store/transcript.h"

#define DESK_TYPING_DEBOUNCE_MS 300
#define DESK_TYPING_EXPIRY_MS 15000
#define DESK_POLL_MS 3000
#define DESK_PROBE_MS 5000
#define DESK_FLASH_MS 6000

typedef enum op_kind {
    OP_LIST,
    OP_DRAFTS,
    OP_EVENTS,
    OP_MODELS,
    OP_HISTORY,
    OP_CREATE,
    OP_FIND,
    OP_SEND,    /* workspace message as the customer */
    OP_REPLY,   /* workspace message as a human agent */
    OP_END,
    OP_TYPING,
    OP_MODE,
    OP_APPROVE,
    OP_REJECT,
    OP_CHAT,
    OP_PROBE,   /* is the server back? */
    OP_GET,     /* a workspace by id, to open it (desk_find_by_name) */
    OP_REGENERATE, /* asking the AI again for a draft */
    OP_EARLIER, /* the history window before what a conversation holds (desk_hist.c) */
    OP_EXPORT,  /* the whole history before it, to save the conversation */
} op_kind;

/* A request in flight and what to do with its answer. */
typedef struct op {
    uint64_t id;
    op_kind kind;
    char *conv_id;
    char *msg_id;    /* our message (send, reply) or the reply being streamed (chat);
                      * histories: the message their window is placed against */
    char *draft_id;
    char *text;      /* what we sent; OP_EXPORT: the file named, or NULL */
    bool export_json; /* OP_EXPORT: as JSON, not Markdown */
    bool polling;    /* OP_HISTORY made by the poller */
    bool told_repair; /* the user heard that its text held invalid UTF-8 */
    int64_t asked_ms; /* OP_LIST of the active ones only: when asked (wall clock), else 0 */
    ai_mode mode_before; /* OP_MODE: the mode the workspace had when asked */
    ai_stream *stream;
    struct op *next;
} op;

/* An action held in its undo window (desk_undo.c). */
typedef struct desk_held {
    uint64_t id;
    desk_held_kind kind;
    char *conv_id;
    char *draft_id; /* APPROVE */
    char *text;     /* APPROVE: edited text or NULL; REPLY: a copy of the reply */
    char *msg_id;   /* REPLY: our message (its id while local) */
    char *idem_key; /* APPROVE: fixed when the person acted (a reply keeps its own) */
    unsigned flags; /* DESK_APPROVE_* */
    int64_t due;    /* monotonic ms */
} desk_held;

typedef struct chat_log {
    char *conv_id;
    store_transcript *t;
    buf_t pending;   /* deltas not yet written */
    struct chat_log *next;
} chat_log;

struct desk {
    const config_t *cfg;
    net_t *net;
    model *m;
    ai_client *ai;
    desk_status st;
    op *ops;
    char **models;
    size_t nmodels;
    uint64_t events_req;
    bool events_unsupported; /* 404: the server has no event stream */
    char *focus;             /* conv id to put on screen */
    uint64_t nflash;         /* desk_flash calls so far */

    /* Typing debounce: one preview at a time, for the conversation typed in. */
    char *typing_conv;
    char *typing_text;
    bool typing_agent;
    bool typing_dirty;
    int64_t typing_sent_at;

    int64_t next_poll;       /* polling mode: monotonic ms, 0 if off */
    size_t poll_cursor;
    int64_t next_probe;      /* unsent messages wait: monotonic ms, 0 if off */
    chat_log *logs;
    /* Our messages kept in the unsent store, each record held (locked)
     * by this console while it shows it (desk_unsent.c), so that one
     * confirmed by the server some other way (an event, a history) is
     * forgotten there too, and no other aidesk sends it meanwhile. */
    struct desk_kept **kept;
    size_t nkept, capkept;
    /* The one route of answers and timers (desk_route.c): the owners of
     * requests, by tag, and the timers of the core's other controllers. */
    struct desk_owner {
        uint64_t tag;
        desk_event_fn fn;
        void *ud;
    } *owners;
    size_t nowners, capowners;
    uint64_t next_tag;
    struct desk_timer {
        desk_timer_next_fn next;
        desk_timer_tick_fn tick;
        void *ud;
    } *timers;
    size_t ntimers, captimers;
    /* The comparisons created on this desk (desk_compares.c), in creation
     * order; desk_free frees those left. */
    compare_t **compares;
    size_t ncompares, capcompares;

    uint64_t flash_tie;      /* the request the flash waits for, 0 if none (desk_flash) */
    desk_held **held;         /* the undo window (desk_undo.c), oldest first */
    size_t nheld, capheld;
    uint64_t held_seq;
    struct modemem *modes;   /* modes before takeovers (desk_modes.c), opened at start */
    bool modes_told;         /* the person heard that their file cannot be used */
    int64_t late_at;         /* wall clock: the next wait turning late, 0 if none */
};

/* desk.c */
/* The desk's own requests carry this tag; other owners' are above it. */
#define DESK_OWN_TAG 1u
op *desk_op_new(desk_t *a, op_kind kind, net_request *req, const char *conv_id);
/* The same without the history sink desk_op_new gives OP_HISTORY. */
op *desk_op_submit(desk_t *a, op_kind kind, net_request *req, const char *conv_id);

/* desk_hist.c */
/* The sink of a history request for conv_id: its window, placed against
 * the conversation's first held message (*anchor: its id, new, or NULL). */
net_sink *desk_history_sink(desk_t *a, const char *conv_id, char **anchor);
/* An answer to OP_HISTORY, OP_EARLIER or OP_EXPORT. */
void desk_history_done(desk_t *a, op *o, net_event *ev);
/* desk_compares.c: frees the comparisons left on the desk, and the list. */
void desk_compares_free(desk_t *a);
/* desk_route.c: the registered owner's handling of ev (true: it took ev);
 * false when no owner has ev's tag (the caller frees ev). */
bool desk_route_to_owner(desk_t *a, net_event *ev);
long desk_route_next_timer_ms(const desk_t *a, int64_t now_mono);
void desk_route_tick(desk_t *a, int64_t now_mono);
void desk_route_free(desk_t *a);
void desk_op_free(op *o);
void desk_set_conn(desk_t *a, const net_event *ev);
void desk_note_rate(desk_t *a, const net_event *ev, bool gate);
/* Flashes the error of a failed event; returns it (caller frees). */
api_error *desk_event_error(desk_t *a, const net_event *ev, const char *doing);

/* desk_unsent.c */
/* Keeps m (in c) on disk as it is now: text, agent flag, idempotency key,
 * and its state (SENDING is written ahead of the request, UNCERTAIN stays
 * uncertain). One record per message, held by this process. */
void desk_unsent_store(desk_t *a, const conv *c, const msg *m);
/* m was sent: its record goes. */
void desk_unsent_forget(desk_t *a, const char *conv_id, const char *msg_id);

/* desk_ws.c */
void desk_ws_done(desk_t *a, op *o, net_event *ev);
/* Sends one of our messages (m is in c, SENDING). */
void desk_ws_submit(desk_t *a, conv *c, msg *m);
void desk_unsent_restore(desk_t *a);
void desk_unsent_resend(desk_t *a);
/* Whether m goes out again by itself once the server answers: UNSENT
 * (certainly not delivered), or an UNCERTAIN reply with its idempotency
 * key; in both cases m->resend says it was not given up. */
bool desk_msg_waits_to_resend(const msg *m);
bool desk_has_waiting_unsent(const desk_t *a);
/* Forgets stored messages the server has since confirmed. */
void desk_unsent_sweep(desk_t *a);
void desk_unsent_free(desk_t *a);

/* desk_drafts.c */
/* The answer to an approve or reject. */
void desk_drafts_done(desk_t *a, op *o, net_event *ev);
/* Whether a decision on draft_id should go out now (says why not). */
bool desk_draft_may_decide(desk_t *a, const char *draft_id);
/* Books o (NULL: the request could not be built) as deciding draft_id. */
void desk_draft_deciding(desk_t *a, op *o, const char *draft_id);

/* desk_live.c */
void desk_live_start(desk_t *a);
void desk_live_event(desk_t *a, op *o, net_event *ev);
void desk_poll_tick(desk_t *a, int64_t now_mono);

/* desk_undo.c */
/* Holds our reply m (in c, SENDING, just appended) for the undo window,
 * or sends it at once when there is none. */
void desk_reply_hold(desk_t *a, conv *c, msg *m);
/* The held approval of draft_id: its time left, or -1 when none. */
long desk_draft_held_left(const desk_t *a, const char *draft_id, int64_t now_mono);
/* Earliest due time of what is held (monotonic ms), 0 when nothing is. */
int64_t desk_undo_due(const desk_t *a);
/* Sends what is due. */
void desk_undo_tick(desk_t *a, int64_t now_mono);
/* Quitting: keeps held replies as unsent records, drops held approvals. */
void desk_undo_quit(desk_t *a);
/* desk_approve_ex with the workspace to name when the model does not know
 * the draft (ws_hint may be NULL). */
bool desk_approve_draft(desk_t *a, const char *draft_id, const char *ws_hint, const char *edited,
                       unsigned flags);
/* Sends an approval now (the undo window closed, or there is none). */
void desk_approve_send(desk_t *a, const char *draft_id, const char *conv_id, const char *edited,
                      const char *idem_key);

/* desk_modes.c */
/* A live event: mode changes into and out of takeover, ended workspaces. */
void desk_modes_event(desk_t *a, const ai_event *e);
/* Our mode change's answer (the workspace as it is now). */
void desk_modes_mode_done(desk_t *a, const op *o, const ai_workspace *w);
void desk_regenerate_done(desk_t *a, op *o, net_event *ev);
void desk_modes_free(desk_t *a);

/* desk_wait.c */
/* The next moment a wait turns late (wall clock), for the timers. */
void desk_wait_refresh(desk_t *a, int64_t now_wall);

/* desk_chat.c */
void desk_chat_event(desk_t *a, op *o, net_event *ev);
void desk_chat_send(desk_t *a, conv *c, const char *text);
void desk_chat_flush_logs(desk_t *a);
void desk_chat_free_logs(desk_t *a);

#endif
