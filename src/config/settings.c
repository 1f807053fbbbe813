/* settings.c: building the effective configuration from its layers (see
 * settings.h): defaults, then the file, the environment and the options,
 * each overriding the one before; then key commands, checks, and the
 * registration of secrets for redaction. */
#include "config.h"
#include "config/settings.h"

#include <stdlib.h>
#include <string.h>

#include "config/keycmd.h"
#include "config/settings_priv.h"
#include "config/xdg.h"
#include "util/baseurl.h"
#include "util/err.h"
#include "util/log.h"
#include "util/mem.h"

static const char *const item_names[CONFIG_N_ITEMS] = {
    [CONFIG_BASE_URL] = "base_url",
    [CONFIG_API_KEY] = "api_key",
    [CONFIG_GATE_URL] = "base_url",
    [CONFIG_PROJECT_ID] = "project_id",
    [CONFIG_MODEL] = "model",
    [CONFIG_TIMEOUT] = "timeout",
    [CONFIG_MAX_RETRIES] = "max_retries",
    [CONFIG_MAX_TOKENS] = "max_tokens",
    [CONFIG_ALLOW_HTTP] = "allow_http",
    [CONFIG_INSECURE_TLS] = "insecure_tls",
    [CONFIG_CA_FILE] = "ca_file",
    [CONFIG_REALTIME_URL] = "realtime_url",
    [CONFIG_THEME] = "theme",
    [CONFIG_OSC52] = "osc52",
    [CONFIG_KEEP_WORKSPACES] = "keep_workspaces",
    [CONFIG_BELL] = "bell",
    [CONFIG_LATE_AFTER] = "late_after",
    [CONFIG_UNDO] = "undo",
    [CONFIG_DEBUG_LOG] = "log",
};

const char *config_item_name(config_item item)
{
    return item < CONFIG_N_ITEMS ? item_names[item] : "?";
}

const char *config_source_name(config_source s)
{
    switch (s) {
    case CONFIG_SRC_DEFAULT:
        return "default";
    case CONFIG_SRC_FILE:
        return "file";
    case CONFIG_SRC_ENV:
        return "environment";
    case CONFIG_SRC_OPTION:
        return "option";
    case CONFIG_SRC_COMMAND:
        return "command";
    }
    return "?";
}

char **config_str_field(config_t *c, config_item item)
{
    switch (item) {
    case CONFIG_BASE_URL:
        return &c->base_url;
    case CONFIG_API_KEY:
        return &c->api_key;
    case CONFIG_GATE_URL:
        return &c->gate_url;
    case CONFIG_PROJECT_ID:
        return &c->project_id;
    case CONFIG_MODEL:
        return &c->model;
    case CONFIG_CA_FILE:
        return &c->ca_file;
    case CONFIG_REALTIME_URL:
        return &c->realtime_url;
    case CONFIG_THEME:
        return &c->theme;
    case CONFIG_DEBUG_LOG:
        return &c->debug_log;
    default:
        return NULL;
    }
}

void config_set_origin(config_t *c, config_item item, config_source src, const char *where,
                       const char *command)
{
    config_origin *o = &c->origin[item];
    free(o->where);
    free(o->command);
    o->source = src;
    o->where = where ? xstrdup(where) : NULL;
    o->command = command ? xstrdup(command) : NULL;
    o->not_run = false;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void config_set_str(config_t *c, config_item item, const char *value, config_source src,
                    const char *where)
{
    char **field = config_str_field(c, item);
    if (!field)
        return; /* not a string item: nothing of the kind to set */
    wipe_free(*field);
    *field = value ? xstrdup(value) : NULL;
    config_set_origin(c, item, src, where, NULL);
}

config_t *config_new_defaults(void)
{
    config_t *c = xcalloc(1, sizeof *c);
    c->base_url = xstrdup(CONFIG_DEFAULT_BASE_URL);
    c->gate_url = xstrdup(CONFIG_DEFAULT_GATE_URL);
    c->model = xstrdup(CONFIG_DEFAULT_MODEL);
    c->realtime_url = xstrdup(CONFIG_DEFAULT_REALTIME_URL);
    c->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
    c->max_retries = CONFIG_DEFAULT_MAX_RETRIES;
    c->max_tokens = CONFIG_DEFAULT_MAX_TOKENS;
    c->theme = xstrdup(CONFIG_DEFAULT_THEME);
    c->keep_workspaces = CONFIG_DEFAULT_KEEP_WORKSPACES;
    c->bell = CONFIG_DEFAULT_BELL;
    c->late_after_s = CONFIG_DEFAULT_LATE_AFTER_S;
    c->undo_ms = CONFIG_DEFAULT_UNDO_MS;
    return c;
}

void config_free(config_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < CONFIG_N_ITEMS; i++) {
        char **field = config_str_field(c, (config_item)i);
        if (field)
            wipe_free(*field);
        free(c->origin[i].where);
        free(c->origin[i].command);
    }
    free(c->config_path);
    free(c);
}

char *config_default_path(char **err)
{
    char *dir;
    if (config_xdg_dir("XDG_CONFIG_HOME", ".config", &dir, err) != 0)
        return NULL;
    char *path = xasprintf("%s/config", dir);
    free(dir);
    return path;
}

/* The layer above the file. Environment values are checked with the same
 * rules as the file's; the message names the variable. */
static int apply_env(config_t *c, char **err)
{
    static const struct {
        const char *var;
        config_item item;
    } vars[] = {
        {"AIASSIST_BASE_URL", CONFIG_BASE_URL},
        {"AIASSIST_API_KEY", CONFIG_API_KEY},
        {"AI_GATE_BASE_URL", CONFIG_GATE_URL},
        {"AI_GATE_PROJECT_ID", CONFIG_PROJECT_ID},
        {"AI_GATE_REALTIME_URL", CONFIG_REALTIME_URL},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i].var);
        if (!v || !*v)
            continue;
        char *msg = NULL;
        if (vars[i].item == CONFIG_API_KEY)
            msg = config_check_secret(v, "API key");
        else if (vars[i].item == CONFIG_PROJECT_ID)
            msg = config_check_secret(v, "project id");
        else if (vars[i].item == CONFIG_REALTIME_URL)
            msg = config_check_realtime_url(v);
        if (msg) {
            *err = xasprintf("%s: %s", vars[i].var, msg);
            free(msg);
            return -1;
        }
        config_set_str(c, vars[i].item, v, CONFIG_SRC_ENV, vars[i].var);
    }
    return 0;
}

/* One string option: checked by check (may be NULL), then set. */
static int opt_str(config_t *c, config_item item, const char *v, const char *name,
                   char *(*check)(const char *), char **err)
{
    if (!v)
        return 0;
    char *msg = check ? check(v) : NULL;
    if (msg) {
        *err = xasprintf("%s: %s", name, msg);
        free(msg);
        return -1;
    }
    config_set_str(c, item, v, CONFIG_SRC_OPTION, name);
    return 0;
}

static void opt_flag(config_t *c, config_item item, bool *field, config_flag f, const char *name)
{
    if (f == CONFIG_FLAG_UNSET)
        return;
    *field = f == CONFIG_FLAG_ON;
    config_set_origin(c, item, CONFIG_SRC_OPTION, name, NULL);
}

/* Takes msg. */
static int opt_error(char **err, const char *name, char *msg)
{
    int rc = err_set(err, "%s: %s", name, msg);
    free(msg);
    return rc;
}

static int apply_options(config_t *c, const config_options *o, char **err)
{
    if (opt_str(c, CONFIG_BASE_URL, o->base_url, "--base-url", NULL, err) ||
        opt_str(c, CONFIG_GATE_URL, o->gate_url, "--gate-url", NULL, err) ||
        opt_str(c, CONFIG_MODEL, o->model, "--model", config_check_model, err) ||
        opt_str(c, CONFIG_THEME, o->theme, "--theme", config_check_theme, err))
        return -1;
    if (o->debug_log) {
        char *path = NULL;
        char *msg = config_expand_path(o->debug_log, &path);
        if (msg)
            return opt_error(err, "--debug", msg);
        config_set_str(c, CONFIG_DEBUG_LOG, path, CONFIG_SRC_OPTION, "--debug");
        free(path);
    }
    if (o->ca_file) {
        char *path = NULL;
        char *msg = config_expand_file(o->ca_file, "CA file", &path);
        if (msg)
            return opt_error(err, "--ca-file", msg);
        config_set_str(c, CONFIG_CA_FILE, path, CONFIG_SRC_OPTION, "--ca-file");
        free(path);
    }
    if (o->timeout) {
        char *msg = config_parse_timeout(o->timeout, &c->timeout_ms);
        if (msg)
            return opt_error(err, "--timeout", msg);
        config_set_origin(c, CONFIG_TIMEOUT, CONFIG_SRC_OPTION, "--timeout", NULL);
    }
    if (o->max_retries) {
        char *msg = config_parse_retries(o->max_retries, &c->max_retries);
        if (msg)
            return opt_error(err, "--max-retries", msg);
        config_set_origin(c, CONFIG_MAX_RETRIES, CONFIG_SRC_OPTION, "--max-retries", NULL);
    }
    opt_flag(c, CONFIG_ALLOW_HTTP, &c->allow_http, o->allow_http, "--allow-http");
    opt_flag(c, CONFIG_INSECURE_TLS, &c->insecure_tls, o->insecure_tls, "--insecure");
    return 0;
}

/* Runs the file's key command for item, unless a higher layer already
 * gave the secret. */
static int fetch_secret(config_t *c, config_item item, const config_cmd *cmd,
                        const config_options *o, char **err)
{
    /* The file cannot hold both the secret and its command, so anything
     * but the default here came from the environment. */
    if (!cmd->cmd || c->origin[item].source != CONFIG_SRC_DEFAULT)
        return 0;
    const char *key = item == CONFIG_API_KEY ? "api_key_cmd" : "project_id_cmd";
    const char *what = item == CONFIG_API_KEY ? "API key" : "project id";
    config_set_str(c, item, NULL, CONFIG_SRC_COMMAND, cmd->where);
    c->origin[item].command = keycmd_describe(cmd->cmd);
    if (o->no_key_commands) {
        c->origin[item].not_run = true;
        return 0;
    }
    char *secret = NULL, *msg = NULL;
    if (keycmd_run(cmd->cmd, o->key_cmd_timeout_ms, &secret, &msg) != 0 ||
        (msg = config_check_secret(secret, what)) != NULL) {
        *err = xasprintf("%s: %s: %s", cmd->where, key, msg);
        free(msg);
        wipe_free(secret);
        return -1;
    }
    if (item == CONFIG_API_KEY)
        c->api_key = secret;
    else
        c->project_id = secret;
    return 0;
}

/* "FILE:LINE: base_url", "AIASSIST_BASE_URL", "--base-url": who to blame. */
static char *blame(const config_t *c, config_item item)
{
    const config_origin *o = &c->origin[item];
    if (o->source == CONFIG_SRC_FILE)
        return xasprintf("%s: %s", o->where, config_item_name(item));
    return xstrdup(o->where ? o->where : config_item_name(item));
}

static int check_url(config_t *c, config_item item, char **err)
{
    char **field = config_str_field(c, item);
    char *norm = NULL, *msg = NULL;
    if (baseurl_check(*field, c->allow_http, &norm, &msg) != 0) {
        char *who = blame(c, item);
        *err = xasprintf("%s: %s", who, msg);
        free(who);
        free(msg);
        return -1;
    }
    free(*field);
    *field = norm;
    return 0;
}

/* The CA file is read once here, so that a wrong path is reported before
 * anything goes out, with the layer that named it: libcurl would only say
 * so at the first connection, and some TLS back-ends would fall back. */
static int check_ca_file(config_t *c, char **err)
{
    if (!c->ca_file)
        return 0;
    char *msg = config_check_ca_file(c->ca_file);
    if (!msg)
        return 0;
    char *who = blame(c, CONFIG_CA_FILE);
    *err = xasprintf("%s: %s", who, msg);
    free(who);
    free(msg);
    return -1;
}

static void cmd_free(config_cmd *cmd)
{
    free(cmd->cmd);
    free(cmd->where);
}

int config_load(const config_options *opts, config_t **out, char **err)
{
    static const config_options none;
    const config_options *o = opts ? opts : &none;
    char *msg = NULL;
    config_cmd key_cmd = {NULL, NULL}, pid_cmd = {NULL, NULL};
    config_t *c = config_new_defaults();
    int rc = 0;

    c->config_path = o->config_path ? xstrdup(o->config_path) : config_default_path(NULL);
    if (c->config_path)
        rc = config_file_load(c, c->config_path, o->config_path != NULL, &key_cmd, &pid_cmd, &msg);
    if (rc == 0)
        rc = apply_env(c, &msg);
    if (rc == 0)
        rc = apply_options(c, o, &msg);
    if (rc == 0)
        rc = check_url(c, CONFIG_BASE_URL, &msg);
    if (rc == 0)
        rc = check_url(c, CONFIG_GATE_URL, &msg);
    if (rc == 0)
        rc = check_ca_file(c, &msg);
    if (rc == 0)
        rc = fetch_secret(c, CONFIG_API_KEY, &key_cmd, o, &msg);
    if (rc == 0)
        rc = fetch_secret(c, CONFIG_PROJECT_ID, &pid_cmd, o, &msg);
    cmd_free(&key_cmd);
    cmd_free(&pid_cmd);
    if (rc != 0) {
        config_free(c);
        if (err)
            *err = msg;
        else
            free(msg);
        return -1;
    }
    log_add_secret(c->api_key);
    log_add_secret(c->project_id);
    *out = c;
    return 0;
}
