/* Unit tests for the drafts queue as the person saw it (src/model/draftq.h):
 * the selection follows its draft, keys act on the last picture, and row
 * numbers are read against the queue when the command line was opened. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/draftq.h"
#include "model/model.h"
#include "test.h"
#include "util/mem.h"

/* A model with a shadow workspace per draft, named cust_<id>. */
static void pending(model *m, const char *id, int64_t created_ms)
{
    char ws[32], client[32];
    snprintf(ws, sizeof ws, "ws_%s", id);
    snprintf(client, sizeof client, "cust_%s", id);
    ai_workspace w;
    memset(&w, 0, sizeof w);
    w.id = ws;
    w.mode = AI_MODE_SHADOW;
    w.status = (char *)"active";
    w.client_id = client;
    w.pending_drafts = -1;
    w.message_count = -1;
    model_upsert_workspace(m, &w, 1);
    ai_draft d;
    memset(&d, 0, sizeof d);
    d.id = (char *)id;
    d.workspace_id = ws;
    d.content = (char *)"answer";
    d.created_ms = created_ms;
    assert_non_null(model_add_draft(m, &d));
}

/* One frame: the selection follows, then the picture is taken. */
static void frame(dq_view *v, const model *m)
{
    dq_capture(v, m, dq_follow(v, m));
}

static void draftq__the_selection_follows_its_draft_when_rows_move(void **state)
{
    (void)state;
    model *m = model_new();
    pending(m, "drf_a", 1);
    pending(m, "drf_b", 2);
    pending(m, "drf_c", 3);
    dq_view q = {0};
    frame(&q, m);
    assert_string_equal(q.sel, "drf_a"); /* the first, to start */
    dq_move(&q, 1);
    assert_string_equal(dq_selected(&q)->draft_id, "drf_b");
    assert_string_equal(dq_selected(&q)->label, "cust_drf_b");
    /* The row above leaves: drf_b is now row 1 and still selected. */
    model_draft_gone(m, "drf_a", NULL, DRAFT_END_APPROVED, DRAFT_BY_OTHER, 5);
    frame(&q, m);
    assert_int_equal(dq_find(&q, "drf_b"), 0);
    assert_string_equal(q.sel, "drf_b");
    /* A row arrives above it (older draft listed late): still drf_b. */
    pending(m, "drf_0", 0);
    frame(&q, m);
    assert_int_equal(dq_find(&q, "drf_b"), 1);
    assert_string_equal(q.sel, "drf_b");
    dq_move(&q, 5); /* stops at the end */
    assert_string_equal(q.sel, "drf_c");
    dq_move(&q, -9);
    assert_string_equal(q.sel, "drf_0");
    dq_clear(&q);
    model_free(m);
}

static void draftq__a_key_before_the_next_frame_acts_on_the_row_as_drawn(void **state)
{
    (void)state;
    model *m = model_new();
    pending(m, "drf_a", 1);
    pending(m, "drf_b", 2);
    pending(m, "drf_c", 3);
    dq_view q = {0};
    frame(&q, m);
    dq_move(&q, 1); /* drf_b, as drawn */
    frame(&q, m);
    /* drf_b is decided elsewhere; no frame yet: a key still means drf_b,
     * never the neighbour that will take its place. */
    model_draft_gone(m, "drf_b", NULL, DRAFT_END_APPROVED, DRAFT_BY_OTHER, 5);
    assert_string_equal(dq_selected(&q)->draft_id, "drf_b");
    assert_string_equal(dq_selected(&q)->ws_id, "ws_drf_b");
    /* The next frame moves the selection to the row after it... */
    frame(&q, m);
    assert_string_equal(q.sel, "drf_c");
    /* ...or, at the end of the queue, the one before it. */
    model_draft_gone(m, "drf_c", NULL, DRAFT_END_REJECTED, DRAFT_BY_OTHER, 6);
    frame(&q, m);
    assert_string_equal(q.sel, "drf_a");
    model_draft_gone(m, "drf_a", NULL, DRAFT_END_REJECTED, DRAFT_BY_OTHER, 7);
    frame(&q, m);
    assert_null(q.sel);
    assert_int_equal(q.n, 0);
    assert_null(dq_selected(&q));
    dq_clear(&q);
    model_free(m);
}

static void draftq__a_row_number_means_the_row_when_the_line_was_opened(void **state)
{
    (void)state;
    model *m = model_new();
    pending(m, "drf_a", 1);
    pending(m, "drf_b", 2);
    pending(m, "drf_c", 3);
    dq_view now = {0}, opened = {0};
    frame(&now, m);
    dq_copy(&opened, &now); /* the person starts typing "/reject 2 ..." */
    char *err = NULL;
    assert_string_equal(dq_resolve(&opened, &now, "2", NULL, &err), "drf_b");
    assert_null(err);
    /* A row added at the end changes nothing for row 2. */
    pending(m, "drf_d", 4);
    frame(&now, m);
    assert_string_equal(dq_resolve(&opened, &now, "2", NULL, &err), "drf_b");
    /* Row 1 leaves while they type: row 2 now shows drf_c. Refused. */
    model_draft_gone(m, "drf_a", NULL, DRAFT_END_APPROVED, DRAFT_BY_OTHER, 5);
    frame(&now, m);
    const char *meant = NULL;
    assert_null(dq_resolve(&opened, &now, "2", &meant, &err));
    assert_string_equal(err, "the queue moved while you typed: row 2 was cust_drf_b's draft, now "
                             "cust_drf_c's");
    assert_string_equal(meant, "drf_b"); /* offered for confirmation */
    free(err);
    /* A row that is gone now. */
    model_draft_gone(m, "drf_d", NULL, DRAFT_END_APPROVED, DRAFT_BY_OTHER, 6);
    frame(&now, m);
    assert_null(dq_resolve(&opened, &now, "3", &meant, &err));
    assert_string_equal(err, "the queue moved while you typed: row 3 was cust_drf_c's draft, now gone");
    assert_string_equal(meant, "drf_c");
    free(err);
    /* Beyond what the queue showed. */
    assert_null(dq_resolve(&opened, &now, "9", &meant, &err));
    assert_string_equal(err, "no draft 9: the queue showed 3 when you began typing");
    assert_null(meant);
    free(err);
    assert_null(dq_resolve(&opened, &now, "0", NULL, &err));
    free(err);
    /* An id is an id, whatever the rows do. */
    assert_string_equal(dq_resolve(&opened, &now, "drf_a", NULL, &err), "drf_a");
    assert_null(err);
    dq_clear(&now);
    dq_clear(&opened);
    model_free(m);
}

static void draftq__tells_a_draft_reference_from_the_first_word_of_a_reason(void **state)
{
    (void)state;
    model *m = model_new();
    pending(m, "drf_a", 1);
    pending(m, "x7", 2); /* a server whose ids have another form */
    dq_view now = {0}, opened = {0};
    frame(&now, m);
    dq_copy(&opened, &now);
    assert_true(dq_is_ref(&opened, &now, m, "2"));
    assert_true(dq_is_ref(&opened, &now, m, "drf_a"));
    assert_true(dq_is_ref(&opened, &now, m, "drf_zz")); /* the documented form */
    assert_true(dq_is_ref(&opened, &now, m, "x7"));
    assert_false(dq_is_ref(&opened, &now, m, "too"));
    assert_false(dq_is_ref(&opened, &now, m, ""));
    /* A draft that left and is remembered is still a reference. */
    model_draft_gone(m, "x7", NULL, DRAFT_END_APPROVED, DRAFT_BY_OTHER, 5);
    dq_clear(&now);
    dq_clear(&opened);
    assert_true(dq_is_ref(&opened, &now, m, "x7"));
    /* Copies are independent of their source. */
    frame(&now, m);
    dq_copy(&opened, &now);
    dq_clear(&now);
    assert_int_equal(opened.n, 1);
    assert_string_equal(opened.rows[0].draft_id, "drf_a");
    dq_clear(&opened);
    model_free(m);
}

TEST_MAIN(cmocka_unit_test(draftq__the_selection_follows_its_draft_when_rows_move),
          cmocka_unit_test(draftq__a_key_before_the_next_frame_acts_on_the_row_as_drawn),
          cmocka_unit_test(draftq__a_row_number_means_the_row_when_the_line_was_opened),
          cmocka_unit_test(draftq__tells_a_draft_reference_from_the_first_word_of_a_reason))
