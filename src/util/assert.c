#include "config.h"
#include "util/assert.h"

#include <stdio.h>
#include <stdlib.h>

void aidesk_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    /* Unbuffered and in one call, so the line is whole even when the
     * console's screen is torn down by the abort. */
    fprintf(stderr, "aidesk: internal error: assertion '%s' failed at %s:%d (%s)\n", expr, file,
            line, func);
    abort();
}
