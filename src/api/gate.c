/* gate.c: the AI Gate client, session parameters, request builders and the
 * rate-limit headers. Decoders: gate_decode.c, gate_kv.c. */
#include "config.h"
#include "api/gate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/req.h"
#include "api/url.h"
#include "util/baseurl.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/utf8.h"

#define MODEL_MAX 200

static const char *const voices[] = {"alloy", "echo", "fable", "onyx", "nova", "shimmer"};

bool gate_project_id_check(const char *id, char **err)
{
    *err = NULL;
    if (!id || !*id) {
        *err = xstrdup("the AI Gate project id is empty");
        return false;
    }
    size_t n = strlen(id);
    bool ctl = false;
    for (size_t i = 0; i < n; i++)
        ctl |= (unsigned char)id[i] < 0x20 || id[i] == 0x7F;
    if (n > 200 || ctl || !utf8_valid(id, n)) {
        *err = xstrdup("the AI Gate project id is too long, not UTF-8 or holds control characters");
        return false;
    }
    return true;
}

gate_client *gate_client_new(const char *base_url, const char *project_id)
{
    if (!base_url)
        base_url = GATE_DEFAULT_BASE_URL;
    char *err = NULL;
    if (baseurl_check(base_url, true, NULL, &err) != 0 || !gate_project_id_check(project_id, &err)) {
        free(err);
        return NULL;
    }
    gate_client *c = xcalloc(1, sizeof *c);
    c->base_url = xstrdup(base_url);
    c->project_id = xstrdup(project_id);
    c->timeout_ms = 30000;
    c->max_retries = 3;
    c->allow_http = baseurl_is_loopback(c->base_url);
    log_add_secret(c->project_id);
    return c;
}

void gate_client_free(gate_client *c)
{
    if (!c)
        return;
    free(c->base_url);
    free(c->project_id);
    free(c);
}

api_error *gate_error_from_event(const gate_client *c, const net_event *ev)
{
    api_error *e = api_error_from_event(API_GATE, ev);
    api_error_set_origin(e, c->base_url);
    return e;
}

void gate_session_params_init(gate_session_params *p)
{
    p->model = GATE_DEFAULT_MODEL;
    p->voice = GATE_DEFAULT_VOICE;
    p->temperature = GATE_DEFAULT_TEMPERATURE;
    p->instructions = GATE_DEFAULT_INSTRUCTIONS;
}

static bool invalid(char **err, char *msg)
{
    *err = msg;
    return false;
}

bool gate_validate_params(const gate_session_params *p, char **err)
{
    *err = NULL;
    bool voice_ok = false;
    for (size_t i = 0; p->voice && i < sizeof voices / sizeof *voices; i++)
        voice_ok |= !strcmp(p->voice, voices[i]);
    if (!voice_ok)
        return invalid(err, xstrdup("the voice must be one of alloy, echo, fable, onyx, nova, "
                                    "shimmer"));
    if (!isfinite(p->temperature) || p->temperature < 0 || p->temperature > 1)
        return invalid(err, xstrdup("the temperature must be a number from 0 to 1"));
    if (!p->model || !*p->model)
        return invalid(err, xstrdup("the model must not be empty"));
    size_t mlen = strlen(p->model);
    if (mlen > MODEL_MAX)
        return invalid(err, xasprintf("the model name is longer than %d bytes", MODEL_MAX));
    for (size_t i = 0; i < mlen; i++) {
        unsigned char ch = (unsigned char)p->model[i];
        if (ch <= 0x20 || ch == 0x7F)
            return invalid(err, xstrdup("the model name must not contain spaces or control "
                                        "characters"));
    }
    if (!utf8_valid(p->model, mlen))
        return invalid(err, xstrdup("the model name is not valid UTF-8"));
    if (!p->instructions)
        return invalid(err, xstrdup("the instructions must not be missing"));
    size_t ilen = strlen(p->instructions);
    if (ilen > GATE_INSTRUCTIONS_MAX)
        return invalid(err, xasprintf("the instructions are longer than %d bytes (%zu)",
                                      GATE_INSTRUCTIONS_MAX, ilen));
    if (!utf8_valid(p->instructions, ilen))
        return invalid(err, xstrdup("the instructions are not valid UTF-8"));
    return true;
}

static net_request *gate_request(const gate_client *c, net_method m, const char *path)
{
    return api_request_new(m, c->base_url, path, c->timeout_ms, c->max_retries, c->allow_http);
}

net_request *gate_req_session(const gate_client *c, const gate_session_params *p)
{
    json_object *body = json_object_new_object();
    api_json_add_str(body, "project_id", c->project_id);
    api_json_add_str(body, "model", p->model ? p->model : GATE_DEFAULT_MODEL);
    api_json_add_str(body, "voice", p->voice ? p->voice : GATE_DEFAULT_VOICE);
    double t = isfinite(p->temperature) ? p->temperature : GATE_DEFAULT_TEMPERATURE;
    json_object_object_add(body, "temperature", api_json_double(t));
    api_json_add_str(body, "instructions",
                     p->instructions ? p->instructions : GATE_DEFAULT_INSTRUCTIONS);
    net_request *r = gate_request(c, NET_POST, "/session");
    api_request_set_json(r, body);
    r->retry_safe = false; /* every session counts against the quota */
    /* A 429 here is the concurrent-session limit or a rate window of
     * minutes: neither clears within a retry's wait. */
    r->retry_429 = false;
    return r;
}

net_request *gate_req_turn(const gate_client *c)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/turn-credentials");
    api_url_add_query(&path, "identifier", c->project_id);
    net_request *r = gate_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    r->retry_safe = true;
    return r;
}

net_request *gate_req_health(const gate_client *c)
{
    net_request *r = gate_request(c, NET_GET, "/health");
    r->retry_safe = true;
    return r;
}

net_request *gate_req_metrics(const gate_client *c)
{
    net_request *r = gate_request(c, NET_GET, "/metrics");
    r->retry_safe = true;
    return r;
}

/* -1: absent; -2: garbled; else the value (<= max). */
static int64_t header_number(const net_event *ev, const char *name, int64_t max)
{
    const char *v = net_event_header(ev, name);
    if (!v)
        return -1;
    size_t n = strlen(v);
    if (n == 0 || n > 18 || strspn(v, "0123456789") != n)
        return -2;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = x * 10 + (v[i] - '0');
    return x <= max ? x : -2;
}

gate_ratelimit gate_ratelimit_from_event(const net_event *ev)
{
    gate_ratelimit rl = {0};
    int64_t limit = header_number(ev, "x-ratelimit-limit", 1000000000);
    int64_t remaining = header_number(ev, "x-ratelimit-remaining", 1000000000);
    int64_t reset = header_number(ev, "x-ratelimit-reset", INT64_C(253402300799));
    if (limit < 0 || remaining < 0 || reset == -2 || remaining > limit)
        return rl;
    rl.present = true;
    rl.limit = limit;
    rl.remaining = remaining;
    rl.reset = reset < 0 ? 0 : reset;
    return rl;
}

gate_ratelimit gate_ratelimit_merge(gate_ratelimit known, gate_ratelimit fresh)
{
    if (!fresh.present)
        return known;
    if (!known.present || !known.reset || !fresh.reset)
        return fresh;
    if (fresh.reset < known.reset)
        return known;
    if (fresh.reset == known.reset && fresh.limit == known.limit && fresh.remaining > known.remaining)
        return known;
    return fresh;
}
