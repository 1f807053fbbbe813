/* aiassist_json.h (internal to src/api): reading AiAssist's building blocks
 * (messages, workspaces, drafts) out of parsed JSON, shared by the answer
 * decoders and the manager event decoder. Each returns false with the
 * problem recorded in d; on failure *out holds whatever was read so far and
 * must still be cleared. */
#ifndef AIDESK_API_AIASSIST_JSON_H
#define AIDESK_API_AIASSIST_JSON_H

#include <stdbool.h>

#include <json-c/json.h>

#include "api/aiassist_types.h"
#include "api/dec.h"

bool ai_message_from_json(jsonu_dec *d, json_object *o, ai_message *out);
bool ai_workspace_from_json(jsonu_dec *d, json_object *o, ai_workspace *out);
bool ai_draft_from_json(jsonu_dec *d, json_object *o, ai_draft *out);
/* arr must be a JSON array; name is used in messages ("messages[2]"). */
bool ai_messages_from_json(jsonu_dec *d, json_object *arr, const char *name, ai_message_list *out);

/* Reads field key of o as a message / workspace / draft into a new heap
 * struct (*out stays NULL when absent or null and not required). */
bool ai_message_field(jsonu_dec *d, json_object *o, const char *key, bool required, ai_message **out);
bool ai_workspace_field(jsonu_dec *d, json_object *o, const char *key, bool required,
                        ai_workspace **out);
bool ai_draft_field(jsonu_dec *d, json_object *o, const char *key, bool required, ai_draft **out);

/* The optional "usage" object of a completion or a stream chunk. */
void ai_usage_field(jsonu_dec *d, json_object *o, ai_usage *u);

#endif
