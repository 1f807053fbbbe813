/* file.c: atomic small-file writes and capped reads (see file.h). */
#include "config.h"
#include "store/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_priv.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/mem.h"

/* What marks a temporary file, between the name it is for and the pid. */
#define TMP_MARK ".tmp-"

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

int store_sync_dir(const char *dir, char **err)
{
    /* File systems that cannot sync a directory say EINVAL: nothing more
     * can be done there. */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, "cannot open directory %s: %s", dir, strerror(errno));
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        rc = err_set(err, "cannot sync directory %s: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

int store_tmp_create(const char *dir, const char *base, char **tmp, char **err)
{
    char *t = xasprintf("%s/.%s" TMP_MARK "%ld-XXXXXX", dir, base, (long)getpid());
    int fd = mkostemp(t, O_CLOEXEC); /* mode 0600, O_EXCL */
    if (fd < 0) {
        err_put(err, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(t);
        return -1;
    }
    *tmp = t;
    return fd;
}

int store_write_atomic(const char *path, const void *data, size_t len, char **err)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
                      : xstrdup(".");
    const char *base = slash ? slash + 1 : path;
    char *tmp = NULL;
    int rc = -1;
    int fd = store_tmp_create(dir, base, &tmp, err);
    if (fd < 0)
        goto done;
    if (store_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        err_put(err, "cannot write %s: %s", tmp, strerror(e));
        unlink(tmp);
        goto done;
    }
    if (close(fd) != 0) {
        err_put(err, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        err_put(err, "cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
        goto done;
    }
    rc = store_sync_dir(dir, err);
done:
    free(tmp);
    free(dir);
    return rc;
}

/* The pid in a leftover's name ".<base>.tmp-<pid>-XXXXXX"; 0 for a name of
 * an older version (".<base>.tmp-XXXXXX"), -1 for a name that is not a
 * temporary file of ours. */
static long leftover_pid(const char *name)
{
    if (name[0] != '.')
        return -1;
    const char *mark = NULL;
    for (const char *p = strstr(name, TMP_MARK); p; p = strstr(p + 1, TMP_MARK))
        mark = p;
    if (!mark || mark == name)
        return -1;
    const char *p = mark + strlen(TMP_MARK);
    const char *digits = p;
    long pid = 0;
    while (*p >= '0' && *p <= '9' && pid < 100000000)
        pid = pid * 10 + (*p++ - '0');
    if (p > digits && *p == '-' && strlen(p + 1) == 6)
        return pid;
    return strlen(digits) == 6 ? 0 : -1;
}

int store_clean_leftovers(const char *dir, char **err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return err_set(err, "cannot list %s: %s", dir, strerror(errno));
    }
    int64_t now_s = clock_wall_ms() / 1000;
    int removed = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        long pid = leftover_pid(ent->d_name);
        if (pid < 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        /* A writer that is gone will never finish; one alive for this long
         * is not ours any more (its pid was reused). */
        bool dead = pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
        bool old = now_s - (int64_t)st.st_mtime > STORE_LEFTOVER_MAX_AGE_S;
        if ((dead || old) && unlinkat(dirfd(d), ent->d_name, 0) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

int store_same_file(int fd, const char *path)
{
    struct stat a, b;
    if (fstat(fd, &a) != 0)
        return -1;
    if (lstat(path, &b) != 0)
        return errno == ENOENT ? 0 : -1;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int store_read_fd(int fd, const char *path, size_t max, char **data, size_t *len, char **err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return err_set(err, "cannot examine %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(err, "%s is not a regular file", path);
    buf_t b = BUF_INIT;
    off_t off = 0;
    for (;;) {
        buf_reserve(&b, 16384);
        ssize_t r = pread(fd, b.data + b.len, 16384, off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            buf_free(&b);
            return err_set(err, "cannot read %s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        b.len += (size_t)r;
        off += r;
        b.data[b.len] = '\0';
        if (b.len > max) {
            buf_free(&b);
            return err_set(err, "%s is larger than %zu bytes", path, max);
        }
    }
    buf_reserve(&b, 1);
    b.data[b.len] = '\0';
    *len = b.len;
    *data = buf_steal(&b);
    return 0;
}

int store_read_file(const char *path, size_t max, char **data, size_t *len, char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0)
        return err_set(err, "cannot open %s: %s", path, strerror(errno));
    int rc = store_read_fd(fd, path, max, data, len, err);
    close(fd); /* read-only: nothing to lose */
    return rc;
}
