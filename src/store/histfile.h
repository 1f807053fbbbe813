/* histfile.h: the input line's history file, shared by every console of a
 * user.
 *
 * Each console adds the lines entered in it at the end of the file, under
 * a lock (<path>.lock, flock), and the file is replaced atomically
 * (store_write_atomic) with at most keep lines: two consoles ending at
 * once both keep their lines, and neither overwrites the other's. The
 * format is readline's plain one, one entry a line, so that readline's
 * read_history reads it (an entry holding newlines becomes several, as
 * with readline's own write_history). */
#ifndef AIDESK_STORE_HISTFILE_H
#define AIDESK_STORE_HISTFILE_H

#include <stddef.h>

/* The most of an existing file that is read back: its end, when longer. */
#define STORE_HISTORY_MAX_BYTES (16 * 1024 * 1024)

/* Appends lines[0..n) (empty ones skipped) to the history at path and
 * keeps its newest keep lines. Returns 0, or -1 with *err set to a new
 * message (caller frees; err may be NULL); a path that is not a regular
 * file (a symlink) is refused, not followed. */
int store_history_append(const char *path, const char *const *lines, size_t n, size_t keep,
                         char **err);

#endif
