/* aiassist_histfeed.c: a history decoded as it arrives (aiassist.h).
 *
 * The same steps as ai_decode_ws_history walking a whole answer
 * (aiassist_msglist.c), in the order the bytes come: the walk
 * (util/jsonarr_feed.h) hands on each message, which is parsed and
 * decoded at once, up to the first that is not a message; at the end, the
 * object around a {messages: [...]} list must parse as an object. Where
 * the whole-answer decoder would have fallen back to the whole tree (the
 * walk did not hold, a message was not JSON), this one says so (-1) and
 * the caller fetches the answer whole: the error is then the same too.
 * Only the window asked for is kept (ai_hist_window_apply's rule). */
#include "config.h"
#include "api/aiassist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/aiassist_json.h"
#include "util/jsonarr_feed.h"
#include "util/mem.h"
#include "util/utf8.h"

typedef struct hfeed {
    jsonarr_feed *walk;
    jsonu_parser *parser; /* made at the first message: its depth depends on the form */
    jsonu_dec d;
    /* What is kept: the window (aiassist_types.h), a ring of at most
     * keep messages once full (the oldest goes as a newer one comes), so
     * that no more than the window and the message in progress are ever
     * held, however long the history. */
    size_t keep;          /* 0: all */
    char *id;             /* the window's id, or NULL */
    bool before;
    ai_message_list *list; /* the ring: items[head] is the oldest once full */
    size_t cap, head;
    size_t count;         /* messages read so far */
    bool found, frozen;   /* id seen; the part before it is complete */
    size_t found_at;
    bool invalid; /* a message was not JSON */
    uint64_t repairs; /* strings repaired (util/utf8.h), counted on the
                       * network thread: told again on the caller's */
} hfeed;

/* Keeps one more message (taking what it holds). */
static void keep_one(hfeed *h, ai_message *one)
{
    ai_message_list *l = h->list;
    if (h->keep && l->n == h->keep) {
        ai_message_clear(&l->items[h->head]);
        l->items[h->head] = *one;
        h->head = (h->head + 1) % h->keep;
        return;
    }
    if (l->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        if (h->keep && h->cap > h->keep)
            h->cap = h->keep;
        l->items = xrealloc(l->items, h->cap * sizeof *l->items);
    }
    l->items[l->n++] = *one;
}

static bool on_message(void *ud, const char *e, size_t n)
{
    hfeed *h = ud;
    if (!h->parser)
        h->parser = jsonu_parser_new(jsonarr_feed_member(h->walk) ? 2 : 1);
    uint64_t before = utf8_repairs();
    ai_message one;
    int r = ai_msg_read_at(&h->d, h->parser, e, n, "messages", h->count, &one);
    h->repairs += utf8_repairs() - before;
    h->invalid = r < 0;
    if (r < 0)
        return false;
    if (r == 1 && h->id && !h->found && one.id && !strcmp(one.id, h->id)) {
        h->found = true;
        h->found_at = h->count;
        h->frozen = h->before;
    }
    h->count++;
    /* Past the window's end the messages are still read (a bad one is the
     * same error as in the whole answer), and not kept. */
    if (r == 1 && !h->frozen)
        keep_one(h, &one);
    else
        ai_message_clear(&one);
    return r == 1;
}

static void hfeed_clear(hfeed *h)
{
    jsonarr_feed_free(h->walk);
    jsonu_parser_free(h->parser);
    jsonu_dec_free(&h->d);
    ai_message_list_free(h->list);
}

static void hfeed_start(hfeed *h)
{
    h->walk = jsonarr_feed_new(true, "messages", on_message, h);
    h->parser = NULL;
    jsonu_dec_init(&h->d, "history");
    h->list = xcalloc(1, sizeof *h->list);
    h->cap = h->head = h->count = h->found_at = 0;
    h->found = h->frozen = false;
    h->invalid = false;
    h->repairs = 0;
}

static void push(void *state, const char *p, size_t n)
{
    hfeed *h = state;
    /* After a message that is not JSON the answer goes whole anyway. */
    if (!h->invalid)
        jsonarr_feed_push(h->walk, p, n);
}

static void restart(void *state)
{
    hfeed_clear(state);
    hfeed_start(state);
}

static void hfeed_free(void *state)
{
    if (!state)
        return;
    hfeed *h = state;
    hfeed_clear(h);
    free(h->id);
    free(h);
}

net_sink *ai_history_sink_new(const ai_hist_window *w)
{
    hfeed *h = xcalloc(1, sizeof *h);
    if (w) {
        h->keep = w->keep;
        h->id = w->id ? xstrdup(w->id) : NULL;
        h->before = w->before;
    }
    hfeed_start(h);
    net_sink *s = xcalloc(1, sizeof *s);
    s->state = h;
    s->push = push;
    s->restart = restart;
    s->free = hfeed_free;
    return s;
}

/* The object around the list parses as an object (aiassist_msglist.c's
 * parse_rest): else the whole tree says what it is. */
static bool rest_is_object(const char *rest, size_t len)
{
    char *perr = NULL;
    json_object *o = jsonu_parse(rest, len, &perr);
    free(perr);
    bool ok = o && json_object_is_type(o, json_type_object);
    json_object_put(o);
    return ok;
}

int ai_history_sink_result(net_sink *s, struct ai_message_list **out, ai_hist_pos *pos,
                           char **err)
{
    hfeed *h = s->state;
    *out = NULL;
    *err = NULL;
    if (h->invalid || !jsonarr_feed_end(h->walk))
        return -1;
    size_t rl = 0;
    const char *rest = jsonarr_feed_rest(h->walk, &rl);
    if (rest && !rest_is_object(rest, rl))
        return -1;
    /* The console tells of repaired text once decoded (desk.c): as if
     * decoded here. */
    utf8_repairs_note(h->repairs);
    h->repairs = 0;
    if (!api_dec_finish(&h->d, err))
        return 0;
    ai_message_list *l = h->list;
    if (h->head) {
        /* The ring in order: oldest first. */
        ai_message *o = xmalloc(l->n * sizeof *o);
        for (size_t i = 0; i < l->n; i++)
            o[i] = l->items[(h->head + i) % l->n];
        free(l->items);
        l->items = o;
        h->cap = l->n;
    }
    if (l->n && l->n < h->cap)
        l->items = xrealloc(l->items, l->n * sizeof *l->items);
    if (pos) {
        size_t to = h->frozen ? h->found_at : h->count;
        pos->total = h->count;
        pos->older = to - l->n;
        pos->found = h->found;
        pos->found_at = h->found ? h->found_at : 0;
    }
    h->list = xcalloc(1, sizeof *h->list);
    h->cap = h->head = 0;
    *out = l;
    return 1;
}

size_t ai_history_sink_held(const net_sink *s)
{
    const hfeed *h = s->state;
    return h->list ? h->list->n : 0;
}
