/* gate_call.c: "gate call": create an AI Gate session, call it over the
 * Realtime API, say one thing (text or a WAV file), print the reply (an
 * audio reply's transcript) with its timings and usage, hang up. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/realtime.h"
#include "cli/cli_priv.h"
#include "gate/callctl.h"
#include "util/clock.h"
#include "util/mem.h"

#define CALL_TAG 0x63616c6cu /* "call" */

static double ms_of(int64_t from_us, int64_t to_us)
{
    return from_us && to_us ? (double)(to_us - from_us) / 1000.0 : -1;
}

static json_object *ms_json(double ms)
{
    if (ms < 0)
        return NULL;
    char text[32];
    snprintf(text, sizeof text, "%.1f", ms);
    return json_object_new_double_s(ms, text); /* written as "44.4", not 44.399999... */
}

static json_object *usage_json(const callctl_turn *t)
{
    if (!t->has_usage)
        return NULL;
    json_object *u = json_object_new_object();
    json_object_object_add(u, "total_tokens", json_object_new_int64(t->usage.total));
    json_object_object_add(u, "input_tokens", json_object_new_int64(t->usage.input));
    json_object_object_add(u, "output_tokens", json_object_new_int64(t->usage.output));
    json_object_object_add(u, "input_audio_tokens", json_object_new_int64(t->usage.input_audio));
    json_object_object_add(u, "output_audio_tokens", json_object_new_int64(t->usage.output_audio));
    return u;
}

/* Live text for a person: what came since the last look. */
typedef struct live {
    cli_ctx *c;
    size_t shown;
} live;

/* Runs events into the call until cond holds (or a signal: hang up). */
static int pump(cli_ctx *c, callctl *call, bool (*cond)(const callctl *, live *), live *lv)
{
    while (!cond(call, lv)) {
        cli_wake w = cli_wait(c, -1);
        if (w == CLI_WAKE_SIGNAL)
            return CLI_INTERRUPTED;
        net_event *ev;
        while ((ev = net_next_event(c->net)))
            if (!callctl_handle(call, ev))
                net_event_free(ev);
    }
    return CLI_OK;
}

static bool call_over(const callctl *call, live *lv)
{
    (void)lv;
    return callctl_info_get(call)->state > CALL_OPEN;
}

/* Shows what came of the reply (for a person, lv not NULL); true once the
 * turn is over. */
static bool turn_over(const callctl *call, live *lv)
{
    const callctl_info *in = callctl_info_get(call);
    if (lv && in->nturns) {
        const buf_t *r = &in->turns[in->nturns - 1].reply;
        if (r->len > lv->shown) {
            const char *safe = cli_sm(lv->c, r->data + lv->shown);
            cli_out_put(lv->c, safe, strlen(safe));
            lv->shown = r->len;
            cli_pool_clear(lv->c);
        }
    }
    return !callctl_busy(call) || in->state > CALL_OPEN;
}

static int report(cli_ctx *c, const callctl *call, const gate_session *s)
{
    const callctl_info *in = callctl_info_get(call);
    const callctl_turn *t = in->nturns ? &in->turns[0] : NULL;
    if (c->json) {
        json_object *o = json_object_new_object(), *so = json_object_new_object();
        json_object_object_add(so, "id", cli_jstr(s->id));
        json_object_object_add(so, "model", cli_jstr(s->model));
        json_object_object_add(so, "voice", cli_jstr(in->voice ? in->voice : s->voice));
        json_object_object_add(o, "session", so);
        json_object_object_add(o, "protocol", json_object_new_string(in->beta_seen ? "beta" : "ga"));
        if (t) {
            json_object *to = json_object_new_object(), *tm = json_object_new_object();
            json_object_object_add(to, "said", cli_jstr(t->said));
            json_object_object_add(to, "reply", cli_jstr(buf_cstr(&t->reply)));
            json_object_object_add(to, "status", cli_jstr(t->status));
            json_object_object_add(to, "error", cli_jstr(t->error));
            json_object_object_add(to, "audio_ms", json_object_new_int64((int64_t)(t->audio_bytes / 48)));
            json_object_object_add(to, "wav", cli_jstr(t->wav_path));
            json_object_object_add(tm, "first_text_ms", ms_json(ms_of(t->sent_us, t->first_text_us)));
            json_object_object_add(tm, "first_audio_ms", ms_json(ms_of(t->sent_us, t->first_audio_us)));
            json_object_object_add(tm, "duration_ms", ms_json(ms_of(t->sent_us, t->done_us)));
            json_object_object_add(tm, "client_first_audio_ms",
                                   ms_json(ms_of(t->first_audio_us, t->first_audio_handled_us)));
            json_object_object_add(to, "timings", tm);
            json_object_object_add(to, "usage", usage_json(t));
            json_object_object_add(o, "turn", to);
        }
        json_object *notes = json_object_new_array();
        for (size_t i = 0; i < in->nnotes; i++)
            json_object_array_add(notes, cli_jstr(in->notes[i]));
        json_object_object_add(o, "notes", notes);
        cli_json_print(c, o);
        return CLI_OK;
    }
    cli_out_put(c, "\n", 1);
    cli_out_flush(c);
    if (!t) /* the call ended before a turn was recorded: no figures to give */
        return CLI_OK;
    printf("%-14s", "timings");
    double ft = ms_of(t->sent_us, t->first_text_us), fa = ms_of(t->sent_us, t->first_audio_us);
    if (ft >= 0)
        printf(" first text %.0f ms,", ft);
    if (fa >= 0)
        printf(" first audio %.0f ms,", fa);
    printf(" duration %.0f ms\n", ms_of(t->sent_us, t->done_us));
    if (t->has_usage)
        printf("%-14s %lld in (%lld audio), %lld out (%lld audio), %lld in all\n", "tokens",
               (long long)t->usage.input, (long long)t->usage.input_audio, (long long)t->usage.output,
               (long long)t->usage.output_audio, (long long)t->usage.total);
    if (t->audio_bytes)
        printf("%-14s %lld ms%s%s\n", "audio", (long long)(t->audio_bytes / 48),
               t->wav_path ? " in " : "", t->wav_path ? cli_s1(c, t->wav_path) : "");
    return CLI_OK;
}

int cli_cmd_gate_call(cli_ctx *c, const cli_args *a)
{
    const char *say = cli_opt(a, "say"), *wav = cli_opt(a, "wav");
    if (!!say == !!wav)
        return cli_usage(c, "give one of --say TEXT or --wav FILE");
    if (say && !*say)
        return cli_usage(c, "--say needs some text");
    gate_session_params p;
    gate_session_params_init(&p);
    const char *v;
    if ((v = cli_opt(a, "voice")))
        p.voice = v;
    if ((v = cli_opt(a, "model")))
        p.model = v;
    if ((v = cli_opt(a, "instructions")))
        p.instructions = v;
    char *err = NULL;
    if (!gate_validate_params(&p, &err)) {
        int rc = cli_usage(c, "%s", err);
        free(err);
        return rc;
    }
    /* The option, else the configuration (AI_GATE_REALTIME_URL, then the
     * config file's realtime_url, then the default). */
    const char *url = cli_opt(a, "realtime-url");
    if (!url || !*url)
        url = c->cfg->realtime_url;
    if (strncmp(url, "wss://", 6) && strncmp(url, "ws://", 5))
        return cli_usage(c, "the Realtime URL must start with wss:// (or ws:// to this machine)");
    if (!cli_gate(c) || !cli_net(c))
        return CLI_USAGE;
    int rc;
    net_event *ev = cli_call(c, API_GATE, gate_req_session(c->gate, &p), &rc);
    if (!ev)
        return rc;
    gate_session *s = gate_decode_session(ev->body, ev->body_len, &err);
    net_event_free(ev);
    if (!s)
        return cli_fail(c, gate_decode_error(err));
    callctl_params cp = {0};
    cp.url = url;
    cp.model = s->model;
    cp.session_id = s->id;
    cp.secret = s->client_secret;
    cp.secret_expires_s = s->client_secret_expires_at;
    cp.beta = cli_flag(a, "beta");
    cp.text_only = cli_flag(a, "text");
    cp.dir = cli_opt(a, "save");
    cp.tag = CALL_TAG;
    bool expired = false;
    callctl *call = callctl_new(c->net, &cp, clock_wall_ms(), &expired, &err);
    if (!call) {
        gate_session_free(s);
        return cli_fail(c, api_error_new(expired || !cp.secret ? API_ERR_AUTH : API_ERR_BAD_REQUEST,
                                         "%s", err ? err : "the call could not start"));
    }
    free(err);
    err = NULL;
    int sr = say ? callctl_say(call, say, &err) : callctl_say_wav(call, wav, &err);
    if (sr != 0) {
        callctl_free(call);
        gate_session_free(s);
        rc = cli_fail(c, api_error_new(API_ERR_BAD_REQUEST, "%s", err));
        free(err);
        return rc;
    }
    live lv = {c, 0};
    rc = pump(c, call, turn_over, c->json ? NULL : &lv);
    const callctl_info *in = callctl_info_get(call);
    if (rc == CLI_OK && in->state <= CALL_OPEN) {
        callctl_hangup(call);
        rc = pump(c, call, call_over, NULL);
    }
    const callctl_turn *t = in->nturns ? &in->turns[0] : NULL;
    /* Notes worth a word: not the routine rate-limit figures, not the
     * error said below. */
    for (size_t i = 0; i < in->nnotes && !c->json; i++)
        if (strncmp(in->notes[i], "rate limits:", 12) && !(t && t->error && !strcmp(t->error, in->notes[i])))
            cli_note(c, "%s", in->notes[i]);
    if (rc == CLI_INTERRUPTED) {
        cli_out_flush(c);
        cli_note(c, "hung up");
    } else if (t && t->failed) {
        cli_out_flush(c);
        rc = cli_fail(c, api_error_new(t->fail_kind, "%s", t->error));
        if (in->secret_expired)
            cli_note(c, "run the command again to create a new session");
        if (c->json)
            report(c, call, s);
    } else if (in->state == CALL_FAILED && (!t || !t->done)) {
        rc = cli_fail(c, api_error_new(in->fail_kind, "%s", in->error));
        if (in->secret_expired)
            cli_note(c, "run the command again to create a new session");
    } else {
        rc = report(c, call, s);
    }
    callctl_free(call);
    gate_session_free(s);
    return rc;
}
