/* copy.h: putting text on the person's clipboard, or where they can take
 * it from.
 *
 * Two sinks, chosen by the [ui] osc52 setting: with it, an OSC 52
 * sequence that the UI writes to the terminal, which puts the text on the
 * clipboard (many terminals allow it only when told to; hence opt-in);
 * without it, a new file that only the person can read (mode 0600 in a
 * 0700 directory under the state directory), whose path the UI shows.
 * Files are never replaced: a second copy of one name gets "-2", "-3", ...
 * Nothing copied is ever logged: it may be a secret (an AI Gate client
 * secret) or a customer's words.
 *
 * Used by the AI Gate pane (gate/gatectl.h) and for answers and code
 * blocks of a conversation (desk_copy in desk.h). */
#ifndef AIDESK_DESK_COPY_H
#define AIDESK_DESK_COPY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct copy_out {
    char *osc52;  /* the sequence for the UI to write to the terminal, or NULL */
    char *path;   /* else the new file (mode 0600) that holds the text */
    size_t bytes; /* the size of the text copied */
} copy_out;

/* Copies text[0..len): as OSC 52 when osc52, else into a new private file
 * <state>/<subdir>/<base><ext> (see above). Returns true with *out filled
 * (release with copy_out_clear), or false with *err (caller frees). */
bool copy_text(bool osc52, const char *subdir, const char *base, const char *ext,
               const char *text, size_t len, copy_out *out, char **err);
void copy_out_clear(copy_out *out);

/* Writes text to a new file in dir (created 0700 if missing, and narrowed
 * to 0700 if ours and wider) named base + ext, or base-2 + ext, ... (never
 * replacing a file, never following a symlink), mode 0600. Returns the
 * path (caller frees) or NULL with *err. */
char *copy_write_private(const char *dir, const char *base, const char *ext, const char *text,
                         size_t len, char **err);

/* A file-name-safe word from s (letters, digits, '.', '_' and '-' kept,
 * anything else '_', no leading '.'), at most max bytes; "copy" for an
 * empty or NULL s. Caller frees. */
char *copy_safe_name(const char *s, size_t max);

#endif
