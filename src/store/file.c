/* file.c: atomic small-file writes and capped reads (see file.h). */
#include "config.h"
#include "store/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_priv.h"
#include "util/buf.h"
#include "util/mem.h"

int store_write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Syncs the directory holding path, so that a rename in it survives a
 * crash. File systems that cannot sync a directory say EINVAL: nothing
 * more can be done there. */
static int sync_dir(const char *dir, char **err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return store_fail(err, "cannot open directory %s: %s", dir, strerror(errno));
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        rc = store_fail(err, "cannot sync directory %s: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

int store_write_atomic(const char *path, const void *data, size_t len, char **err)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
                      : xstrdup(".");
    const char *base = slash ? slash + 1 : path;
    /* A dot name, so that listings of the directory skip it. */
    char *tmp = xasprintf("%s/.%s.tmp-XXXXXX", dir, base);
    int rc = -1;
    int fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600, O_EXCL */
    if (fd < 0) {
        store_fail(err, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        goto done;
    }
    if (store_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        store_fail(err, "cannot write %s: %s", tmp, strerror(e));
        unlink(tmp);
        goto done;
    }
    if (close(fd) != 0) {
        store_fail(err, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        store_fail(err, "cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
        goto done;
    }
    rc = sync_dir(dir, err);
done:
    free(tmp);
    free(dir);
    return rc;
}

int store_read_file(const char *path, size_t max, char **data, size_t *len, char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0)
        return store_fail(err, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return store_fail(err, "cannot examine %s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return store_fail(err, "%s is not a regular file", path);
    }
    buf_t b = BUF_INIT;
    int rc = 0;
    for (;;) {
        buf_reserve(&b, 16384);
        ssize_t r = read(fd, b.data + b.len, 16384);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = store_fail(err, "cannot read %s: %s", path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        b.len += (size_t)r;
        b.data[b.len] = '\0';
        if (b.len > max) {
            rc = store_fail(err, "%s is larger than %zu bytes", path, max);
            break;
        }
    }
    close(fd); /* read-only: nothing to lose */
    if (rc != 0) {
        buf_free(&b);
        return rc;
    }
    *len = b.len;
    *data = buf_steal(&b);
    return 0;
}
