/* copy.c: the clipboard sinks (copy.h): OSC 52, or a private file. Nothing
 * here is ever logged. */
#include "config.h"
#include "desk/copy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gate/gatectl.h" /* gatectl_osc52: the AI Gate pane had the first copy */
#include "store/file.h"
#include "store/paths.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

/* Creates path exclusively and writes text into it: 0, or the step that
 * failed with errno set (the file is then removed). */
enum { WROTE, NOT_CREATED, NOT_WRITTEN };

static int write_new(const char *path, const char *text, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return NOT_CREATED;
    if (fchmod(fd, 0600) != 0 || store_write_all(fd, text, len) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        errno = e;
        return NOT_WRITTEN;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(path);
        errno = e;
        return NOT_WRITTEN;
    }
    return WROTE;
}

char *copy_write_private(const char *dir, const char *base, const char *ext, const char *text,
                         size_t len, char **err)
{
    if (err)
        *err = NULL;
    if (store_mkdirs(dir, err) != 0)
        return NULL;
    struct stat st;
    if (stat(dir, &st) != 0) {
        err_put(err, "cannot use %s: %s", dir, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
        err_put(err, "%s is not a directory of ours: not writing a secret there", dir);
        return NULL;
    }
    if ((st.st_mode & 077) && chmod(dir, 0700) != 0) {
        err_put(err, "cannot make private %s: %s", dir, strerror(errno));
        return NULL;
    }
    for (int n = 1; n <= 1000; n++) {
        char *path = n == 1 ? xasprintf("%s/%s%s", dir, base, ext)
                            : xasprintf("%s/%s-%d%s", dir, base, n, ext);
        int rc = write_new(path, text, len);
        if (rc == WROTE)
            return path;
        int e = errno;
        if (rc == NOT_WRITTEN || e != EEXIST) { /* EEXIST: taken (a file, a symlink) */
            err_put(err, "%s %s: %s", rc == NOT_CREATED ? "cannot create" : "cannot write", path,
                    strerror(e));
            free(path);
            return NULL;
        }
        free(path);
    }
    err_put(err, "too many copies in %s: remove some", dir);
    return NULL;
}

bool copy_text(bool osc52, const char *subdir, const char *base, const char *ext,
               const char *text, size_t len, copy_out *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    out->bytes = len;
    if (osc52) {
        out->osc52 = gatectl_osc52(text, len);
        return true;
    }
    char *state = NULL;
    if (store_state_dir(&state, err) != 0)
        return false;
    char *dir = xasprintf("%s/%s", state, subdir);
    out->path = copy_write_private(dir, base, ext, text, len, err);
    free(dir);
    free(state);
    return out->path != NULL;
}

void copy_out_clear(copy_out *out)
{
    if (!out)
        return;
    free(out->osc52);
    free(out->path);
    memset(out, 0, sizeof *out);
}

char *copy_safe_name(const char *s, size_t max)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; s && s[i] && b.len < max; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || (c == '.' && b.len > 0);
        buf_append_char(&b, ok ? c : '_');
    }
    if (!b.len)
        buf_append_str(&b, "copy");
    return buf_steal(&b);
}
