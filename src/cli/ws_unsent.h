/* ws_unsent.h: what "ws send" (ws_send.c) and its kept messages
 * (ws_unsent.c) share; not for use outside src/cli. */
#ifndef AIDESK_CLI_WS_UNSENT_H
#define AIDESK_CLI_WS_UNSENT_H

#include <stdbool.h>

#include "cli/cli_priv.h"
#include "store/unsent.h"

/* Sends text to workspace ws, as the customer or (as_agent) as a human
 * agent with idem_key (NULL: none, so not repeated by itself). Returns the
 * DONE event (caller frees); or NULL with *e set to the error (caller
 * frees) and *maybe telling whether the service may have stored it
 * anyway, or with *e NULL when the request could not be built (an empty
 * id). */
net_event *cli_ws_post(cli_ctx *c, const char *ws, const char *text, bool as_agent,
                       const char *idem_key, api_error **e, bool *maybe);
/* The same as the customer, with the message's model and max_tokens
 * overrides (o may be NULL). */
net_event *cli_ws_post_opts(cli_ctx *c, const char *ws, const char *text,
                            const ai_ws_send_opts *o, api_error **e, bool *maybe);

/* -m/--model and --max-tokens of "ws create" and "ws send": *model NULL and
 * *max_tokens 0 when not given. False after a usage error (*rc set). */
bool cli_ws_model_opts(cli_ctx *c, const cli_args *a, const char **model, int *max_tokens,
                       int *rc);

/* The answer of a successful cli_ws_post (taken), printed as "ws send" or
 * "ws reply" prints it; with unsent_id, in JSON it is wrapped as
 * {"unsent_id", "workspace", "result"}. Returns the exit status. */
int cli_ws_print_answer(cli_ctx *c, net_event *ev, bool as_agent, const char *unsent_id,
                        const char *ws);

/* Whether the error says the workspace has ended (409 workspace_ended). */
bool cli_ws_ended(const api_error *e);

/* The kept messages: --unsent (list), --resend, --resend-all, --discard.
 * ws is the workspace given, or NULL. */
int cli_ws_unsent(cli_ctx *c, const cli_args *a, const char *ws);

#endif
