/* model_priv.h: what the model's own files (model*.c, conv.c, notes.c)
 * share, and no one else. */
#ifndef AIDESK_MODEL_MODEL_PRIV_H
#define AIDESK_MODEL_MODEL_PRIV_H

#include "model/model.h"

/* Frees one message and what it holds (its render cache, its note). */
void model_msg_free(msg *mm);
/* Frees what a note holds (notes.c). */
void model_note_free(struct msg_note *n);
/* Frees c's messages and their index: c is left with none. */
void model_conv_clear(conv *c);
/* Takes c out of the model and frees it, leaving a hole in m->convs that
 * model_compact closes (so that letting many go is one pass). */
void model_drop(model *m, conv *c);
/* Closes the holes model_drop left, keeping the order. */
void model_compact(model *m);
/* Puts a new workspace in the recent list by its activity (most new ones
 * are the most recent: constant time). */
void model_keep_place(model *m, conv *c);
/* Takes c out of the recent list (no-op when not in it). */
void model_keep_unlink(model *m, conv *c);

/* conv.c: a message record (id copied, text copied), not yet in a
 * conversation. */
msg *model_msg_new(const char *id, ai_role role, const char *text, size_t len, msg_state state,
                  int64_t at_ms);
/* Puts the n records mms (taken) at position at of c's messages, in
 * order; their ids must be new to c. */
void model_conv_insert(conv *c, size_t at, msg *const *mms, size_t n);
/* conv_upsert; with take (am itself), a new message takes am's text. */
msg *model_upsert(model *m, conv *c, const ai_message *am, int64_t now_ms, ai_message *take);
bool model_is_local_id(const char *id);
void model_msg_set_approval(msg *mm, const char *approval);
/* An answer keeps its time in the conversation's summary. */
void model_note_answer(conv *c, const msg *mm);
#endif
