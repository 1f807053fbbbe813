/* paths.h: where aidesk keeps its files, and making those directories.
 *
 * Data (transcripts, unsent messages) lives under $XDG_DATA_HOME/aidesk
 * (default ~/.local/share/aidesk), state (input history) under
 * $XDG_STATE_HOME/aidesk (default ~/.local/state/aidesk). Directories are
 * created on demand with mode 0700; nothing is cached, so a changed
 * environment is seen at the next call. Every function returns 0, or -1
 * with *err set to a new message naming the path and the reason (caller
 * frees; err may be NULL). None aborts on an I/O failure. */
#ifndef AIDESK_STORE_PATHS_H
#define AIDESK_STORE_PATHS_H

/* Creates path and any missing parents, each with mode 0700. An existing
 * directory (or symlink to one) is accepted as it is. */
int store_mkdirs(const char *path, char **err);

/* The data and state directories, created if missing; *out is a new
 * string. */
int store_data_dir(char **out, char **err);
int store_state_dir(char **out, char **err);

/* <data>/<name>, created if missing. */
int store_data_subdir(const char *name, char **out, char **err);

/* <state>/history for the input line's history (readline's read_history and
 * write_history take it); the directory is created, the file is not. */
int store_history_path(char **out, char **err);

#endif
