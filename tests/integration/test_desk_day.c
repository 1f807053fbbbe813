/* Integration tests: the support team's day in the console's controller
 * (src/desk/desk.h) against the simulator, without a screen: the bell and
 * waiting times, reading a draft before approving it and stale drafts,
 * rejection notes and asking the AI again, handing back to the mode before
 * a takeover (across a restart too), the undo window, status messages tied
 * to a state, and copying. */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "deskh.h"
#include "model/notes.h"
#include "simproc.h"
#include "slurp.h"
#include "test.h"
#include "util/log.h"
#include "util/mem.h"
#include "xdgtmp.h"

static simproc sim; /* shared by the tests that need nothing special */
static char xdg[256];

/* ------------------------------------------------------ waits and bell */

static void day__a_customer_in_takeover_rings_and_waits_by_the_servers_time_after_a_restart(
    void **state)
{
    (void)state;
    simproc own; /* alone on it: the longest wait is this test's */
    const char *args[] = {"--speed", "10", NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    harness h;
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    model *m = desk_model(h.desk);
    char *ws = cust_create(&own, "takeover", NULL);
    WAIT_FOR(&h, 10000, model_find(m, ws) != NULL);
    conv *c = model_find(m, ws);
    desk_take_bell(h.desk);
    cust_send(&own, ws, "Is anyone there?");
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_USER, "Is anyone there?") != NULL);
    /* The bell rings once for it (drafts and takeover by default). */
    assert_true(desk_take_bell(h.desk));
    assert_false(desk_take_bell(h.desk));
    wait_info w;
    bool late = true;
    assert_true(desk_wait(h.desk, c, clock_wall_ms(), &w, &late));
    assert_int_equal(w.what, WAIT_HUMAN);
    int64_t first = find_msg(c, AI_ROLE_USER, "Is anyone there?")->at_ms;
    assert_true(w.since_ms == first);
    assert_false(late);
    /* Late after late_after (120 s by default). */
    desk_wait(h.desk, c, first + 121000, &w, &late);
    assert_true(late);
    assert_ptr_equal(desk_longest_wait(h.desk, &w), c);
    /* bell = drafts: a customer in takeover no longer rings. */
    h.cfg->bell = CONFIG_BELL_DRAFTS;
    cust_send(&own, ws, "Hello??");
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_USER, "Hello??") != NULL);
    assert_false(desk_take_bell(h.desk));
    int64_t second = find_msg(c, AI_ROLE_USER, "Hello??")->at_ms;
    h_free(&h);

    /* After a restart: from the listing, at least since the last message;
     * once the history is in, since the first unanswered one. */
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    m = desk_model(h.desk);
    WAIT_FOR(&h, 10000, model_find(m, ws) != NULL);
    c = model_find(m, ws);
    assert_true(desk_wait(h.desk, c, clock_wall_ms(), &w, NULL));
    assert_true(w.since_ms == second);
    desk_open(h.desk, c);
    WAIT_FOR(&h, 10000, c->history_loaded);
    desk_wait(h.desk, c, clock_wall_ms(), &w, NULL);
    assert_true(w.since_ms == first);
    /* A human answers: nobody waits any more. */
    desk_send(h.desk, c, "I am here, sorry for the wait.", true);
    WAIT_FOR(&h, 10000, !desk_wait(h.desk, c, clock_wall_ms(), &w, NULL));
    assert_null(desk_longest_wait(h.desk, NULL));
    h_free(&h);
    free(ws);
    simproc_stop(&own);
}

/* ------------------------------------------- reading and stale drafts */

static bool is_stale(harness *h, const char *draft_id)
{
    char *why = desk_draft_stale_why(h->desk, draft_id);
    bool stale = why != NULL;
    free(why);
    return stale;
}

static void day__a_draft_is_read_in_its_conversation_and_a_stale_one_needs_a_confirmation(
    void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    model *m = desk_model(h.desk);
    char *ws = cust_create(&sim, "shadow", NULL);
    cust_send(&sim, ws, "Can I get a refund for order 12?");
    WAIT_FOR(&h, 10000, draft_for(m, ws) != NULL);
    assert_true(desk_take_bell(h.desk)); /* a new draft rings */
    char *id = xstrdup(draft_of(m, ws)->id);
    conv *c = model_find(m, ws);
    /* Never opened: reading the draft loads its conversation, without
     * putting it on screen. */
    draft_ctx x;
    assert_false(desk_draft_ctx(h.desk, "drf_nope", 5, &x));
    assert_true(desk_draft_ctx(h.desk, id, 5, &x));
    draft_ctx_clear(&x);
    WAIT_FOR(&h, 10000, c->history_loaded);
    assert_true(desk_draft_ctx(h.desk, id, 5, &x));
    assert_true(x.complete);
    assert_ptr_equal(x.c, c);
    assert_non_null(x.answers);
    assert_string_equal(buf_cstr(&x.answers->text), "Can I get a refund for order 12?");
    assert_int_equal(x.nrecent, 1);
    assert_int_equal(x.after, 0);
    assert_true(strlen(x.d->content) > 0);
    assert_false(x.stale.stale);
    assert_null(m->viewed);
    draft_ctx_clear(&x);
    assert_null(desk_draft_stale_why(h.desk, id));

    /* A human answers meanwhile: the draft is stale. */
    desk_send(h.desk, c, "Refund issued, it shows in 3 days.", true);
    WAIT_FOR(&h, 10000, is_stale(&h, id));
    char *why = desk_draft_stale_why(h.desk, id);
    char re[300];
    snprintf(re, sizeof re, "^was written before %s got a human answer at [0-9]{2}:[0-9]{2}$",
             c->title);
    regex_t rx;
    assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
    if (regexec(&rx, why, 0, NULL, 0) != 0)
        fail_msg("\"%s\" is not /%s/", why, re);
    regfree(&rx);
    free(why);
    assert_true(desk_draft_ctx(h.desk, id, 5, &x));
    assert_true(x.stale.stale && x.stale.by_human);
    draft_ctx_clear(&x);
    char path[200];
    snprintf(path, sizeof path, "/api/manager/drafts/%s/approve", id);
    assert_false(desk_approve_id(h.desk, id, NULL));
    assert_true(desk_get_status(h.desk)->flash_is_error);
    snprintf(re, sizeof re,
             "^that draft was written before %s got a human answer at [0-9]{2}:[0-9]{2}: it may "
             "repeat or contradict that answer; approve it anyway to send it; nothing was sent$",
             c->title);
    assert_flash_matches(&h, re);
    pump_for(&h, 300);
    assert_int_equal(stat_count(&sim, path), 0);
    assert_non_null(model_find_draft(m, id));
    /* Approved anyway, it goes. */
    assert_true(desk_approve_ex(h.desk, id, NULL, DESK_APPROVE_ANYWAY));
    WAIT_FOR(&h, 10000, !model_find_draft(m, id) && count_msgs(c, AI_ROLE_AI, NULL) == 1);
    assert_int_equal(stat_count(&sim, path), 1);
    assert_int_equal(history_count(&sim, ws, NULL), 3);
    free(id);
    free(ws);
    h_free(&h);
}

/* ------------------------------------------ rejections and asking again */

static const msg *note_of(const conv *c, const char *draft_id)
{
    char id[120];
    snprintf(id, sizeof id, NOTE_ID_PREFIX "%s", draft_id);
    return conv_find_msg(c, id);
}

static void day__a_rejection_leaves_a_note_and_the_ai_can_be_asked_again(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    model *m = desk_model(h.desk);
    conv *c = h_create(&h, "shadow", NULL);
    cust_send(&sim, c->id, "My parcel never came");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) != NULL);
    char *d1 = xstrdup(draft_of(m, c->id)->id);
    /* Another manager rejects it. */
    decide_elsewhere(&sim, d1, "reject", "too vague");
    WAIT_FOR(&h, 10000, note_of(c, d1) != NULL);
    const msg *n = note_of(c, d1);
    assert_int_equal(n->kind, MSG_KIND_NOTE);
    assert_string_equal(n->notice->reason, "too vague");
    assert_int_equal(n->notice->by, DRAFT_BY_OTHER);
    assert_non_null(n->notice->draft_text);
    assert_non_null(strstr(buf_cstr(&n->text), "rejected by another manager at "));
    assert_int_equal(history_count(&sim, c->id, NULL), 1); /* nothing was sent */

    /* This console rejects the next one. */
    cust_send(&sim, c->id, "Hello?");
    WAIT_FOR(&h, 10000, draft_for(m, c->id) != NULL);
    char *d2 = xstrdup(draft_of(m, c->id)->id);
    char *text2 = xstrdup(draft_of(m, c->id)->content);
    desk_reject(h.desk, draft_of(m, c->id), "wrong tone");
    WAIT_FOR(&h, 10000, note_of(c, d2) != NULL && !draft_for(m, c->id));
    pump_for(&h, 300); /* the event after our answer changes nothing */
    n = note_of(c, d2);
    assert_int_equal(n->notice->by, DRAFT_BY_US);
    assert_string_equal(n->notice->reason, "wrong tone");
    assert_non_null(strstr(buf_cstr(&n->text), "rejected from this console at "));
    size_t notes = 0;
    for (size_t i = 0; i < c->nmsgs; i++)
        notes += msg_is_note(c->msgs[i]);
    assert_int_equal(notes, 2);

    /* Ask the AI again: a new, different draft waits. */
    assert_true(desk_ask_ai_again(h.desk, c, "be warmer"));
    WAIT_FOR(&h, 15000, draft_for(m, c->id) != NULL);
    const draft *d3 = draft_of(m, c->id);
    assert_string_not_equal(d3->id, d2);
    assert_string_not_equal(d3->content, text2);
    assert_string_equal(d3->reply_to, "Hello?");
    WAIT_FOR(&h, 5000, desk_get_status(h.desk)->flash &&
                           strstr(desk_get_status(h.desk)->flash, "waits for approval"));
    assert_int_equal(m->ndrafts >= 1, 1);
    size_t mine = 0;
    for (size_t i = 0; i < m->ndrafts; i++)
        mine += !strcmp(m->drafts[i]->ws_id, c->id);
    assert_int_equal(mine, 1); /* the answer and the event make one draft */
    free(d1);
    free(d2);
    free(text2);
    h_free(&h);

    /* A server without the call: said in words. */
    simproc own;
    const char *args[] = {"--speed", "10", "--no-manager", NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    c = h_create(&h, "takeover", "Hi there");
    assert_true(desk_ask_ai_again(h.desk, c, NULL));
    WAIT_FOR(&h, 10000, desk_get_status(h.desk)->flash &&
                            strstr(desk_get_status(h.desk)->flash, "cannot ask the AI again"));
    assert_flash_matches(&h, "^this server cannot ask the AI again \\(it has no regenerate call\\): "
                             "reply as a human or take over$");
    h_free(&h);
    simproc_stop(&own);
}

/* ------------------------------------------------------ handing back */

static void day__handing_back_returns_to_the_mode_before_the_takeover_even_after_a_restart(
    void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = h_create(&h, "shadow", NULL);
    assert_int_equal(desk_mode_before_takeover(h.desk, c), AI_MODE_UNKNOWN);
    desk_set_mode(h.desk, c, AI_MODE_TAKEOVER);
    WAIT_FOR(&h, 10000, c->mode == AI_MODE_TAKEOVER);
    WAIT_FOR(&h, 5000, desk_mode_before_takeover(h.desk, c) == AI_MODE_SHADOW);
    desk_handback(h.desk, c);
    WAIT_FOR(&h, 10000, c->mode == AI_MODE_SHADOW);
    pump_for(&h, 200);
    assert_int_equal(desk_mode_before_takeover(h.desk, c), AI_MODE_UNKNOWN); /* handed back */

    /* Taken over again, then the console restarts. */
    desk_set_mode(h.desk, c, AI_MODE_TAKEOVER);
    WAIT_FOR(&h, 10000, c->mode == AI_MODE_TAKEOVER &&
                            desk_mode_before_takeover(h.desk, c) == AI_MODE_SHADOW);
    char *ws = xstrdup(c->id);
    h_free(&h);
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    model *m = desk_model(h.desk);
    WAIT_FOR(&h, 10000, model_find(m, ws) != NULL);
    c = model_find(m, ws);
    assert_int_equal(c->mode, AI_MODE_TAKEOVER);
    assert_int_equal(desk_mode_before_takeover(h.desk, c), AI_MODE_SHADOW);
    desk_handback(h.desk, c);
    WAIT_FOR(&h, 10000, c->mode == AI_MODE_SHADOW);

    /* Another manager's takeover: its event tells this console. */
    harness other;
    h_init(&other, sim.base_url, AGENT_KEY, 0);
    h_start(&other);
    WAIT_FOR(&other, 10000, model_find(desk_model(other.desk), ws) != NULL);
    desk_set_mode(other.desk, model_find(desk_model(other.desk), ws), AI_MODE_TAKEOVER);
    WAIT_FOR(&h, 10000, c->mode == AI_MODE_TAKEOVER);
    assert_int_equal(desk_mode_before_takeover(h.desk, c), AI_MODE_SHADOW);
    h_free(&other);

    /* A workspace taken over from its start: back to the AI, said so. */
    conv *t = h_create(&h, "takeover", NULL);
    desk_handback(h.desk, t);
    assert_flash_matches(&h, "is not known: handing it back to the AI$");
    WAIT_FOR(&h, 10000, t->mode == AI_MODE_AI);
    desk_handback(h.desk, t);
    assert_flash_matches(&h, "is not taken over \\(it is in ai mode\\): nothing to hand back$");
    free(ws);
    h_free(&h);
}

/* ---------------------------------------------------- the undo window */

static void day__a_reply_and_an_approval_wait_in_the_undo_window_and_can_be_taken_back(
    void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 1500);
    h_start(&h);
    model *m = desk_model(h.desk);
    conv *c = h_create(&h, "takeover", "Hello?");
    char path[200];
    snprintf(path, sizeof path, "/api/manager/workspaces/%s/reply", c->id);
    desk_send(h.desk, c, "Let me check.", true);
    msg *mm = find_msg(c, AI_ROLE_HUMAN, "Let me check.");
    assert_non_null(mm);
    assert_true(mm->held);
    assert_int_equal(mm->state, MSG_SENDING);
    assert_int_equal(unsent_count(), 1); /* on disk from the start */
    desk_held_info hi;
    assert_true(desk_held_find(h.desk, 0, clock_mono_ms(), &hi));
    assert_int_equal(hi.kind, DESK_HELD_REPLY);
    assert_string_equal(hi.msg_id, mm->id);
    assert_string_equal(hi.text, "Let me check.");
    assert_true(hi.left_ms > 0 && hi.left_ms <= 1500);
    long t = desk_next_timer_ms(h.desk, clock_mono_ms());
    assert_true(t >= 0 && t <= 1500);
    pump_for(&h, 300);
    assert_int_equal(stat_count(&sim, path), 0);
    /* Taken back: gone from the conversation and the disk, text returned. */
    char *text = NULL;
    assert_true(desk_undo(h.desk, hi.id, &text));
    assert_string_equal(text, "Let me check.");
    free(text);
    assert_null(find_msg(c, AI_ROLE_HUMAN, "Let me check."));
    assert_int_equal(unsent_count(), 0);
    assert_false(desk_undo(h.desk, hi.id, NULL));
    assert_int_equal(desk_held_count(h.desk), 0);
    pump_for(&h, 1800);
    assert_int_equal(stat_count(&sim, path), 0);
    assert_int_equal(history_count(&sim, c->id, "Let me check."), 0);

    /* Left alone, it goes out once the window closes, once. */
    desk_send(h.desk, c, "Checking now.", true);
    mm = find_msg(c, AI_ROLE_HUMAN, "Checking now.");
    assert_non_null(mm->idem_key); /* fixed at the press */
    WAIT_FOR(&h, 5000, mm->state == MSG_FINAL);
    assert_false(mm->held);
    assert_int_equal(stat_count(&sim, path), 1);
    assert_int_equal(history_count(&sim, c->id, "Checking now."), 1);
    assert_int_equal(unsent_count(), 0);

    /* An approval waits too: the draft stays in the queue meanwhile. */
    conv *s = h_create(&h, "shadow", NULL);
    cust_send(&sim, s->id, "Refund please");
    WAIT_FOR(&h, 10000, draft_for(m, s->id) != NULL);
    char *id = xstrdup(draft_of(m, s->id)->id);
    snprintf(path, sizeof path, "/api/manager/drafts/%s/approve", id);
    assert_true(desk_approve_id(h.desk, id, NULL));
    assert_true(desk_held_for_draft(h.desk, id, clock_mono_ms(), &hi));
    assert_int_equal(hi.kind, DESK_HELD_APPROVE);
    char *why = desk_draft_why_not(h.desk, id);
    assert_non_null(why);
    assert_non_null(strstr(why, "is held for approval by this console: it goes out in "));
    free(why);
    assert_false(desk_approve_id(h.desk, id, NULL)); /* not twice */
    assert_true(desk_undo(h.desk, 0, NULL));
    assert_flash_matches(&h, "^approval taken back: nothing was sent; the draft still waits$");
    pump_for(&h, 1800);
    assert_int_equal(stat_count(&sim, path), 0);
    assert_non_null(model_find_draft(m, id));
    /* Sent at once on request. */
    assert_true(desk_approve_id(h.desk, id, NULL));
    assert_true(desk_send_now(h.desk, 0));
    WAIT_FOR(&h, 10000, !model_find_draft(m, id));
    assert_int_equal(stat_count(&sim, path), 1);
    assert_int_equal(history_count(&sim, s->id, NULL), 2);
    free(id);
    h_free(&h);
}

static void day__quitting_in_the_undo_window_sends_nothing_and_keeps_the_reply(void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 5000);
    h_start(&h);
    model *m = desk_model(h.desk);
    conv *c = h_create(&h, "takeover", "Anyone?");
    char *ws = xstrdup(c->id);
    conv *s = h_create(&h, "shadow", NULL);
    char *sws = xstrdup(s->id);
    cust_send(&sim, sws, "Refund please");
    WAIT_FOR(&h, 10000, draft_for(m, sws) != NULL);
    char *id = xstrdup(draft_of(m, sws)->id);
    desk_send(h.desk, c, "Not sent yet", true);
    assert_true(desk_approve_id(h.desk, id, NULL));
    assert_int_equal(desk_held_count(h.desk), 2);
    h_free(&h); /* quits within the window */

    char rpath[200], apath[200];
    snprintf(rpath, sizeof rpath, "/api/manager/workspaces/%s/reply", ws);
    snprintf(apath, sizeof apath, "/api/manager/drafts/%s/approve", id);
    assert_int_equal(stat_count(&sim, rpath), 0);
    assert_int_equal(stat_count(&sim, apath), 0);
    assert_int_equal(unsent_count(), 1);

    /* The next start shows the reply as not sent; only the person sends
     * it. The draft still waits. */
    h_init(&h, sim.base_url, AGENT_KEY, 5000);
    h_start(&h);
    m = desk_model(h.desk);
    WAIT_FOR(&h, 10000, draft_for(m, sws) != NULL);
    c = model_find(m, ws);
    assert_non_null(c);
    msg *mm = find_msg(c, AI_ROLE_HUMAN, "Not sent yet");
    assert_non_null(mm);
    assert_int_equal(mm->state, MSG_UNSENT);
    assert_false(mm->held);
    assert_string_equal(mm->note, "not sent in an earlier session; /retry sends it");
    pump_for(&h, 1000);
    assert_int_equal(stat_count(&sim, rpath), 0);
    assert_true(desk_retry(h.desk, c, mm));
    WAIT_FOR(&h, 10000, mm->state == MSG_FINAL);
    assert_int_equal(history_count(&sim, ws, "Not sent yet"), 1);
    assert_int_equal(unsent_count(), 0);
    free(ws);
    free(sws);
    free(id);
    h_free(&h);
}

/* ------------------------------------------ status tied to a state */

static void day__stopping_a_reply_is_said_until_the_reply_has_stopped(void **state)
{
    (void)state;
    simproc own; /* a long, slow reply */
    const char *args[] = {"--speed", "1", "--reply-tokens", "4000", NULL};
    assert_int_equal(simproc_start(&own, args), 0);
    harness h;
    h_init(&h, own.base_url, AGENT_KEY, 0);
    h_start(&h);
    conv *c = desk_new_chat(h.desk, "gpt-4o");
    desk_send(h.desk, c, "Tell me a long story", false);
    msg *reply = c->msgs[c->nmsgs - 1];
    WAIT_FOR(&h, 15000, reply->text.len > 0);
    assert_true(desk_cancel_stream(h.desk, c));
    assert_flash_matches(&h, "^stopping the reply\\.\\.\\.$");
    /* The console says the same: it stays tied to the state. */
    desk_flash(h.desk, false, "stopping the reply...");
    WAIT_FOR(&h, 5000, reply->state == MSG_CANCELLED);
    assert_null(desk_get_status(h.desk)->flash);
    /* Any other message keeps its few seconds. */
    desk_flash(h.desk, false, "something else");
    pump_for(&h, 300);
    assert_flash_matches(&h, "^something else$");
    h_free(&h);
    simproc_stop(&own);
}

/* ------------------------------------------------------------ copying */

static void day__the_last_answer_and_its_code_blocks_are_copied_to_a_private_file_or_osc52(
    void **state)
{
    (void)state;
    harness h;
    h_init(&h, sim.base_url, AGENT_KEY, 0);
    h_start(&h);
    copy_out out;
    char *err = NULL;
    conv *chat = desk_new_chat(h.desk, "gpt-4o");
    assert_false(desk_copy(h.desk, chat, 0, &out, &err));
    assert_string_equal(err, "this conversation has no answer yet");
    free(err);
    conv *c = h_create(&h, "takeover", "How do I list files?");
    desk_send(h.desk, c, "Try this:\n\n```sh\nls -l\n```\n", true);
    WAIT_FOR(&h, 10000, find_msg(c, AI_ROLE_HUMAN, "Try this:\n\n```sh\nls -l\n```\n") &&
                            find_msg(c, AI_ROLE_HUMAN, "Try this:\n\n```sh\nls -l\n```\n")->state ==
                                MSG_FINAL);
    assert_true(desk_copy(h.desk, c, 1, &out, &err));
    assert_null(out.osc52);
    char prefix[400];
    snprintf(prefix, sizeof prefix, "%s/aidesk/copies/", getenv("XDG_STATE_HOME"));
    assert_true(!strncmp(out.path, prefix, strlen(prefix)));
    assert_non_null(strstr(out.path, "-block-1.sh"));
    struct stat st;
    assert_int_equal(stat(out.path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *got = slurp(out.path);
    assert_string_equal(got, "ls -l\n");
    free(got);
    copy_out_clear(&out);
    assert_true(desk_copy(h.desk, c, 0, &out, &err));
    got = slurp(out.path);
    assert_string_equal(got, "Try this:\n\n```sh\nls -l\n```\n");
    free(got);
    copy_out_clear(&out);
    assert_false(desk_copy(h.desk, c, 2, &out, &err));
    assert_string_equal(err, "the last answer has 1 code block");
    free(err);
    /* With osc52 on, a sequence for the terminal instead of a file. */
    h.cfg->osc52 = true;
    assert_true(desk_copy(h.desk, c, 1, &out, &err));
    assert_null(out.path);
    assert_string_equal(out.osc52, "\033]52;c;bHMgLWwK\a"); /* "ls -l\n" */
    copy_out_clear(&out);
    h_free(&h);
}

/* ------------------------------------------------ set-up and tear-down */

static int group_setup(void **state)
{
    (void)state;
    const char *dbg = getenv("AIDESK_TEST_LOG");
    if (dbg && *dbg)
        log_open(dbg);
    const char *args[] = {"--speed", "10", NULL};
    if (simproc_start(&sim, args) != 0)
        return -1;
    return deskh_open();
}

static int group_teardown(void **state)
{
    (void)state;
    deskh_close();
    simproc_stop(&sim);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    return xdgtmp_make(xdg, sizeof xdg, "day");
}

static int test_teardown(void **state)
{
    (void)state;
    xdgtmp_remove(xdg);
    return 0;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
    const struct CMUnitTest tests[] = {
        T(day__a_customer_in_takeover_rings_and_waits_by_the_servers_time_after_a_restart),
        T(day__a_draft_is_read_in_its_conversation_and_a_stale_one_needs_a_confirmation),
        T(day__a_rejection_leaves_a_note_and_the_ai_can_be_asked_again),
        T(day__handing_back_returns_to_the_mode_before_the_takeover_even_after_a_restart),
        T(day__a_reply_and_an_approval_wait_in_the_undo_window_and_can_be_taken_back),
        T(day__quitting_in_the_undo_window_sends_nothing_and_keeps_the_reply),
        T(day__stopping_a_reply_is_said_until_the_reply_has_stopped),
        T(day__the_last_answer_and_its_code_blocks_are_copied_to_a_private_file_or_osc52),
    };
#undef T
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
