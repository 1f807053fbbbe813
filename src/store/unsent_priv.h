/* unsent_priv.h: what unsent.c and unsent_legacy.c share; not for use
 * outside src/store. */
#ifndef AIDESK_STORE_UNSENT_PRIV_H
#define AIDESK_STORE_UNSENT_PRIV_H

#include "store/unsent.h"

/* A record's file is <data>/unsent/<id> UNSENT_SUFFIX. */
#define UNSENT_SUFFIX ".json"

/* <data>/unsent, created if missing (*dir: caller frees). */
int unsent_dir(char **dir, char **err);

/* Writes r (its written_ms as given) as a new record file in dir, created
 * exclusively. With id NULL a fresh id is made for every attempt; with an
 * id, that one only, and 1 is returned (nothing written) when a record of
 * that id exists already. On success returns 0 with *fd (open, holding the
 * record's lock) and, when not NULL, *id_out (caller frees). */
int unsent_create(const char *dir, const store_unsent_rec *r, const char *id, int *fd,
                  char **id_out, char **err);

/* Ids are ours: 1 to STORE_UNSENT_ID_MAX digits, lower-case hex digits and
 * dashes, so that none names a file outside the directory. */
bool unsent_valid_id(const char *id);

/* Checks what a record may hold (sizes, a workspace id): 0 or -1. */
int unsent_check_rec(const store_unsent_rec *r, char **err);

/* A copy of from's strings and fields into to. */
void unsent_rec_copy(store_unsent_rec *to, const store_unsent_rec *from);

/* The record's file content, one line of JSON (caller frees), or NULL
 * when json-c cannot build it. */
char *unsent_rec_json(const store_unsent_rec *r);

/* Reads the record file open on fd into *r (with r->id a copy of id):
 * 0, or -1 with *err when it is unreadable or not a record. */
int unsent_read(int fd, const char *path, const char *id, store_unsent_rec *r, char **err);

/* Migrates the files of the older format in dir into records, each once
 * (see unsent_legacy.c); problems are logged, never fatal. */
void unsent_migrate_legacy(const char *dir);

#endif
