/* watch.h: what the two halves of "ws watch" share: the line format, and
 * the polling fallback for servers without the manager API. */
#ifndef AIDESK_CLI_WATCH_H
#define AIDESK_CLI_WATCH_H

#include <json-c/json.h>

#include "cli/cli_priv.h"
#include "util/buf.h"

/* One event. --json: prints {id, type, workspace_id, t, data} at once
 * (data taken, may be NULL). Text: appends "15:21:00  type  ws_x  text\n"
 * to out, text being already safe (built with cli_s1/cli_short). */
void cli_watch_line(cli_ctx *c, const char *type, const char *sse_id, const char *workspace_id,
                    json_object *data, const char *text, buf_t *out);

/* Polls GET /api/workspaces/{ws}/messages every 2 s and prints each new
 * message as a message.created event, until SIGINT/SIGTERM (0). Transient
 * failures are noted and retried at the next poll; others end it with
 * their exit status. */
int cli_watch_poll(cli_ctx *c, const char *ws);

#endif
