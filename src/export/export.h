/* export.h: saving a conversation as Markdown or JSON (/save).
 *
 * The text is written as received (not sanitised: the file is data); the
 * file is created 0600, never overwriting an existing file unless the user
 * named it. */
#ifndef AIDESK_EXPORT_EXPORT_H
#define AIDESK_EXPORT_EXPORT_H

#include "model/model.h"
#include "util/buf.h"

typedef enum export_format {
    EXPORT_MARKDOWN,
    EXPORT_JSON,
} export_format;

/* Renders c into out: the whole conversation, which must be held (see
 * export_conv). */
void export_render(const conv *c, export_format f, buf_t *out);
/* The same with earlier (may be NULL): the messages the server lists
 * before c's first held one (a window, model/model.h), rendered first;
 * those c also holds are rendered once, where c has them. */
void export_render_with(const conv *c, const ai_message_list *earlier, export_format f,
                        buf_t *out);
/* Writes c to path, or (path NULL) to a new file under the data
 * directory's exports/ folder. Returns 0 with *written (the path, caller
 * frees), or -1 with *err. A conversation that holds only a window of its
 * history (c->older > 0) is never written in part: that is an error in
 * words; the desk loads the rest first and calls export_conv_with. */
int export_conv(const conv *c, export_format f, const char *path, char **written, char **err);
/* The same with earlier as for export_render_with: earlier must be the
 * whole of what the server lists before c's first held message. */
int export_conv_with(const conv *c, const ai_message_list *earlier, export_format f,
                     const char *path, char **written, char **err);

#endif
