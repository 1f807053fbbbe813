/* settings.h: aidesk's effective configuration and where each value came
 * from.
 *
 * Layers, highest first: command-line options > environment
 * (AIASSIST_API_KEY, AIASSIST_BASE_URL, AI_GATE_PROJECT_ID, AI_GATE_BASE_URL,
 * AI_GATE_REALTIME_URL; an empty variable counts as unset) > the config file
 * ($XDG_CONFIG_HOME/aidesk/config, default ~/.config/aidesk/config, or the
 * file given with --config) > built-in defaults.
 *
 * The API key and the AI Gate project id never come from an option: a
 * command line is visible to every user in ps. They come from the
 * environment, or from the file inline (api_key, project_id; the file must
 * then be private) or through a command (api_key_cmd, project_id_cmd; see
 * keycmd.h), which runs only when no higher layer gave the secret.
 *
 * The config file, all in lower case:
 *   [aiassist] base_url, api_key, api_key_cmd, model, timeout (seconds,
 *              fractional allowed), max_retries, max_tokens (the longest
 *              reply the console's and aidesk chat's and compare's
 *              requests ask for), allow_http, ca_file (a file of PEM
 *              certificates to trust instead of the system's, as curl's
 *              --cacert; a leading ~/ means the home directory)
 *   [gate]     base_url, project_id, project_id_cmd, realtime_url (the
 *              Realtime WebSocket endpoint of a call; wss://, or ws:// to
 *              this machine; "gate call --realtime-url" overrides it)
 *   [ui]       theme, osc52, keep_workspaces (how many recent workspaces
 *              the console keeps whole in memory besides the one on screen
 *              and those in use; 0 to 100000), bell (what rings the
 *              terminal's bell: "drafts" (a new draft waits), "takeover" (a
 *              customer wrote in a takeover workspace), both separated by a
 *              comma, or "none"; default both), late_after (seconds a
 *              customer or a draft may wait for a person before the wait
 *              counts as late; 0: never; default 120), undo (seconds an
 *              approval or a reply as a human is held before it is sent, so
 *              that it can be undone; fractions allowed, 0 to 60, 0 turns
 *              it off; default 5)
 *   [debug]    log (a path; a leading ~/ means the home directory)
 * Unknown sections and keys are errors, so that a typo is not silently
 * ignored. allow_http and ca_file apply to both services (ca_file also to
 * the Realtime WebSocket of a call). A ca_file that cannot be read, is not
 * a regular file or holds no PEM certificate is an error when the
 * configuration is loaded, not a silent fall-back to the system's CAs.
 *
 * Refused config files (the message says how to fix it): one owned by
 * another user (neither us nor root); one holding an inline secret whose
 * mode gives group or others any access; one holding a key command that
 * group or others may write. */
#ifndef AIDESK_CONFIG_SETTINGS_H
#define AIDESK_CONFIG_SETTINGS_H

#include <stdbool.h>

#define CONFIG_DEFAULT_BASE_URL "https://api.aiassist.net"
#define CONFIG_DEFAULT_GATE_URL "https://api.ai-gate.dev"
#define CONFIG_DEFAULT_MODEL "gpt-4o"
#define CONFIG_DEFAULT_REALTIME_URL "wss://api.openai.com/v1/realtime"
#define CONFIG_DEFAULT_TIMEOUT_MS 30000
#define CONFIG_DEFAULT_MAX_RETRIES 3
#define CONFIG_DEFAULT_MAX_TOKENS 1024 /* the SDK's */
/* The one limit for max_tokens, whatever says it: the config file, a
 * command's --max-tokens, a comparison read back from a file. */
#define CONFIG_MAX_TOKENS_MAX 1000000
#define CONFIG_DEFAULT_THEME "default"
#define CONFIG_DEFAULT_KEEP_WORKSPACES 200
#define CONFIG_KEEP_WORKSPACES_MAX 100000
#define CONFIG_BELL_DRAFTS (1u << 0)
#define CONFIG_BELL_TAKEOVER (1u << 1)
#define CONFIG_DEFAULT_BELL (CONFIG_BELL_DRAFTS | CONFIG_BELL_TAKEOVER)
#define CONFIG_DEFAULT_LATE_AFTER_S 120
#define CONFIG_LATE_AFTER_MAX_S 86400
#define CONFIG_DEFAULT_UNDO_MS 5000
#define CONFIG_UNDO_MAX_MS 60000

#define CONFIG_TIMEOUT_MIN_MS 100
#define CONFIG_TIMEOUT_MAX_MS 3600000
#define CONFIG_MAX_RETRIES_MAX 10

typedef enum config_source {
    CONFIG_SRC_DEFAULT = 0,
    CONFIG_SRC_FILE,    /* the config file, inline */
    CONFIG_SRC_ENV,     /* an environment variable */
    CONFIG_SRC_OPTION,  /* a command-line option */
    CONFIG_SRC_COMMAND, /* printed by api_key_cmd / project_id_cmd */
} config_source;

typedef enum config_item {
    CONFIG_BASE_URL,
    CONFIG_API_KEY,
    CONFIG_GATE_URL,
    CONFIG_PROJECT_ID,
    CONFIG_MODEL,
    CONFIG_TIMEOUT,
    CONFIG_MAX_RETRIES,
    CONFIG_MAX_TOKENS,
    CONFIG_ALLOW_HTTP,
    CONFIG_INSECURE_TLS,
    CONFIG_THEME,
    CONFIG_OSC52,
    CONFIG_KEEP_WORKSPACES,
    CONFIG_DEBUG_LOG,
    CONFIG_BELL,
    CONFIG_LATE_AFTER,
    CONFIG_UNDO,
    CONFIG_CA_FILE,
    CONFIG_REALTIME_URL,
    CONFIG_N_ITEMS
} config_item;

/* Where one value came from. */
typedef struct config_origin {
    config_source source;
    /* FILE and COMMAND: "path:line" of the line that set it; ENV: the
     * variable's name; OPTION: the option's name ("--model"); DEFAULT: NULL. */
    char *where;
    /* COMMAND only: the command as keycmd_describe shows it ("pass ..."). */
    char *command;
    /* COMMAND only: the command was not run (config_options.no_key_commands),
     * so the value is NULL. */
    bool not_run;
} config_origin;

/* The effective configuration. Owns all its strings. Secrets (api_key,
 * project_id) are registered with log_add_secret when loaded; show them
 * only through config_render, which never prints them. */
typedef struct config {
    char *base_url;   /* AiAssist, checked, without trailing slash */
    char *api_key;    /* NULL when not set */
    char *gate_url;   /* AI Gate, checked, without trailing slash */
    char *project_id; /* NULL when not set */
    char *realtime_url; /* a call's WebSocket endpoint: wss:// (ws:// to loopback) */
    char *model;
    int timeout_ms;
    int max_retries;
    int max_tokens;
    bool allow_http;
    bool insecure_tls;
    char *ca_file;   /* trusted CAs (PEM), NULL: the system's */
    char *theme;
    bool osc52;      /* clipboard writes through the terminal: opt-in */
    int keep_workspaces; /* recent workspaces kept whole (model/model.h, the bound) */
    unsigned bell;   /* CONFIG_BELL_* bits: what rings the bell */
    int late_after_s; /* a wait for a person longer than this is late; 0: never */
    int undo_ms;     /* how long an approval or a reply is held for undo; 0: off */
    char *debug_log; /* NULL: no debug log */

    char *config_path;  /* the file consulted, NULL if no home was found */
    bool config_loaded; /* it existed and was read */
    config_origin origin[CONFIG_N_ITEMS];
} config_t;

/* A tri-state for flag options: zero means "not given". */
typedef enum config_flag {
    CONFIG_FLAG_UNSET = 0,
    CONFIG_FLAG_OFF,
    CONFIG_FLAG_ON,
} config_flag;

/* What the command line said. All borrowed; NULL / zero means not given, so
 * a zeroed struct is "no options". Numbers are passed as typed, so that
 * every layer is checked by the same rules and messages. Messages name the
 * options as written in the comments. */
typedef struct config_options {
    const char *config_path;  /* --config: replaces the default file and must exist
                               * ("/dev/null": no file at all) */
    const char *base_url;     /* --base-url */
    const char *gate_url;     /* --gate-url */
    const char *model;        /* --model */
    const char *timeout;      /* --timeout, seconds ("30", "2.5") */
    const char *max_retries;  /* --max-retries */
    config_flag allow_http;   /* --allow-http */
    config_flag insecure_tls; /* --insecure */
    const char *ca_file;      /* --ca-file */
    const char *theme;        /* --theme */
    const char *debug_log;    /* --debug */
    /* Do not run key commands (for showing the configuration without
     * waking a password manager); the secrets stay NULL. */
    bool no_key_commands;
    int key_cmd_timeout_ms; /* 0: KEYCMD_DEFAULT_TIMEOUT_MS */
} config_options;

/* Builds the configuration from opts (may be NULL), the environment and the
 * config file, running key commands as needed. Returns 0 with *out set
 * (free with config_free), or -1 with *err set to a new one-line message
 * naming the culprit ("FILE:12: unknown key 'modle' in [aiassist]",
 * "AIASSIST_BASE_URL: ...", "--timeout: ...") that never contains a
 * secret. */
int config_load(const config_options *opts, config_t **out, char **err);

/* A configuration holding only the defaults (no file, no environment). */
config_t *config_new_defaults(void);
void config_free(config_t *c);

/* "default", "file", "environment", "option", "command". */
const char *config_source_name(config_source s);
/* The item's name as the file spells it ("base_url", "timeout", "log"). */
const char *config_item_name(config_item item);

/* The effective configuration for people (aidesk config): one line per
 * value with its source; secrets appear only as "set (from environment:
 * AIASSIST_API_KEY)", "set (from command: pass ...)", "not set". Text from
 * the user's files and environment is sanitised. Caller frees. */
char *config_render(const config_t *c);

/* The default config file path (ignores --config), or NULL with *err set. */
char *config_default_path(char **err);

#endif
