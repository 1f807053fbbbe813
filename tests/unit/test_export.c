/* Unit tests for saving a conversation (/save) as Markdown and JSON. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "test.h"
#include "xdgtmp.h"
#include "util/jsonu.h"
#include "util/mem.h"

static conv *sample(model *m)
{
    ai_workspace w;
    memset(&w, 0, sizeof w);
    w.id = (char *)"ws_1";
    w.client_id = (char *)"cust_ann";
    w.mode_raw = (char *)"shadow";
    w.mode = AI_MODE_SHADOW;
    w.pending_drafts = -1;
    conv *c = model_upsert_workspace(m, &w, 1700000000000);
    const char *q = "Where is **my** order?\x1b[2J";
    conv_append(c, "m1", AI_ROLE_USER, q, strlen(q), MSG_FINAL, 1700000000000);
    msg *a = conv_append(c, "m2", AI_ROLE_AI, "It ships today.", 15, MSG_FINAL, 1700000060000);
    a->approval = xstrdup("edited");
    msg *u = conv_append_local(c, AI_ROLE_HUMAN, "ping", 1700000120000);
    msg_set_state(u, MSG_UNSENT, "not sent: offline");
    return c;
}

static void export__markdown_keeps_authors_times_states_and_text(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = sample(m);
    buf_t b = BUF_INIT;
    export_render(c, EXPORT_MARKDOWN, &b);
    const char *s = buf_cstr(&b);
    assert_non_null(strstr(s, "# cust_ann\n"));
    assert_non_null(strstr(s, "Workspace `ws_1`, shadow mode."));
    assert_non_null(strstr(s, "## customer · 2023-11-14T22:13:20Z\n\nWhere is **my** order?\x1b[2J"));
    assert_non_null(strstr(s, "## AI · 2023-11-14T22:14:20Z · edited\n\nIt ships today."));
    assert_non_null(strstr(s, "## agent · 2023-11-14T22:15:20Z · unsent\n\nping\n\n> not sent: offline"));
    buf_free(&b);
    model_free(m);
}

static void export__json_round_trips_every_message(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = sample(m);
    buf_t b = BUF_INIT;
    export_render(c, EXPORT_JSON, &b);
    char *err = NULL;
    json_object *o = jsonu_parse(b.data, b.len, &err);
    assert_null(err);
    assert_non_null(o);
    json_object *msgs = NULL;
    assert_true(json_object_object_get_ex(o, "messages", &msgs));
    assert_int_equal(json_object_array_length(msgs), 3);
    for (size_t i = 0; i < 3; i++) {
        json_object *jm = json_object_array_get_idx(msgs, i);
        json_object *content = NULL, *id = NULL;
        json_object_object_get_ex(jm, "content", &content);
        json_object_object_get_ex(jm, "id", &id);
        assert_string_equal(json_object_get_string(content), buf_cstr(&c->msgs[i]->text));
        assert_string_equal(json_object_get_string(id), c->msgs[i]->id);
    }
    json_object *approval = NULL;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(msgs, 1), "approval", &approval));
    assert_string_equal(json_object_get_string(approval), "edited");
    json_object_put(o);
    buf_free(&b);
    model_free(m);
}

static void export__writes_a_private_file_and_never_clobbers_by_default(void **state)
{
    (void)state;
    char dir[512];
    assert_int_equal(xdgtmp_make(dir, sizeof dir, "export"), 0);
    model *m = model_new();
    conv *c = sample(m);
    char *path = NULL, *err = NULL;
    assert_int_equal(export_conv(c, EXPORT_MARKDOWN, NULL, &path, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_non_null(strstr(path, "/aidesk/exports/cust_ann-"));
    /* A named path is the user's choice: written there. */
    char *named = xasprintf("%s/mine.json", dir);
    char *path2 = NULL;
    assert_int_equal(export_conv(c, EXPORT_JSON, named, &path2, &err), 0);
    assert_string_equal(path2, named);
    assert_int_equal(stat(named, &st), 0);
    /* A directory that does not exist is a clear error. */
    char *bad = xasprintf("%s/no/such/dir/x.md", dir);
    char *path3 = NULL;
    assert_int_equal(export_conv(c, EXPORT_MARKDOWN, bad, &path3, &err), -1);
    assert_non_null(strstr(err, "cannot write"));
    free(err);
    unlink(path);
    unlink(named);
    free(path);
    free(path2);
    free(named);
    free(bad);
    model_free(m);
    xdgtmp_remove(dir);
}

/* A conversation holding only its newest messages (model.h, "the
 * window") is never written in part. */
static void export__never_writes_a_window_for_the_whole(void **state)
{
    (void)state;
    char dir[512];
    assert_int_equal(xdgtmp_make(dir, sizeof dir, "export"), 0);
    model *m = model_new();
    conv *c = sample(m);
    c->older = 1234; /* the server lists that many before m1 */
    char *named = xasprintf("%s/part.md", dir);
    char *path = NULL, *err = NULL;
    assert_int_equal(export_conv(c, EXPORT_MARKDOWN, named, &path, &err), -1);
    assert_null(path);
    assert_non_null(strstr(err, "1234 earlier messages of this conversation are not loaded"));
    free(err);
    struct stat st;
    assert_int_equal(stat(named, &st), -1); /* nothing written */
    /* With the earlier ones: all of them first, in order; one the
     * conversation holds too (m1) once, where it holds it. */
    ai_message_list earlier = {0};
    earlier.items = xcalloc(3, sizeof *earlier.items);
    const char *ids[] = {"m-1", "m0", "m1"};
    for (size_t i = 0; i < 3; i++) {
        earlier.items[i].id = xstrdup(ids[i]);
        earlier.items[i].role = AI_ROLE_USER;
        earlier.items[i].content = xasprintf("earlier %zu", i);
        earlier.items[i].created_ms = 1600000000000;
    }
    earlier.n = 3;
    assert_int_equal(export_conv_with(c, &earlier, EXPORT_JSON, named, &path, &err), 0);
    buf_t b = BUF_INIT;
    export_render_with(c, &earlier, EXPORT_JSON, &b);
    json_object *o = jsonu_parse(b.data, b.len, &err);
    assert_non_null(o);
    json_object *msgs = NULL;
    assert_true(json_object_object_get_ex(o, "messages", &msgs));
    assert_int_equal(json_object_array_length(msgs), 5);
    const char *want[] = {"m-1", "m0", "m1", "m2", "local-1"};
    for (size_t i = 0; i < 5; i++) {
        json_object *id = NULL;
        json_object_object_get_ex(json_object_array_get_idx(msgs, i), "id", &id);
        assert_string_equal(json_object_get_string(id), want[i]);
    }
    json_object_put(o);
    buf_clear(&b);
    export_render_with(c, &earlier, EXPORT_MARKDOWN, &b);
    assert_non_null(strstr(buf_cstr(&b), "## customer · 2020-09-13T12:26:40Z\n\nearlier 0"));
    assert_null(strstr(buf_cstr(&b), "earlier 2")); /* m1 as held, not again */
    buf_free(&b);
    ai_message_list_clear(&earlier);
    unlink(path);
    free(path);
    free(named);
    model_free(m);
    xdgtmp_remove(dir);
}

TEST_MAIN(cmocka_unit_test(export__markdown_keeps_authors_times_states_and_text),
          cmocka_unit_test(export__never_writes_a_window_for_the_whole),
          cmocka_unit_test(export__json_round_trips_every_message),
          cmocka_unit_test(export__writes_a_private_file_and_never_clobbers_by_default))
