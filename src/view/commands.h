/* commands.h: the console's slash commands and keys, in one table.
 *
 * The table drives parsing, Tab completion and the help overlay, so the
 * three cannot disagree. Parsing splits arguments like a shell does for
 * double-quoted strings ("two words" is one argument); the text after the
 * command name is also kept whole for commands that take free text. */
#ifndef AIDESK_VIEW_COMMANDS_H
#define AIDESK_VIEW_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* Every command, once: X(ID, name) gives CMD_ID here and, in the console,
 * its handler uicmd_name (ui/cmds.h), so that a command cannot exist
 * without a handler: the console would not link. The table in
 * commands.c lists them in this order. */
#define CMD_LIST(X)                                                                                   \
    X(HELP, help) X(QUIT, quit) X(NEW, new) X(OPEN, open) X(GO, go) X(END, end) X(MODE, mode)           \
    X(TAKEOVER, takeover) X(HANDBACK, handback) X(AS, as) X(DRAFTS, drafts) X(APPROVE, approve)         \
    X(EDIT, edit) X(REJECT, reject) X(CHAT, chat) X(MODEL, model) X(CANCEL, cancel) X(RETRY, retry)     \
    X(SAVE, save) X(SEARCH, search) X(FILTER, filter) X(THEME, theme) X(RELOAD, reload)                 \
    X(CLOSE, close) X(GATE, gate) X(COMPARE, compare) X(RERUN, rerun) X(VOTE, vote) X(ZOOM, zoom)      \
    X(CONTINUE, continue) X(REOPEN, reopen)                                                           \
    X(UNDO, undo) X(AGAIN, again) X(COPY, copy) X(SAY, say) X(PLAY, play) X(HANGUP, hangup)

typedef enum cmd_id {
#define CMD_ENUM(id, name) CMD_##id,
    CMD_LIST(CMD_ENUM)
#undef CMD_ENUM
    CMD_COUNT
} cmd_id;

/* What an argument is, for completion. */
typedef enum cmd_arg {
    ARG_NONE,
    ARG_TEXT,      /* free text: no completion */
    ARG_CLIENT,    /* a client id */
    ARG_CONV,      /* a known workspace or chat (id or title) */
    ARG_MODE,      /* ai, shadow, takeover */
    ARG_FILTER,    /* all, ai, shadow, takeover */
    ARG_ROLE,      /* customer, agent */
    ARG_MODEL,     /* a model the server offers */
    ARG_DRAFT,     /* a draft's number in the queue */
    ARG_FORMAT,    /* md, json */
    ARG_THEME,     /* a theme name */
    ARG_GATE,      /* AI Gate: session, turn, health, copy, show; then options */
} cmd_arg;

typedef struct cmd_def {
    cmd_id id;
    const char *name;  /* without the slash */
    const char *usage; /* arguments, as help shows them */
    const char *help;  /* one line */
    cmd_arg arg[2];    /* the first two arguments' kinds */
    int min_args;      /* arguments required */
} cmd_def;

const cmd_def *cmd_table(size_t *n);
const cmd_def *cmd_find(const char *name);

typedef struct cmd_parsed {
    const cmd_def *def;
    char **argv;   /* arguments after the name (quotes removed) */
    int argc;
    char *rest;    /* the raw text after the name, trimmed */
    bool bang;     /* written "/name!" (/end!, /approve!): done without asking */
} cmd_parsed;

/* Parses "/name args...". Returns 0, or -1 with *err (caller frees): an
 * unknown command (with the nearest match suggested), unbalanced quotes or
 * missing arguments (with the usage). */
int cmd_parse(const char *line, cmd_parsed *out, char **err);
void cmd_parsed_free(cmd_parsed *p);

/* Candidates for an argument kind: the console supplies workspace ids,
 * models, themes... Return a borrowed array of n strings. */
typedef const char *const *(*cmd_candidates_fn)(void *ud, cmd_arg kind, size_t *n);

/* Completes the word ending at byte `point` of line. Returns a
 * NULL-terminated list of matches (caller frees with cmd_matches_free;
 * NULL when none) and sets *start to the byte where the word begins. A
 * single match gets a trailing space (completion is final). */
char **cmd_complete(const char *line, size_t point, cmd_candidates_fn fn, void *ud, size_t *start);
void cmd_matches_free(char **m);

/* The keys, for the help overlay. */
typedef struct key_def {
    const char *keys;
    const char *help;
} key_def;
const key_def *key_table(size_t *n);

#endif
