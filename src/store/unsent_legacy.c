/* unsent_legacy.c: unsent messages kept by an older aidesk become records
 * of the current format, each once.
 *
 * The older format kept one file per key, "<hex of key>.msg": the console
 * used "<workspace>#<local message id>" keys and put a flag byte in front
 * of the text (A: an agent's reply, C: a customer message; lower case: it
 * may have arrived), the command line used the workspace id alone and the
 * bare text, without saying whether it may have arrived. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_priv.h"
#include "store/unsent_priv.h"
#include "util/log.h"
#include "util/mem.h"

#define LEGACY_SUFFIX ".msg"

static const char hexdigits[] = "0123456789abcdef";

typedef struct legacy {
    char *name;
    char *key;
    int64_t mtime_ms;
    unsigned long long num; /* the N of "#local-N", for ordering */
    bool numeric;
} legacy;

static int hexval(char c)
{
    const char *p = c ? strchr(hexdigits, c) : NULL;
    return p ? (int)(p - hexdigits) : -1;
}

/* The key a file name stands for, or NULL if it is not one of the older
 * format's. */
static char *key_of(const char *name)
{
    size_t n = strlen(name), sn = strlen(LEGACY_SUFFIX);
    if (n <= sn || strcmp(name + n - sn, LEGACY_SUFFIX) != 0 || (n - sn) % 2 != 0)
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

/* The order they were written in: by time, then as the older console
 * numbered them (its "local-10" came after "local-2"). */
static int legacy_cmp(const void *x, const void *y)
{
    const legacy *p = x, *q = y;
    if (p->mtime_ms != q->mtime_ms)
        return p->mtime_ms < q->mtime_ms ? -1 : 1;
    if (p->numeric != q->numeric)
        return p->numeric ? -1 : 1;
    if (p->numeric && p->num != q->num)
        return p->num < q->num ? -1 : 1;
    return strcmp(p->key, q->key);
}

/* FNV-1a: the same name gives the same id, so a migration cut short by a
 * crash finds its own record instead of making a second. */
static unsigned long long name_hash(const char *s)
{
    unsigned long long h = 14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Decodes the older file's content into r (strings new; text is taken). */
static void legacy_rec(const char *key, char *text, store_unsent_rec *r)
{
    memset(r, 0, sizeof *r);
    const char *hash = strchr(key, '#');
    r->ws = hash ? xstrndup(key, (size_t)(hash - key)) : xstrdup(key);
    /* The command line's copies said nothing: assume they may have arrived. */
    r->uncertain = true;
    if (hash && text[0] && strchr("AaCc", text[0])) {
        r->as_agent = text[0] == 'A' || text[0] == 'a';
        r->uncertain = text[0] == 'a' || text[0] == 'c';
        memmove(text, text + 1, strlen(text));
    }
    r->text = text;
}

/* Whether the record id in dir is r (the same message migrated before). */
static bool same_record(const char *dir, const char *id, const store_unsent_rec *r)
{
    char *path = xasprintf("%s/%s" UNSENT_SUFFIX, dir, id);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    bool same = false;
    if (fd >= 0) {
        store_unsent_rec old;
        if (unsent_read(fd, path, id, &old, NULL) == 0) {
            same = !strcmp(old.ws, r->ws) && !strcmp(old.text, r->text) &&
                   old.as_agent == r->as_agent;
            store_unsent_rec_clear(&old);
        }
        close(fd);
    }
    free(path);
    return same;
}

/* Migrates one file; *last is the written time given to the one before. */
static void migrate_one(const char *dir, const legacy *l, int64_t *last)
{
    char *path = xasprintf("%s/%s", dir, l->name);
    char *text = NULL, *err = NULL;
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    /* Held: another process is migrating it. */
    if (fd < 0 || store_lock_try(fd, false) != 0 || store_same_file(fd, path) != 1)
        goto done;
    if (store_read_fd(fd, path, STORE_UNSENT_MAX_BYTES + 1, &text, &len, &err) != 0) {
        log_msg("store: an older unsent message stays where it is: %s", err);
        goto done;
    }
    store_unsent_rec r;
    legacy_rec(l->key, text, &r);
    text = NULL;
    bool finished = !*r.text || !*r.ws; /* nothing to keep */
    r.written_ms = l->mtime_ms > *last ? l->mtime_ms : *last + 1;
    *last = r.written_ms;
    unsigned long long h = name_hash(l->name);
    for (int attempt = 0; !finished && attempt < 4; attempt++) {
        char id[STORE_UNSENT_ID_MAX];
        snprintf(id, sizeof id, "%lld-0-%016llx", (long long)l->mtime_ms, h + (unsigned)attempt);
        int nfd = -1;
        int rc = unsent_create(dir, &r, id, &nfd, NULL, &err);
        if (rc == 0)
            close(nfd);
        finished = rc == 0 || (rc == 1 && same_record(dir, id, &r));
        if (rc < 0)
            break;
    }
    if (finished && unlink(path) == 0)
        store_sync_dir(dir, NULL);
    else if (!finished)
        log_msg("store: an older unsent message stays where it is: %s",
                err ? err : "no free record id");
    store_unsent_rec_clear(&r);
done:
    if (fd >= 0)
        close(fd);
    free(text);
    free(err);
    free(path);
}

void unsent_migrate_legacy(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    legacy *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        char *key = key_of(ent->d_name);
        struct stat st;
        if (!key)
            continue;
        if (fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode)) {
            free(key);
            continue;
        }
        v = xgrow(v, &cap, n + 1, sizeof *v);
        legacy *l = &v[n++];
        memset(l, 0, sizeof *l);
        l->name = xstrdup(ent->d_name);
        l->key = key;
        l->mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        const char *hash = strchr(key, '#');
        char *end = NULL;
        if (hash && !strncmp(hash + 1, "local-", 6) && hash[7] >= '0' && hash[7] <= '9') {
            l->num = strtoull(hash + 7, &end, 10);
            l->numeric = end && !*end;
        }
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, legacy_cmp);
    int64_t last = 0;
    for (size_t i = 0; i < n; i++) {
        migrate_one(dir, &v[i], &last);
        free(v[i].name);
        free(v[i].key);
    }
    free(v);
}
