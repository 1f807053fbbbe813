/* app_priv.h: the app's internals, shared by its source files only. */
#ifndef AIDESK_CORE_APP_PRIV_H
#define AIDESK_CORE_APP_PRIV_H

#include "api/chat_stream.h"
#include "core/app.h"
#include "store/transcript.h"

#define APP_TYPING_DEBOUNCE_MS 300
#define APP_TYPING_EXPIRY_MS 15000
#define APP_POLL_MS 3000
#define APP_PROBE_MS 5000
#define APP_FLASH_MS 6000

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
} op_kind;

/* A request in flight and what to do with its answer. */
typedef struct op {
    uint64_t id;
    op_kind kind;
    char *conv_id;
    char *msg_id;    /* our message (send, reply) or the reply being streamed (chat) */
    char *draft_id;
    char *text;      /* what we sent */
    bool polling;    /* OP_HISTORY made by the poller */
    bool told_repair; /* the user heard that its text held invalid UTF-8 */
    ai_stream *stream;
    struct op *next;
} op;

typedef struct chat_log {
    char *conv_id;
    store_transcript *t;
    buf_t pending;   /* deltas not yet written */
    struct chat_log *next;
} chat_log;

struct app {
    const config_t *cfg;
    net_t *net;
    model *m;
    ai_client *ai;
    app_status st;
    op *ops;
    char **models;
    size_t nmodels;
    uint64_t events_req;
    bool events_unsupported; /* 404: the server has no event stream */
    char *focus;             /* conv id to put on screen */
    uint64_t nflash;         /* app_flash calls so far */

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
     * by this console while it shows it (app_unsent.c), so that one
     * confirmed by the server some other way (an event, a history) is
     * forgotten there too, and no other aidesk sends it meanwhile. */
    struct app_kept **kept;
    size_t nkept, capkept;
    struct app_handler {
        app_event_fn fn;
        void *ud;
    } *handlers;
    size_t nhandlers, caphandlers;
};

/* app.c */
op *app_op_new(app_t *a, op_kind kind, net_request *req, const char *conv_id);
void app_op_free(op *o);
void app_set_conn(app_t *a, const net_event *ev);
void app_note_rate(app_t *a, const net_event *ev, bool gate);
/* Flashes the error of a failed event; returns it (caller frees). */
api_error *app_event_error(app_t *a, const net_event *ev, const char *doing);

/* app_unsent.c */
/* Keeps m (in c) on disk as it is now: text, agent flag, idempotency key,
 * and its state (SENDING is written ahead of the request, UNCERTAIN stays
 * uncertain). One record per message, held by this process. */
void app_unsent_store(app_t *a, const conv *c, const msg *m);
/* m was sent: its record goes. */
void app_unsent_forget(app_t *a, const char *conv_id, const char *msg_id);

/* app_ws.c */
void app_ws_done(app_t *a, op *o, net_event *ev);
/* Sends one of our messages (m is in c, SENDING). */
void app_ws_submit(app_t *a, conv *c, msg *m);
void app_unsent_restore(app_t *a);
void app_unsent_resend(app_t *a);
bool app_has_waiting_unsent(const app_t *a);
/* Forgets stored messages the server has since confirmed. */
void app_unsent_sweep(app_t *a);
void app_unsent_free(app_t *a);

/* app_live.c */
void app_live_start(app_t *a);
void app_live_event(app_t *a, op *o, net_event *ev);
void app_poll_tick(app_t *a, int64_t now_mono);

/* app_chat.c */
void app_chat_event(app_t *a, op *o, net_event *ev);
void app_chat_send(app_t *a, conv *c, const char *text);
void app_chat_flush_logs(app_t *a);
void app_chat_free_logs(app_t *a);

#endif
