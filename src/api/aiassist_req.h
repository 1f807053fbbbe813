/* aiassist_req.h (internal to src/api): helpers shared by the AiAssist
 * request builders. */
#ifndef AIDESK_API_AIASSIST_REQ_H
#define AIDESK_API_AIASSIST_REQ_H

#include <stdbool.h>

#include <json-c/json.h>

#include "api/aiassist.h"

/* A request to path (escaped, with any query) with the auth headers. */
net_request *ai_request(const ai_client *c, net_method m, const char *path);
/* Whether id can be put in a path (not NULL, not empty). */
bool ai_id_ok(const char *id);
/* prefix + "/" + escaped id + suffix. Caller frees. */
char *ai_id_path(const char *prefix, const char *id, const char *suffix);
/* A request to prefix/{id}suffix with body (owned, may be NULL); NULL (and
 * body released) when id is NULL or empty. */
net_request *ai_id_request(const ai_client *c, net_method m, const char *prefix, const char *id,
                           const char *suffix, json_object *body, bool retry_safe);

#endif
