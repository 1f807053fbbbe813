/* transcript_list.c: listing saved transcripts (see transcript.h). */
#include "config.h"
#include "store/transcript.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/xdg.h"
#include "store/store_priv.h"
#include "util/err.h"
#include "util/jsonu.h"
#include "util/mem.h"

/* The first line is read only this far looking for the meta record. */
#define META_MAX 65536

/* The kind named by a transcript's file name
 * (YYYYMMDDTHHMMSSZ-KIND-HEX.jsonl), or NULL if it is not one. */
static char *kind_of(const char *name)
{
    size_t n = strlen(name);
    if (n < 17 + 6 || strcmp(name + n - 6, ".jsonl") != 0)
        return NULL;
    for (int i = 0; i < 16; i++) {
        char c = name[i];
        bool ok = i == 8 ? c == 'T' : i == 15 ? c == 'Z' : c >= '0' && c <= '9';
        if (!ok)
            return NULL;
    }
    if (name[16] != '-')
        return NULL;
    const char *kind = name + 17;
    const char *dash = strchr(kind, '-');
    if (!dash)
        return NULL;
    const char *hex = dash + 1;
    size_t hn = (size_t)(name + n - 6 - hex);
    if (hn == 0 || strspn(hex, "0123456789abcdef") != hn)
        return NULL;
    size_t kn = (size_t)(dash - kind);
    if ((kn == 4 && !strncmp(kind, "chat", 4)) || (kn == 7 && !strncmp(kind, "compare", 7)))
        return xstrndup(kind, kn);
    return NULL;
}

/* The title in the meta record on the first line, or NULL. */
static char *title_of(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    char *head = xmalloc(META_MAX);
    size_t len = 0;
    while (len < META_MAX) {
        ssize_t r = read(fd, head + len, META_MAX - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || memchr(head + len, '\n', (size_t)r)) {
            len += r > 0 ? (size_t)r : 0;
            break;
        }
        len += (size_t)r;
    }
    close(fd); /* read-only */
    char *title = NULL;
    const char *nl = memchr(head, '\n', len);
    char *perr = NULL;
    json_object *meta = nl ? jsonu_parse(head, (size_t)(nl - head), &perr) : NULL;
    free(perr);
    if (meta && json_object_is_type(meta, json_type_object)) {
        jsonu_dec d;
        jsonu_dec_init(&d, "transcript meta record");
        char *type = NULL;
        if (jsonu_str(&d, meta, "type", true, &type) && !strcmp(type, "meta"))
            jsonu_str(&d, meta, "title", false, &title);
        free(type);
        jsonu_dec_free(&d);
    }
    json_object_put(meta);
    free(head);
    return title;
}

static int newest_first(const void *a, const void *b)
{
    const store_transcript_info *x = a, *y = b;
    if (x->mtime_ms != y->mtime_ms)
        return x->mtime_ms < y->mtime_ms ? 1 : -1;
    return -strcmp(x->path, y->path); /* names start with the creation time */
}

int store_transcript_list(const char *kind, store_transcript_info **out, size_t *n, char **err)
{
    char *data, *dir;
    *out = NULL;
    *n = 0;
    if (config_xdg_dir("XDG_DATA_HOME", ".local/share", &data, err) != 0)
        return -1;
    dir = xasprintf("%s/transcripts", data);
    free(data);
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        int rc = e == ENOENT ? 0 : err_set(err, "cannot list %s: %s", dir, strerror(e));
        free(dir);
        return rc;
    }
    store_transcript_info *v = NULL;
    size_t count = 0, cap = 0;
    struct dirent *ent;
    errno = 0;
    while ((ent = readdir(d))) {
        char *k = kind_of(ent->d_name);
        struct stat st;
        if (!k || (kind && strcmp(k, kind) != 0) ||
            fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
            free(k);
            errno = 0;
            continue;
        }
        v = xgrow(v, &cap, count + 1, sizeof *v);
        v[count].path = xasprintf("%s/%s", dir, ent->d_name);
        v[count].kind = k;
        v[count].title = title_of(dirfd(d), ent->d_name);
        v[count].mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        count++;
        errno = 0;
    }
    int e = errno;
    closedir(d);
    if (e) {
        store_transcript_list_free(v, count);
        int rc = err_set(err, "cannot list %s: %s", dir, strerror(e));
        free(dir);
        return rc;
    }
    free(dir);
    if (count > 1)
        qsort(v, count, sizeof *v, newest_first);
    *out = v;
    *n = count;
    return 0;
}

void store_transcript_list_free(store_transcript_info *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].kind);
        free(v[i].title);
    }
    free(v);
}
