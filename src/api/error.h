/* error.h: typed errors of both API clients.
 *
 * Every failed call ends as one api_error: from a failed or cancelled
 * net_event (api_error_from_event), from a decoder that found a malformed
 * answer (api_error_malformed), or from a local check (api_error_new). The
 * kind drives what the program does (retry hint, exit code, which message);
 * the other fields keep what the server said so the UI can show details.
 *
 * Strings in an api_error are raw server data (unsanitised, possibly hostile).
 * Display only api_error_message(), which is sanitised and redacted. */
#ifndef AIDESK_API_ERROR_H
#define AIDESK_API_ERROR_H

#include <stdbool.h>
#include <stdint.h>

#include "net/net.h"

typedef enum api_service {
    API_AIASSIST,
    API_GATE,
} api_service;

/* The human name of a service: "AiAssist" or "AI Gate". */
const char *api_service_name(api_service svc);

typedef enum api_error_kind {
    API_ERR_AUTH,         /* 401: key or project id unknown */
    API_ERR_FORBIDDEN,    /* 403: known key without the right (user key on manager calls) */
    API_ERR_NOT_FOUND,    /* 404 */
    API_ERR_RATE_LIMITED, /* 429 rate limit */
    API_ERR_QUOTA,        /* 402: AI Gate plan quota used up */
    API_ERR_CONCURRENT,   /* 429 concurrent_limit_exceeded (AI Gate) */
    API_ERR_BAD_REQUEST,  /* 400 and other 4xx: the request was refused as wrong */
    API_ERR_CONFLICT,     /* 409: workspace_ended, draft_not_pending */
    API_ERR_SERVER,       /* 5xx, or an error reported inside a stream */
    API_ERR_NETWORK,      /* no answer: connect, TLS, timeout, stall, dropped */
    API_ERR_PROTOCOL,     /* an answer we cannot use: malformed, truncated, redirect */
    API_ERR_CANCELLED,    /* the user cancelled */
} api_error_kind;

/* A short name of a kind ("auth", "rate_limited", ...), for logs and tests. */
const char *api_error_kind_name(api_error_kind kind);

typedef struct api_error {
    api_error_kind kind;
    api_service service;
    bool has_service;   /* false for errors made by api_error_new */
    long status;        /* HTTP status, 0 if none */
    char *code;         /* server code: AiAssist "code", AI Gate "error"; or NULL */
    char *detail;       /* server text: AiAssist "detail", AI Gate "message"; or NULL */
    long retry_after_s; /* seconds to wait (Retry-After or resetAt), -1 if unknown */
    char *text;         /* a local message used as is (api_error_new, protocol) */
    char *origin;       /* "https://host[:port]" the call went to, or NULL */

    /* API_ERR_QUOTA (AI Gate 402): -1 / NULL when not given. */
    char *plan;
    int64_t sessions_used, sessions_included, sessions_remaining;
    double percent_used; /* -1 if not given */
    int64_t minutes_used, minutes_estimated;
    char *upgrade_url;

    /* API_ERR_CONCURRENT (AI Gate 429): -1 / NULL when not given. */
    int64_t concurrent_current, concurrent_max;
    char *hint;

    /* API_ERR_RATE_LIMITED on AI Gate: -1 / NULL when not given. */
    int64_t rate_limit;
    char *rate_window;  /* the server's window, as text ("15 minutes", "900") */
    char *reset_at;     /* the server's resetAt, as text */

    /* API_ERR_NETWORK / transport failures. */
    net_fail fail;      /* what the network layer reported */
    char *what;         /* the network layer's one-line message, or NULL */
} api_error;

/* A local error with a printf-formatted message (shown as is, sanitised). */
api_error *api_error_new(api_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A protocol error "<service> sent a malformed answer: <problem>", for a
 * decoder's error string (copied). */
api_error *api_error_malformed(api_service svc, const char *problem);

/* The error carried by a NET_EV_FAILED or NET_EV_CANCELLED event, using the
 * wall clock for HTTP-date Retry-After and resetAt. HTTP error bodies are
 * read by service (AiAssist {detail, code}; AI Gate {error, message, ...});
 * a body that is not JSON still gives the kind from the status. A 3xx is a
 * protocol error (redirects are never followed: a key must not travel to
 * another host). Any other event kind gives a protocol error. */
api_error *api_error_from_event(api_service svc, const net_event *ev);
/* The same with the current time given (unix seconds), for tests. */
api_error *api_error_from_event_at(api_service svc, const net_event *ev, int64_t now_s);

/* Records where the call went (base URL; only scheme, host and port are
 * kept) so network messages can say "cannot reach https://host". */
void api_error_set_origin(api_error *e, const char *base_url);

/* One line for people: sanitised (no controls, no newlines), with registered
 * secrets and key-shaped tokens redacted. Never NULL; caller frees. E.g.
 *   "rate limited by AiAssist: retry in 4 s"
 *   "AI Gate quota exceeded: 100 of 100 sessions used on the free plan (100%);
 *    upgrade at https://..."
 *   "too many concurrent AI Gate sessions (5 of 5): <hint>"
 *   "cannot reach https://api.aiassist.net: connection refused" */
char *api_error_message(const api_error *e);

/* Exit status for the CLI:
 *   0   no error (e == NULL)
 *   1   anything else: bad request, conflict, not found
 *   3   authentication or permission (AUTH, FORBIDDEN)
 *   4   limits (RATE_LIMITED, QUOTA, CONCURRENT)
 *   5   network (NETWORK)
 *   6   server error (SERVER)
 *   7   protocol: malformed answer, truncated stream, redirect (PROTOCOL)
 *   130 cancelled (CANCELLED), as a shell reports SIGINT */
int api_error_exit_code(const api_error *e);

/* Whether waiting and trying again may help (limits, server, network). */
bool api_error_is_transient(const api_error *e);

void api_error_free(api_error *e);

#endif
