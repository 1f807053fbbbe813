/* realtime.h: the OpenAI Realtime API's events, encoded and decoded.
 *
 * Client events are built as JSON text for net_ws_send. Server events are
 * decoded into one struct, for both generations of the protocol: the GA
 * names (response.output_text.delta, response.output_audio.delta,
 * response.output_audio_transcript.delta, conversation.item.added) and the
 * beta ones (response.text.delta, response.audio.delta,
 * response.audio_transcript.delta, conversation.item.created) decode to
 * the same kinds. Events we do not use decode as RT_OTHER with their type.
 *
 * Text from the server is data: the strings here are as received (valid
 * UTF-8 after json-c), to be sanitised before a screen shows them. */
#ifndef AIDESK_API_REALTIME_H
#define AIDESK_API_REALTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef enum rt_kind {
    RT_OTHER,
    RT_SESSION,            /* session.created / session.updated */
    RT_RESPONSE_CREATED,
    RT_TEXT_DELTA,         /* text: the delta */
    RT_TRANSCRIPT_DELTA,   /* text: the delta of an audio reply's transcript */
    RT_AUDIO_DELTA,        /* audio: the PCM16 bytes of the delta */
    RT_RESPONSE_DONE,      /* status, usage */
    RT_ERROR,              /* error: type, code, message */
    RT_RATE_LIMITS,        /* rates */
    RT_AUDIO_COMMITTED,    /* input_audio_buffer.committed */
} rt_kind;

typedef struct rt_usage {
    int64_t total, input, output;
    int64_t input_text, input_audio, input_cached, output_text, output_audio;
} rt_usage;

typedef struct rt_rate {
    char *name;            /* "requests", "tokens" */
    int64_t limit, remaining;
    double reset_s;
} rt_rate;

#define RT_MAX_RATES 4

typedef struct rt_event {
    rt_kind kind;
    char *type;            /* the event's type as sent */
    bool beta;             /* a beta-only name */
    char *text;            /* deltas; RT_ERROR: the message */
    buf_t audio;           /* RT_AUDIO_DELTA */
    char *status;          /* RT_RESPONSE_DONE: "completed", "failed", ... */
    char *response_id;     /* RT_RESPONSE_CREATED, RT_RESPONSE_DONE */
    bool has_usage;
    rt_usage usage;
    char *err_type, *err_code;       /* RT_ERROR */
    rt_rate rates[RT_MAX_RATES];     /* RT_RATE_LIMITS */
    size_t nrates;
    char *voice, *instructions;      /* RT_SESSION */
} rt_event;

/* Decodes one server message into ev (cleared first). Returns 0, or -1
 * with *err (new string) when the message is not a JSON event with a
 * type, or a delta we use is malformed (audio that is not base64). */
int rt_decode(const char *json, size_t len, rt_event *ev, char **err);
void rt_event_clear(rt_event *ev);

/* Client events (new strings). */
char *rt_user_text(const char *text);
/* response.create; text_only asks for a text reply (both generations'
 * field names are sent: output_modalities and modalities). */
char *rt_response_create(bool text_only);
/* session.update with the fields given (NULL: left as they are). */
char *rt_session_update(const char *instructions, const char *voice);
/* input_audio_buffer.append of len bytes of PCM16. */
char *rt_audio_append(const void *pcm, size_t len);
char *rt_audio_commit(void);

/* One line in words for a rate-limit event ("requests 4999/5000 left,
 * reset in 1.5 s; tokens ..."); caller frees. */
char *rt_rates_text(const rt_event *ev);
/* One line in words for an error event; caller frees. */
char *rt_error_text(const rt_event *ev);

#endif
