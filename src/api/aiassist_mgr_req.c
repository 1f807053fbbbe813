/* aiassist_mgr_req.c: requests of the manager protocol (ours; see
 * docs/protocol.md), all under /api/manager/ with the same auth headers. */
#include "config.h"
#include "api/aiassist.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "api/aiassist_req.h"
#include "api/req.h"
#include "api/url.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

net_request *ai_req_mgr_list(const ai_client *c, const char *mode, const char *status)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/api/manager/workspaces");
    api_url_add_query(&path, "mode", mode);
    api_url_add_query(&path, "status", status);
    net_request *r = ai_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    r->retry_safe = true;
    return r;
}

net_request *ai_req_mgr_events(const ai_client *c, const char *last_event_id,
                               const char *workspace_id)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/api/manager/events");
    api_url_add_query(&path, "workspace_id", workspace_id);
    net_request *r = ai_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    net_request_add_header(r, "Accept", "text/event-stream");
    r->stream = true;
    r->reconnect = true;
    r->retry_safe = true;
    r->timeout_ms = AI_EVENTS_TIMEOUT_MS;
    if (last_event_id && *last_event_id)
        r->last_event_id = xstrdup(last_event_id);
    return r;
}

static json_object *opt_field(const char *key, const char *value)
{
    json_object *o = json_object_new_object();
    api_json_add_str(o, key, value);
    return o;
}

static json_object *req_field(const char *key, const char *value)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, key, json_object_new_string(value ? value : ""));
    return o;
}

/* Adds the caller's key: with it, a repeat is answered from the server's
 * record of the first, so the request is safe to retry. */
static net_request *keyed(net_request *r, const char *idem_key)
{
    if (!r)
        return NULL;
    if (idem_key && *idem_key) {
        net_request_add_header(r, "Idempotency-Key", idem_key);
        r->retry_safe = true;
    } else {
        r->retry_safe = false;
    }
    return r;
}

net_request *ai_req_mgr_set_mode(const ai_client *c, const char *id, const char *mode,
                                 const char *idem_key)
{
    /* Without a key not repeated either: another manager may have chosen
     * a different mode in between. */
    return keyed(ai_id_request(c, NET_POST, "/api/manager/workspaces", id, "/mode",
                               req_field("mode", mode), false),
                 idem_key);
}

net_request *ai_req_mgr_drafts(const ai_client *c, const char *workspace_id)
{
    buf_t path = BUF_INIT;
    buf_append_str(&path, "/api/manager/drafts");
    api_url_add_query(&path, "workspace_id", workspace_id);
    net_request *r = ai_request(c, NET_GET, buf_cstr(&path));
    buf_free(&path);
    r->retry_safe = true;
    return r;
}

net_request *ai_req_mgr_approve(const ai_client *c, const char *draft_id, const char *content,
                                const char *idem_key)
{
    return keyed(ai_id_request(c, NET_POST, "/api/manager/drafts", draft_id, "/approve",
                               opt_field("content", content), false),
                 idem_key);
}

net_request *ai_req_mgr_reject(const ai_client *c, const char *draft_id, const char *reason,
                               const char *idem_key)
{
    return keyed(ai_id_request(c, NET_POST, "/api/manager/drafts", draft_id, "/reject",
                               opt_field("reason", reason), false),
                 idem_key);
}

net_request *ai_req_mgr_reply(const ai_client *c, const char *ws_id, const char *content,
                              const char *idem_key)
{
    return keyed(ai_id_request(c, NET_POST, "/api/manager/workspaces", ws_id, "/reply",
                               req_field("content", content), false),
                 idem_key);
}

net_request *ai_req_mgr_typing(const ai_client *c, const char *ws_id, const char *text)
{
    return ai_id_request(c, NET_POST, "/api/manager/workspaces", ws_id, "/typing",
                         req_field("text", text), true);
}

net_request *ai_req_mgr_regenerate(const ai_client *c, const char *ws_id,
                                   const char *instructions, const char *idem_key)
{
    return keyed(ai_id_request(c, NET_POST, "/api/manager/workspaces", ws_id, "/regenerate",
                               opt_field("instructions", instructions), false),
                 idem_key);
}

/* ------------------------------------------------------ idempotency keys */

static bool random_bytes(unsigned char *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(out + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got == n)
        return true;
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f)
        return false;
    size_t rd = fread(out, 1, n, f);
    fclose(f);
    return rd == n;
}

char *ai_idem_key_new(void)
{
    unsigned char b[16];
    if (!random_bytes(b, sizeof b)) {
        /* No randomness at all: still unique to this process and moment,
         * which is what a key must be. */
        static unsigned counter;
        uint64_t x = (uint64_t)clock_wall_ms() * 1000003u ^ (uint64_t)clock_mono_us() ^
                     ((uint64_t)getpid() << 32) ^ (uint64_t)++counter;
        for (size_t i = 0; i < sizeof b; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[i] = (unsigned char)x;
        }
    }
    static const char hex[] = "0123456789abcdef";
    char *key = xmalloc(sizeof b * 2 + 1);
    for (size_t i = 0; i < sizeof b; i++) {
        key[2 * i] = hex[b[i] >> 4];
        key[2 * i + 1] = hex[b[i] & 15];
    }
    key[sizeof b * 2] = '\0';
    return key;
}

bool ai_idem_key_ok(const char *s)
{
    if (!s || !*s || strlen(s) > AI_IDEM_KEY_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("-_.:", *s))
            return false;
    return true;
}
