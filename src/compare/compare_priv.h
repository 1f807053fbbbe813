/* compare_priv.h: the comparison's internals, shared by its source files
 * (compare.c: runs and events; compare_store.c: transcript and reopening;
 * compare_export.c: Markdown and JSON). */
#ifndef AIDESK_COMPARE_COMPARE_PRIV_H
#define AIDESK_COMPARE_COMPARE_PRIV_H

#include <json-c/json.h>

#include "api/chat_stream.h"
#include "compare/compare.h"
#include "compare/compare_tokens.h"
#include "store/transcript.h"

typedef struct compare_run {
    compare_state state;
    buf_t text;
    compare_times t;          /* monotonic µs; reloaded runs: rebuilt from relative times */
    compare_tokcount tc;
    int64_t counted_prompt; /* -1 unknown */
    ai_usage usage;
    char *finish;
    char *error;          /* one line, sanitised */
    int exit_code;
    int64_t sent_ms, end_ms; /* wall clock */
    char *id;             /* completion id */
    char *served_model;   /* the model the server named */
    int64_t retries;
    int64_t skipped;      /* malformed chunks */
    unsigned rev;
} compare_run;

/* One column's runs in one turn (a repeat holds several). */
typedef struct compare_cell {
    compare_run **runs;
    size_t nruns, cap;
} compare_cell;

typedef struct compare_turn {
    char *prompt;
    int64_t t_ms;
    int runs_wanted;
    compare_cell *cells; /* one per column */
} compare_turn;

typedef struct compare_col {
    char *model;
    const char *provider;  /* static */
    char label[4];         /* blind: "A".. */
    uint64_t req;          /* the request feeding run, 0 when none */
    ai_stream *stream;
    compare_run *run;          /* the run being fed, NULL when none */
    size_t run_turn, run_index;
    bool stopped;          /* cancelled during a repeat: no more rounds */
    buf_t pending;         /* deltas not yet stored */
    int64_t pending_since; /* monotonic ms */
    unsigned rev;
} compare_col;

typedef struct compare_ballot {
    size_t turn;
    int col;
    int64_t t_ms;
} compare_ballot;

struct compare {
    desk_t *desk;
    uint64_t tag; /* its requests' owner tag in the desk (0: detached) */
    net_t *net;
    const ai_client *ai;
    compare_col *cols;
    size_t ncols;
    compare_turn *turns;
    size_t nturns, capturns;
    compare_ballot *votes;
    size_t nvotes, capvotes;
    bool blind, revealed;
    int max_tokens;
    char *system;          /* the system prompt every run starts with, or NULL */
    bool has_temperature;
    double temperature;    /* when has_temperature: sent with every run */
    int rounds;            /* rounds started for the last turn */
    bool stop_rounds;      /* cancel of all during a repeat */
    int64_t created_ms;
    char *title;           /* compare_title */
    int runs;              /* rounds per prompt (compare_runs) */
    void *view;            /* a front end's, freed by free_view (compare_set_view) */
    void (*free_view)(void *view);
    unsigned rev;
    int64_t clock_ms;      /* when the clock last bumped rev */
    bool save;
    store_transcript *log;
    char *log_error;
    /* Requests ended here whose terminal event is still to come. */
    uint64_t *zombies;
    size_t nzombies, capzombies;
};

/* compare.c */
/* Makes c the owner of its requests' answers and of its timers in its
 * desk (c->desk, which must be set), and enters it in the desk's list of
 * comparisons (desk_add_compare); compare_free undoes both. */
void compare_attach(compare_t *c);
compare_t *compare_alloc(desk_t *desk, net_t *net, const ai_client *ai, const char *const *models,
                     size_t n, bool blind, bool shuffle);
/* compare_access.c: "A vs B", or "blind, N models" (models in the order
 * given); the caller frees it. */
char *compare_default_title(const char *const *models, size_t n, bool blind);
compare_turn *compare_add_turn(compare_t *c, const char *prompt, int runs_wanted, int64_t t_ms);
/* Adds (index == nruns) or replaces (index < nruns) a run of a cell. */
compare_run *compare_cell_put(compare_cell *cell, size_t index);
void compare_run_free(compare_run *r);
void compare_run_sample(const compare_run *r, compare_sample *s);
/* The run a column shows: the last of the last turn, or NULL. */
const compare_run *compare_current(const compare_t *c, size_t col);
const compare_run *compare_kept(const compare_turn *t, size_t col);
/* Statistics of a cell's completed runs (cell may be NULL). */
void compare_cell_stats(const compare_cell *cell, compare_stats *ttft_ms, compare_stats *tok_s);

/* compare_store.c */
json_object *compare_record(const char *type);
/* Creates the transcript if the comparison saves and has none yet (with
 * the whole history so far). Called before every change that is logged. */
void compare_log_begin(compare_t *c);
/* Appends rec (taking it) to the transcript, if there is one. */
void compare_log(compare_t *c, json_object *rec);
json_object *compare_run_end_record(size_t col, size_t turn, size_t run, const compare_run *r);
/* Applies a run's end fields (from an "end" record or an export) to r. */
bool compare_run_apply_end(compare_run *r, json_object *o);
void compare_log_flush_col(compare_t *c, size_t col);

/* compare_export.c */
/* Reads an export object into a new comparison (NULL with *err). */
compare_t *compare_import_json(desk_t *desk, json_object *root, char **err);

#endif
