/* log.h: the optional debug log (--debug FILE), with secrets redacted.
 *
 * The log is off unless log_open() succeeded. Every line is redacted before
 * it is written: registered secrets (API keys, project ids, client secrets,
 * TURN credentials), credential headers (Authorization, X-API-Key, Cookie),
 * anything shaped like an AiAssist key (aai_...) or an ephemeral secret
 * (eph_..., ek_...), and JSON string values of credential-like fields. Lines
 * are also sanitised, so a log viewed in a terminal cannot be used against
 * it. Safe to call from any thread. */
#ifndef AIDESK_UTIL_LOG_H
#define AIDESK_UTIL_LOG_H

#include <stdbool.h>

/* Opens (creating with mode 0600, appending, refusing symlinks) the log at
 * path. Returns 0, or -errno. */
int log_open(const char *path);
void log_close(void);
bool log_enabled(void);

/* Registers a string that must never appear in the log (copied). Strings
 * shorter than 4 bytes are ignored: redacting them would mangle the log. */
void log_add_secret(const char *secret);
/* Forgets every registered secret. */
void log_clear_secrets(void);

/* Writes one timestamped line (a trailing newline is added). */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The redacted form of s (caller frees); what log_msg writes. */
char *log_redact(const char *s);

#define REDACTED "[redacted]"

#endif
