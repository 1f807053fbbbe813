/* compare_export.c: a comparison as Markdown or JSON, written to a file,
 * and a JSON export read back (compare_open). */
#include "config.h"
#include "compare/compare_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "config/settings.h"
#include "store/file.h"
#include "store/paths.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/timefmt.h"
#include "util/utf8.h"

#define CMP_EXPORT_FORMAT "aidesk-compare"
#define CMP_EXPORT_VERSION 1

/* A time of the comparison, "-" when it has none (0: not yet). */
static void iso_time(int64_t ms, char when[TIMEFMT_SIZE])
{
    if (ms <= 0 || !timefmt_utc(ms, TIMEFMT_ISO_MS, when))
        snprintf(when, TIMEFMT_SIZE, "-");
}

/* ------------------------------------------------------------ JSON */

static json_object *jstr(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *jnum(double v, int decimals)
{
    if (!(v >= 0))
        return NULL;
    char s[64];
    snprintf(s, sizeof s, "%.*f", decimals, v);
    return json_object_new_double_s(v, s);
}

static json_object *jint_or_null(int64_t v)
{
    return v >= 0 ? json_object_new_int64(v) : NULL;
}

static json_object *jstats(const compare_stats *s, int decimals)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "n", json_object_new_int64((int64_t)s->n));
    json_object_object_add(o, "median", s->n ? jnum(s->median, decimals) : NULL);
    json_object_object_add(o, "min", s->n ? jnum(s->min, decimals) : NULL);
    json_object_object_add(o, "max", s->n ? jnum(s->max, decimals) : NULL);
    json_object_object_add(o, "q1", s->n ? jnum(s->q1, decimals) : NULL);
    json_object_object_add(o, "q3", s->n ? jnum(s->q3, decimals) : NULL);
    return o;
}

static json_object *jrun(const compare_run *r, int64_t now_us)
{
    json_object *o = compare_run_end_record(0, 0, 0, r);
    /* The end record's bookkeeping fields are not the run's. */
    json_object_object_del(o, "t");
    json_object_object_del(o, "type");
    json_object_object_del(o, "col");
    json_object_object_del(o, "turn");
    json_object_object_del(o, "run");
    /* Absent strings are explicit nulls in an export. */
    static const char *const opt[] = {"finish_reason", "error", "id", "served_model", "usage"};
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (!json_object_object_get_ex(o, opt[i], NULL))
            json_object_object_add(o, opt[i], NULL);
    json_object_object_add(o, "text", json_object_new_string_len(buf_cstr(&r->text), (int)r->text.len));
    json_object_object_add(o, "sent_ms", json_object_new_int64(r->sent_ms));
    char when[TIMEFMT_SIZE];
    iso_time(r->sent_ms, when);
    json_object_object_add(o, "sent_at", json_object_new_string(when));
    json_object_object_add(o, "counted_prompt", jint_or_null(r->counted_prompt));
    compare_sample s;
    compare_run_sample(r, &s);
    compare_metrics m;
    compare_metrics_compute(&s, now_us, &m);
    json_object *jm = json_object_new_object();
    json_object_object_add(jm, "ttft_ms", m.ttft_us >= 0 ? jnum((double)m.ttft_us / 1000.0, 3) : NULL);
    json_object_object_add(jm, "tok_s", jnum(m.tok_s, 3));
    json_object_object_add(jm, "total_ms", m.total_us >= 0 ? jnum((double)m.total_us / 1000.0, 3) : NULL);
    json_object_object_add(jm, "prompt_tokens", jint_or_null(m.prompt_tokens));
    json_object_object_add(jm, "prompt_tokens_approx", json_object_new_boolean(m.prompt_approx));
    json_object_object_add(jm, "completion_tokens", jint_or_null(m.completion_tokens));
    json_object_object_add(jm, "completion_tokens_approx", json_object_new_boolean(m.completion_approx));
    json_object_object_add(o, "metrics", jm);
    return o;
}

static void render_json(const compare_t *c, buf_t *out)
{
    int64_t now_us = clock_mono_us();
    json_object *o = json_object_new_object();
    char when[TIMEFMT_SIZE];
    json_object_object_add(o, "format", json_object_new_string(CMP_EXPORT_FORMAT));
    json_object_object_add(o, "version", json_object_new_int(CMP_EXPORT_VERSION));
    json_object_object_add(o, "created_ms", json_object_new_int64(c->created_ms));
    iso_time(c->created_ms, when);
    json_object_object_add(o, "created", json_object_new_string(when));
    json_object_object_add(o, "blind", json_object_new_boolean(c->blind));
    json_object_object_add(o, "revealed", json_object_new_boolean(c->revealed));
    json_object_object_add(o, "max_tokens", json_object_new_int(c->max_tokens));
    json_object_object_add(o, "system", jstr(c->system));
    json_object_object_add(o, "temperature",
                           c->has_temperature ? json_object_new_double(c->temperature) : NULL);
    json_object *cols = json_object_new_array();
    for (size_t i = 0; i < c->ncols; i++) {
        json_object *jc = json_object_new_object();
        json_object_object_add(jc, "model", json_object_new_string(c->cols[i].model));
        json_object_object_add(jc, "provider", jstr(c->cols[i].provider));
        json_object_object_add(jc, "label", c->cols[i].label[0] ? jstr(c->cols[i].label) : NULL);
        json_object_array_add(cols, jc);
    }
    json_object_object_add(o, "columns", cols);
    json_object *turns = json_object_new_array();
    for (size_t t = 0; t < c->nturns; t++) {
        const compare_turn *turn = &c->turns[t];
        json_object *jt = json_object_new_object();
        json_object_object_add(jt, "prompt", json_object_new_string(turn->prompt));
        json_object_object_add(jt, "t_ms", json_object_new_int64(turn->t_ms));
        iso_time(turn->t_ms, when);
        json_object_object_add(jt, "at", json_object_new_string(when));
        json_object_object_add(jt, "runs", json_object_new_int(turn->runs_wanted));
        json_object *jcols = json_object_new_array();
        for (size_t i = 0; i < c->ncols; i++) {
            const compare_cell *cell = &turn->cells[i];
            json_object *jc = json_object_new_object();
            json_object *runs = json_object_new_array();
            for (size_t k = 0; k < cell->nruns; k++)
                json_object_array_add(runs, jrun(cell->runs[k], now_us));
            json_object_object_add(jc, "runs", runs);
            compare_stats st_ttft, st_rate;
            compare_cell_stats(cell, &st_ttft, &st_rate);
            json_object *js = json_object_new_object();
            json_object_object_add(js, "ttft_ms", jstats(&st_ttft, 3));
            json_object_object_add(js, "tok_s", jstats(&st_rate, 3));
            json_object_object_add(jc, "stats", js);
            json_object_array_add(jcols, jc);
        }
        json_object_object_add(jt, "columns", jcols);
        json_object_array_add(turns, jt);
    }
    json_object_object_add(o, "turns", turns);
    json_object *votes = json_object_new_array();
    for (size_t v = 0; v < c->nvotes; v++) {
        const compare_ballot *vote = &c->votes[v];
        json_object *jv = json_object_new_object();
        json_object_object_add(jv, "turn", json_object_new_int64((int64_t)vote->turn));
        json_object_object_add(jv, "col", json_object_new_int(vote->col));
        const compare_col *col = vote->col >= 0 ? &c->cols[vote->col] : NULL;
        json_object_object_add(jv, "label", col && col->label[0] ? jstr(col->label) : NULL);
        json_object_object_add(jv, "model", col ? jstr(col->model) : NULL);
        json_object_object_add(jv, "t_ms", json_object_new_int64(vote->t_ms));
        iso_time(vote->t_ms, when);
        json_object_object_add(jv, "at", json_object_new_string(when));
        json_object_array_add(votes, jv);
    }
    json_object_object_add(o, "votes", votes);
    char *s = jsonu_to_string(o);
    buf_append_str(out, s);
    buf_append_char(out, '\n');
    free(s);
    json_object_put(o);
}

/* ------------------------------------------------------------ Markdown */

/* A table cell: one line, pipes escaped. */
static void md_cell(buf_t *out, const char *s)
{
    buf_append_str(out, " ");
    for (; s && *s; s++) {
        if (*s == '|')
            buf_append_str(out, "\\|");
        else if (*s == '\n' || *s == '\r')
            buf_append_char(out, ' ');
        else
            buf_append_char(out, *s);
    }
    buf_append_str(out, " |");
}

static void md_num(buf_t *out, double v, const char *fmt)
{
    char s[48];
    if (v >= 0)
        snprintf(s, sizeof s, fmt, v);
    else
        snprintf(s, sizeof s, "-");
    md_cell(out, s);
}

static void md_tokens(buf_t *out, int64_t n, bool approx)
{
    char s[48];
    if (n >= 0)
        snprintf(s, sizeof s, "%s%lld", approx ? "~" : "", (long long)n);
    else
        snprintf(s, sizeof s, "-");
    md_cell(out, s);
}

static const char *col_title(const compare_t *c, size_t i, char *buf, size_t n)
{
    const compare_col *col = &c->cols[i];
    if (col->label[0])
        snprintf(buf, n, "%s · %s", col->label, col->model);
    else
        snprintf(buf, n, "%s", col->model);
    return buf;
}

static void md_quote(buf_t *out, const char *s)
{
    buf_append_str(out, "> ");
    for (; *s; s++) {
        buf_append_char(out, *s);
        if (*s == '\n')
            buf_append_str(out, "> ");
    }
    buf_append_str(out, "\n\n");
}

static void render_md(const compare_t *c, buf_t *out)
{
    int64_t now_us = clock_mono_us();
    char when[40], title[256];
    iso_time(c->created_ms, when);
    buf_append_str(out, "# Model comparison\n\n");
    buf_printf(out, "Started %s. ", when);
    if (c->blind)
        buf_printf(out, "Blind comparison%s.", c->revealed ? ", revealed" : ", not yet revealed");
    if (c->has_temperature)
        buf_printf(out, " Temperature %g.", c->temperature);
    buf_append_str(out, "\n\n");
    if (c->system) {
        buf_append_str(out, "System prompt:\n\n");
        md_quote(out, c->system);
    }
    for (size_t i = 0; i < c->ncols; i++) {
        buf_printf(out, "- %s", col_title(c, i, title, sizeof title));
        if (c->cols[i].provider)
            buf_printf(out, " (%s)", c->cols[i].provider);
        buf_append_char(out, '\n');
    }
    buf_append_char(out, '\n');
    for (size_t t = 0; t < c->nturns; t++) {
        const compare_turn *turn = &c->turns[t];
        iso_time(turn->t_ms, when);
        buf_printf(out, "## Turn %zu · %s", t + 1, when);
        if (turn->runs_wanted > 1)
            buf_printf(out, " · %d runs", turn->runs_wanted);
        buf_append_str(out, "\n\n");
        md_quote(out, turn->prompt);
        buf_append_str(out, "| Column | Provider | State | TTFT ms | tok/s | Total s | Prompt tokens "
                            "| Completion tokens | Finish |\n");
        buf_append_str(out, "|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for (size_t i = 0; i < c->ncols; i++) {
            const compare_run *r = compare_kept(turn, i);
            compare_metrics m;
            compare_sample s = {.counted_prompt = -1};
            if (r)
                compare_run_sample(r, &s);
            compare_metrics_compute(&s, now_us, &m);
            buf_append_char(out, '|');
            md_cell(out, col_title(c, i, title, sizeof title));
            md_cell(out, c->cols[i].provider ? c->cols[i].provider : "-");
            md_cell(out, r ? compare_state_name(r->state) : "idle");
            md_num(out, m.ttft_us >= 0 ? (double)m.ttft_us / 1000.0 : -1, "%.0f");
            md_num(out, m.tok_s, "%.1f");
            md_num(out, m.total_us >= 0 ? (double)m.total_us / 1e6 : -1, "%.2f");
            md_tokens(out, m.prompt_tokens, m.prompt_approx);
            md_tokens(out, m.completion_tokens, m.completion_approx);
            md_cell(out, r && r->finish ? r->finish : "-");
            buf_append_char(out, '\n');
        }
        buf_append_char(out, '\n');
        if (turn->runs_wanted > 1) {
            buf_append_str(out, "Repeat statistics (completed runs):\n\n");
            buf_append_str(out, "| Column | Runs | TTFT median ms | TTFT min-max | TTFT IQR "
                                "| tok/s median | tok/s min-max | tok/s IQR |\n");
            buf_append_str(out, "|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (size_t i = 0; i < c->ncols; i++) {
                compare_stats a, b;
                compare_cell_stats(&turn->cells[i], &a, &b);
                char s[96];
                buf_append_char(out, '|');
                md_cell(out, col_title(c, i, title, sizeof title));
                snprintf(s, sizeof s, "%zu", a.n);
                md_cell(out, s);
                md_num(out, a.n ? a.median : -1, "%.0f");
                snprintf(s, sizeof s, a.n ? "%.0f-%.0f" : "-", a.min, a.max);
                md_cell(out, s);
                md_num(out, a.n ? a.q3 - a.q1 : -1, "%.0f");
                md_num(out, b.n ? b.median : -1, "%.1f");
                snprintf(s, sizeof s, b.n ? "%.1f-%.1f" : "-", b.min, b.max);
                md_cell(out, s);
                md_num(out, b.n ? b.q3 - b.q1 : -1, "%.1f");
                buf_append_char(out, '\n');
            }
            buf_append_char(out, '\n');
        }
        for (size_t i = 0; i < c->ncols; i++) {
            const compare_run *r = compare_kept(turn, i);
            buf_printf(out, "### %s\n\n", col_title(c, i, title, sizeof title));
            if (r && r->text.len) {
                utf8_text_plain_append(out, r->text.data, r->text.len); /* U+0000 as U+FFFD */
                buf_append_str(out, "\n\n");
            }
            if (r && r->error)
                buf_printf(out, "> %s: %s\n\n", compare_state_name(r->state), r->error);
        }
    }
    if (c->nvotes) {
        buf_append_str(out, "## Votes\n\n");
        for (size_t v = 0; v < c->nvotes; v++) {
            const compare_ballot *vote = &c->votes[v];
            iso_time(vote->t_ms, when);
            if (vote->col < 0)
                buf_printf(out, "- Turn %zu: a tie (%s)\n", vote->turn + 1, when);
            else
                buf_printf(out, "- Turn %zu: %s (%s)\n", vote->turn + 1,
                           col_title(c, (size_t)vote->col, title, sizeof title), when);
        }
        buf_append_char(out, '\n');
    }
}

void compare_render(const compare_t *c, export_format f, buf_t *out)
{
    if (f == EXPORT_JSON)
        render_json(c, out);
    else
        render_md(c, out);
}

int compare_export(const compare_t *c, export_format f, const char *path, char **written,
                   char **err)
{
    *written = NULL;
    *err = NULL;
    buf_t b = BUF_INIT;
    compare_render(c, f, &b);
    char *target = NULL;
    int fd = -1;
    if (path) {
        target = xstrdup(path);
        fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    } else {
        char *dir = NULL;
        if (store_data_subdir("exports", &dir, err) != 0) {
            buf_free(&b);
            return -1;
        }
        char stamp[TIMEFMT_SIZE];
        timefmt_utc(clock_wall_ms(), TIMEFMT_STAMP, stamp);
        for (int attempt = 0; attempt < 8 && fd < 0; attempt++) {
            uint32_t rnd = 0;
            if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
                rnd = (uint32_t)clock_mono_us();
            free(target);
            target = xasprintf("%s/compare-%s-%08x.%s", dir, stamp, rnd,
                               f == EXPORT_JSON ? "json" : "md");
            fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (fd < 0 && errno != EEXIST)
                break;
        }
        free(dir);
    }
    if (fd < 0) {
        *err = xasprintf("cannot write %s: %s", target, strerror(errno));
        free(target);
        buf_free(&b);
        return -1;
    }
    int rc = store_write_all(fd, b.data ? b.data : "", b.len);
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    buf_free(&b);
    if (rc != 0) {
        *err = xasprintf("writing %s failed: %s", target, strerror(e));
        free(target);
        return -1;
    }
    *written = target;
    return 0;
}

/* ------------------------------------------------------------ import */

static json_object *member(json_object *o, const char *key, json_type type)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
        return NULL;
    return v;
}

static int64_t int_member(json_object *o, const char *key, int64_t dflt)
{
    json_object *v = member(o, key, json_type_int);
    return v ? json_object_get_int64(v) : dflt;
}

static bool import_run(compare_run *r, json_object *jr)
{
    json_object *text = member(jr, "text", json_type_string);
    if (!text || !compare_run_apply_end(r, jr))
        return false;
    buf_append(&r->text, json_object_get_string(text), (size_t)json_object_get_string_len(text));
    r->sent_ms = int_member(jr, "sent_ms", 0);
    r->counted_prompt = int_member(jr, "counted_prompt", -1);
    compare_tokcount_feed(&r->tc, buf_cstr(&r->text), r->text.len);
    return true;
}

compare_t *compare_import_json(desk_t *desk, json_object *root, char **err)
{
    json_object *fmt = member(root, "format", json_type_string);
    if (!fmt || strcmp(json_object_get_string(fmt), CMP_EXPORT_FORMAT) ||
        int_member(root, "version", 0) != CMP_EXPORT_VERSION) {
        *err = xstrdup("not an aidesk comparison export (format aidesk-compare, version 1)");
        return NULL;
    }
    json_object *cols = member(root, "columns", json_type_array);
    size_t n = cols ? json_object_array_length(cols) : 0;
    if (n == 0 || n > COMPARE_MAX_COLS) {
        *err = xstrdup("comparison export: 'columns' must list 1 to 12 models");
        return NULL;
    }
    const char *models[COMPARE_MAX_COLS];
    for (size_t i = 0; i < n; i++) {
        json_object *m = member(json_object_array_get_idx(cols, i), "model", json_type_string);
        if (!m) {
            *err = xasprintf("comparison export: columns[%zu] has no model", i);
            return NULL;
        }
        models[i] = json_object_get_string(m);
    }
    json_object *b = member(root, "blind", json_type_boolean);
    bool blind = b && json_object_get_boolean(b);
    compare_t *c = compare_alloc(desk, desk ? desk_net(desk) : NULL, desk ? desk_ai_client(desk) : NULL,
                             models, n, blind, false);
    if (!c) {
        *err = xstrdup("comparison export: a model is empty");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_object *l = member(json_object_array_get_idx(cols, i), "label", json_type_string);
        const char *s = l ? json_object_get_string(l) : NULL;
        if (s && strlen(s) < sizeof c->cols[i].label)
            memcpy(c->cols[i].label, s, strlen(s) + 1);
    }
    json_object *rv = member(root, "revealed", json_type_boolean);
    c->revealed = !blind || (rv && json_object_get_boolean(rv));
    int64_t mt = int_member(root, "max_tokens", 1024);
    c->max_tokens = mt >= 1 && mt <= CONFIG_MAX_TOKENS_MAX ? (int)mt : CONFIG_DEFAULT_MAX_TOKENS;
    c->created_ms = int_member(root, "created_ms", c->created_ms);
    json_object *sys = member(root, "system", json_type_string);
    if (sys)
        compare_set_system(c, json_object_get_string(sys));
    json_object *temp = member(root, "temperature", json_type_double);
    if (!temp)
        temp = member(root, "temperature", json_type_int);
    if (temp)
        compare_set_temperature(c, json_object_get_double(temp));
    json_object *turns = member(root, "turns", json_type_array);
    size_t nt = turns ? json_object_array_length(turns) : 0;
    for (size_t t = 0; t < nt; t++) {
        json_object *jt = json_object_array_get_idx(turns, t);
        json_object *prompt = member(jt, "prompt", json_type_string);
        json_object *jcols = member(jt, "columns", json_type_array);
        if (!prompt || !jcols || json_object_array_length(jcols) != n) {
            *err = xasprintf("comparison export: turns[%zu] is incomplete", t);
            compare_free(c);
            return NULL;
        }
        int64_t want = int_member(jt, "runs", 1);
        compare_turn *turn = compare_add_turn(c, json_object_get_string(prompt),
                                      want >= 1 && want <= COMPARE_MAX_RUNS ? (int)want : 1,
                                      int_member(jt, "t_ms", 0));
        for (size_t i = 0; i < n; i++) {
            json_object *runs = member(json_object_array_get_idx(jcols, i), "runs", json_type_array);
            size_t nr = runs ? json_object_array_length(runs) : 0;
            for (size_t k = 0; k < nr && k < COMPARE_MAX_RUNS; k++) {
                compare_run *r = compare_cell_put(&turn->cells[i], k);
                if (!import_run(r, json_object_array_get_idx(runs, k))) {
                    *err = xasprintf("comparison export: turns[%zu].columns[%zu].runs[%zu] is "
                                     "malformed", t, i, k);
                    compare_free(c);
                    return NULL;
                }
            }
        }
    }
    json_object *votes = member(root, "votes", json_type_array);
    size_t nv = votes ? json_object_array_length(votes) : 0;
    for (size_t v = 0; v < nv; v++) {
        json_object *jv = json_object_array_get_idx(votes, v);
        int64_t turn = int_member(jv, "turn", -1), col = int_member(jv, "col", -2);
        if (turn < 0 || (size_t)turn >= c->nturns || col < -1 || col >= (int64_t)n)
            continue;
        c->votes = xgrow(c->votes, &c->capvotes, c->nvotes + 1, sizeof *c->votes);
        c->votes[c->nvotes++] = (compare_ballot){(size_t)turn, (int)col, int_member(jv, "t_ms", 0)};
    }
    if (c->nturns)
        c->rounds = c->turns[c->nturns - 1].runs_wanted;
    if (desk) {
        c->save = true; /* a new transcript, holding all of it, at the next change */
        compare_attach(c);
    }
    return c;
}
