/* compare_access.c: what a comparison shows: the accessors the console and
 * the command line read (compare.h, "what the UI shows"). */
#include "config.h"
#include "compare/compare_priv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "util/assert.h"
#include "util/clock.h"
#include "util/mem.h"
#include "util/sanitize.h"

size_t compare_ncols(const compare_t *c)
{
    return c->ncols;
}

unsigned compare_rev(const compare_t *c)
{
    return c->rev;
}

bool compare_blind(const compare_t *c)
{
    return c->blind;
}

bool compare_revealed(const compare_t *c)
{
    return c->revealed;
}

size_t compare_nturns(const compare_t *c)
{
    return c->nturns;
}

const char *compare_turn_prompt(const compare_t *c, size_t turn)
{
    return turn < c->nturns ? c->turns[turn].prompt : NULL;
}

void compare_rounds(const compare_t *c, int *started, int *wanted)
{
    *started = c->nturns ? c->rounds : 0;
    *wanted = c->nturns ? c->turns[c->nturns - 1].runs_wanted : 0;
}

const char *compare_col_name(const compare_t *c, size_t col)
{
    if (col >= c->ncols)
        return NULL;
    return c->revealed ? c->cols[col].model : c->cols[col].label;
}

const char *compare_col_model(const compare_t *c, size_t col)
{
    return col < c->ncols && c->revealed ? c->cols[col].model : NULL;
}

const char *compare_col_provider(const compare_t *c, size_t col)
{
    return col < c->ncols && c->revealed ? c->cols[col].provider : NULL;
}

const char *compare_col_label(const compare_t *c, size_t col)
{
    return col < c->ncols && c->cols[col].label[0] ? c->cols[col].label : NULL;
}

compare_state compare_col_state(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? r->state : COMPARE_IDLE;
}

const char *compare_col_error(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? r->error : NULL;
}

int compare_col_exit_code(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? r->exit_code : 0;
}

const char *compare_col_completion_id(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? r->id : NULL;
}

int64_t compare_col_first_token_us(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? r->t.first_us : 0;
}

const char *compare_col_finish(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? r->finish : NULL;
}

static const buf_t empty_buf = BUF_INIT;

const buf_t *compare_col_text(const compare_t *c, size_t col)
{
    const compare_run *r = compare_current(c, col);
    return r ? &r->text : &empty_buf;
}

unsigned compare_col_rev(const compare_t *c, size_t col)
{
    return col < c->ncols ? c->cols[col].rev : 0;
}

static void metrics_of(const compare_run *r, int64_t now_us, compare_metrics *out)
{
    if (!r) {
        compare_sample s = {.counted_prompt = -1};
        compare_metrics_compute(&s, now_us, out);
        return;
    }
    compare_sample s;
    compare_run_sample(r, &s);
    compare_metrics_compute(&s, now_us, out);
}

void compare_col_metrics(const compare_t *c, size_t col, int64_t now_us, compare_metrics *out)
{
    metrics_of(compare_current(c, col), now_us, out);
}

static const compare_cell *last_cell(const compare_t *c, size_t col)
{
    if (col >= c->ncols || !c->nturns)
        return NULL;
    return &c->turns[c->nturns - 1].cells[col];
}

size_t compare_col_nruns(const compare_t *c, size_t col)
{
    const compare_cell *cell = last_cell(c, col);
    return cell ? cell->nruns : 0;
}

void compare_col_run_metrics(const compare_t *c, size_t col, size_t run, int64_t now_us,
                             compare_metrics *out)
{
    const compare_cell *cell = last_cell(c, col);
    metrics_of(cell && run < cell->nruns ? cell->runs[run] : NULL, now_us, out);
}

compare_state compare_col_run_state(const compare_t *c, size_t col, size_t run)
{
    const compare_cell *cell = last_cell(c, col);
    return cell && run < cell->nruns ? cell->runs[run]->state : COMPARE_IDLE;
}

void compare_col_stats(const compare_t *c, size_t col, compare_stats *ttft_ms, compare_stats *tok_s)
{
    compare_cell_stats(last_cell(c, col), ttft_ms, tok_s);
}

void compare_cell_stats(const compare_cell *cell, compare_stats *ttft_ms, compare_stats *tok_s)
{
    size_t n = cell ? cell->nruns : 0;
    double *a = xcalloc(n + 1, sizeof *a), *b = xcalloc(n + 1, sizeof *b);
    for (size_t k = 0; k < n; k++) {
        compare_metrics m;
        metrics_of(cell->runs[k], 0, &m);
        bool ok = cell->runs[k]->state == COMPARE_DONE;
        a[k] = ok && m.ttft_us >= 0 ? (double)m.ttft_us / 1000.0 : -1;
        b[k] = ok ? m.tok_s : -1;
    }
    compare_stats_compute(a, n, ttft_ms);
    compare_stats_compute(b, n, tok_s);
    free(a);
    free(b);
}

const char *compare_col_answer(const compare_t *c, size_t col, size_t turn)
{
    if (col >= c->ncols || turn >= c->nturns)
        return "";
    const compare_run *r = compare_kept(&c->turns[turn], col);
    return r ? buf_cstr(&r->text) : "";
}

void compare_winners(const compare_t *c, int64_t now_us, bool *fastest_ttft, bool *highest_rate)
{
    double ttft[COMPARE_MAX_COLS], rate[COMPARE_MAX_COLS];
    bool ok[COMPARE_MAX_COLS];
    for (size_t i = 0; i < c->ncols; i++) {
        const compare_run *r = compare_current(c, i);
        compare_metrics m;
        metrics_of(r, now_us, &m);
        ok[i] = r && (r->state == COMPARE_WAITING || r->state == COMPARE_STREAMING ||
                      r->state == COMPARE_DONE);
        ttft[i] = m.ttft_us >= 0 ? (double)m.ttft_us : -1;
        rate[i] = m.tok_s;
    }
    compare_best(ttft, ok, c->ncols, true, fastest_ttft);
    compare_best(rate, ok, c->ncols, false, highest_rate);
}

size_t compare_nvotes(const compare_t *c)
{
    return c->nvotes;
}

bool compare_vote_get(const compare_t *c, size_t i, size_t *turn, int *col)
{
    if (i >= c->nvotes)
        return false;
    *turn = c->votes[i].turn;
    *col = c->votes[i].col;
    return true;
}

/* ------------------------------------ what it is called, how it is run */

char *compare_default_title(const char *const *models, size_t n, bool blind)
{
    buf_t b = BUF_INIT;
    if (blind) {
        buf_printf(&b, "blind, %zu models", n);
    } else {
        for (size_t i = 0; i < n; i++)
            buf_printf(&b, "%s%s", i ? " vs " : "", models[i]);
    }
    return buf_steal(&b);
}

const char *compare_title(const compare_t *c)
{
    return c->title;
}

void compare_set_title(compare_t *c, const char *title)
{
    if (!title || !*title)
        return;
    free(c->title);
    c->title = xstrdup(title);
}

int compare_runs(const compare_t *c)
{
    return c->runs;
}

void compare_set_runs(compare_t *c, int runs)
{
    c->runs = runs < 1 ? 1 : runs > COMPARE_MAX_RUNS ? COMPARE_MAX_RUNS : runs;
}

void *compare_view(const compare_t *c)
{
    return c->view;
}

void compare_set_view(compare_t *c, void *view, void (*free_view)(void *view))
{
    AIDESK_ASSERT(!c->view || c->view == view);
    c->view = view;
    c->free_view = view ? free_view : NULL;
}
