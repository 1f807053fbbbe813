/* gate.h: the AI Gate client: realtime sessions, TURN credentials, health
 * and metrics.
 *
 * AI Gate has no key header: the project id is the credential (the real
 * OpenAI key stays in the service's vault), so it is registered with
 * log_add_secret like a key, and so are the client secrets and TURN
 * credentials that come back. As in both SDKs, POST /session carries
 * Content-Type JSON and the GETs carry no header of ours.
 * Builders are pure and return a new net_request; decoders return a result
 * or NULL with *err (turn it into an api_error with gate_decode_error). */
#ifndef AIDESK_API_GATE_H
#define AIDESK_API_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "api/error.h"
#include "net/net.h"

#define GATE_DEFAULT_BASE_URL "https://api.ai-gate.dev"
#define GATE_DEFAULT_MODEL "gpt-4o-realtime-preview-2024-10-01"
#define GATE_DEFAULT_VOICE "echo"
#define GATE_DEFAULT_TEMPERATURE 0.7
#define GATE_DEFAULT_INSTRUCTIONS "You are a helpful assistant"
#define GATE_INSTRUCTIONS_MAX 16384 /* bytes */
/* Where the client secret would be shown, for an answer without one. */
#define GATE_NO_SECRET_TEXT "no client secret in the answer"

typedef struct gate_client {
    char *base_url;
    char *project_id;
    long timeout_ms;
    int max_retries;
    bool allow_http; /* default: only for a loopback base URL */
} gate_client;

/* Whether id is usable: non-empty, at most 200 bytes, valid UTF-8 without
 * control characters. On failure *err says why (caller frees). */
bool gate_project_id_check(const char *id, char **err);

/* base_url NULL means GATE_DEFAULT_BASE_URL; strings are copied; the
 * project id is registered as a secret. Timeout 30 s, 3 retries. Returns
 * NULL when base_url does not pass baseurl_check or the id fails
 * gate_project_id_check. */
gate_client *gate_client_new(const char *base_url, const char *project_id);
void gate_client_free(gate_client *c);

/* The error of a failed event, with the client's host recorded. */
api_error *gate_error_from_event(const gate_client *c, const net_event *ev);

typedef struct gate_session_params {
    const char *model;        /* borrowed strings */
    const char *voice;
    double temperature;
    const char *instructions;
} gate_session_params;

/* The SDK defaults. */
void gate_session_params_init(gate_session_params *p);

/* voice one of alloy, echo, fable, onyx, nova, shimmer; temperature a
 * finite number from 0 to 1; model non-empty, without spaces or control
 * characters, at most 200 bytes; instructions valid UTF-8 of at most
 * GATE_INSTRUCTIONS_MAX bytes. Returns true, or false with *err (caller
 * frees) naming the allowed values. */
bool gate_validate_params(const gate_session_params *p, char **err);

/* POST /session {project_id, model, voice, temperature, instructions}.
 * Not retry_safe: each session counts against the plan's quota. */
net_request *gate_req_session(const gate_client *c, const gate_session_params *p);
/* GET /turn-credentials?identifier=<project_id> */
net_request *gate_req_turn(const gate_client *c);
/* GET /health */
net_request *gate_req_health(const gate_client *c);
/* GET /metrics */
net_request *gate_req_metrics(const gate_client *c);

typedef struct gate_ice_server {
    char **urls;      /* "stun:...", "turn:..."; the server may send one string or a list */
    size_t nurls;
    char *username;   /* or NULL */
    char *credential; /* or NULL */
} gate_ice_server;

typedef struct gate_ice_list {
    gate_ice_server *items;
    size_t n;
} gate_ice_list;

typedef struct gate_session {
    char *id;                  /* "sess_..." */
    char *model;
    int64_t expires_at;        /* unix s, 0 if absent */
    char **modalities;
    size_t nmodalities;
    char *instructions;
    char *voice;
    char *input_audio_format;
    char *output_audio_format;
    char *turn_detection_json; /* compact JSON, or NULL */
    bool has_temperature;
    double temperature;
    bool max_tokens_inf;       /* max_response_output_tokens is "inf" */
    int64_t max_tokens;        /* or the number; -1 if absent */
    char *client_secret;       /* client_secret.value ("eph_..."): a secret; NULL
                                * when the answer has none (the SDKs' types make
                                * it optional: the session exists all the same) */
    int64_t client_secret_expires_at; /* unix s, 0 if absent */
    gate_ice_list ice;         /* turn_credentials.iceServers */
    char *session_id;
    char *meta_model, *meta_voice, *meta_turn_server, *meta_created_at;
    int64_t meta_created_ms;   /* 0 if absent or unparseable */
    char *raw_json;            /* the whole answer, compact; holds the secrets */
} gate_session;

typedef struct gate_kv {
    char *key;   /* dotted path for nested objects ("sessions.active") */
    char *value; /* strings as is; numbers, booleans, null and lists as JSON text */
} gate_kv;

typedef struct gate_kv_list {
    gate_kv *items;
    size_t n;
} gate_kv_list;

/* The protocol error for a decoder's message; takes ownership of err. */
api_error *gate_decode_error(char *err);

/* The session answer. Every field is optional (client_secret too, as in
 * the SDKs' types: an answer without it is still a session created and
 * counted against the quota) but checked for type; a client_secret that
 * is there must hold a string value. Registers the secrets with the log. */
gate_session *gate_decode_session(const char *body, size_t len, char **err);
void gate_session_free(gate_session *s);

/* {iceServers:[{urls, username?, credential?}]}; registers credentials. */
gate_ice_list *gate_decode_turn(const char *body, size_t len, char **err);
void gate_ice_list_free(gate_ice_list *l);

/* The one JSON form of an ICE server list, what RTCPeerConnection takes as
 * iceServers: [{"urls": [...], "username": ..., "credential": ...}], urls
 * always a list, username and credential only when the server gave them
 * (a null would reach a browser as the text "null"). Everything that
 * shows ICE servers as JSON writes this: gate turn and gate session with
 * --json, the console's copies. A new array; the caller puts it. */
json_object *gate_ice_json(const gate_ice_list *l);

/* /health and /metrics: a JSON object flattened to (key, text) pairs in the
 * server's order, nested objects as dotted keys. A JSON string answer
 * becomes ("status", s). A body that is not JSON but is UTF-8 text is read
 * as lines "key value" or "key: value" (Prometheus-style counters; '#'
 * lines skipped); other lines become ("text", line). */
gate_kv_list *gate_decode_kv(const char *body, size_t len, char **err);
void gate_kv_list_free(gate_kv_list *l);

/* X-RateLimit-Limit / -Remaining / -Reset from an answer's headers. */
typedef struct gate_ratelimit {
    bool present;      /* limit and remaining were both valid */
    int64_t limit;
    int64_t remaining; /* <= limit */
    int64_t reset;     /* unix s, 0 when not sent */
} gate_ratelimit;

/* Strict: digits only, limit and remaining up to 10^9, reset up to year
 * 9999. Any header present but garbled makes the whole result not present,
 * as does a missing limit or remaining. */
gate_ratelimit gate_ratelimit_from_event(const net_event *ev);

/* What is known after a newer answer's limits arrive. Answers to requests
 * in flight together come back in any order, so the last one to arrive is
 * not always the latest: within one window (same reset and limit) the
 * count only falls, and an answer from an earlier window is stale. Without
 * a reset on either side the fresh answer wins. */
gate_ratelimit gate_ratelimit_merge(gate_ratelimit known, gate_ratelimit fresh);

#endif
