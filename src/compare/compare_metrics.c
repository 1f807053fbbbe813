/* compare_metrics.c: see compare_metrics.h. */
#include "config.h"
#include "compare/compare_metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int64_t compare_ttft_us(const compare_times *t)
{
    if (!t->sent_us || !t->first_us || t->first_us < t->sent_us)
        return -1;
    return t->first_us - t->sent_us;
}

double compare_tok_per_s(const compare_times *t, int64_t tokens, int64_t now_us)
{
    if (!t->first_us || tokens < 2)
        return -1;
    int64_t until = t->end_us ? t->last_us : now_us;
    if (until < t->last_us)
        until = t->last_us;
    int64_t dt = until - t->first_us;
    if (dt <= 0)
        return -1;
    return (double)(tokens - 1) * 1e6 / (double)dt;
}

int64_t compare_total_us(const compare_times *t, int64_t now_us)
{
    if (!t->sent_us)
        return -1;
    int64_t until = t->end_us ? t->end_us : now_us;
    return until >= t->sent_us ? until - t->sent_us : 0;
}

void compare_metrics_compute(const compare_sample *s, int64_t now_us, compare_metrics *out)
{
    memset(out, 0, sizeof *out);
    out->running = s->t.sent_us && !s->t.end_us;
    out->ttft_us = compare_ttft_us(&s->t);
    out->total_us = compare_total_us(&s->t, now_us);
    if (s->usage) {
        out->prompt_tokens = s->usage_prompt;
        out->completion_tokens = s->usage_completion;
    } else {
        out->prompt_tokens = s->counted_prompt;
        out->prompt_approx = s->counted_prompt >= 0;
        out->completion_tokens = s->t.sent_us ? s->counted_completion : -1;
        out->completion_approx = out->completion_tokens >= 0;
    }
    /* The rate counts what arrived: while streaming the counted tokens;
     * once the server's usage is known, its figure. */
    int64_t toks = s->usage ? s->usage_completion : s->counted_completion;
    out->tok_s = compare_tok_per_s(&s->t, toks, now_us);
}

static bool same(double a, double b)
{
    double scale = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= 1e-9 * (scale > 1 ? scale : 1);
}

size_t compare_best(const double *v, const bool *eligible, size_t n, bool lower_is_better, bool *best)
{
    bool found = false;
    double b = 0;
    for (size_t i = 0; i < n; i++) {
        best[i] = false;
        if ((eligible && !eligible[i]) || !(v[i] >= 0) || !isfinite(v[i]))
            continue;
        if (!found || (lower_is_better ? v[i] < b : v[i] > b))
            b = v[i];
        found = true;
    }
    size_t wins = 0;
    for (size_t i = 0; found && i < n; i++) {
        if ((eligible && !eligible[i]) || !(v[i] >= 0) || !isfinite(v[i]))
            continue;
        if (same(v[i], b)) {
            best[i] = true;
            wins++;
        }
    }
    return wins;
}

static int double_order(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* The p-quantile of sorted s[0..n) (n > 0), interpolating linearly. */
static double quantile(const double *s, size_t n, double p)
{
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)pos;
    if (lo + 1 >= n)
        return s[n - 1];
    double frac = pos - (double)lo;
    return s[lo] + (s[lo + 1] - s[lo]) * frac;
}

size_t compare_stats_compute(const double *v, size_t n, compare_stats *out)
{
    memset(out, 0, sizeof *out);
    double *s = n ? xmalloc(n * sizeof *s) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] >= 0 && isfinite(v[i]))
            s[k++] = v[i];
    if (k) {
        qsort(s, k, sizeof *s, double_order);
        out->n = k;
        out->min = s[0];
        out->max = s[k - 1];
        out->median = k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
        out->q1 = quantile(s, k, 0.25);
        out->q3 = quantile(s, k, 0.75);
    }
    free(s);
    return k;
}
