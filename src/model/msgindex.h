/* msgindex.h: items by their id string: one conversation's messages, and
 * the model's conversations.
 *
 * Merging a history upserts every message, and each upsert first looks
 * for the id: with a scan that is quadratic (a 10,000-message history took
 * about 0.2 s of the UI thread). Live events name their workspace by id,
 * and a whole shift sees thousands of workspaces: a scan there made every
 * event cost more as the day went on. The index makes each lookup
 * constant.
 *
 * An item is any struct holding its id as a `char *` at a fixed offset
 * (given to msgindex_new_at; msgindex_new is for struct msg). Keys are the
 * items' own id strings, not copies: an item's id must not change while it
 * is indexed (conv.c takes a message out, renames it and puts it back).
 * Owned by whoever created it (a conversation, the model). */
#ifndef AIDESK_MODEL_MSGINDEX_H
#define AIDESK_MODEL_MSGINDEX_H

#include <stddef.h>

typedef struct msgindex msgindex;

/* An index of struct msg by msg.id. */
msgindex *msgindex_new(void);
/* An index of items whose `char *` id sits at id_offset (offsetof). */
msgindex *msgindex_new_at(size_t id_offset);
void msgindex_free(msgindex *ix);
/* Adds item under its id; one already there with that id is replaced. */
void msgindex_put(msgindex *ix, void *item);
/* The item with this id, or NULL. */
void *msgindex_get(const msgindex *ix, const char *id);
/* Takes item out (nothing happens when it is not in). */
void msgindex_del(msgindex *ix, const void *item);
size_t msgindex_count(const msgindex *ix);

#endif
