/* compare_metrics.h: the figures of a model comparison, as pure functions
 * of a run's timeline, so they are tested on synthetic timelines.
 *
 * A run is one streamed request to one model. Its timeline holds monotonic
 * microseconds; 0 means "not yet":
 *   sent_us   the request was handed to the network thread
 *   first_us  the first content token arrived (role-only chunks do not count)
 *   last_us   the latest content token arrived
 *   end_us    the run ended: [DONE], a failure, or a cancel
 *
 * Definitions:
 *   TTFT        first_us - sent_us (retries included: what the user waits).
 *   tokens/s    (tokens - 1) / (t - first_us), with t = now while the run is
 *               streaming and t = last_us once it ended: the rate of the
 *               tokens after the first, over the time they took, so TTFT is
 *               not part of it. Unknown with fewer than 2 tokens or no time
 *               between them (never a division by zero).
 *   total       end_us - sent_us, or now - sent_us while running.
 *   tokens      completion and prompt tokens from the server's `usage` when
 *               it sent one, else counted here (compare_tokens.h) and
 *               flagged approximate.
 * Unknown values are negative (-1). */
#ifndef AIDESK_COMPARE_COMPARE_METRICS_H
#define AIDESK_COMPARE_COMPARE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct compare_times {
    int64_t sent_us, first_us, last_us, end_us;
} compare_times;

/* What a run knows, for the metrics. */
typedef struct compare_sample {
    compare_times t;
    int64_t counted_completion; /* tokens counted in the reply so far */
    int64_t counted_prompt;     /* tokens counted in the request's messages; -1 unknown */
    bool usage;                 /* the server sent usage */
    int64_t usage_prompt, usage_completion;
} compare_sample;

typedef struct compare_metrics {
    int64_t ttft_us;    /* -1: no token yet */
    double tok_s;       /* -1: unknown */
    int64_t total_us;   /* -1: not sent */
    int64_t prompt_tokens, completion_tokens; /* -1: unknown */
    bool prompt_approx, completion_approx;
    bool running;       /* sent and not ended */
} compare_metrics;

int64_t compare_ttft_us(const compare_times *t);
/* tokens: the completion tokens received so far (or in all). */
double compare_tok_per_s(const compare_times *t, int64_t tokens, int64_t now_us);
int64_t compare_total_us(const compare_times *t, int64_t now_us);
/* Everything at once. With usage, the completion count is the server's
 * (also for tokens/s, once the run ended). */
void compare_metrics_compute(const compare_sample *s, int64_t now_us, compare_metrics *out);

/* Marks in best[0..n) every eligible value equal to the best one (lowest
 * when lower_is_better, else highest; equal meaning within 1e-9 relative, so
 * ties all win). Values < 0 (unknown) and !eligible[i] never win; eligible
 * may be NULL (all). Returns the number of winners (0 when none qualifies). */
size_t compare_best(const double *v, const bool *eligible, size_t n, bool lower_is_better, bool *best);

/* Summary of repeated runs: values < 0 (unknown) are left out. */
typedef struct compare_stats {
    size_t n;                /* values used; the rest is 0 when n is 0 */
    double median, min, max;
    double q1, q3;           /* quartiles (linear interpolation); iqr = q3 - q1 */
} compare_stats;

/* Returns the number of values used. v is not changed. */
size_t compare_stats_compute(const double *v, size_t n, compare_stats *out);

#endif
