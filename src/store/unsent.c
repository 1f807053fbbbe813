/* unsent.c: unsent messages, one file per key (see unsent.h). */
#include "config.h"
#include "store/unsent.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/file.h"
#include "store/paths.h"
#include "store/store_priv.h"
#include "util/buf.h"
#include "util/mem.h"

#define SUFFIX ".msg"

static const char hexdigits[] = "0123456789abcdef";

/* <data>/unsent/<hex of key>.msg, the directory created. */
static int key_path(const char *key, char **path, char **err)
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0)
        return store_fail(err, "an unsent message needs a non-empty key");
    if (n > STORE_UNSENT_KEY_MAX)
        return store_fail(err, "the key of an unsent message is longer than %d bytes",
                          STORE_UNSENT_KEY_MAX);
    char *dir;
    if (store_data_subdir("unsent", &dir, err) != 0)
        return -1;
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s/", dir);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        buf_append_char(&b, hexdigits[c >> 4]);
        buf_append_char(&b, hexdigits[c & 15]);
    }
    buf_append_str(&b, SUFFIX);
    free(dir);
    *path = buf_steal(&b);
    return 0;
}

static int hexval(char c)
{
    const char *p = c ? strchr(hexdigits, c) : NULL;
    return p ? (int)(p - hexdigits) : -1;
}

/* The key a file name stands for, or NULL if it is not one of ours. */
static char *key_of(const char *name)
{
    size_t n = strlen(name);
    size_t sn = strlen(SUFFIX);
    if (n <= sn || strcmp(name + n - sn, SUFFIX) != 0 || (n - sn) % 2 != 0)
        return NULL;
    size_t kn = (n - sn) / 2;
    char *key = xmalloc(kn + 1);
    for (size_t i = 0; i < kn; i++) {
        int hi = hexval(name[2 * i]), lo = hexval(name[2 * i + 1]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(key);
            return NULL;
        }
        key[i] = (char)(hi << 4 | lo);
    }
    key[kn] = '\0';
    return key;
}

int store_unsent_save(const char *key, const char *text, char **err)
{
    size_t len = strlen(text);
    if (len > STORE_UNSENT_MAX_BYTES)
        return store_fail(err, "the unsent message is larger than %d bytes",
                          STORE_UNSENT_MAX_BYTES);
    char *path;
    if (key_path(key, &path, err) != 0)
        return -1;
    int rc = store_write_atomic(path, text, len, err);
    free(path);
    return rc;
}

int store_unsent_load(const char *key, char **text, char **err)
{
    char *path;
    *text = NULL;
    if (key_path(key, &path, err) != 0)
        return -1;
    size_t len;
    int rc = store_read_file(path, STORE_UNSENT_MAX_BYTES, text, &len, err);
    free(path);
    return rc < 0 ? -1 : 0;
}

int store_unsent_clear(const char *key, char **err)
{
    char *path;
    if (key_path(key, &path, err) != 0)
        return -1;
    int rc = 0;
    if (unlink(path) != 0 && errno != ENOENT)
        rc = store_fail(err, "cannot remove %s: %s", path, strerror(errno));
    free(path);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_unsent_keys(char ***keys, size_t *n, char **err)
{
    char *dir;
    if (store_data_subdir("unsent", &dir, err) != 0)
        return -1;
    DIR *d = opendir(dir);
    if (!d) {
        int rc = store_fail(err, "cannot list %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    char **v = NULL;
    size_t count = 0, cap = 0;
    struct dirent *ent;
    errno = 0;
    while ((ent = readdir(d))) {
        char *key = key_of(ent->d_name);
        if (key) {
            v = xgrow(v, &cap, count + 2, sizeof *v);
            v[count++] = key;
        }
        errno = 0;
    }
    int e = errno;
    closedir(d);
    v = xgrow(v, &cap, count + 1, sizeof *v);
    v[count] = NULL;
    if (e) {
        store_unsent_keys_free(v);
        int rc = store_fail(err, "cannot list %s: %s", dir, strerror(e));
        free(dir);
        return rc;
    }
    free(dir);
    qsort(v, count, sizeof *v, by_name);
    *keys = v;
    *n = count;
    return 0;
}

void store_unsent_keys_free(char **keys)
{
    if (!keys)
        return;
    for (char **p = keys; *p; p++)
        free(*p);
    free(keys);
}
