/* error_body.h (internal to src/api): reading what a server says about an
 * error into an api_error. Tolerant on purpose: the kind already comes from
 * the HTTP status; a field of the wrong type is ignored, never fatal. */
#ifndef AIDESK_API_ERROR_BODY_H
#define AIDESK_API_ERROR_BODY_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "api/error.h"

/* A blank error of a kind from a service (no message yet). */
api_error *api_error_for(api_error_kind kind, api_service svc);

/* Parses body as JSON (strictly) and reads it with api_error_read_json; a
 * body that is not a JSON object is ignored. */
void api_error_read_body(api_error *e, const char *body, size_t len, int64_t now_s);

/* Reads the shapes both services use: AiAssist {detail, code} (detail may be
 * a string, a FastAPI list of {msg} or an object with a message);
 * OpenAI-style {error:{message, code|type}}; AI Gate {error, message} with
 * the 402 usage and 429 rate / concurrent fields. May refine e->kind
 * (concurrent_limit_exceeded, quota_exceeded). */
void api_error_read_json(api_error *e, json_object *o, int64_t now_s);

/* The error reported inside a stream (an "error" object in a chunk, or the
 * data of an "event: error"): kind from the code or type the server gives
 * (rate limit, key, quota), else API_ERR_SERVER. data need not be JSON: its
 * text is then the detail. */
api_error *api_error_from_stream(api_service svc, const char *data, size_t len);

#endif
