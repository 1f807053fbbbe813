/* histfile.c: appending to the shared input history (see histfile.h). */
#include "config.h"
#include "store/histfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/file.h"
#include "store/store_priv.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

/* Reads the history at path into b: all of it, or its last
 * STORE_HISTORY_MAX_BYTES from a line's start. None is fine. */
static int read_tail(const char *path, buf_t *b, char **err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return 0;
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
    off_t off = st.st_size > STORE_HISTORY_MAX_BYTES ? st.st_size - STORE_HISTORY_MAX_BYTES : 0;
    size_t want = (size_t)(st.st_size - off);
    buf_reserve(b, want);
    while (b->len < want) {
        ssize_t r = pread(fd, b->data + b->len, want - b->len, off + (off_t)b->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return err_set(err, "cannot read %s: %s", path, strerror(e));
        }
        if (r == 0)
            break; /* shortened meanwhile by another writer's replacement: fine */
        b->len += (size_t)r;
    }
    b->data[b->len] = '\0';
    close(fd);
    if (off > 0) {
        /* Started inside a line: it goes. */
        const char *nl = memchr(b->data, '\n', b->len);
        buf_consume(b, nl ? (size_t)(nl - b->data) + 1 : b->len);
    }
    return 0;
}

int store_history_append(const char *path, const char *const *lines, size_t n, size_t keep,
                         char **err)
{
    size_t adding = 0;
    for (size_t i = 0; i < n; i++)
        adding += lines[i] && *lines[i];
    if (!adding)
        return 0;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
                      : xstrdup(".");
    char *lock = xasprintf("%s.lock", path);
    int lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
    int rc = -1;
    buf_t b = BUF_INIT;
    if (lfd < 0) {
        err_put(err, "cannot open %s: %s", lock, strerror(errno));
        goto done;
    }
    /* Held only while a few kilobytes are read and written; a holder that
     * takes seconds is stuck, and must not keep this console from ending. */
    int locked = store_lock_wait(lfd, 3000);
    if (locked != 0) {
        if (locked == 1)
            err_put(err, "%s is held by another aidesk (pid %ld)", lock, store_lock_holder(lfd));
        else
            err_put(err, "cannot lock %s: %s", lock, strerror(errno));
        goto done;
    }
    store_clean_leftovers(dir, NULL);
    if (read_tail(path, &b, err) != 0)
        goto done;
    if (b.len && b.data[b.len - 1] != '\n')
        buf_append_char(&b, '\n');
    for (size_t i = 0; i < n; i++) {
        if (lines[i] && *lines[i]) {
            buf_append_str(&b, lines[i]);
            buf_append_char(&b, '\n');
        }
    }
    /* The newest keep lines stay. */
    size_t count = 0, start = b.len;
    while (start > 0 && count <= keep) {
        start--;
        if (start == 0 || b.data[start - 1] == '\n')
            count += 1;
    }
    if (count > keep) {
        /* start is at the first byte of a line beyond keep: skip it. */
        const char *nl = memchr(b.data + start, '\n', b.len - start);
        start = nl ? (size_t)(nl - b.data) + 1 : b.len;
    }
    rc = store_write_atomic(path, b.data + start, b.len - start, err);
done:
    if (lfd >= 0)
        close(lfd); /* drops the lock */
    buf_free(&b);
    free(lock);
    free(dir);
    return rc;
}
