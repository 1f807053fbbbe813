/* settings_priv.h: what the files of the settings module share; not for
 * use outside src/config. */
#ifndef AIDESK_CONFIG_SETTINGS_PRIV_H
#define AIDESK_CONFIG_SETTINGS_PRIV_H

#include <stdbool.h>

#include "config/settings.h"

/* Value checkers. Each returns NULL when s is acceptable (setting *out
 * where there is one), or a new message saying what is wrong; messages
 * quote the value only where it is not a secret. */
char *config_parse_timeout(const char *s, int *ms);
char *config_parse_retries(const char *s, int *n);
char *config_parse_max_tokens(const char *s, int *n);
char *config_parse_keep_workspaces(const char *s, int *n);
char *config_parse_flag(const char *s, bool *b);
/* "drafts,takeover", "drafts", "takeover", "none" (CONFIG_BELL_* bits). */
char *config_parse_bell(const char *s, unsigned *bits);
/* Whole seconds, 0 to CONFIG_LATE_AFTER_MAX_S. */
char *config_parse_late_after(const char *s, int *seconds);
/* Seconds with an optional fraction, 0 to 60, as ms. */
char *config_parse_undo(const char *s, int *ms);
char *config_check_model(const char *s);
char *config_check_theme(const char *s);
/* what: "API key" or "project id"; the value is never quoted. */
char *config_check_secret(const char *s, const char *what);
/* A debug log path: non-empty; a leading "~/" becomes the home directory.
 * Sets *out to a new string. */
char *config_expand_path(const char *s, char **out);
/* The same for any file; what names it in messages ("CA file"). */
char *config_expand_file(const char *s, const char *what, char **out);
/* A CA file: a readable regular file holding at least one PEM
 * certificate. The message quotes the path and says what is wrong. */
char *config_check_ca_file(const char *path);
/* A Realtime endpoint: wss://HOST... or ws://HOST... (whether a ws:// host
 * is this machine is judged when connecting). */
char *config_check_realtime_url(const char *s);

/* s quoted for a POSIX shell when it needs quoting (for "fix with:" hints). */
char *config_shell_quote(const char *s);

/* The string field that holds item, or NULL for non-string items. */
char **config_str_field(config_t *c, config_item item);

/* Records where item's value came from (where and command copied; either
 * may be NULL). */
void config_set_origin(config_t *c, config_item item, config_source src, const char *where,
                       const char *command);

/* Replaces a string item's value and records its origin. */
void config_set_str(config_t *c, config_item item, const char *value, config_source src,
                    const char *where);

/* A key command found in the config file, run only if nothing higher gives
 * the secret. */
typedef struct config_cmd {
    char *cmd;   /* NULL when the file has none */
    char *where; /* "path:line" */
} config_cmd;

/* Reads the config file at path into c (values, with FILE origins), and
 * its key commands into key_cmd and pid_cmd. A missing file is fine unless
 * must_exist. Applies the ownership and permission rules of settings.h.
 * Returns 0, or -1 with *err set. */
int config_file_load(config_t *c, const char *path, bool must_exist, config_cmd *key_cmd,
                     config_cmd *pid_cmd, char **err);

#endif
