/* ini.h: a small, strict INI reader (the config file and the themes).
 *
 * The format:
 *   - lines end with \n (a \r before it is dropped); the text must be UTF-8
 *     (a leading byte order mark is skipped) without NUL bytes;
 *   - blank lines and lines whose first non-blank character is '#' or ';'
 *     are ignored (there are no comments after a value: '#' is a legitimate
 *     character of a key command or a path);
 *   - "[name]" opens a section; a comment may follow the ']';
 *   - "key = value": spaces around key and value are trimmed; a value that
 *     starts with '"' is a quoted string in which \" and \\ are the only
 *     escapes and which must end at its closing quote;
 *   - section and key names are letters, digits, '_', '-' and '.';
 *   - a key before any section is an error.
 * The reader knows nothing of what names mean: the caller's handler does.
 * Errors are one line, "NAME:LINE: message". */
#ifndef AIDESK_CONFIG_INI_H
#define AIDESK_CONFIG_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Called for every section header (key and value NULL) and every key/value
 * pair (section is the current section). Strings are borrowed for the call.
 * Returns NULL to go on, or a new message (without location; the reader
 * frees it) to stop the parse with that error at this line. */
typedef char *(*ini_handler)(void *ud, const char *section, const char *key, const char *value,
                             int line);

/* Parses text[0..len). name is used in error messages (normally the file's
 * path). Returns 0, or -1 with *err set to a new "name:line: message"
 * string (caller frees; err may be NULL). */
int ini_parse(const char *text, size_t len, const char *name, ini_handler handler, void *ud,
              char **err);

/* Largest file ini_parse_file reads. */
#define INI_MAX_FILE_BYTES (1024 * 1024)

/* Reads everything from fd into out (appending), refusing more than
 * INI_MAX_FILE_BYTES. Returns 0, or -1 with *err naming the file by name. */
int ini_read_fd(int fd, const char *name, buf_t *out, char **err);

/* Reads the file at path (at most INI_MAX_FILE_BYTES) and parses it as
 * ini_parse does, naming it by its path. Returns 0, or -1 with *err set (a
 * file that cannot be read says so, with strerror). */
int ini_parse_file(const char *path, ini_handler handler, void *ud, char **err);

/* Parses a boolean as the config files write it: true/false, yes/no,
 * on/off, 1/0 (any case). Returns 0 with *out set, or -1. */
int ini_parse_bool(const char *s, bool *out);

#endif
