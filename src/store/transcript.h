/* transcript.h: saved local chats and comparisons, one JSON record a line.
 *
 * A transcript is <data>/transcripts/<UTC time>-<kind>-<random>.jsonl, for
 * example 20250314T092653Z-chat-3fa9c2e1.jsonl, mode 0600. Each append is a
 * single write() of one record and its newline to a file opened O_APPEND,
 * so a crash loses at most the line being written; the loader skips such a
 * torn line, and the next append after reopening starts a fresh line.
 * Records are the caller's (the console uses {"t":<unix ms>,"type":...});
 * the store adds only the newline, except for the first record, which
 * store_transcript_create writes:
 *   {"type":"meta","t":<unix ms>,"kind":"chat","title":"..."}
 * Functions return 0, or -1 with *err set to a new message with the path
 * and the reason (caller frees; err may be NULL); none aborts on an I/O
 * failure. Text read back (records, titles) is what was written: sanitise
 * it before showing it. */
#ifndef AIDESK_STORE_TRANSCRIPT_H
#define AIDESK_STORE_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* An open transcript (owns its descriptor). */
typedef struct store_transcript store_transcript;

/* Longest line the loader accepts; longer ones count as malformed. */
#define STORE_TRANSCRIPT_MAX_LINE (16 * 1024 * 1024)

/* Creates a new transcript of kind "chat" or "compare" with its meta
 * record (title may be NULL: then the record has none). On success *out
 * is set; free it with store_transcript_free. */
int store_transcript_create(const char *kind, const char *title, store_transcript **out,
                            char **err);

/* Reopens an existing transcript for appending. A transcript has one
 * writer at a time: the one that created it or reopened it holds an
 * exclusive flock on it while it is open (the kernel drops it when that
 * process dies), and reopening one held elsewhere fails with a message
 * saying so ("open in another aidesk (pid N)"). Reading it stays free. */
int store_transcript_open_existing(const char *path, store_transcript **out, char **err);

/* Appends record (borrowed) as one line. A record whose serialisation
 * would not fit on one line is refused. After a short write (disk full),
 * the next append starts on a new line. */
int store_transcript_append(store_transcript *t, json_object *record, char **err);

/* The transcript's path (owned by t). */
const char *store_transcript_path(const store_transcript *t);

/* Flushes the transcript to the disk (fsync). */
int store_transcript_sync(store_transcript *t, char **err);

/* Closes and frees t (NULL is fine). */
void store_transcript_free(store_transcript *t);

/* Called for each record read back; record is borrowed for the call.
 * Return false to stop reading. */
typedef bool (*store_record_cb)(void *ud, json_object *record);

typedef struct store_load_stats {
    size_t records;   /* handed to the callback */
    size_t malformed; /* complete lines that were not a JSON object */
    bool torn;        /* the file ended inside a line, which was skipped */
} store_load_stats;

/* Reads every complete line of the transcript at path and hands each JSON
 * object to cb. Torn and malformed lines are skipped and counted in *stats
 * (may be NULL); only failing to open or read the file is an error. */
int store_transcript_load(const char *path, store_record_cb cb, void *ud, store_load_stats *stats,
                          char **err);

/* One saved transcript, as listed. */
typedef struct store_transcript_info {
    char *path;
    char *kind;       /* "chat" or "compare" */
    char *title;      /* from the meta record; NULL when there is none */
    int64_t mtime_ms; /* last modification, unix ms */
} store_transcript_info;

/* Lists saved transcripts of kind (NULL: all kinds), most recently modified
 * first. No transcripts (or no directory yet) is an empty list. On success
 * *out (free with store_transcript_list_free) and *n are set. */
int store_transcript_list(const char *kind, store_transcript_info **out, size_t *n, char **err);
void store_transcript_list_free(store_transcript_info *v, size_t n);

#endif
