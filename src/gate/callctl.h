/* callctl.h: a call to an AI Gate session over the Realtime API.
 *
 * The controller opens the WebSocket (ws.h) on the caller's network
 * thread with the session's client secret - only while the secret is still
 * valid: an expired one is refused before anything goes out, with a
 * message that says to create a new session - and then runs turns: text
 * typed by the person goes as a user item and a response request; a WAV
 * file goes as input_audio_buffer.append in chunks, then a commit and a
 * response request. The reply's text, or an audio reply's transcript,
 * streams into the turn; its audio (PCM16 24 kHz) is kept and, when the
 * reply is done, written as turn-N.wav in the call's directory next to
 * transcript.txt, and played when playback is on and a player (aplay,
 * paplay) is present. Each turn has its timings (time to first text and
 * first audio, duration, measured on the network thread's clock) and the
 * usage that response.done reported. error and rate_limits.updated events
 * become notes in words.
 *
 * Events reach it through callctl_handle, from whichever loop the caller
 * runs (the console's desk handlers, the CLI's net_wait_event). Every
 * change bumps callctl_info.rev. The secret is registered with the log and
 * goes nowhere but the Authorization header. Caller's thread only. */
#ifndef AIDESK_GATE_CALLCTL_H
#define AIDESK_GATE_CALLCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/realtime.h"
#include "net/net.h"
#include "util/buf.h"

#define CALLCTL_DEFAULT_URL "wss://api.openai.com/v1/realtime"
#define CALLCTL_CHUNK_BYTES (24000 * 2 / 5) /* 200 ms of audio a chunk */

typedef struct callctl_params {
    const char *url;            /* the Realtime endpoint (CALLCTL_DEFAULT_URL) */
    const char *model;          /* sent as ?model= when not NULL */
    const char *session_id;     /* for names and messages */
    const char *secret;         /* the client secret (copied) */
    int64_t secret_expires_s;   /* unix seconds; 0 when unknown */
    const char *voice;          /* session.update at the start when not NULL */
    const char *instructions;   /* likewise */
    bool beta;                  /* speak the beta protocol (OpenAI-Beta header) */
    bool text_only;             /* ask for text replies, no audio */
    const char *dir;            /* where the transcript and WAVs go; NULL: nowhere */
    uint64_t tag;               /* the net requests' tag */
} callctl_params;

typedef enum callctl_state {
    CALL_CONNECTING,
    CALL_OPEN,
    CALL_CLOSED,  /* hung up, or the server closed */
    CALL_FAILED,  /* see callctl_info.error */
} callctl_state;

typedef struct callctl_turn {
    char *said;              /* the person's text, or "(audio FILE, N ms)" */
    buf_t reply;             /* the reply's text or transcript, as received */
    bool done, failed;
    char *status;            /* response.done's status */
    char *response_id;       /* the service's id of the reply */
    char *error;             /* why it failed, in words */
    api_error_kind fail_kind; /* what kind of failure (for exit statuses) */
    bool has_usage;
    rt_usage usage;
    size_t audio_bytes;      /* PCM16 received */
    char *wav_path;          /* written when done, NULL when no audio or no dir */
    int64_t sent_us;         /* monotonic, as the network thread's at_us */
    int64_t first_text_us, first_audio_us, done_us; /* 0 until seen */
    int64_t first_audio_handled_us; /* when this controller had the first audio */
} callctl_turn;

typedef struct callctl_info {
    unsigned rev;
    callctl_state state;
    char *error;             /* CALL_FAILED: in words */
    api_error_kind fail_kind; /* CALL_FAILED: what kind of failure */
    bool secret_expired;     /* the failure is an expired secret: offer a new session */
    int close_code;          /* CALL_CLOSED */
    callctl_turn *turns;
    size_t nturns;
    char **notes;            /* errors and rate limits in words, oldest first */
    size_t nnotes;
    bool beta_seen;          /* the server spoke the beta names */
    char *voice;             /* as the server's session says */
    bool playback;
    const char *player;      /* "aplay", "paplay" or NULL */
} callctl_info;

typedef struct callctl callctl;

/* Starts the call. NULL with *err (new string) when it cannot start: the
 * secret missing or expired at now_wall_ms (then *expired is set), the
 * URL not allowed. */
callctl *callctl_new(net_t *net, const callctl_params *p, int64_t now_wall_ms, bool *expired,
                     char **err);
/* Hangs up at once (if still connected) and frees. */
void callctl_free(callctl *c);
const callctl_info *callctl_info_get(const callctl *c);
/* The connection's request id, for the caller's own dispatch. */
uint64_t callctl_id(const callctl *c);

/* Takes ev when it is this call's (returns true; ev freed), else false. */
bool callctl_handle(callctl *c, net_event *ev);

/* A text turn. -1 with *err when a turn is still running or the call is
 * over. */
int callctl_say(callctl *c, const char *text, char **err);
/* A turn of speech from a WAV file (converted to PCM16 mono 24 kHz). */
int callctl_say_wav(callctl *c, const char *path, char **err);
/* Whether a turn is waiting for its reply. */
bool callctl_busy(const callctl *c);
/* Starts the close handshake; the state becomes CALL_CLOSED when done. */
void callctl_hangup(callctl *c);
/* Playback of replies (only when a player was found). */
void callctl_set_playback(callctl *c, bool on);

#endif
