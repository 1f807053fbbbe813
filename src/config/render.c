/* render.c: the effective configuration for people, without secrets. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* Text from files and the environment may hold anything: show it safely. */
static void put_safe(buf_t *b, const char *s)
{
    sanitize_append(b, s, strlen(s), 0);
}

/* "(default)", "(file: PATH:LINE)", "(environment: VAR)", "(option: --x)". */
static void put_source(buf_t *b, const config_origin *o)
{
    buf_printf(b, "(%s", config_source_name(o->source));
    if (o->where) {
        buf_append_str(b, ": ");
        put_safe(b, o->where);
    }
    buf_append_char(b, ')');
}

static void put_label(buf_t *b, const char *section, const char *name)
{
    char label[64];
    if (section)
        snprintf(label, sizeof label, "%s.%s", section, name);
    else
        snprintf(label, sizeof label, "%s", name);
    buf_printf(b, "%-22s ", label);
}

static void put_value(buf_t *b, const char *section, const config_t *c, config_item item,
                      const char *value)
{
    put_label(b, section, config_item_name(item));
    size_t before = b->len;
    put_safe(b, value);
    size_t width = b->len - before;
    for (; width < 34; width++)
        buf_append_char(b, ' ');
    buf_append_char(b, ' ');
    put_source(b, &c->origin[item]);
    buf_append_char(b, '\n');
}

/* A secret: whether it is set and from where, never what it is. */
static void put_secret(buf_t *b, const char *section, const config_t *c, config_item item,
                       const char *value)
{
    const config_origin *o = &c->origin[item];
    put_label(b, section, config_item_name(item));
    if (o->source == CONFIG_SRC_COMMAND) {
        buf_append_str(b, o->not_run ? "from command (not run): " : "set (from command: ");
        put_safe(b, o->command ? o->command : "?");
        if (o->where) {
            buf_append_str(b, ", ");
            put_safe(b, o->where);
        }
        buf_append_str(b, o->not_run ? "\n" : ")\n");
    } else if (value) {
        buf_printf(b, "set (from %s", config_source_name(o->source));
        if (o->where) {
            buf_append_str(b, ": ");
            put_safe(b, o->where);
        }
        buf_append_str(b, ")\n");
    } else {
        buf_append_str(b, "not set\n");
    }
}

/* "30 s", "2.5 s", "0.125 s". */
static void format_seconds(char *out, size_t n, int ms)
{
    unsigned u = ms > 0 ? (unsigned)ms : 0;
    if (u % 1000 == 0) {
        snprintf(out, n, "%u s", u / 1000);
        return;
    }
    char frac[4] = {(char)('0' + u % 1000 / 100), (char)('0' + u % 100 / 10), (char)('0' + u % 10),
                    '\0'};
    for (int i = 2; i > 0 && frac[i] == '0'; i--)
        frac[i] = '\0';
    snprintf(out, n, "%u.%s s", u / 1000, frac);
}

char *config_render(const config_t *c)
{
    buf_t b = BUF_INIT;
    char num[32];
    buf_append_str(&b, "config file            ");
    if (c->config_path) {
        put_safe(&b, c->config_path);
        buf_append_str(&b, c->config_loaded ? " (read)\n" : " (not present)\n");
    } else {
        buf_append_str(&b, "(none: no home directory)\n");
    }
    put_value(&b, "aiassist", c, CONFIG_BASE_URL, c->base_url);
    put_secret(&b, "aiassist", c, CONFIG_API_KEY, c->api_key);
    put_value(&b, "aiassist", c, CONFIG_MODEL, c->model);
    format_seconds(num, sizeof num, c->timeout_ms);
    put_value(&b, "aiassist", c, CONFIG_TIMEOUT, num);
    snprintf(num, sizeof num, "%d", c->max_retries);
    put_value(&b, "aiassist", c, CONFIG_MAX_RETRIES, num);
    snprintf(num, sizeof num, "%d", c->max_tokens);
    put_value(&b, "aiassist", c, CONFIG_MAX_TOKENS, num);
    put_value(&b, "aiassist", c, CONFIG_ALLOW_HTTP, c->allow_http ? "true" : "false");
    put_value(&b, NULL, c, CONFIG_INSECURE_TLS, c->insecure_tls ? "true" : "false");
    put_value(&b, "aiassist", c, CONFIG_CA_FILE, c->ca_file ? c->ca_file : "(system)");
    put_value(&b, "gate", c, CONFIG_GATE_URL, c->gate_url);
    put_secret(&b, "gate", c, CONFIG_PROJECT_ID, c->project_id);
    put_value(&b, "gate", c, CONFIG_REALTIME_URL, c->realtime_url);
    put_value(&b, "ui", c, CONFIG_THEME, c->theme);
    put_value(&b, "ui", c, CONFIG_OSC52, c->osc52 ? "true" : "false");
    snprintf(num, sizeof num, "%d", c->keep_workspaces);
    put_value(&b, "ui", c, CONFIG_KEEP_WORKSPACES, num);
    put_value(&b, "ui", c, CONFIG_BELL,
              c->bell == (CONFIG_BELL_DRAFTS | CONFIG_BELL_TAKEOVER) ? "drafts,takeover"
              : c->bell & CONFIG_BELL_DRAFTS                         ? "drafts"
              : c->bell & CONFIG_BELL_TAKEOVER                       ? "takeover"
                                                                     : "none");
    if (c->late_after_s > 0)
        snprintf(num, sizeof num, "%d s", c->late_after_s);
    else
        snprintf(num, sizeof num, "0 (never late)");
    put_value(&b, "ui", c, CONFIG_LATE_AFTER, num);
    if (c->undo_ms > 0)
        format_seconds(num, sizeof num, c->undo_ms);
    else
        snprintf(num, sizeof num, "0 (off)");
    put_value(&b, "ui", c, CONFIG_UNDO, num);
    put_value(&b, "debug", c, CONFIG_DEBUG_LOG, c->debug_log ? c->debug_log : "(off)");
    return buf_steal(&b);
}
