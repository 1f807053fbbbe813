/* file.c: reading the config file, and refusing one that is not private
 * enough for what it holds (the rules are in settings.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/ini.h"
#include "config/keycmd.h"
#include "config/settings_priv.h"
#include "util/baseurl.h"
#include "util/buf.h"
#include "util/mem.h"

typedef struct file_ctx {
    config_t *c;
    const char *path;
    config_cmd *key_cmd;
    config_cmd *pid_cmd;
    int key_line, pid_line; /* where an inline secret was given, 0 if not */
} file_ctx;

/* How a key of a known section is read. */
typedef enum kind {
    K_URL,
    K_SECRET,
    K_CMD,
    K_MODEL,
    K_TIMEOUT,
    K_RETRIES,
    K_MAX_TOKENS,
    K_FLAG,
    K_THEME,
    K_PATH,
    K_CA,
    K_RT_URL,
    K_KEEP,
    K_BELL,
    K_LATE,
    K_UNDO
} kind;

typedef struct key_rule {
    const char *section;
    const char *key;
    kind kind;
    config_item item;
} key_rule;

static const key_rule rules[] = {
    {"aiassist", "base_url", K_URL, CONFIG_BASE_URL},
    {"aiassist", "api_key", K_SECRET, CONFIG_API_KEY},
    {"aiassist", "api_key_cmd", K_CMD, CONFIG_API_KEY},
    {"aiassist", "model", K_MODEL, CONFIG_MODEL},
    {"aiassist", "timeout", K_TIMEOUT, CONFIG_TIMEOUT},
    {"aiassist", "max_retries", K_RETRIES, CONFIG_MAX_RETRIES},
    {"aiassist", "max_tokens", K_MAX_TOKENS, CONFIG_MAX_TOKENS},
    {"aiassist", "allow_http", K_FLAG, CONFIG_ALLOW_HTTP},
    {"aiassist", "ca_file", K_CA, CONFIG_CA_FILE},
    {"gate", "base_url", K_URL, CONFIG_GATE_URL},
    {"gate", "project_id", K_SECRET, CONFIG_PROJECT_ID},
    {"gate", "project_id_cmd", K_CMD, CONFIG_PROJECT_ID},
    {"gate", "realtime_url", K_RT_URL, CONFIG_REALTIME_URL},
    {"ui", "theme", K_THEME, CONFIG_THEME},
    {"ui", "osc52", K_FLAG, CONFIG_OSC52},
    {"ui", "keep_workspaces", K_KEEP, CONFIG_KEEP_WORKSPACES},
    {"ui", "bell", K_BELL, CONFIG_BELL},
    {"ui", "late_after", K_LATE, CONFIG_LATE_AFTER},
    {"ui", "undo", K_UNDO, CONFIG_UNDO},
    {"debug", "log", K_PATH, CONFIG_DEBUG_LOG},
};

static bool known_section(const char *s)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (!strcmp(rules[i].section, s))
            return true;
    return false;
}

static bool *flag_field(config_t *c, config_item item)
{
    return item == CONFIG_ALLOW_HTTP ? &c->allow_http : &c->osc52;
}

/* The inline secret and the command for the same secret exclude each
 * other: which one would win would be a guess. */
static char *secret_conflict(file_ctx *fx, const key_rule *r, int line)
{
    bool api = r->item == CONFIG_API_KEY;
    int inline_line = api ? fx->key_line : fx->pid_line;
    const config_cmd *cmd = api ? fx->key_cmd : fx->pid_cmd;
    if ((r->kind == K_CMD && inline_line) || (r->kind == K_SECRET && cmd->cmd))
        return xasprintf("%s and %s_cmd are both set in [%s]; keep one",
                         api ? "api_key" : "project_id", api ? "api_key" : "project_id",
                         r->section);
    if (r->kind == K_SECRET) {
        if (api)
            fx->key_line = line;
        else
            fx->pid_line = line;
    }
    return NULL;
}

static char *apply(file_ctx *fx, const key_rule *r, const char *value, const char *where)
{
    config_t *c = fx->c;
    char *msg = NULL;
    int n;
    switch (r->kind) {
    case K_URL: {
        /* The syntax is checked here, so that a mistake is reported at its
         * line even when a higher layer overrides it; http:// is judged
         * once allow_http is known (config_load). */
        if (baseurl_check(value, true, NULL, &msg) != 0)
            return msg;
        config_set_str(c, r->item, value, CONFIG_SRC_FILE, where);
        return NULL;
    }
    case K_SECRET:
        msg = config_check_secret(value, r->item == CONFIG_API_KEY ? "API key" : "project id");
        if (!msg)
            config_set_str(c, r->item, value, CONFIG_SRC_FILE, where);
        return msg;
    case K_CMD: {
        config_cmd *cmd = r->item == CONFIG_API_KEY ? fx->key_cmd : fx->pid_cmd;
        char **argv;
        if (keycmd_split(value, &argv, &msg) != 0)
            return msg;
        keycmd_argv_free(argv);
        free(cmd->cmd);
        free(cmd->where);
        cmd->cmd = xstrdup(value);
        cmd->where = xstrdup(where);
        return NULL;
    }
    case K_RT_URL:
        msg = config_check_realtime_url(value);
        if (!msg)
            config_set_str(c, r->item, value, CONFIG_SRC_FILE, where);
        return msg;
    case K_MODEL:
        msg = config_check_model(value);
        if (!msg)
            config_set_str(c, r->item, value, CONFIG_SRC_FILE, where);
        return msg;
    case K_THEME:
        msg = config_check_theme(value);
        if (!msg)
            config_set_str(c, r->item, value, CONFIG_SRC_FILE, where);
        return msg;
    case K_TIMEOUT:
        msg = config_parse_timeout(value, &n);
        if (!msg) {
            c->timeout_ms = n;
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        }
        return msg;
    case K_RETRIES:
        msg = config_parse_retries(value, &n);
        if (!msg) {
            c->max_retries = n;
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        }
        return msg;
    case K_MAX_TOKENS:
        msg = config_parse_max_tokens(value, &n);
        if (!msg) {
            c->max_tokens = n;
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        }
        return msg;
    case K_KEEP:
        msg = config_parse_keep_workspaces(value, &n);
        if (!msg) {
            c->keep_workspaces = n;
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        }
        return msg;
    case K_BELL:
        msg = config_parse_bell(value, &c->bell);
        if (!msg)
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        return msg;
    case K_LATE:
        msg = config_parse_late_after(value, &n);
        if (!msg) {
            c->late_after_s = n;
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        }
        return msg;
    case K_UNDO:
        msg = config_parse_undo(value, &n);
        if (!msg) {
            c->undo_ms = n;
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        }
        return msg;
    case K_FLAG:
        msg = config_parse_flag(value, flag_field(c, r->item));
        if (!msg)
            config_set_origin(c, r->item, CONFIG_SRC_FILE, where, NULL);
        return msg;
    case K_CA:
    case K_PATH: {
        /* A CA file is read once its layer is known (config_load): one
         * overridden by --ca-file need not exist. */
        char *path = NULL;
        msg = r->kind == K_CA ? config_expand_file(value, "CA file", &path)
                              : config_expand_path(value, &path);
        if (!msg)
            config_set_str(c, r->item, path, CONFIG_SRC_FILE, where);
        free(path);
        return msg;
    }
    }
    return NULL;
}

static char *on_entry(void *ud, const char *section, const char *key, const char *value, int line)
{
    file_ctx *fx = ud;
    if (!key)
        return known_section(section)
                   ? NULL
                   : xasprintf("unknown section [%s] (known: [aiassist], [gate], [ui], [debug])",
                               section);
    if (!known_section(section))
        return NULL; /* reported at its header */
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const key_rule *r = &rules[i];
        if (strcmp(r->section, section) != 0 || strcmp(r->key, key) != 0)
            continue;
        char *msg = NULL;
        if (r->kind == K_SECRET || r->kind == K_CMD)
            msg = secret_conflict(fx, r, line);
        if (!msg) {
            char *where = xasprintf("%s:%d", fx->path, line);
            msg = apply(fx, r, value, where);
            free(where);
        }
        if (msg) {
            char *full = xasprintf("%s: %s", key, msg);
            free(msg);
            return full;
        }
        return NULL;
    }
    return xasprintf("unknown key '%s' in [%s]", key, section);
}

/* The ownership and mode rules, on the descriptor that was read. */
static int check_private(const file_ctx *fx, const struct stat *st, char **err)
{
    char *q = config_shell_quote(fx->path);
    unsigned mode = (unsigned)st->st_mode & 0777;
    bool holds_secret = fx->key_line || fx->pid_line;
    bool holds_cmd = fx->key_cmd->cmd || fx->pid_cmd->cmd;
    char *msg = NULL;
    if (st->st_uid != geteuid() && st->st_uid != 0) {
        msg = xasprintf("config file %s belongs to another user (uid %u), who could change what "
                        "aidesk does; fix with: sudo chown %u %s",
                        fx->path, (unsigned)st->st_uid, (unsigned)geteuid(), q);
    } else if (holds_secret && (mode & 077)) {
        const char *how = (mode & 044) ? "readable" : (mode & 022) ? "writable" : "accessible";
        msg = xasprintf("config file %s holds %s and is %s by others (mode %04o); fix with: "
                        "chmod 600 %s",
                        fx->path, fx->key_line ? "an API key" : "an AI Gate project id", how, mode,
                        q);
    } else if (holds_cmd && (mode & 022)) {
        msg = xasprintf("config file %s names a key command and is writable by others (mode "
                        "%04o), who could choose what aidesk runs; fix with: chmod go-w %s",
                        fx->path, mode, q);
    }
    free(q);
    if (!msg)
        return 0;
    if (err)
        *err = msg;
    else
        free(msg);
    return -1;
}

int config_file_load(config_t *c, const char *path, bool must_exist, config_cmd *key_cmd,
                     config_cmd *pid_cmd, char **err)
{
    /* --config /dev/null is the usual way to say "no config file". */
    if (!strcmp(path, "/dev/null"))
        return 0;
    /* O_NONBLOCK: a FIFO put in the file's place must not hang us in
     * open(); it is refused below as not a regular file. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT && !must_exist)
            return 0;
        if (err)
            *err = xasprintf("cannot open config file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        if (err)
            *err = xasprintf("cannot examine config file %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        if (err)
            *err = xasprintf("config file %s is not a regular file", path);
        close(fd);
        return -1;
    }
    buf_t text = BUF_INIT;
    int rc = ini_read_fd(fd, path, &text, err);
    close(fd); /* read-only: nothing to lose */
    file_ctx fx = {c, path, key_cmd, pid_cmd, 0, 0};
    if (rc == 0)
        rc = ini_parse(buf_cstr(&text), text.len, path, on_entry, &fx, err);
    if (text.data)
        explicit_bzero(text.data, text.cap); /* it may hold a key */
    buf_free(&text);
    if (rc == 0)
        rc = check_private(&fx, &st, err);
    if (rc == 0)
        c->config_loaded = true;
    return rc;
}
