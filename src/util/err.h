/* err.h: how a function that fails says why.
 *
 * A function that can fail takes `char **err` and, when it fails, sets
 * *err to a new one-line message in words (the caller frees it) and returns
 * its failure value; err may be NULL when the caller does not want the
 * reason. err_set is that one step for every module:
 *
 *     if (fd < 0)
 *         return err_set(err, "cannot open %s: %s", path, strerror(errno));
 *
 * Its value is -1, the failure of functions that return an int; a function
 * that returns a pointer or a bool calls err_put and returns NULL or false.
 * err_set is a macro so that the -1 stands at the call, where readers and
 * the static analyser see it. */
#ifndef AIDESK_UTIL_ERR_H
#define AIDESK_UTIL_ERR_H

#include <stdarg.h>

/* Sets *err (when err is not NULL) to the message fmt and its arguments
 * make. */
void err_put(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_vput(char **err, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* err_put, then -1. */
#define err_set(...) (err_put(__VA_ARGS__), -1)

#endif
