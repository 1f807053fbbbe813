/* Unit tests for the console model (src/model/model.h): conversations,
 * messages, drafts and the live events applied to them. Pure: no network. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist_events.h"
#include "model/model.h"
#include "model/msgindex.h"
#include "test.h"
#include "util/mem.h"

/* ------------------------------------------------------------- helpers */

/* Decodes and applies one manager event; returns the conversation. */
static conv *apply_at(model *m, const char *type, const char *data, int64_t now, int64_t mono)
{
    char *err = NULL;
    ai_event *ev = ai_event_decode(type, data, strlen(data), "1", &err);
    if (!ev)
        fail_msg("%s: %s", type, err);
    conv *c = model_apply_event(m, ev, now, mono);
    ai_event_free(ev);
    return c;
}

static conv *apply(model *m, const char *type, const char *data)
{
    return apply_at(m, type, data, 1000, 1000);
}

static conv *created(model *m, const char *ws, const char *id, const char *role, const char *text)
{
    char data[1024];
    snprintf(data, sizeof data,
             "{\"workspace_id\":\"%s\",\"message\":{\"id\":\"%s\",\"role\":\"%s\","
             "\"content\":\"%s\"}}",
             ws, id, role, text);
    return apply(m, "message.created", data);
}

static conv *delta(model *m, const char *ws, const char *id, const char *text)
{
    char data[512];
    snprintf(data, sizeof data, "{\"workspace_id\":\"%s\",\"message_id\":\"%s\",\"delta\":\"%s\"}",
             ws, id, text);
    return apply(m, "message.delta", data);
}

static void draft_event(model *m, const char *type, const char *id, const char *ws,
                        const char *created_at, const char *status)
{
    char data[512];
    snprintf(data, sizeof data,
             "{\"draft\":{\"id\":\"%s\",\"workspace_id\":\"%s\",\"content\":\"Draft %s\","
             "\"created_at\":\"%s\",\"status\":\"%s\"}}",
             id, ws, id, created_at, status);
    apply(m, type, data);
}

/* draft.approved without decided_at (the console uses when it heard). */
static void approved_event(model *m, const char *id, const char *ws)
{
    char data[512];
    snprintf(data, sizeof data,
             "{\"draft\":{\"id\":\"%s\",\"workspace_id\":\"%s\",\"content\":\"x\","
             "\"status\":\"approved\"},\"message\":{\"id\":\"msg_%s\",\"role\":\"ai\","
             "\"content\":\"x\"}}",
             id, ws, id);
    apply(m, "draft.approved", data);
}

static conv *workspace(model *m, const char *id, ai_mode mode, const char *status,
                       int64_t activity_ms, int64_t pending)
{
    ai_workspace w;
    memset(&w, 0, sizeof w);
    w.id = (char *)id;
    w.mode = mode;
    w.status = (char *)status;
    w.client_id = NULL;
    w.last_activity_ms = activity_ms;
    w.pending_drafts = pending;
    w.message_count = -1;
    return model_upsert_workspace(m, &w, 1);
}

static ai_message message(const char *id, ai_role role, const char *text)
{
    ai_message am;
    memset(&am, 0, sizeof am);
    am.id = (char *)id;
    am.role = role;
    am.content = (char *)text;
    return am;
}

/* A history listing of the first n of these messages, owned as a decoder
 * returns it. */
static ai_message_list *history(size_t n)
{
    static const struct {
        const char *id;
        ai_role role;
        const char *text;
    } all[] = {{"msg_1", AI_ROLE_USER, "a"}, {"msg_2", AI_ROLE_AI, "b"}, {"msg_3", AI_ROLE_USER, "c"}};
    ai_message_list *l = xcalloc(1, sizeof *l);
    l->items = xcalloc(n, sizeof *l->items);
    for (size_t i = 0; i < n; i++) {
        l->items[i].id = xstrdup(all[i].id);
        l->items[i].role = all[i].role;
        l->items[i].content = xstrdup(all[i].text);
    }
    l->n = n;
    return l;
}

static ai_draft_list *drafts_json(const char *json)
{
    char *err = NULL;
    ai_draft_list *l = ai_decode_mgr_drafts(json, strlen(json), &err);
    if (!l)
        fail_msg("drafts: %s", err);
    return l;
}

/* The draft count of every conversation matches the drafts listed for it. */
static void assert_draft_counts_exact(const model *m)
{
    for (size_t i = 0; i < m->nconvs; i++) {
        size_t n = 0;
        for (size_t k = 0; k < m->ndrafts; k++)
            n += !strcmp(m->drafts[k]->ws_id, m->convs[i]->id);
        if (n != m->convs[i]->drafts)
            fail_msg("%s: %zu drafts counted, %zu listed", m->convs[i]->id, m->convs[i]->drafts, n);
    }
}

static const char *text_of(const msg *mm)
{
    return buf_cstr(&mm->text);
}

/* ---------------------------------------------------------- messages */

static void model__merges_a_message_by_id_instead_of_adding_it_twice(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    ai_message am = message("msg_1", AI_ROLE_AI, "Hello");
    msg *first = conv_upsert(m, c, &am, 10);
    unsigned rev = first->rev;
    am.content = (char *)"Hello again";
    am.approval = (char *)"direct";
    msg *second = conv_upsert(m, c, &am, 20);
    assert_ptr_equal(first, second);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(text_of(second), "Hello again");
    assert_string_equal(second->approval, "direct");
    assert_int_equal(second->state, MSG_FINAL);
    assert_true(second->rev != rev);
    /* The same event again changes nothing visible. */
    created(m, "ws_1", "msg_1", "ai", "Hello again");
    assert_int_equal(c->nmsgs, 1);
    model_free(m);
}

static void model__merges_our_sent_message_with_the_servers_copy_when_the_event_comes_first(
    void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    msg *mine = conv_append_local(c, AI_ROLE_USER, "Where is my order?", 5);
    assert_int_equal(mine->state, MSG_SENDING);
    assert_string_equal(mine->id, "local-1");
    /* The live event names it before the send answers. */
    created(m, "ws_1", "msg_42", "user", "Where is my order?");
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(mine->id, "msg_42");
    assert_int_equal(mine->state, MSG_FINAL);
    assert_null(conv_find_msg(c, "local-1"));
    /* Then the send answer: found by the server id, still one copy. */
    ai_message am = message("msg_42", AI_ROLE_USER, "Where is my order?");
    assert_ptr_equal(conv_upsert(m, c, &am, 6), mine);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->unread, 0);
    model_free(m);
}

static void model__merges_our_sent_message_with_the_servers_copy_when_the_answer_comes_first(
    void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    msg *mine = conv_append_local(c, AI_ROLE_USER, "Hi", 5);
    msg_set_id(c, mine, "msg_7");
    ai_message am = message("msg_7", AI_ROLE_USER, "Hi");
    conv_upsert(m, c, &am, 6);
    assert_int_equal(mine->state, MSG_FINAL);
    created(m, "ws_1", "msg_7", "user", "Hi");
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0]->id, "msg_7");
    model_free(m);
}

static void model__recognises_an_uncertain_message_but_not_an_unsent_one(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    msg *maybe = conv_append_local(c, AI_ROLE_USER, "one", 5);
    msg_set_state(maybe, MSG_UNCERTAIN, "dropped");
    msg *never = conv_append_local(c, AI_ROLE_USER, "two", 5);
    msg_set_state(never, MSG_UNSENT, "refused");
    created(m, "ws_1", "msg_1", "user", "one");
    assert_string_equal(maybe->id, "msg_1");
    assert_int_equal(maybe->state, MSG_FINAL);
    assert_null(maybe->note);
    /* An unsent message certainly did not arrive: a copy is someone else's. */
    created(m, "ws_1", "msg_2", "user", "two");
    assert_int_equal(c->nmsgs, 3);
    assert_string_equal(never->id, "local-2");
    assert_int_equal(never->state, MSG_UNSENT);
    model_free(m);
}

static void model__matches_our_messages_by_role_and_in_order(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_TAKEOVER, "active", 0, -1);
    msg *agent = conv_append_local(c, AI_ROLE_HUMAN, "ok", 5);
    msg *a = conv_append_local(c, AI_ROLE_USER, "ok", 6);
    msg *b = conv_append_local(c, AI_ROLE_USER, "ok", 7);
    created(m, "ws_1", "msg_1", "user", "ok");
    assert_string_equal(a->id, "msg_1");
    assert_string_equal(b->id, "local-3");
    assert_string_equal(agent->id, "local-1");
    created(m, "ws_1", "msg_2", "human", "ok");
    assert_string_equal(agent->id, "msg_2");
    created(m, "ws_1", "msg_3", "user", "ok");
    assert_string_equal(b->id, "msg_3");
    assert_int_equal(c->nmsgs, 3);
    /* An AI message is never taken for ours. */
    msg *c4 = conv_append_local(c, AI_ROLE_USER, "same", 8);
    created(m, "ws_1", "msg_4", "ai", "same");
    assert_int_equal(c->nmsgs, 5);
    assert_int_equal(c4->state, MSG_SENDING);
    model_free(m);
}

static void model__delta_creates_a_streaming_message_that_created_finalises(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    delta(m, "ws_1", "msg_5", "Hel");
    assert_int_equal(c->nmsgs, 1);
    msg *mm = c->msgs[0];
    assert_int_equal(mm->state, MSG_STREAMING);
    assert_int_equal(mm->role, AI_ROLE_AI);
    unsigned rev = mm->rev;
    delta(m, "ws_1", "msg_5", "lo");
    assert_string_equal(text_of(mm), "Hello");
    assert_true(mm->rev != rev);
    created(m, "ws_1", "msg_5", "ai", "Hello, how can I help?");
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(mm->state, MSG_FINAL);
    assert_string_equal(text_of(mm), "Hello, how can I help?");
    /* A late delta does not grow a final message. */
    delta(m, "ws_1", "msg_5", " more");
    assert_string_equal(text_of(mm), "Hello, how can I help?");
    /* A reply that arrives whole (a missed delta) is just added. */
    created(m, "ws_1", "msg_6", "ai", "Whole");
    assert_int_equal(c->nmsgs, 2);
    model_free(m);
}

static void model__history_merge_keeps_order_and_adds_only_what_is_new(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    ai_message_list *l = history(2);
    conv_merge_history(m, c, l, 1);
    assert_true(c->history_loaded);
    assert_int_equal(c->nmsgs, 2);
    /* The texts were taken, not copied. */
    assert_null(l->items[0].content);
    ai_message_list_free(l);
    l = history(3);
    conv_merge_history(m, c, l, 2);
    assert_int_equal(c->nmsgs, 3);
    assert_string_equal(c->msgs[0]->id, "msg_1");
    assert_string_equal(text_of(c->msgs[0]), "a");
    assert_string_equal(text_of(c->msgs[1]), "b");
    assert_string_equal(c->msgs[2]->id, "msg_3");
    assert_string_equal(text_of(c->msgs[2]), "c");
    /* Each message of the listing is cleared once merged, what the model
     * already had too: none of it outlives its turn. */
    for (size_t i = 0; i < l->n; i++)
        assert_true(!l->items[i].id && !l->items[i].content && !l->items[i].created_at);
    ai_message_list_free(l);
    model_free(m);
}

/* ------------------------------------------------------------ unread */

static void model__counts_unread_only_outside_the_viewed_conversation(void **state)
{
    (void)state;
    model *m = model_new();
    conv *seen = workspace(m, "ws_seen", AI_MODE_AI, "active", 0, -1);
    conv *other = workspace(m, "ws_other", AI_MODE_AI, "active", 0, -1);
    model_view(m, seen);
    created(m, "ws_seen", "msg_1", "user", "hi");
    created(m, "ws_other", "msg_2", "user", "hi");
    created(m, "ws_other", "msg_3", "user", "again");
    created(m, "ws_other", "msg_3", "user", "again"); /* a repeat is not news */
    assert_int_equal(seen->unread, 0);
    assert_int_equal(other->unread, 2);
    unsigned rev = m->rev;
    model_view(m, other);
    assert_int_equal(other->unread, 0);
    assert_true(m->rev != rev);
    model_free(m);
}

static void model__does_not_count_a_first_history_load_as_unread(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    created(m, "ws_1", "msg_0", "user", "live before the load");
    assert_int_equal(c->unread, 1);
    ai_message_list *l = history(2);
    conv_merge_history(m, c, l, 1);
    ai_message_list_free(l);
    assert_int_equal(c->unread, 1); /* only what arrived live before */
    l = history(3);
    conv_merge_history(m, c, l, 2);
    ai_message_list_free(l);
    assert_int_equal(c->unread, 2); /* a later poll finding a new one is news */
    model_free(m);
}

static void model__counts_a_streamed_reply_as_unread_once(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    conv *v = workspace(m, "ws_2", AI_MODE_AI, "active", 0, -1);
    model_view(m, v);
    delta(m, "ws_1", "msg_9", "Hel");
    delta(m, "ws_1", "msg_9", "lo");
    created(m, "ws_1", "msg_9", "ai", "Hello");
    assert_int_equal(c->unread, 1);
    delta(m, "ws_2", "msg_10", "Hi");
    created(m, "ws_2", "msg_10", "ai", "Hi");
    assert_int_equal(v->unread, 0);
    model_free(m);
}

/* ------------------------------------------------------------ drafts */

static void model__keeps_drafts_oldest_first(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_1", AI_MODE_SHADOW, "active", 0, -1);
    draft_event(m, "draft.pending", "drf_b", "ws_1", "2026-01-01T00:00:02.000Z", "pending");
    draft_event(m, "draft.pending", "drf_c", "ws_1", "2026-01-01T00:00:03.000Z", "pending");
    draft_event(m, "draft.pending", "drf_a", "ws_1", "2026-01-01T00:00:01.000Z", "pending");
    draft_event(m, "draft.pending", "drf_b", "ws_1", "2026-01-01T00:00:02.000Z", "pending");
    assert_int_equal(m->ndrafts, 3);
    assert_string_equal(m->drafts[0]->id, "drf_a");
    assert_string_equal(m->drafts[1]->id, "drf_b");
    assert_string_equal(m->drafts[2]->id, "drf_c");
    assert_string_equal(m->drafts[0]->content, "Draft drf_a");
    assert_int_equal(m->new_drafts, 3);
    /* A draft already decided is not pending. */
    draft_event(m, "draft.pending", "drf_x", "ws_1", "2026-01-01T00:00:04.000Z", "approved");
    assert_int_equal(m->ndrafts, 3);
    assert_null(model_find_draft(m, "drf_x"));
    /* A fresh listing replaces them and does not ring the bell. */
    m->new_drafts = 0;
    ai_draft_list *l = drafts_json(
        "{\"drafts\":[{\"id\":\"drf_2\",\"workspace_id\":\"ws_1\",\"content\":\"two\","
        "\"created_at\":\"2026-01-01T00:01:00Z\",\"in_reply_to_message\":{\"id\":\"msg_1\","
        "\"role\":\"user\",\"content\":\"question\"}},{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\","
        "\"content\":\"one\",\"created_at\":\"2026-01-01T00:00:30Z\"}]}");
    model_set_drafts(m, l);
    ai_draft_list_free(l);
    assert_int_equal(m->ndrafts, 2);
    assert_string_equal(m->drafts[0]->id, "drf_1");
    assert_string_equal(m->drafts[1]->id, "drf_2");
    assert_string_equal(m->drafts[1]->reply_to, "question");
    assert_null(m->drafts[0]->reply_to);
    assert_int_equal(m->new_drafts, 0);
    model_free(m);
}

static void model__a_live_draft_names_the_message_it_answers(void **state)
{
    (void)state;
    model *m = model_new();
    created(m, "ws_1", "msg_1", "user", "Where is my parcel?");
    apply(m, "draft.pending",
          "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_1\",\"content\":\"On its way\","
          "\"in_reply_to\":\"msg_1\",\"status\":\"pending\"}}");
    apply(m, "draft.pending",
          "{\"draft\":{\"id\":\"drf_2\",\"workspace_id\":\"ws_1\",\"content\":\"?\","
          "\"in_reply_to\":\"msg_unknown\",\"status\":\"pending\"}}");
    assert_string_equal(model_find_draft(m, "drf_1")->reply_to, "Where is my parcel?");
    assert_null(model_find_draft(m, "drf_2")->reply_to);
    model_free(m);
}

static void model__keeps_draft_counts_exact_through_every_change(void **state)
{
    (void)state;
    model *m = model_new();
    conv *a = workspace(m, "ws_a", AI_MODE_SHADOW, "active", 0, 0);
    conv *b = workspace(m, "ws_b", AI_MODE_SHADOW, "active", 0, 0);
    draft_event(m, "draft.pending", "drf_1", "ws_a", "2026-01-01T00:00:01Z", "pending");
    draft_event(m, "draft.pending", "drf_2", "ws_a", "2026-01-01T00:00:02Z", "pending");
    draft_event(m, "draft.pending", "drf_3", "ws_b", "2026-01-01T00:00:03Z", "pending");
    draft_event(m, "draft.pending", "drf_4", "ws_b", "2026-01-01T00:00:04Z", "pending");
    assert_int_equal(a->drafts, 2);
    assert_int_equal(b->drafts, 2);
    assert_draft_counts_exact(m);

    apply(m, "draft.approved",
          "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_a\",\"content\":\"x\","
          "\"status\":\"approved\"},\"message\":{\"id\":\"msg_1\",\"role\":\"ai\","
          "\"content\":\"x\",\"approval\":\"approved\",\"draft_id\":\"drf_1\"}}");
    assert_int_equal(a->drafts, 1);
    assert_int_equal(a->nmsgs, 1);
    assert_string_equal(a->msgs[0]->approval, "approved");
    draft_event(m, "draft.rejected", "drf_2", "ws_a", "2026-01-01T00:00:02Z", "rejected");
    assert_int_equal(a->drafts, 0);
    assert_draft_counts_exact(m);
    /* Deciding an unknown draft, or the same one twice, changes nothing. */
    model_remove_draft(m, "drf_1");
    model_remove_draft(m, "drf_nope");
    assert_int_equal(m->ndrafts, 2);

    /* The listing's count does not override the drafts we know of. */
    workspace(m, "ws_b", AI_MODE_SHADOW, "active", 0, 5);
    assert_int_equal(b->drafts, 2);
    assert_draft_counts_exact(m);

    apply(m, "workspace.ended", "{\"workspace\":{\"id\":\"ws_b\",\"mode\":\"shadow\","
                                "\"status\":\"ended\"}}");
    assert_true(b->ended);
    assert_int_equal(b->drafts, 0);
    assert_int_equal(m->ndrafts, 0);
    assert_draft_counts_exact(m);

    ai_draft_list *l = drafts_json(
        "{\"drafts\":[{\"id\":\"drf_5\",\"workspace_id\":\"ws_a\",\"content\":\"five\"},"
        "{\"id\":\"drf_6\",\"workspace_id\":\"ws_a\",\"content\":\"six\"}]}");
    model_set_drafts(m, l);
    ai_draft_list_free(l);
    assert_int_equal(a->drafts, 2);
    assert_int_equal(b->drafts, 0);
    assert_draft_counts_exact(m);
    model_set_drafts(m, NULL);
    assert_int_equal(a->drafts, 0);
    assert_draft_counts_exact(m);
    model_free(m);
}

static void model__remembers_how_by_whom_and_when_a_draft_left_the_queue(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_a", AI_MODE_SHADOW, "active", 0, 0);
    for (int i = 1; i <= 5; i++) {
        char id[16], at[40];
        snprintf(id, sizeof id, "drf_%d", i);
        snprintf(at, sizeof at, "2026-01-01T00:00:0%dZ", i);
        draft_event(m, "draft.pending", id, "ws_a", at, "pending");
    }
    assert_null(model_draft_fate(m, "drf_1")); /* pending: nothing to tell */

    /* Another manager approved it: the event says when. */
    apply_at(m, "draft.approved",
             "{\"draft\":{\"id\":\"drf_1\",\"workspace_id\":\"ws_a\",\"content\":\"x\","
             "\"status\":\"approved\",\"decided_at\":\"2026-01-01T14:02:00Z\"},\"message\":"
             "{\"id\":\"msg_1\",\"role\":\"ai\",\"content\":\"x\"}}",
             5000, 5000);
    const draft_fate *f = model_draft_fate(m, "drf_1");
    assert_non_null(f);
    assert_int_equal(f->how, DRAFT_END_APPROVED);
    assert_int_equal(f->by, DRAFT_BY_OTHER);
    assert_true(f->at_ms == 1767276120000LL);
    assert_string_equal(f->ws_id, "ws_a");

    /* One we were deciding: unsettled until our answer says. */
    model_find_draft(m, "drf_2")->deciding = true;
    draft_event(m, "draft.rejected", "drf_2", "ws_a", "2026-01-01T00:00:02Z", "rejected");
    f = model_draft_fate(m, "drf_2");
    assert_int_equal(f->how, DRAFT_END_REJECTED);
    assert_int_equal(f->by, DRAFT_BY_UNSETTLED);
    assert_true(f->at_ms == 1000); /* no decided_at: when we heard */
    model_draft_gone(m, "drf_2", NULL, DRAFT_END_REJECTED, DRAFT_BY_US, 7000);
    assert_int_equal(f->by, DRAFT_BY_US);
    assert_true(f->at_ms == 7000);
    /* A later refusal does not undo what our own answer settled. */
    model_draft_gone(m, "drf_2", NULL, DRAFT_END_GONE, DRAFT_BY_OTHER, 0);
    assert_int_equal(f->how, DRAFT_END_REJECTED);
    assert_int_equal(f->by, DRAFT_BY_US);

    /* Our refused request first (409: how unknown), the event after it. */
    model_draft_gone(m, "drf_3", NULL, DRAFT_END_GONE, DRAFT_BY_OTHER, 0);
    f = model_draft_fate(m, "drf_3");
    assert_int_equal(f->how, DRAFT_END_GONE);
    assert_true(f->at_ms == 0);
    assert_null(model_find_draft(m, "drf_3"));
    approved_event(m, "drf_3", "ws_a");
    assert_int_equal(f->how, DRAFT_END_APPROVED);
    assert_int_equal(f->by, DRAFT_BY_OTHER);
    assert_true(f->at_ms == 1000);

    /* An earlier attempt of ours whose answer was lost may be what did it. */
    model_find_draft(m, "drf_4")->maybe_ours = true;
    approved_event(m, "drf_4", "ws_a");
    assert_int_equal(model_draft_fate(m, "drf_4")->by, DRAFT_BY_US_MAYBE);

    /* Ending the workspace withdraws its drafts: reported as such. */
    apply(m, "draft.rejected",
          "{\"draft\":{\"id\":\"drf_5\",\"workspace_id\":\"ws_a\",\"content\":\"x\","
          "\"status\":\"rejected\"},\"reason\":\"workspace ended\"}");
    assert_int_equal(model_draft_fate(m, "drf_5")->how, DRAFT_END_WS_ENDED);
    assert_int_equal(m->ndrafts, 0);
    assert_draft_counts_exact(m);
    model_free(m);
}

static void model__a_draft_missing_from_a_fresh_listing_is_remembered_as_gone(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_a", AI_MODE_SHADOW, "active", 0, 0);
    draft_event(m, "draft.pending", "drf_1", "ws_a", "2026-01-01T00:00:01Z", "pending");
    draft_event(m, "draft.pending", "drf_2", "ws_a", "2026-01-01T00:00:02Z", "pending");
    model_find_draft(m, "drf_2")->deciding = true;
    ai_draft_list *l = drafts_json(
        "{\"drafts\":[{\"id\":\"drf_2\",\"workspace_id\":\"ws_a\",\"content\":\"two\"}]}");
    model_set_drafts(m, l);
    ai_draft_list_free(l);
    assert_int_equal(m->ndrafts, 1);
    assert_int_equal(model_draft_fate(m, "drf_1")->how, DRAFT_END_GONE);
    assert_int_equal(model_draft_fate(m, "drf_1")->by, DRAFT_BY_OTHER);
    /* What we were doing with one still listed survives the listing. */
    assert_true(model_find_draft(m, "drf_2")->deciding);
    /* A draft pending again (a simulator whose ids restarted) is not gone. */
    draft_event(m, "draft.pending", "drf_1", "ws_a", "2026-01-01T00:00:03Z", "pending");
    assert_null(model_draft_fate(m, "drf_1"));
    assert_non_null(model_find_draft(m, "drf_1"));
    model_free(m);
}

static void model__remembers_the_last_drafts_that_left_and_forgets_the_oldest(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_a", AI_MODE_SHADOW, "active", 0, 0);
    char id[32];
    for (int i = 0; i < MODEL_MAX_FATES + 10; i++) {
        snprintf(id, sizeof id, "drf_%d", i);
        model_draft_gone(m, id, "ws_a", DRAFT_END_APPROVED, DRAFT_BY_OTHER, 1000 + i);
    }
    assert_int_equal(m->nfates, MODEL_MAX_FATES);
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "drf_%d", i);
        assert_null(model_draft_fate(m, id));
    }
    for (int i = 10; i < MODEL_MAX_FATES + 10; i++) {
        snprintf(id, sizeof id, "drf_%d", i);
        const draft_fate *f = model_draft_fate(m, id);
        assert_non_null(f);
        assert_true(f->at_ms == 1000 + i);
    }
    /* Without a workspace and not pending, an unknown id is not recorded. */
    model_draft_gone(m, "drf_unknown", NULL, DRAFT_END_GONE, DRAFT_BY_OTHER, 0);
    assert_null(model_draft_fate(m, "drf_unknown"));
    model_free(m);
}

static void model__counts_drafts_loaded_before_their_workspace_is_listed(void **state)
{
    (void)state;
    model *m = model_new();
    /* The drafts answer came before the workspace list. */
    ai_draft_list *l = drafts_json(
        "{\"drafts\":[{\"id\":\"drf_1\",\"workspace_id\":\"ws_late\",\"content\":\"one\"}]}");
    model_set_drafts(m, l);
    ai_draft_list_free(l);
    conv *c = workspace(m, "ws_late", AI_MODE_SHADOW, "active", 0, 1);
    assert_int_equal(c->drafts, 1);
    assert_draft_counts_exact(m);
    /* A workspace we know nothing about takes the listing's count. */
    conv *d = workspace(m, "ws_other", AI_MODE_SHADOW, "active", 0, 3);
    assert_int_equal(d->drafts, 3);
    model_free(m);
}

/* ------------------------------------------------------------ typing */

static void model__shows_typing_until_the_customer_sends_or_it_expires(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    apply_at(m, "typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"Where is\"}",
             1000, 5000);
    assert_string_equal(c->typing, "Where is");
    assert_int_equal(c->typing_ms, 5000);
    apply_at(m, "typing", "{\"workspace_id\":\"ws_1\",\"who\":\"agent\",\"text\":\"Let me\"}",
             1000, 5000);
    assert_string_equal(c->agent_typing, "Let me");
    /* An AI message does not end the customer's preview; theirs does. */
    created(m, "ws_1", "msg_1", "ai", "Hello");
    assert_non_null(c->typing);
    created(m, "ws_1", "msg_2", "user", "Where is my order?");
    assert_null(c->typing);

    /* An empty text clears it. */
    apply_at(m, "typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"x\"}", 1000,
             6000);
    assert_non_null(c->typing);
    apply_at(m, "typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"\"}", 1000,
             6000);
    assert_null(c->typing);

    /* Expiry by age. */
    apply_at(m, "typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"y\"}", 1000,
             7000);
    assert_false(model_expire_typing(m, 7000 + 15000, 15000));
    assert_non_null(c->typing);
    unsigned rev = c->rev;
    assert_true(model_expire_typing(m, 7000 + 15001, 15000));
    assert_null(c->typing);
    assert_null(c->agent_typing);
    assert_true(c->rev != rev);
    assert_false(model_expire_typing(m, 99999, 15000));
    model_free(m);
}

/* ------------------------------------------------- modes, reset, sort */

static void model__follows_mode_changes(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    unsigned rev = m->rev;
    apply(m, "mode.changed", "{\"workspace_id\":\"ws_1\",\"mode\":\"takeover\",\"previous\":\"ai\"}");
    assert_int_equal(c->mode, AI_MODE_TAKEOVER);
    assert_true(m->rev != rev);
    /* A listing without a mode keeps ours. */
    workspace(m, "ws_1", AI_MODE_UNKNOWN, NULL, 0, -1);
    assert_int_equal(c->mode, AI_MODE_TAKEOVER);
    model_free(m);
}

static void model__reset_asks_for_a_reload(void **state)
{
    (void)state;
    model *m = model_new();
    assert_false(m->needs_reload);
    assert_null(apply(m, "reset", "{\"reason\":\"too old\",\"last_event_id\":12}"));
    assert_true(m->needs_reload);
    /* An event type this aidesk does not know is ignored. */
    assert_null(apply(m, "sim.future", "{\"x\":1}"));
    model_free(m);
}

static void model__sorts_by_activity_with_ended_last_and_filters_by_mode(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_old", AI_MODE_AI, "active", 100, -1);
    workspace(m, "ws_ended", AI_MODE_SHADOW, "ended", 900, -1);
    workspace(m, "ws_new", AI_MODE_SHADOW, "active", 500, -1);
    conv *chat = model_new_chat(m, "gpt-4o", 300);
    assert_int_equal(chat->kind, CONV_CHAT);
    assert_true(chat->mine);
    conv *out[8];
    size_t n = model_sorted(m, AI_MODE_UNKNOWN, out, 8);
    assert_int_equal(n, 4);
    assert_string_equal(out[0]->id, "ws_new");
    assert_string_equal(out[1]->id, chat->id);
    assert_string_equal(out[2]->id, "ws_old");
    assert_string_equal(out[3]->id, "ws_ended");

    n = model_sorted(m, AI_MODE_SHADOW, out, 8);
    assert_int_equal(n, 2);
    assert_string_equal(out[0]->id, "ws_new");
    assert_string_equal(out[1]->id, "ws_ended");
    n = model_sorted(m, AI_MODE_AI, out, 8);
    assert_int_equal(n, 1); /* chats only without a filter */
    assert_string_equal(out[0]->id, "ws_old");

    /* A short buffer holds the most recent ones, not the first created. */
    n = model_sorted(m, AI_MODE_UNKNOWN, out, 2);
    assert_int_equal(n, 2);
    assert_string_equal(out[0]->id, "ws_new");
    assert_string_equal(out[1]->id, chat->id);

    /* Activity moves a conversation up. */
    apply_at(m, "message.created",
             "{\"workspace_id\":\"ws_old\",\"message\":{\"id\":\"msg_1\",\"role\":\"user\","
             "\"content\":\"hi\"}}",
             1000, 1);
    n = model_sorted(m, AI_MODE_UNKNOWN, out, 8);
    assert_string_equal(out[0]->id, "ws_old");
    model_free(m);
}

/* Two conversations active in the same millisecond (events handled in
 * one batch): the one that happened last is first, as it would be a
 * millisecond later. */
static void model__of_two_active_in_one_millisecond_the_later_is_first(void **state)
{
    (void)state;
    model *m = model_new();
    workspace(m, "ws_a", AI_MODE_SHADOW, "active", 100, -1);
    workspace(m, "ws_b", AI_MODE_SHADOW, "active", 200, -1);
    conv *out[2];
    apply_at(m, "message.created",
             "{\"workspace_id\":\"ws_b\",\"message\":{\"id\":\"msg_1\",\"role\":\"ai\","
             "\"content\":\"one\"}}",
             5000, 1);
    apply_at(m, "message.created",
             "{\"workspace_id\":\"ws_a\",\"message\":{\"id\":\"msg_2\",\"role\":\"ai\","
             "\"content\":\"two\"}}",
             5000, 1);
    assert_int_equal(model_sorted(m, AI_MODE_UNKNOWN, out, 2), 2);
    assert_string_equal(out[0]->id, "ws_a");
    apply_at(m, "message.delta",
             "{\"workspace_id\":\"ws_b\",\"message_id\":\"msg_3\",\"delta\":\"three\"}", 5000, 1);
    model_sorted(m, AI_MODE_UNKNOWN, out, 2);
    assert_string_equal(out[0]->id, "ws_b");
    model_free(m);
}

/* A workspace first listed after a chat was opened takes its place from
 * the server's last activity, not from when the listing came: a slow
 * listing does not push a quiet workspace above the chat just opened. */
static void model__a_late_listing_places_a_workspace_by_its_last_activity(void **state)
{
    (void)state;
    model *m = model_new();
    conv *chat = model_new_chat(m, "gpt-4o", 300);
    ai_workspace w;
    memset(&w, 0, sizeof w);
    w.id = (char *)"ws_quiet";
    w.mode = AI_MODE_AI;
    w.status = (char *)"active";
    w.last_activity_ms = 100;
    w.pending_drafts = -1;
    w.message_count = -1;
    model_upsert_workspace(m, &w, 5000);
    /* One the server gives no time for is placed when it was heard of. */
    w.id = (char *)"ws_untimed";
    w.last_activity_ms = 0;
    model_upsert_workspace(m, &w, 4000);
    conv *out[4];
    size_t n = model_sorted(m, AI_MODE_UNKNOWN, out, 4);
    assert_int_equal(n, 3);
    assert_string_equal(out[0]->id, "ws_untimed");
    assert_string_equal(out[1]->id, chat->id);
    assert_string_equal(out[2]->id, "ws_quiet");
    model_free(m);
}

static void model__creates_workspaces_it_hears_of_from_events(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = created(m, "ws_new", "msg_1", "user", "hello");
    assert_non_null(c);
    assert_ptr_equal(model_find(m, "ws_new"), c);
    assert_int_equal(c->kind, CONV_WORKSPACE);
    assert_string_equal(c->title, "ws_new");
    assert_int_equal(c->nmsgs, 1);
    draft_event(m, "draft.pending", "drf_1", "ws_drafty", "2026-01-01T00:00:01Z", "pending");
    conv *d = model_find(m, "ws_drafty");
    assert_non_null(d);
    assert_int_equal(d->drafts, 1);
    apply(m, "typing", "{\"workspace_id\":\"ws_typer\",\"who\":\"customer\",\"text\":\"hm\"}");
    assert_string_equal(model_find(m, "ws_typer")->typing, "hm");
    apply(m, "mode.changed", "{\"workspace_id\":\"ws_moder\",\"mode\":\"shadow\"}");
    assert_int_equal(model_find(m, "ws_moder")->mode, AI_MODE_SHADOW);
    delta(m, "ws_delta", "msg_2", "x");
    assert_int_equal(model_find(m, "ws_delta")->nmsgs, 1);
    c = apply(m, "workspace.created", "{\"workspace\":{\"id\":\"ws_full\",\"mode\":\"takeover\","
                                      "\"status\":\"active\",\"client_id\":\"cust_7\"}}");
    assert_string_equal(c->title, "cust_7");
    assert_int_equal(c->mode, AI_MODE_TAKEOVER);
    assert_false(c->ended);
    assert_int_equal(m->nconvs, 6);
    model_free(m);
}

static void model__workspace_end_clears_typing_and_drafts(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_SHADOW, "active", 0, -1);
    apply(m, "typing", "{\"workspace_id\":\"ws_1\",\"who\":\"customer\",\"text\":\"hm\"}");
    draft_event(m, "draft.pending", "drf_1", "ws_1", "2026-01-01T00:00:01Z", "pending");
    apply(m, "workspace.ended", "{\"workspace\":{\"id\":\"ws_1\",\"status\":\"ended\"}}");
    assert_true(c->ended);
    assert_null(c->typing);
    assert_int_equal(c->drafts, 0);
    assert_int_equal(m->ndrafts, 0);
    model_free(m);
}

static void cache_free_count(void *p)
{
    (*(int *)p)++;
}

static void model__removes_a_chat_with_its_messages(void **state)
{
    (void)state;
    model *m = model_new();
    conv *chat = model_new_chat(m, "gpt-4o", 1);
    conv *chat2 = model_new_chat(m, "grok-2", 1);
    assert_string_equal(chat->id, "chat-1");
    assert_string_equal(chat2->id, "chat-2");
    msg *mm = conv_append_local(chat, AI_ROLE_USER, "hi", 1);
    int freed = 0;
    mm->cache = &freed;
    mm->cache_free = cache_free_count;
    model_view(m, chat);
    model_remove(m, chat);
    assert_int_equal(freed, 1);
    assert_null(m->viewed);
    assert_int_equal(m->nconvs, 1);
    assert_null(model_find(m, "chat-1"));
    assert_string_equal(msg_state_name(MSG_UNCERTAIN), "uncertain");
    model_free(m);
}

/* ------------------------------------------------------------ the bound */

/* A customer message in ws at wall time t (the event names it). */
static conv *said(model *m, const char *ws, int n, int64_t t)
{
    char data[512];
    snprintf(data, sizeof data,
             "{\"workspace_id\":\"%s\",\"message\":{\"id\":\"msg_%s_%d\",\"role\":\"user\","
             "\"content\":\"hello %d\"}}",
             ws, ws, n, n);
    return apply_at(m, "message.created", data, t, t);
}

static void ended(model *m, const char *ws, int64_t t)
{
    char data[256];
    snprintf(data, sizeof data, "{\"workspace\":{\"id\":\"%s\",\"status\":\"ended\"}}", ws);
    apply_at(m, "workspace.ended", data, t, t);
}

/* Everything the model keeps about its conversations agrees: the index,
 * the slots, the recent list, and the sidebar's order (checked against a
 * plain comparison of every pair). */
static void assert_consistent(model *m)
{
    assert_int_equal(msgindex_count(m->byid), m->nconvs);
    size_t kept = 0;
    for (size_t i = 0; i < m->nconvs; i++) {
        conv *c = m->convs[i];
        assert_ptr_equal(model_find(m, c->id), c);
        assert_int_equal(c->slot, i);
        kept += c->kept;
        if (c->kind == CONV_CHAT)
            assert_false(c->kept);
        if (!c->history_loaded && c->nmsgs == 0)
            assert_null(c->byid);
    }
    assert_int_equal(kept, m->nkept);
    size_t n = 0;
    const conv *prev = NULL;
    for (const conv *c = m->kept_head; c; prev = c, c = c->kept_next, n++) {
        assert_true(c->kept);
        assert_ptr_equal(c->kept_prev, prev);
        assert_ptr_equal(m->convs[c->slot], c);
    }
    assert_ptr_equal(m->kept_tail, prev);
    assert_int_equal(n, m->nkept);
    conv **out = xcalloc(m->nconvs + 1, sizeof *out);
    size_t k = model_sorted(m, AI_MODE_UNKNOWN, out, m->nconvs);
    assert_int_equal(k, m->nconvs);
    for (size_t i = 0; i + 1 < k; i++) {
        const conv *x = out[i], *y = out[i + 1];
        if (x->ended != y->ended)
            assert_false(x->ended);
        else
            assert_true(x->activity_ms >= y->activity_ms);
    }
    free(out);
}

static void model__keeps_at_most_the_bound_of_workspaces_whole(void **state)
{
    (void)state;
    model *m = model_new();
    model_set_keep(m, 5);
    char ws[32];
    /* A shift in small: 60 customers, each says three things and leaves;
     * every other one stays open. The desk trims after each batch. */
    for (int i = 0; i < 60; i++) {
        snprintf(ws, sizeof ws, "ws_%d", i);
        for (int k = 0; k < 3; k++)
            said(m, ws, k, 1000 + i * 10 + k);
        if (i % 2)
            ended(m, ws, 1000 + i * 10 + 5);
        model_trim(m);
        assert_true(m->nkept <= 5);
        assert_consistent(m);
    }
    /* The five most recent are whole. */
    for (int i = 55; i < 60; i++) {
        snprintf(ws, sizeof ws, "ws_%d", i);
        conv *c = model_find(m, ws);
        assert_non_null(c);
        assert_int_equal(c->nmsgs, 3);
        assert_true(c->kept);
    }
    /* The older ones went: ended ones entirely, live ones down to their
     * summary, which opening loads again. */
    size_t whole = 0, summaries = 0;
    for (int i = 0; i < 55; i++) {
        snprintf(ws, sizeof ws, "ws_%d", i);
        conv *c = model_find(m, ws);
        if (i % 2) {
            assert_null(c);
            continue;
        }
        assert_non_null(c);
        assert_false(c->kept);
        assert_int_equal(c->nmsgs, 0);
        assert_false(c->history_loaded);
        assert_int_equal(c->unread, 3); /* still says there is news */
        summaries++;
        whole += c->nmsgs > 0;
    }
    assert_int_equal(summaries, 28);
    assert_int_equal(whole, 0);
    assert_int_equal(m->nconvs, 5 + 28);
    assert_int_equal(m->evicted, 55);
    model_free(m);
}

static void model__never_lets_a_protected_workspace_go(void **state)
{
    (void)state;
    model *m = model_new();
    model_set_keep(m, 2);
    conv *viewed = said(m, "ws_viewed", 1, 10);
    model_view(m, viewed);
    conv *typed = said(m, "ws_typed", 1, 11);
    m->typed_in = typed;
    conv *drafty = said(m, "ws_drafty", 1, 12);
    draft_event(m, "draft.pending", "drf_1", "ws_drafty", "2026-01-01T00:00:01Z", "pending");
    conv *sending = said(m, "ws_sending", 1, 13);
    conv_append_local(sending, AI_ROLE_USER, "on its way", 13);
    conv *unsent = said(m, "ws_unsent", 1, 14);
    msg_set_state(conv_append_local(unsent, AI_ROLE_USER, "not sent", 14), MSG_UNSENT, "down");
    conv *uncertain = said(m, "ws_uncertain", 1, 15);
    msg_set_state(conv_append_local(uncertain, AI_ROLE_USER, "maybe", 15), MSG_UNCERTAIN, "cut");
    conv *streaming = said(m, "ws_streaming", 1, 16);
    delta(m, "ws_streaming", "msg_reply", "Hel");
    conv *chat = model_new_chat(m, "gpt-4o", 17);
    conv_append_local(chat, AI_ROLE_USER, "hi", 17);
    conv *prot[] = {viewed, typed, drafty, sending, unsent, uncertain, streaming};
    char ws[32];
    for (int i = 0; i < 200; i++) {
        snprintf(ws, sizeof ws, "ws_other_%d", i);
        said(m, ws, 1, 100 + i);
        ended(m, ws, 100 + i);
        model_trim(m);
        /* At most the bound plus the protected ones. */
        assert_true(m->nkept <= 2 + 7);
    }
    for (size_t i = 0; i < sizeof prot / sizeof *prot; i++) {
        assert_ptr_equal(model_find(m, prot[i]->id), prot[i]);
        assert_true(model_is_protected(m, prot[i]));
        assert_true(prot[i]->nmsgs >= 1);
    }
    assert_int_equal(sending->nmsgs, 2);
    assert_int_equal(streaming->nmsgs, 2);
    assert_ptr_equal(model_find(m, "chat-1"), chat);
    assert_int_equal(chat->nmsgs, 1);
    assert_consistent(m);

    /* Once nothing holds it, the one that was on screen may go too. */
    model_view(m, NULL);
    assert_false(model_is_protected(m, viewed));
    said(m, "ws_last", 1, 1000);
    ended(m, "ws_last", 1000);
    said(m, "ws_last2", 1, 1001);
    model_trim(m);
    assert_int_equal(viewed->nmsgs, 0); /* live: its summary stays */
    assert_false(viewed->history_loaded);
    assert_ptr_equal(model_find(m, "ws_viewed"), viewed);
    assert_true(m->nkept <= 2 + 6);
    assert_consistent(m);
    model_free(m);
}

static void model__a_workspace_that_left_comes_back_whole_when_its_history_loads(void **state)
{
    (void)state;
    model *m = model_new();
    model_set_keep(m, 1);
    conv *c = workspace(m, "ws_back", AI_MODE_AI, "active", 5, -1);
    ai_message_list *l = history(3);
    conv_merge_history(m, c, l, 6);
    ai_message_list_free(l);
    assert_int_equal(c->nmsgs, 3);
    said(m, "ws_newer", 1, 100);
    model_trim(m);
    assert_ptr_equal(model_find(m, "ws_back"), c);
    assert_int_equal(c->nmsgs, 0);
    assert_null(conv_find_msg(c, "msg_1"));
    assert_false(c->history_loaded);

    /* Opened again: the history comes back from the server, complete and
     * in order, and it is among the recent ones again. */
    model_view(m, c);
    l = history(3);
    conv_merge_history(m, c, l, 200);
    ai_message_list_free(l);
    assert_true(c->history_loaded);
    assert_int_equal(c->nmsgs, 3);
    assert_string_equal(c->msgs[0]->id, "msg_1");
    assert_string_equal(c->msgs[2]->id, "msg_3");
    assert_ptr_equal(conv_find_msg(c, "msg_2"), c->msgs[1]);
    assert_ptr_equal(m->kept_head, c);
    model_trim(m);
    assert_int_equal(c->nmsgs, 3); /* on screen */
    assert_null(model_find(m, "ws_newer")->msgs); /* it went instead */
    assert_consistent(m);
    model_free(m);
}

static void model__a_live_event_for_a_workspace_that_left_brings_it_back(void **state)
{
    (void)state;
    model *m = model_new();
    model_set_keep(m, 1);
    conv *live = said(m, "ws_live", 1, 10);
    said(m, "ws_gone", 1, 11);
    ended(m, "ws_gone", 12);
    said(m, "ws_other", 1, 20);
    model_trim(m);
    assert_int_equal(live->nmsgs, 0);
    assert_null(model_find(m, "ws_gone"));

    /* A message for the live one: back among the recent ones, holding what
     * the event said; its history is not loaded, so opening it loads it. */
    conv *c = said(m, "ws_live", 2, 30);
    assert_ptr_equal(c, live);
    assert_true(c->kept);
    assert_ptr_equal(m->kept_head, c);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0]->id, "msg_ws_live_2");
    assert_false(c->history_loaded);
    assert_int_equal(c->unread, 2);
    model_trim(m);
    assert_int_equal(c->nmsgs, 1); /* the most recent: kept */
    assert_null(model_find(m, "ws_other")->msgs);

    /* One that left entirely is created again from the event. */
    c = said(m, "ws_gone", 2, 40);
    assert_non_null(c);
    assert_ptr_equal(model_find(m, "ws_gone"), c);
    assert_int_equal(c->nmsgs, 1);
    assert_consistent(m);
    model_free(m);
}

static void model__keeps_order_and_ids_consistent_through_a_long_run(void **state)
{
    (void)state;
    model *m = model_new();
    model_set_keep(m, 20);
    model_new_chat(m, "gpt-4o", 1);
    char ws[32];
    unsigned seed = 7;
    int64_t t = 100;
    /* Customers come and go; old ones speak again now and then; listings
     * bring old workspaces; the person opens some. */
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 8) % 100;
        int who = r < 70 ? i : (int)((seed >> 16) % (unsigned)(i + 1));
        snprintf(ws, sizeof ws, "ws_%d", who);
        t += 3;
        if (r < 80) {
            said(m, ws, i, t);
        } else if (r < 90) {
            ended(m, ws, t);
        } else if (r < 95) {
            workspace(m, ws, AI_MODE_SHADOW, r % 2 ? "active" : "ended", t - 5000, -1);
        } else {
            conv *c = model_find(m, ws);
            if (c)
                model_view(m, c);
        }
        if (i % 3 == 0) {
            model_trim(m);
            assert_true(m->nkept <= 20 + 1);
        }
        if (i % 97 == 0)
            assert_consistent(m);
    }
    model_trim(m);
    assert_consistent(m);
    assert_true(m->evicted > 1000);
    model_free(m);
}

static void model__a_listing_of_the_active_ones_ends_those_it_leaves_out(void **state)
{
    (void)state;
    model *m = model_new();
    conv *listed = workspace(m, "ws_listed", AI_MODE_AI, "active", 10, -1);
    conv *gone = workspace(m, "ws_gone", AI_MODE_AI, "active", 20, -1);
    conv *fresh = said(m, "ws_fresh", 1, 500); /* created after the listing was asked */
    conv *chat = model_new_chat(m, "gpt-4o", 30);
    ai_workspace item;
    memset(&item, 0, sizeof item);
    item.id = (char *)"ws_listed";
    item.status = (char *)"active";
    item.pending_drafts = -1;
    ai_workspace_list l = {&item, 1};
    unsigned rev = m->rev;
    assert_int_equal(model_end_unlisted(m, &l, 400), 1);
    assert_true(gone->ended);
    assert_false(listed->ended);
    assert_false(fresh->ended);
    assert_false(chat->ended);
    assert_true(m->rev != rev);
    assert_int_equal(model_end_unlisted(m, &l, 400), 0);
    model_free(m);
}

/* ------------------------------------------------------------ msgindex */

static void msgindex__agrees_with_a_scan_through_adds_removals_and_renames(void **state)
{
    (void)state;
    enum { N = 3000 };
    msg *all[N];
    bool in[N];
    memset(in, 0, sizeof in);
    msgindex *ix = msgindex_new();
    assert_null(msgindex_get(ix, "msg_0"));
    for (int i = 0; i < N; i++) {
        all[i] = xcalloc(1, sizeof(msg));
        all[i]->id = xasprintf("msg_%d", i);
    }
    unsigned seed = 7;
    for (int round = 0; round < 40000; round++) {
        seed = seed * 1103515245u + 12345u;
        int i = (int)((seed >> 8) % N);
        switch ((seed >> 4) % 4) {
        case 0:
        case 1:
            msgindex_put(ix, all[i]);
            in[i] = true;
            break;
        case 2:
            msgindex_del(ix, all[i]);
            in[i] = false;
            break;
        default: /* renamed while indexed, as msg_set_id does */
            if (in[i]) {
                msgindex_del(ix, all[i]);
                free(all[i]->id);
                all[i]->id = xasprintf("srv_%d_%d", i, round);
                msgindex_put(ix, all[i]);
            }
            break;
        }
        if (round % 1000 == 0 || round == 39999) {
            size_t n = 0;
            for (int k = 0; k < N; k++) {
                assert_ptr_equal(msgindex_get(ix, all[k]->id), in[k] ? all[k] : NULL);
                n += in[k];
            }
            assert_int_equal(msgindex_count(ix), n);
        }
    }
    /* One put again under the same id replaces, it does not add. */
    size_t n = msgindex_count(ix);
    msgindex_put(ix, all[0]);
    msgindex_put(ix, all[0]);
    assert_int_equal(msgindex_count(ix), n + !in[0]);
    msgindex_free(ix);
    for (int i = 0; i < N; i++) {
        free(all[i]->id);
        free(all[i]);
    }
}

static void model__a_long_history_merges_and_finds_every_message(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    /* One of ours on its way: the merge recognises it among thousands. */
    msg *ours = conv_append_local(c, AI_ROLE_HUMAN, "on its way", 1);
    enum { N = 5000 };
    ai_message_list *l = xcalloc(1, sizeof *l);
    l->items = xcalloc(N, sizeof *l->items);
    l->n = N;
    for (int i = 0; i < N; i++) {
        l->items[i].id = xasprintf("msg_%d", i);
        l->items[i].role = i == N - 1 ? AI_ROLE_HUMAN : (i % 2 ? AI_ROLE_AI : AI_ROLE_USER);
        l->items[i].content = i == N - 1 ? xstrdup("on its way") : xasprintf("text %d", i);
    }
    conv_merge_history(m, c, l, 2);
    ai_message_list_free(l);
    assert_int_equal(c->nmsgs, N);
    assert_string_equal(ours->id, "msg_4999");
    for (int i = 0; i < N; i += 7) {
        char id[32], text[32];
        snprintf(id, sizeof id, "msg_%d", i);
        snprintf(text, sizeof text, "text %d", i);
        msg *mm = conv_find_msg(c, id);
        assert_non_null(mm);
        if (i != N - 1)
            assert_string_equal(text_of(mm), text);
    }
    conv_remove_msg(c, conv_find_msg(c, "msg_10"));
    assert_null(conv_find_msg(c, "msg_10"));
    assert_non_null(conv_find_msg(c, "msg_11"));
    assert_int_equal(c->nmsgs, N - 1);
    model_free(m);
}

/* ------------------------------------------------------------ the window */

/* Messages m<from> .. m<to - 1>, as the server lists them. */
static ai_message_list *span(int from, int to)
{
    ai_message_list *l = xcalloc(1, sizeof *l);
    l->items = xcalloc((size_t)(to - from) + 1, sizeof *l->items);
    for (int i = from; i < to; i++) {
        ai_message *am = &l->items[l->n++];
        am->id = xasprintf("m%d", i);
        am->role = i % 2 ? AI_ROLE_AI : AI_ROLE_USER;
        am->content = xasprintf("text %d", i);
        am->created_ms = 1000 + i;
    }
    return l;
}

static void merge_window(model *m, conv *c, int from, int to, const ai_hist_pos *pos,
                         const char *asked)
{
    ai_message_list *l = span(from, to);
    conv_merge_window(m, c, l, pos, asked, 5);
    ai_message_list_free(l);
}

/* c holds m<from> .. m<to - 1>, in that order, each once. */
static void holds(const conv *c, int from, int to)
{
    assert_int_equal(c->nmsgs, (size_t)(to - from));
    for (int i = from; i < to; i++) {
        char id[16], text[24];
        snprintf(id, sizeof id, "m%d", i);
        snprintf(text, sizeof text, "text %d", i);
        assert_string_equal(c->msgs[i - from]->id, id);
        assert_string_equal(text_of(c->msgs[i - from]), text);
        assert_ptr_equal(conv_find_msg(c, id), c->msgs[i - from]);
    }
}

static void model__a_window_knows_how_many_come_before_and_grows_back_in_order(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    /* The newest 1,000 of 3,000. */
    ai_hist_pos pos = {3000, 2000, false, 0};
    merge_window(m, c, 2000, 3000, &pos, NULL);
    assert_true(c->history_loaded);
    holds(c, 2000, 3000);
    assert_int_equal(c->older, 2000);
    assert_int_equal(c->unread, 0);
    /* A live message is appended: older stays. */
    created(m, "ws_1", "m3000", "user", "text 3000");
    assert_int_equal(c->older, 2000);
    holds(c, 2000, 3001);
    /* The 1,000 before the first held, put before it, in order. */
    size_t unread = c->unread;
    ai_message_list *l = span(1000, 2000);
    pos = (ai_hist_pos){3001, 1000, true, 2000};
    assert_true(conv_prepend_history(m, c, l, &pos, "m2000", 5));
    ai_message_list_free(l);
    holds(c, 1000, 3001);
    assert_int_equal(c->older, 1000);
    assert_int_equal(c->unread, unread); /* old news is no news */
    /* An answer placed against what is no longer the first held: nothing. */
    l = span(0, 1000);
    pos = (ai_hist_pos){3001, 0, true, 1000};
    assert_false(conv_prepend_history(m, c, l, &pos, "m2000", 5));
    holds(c, 1000, 3001);
    assert_int_equal(c->older, 1000);
    ai_message_list_free(l);
    /* One that lists again what is held is held once. */
    l = span(0, 1001);
    pos = (ai_hist_pos){3001, 0, true, 1000};
    assert_true(conv_prepend_history(m, c, l, &pos, "m1000", 5));
    ai_message_list_free(l);
    holds(c, 0, 3001);
    assert_int_equal(c->older, 0);
    /* The newest window again (a reload): placed against m0, which the
     * server lists first; what was loaded stays. */
    pos = (ai_hist_pos){3001, 2001, true, 0};
    merge_window(m, c, 2001, 3001, &pos, "m0");
    holds(c, 0, 3001);
    assert_int_equal(c->older, 0);
    /* The bound lets it go: older with it. */
    model_set_keep(m, 0);
    model_trim(m);
    assert_int_equal(c->nmsgs, 0);
    assert_false(c->history_loaded);
    assert_int_equal(c->older, 0);
    model_free(m);
}

static void model__a_window_that_does_not_meet_what_is_held_replaces_it(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    ai_hist_pos pos = {3000, 2000, false, 0};
    merge_window(m, c, 2000, 3000, &pos, NULL);
    msg *ours = conv_append_local(c, AI_ROLE_USER, "on its way", 9);
    /* Away for long: 2,000 more since. The window is past what is held,
     * with a gap between: what is held goes, ours in flight stays. */
    pos = (ai_hist_pos){5000, 4000, true, 2000};
    merge_window(m, c, 4000, 5000, &pos, "m2000");
    assert_int_equal(c->nmsgs, 1001);
    assert_ptr_equal(c->msgs[0], ours);
    assert_string_equal(c->msgs[1]->id, "m4000");
    assert_null(conv_find_msg(c, "m2999"));
    assert_int_equal(c->older, 4000);
    /* The first held is no longer listed at all: replaced too. */
    pos = (ai_hist_pos){20, 10, false, 0};
    merge_window(m, c, 10, 20, &pos, "m4000");
    assert_int_equal(c->nmsgs, 11);
    assert_string_equal(c->msgs[1]->id, "m10");
    assert_int_equal(c->older, 10);
    model_free(m);
}

static void model__live_messages_before_the_history_stay_after_it(void **state)
{
    (void)state;
    model *m = model_new();
    conv *c = workspace(m, "ws_1", AI_MODE_AI, "active", 0, -1);
    created(m, "ws_1", "m2999", "ai", "text 2999");
    /* The window reaches back past the live message: the rest goes
     * before it, in the server's order. */
    ai_hist_pos pos = {3000, 2000, true, 2999};
    merge_window(m, c, 2000, 3000, &pos, "m2999");
    holds(c, 2000, 3000);
    assert_int_equal(c->older, 2000);
    /* One that arrives live while the first window is on its way (asked
     * for when nothing was held) goes after it. */
    conv *d = workspace(m, "ws_2", AI_MODE_AI, "active", 0, -1);
    created(m, "ws_2", "m3000", "user", "text 3000");
    pos = (ai_hist_pos){3000, 2000, false, 0};
    merge_window(m, d, 2000, 3000, &pos, NULL);
    holds(d, 2000, 3001);
    assert_int_equal(d->older, 2000);
    /* A whole listing: nothing before it. */
    ai_message_list *l = span(0, 3000);
    conv_merge_history(m, c, l, 5);
    ai_message_list_free(l);
    holds(c, 0, 3000);
    assert_int_equal(c->older, 0);
    /* Forgetting it: as the bound would. */
    conv_forget_history(m, c);
    assert_int_equal(c->nmsgs, 0);
    assert_false(c->history_loaded);
    assert_consistent(m);
    model_free(m);
}

TEST_MAIN(cmocka_unit_test(model__merges_a_message_by_id_instead_of_adding_it_twice),
          cmocka_unit_test(model__a_window_knows_how_many_come_before_and_grows_back_in_order),
          cmocka_unit_test(model__a_window_that_does_not_meet_what_is_held_replaces_it),
          cmocka_unit_test(model__live_messages_before_the_history_stay_after_it),
          cmocka_unit_test(
              model__merges_our_sent_message_with_the_servers_copy_when_the_event_comes_first),
          cmocka_unit_test(
              model__merges_our_sent_message_with_the_servers_copy_when_the_answer_comes_first),
          cmocka_unit_test(model__recognises_an_uncertain_message_but_not_an_unsent_one),
          cmocka_unit_test(model__matches_our_messages_by_role_and_in_order),
          cmocka_unit_test(model__delta_creates_a_streaming_message_that_created_finalises),
          cmocka_unit_test(model__history_merge_keeps_order_and_adds_only_what_is_new),
          cmocka_unit_test(model__counts_unread_only_outside_the_viewed_conversation),
          cmocka_unit_test(model__does_not_count_a_first_history_load_as_unread),
          cmocka_unit_test(model__counts_a_streamed_reply_as_unread_once),
          cmocka_unit_test(model__keeps_drafts_oldest_first),
          cmocka_unit_test(model__a_live_draft_names_the_message_it_answers),
          cmocka_unit_test(model__keeps_draft_counts_exact_through_every_change),
          cmocka_unit_test(model__counts_drafts_loaded_before_their_workspace_is_listed),
          cmocka_unit_test(model__remembers_how_by_whom_and_when_a_draft_left_the_queue),
          cmocka_unit_test(model__a_draft_missing_from_a_fresh_listing_is_remembered_as_gone),
          cmocka_unit_test(model__remembers_the_last_drafts_that_left_and_forgets_the_oldest),
          cmocka_unit_test(model__shows_typing_until_the_customer_sends_or_it_expires),
          cmocka_unit_test(model__follows_mode_changes),
          cmocka_unit_test(model__reset_asks_for_a_reload),
          cmocka_unit_test(model__sorts_by_activity_with_ended_last_and_filters_by_mode),
          cmocka_unit_test(model__a_late_listing_places_a_workspace_by_its_last_activity),
          cmocka_unit_test(model__of_two_active_in_one_millisecond_the_later_is_first),
          cmocka_unit_test(model__creates_workspaces_it_hears_of_from_events),
          cmocka_unit_test(model__workspace_end_clears_typing_and_drafts),
          cmocka_unit_test(model__removes_a_chat_with_its_messages),
          cmocka_unit_test(msgindex__agrees_with_a_scan_through_adds_removals_and_renames),
          cmocka_unit_test(model__a_long_history_merges_and_finds_every_message),
          cmocka_unit_test(model__keeps_at_most_the_bound_of_workspaces_whole),
          cmocka_unit_test(model__never_lets_a_protected_workspace_go),
          cmocka_unit_test(model__a_workspace_that_left_comes_back_whole_when_its_history_loads),
          cmocka_unit_test(model__a_live_event_for_a_workspace_that_left_brings_it_back),
          cmocka_unit_test(model__keeps_order_and_ids_consistent_through_a_long_run),
          cmocka_unit_test(model__a_listing_of_the_active_ones_ends_those_it_leaves_out))
