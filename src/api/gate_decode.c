/* gate_decode.c: AI Gate's session and TURN credential answers. */
#include "config.h"
#include "api/gate.h"

#include <stdlib.h>
#include <string.h>

#include "api/apitime.h"
#include "api/dec.h"
#include "util/assert.h"
#include "util/log.h"
#include "util/mem.h"

api_error *gate_decode_error(char *err)
{
    api_error *e = api_error_malformed(API_GATE, err);
    free(err);
    return e;
}

static void ice_clear(gate_ice_server *s)
{
    api_strv_free(s->urls, s->nurls);
    free(s->username);
    free(s->credential);
}

static void ice_list_clear(gate_ice_list *l)
{
    AIDESK_ASSERT(l->items || !l->n);
    for (size_t i = 0; i < l->n; i++)
        ice_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void gate_ice_list_free(gate_ice_list *l)
{
    if (!l)
        return;
    ice_list_clear(l);
    free(l);
}

/* A list of strings (or, when one_ok, a single string) into *v / *n. */
static void read_strings(jsonu_dec *d, json_object *o, const char *key, bool required,
                         bool one_ok, char ***v, size_t *n)
{
    json_object *x = NULL;
    if (!json_object_object_get_ex(o, key, &x) || !x) {
        if (required)
            jsonu_fail(d, "missing field '%s'", key);
        return;
    }
    if (one_ok && json_object_is_type(x, json_type_string)) {
        *v = xcalloc(1, sizeof **v);
        (*v)[0] = jsonu_strdup(x);
        *n = 1;
        return;
    }
    if (!json_object_is_type(x, json_type_array)) {
        jsonu_fail(d, one_ok ? "field '%s' should be a string or a list of strings"
                             : "field '%s' should be a list of strings", key);
        return;
    }
    size_t len = json_object_array_length(x);
    *v = len ? xcalloc(len, sizeof **v) : NULL;
    for (size_t i = 0; i < len; i++) {
        json_object *s = json_object_array_get_idx(x, i);
        if (!s || !json_object_is_type(s, json_type_string)) {
            jsonu_fail(d, "field '%s' should hold only strings", key);
            return;
        }
        (*v)[(*n)++] = jsonu_strdup(s);
    }
}

static void read_ice(jsonu_dec *d, json_object *arr, gate_ice_list *l)
{
    size_t n = json_object_array_length(arr);
    l->items = n ? xcalloc(n, sizeof *l->items) : NULL;
    for (size_t i = 0; i < n && !d->error; i++) {
        api_dec_scope sc;
        api_dec_enter(d, &sc, "iceServers", (long)i);
        json_object *o = json_object_array_get_idx(arr, i);
        gate_ice_server *s = &l->items[l->n++];
        if (api_dec_is_object(d, o)) {
            read_strings(d, o, "urls", true, true, &s->urls, &s->nurls);
            jsonu_str(d, o, "username", false, &s->username);
            jsonu_str(d, o, "credential", false, &s->credential);
            /* TURN usernames of time-limited credentials are half of the
             * secret: keep both out of the log. */
            log_add_secret(s->username);
            log_add_secret(s->credential);
        }
        api_dec_leave(d, &sc);
    }
}

gate_ice_list *gate_decode_turn(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "TURN credentials", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "TURN credentials");
    gate_ice_list *l = xcalloc(1, sizeof *l);
    json_object *arr = api_dec_is_object(&d, o) ? jsonu_arr(&d, o, "iceServers", true) : NULL;
    if (arr)
        read_ice(&d, arr, l);
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        gate_ice_list_free(l);
        return NULL;
    }
    return l;
}

void gate_session_free(gate_session *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->model);
    api_strv_free(s->modalities, s->nmodalities);
    free(s->instructions);
    free(s->voice);
    free(s->input_audio_format);
    free(s->output_audio_format);
    free(s->turn_detection_json);
    free(s->client_secret);
    ice_list_clear(&s->ice);
    free(s->session_id);
    free(s->meta_model);
    free(s->meta_voice);
    free(s->meta_turn_server);
    free(s->meta_created_at);
    free(s->raw_json);
    free(s);
}

static void read_max_tokens(jsonu_dec *d, json_object *o, gate_session *s)
{
    const char *key = "max_response_output_tokens";
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return;
    if (json_object_is_type(v, json_type_string)) {
        if (strcmp(json_object_get_string(v), "inf") != 0)
            jsonu_fail(d, "field '%s' should be a number or \"inf\"", key);
        else
            s->max_tokens_inf = true;
        return;
    }
    jsonu_int(d, o, key, false, 1, API_INT_MAX, &s->max_tokens);
}

static void read_nested(jsonu_dec *d, json_object *o, gate_session *s)
{
    api_dec_scope sc;
    json_object *cs = jsonu_obj(d, o, "client_secret", false);
    if (cs) {
        api_dec_enter(d, &sc, "client_secret", -1);
        jsonu_str(d, cs, "value", true, &s->client_secret);
        jsonu_int(d, cs, "expires_at", false, 0, API_INT_MAX, &s->client_secret_expires_at);
        api_dec_leave(d, &sc);
        log_add_secret(s->client_secret);
    }
    json_object *tc = jsonu_obj(d, o, "turn_credentials", false);
    if (tc) {
        api_dec_enter(d, &sc, "turn_credentials", -1);
        json_object *arr = jsonu_arr(d, tc, "iceServers", false);
        if (arr)
            read_ice(d, arr, &s->ice);
        api_dec_leave(d, &sc);
    }
    json_object *md = jsonu_obj(d, o, "metadata", false);
    if (md) {
        api_dec_enter(d, &sc, "metadata", -1);
        jsonu_str(d, md, "model", false, &s->meta_model);
        jsonu_str(d, md, "voice", false, &s->meta_voice);
        jsonu_str(d, md, "turn_server", false, &s->meta_turn_server);
        jsonu_str(d, md, "created_at", false, &s->meta_created_at);
        api_dec_leave(d, &sc);
        int64_t ms;
        if (s->meta_created_at && api_time_parse_iso8601(s->meta_created_at, &ms))
            s->meta_created_ms = ms;
    }
}

gate_session *gate_decode_session(const char *body, size_t len, char **err)
{
    json_object *o = api_dec_parse(body, len, "session", err);
    if (!o)
        return NULL;
    jsonu_dec d;
    jsonu_dec_init(&d, "session");
    gate_session *s = xcalloc(1, sizeof *s);
    s->max_tokens = -1;
    if (api_dec_is_object(&d, o)) {
        jsonu_str(&d, o, "id", false, &s->id);
        jsonu_str(&d, o, "model", false, &s->model);
        jsonu_int(&d, o, "expires_at", false, 0, API_INT_MAX, &s->expires_at);
        read_strings(&d, o, "modalities", false, false, &s->modalities, &s->nmodalities);
        jsonu_str(&d, o, "instructions", false, &s->instructions);
        jsonu_str(&d, o, "voice", false, &s->voice);
        jsonu_str(&d, o, "input_audio_format", false, &s->input_audio_format);
        jsonu_str(&d, o, "output_audio_format", false, &s->output_audio_format);
        api_dec_any_json(&d, o, "turn_detection", &s->turn_detection_json);
        s->has_temperature = jsonu_num(&d, o, "temperature", false, 0, 2, &s->temperature);
        read_max_tokens(&d, o, s);
        jsonu_str(&d, o, "session_id", false, &s->session_id);
        read_nested(&d, o, s);
        s->raw_json = jsonu_to_string(o);
    }
    json_object_put(o);
    if (!api_dec_finish(&d, err)) {
        gate_session_free(s);
        return NULL;
    }
    return s;
}
