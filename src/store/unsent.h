/* unsent.h: messages that could not be sent, kept until they are.
 *
 * One file per key (a workspace id, "chat", ...) in <data>/unsent/, written
 * atomically (store_write_atomic), so a message survives a failed send, a
 * crash and a restart. Keys are hex-encoded into file names, so no key can
 * name a file outside that directory; a key must be 1 to
 * STORE_UNSENT_KEY_MAX bytes. Nothing is cached: every call reads the
 * disk. Functions return 0, or -1 with *err set to a new message with the
 * path and the reason (caller frees; err may be NULL). */
#ifndef AIDESK_STORE_UNSENT_H
#define AIDESK_STORE_UNSENT_H

#include <stddef.h>

/* Hex doubles a key, and the temporary file's name adds 16 bytes: 100
 * keeps every name well under NAME_MAX (255). */
#define STORE_UNSENT_KEY_MAX 100
/* Largest message kept. */
#define STORE_UNSENT_MAX_BYTES (4 * 1024 * 1024)

/* Saves text (replacing what was saved under key). */
int store_unsent_save(const char *key, const char *text, char **err);

/* Sets *text to the saved message (a new string, caller frees), or to NULL
 * when there is none. */
int store_unsent_load(const char *key, char **text, char **err);

/* Forgets the message saved under key (none saved is fine). */
int store_unsent_clear(const char *key, char **err);

/* Sets *keys to the keys that have a saved message (a NULL-terminated
 * array, sorted, free with store_unsent_keys_free) and *n to their count. */
int store_unsent_keys(char ***keys, size_t *n, char **err);
void store_unsent_keys_free(char **keys);

#endif
