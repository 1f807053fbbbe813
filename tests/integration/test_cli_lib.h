/* test_cli_lib.h: running the real aidesk binary ($AIDESK_BIN) against a
 * simulator, capturing its stdout, stderr and exit status.
 *
 * Every child gets a private environment: XDG_CONFIG_HOME, XDG_DATA_HOME
 * and XDG_STATE_HOME under a scratch directory, and the simulator's URL
 * with the demo agent key and project id in AIASSIST_API_KEY,
 * AIASSIST_BASE_URL, AI_GATE_PROJECT_ID, AI_GATE_BASE_URL. A call can
 * override variables with "NAME=value" strings, or unset one with "NAME". */
#ifndef AIDESK_TEST_CLI_LIB_H
#define AIDESK_TEST_CLI_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "simproc.h"

typedef struct clit_res {
    int status;   /* exit status; 128 + N when killed by signal N; -1 on time-out */
    char *out;    /* stdout, NUL-terminated */
    size_t out_len;
    char *err;    /* stderr */
    size_t err_len;
    long long syscw; /* write system calls the process made, all threads
                      * (/proc/PID/io, read before it was reaped); -1 when
                      * unknown */
} clit_res;

/* A NULL-terminated word list, for the calls below. */
#define W(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Makes the scratch directory and remembers the simulator (may be NULL
 * for tests that need none). */
void clit_init(const simproc *sim);

/* For a file whose tests share one simulator. clit_start_sim starts sim
 * with args and calls clit_init: 0, or -1 when the simulator would not
 * start (call it from the cmocka group setup). clit_group_teardown stops
 * it and calls clit_done; clit_fresh, a per-test setup, clears the faults
 * a test left behind. */
int clit_start_sim(simproc *sim, const char *const *args);
int clit_group_teardown(void **state);
int clit_fresh(void **state);
/* Removes the scratch directory. */
void clit_done(void);
/* The scratch directory (holds c/, d/, s/ for the XDG variables). */
const char *clit_home(void);

/* Runs aidesk with the words (NULL-terminated), env overrides (NULL or a
 * NULL-terminated list) and stdin_text on standard input (NULL: /dev/null).
 * Gives up after 60 s. Free the result with clit_res_free. */
void clit_run(clit_res *r, const char *const *env, const char *stdin_text,
              const char *const *words);
/* The same with stdout on a pseudo-terminal (stderr stays a pipe). */
void clit_run_pty(clit_res *r, const char *const *env, const char *const *words);
void clit_res_free(clit_res *r);

/* A background aidesk (for ws watch and interrupts). */
typedef struct clit_proc {
    pid_t pid;
    int out_fd, err_fd;
    char *out, *err;
    size_t out_len, err_len, out_cap, err_cap;
} clit_proc;

int clit_spawn(clit_proc *p, const char *const *env, const char *const *words);
/* The console itself: standard input, output and error on one
 * pseudo-terminal of rows x cols (out_fd is its master: clit_send types on
 * it), TERM=xterm-256color unless env says otherwise. 0 or -1. */
int clit_spawn_tty(clit_proc *p, const char *const *env, const char *const *words, int rows,
                   int cols);
/* Types text on a clit_spawn_tty child's terminal; asserts it was written. */
void clit_send(clit_proc *p, const char *text);
/* Reads until nothing has come for quiet_ms (or timeout_ms passes); true
 * when it went quiet. */
bool clit_wait_quiet(clit_proc *p, long quiet_ms, long timeout_ms);
/* Write system calls made so far by the process's first thread (the
 * console's UI thread: the one that writes to the terminal), or -1. */
long long clit_main_thread_syscw(pid_t pid);
/* Reads until stdout holds needle (NULL: any byte) or timeout_ms passes. */
bool clit_wait_out(clit_proc *p, const char *needle, long timeout_ms);
/* Sends sig, waits for the exit (up to timeout_ms; then SIGKILL) and moves
 * everything into r. */
void clit_stop(clit_proc *p, int sig, long timeout_ms, clit_res *r);

/* POST /_sim/faults {spec}; asserts it was accepted. */
void clit_fault(const simproc *sim, const char *spec);
/* DELETE /_sim/faults. */
void clit_clear_faults(const simproc *sim);

/* Counts occurrences of needle in hay. */
size_t clit_count(const char *hay, const char *needle);
/* A string field of a JSON object in text ("id" of {"id":"x"}), as a new
 * string, or NULL. */
char *clit_json_str(const char *text, const char *path);

/* Asserts with the output shown when it fails. */
#define CLIT_EXPECT(r, want_status, out_has, err_has)                                   \
    clit_expect(&(r), (want_status), (out_has), (err_has), __FILE__, __LINE__)
void clit_expect(const clit_res *r, int status, const char *out_has, const char *err_has,
                 const char *file, int line);

#endif
