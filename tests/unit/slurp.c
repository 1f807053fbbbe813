/* slurp.c: a whole file, for tests (slurp.h). */
#include "config.h"
#include "slurp.h"

#include <stdio.h>

#include "util/buf.h"

char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf_t b = BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, n);
    fclose(f);
    return buf_steal(&b);
}
