/* store_priv.h: helpers shared by the files of src/store; not for use
 * outside it. */
#ifndef AIDESK_STORE_STORE_PRIV_H
#define AIDESK_STORE_STORE_PRIV_H

#include <stddef.h>

/* Sets *err (when err is not NULL) to a new formatted message; returns -1. */
int store_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fills out with n random bytes (the kernel's, or a time-and-pid mixture
 * when that is unavailable: names need to differ, not to be secret). */
void store_random(unsigned char *out, size_t n);

#endif
