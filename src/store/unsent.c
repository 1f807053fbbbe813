/* unsent.c: unsent messages, one record per message, held by one process
 * at a time (see unsent.h). */
#include "config.h"
#include "store/unsent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "store/file.h"
#include "store/paths.h"
#include "store/store_priv.h"
#include "store/unsent_priv.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/mem.h"

#define SUFFIX ".json"
#define KIND "aidesk-unsent"
#define RECORD_VERSION 1
/* JSON escapes a control character in six bytes: the largest text fits. */
#define RECORD_MAX ((size_t)STORE_UNSENT_MAX_BYTES * 6 + 65536)

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

void store_unsent_rec_clear(store_unsent_rec *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->ws);
    free(r->text);
    free(r->idem_key);
    memset(r, 0, sizeof *r);
}

static void rec_copy(store_unsent_rec *to, const store_unsent_rec *from)
{
    to->id = from->id ? xstrdup(from->id) : NULL;
    to->ws = xstrdup(from->ws);
    to->text = xstrdup(from->text);
    to->idem_key = from->idem_key ? xstrdup(from->idem_key) : NULL;
    to->as_agent = from->as_agent;
    to->uncertain = from->uncertain;
    to->written_ms = from->written_ms;
}

/* Ids are ours: digits, lower-case hex and dashes, so none names a file
 * outside the directory. */
static bool valid_id(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > STORE_UNSENT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef-", id[i]))
            return false;
    return true;
}

static int check_rec(const store_unsent_rec *r, char **err)
{
    if (!r->ws || !*r->ws || strlen(r->ws) > STORE_UNSENT_WS_MAX)
        return store_fail(err, "an unsent message needs a workspace id of 1 to %d bytes",
                          STORE_UNSENT_WS_MAX);
    if (!r->text || strlen(r->text) > STORE_UNSENT_MAX_BYTES)
        return store_fail(err, "the unsent message is larger than %d bytes",
                          STORE_UNSENT_MAX_BYTES);
    if (r->idem_key && strlen(r->idem_key) > STORE_UNSENT_IDEM_MAX)
        return store_fail(err, "the idempotency key is longer than %d bytes",
                          STORE_UNSENT_IDEM_MAX);
    return 0;
}

static char *rec_json(const store_unsent_rec *r)
{
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "kind", json_object_new_string(KIND));
    json_object_object_add(o, "v", json_object_new_int(RECORD_VERSION));
    json_object_object_add(o, "workspace", json_object_new_string(r->ws));
    json_object_object_add(o, "text", json_object_new_string(r->text));
    json_object_object_add(o, "as_agent", json_object_new_boolean(r->as_agent));
    json_object_object_add(o, "uncertain", json_object_new_boolean(r->uncertain));
    json_object_object_add(o, "written", json_object_new_int64(r->written_ms));
    if (r->idem_key)
        json_object_object_add(o, "idem_key", json_object_new_string(r->idem_key));
    char *s = jsonu_to_string(o);
    json_object_put(o);
    char *line = xasprintf("%s\n", s);
    free(s);
    return line;
}

int unsent_read(int fd, const char *path, const char *id, store_unsent_rec *r, char **err)
{
    char *data = NULL, *perr = NULL;
    size_t len = 0;
    memset(r, 0, sizeof *r);
    if (store_read_fd(fd, path, RECORD_MAX, &data, &len, err) != 0)
        return -1;
    json_object *o = jsonu_parse(data, len, &perr);
    free(data);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        int rc = store_fail(err, "%s is not an unsent message: %s", path,
                            perr ? perr : "not a JSON object");
        free(perr);
        return rc;
    }
    jsonu_dec d;
    jsonu_dec_init(&d, "unsent message");
    char *kind = NULL;
    int64_t v = 0;
    if (jsonu_str(&d, o, "kind", true, &kind) && strcmp(kind, KIND) != 0)
        jsonu_fail(&d, "it is not an unsent message");
    if (!d.error && jsonu_int(&d, o, "v", true, 1, 1000, &v) && v != RECORD_VERSION)
        jsonu_fail(&d, "a newer aidesk wrote it (version %lld)", (long long)v);
    /* Without the flag, assume the worst: it may have arrived. */
    r->uncertain = true;
    if (!d.error) {
        jsonu_str(&d, o, "workspace", true, &r->ws);
        jsonu_str(&d, o, "text", true, &r->text);
        jsonu_str(&d, o, "idem_key", false, &r->idem_key);
        jsonu_bool(&d, o, "as_agent", false, &r->as_agent);
        jsonu_bool(&d, o, "uncertain", false, &r->uncertain);
        jsonu_int(&d, o, "written", false, 0, INT64_MAX, &r->written_ms);
    }
    if (!d.error && (!r->ws || !*r->ws))
        jsonu_fail(&d, "its workspace id is empty");
    free(kind);
    json_object_put(o);
    if (d.error) {
        int rc = store_fail(err, "%s cannot be read: %s", path, d.error);
        jsonu_dec_free(&d);
        store_unsent_rec_clear(r);
        return rc;
    }
    jsonu_dec_free(&d);
    r->id = xstrdup(id);
    return 0;
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
    char *json = rec_json(r);
    if (!json)
        return store_fail(err, "cannot encode an unsent message");
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
        store_fail(err, "cannot write %s: %s", *tmp, strerror(e));
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
        char *path = xasprintf("%s/%s" SUFFIX, dir, name);
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
            return store_fail(err, "cannot keep an unsent message in %s: %s", dir, strerror(e));
        }
    }
    close(fd);
    unlink(tmp);
    free(tmp);
    return store_fail(err, "cannot keep an unsent message in %s: every name tried was taken", dir);
}

int store_unsent_add(const store_unsent_rec *in, store_unsent_held **out, char **err)
{
    if (check_rec(in, err) != 0)
        return -1;
    char *dir;
    if (unsent_dir(&dir, err) != 0)
        return -1;
    store_unsent_held *h = xcalloc(1, sizeof *h);
    rec_copy(&h->rec, in);
    free(h->rec.id);
    h->rec.id = NULL;
    h->rec.written_ms = next_written();
    if (unsent_create(dir, &h->rec, NULL, &h->fd, &h->rec.id, err) != 0) {
        store_unsent_rec_clear(&h->rec);
        free(h);
        free(dir);
        return -1;
    }
    h->path = xasprintf("%s/%s" SUFFIX, dir, h->rec.id);
    h->dir = dir;
    *out = h;
    return 0;
}

int store_unsent_take(const char *id, store_unsent_held **out, long *holder, char **err)
{
    if (holder)
        *holder = 0;
    if (!valid_id(id))
        return STORE_UNSENT_GONE;
    char *dir;
    if (unsent_dir(&dir, err) != 0)
        return -1;
    char *path = xasprintf("%s/%s" SUFFIX, dir, id);
    int rc = -1;
    /* A holder that rewrites the record replaces its file: then the name
     * is opened again. */
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            rc = errno == ENOENT ? STORE_UNSENT_GONE
                                 : store_fail(err, "cannot open %s: %s", path, strerror(errno));
            break;
        }
        int locked = store_lock_try(fd, false);
        if (locked != 0) {
            if (locked == 1 && holder)
                *holder = store_lock_holder(fd);
            rc = locked == 1 ? STORE_UNSENT_HELD
                             : store_fail(err, "cannot lock %s: %s", path, strerror(errno));
            close(fd);
            break;
        }
        int there = store_same_file(fd, path);
        if (there != 1) {
            close(fd);
            if (there < 0) {
                rc = store_fail(err, "cannot examine %s: %s", path, strerror(errno));
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
    next.written_ms = h->rec.written_ms;
    if (check_rec(&next, err) != 0)
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
        return store_fail(err, "cannot replace %s: %s", h->path, strerror(e));
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
        int rc = store_fail(err, "cannot remove %s: %s", h->path, strerror(errno));
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

/* ------------------------------------------------------------- listing */

/* The id a file name stands for (a new string), or NULL. */
static char *id_of(const char *name)
{
    size_t n = strlen(name), sn = strlen(SUFFIX);
    if (n <= sn || strcmp(name + n - sn, SUFFIX) != 0)
        return NULL;
    char *id = xstrndup(name, n - sn);
    if (!valid_id(id)) {
        free(id);
        return NULL;
    }
    return id;
}

/* Reads the record id in dir into e, with whether it is held: 0, or -1
 * when it is gone or unreadable. */
static int list_one(const char *dir, const char *id, const char *ws, store_unsent_entry *e)
{
    char *path = xasprintf("%s/%s" SUFFIX, dir, id);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    int rc = -1;
    if (fd >= 0) {
        memset(e, 0, sizeof *e);
        /* A shared lock for a moment tells whether someone holds it. */
        int locked = store_lock_try(fd, true);
        if (locked == 1) {
            e->held = true;
            e->holder = store_lock_holder(fd);
        } else if (locked == 0) {
            flock(fd, LOCK_UN);
        }
        char *err = NULL;
        rc = unsent_read(fd, path, id, &e->rec, &err);
        free(err);
        if (rc == 0 && ws && strcmp(e->rec.ws, ws) != 0) {
            store_unsent_rec_clear(&e->rec);
            rc = -1;
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
        int rc = store_fail(err, "cannot list %s: %s", dir, strerror(errno));
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
        int rc = store_fail(err, "cannot list %s: %s", dir, strerror(e));
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
