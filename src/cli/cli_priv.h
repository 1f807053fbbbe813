/* cli_priv.h: what the files of the command line share; not for use
 * outside src/cli.
 *
 * One cli_ctx lives for one command. It owns the network thread and the
 * API clients (made on first use, so "aidesk config" starts no thread and
 * "aidesk gate health" needs no AiAssist key), the signal self-pipe, and a
 * pool of sanitised strings for the text being printed. */
#ifndef AIDESK_CLI_PRIV_H
#define AIDESK_CLI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "api/aiassist.h"
#include "api/aiassist_types.h"
#include "api/error.h"
#include "api/gate.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "config/settings.h"
#include "net/net.h"
#include "util/buf.h"

/* Exit statuses of aidesk (the API's are api_error_exit_code's). */
enum {
    CLI_OK = 0,
    CLI_ERR = 1,
    CLI_USAGE = 2,
    CLI_INTERRUPTED = 130,
};

typedef struct cli_ctx {
    const cli_args *args;
    config_t *cfg;        /* borrowed */
    net_t *net;           /* owned, made by cli_net */
    ai_client *ai;        /* owned, made by cli_ai */
    gate_client *gate;    /* owned, made by cli_gate */
    bool json;            /* --json */
    bool quiet;           /* -q: no notes on stderr */
    bool sanitize;        /* text on stdout is sanitised (always, unless --raw to a non-terminal) */
    int sig_rd;           /* read end of the signal self-pipe */
    int signal;           /* the last SIGINT/SIGTERM read from it, 0 if none */
    char **pool;          /* strings handed out by cli_s1/cli_sm */
    size_t npool, poolcap;
    uint64_t repairs;     /* utf8_repairs() when the command started */
    bool told_repairs;    /* the invalid UTF-8 warning was given */
    buf_t out;            /* text held back by cli_out_put */
    bool out_live;        /* stdout is a terminal: held text goes out at once */
    bool out_broken;      /* writing to stdout failed */
    size_t out_bytes, out_writes; /* what cli_out_flush wrote, and in how many */
} cli_ctx;

/* ------------------------------------------------------------ ctx.c */

/* The clients and the network thread, made on first use. NULL after a
 * message on stderr: the caller returns CLI_USAGE (missing key or project
 * id, bad configuration) or CLI_ERR (no thread). */
ai_client *cli_ai(cli_ctx *c);
gate_client *cli_gate(cli_ctx *c);
net_t *cli_net(cli_ctx *c);

/* "aidesk: <message>" and "Try 'aidesk <cmd> --help'." on stderr; returns
 * CLI_USAGE. */
int cli_usage(cli_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "aidesk: <message>" on stderr, sanitised, unless quiet. */
void cli_note(cli_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the error (api_error_message) and frees it; returns its exit
 * status. */
int cli_fail(cli_ctx *c, api_error *e);
/* Once per command, when some text decoded since it started held invalid
 * UTF-8 (util/utf8.h: utf8_repairs): a warning on stderr, -q or not, that
 * the bad bytes are shown as U+FFFD. */
void cli_tell_repairs(cli_ctx *c);

/* Option values, checked; on a bad value print a usage error and return
 * false. */
bool cli_parse_double(cli_ctx *c, const char *opt, const char *s, double *out);
bool cli_parse_int(cli_ctx *c, const char *opt, const char *s, long min, long max, long *out);

/* The text of a message argument: the positional arguments from first on,
 * joined by spaces; or standard input when the only one is "-", or when
 * there are none, from_stdin_if_none is set and stdin is not a terminal.
 * One trailing newline of standard input is dropped. NULL after a message
 * (*rc set). */
char *cli_read_text(cli_ctx *c, size_t first, bool from_stdin_if_none, int *rc);

/* ------------------------------------------------------------ out.c */

/* Remote text made safe for stdout, as pooled strings valid until
 * cli_pool_clear (or the end of the command): cli_s1 on one line (a
 * newline cannot forge another line), cli_sm keeping newlines and tabs.
 * NULL gives "". Without sanitising (--raw to a pipe) the text is as is. */
const char *cli_s1(cli_ctx *c, const char *s);
const char *cli_sm(cli_ctx *c, const char *s);
/* The same for a label, cut to at most max bytes (at a character) with
 * newlines turned into spaces and "..." added when cut. */
const char *cli_short(cli_ctx *c, const char *s, size_t max);
void cli_pool_clear(cli_ctx *c);

/* Writes bytes to stdout and flushes. false when stdout is broken. */
bool cli_out(const char *s, size_t n);
/* Text that comes in many small pieces (a streamed reply): held and
 * written in large writes, when CLI_OUT_HOLD bytes are held, when
 * cli_request is about to wait for the network (no event is waiting), and
 * at the end (cli_out_flush). On a terminal each piece goes out at once,
 * so a person sees the reply as it comes. false once stdout is broken
 * (c->out_broken; the text is dropped). */
#define CLI_OUT_HOLD (64 * 1024)
bool cli_out_put(cli_ctx *c, const char *s, size_t n);
/* Writes what is held. false once stdout is broken. */
bool cli_out_flush(cli_ctx *c);

/* Local time of unix ms: "15:21:00", or with date "2026-11-21 15:21:00";
 * "-" for 0. */
const char *cli_time(int64_t ms, bool date, char *buf, size_t n);
/* "15:21:00 (in 59 s)" for a unix second in the future (or "... ago"). */
const char *cli_expiry(int64_t unix_s, char *buf, size_t n);

/* Prints text (already safe) to stdout, indenting each line after the
 * first by indent spaces (blank lines stay empty). */
void cli_put_indented(const char *text, int indent);
/* One message: "15:21:00 user: text" (continuation lines indented). */
void cli_print_message(cli_ctx *c, const ai_message *m, bool date);
/* "workspace ws_x  mode ai  status active  client cust_1". */
void cli_print_workspace_line(cli_ctx *c, const ai_workspace *w);

/* ------------------------------------------------------------ run.c */

/* Called with each OPEN and SSE event of a request. Return false to
 * cancel the request (an error inside a stream). */
typedef bool (*cli_event_fn)(void *ud, const net_event *ev);

typedef enum cli_wake {
    CLI_WAKE_NET,     /* events are waiting */
    CLI_WAKE_SIGNAL,  /* SIGINT or SIGTERM (c->signal says which) */
    CLI_WAKE_TIMEOUT,
} cli_wake;

/* Waits on the network's wake fd and the signal pipe (timeout_ms -1: no
 * limit). Never busy-waits. */
cli_wake cli_wait(cli_ctx *c, long timeout_ms);

/* Submits req (taking it) and runs it to its terminal event, which it
 * returns (caller frees). Retries are noted on stderr unless quiet; a
 * signal cancels the request (the terminal event is then CANCELLED). fn may
 * be NULL. req NULL (a builder refused an empty id) gives NULL. */
net_event *cli_request(cli_ctx *c, api_service svc, net_request *req, cli_event_fn fn, void *ud);

/* The error of a failed event, with the service's host. Never NULL. */
api_error *cli_event_error(cli_ctx *c, api_service svc, const net_event *ev);

/* A plain call: returns the DONE event (caller frees), or NULL after
 * printing the error, with *rc set to the exit status. */
net_event *cli_call(cli_ctx *c, api_service svc, net_request *req, int *rc);

/* ----------------------------------------------------------- idem.c */

/* The idempotency key of this invocation: --idempotency-key (checked) or a
 * new one (caller frees). NULL after a usage message, *rc set. */
char *cli_idem_key(cli_ctx *c, const cli_args *a, int *rc);
/* cli_call for a manager action carrying key (req built with it). When it
 * fails and may have been applied anyway (not certainly unprocessed, not
 * refused), also prints the exact command that repeats it with the same
 * key. */
net_event *cli_keyed_call(cli_ctx *c, const cli_args *a, net_request *req, const char *key,
                          int *rc);
/* Prints (on stderr, whatever -q says) the exact command that repeats this
 * invocation with key, for an action that may have been applied. */
void cli_print_repeat(const cli_args *a, const char *key);

/* ------------------------------------------------------- json_out.c */

/* A JSON string of s (NULL: JSON null): every code point as it was sent,
 * U+0000 included (written \u0000); invalid UTF-8 becomes U+FFFD so the
 * document stays valid. */
json_object *cli_jstr(const char *s);
/* A compact JSON text decoded back into an object (NULL when absent). */
json_object *cli_jraw(const char *json_text);
json_object *cli_jmessage(const ai_message *m);
json_object *cli_jmessages(const ai_message_list *l);
json_object *cli_jworkspace(const ai_workspace *w);
json_object *cli_jdraft(const ai_draft *d);
json_object *cli_jerror(const api_error *e);
/* Prints o as one line on stdout and releases it. Code points a terminal
 * could obey (C1 controls, bidi overrides, ...) are written as \uXXXX
 * escapes, so the JSON is safe on a terminal and still says the same. */
void cli_json_print(cli_ctx *c, json_object *o);

/* --------------------------------------------------------- commands */

int cli_cmd_chat(cli_ctx *c, const cli_args *a);
int cli_cmd_models(cli_ctx *c, const cli_args *a);
int cli_cmd_compare(cli_ctx *c, const cli_args *a);
int cli_cmd_config(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_create(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_get(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_find(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_history(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_typing(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_end(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_send(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_reply(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_list(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_mode(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_drafts(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_approve(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_reject(cli_ctx *c, const cli_args *a);
int cli_cmd_ws_watch(cli_ctx *c, const cli_args *a);
int cli_cmd_gate_session(cli_ctx *c, const cli_args *a);
int cli_cmd_gate_turn(cli_ctx *c, const cli_args *a);
int cli_cmd_gate_health(cli_ctx *c, const cli_args *a);
int cli_cmd_gate_call(cli_ctx *c, const cli_args *a);
int cli_cmd_completion(cli_ctx *c, const cli_args *a);

/* "aidesk completion SHELL" (complete.c): prints the script; needs no
 * configuration, so cli_info runs it before any is read. Returns the exit
 * status. */
int cli_completion(const cli_args *a);

/* The command table (cmdtab.c), ended by an entry with group NULL. */
extern const cli_cmd cli_commands[];

#endif
