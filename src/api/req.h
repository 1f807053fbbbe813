/* req.h (internal to src/api): what the request builders of both clients
 * share. */
#ifndef AIDESK_API_REQ_H
#define AIDESK_API_REQ_H

#include <stdbool.h>

#include <json-c/json.h>

#include "net/net.h"
#include "util/buf.h"

/* A request to base + path (path already escaped, with any query), with
 * the given limits and no header. */
net_request *api_request_new(net_method m, const char *base, const char *path, long timeout_ms,
                             int max_retries, bool allow_http);

/* Adds "Content-Type: application/json" unless r has a Content-Type. */
void api_request_json_type(net_request *r);

/* Serialises body compactly as the request body, with the JSON content
 * type; takes ownership of body (releases it). */
void api_request_set_json(net_request *r, json_object *body);

/* Appends "/" + id escaped as one path segment. */
void api_path_add_id(buf_t *path, const char *id);

/* A JSON number that prints the way people write it (0.7, not
 * 0.69999999999999996). */
json_object *api_json_double(double v);

/* Adds key: string to o when s is not NULL. */
void api_json_add_str(json_object *o, const char *key, const char *s);

#endif
