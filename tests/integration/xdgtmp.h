/* xdgtmp.h: a private temporary home for one test: XDG_DATA_HOME,
 * XDG_STATE_HOME and XDG_CONFIG_HOME point into a new directory, so the
 * store, the config and the history of one test never meet another's. */
#ifndef AIDESK_TEST_XDGTMP_H
#define AIDESK_TEST_XDGTMP_H

#include <stddef.h>

/* Creates $TMPDIR/aidesk-<tag>-XXXXXX into dir (len bytes) and points the
 * three variables at data/, state/ and config/ under it. Returns 0 or -1. */
int xdgtmp_make(char *dir, size_t len, const char *tag);
/* Removes the directory and everything in it. */
void xdgtmp_remove(const char *dir);

#endif
