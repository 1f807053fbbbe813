/* keycmd.h: getting a secret by running a command (api_key_cmd,
 * project_id_cmd), as mail clients do with their password commands.
 *
 * The command string is split into words here, never by a shell: blanks
 * separate words; '...' keeps everything literally; "..." keeps everything
 * but \" \\ \$ \` (which drop the backslash); outside quotes a backslash
 * keeps the next character. Nothing is expanded. Unquoted shell syntax
 * (| ; & < > ( ) $ `, and ~ or # starting a word) is refused with a hint,
 * since without a
 * shell it would silently mean something else; a user who wants a shell
 * writes one out: sh -c 'pass show ai | head -n1'.
 *
 * The program is found on PATH, runs in its own process group with stdin
 * from /dev/null, default signal handling and no descriptors of ours beyond
 * 0-2; its stdout is read; its stderr is inherited, so it can explain a
 * failure on the terminal (run it before the screen is taken over). Only the
 * first line of its output is used, trimmed of blanks. Error messages name
 * the program but never contain anything it printed. */
#ifndef AIDESK_CONFIG_KEYCMD_H
#define AIDESK_CONFIG_KEYCMD_H

#define KEYCMD_DEFAULT_TIMEOUT_MS 10000
/* More output than this is refused (a key is a line, not a file). */
#define KEYCMD_MAX_OUTPUT (64 * 1024)

/* Splits cmd into a NULL-terminated word list (caller frees it with
 * keycmd_argv_free). Returns 0, or -1 with *err set to a new message (caller
 * frees; err may be NULL). */
int keycmd_split(const char *cmd, char ***argv, char **err);
void keycmd_argv_free(char **argv);

/* A short, display-safe name for the command: its program, followed by
 * " ..." when it has arguments (which may hold things that are nobody's
 * business, such as a store path). Caller frees. */
char *keycmd_describe(const char *cmd);

/* Runs cmd, waiting at most timeout_ms (<= 0 means the default) for it to
 * print and exit; on time-out its process group is killed. On success
 * returns 0 with *secret set to the trimmed first line (caller frees, and
 * should wipe it when done). Otherwise returns -1 with *err set to a new
 * message naming the program and saying why: could not be started, exited
 * with status N, killed by signal N, timed out, printed nothing or too much,
 * printed a NUL byte. */
int keycmd_run(const char *cmd, int timeout_ms, char **secret, char **err);

#endif
