/* unsent_list.c: listing the unsent messages (see unsent.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/file.h"
#include "store/store_priv.h"
#include "store/unsent_priv.h"
#include "util/err.h"
#include "util/mem.h"

/* The id a file name stands for (a new string), or NULL. */
static char *id_of(const char *name)
{
    size_t n = strlen(name), sn = strlen(UNSENT_SUFFIX);
    if (n <= sn || strcmp(name + n - sn, UNSENT_SUFFIX) != 0)
        return NULL;
    char *id = xstrndup(name, n - sn);
    if (!unsent_valid_id(id)) {
        free(id);
        return NULL;
    }
    return id;
}

/* Reads the record id in dir into e, with whether it is held: 0, or -1
 * when it is gone or unreadable. */
static int list_one(const char *dir, const char *id, const char *ws, store_unsent_entry *e)
{
    char *path = xasprintf("%s/%s" UNSENT_SUFFIX, dir, id);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    int rc = -1;
    if (fd >= 0) {
        memset(e, 0, sizeof *e);
        /* Asked without locking where the system can tell; else a shared
         * lock for a moment says it. */
        int held = store_lock_query(fd, &e->holder);
        if (held < 0) {
            held = store_lock_try(fd, true);
            if (held == 0)
                flock(fd, LOCK_UN);
        }
        e->held = held == 1;
        e->holder = e->held ? e->holder : 0;
        char *err = NULL;
        rc = unsent_read(fd, path, id, &e->rec, &err);
        free(err);
        if (rc == 0 && ws && strcmp(e->rec.ws, ws) != 0) {
            store_unsent_rec_clear(&e->rec);
            rc = -1;
        }
        if (rc == 0 && e->rec.sending && !e->held) {
            e->rec.sending = false; /* its sender died on the way */
            e->rec.uncertain = true;
        }
        close(fd);
    }
    free(path);
    return rc;
}

static int by_time(const void *x, const void *y)
{
    const store_unsent_entry *a = x, *b = y;
    if (a->rec.written_ms != b->rec.written_ms)
        return a->rec.written_ms < b->rec.written_ms ? -1 : 1;
    return strcmp(a->rec.id, b->rec.id);
}

int store_unsent_list(const char *ws, store_unsent_entry **out, size_t *n, char **err)
{
    char *dir;
    if (unsent_dir(&dir, err) != 0)
        return -1;
    store_clean_leftovers(dir, NULL);
    unsent_migrate_legacy(dir);
    DIR *d = opendir(dir);
    if (!d) {
        int rc = err_set(err, "cannot list %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    store_unsent_entry *v = NULL;
    size_t count = 0, cap = 0;
    struct dirent *ent;
    errno = 0;
    while ((ent = readdir(d))) {
        char *id = id_of(ent->d_name);
        if (id) {
            v = xgrow(v, &cap, count + 1, sizeof *v);
            if (list_one(dir, id, ws, &v[count]) == 0)
                count++;
            free(id);
        }
        errno = 0;
    }
    int e = errno;
    closedir(d);
    if (e) {
        store_unsent_list_free(v, count);
        int rc = err_set(err, "cannot list %s: %s", dir, strerror(e));
        free(dir);
        return rc;
    }
    free(dir);
    if (count)
        qsort(v, count, sizeof *v, by_time);
    *out = v;
    *n = count;
    return 0;
}

void store_unsent_list_free(store_unsent_entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        store_unsent_rec_clear(&v[i].rec);
    free(v);
}
