/* config_cmd.c: "aidesk config": the effective configuration with the
 * source of each value, never a secret. Key commands ran only with
 * --run-key-commands (see cli_config_options), so looking at the settings
 * does not wake a password manager. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"

static json_object *item_json(const config_t *cfg, config_item item, json_object *value)
{
    const config_origin *o = &cfg->origin[item];
    json_object *j = json_object_new_object();
    json_object_object_add(j, "value", value);
    json_object_object_add(j, "source", json_object_new_string(config_source_name(o->source)));
    json_object_object_add(j, "where", cli_jstr(o->where));
    if (o->command)
        json_object_object_add(j, "command", cli_jstr(o->command));
    if (o->not_run)
        json_object_object_add(j, "not_run", json_object_new_boolean(true));
    return j;
}

/* A secret is shown only as whether it is set. */
static json_object *secret_json(const config_t *cfg, config_item item, const char *v)
{
    json_object *j = item_json(cfg, item, NULL);
    json_object_object_add(j, "set", json_object_new_boolean(v != NULL));
    return j;
}

static void print_json(cli_ctx *c, const config_t *cfg)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "config_path", cli_jstr(cfg->config_path));
    json_object_object_add(o, "config_loaded", json_object_new_boolean(cfg->config_loaded));
    json_object_object_add(o, "base_url", item_json(cfg, CONFIG_BASE_URL, cli_jstr(cfg->base_url)));
    json_object_object_add(o, "api_key", secret_json(cfg, CONFIG_API_KEY, cfg->api_key));
    json_object_object_add(o, "gate_url", item_json(cfg, CONFIG_GATE_URL, cli_jstr(cfg->gate_url)));
    json_object_object_add(o, "project_id", secret_json(cfg, CONFIG_PROJECT_ID, cfg->project_id));
    json_object_object_add(o, "realtime_url",
                           item_json(cfg, CONFIG_REALTIME_URL, cli_jstr(cfg->realtime_url)));
    json_object_object_add(o, "model", item_json(cfg, CONFIG_MODEL, cli_jstr(cfg->model)));
    json_object_object_add(o, "timeout",
                           item_json(cfg, CONFIG_TIMEOUT,
                                     json_object_new_double((double)cfg->timeout_ms / 1000.0)));
    json_object_object_add(o, "max_retries",
                           item_json(cfg, CONFIG_MAX_RETRIES, json_object_new_int(cfg->max_retries)));
    json_object_object_add(o, "allow_http",
                           item_json(cfg, CONFIG_ALLOW_HTTP, json_object_new_boolean(cfg->allow_http)));
    json_object_object_add(o, "insecure_tls",
                           item_json(cfg, CONFIG_INSECURE_TLS,
                                     json_object_new_boolean(cfg->insecure_tls)));
    json_object_object_add(o, "ca_file", item_json(cfg, CONFIG_CA_FILE, cli_jstr(cfg->ca_file)));
    json_object_object_add(o, "theme", item_json(cfg, CONFIG_THEME, cli_jstr(cfg->theme)));
    json_object_object_add(o, "osc52",
                           item_json(cfg, CONFIG_OSC52, json_object_new_boolean(cfg->osc52)));
    json_object_object_add(o, "keep_workspaces",
                           item_json(cfg, CONFIG_KEEP_WORKSPACES,
                                     json_object_new_int(cfg->keep_workspaces)));
    json_object *bell = json_object_new_array();
    if (cfg->bell & CONFIG_BELL_DRAFTS)
        json_object_array_add(bell, json_object_new_string("drafts"));
    if (cfg->bell & CONFIG_BELL_TAKEOVER)
        json_object_array_add(bell, json_object_new_string("takeover"));
    json_object_object_add(o, "bell", item_json(cfg, CONFIG_BELL, bell));
    json_object_object_add(o, "late_after",
                           item_json(cfg, CONFIG_LATE_AFTER, json_object_new_int(cfg->late_after_s)));
    json_object_object_add(o, "undo",
                           item_json(cfg, CONFIG_UNDO,
                                     json_object_new_double((double)cfg->undo_ms / 1000.0)));
    json_object_object_add(o, "debug_log", item_json(cfg, CONFIG_DEBUG_LOG, cli_jstr(cfg->debug_log)));
    cli_json_print(c, o);
}

int cli_cmd_config(cli_ctx *c, const cli_args *a)
{
    (void)a;
    if (c->json) {
        print_json(c, c->cfg);
        return CLI_OK;
    }
    /* config_render sanitises what came from files and the environment. */
    char *text = config_render(c->cfg);
    fputs(text, stdout);
    free(text);
    return CLI_OK;
}
