/* lock.c: advisory locks on store files and who holds them (see
 * store_priv.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "store/store_priv.h"

int store_lock_try(int fd, bool shared)
{
    int rc;
    do
        rc = flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc == 0)
        return 0;
    return errno == EWOULDBLOCK ? 1 : -1;
}

int store_lock_wait(int fd, long max_ms)
{
    /* flock cannot time out by itself: a short sleep between tries, for a
     * lock that is held for milliseconds at a time. */
    for (long waited = 0;; waited += 10) {
        int rc = store_lock_try(fd, false);
        if (rc != 1 || waited >= max_ms)
            return rc;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* One line of /proc/locks, "1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234 0 EOF"
 * (a waiter's line has "->" after the number): the holder's pid when it is
 * a flock held on the file dev:ino, else 0. */
static long holder_of(const char *line, unsigned maj, unsigned min, unsigned long long ino)
{
    const char *p = strchr(line, ':');
    if (!p)
        return 0;
    char kind[16], mode[16], rw[16];
    long pid;
    unsigned lmaj, lmin;
    unsigned long long lino;
    if (sscanf(p + 1, " %15s %15s %15s %ld %x:%x:%llu", kind, mode, rw, &pid, &lmaj, &lmin,
               &lino) != 7)
        return 0; /* a waiter ("->") or a format we do not know */
    if (strcmp(kind, "FLOCK") || lino != ino || lmaj != maj || lmin != min || pid <= 0)
        return 0;
    return pid;
}

int store_lock_query(int fd, long *pid)
{
    *pid = 0;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -1;
    FILE *f = fopen("/proc/locks", "re");
    if (!f)
        return -1;
    char line[256];
    while (!*pid && fgets(line, sizeof line, f))
        *pid = holder_of(line, major(st.st_dev), minor(st.st_dev), (unsigned long long)st.st_ino);
    fclose(f);
    return *pid > 0;
}

long store_lock_holder(int fd)
{
    long pid = 0;
    return store_lock_query(fd, &pid) == 1 ? pid : 0;
}
