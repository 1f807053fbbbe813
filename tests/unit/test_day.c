/* Unit tests for the support team's day, in the model: who waits and since
 * when (model/wait.h), the bell's counters, the sidebar's filter, steady
 * order and name lookup (model/order.h), a draft read in its conversation
 * and whether it is stale (model/draftctx.h), the note a rejection leaves
 * (model/notes.h), and the answer and code blocks a person copies
 * (model/snippet.h). Pure: no network. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/aiassist_events.h"
#include "api/apitime.h"
#include "desk/copy.h"
#include "model/draftctx.h"
#include "export/export.h"
#include "model/model.h"
#include "desk/modemem.h"
#include "model/notes.h"
#include "model/order.h"
#include "model/snippet.h"
#include "model/wait.h"
#include "slurp.h"
#include "test.h"
#include "util/mem.h"

/* ------------------------------------------------------------- helpers */

/* 10:MM:SS on one day, as the server writes it, and as unix ms. */
static const char *at(int min, int sec)
{
    static char bufs[8][40];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 40, "2026-03-02T10:%02d:%02d.000Z", min, sec);
    return b;
}

static int64_t ms(int min, int sec)
{
    int64_t v = 0;
    assert_true(api_time_parse_iso8601(at(min, sec), &v));
    return v;
}

static conv *apply(model *m, const char *type, const char *data)
{
    char *err = NULL;
    ai_event *ev = ai_event_decode(type, data, strlen(data), "1", &err);
    if (!ev)
        fail_msg("%s: %s", type, err);
    conv *c = model_apply_event(m, ev, ms(59, 0), 1000);
    ai_event_free(ev);
    return c;
}

static conv *said(model *m, const char *ws, const char *id, const char *role, const char *text,
                  const char *when)
{
    char data[1024];
    snprintf(data, sizeof data,
             "{\"workspace_id\":\"%s\",\"message\":{\"id\":\"%s\",\"role\":\"%s\","
             "\"content\":\"%s\",\"created_at\":\"%s\"}}",
             ws, id, role, text, when);
    return apply(m, "message.created", data);
}

static void drafted(model *m, const char *id, const char *ws, const char *reply_to,
                    const char *when)
{
    char data[512];
    snprintf(data, sizeof data,
             "{\"draft\":{\"id\":\"%s\",\"workspace_id\":\"%s\",\"content\":\"Draft %s\","
             "\"created_at\":\"%s\",\"status\":\"pending\",\"in_reply_to\":\"%s\"}}",
             id, ws, id, when, reply_to);
    apply(m, "draft.pending", data);
}

static conv *workspace(model *m, const char *id, const char *title, ai_mode mode,
                       const char *status, int64_t activity_ms)
{
    ai_workspace w;
    memset(&w, 0, sizeof w);
    w.id = (char *)id;
    w.client_id = (char *)title;
    w.mode = mode;
    w.status = (char *)status;
    w.last_activity_ms = activity_ms;
    w.pending_drafts = -1;
    w.message_count = -1;
    return model_upsert_workspace(m, &w, 1);
}

static void mode_changed(model *m, const char *ws, const char *mode, const char *previous)
{
    char data[256];
    snprintf(data, sizeof data, "{\"workspace_id\":\"%s\",\"mode\":\"%s\",\"previous\":\"%s\"}",
             ws, mode, previous);
    apply(m, "mode.changed", data);
}

/* ------------------------------------------------------------- waiting */

static void wait__a_customer_in_takeover_waits_from_the_first_unanswered_message(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", "cust_1", AI_MODE_TAKEOVER, "active", 0);
    wait_info w;
    model_wait(m, c, &w);
    assert_int_equal(w.what, 0);
    said(m, "ws_1", "msg_1", "user", "Hello?", at(1, 0));
    said(m, "ws_1", "msg_2", "user", "Anyone there?", at(3, 0));
    model_wait(m, c, &w);
    assert_int_equal(w.what, WAIT_HUMAN);
    assert_true(w.since_ms == ms(1, 0));
    assert_true(w.human_since_ms == ms(1, 0));
    /* A human answers: nobody waits; the next message starts a new wait. */
    said(m, "ws_1", "msg_3", "human", "I am here.", at(4, 0));
    model_wait(m, c, &w);
    assert_int_equal(w.what, 0);
    assert_true(w.since_ms == 0);
    said(m, "ws_1", "msg_4", "user", "My order is late", at(6, 30));
    model_wait(m, c, &w);
    assert_true(w.since_ms == ms(6, 30));
    /* Late is a judgement at a moment, by a threshold. */
    assert_false(wait_is_late(&w, ms(8, 0), 120000));
    assert_true(wait_is_late(&w, ms(8, 31), 120000));
    assert_false(wait_is_late(&w, ms(59, 0), 0));
    assert_true(model_next_late(m, ms(7, 0), 120000) == ms(8, 30) + 1);
    assert_true(model_next_late(m, ms(9, 0), 120000) == 0);
    /* In ai mode nobody waits for a person, and ended ones never do. */
    mode_changed(m, "ws_1", "ai", "takeover");
    model_wait(m, c, &w);
    assert_int_equal(w.what, 0);
    mode_changed(m, "ws_1", "takeover", "ai");
    model_wait(m, c, &w);
    assert_int_equal(w.what, WAIT_HUMAN);
    apply(m, "workspace.ended", "{\"workspace\":{\"id\":\"ws_1\",\"status\":\"ended\"}}");
    model_wait(m, c, &w);
    assert_int_equal(w.what, 0);
    model_free(m);
}

/* The figure beside a waiting workspace, and when it next changes: the
 * sidebar wakes then (each second for the first minute, each minute for
 * the first hour), not every second all day. */
static void wait__a_figure_changes_when_its_next_unit_comes(void **state)
{
    (void)state;
    static const struct {
        int64_t ms;
        const char *fig;
        int64_t next;
    } cases[] = {
        {-2500, " 0s", 3500},       {0, " 0s", 1000},           {999, " 0s", 1},
        {1000, " 1s", 1000},        {59999, "59s", 1},          {60000, " 1m", 60000},
        {61000, " 1m", 59000},      {3599999, "59m", 1},        {3600000, " 1h", 3600000},
        {5400000, " 1h", 1800000},  {172799999, "47h", 1},      {172800000, " 2d", 86400000},
        {99LL * 86400000 + 5, "99d", 86400000 - 5},              {400LL * 86400000, "99d", 86400000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char fig[WAIT_FIG_COLS + 1];
        wait_fig(cases[i].ms, fig);
        assert_string_equal(fig, cases[i].fig);
        assert_int_equal(wait_fig_next_ms(cases[i].ms), cases[i].next);
        /* Just before the next change the figure is the same; at it, it
         * is not (past 99 days it stays "99d"). */
        int64_t at = cases[i].ms + cases[i].next;
        char before[WAIT_FIG_COLS + 1], after[WAIT_FIG_COLS + 1];
        wait_fig(at - 1, before);
        wait_fig(at, after);
        assert_string_equal(before, cases[i].fig);
        if (cases[i].ms < 99LL * 86400000)
            assert_string_not_equal(after, cases[i].fig);
    }
}

/* The moment a pane draws a wait again: a whole second of the wall clock
 * (waits that began at different moments tick together), within a second
 * after its figure changes or it turns late, and not before. */
static void wait__the_next_moment_is_a_whole_second_at_or_after_a_change(void **state)
{
    (void)state;
    const int64_t t0 = 1700000000000LL; /* a wall clock on a whole second */
    const int64_t late = 5 * 60 * 1000;
    for (int64_t since = t0 - 7200 * 1000; since <= t0; since += 37 * 1000 + 123) {
        for (int64_t now = t0; now < t0 + 3000; now += 250) {
            int64_t next = wait_fig_next_wall(now, since, late);
            assert_int_equal(next % 1000, 0);
            assert_true(next > now);
            /* Something has changed by then (no wake-up for nothing) ... */
            char a[WAIT_FIG_COLS + 1], b[WAIT_FIG_COLS + 1], c[WAIT_FIG_COLS + 1];
            wait_fig(now - since, a);
            wait_fig(next - since, b);
            bool turned = (next - since > late) != (now - since > late);
            assert_true(strcmp(a, b) != 0 || turned);
            /* ... and nothing had a whole second before (never a second
             * late). */
            if (next - 1000 > now) {
                wait_fig(next - 1000 - since, c);
                assert_string_equal(a, c);
                assert_int_equal(next - 1000 - since > late, now - since > late);
            }
        }
    }
    /* Waiting 5m10s, late at 5m30s: the next moment is when it turns
     * late (the second after 5m30s), not the next minute; already late,
     * or never, the next minute (6m). */
    int64_t since = t0 - 310 * 1000;
    assert_int_equal(wait_fig_next_wall(t0, since, 330 * 1000), t0 + 21 * 1000);
    assert_int_equal(wait_fig_next_wall(t0, since, 0), t0 + 50 * 1000);
    assert_int_equal(wait_fig_next_wall(t0, since, 300 * 1000), t0 + 50 * 1000);
}

static void wait__drafts_wait_for_approval_and_the_longest_wait_is_found(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_a", "cust_a", AI_MODE_SHADOW, "active", 0);
    conv *b = workspace(m, "ws_b", "cust_b", AI_MODE_TAKEOVER, "active", 0);
    conv *c = workspace(m, "ws_c", "cust_c", AI_MODE_SHADOW, "active", 0);
    assert_null(model_longest_wait(m, NULL));
    said(m, "ws_a", "msg_a1", "user", "a", at(5, 0));
    drafted(m, "drf_a1", "ws_a", "msg_a1", at(5, 10));
    said(m, "ws_b", "msg_b1", "user", "b", at(4, 0));
    said(m, "ws_c", "msg_c1", "user", "c", at(2, 0));
    drafted(m, "drf_c1", "ws_c", "msg_c1", at(2, 5));
    said(m, "ws_c", "msg_c2", "user", "c again", at(6, 0));
    drafted(m, "drf_c2", "ws_c", "msg_c2", at(6, 5));
    wait_info w;
    model_wait(m, c, &w);
    assert_int_equal(w.what, WAIT_APPROVAL);
    assert_true(w.approval_since_ms == ms(2, 5)); /* the oldest of its drafts */
    assert_ptr_equal(model_longest_wait(m, &w), c);
    assert_true(w.since_ms == ms(2, 5));
    /* ws_c's oldest draft is approved elsewhere: ws_b (since 10:04) is next. */
    apply(m, "draft.approved",
          "{\"draft\":{\"id\":\"drf_c1\",\"workspace_id\":\"ws_c\",\"status\":\"approved\",\"content\":\"x\"},"
          "\"message\":{\"id\":\"msg_c3\",\"role\":\"ai\",\"content\":\"ok\","
          "\"created_at\":\"2026-03-02T10:07:00.000Z\"}}");
    assert_ptr_equal(model_longest_wait(m, &w), b);
    assert_int_equal(w.what, WAIT_HUMAN);
    assert_true(w.since_ms == ms(4, 0));
    /* Both kinds at once: the earlier counts. */
    drafted(m, "drf_b1", "ws_b", "msg_b1", at(4, 30));
    model_wait(m, b, &w);
    assert_int_equal(w.what, WAIT_HUMAN | WAIT_APPROVAL);
    assert_true(w.since_ms == ms(4, 0) && w.approval_since_ms == ms(4, 30));
    model_free(m);
}

static void wait__a_workspace_not_in_memory_is_judged_by_its_summary(void **state)
{
    (void)state;
    model *m = model_new();
    /* Known only from a listing: its last message is the customer's. */
    ai_message last = {0};
    last.id = (char *)"msg_9";
    last.role = AI_ROLE_USER;
    last.content = (char *)"hello?";
    last.created_ms = ms(3, 0);
    ai_workspace w0;
    memset(&w0, 0, sizeof w0);
    w0.id = (char *)"ws_1";
    w0.mode = AI_MODE_TAKEOVER;
    w0.status = (char *)"active";
    w0.pending_drafts = -1;
    w0.message_count = 9;
    w0.last_message = &last;
    conv *c = model_upsert_workspace(m, &w0, 1);
    wait_info w;
    model_wait(m, c, &w);
    assert_int_equal(w.what, WAIT_HUMAN);
    assert_true(w.since_ms == ms(3, 0));
    /* Its messages come and go with the bound; the human answer stays
     * known after they leave. */
    said(m, "ws_1", "msg_10", "human", "Here", at(5, 0));
    model_wait(m, c, &w);
    assert_int_equal(w.what, 0);
    model_set_keep(m, 0);
    model_trim(m);
    assert_int_equal(c->nmsgs, 0);
    model_wait(m, c, &w);
    assert_int_equal(w.what, 0);
    model_free(m);
}

/* --------------------------------------------------------------- bell */

static void bell__a_customer_writing_in_takeover_counts_a_history_does_not(void **state)
{
    (void)state;
    model *m = model_new();
    conv *t = workspace(m, "ws_t", "cust_t", AI_MODE_TAKEOVER, "active", 0);
    workspace(m, "ws_a", "cust_a", AI_MODE_AI, "active", 0);
    said(m, "ws_a", "msg_1", "user", "hi", at(1, 0));
    assert_int_equal(m->new_takeover, 0);
    said(m, "ws_t", "msg_2", "user", "a person please", at(1, 0));
    assert_int_equal(m->new_takeover, 1);
    said(m, "ws_t", "msg_2", "user", "a person please", at(1, 0)); /* the same one again */
    said(m, "ws_t", "msg_3", "human", "hello", at(2, 0));
    assert_int_equal(m->new_takeover, 1);
    /* The first load of a history is not news. */
    m->new_takeover = 0;
    conv *h = workspace(m, "ws_h", "cust_h", AI_MODE_TAKEOVER, "active", 0);
    ai_message_list *l = xcalloc(1, sizeof *l);
    l->n = 1;
    l->items = xcalloc(1, sizeof *l->items);
    l->items[0].id = xstrdup("msg_h1");
    l->items[0].role = AI_ROLE_USER;
    l->items[0].content = xstrdup("old question");
    conv_merge_history(m, h, l, 5);
    ai_message_list_free(l);
    assert_int_equal(m->new_takeover, 0);
    (void)t;
    model_free(m);
}

/* ------------------------------------------------ filter, order, names */

static void order__filters_parse_name_and_match(void **state)
{
    (void)state;
    conv_filter f;
    char *err = NULL;
    assert_true(conv_filter_parse("active", &f, &err));
    assert_true(f.active_only && f.mode == AI_MODE_UNKNOWN);
    assert_string_equal(conv_filter_name(&f), "active");
    assert_true(conv_filter_parse(" takeover  active ", &f, &err));
    assert_string_equal(conv_filter_name(&f), "active takeover");
    assert_true(conv_filter_parse("all", &f, &err));
    assert_true(conv_filter_is_all(&f));
    assert_string_equal(conv_filter_name(&f), "all");
    static const char *const bad[][2] = {
        {"ended", "unknown filter 'ended'"},
        {"ai shadow", "'shadow' twice"},
        {"all active", "'all' goes alone"},
        {"  ", "give a filter"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(conv_filter_parse(bad[i][0], &f, &err));
        if (!strstr(err, bad[i][1]))
            fail_msg("'%s': %s", bad[i][0], err);
        free(err);
        err = NULL;
    }

    model *m = model_new();
    conv *live = workspace(m, "ws_1", "cust_1", AI_MODE_TAKEOVER, "active", 10);
    conv *gone = workspace(m, "ws_2", "cust_2", AI_MODE_TAKEOVER, "ended", 20);
    conv *chat = model_new_chat(m, "gpt-4o", 30);
    conv *out[8];
    assert_true(conv_filter_parse("active", &f, &err));
    size_t n = model_sorted_by(m, &f, out, 8);
    assert_int_equal(n, 2); /* the chat and the live workspace, not the ended one */
    assert_ptr_equal(out[0], chat);
    assert_ptr_equal(out[1], live);
    assert_true(conv_filter_parse("takeover", &f, &err));
    n = model_sorted_by(m, &f, out, 8);
    assert_int_equal(n, 2);
    assert_ptr_equal(out[0], live); /* live before ended */
    assert_ptr_equal(out[1], gone);
    assert_true(conv_filter_parse("active takeover", &f, &err));
    assert_int_equal(model_sorted_by(m, &f, out, 8), 1);
    model_free(m);
}

static void order__a_frozen_order_keeps_rows_while_activity_moves_them(void **state)
{
    (void)state;
    model *m = model_new();
    conv *a = workspace(m, "ws_a", "a", AI_MODE_AI, "active", 300);
    conv *b = workspace(m, "ws_b", "b", AI_MODE_AI, "active", 200);
    conv *c = workspace(m, "ws_c", "c", AI_MODE_AI, "active", 100);
    conv_order o = {0};
    conv_filter all = CONV_FILTER_ALL;
    conv *out[8];
    assert_int_equal(order_refresh(&o, m, &all, out, 8), 3);
    assert_ptr_equal(out[0], a);
    assert_ptr_equal(out[2], c);
    /* The person steps through the list; c gets news meanwhile, a new
     * workspace arrives, b ends and leaves the "active" filter. */
    order_freeze(&o);
    c->activity_ms = 900;
    conv *d = workspace(m, "ws_d", "d", AI_MODE_AI, "active", 800);
    assert_int_equal(order_refresh(&o, m, &all, out, 8), 4);
    assert_ptr_equal(out[0], a);
    assert_ptr_equal(out[1], b);
    assert_ptr_equal(out[2], c);
    assert_ptr_equal(out[3], d); /* newcomers join at the end */
    conv_filter active;
    char *err = NULL;
    assert_true(conv_filter_parse("active", &active, &err));
    b->ended = true;
    assert_int_equal(order_refresh(&o, m, &active, out, 8), 3);
    assert_ptr_equal(out[0], a);
    assert_ptr_equal(out[1], c);
    assert_ptr_equal(out[2], d);
    /* A conversation that left memory leaves its row. */
    model_remove(m, a);
    assert_int_equal(order_refresh(&o, m, &active, out, 8), 2);
    assert_ptr_equal(out[0], c);
    /* Thawed, it is the model's order again. */
    order_thaw(&o);
    assert_int_equal(order_refresh(&o, m, &active, out, 8), 2);
    assert_ptr_equal(out[0], c);
    assert_ptr_equal(out[1], d);
    c->activity_ms = 1;
    assert_int_equal(order_refresh(&o, m, &active, out, 1), 1); /* max is honoured */
    assert_ptr_equal(out[0], d);
    order_clear(&o);
    model_free(m);
}

static void order__a_conversation_is_found_by_id_title_case_or_unique_prefix(void **state)
{
    (void)state;
    model *m = model_new();
    conv *old = workspace(m, "ws_1", "cust_7", AI_MODE_AI, "ended", 900);
    conv *cur = workspace(m, "ws_2", "cust_7", AI_MODE_AI, "active", 100);
    conv *other = workspace(m, "ws_3", "Bob-Smith", AI_MODE_AI, "active", 100);
    workspace(m, "ws_4", "bobby", AI_MODE_AI, "active", 100);
    conv *chat = model_new_chat(m, "gpt-4o", 5); /* "chat 1" */
    size_t n = 0;
    assert_ptr_equal(model_lookup(m, "ws_1", &n), old);
    assert_int_equal(n, 1);
    assert_ptr_equal(model_lookup(m, "cust_7", &n), cur); /* live before ended */
    assert_int_equal(n, 2);
    assert_ptr_equal(model_lookup(m, "bob-smith", &n), other);
    assert_ptr_equal(model_lookup(m, "chat 1", &n), chat);
    assert_ptr_equal(model_lookup(m, chat->id, &n), chat);
    assert_ptr_equal(model_lookup(m, "Bob-", &n), other); /* a unique prefix */
    assert_null(model_lookup(m, "bob", &n));              /* two titles start so */
    assert_int_equal(n, 2);
    assert_null(model_lookup(m, "nobody", &n));
    assert_int_equal(n, 0);
    assert_null(model_lookup(m, "", NULL));
    model_free(m);
}

/* ------------------------------------------------- drafts in context */

static void draftctx__a_draft_comes_with_what_it_answers_and_the_last_messages(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", "cust_1", AI_MODE_SHADOW, "active", 0);
    said(m, "ws_1", "msg_1", "user", "one", at(1, 0));
    said(m, "ws_1", "msg_2", "ai", "answer", at(1, 10));
    said(m, "ws_1", "msg_3", "user", "two", at(2, 0));
    drafted(m, "drf_1", "ws_1", "msg_3", at(2, 5));
    said(m, "ws_1", "msg_4", "user", "three", at(3, 0));
    draft_ctx x;
    assert_false(model_draft_ctx(m, "drf_nope", 3, &x));
    assert_true(model_draft_ctx(m, "drf_1", 3, &x));
    assert_ptr_equal(x.c, c);
    assert_string_equal(x.d->content, "Draft drf_1");
    assert_non_null(x.answers);
    assert_string_equal(buf_cstr(&x.answers->text), "two");
    assert_int_equal(x.nrecent, 3);
    assert_string_equal(buf_cstr(&x.recent[0]->text), "one");
    assert_string_equal(buf_cstr(&x.recent[2]->text), "three");
    assert_int_equal(x.after, 1); /* "three" came after the message it answers */
    assert_false(x.stale.stale);
    draft_ctx_clear(&x);
    assert_true(model_draft_ctx(m, "drf_1", 1, &x));
    assert_int_equal(x.nrecent, 1);
    assert_string_equal(buf_cstr(&x.recent[0]->text), "three");
    draft_ctx_clear(&x);
    model_free(m);
}

static void draftctx__a_draft_is_stale_once_an_answer_came_after_it(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_1", "cust_1", AI_MODE_SHADOW, "active", 0);
    said(m, "ws_1", "msg_1", "user", "refund?", at(1, 0));
    drafted(m, "drf_1", "ws_1", "msg_1", at(1, 30));
    said(m, "ws_1", "msg_0", "human", "earlier answer", at(0, 30)); /* before: not stale */
    draft_stale st;
    const draft *d = model_find_draft(m, "drf_1");
    assert_false(model_draft_stale(m, d, &st));
    said(m, "ws_1", "msg_2", "human", "Refund done.", at(2, 0));
    assert_true(model_draft_stale(m, d, &st));
    assert_true(st.by_human);
    assert_true(st.at_ms == ms(2, 0));
    /* Another AI answer makes a draft stale too. */
    workspace(m, "ws_2", "cust_2", AI_MODE_SHADOW, "active", 0);
    said(m, "ws_2", "msg_5", "user", "hi", at(1, 0));
    drafted(m, "drf_2", "ws_2", "msg_5", at(1, 10));
    drafted(m, "drf_3", "ws_2", "msg_5", at(1, 20));
    apply(m, "draft.approved",
          "{\"draft\":{\"id\":\"drf_3\",\"workspace_id\":\"ws_2\",\"status\":\"approved\",\"content\":\"x\"},"
          "\"message\":{\"id\":\"msg_6\",\"role\":\"ai\",\"content\":\"x\","
          "\"created_at\":\"2026-03-02T10:01:40.000Z\"}}");
    assert_true(model_draft_stale(m, model_find_draft(m, "drf_2"), &st));
    assert_false(st.by_human);
    model_free(m);
}

/* --------------------------------------------------------------- notes */

/* The note in c, failing the test when there is none. */
static const msg *note_in(const conv *c)
{
    for (size_t i = 0; i < c->nmsgs; i++)
        if (msg_is_note(c->msgs[i]))
            return c->msgs[i];
    fail_msg("no note in %s", c->id);
    abort(); /* not reached */
}

static void notes__a_rejection_leaves_a_note_that_survives_the_bound(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", "cust_1", AI_MODE_SHADOW, "active", 0);
    said(m, "ws_1", "msg_1", "user", "refund?", at(1, 0));
    drafted(m, "drf_1", "ws_1", "msg_1", at(1, 5));
    said(m, "ws_1", "msg_2", "user", "hello?", at(3, 0));
    apply(m, "draft.rejected",
          "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"status\":\"rejected\",\"content\":\"x\","
          "\"decided_at\":\"2026-03-02T10:02:00.000Z\",\"reason\":\"too vague\"},"
          "\"reason\":\"too vague\"}");
    const msg *n = note_in(c);
    assert_int_equal(n->role, AI_ROLE_SYSTEM);
    assert_int_equal(n->kind, MSG_KIND_NOTE);
    assert_string_equal(n->id, "note-drf_1");
    assert_non_null(strstr(buf_cstr(&n->text), "rejected by another manager at "));
    assert_non_null(strstr(buf_cstr(&n->text), "\"too vague\""));
    assert_non_null(strstr(buf_cstr(&n->text), "reply as a human, take over, or ask the AI again"));
    assert_string_equal(n->notice->draft_id, "drf_1");
    assert_string_equal(n->notice->reason, "too vague");
    assert_string_equal(n->notice->draft_text, "Draft drf_1");
    assert_int_equal(n->notice->by, DRAFT_BY_OTHER);
    assert_true(n->notice->at_ms == ms(2, 0));
    /* At its time: after the question, before the customer's next message. */
    assert_string_equal(c->msgs[1]->id, "note-drf_1");
    assert_int_equal(c->nmsgs, 3);
    /* Not news, not an answer, not exported. */
    assert_int_equal(c->unread, 2);
    wait_info w;
    mode_changed(m, "ws_1", "takeover", "shadow");
    model_wait(m, c, &w);
    assert_true(w.human_since_ms == ms(1, 0));
    buf_t out = BUF_INIT;
    export_render(c, EXPORT_JSON, &out);
    assert_null(strstr(buf_cstr(&out), "too vague"));
    buf_clear(&out);
    export_render(c, EXPORT_MARKDOWN, &out);
    assert_null(strstr(buf_cstr(&out), "too vague"));
    buf_free(&out);
    /* The event again (a replay after a reconnect): still one note. */
    apply(m, "draft.rejected",
          "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"status\":\"rejected\",\"content\":\"x\","
          "\"decided_at\":\"2026-03-02T10:02:00.000Z\"},\"reason\":\"too vague\"}");
    assert_int_equal(c->nmsgs, 3);
    /* The bound lets the messages go; a new load of the history brings
     * the note back in its place. */
    model_set_keep(m, 0);
    model_trim(m);
    assert_int_equal(c->nmsgs, 0);
    ai_message_list *l = xcalloc(1, sizeof *l);
    l->n = 2;
    l->items = xcalloc(2, sizeof *l->items);
    l->items[0].id = xstrdup("msg_1");
    l->items[0].role = AI_ROLE_USER;
    l->items[0].content = xstrdup("refund?");
    l->items[0].created_ms = ms(1, 0);
    l->items[1].id = xstrdup("msg_2");
    l->items[1].role = AI_ROLE_USER;
    l->items[1].content = xstrdup("hello?");
    l->items[1].created_ms = ms(3, 0);
    conv_merge_history(m, c, l, 5);
    ai_message_list_free(l);
    assert_int_equal(c->nmsgs, 3);
    assert_string_equal(c->msgs[1]->id, "note-drf_1");
    assert_string_equal(c->msgs[1]->notice->reason, "too vague");
    model_free(m);
}

static void notes__our_rejection_says_so_and_a_withdrawal_leaves_no_note(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", "cust_1", AI_MODE_SHADOW, "active", 0);
    said(m, "ws_1", "msg_1", "user", "refund?", at(1, 0));
    drafted(m, "drf_1", "ws_1", "msg_1", at(1, 5));
    model_draft_gone(m, "drf_1", "ws_1", DRAFT_END_REJECTED, DRAFT_BY_US, ms(2, 0));
    const msg *n = model_note_rejection(m, "drf_1", NULL, NULL);
    assert_non_null(n);
    assert_non_null(strstr(buf_cstr(&n->text), "rejected from this console at "));
    assert_non_null(strstr(buf_cstr(&n->text), "(no reason given)"));
    assert_string_equal(n->notice->draft_text, "Draft drf_1"); /* remembered from the queue */
    /* A workspace that ends withdraws its drafts: that is no rejection. */
    said(m, "ws_1", "msg_2", "user", "again", at(3, 0));
    drafted(m, "drf_2", "ws_1", "msg_2", at(3, 5));
    apply(m, "draft.rejected",
          "{\"draft\":{\"id\":\"drf_2\",\"workspace_id\":\"ws_1\",\"status\":\"rejected\",\"content\":\"x\"},"
          "\"reason\":\"workspace ended\"}");
    assert_null(conv_find_msg(c, "note-drf_2"));
    assert_null(model_note_rejection(m, "drf_nope", "x", NULL));
    model_free(m);
}

/* ------------------------------------------------------------ snippets */

static void snippet__the_last_answer_skips_notes_and_customers(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", "cust_1", AI_MODE_SHADOW, "active", 0);
    assert_null(snip_last_answer(c));
    said(m, "ws_1", "msg_1", "user", "q", at(1, 0));
    said(m, "ws_1", "msg_2", "ai", "first answer", at(1, 5));
    said(m, "ws_1", "msg_3", "human", "second answer", at(2, 0));
    drafted(m, "drf_1", "ws_1", "msg_1", at(2, 30));
    apply(m, "draft.rejected",
          "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"status\":\"rejected\",\"content\":\"x\","
          "\"decided_at\":\"2026-03-02T10:03:00.000Z\"},\"reason\":\"no\"}");
    said(m, "ws_1", "msg_4", "user", "thanks", at(4, 0));
    const msg *a = snip_last_answer(c);
    assert_non_null(a);
    assert_string_equal(a->id, "msg_3");
    model_free(m);
}

static void snippet__code_blocks_come_out_as_written_and_sanitised(void **state)
{
    (void)state;
    const char *text = "Try this:\n"
                       "```python\n"
                       "def f():\n"
                       "\treturn 1\n"
                       "\n"
                       "```\n"
                       "and\n"
                       "  ~~~\n"
                       "  echo \x1b[2Jhi\n"
                       "    indented\n"
                       "  ~~~\n"
                       "```\n"
                       "a\n"
                       "```\n"
                       "```sh\n"
                       "b\n"
                       "```\n"
                       "- item\n"
                       "\n"
                       "  ```json\n"
                       "  {\"k\": 1}\n"
                       "  ```\n"
                       "```\n"
                       "never closed";
    snip_blocks b;
    snip_code_blocks(text, strlen(text), &b);
    if (!b.v || b.n != 6) {
        fail_msg("%zu code blocks, not 6", b.n);
        return;
    }
    assert_string_equal(b.v[0].lang, "python");
    assert_string_equal(b.v[0].text, "def f():\n\treturn 1\n\n"); /* tabs and blank lines kept */
    assert_null(b.v[1].lang);
    /* The fence's indentation goes, the rest stays; ESC is made visible. */
    assert_string_equal(b.v[1].text, "echo \xE2\x90\x9B[2Jhi\n  indented\n");
    assert_string_equal(b.v[2].text, "a\n");
    assert_string_equal(b.v[3].lang, "sh");
    assert_string_equal(b.v[3].text, "b\n"); /* back to back: two blocks */
    assert_string_equal(b.v[4].lang, "json");
    assert_string_equal(b.v[4].text, "{\"k\": 1}\n");
    assert_string_equal(b.v[5].text, "never closed\n");
    snip_blocks_clear(&b);
    snip_code_blocks("no code here", 12, &b);
    assert_int_equal(b.n, 0);
    snip_blocks_clear(&b);
    assert_string_equal(snip_lang_ext("python"), ".py");
    assert_string_equal(snip_lang_ext("bash"), ".sh");
    assert_string_equal(snip_lang_ext(NULL), ".txt");
    assert_string_equal(snip_lang_ext("brainfuck"), ".txt");
    char *all = snip_copy_text("a\tb\nc\x1b", 6);
    assert_string_equal(all, "a\tb\nc\xE2\x90\x9B");
    free(all);
}

/* ------------------------------------------------- files: modes, copies */

/* A private state directory for one test. */
static int state_setup(void **state)
{
    char *dir = xstrdup("/tmp/aidesk-day-XXXXXX");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    setenv("XDG_STATE_HOME", dir, 1);
    *state = dir;
    return 0;
}

static int state_teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

static void modemem__modes_before_takeovers_are_shared_through_one_file(void **state)
{
    const char *dir = *state;
    char *err = NULL;
    modemem *a = modemem_open(&err);
    assert_null(err);
    assert_int_equal(modemem_get(a, "ws_1"), AI_MODE_UNKNOWN);
    assert_int_equal(modemem_set(a, "ws_1", AI_MODE_SHADOW, 1000, &err), 0);
    assert_int_equal(modemem_get(a, "ws_1"), AI_MODE_SHADOW);
    char *path = xasprintf("%s/aidesk/takeover-modes.json", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = slurp(path);
    assert_non_null(strstr(text, "\"kind\":\"aidesk-takeover-modes\""));
    assert_non_null(strstr(text, "\"ws_1\":{\"before\":\"shadow\""));
    free(text);
    /* Neither takeover nor unknown is a mode to return to. */
    assert_int_equal(modemem_set(a, "ws_9", AI_MODE_TAKEOVER, 1, &err), 0);
    assert_int_equal(modemem_set(a, "ws_9", AI_MODE_UNKNOWN, 1, &err), 0);
    assert_int_equal(modemem_get(a, "ws_9"), AI_MODE_UNKNOWN);

    /* A second console (or a restart) reads it; changes of both meet. */
    modemem *b = modemem_open(&err);
    assert_null(err);
    assert_int_equal(modemem_get(b, "ws_1"), AI_MODE_SHADOW);
    assert_int_equal(modemem_set(b, "ws_2", AI_MODE_AI, 2000, &err), 0);
    assert_int_equal(modemem_set(a, "ws_3", AI_MODE_SHADOW, 3000, &err), 0);
    assert_int_equal(modemem_get(a, "ws_2"), AI_MODE_AI); /* merged in on a's change */
    modemem *c = modemem_open(&err);
    assert_int_equal(modemem_get(c, "ws_1"), AI_MODE_SHADOW);
    assert_int_equal(modemem_get(c, "ws_2"), AI_MODE_AI);
    assert_int_equal(modemem_get(c, "ws_3"), AI_MODE_SHADOW);
    modemem_free(c);
    /* Handed back: forgotten, for everyone who reads the file next. */
    assert_int_equal(modemem_forget(b, "ws_1", &err), 0);
    assert_int_equal(modemem_get(b, "ws_1"), AI_MODE_UNKNOWN);
    c = modemem_open(&err);
    assert_int_equal(modemem_get(c, "ws_1"), AI_MODE_UNKNOWN);
    assert_int_equal(modemem_get(c, "ws_3"), AI_MODE_SHADOW);
    modemem_free(c);
    modemem_free(b);
    modemem_free(a);

    /* A file that is not ours: said, and memory still works. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[1,2,3]", f);
    fclose(f);
    a = modemem_open(&err);
    assert_non_null(err);
    assert_non_null(strstr(err, "is not a file of takeover modes"));
    free(err);
    err = NULL;
    assert_int_equal(modemem_set(a, "ws_4", AI_MODE_SHADOW, 1, &err), -1);
    assert_non_null(err);
    free(err);
    assert_int_equal(modemem_get(a, "ws_4"), AI_MODE_SHADOW);
    text = slurp(path);
    assert_string_equal(text, "[1,2,3]"); /* not overwritten */
    free(text);
    modemem_free(a);
    free(path);
}

static void copy__a_private_file_never_replaced_or_an_osc52_sequence(void **state)
{
    const char *dir = *state;
    copy_out out;
    char *err = NULL;
    assert_true(copy_text(false, "copies", "cust_7-answer", ".md", "hello", 5, &out, &err));
    char *want = xasprintf("%s/aidesk/copies/cust_7-answer.md", dir);
    assert_string_equal(out.path, want);
    free(want);
    assert_null(out.osc52);
    assert_int_equal(out.bytes, 5);
    struct stat st;
    assert_int_equal(stat(out.path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = slurp(out.path);
    assert_string_equal(text, "hello");
    free(text);
    copy_out_clear(&out);
    assert_true(copy_text(false, "copies", "cust_7-answer", ".md", "again", 5, &out, &err));
    assert_non_null(strstr(out.path, "/cust_7-answer-2.md"));
    copy_out_clear(&out);
    assert_true(copy_text(true, "copies", "x", ".txt", "hello", 5, &out, &err));
    assert_null(out.path);
    assert_string_equal(out.osc52, "\033]52;c;aGVsbG8=\a");
    copy_out_clear(&out);
    char *name = copy_safe_name("../cust 7", 60);
    assert_string_equal(name, "_._cust_7");
    free(name);
    name = copy_safe_name(NULL, 60);
    assert_string_equal(name, "copy");
    free(name);
}

TEST_MAIN(cmocka_unit_test(wait__a_customer_in_takeover_waits_from_the_first_unanswered_message),
          cmocka_unit_test(wait__a_figure_changes_when_its_next_unit_comes),
        cmocka_unit_test(wait__the_next_moment_is_a_whole_second_at_or_after_a_change),
          cmocka_unit_test(wait__drafts_wait_for_approval_and_the_longest_wait_is_found),
          cmocka_unit_test(wait__a_workspace_not_in_memory_is_judged_by_its_summary),
          cmocka_unit_test(bell__a_customer_writing_in_takeover_counts_a_history_does_not),
          cmocka_unit_test(order__filters_parse_name_and_match),
          cmocka_unit_test(order__a_frozen_order_keeps_rows_while_activity_moves_them),
          cmocka_unit_test(order__a_conversation_is_found_by_id_title_case_or_unique_prefix),
          cmocka_unit_test(draftctx__a_draft_comes_with_what_it_answers_and_the_last_messages),
          cmocka_unit_test(draftctx__a_draft_is_stale_once_an_answer_came_after_it),
          cmocka_unit_test(notes__a_rejection_leaves_a_note_that_survives_the_bound),
          cmocka_unit_test(notes__our_rejection_says_so_and_a_withdrawal_leaves_no_note),
          cmocka_unit_test(snippet__the_last_answer_skips_notes_and_customers),
          cmocka_unit_test(snippet__code_blocks_come_out_as_written_and_sanitised),
          cmocka_unit_test_setup_teardown(modemem__modes_before_takeovers_are_shared_through_one_file,
                                          state_setup, state_teardown),
          cmocka_unit_test_setup_teardown(copy__a_private_file_never_replaced_or_an_osc52_sequence,
                                          state_setup, state_teardown))
