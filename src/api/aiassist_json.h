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
#include "util/jsonarr.h"

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

/* ---- long message lists (aiassist_msglist.c)
 *
 * A long conversation's history is megabytes, and two answers carry it
 * whole (history, by-client). Parsed at once, json-c's tree of it is about
 * three times the answer's size; so the usual answer is parsed without the
 * list, and the list is read one message at a time (util/jsonarr.h), each
 * message's tree freed as soon as it is decoded. The results are those of
 * decoding the whole tree, and so are the errors but for one difference:
 * reading stops at the first message of the wrong shape, and that is what
 * is reported even if a later one is not JSON at all. The decoders read
 * the list at the same point as from the tree, and anything unexpected
 * (an element that is not JSON before that, an odd shape) sends the
 * answer through the whole tree instead. */
typedef struct ai_msg_walk {
    bool active;  /* the list is read from the walker, not from the tree */
    bool invalid; /* an element was not JSON: decode the whole tree instead */
    bool read;    /* the decoder read the list */
    jsonu_parser *parser; /* for the elements, one level deeper than the list */
    jsonarr it;
} ai_msg_walk;

/* Reads the list, member key of o, into out (required or not): from the
 * walker when there is one and it is active, else from the tree. o NULL:
 * the walker's bare list. */
void ai_msg_list_read(jsonu_dec *d, json_object *o, const char *key, bool required,
                      ai_msg_walk *w, ai_message_list *out);

/* One element of such a list, e[0..elen), parsed with p and decoded into
 * out (grown, capacity *cap) as member key's next: 1, 0 when it is not a
 * message (the problem in d), -1 when it is not JSON (nothing added). */
int ai_msg_read_one(jsonu_dec *d, jsonu_parser *p, const char *e, size_t elen, const char *key,
                    ai_message_list *out, size_t *cap);
/* The same for one element decoded into *into (cleared first) as member
 * key's element number index. */
int ai_msg_read_at(jsonu_dec *d, jsonu_parser *p, const char *e, size_t elen, const char *key,
                   size_t index, ai_message *into);

/* A decoder of an answer with a long list: given the parsed answer (see
 * ai_msg_walk_decode), returns a new result, never NULL, reading the list
 * with ai_msg_list_read at the point where it belongs. */
typedef void *(*ai_walk_dec_fn)(jsonu_dec *d, json_object *o, ai_msg_walk *w);

/* Parses and decodes an answer whose list is member key of an object, or
 * (bare_ok) the list itself. With walk, the list is read one message at a
 * time when the answer's shape allows: dec then gets the object with the
 * list replaced by [] (NULL for a bare list). Otherwise, or when an element
 * turns out not to be JSON, dec gets the whole tree. what names the answer
 * in errors. Returns dec's result, or NULL with *err set (free_fn frees a
 * result that failed). */
void *ai_msg_walk_decode(const char *body, size_t len, const char *key, bool bare_ok,
                         const char *what, bool walk, ai_walk_dec_fn dec,
                         void (*free_fn)(void *), char **err);

/* The two answers that carry a whole history, decoded with the walker or
 * (walk false) through the whole tree: the reference in tests. */
ai_message_list *ai_decode_ws_history_as(const char *body, size_t len, bool walk, char **err);
ai_by_client_result *ai_decode_ws_by_client_as(const char *body, size_t len, bool walk, char **err);

/* The optional "usage" object of a completion or a stream chunk. */
void ai_usage_field(jsonu_dec *d, json_object *o, ai_usage *u);

#endif
