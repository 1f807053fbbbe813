/* gatectl_copy.c: the session details view and copying a secret or a
 * snippet: OSC 52, or a private file (the sinks are desk/copy.h). Nothing
 * here is ever logged. */
#include "config.h"
#include "gate/gatectl_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "api/url.h"
#include "desk/copy.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/timefmt.h"

#define REALTIME_URL "https://api.openai.com/v1/realtime"

/* Overwrites a copy of a secret before it is freed. */
static void wipe(char *p, size_t n)
{
    volatile char *v = p;
    while (n--)
        *v++ = 0;
}

char *gatectl_safe_word(const char *s, size_t max)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; s && s[i] && i < max; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr("._:@+-", c);
        buf_append_char(&b, ok ? c : '?');
    }
    return buf_steal(&b);
}

/* ------------------------------------------------------------- details */

/* o pretty-printed (2-space indent, "key": value), a new string. */
static char *pretty(json_object *o)
{
    return xstrdup(json_object_to_json_string_ext(
        o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void mask_field(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return;
    char *m = gatectl_mask(json_object_get_string(v));
    json_object_object_add(o, key, json_object_new_string(m));
    free(m);
}

char *gatectl_details_json(const gatectl_t *g, size_t i, bool show_secrets)
{
    if (i >= g->info.nsessions)
        return NULL;
    const gate_session *s = g->info.sessions[i]->s;
    char *err = NULL;
    json_object *o = s->raw_json ? jsonu_parse(s->raw_json, strlen(s->raw_json), &err) : NULL;
    free(err);
    if (!o)
        return xstrdup("{}");
    if (!show_secrets) {
        json_object *cs, *tc, *arr;
        if (json_object_object_get_ex(o, "client_secret", &cs) &&
            json_object_is_type(cs, json_type_object))
            mask_field(cs, "value");
        if (json_object_object_get_ex(o, "turn_credentials", &tc) &&
            json_object_is_type(tc, json_type_object) &&
            json_object_object_get_ex(tc, "iceServers", &arr) &&
            json_object_is_type(arr, json_type_array)) {
            for (size_t k = 0; k < json_object_array_length(arr); k++) {
                json_object *e = json_object_array_get_idx(arr, k);
                if (json_object_is_type(e, json_type_object)) {
                    mask_field(e, "username");
                    mask_field(e, "credential");
                }
            }
        }
    }
    char *out = pretty(o);
    json_object_put(o);
    return out;
}

/* -------------------------------------------------------------- copying */

/* s in single quotes for a POSIX shell; control characters (never in a
 * real secret) become '?' so that the snippet stays on its lines. */
static void shell_quote(buf_t *b, const char *s)
{
    buf_append_char(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_append_str(b, "'\\''");
        else if ((unsigned char)*s < 0x20 || *s == 0x7F)
            buf_append_char(b, '?');
        else
            buf_append_char(b, *s);
    }
    buf_append_char(b, '\'');
}

static char *curl_text(const gatectl_session *gs)
{
    const gate_session *s = gs->s;
    const char *mname = s->model ? s->model : GATE_DEFAULT_MODEL;
    buf_t b = BUF_INIT;
    /* The expiry is at most API_INT_MAX seconds: in milliseconds it fits. */
    char when[TIMEFMT_SIZE];
    if (!timefmt_utc(gs->secret_expires_s * 1000, TIMEFMT_ISO, when))
        snprintf(when, sizeof when, "unix %lld", (long long)gs->secret_expires_s);
    char *id = gatectl_safe_word(s->id, 64), *m = gatectl_safe_word(mname, 200),
         *v = gatectl_safe_word(s->voice, 32);
    buf_printf(&b, "# AI Gate realtime session %s (model %s, voice %s)\n", id, m, v);
    free(id);
    free(m);
    free(v);
    buf_printf(&b,
               "# The client secret expires at %s (unix %lld): connect before then.\n"
               "# Put your WebRTC SDP offer in offer.sdp; OpenAI answers with the SDP answer.\n"
               "# ICE servers for the RTCPeerConnection:\n# ",
               when, (long long)gs->secret_expires_s);
    json_object *ice = gate_ice_json(&s->ice);
    char *ice_text = jsonu_to_string(ice);
    json_object_put(ice);
    buf_append_str(&b, ice_text);
    free(ice_text);
    buf_append_str(&b, "\ncurl -sS -X POST ");
    char *qm = api_url_escape(mname);
    char *url = xasprintf(REALTIME_URL "?model=%s", qm);
    free(qm);
    shell_quote(&b, url);
    free(url);
    buf_append_str(&b, " \\\n  -H ");
    char *auth = xasprintf("Authorization: Bearer %s", s->client_secret ? s->client_secret : "");
    shell_quote(&b, auth);
    wipe(auth, strlen(auth));
    free(auth);
    buf_append_str(&b, " \\\n  -H 'Content-Type: application/sdp' \\\n"
                       "  --data-binary @offer.sdp\n");
    return buf_steal(&b);
}

static char *json_text(const gatectl_session *gs)
{
    const gate_session *s = gs->s;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "client_secret",
                           s->client_secret ? json_object_new_string(s->client_secret) : NULL);
    json_object_object_add(o, "expires_at",
                           gs->no_secret ? NULL : json_object_new_int64(gs->secret_expires_s));
    json_object_object_add(o, "model", s->model ? json_object_new_string(s->model) : NULL);
    json_object_object_add(o, "voice", s->voice ? json_object_new_string(s->voice) : NULL);
    json_object_object_add(o, "ice_servers", gate_ice_json(&s->ice));
    char *text = pretty(o);
    json_object_put(o);
    char *out = xasprintf("%s\n", text);
    wipe(text, strlen(text));
    free(text);
    return out;
}

char *gatectl_copy_text(const gatectl_session *s, gatectl_copy_what what)
{
    switch (what) {
    case GATECTL_COPY_SECRET: return xstrdup(s->s->client_secret ? s->s->client_secret : "");
    case GATECTL_COPY_CURL: return curl_text(s);
    case GATECTL_COPY_JSON: return json_text(s);
    }
    return xstrdup("");
}

/* ------------------------------------------------------- private files */

char *gatectl_write_private(const char *dir, const char *base, const char *ext,
                            const char *text, size_t len, char **err)
{
    return copy_write_private(dir, base, ext, text, len, err);
}

bool gatectl_copy(gatectl_t *g, size_t i, gatectl_copy_what what, gatectl_copy_out *out,
                  char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    if (i >= g->info.nsessions) {
        *err = xasprintf("no AI Gate session %zu in this run", i + 1);
        return false;
    }
    const gatectl_session *s = g->info.sessions[i];
    if (s->no_secret && what != GATECTL_COPY_JSON) {
        *err = xasprintf("session %zu: " GATECTL_NO_SECRET_TEXT ", nothing to connect with", i + 1);
        return false;
    }
    char *text = gatectl_copy_text(s, what);
    size_t len = strlen(text);
    out->bytes = len;
    out->secret_expired =
        !s->no_secret && gatectl_session_timing(s, clock_wall_ms()).secret_left_s == 0;
    char *id = gatectl_safe_word(s->s->id, 64);
    static const char *const suffix[] = {"-secret", "-curl", ""};
    static const char *const ext[] = {".txt", ".sh", ".json"};
    char *base = xasprintf("%s%s", *id ? id : "session", suffix[what]);
    copy_out co;
    bool ok = copy_text(g->osc52, "gate", base, ext[what], text, len, &co, err);
    out->osc52 = co.osc52;
    out->path = co.path;
    free(base);
    free(id);
    wipe(text, len);
    free(text);
    return ok;
}

void gatectl_copy_out_clear(gatectl_copy_out *out)
{
    if (!out)
        return;
    free(out->osc52);
    free(out->path);
    memset(out, 0, sizeof *out);
}
