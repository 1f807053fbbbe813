/* compare.c: a comparison's life cycle, its runs and their events (see
 * compare.h); what it shows is read through compare_access.c. */
#include "config.h"
#include "compare/compare_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/clock.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* ------------------------------------------------------------ providers */

static const struct {
    const char *model, *provider;
} known_models[] = {
    {"gpt-4o", "openai"},
    {"gpt-4o-mini", "openai"},
    {"claude-3-5-sonnet-20241022", "anthropic"},
    {"claude-3-haiku-20240307", "anthropic"},
    {"llama-3.3-70b-versatile", "groq"},
    {"mixtral-8x7b-32768", "groq"},
    {"llama-3.1-8b-instant", "groq"},
    {"gemini-1.5-pro", "gemini"},
    {"gemini-1.5-flash", "gemini"},
    {"mistral-large-latest", "mistral"},
    {"grok-2", "xai"},
    {"meta-llama/Llama-3.3-70B-Instruct-Turbo", "together"},
    {"openrouter/auto", "openrouter"},
    {"deepseek-chat", "deepseek"},
    {"accounts/fireworks/models/llama-v3p3-70b-instruct", "fireworks"},
    {"llama-3.1-sonar-large-128k-online", "perplexity"},
};

/* Name patterns for models not in the table, most specific first. */
static const struct {
    const char *prefix, *provider;
} model_patterns[] = {
    {"pin:", "pin"},           {"accounts/fireworks/", "fireworks"},
    {"openrouter/", "openrouter"}, {"meta-llama/", "together"},
    {"llama-3.1-sonar", "perplexity"}, {"sonar", "perplexity"},
    {"deepseek", "deepseek"},  {"grok", "xai"},
    {"claude", "anthropic"},   {"gemini", "gemini"},
    {"mistral", "mistral"},    {"codestral", "mistral"},
    {"gpt-", "openai"},        {"chatgpt", "openai"},
    {"o1", "openai"},          {"o3", "openai"},
    {"o4", "openai"},
};

const char *compare_provider_of(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < sizeof known_models / sizeof *known_models; i++)
        if (!strcmp(id, known_models[i].model))
            return known_models[i].provider;
    for (size_t i = 0; i < sizeof model_patterns / sizeof *model_patterns; i++)
        if (!strncmp(id, model_patterns[i].prefix, strlen(model_patterns[i].prefix)))
            return model_patterns[i].provider;
    return NULL;
}

const char *compare_state_name(compare_state s)
{
    switch (s) {
    case COMPARE_IDLE: return "idle";
    case COMPARE_WAITING: return "waiting";
    case COMPARE_STREAMING: return "streaming";
    case COMPARE_DONE: return "done";
    case COMPARE_CANCELLED: return "cancelled";
    case COMPARE_FAILED: return "failed";
    }
    return "?";
}

/* ------------------------------------------------------------ life cycle */

static bool route_event(void *ud, net_event *ev)
{
    return compare_handle_event(ud, ev);
}

static long next_timer(void *ud, int64_t now_mono)
{
    return compare_next_timer_ms(ud, now_mono);
}

static void tick(void *ud, int64_t now_mono)
{
    compare_tick(ud, now_mono);
}

void compare_attach(compare_t *c)
{
    c->tag = desk_add_owner(c->desk, route_event, c);
    desk_add_timer(c->desk, next_timer, tick, c);
    desk_add_compare(c->desk, c);
}

/* A random permutation of 0..n-1 (blind mode: which model is "A"). */
static void shuffle(size_t *perm, size_t n)
{
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        uint32_t r = 0;
        if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
            r = (uint32_t)clock_mono_us() * 2654435761u;
        size_t j = r % i;
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

compare_t *compare_alloc(desk_t *desk, net_t *net, const ai_client *ai, const char *const *models,
                     size_t n, bool blind, bool do_shuffle)
{
    if (!models || n == 0 || n > COMPARE_MAX_COLS)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!models[i] || !*models[i])
            return NULL;
    compare_t *c = xcalloc(1, sizeof *c);
    c->desk = desk;
    c->net = net;
    c->ai = ai;
    c->blind = blind;
    c->revealed = !blind;
    c->max_tokens = 1024;
    c->created_ms = clock_wall_ms();
    c->runs = 1;
    c->title = compare_default_title(models, n, blind);
    c->ncols = n;
    c->cols = xcalloc(n, sizeof *c->cols);
    size_t perm[COMPARE_MAX_COLS];
    if (blind && do_shuffle)
        shuffle(perm, n);
    else
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
    for (size_t i = 0; i < n; i++) {
        compare_col *col = &c->cols[i];
        col->model = xstrdup(models[perm[i]]);
        col->provider = compare_provider_of(col->model);
        if (blind)
            snprintf(col->label, sizeof col->label, "%c", (char)('A' + i));
    }
    return c;
}

compare_t *compare_new(desk_t *desk, const char *const *models, size_t n, bool blind)
{
    if (!desk)
        return NULL;
    compare_t *c = compare_alloc(desk, desk_net(desk), desk_ai_client(desk), models, n, blind, true);
    if (!c)
        return NULL;
    c->save = true;
    compare_attach(c);
    return c;
}

compare_t *compare_new_detached(net_t *net, const ai_client *ai, const char *const *models,
                                size_t n, bool blind)
{
    return compare_alloc(NULL, net, ai, models, n, blind, true);
}

void compare_run_free(compare_run *r)
{
    if (!r)
        return;
    buf_free(&r->text);
    free(r->finish);
    free(r->error);
    free(r->id);
    free(r->served_model);
    free(r);
}

void compare_free(compare_t *c)
{
    if (!c)
        return;
    /* The view first: its owner never sees a comparison half freed. */
    if (c->free_view && c->view)
        c->free_view(c->view);
    if (c->desk) {
        desk_remove_owner(c->desk, c->tag);
        desk_remove_timers(c->desk, c);
        desk_remove_compare(c->desk, c);
    }
    for (size_t i = 0; i < c->ncols; i++) {
        compare_col *col = &c->cols[i];
        if (col->req && c->net)
            net_cancel(c->net, col->req);
    }
    compare_flush(c);
    for (size_t i = 0; i < c->ncols; i++) {
        free(c->cols[i].model);
        ai_stream_free(c->cols[i].stream);
        buf_free(&c->cols[i].pending);
    }
    for (size_t t = 0; t < c->nturns; t++) {
        for (size_t i = 0; i < c->ncols; i++) {
            compare_cell *cell = &c->turns[t].cells[i];
            for (size_t k = 0; k < cell->nruns; k++)
                compare_run_free(cell->runs[k]);
            free(cell->runs);
        }
        free(c->turns[t].cells);
        free(c->turns[t].prompt);
    }
    free(c->turns);
    free(c->cols);
    free(c->votes);
    free(c->zombies);
    store_transcript_free(c->log);
    free(c->log_error);
    free(c->system);
    free(c->title);
    free(c);
}

void compare_set_max_tokens(compare_t *c, int max_tokens)
{
    if (max_tokens >= 1)
        c->max_tokens = max_tokens;
}

void compare_set_save(compare_t *c, bool save)
{
    c->save = save;
}

void compare_set_system(compare_t *c, const char *system)
{
    free(c->system);
    c->system = system && *system ? xstrdup(system) : NULL;
}

bool compare_set_temperature(compare_t *c, double temperature)
{
    if (!(temperature >= 0 && temperature <= 2))
        return false; /* NaN too */
    c->temperature = temperature;
    c->has_temperature = true;
    return true;
}

const char *compare_system(const compare_t *c)
{
    return c->system;
}

bool compare_temperature(const compare_t *c, double *t)
{
    if (c->has_temperature && t)
        *t = c->temperature;
    return c->has_temperature;
}

/* ------------------------------------------------------------ the data */

compare_turn *compare_add_turn(compare_t *c, const char *prompt, int runs_wanted, int64_t t_ms)
{
    c->turns = xgrow(c->turns, &c->capturns, c->nturns + 1, sizeof *c->turns);
    compare_turn *t = &c->turns[c->nturns++];
    memset(t, 0, sizeof *t);
    t->prompt = xstrdup(prompt);
    t->t_ms = t_ms;
    t->runs_wanted = runs_wanted;
    t->cells = xcalloc(c->ncols, sizeof *t->cells);
    return t;
}

compare_run *compare_cell_put(compare_cell *cell, size_t index)
{
    compare_run *r = xcalloc(1, sizeof *r);
    r->counted_prompt = -1;
    if (index < cell->nruns) {
        compare_run_free(cell->runs[index]);
        cell->runs[index] = r;
    } else {
        cell->runs = xgrow(cell->runs, &cell->cap, cell->nruns + 1, sizeof *cell->runs);
        cell->runs[cell->nruns++] = r;
    }
    return r;
}

const compare_run *compare_kept(const compare_turn *t, size_t col)
{
    const compare_cell *cell = &t->cells[col];
    return cell->nruns ? cell->runs[cell->nruns - 1] : NULL;
}

const compare_run *compare_current(const compare_t *c, size_t col)
{
    if (col >= c->ncols || !c->nturns)
        return NULL;
    return compare_kept(&c->turns[c->nturns - 1], col);
}

void compare_run_sample(const compare_run *r, compare_sample *s)
{
    memset(s, 0, sizeof *s);
    s->t = r->t;
    s->counted_completion = r->tc.total;
    s->counted_prompt = r->counted_prompt;
    s->usage = r->usage.present;
    s->usage_prompt = r->usage.prompt_tokens;
    s->usage_completion = r->usage.completion_tokens;
}

static void touch(compare_t *c, compare_col *col, compare_run *r)
{
    c->rev++;
    if (col)
        col->rev++;
    if (r)
        r->rev++;
}

/* ------------------------------------------------------------ running */

static bool col_running(const compare_col *col)
{
    return col->req != 0;
}

static bool any_running(const compare_t *c)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (col_running(&c->cols[i]))
            return true;
    return false;
}

static bool rounds_pending(const compare_t *c)
{
    if (!c->nturns || c->stop_rounds)
        return false;
    if (c->rounds >= c->turns[c->nturns - 1].runs_wanted)
        return false;
    for (size_t i = 0; i < c->ncols; i++)
        if (!c->cols[i].stopped)
            return true;
    return false;
}

bool compare_busy(const compare_t *c)
{
    return any_running(c) || rounds_pending(c);
}

static void zombie_add(compare_t *c, uint64_t id)
{
    c->zombies = xgrow(c->zombies, &c->capzombies, c->nzombies + 1, sizeof *c->zombies);
    c->zombies[c->nzombies++] = id;
}

/* Ends the column's run in state st (error: the message, or NULL). The
 * request, if it has not ended yet, becomes a zombie whose last events
 * are swallowed. */
static void finish_run(compare_t *c, size_t ci, compare_state st, const char *error,
                       int exit_code, bool request_over)
{
    compare_col *col = &c->cols[ci];
    compare_run *r = col->run;
    if (!r)
        return;
    int64_t now = clock_mono_us();
    r->state = st;
    r->t.end_us = now;
    r->end_ms = clock_wall_ms();
    free(r->error);
    r->error = error ? xstrdup(error) : NULL;
    r->exit_code = exit_code;
    const ai_stream *s = col->stream;
    if (s) {
        if (s->finish_reason && !r->finish)
            r->finish = xstrdup(s->finish_reason);
        if (s->usage.present)
            r->usage = s->usage;
        if (s->id && !r->id)
            r->id = xstrdup(s->id);
        if (s->model && !r->served_model)
            r->served_model = xstrdup(s->model);
        r->skipped = (int64_t)s->skipped;
    }
    compare_log_flush_col(c, ci);
    compare_log(c, compare_run_end_record(ci, col->run_turn, col->run_index, r));
    if (!request_over && col->req)
        zombie_add(c, col->req);
    col->req = 0;
    col->run = NULL;
    ai_stream_free(col->stream);
    col->stream = NULL;
    touch(c, col, r);
}

static const char *wire_role_user = "user";
static const char *wire_role_ai = "assistant";

/* Starts run index of turn ti in column ci (a new run, or a rerun
 * replacing it). */
static void start_run(compare_t *c, size_t ci, size_t ti, size_t index)
{
    compare_col *col = &c->cols[ci];
    compare_turn *turn = &c->turns[ti];
    compare_run *r = compare_cell_put(&turn->cells[ci], index);
    col->run = r;
    col->run_turn = ti;
    col->run_index = index;
    col->stopped = false;

    /* The system prompt, the column's own history (earlier prompts and
     * its own answers, as far as they got), then this turn's prompt. */
    ai_chat_message *msgs = xcalloc(2 * ti + 2, sizeof *msgs);
    const char **contents = xcalloc(2 * ti + 2, sizeof *contents);
    size_t n = 0;
    if (c->system) {
        msgs[n] = (ai_chat_message){"system", c->system};
        contents[n] = c->system;
        n++;
    }
    for (size_t t = 0; t < ti; t++) {
        msgs[n] = (ai_chat_message){wire_role_user, c->turns[t].prompt};
        contents[n] = c->turns[t].prompt;
        n++;
        const compare_run *kept = compare_kept(&c->turns[t], ci);
        if (kept && kept->text.len) {
            msgs[n] = (ai_chat_message){wire_role_ai, buf_cstr(&kept->text)};
            contents[n] = buf_cstr(&kept->text);
            n++;
        }
    }
    msgs[n] = (ai_chat_message){wire_role_user, turn->prompt};
    contents[n] = turn->prompt;
    n++;
    r->counted_prompt = compare_prompt_tokens(contents, n);
    r->state = COMPARE_WAITING;
    r->sent_ms = clock_wall_ms();
    r->t.sent_us = clock_mono_us();

    net_request *req = NULL;
    if (c->net && c->ai) {
        ai_chat_params p;
        ai_chat_params_init(&p);
        p.messages = msgs;
        p.nmessages = n;
        p.model = col->model;
        p.stream = true;
        p.max_tokens = c->max_tokens;
        if (c->has_temperature)
            p.temperature = c->temperature;
        req = ai_req_chat(c->ai, &p);
    }
    free(msgs);
    free(contents);

    json_object *rec = compare_record("run");
    json_object_object_add(rec, "col", json_object_new_int64((int64_t)ci));
    json_object_object_add(rec, "turn", json_object_new_int64((int64_t)ti));
    json_object_object_add(rec, "run", json_object_new_int64((int64_t)index));
    json_object_object_add(rec, "sent_ms", json_object_new_int64(r->sent_ms));
    json_object_object_add(rec, "counted_prompt", json_object_new_int64(r->counted_prompt));
    compare_log(c, rec);

    if (!req) {
        finish_run(c, ci, COMPARE_FAILED,
                   c->net ? "the request could not be built" : "no network (a saved comparison)",
                   1, true);
        return;
    }
    col->stream = ai_stream_new(c->ai->base_url);
    req->tag = c->tag;
    col->req = net_submit(c->net, req);
    touch(c, col, r);
}

/* Starts the next round of the last turn in every column still in it. */
static void start_round(compare_t *c)
{
    size_t ti = c->nturns - 1;
    c->rounds++;
    for (size_t i = 0; i < c->ncols; i++)
        if (!c->cols[i].stopped)
            start_run(c, i, ti, c->turns[ti].cells[i].nruns);
}

/* After a run ended: the next round of a repeat, once all have ended. */
static void maybe_next_round(compare_t *c)
{
    while (!any_running(c) && rounds_pending(c))
        start_round(c);
}

static bool start_turn(compare_t *c, const char *prompt, int runs)
{
    if (!prompt || !*prompt || runs < 1 || runs > COMPARE_MAX_RUNS || compare_busy(c))
        return false;
    compare_log_begin(c);
    size_t ti = c->nturns;
    compare_add_turn(c, prompt, runs, clock_wall_ms());
    json_object *rec = compare_record("turn");
    json_object_object_add(rec, "t", json_object_new_int64(c->turns[ti].t_ms));
    json_object_object_add(rec, "turn", json_object_new_int64((int64_t)ti));
    json_object_object_add(rec, "text", json_object_new_string(prompt));
    json_object_object_add(rec, "runs", json_object_new_int64(runs));
    compare_log(c, rec);
    c->rounds = 0;
    c->stop_rounds = false;
    for (size_t i = 0; i < c->ncols; i++)
        c->cols[i].stopped = false;
    touch(c, NULL, NULL);
    maybe_next_round(c);
    return true;
}

bool compare_send(compare_t *c, const char *prompt)
{
    return start_turn(c, prompt, 1);
}

bool compare_repeat(compare_t *c, const char *prompt, int runs)
{
    return start_turn(c, prompt, runs);
}

bool compare_cancel(compare_t *c, int col)
{
    bool any = false;
    if (col < 0 && rounds_pending(c)) {
        c->stop_rounds = true;
        any = true;
    }
    for (size_t i = 0; i < c->ncols; i++) {
        if (col >= 0 && (size_t)col != i)
            continue;
        compare_col *cc = &c->cols[i];
        if (col >= 0 && rounds_pending(c) && !cc->stopped) {
            cc->stopped = true; /* no further rounds for it */
            any = true;
        }
        if (!col_running(cc))
            continue;
        net_cancel(c->net, cc->req);
        finish_run(c, i, COMPARE_CANCELLED, "cancelled", 130, false);
        any = true;
    }
    if (any)
        touch(c, NULL, NULL);
    maybe_next_round(c);
    return any;
}

bool compare_rerun(compare_t *c, int col)
{
    if (!c->nturns || (col >= 0 && (size_t)col >= c->ncols))
        return false;
    if (c->turns[c->nturns - 1].runs_wanted > 1 && compare_busy(c))
        return false; /* a repeat keeps its rounds apart */
    compare_log_begin(c);
    size_t ti = c->nturns - 1;
    bool any = false;
    for (size_t i = 0; i < c->ncols; i++) {
        if ((col >= 0 && (size_t)col != i) || col_running(&c->cols[i]))
            continue;
        size_t n = c->turns[ti].cells[i].nruns;
        start_run(c, i, ti, n ? n - 1 : 0);
        any = true;
    }
    return any;
}

bool compare_vote(compare_t *c, int col)
{
    if (!c->nturns || (col >= 0 && (size_t)col >= c->ncols))
        return false;
    compare_log_begin(c);
    c->votes = xgrow(c->votes, &c->capvotes, c->nvotes + 1, sizeof *c->votes);
    compare_ballot *v = &c->votes[c->nvotes++];
    v->turn = c->nturns - 1;
    v->col = col < 0 ? -1 : col;
    v->t_ms = clock_wall_ms();
    c->revealed = true;
    json_object *rec = compare_record("vote");
    json_object_object_add(rec, "t", json_object_new_int64(v->t_ms));
    json_object_object_add(rec, "turn", json_object_new_int64((int64_t)v->turn));
    json_object_object_add(rec, "col", json_object_new_int64(v->col));
    if (col >= 0) {
        if (c->cols[col].label[0])
            json_object_object_add(rec, "label", json_object_new_string(c->cols[col].label));
        json_object_object_add(rec, "model", json_object_new_string(c->cols[col].model));
    }
    compare_log(c, rec);
    touch(c, NULL, NULL);
    return true;
}

conv *compare_to_chat(compare_t *c, int col)
{
    if (!c->desk || col < 0 || (size_t)col >= c->ncols || !c->revealed)
        return NULL;
    model *m = desk_model(c->desk);
    conv *ch = model_new_chat(m, c->cols[col].model, clock_wall_ms());
    for (size_t t = 0; t < c->nturns; t++) {
        const compare_turn *turn = &c->turns[t];
        msg *um = conv_append_local(ch, AI_ROLE_USER, turn->prompt, turn->t_ms);
        msg_set_state(um, MSG_FINAL, NULL);
        const compare_run *r = compare_kept(turn, (size_t)col);
        if (!r || !r->text.len)
            continue;
        msg *am = conv_append_local(ch, AI_ROLE_AI, buf_cstr(&r->text),
                                    r->end_ms ? r->end_ms : turn->t_ms);
        switch (r->state) {
        case COMPARE_DONE:
            msg_set_state(am, MSG_FINAL, r->finish && !strcmp(r->finish, "length")
                                             ? "cut at the max_tokens limit"
                                             : NULL);
            break;
        case COMPARE_FAILED:
            msg_set_state(am, MSG_FAILED, r->error);
            break;
        default:
            msg_set_state(am, MSG_CANCELLED, "cancelled");
            break;
        }
    }
    m->rev++;
    return ch;
}

/* ------------------------------------------------------------ events */

static bool take_zombie(compare_t *c, const net_event *ev)
{
    for (size_t i = 0; i < c->nzombies; i++) {
        if (c->zombies[i] != ev->id)
            continue;
        if (ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED || ev->kind == NET_EV_CANCELLED)
            c->zombies[i] = c->zombies[--c->nzombies];
        return true;
    }
    return false;
}

static void on_event(compare_t *c, size_t ci, const net_event *ev)
{
    compare_col *col = &c->cols[ci];
    compare_run *r = col->run;
    bool terminal = ev->kind == NET_EV_DONE || ev->kind == NET_EV_FAILED ||
                    ev->kind == NET_EV_CANCELLED;
    if (ev->kind == NET_EV_RETRY) {
        r->retries++;
        touch(c, col, r);
        return;
    }
    /* When the network thread had it: the UI's own delays (a frame being
     * drawn) must not count in the model's time to first token. */
    int64_t now = ev->at_us ? ev->at_us : clock_mono_us();
    ai_stream_update u;
    ai_stream_status st = ai_stream_feed(col->stream, ev, &u);
    if (u.delta && u.delta_len) {
        if (!r->t.first_us)
            r->t.first_us = now;
        r->t.last_us = now;
        buf_append(&r->text, u.delta, u.delta_len);
        compare_tokcount_feed(&r->tc, r->text.data, r->text.len);
        r->state = COMPARE_STREAMING;
        if (!col->pending.len)
            col->pending_since = now / 1000;
        buf_append(&col->pending, u.delta, u.delta_len);
        touch(c, col, r);
    }
    if (u.usage || u.finish_reason)
        touch(c, col, r);
    if (st == AI_STREAM_FINISHED) {
        finish_run(c, ci, COMPARE_DONE, NULL, 0, terminal);
    } else if (st == AI_STREAM_FAILED) {
        api_error *e = ai_stream_take_error(col->stream);
        bool cancelled = e && e->kind == API_ERR_CANCELLED;
        char *why = e ? api_error_message(e) : xstrdup("the reply failed");
        int code = e ? api_error_exit_code(e) : 1;
        if (!terminal && c->net)
            net_cancel(c->net, col->req); /* an error inside the stream: close it */
        finish_run(c, ci, cancelled ? COMPARE_CANCELLED : COMPARE_FAILED, why, code, terminal);
        free(why);
        api_error_free(e);
    } else if (terminal) {
        /* Should not happen (the stream reports every terminal event), but
         * a request must never be left half-ended. */
        finish_run(c, ci, COMPARE_FAILED, "the reply ended unexpectedly", 7, true);
    }
}

bool compare_handle_event(compare_t *c, net_event *ev)
{
    if (take_zombie(c, ev)) {
        net_event_free(ev);
        return true;
    }
    for (size_t i = 0; i < c->ncols; i++) {
        if (!c->cols[i].req || c->cols[i].req != ev->id)
            continue;
        on_event(c, i, ev);
        net_event_free(ev);
        maybe_next_round(c);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------ timers */

long compare_next_timer_ms(const compare_t *c, int64_t now)
{
    long best = -1;
    for (size_t i = 0; i < c->ncols; i++) {
        if (!c->cols[i].pending.len)
            continue;
        int64_t due = c->cols[i].pending_since + COMPARE_FLUSH_MS;
        long d = due <= now ? 0 : (long)(due - now);
        if (best < 0 || d < best)
            best = d;
    }
    if (any_running(c)) {
        int64_t due = c->clock_ms + COMPARE_CLOCK_MS;
        long d = due <= now ? 0 : (long)(due - now);
        if (best < 0 || d < best)
            best = d;
    }
    return best;
}

void compare_tick(compare_t *c, int64_t now)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (c->cols[i].pending.len && now >= c->cols[i].pending_since + COMPARE_FLUSH_MS)
            compare_log_flush_col(c, i);
    if (any_running(c) && now >= c->clock_ms + COMPARE_CLOCK_MS) {
        c->clock_ms = now;
        c->rev++; /* the live figures moved */
    }
}

void compare_flush(compare_t *c)
{
    for (size_t i = 0; i < c->ncols; i++)
        compare_log_flush_col(c, i);
}
