/* slurp.h: reading a whole file back in a test, to compare what a module
 * wrote with what it should have written. */
#ifndef AIDESK_TEST_SLURP_H
#define AIDESK_TEST_SLURP_H

/* The contents of path, NUL-terminated (free it), or NULL when it cannot
 * be opened. */
char *slurp(const char *path);

#endif
