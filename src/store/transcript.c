/* transcript.c: creating and appending to transcripts (see transcript.h). */
#include "config.h"
#include "store/transcript.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/paths.h"
#include "store/store_priv.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/timefmt.h"

struct store_transcript {
    int fd;
    char *path;
    /* The file does not end with a newline (a torn write, ours or a
     * crashed run's): the next record must start a new line. */
    bool need_newline;
};

static store_transcript *transcript_new(int fd, const char *path)
{
    store_transcript *t = xcalloc(1, sizeof *t);
    t->fd = fd;
    t->path = xstrdup(path);
    return t;
}

void store_transcript_free(store_transcript *t)
{
    if (!t)
        return;
    /* Appends went straight to the kernel with write(): closing cannot
     * lose anything they did not already report. */
    close(t->fd);
    free(t->path);
    free(t);
}

const char *store_transcript_path(const store_transcript *t)
{
    return t->path;
}

int store_transcript_sync(store_transcript *t, char **err)
{
    if (fsync(t->fd) != 0)
        return err_set(err, "cannot sync %s: %s", t->path, strerror(errno));
    return 0;
}

int store_transcript_append(store_transcript *t, json_object *record, char **err)
{
    char *json = jsonu_to_string(record);
    if (strchr(json, '\n')) {
        free(json); /* json-c escapes newlines in strings; this cannot happen */
        return err_set(err, "cannot append to %s: the record is not one line", t->path);
    }
    buf_t line = BUF_INIT;
    if (t->need_newline)
        buf_append_char(&line, '\n');
    buf_append_str(&line, json);
    buf_append_char(&line, '\n');
    free(json);
    ssize_t w;
    do
        w = write(t->fd, line.data, line.len); /* one write: one line or a torn one */
    while (w < 0 && errno == EINTR);
    int rc = 0;
    if (w < 0) {
        rc = err_set(err, "cannot append to %s: %s", t->path, strerror(errno));
    } else if ((size_t)w < line.len) {
        t->need_newline = true;
        rc = err_set(err, "cannot append to %s: only %zd of %zu bytes were written (disk full?)",
                     t->path, w, line.len);
    } else {
        t->need_newline = false;
    }
    buf_free(&line);
    return rc;
}

static bool valid_kind(const char *kind)
{
    return kind && (!strcmp(kind, "chat") || !strcmp(kind, "compare"));
}

/* Creates the file exclusively under a fresh name. */
static int create_file(const char *dir, const char *kind, char **path, char **err)
{
    char stamp[TIMEFMT_SIZE];
    if (!timefmt_utc(clock_wall_ms(), TIMEFMT_STAMP, stamp))
        return err_set(err, "cannot format the current time");
    for (int attempt = 0; attempt < 8; attempt++) {
        unsigned char rnd[4];
        store_random(rnd, sizeof rnd);
        char *p = xasprintf("%s/%s-%s-%02x%02x%02x%02x.jsonl", dir, stamp, kind, rnd[0], rnd[1],
                            rnd[2], rnd[3]);
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            *path = p;
            return fd;
        }
        int e = errno;
        if (e != EEXIST) {
            err_put(err, "cannot create %s: %s", p, strerror(e));
            free(p);
            return -1;
        }
        free(p);
    }
    return err_set(err, "cannot create a transcript in %s: every name tried was taken", dir);
}

int store_transcript_create(const char *kind, const char *title, store_transcript **out, char **err)
{
    if (!valid_kind(kind))
        return err_set(err, "unknown transcript kind '%s' (chat or compare)",
                       kind ? kind : "(null)");
    char *dir = NULL, *path = NULL;
    if (store_data_subdir("transcripts", &dir, err) != 0)
        return -1;
    int fd = create_file(dir, kind, &path, err);
    free(dir);
    if (fd < 0)
        return -1;
    /* Ours alone while it is open (see store_transcript_open_existing);
     * nobody else knows the new name yet, so this cannot wait. */
    store_lock_try(fd, false);
    store_transcript *t = transcript_new(fd, path);
    free(path);
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "type", json_object_new_string("meta"));
    json_object_object_add(meta, "t", json_object_new_int64(clock_wall_ms()));
    json_object_object_add(meta, "kind", json_object_new_string(kind));
    if (title)
        json_object_object_add(meta, "title", json_object_new_string(title));
    int rc = store_transcript_append(t, meta, err);
    json_object_put(meta);
    if (rc != 0) {
        unlink(t->path); /* a transcript without its meta record is worth nothing */
        store_transcript_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int store_transcript_open_existing(const char *path, store_transcript **out, char **err)
{
    int fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return err_set(err, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return err_set(err, "cannot examine %s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return err_set(err, "%s is not a regular file", path);
    }
    /* Two writers would interleave their records (two runs of one
     * comparison, say), and one's torn line would swallow the other's
     * next record: one writer at a time. */
    int locked = store_lock_try(fd, false);
    if (locked != 0) {
        int e = errno;
        long pid = locked == 1 ? store_lock_holder(fd) : 0;
        close(fd);
        if (locked == 1 && pid == (long)getpid())
            return err_set(err, "%s is already open here", path);
        if (locked == 1 && pid > 0)
            return err_set(err, "%s is open in another aidesk (pid %ld)", path, pid);
        if (locked == 1)
            return err_set(err, "%s is open in another aidesk", path);
        return err_set(err, "cannot lock %s: %s", path, strerror(e));
    }
    char last = '\n';
    if (st.st_size > 0) {
        ssize_t r;
        do
            r = pread(fd, &last, 1, st.st_size - 1);
        while (r < 0 && errno == EINTR);
        if (r != 1) {
            int e = r < 0 ? errno : EIO;
            close(fd);
            return err_set(err, "cannot read %s: %s", path, strerror(e));
        }
    }
    store_transcript *t = transcript_new(fd, path);
    t->need_newline = last != '\n';
    *out = t;
    return 0;
}
