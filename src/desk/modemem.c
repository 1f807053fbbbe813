/* modemem.c: the modes before takeovers, on disk (modemem.h). */
#include "config.h"
#include "desk/modemem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <json-c/json.h>

#include "store/file.h"
#include "store/paths.h"
#include "util/jsonu.h"
#include "util/mem.h"

#define FILE_KIND "aidesk-takeover-modes"
#define FILE_MAX (4 * 1024 * 1024)

typedef struct entry {
    char *ws;
    ai_mode before;
    int64_t at_ms;
} entry;

struct modemem {
    entry *v;
    size_t n, cap;
};

static void entries_clear(modemem *mm)
{
    for (size_t i = 0; i < mm->n; i++)
        free(mm->v[i].ws);
    mm->n = 0;
}

static entry *find(const modemem *mm, const char *ws)
{
    for (size_t i = 0; ws && i < mm->n; i++)
        if (!strcmp(mm->v[i].ws, ws))
            return &mm->v[i];
    return NULL;
}

static void drop(modemem *mm, entry *e)
{
    free(e->ws);
    *e = mm->v[--mm->n];
}

static void put(modemem *mm, const char *ws, ai_mode before, int64_t at_ms)
{
    entry *e = find(mm, ws);
    if (!e) {
        if (mm->n >= MODEMEM_MAX) {
            /* The oldest takeover goes. */
            entry *old = &mm->v[0];
            for (size_t i = 1; i < mm->n; i++)
                if (mm->v[i].at_ms < old->at_ms)
                    old = &mm->v[i];
            drop(mm, old);
        }
        mm->v = xgrow(mm->v, &mm->cap, mm->n + 1, sizeof *mm->v);
        e = &mm->v[mm->n++];
        e->ws = xstrdup(ws);
    }
    e->before = before;
    e->at_ms = at_ms;
}

/* <state>/<name>, or NULL with *err. */
static char *state_path(const char *name, char **err)
{
    char *dir = NULL;
    if (store_state_dir(&dir, err) != 0)
        return NULL;
    char *p = xasprintf("%s/%s", dir, name);
    free(dir);
    return p;
}

/* Replaces mm's entries with the file's. A missing file is empty. */
static int load(modemem *mm, char **err)
{
    char *path = state_path("takeover-modes.json", err);
    if (!path)
        return -1;
    char *data = NULL;
    size_t len = 0;
    int rc = store_read_file(path, FILE_MAX, &data, &len, err);
    if (rc != 0) {
        free(path);
        return rc == 1 ? 0 : -1;
    }
    char *perr = NULL;
    json_object *root = jsonu_parse(data, len, &perr);
    free(data);
    json_object *kind = NULL, *ws = NULL;
    if (!root || !json_object_object_get_ex(root, "kind", &kind) ||
        !json_object_is_type(kind, json_type_string) ||
        strcmp(json_object_get_string(kind), FILE_KIND) ||
        !json_object_object_get_ex(root, "workspaces", &ws) ||
        !json_object_is_type(ws, json_type_object)) {
        *err = xasprintf("%s is not a file of takeover modes (%s)", path,
                         perr ? perr : "unexpected content");
        free(perr);
        json_object_put(root);
        free(path);
        return -1;
    }
    entries_clear(mm);
    json_object_object_foreach(ws, key, val)
    {
        json_object *b = NULL, *at = NULL;
        if (!json_object_is_type(val, json_type_object) ||
            !json_object_object_get_ex(val, "before", &b) ||
            !json_object_is_type(b, json_type_string))
            continue;
        ai_mode before = ai_mode_from_string(json_object_get_string(b));
        if (before == AI_MODE_UNKNOWN || before == AI_MODE_TAKEOVER)
            continue;
        int64_t when = json_object_object_get_ex(val, "at", &at) &&
                               json_object_is_type(at, json_type_int)
                           ? json_object_get_int64(at)
                           : 0;
        put(mm, key, before, when);
    }
    json_object_put(root);
    free(path);
    return 0;
}

static int save(const modemem *mm, char **err)
{
    char *path = state_path("takeover-modes.json", err);
    if (!path)
        return -1;
    json_object *root = json_object_new_object();
    json_object_object_add(root, "kind", json_object_new_string(FILE_KIND));
    json_object_object_add(root, "v", json_object_new_int(1));
    json_object *ws = json_object_new_object();
    for (size_t i = 0; i < mm->n; i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "before", json_object_new_string(ai_mode_name(mm->v[i].before)));
        json_object_object_add(e, "at", json_object_new_int64(mm->v[i].at_ms));
        json_object_object_add(ws, mm->v[i].ws, e);
    }
    json_object_object_add(root, "workspaces", ws);
    char *text = jsonu_to_string(root);
    json_object_put(root);
    int rc = store_write_atomic(path, text, strlen(text), err);
    free(text);
    free(path);
    return rc;
}

/* The lock that makes read-change-write one step among processes: an fd
 * holding it, or -1 with *err. */
static int lock_file(char **err)
{
    char *path = state_path("takeover-modes.lock", err);
    if (!path)
        return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        *err = xasprintf("cannot open %s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    int rc;
    do /* held for the few ms of a read and a write */
        rc = flock(fd, LOCK_EX);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        *err = xasprintf("cannot lock %s: %s", path, strerror(errno));
        close(fd);
        free(path);
        return -1;
    }
    free(path);
    return fd;
}

modemem *modemem_open(char **err)
{
    *err = NULL;
    modemem *mm = xcalloc(1, sizeof *mm);
    load(mm, err);
    return mm;
}

void modemem_free(modemem *mm)
{
    if (!mm)
        return;
    entries_clear(mm);
    free(mm->v);
    free(mm);
}

ai_mode modemem_get(const modemem *mm, const char *ws_id)
{
    const entry *e = find(mm, ws_id);
    return e ? e->before : AI_MODE_UNKNOWN;
}

/* Applies one change to the file's entries and to memory: the change is
 * made in memory first, so that a file that cannot be used costs only
 * the restart. */
static int change(modemem *mm, const char *ws_id, ai_mode before, int64_t at_ms, char **err)
{
    *err = NULL;
    int fd = lock_file(err);
    int rc = fd < 0 ? -1 : load(mm, err);
    if (before == AI_MODE_UNKNOWN) {
        entry *e = find(mm, ws_id);
        if (e)
            drop(mm, e);
    } else {
        put(mm, ws_id, before, at_ms);
    }
    if (rc == 0)
        rc = save(mm, err);
    if (fd >= 0)
        close(fd); /* drops the lock */
    return rc;
}

int modemem_set(modemem *mm, const char *ws_id, ai_mode before, int64_t at_ms, char **err)
{
    *err = NULL;
    if (!ws_id || before == AI_MODE_UNKNOWN || before == AI_MODE_TAKEOVER)
        return 0;
    const entry *e = find(mm, ws_id);
    if (e && e->before == before)
        return 0; /* known already: no write */
    return change(mm, ws_id, before, at_ms, err);
}

int modemem_forget(modemem *mm, const char *ws_id, char **err)
{
    *err = NULL;
    if (!find(mm, ws_id))
        return 0;
    return change(mm, ws_id, AI_MODE_UNKNOWN, 0, err);
}
