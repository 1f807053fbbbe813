/* store_priv.h: helpers shared by the files of src/store; not for use
 * outside it. */
#ifndef AIDESK_STORE_STORE_PRIV_H
#define AIDESK_STORE_STORE_PRIV_H

#include <stdbool.h>
#include <stddef.h>

/* Fills out with n random bytes (the kernel's, or a time-and-pid mixture
 * when that is unavailable: names need to differ, not to be secret). */
void store_random(unsigned char *out, size_t n);

/* Creates a new temporary file in dir for a file named base: a dot name
 * (listings skip it) that carries the writer's pid, so that what a killed
 * writer leaves behind can be recognised and removed
 * (store_clean_leftovers): "<dir>/.<base>.tmp-<pid>-XXXXXX". Mode 0600,
 * O_CLOEXEC, created exclusively. Returns the descriptor with *tmp set
 * (caller frees), or -1 with *err. */
int store_tmp_create(const char *dir, const char *base, char **tmp, char **err);

/* Syncs directory dir, so that a rename, link or unlink in it survives a
 * crash (file systems that cannot sync a directory are accepted). */
int store_sync_dir(const char *dir, char **err);

/* Reads all of the regular file open on fd from offset 0, refusing more
 * than max bytes; path is for messages. 0 with *data (NUL-terminated,
 * caller frees) and *len, or -1 with *err. */
int store_read_fd(int fd, const char *path, size_t max, char **data, size_t *len, char **err);

/* Whether fd is still the file at path (not deleted or replaced since it
 * was opened): 1 yes, 0 no, -1 error (errno set). */
int store_same_file(int fd, const char *path);

/* flock on fd without waiting, exclusive or shared: 0 when taken, 1 when
 * another open file holds a conflicting lock, -1 on error (errno set).
 * flock locks belong to the open file, so two opens in one process
 * conflict too, and the kernel drops them when the holder dies. */
int store_lock_try(int fd, bool shared);
/* Waits up to about max_ms for an exclusive flock on fd: 0 when taken, 1
 * when still held elsewhere, -1 on error (errno set). */
int store_lock_wait(int fd, long max_ms);
/* The pid of a process holding a flock on the file open on fd, from
 * /proc/locks; 0 when it cannot be told (no /proc, another namespace). */
long store_lock_holder(int fd);
/* Whether a flock is held on the file open on fd, asked of /proc/locks
 * without taking one (a probing lock, however short, could make another
 * process's take fail): 1 held (*pid set), 0 not held, -1 cannot tell. */
int store_lock_query(int fd, long *pid);

#endif
