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

#endif
