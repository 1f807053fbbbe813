/* chat.c: "aidesk chat" (a streamed completion printed as it arrives) and
 * "aidesk models". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/chat_stream.h"
#include "cli/chat_save.h"
#include "cli/cli_priv.h"
#include "cli/sanstream.h"
#include "compare/compare_tokens.h"
#include "util/assert.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/sanitize.h"
#include "util/utf8.h"

typedef struct chat_run {
    cli_ctx *c;
    ai_stream *s;
    cli_sanstream san;
    buf_t piece;      /* the text of one delta, made safe (reused) */
    bool keep;        /* the whole reply is needed at the end (--json, --save) */
    char last;        /* the last byte written, to end the output on a newline */
    bool wrote;       /* some reply text went out */
} chat_run;

/* The reply's text goes out through cli_out_put: held and written in
 * large writes (at once on a terminal). */
static void emit(chat_run *r, const char *p, size_t n)
{
    if (r->c->json || r->c->out_broken || n == 0)
        return;
    buf_clear(&r->piece);
    if (r->c->sanitize)
        cli_sanstream_feed(&r->san, p, n, &r->piece);
    else
        utf8_text_plain_append(&r->piece, p, n); /* U+0000 as U+FFFD, as out.c does */
    if (r->piece.len) {
        r->wrote = true;
        r->last = r->piece.data[r->piece.len - 1];
        cli_out_put(r->c, r->piece.data, r->piece.len);
    }
}

static void finish_output(chat_run *r)
{
    if (r->c->json || r->c->out_broken)
        return;
    buf_clear(&r->piece);
    cli_sanstream_finish(&r->san, &r->piece);
    if (r->piece.len) {
        r->wrote = true;
        r->last = r->piece.data[r->piece.len - 1];
    }
    /* A reply ends its line, so a shell prompt or an error does not start
     * in the middle of it; --raw keeps the bytes exactly as sent. */
    if (r->wrote && r->last != '\n' && r->c->sanitize)
        buf_append_char(&r->piece, '\n');
    cli_out_put(r->c, r->piece.data ? r->piece.data : "", r->piece.len);
    cli_out_flush(r->c);
}

static bool on_event(void *ud, const net_event *ev)
{
    chat_run *r = ud;
    ai_stream_update u;
    ai_stream_status st = ai_stream_feed(r->s, ev, &u);
    if (u.delta)
        emit(r, u.delta, u.delta_len);
    /* Printed and needed no more: a long reply does not stay in memory. */
    if (!r->keep)
        buf_clear(&r->s->content);
    /* An error inside the stream leaves the request open: cancel it. */
    return st != AI_STREAM_FAILED && !r->c->out_broken;
}

/* The server's usage; when it sent none (a stream from a server that
 * refused stream_options has none), our own count of a complete reply,
 * marked "estimated". */
static json_object *usage_json(const ai_usage *u, const ai_chat_params *p, const char *content,
                               const api_error *e)
{
    ai_usage est = {0};
    if (!u->present && !e && p) {
        const char **texts = xcalloc(p->nmessages + 1, sizeof *texts);
        for (size_t i = 0; i < p->nmessages; i++)
            texts[i] = p->messages[i].content;
        est.prompt_tokens = compare_prompt_tokens(texts, p->nmessages);
        free(texts);
        est.completion_tokens = compare_token_count(content, strlen(content));
        est.total_tokens = est.prompt_tokens + est.completion_tokens;
        est.present = true;
    }
    const ai_usage *v = u->present ? u : &est;
    if (!v->present)
        return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "prompt_tokens", json_object_new_int64(v->prompt_tokens));
    json_object_object_add(o, "completion_tokens", json_object_new_int64(v->completion_tokens));
    json_object_object_add(o, "total_tokens", json_object_new_int64(v->total_tokens));
    if (v == &est)
        json_object_object_add(o, "estimated", json_object_new_boolean(true));
    return o;
}

static void print_json(cli_ctx *c, const ai_chat_params *p, const char *id, const char *model,
                       const char *content, const char *finish, const ai_usage *u, size_t skipped,
                       const api_error *e)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", cli_jstr(id));
    json_object_object_add(o, "model", cli_jstr(model));
    json_object_object_add(o, "content", cli_jstr(content ? content : ""));
    json_object_object_add(o, "finish_reason", cli_jstr(finish));
    json_object_object_add(o, "usage", usage_json(u, p, content ? content : "", e));
    json_object_object_add(o, "skipped_chunks", json_object_new_int64((int64_t)skipped));
    json_object_object_add(o, "error", cli_jerror(e));
    cli_json_print(c, o);
}

static void notes(cli_ctx *c, const char *finish, int max_tokens, size_t skipped)
{
    if (finish && !strcmp(finish, "length"))
        cli_note(c, "note: the reply was cut at max_tokens (%d); raise it with --max-tokens",
                 max_tokens);
    if (skipped)
        cli_note(c, "note: %zu malformed chunk%s skipped; the reply may miss some text", skipped,
                 skipped == 1 ? " was" : "s were");
}

static int run_stream(cli_ctx *c, const ai_chat_params *p, cli_chat_save *save)
{
    chat_run r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.s = ai_stream_new(c->cfg->base_url);
    r.keep = c->json || save;
    cli_sanstream_init(&r.san, SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
    net_event *ev = cli_request(c, API_AIASSIST, ai_req_chat(c->ai, p), on_event, &r);
    ai_stream_feed(r.s, ev, NULL);
    net_event_free(ev);
    finish_output(&r);
    log_msg("chat: %zu bytes of reply on standard output in %zu writes", c->out_bytes,
            c->out_writes);
    api_error *e = ai_stream_take_error(r.s);
    const ai_stream *s = r.s;
    cli_chat_save_reply(save, s->id, s->model, buf_cstr(&s->content), s->finish_reason, e);
    if (c->json)
        print_json(c, p, s->id, s->model, buf_cstr(&s->content), s->finish_reason, &s->usage,
                   s->skipped, e);
    notes(c, s->finish_reason, p->max_tokens, s->skipped);
    int rc = CLI_OK;
    if (e)
        rc = cli_fail(c, e);
    else if (c->out_broken)
        rc = CLI_ERR;
    cli_sanstream_free(&r.san);
    buf_free(&r.piece);
    ai_stream_free(r.s);
    return rc;
}

static int run_plain(cli_ctx *c, const ai_chat_params *p, cli_chat_save *save)
{
    net_event *ev = cli_request(c, API_AIASSIST, ai_req_chat(c->ai, p), NULL, NULL);
    char *err = NULL;
    api_error *e = NULL;
    ai_chat_result *res = NULL;
    if (ev->kind != NET_EV_DONE)
        e = cli_event_error(c, API_AIASSIST, ev);
    else if (!(res = ai_decode_chat(ev->body, ev->body_len, &err)))
        e = ai_decode_error(err);
    else if (res->nchoices == 0)
        e = ai_decode_error(xstrdup("chat completion: the answer has no choices"));
    net_event_free(ev);
    AIDESK_ASSERT(e || res); /* cli_event_error never returns NULL */
    if (e) {
        cli_chat_save_reply(save, NULL, NULL, "", NULL, e);
        if (c->json)
            print_json(c, p, NULL, p->model, "", NULL, &(ai_usage){0}, 0, e);
        ai_chat_result_free(res);
        return cli_fail(c, e);
    }
    const ai_chat_choice *ch = &res->choices[0];
    int rc = CLI_OK;
    cli_chat_save_reply(save, res->id, res->model, ch->content, ch->finish_reason, NULL);
    if (c->json) {
        print_json(c, p, res->id, res->model, ch->content, ch->finish_reason, &res->usage, 0, NULL);
    } else {
        chat_run r;
        memset(&r, 0, sizeof r);
        r.c = c;
        cli_sanstream_init(&r.san, SAN_KEEP_NEWLINE | SAN_KEEP_TAB);
        emit(&r, ch->content, strlen(ch->content));
        finish_output(&r);
        cli_sanstream_free(&r.san);
        buf_free(&r.piece);
        rc = c->out_broken ? CLI_ERR : CLI_OK;
    }
    notes(c, ch->finish_reason, p->max_tokens, 0);
    ai_chat_result_free(res);
    return rc;
}

/* Reads the numeric options into p. */
static bool chat_numbers(cli_ctx *c, const cli_args *a, ai_chat_params *p)
{
    const char *v;
    long n;
    if ((v = cli_opt(a, "temperature")) && !cli_parse_double(c, "--temperature", v, &p->temperature))
        return false;
    if ((v = cli_opt(a, "top-p")) && !cli_parse_double(c, "--top-p", v, &p->top_p))
        return false;
    if ((v = cli_opt(a, "max-tokens"))) {
        if (!cli_parse_int(c, "--max-tokens", v, 1, CONFIG_MAX_TOKENS_MAX, &n))
            return false;
        p->max_tokens = (int)n;
    }
    return true;
}

int cli_cmd_chat(cli_ctx *c, const cli_args *a)
{
    int rc = CLI_OK;
    ai_chat_params p;
    ai_chat_params_init(&p);
    p.model = c->cfg->model;
    p.max_tokens = c->cfg->max_tokens; /* the config's, unless --max-tokens says */
    p.stream = !cli_flag(a, "no-stream");
    if (!chat_numbers(c, a, &p))
        return CLI_USAGE;
    json_object *extra = NULL;
    const char *v = cli_opt(a, "extra");
    if (v) {
        char *err = NULL;
        extra = jsonu_parse(v, strlen(v), &err);
        if (!extra || !json_object_is_type(extra, json_type_object)) {
            rc = cli_usage(c, "--extra: not a JSON object%s%s", err ? ": " : "", err ? err : "");
            free(err);
            json_object_put(extra);
            return rc;
        }
        p.extra = extra;
    }
    char *prompt = cli_read_text(c, 0, true, &rc);
    if (prompt && !*prompt) {
        free(prompt);
        prompt = NULL;
        rc = cli_usage(c, "the prompt is empty");
    }
    if (!prompt) {
        json_object_put(extra);
        return rc;
    }
    const char *system = cli_opt(a, "system");
    ai_chat_message msgs[2];
    size_t n = 0;
    if (system)
        msgs[n++] = (ai_chat_message){"system", system};
    msgs[n++] = (ai_chat_message){"user", prompt};
    p.messages = msgs;
    p.nmessages = n;
    char *err = NULL;
    cli_chat_save *save = NULL;
    if (!ai_chat_params_validate(&p, &err)) {
        rc = cli_usage(c, "%s", err);
        free(err);
    } else if (!cli_ai(c)) {
        rc = CLI_USAGE;
    } else if (cli_flag(a, "save") && !(save = cli_chat_save_new(c, p.model, system, prompt))) {
        rc = CLI_ERR;
    } else {
        rc = p.stream ? run_stream(c, &p, save) : run_plain(c, &p, save);
    }
    cli_chat_save_free(c, save);
    json_object_put(extra);
    free(prompt);
    return rc;
}

int cli_cmd_models(cli_ctx *c, const cli_args *a)
{
    (void)a;
    int rc;
    if (!cli_ai(c))
        return CLI_USAGE;
    net_event *ev = cli_call(c, API_AIASSIST, ai_req_models(c->ai), &rc);
    if (!ev)
        return rc;
    char *err = NULL;
    ai_model_list *l = ai_decode_models(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!l)
        return cli_fail(c, ai_decode_error(err));
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < l->n; i++) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "id", cli_jstr(l->items[i].id));
            json_object_object_add(o, "provider", cli_jstr(l->items[i].owned_by));
            json_object_array_add(arr, o);
        }
        cli_json_print(c, arr);
    } else {
        int width = 0;
        for (size_t i = 0; i < l->n; i++) {
            int w = (int)strlen(cli_s1(c, l->items[i].id));
            width = w > width && w < 60 ? w : width;
        }
        for (size_t i = 0; i < l->n; i++)
            printf("%-*s  %s\n", width, cli_s1(c, l->items[i].id),
                   l->items[i].owned_by ? cli_s1(c, l->items[i].owned_by) : "-");
    }
    ai_model_list_free(l);
    return CLI_OK;
}
