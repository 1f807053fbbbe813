/* model.h: what the console knows: conversations (workspaces and local
 * chats), their messages, and the shadow-mode drafts waiting for approval.
 *
 * The model is plain data owned by the UI thread. It changes only through
 * the functions here, which keep it consistent (messages unique by id, the
 * draft counts matching the drafts) and bump revision counters so the
 * panes know what to redraw: model.rev for the sidebar and the drafts
 * queue, conv.rev for a conversation's message list, msg.rev for one
 * message's text or state. No I/O, no curses: desk.h drives it from network
 * events, and tests drive it directly.
 *
 * Memory is bounded for a whole shift (see "the bound" below): only the
 * most recently active workspaces are kept whole; the others leave memory
 * and come back from the server when opened. Of a long conversation only
 * a window of its newest messages is held, and earlier ones are loaded as
 * the person reads back (see "the window"). */
#ifndef AIDESK_MODEL_MODEL_H
#define AIDESK_MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/aiassist_events.h"
#include "api/aiassist_types.h"
#include "util/buf.h"

typedef enum msg_state {
    MSG_FINAL,     /* as the server has it */
    MSG_STREAMING, /* still growing */
    MSG_CANCELLED, /* the user stopped it; the partial text is kept */
    MSG_FAILED,    /* a reply that broke off; note says why */
    MSG_SENDING,   /* ours, on its way */
    MSG_UNSENT,    /* ours, certainly not delivered (note says why) */
    MSG_UNCERTAIN, /* ours, may or may not have arrived: never resent by itself */
} msg_state;

/* What a message is. A note is local: the console's own remark in a
 * conversation (a draft was rejected, and what can be done next), never
 * sent, never exported, shown apart from what the customer saw. Its role
 * is AI_ROLE_SYSTEM, so that a pane that knows nothing of notes still
 * draws it as a remark. */
typedef enum msg_kind {
    MSG_KIND_MESSAGE,
    MSG_KIND_NOTE,
} msg_kind;

struct msg_note; /* what a note is about (model/notes.h) */

typedef struct msg {
    /* The fields are ordered so that the record packs tight: a long
     * history is ten thousand of them. */
    char *id;          /* server id, or "local-N" for ours until the server names it;
                        * while it is the one it was made with (conv_append), it
                        * lives just past the record, in the same allocation
                        * (msg_id_inline) */
    struct msg_note *notice; /* notes only, else NULL; freed with the message */
    buf_t text;        /* UTF-8 as received: sanitised only when drawn */
    int64_t at_ms;     /* wall clock */
    char *approval;    /* AI messages: "direct", "approved", "edited", or NULL */
    char *note;        /* why it failed / was cut, or NULL */
    char *idem_key;    /* ours, as_agent: the reply's idempotency key, fixed
                        * when the person sent it and reused by every resend
                        * (/retry included), so the server applies it at
                        * most once; NULL until it is first sent */
    /* The UI's render cache for this message; freed with the message. */
    void *cache;
    void (*cache_free)(void *cache);
    ai_role role;
    msg_kind kind;     /* MSG_KIND_NOTE: local, never sent (notice says about what) */
    msg_state state;
    unsigned rev;      /* bumped on every change */
    bool as_agent;     /* ours: sent as a human agent (manager reply) */
    bool resend;       /* UNSENT: send again by itself once the server answers */
    bool held;         /* ours, SENDING, still held back in its undo window (desk.h):
                        * not on the wire yet, and undoing it takes it out */
} msg;

/* The approval values the server sends, one copy shared by every message
 * (a history of thousands): s itself when it is one, else NULL. A shared
 * one is never freed. */
const char *msg_approval_shared(const char *s);

/* Whether mm->id lives in the record's own allocation (not freed alone). */
static inline bool msg_id_inline(const msg *mm)
{
    return mm->id == (const char *)(mm + 1);
}

typedef enum conv_kind {
    CONV_WORKSPACE,
    CONV_CHAT, /* a plain chat with a model, no workspace */
} conv_kind;

typedef struct conv {
    conv_kind kind;
    char *id;            /* "ws_..." or "chat-N" */
    char *title;         /* client id, or the chat's title */
    ai_mode mode;
    bool ended;
    bool mine;           /* created here: we speak as the customer */
    msg **msgs;
    size_t nmsgs, capmsgs;
    struct msgindex *byid; /* msgs by id (model/msgindex.h), NULL until the first */
    size_t nlocal;         /* msgs whose id is still "local-N" */
    size_t unread;       /* messages that arrived while it was not viewed */
    size_t drafts;       /* pending drafts for it */
    char *typing;        /* the customer's live preview, or NULL */
    int64_t typing_ms;   /* when it last changed (monotonic ms) */
    char *agent_typing;  /* another agent's preview, or NULL */
    int64_t activity_ms; /* wall clock of the last activity, for sorting */
    uint64_t activity_seq; /* when it was last made the newest (model_touch):
                            * of two touched in one millisecond, the later
                            * one sorts first */
    /* Who waits (model/wait.h), kept as summaries that outlive the messages
     * (the bound): server times, wall clock, 0 when none. */
    int64_t last_human_ms; /* the newest human agent's message */
    int64_t last_ai_ms;    /* the newest AI message (direct, or an approved draft) */
    int64_t listed_wait_ms; /* a listing said its last message was the customer's, of then */
    int64_t draft_since_ms; /* its oldest pending draft's creation (0: none, or unknown) */
    bool history_loaded;
    /* A window of a long history (see "the window" below): how many
     * messages the server lists before the first one held (0: none, or a
     * local chat). */
    size_t older;
    bool older_failed;   /* loading earlier ones failed (the desk said why):
                          * not asked again until the person asks */
    bool told_repair;    /* the user heard that its text held invalid UTF-8 */
    char *chat_model;    /* chats: the model that answers */
    uint64_t next_local; /* for "local-N" ids */
    unsigned rev;        /* bumped when messages are added/removed or typing changes */

    /* The model's own book-keeping (model.c, model_keep.c); read-only for
     * everyone else. */
    size_t slot;         /* where it is in model.convs */
    bool kept;           /* in the list of recent workspaces (the bound) */
    struct conv *kept_prev, *kept_next; /* that list, most recent first */
} conv;

typedef struct draft {
    char *id;
    char *ws_id;
    char *content;
    char *reply_to;      /* the customer message it answers, or NULL */
    char *reply_to_id;   /* that message's id, or NULL when unknown */
    int64_t created_ms;
    bool deciding;       /* our approve or reject is on its way */
    bool maybe_ours;     /* an earlier attempt of ours lost its answer: it may have worked */
} draft;

/* How a draft left the queue. */
typedef enum draft_end {
    DRAFT_END_GONE,      /* no longer pending, how unknown (the server said so, or a
                          * fresh listing no longer had it) */
    DRAFT_END_APPROVED,
    DRAFT_END_REJECTED,
    DRAFT_END_WS_ENDED,  /* withdrawn: its workspace ended */
} draft_end;

/* Who decided it, as far as this console can tell. */
typedef enum draft_by {
    DRAFT_BY_OTHER,      /* another manager (or another console) */
    DRAFT_BY_US,         /* this console; the server confirmed it */
    DRAFT_BY_US_MAYBE,   /* perhaps this console's attempt whose answer was lost */
    DRAFT_BY_UNSETTLED,  /* our request is still on its way: its answer will say */
} draft_by;

/* What became of a draft that left the queue. Kept for the last
 * MODEL_MAX_FATES drafts, so that a person acting on one (a key pressed on
 * a row drawn a moment ago, a command typed with its id) is told what
 * happened instead of something else being done. */
typedef struct draft_fate {
    char *id;
    char *ws_id;
    draft_end how;
    draft_by by;
    int64_t at_ms;       /* wall clock: the server's decided_at, else when we
                          * learned it; 0 when unknown */
    bool maybe_ours;     /* the draft's maybe_ours when it left */
    char *reason;        /* REJECTED: the reason given, or NULL */
    char *content;       /* what the draft said, when known, or NULL */
} draft_fate;

#define MODEL_MAX_FATES 256

typedef struct model {
    /* Every conversation in memory, in the sidebar's order as of the last
     * model_sorted (which repairs it in place); new ones at the end. */
    conv **convs;
    size_t nconvs, capconvs;
    struct msgindex *byid; /* convs by id (model/msgindex.h) */
    draft **drafts;      /* pending, oldest first */
    size_t ndrafts, capdrafts;
    draft_fate *fates;   /* drafts that left the queue: a ring of MODEL_MAX_FATES */
    size_t nfates, fate_next;
    const conv *viewed;  /* the conversation on screen (its messages are read) */
    size_t new_drafts;   /* drafts that arrived since the UI last rang the bell */
    size_t new_takeover; /* customer messages that arrived live in takeover workspaces
                          * since then (desk_take_bell reads both) */
    bool needs_reload;   /* the event stream said "reset": list everything again */
    unsigned rev;        /* bumped on sidebar / drafts changes */
    uint64_t next_chat;

    /* The bound (model_keep.c). */
    size_t keep;         /* workspaces kept whole besides the protected ones */
    conv *kept_head, *kept_tail; /* the recent list: workspaces held whole */
    size_t nkept;
    const conv *typed_in; /* the conversation the person types in (protected) */
    const conv *opening; /* about to be put on screen (protected) */
    uint64_t evicted;    /* workspaces that left memory so far (for the debug log) */
    uint64_t events;     /* live events applied so far (likewise, and benchmarks) */
    uint64_t touches;    /* the last activity_seq given (model_touch_now) */
} model;

model *model_new(void);
void model_free(model *m);

/* ---- conversations */
conv *model_find(const model *m, const char *id);
/* Adds or updates the workspace w describes (copying what it needs). */
conv *model_upsert_workspace(model *m, const ai_workspace *w, int64_t now_ms);
/* After a listing of the active workspaces only (a reload, which must not
 * list everything the server ever had: that grows all day): every live
 * workspace the model has that the listing does not name, and that has
 * seen no activity since asked_ms (wall clock, when the listing was asked
 * for: one created since may be missing from it), has ended. Returns how
 * many. */
size_t model_end_unlisted(model *m, const ai_workspace_list *active, int64_t asked_ms);
/* A new local chat with model_name (copied). */
conv *model_new_chat(model *m, const char *model_name, int64_t now_ms);
/* Removes a conversation (a closed chat) and everything in it. */
void model_remove(model *m, conv *c);
/* Marks c as the one on screen and clears its unread count. */
void model_view(model *m, const conv *c);
/* Fills out with up to max conversations, most recent activity first,
 * keeping only the given mode when filter is not AI_MODE_UNKNOWN (chats are
 * kept only without a filter). Returns how many. The model keeps the order
 * of the last call and repairs it (an insertion sort of a list that is
 * nearly sorted), so the cost is the number of conversations in memory plus
 * how far the ones with new activity move up, not a fresh sort. */
size_t model_sorted(model *m, ai_mode filter, conv **out, size_t max);

/* ---- the bound (model_keep.c)
 * A support console runs all day and sees thousands of workspaces. The
 * model keeps whole (messages, their text views, the index) only the
 * `keep` workspaces most recently touched (created, named by a live event,
 * opened, their history loaded), plus every protected one: the one on
 * screen, the one typed in (typed_in), the one about to be put on screen
 * (opening), one with a pending draft, and one with a message sending,
 * unsent, uncertain or streaming. Chats are local and never leave.
 *
 * model_trim lets the others go, least recent first: an ended workspace
 * leaves the model (and the sidebar; /open and /go find it on the server
 * again, desk_find_by_name);
 * a live one keeps only its summary (title, mode, activity, unread and
 * draft counts) and history_loaded becomes false (older 0, see "the
 * window"), so that opening it loads its history again (desk_open). A
 * live event for a workspace that left brings it back, as for any
 * workspace first heard of from an event.
 *
 * Each touch is constant time; a trim costs the conversations it lets go
 * plus the protected ones it meets (each moved to the front, so it is not
 * met again before the others; in all at most 16 more steps than there
 * are workspaces over the bound), and never walks the list twice. Placing
 * a workspace first heard of from a listing walks from the old end of the
 * list to its place by activity. */
#define MODEL_KEEP_UNBOUNDED ((size_t)-1)
/* The default of a new model is MODEL_KEEP_UNBOUNDED. */
void model_set_keep(model *m, size_t keep);
/* c was active or used: it becomes the most recent (workspaces only). */
void model_touch(model *m, conv *c);
/* Something happened in c at now_ms (an event, a chunk of a reply): its
 * place in the order, after every conversation touched before it, even
 * in the same millisecond. */
void model_touch_now(model *m, conv *c, int64_t now_ms);
/* Whether c must stay whole whatever the bound. */
bool model_is_protected(const model *m, const conv *c);
/* Lets workspaces beyond the bound go. Call it where no conversation
 * pointer is held across it except those of protected conversations (the
 * desk does it after handling a batch of network events). Returns how many
 * left. */
size_t model_trim(model *m);

/* ---- the window
 * A workspace can hold ten thousand messages: megabytes. A history load
 * keeps only the newest HIST_WINDOW of them (the sink drops the oldest as
 * newer ones are decoded, api/aiassist.h), and c->older says how many the
 * server lists before the first one held: exact after every merge (a
 * merge is told where its window lies, ai_hist_pos). Live messages
 * appended do not change it. Scrolling to the top of what is held loads
 * the HIST_WINDOW just before it (conv_prepend_history), so a long
 * conversation can be read back to its start; what was loaded so stays
 * until the bound lets the workspace go (older is then 0 again, with
 * history_loaded false). Readers of msgs see the window: the draft
 * context, snippets and wait figures work on the newest messages; an
 * export first loads the rest (desk.h). Local chats are never windowed.
 *
 * The first message held that the server named: what a window is placed
 * against. NULL when none. */
#define HIST_WINDOW 1000
const msg *conv_first_server_msg(const conv *c);
/* Merges a window of a history (l, placed by pos: where it lies in the
 * server's list; asked_id: the id the window was asked to find, NULL when
 * none). Messages of l new to c and listed before c's first held one are
 * put before it, the others as conv_merge_history; older becomes exact:
 *  - c held none of the server's: older = pos->older;
 *  - c's first held message is in l, or was found by the sink before the
 *    window and the window overlaps what c holds: the position of the
 *    first held after the merge;
 *  - c held none of the server's when the window was asked for
 *    (asked_id NULL) and holds some now that are not in l: they came
 *    live since, and l goes before them;
 *  - otherwise (its first held message is no longer listed, or a gap
 *    between what c holds and the window): c's messages from the server
 *    are let go and the window replaces them (ours in flight stay).
 * l is then only fit to be freed. */
void conv_merge_window(model *m, conv *c, ai_message_list *l, const ai_hist_pos *pos,
                       const char *asked_id, int64_t now_ms);
/* Earlier messages: l is the window just before the message before_id
 * (pos as the sink told). When before_id is still c's first held message,
 * l's messages (those c does not hold) go before it, in order, older
 * becomes pos->older, and true is returned; else nothing changes (the
 * conversation moved on meanwhile). Not news: unread is unchanged. l is
 * then only fit to be freed. */
bool conv_prepend_history(model *m, conv *c, ai_message_list *l, const ai_hist_pos *pos,
                          const char *before_id, int64_t now_ms);
/* Lets c's messages from the server go (ours in flight stay), as the
 * bound would: history_loaded false, older 0. */
void conv_forget_history(model *m, conv *c);

/* ---- messages */
msg *conv_find_msg(const conv *c, const char *id);
/* Appends a message (text copied) and returns it. */
msg *conv_append(conv *c, const char *id, ai_role role, const char *text, size_t len,
                 msg_state state, int64_t at_ms);
/* Appends our own outgoing message with a fresh local id. */
msg *conv_append_local(conv *c, ai_role role, const char *text, int64_t at_ms);
/* Adds or updates a message from the server. A message we sent earlier
 * (SENDING or UNCERTAIN, same role and text) is recognised and takes the
 * server's id instead of appearing twice. */
msg *conv_upsert(model *m, conv *c, const ai_message *am, int64_t now_ms);
/* Merges a whole history listing: every message in l is upserted, in
 * order (those listed before c's first held one go before it). A message
 * it adds takes its text from l instead of a copy, and each message of l
 * is cleared once merged (l is then only fit to be freed): a long history
 * is in memory once. older becomes 0. */
void conv_merge_history(model *m, conv *c, ai_message_list *l, int64_t now_ms);
/* Removes (and frees) a message from c. */
void conv_remove_msg(conv *c, msg *mm);
void msg_append_text(msg *mm, const char *text, size_t len);
void msg_set_state(msg *mm, msg_state st, const char *note);
/* Renames a local message to its server id (the send answer named it). */
void msg_set_id(conv *c, msg *mm, const char *id);
void conv_touch(conv *c);

/* ---- drafts */
draft *model_find_draft(const model *m, const char *id);
/* Adds a pending draft (ignored when already known). */
draft *model_add_draft(model *m, const ai_draft *d);
/* Removes a draft that was decided (no-op when unknown), remembering it as
 * gone (DRAFT_END_GONE) with no time. */
void model_remove_draft(model *m, const char *id);
/* Records that draft id left the queue: removes it when pending, and
 * remembers how, by whom and when (at_ms 0: unknown). ws_id may be NULL
 * when the draft is pending or already remembered. What is already known
 * is refined, never forgotten: a precise how replaces DRAFT_END_GONE, a
 * known time replaces none, and "by" follows what this console knows of
 * its own requests: DRAFT_BY_OTHER for a pending draft we were deciding
 * becomes DRAFT_BY_UNSETTLED, for one with maybe_ours DRAFT_BY_US_MAYBE.
 * Once gone, DRAFT_BY_US settles any; anything else settles only
 * DRAFT_BY_UNSETTLED (DRAFT_BY_OTHER then becomes DRAFT_BY_US_MAYBE when
 * an earlier attempt of ours may have done it). The desk clears deciding
 * before reporting its own request's answer. */
void model_draft_gone(model *m, const char *id, const char *ws_id, draft_end how, draft_by by,
                      int64_t at_ms);
/* What became of a draft that left the queue, or NULL when it is pending
 * or was never seen (or is too old to be remembered). */
const draft_fate *model_draft_fate(const model *m, const char *id);
/* Replaces all pending drafts with the listing (a fresh load). Drafts that
 * were pending and are not in it are remembered as gone. */
void model_set_drafts(model *m, const ai_draft_list *l);

/* ---- live events */
/* Applies one manager event. now_ms is wall-clock time, mono_ms monotonic
 * time (for typing expiry). Returns the conversation it touched, or NULL. */
conv *model_apply_event(model *m, const ai_event *ev, int64_t now_ms, int64_t mono_ms);
/* Clears typing previews older than max_age_ms. Returns true if any went. */
bool model_expire_typing(model *m, int64_t mono_ms, int64_t max_age_ms);

const char *msg_state_name(msg_state st);

#endif
