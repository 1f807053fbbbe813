/* paths.c: the data and state directories (see paths.h). */
#include "config.h"
#include "store/paths.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/xdg.h"
#include "store/store_priv.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/mem.h"

void store_random(unsigned char *out, size_t n)
{
    ssize_t got = getrandom(out, n, GRND_NONBLOCK);
    if (got == (ssize_t)n)
        return;
    uint64_t x =
        (uint64_t)clock_wall_ms() ^ ((uint64_t)clock_mono_us() << 20) ^ ((uint64_t)getpid() << 40);
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13; /* xorshift: enough to tell two names apart */
        x ^= x >> 7;
        x ^= x << 17;
        out[i] = (unsigned char)x;
    }
}

/* Makes one directory, accepting an existing one. */
static int make_one(const char *path, char **err)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (e == EEXIST)
        return err_set(err, "cannot create directory %s: it exists and is not a directory",
                       path);
    return err_set(err, "cannot create directory %s: %s", path, strerror(e));
}

int store_mkdirs(const char *path, char **err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    char *p = xstrdup(path);
    int rc = 0;
    /* Every prefix ending before a '/', then the whole path. */
    for (char *s = p + 1; rc == 0 && *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        rc = make_one(p, err);
        *s = '/';
    }
    if (rc == 0)
        rc = make_one(p, err);
    free(p);
    return rc;
}

static int base_dir(const char *var, const char *home_rel, char **out, char **err)
{
    char *dir;
    if (config_xdg_dir(var, home_rel, &dir, err) != 0)
        return -1;
    if (store_mkdirs(dir, err) != 0) {
        free(dir);
        return -1;
    }
    *out = dir;
    return 0;
}

int store_data_dir(char **out, char **err)
{
    return base_dir("XDG_DATA_HOME", ".local/share", out, err);
}

int store_state_dir(char **out, char **err)
{
    return base_dir("XDG_STATE_HOME", ".local/state", out, err);
}

int store_data_subdir(const char *name, char **out, char **err)
{
    char *data;
    if (store_data_dir(&data, err) != 0)
        return -1;
    char *dir = xasprintf("%s/%s", data, name);
    free(data);
    if (make_one(dir, err) != 0) {
        free(dir);
        return -1;
    }
    *out = dir;
    return 0;
}

int store_history_path(char **out, char **err)
{
    char *state;
    if (store_state_dir(&state, err) != 0)
        return -1;
    *out = xasprintf("%s/history", state);
    free(state);
    return 0;
}
