/* fuzz_decode: every answer decoder of src/api.
 *
 * The first byte of the input picks the decoder (the table below; a byte
 * not in it picks by its value), the rest is the answer. Beyond "no crash,
 * no leak, no undefined behaviour" (the sanitizers), each result must keep
 * what the headers promise: every decoded string valid UTF-8, every
 * "compact JSON" field JSON again, numbers in their documented ranges,
 * error messages one sanitised line, registered secrets out of the debug
 * log; the two readers of a long history (message at a time, and the whole
 * tree) must agree, and so must the array walker and json-c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/aiassist_events.h"
#include "api/aiassist_json.h"
#include "api/aiassist_types.h"
#include "api/apitime.h"
#include "api/dec.h"
#include "api/error.h"
#include "api/error_body.h"
#include "api/gate.h"
#include "fuzz.h"
#include "net/net.h"
#include "net/retry.h"
#include "util/jsonarr.h"
#include "util/jsonu.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/timefmt.h"

/* ------------------------------------------------------------- checks */

#define U(field) fz_utf8(#field, field)

/* A "compact JSON" field: JSON again (an object when must_object). */
static void check_json(const char *what, const char *s, bool must_object)
{
    if (!s)
        return;
    char *err = NULL;
    json_object *o = jsonu_parse(s, strlen(s), &err);
    if (err || (must_object && !json_object_is_type(o, json_type_object))) {
        fz_dump(what, s, strlen(s));
        fz_fail("%s is not %s: %s", what, must_object ? "a JSON object" : "JSON",
                err ? err : "another type");
    }
    json_object_put(o);
}

static void check_int(const char *what, int64_t v, int64_t lo, int64_t hi)
{
    if (v < lo || v > hi)
        fz_fail("%s is %lld, outside %lld..%lld", what, (long long)v, (long long)lo,
                (long long)hi);
}

/* Unix ms of years 1..9999 (the parser's range), with a day of zone slack. */
#define MS_MIN (INT64_C(-62135596800000) - INT64_C(86400000))
#define MS_MAX (INT64_C(253402300799999) + INT64_C(86400000))

static void check_message(const ai_message *m)
{
    if (!m)
        return;
    U(m->id);
    U(m->content);
    U(m->created_at);
    U(m->approval);
    U(m->draft_id);
    check_int("created_ms", m->created_ms, MS_MIN, MS_MAX);
    if ((unsigned)m->role > AI_ROLE_SYSTEM)
        fz_fail("a message's role is %d", (int)m->role);
}

static void check_messages(const ai_message_list *l)
{
    if (l->n && !l->items)
        fz_fail("a list of %zu messages without items", l->n);
    for (size_t i = 0; i < l->n; i++)
        check_message(&l->items[i]);
}

static void check_workspace(const ai_workspace *w)
{
    if (!w)
        return;
    U(w->id);
    U(w->mode_raw);
    U(w->status);
    U(w->client_id);
    U(w->system_prompt);
    U(w->created_at);
    U(w->updated_at);
    U(w->last_activity_at);
    check_json("metadata_json", w->metadata_json, true);
    check_json("context_json", w->context_json, true);
    check_int("last_activity_ms", w->last_activity_ms, MS_MIN, MS_MAX);
    check_int("message_count", w->message_count, -1, API_INT_MAX);
    check_int("pending_drafts", w->pending_drafts, -1, API_INT_MAX);
    check_message(w->last_message);
}

static void check_draft(const ai_draft *d)
{
    if (!d)
        return;
    U(d->id);
    U(d->workspace_id);
    U(d->content);
    U(d->created_at);
    U(d->in_reply_to);
    U(d->status);
    U(d->reason);
    check_int("created_ms", d->created_ms, MS_MIN, MS_MAX);
    check_message(d->in_reply_to_message);
}

static void check_err(const char *what, void *result, char *err)
{
    if (!result == !err)
        fz_fail("%s: a result and an error are not exclusive (result %p, error %p)", what,
                result, (void *)err);
    if (err) {
        /* Decoder errors end up in api_error_message: they must survive
         * being shown, and they are one line. */
        U(err);
        api_error *e = ai_decode_error(err);
        char *msg = api_error_message(e);
        if (!sanitize_is_clean(msg, strlen(msg), 0)) {
            fz_dump("message", msg, strlen(msg));
            fz_fail("%s: an error message is not one clean line", what);
        }
        free(msg);
        api_error_free(e);
    }
}

/* --------------------------------------------------- messages compared */

static bool same_message(const ai_message *a, const ai_message *b)
{
    return fz_same(a->id, b->id) && a->role == b->role && fz_same(a->content, b->content) &&
           fz_same(a->created_at, b->created_at) && a->created_ms == b->created_ms &&
           fz_same(a->approval, b->approval) && fz_same(a->draft_id, b->draft_id);
}

static void same_messages(const char *what, const ai_message_list *a, const ai_message_list *b)
{
    if (a->n != b->n)
        fz_fail("%s: %zu messages read one at a time, %zu from the whole tree", what, a->n,
                b->n);
    for (size_t i = 0; i < a->n; i++)
        if (!same_message(&a->items[i], &b->items[i]))
            fz_fail("%s: message %zu differs between the two readers", what, i);
}

/* The two readers agree on success; on failure both fail (their messages
 * may differ: aiassist_json.h says which one each reports). */
static void same_outcome(const char *what, const void *a, const void *b, const char *ea,
                         const char *eb)
{
    if (!a != !b) {
        fprintf(stderr, "  one at a time: %s\n  whole tree: %s\n", ea ? ea : "ok",
                eb ? eb : "ok");
        fz_fail("%s: the message-at-a-time reader and the whole tree disagree", what);
    }
}

static void history(const char *s, size_t n)
{
    char *e1 = NULL, *e2 = NULL;
    ai_message_list *a = ai_decode_ws_history(s, n, &e1);
    ai_message_list *b = ai_decode_ws_history_as(s, n, false, &e2);
    same_outcome("history", a, b, e1, e2);
    if (a) {
        check_messages(a);
        same_messages("history", a, b);
    }
    ai_message_list_free(a);
    ai_message_list_free(b);
    free(e2);
    check_err("history", a, e1);
}

static void by_client(const char *s, size_t n)
{
    char *e1 = NULL, *e2 = NULL;
    ai_by_client_result *a = ai_decode_ws_by_client(s, n, &e1);
    ai_by_client_result *b = ai_decode_ws_by_client_as(s, n, false, &e2);
    same_outcome("by-client", a, b, e1, e2);
    if (a) {
        check_workspace(a->workspace);
        check_messages(&a->messages);
        same_messages("by-client", &a->messages, &b->messages);
        if (a->exists != b->exists || !a->workspace != !b->workspace ||
            (a->workspace && !fz_same(a->workspace->id, b->workspace->id)))
            fz_fail("by-client: the workspace differs between the two readers");
    }
    ai_by_client_result_free(a);
    ai_by_client_result_free(b);
    free(e2);
    check_err("by-client", a, e1);
}

/* ------------------------------------------------- one decoder each */

static void chat(const char *s, size_t n)
{
    char *err = NULL;
    ai_chat_result *r = ai_decode_chat(s, n, &err);
    if (r) {
        U(r->id);
        U(r->object);
        U(r->model);
        check_int("created", r->created, 0, API_INT_MAX);
        for (size_t i = 0; i < r->nchoices; i++) {
            if (!r->choices[i].content)
                fz_fail("choice %zu has no content (\"\" is promised)", i);
            U(r->choices[i].content);
            U(r->choices[i].finish_reason);
        }
    }
    ai_chat_result_free(r);
    check_err("chat", r, err);
}

static void models(const char *s, size_t n)
{
    char *err = NULL;
    ai_model_list *l = ai_decode_models(s, n, &err);
    for (size_t i = 0; l && i < l->n; i++) {
        if (!l->items[i].id)
            fz_fail("model %zu has no id", i);
        U(l->items[i].id);
        U(l->items[i].owned_by);
    }
    ai_model_list_free(l);
    check_err("models", l, err);
}

static void ws_create(const char *s, size_t n)
{
    char *err = NULL;
    ai_create_result *r = ai_decode_ws_create(s, n, &err);
    if (r) {
        check_workspace(&r->workspace);
        check_messages(&r->messages);
    }
    ai_create_result_free(r);
    check_err("create", r, err);
}

static void ws_get(const char *s, size_t n)
{
    char *err = NULL;
    ai_workspace *w = ai_decode_ws_get(s, n, &err);
    check_workspace(w);
    ai_workspace_free(w);
    check_err("workspace", w, err);
}

static void ws_send(const char *s, size_t n)
{
    char *err = NULL;
    ai_send_result *r = ai_decode_ws_send(s, n, &err);
    if (r) {
        check_message(&r->user_message);
        check_messages(&r->responses);
        U(r->mode_raw);
    }
    ai_send_result_free(r);
    check_err("send", r, err);
}

static void mgr_list(const char *s, size_t n)
{
    char *err = NULL;
    ai_workspace_list *l = ai_decode_mgr_list(s, n, &err);
    for (size_t i = 0; l && i < l->n; i++)
        check_workspace(&l->items[i]);
    ai_workspace_list_free(l);
    check_err("manager list", l, err);
}

static void mgr_drafts(const char *s, size_t n)
{
    char *err = NULL;
    ai_draft_list *l = ai_decode_mgr_drafts(s, n, &err);
    for (size_t i = 0; l && i < l->n; i++)
        check_draft(&l->items[i]);
    ai_draft_list_free(l);
    check_err("drafts", l, err);
}

static void mgr_approve(const char *s, size_t n)
{
    char *err = NULL;
    ai_approve_result *r = ai_decode_mgr_approve(s, n, &err);
    if (r) {
        check_draft(&r->draft);
        check_message(&r->message);
    }
    ai_approve_result_free(r);
    check_err("approve", r, err);
}

static void mgr_reject(const char *s, size_t n)
{
    char *err = NULL;
    ai_draft *d = ai_decode_mgr_reject(s, n, &err);
    check_draft(d);
    ai_draft_free(d);
    check_err("reject", d, err);
}

static void mgr_reply(const char *s, size_t n)
{
    char *err = NULL;
    ai_message *m = ai_decode_mgr_reply(s, n, &err);
    check_message(m);
    ai_message_free(m);
    check_err("reply", m, err);
}

static void mgr_typing(const char *s, size_t n)
{
    char *err = NULL;
    bool ok = ai_decode_mgr_typing(s, n, &err);
    check_err("typing", ok ? (void *)s : NULL, err);
}

/* Splits off the first line of *s (without its '\n'), as a new string. */
static char *take_line(const char **s, size_t *n)
{
    const char *nl = memchr(*s, '\n', *n);
    size_t k = nl ? (size_t)(nl - *s) : *n;
    char *line = xmemdup0(*s, k);
    *s += nl ? k + 1 : k;
    *n -= nl ? k + 1 : k;
    return line;
}

/* "TYPE\nID\nDATA": one manager event. */
static void event(const char *s, size_t n)
{
    char *type = take_line(&s, &n);
    char *id = take_line(&s, &n);
    char *err = NULL;
    ai_event *ev = ai_event_decode(type, s, n, *id ? id : NULL, &err);
    if (ev) {
        if (ev->type == AI_EV_UNKNOWN && strcmp(ai_event_type_name(ev->type), "unknown"))
            fz_fail("an unknown event is not named \"unknown\"");
        /* The type and id are the SSE fields as sent; the rest is JSON. */
        U(ev->workspace_id);
        check_workspace(ev->workspace);
        check_message(ev->message);
        U(ev->message_id);
        U(ev->delta);
        check_draft(ev->draft);
        U(ev->reason);
        U(ev->who_raw);
        U(ev->text);
        U(ev->mode_raw);
        U(ev->previous_raw);
        U(ev->last_event_id);
        if (!fz_same(ev->id, *id ? id : NULL))
            fz_fail("the event's id is not the SSE id");
    }
    ai_event_free(ev);
    check_err("event", ev, err);
    free(type);
    free(id);
}

/* The Gate decoders register the secrets they read with the log: a debug
 * log line holding the answer must show none of them. (Markers are taken
 * out first, so that a secret that is a piece of one does not count.) */
static void check_redacted(const char *what, const char *text, const char *const *secrets,
                           size_t n)
{
    if (!text)
        return;
    char *red = log_redact(text);
    for (char *m; (m = strstr(red, REDACTED));)
        memset(m, '\x01', strlen(REDACTED));
    for (size_t i = 0; i < n; i++) {
        const char *sec = secrets[i];
        if (!sec || strlen(sec) < 4 || strchr(sec, '\x01'))
            continue;
        if (strstr(red, sec)) {
            fz_dump("secret", sec, strlen(sec));
            fz_dump("logged", red, strlen(red));
            fz_fail("%s: a registered secret survives log_redact", what);
        }
    }
    free(red);
}

static void check_ice_redacted(const char *what, const char *text, const gate_ice_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *sec[2] = {l->items[i].username, l->items[i].credential};
        check_redacted(what, text, sec, 2);
    }
}

static void gate_sess(const char *s, size_t n)
{
    char *err = NULL;
    gate_session *g = gate_decode_session(s, n, &err);
    if (g) {
        U(g->id);
        U(g->model);
        for (size_t i = 0; i < g->nmodalities; i++)
            U(g->modalities[i]);
        U(g->instructions);
        U(g->voice);
        U(g->input_audio_format);
        U(g->output_audio_format);
        check_json("turn_detection_json", g->turn_detection_json, false);
        check_json("raw_json", g->raw_json, false);
        /* Optional (the SDKs' types), but an answer that has one must
         * give it. */
        if (!g->client_secret) {
            char *perr = NULL;
            json_object *root = jsonu_parse(g->raw_json, strlen(g->raw_json), &perr);
            json_object *cs = NULL;
            if (root && json_object_object_get_ex(root, "client_secret", &cs) && cs)
                fz_fail("a client_secret decoded without its value");
            json_object_put(root);
            free(perr);
        }
        U(g->client_secret);
        for (size_t i = 0; i < g->ice.n; i++) {
            for (size_t j = 0; j < g->ice.items[i].nurls; j++)
                U(g->ice.items[i].urls[j]);
            U(g->ice.items[i].username);
            U(g->ice.items[i].credential);
        }
        U(g->session_id);
        U(g->meta_model);
        U(g->meta_voice);
        U(g->meta_turn_server);
        U(g->meta_created_at);
        check_int("meta_created_ms", g->meta_created_ms, MS_MIN, MS_MAX);
        const char *sec[1] = {g->client_secret};
        check_redacted("session", g->raw_json, sec, 1);
        check_ice_redacted("session", g->raw_json, &g->ice);
    }
    gate_session_free(g);
    check_err("session", g, err);
}

static void gate_turn(const char *s, size_t n)
{
    char *err = NULL;
    gate_ice_list *l = gate_decode_turn(s, n, &err);
    if (l) {
        char *text = xmemdup0(s, n);
        check_ice_redacted("turn", text, l);
        free(text);
    }
    for (size_t i = 0; l && i < l->n; i++) {
        for (size_t j = 0; j < l->items[i].nurls; j++)
            U(l->items[i].urls[j]);
        U(l->items[i].username);
        U(l->items[i].credential);
    }
    gate_ice_list_free(l);
    check_err("turn", l, err);
}

static void gate_kvs(const char *s, size_t n)
{
    char *err = NULL;
    gate_kv_list *l = gate_decode_kv(s, n, &err);
    for (size_t i = 0; l && i < l->n; i++) {
        if (!l->items[i].key || !l->items[i].value)
            fz_fail("pair %zu lacks its key or value", i);
        U(l->items[i].key);
        U(l->items[i].value);
    }
    gate_kv_list_free(l);
    check_err("health", l, err);
}

/* "STATUS\nRETRY-AFTER\nBODY": a failed answer; its message must be one
 * clean line. */
static void http_error(const char *s, size_t n, api_service svc)
{
    char *status = take_line(&s, &n);
    char *retry = take_line(&s, &n);
    net_header h = {(char *)"retry-after", retry};
    net_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = NET_EV_FAILED;
    ev.fail = NET_FAIL_HTTP;
    ev.status = labs(strtol(status, NULL, 10) % 1000); /* what an HTTP status line can say */
    ev.headers = *retry ? &h : NULL;
    ev.nheaders = *retry ? 1 : 0;
    ev.body = xmemdup0(s, n);
    ev.body_len = n;
    api_error *e = api_error_from_event_at(svc, &ev, 1700000000);
    char *msg = api_error_message(e);
    if (!sanitize_is_clean(msg, strlen(msg), 0)) {
        fz_dump("message", msg, strlen(msg));
        fz_fail("an HTTP error's message is not one clean line");
    }
    if (e->retry_after_s < -1 || e->retry_after_s > 86400)
        fz_fail("retry_after_s %ld is outside -1..86400", e->retry_after_s);
    int code = api_error_exit_code(e);
    if (code == 0)
        fz_fail("an error's exit status is 0");
    free(msg);
    api_error_free(e);
    free(ev.body);
    free(status);
    free(retry);
}

static void stream_error(const char *s, size_t n)
{
    api_error *e = api_error_from_stream(API_AIASSIST, s, n);
    char *msg = api_error_message(e);
    if (!sanitize_is_clean(msg, strlen(msg), 0)) {
        fz_dump("message", msg, strlen(msg));
        fz_fail("a stream error's message is not one clean line");
    }
    free(msg);
    api_error_free(e);
}

/* "LIMIT\nREMAINING\nRESET" twice: AI Gate's rate-limit headers, merged. */
static gate_ratelimit ratelimit_of(const char **s, size_t *n)
{
    char *v[3];
    for (int i = 0; i < 3; i++)
        v[i] = take_line(s, n);
    net_header h[3] = {{(char *)"x-ratelimit-limit", v[0]},
                       {(char *)"x-ratelimit-remaining", v[1]},
                       {(char *)"x-ratelimit-reset", v[2]}};
    net_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = NET_EV_DONE;
    ev.headers = h;
    ev.nheaders = 3;
    gate_ratelimit r = gate_ratelimit_from_event(&ev);
    if (r.present && (r.limit < 0 || r.limit > 1000000000 || r.remaining < 0 ||
                      r.remaining > r.limit || r.reset < 0 || r.reset > INT64_C(253402300799)))
        fz_fail("rate limit %lld/%lld reset %lld breaks its bounds", (long long)r.remaining,
                (long long)r.limit, (long long)r.reset);
    for (int i = 0; i < 3; i++)
        free(v[i]);
    return r;
}

static void ratelimit(const char *s, size_t n)
{
    gate_ratelimit a = ratelimit_of(&s, &n), b = ratelimit_of(&s, &n);
    gate_ratelimit m = gate_ratelimit_merge(a, b);
    if (m.present != (a.present || b.present))
        fz_fail("merging rate limits lost or invented one");
    if (m.present && memcmp(&m, &a, sizeof m) && memcmp(&m, &b, sizeof m))
        fz_fail("merging rate limits made a third one");
}

/* Timestamps: a time drawn from the input, written in each form aidesk
 * writes or a server may send, must read back exactly; and any text the
 * parsers accept stays in range. */
static void times(const char *s, size_t n)
{
    int64_t ms;
    char *text = xmemdup0(s, n);
    if (api_time_parse_iso8601(text, &ms))
        check_int("an ISO-8601 time", ms, MS_MIN, MS_MAX);
    long wait = retry_after_parse_ms(text, 1700000000);
    if (wait != -1)
        check_int("Retry-After", wait, 0, RETRY_AFTER_MAX_S * 1000);
    free(text);

    uint64_t x = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        x = x << 8 | (unsigned char)s[i];
    /* Years 1970..9999: every form below can write them. */
    time_t t = (time_t)(x % UINT64_C(253402300800));
    int64_t at_ms = (int64_t)t * 1000 + (int64_t)(x % 1000);
    char when[TIMEFMT_SIZE];
    if (!timefmt_utc(at_ms, TIMEFMT_ISO_MS, when) || !api_time_parse_iso8601(when, &ms) ||
        ms != at_ms)
        fz_fail("%s reads as %lld ms, want %lld", when, (long long)ms, (long long)at_ms);
    if (!timefmt_utc(at_ms, TIMEFMT_ISO, when) || !api_time_parse_iso8601(when, &ms) ||
        ms != (int64_t)t * 1000)
        fz_fail("%s reads as %lld ms, want %lld", when, (long long)ms, (long long)t * 1000);
    /* An HTTP date d seconds ahead is a wait of d seconds. */
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    long d = (long)(x % (RETRY_AFTER_MAX_S + 1));
    char buf[96];
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if ((wait = retry_after_parse_ms(buf, t - d)) != d * 1000)
        fz_fail("Retry-After %s, %ld s ahead, reads as %ld ms", buf, d, wait);
    strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    if ((wait = retry_after_parse_ms(buf, t - d)) != d * 1000)
        fz_fail("Retry-After %s (asctime), %ld s ahead, reads as %ld ms", buf, d, wait);
}

/* The walker of long arrays (util/jsonarr.c) against json-c: when the
 * walker reads an array to its end, its elements are the tree's, one for
 * one; and a valid array never surprises it. */
static char *compact(const char *s, size_t n)
{
    char *err = NULL;
    json_object *o = jsonu_parse(s, n, &err);
    char *text = err ? NULL : jsonu_to_string(o);
    json_object_put(o);
    free(err);
    return text;
}

static void walk_against_tree(jsonarr *it, json_object *arr, bool must_finish)
{
    size_t i = 0, len = arr ? json_object_array_length(arr) : 0;
    const char *e;
    size_t elen;
    int r;
    while ((r = jsonarr_next(it, &e, &elen)) == 1) {
        if (!arr)
            continue;
        if (i >= len)
            fz_fail("the walker found more than the %zu elements of the array", len);
        char *mine = compact(e, elen);
        char *tree = jsonu_to_string(json_object_array_get_idx(arr, i));
        if (!mine || strcmp(mine, tree)) {
            fz_dump("walker's element", e, elen);
            fz_dump("tree's element", tree, strlen(tree));
            fz_fail("element %zu differs between the walker and json-c", i);
        }
        free(mine);
        free(tree);
        i++;
    }
    if (arr && r == 0 && i != len)
        fz_fail("the walker found %zu elements, the array has %zu", i, len);
    if (arr && must_finish && r != 0)
        fz_fail("the walker gave up on a valid array");
}

static void walker(const char *s, size_t n)
{
    char *err = NULL;
    json_object *o = jsonu_parse(s, n, &err);
    free(err);
    bool is_arr = o && json_object_is_type(o, json_type_array);
    jsonarr it;
    if (jsonarr_open(&it, s, n))
        walk_against_tree(&it, is_arr ? o : NULL, true);
    else if (is_arr)
        fz_fail("the walker did not open a valid array");
    json_object_put(o);
}

static void walker_member(const char *s, size_t n)
{
    char *err = NULL;
    json_object *o = jsonu_parse(s, n, &err);
    free(err);
    jsonarr it;
    size_t off, vlen;
    if (jsonarr_open_member(&it, s, n, "messages", &off, &vlen)) {
        if (off + vlen > n || s[off] != '[' || s[off + vlen - 1] != ']')
            fz_fail("the member's extent is not a bracketed value inside the answer");
        json_object *arr = NULL;
        if (o && (!json_object_object_get_ex(o, "messages", &arr) ||
                  !json_object_is_type(arr, json_type_array)))
            fz_fail("the walker opened a member the tree does not have as a list");
        walk_against_tree(&it, o ? arr : NULL, o != NULL);
    }
    json_object_put(o);
}

static void ai_http_error(const char *s, size_t n)
{
    http_error(s, n, API_AIASSIST);
}

static void gate_http_error(const char *s, size_t n)
{
    http_error(s, n, API_GATE);
}

static const struct {
    char key;
    void (*fn)(const char *s, size_t n);
} decoders[] = {
    {'c', chat},          {'m', models},       {'w', ws_create},    {'g', ws_get},
    {'b', by_client},     {'s', ws_send},      {'h', history},      {'l', mgr_list},
    {'d', mgr_drafts},    {'a', mgr_approve},  {'r', mgr_reject},   {'y', mgr_reply},
    {'t', mgr_typing},    {'e', event},        {'S', gate_sess}, {'T', gate_turn},
    {'k', gate_kvs},      {'x', ai_http_error}, {'X', gate_http_error}, {'z', stream_error},
    {'R', ratelimit},     {'i', times},        {'j', walker},       {'J', walker_member},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t count = sizeof decoders / sizeof *decoders, pick = data[0] % count;
    for (size_t i = 0; i < count; i++)
        if (decoders[i].key == (char)data[0])
            pick = i;
    /* A copy of exactly the answer, so that ASan sees any read past it. */
    char *body = xmalloc(size - 1 ? size - 1 : 1);
    memcpy(body, data + 1, size - 1);
    decoders[pick].fn(body, size - 1);
    free(body);
    /* The Gate decoders register the secrets they read with the log. */
    log_clear_secrets();
    return 0;
}
