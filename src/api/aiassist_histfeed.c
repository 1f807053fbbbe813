/* aiassist_histfeed.c: a history decoded as it arrives (aiassist.h).
 *
 * The same steps as ai_decode_ws_history walking a whole answer
 * (aiassist_msglist.c), in the order the bytes come: the walk
 * (util/jsonarr_feed.h) hands on each message, which is parsed and
 * decoded at once, up to the first that is not a message; at the end, the
 * object around a {messages: [...]} list must parse as an object. Where
 * the whole-answer decoder would have fallen back to the whole tree (the
 * walk did not hold, a message was not JSON), this one says so (-1) and
 * the caller fetches the answer whole: the error is then the same too. */
#include "config.h"
#include "api/aiassist.h"

#include <stdint.h>
#include <stdlib.h>

#include "api/aiassist_json.h"
#include "util/jsonarr_feed.h"
#include "util/mem.h"
#include "util/utf8.h"

typedef struct hfeed {
    jsonarr_feed *walk;
    jsonu_parser *parser; /* made at the first message: its depth depends on the form */
    jsonu_dec d;
    ai_message_list *list;
    size_t cap;
    bool invalid; /* a message was not JSON */
    uint64_t repairs; /* strings repaired (util/utf8.h), counted on the
                       * network thread: told again on the caller's */
} hfeed;

static bool on_message(void *ud, const char *e, size_t n)
{
    hfeed *h = ud;
    if (!h->parser)
        h->parser = jsonu_parser_new(jsonarr_feed_member(h->walk) ? 2 : 1);
    uint64_t before = utf8_repairs();
    int r = ai_msg_read_one(&h->d, h->parser, e, n, "messages", h->list, &h->cap);
    h->repairs += utf8_repairs() - before;
    h->invalid = r < 0;
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
    h->cap = 0;
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
    hfeed_clear(state);
    free(state);
}

net_sink *ai_history_sink_new(void)
{
    hfeed *h = xcalloc(1, sizeof *h);
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

int ai_history_sink_result(net_sink *s, struct ai_message_list **out, char **err)
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
    if (l->n && l->n < h->cap)
        l->items = xrealloc(l->items, l->n * sizeof *l->items);
    h->list = xcalloc(1, sizeof *h->list);
    *out = l;
    return 1;
}
