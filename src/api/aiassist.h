/* aiassist.h: the AiAssist client: request builders.
 *
 * Pure functions: each builder returns a new net_request (the caller submits
 * it with net_submit, which takes ownership) and does no I/O. Answers are
 * decoded with aiassist_types.h, streams with chat_stream.h and
 * aiassist_events.h, failures with api_error_from_event (or
 * ai_error_from_event, which also names the host).
 *
 * Every request carries exactly the SDK's headers: Content-Type:
 * application/json, X-API-Key: <key>, Authorization: Bearer <key> (the
 * network layer adds User-Agent); streams add Accept: text/event-stream.
 * Ids from users are percent-encoded into paths and queries. Builders that
 * take an id return NULL when it is NULL or empty: the request would address
 * another resource (GET /api/workspaces/ is not GET /api/workspaces/{id}).
 *
 * retry_safe is set where repeating cannot duplicate an effect: completions,
 * GETs, typing previews, ending a workspace, and every manager call that
 * carries an idempotency key. Creating a workspace and sending a customer
 * message are not repeated unless the server certainly did not act
 * (net/retry.h): a repeat would duplicate them.
 *
 * Idempotency keys (docs/protocol.md section 4, ours): the manager calls
 * with an effect (mode, approve, reject, reply) take idem_key, the caller's
 * key for the action, chosen once when the person asks for it and reused
 * for every repeat of that same action. It is sent as Idempotency-Key; the
 * server applies a key at most once and replays its first answer. With a
 * key the request is retry_safe; with NULL it carries none and is not
 * (a repeat could send a reply twice, or fail as "already decided" and hide
 * that the first one worked). */
#ifndef AIDESK_API_AIASSIST_H
#define AIDESK_API_AIASSIST_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/error.h"
#include "net/net.h"

#define AI_DEFAULT_BASE_URL "https://api.aiassist.net"
#define AI_EVENTS_TIMEOUT_MS 45000L /* the server sends a keepalive every 15 s */

typedef struct ai_client {
    char *base_url;
    char *api_key;
    long timeout_ms;   /* plain requests: whole transfer; streams: longest silence */
    int max_retries;
    bool allow_http;   /* http:// accepted (default: only for a loopback base URL) */
} ai_client;

/* Whether key can be sent in a header: non-empty printable ASCII without
 * spaces (a CR or LF would inject headers). On failure *err says why
 * without repeating the key (caller frees). */
bool ai_key_check(const char *key, char **err);

/* A client with the SDK defaults (timeout 30 s, 3 retries). base_url NULL
 * means AI_DEFAULT_BASE_URL. Both strings are copied; the key is registered
 * with log_add_secret so it never reaches the debug log. Returns NULL when
 * base_url does not pass baseurl_check or the key fails ai_key_check (call
 * those first for a message). */
ai_client *ai_client_new(const char *base_url, const char *api_key);
void ai_client_free(ai_client *c);

/* The error of a failed event, with the client's host recorded for
 * network messages. */
api_error *ai_error_from_event(const ai_client *c, const net_event *ev);

/* ------------------------------------------------------------ chat */

typedef struct ai_chat_message {
    const char *role;    /* "system", "user", "assistant" */
    const char *content;
} ai_chat_message;

typedef struct ai_chat_params {
    const ai_chat_message *messages; /* borrowed */
    size_t nmessages;
    const char *model;  /* NULL: left out, the server picks */
    double temperature; /* 0.7 */
    int max_tokens;     /* 1024 */
    double top_p;       /* 1.0 */
    bool stream;
    json_object *extra; /* borrowed object or NULL: more OpenAI fields */
} ai_chat_params;

/* Fills p with the SDK defaults (no messages, no model, not streamed). */
void ai_chat_params_init(ai_chat_params *p);

/* Checks what the server would refuse anyway, with a clear message: at
 * least one message, roles and contents present and valid UTF-8,
 * temperature finite 0..2, top_p finite 0..1, max_tokens >= 1, extra an
 * object. Returns true, or false with *err set (caller frees). */
bool ai_chat_params_validate(const ai_chat_params *p, char **err);

/* POST /v1/chat/completions: {messages, model?, temperature, max_tokens,
 * top_p, stream} plus, when streaming, stream_options:{include_usage:true}
 * (for the token counts), with the same body without it as the request's
 * fallback (net_request_set_fallback): a server that answers 400 naming
 * stream_options gets the chat again without it, and the caller counts
 * tokens itself since no usage comes.
 * Every member of p->extra is added too, but explicit fields win: extra
 * cannot replace messages, model (when given), temperature, max_tokens,
 * top_p, stream or stream_options. Non-finite numbers (which p should not
 * hold: validate first) are replaced by the defaults so the body is always
 * valid JSON. Streamed: Accept: text/event-stream, stream = true. */
net_request *ai_req_chat(const ai_client *c, const ai_chat_params *p);

/* GET /v1/models */
net_request *ai_req_models(const ai_client *c);

/* ------------------------------------------------------- workspaces */

typedef struct ai_ws_create_params {
    const char *initial_message; /* each NULL or empty field is left out of the
                                  * body, as the SDK leaves them out */
    const char *client_id;
    const char *system_prompt;
    json_object *context;        /* borrowed; values are any JSON */
    json_object *metadata;       /* borrowed; values are any JSON */
    const char *model;           /* the model answering in the workspace */
    int max_tokens;              /* its longest reply; 0: left out */
} ai_ws_create_params;

/* Whether a workspace's (or a message's) model and max_tokens can be sent:
 * model NULL or non-empty valid UTF-8, max_tokens 0 (left out) or 1 to
 * AI_MAX_TOKENS_MAX. Returns true, or false with *err (caller frees). */
#define AI_MAX_TOKENS_MAX 10000000
bool ai_ws_model_check(const char *model, int max_tokens, char **err);

/* POST /api/workspaces {initial_message?, client_id?, system_prompt?,
 * context?, metadata?, model?, max_tokens?} (p may be NULL: body {}).
 * model and max_tokens go at the top level, as the SDK sends them, not in
 * metadata (which the SDK documents as the caller's own data). */
net_request *ai_req_ws_create(const ai_client *c, const ai_ws_create_params *p);
/* GET /api/workspaces/{id} */
net_request *ai_req_ws_get(const ai_client *c, const char *id);
/* GET /api/workspaces/by-client/{client_id} */
net_request *ai_req_ws_by_client(const ai_client *c, const char *client_id);
/* POST /api/workspaces/{id}/messages {content} */
net_request *ai_req_ws_send(const ai_client *c, const char *id, const char *content);
/* Per-message overrides, as the SDK sends them: for this message's reply
 * only. Each NULL / 0 field is left out. */
typedef struct ai_ws_send_opts {
    const char *model;
    int max_tokens;
} ai_ws_send_opts;
/* POST /api/workspaces/{id}/messages {content, model?, max_tokens?}; o may
 * be NULL (the same as ai_req_ws_send). */
net_request *ai_req_ws_send_opts(const ai_client *c, const char *id, const char *content,
                                 const ai_ws_send_opts *o);
/* GET /api/workspaces/{id}/messages */
net_request *ai_req_ws_history(const ai_client *c, const char *id);
/* The history read as it arrives (aiassist_histfeed.c), for
 * net_request_set_sink on that request: each message is parsed and
 * decoded as soon as its last byte is in, and the answer itself is never
 * held, only the message in progress and w's part of what came before
 * (w NULL: all; w is copied). */
struct ai_message_list;
struct ai_hist_window;
struct ai_hist_pos;
net_sink *ai_history_sink_new(const struct ai_hist_window *w);
/* What the sink read, once the request is DONE (the event's sink): 1 with
 * *out (new), the list ai_decode_ws_history gives for the same answer cut
 * by ai_hist_window_apply, and *pos (may be NULL) as that says; 0 with
 * *err (new), the error it gives; -1 when the answer has something only
 * the whole-answer decoder can name exactly (it is not JSON, or not of
 * the shape the walk knows): fetch it again without the sink, decode
 * that and cut it with ai_hist_window_apply. */
int ai_history_sink_result(net_sink *s, struct ai_message_list **out, struct ai_hist_pos *pos,
                           char **err);
/* The messages the sink holds now (for the tests' bound: never more than
 * the window's keep). */
size_t ai_history_sink_held(const net_sink *s);
/* POST /api/workspaces/{id}/typing {text} */
net_request *ai_req_ws_typing(const ai_client *c, const char *id, const char *text);
/* POST /api/workspaces/{id}/end {} */
net_request *ai_req_ws_end(const ai_client *c, const char *id);

/* ---------------------------------------------------------- manager */

/* GET /api/manager/workspaces[?mode=][&status=] (NULL filters left out) */
net_request *ai_req_mgr_list(const ai_client *c, const char *mode, const char *status);
/* GET /api/manager/events[?workspace_id=]: an EventSource (stream,
 * reconnect, silence limit AI_EVENTS_TIMEOUT_MS), resuming after
 * last_event_id when given (sent as Last-Event-ID by the network layer). */
net_request *ai_req_mgr_events(const ai_client *c, const char *last_event_id,
                               const char *workspace_id);
/* POST /api/manager/workspaces/{id}/mode {mode} */
net_request *ai_req_mgr_set_mode(const ai_client *c, const char *id, const char *mode,
                                 const char *idem_key);
/* GET /api/manager/drafts[?workspace_id=] */
net_request *ai_req_mgr_drafts(const ai_client *c, const char *workspace_id);
/* POST /api/manager/drafts/{id}/approve {content?} (content: an edit) */
net_request *ai_req_mgr_approve(const ai_client *c, const char *draft_id, const char *content,
                                const char *idem_key);
/* POST /api/manager/drafts/{id}/reject {reason?} */
net_request *ai_req_mgr_reject(const ai_client *c, const char *draft_id, const char *reason,
                               const char *idem_key);
/* POST /api/manager/workspaces/{id}/reply {content} */
net_request *ai_req_mgr_reply(const ai_client *c, const char *ws_id, const char *content,
                              const char *idem_key);
/* POST /api/manager/workspaces/{id}/typing {text}: a preview, no key */
net_request *ai_req_mgr_typing(const ai_client *c, const char *ws_id, const char *text);
/* POST /api/manager/workspaces/{id}/regenerate {instructions?}: a new draft
 * answering the customer's last message; the answer is {draft} (decode
 * it with ai_decode_mgr_reject, which reads that shape). */
net_request *ai_req_mgr_regenerate(const ai_client *c, const char *ws_id,
                                   const char *instructions, const char *idem_key);

/* A new idempotency key: 128 random bits as 32 lower-case hex digits
 * (caller frees). */
char *ai_idem_key_new(void);
/* Whether s can be sent as an idempotency key: 1 to AI_IDEM_KEY_MAX
 * characters, each a letter, digit, '-', '_', '.' or ':' (so that it can
 * also be shown in a command to repeat, without quoting). */
#define AI_IDEM_KEY_MAX 255
bool ai_idem_key_ok(const char *s);

#endif
