/* simproc.h: start and stop the bundled simulator for integration tests.
 *
 * The simulator's path comes from $AIDESK_SIM (set by make check), else
 * sim/aidesk-sim under $AIDESK_SRCDIR. It runs on a free loopback port and
 * is killed by simproc_stop. */
#ifndef AIDESK_TEST_SIMPROC_H
#define AIDESK_TEST_SIMPROC_H

#include <sys/types.h>

typedef struct simproc {
    pid_t pid;
    int port;
    char base_url[64];
    char dir[256]; /* scratch directory for the port file and state */
} simproc;

/* Starts the simulator with extra arguments (NULL-terminated list, may be
 * NULL). Returns 0, or -1 with a message on stderr. */
int simproc_start(simproc *s, const char *const *extra_args);
void simproc_stop(simproc *s);

/* A URL on the simulator (static buffer, valid until the next call). */
const char *simproc_url(const simproc *s, const char *path);

/* Sends a plain admin request (method, path, JSON body or NULL) with a
 * blocking socket; returns the HTTP status or -1. The body of the answer is
 * copied into out (up to outlen) when out is not NULL. */
int simproc_admin(const simproc *s, const char *method, const char *path, const char *body,
                  char *out, size_t outlen);

#endif
