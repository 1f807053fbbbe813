/* unsent.c: unsent messages, one record per message, held by one process
 * at a time (see unsent.h). */
#include "config.h"
#include "store/unsent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/file.h"
#include "store/paths.h"
#include "store/store_priv.h"
#include "store/unsent_priv.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/mem.h"

struct store_unsent_held {
    int fd; /* holds the lock */
    char *dir;
    char *path;
    store_unsent_rec rec;
};

int unsent_dir(char **dir, char **err)
{
    return store_data_subdir("unsent", dir, err);
}

/* The written time of a new record: the clock, but strictly increasing in
 * this process, so that records kept one after the other list in that
 * order. Records are kept by one thread (the console's or the CLI's). */
static int64_t next_written(void)
{
    static int64_t last;
    int64_t now = clock_wall_ms();
    if (now <= last)
        now = last + 1;
    last = now;
    return now;
}

/* Gives the temporary file tmp the name path unless something has that
 * name: link(), or a rename that refuses to replace where links are not
 * supported. 0, or -1 with errno (EEXIST: taken). */
static int place(const char *tmp, const char *path)
{
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
#ifdef RENAME_NOREPLACE
    if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS || errno == EMLINK)
        return renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
#endif
    return -1;
}

/* A locked temporary file in dir holding r. */
static int write_tmp(const char *dir, const store_unsent_rec *r, char **tmp, char **err)
{
    char *json = unsent_rec_json(r);
    if (!json)
        return err_set(err, "cannot encode an unsent message");
    int fd = store_tmp_create(dir, "record", tmp, err);
    if (fd < 0) {
        free(json);
        return -1;
    }
    /* Locked before it has a name anyone else can see. */
    if (store_lock_try(fd, false) != 0 || store_write_all(fd, json, strlen(json)) != 0 ||
        fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(*tmp);
        err_put(err, "cannot write %s: %s", *tmp, strerror(e));
        free(*tmp);
        *tmp = NULL;
        free(json);
        return -1;
    }
    free(json);
    return fd;
}

int unsent_create(const char *dir, const store_unsent_rec *r, const char *id, int *fd_out,
                  char **id_out, char **err)
{
    char *tmp = NULL;
    int fd = write_tmp(dir, r, &tmp, err);
    if (fd < 0)
        return -1;
    for (int attempt = 0; attempt < 8; attempt++) {
        char *name;
        if (id) {
            name = xstrdup(id);
        } else {
            unsigned char rnd[4];
            store_random(rnd, sizeof rnd);
            name = xasprintf("%lld-%ld-%02x%02x%02x%02x", (long long)r->written_ms,
                             (long)getpid(), rnd[0], rnd[1], rnd[2], rnd[3]);
        }
        char *path = xasprintf("%s/%s" UNSENT_SUFFIX, dir, name);
        int rc = place(tmp, path);
        int e = errno;
        free(path);
        if (rc == 0) {
            free(tmp);
            /* Kept; a directory that cannot be synced is all there is. */
            store_sync_dir(dir, NULL);
            *fd_out = fd;
            if (id_out)
                *id_out = name;
            else
                free(name);
            return 0;
        }
        free(name);
        if (e != EEXIST || id) {
            close(fd);
            unlink(tmp);
            free(tmp);
            if (e == EEXIST)
                return 1;
            return err_set(err, "cannot keep an unsent message in %s: %s", dir, strerror(e));
        }
    }
    close(fd);
    unlink(tmp);
    free(tmp);
    return err_set(err, "cannot keep an unsent message in %s: every name tried was taken", dir);
}

int store_unsent_add(const store_unsent_rec *in, store_unsent_held **out, char **err)
{
    if (unsent_check_rec(in, err) != 0)
        return -1;
    char *dir;
    if (unsent_dir(&dir, err) != 0)
        return -1;
    store_unsent_held *h = xcalloc(1, sizeof *h);
    unsent_rec_copy(&h->rec, in);
    free(h->rec.id);
    h->rec.id = NULL;
    h->rec.written_ms = next_written();
    if (unsent_create(dir, &h->rec, NULL, &h->fd, &h->rec.id, err) != 0) {
        store_unsent_rec_clear(&h->rec);
        free(h);
        free(dir);
        return -1;
    }
    h->path = xasprintf("%s/%s" UNSENT_SUFFIX, dir, h->rec.id);
    h->dir = dir;
    *out = h;
    return 0;
}

int store_unsent_take(const char *id, store_unsent_held **out, long *holder, char **err)
{
    if (holder)
        *holder = 0;
    if (!unsent_valid_id(id))
        return STORE_UNSENT_GONE;
    char *dir;
    if (unsent_dir(&dir, err) != 0)
        return -1;
    char *path = xasprintf("%s/%s" UNSENT_SUFFIX, dir, id);
    int rc = -1;
    /* A holder that rewrites the record replaces its file: then the name
     * is opened again. */
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            rc = errno == ENOENT ? STORE_UNSENT_GONE
                                 : err_set(err, "cannot open %s: %s", path, strerror(errno));
            break;
        }
        int locked = store_lock_try(fd, false);
        if (locked != 0) {
            if (locked == 1 && holder)
                *holder = store_lock_holder(fd);
            rc = locked == 1 ? STORE_UNSENT_HELD
                             : err_set(err, "cannot lock %s: %s", path, strerror(errno));
            close(fd);
            break;
        }
        int there = store_same_file(fd, path);
        if (there != 1) {
            int e = errno;
            close(fd);
            if (there < 0) {
                rc = err_set(err, "cannot examine %s: %s", path, strerror(e));
                break;
            }
            rc = STORE_UNSENT_GONE; /* deleted by its sender, or replaced: look again */
            continue;
        }
        store_unsent_held *h = xcalloc(1, sizeof *h);
        if (unsent_read(fd, path, id, &h->rec, err) != 0) {
            close(fd);
            free(h);
            rc = -1;
            break;
        }
        h->fd = fd;
        h->path = path;
        h->dir = dir;
        if (h->rec.sending) {
            /* Its sender died during the send: it may have arrived. The
             * file says so too, or the next holder knows it as well. */
            store_unsent_rec r = h->rec;
            r.sending = false;
            r.uncertain = true;
            if (store_unsent_update(h, &r, NULL) != 0) {
                h->rec.sending = false;
                h->rec.uncertain = true;
            }
        }
        *out = h;
        return STORE_UNSENT_TAKEN;
    }
    free(path);
    free(dir);
    return rc;
}

const store_unsent_rec *store_unsent_held_rec(const store_unsent_held *h)
{
    return &h->rec;
}

int store_unsent_update(store_unsent_held *h, const store_unsent_rec *r, char **err)
{
    store_unsent_rec next;
    memset(&next, 0, sizeof next);
    next.ws = h->rec.ws;
    next.text = r->text;
    next.idem_key = r->idem_key;
    next.as_agent = r->as_agent;
    next.uncertain = r->uncertain || h->rec.uncertain;
    next.sending = r->sending;
    next.written_ms = h->rec.written_ms;
    if (unsent_check_rec(&next, err) != 0)
        return -1;
    char *tmp = NULL;
    int fd = write_tmp(h->dir, &next, &tmp, err);
    if (fd < 0)
        return -1;
    /* The new file is locked before it replaces the old, so the name never
     * points at a record nobody holds. */
    if (rename(tmp, h->path) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return err_set(err, "cannot replace %s: %s", h->path, strerror(e));
    }
    free(tmp);
    close(h->fd);
    h->fd = fd;
    next.ws = xstrdup(h->rec.ws);
    next.text = xstrdup(r->text);
    next.idem_key = r->idem_key ? xstrdup(r->idem_key) : NULL;
    next.id = h->rec.id;
    h->rec.id = NULL;
    store_unsent_rec_clear(&h->rec);
    h->rec = next;
    store_sync_dir(h->dir, NULL);
    return 0;
}

int store_unsent_set_sending(store_unsent_held *h, bool sending, char **err)
{
    if (h->rec.sending == sending)
        return 0;
    store_unsent_rec r = h->rec;
    r.sending = sending;
    return store_unsent_update(h, &r, err);
}

static void held_free(store_unsent_held *h)
{
    close(h->fd); /* drops the lock */
    free(h->dir);
    free(h->path);
    store_unsent_rec_clear(&h->rec);
    free(h);
}

int store_unsent_delete(store_unsent_held *h, char **err)
{
    if (unlink(h->path) != 0 && errno != ENOENT) {
        int rc = err_set(err, "cannot remove %s: %s", h->path, strerror(errno));
        /* Still there: its descriptor stays open, holding it to the end of
         * this process, so that nobody sends it again meanwhile. */
        free(h->dir);
        free(h->path);
        store_unsent_rec_clear(&h->rec);
        free(h);
        return rc;
    }
    store_sync_dir(h->dir, NULL);
    held_free(h);
    return 0;
}

void store_unsent_release(store_unsent_held *h)
{
    if (h)
        held_free(h);
}
