/* modemem.h: the mode each workspace was in before its takeover, kept on
 * disk so that handing back after a restart returns to it (desk.h, "takeover
 * and handing back").
 *
 * One JSON file, <state>/takeover-modes.json (mode 0600):
 *   {"kind":"aidesk-takeover-modes","v":1,
 *    "workspaces":{"ws_1":{"before":"shadow","at":<unix ms>}, ...}}
 * Every change re-reads the file, applies itself and replaces the file
 * (store/file.h: atomic), under an exclusive flock on
 * <state>/takeover-modes.lock, so that consoles sharing a state directory
 * keep each other's entries; what the file holds then is what this
 * process knows. At most MODEMEM_MAX workspaces are kept, the most
 * recently taken over; an entry leaves when its workspace is handed back
 * or ends. A file that cannot be read or written costs only the memory
 * across restarts: the error says so once, and the in-memory map still
 * works.
 *
 * UI thread only. */
#ifndef AIDESK_DESK_MODEMEM_H
#define AIDESK_DESK_MODEMEM_H

#include <stdint.h>

#include "api/aiassist_types.h"

#define MODEMEM_MAX 2000

typedef struct modemem modemem;

/* Reads the file (missing: empty). Never NULL; *err (caller frees) says why
 * the file could not be read, if so. */
modemem *modemem_open(char **err);
void modemem_free(modemem *mm);

/* The mode ws_id was in before its takeover, or AI_MODE_UNKNOWN. */
ai_mode modemem_get(const modemem *mm, const char *ws_id);
/* ws_id went into takeover from before (at_ms: when, wall clock). A
 * before of AI_MODE_TAKEOVER or AI_MODE_UNKNOWN is ignored. Returns 0, or
 * -1 with *err when the file could not be updated (memory is). */
int modemem_set(modemem *mm, const char *ws_id, ai_mode before, int64_t at_ms, char **err);
/* ws_id left takeover or ended: forgotten. Returns 0 or -1 as above. */
int modemem_forget(modemem *mm, const char *ws_id, char **err);

#endif
