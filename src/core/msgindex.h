/* msgindex.h: one conversation's messages by id.
 *
 * Merging a history upserts every message, and each upsert first looks
 * for the id: with a scan that is quadratic (a 10,000-message history took
 * about 0.2 s of the UI thread). The index makes each lookup constant.
 * Keys are the messages' own id strings, not copies: a message's id must
 * not change while it is indexed (conv.c takes it out, renames it and puts
 * it back). Owned by its conversation. */
#ifndef AIDESK_CORE_MSGINDEX_H
#define AIDESK_CORE_MSGINDEX_H

#include <stddef.h>

struct msg;
typedef struct msgindex msgindex;

msgindex *msgindex_new(void);
void msgindex_free(msgindex *ix);
/* Adds mm under its id; one already there with that id is replaced. */
void msgindex_put(msgindex *ix, struct msg *mm);
/* The message with this id, or NULL. */
struct msg *msgindex_get(const msgindex *ix, const char *id);
/* Takes mm out (nothing happens when it is not in). */
void msgindex_del(msgindex *ix, const struct msg *mm);
size_t msgindex_count(const msgindex *ix);

#endif
