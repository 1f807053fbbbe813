/* compare.h: one conversation sent to 1..12 models at once, each answer
 * streaming into its own column, with live metrics (compare_metrics.h).
 *
 * A comparison is a list of turns (user prompts). Every column is one
 * model with its OWN history: a turn sends the earlier prompts, that
 * column's own earlier answers and the new prompt, so follow-up turns go on
 * per model. Every run of a column is one streamed completion (ai_req_chat
 * with stream_options.include_usage) on the desk's network thread; a failed
 * column keeps its typed error and never disturbs the others.
 *
 * Runs: compare_send starts one turn in every column at once;
 * compare_repeat starts a turn that runs N times (each round all columns at
 * once, rounds one after the other) and keeps every run's metrics for
 * statistics; compare_rerun replaces the last run of the last turn in one
 * or all columns; compare_cancel stops one or all (the partial answer is
 * kept, the state is CANCELLED at once; in a repeat, a cancelled column
 * takes no further rounds, a cancel of all stops the rounds).
 *
 * Blind mode: the columns are shuffled and labelled "A".."L"; the model
 * and provider accessors say NULL (compare_col_name gives the label) until
 * compare_vote reveals them.
 *
 * Storage: with a desk, a comparison is kept as a transcript of kind
 * "compare" (store/transcript.h), created at the first send. Records, each
 * {"t":<unix ms>,"type":...}:
 *   compare  {models:[...], labels:[...]|null, blind, max_tokens, created_ms,
 *            system?, temperature?} (models and labels in column order)
 *   turn     {turn, text, runs}                 a prompt (runs: repeat count)
 *   run      {col, turn, run, sent_ms, counted_prompt}  a run started; a run
 *            index already present means a rerun replacing it
 *   delta    {col, text}     answer text of the column's current run,
 *            coalesced: at most one record per column every 200 ms
 *            (compare_tick / compare_flush) and one at the run's end
 *   end      {col, turn, run, state, finish_reason?, error?, exit_code,
 *            ttft_us?, last_us?, end_us (relative to the send), tokens,
 *            usage?, end_ms, retries, skipped, id?, served_model?}
 *   vote     {turn, col (-1: a tie), label?, model?}
 * compare_open reads such a transcript (or a JSON export) back into a
 * comparison that can continue: with a desk, further turns are appended to
 * the same transcript (an opened export starts a new transcript holding the
 * whole history). A run that has no "end" record (the program stopped) is
 * CANCELLED with the error "interrupted".
 *
 * UI thread only. */
#ifndef AIDESK_COMPARE_COMPARE_H
#define AIDESK_COMPARE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/aiassist.h"
#include "desk/desk.h"
#include "compare/compare_metrics.h"
#include "export/export.h"
#include "model/model.h"
#include "net/net.h"
#include "util/buf.h"

#define COMPARE_MAX_COLS 12
#define COMPARE_MAX_RUNS 100
#define COMPARE_FLUSH_MS 200  /* deltas wait at most this long for the store */
#define COMPARE_CLOCK_MS 100  /* while running, the clock bumps the revision */

typedef enum compare_state {
    COMPARE_IDLE,      /* nothing sent yet */
    COMPARE_WAITING,   /* sent, no content token yet */
    COMPARE_STREAMING, /* content is arriving */
    COMPARE_DONE,      /* [DONE] arrived */
    COMPARE_CANCELLED, /* the user stopped it (or it was interrupted) */
    COMPARE_FAILED,    /* compare_col_error says why */
} compare_state;

/* "idle", "waiting", "streaming", "done", "cancelled", "failed". */
const char *compare_state_name(compare_state s);

/* The provider a model id routes to ("openai", "anthropic", "groq",
 * "gemini", "mistral", "xai", "together", "openrouter", "deepseek",
 * "fireworks", "perplexity", "pin"), from the table of the 12 providers and
 * their name patterns; NULL when unknown. */
const char *compare_provider_of(const char *model);

typedef struct compare compare_t;

/* A comparison of n (1..COMPARE_MAX_COLS) models, on the desk's network
 * thread and AiAssist client; it registers with the desk as the owner of
 * its requests and of its timers (desk_add_owner, desk_add_timer) and is
 * listed by the desk (desk_compare) until compare_free, or desk_free frees
 * it. NULL when n is out of range or a model is NULL or empty. */
compare_t *compare_new(desk_t *desk, const char *const *models, size_t n, bool blind);
/* The same without a desk (the command line): the caller hands every
 * event to compare_handle_event. net and ai are borrowed; nothing is
 * stored unless compare_set_save. net may be NULL (runs then fail). */
compare_t *compare_new_detached(net_t *net, const ai_client *ai, const char *const *models,
                                size_t n, bool blind);
/* Frees its view (compare_set_view), cancels what runs, flushes the
 * transcript, unregisters (leaving the desk's list) and frees. */
void compare_free(compare_t *c);

/* Takes ev and returns true when it belongs to the comparison (including
 * late events of runs it already ended); false leaves ev to the caller. */
bool compare_handle_event(compare_t *c, net_event *ev);

/* Settings, before the first send: the max_tokens of every request (1024
 * by default); whether to keep the transcript (default: with a desk). */
void compare_set_max_tokens(compare_t *c, int max_tokens);
void compare_set_save(compare_t *c, bool save);
/* A system prompt (copied; NULL or "": none) that starts every column's
 * conversation, and the temperature (0 to 2) of every request (default:
 * the server's). Before the first send; false (nothing changed) for a
 * temperature out of range. */
void compare_set_system(compare_t *c, const char *system);
bool compare_set_temperature(compare_t *c, double temperature);
/* What they are: the system prompt or NULL; whether a temperature is set
 * (and which, in *t). */
const char *compare_system(const compare_t *c);
bool compare_temperature(const compare_t *c, double *t);

/* ---- what it is called, how it is run, how a console shows it */

/* The name it is listed and found by (desk_find_compare, the console's
 * /go): "A vs B vs C" (the models as given to compare_new), "blind, N
 * models", or what compare_set_title gave (a reopened comparison: its
 * saved title). Never NULL. */
const char *compare_title(const compare_t *c);
/* Copies title; NULL or "" changes nothing. */
void compare_set_title(compare_t *c, const char *title);
/* Rounds per prompt (/compare -n): 1 (compare_send) unless set; clamped
 * to 1..COMPARE_MAX_RUNS. A reopened comparison starts at 1. */
int compare_runs(const compare_t *c);
void compare_set_runs(compare_t *c, int runs);
/* A front end's own state for showing the comparison (scroll, zoom...):
 * never read by the core. compare_free (and so desk_free, for those left
 * on the desk) calls free_view(view) before anything else is freed, so a
 * view is freed with its comparison and never outlives it. One view per
 * comparison: set it once (NULL clears it without freeing it). */
void *compare_view(const compare_t *c);
void compare_set_view(compare_t *c, void *view, void (*free_view)(void *view));

/* ---- runs: each returns at once (false: nothing started) */

/* A new turn in every column. False when the prompt is empty or something
 * still runs. */
bool compare_send(compare_t *c, const char *prompt);
/* A new turn run runs times (1..COMPARE_MAX_RUNS) per column. */
bool compare_repeat(compare_t *c, const char *prompt, int runs);
/* Stops column col (< 0: all). Returns false when nothing was running. */
bool compare_cancel(compare_t *c, int col);
/* Runs the last turn again in column col (< 0: every column not running),
 * replacing that column's last run of the turn. False while a repeat is
 * running, or when the column is running. */
bool compare_rerun(compare_t *c, int col);
/* Records the user's vote on the last turn: col the best, or < 0 for a
 * tie; reveals the models of a blind comparison. False before any turn or
 * for a column out of range. */
bool compare_vote(compare_t *c, int col);
/* "Continue with this model": a new chat in the desk's model holding the
 * column's history (prompts and that column's answers). NULL without an
 * desk, for a column out of range, or while a blind comparison is hidden. */
conv *compare_to_chat(compare_t *c, int col);

/* Redraw and storage timers: milliseconds from now_mono_ms until
 * compare_tick has work, or -1. */
long compare_next_timer_ms(const compare_t *c, int64_t now_mono_ms);
void compare_tick(compare_t *c, int64_t now_mono_ms);
/* Writes the pending answer text to the transcript now. */
void compare_flush(compare_t *c);

/* ---- storage and export */

/* Reads a saved comparison: a transcript of kind "compare" or a JSON
 * export (compare_export). With a desk it is listed by the desk as
 * compare_new's are; desk may be NULL (a read-only comparison: sending
 * fails). NULL with *err (caller frees) when unreadable. */
compare_t *compare_open(desk_t *desk, const char *path, char **err);
/* Renders the comparison: Markdown (prompt, a metrics table per turn,
 * answers, repeat statistics, votes) or JSON (everything, timestamps and
 * raw timings included; compare_open reads it back). Models are included
 * even in a blind comparison not yet revealed ("revealed": false). */
void compare_render(const compare_t *c, export_format f, buf_t *out);
/* Writes the rendering to path (replaced) or, path NULL, to a new file
 * under the data directory's exports/ folder. Files are 0600. Returns 0
 * with *written (caller frees), or -1 with *err. */
int compare_export(const compare_t *c, export_format f, const char *path, char **written,
                   char **err);
/* The transcript's path, or NULL (not saved, or not yet). */
const char *compare_path(const compare_t *c);
/* Why saving stopped, or NULL. */
const char *compare_store_error(const compare_t *c);

/* ---- what the UI shows */

size_t compare_ncols(const compare_t *c);
/* Bumped on every change of anything below (and by the clock while runs
 * go on): redraw when it moved. */
unsigned compare_rev(const compare_t *c);
bool compare_busy(const compare_t *c);
bool compare_blind(const compare_t *c);
/* True unless blind and not yet voted. */
bool compare_revealed(const compare_t *c);
size_t compare_nturns(const compare_t *c);
const char *compare_turn_prompt(const compare_t *c, size_t turn);
/* The last turn's rounds: started so far and wanted (1 unless repeated). */
void compare_rounds(const compare_t *c, int *started, int *wanted);

/* What to call column col: its label while hidden, else its model. */
const char *compare_col_name(const compare_t *c, size_t col);
/* NULL while hidden. */
const char *compare_col_model(const compare_t *c, size_t col);
const char *compare_col_provider(const compare_t *c, size_t col);
/* "A".."L" in blind mode (kept after the reveal); NULL otherwise. */
const char *compare_col_label(const compare_t *c, size_t col);
/* Of the column's current run (the last run of the last turn). */
compare_state compare_col_state(const compare_t *c, size_t col);
/* The one-line, sanitised reason of a FAILED run (or "cancelled"), or NULL. */
const char *compare_col_error(const compare_t *c, size_t col);
/* The CLI exit status of the run's error (api_error_exit_code); 0 if none. */
int compare_col_exit_code(const compare_t *c, size_t col);
const char *compare_col_finish(const compare_t *c, size_t col);
/* The server's completion id of the current run (once it ended), or NULL. */
const char *compare_col_completion_id(const compare_t *c, size_t col);
/* When the network thread had the run's first content token (monotonic
 * µs, CLOCK_MONOTONIC), or 0: for benchmarks that line it up with the
 * server's own clock. */
int64_t compare_col_first_token_us(const compare_t *c, size_t col);
/* The answer so far (raw server text: sanitise to show). Never NULL. */
const buf_t *compare_col_text(const compare_t *c, size_t col);
/* Bumped on every delta and state change of the column. */
unsigned compare_col_rev(const compare_t *c, size_t col);
/* now_us: monotonic µs (clock_mono_us) for the live figures. */
void compare_col_metrics(const compare_t *c, size_t col, int64_t now_us, compare_metrics *out);
/* Runs of the last turn in the column, and one run's metrics. */
size_t compare_col_nruns(const compare_t *c, size_t col);
void compare_col_run_metrics(const compare_t *c, size_t col, size_t run, int64_t now_us,
                             compare_metrics *out);
compare_state compare_col_run_state(const compare_t *c, size_t col, size_t run);
/* Median and spread over the last turn's completed runs: TTFT in ms and
 * tokens/s. */
void compare_col_stats(const compare_t *c, size_t col, compare_stats *ttft_ms, compare_stats *tok_s);
/* The answer of an earlier turn (its last run), never NULL. */
const char *compare_col_answer(const compare_t *c, size_t col, size_t turn);
/* Which columns (arrays of compare_ncols) have the fastest TTFT and the
 * highest tokens/s in their current run; ties all win; only WAITING,
 * STREAMING and DONE runs take part. */
void compare_winners(const compare_t *c, int64_t now_us, bool *fastest_ttft, bool *highest_rate);

/* Votes, in order: the turn and the column (-1: a tie). */
size_t compare_nvotes(const compare_t *c);
bool compare_vote_get(const compare_t *c, size_t i, size_t *turn, int *col);

#endif
