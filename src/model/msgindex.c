/* msgindex.c: open addressing with linear probing; deletion shifts the
 * following entries back, so there are no tombstones to clean up. */
#include "config.h"
#include "model/msgindex.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "util/mem.h"

struct msgindex {
    void **slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
    size_t off; /* where an item keeps its id */
};

static const char *key_of(const msgindex *ix, const void *item)
{
    /* Read through memcpy: the item is some struct with a char * at off,
     * which the compiler cannot see from a byte pointer. */
    const char *id;
    memcpy(&id, (const char *)item + ix->off, sizeof id);
    return id;
}

static size_t hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)(h ^ (h >> 32));
}

msgindex *msgindex_new_at(size_t id_offset)
{
    msgindex *ix = xcalloc(1, sizeof *ix);
    ix->off = id_offset;
    return ix;
}

msgindex *msgindex_new(void)
{
    return msgindex_new_at(offsetof(msg, id));
}

void msgindex_free(msgindex *ix)
{
    if (!ix)
        return;
    free(ix->slots);
    free(ix);
}

size_t msgindex_count(const msgindex *ix)
{
    return ix ? ix->n : 0;
}

/* The slot holding id, or the empty one where it would go. */
static size_t find_slot(const msgindex *ix, const char *id)
{
    size_t mask = ix->cap - 1, i = hash(id) & mask;
    while (ix->slots[i] && strcmp(key_of(ix, ix->slots[i]), id))
        i = (i + 1) & mask;
    return i;
}

static void grow(msgindex *ix)
{
    void **old = ix->slots;
    size_t oldcap = ix->cap;
    ix->cap = oldcap ? oldcap * 2 : 16;
    ix->slots = xcalloc(ix->cap, sizeof *ix->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i])
            ix->slots[find_slot(ix, key_of(ix, old[i]))] = old[i];
    free(old);
}

void msgindex_put(msgindex *ix, void *mm)
{
    /* At most half full: probes stay short. */
    if ((ix->n + 1) * 2 > ix->cap)
        grow(ix);
    size_t i = find_slot(ix, key_of(ix, mm));
    if (!ix->slots[i])
        ix->n++;
    ix->slots[i] = mm;
}

void *msgindex_get(const msgindex *ix, const char *id)
{
    if (!ix || !ix->cap || !id)
        return NULL;
    return ix->slots[find_slot(ix, id)];
}

void msgindex_del(msgindex *ix, const void *mm)
{
    if (!ix || !ix->cap)
        return;
    size_t mask = ix->cap - 1, i = find_slot(ix, key_of(ix, mm));
    if (ix->slots[i] != mm)
        return;
    /* Close the gap: move back each following entry whose home slot is
     * not between the gap and where it sits. */
    for (size_t j = i;;) {
        j = (j + 1) & mask;
        if (!ix->slots[j])
            break;
        size_t k = hash(key_of(ix, ix->slots[j])) & mask;
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) {
            ix->slots[i] = ix->slots[j];
            i = j;
        }
    }
    ix->slots[i] = NULL;
    ix->n--;
}
