/* Unit tests for src/store: transcripts, unsent messages, paths and atomic
 * writes, in a temporary home. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/file.h"
#include "store/paths.h"
#include "store/transcript.h"
#include "store/unsent.h"
#include "test.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/mem.h"

typedef struct fx {
    char *root;
} fx;

static char *sub(const fx *f, const char *rel)
{
    return xasprintf("%s/%s", f->root, rel);
}

static int setup(void **state)
{
    fx *f = xcalloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/aidesk-test-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    f->root = mkdtemp(tmpl);
    assert_non_null(f->root);
    char *home = sub(f, "home");
    assert_int_equal(mkdir(home, 0700), 0);
    setenv("HOME", home, 1);
    free(home);
    /* Data and state directories that do not exist yet: the store makes
     * them. */
    char *d = sub(f, "xdg/data");
    setenv("XDG_DATA_HOME", d, 1);
    free(d);
    d = sub(f, "xdg/state");
    setenv("XDG_STATE_HOME", d, 1);
    free(d);
    umask(022); /* 0600 and 0700 must come from the store, not the umask */
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fx *f = *state;
    nftw(f->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->root);
    free(f);
    return 0;
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return (unsigned)st.st_mode & 07777;
}

/* Names in dir, one per line, sorted; "." and ".." left out. */
static char *listing(const char *dir)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    assert_true(n >= 0);
    buf_t b = BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, ".."))
            buf_printf(&b, "%s\n", ents[i]->d_name);
        free(ents[i]);
    }
    free(ents);
    return buf_steal(&b);
}

static json_object *record(const char *type, const char *text)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "t", json_object_new_int64(1700000000000));
    json_object_object_add(o, "type", json_object_new_string(type));
    if (text)
        json_object_object_add(o, "text", json_object_new_string(text));
    return o;
}

static void append(store_transcript *t, const char *type, const char *text)
{
    json_object *o = record(type, text);
    char *err = NULL;
    assert_int_equal(store_transcript_append(t, o, &err), 0);
    json_object_put(o);
}

/* Collects "type:text" per record. */
static bool collect(void *ud, json_object *rec)
{
    buf_t *b = ud;
    json_object *type = NULL, *text = NULL;
    json_object_object_get_ex(rec, "type", &type);
    json_object_object_get_ex(rec, "text", &text);
    buf_printf(b, "%s:%s\n", type ? json_object_get_string(type) : "?",
               text ? json_object_get_string(text) : "");
    return true;
}

static void write_raw(const char *path, const char *text, int flags)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
}

/* ------------------------------------------------------------ transcripts */

static void store__transcript_round_trips_records(void **state)
{
    (void)state;
    store_transcript *t = NULL;
    char *err = NULL;
    assert_int_equal(store_transcript_create("chat", "First chat", &t, &err), 0);
    append(t, "user", "hello\nwith a newline");
    append(t, "delta", "Hi \xE2\x80\x94 there");
    append(t, "reply_end", NULL);
    assert_int_equal(store_transcript_sync(t, &err), 0);
    char *path = xstrdup(store_transcript_path(t));
    store_transcript_free(t);

    buf_t b = BUF_INIT;
    store_load_stats st;
    assert_int_equal(store_transcript_load(path, collect, &b, &st, &err), 0);
    assert_string_equal(buf_cstr(&b), "meta:\n"
                                      "user:hello\nwith a newline\n"
                                      "delta:Hi \xE2\x80\x94 there\n"
                                      "reply_end:\n");
    assert_int_equal(st.records, 4);
    assert_int_equal(st.malformed, 0);
    assert_false(st.torn);
    buf_free(&b);
    free(path);
}

static void store__transcript_load_skips_torn_and_malformed_lines(void **state)
{
    (void)state;
    store_transcript *t = NULL;
    char *err = NULL;
    assert_int_equal(store_transcript_create("compare", NULL, &t, &err), 0);
    append(t, "user", "one");
    char *path = xstrdup(store_transcript_path(t));
    store_transcript_free(t);
    /* A malformed line, a non-object, a blank line, a good line, then a
     * crash in the middle of a write. */
    write_raw(path, "not json\n[1,2]\n\n{\"type\":\"user\",\"text\":\"two\"}\n{\"type\":\"de",
              O_APPEND);

    buf_t b = BUF_INIT;
    store_load_stats st;
    assert_int_equal(store_transcript_load(path, collect, &b, &st, &err), 0);
    assert_string_equal(buf_cstr(&b), "meta:\nuser:one\nuser:two\n");
    assert_int_equal(st.records, 3);
    assert_int_equal(st.malformed, 2);
    assert_true(st.torn);
    buf_free(&b);

    /* Reopened, the next record starts on a line of its own. */
    assert_int_equal(store_transcript_open_existing(path, &t, &err), 0);
    append(t, "user", "three");
    store_transcript_free(t);
    assert_int_equal(store_transcript_load(path, collect, &b, &st, &err), 0);
    assert_string_equal(buf_cstr(&b), "meta:\nuser:one\nuser:two\nuser:three\n");
    assert_int_equal(st.malformed, 3); /* the torn line, now complete but broken */
    assert_false(st.torn);
    buf_free(&b);

    assert_int_equal(store_transcript_load("/nonexistent-aidesk/x.jsonl", collect, &b, &st, &err),
                     -1);
    assert_non_null(strstr(err, "/nonexistent-aidesk/x.jsonl"));
    free(err);
    free(path);
}

static void store__transcript_is_0600_in_0700_directories(void **state)
{
    fx *f = *state;
    store_transcript *t = NULL;
    char *err = NULL;
    assert_int_equal(store_transcript_create("chat", "x", &t, &err), 0);
    const char *path = store_transcript_path(t);
    assert_int_equal(mode_of(path), 0600);
    char *dir = sub(f, "xdg/data/aidesk/transcripts");
    assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
    assert_int_equal(mode_of(dir), 0700);
    free(dir);
    dir = sub(f, "xdg/data/aidesk");
    assert_int_equal(mode_of(dir), 0700);
    free(dir);
    /* The name: <UTC time>-<kind>-<random>.jsonl */
    const char *name = strrchr(path, '/') + 1;
    assert_int_equal(strlen(name), strlen("20250101T000000Z-chat-01234567.jsonl"));
    assert_int_equal(name[8], 'T');
    assert_non_null(strstr(name, "Z-chat-"));
    store_transcript_free(t);

    assert_int_equal(store_transcript_create("gossip", NULL, &t, &err), -1);
    assert_non_null(strstr(err, "unknown transcript kind 'gossip'"));
    free(err);
}

static void set_mtime(const char *path, time_t when)
{
    struct timespec ts[2] = {{when, 0}, {when, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void store__transcript_list_is_newest_first_with_titles(void **state)
{
    (void)state;
    const char *titles[] = {"oldest", NULL, "newest"};
    const char *kinds[] = {"chat", "compare", "chat"};
    char *paths[3];
    char *err = NULL;
    for (int i = 0; i < 3; i++) {
        store_transcript *t = NULL;
        assert_int_equal(store_transcript_create(kinds[i], titles[i], &t, &err), 0);
        paths[i] = xstrdup(store_transcript_path(t));
        store_transcript_free(t);
        set_mtime(paths[i], 1700000000 + i * 60);
    }
    store_transcript_info *v = NULL;
    size_t n = 0;
    assert_int_equal(store_transcript_list(NULL, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].path, paths[2]);
    assert_string_equal(v[0].title, "newest");
    assert_string_equal(v[0].kind, "chat");
    assert_int_equal(v[0].mtime_ms, (1700000000 + 120) * 1000LL);
    assert_string_equal(v[1].path, paths[1]);
    assert_null(v[1].title);
    assert_string_equal(v[1].kind, "compare");
    assert_string_equal(v[2].title, "oldest");
    store_transcript_list_free(v, n);

    assert_int_equal(store_transcript_list("chat", &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].title, "newest");
    assert_string_equal(v[1].title, "oldest");
    store_transcript_list_free(v, n);
    for (int i = 0; i < 3; i++)
        free(paths[i]);
}

static void store__transcript_list_is_empty_before_any_transcript(void **state)
{
    (void)state;
    store_transcript_info *v = NULL;
    size_t n = 7;
    char *err = NULL;
    assert_int_equal(store_transcript_list(NULL, &v, &n, &err), 0);
    assert_int_equal(n, 0);
    store_transcript_list_free(v, n);
}

/* ----------------------------------------------------------------- unsent */

static void store__unsent_message_survives_a_restart_and_clears(void **state)
{
    (void)state;
    char *err = NULL, *text = NULL;
    assert_int_equal(store_unsent_load("ws_123", &text, &err), 0);
    assert_null(text);
    assert_int_equal(store_unsent_save("ws_123", "first draft", &err), 0);
    assert_int_equal(store_unsent_save("ws_123", "second draft\nline two", &err), 0);
    assert_int_equal(store_unsent_save("chat", "hello", &err), 0);
    /* A "restart": nothing is cached, every call reads the disk. */
    assert_int_equal(store_unsent_load("ws_123", &text, &err), 0);
    assert_string_equal(text, "second draft\nline two");
    free(text);

    char **keys = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_keys(&keys, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(keys[0], "chat");
    assert_string_equal(keys[1], "ws_123");
    assert_null(keys[2]);
    store_unsent_keys_free(keys);

    assert_int_equal(store_unsent_clear("ws_123", &err), 0);
    assert_int_equal(store_unsent_clear("ws_123", &err), 0); /* twice is fine */
    assert_int_equal(store_unsent_load("ws_123", &text, &err), 0);
    assert_null(text);
    assert_int_equal(store_unsent_load("chat", &text, &err), 0);
    assert_string_equal(text, "hello");
    free(text);
}

static void store__unsent_hostile_keys_stay_inside_the_directory(void **state)
{
    fx *f = *state;
    static const char *const keys[] = {"../x", "a/b", "..", ".", "/etc/passwd", "~", "a\nb"};
    char *err = NULL, *text = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        assert_int_equal(store_unsent_save(keys[i], keys[i], &err), 0);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        assert_int_equal(store_unsent_load(keys[i], &text, &err), 0);
        assert_string_equal(text, keys[i]);
        free(text);
    }
    /* Everything is in unsent/ and nothing landed next to it. */
    char *data = sub(f, "xdg/data/aidesk");
    char *names = listing(data);
    assert_string_equal(names, "unsent\n");
    free(names);
    free(data);
    char *dir = sub(f, "xdg/data/aidesk/unsent");
    names = listing(dir);
    assert_string_equal(names, "2e.msg\n2e2e.msg\n2e2e2f78.msg\n2f6574632f706173737764.msg\n"
                               "610a62.msg\n612f62.msg\n7e.msg\n");
    free(names);
    free(dir);
    char **list = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_keys(&list, &n, &err), 0);
    assert_int_equal(n, sizeof keys / sizeof *keys);
    store_unsent_keys_free(list);

    assert_int_equal(store_unsent_save("", "x", &err), -1);
    assert_non_null(strstr(err, "non-empty key"));
    free(err);
    char longkey[STORE_UNSENT_KEY_MAX + 2];
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    assert_int_equal(store_unsent_save(longkey, "x", &err), -1);
    assert_non_null(strstr(err, "longer than"));
    free(err);
    longkey[STORE_UNSENT_KEY_MAX] = '\0'; /* the longest allowed fits in a file name */
    assert_int_equal(store_unsent_save(longkey, "long", &err), 0);
    assert_int_equal(store_unsent_load(longkey, &text, &err), 0);
    assert_string_equal(text, "long");
    free(text);
}

/* ------------------------------------------------------ files and paths */

static void store__atomic_write_replaces_and_leaves_no_temp_files(void **state)
{
    fx *f = *state;
    char *dir = sub(f, "atomic");
    char *err = NULL;
    assert_int_equal(store_mkdirs(dir, &err), 0);
    assert_int_equal(mode_of(dir), 0700);
    char *path = sub(f, "atomic/file");
    assert_int_equal(store_write_atomic(path, "old", 3, &err), 0);
    assert_int_equal(store_write_atomic(path, "new content", 11, &err), 0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(store_read_file(path, 1024, &data, &len, &err), 0);
    assert_int_equal(len, 11);
    assert_string_equal(data, "new content");
    free(data);
    assert_int_equal(mode_of(path), 0600);
    char *names = listing(dir);
    assert_string_equal(names, "file\n");
    free(names);

    assert_int_equal(store_read_file(path, 5, &data, &len, &err), -1);
    assert_non_null(strstr(err, "larger than 5 bytes"));
    free(err);
    char *missing = sub(f, "atomic/missing");
    assert_int_equal(store_read_file(missing, 5, &data, &len, &err), 1);
    free(missing);

    /* A directory that does not exist is an error with the path, and
     * nothing is left behind. */
    char *nodir = sub(f, "nodir/file");
    assert_int_equal(store_write_atomic(nodir, "x", 1, &err), -1);
    assert_non_null(strstr(err, "nodir"));
    assert_non_null(strstr(err, "No such file or directory"));
    free(err);
    free(nodir);

    /* A symlink in the file's place is replaced, not followed. */
    char *target = sub(f, "target");
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink(target, path), 0);
    assert_int_equal(store_write_atomic(path, "safe", 4, &err), 0);
    assert_int_equal(access(target, F_OK), -1);
    free(target);
    free(path);
    free(dir);
}

static void store__paths_follow_xdg_with_home_fallback(void **state)
{
    fx *f = *state;
    char *err = NULL, *p = NULL;
    assert_int_equal(store_history_path(&p, &err), 0);
    char *want = sub(f, "xdg/state/aidesk/history");
    assert_string_equal(p, want);
    free(want);
    free(p);
    char *dir = sub(f, "xdg/state/aidesk");
    assert_int_equal(mode_of(dir), 0700);
    free(dir);

    unsetenv("XDG_DATA_HOME");
    setenv("XDG_STATE_HOME", "relative/ignored", 1);
    assert_int_equal(store_data_dir(&p, &err), 0);
    want = sub(f, "home/.local/share/aidesk");
    assert_string_equal(p, want);
    assert_int_equal(mode_of(want), 0700);
    free(want);
    free(p);
    assert_int_equal(store_state_dir(&p, &err), 0);
    want = sub(f, "home/.local/state/aidesk");
    assert_string_equal(p, want);
    free(want);
    free(p);

    /* A file where a directory should be: an error, not an abort. */
    char *blocker = sub(f, "blocker");
    write_raw(blocker, "x", O_CREAT);
    setenv("XDG_DATA_HOME", blocker, 1);
    assert_int_equal(store_unsent_save("chat", "x", &err), -1);
    assert_non_null(strstr(err, "blocker"));
    free(err);
    free(blocker);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
TEST_MAIN(T(store__transcript_round_trips_records),
          T(store__transcript_load_skips_torn_and_malformed_lines),
          T(store__transcript_is_0600_in_0700_directories),
          T(store__transcript_list_is_newest_first_with_titles),
          T(store__transcript_list_is_empty_before_any_transcript),
          T(store__unsent_message_survives_a_restart_and_clears),
          T(store__unsent_hostile_keys_stay_inside_the_directory),
          T(store__atomic_write_replaces_and_leaves_no_temp_files),
          T(store__paths_follow_xdg_with_home_fallback))
