#include "config.h"
#include "util/err.h"

#include "util/buf.h"

void err_vput(char **err, const char *fmt, va_list ap)
{
    if (!err)
        return;
    buf_t b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    *err = buf_steal(&b);
}

void err_put(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vput(err, fmt, ap);
    va_end(ap);
}
