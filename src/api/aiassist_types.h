/* aiassist_types.h: what AiAssist answers, decoded, and the decoders.
 *
 * Decoders take a whole answer body and return a result the caller owns
 * (free it with the matching _free), or NULL with *err set to a new
 * one-line description naming the field ("send result: responses[1]:
 * missing field 'content'"). Turn that into an api_error with
 * ai_decode_error(err).
 *
 * Strict about types and ranges (a wrong type is an error), tolerant exactly
 * where the SDK is: workspace fields at the top level of a create/get answer,
 * a bare list for history, role "assistant" for "ai", unknown roles as
 * "user". Text is kept verbatim (escape sequences included): sanitising
 * happens at display time. A result owns all its strings; a caller may move
 * an item out by copying the struct and zeroing the original. */
#ifndef AIDESK_API_AIASSIST_TYPES_H
#define AIDESK_API_AIASSIST_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"

typedef enum ai_role {
    AI_ROLE_USER,
    AI_ROLE_AI,
    AI_ROLE_HUMAN,  /* a human agent */
    AI_ROLE_SYSTEM,
} ai_role;

/* "assistant" is "ai"; NULL and anything unknown is "user", as the SDK does. */
ai_role ai_role_from_string(const char *s);
const char *ai_role_name(ai_role r); /* "user", "ai", "human", "system" */

typedef enum ai_mode {
    AI_MODE_UNKNOWN,
    AI_MODE_AI,       /* the AI answers */
    AI_MODE_SHADOW,   /* the AI drafts, a manager approves */
    AI_MODE_TAKEOVER, /* a human answers */
} ai_mode;

ai_mode ai_mode_from_string(const char *s);
const char *ai_mode_name(ai_mode m); /* "ai", "shadow", "takeover", "unknown" */

typedef struct ai_message {
    char *id;
    ai_role role;
    char *content;
    char *created_at;   /* as sent, or NULL */
    int64_t created_ms; /* created_at as unix ms; 0 if absent or unparseable */
    char *approval;     /* NULL, "direct", "approved", "edited" (other values kept) */
    char *draft_id;     /* the draft an approved message came from, or NULL */
} ai_message;

typedef struct ai_message_list {
    ai_message *items;
    size_t n;
} ai_message_list;

/* Which part of a long history to keep (a conversation holds a window of
 * it, model/model.h): the newest `keep` messages, or the `keep` just
 * before the message called id. Either way, where id is listed is told. */
typedef struct ai_hist_window {
    size_t keep;    /* at most this many; 0: all */
    const char *id; /* a message id, or NULL */
    bool before;    /* keep those just before id (when listed), not the newest */
} ai_hist_window;

/* Where the part kept lies in the server's list. */
typedef struct ai_hist_pos {
    size_t total;    /* messages listed */
    size_t older;    /* listed before the first one kept */
    bool found;      /* the window's id was listed ... */
    size_t found_at; /* ... at this position (its first time) */
} ai_hist_pos;

typedef struct ai_workspace {
    char *id;
    ai_mode mode;
    char *mode_raw;       /* the mode as sent, or NULL */
    char *status;         /* "active", "ended", ... or NULL */
    char *client_id;
    char *metadata_json;  /* compact JSON object, or NULL */
    char *context_json;   /* compact JSON object, or NULL */
    char *system_prompt;
    char *created_at;
    char *updated_at;
    /* Manager list extras (NULL / -1 when absent). */
    char *last_activity_at;
    int64_t last_activity_ms; /* 0 if absent or unparseable */
    int64_t message_count;
    int64_t pending_drafts;
    ai_message *last_message;
} ai_workspace;

typedef struct ai_workspace_list {
    ai_workspace *items;
    size_t n;
} ai_workspace_list;

typedef struct ai_draft {
    char *id;
    char *workspace_id;
    char *content;
    char *created_at;
    int64_t created_ms;
    char *in_reply_to;               /* message id, or NULL */
    ai_message *in_reply_to_message; /* or NULL */
    char *status;                    /* "pending", "approved", "rejected", or NULL */
    char *reason;                    /* why it was rejected, or NULL */
    char *decided_at;                /* when it was approved or rejected, or NULL */
    int64_t decided_ms;              /* the same in unix ms, 0 if absent */
} ai_draft;

typedef struct ai_draft_list {
    ai_draft *items;
    size_t n;
} ai_draft_list;

typedef struct ai_usage {
    bool present;
    int64_t prompt_tokens, completion_tokens, total_tokens;
} ai_usage;

typedef struct ai_chat_choice {
    int64_t index;
    ai_role role;
    char *content;       /* "" when the server sent null */
    char *finish_reason; /* "stop", "length", ... or NULL */
} ai_chat_choice;

typedef struct ai_chat_result {
    char *id;
    char *object;
    int64_t created; /* unix s, 0 if absent */
    char *model;
    ai_chat_choice *choices;
    size_t nchoices;
    ai_usage usage;
} ai_chat_result;

typedef struct ai_model {
    char *id;
    char *owned_by; /* or NULL */
} ai_model;

typedef struct ai_model_list {
    ai_model *items;
    size_t n;
} ai_model_list;

typedef struct ai_create_result {
    ai_workspace workspace;
    ai_message_list messages;
} ai_create_result;

typedef struct ai_by_client_result {
    bool exists;
    ai_workspace *workspace; /* NULL when it does not exist */
    ai_message_list messages;
} ai_by_client_result;

typedef struct ai_send_result {
    ai_message user_message;
    ai_message_list responses; /* shadow: may hold the pending draft; takeover: often empty */
    ai_mode mode;
    char *mode_raw;
    bool pending_approval;
} ai_send_result;

typedef struct ai_approve_result {
    ai_draft draft;
    ai_message message; /* the message the customer now sees */
} ai_approve_result;

/* The protocol error for a decoder's message; takes ownership of err. */
api_error *ai_decode_error(char *err);

/* POST /v1/chat/completions (not streamed). */
ai_chat_result *ai_decode_chat(const char *body, size_t len, char **err);
void ai_chat_result_free(ai_chat_result *r);

/* GET /v1/models: {data:[{id, owned_by?}]}. */
ai_model_list *ai_decode_models(const char *body, size_t len, char **err);
void ai_model_list_free(ai_model_list *l);

/* POST /api/workspaces: {workspace:{...}, messages:[...]} or the workspace
 * fields at the top level (with messages beside them). */
ai_create_result *ai_decode_ws_create(const char *body, size_t len, char **err);
void ai_create_result_free(ai_create_result *r);

/* GET /api/workspaces/{id}, and POST .../mode (manager): {workspace:{...}}
 * or the workspace itself. */
ai_workspace *ai_decode_ws_get(const char *body, size_t len, char **err);
void ai_workspace_free(ai_workspace *w);

/* GET /api/workspaces/by-client/{client_id}: {workspace|null, messages,
 * exists}. A 404 answer means "no such workspace": check the error with
 * ai_by_client_not_found and use ai_by_client_missing() as the result. */
ai_by_client_result *ai_decode_ws_by_client(const char *body, size_t len, char **err);
bool ai_by_client_not_found(const api_error *e);
ai_by_client_result *ai_by_client_missing(void);
void ai_by_client_result_free(ai_by_client_result *r);

/* POST /api/workspaces/{id}/messages. */
ai_send_result *ai_decode_ws_send(const char *body, size_t len, char **err);
void ai_send_result_free(ai_send_result *r);

/* GET /api/workspaces/{id}/messages: {messages:[...]} or a bare list. */
ai_message_list *ai_decode_ws_history(const char *body, size_t len, char **err);
void ai_message_list_free(ai_message_list *l);
/* Keeps only w's part of a whole history l (in place; w NULL: all) and
 * says where it lies (pos may be NULL). The history sink
 * (ai_history_sink_new) keeps the same part of the same answer. */
void ai_hist_window_apply(ai_message_list *l, const ai_hist_window *w, ai_hist_pos *pos);

/* GET /api/manager/workspaces: {workspaces:[...]} with the list extras. */
ai_workspace_list *ai_decode_mgr_list(const char *body, size_t len, char **err);
void ai_workspace_list_free(ai_workspace_list *l);

/* GET /api/manager/drafts: {drafts:[...]}. */
ai_draft_list *ai_decode_mgr_drafts(const char *body, size_t len, char **err);
void ai_draft_list_free(ai_draft_list *l);

/* POST /api/manager/drafts/{id}/approve: {draft, message}. */
ai_approve_result *ai_decode_mgr_approve(const char *body, size_t len, char **err);
void ai_approve_result_free(ai_approve_result *r);

/* POST /api/manager/drafts/{id}/reject: {draft}. */
ai_draft *ai_decode_mgr_reject(const char *body, size_t len, char **err);
void ai_draft_free(ai_draft *d);

/* POST /api/manager/workspaces/{id}/reply: {message}. */
ai_message *ai_decode_mgr_reply(const char *body, size_t len, char **err);
void ai_message_free(ai_message *m);

/* POST /api/manager/workspaces/{id}/typing: {ok:true}. An empty body is
 * accepted too; ok:false is an error. */
bool ai_decode_mgr_typing(const char *body, size_t len, char **err);

/* Releasing what a struct holds without freeing the struct itself (for
 * items inside lists, or structs the caller embeds). */
void ai_message_clear(ai_message *m);
void ai_message_list_clear(ai_message_list *l);
void ai_workspace_clear(ai_workspace *w);
void ai_draft_clear(ai_draft *d);

#endif
