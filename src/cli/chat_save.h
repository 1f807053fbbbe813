/* chat_save.h: "aidesk chat --save": the exchange kept as a local
 * transcript (store/transcript.h), kind "chat".
 *
 * Records, one JSON object a line after the store's meta record:
 *   {"t":<unix ms>,"type":"system","content":...}          (with -s only)
 *   {"t":<unix ms>,"type":"user","content":...,"model":...}  before sending
 *   {"t":<unix ms>,"type":"assistant","content":...,"model":...,"id":...,
 *    "finish_reason":...,"partial":<bool>,"error":<message>|null}
 * The user record is written before the request, so a crash keeps the
 * question; the reply (partial when it failed) when it has ended. */
#ifndef AIDESK_CLI_CHAT_SAVE_H
#define AIDESK_CLI_CHAT_SAVE_H

#include "api/error.h"

struct cli_ctx;

typedef struct cli_chat_save cli_chat_save;

/* Creates the transcript and writes the first records; NULL after a
 * message on stderr. */
cli_chat_save *cli_chat_save_new(struct cli_ctx *c, const char *model, const char *system,
                                 const char *prompt);
/* Records the reply (s NULL: nothing to do). e: how it failed, or NULL. */
void cli_chat_save_reply(cli_chat_save *s, const char *id, const char *model, const char *content,
                         const char *finish_reason, const api_error *e);
/* Closes the transcript, noting its path on stderr (unless quiet). */
void cli_chat_save_free(struct cli_ctx *c, cli_chat_save *s);

#endif
