/* unsent.h: messages that could not be sent, kept until they are.
 *
 * One record per message in <data>/unsent/<id>.json, so that any number of
 * consoles and command-line calls on one data directory lose nothing and
 * never send one record twice:
 *
 * - A record's id is made of the time, the pid and random bytes, and the
 *   record is created exclusively (written to a temporary file, then
 *   link()ed to its name, which fails rather than replace anything): no
 *   record ever overwrites another.
 * - A process that shows or sends a record holds it: an exclusive flock on
 *   the record's file, which the kernel drops when the process dies. Another
 *   process cannot take a held record (store_unsent_take says who holds it),
 *   and only the holder rewrites (store_unsent_update) or deletes
 *   (store_unsent_delete) a record.
 * - The file is self-describing JSON, one object:
 *     {"kind":"aidesk-unsent","v":1,"workspace":"ws_1","text":"...",
 *      "as_agent":false,"uncertain":false,"sending":false,
 *      "written":<unix ms>,"idem_key":"..."}   (idem_key only when set)
 * - Before a kept message is sent again its holder marks it "sending"
 *   (store_unsent_set_sending). A record found so marked by a new holder
 *   belongs to a sender that died during the send, so it may have arrived:
 *   it is uncertain from then on.
 *
 * Records of the older format (one "<hex of key>.msg" file per key, with a
 * flag byte A/a/C/c in front of the text) are migrated once, by
 * store_unsent_list, into records of this one.
 *
 * Functions return 0 (or the value documented), or -1 with *err set to a
 * new message with the path and the reason (caller frees; err may be
 * NULL). Text read back is what was written: sanitise it before showing
 * it. */
#ifndef AIDESK_STORE_UNSENT_H
#define AIDESK_STORE_UNSENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest message kept. */
#define STORE_UNSENT_MAX_BYTES (4 * 1024 * 1024)
/* Longest workspace id and idempotency key kept. */
#define STORE_UNSENT_WS_MAX 200
#define STORE_UNSENT_IDEM_MAX 200
/* Longest record id (they look like "1718187330123-48211-a3f9c1d2"). */
#define STORE_UNSENT_ID_MAX 64

typedef struct store_unsent_rec {
    char *id;           /* unique across processes; never reused */
    char *ws;           /* the workspace it is for */
    char *text;
    char *idem_key;     /* the idempotency key it was sent with, or NULL */
    bool as_agent;      /* a human agent's reply, not a customer message */
    bool uncertain;     /* it may have arrived: only a person sends it again */
    bool sending;       /* its holder is sending it (see above) */
    int64_t written_ms; /* when it was first kept, unix ms */
} store_unsent_rec;

/* A record this process holds (its lock and open file). */
typedef struct store_unsent_held store_unsent_held;

/* Keeps a new record of in's ws, text, idem_key (may be NULL), as_agent,
 * uncertain and sending (its id and written_ms are ignored: the store
 * assigns them).
 * On success *out is the record, held; end it with store_unsent_delete
 * (sent) or store_unsent_release (still unsent). */
int store_unsent_add(const store_unsent_rec *in, store_unsent_held **out, char **err);

/* Outcomes of store_unsent_take. */
enum {
    STORE_UNSENT_TAKEN = 0,
    STORE_UNSENT_HELD = 1, /* another process (or another take here) holds it */
    STORE_UNSENT_GONE = 2, /* no such record (sent and deleted, or never was) */
};

/* Takes the record named id, without waiting (one marked "sending" becomes
 * uncertain, on disk too). Returns STORE_UNSENT_TAKEN
 * with *out set, STORE_UNSENT_HELD with *holder set to the holder's pid (0
 * when it cannot be told), STORE_UNSENT_GONE, or -1 (unreadable: the file
 * stays as it is). holder may be NULL. */
int store_unsent_take(const char *id, store_unsent_held **out, long *holder, char **err);

/* The record as held (owned by h). */
const store_unsent_rec *store_unsent_held_rec(const store_unsent_held *h);

/* Rewrites a held record with r's text, idem_key, as_agent, sending, and
 * uncertain: once a record may have arrived it stays so, whatever r says.
 * Its id, workspace and written time stay. The record stays held; a crash
 * leaves the old or the new content. */
int store_unsent_update(store_unsent_held *h, const store_unsent_rec *r, char **err);

/* Marks a held record as being sent (before the request goes out) or not
 * (after a failure), keeping the rest: store_unsent_update with only
 * sending changed. */
int store_unsent_set_sending(store_unsent_held *h, bool sending, char **err);

/* Deletes a held record (it was sent) and frees h, whatever the result: a
 * record that could not be deleted stays held until this process ends. */
int store_unsent_delete(store_unsent_held *h, char **err);

/* Lets go of a held record, which stays kept; frees h (NULL is fine). */
void store_unsent_release(store_unsent_held *h);

/* One record, as listed. One marked "sending" that nobody holds is listed
 * as uncertain. */
typedef struct store_unsent_entry {
    store_unsent_rec rec;
    bool held;   /* an open file holds it (another process, or h of ours) */
    long holder; /* the holder's pid, 0 when it cannot be told */
} store_unsent_entry;

/* Lists the records of workspace ws (NULL: all), oldest first. Records
 * that cannot be read are skipped (and stay on disk). Before listing, it
 * removes what interrupted writes left in the directory
 * (store_clean_leftovers) and migrates records of the older format. On
 * success *out (free with store_unsent_list_free) and *n are set. */
int store_unsent_list(const char *ws, store_unsent_entry **out, size_t *n, char **err);
void store_unsent_list_free(store_unsent_entry *v, size_t n);

/* Frees the strings of r (not r itself). */
void store_unsent_rec_clear(store_unsent_rec *r);

#endif
