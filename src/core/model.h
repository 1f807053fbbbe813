/* model.h: what the console knows: conversations (workspaces and local
 * chats), their messages, and the shadow-mode drafts waiting for approval.
 *
 * The model is plain data owned by the UI thread. It changes only through
 * the functions here, which keep it consistent (messages unique by id, the
 * draft counts matching the drafts) and bump revision counters so the
 * panes know what to redraw: model.rev for the sidebar and the drafts
 * queue, conv.rev for a conversation's message list, msg.rev for one
 * message's text or state. No I/O, no curses: app.h drives it from network
 * events, and tests drive it directly. */
#ifndef AIDESK_CORE_MODEL_H
#define AIDESK_CORE_MODEL_H

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

typedef struct msg {
    char *id;          /* server id, or "local-N" for ours until the server names it */
    ai_role role;
    buf_t text;        /* UTF-8 as received: sanitised only when drawn */
    int64_t at_ms;     /* wall clock */
    msg_state state;
    char *approval;    /* AI messages: "direct", "approved", "edited", or NULL */
    char *note;        /* why it failed / was cut, or NULL */
    bool as_agent;     /* ours: sent as a human agent (manager reply) */
    bool resend;       /* UNSENT: send again by itself once the server answers */
    char *idem_key;    /* ours, as_agent: the reply's idempotency key, fixed
                        * when the person sent it and reused by every resend
                        * (/retry included), so the server applies it at
                        * most once; NULL until it is first sent */
    unsigned rev;      /* bumped on every change */
    /* The UI's render cache for this message; freed with the message. */
    void *cache;
    void (*cache_free)(void *cache);
} msg;

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
    struct msgindex *byid; /* msgs by id (core/msgindex.h), NULL until the first */
    size_t nlocal;         /* msgs whose id is still "local-N" */
    size_t unread;       /* messages that arrived while it was not viewed */
    size_t drafts;       /* pending drafts for it */
    char *typing;        /* the customer's live preview, or NULL */
    int64_t typing_ms;   /* when it last changed (monotonic ms) */
    char *agent_typing;  /* another agent's preview, or NULL */
    int64_t activity_ms; /* wall clock of the last activity, for sorting */
    bool history_loaded;
    bool told_repair;    /* the user heard that its text held invalid UTF-8 */
    char *chat_model;    /* chats: the model that answers */
    uint64_t next_local; /* for "local-N" ids */
    unsigned rev;        /* bumped when messages are added/removed or typing changes */
} conv;

typedef struct draft {
    char *id;
    char *ws_id;
    char *content;
    char *reply_to;      /* the customer message it answers, or NULL */
    int64_t created_ms;
} draft;

typedef struct model {
    conv **convs;        /* in order of creation */
    size_t nconvs, capconvs;
    draft **drafts;      /* pending, oldest first */
    size_t ndrafts, capdrafts;
    const conv *viewed;  /* the conversation on screen (its messages are read) */
    size_t new_drafts;   /* drafts that arrived since the UI last rang the bell */
    bool needs_reload;   /* the event stream said "reset": list everything again */
    unsigned rev;        /* bumped on sidebar / drafts changes */
    uint64_t next_chat;
} model;

model *model_new(void);
void model_free(model *m);

/* ---- conversations */
conv *model_find(const model *m, const char *id);
/* Adds or updates the workspace w describes (copying what it needs). */
conv *model_upsert_workspace(model *m, const ai_workspace *w, int64_t now_ms);
/* A new local chat with model_name (copied). */
conv *model_new_chat(model *m, const char *model_name, int64_t now_ms);
/* Removes a conversation (a closed chat) and everything in it. */
void model_remove(model *m, conv *c);
/* Marks c as the one on screen and clears its unread count. */
void model_view(model *m, const conv *c);
/* Fills out with up to max conversations, most recent activity first,
 * keeping only the given mode when filter is not AI_MODE_UNKNOWN (chats are
 * kept only without a filter). Returns how many. */
size_t model_sorted(const model *m, ai_mode filter, conv **out, size_t max);

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
/* Merges a history listing: every message in l is upserted, in order. A
 * message it adds takes its text from l instead of a copy (that message's
 * content becomes NULL in l, which is then only fit to be freed): a long
 * history is in memory once. */
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
/* Removes a draft that was decided (no-op when unknown). */
void model_remove_draft(model *m, const char *id);
/* Replaces all pending drafts with the listing (a fresh load). */
void model_set_drafts(model *m, const ai_draft_list *l);

/* ---- live events */
/* Applies one manager event. now_ms is wall-clock time, mono_ms monotonic
 * time (for typing expiry). Returns the conversation it touched, or NULL. */
conv *model_apply_event(model *m, const ai_event *ev, int64_t now_ms, int64_t mono_ms);
/* Clears typing previews older than max_age_ms. Returns true if any went. */
bool model_expire_typing(model *m, int64_t mono_ms, int64_t max_age_ms);

const char *msg_state_name(msg_state st);

#endif
