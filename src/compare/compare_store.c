/* compare_store.c: a comparison's transcript (records as they stream) and
 * reading one back (compare_open). The record types are in compare.h. */
#include "config.h"
#include "compare/compare_priv.h"

#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "store/file.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/utf8.h"

/* Text records are cut into pieces of at most this many bytes, far below
 * the loader's line limit. */
#define CMP_TEXT_PIECE (1024 * 1024)

/* Reloaded runs get monotonic times from this base, keeping the spans. */
#define CMP_BASE_US INT64_C(1000000)

json_object *compare_record(const char *type)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "t", json_object_new_int64(clock_wall_ms()));
    json_object_object_add(o, "type", json_object_new_string(type));
    return o;
}

static void put_int(json_object *o, const char *key, int64_t v)
{
    json_object_object_add(o, key, json_object_new_int64(v));
}

static void put_str(json_object *o, const char *key, const char *s)
{
    if (s)
        json_object_object_add(o, key, json_object_new_string(s));
}

static void log_fail(compare_t *c, char *err)
{
    free(c->log_error);
    c->log_error = err ? err : xstrdup("the comparison could not be saved");
    store_transcript_free(c->log);
    c->log = NULL;
    c->save = false; /* one message is enough: stop trying */
    c->rev++;
}

static void append(compare_t *c, json_object *rec)
{
    char *err = NULL;
    if (c->log && store_transcript_append(c->log, rec, &err) != 0)
        log_fail(c, err);
    json_object_put(rec);
}

static void log_delta(compare_t *c, size_t col, const char *s, size_t len)
{
    while (len) {
        size_t n = len > CMP_TEXT_PIECE ? utf8_prefix_len(s, CMP_TEXT_PIECE) : len;
        if (!n)
            n = len < CMP_TEXT_PIECE ? len : CMP_TEXT_PIECE;
        json_object *rec = compare_record("delta");
        put_int(rec, "col", (int64_t)col);
        json_object_object_add(rec, "text", json_object_new_string_len(s, (int)n));
        append(c, rec);
        s += n;
        len -= n;
    }
}

static json_object *header_record(const compare_t *c)
{
    json_object *rec = compare_record("compare");
    json_object *models = json_object_new_array();
    json_object *labels = c->blind ? json_object_new_array() : NULL;
    for (size_t i = 0; i < c->ncols; i++) {
        json_object_array_add(models, json_object_new_string(c->cols[i].model));
        if (labels)
            json_object_array_add(labels, json_object_new_string(c->cols[i].label));
    }
    json_object_object_add(rec, "models", models);
    json_object_object_add(rec, "labels", labels);
    json_object_object_add(rec, "blind", json_object_new_boolean(c->blind));
    put_int(rec, "max_tokens", c->max_tokens);
    put_int(rec, "created_ms", c->created_ms);
    if (c->system)
        json_object_object_add(rec, "system", json_object_new_string(c->system));
    if (c->has_temperature)
        json_object_object_add(rec, "temperature", json_object_new_double(c->temperature));
    return rec;
}

/* Everything the comparison holds, as records (an opened export that goes
 * on in a new transcript). */
static void snapshot(compare_t *c)
{
    size_t v = 0;
    for (size_t t = 0; t < c->nturns; t++) {
        const compare_turn *turn = &c->turns[t];
        json_object *rec = compare_record("turn");
        json_object_object_add(rec, "t", json_object_new_int64(turn->t_ms));
        put_int(rec, "turn", (int64_t)t);
        put_str(rec, "text", turn->prompt);
        put_int(rec, "runs", turn->runs_wanted);
        append(c, rec);
        for (size_t i = 0; i < c->ncols; i++) {
            const compare_cell *cell = &turn->cells[i];
            for (size_t k = 0; k < cell->nruns; k++) {
                const compare_run *r = cell->runs[k];
                rec = compare_record("run");
                put_int(rec, "col", (int64_t)i);
                put_int(rec, "turn", (int64_t)t);
                put_int(rec, "run", (int64_t)k);
                put_int(rec, "sent_ms", r->sent_ms);
                put_int(rec, "counted_prompt", r->counted_prompt);
                append(c, rec);
                log_delta(c, i, r->text.data, r->text.len);
                append(c, compare_run_end_record(i, t, k, r));
            }
        }
        for (; v < c->nvotes && c->votes[v].turn == t; v++) {
            rec = compare_record("vote");
            json_object_object_add(rec, "t", json_object_new_int64(c->votes[v].t_ms));
            put_int(rec, "turn", (int64_t)t);
            put_int(rec, "col", c->votes[v].col);
            if (c->votes[v].col >= 0) {
                const compare_col *col = &c->cols[c->votes[v].col];
                if (col->label[0])
                    put_str(rec, "label", col->label);
                put_str(rec, "model", col->model);
            }
            append(c, rec);
        }
    }
}

void compare_log_begin(compare_t *c)
{
    if (c->log || !c->save)
        return;
    char *title;
    if (c->blind) {
        title = xasprintf("blind comparison of %zu models", c->ncols);
    } else {
        buf_t b = BUF_INIT;
        for (size_t i = 0; i < c->ncols; i++)
            buf_printf(&b, "%s%s", i ? " vs " : "", c->cols[i].model);
        title = buf_steal(&b);
    }
    char *err = NULL;
    store_transcript *t = NULL;
    int rc = store_transcript_create("compare", title, &t, &err);
    free(title);
    if (rc != 0) {
        log_fail(c, err);
        return;
    }
    c->log = t;
    append(c, header_record(c));
    snapshot(c);
}

void compare_log(compare_t *c, json_object *rec)
{
    append(c, rec);
}

void compare_log_flush_col(compare_t *c, size_t col)
{
    compare_col *cc = &c->cols[col];
    if (!cc->pending.len)
        return;
    log_delta(c, col, cc->pending.data, cc->pending.len);
    buf_clear(&cc->pending);
}

const char *compare_path(const compare_t *c)
{
    return c->log ? store_transcript_path(c->log) : NULL;
}

const char *compare_store_error(const compare_t *c)
{
    return c->log_error;
}

/* ------------------------------------------------------------ run ends */

static compare_state state_from_name(const char *s)
{
    static const compare_state all[] = {COMPARE_IDLE, COMPARE_WAITING, COMPARE_STREAMING,
                                        COMPARE_DONE, COMPARE_CANCELLED, COMPARE_FAILED};
    for (size_t i = 0; s && i < sizeof all / sizeof *all; i++)
        if (!strcmp(s, compare_state_name(all[i])))
            return all[i];
    return COMPARE_CANCELLED;
}

json_object *compare_run_end_record(size_t col, size_t turn, size_t run, const compare_run *r)
{
    json_object *rec = compare_record("end");
    json_object_object_add(rec, "t", json_object_new_int64(r->end_ms ? r->end_ms : clock_wall_ms()));
    put_int(rec, "col", (int64_t)col);
    put_int(rec, "turn", (int64_t)turn);
    put_int(rec, "run", (int64_t)run);
    put_str(rec, "state", compare_state_name(r->state));
    put_str(rec, "finish_reason", r->finish);
    put_str(rec, "error", r->error);
    put_int(rec, "exit_code", r->exit_code);
    if (r->t.first_us)
        put_int(rec, "ttft_us", r->t.first_us - r->t.sent_us);
    if (r->t.last_us)
        put_int(rec, "last_us", r->t.last_us - r->t.sent_us);
    put_int(rec, "end_us", r->t.end_us >= r->t.sent_us ? r->t.end_us - r->t.sent_us : 0);
    put_int(rec, "tokens", r->tc.total);
    if (r->usage.present) {
        json_object *u = json_object_new_object();
        put_int(u, "prompt_tokens", r->usage.prompt_tokens);
        put_int(u, "completion_tokens", r->usage.completion_tokens);
        put_int(u, "total_tokens", r->usage.total_tokens);
        json_object_object_add(rec, "usage", u);
    }
    put_int(rec, "end_ms", r->end_ms);
    put_int(rec, "retries", r->retries);
    put_int(rec, "skipped", r->skipped);
    put_str(rec, "id", r->id);
    put_str(rec, "served_model", r->served_model);
    return rec;
}

static void replace_str(char **dst, char *s)
{
    free(*dst);
    *dst = s;
}

bool compare_run_apply_end(compare_run *r, json_object *o)
{
    jsonu_dec d;
    jsonu_dec_init(&d, "comparison run");
    char *state = NULL, *s = NULL;
    int64_t v;
    const int64_t big = INT64_C(1) << 52;
    if (jsonu_str(&d, o, "state", true, &state))
        r->state = state_from_name(state);
    free(state);
    if (r->state == COMPARE_IDLE || r->state == COMPARE_WAITING || r->state == COMPARE_STREAMING)
        r->state = COMPARE_CANCELLED; /* an ended run is never running */
    s = NULL;
    if (jsonu_str(&d, o, "finish_reason", false, &s) && s)
        replace_str(&r->finish, s);
    s = NULL;
    if (jsonu_str(&d, o, "error", false, &s) && s)
        replace_str(&r->error, s);
    s = NULL;
    if (jsonu_str(&d, o, "id", false, &s) && s)
        replace_str(&r->id, s);
    s = NULL;
    if (jsonu_str(&d, o, "served_model", false, &s) && s)
        replace_str(&r->served_model, s);
    if (jsonu_int(&d, o, "exit_code", false, 0, 255, &v))
        r->exit_code = (int)v;
    r->t.sent_us = CMP_BASE_US;
    r->t.first_us = r->t.last_us = 0;
    if (jsonu_int(&d, o, "ttft_us", false, 0, big, &v))
        r->t.first_us = CMP_BASE_US + v;
    if (jsonu_int(&d, o, "last_us", false, 0, big, &v))
        r->t.last_us = CMP_BASE_US + v;
    r->t.end_us = CMP_BASE_US;
    if (jsonu_int(&d, o, "end_us", false, 0, big, &v))
        r->t.end_us = CMP_BASE_US + v;
    if (jsonu_int(&d, o, "end_ms", false, 0, big, &v))
        r->end_ms = v;
    if (jsonu_int(&d, o, "retries", false, 0, big, &v))
        r->retries = v;
    if (jsonu_int(&d, o, "skipped", false, 0, big, &v))
        r->skipped = v;
    json_object *u = jsonu_obj(&d, o, "usage", false);
    memset(&r->usage, 0, sizeof r->usage);
    if (u) {
        r->usage.present = true;
        jsonu_int(&d, u, "prompt_tokens", false, 0, big, &r->usage.prompt_tokens);
        jsonu_int(&d, u, "completion_tokens", false, 0, big, &r->usage.completion_tokens);
        jsonu_int(&d, u, "total_tokens", false, 0, big, &r->usage.total_tokens);
    }
    bool ok = !d.error;
    jsonu_dec_free(&d);
    return ok;
}

/* ------------------------------------------------------------ reading */

typedef struct loader {
    desk_t *desk;
    compare_t *c;
    compare_run *open[COMPARE_MAX_COLS]; /* runs started without an end yet */
    char *err;
    bool export_doc;                  /* the file is one JSON export object */
    json_object *doc;
    size_t records;
} loader;

static void interrupt(compare_run *r)
{
    if (!r)
        return;
    r->state = COMPARE_CANCELLED;
    free(r->error);
    r->error = xstrdup("interrupted");
    r->exit_code = 130;
    int64_t end = r->t.last_us > r->t.sent_us ? r->t.last_us : r->t.sent_us;
    r->t.end_us = end;
}

static void load_compare(loader *l, json_object *o)
{
    json_object *models = NULL, *labels = NULL;
    json_object_object_get_ex(o, "models", &models);
    json_object_object_get_ex(o, "labels", &labels);
    if (!models || !json_object_is_type(models, json_type_array))
        return;
    size_t n = json_object_array_length(models);
    if (n == 0 || n > COMPARE_MAX_COLS)
        return;
    const char *names[COMPARE_MAX_COLS];
    for (size_t i = 0; i < n; i++) {
        json_object *m = json_object_array_get_idx(models, i);
        if (!json_object_is_type(m, json_type_string))
            return;
        names[i] = json_object_get_string(m);
    }
    json_object *b = NULL;
    bool blind = json_object_object_get_ex(o, "blind", &b) && json_object_get_boolean(b);
    l->c = compare_alloc(l->desk, l->desk ? desk_net(l->desk) : NULL,
                     l->desk ? desk_ai_client(l->desk) : NULL, names, n, blind, false);
    if (!l->c)
        return;
    if (labels && json_object_is_type(labels, json_type_array) &&
        json_object_array_length(labels) == n) {
        for (size_t i = 0; i < n; i++) {
            const char *s = json_object_get_string(json_object_array_get_idx(labels, i));
            if (s && strlen(s) < sizeof l->c->cols[i].label)
                memcpy(l->c->cols[i].label, s, strlen(s) + 1);
        }
    }
    json_object *v = NULL;
    if (json_object_object_get_ex(o, "max_tokens", &v) && json_object_get_int64(v) >= 1 &&
        json_object_get_int64(v) <= CONFIG_MAX_TOKENS_MAX)
        l->c->max_tokens = (int)json_object_get_int64(v);
    if (json_object_object_get_ex(o, "created_ms", &v) && json_object_get_int64(v) > 0)
        l->c->created_ms = json_object_get_int64(v);
    if (json_object_object_get_ex(o, "system", &v) && json_object_is_type(v, json_type_string))
        compare_set_system(l->c, json_object_get_string(v));
    if (json_object_object_get_ex(o, "temperature", &v) &&
        (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
        compare_set_temperature(l->c, json_object_get_double(v));
}

static bool get_index(json_object *o, const char *key, int64_t max, int64_t *out)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
        return false;
    *out = json_object_get_int64(v);
    return *out >= -1 && *out < max;
}

static bool on_record(void *ud, json_object *o)
{
    loader *l = ud;
    l->records++;
    json_object *tv = NULL;
    const char *type = json_object_object_get_ex(o, "type", &tv) ? json_object_get_string(tv) : NULL;
    if (!type) {
        json_object *f = NULL;
        if (l->records == 1 && json_object_object_get_ex(o, "format", &f) &&
            !strcmp(json_object_get_string(f), "aidesk-compare")) {
            l->export_doc = true;
            l->doc = json_object_get(o);
            return false;
        }
        return true;
    }
    if (!strcmp(type, "meta"))
        return true;
    if (!strcmp(type, "compare")) {
        if (!l->c)
            load_compare(l, o);
        return true;
    }
    compare_t *c = l->c;
    if (!c)
        return true;
    json_object *t = NULL;
    int64_t t_ms = json_object_object_get_ex(o, "t", &t) ? json_object_get_int64(t) : 0;
    int64_t col = -1, turn = -1, run = -1;
    if (!strcmp(type, "turn")) {
        json_object *text = NULL, *runs = NULL;
        if (!json_object_object_get_ex(o, "text", &text) ||
            !json_object_is_type(text, json_type_string))
            return true;
        for (size_t i = 0; i < c->ncols; i++) {
            interrupt(l->open[i]);
            l->open[i] = NULL;
        }
        int64_t want = json_object_object_get_ex(o, "runs", &runs) ? json_object_get_int64(runs) : 1;
        if (want < 1 || want > COMPARE_MAX_RUNS)
            want = 1;
        compare_add_turn(c, json_object_get_string(text), (int)want, t_ms);
        c->rounds = 0;
    } else if (!strcmp(type, "run")) {
        if (!get_index(o, "col", (int64_t)c->ncols, &col) || col < 0 ||
            !get_index(o, "turn", (int64_t)c->nturns, &turn) || turn != (int64_t)c->nturns - 1 ||
            !get_index(o, "run", COMPARE_MAX_RUNS, &run) || run < 0)
            return true;
        compare_cell *cell = &c->turns[turn].cells[col];
        if ((size_t)run > cell->nruns)
            return true;
        interrupt(l->open[col]);
        compare_run *r = compare_cell_put(cell, (size_t)run);
        json_object *v = NULL;
        if (json_object_object_get_ex(o, "sent_ms", &v))
            r->sent_ms = json_object_get_int64(v);
        if (json_object_object_get_ex(o, "counted_prompt", &v))
            r->counted_prompt = json_object_get_int64(v);
        r->state = COMPARE_WAITING;
        r->t.sent_us = CMP_BASE_US;
        l->open[col] = r;
        if ((int)cell->nruns > c->rounds)
            c->rounds = (int)cell->nruns;
    } else if (!strcmp(type, "delta")) {
        json_object *text = NULL;
        if (!get_index(o, "col", (int64_t)c->ncols, &col) || col < 0 || !l->open[col] ||
            !json_object_object_get_ex(o, "text", &text) ||
            !json_object_is_type(text, json_type_string))
            return true;
        buf_append(&l->open[col]->text, json_object_get_string(text),
                   (size_t)json_object_get_string_len(text));
    } else if (!strcmp(type, "end")) {
        if (!get_index(o, "col", (int64_t)c->ncols, &col) || col < 0 ||
            !get_index(o, "turn", (int64_t)c->nturns, &turn) || turn < 0 ||
            !get_index(o, "run", COMPARE_MAX_RUNS, &run) || run < 0)
            return true;
        compare_cell *cell = &c->turns[turn].cells[col];
        if ((size_t)run >= cell->nruns)
            return true;
        compare_run *r = cell->runs[run];
        compare_run_apply_end(r, o);
        if (l->open[col] == r)
            l->open[col] = NULL;
    } else if (!strcmp(type, "vote")) {
        if (!get_index(o, "turn", (int64_t)c->nturns, &turn) || turn < 0 ||
            !get_index(o, "col", (int64_t)c->ncols, &col))
            return true;
        c->votes = xgrow(c->votes, &c->capvotes, c->nvotes + 1, sizeof *c->votes);
        c->votes[c->nvotes++] = (compare_ballot){(size_t)turn, (int)col, t_ms};
        c->revealed = true;
    }
    return true;
}

/* Every run's counted tokens, once its text is whole. */
static void recount(compare_t *c)
{
    for (size_t t = 0; t < c->nturns; t++)
        for (size_t i = 0; i < c->ncols; i++)
            for (size_t k = 0; k < c->turns[t].cells[i].nruns; k++) {
                compare_run *r = c->turns[t].cells[i].runs[k];
                memset(&r->tc, 0, sizeof r->tc);
                compare_tokcount_feed(&r->tc, buf_cstr(&r->text), r->text.len);
            }
}

static bool is_json_export(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && !strcmp(path + n - 5, ".json");
}

compare_t *compare_open(desk_t *desk, const char *path, char **err)
{
    *err = NULL;
    loader l;
    memset(&l, 0, sizeof l);
    l.desk = desk;
    store_load_stats st;
    if (store_transcript_load(path, on_record, &l, &st, err) != 0) {
        compare_free(l.c);
        return NULL;
    }
    if (l.export_doc || (!l.c && is_json_export(path) && st.records == 0)) {
        compare_free(l.c);
        json_object *doc = l.doc;
        if (!doc) {
            /* A pretty-printed export: one object over many lines. */
            char *text = NULL, *rerr = NULL;
            size_t len = 0;
            if (store_read_file(path, 256u * 1024 * 1024, &text, &len, &rerr) == 0) {
                char *perr = NULL;
                doc = jsonu_parse(text, len, &perr);
                free(perr);
            }
            free(rerr);
            free(text);
        }
        if (!doc) {
            *err = xasprintf("%s is not a saved comparison", path);
            return NULL;
        }
        compare_t *c = compare_import_json(desk, doc, err);
        json_object_put(doc);
        return c;
    }
    compare_t *c = l.c;
    if (!c) {
        *err = xasprintf("%s is not a saved comparison", path);
        return NULL;
    }
    for (size_t i = 0; i < c->ncols; i++)
        interrupt(l.open[i]);
    recount(c);
    if (c->nturns)
        c->rounds = c->turns[c->nturns - 1].runs_wanted; /* a repeat does not resume */
    if (desk) {
        char *oerr = NULL;
        if (store_transcript_open_existing(path, &c->log, &oerr) != 0) {
            c->log_error = oerr;
            c->log = NULL;
        }
        c->save = c->log != NULL;
        compare_attach(c);
    }
    c->rev++;
    return c;
}
