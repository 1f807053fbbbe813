/* xdg.h: where aidesk's files live, by the XDG base directory rules.
 *
 * Nothing is cached: every call reads the environment again, so tests (and
 * a user who changes it) get what they expect. */
#ifndef AIDESK_CONFIG_XDG_H
#define AIDESK_CONFIG_XDG_H

/* "<base>/aidesk", where base is $var when that is set to an absolute path
 * (the specification says to ignore relative ones) and otherwise
 * "<home>/<home_rel>", home being $HOME or, when that is unset or empty, the
 * password database's entry. Example: config_xdg_dir("XDG_CONFIG_HOME",
 * ".config", ...). Returns 0 with *out set to a new string (caller frees),
 * or -1 with *err set to a new message when no home can be found (err may
 * be NULL). Creates nothing. */
int config_xdg_dir(const char *var, const char *home_rel, char **out, char **err);

/* The user's home directory, found as above; a new string or NULL. */
char *config_home_dir(void);

#endif
