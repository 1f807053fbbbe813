/* gatectl.h: the console's AI Gate controller, without curses.
 *
 * It creates realtime voice sessions, fetches TURN credentials, health and
 * metrics on the desk's network thread (its requests carry its owner tag,
 * desk_add_owner, so the UI loop's desk_drain serves both), and keeps what
 * the Gate pane shows: the sessions created in this run with their expiry
 * countdowns, the last TURN credentials, the last health and metrics, the
 * last error with its details, and the rate-limit headroom of the last
 * answer. Every change bumps gatectl_info.rev.
 *
 * Time: countdowns use the wall clock (the server's expiry times are unix
 * seconds), so the timer functions take clock_wall_ms(), not the monotonic
 * clock that desk_next_timer_ms takes.
 *
 * Secrets: the client secret and TURN credentials are registered with the
 * log by the decoders (gate_decode_session, gate_decode_turn) and never
 * passed to log_msg or desk_flash here; gatectl writes no transcript. Show
 * them masked (gatectl_mask) unless the user asks. A copy (gatectl_copy)
 * goes to the terminal's clipboard through OSC 52 when the config allows it
 * (osc52 = true in [ui]) or else into a new 0600 file in
 * $XDG_STATE_HOME/aidesk/gate/ (0700), the only file that ever holds one.
 *
 * Concurrency: the controller counts this run's live sessions (not
 * session-expired, plus creates in flight) and, when the next create would
 * exceed the plan's concurrency, refuses it once with a warning; the same
 * command repeated within a minute goes out anyway. The limit is the max of
 * the last 429 concurrent_limit_exceeded answer, else the free plan's 5.
 * Sessions created elsewhere (the CLI, another console) are not counted, so
 * the server may still refuse. After a create succeeds beyond the assumed
 * limit (a bigger plan) there is no warning until a 429 tells the max.
 *
 * UI thread only. */
#ifndef AIDESK_GATE_GATECTL_H
#define AIDESK_GATE_GATECTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/gate.h"
#include "desk/desk.h"

#define GATECTL_SECRET_TTL_S 60     /* when the answer has no client_secret.expires_at */
#define GATECTL_SESSION_TTL_S 3600  /* when the answer has no expires_at (1 h idle) */
#define GATECTL_FREE_CONCURRENCY 5  /* the free plan's, from the SDK README */
#define GATECTL_CONFIRM_MS 60000    /* how long a concurrency warning waits for the repeat */

/* ------------------------------------------------------------ pure helpers */

typedef enum gatectl_state {
    GATECTL_USABLE,          /* the client secret can still open a connection */
    GATECTL_SECRET_EXPIRED,  /* too late to connect with this secret */
    GATECTL_SESSION_EXPIRED, /* the session itself is over */
    GATECTL_NO_SECRET,       /* live, but the answer held no client secret (the
                              * SDKs' types make it optional) */
} gatectl_state;

/* Shown where the secret would be when the answer had none. */
#define GATECTL_NO_SECRET_TEXT GATE_NO_SECRET_TEXT

/* "usable", "secret expired", "session expired", "no secret". */
const char *gatectl_state_name(gatectl_state s);

typedef struct gatectl_timing {
    gatectl_state state;
    int64_t secret_left_s;  /* whole seconds, rounded up; 0 once expired */
    int64_t session_left_s; /* the same for the session */
} gatectl_timing;

/* The state at now_ms (wall) of expiry times in unix seconds: a secret is
 * expired from exactly secret_expires_s on (now_ms >= secret_expires_s *
 * 1000), a session from exactly session_expires_s on. 1 ms before, 1 s
 * is left. */
gatectl_timing gatectl_timing_at(int64_t secret_expires_s, int64_t session_expires_s,
                                 int64_t now_ms);

/* A secret for display: "eph_" + "…" + its last 4 characters (the prefix is
 * what comes up to the first '_' when that is within the first 8 bytes;
 * last 4 only when the secret is at least 12 bytes, else just "…"). NULL
 * gives "". Caller frees. */
char *gatectl_mask(const char *secret);

/* Standard base64 (RFC 4648, with '=' padding). Caller frees. */
char *gatectl_base64(const void *data, size_t len);

/* The OSC 52 sequence that puts text on the clipboard:
 * ESC ] 52 ; c ; <base64> BEL. Terminals may cap its size (some at a few
 * kilobytes, xterm at about 100 kB, others ignore OSC 52 entirely or need
 * it enabled; tmux and screen need passthrough). Caller frees. */
char *gatectl_osc52(const char *text, size_t len);

/* The concurrency warning before a create, or NULL when it may go out:
 * live sessions known (including creates in flight) against the limit
 * (<= 0: unknown, no warning). Caller frees. */
char *gatectl_conc_warning(size_t live, int64_t limit, bool limit_from_server);

/* ------------------------------------------------------------ the state */

typedef enum gatectl_action {
    GATECTL_ACT_CREATE,
    GATECTL_ACT_TURN,
    GATECTL_ACT_HEALTH,
    GATECTL_ACT_METRICS,
} gatectl_action;

/* "creating a session", "fetching TURN credentials", "checking health",
 * "fetching metrics". */
const char *gatectl_action_name(gatectl_action a);

typedef struct gatectl_session {
    gate_session *s;           /* the decoded answer: id, model, voice, instructions,
                                * temperature, client_secret, ice (STUN and TURN),
                                * meta_turn_server (the TURN server in use), raw_json */
    int64_t created_ms;        /* wall: metadata.created_at, else when the answer came */
    int64_t secret_expires_s;  /* client_secret.expires_at, else received + 60 s;
                                * 0 when there is no secret */
    int64_t expires_s;         /* expires_at, else created + 1 h */
    bool secret_expiry_guessed, expiry_guessed;
    bool no_secret;            /* the answer had no client_secret: the session
                                * is kept and shown (GATECTL_NO_SECRET_TEXT), its
                                * state is GATECTL_NO_SECRET while it lives, and
                                * there is no secret to copy */
    gatectl_state state;       /* as of the last gatectl_tick (or the answer) */
} gatectl_session;

typedef struct gatectl_error {
    gatectl_action action;     /* what failed */
    api_error *e;              /* kind, status and the details, structured:
                                *   QUOTA (402): plan, sessions_used, sessions_included,
                                *     sessions_remaining, percent_used, upgrade_url
                                *   RATE_LIMITED (429): rate_limit, rate_window, reset_at
                                *   CONCURRENT (429): concurrent_current, concurrent_max, hint
                                * (strings there are raw server text: show message, or
                                * sanitise them) */
    char *message;             /* api_error_message: one line, sanitised and redacted */
    int64_t at_ms;             /* wall, when it came */
    int64_t reset_s;           /* RATE_LIMITED: unix s when the window resets (resetAt,
                                * else Retry-After, else X-RateLimit-Reset); 0 unknown */
} gatectl_error;

typedef struct gatectl_info {
    gatectl_session **sessions; /* created in this run, oldest first */
    size_t nsessions;

    gate_ice_list *turn;        /* the last TURN credentials, or NULL */
    int64_t turn_at_ms;         /* wall */
    gate_kv_list *health;       /* the last /health, or NULL */
    gate_kv_list *metrics;      /* the last /metrics, or NULL */
    int64_t health_at_ms, metrics_at_ms;

    gatectl_error *error;       /* the last failure, or NULL; a later success of
                                 * the same action clears it */

    gate_ratelimit rate;        /* X-RateLimit-* of the last answer that had them */
    int64_t rate_at_ms;         /* wall; 0 before any */

    int64_t conc_limit;         /* concurrent sessions allowed; 0: unknown (no warning) */
    bool conc_from_server;      /* conc_limit came from a 429 answer */
    bool confirm_create;        /* the last gatectl_create was refused with the
                                 * concurrency warning: repeating it sends it */

    unsigned creating;          /* requests in flight */
    unsigned turn_pending;
    unsigned health_pending;    /* /health and /metrics */
    unsigned rev;               /* bumped on every change */
} gatectl_info;

typedef struct gatectl gatectl_t;

/* A controller for the desk's AI Gate project (desk_config: project_id,
 * gate_url, timeout, max_retries, allow_http, osc52), registered with
 * the desk as the owner of its requests and timers. NULL with *err (caller frees) when no project id is
 * configured or it or the URL cannot be used. The desk and its network
 * thread must outlive it. gatectl_free unregisters it and cancels what is
 * in flight (not from inside an event handler). */
gatectl_t *gatectl_new(desk_t *desk, char **err);
void gatectl_free(gatectl_t *g);

const gatectl_info *gatectl_get(const gatectl_t *g);

/* Sessions of this run counted against the concurrency limit at now_ms
 * (wall): not session-expired, plus creates in flight. */
size_t gatectl_live_count(const gatectl_t *g, int64_t now_ms);

/* ------------------------------------------------------------- actions */

/* Checks p (gate_validate_params) and the concurrency limit, then sends.
 * Returns true when sent; false with *err (caller frees) when p is invalid
 * or when the concurrency warning stops it (then info.confirm_create is
 * true, and the same call repeated within GATECTL_CONFIRM_MS sends). The
 * session appears in info.sessions when the answer comes; desk_flash
 * reports the outcome. */
bool gatectl_create(gatectl_t *g, const gate_session_params *p, char **err);
/* GET /turn-credentials into info.turn. */
void gatectl_turn(gatectl_t *g);
/* GET /health and GET /metrics into info.health and info.metrics. */
void gatectl_health(gatectl_t *g);

/* ------------------------------------------------------------- timers */

/* Milliseconds until the next whole second of the wall clock while any
 * session shows a countdown (is not session-expired), else -1: an idle
 * pane never wakes the loop. now_ms: clock_wall_ms(). */
long gatectl_next_timer_ms(const gatectl_t *g, int64_t now_ms);
/* Recomputes each session's state; bumps rev when one changed. */
void gatectl_tick(gatectl_t *g, int64_t now_ms);

/* The timing of session i at now_ms (wall); without a secret,
 * secret_left_s is 0 and the state GATECTL_NO_SECRET until the session
 * expires. */
gatectl_timing gatectl_session_timing(const gatectl_session *s, int64_t now_ms);

/* --------------------------------------------------- details and copying */

/* The whole answer of session i, pretty-printed JSON (2-space indent), with
 * client_secret.value and the TURN usernames and credentials masked unless
 * show_secrets. NULL when i is out of range. Caller frees. */
char *gatectl_details_json(const gatectl_t *g, size_t i, bool show_secrets);

typedef enum gatectl_copy_what {
    GATECTL_COPY_SECRET, /* the client secret alone */
    GATECTL_COPY_CURL,   /* a shell snippet: curl POSTing an SDP offer from a file to
                          * https://api.openai.com/v1/realtime?model=<model> with the
                          * secret as bearer; the ICE servers in a comment */
    GATECTL_COPY_JSON,   /* {client_secret, expires_at, model, voice, ice_servers} */
} gatectl_copy_what;

/* The text a copy holds (pure: for previews and tests). Caller frees. */
char *gatectl_copy_text(const gatectl_session *s, gatectl_copy_what what);

typedef struct gatectl_copy_out {
    char *osc52;        /* the sequence for the UI to write to the terminal, or NULL */
    char *path;         /* else the new file (mode 0600) that holds the text */
    size_t bytes;       /* the size of the text copied */
    bool secret_expired; /* the secret copied had already expired */
} gatectl_copy_out;

/* Copies session i's secret, curl snippet or JSON (a session without a
 * secret has only the JSON, its client_secret null): through OSC 52 when the
 * config's osc52 is on, else into a new file <state>/gate/<id>-<what>[-N].<ext>
 * created 0600 in a 0700 directory. Returns true with *out filled (free
 * with gatectl_copy_out_clear), or false with *err. Nothing is logged. */
bool gatectl_copy(gatectl_t *g, size_t i, gatectl_copy_what what, gatectl_copy_out *out,
                  char **err);
void gatectl_copy_out_clear(gatectl_copy_out *out);

/* Writes text to a new file in dir (created 0700 if missing, and narrowed
 * to 0700 if ours and wider) named base + ext, or base-2 + ext, ... (never
 * replacing a file, never following a symlink), mode 0600. Returns the
 * path (caller frees) or NULL with *err. */
char *gatectl_write_private(const char *dir, const char *base, const char *ext,
                            const char *text, size_t len, char **err);

#endif
