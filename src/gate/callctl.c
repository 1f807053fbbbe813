/* callctl.c: a call over the Realtime API (callctl.h). */
#include "config.h"
#include "gate/callctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "gate/callctl_play.h"
#include "net/ws.h"
#include "net/wsframe.h"
#include "util/clock.h"
#include "util/jsonu.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/wav.h"

#define MAX_NOTES 200

struct callctl {
    net_t *net;
    uint64_t id;
    callctl_info info;
    bool text_only;
    char *dir;
    buf_t pcm;               /* the running turn's audio */
    bool ended;              /* the terminal event came */
};

/* -------------------------------------------------------------- helpers */

static void bump(callctl *c)
{
    c->info.rev++;
}

static void note(callctl *c, char *text)
{
    if (c->info.nnotes == MAX_NOTES) {
        free(c->info.notes[0]);
        memmove(c->info.notes, c->info.notes + 1, (MAX_NOTES - 1) * sizeof *c->info.notes);
        c->info.nnotes--;
    }
    c->info.notes = xrealloc(c->info.notes, (c->info.nnotes + 1) * sizeof *c->info.notes);
    c->info.notes[c->info.nnotes++] = text;
    bump(c);
}

static callctl_turn *current(callctl *c)
{
    if (!c->info.nturns)
        return NULL;
    callctl_turn *t = &c->info.turns[c->info.nturns - 1];
    return t->done ? NULL : t;
}

static void append_file(const char *dir, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    /* Private, as the WAVs: what was said on a call is the person's. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (!f && fd >= 0)
        close(fd);
    if (f) {
        fputs(text, f);
        fclose(f);
    } else {
        log_msg("call: cannot write %s: %s", path, strerror(errno));
    }
    free(path);
}

static char *write_wav(callctl *c, size_t turn_no, char **err)
{
    char *path = xasprintf("%s/turn-%zu.wav", c->dir, turn_no);
    buf_t f = BUF_INIT;
    wav_header(&f, (uint32_t)c->pcm.len);
    buf_append(&f, c->pcm.data, c->pcm.len);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    size_t off = 0;
    while (ok && off < f.len) {
        ssize_t w = write(fd, f.data + off, f.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        if (ok)
            off += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    buf_free(&f);
    if (!ok) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
        free(path);
        return NULL;
    }
    return path;
}

/* ------------------------------------------------------------ life cycle */

callctl *callctl_new(net_t *net, const callctl_params *p, int64_t now_wall_ms, bool *expired,
                     char **err)
{
    *expired = false;
    if (!p->secret || !*p->secret) {
        *err = xstrdup("the session has no client secret to call it with: create a new session");
        return NULL;
    }
    if (p->secret_expires_s && now_wall_ms >= p->secret_expires_s * 1000) {
        *expired = true;
        /* The remedy first: a status line may cut the rest. */
        *err = xasprintf("the client secret expired %lld s ago: create a new session (a secret "
                         "opens a call only in the minute after its session, %s, was made)",
                         (long long)((now_wall_ms - p->secret_expires_s * 1000) / 1000),
                         p->session_id ? p->session_id : "the session");
        return NULL;
    }
    const char *url = p->url ? p->url : CALLCTL_DEFAULT_URL;
    if (strncmp(url, "wss://", 6) && strncmp(url, "ws://", 5)) {
        *err = xasprintf("the Realtime URL must be wss:// (or ws:// to this machine): %s", url);
        return NULL;
    }
    if (p->dir && mkdir(p->dir, 0700) != 0 && errno != EEXIST) {
        *err = xasprintf("cannot create %s: %s", p->dir, strerror(errno));
        return NULL;
    }
    log_add_secret(p->secret);
    callctl *c = xcalloc(1, sizeof *c);
    c->net = net;
    c->text_only = p->text_only;
    c->dir = p->dir ? xstrdup(p->dir) : NULL;
    c->info.player = callplay_find();
    char *full = p->model ? xasprintf("%s%smodel=%s", url, strchr(url, '?') ? "&" : "?", p->model)
                          : xstrdup(url);
    net_ws_request *r = net_ws_request_new(full);
    free(full);
    char *auth = xasprintf("Bearer %s", p->secret);
    net_ws_request_add_header(r, "Authorization", auth);
    memset(auth, 0, strlen(auth));
    free(auth);
    if (p->beta)
        net_ws_request_add_header(r, "OpenAI-Beta", "realtime=v1");
    r->tag = p->tag;
    c->id = net_ws_open(net, r);
    if (p->voice || p->instructions) {
        char *m = rt_session_update(p->instructions, p->voice);
        net_ws_send(net, c->id, m, strlen(m));
        free(m);
    }
    return c;
}

void callctl_free(callctl *c)
{
    if (!c)
        return;
    if (!c->ended)
        net_cancel(c->net, c->id);
    callplay_reap(); /* players that have finished leave no zombie */
    for (size_t i = 0; i < c->info.nturns; i++) {
        callctl_turn *t = &c->info.turns[i];
        free(t->said);
        buf_free(&t->reply);
        free(t->status);
        free(t->response_id);
        free(t->error);
        free(t->wav_path);
    }
    free(c->info.turns);
    for (size_t i = 0; i < c->info.nnotes; i++)
        free(c->info.notes[i]);
    free(c->info.notes);
    free(c->info.error);
    free(c->info.voice);
    buf_free(&c->pcm);
    free(c->dir);
    free(c);
}

const callctl_info *callctl_info_get(const callctl *c)
{
    return &c->info;
}

uint64_t callctl_id(const callctl *c)
{
    return c->id;
}

bool callctl_busy(const callctl *c)
{
    return c->info.nturns && !c->info.turns[c->info.nturns - 1].done;
}

void callctl_set_playback(callctl *c, bool on)
{
    c->info.playback = on && c->info.player;
    bump(c);
}

void callctl_hangup(callctl *c)
{
    if (!c->ended && c->info.state <= CALL_OPEN)
        net_ws_close(c->net, c->id, WS_CLOSE_NORMAL);
}

/* ----------------------------------------------------------------- turns */

static callctl_turn *new_turn(callctl *c, char *said)
{
    c->info.turns = xrealloc(c->info.turns, (c->info.nturns + 1) * sizeof *c->info.turns);
    callctl_turn *t = &c->info.turns[c->info.nturns++];
    memset(t, 0, sizeof *t);
    t->said = said;
    t->sent_us = clock_mono_us();
    buf_clear(&c->pcm);
    if (c->dir) {
        char *line = xasprintf("you: %s\n", said);
        append_file(c->dir, "transcript.txt", line);
        free(line);
    }
    bump(c);
    return t;
}

static int can_say(callctl *c, char **err)
{
    if (c->info.state >= CALL_CLOSED) {
        *err = xstrdup("the call is over");
        return -1;
    }
    if (callctl_busy(c)) {
        *err = xstrdup("the reply to the last turn is still coming: wait for it");
        return -1;
    }
    return 0;
}

static void send_msg(callctl *c, char *m)
{
    net_ws_send(c->net, c->id, m, strlen(m));
    free(m);
}

int callctl_say(callctl *c, const char *text, char **err)
{
    if (can_say(c, err) != 0)
        return -1;
    if (!text || !*text) {
        *err = xstrdup("nothing to say");
        return -1;
    }
    new_turn(c, xstrdup(text));
    send_msg(c, rt_user_text(text));
    send_msg(c, rt_response_create(c->text_only));
    return 0;
}

int callctl_say_wav(callctl *c, const char *path, char **err)
{
    if (can_say(c, err) != 0)
        return -1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    buf_t file = BUF_INIT;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0 && file.len < 64u * 1024 * 1024)
        buf_append(&file, tmp, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad || file.len >= 64u * 1024 * 1024) {
        buf_free(&file);
        *err = xasprintf("cannot read %s: %s", path, bad ? "read error" : "over 64 MiB");
        return -1;
    }
    buf_t pcm = BUF_INIT;
    char *why = NULL;
    if (wav_decode(file.data, file.len, &pcm, &why) != 0) {
        *err = xasprintf("%s: %s", path, why);
        free(why);
        buf_free(&file);
        buf_free(&pcm);
        return -1;
    }
    buf_free(&file);
    if (wav_ms(pcm.len) < 100) {
        *err = xasprintf("%s: under 100 ms of audio, too short to send", path);
        buf_free(&pcm);
        return -1;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    new_turn(c, xasprintf("(audio %s, %lld ms)", base, (long long)wav_ms(pcm.len)));
    for (size_t off = 0; off < pcm.len; off += CALLCTL_CHUNK_BYTES) {
        size_t len = pcm.len - off < CALLCTL_CHUNK_BYTES ? pcm.len - off : CALLCTL_CHUNK_BYTES;
        send_msg(c, rt_audio_append(pcm.data + off, len));
    }
    buf_free(&pcm);
    send_msg(c, rt_audio_commit());
    send_msg(c, rt_response_create(c->text_only));
    return 0;
}

/* The running turn is over (done or failed). */
static void end_turn(callctl *c, callctl_turn *t, int64_t at_us)
{
    t->done = true;
    t->done_us = at_us;
    t->audio_bytes = c->pcm.len;
    if (c->dir) {
        char *line = xasprintf("assistant: %s%s%s%s\n", buf_cstr(&t->reply), t->error ? " [" : "",
                               t->error ? t->error : "", t->error ? "]" : "");
        append_file(c->dir, "transcript.txt", line);
        free(line);
        if (c->pcm.len) {
            char *err = NULL;
            t->wav_path = write_wav(c, c->info.nturns, &err);
            if (!t->wav_path)
                note(c, err);
        }
    }
    if (t->wav_path && c->info.playback && c->info.player) {
        callplay_reap();
        if (callplay_start(c->info.player, t->wav_path) < 0)
            note(c, xasprintf("could not start %s to play the reply", c->info.player));
    }
    buf_clear(&c->pcm);
    bump(c);
}

static void on_message(callctl *c, const char *data, size_t len, int64_t at_us)
{
    rt_event ev;
    memset(&ev, 0, sizeof ev);
    char *err = NULL;
    if (rt_decode(data, len, &ev, &err) != 0) {
        note(c, xasprintf("an event from the Realtime service was not understood: %s", err));
        free(err);
        rt_event_clear(&ev);
        return;
    }
    if (ev.beta && !c->info.beta_seen) {
        c->info.beta_seen = true;
        bump(c);
    }
    callctl_turn *t = current(c);
    switch (ev.kind) {
    case RT_SESSION:
        if (ev.voice) {
            free(c->info.voice);
            c->info.voice = ev.voice;
            ev.voice = NULL;
            bump(c);
        }
        break;
    case RT_TEXT_DELTA:
    case RT_TRANSCRIPT_DELTA:
        if (t) {
            if (!t->first_text_us)
                t->first_text_us = at_us;
            buf_append_str(&t->reply, ev.text);
            bump(c);
        }
        break;
    case RT_AUDIO_DELTA:
        if (t) {
            if (!t->first_audio_us) {
                t->first_audio_us = at_us;
                t->first_audio_handled_us = clock_mono_us();
            }
            buf_append(&c->pcm, ev.audio.data, ev.audio.len);
            t->audio_bytes = c->pcm.len;
            bump(c);
        }
        break;
    case RT_RESPONSE_CREATED:
        if (t && !t->response_id) {
            t->response_id = ev.response_id;
            ev.response_id = NULL;
        }
        break;
    case RT_RESPONSE_DONE:
        if (t) {
            t->status = ev.status;
            ev.status = NULL;
            t->has_usage = ev.has_usage;
            t->usage = ev.usage;
            if (t->status && strcmp(t->status, "completed")) {
                t->failed = true;
                t->fail_kind = API_ERR_SERVER;
                t->error = ev.text ? xasprintf("the reply ended %s: %s", t->status, ev.text)
                                   : xasprintf("the reply ended %s", t->status);
            }
            end_turn(c, t, at_us);
        }
        break;
    case RT_ERROR: {
        char *words = rt_error_text(&ev);
        if (t && !t->first_text_us && !t->first_audio_us) {
            /* Refused before any reply: this turn gets no answer. */
            t->failed = true;
            t->error = xstrdup(words);
            t->fail_kind = ev.err_code && !strcmp(ev.err_code, "rate_limit_exceeded") ? API_ERR_RATE_LIMITED
                           : ev.err_type && !strcmp(ev.err_type, "server_error") ? API_ERR_SERVER
                                                                                  : API_ERR_BAD_REQUEST;
            end_turn(c, t, at_us);
        }
        note(c, words);
        break;
    }
    case RT_RATE_LIMITS: {
        char *words = rt_rates_text(&ev);
        bool out = false;
        for (size_t i = 0; i < ev.nrates; i++)
            out = out || (ev.rates[i].limit > 0 && ev.rates[i].remaining == 0);
        note(c, out ? xasprintf("rate limit used up: %s", words) : xasprintf("rate limits: %s", words));
        free(words);
        break;
    }
    default:
        break;
    }
    rt_event_clear(&ev);
}

/* The words for a refused handshake: the service's message when it sent one. */
static char *refusal(callctl *c, const net_event *ev)
{
    char *msg = NULL, *code = NULL;
    if (ev->body && ev->body_len) {
        char *perr = NULL;
        json_object *o = jsonu_parse(ev->body, ev->body_len, &perr), *e, *v;
        free(perr);
        if (o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "error", &e) &&
            json_object_is_type(e, json_type_object)) {
            if (json_object_object_get_ex(e, "message", &v) && json_object_is_type(v, json_type_string))
                msg = jsonu_strdup(v);
            if (json_object_object_get_ex(e, "code", &v) && json_object_is_type(v, json_type_string))
                code = jsonu_strdup(v);
        }
        json_object_put(o);
    }
    if (code && strstr(code, "expired"))
        c->info.secret_expired = true;
    c->info.fail_kind = ev->status == 401 || ev->status == 403 ? API_ERR_AUTH
                        : ev->status == 429                    ? API_ERR_RATE_LIMITED
                        : ev->status >= 500                    ? API_ERR_SERVER
                                                               : API_ERR_BAD_REQUEST;
    char *out;
    if (c->info.secret_expired)
        out = xasprintf("the Realtime service refused the client secret as expired%s%s: create a "
                        "new session", msg ? ": " : "", msg ? msg : "");
    else
        out = xasprintf("the Realtime service refused the call (HTTP %ld)%s%s", ev->status,
                        msg ? ": " : "", msg ? msg : "");
    free(msg);
    free(code);
    return out;
}

bool callctl_handle(callctl *c, net_event *ev)
{
    if (ev->id != c->id)
        return false;
    switch (ev->kind) {
    case NET_EV_OPEN:
        c->info.state = CALL_OPEN;
        bump(c);
        break;
    case NET_EV_SSE:
        for (size_t i = 0; i < ev->nsse; i++) {
            if (!strcmp(ev->sse[i].type, "text"))
                on_message(c, ev->sse[i].data, ev->sse[i].data_len, ev->at_us);
            else
                note(c, xstrdup("the Realtime service sent a binary message (ignored)"));
        }
        break;
    case NET_EV_DONE:
        c->ended = true;
        c->info.state = CALL_CLOSED;
        c->info.close_code = (int)ev->status;
        if (current(c)) {
            current(c)->failed = true;
            current(c)->fail_kind = API_ERR_NETWORK;
            current(c)->error = xstrdup("the call ended before the reply did");
            end_turn(c, current(c), ev->at_us);
        }
        bump(c);
        break;
    case NET_EV_FAILED:
    case NET_EV_CANCELLED:
        c->ended = true;
        c->info.state = ev->kind == NET_EV_CANCELLED ? CALL_CLOSED : CALL_FAILED;
        if (ev->kind == NET_EV_FAILED) {
            free(c->info.error);
            c->info.fail_kind = ev->fail == NET_FAIL_REFUSED     ? API_ERR_BAD_REQUEST
                                : ev->fail == NET_FAIL_TOO_LARGE ? API_ERR_PROTOCOL
                                                                 : API_ERR_NETWORK;
            c->info.error = ev->fail == NET_FAIL_HTTP
                                ? refusal(c, ev)
                                : xasprintf("the call failed: %s",
                                            ev->message ? ev->message : net_fail_name(ev->fail));
        }
        if (current(c)) {
            callctl_turn *t = current(c);
            t->failed = true;
            t->fail_kind = ev->kind == NET_EV_CANCELLED ? API_ERR_CANCELLED : c->info.fail_kind;
            /* The call's own error says why (a refusal, a drop). */
            t->error = xstrdup(ev->kind == NET_EV_CANCELLED ? "hung up before the reply ended"
                                                            : c->info.error);
            end_turn(c, t, ev->at_us);
        }
        bump(c);
        break;
    default:
        break;
    }
    net_event_free(ev);
    return true;
}
