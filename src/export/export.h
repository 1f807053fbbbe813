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

/* Renders c into out. */
void export_render(const conv *c, export_format f, buf_t *out);
/* Writes c to path, or (path NULL) to a new file under the data
 * directory's exports/ folder. Returns 0 with *written (the path, caller
 * frees), or -1 with *err. */
int export_conv(const conv *c, export_format f, const char *path, char **written, char **err);

#endif
