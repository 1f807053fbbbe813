/* file.h: small files, written so that a crash leaves either the old or the
 * new content, and read back with a size cap.
 *
 * Files are created 0600 from the start (never widened and narrowed
 * afterwards), opened with O_CLOEXEC, and the last component of a path is
 * never followed if it is a symlink. Functions return 0 (or the value
 * documented), or -1 with *err set to a new message with the path and
 * strerror (caller frees; err may be NULL). */
#ifndef AIDESK_STORE_FILE_H
#define AIDESK_STORE_FILE_H

#include <stddef.h>

/* Replaces the file at path with data[0..len): a temporary file in the same
 * directory (mode 0600, named ".<name>.tmp-<pid>-XXXXXX") is written,
 * synced and renamed over path, then the directory is synced. On failure
 * the temporary file is removed and path is unchanged; a writer killed on
 * the way leaves it behind, for store_clean_leftovers. The directory must
 * exist. */
int store_write_atomic(const char *path, const void *data, size_t len, char **err);

/* How old a temporary file of a live writer must be to count as left over
 * (its pid was reused, or it belongs to an older version that did not put
 * the pid in the name): no store write takes this long. */
#define STORE_LEFTOVER_MAX_AGE_S (15 * 60)

/* Removes the temporary files in dir that interrupted writes left: those
 * whose writer is dead, and those older than STORE_LEFTOVER_MAX_AGE_S.
 * Returns how many were removed (a missing dir: 0), or -1 with *err. */
int store_clean_leftovers(const char *dir, char **err);

/* Reads the whole file at path, refusing one larger than max bytes or that
 * is not a regular file. Returns 0 with *data (NUL-terminated, caller frees)
 * and *len set; 1 when the file does not exist; -1 on error. */
int store_read_file(const char *path, size_t max, char **data, size_t *len, char **err);

/* Writes all of p[0..n) to fd, retrying short writes and EINTR. Returns 0,
 * or -1 with errno set. */
int store_write_all(int fd, const void *p, size_t n);

#endif
