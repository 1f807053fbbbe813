/* compare.c: "aidesk compare": one prompt to several models at once, and a
 * table of how each did (src/compare/compare.h does the work). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "compare/compare.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

/* Runs the comparison to its end; a signal cancels every column. */
static bool run(cli_ctx *c, compare_t *cmp)
{
    bool interrupted = false;
    while (compare_busy(cmp)) {
        net_event *ev;
        while ((ev = net_next_event(c->net)) != NULL)
            if (!compare_handle_event(cmp, ev))
                net_event_free(ev);
        compare_tick(cmp, clock_mono_ms());
        if (!compare_busy(cmp))
            break;
        long t = compare_next_timer_ms(cmp, clock_mono_ms());
        if (cli_wait(c, t) == CLI_WAKE_SIGNAL && !interrupted) {
            interrupted = true;
            compare_cancel(cmp, -1);
        }
    }
    compare_flush(cmp);
    return interrupted;
}

static void fmt_num(char *buf, size_t n, double v, const char *fmt)
{
    if (v >= 0)
        snprintf(buf, n, fmt, v);
    else
        snprintf(buf, n, "-");
}

static void fmt_tokens(char *buf, size_t n, int64_t v, bool approx)
{
    if (v >= 0)
        snprintf(buf, n, "%s%lld", approx ? "~" : "", (long long)v);
    else
        snprintf(buf, n, "-");
}

static int model_width(cli_ctx *c, const compare_t *cmp)
{
    int w = 5; /* "MODEL" */
    for (size_t i = 0; i < compare_ncols(cmp); i++) {
        int l = (int)strlen(cli_short(c, compare_col_name(cmp, i), 48));
        if (l > w)
            w = l;
    }
    return w;
}

static void print_table(cli_ctx *c, const compare_t *cmp)
{
    size_t n = compare_ncols(cmp);
    int64_t now = clock_mono_us();
    bool fast[COMPARE_MAX_COLS], high[COMPARE_MAX_COLS];
    compare_winners(cmp, now, fast, high);
    int w = model_width(c, cmp);
    printf("%-*s  %-10s  %-9s  %8s  %8s  %7s  %7s  %10s  %s\n", w, "MODEL", "PROVIDER", "STATE",
           "TTFT ms", "tok/s", "total s", "prompt", "completion", "finish");
    for (size_t i = 0; i < n; i++) {
        compare_metrics m;
        compare_col_metrics(cmp, i, now, &m);
        char ttft[32], rate[32], total[32], pt[32], ct[32];
        fmt_num(ttft, sizeof ttft, m.ttft_us >= 0 ? (double)m.ttft_us / 1000.0 : -1, "%.0f");
        fmt_num(rate, sizeof rate, m.tok_s, "%.1f");
        fmt_num(total, sizeof total, m.total_us >= 0 ? (double)m.total_us / 1e6 : -1, "%.2f");
        if (n > 1 && fast[i])
            strcat(ttft, "*");
        if (n > 1 && high[i])
            strcat(rate, "*");
        fmt_tokens(pt, sizeof pt, m.prompt_tokens, m.prompt_approx);
        fmt_tokens(ct, sizeof ct, m.completion_tokens, m.completion_approx);
        const char *prov = compare_col_provider(cmp, i);
        const char *fin = compare_col_finish(cmp, i);
        printf("%-*s  %-10s  %-9s  %8s  %8s  %7s  %7s  %10s  %s\n", w,
               cli_short(c, compare_col_name(cmp, i), 48), prov ? prov : "-",
               compare_state_name(compare_col_state(cmp, i)), ttft, rate, total, pt, ct,
               fin ? cli_short(c, fin, 20) : "-");
    }
    if (n > 1)
        printf("* fastest time to first token / highest tokens per second\n");
}

static void print_stats(cli_ctx *c, const compare_t *cmp, int runs)
{
    size_t n = compare_ncols(cmp);
    int w = model_width(c, cmp);
    printf("\n%d runs per model; median and spread over the completed runs:\n", runs);
    printf("%-*s  %4s  %12s  %15s  %8s  %11s  %15s  %8s\n", w, "MODEL", "runs", "TTFT median",
           "TTFT min-max", "TTFT IQR", "tok/s median", "tok/s min-max", "tok/s IQR");
    for (size_t i = 0; i < n; i++) {
        compare_stats a, b;
        compare_col_stats(cmp, i, &a, &b);
        char am[32], ar[48], aq[32], bm[32], br[48], bq[32];
        fmt_num(am, sizeof am, a.n ? a.median : -1, "%.0f");
        fmt_num(aq, sizeof aq, a.n ? a.q3 - a.q1 : -1, "%.0f");
        fmt_num(bm, sizeof bm, b.n ? b.median : -1, "%.1f");
        fmt_num(bq, sizeof bq, b.n ? b.q3 - b.q1 : -1, "%.1f");
        if (a.n)
            snprintf(ar, sizeof ar, "%.0f-%.0f", a.min, a.max);
        else
            snprintf(ar, sizeof ar, "-");
        if (b.n)
            snprintf(br, sizeof br, "%.1f-%.1f", b.min, b.max);
        else
            snprintf(br, sizeof br, "-");
        printf("%-*s  %4zu  %12s  %15s  %8s  %11s  %15s  %8s\n", w,
               cli_short(c, compare_col_name(cmp, i), 48), a.n, am, ar, aq, bm, br, bq);
    }
}

static json_object *jnum(double v, int decimals)
{
    if (!(v >= 0))
        return NULL;
    char s[64];
    snprintf(s, sizeof s, "%.*f", decimals, v);
    return json_object_new_double_s(v, s);
}

static json_object *jint(int64_t v)
{
    return v >= 0 ? json_object_new_int64(v) : NULL;
}

static void put_metrics(json_object *o, const compare_metrics *m)
{
    json_object_object_add(o, "ttft_ms", m->ttft_us >= 0 ? jnum((double)m->ttft_us / 1000.0, 3) : NULL);
    json_object_object_add(o, "tok_s", jnum(m->tok_s, 3));
    json_object_object_add(o, "total_s", m->total_us >= 0 ? jnum((double)m->total_us / 1e6, 6) : NULL);
    json_object_object_add(o, "prompt_tokens", jint(m->prompt_tokens));
    json_object_object_add(o, "prompt_tokens_approx", json_object_new_boolean(m->prompt_approx));
    json_object_object_add(o, "completion_tokens", jint(m->completion_tokens));
    json_object_object_add(o, "completion_tokens_approx",
                           json_object_new_boolean(m->completion_approx));
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

static void print_json(cli_ctx *c, const compare_t *cmp, const char *prompt, int runs)
{
    size_t n = compare_ncols(cmp);
    int64_t now = clock_mono_us();
    bool fast[COMPARE_MAX_COLS], high[COMPARE_MAX_COLS];
    compare_winners(cmp, now, fast, high);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "prompt", cli_jstr(prompt));
    json_object_object_add(o, "system", cli_jstr(compare_system(cmp)));
    double t;
    json_object_object_add(o, "temperature",
                           compare_temperature(cmp, &t) ? json_object_new_double(t) : NULL);
    json_object_object_add(o, "runs", json_object_new_int(runs));
    json_object *cols = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *jc = json_object_new_object();
        compare_metrics m;
        compare_col_metrics(cmp, i, now, &m);
        json_object_object_add(jc, "model", cli_jstr(compare_col_model(cmp, i)));
        json_object_object_add(jc, "provider", cli_jstr(compare_col_provider(cmp, i)));
        json_object_object_add(jc, "state",
                               json_object_new_string(compare_state_name(compare_col_state(cmp, i))));
        json_object_object_add(jc, "error", cli_jstr(compare_col_error(cmp, i)));
        json_object_object_add(jc, "exit_code", json_object_new_int(compare_col_exit_code(cmp, i)));
        put_metrics(jc, &m);
        json_object_object_add(jc, "finish_reason", cli_jstr(compare_col_finish(cmp, i)));
        json_object_object_add(jc, "fastest_ttft", json_object_new_boolean(fast[i]));
        json_object_object_add(jc, "highest_tok_s", json_object_new_boolean(high[i]));
        json_object_object_add(jc, "answer", cli_jstr(buf_cstr(compare_col_text(cmp, i))));
        json_object *jruns = json_object_new_array();
        for (size_t k = 0; k < compare_col_nruns(cmp, i); k++) {
            json_object *jr = json_object_new_object();
            compare_metrics rm;
            compare_col_run_metrics(cmp, i, k, now, &rm);
            json_object_object_add(
                jr, "state", json_object_new_string(compare_state_name(compare_col_run_state(cmp, i, k))));
            put_metrics(jr, &rm);
            json_object_array_add(jruns, jr);
        }
        json_object_object_add(jc, "runs", jruns);
        compare_stats a, b;
        compare_col_stats(cmp, i, &a, &b);
        json_object *js = json_object_new_object();
        json_object_object_add(js, "ttft_ms", jstats(&a, 3));
        json_object_object_add(js, "tok_s", jstats(&b, 3));
        json_object_object_add(jc, "stats", js);
        json_object_array_add(cols, jc);
    }
    json_object_object_add(o, "columns", cols);
    json_object_object_add(o, "transcript", cli_jstr(compare_path(cmp)));
    cli_json_print(c, o);
}

int cli_cmd_compare(cli_ctx *c, const cli_args *a)
{
    const char *models[COMPARE_MAX_COLS];
    size_t n = 0;
    const char *m;
    while ((m = cli_opt_nth(a, "model", n)) != NULL) {
        if (n == COMPARE_MAX_COLS)
            return cli_usage(c, "at most %d models can be compared", COMPARE_MAX_COLS);
        if (!*m)
            return cli_usage(c, "-m: the model name is empty");
        models[n++] = m;
    }
    if (n == 0)
        return cli_usage(c, "name the models to compare with -m MODEL (one -m per model)");
    long runs = 1, max_tokens = c->cfg->max_tokens;
    double temperature = -1;
    const char *v;
    if ((v = cli_opt(a, "runs")) && !cli_parse_int(c, "-n", v, 1, COMPARE_MAX_RUNS, &runs))
        return CLI_USAGE;
    if ((v = cli_opt(a, "max-tokens")) &&
        !cli_parse_int(c, "--max-tokens", v, 1, CONFIG_MAX_TOKENS_MAX, &max_tokens))
        return CLI_USAGE;
    if ((v = cli_opt(a, "temperature"))) {
        if (!cli_parse_double(c, "--temperature", v, &temperature))
            return CLI_USAGE;
        if (!(temperature >= 0 && temperature <= 2))
            return cli_usage(c, "--temperature must be between 0 and 2, not %s", v);
    }
    const char *system = cli_opt(a, "system");
    if (system && !*system)
        return cli_usage(c, "-s: the system prompt is empty");
    int rc = CLI_OK;
    char *prompt = cli_read_text(c, 0, true, &rc);
    if (prompt && !*prompt) {
        free(prompt);
        return cli_usage(c, "the prompt is empty");
    }
    if (!prompt)
        return rc;
    if (!cli_ai(c)) {
        free(prompt);
        return CLI_USAGE;
    }
    compare_t *cmp = compare_new_detached(c->net, c->ai, models, n, false);
    compare_set_max_tokens(cmp, (int)max_tokens);
    compare_set_save(cmp, cli_flag(a, "save"));
    compare_set_system(cmp, system);
    if (temperature >= 0)
        compare_set_temperature(cmp, temperature);
    bool interrupted = false;
    if (!c->signal && compare_repeat(cmp, prompt, (int)runs))
        interrupted = run(c, cmp);
    else
        interrupted = true;

    if (c->json) {
        print_json(c, cmp, prompt, (int)runs);
    } else {
        print_table(c, cmp);
        if (runs > 1)
            print_stats(c, cmp, (int)runs);
        fflush(stdout);
    }
    /* Each failed column says why; the exit status is the worst one. */
    buf_t cut = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        compare_state st = compare_col_state(cmp, i);
        int code = compare_col_exit_code(cmp, i);
        if (st == COMPARE_FAILED)
            cli_error("%s: %s", compare_col_name(cmp, i),
                      compare_col_error(cmp, i) ? compare_col_error(cmp, i) : "failed");
        if (st == COMPARE_FAILED || st == COMPARE_CANCELLED)
            rc = code > rc ? code : rc;
        const char *fin = compare_col_finish(cmp, i);
        if (st == COMPARE_DONE && fin && !strcmp(fin, "length"))
            buf_printf(&cut, "%s%s", cut.len ? ", " : "", compare_col_name(cmp, i));
    }
    if (cut.len)
        cli_note(c, "note: cut at max_tokens (%ld): %s; raise it with --max-tokens", max_tokens,
                 buf_cstr(&cut));
    buf_free(&cut);
    if (interrupted)
        rc = CLI_INTERRUPTED;
    if (compare_path(cmp))
        cli_note(c, "saved to %s", compare_path(cmp));
    else if (compare_store_error(cmp))
        cli_error("the comparison was not saved: %s", compare_store_error(cmp));
    compare_free(cmp);
    free(prompt);
    return rc;
}
