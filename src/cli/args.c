/* args.c: splitting the command line into global options, a command, its
 * options and its arguments. */
#include "config.h"
#include "cli/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

enum {
    G_CONFIG,
    G_BASE_URL,
    G_GATE_URL,
    G_MODEL,
    G_TIMEOUT,
    G_MAX_RETRIES,
    G_ALLOW_HTTP,
    G_INSECURE,
    G_DEBUG,
    G_JSON,
    G_RAW,
    G_QUIET,
    G_DEMO,
    G_HELP,
    G_VERSION,
    G_CA_FILE,
};

/* In the order of the enum above. */
static const cli_optspec global_opts[] = {
    {"config", 0, true, false},      {"base-url", 0, true, false},
    {"gate-url", 0, true, false},    {"model", 'm', true, false},
    {"timeout", 0, true, false},     {"max-retries", 0, true, false},
    {"allow-http", 0, false, false}, {"insecure", 0, false, false},
    {"debug", 0, true, false},       {"json", 0, false, false},
    {"raw", 0, false, false},        {"quiet", 'q', false, false},
    {"demo", 0, false, false},       {"help", 'h', false, false},
    {"version", 'V', false, false},  {"ca-file", 0, true, false},
    {NULL, 0, false, false},
};

const cli_optspec *cli_global_options(void)
{
    return global_opts;
}

static void set_global(cli_global *g, size_t idx, const char *v)
{
    switch (idx) {
    case G_CONFIG: g->config_path = v; break;
    case G_BASE_URL: g->base_url = v; break;
    case G_GATE_URL: g->gate_url = v; break;
    case G_MODEL: g->model = v; break;
    case G_TIMEOUT: g->timeout = v; break;
    case G_MAX_RETRIES: g->max_retries = v; break;
    case G_ALLOW_HTTP: g->allow_http = true; break;
    case G_INSECURE: g->insecure = true; break;
    case G_DEBUG: g->debug_log = v; break;
    case G_JSON: g->json = true; break;
    case G_RAW: g->raw = true; break;
    case G_QUIET: g->quiet = true; break;
    case G_DEMO: g->demo = true; break;
    case G_HELP: g->help = true; break;
    case G_VERSION: g->version = true; break;
    case G_CA_FILE: g->ca_file = v; break;
    default: break;
    }
}

/* The spec matching a long name (len bytes) or a short letter, or NULL. */
static const cli_optspec *lookup(const cli_optspec *opts, const char *lng, size_t len, char shrt)
{
    for (size_t i = 0; opts && opts[i].name; i++) {
        if (lng && strlen(opts[i].name) == len && !strncmp(opts[i].name, lng, len))
            return &opts[i];
        if (!lng && shrt && opts[i].short_name == shrt)
            return &opts[i];
    }
    return NULL;
}

const cli_cmd *cli_find_group(const cli_cmd *table, const char *group)
{
    for (size_t i = 0; table[i].group; i++)
        if (!strcmp(table[i].group, group))
            return &table[i];
    return NULL;
}

bool cli_group_has_actions(const cli_cmd *table, const char *group)
{
    const cli_cmd *c = cli_find_group(table, group);
    return c && c->action;
}

static const cli_cmd *find_action(const cli_cmd *table, const char *group, const char *action)
{
    for (size_t i = 0; table[i].group; i++)
        if (!strcmp(table[i].group, group) && table[i].action && !strcmp(table[i].action, action))
            return &table[i];
    return NULL;
}

const char *cli_cmd_name(const cli_cmd *cmd, char *buf, size_t n)
{
    if (cmd->action)
        snprintf(buf, n, "%s %s", cmd->group, cmd->action);
    else
        snprintf(buf, n, "%s", cmd->group);
    return buf;
}

typedef struct parser {
    const cli_cmd *table;
    cli_args *a;
    size_t optcap, poscap;
} parser;

static void add_pos(parser *p, const char *s)
{
    cli_args *a = p->a;
    a->pos = xgrow(a->pos, &p->poscap, a->npos + 1, sizeof *a->pos);
    a->pos[a->npos++] = s;
}

/* A word that is not an option: the command, its action, or an argument. */
static int word(parser *p, const char *s, char **err)
{
    cli_args *a = p->a;
    if (!a->group) {
        const cli_cmd *c = cli_find_group(p->table, s);
        if (!c) {
            *err = xasprintf("unknown command '%s'", s);
            return -1;
        }
        a->group = c->group;
        if (!c->action)
            a->cmd = c;
        return 0;
    }
    if (!a->cmd) {
        a->cmd = find_action(p->table, a->group, s);
        if (!a->cmd) {
            *err = xasprintf("unknown %s command '%s'", a->group, s);
            return -1;
        }
        return 0;
    }
    add_pos(p, s);
    return 0;
}

static void store(parser *p, const cli_optspec *spec, const char *value)
{
    cli_args *a = p->a;
    size_t idx = (size_t)(spec - global_opts);
    if (spec >= global_opts && idx < sizeof global_opts / sizeof global_opts[0]) {
        set_global(&a->g, idx, value);
        return;
    }
    a->opts = xgrow(a->opts, &p->optcap, a->nopts + 1, sizeof *a->opts);
    a->opts[a->nopts].spec = spec;
    a->opts[a->nopts].value = value;
    a->nopts++;
}

/* One option at argv[*i]; may consume the next word as its value. */
static int option(parser *p, int argc, char **argv, int *i, char **err)
{
    const char *s = argv[*i];
    const cli_optspec *cmdopts = p->a->cmd ? p->a->cmd->opts : NULL;
    const cli_optspec *spec;
    const char *inline_value = NULL;
    char shown[64];
    if (s[1] == '-') {
        const char *name = s + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        spec = lookup(cmdopts, name, len, 0);
        if (!spec)
            spec = lookup(global_opts, name, len, 0);
        snprintf(shown, sizeof shown, "--%.*s", (int)(len > 40 ? 40 : len), name);
        if (eq)
            inline_value = eq + 1;
    } else {
        spec = lookup(cmdopts, NULL, 0, s[1]);
        if (!spec)
            spec = lookup(global_opts, NULL, 0, s[1]);
        snprintf(shown, sizeof shown, "-%c", s[1]);
        if (s[2]) {
            if (spec && !spec->arg) {
                *err = xasprintf("option '%s' takes no value (in '%s')", shown, s);
                return -1;
            }
            inline_value = s + 2;
        }
    }
    if (!spec) {
        *err = xasprintf("unknown option '%s'", shown);
        return -1;
    }
    if (!spec->arg) {
        if (inline_value) {
            *err = xasprintf("option '%s' takes no value", shown);
            return -1;
        }
        store(p, spec, NULL);
        return 0;
    }
    if (!inline_value) {
        if (*i + 1 >= argc) {
            *err = xasprintf("option '%s' needs a value", shown);
            return -1;
        }
        inline_value = argv[++*i];
    }
    store(p, spec, inline_value);
    return 0;
}

int cli_args_parse(const cli_cmd *table, int argc, char **argv, cli_args *a, char **err)
{
    memset(a, 0, sizeof *a);
    parser p = {table, a, 0, 0};
    bool only_words = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int rc;
        if (only_words || s[0] != '-' || s[1] == '\0') {
            rc = word(&p, s, err);
        } else if (!strcmp(s, "--")) {
            only_words = true;
            rc = 0;
        } else {
            rc = option(&p, argc, argv, &i, err);
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int cli_args_check(const cli_args *a, char **err)
{
    if (!a->cmd)
        return 0;
    char name[64];
    cli_cmd_name(a->cmd, name, sizeof name);
    if ((int)a->npos < a->cmd->min_args) {
        *err = xasprintf("%s: missing argument (usage: aidesk %s)", name, a->cmd->synopsis);
        return -1;
    }
    if (a->cmd->max_args >= 0 && (int)a->npos > a->cmd->max_args) {
        *err = xasprintf("%s: unexpected argument '%s'", name, a->pos[a->cmd->max_args]);
        return -1;
    }
    return 0;
}

void cli_args_free(cli_args *a)
{
    free(a->opts);
    free(a->pos);
    memset(a, 0, sizeof *a);
}

const char *cli_opt(const cli_args *a, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < a->nopts; i++)
        if (!strcmp(a->opts[i].spec->name, name))
            v = a->opts[i].value;
    return v;
}

bool cli_flag(const cli_args *a, const char *name)
{
    for (size_t i = 0; i < a->nopts; i++)
        if (!strcmp(a->opts[i].spec->name, name))
            return true;
    return false;
}

const char *cli_opt_nth(const cli_args *a, const char *name, size_t n)
{
    for (size_t i = 0; i < a->nopts; i++)
        if (!strcmp(a->opts[i].spec->name, name) && n-- == 0)
            return a->opts[i].value;
    return NULL;
}
