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
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/file.h"
#include "store/histfile.h"
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

/* A child process: runs fn and exits with its status, never returning into
 * the test runner. */
static pid_t child(int (*fn)(void *), void *ud)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn(ud));
    return pid;
}

static int child_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void keep(const char *ws, const char *text, bool agent, bool uncertain, const char *idem,
                 store_unsent_held **out)
{
    store_unsent_rec r;
    memset(&r, 0, sizeof r);
    r.ws = (char *)ws;
    r.text = (char *)text;
    r.as_agent = agent;
    r.uncertain = uncertain;
    r.idem_key = (char *)idem;
    char *err = NULL;
    store_unsent_held *h = NULL;
    if (store_unsent_add(&r, &h, &err) != 0)
        fail_msg("store_unsent_add: %s", err);
    if (out)
        *out = h;
    else
        store_unsent_release(h);
}

static size_t count_records(const char *ws)
{
    store_unsent_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_list(ws, &v, &n, NULL), 0);
    store_unsent_list_free(v, n);
    return n;
}

static void store__two_unsent_messages_for_one_workspace_are_both_kept(void **state)
{
    (void)state;
    keep("ws_123", "first draft", false, false, NULL, NULL);
    keep("ws_123", "second draft\nline two", true, true, "idem-7f3a", NULL);
    keep("ws_other", "elsewhere", false, false, NULL, NULL);

    /* A "restart": nothing is cached, every call reads the disk. */
    store_unsent_entry *v = NULL;
    size_t n = 0;
    char *err = NULL;
    assert_int_equal(store_unsent_list("ws_123", &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].rec.text, "first draft"); /* oldest first */
    assert_string_equal(v[0].rec.ws, "ws_123");
    assert_false(v[0].rec.as_agent);
    assert_false(v[0].rec.uncertain);
    assert_null(v[0].rec.idem_key);
    assert_false(v[0].held);
    assert_string_equal(v[1].rec.text, "second draft\nline two");
    assert_true(v[1].rec.as_agent);
    assert_true(v[1].rec.uncertain);
    assert_string_equal(v[1].rec.idem_key, "idem-7f3a");
    assert_true(v[1].rec.written_ms > v[0].rec.written_ms);
    assert_string_not_equal(v[0].rec.id, v[1].rec.id);

    /* Sent: deleted while held; the other stays. */
    store_unsent_held *h = NULL;
    assert_int_equal(store_unsent_take(v[0].rec.id, &h, NULL, &err), STORE_UNSENT_TAKEN);
    assert_string_equal(store_unsent_held_rec(h)->text, "first draft");
    assert_int_equal(store_unsent_delete(h, &err), 0);
    assert_int_equal(store_unsent_take(v[0].rec.id, &h, NULL, &err), STORE_UNSENT_GONE);
    store_unsent_list_free(v, n);
    assert_int_equal(count_records("ws_123"), 1);
    assert_int_equal(count_records(NULL), 2);
    /* Ids are ours: nothing else names a file. */
    assert_int_equal(store_unsent_take("../../etc/passwd", &h, NULL, &err), STORE_UNSENT_GONE);
}

static void store__unsent_records_stay_inside_their_directory_whatever_the_workspace(void **state)
{
    fx *f = *state;
    static const char *const ids[] = {"../x", "a/b", "..", ".", "/etc/passwd", "~", "a\nb"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        keep(ids[i], ids[i], false, false, NULL, NULL);
    char *data = sub(f, "xdg/data/aidesk");
    char *names = listing(data);
    assert_string_equal(names, "unsent\n");
    free(names);
    free(data);
    assert_int_equal(count_records(NULL), sizeof ids / sizeof *ids);
    assert_int_equal(count_records("/etc/passwd"), 1);

    store_unsent_rec r;
    memset(&r, 0, sizeof r);
    r.ws = (char *)"";
    r.text = (char *)"x";
    char *err = NULL;
    store_unsent_held *h = NULL;
    assert_int_equal(store_unsent_add(&r, &h, &err), -1);
    assert_non_null(strstr(err, "workspace id"));
    free(err);
}

typedef struct adder {
    int n;
    int ready_fd, go_fd; /* -1: no barrier */
} adder;

static int add_many(void *ud)
{
    adder *a = ud;
    char c = 0;
    if (a->ready_fd >= 0 && (write(a->ready_fd, "r", 1) != 1 || read(a->go_fd, &c, 1) != 1))
        return 3;
    for (int i = 0; i < a->n; i++) {
        store_unsent_rec r;
        memset(&r, 0, sizeof r);
        r.ws = (char *)"ws_shared";
        char text[64];
        snprintf(text, sizeof text, "from %ld, number %d", (long)getpid(), i);
        r.text = text;
        store_unsent_held *h = NULL;
        if (store_unsent_add(&r, &h, NULL) != 0)
            return 1;
        store_unsent_release(h);
    }
    return 0;
}

static void store__unsent_ids_are_unique_across_processes_at_once(void **state)
{
    (void)state;
    enum { KIDS = 4, EACH = 25 };
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    adder a = {EACH, ready[1], go[0]};
    pid_t pids[KIDS];
    for (int i = 0; i < KIDS; i++)
        pids[i] = child(add_many, &a);
    char c;
    for (int i = 0; i < KIDS; i++)
        assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(write(go[1], "gogo", KIDS), KIDS); /* all start together */
    for (int i = 0; i < KIDS; i++)
        assert_int_equal(child_status(pids[i]), 0);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);

    store_unsent_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_list("ws_shared", &v, &n, NULL), 0);
    assert_int_equal(n, KIDS * EACH);
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++) {
            assert_string_not_equal(v[i].rec.id, v[k].rec.id);
            assert_string_not_equal(v[i].rec.text, v[k].rec.text);
        }
    store_unsent_list_free(v, n);
}

typedef struct holder {
    const char *id;
    int ready_fd; /* the child says "held" here, then waits to be killed */
} holder;

static int hold_and_wait(void *ud)
{
    holder *h = ud;
    store_unsent_held *rec = NULL;
    if (store_unsent_take(h->id, &rec, NULL, NULL) != STORE_UNSENT_TAKEN)
        return 1;
    if (write(h->ready_fd, "h", 1) != 1)
        return 2;
    for (;;)
        pause();
}

static int try_take(void *ud)
{
    const holder *h = ud;
    store_unsent_held *rec = NULL;
    long who = 0;
    int rc = store_unsent_take(h->id, &rec, &who, NULL);
    if (rc == STORE_UNSENT_TAKEN)
        return 10;
    /* 0 when the holder was told right (our parent) */
    return rc == STORE_UNSENT_HELD && who == (long)getppid() ? 0 : 20 + rc;
}

static void store__a_held_unsent_message_cannot_be_taken_by_another_process(void **state)
{
    (void)state;
    store_unsent_held *mine = NULL;
    keep("ws_1", "only once", false, false, NULL, &mine);
    const char *id = store_unsent_held_rec(mine)->id;
    holder hd = {id, -1};
    /* Held here: another process cannot take it, and is told who has it. */
    assert_int_equal(child_status(child(try_take, &hd)), 0);
    /* Not even a second take in this process. */
    store_unsent_held *again = NULL;
    long who = 0;
    assert_int_equal(store_unsent_take(id, &again, &who, NULL), STORE_UNSENT_HELD);
    assert_int_equal(who, (long)getpid());
    store_unsent_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_list(NULL, &v, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_true(v[0].held);
    assert_int_equal(v[0].holder, (long)getpid());
    store_unsent_list_free(v, n);

    /* A rewrite keeps it held, and once it may have arrived it stays so. */
    store_unsent_rec u = *store_unsent_held_rec(mine);
    u.uncertain = true;
    assert_int_equal(store_unsent_update(mine, &u, NULL), 0);
    assert_int_equal(child_status(child(try_take, &hd)), 0);
    u = *store_unsent_held_rec(mine);
    u.uncertain = false;
    u.idem_key = (char *)"idem-1";
    assert_int_equal(store_unsent_update(mine, &u, NULL), 0);
    assert_true(store_unsent_held_rec(mine)->uncertain);
    char *keep_id = xstrdup(id);
    store_unsent_release(mine);

    /* Another process holds it: we cannot take it until that one dies. */
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    holder kid = {keep_id, ready[1]};
    pid_t pid = child(hold_and_wait, &kid);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(store_unsent_take(keep_id, &again, &who, NULL), STORE_UNSENT_HELD);
    assert_int_equal(who, (long)pid);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(child_status(pid), 128 + SIGKILL);
    assert_int_equal(store_unsent_take(keep_id, &again, &who, NULL), STORE_UNSENT_TAKEN);
    assert_true(store_unsent_held_rec(again)->uncertain);
    assert_string_equal(store_unsent_held_rec(again)->idem_key, "idem-1");
    assert_int_equal(store_unsent_delete(again, NULL), 0);
    assert_int_equal(count_records(NULL), 0);
    close(ready[0]);
    close(ready[1]);
    free(keep_id);
}

static int hold_send_and_wait(void *ud)
{
    holder *h = ud;
    store_unsent_held *rec = NULL;
    if (store_unsent_take(h->id, &rec, NULL, NULL) != STORE_UNSENT_TAKEN ||
        store_unsent_set_sending(rec, true, NULL) != 0)
        return 1;
    if (write(h->ready_fd, "s", 1) != 1)
        return 2;
    for (;;)
        pause(); /* killed during "the send" */
}

static void store__a_message_whose_sender_died_during_the_send_becomes_uncertain(void **state)
{
    (void)state;
    store_unsent_held *mine = NULL;
    keep("ws_1", "cut short", false, false, NULL, &mine);
    char *id = xstrdup(store_unsent_held_rec(mine)->id);
    store_unsent_release(mine);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    holder kid = {id, ready[1]};
    pid_t pid = child(hold_send_and_wait, &kid);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    store_unsent_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_list(NULL, &v, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_true(v[0].held);
    assert_true(v[0].rec.sending); /* under way, in another process */
    assert_false(v[0].rec.uncertain);
    store_unsent_list_free(v, n);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(child_status(pid), 128 + SIGKILL);
    /* Nobody finished that send: it may have arrived. */
    assert_int_equal(store_unsent_list(NULL, &v, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_false(v[0].held);
    assert_true(v[0].rec.uncertain);
    store_unsent_list_free(v, n);
    assert_int_equal(store_unsent_take(id, &mine, NULL, NULL), STORE_UNSENT_TAKEN);
    assert_true(store_unsent_held_rec(mine)->uncertain);
    assert_false(store_unsent_held_rec(mine)->sending);
    /* A send that certainly failed clears the mark, not the doubt. */
    assert_int_equal(store_unsent_set_sending(mine, true, NULL), 0);
    assert_int_equal(store_unsent_set_sending(mine, false, NULL), 0);
    store_unsent_release(mine);
    assert_int_equal(store_unsent_list(NULL, &v, &n, NULL), 0);
    assert_true(v[0].rec.uncertain);
    assert_false(v[0].rec.sending);
    store_unsent_list_free(v, n);
    close(ready[0]);
    close(ready[1]);
    free(id);
}

/* The hex file name the older format gave a key. */
static char *legacy_path(const fx *f, const char *key)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s/xdg/data/aidesk/unsent/", f->root);
    for (const char *p = key; *p; p++)
        buf_printf(&b, "%02x", (unsigned char)*p);
    buf_append_str(&b, ".msg");
    return buf_steal(&b);
}

static void write_legacy(const fx *f, const char *key, const char *content, time_t mtime)
{
    char *dir = sub(f, "xdg/data/aidesk/unsent");
    assert_int_equal(store_mkdirs(dir, NULL), 0);
    free(dir);
    char *path = legacy_path(f, key);
    write_raw(path, content, O_CREAT | O_TRUNC);
    struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
    free(path);
}

static void store__unsent_messages_of_the_older_format_are_migrated_once(void **state)
{
    fx *f = *state;
    time_t t = 1700000000;
    write_legacy(f, "ws_a#local-2", "aperhaps arrived, as an agent", t);
    write_legacy(f, "ws_a#local-10", "Clast", t);
    write_legacy(f, "ws_a#local-1", "Cfirst", t - 60);
    write_legacy(f, "ws_cli", "the command line kept this", t - 30);
    store_unsent_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(store_unsent_list(NULL, &v, &n, NULL), 0);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].rec.text, "first");
    assert_string_equal(v[0].rec.ws, "ws_a");
    assert_false(v[0].rec.uncertain);
    assert_false(v[0].rec.as_agent);
    assert_int_equal(v[0].rec.written_ms, (int64_t)(t - 60) * 1000);
    assert_string_equal(v[1].rec.text, "the command line kept this");
    assert_string_equal(v[1].rec.ws, "ws_cli");
    assert_true(v[1].rec.uncertain); /* it never said: assume it may have arrived */
    assert_string_equal(v[2].rec.text, "perhaps arrived, as an agent");
    assert_true(v[2].rec.as_agent);
    assert_true(v[2].rec.uncertain);
    assert_string_equal(v[3].rec.text, "last"); /* local-10 after local-2 */
    assert_false(v[3].rec.uncertain);
    char *first_id = xstrdup(v[0].rec.id);
    store_unsent_list_free(v, n);
    char *path = legacy_path(f, "ws_a#local-1");
    assert_int_equal(access(path, F_OK), -1); /* the old files are gone */
    free(path);

    /* A migration cut short before the old file went: it finds its own
     * record again instead of making a second. */
    write_legacy(f, "ws_a#local-1", "Cfirst", t - 60);
    assert_int_equal(store_unsent_list(NULL, &v, &n, NULL), 0);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].rec.id, first_id);
    store_unsent_list_free(v, n);
    free(first_id);
    char *dir = sub(f, "xdg/data/aidesk/unsent");
    char *names = listing(dir);
    assert_null(strstr(names, ".msg"));
    free(names);
    free(dir);
}

static void store__leftovers_of_interrupted_writes_are_removed(void **state)
{
    fx *f = *state;
    char *dir = sub(f, "xdg/data/aidesk/unsent");
    assert_int_equal(store_mkdirs(dir, NULL), 0);
    pid_t gone = fork(); /* a pid that is surely dead once reaped */
    assert_true(gone >= 0);
    if (gone == 0)
        _exit(0);
    assert_int_equal(child_status(gone), 0);
    time_t old = time(NULL) - STORE_LEFTOVER_MAX_AGE_S - 60;
    struct {
        char name[96];
        time_t mtime; /* 0: now */
        bool stays;
    } files[] = {
        {"", 0, false},  /* a dead writer's */
        {"", 0, true},   /* a live writer's, recent */
        {"", old, false}, /* a live writer's, too old: its pid was reused */
        {".record.tmp-Ab3xYz", 0, true},   /* an older version's, recent */
        {".record.tmp-Ab3xYq", old, false}, /* an older version's, old */
        {"1700000000000-1-0a0b0c0d.json.tmp-1-abcdef", old, true}, /* not a dot name */
    };
    snprintf(files[0].name, sizeof files[0].name, ".record.tmp-%ld-aB3dE5", (long)gone);
    snprintf(files[1].name, sizeof files[1].name, ".record.tmp-%ld-aB3dE5", (long)getpid());
    snprintf(files[2].name, sizeof files[2].name, ".history.tmp-%ld-Qw9Rt5", (long)getpid());
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *p = xasprintf("%s/%s", dir, files[i].name);
        write_raw(p, "several megabytes, once", O_CREAT);
        if (files[i].mtime) {
            struct timespec ts[2] = {{files[i].mtime, 0}, {files[i].mtime, 0}};
            assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
        }
        free(p);
    }
    /* Listing the unsent messages (what every start does) cleans up. */
    assert_int_equal(count_records(NULL), 0);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *p = xasprintf("%s/%s", dir, files[i].name);
        if (access(p, F_OK) != (files[i].stays ? 0 : -1))
            fail_msg("%s should %s", files[i].name, files[i].stays ? "stay" : "be gone");
        free(p);
    }
    assert_int_equal(store_clean_leftovers(dir, NULL), 0);
    free(dir);
}

/* ------------------------------------------- history and shared writers */

typedef struct histwriter {
    const char *path;
    int n;
    int go_fd;
} histwriter;

static int append_history_lines(void *ud)
{
    histwriter *w = ud;
    char c;
    if (read(w->go_fd, &c, 1) != 1)
        return 3;
    for (int i = 0; i < w->n; i++) {
        char line[64];
        snprintf(line, sizeof line, "line %d of %ld", i, (long)getpid());
        const char *lines[] = {line};
        if (store_history_append(w->path, lines, 1, 100000, NULL) != 0)
            return 1;
    }
    return 0;
}

static void store__two_consoles_append_to_the_history_without_losing_lines(void **state)
{
    fx *f = *state;
    char *path = NULL;
    assert_int_equal(store_history_path(&path, NULL), 0);
    const char *before[] = {"from an earlier session", "", "another"};
    assert_int_equal(store_history_append(path, before, 3, 2000, NULL), 0);
    int go[2];
    assert_int_equal(pipe(go), 0);
    histwriter w = {path, 40, go[0]};
    pid_t a = child(append_history_lines, &w), b = child(append_history_lines, &w);
    assert_int_equal(write(go[1], "gg", 2), 2);
    assert_int_equal(child_status(a), 0);
    assert_int_equal(child_status(b), 0);
    close(go[0]);
    close(go[1]);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(store_read_file(path, 1 << 20, &data, &len, NULL), 0);
    assert_int_equal(strncmp(data, "from an earlier session\nanother\n", 32), 0);
    char want[64];
    for (int i = 0; i < 40; i++) {
        snprintf(want, sizeof want, "line %d of %ld\n", i, (long)a);
        assert_non_null(strstr(data, want));
        snprintf(want, sizeof want, "line %d of %ld\n", i, (long)b);
        assert_non_null(strstr(data, want));
    }
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    assert_int_equal(lines, 82);
    assert_int_equal(mode_of(path), 0600);
    free(data);

    /* Bounded: the newest lines stay. */
    const char *more[] = {"newest"};
    assert_int_equal(store_history_append(path, more, 1, 3, NULL), 0);
    assert_int_equal(store_read_file(path, 1 << 20, &data, &len, NULL), 0);
    lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    assert_int_equal(lines, 3);
    assert_string_equal(data + len - 7, "newest\n");
    free(data);

    /* A symlink in its place is refused, not followed. */
    char *target = sub(f, "elsewhere");
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink(target, path), 0);
    char *err = NULL;
    assert_int_equal(store_history_append(path, more, 1, 3, &err), -1);
    free(err);
    assert_int_equal(access(target, F_OK), -1);
    free(target);
    free(path);
}

static int open_transcript_and_wait(void *ud)
{
    holder *h = ud;
    store_transcript *t = NULL;
    if (store_transcript_open_existing(h->id, &t, NULL) != 0)
        return 1;
    if (write(h->ready_fd, "h", 1) != 1)
        return 2;
    for (;;)
        pause();
}

static void store__a_transcript_has_one_writer_at_a_time(void **state)
{
    (void)state;
    store_transcript *t = NULL, *t2 = NULL;
    char *err = NULL;
    assert_int_equal(store_transcript_create("compare", "shared", &t, &err), 0);
    char *path = xstrdup(store_transcript_path(t));
    /* Its creator writes it; a second writer is refused, with who. */
    assert_int_equal(store_transcript_open_existing(path, &t2, &err), -1);
    assert_non_null(strstr(err, "is already open here"));
    free(err);
    store_transcript_free(t);

    int ready[2];
    assert_int_equal(pipe(ready), 0);
    holder h = {path, ready[1]};
    pid_t pid = child(open_transcript_and_wait, &h);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(store_transcript_open_existing(path, &t2, &err), -1);
    char *want = xasprintf("open in another aidesk (pid %ld)", (long)pid);
    assert_non_null(strstr(err, want));
    free(want);
    free(err);
    kill(pid, SIGKILL);
    assert_int_equal(child_status(pid), 128 + SIGKILL);
    /* Its writer gone, it opens again. */
    assert_int_equal(store_transcript_open_existing(path, &t2, &err), 0);
    store_transcript_free(t2);
    close(ready[0]);
    close(ready[1]);
    free(path);
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
    store_unsent_rec r;
    memset(&r, 0, sizeof r);
    r.ws = (char *)"ws_1";
    r.text = (char *)"x";
    store_unsent_held *h = NULL;
    assert_int_equal(store_unsent_add(&r, &h, &err), -1);
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
          T(store__two_unsent_messages_for_one_workspace_are_both_kept),
          T(store__unsent_records_stay_inside_their_directory_whatever_the_workspace),
          T(store__unsent_ids_are_unique_across_processes_at_once),
          T(store__a_held_unsent_message_cannot_be_taken_by_another_process),
          T(store__a_message_whose_sender_died_during_the_send_becomes_uncertain),
          T(store__unsent_messages_of_the_older_format_are_migrated_once),
          T(store__leftovers_of_interrupted_writes_are_removed),
          T(store__two_consoles_append_to_the_history_without_losing_lines),
          T(store__a_transcript_has_one_writer_at_a_time),
          T(store__atomic_write_replaces_and_leaves_no_temp_files),
          T(store__paths_follow_xdg_with_home_fallback))
