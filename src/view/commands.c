#include "config.h"
#include "view/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static const cmd_def table[] = {
    {CMD_HELP, "help", "", "show keys and commands", {ARG_NONE, ARG_NONE}, 0},
    {CMD_QUIT, "quit", "", "leave aidesk", {ARG_NONE, ARG_NONE}, 0},
    {CMD_NEW, "new", "CLIENT_ID [ai|shadow|takeover] [-s \"SYSTEM\"] [-m \"FIRST MESSAGE\"] [--model M] "
     "[--max-tokens N] [key=value]...",
     "create a workspace (you speak as its customer)", {ARG_TEXT, ARG_MODE}, 1},
    {CMD_OPEN, "open", "CLIENT_ID", "resume the workspace of a client id", {ARG_CLIENT, ARG_NONE}, 1},
    {CMD_GO, "go", "WORKSPACE|CHAT", "switch to a conversation by id or title", {ARG_CONV, ARG_NONE}, 1},
    {CMD_END, "end", "[WORKSPACE]", "end this workspace (asks first; /end! does not)", {ARG_CONV, ARG_NONE}, 0},
    {CMD_MODE, "mode", "ai|shadow|takeover", "set this workspace's mode", {ARG_MODE, ARG_NONE}, 1},
    {CMD_TAKEOVER, "takeover", "", "take over: answer as a human agent", {ARG_NONE, ARG_NONE}, 0},
    {CMD_HANDBACK, "handback", "", "hand the workspace back to the mode it had before the takeover",
     {ARG_NONE, ARG_NONE}, 0},
    {CMD_AS, "as", "customer|agent", "choose who you speak as in this workspace", {ARG_ROLE, ARG_NONE}, 1},
    {CMD_DRAFTS, "drafts", "", "open the drafts queue (shadow mode)", {ARG_NONE, ARG_NONE}, 0},
    {CMD_APPROVE, "approve", "[ID|N]", "approve a draft by id or queue row (the selected one by default); "
     "/approve! approves a stale one", {ARG_DRAFT, ARG_NONE}, 0},
    {CMD_EDIT, "edit", "[ID|N]", "edit a draft in the input line; Enter approves that draft", {ARG_DRAFT, ARG_NONE}, 0},
    {CMD_REJECT, "reject", "[ID|N] [REASON]", "reject a draft, with a reason", {ARG_DRAFT, ARG_TEXT}, 0},
    {CMD_CHAT, "chat", "[MODEL]", "start a plain chat with a model", {ARG_MODEL, ARG_NONE}, 0},
    {CMD_MODEL, "model", "MODEL", "switch this chat's model", {ARG_MODEL, ARG_NONE}, 1},
    {CMD_CANCEL, "cancel", "", "stop the reply being streamed (also Esc)", {ARG_NONE, ARG_NONE}, 0},
    {CMD_RETRY, "retry", "", "send the last unsent message again", {ARG_NONE, ARG_NONE}, 0},
    {CMD_SAVE, "save", "md|json [PATH]", "save this conversation as Markdown or JSON", {ARG_FORMAT, ARG_TEXT}, 1},
    {CMD_SEARCH, "search", "TEXT", "find text in this conversation (F3: next)", {ARG_TEXT, ARG_NONE}, 1},
    {CMD_FILTER, "filter", "all|active|ai|shadow|takeover", "show only live ones, or one mode (\"active shadow\": both)",
     {ARG_FILTER, ARG_FILTER}, 1},
    {CMD_THEME, "theme", "NAME", "switch the colour theme", {ARG_THEME, ARG_NONE}, 1},
    {CMD_RELOAD, "reload", "", "reload workspaces and drafts from the server", {ARG_NONE, ARG_NONE}, 0},
    {CMD_CLOSE, "close", "", "close this chat (workspaces stay)", {ARG_NONE, ARG_NONE}, 0},
    {CMD_GATE, "gate",
     "[session [--voice V] [--model M] [--temperature T] [--instructions TEXT] | turn | health "
     "| copy secret|curl|json [N] | show | call [N]]",
     "AI Gate: the sessions pane, or create a realtime session, TURN, health, call a session", {ARG_GATE, ARG_NONE}, 0},
    {CMD_COMPARE, "compare", "[-n RUNS] [--blind] [MODEL MODEL ...]",
     "send one prompt to several models side by side (no models: pick them)", {ARG_MODEL, ARG_MODEL}, 0},
    {CMD_RERUN, "rerun", "[N|all]", "comparison: run a column (or all) again", {ARG_TEXT, ARG_NONE}, 0},
    {CMD_VOTE, "vote", "N|tie", "comparison: the best answer (reveals a blind one)", {ARG_TEXT, ARG_NONE}, 1},
    {CMD_ZOOM, "zoom", "[N]", "comparison: one column on the whole width (again: back)", {ARG_TEXT, ARG_NONE}, 0},
    {CMD_CONTINUE, "continue", "N", "comparison: go on with that model as a plain chat", {ARG_TEXT, ARG_NONE}, 1},
    {CMD_REOPEN, "reopen", "", "reopen a saved comparison", {ARG_NONE, ARG_NONE}, 0},
    {CMD_UNDO, "undo", "", "take back the approval or reply still counting down (also F8)", {ARG_NONE, ARG_NONE}, 0},
    {CMD_AGAIN, "again", "[INSTRUCTIONS]", "ask the AI for a new draft in this workspace (after a rejection)",
     {ARG_TEXT, ARG_NONE}, 0},
    {CMD_COPY, "copy", "[code [N]]",
     "copy the last answer, or its code block N, to the clipboard (OSC 52) or a private file",
     {ARG_TEXT, ARG_TEXT}, 0},
    {CMD_SAY, "say", "FILE.wav", "call: send a WAV file (PCM16, 24 kHz, mono) as your speech",
     {ARG_TEXT, ARG_NONE}, 1},
    {CMD_PLAY, "play", "", "call: turn playback of the replies on or off", {ARG_NONE, ARG_NONE}, 0},
    {CMD_HANGUP, "hangup", "", "call: end the call (its transcript and audio stay)", {ARG_NONE, ARG_NONE}, 0},
};

static const key_def keys[] = {
    {"Enter", "send the message, or run the /command"},
    {"Alt-Enter", "new line in the message"},
    {"Ctrl-X Ctrl-E, F4", "write the message in $EDITOR"},
    {"Tab", "complete a command, workspace, model or mode"},
    {"Up / Down", "input history"},
    {"PgUp / PgDn", "scroll the conversation"},
    {"Home / End", "scroll to the top / bottom (when the input is empty)"},
    {"mouse wheel", "scroll the conversation"},
    {"mouse click", "in the sidebar: open that conversation or comparison"},
    {"Ctrl-N / Ctrl-P", "next / previous conversation"},
    {"F2", "drafts queue: Up/Down choose, a approve, e edit, r reject, Enter open"},
    {"  (queue keys)", "act on the draft their row showed, never on one moving into it"},
    {"  (row N in /approve...)", "the row when you began typing; moved since? refused, the line gets its ID"},
    {"F3", "next search match"},
    {"F5", "jump to the workspace that has waited longest for a person"},
    {"F8", "undo the approval or reply still counting down (its seconds show below)"},
    {"F6", "AI Gate pane: Up/Down choose, Enter details, s show secrets, c/y/j copy"},
    {"Right / Left", "comparison (empty input): work with the columns: z zoom, r/R rerun, v vote"},
    {"Esc", "stop a streaming reply; close the help or the drafts queue"},
    {"Ctrl-C", "stop a streaming reply, or clear the input (kept in history)"},
    {"Ctrl-L", "redraw the screen"},
    {"Ctrl-Z", "suspend"},
    {"Ctrl-D, F10", "quit (Ctrl-D on an empty line)"},
    {"F1, ?", "this help (? on an empty line)"},
};

const cmd_def *cmd_table(size_t *n)
{
    *n = sizeof table / sizeof *table;
    return table;
}

const key_def *key_table(size_t *n)
{
    *n = sizeof keys / sizeof *keys;
    return keys;
}

const cmd_def *cmd_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

/* Levenshtein distance, for "did you mean". Names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 30 || lb > 30)
        return 99;
    size_t d[32][32];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    }
    return d[la][lb];
}

/* Splits s into words; double quotes group, backslash escapes inside
 * quotes. Returns -1 on an unclosed quote. */
static int split(const char *s, char ***out, int *count)
{
    char **v = NULL;
    size_t cap = 0;
    int n = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        buf_t w = BUF_INIT;
        buf_append(&w, "", 0);
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    buf_append_char(&w, *p++);
                }
                if (*p != '"') {
                    buf_free(&w);
                    for (int i = 0; i < n; i++)
                        free(v[i]);
                    free(v);
                    return -1;
                }
                p++;
            } else {
                buf_append_char(&w, *p++);
            }
        }
        v = xgrow(v, &cap, (size_t)n + 2, sizeof *v);
        v[n++] = buf_steal(&w);
    }
    v = xgrow(v, &cap, (size_t)n + 1, sizeof *v);
    v[n] = NULL;
    *out = v;
    *count = n;
    return 0;
}

int cmd_parse(const char *line, cmd_parsed *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    if (line[0] != '/') {
        *err = xstrdup("commands start with /");
        return -1;
    }
    const char *p = line + 1;
    size_t nl = strcspn(p, " \t");
    char *name = xstrndup(p, nl);
    const cmd_def *def = cmd_find(name);
    if (!def && nl > 1 && name[nl - 1] == '!') {
        name[nl - 1] = 0; /* "/end!": done without asking, where that exists */
        def = cmd_find(name);
        if (def && def->id != CMD_END && def->id != CMD_APPROVE) {
            *err = xasprintf("/%s does not ask first: write it without the !", name);
            free(name);
            return -1;
        }
        out->bang = def != NULL;
        if (!def)
            name[nl - 1] = '!';
    }
    if (!def) {
        const char *best = NULL;
        size_t bd = 99;
        for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
            size_t d = distance(name, table[i].name);
            if (d < bd) {
                bd = d;
                best = table[i].name;
            }
        }
        if (best && bd <= 2)
            *err = xasprintf("unknown command /%s: did you mean /%s? (F1 lists them all)", name, best);
        else
            *err = xasprintf("unknown command /%s (F1 lists them all)", name);
        free(name);
        return -1;
    }
    free(name);
    const char *rest = p + nl;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    size_t rl = strlen(rest);
    while (rl && (rest[rl - 1] == ' ' || rest[rl - 1] == '\t'))
        rl--;
    if (split(rest, &out->argv, &out->argc) != 0) {
        *err = xasprintf("/%s: a quote is not closed", def->name);
        return -1;
    }
    if (out->argc < def->min_args) {
        *err = xasprintf("usage: /%s %s", def->name, def->usage);
        cmd_parsed_free(out);
        return -1;
    }
    out->def = def;
    out->rest = xstrndup(rest, rl);
    return 0;
}

void cmd_parsed_free(cmd_parsed *p)
{
    for (int i = 0; p->argv && i < p->argc; i++)
        free(p->argv[i]);
    free(p->argv);
    free(p->rest);
    memset(p, 0, sizeof *p);
}

void cmd_matches_free(char **m)
{
    for (size_t i = 0; m && m[i]; i++)
        free(m[i]);
    free(m);
}

static void add_match(char ***v, size_t *n, size_t *cap, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i], s))
            return;
    *v = xgrow(*v, cap, *n + 2, sizeof **v);
    (*v)[(*n)++] = xstrdup(s);
    (*v)[*n] = NULL;
}

static const char *const modes[] = {"ai", "shadow", "takeover"};
static const char *const filters[] = {"all", "active", "ai", "shadow", "takeover"};
static const char *const roles[] = {"customer", "agent"};
static const char *const formats[] = {"md", "json"};
static const char *const gate_subs[] = {"session", "turn", "health", "copy", "show", "call"};
static const char *const gate_opts[] = {"--voice", "--model", "--temperature", "--instructions"};
static const char *const gate_voices[] = {"alloy", "echo", "fable", "onyx", "nova", "shimmer"};
static const char *const gate_models[] = {"gpt-4o-realtime-preview-2024-10-01",
                                          "gpt-4o-realtime-preview-2024-12-17",
                                          "gpt-4o-mini-realtime-preview-2024-12-17"};
static const char *const gate_copies[] = {"secret", "curl", "json"};

/* The word before position ws (where the word being completed starts). */
static char *previous_word(const char *line, size_t ws)
{
    size_t e = ws;
    while (e > 0 && line[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > 0 && line[b - 1] != ' ')
        b--;
    return xstrndup(line + b, e - b);
}

/* /gate takes a subcommand, then options whose values complete too. */
static const char *const *gate_candidates(const char *line, size_t ws, int word, size_t *nc)
{
    if (word == 1) {
        *nc = sizeof gate_subs / sizeof *gate_subs;
        return gate_subs;
    }
    char *prev = previous_word(line, ws);
    const char *const *c = NULL;
    bool session = strstr(line, " session") != NULL;
    if (!strcmp(prev, "--voice")) {
        c = gate_voices;
        *nc = sizeof gate_voices / sizeof *gate_voices;
    } else if (!strcmp(prev, "--model")) {
        c = gate_models;
        *nc = sizeof gate_models / sizeof *gate_models;
    } else if (!strcmp(prev, "copy")) {
        c = gate_copies;
        *nc = sizeof gate_copies / sizeof *gate_copies;
    } else if (session && strcmp(prev, "--temperature") && strcmp(prev, "--instructions")) {
        c = gate_opts;
        *nc = sizeof gate_opts / sizeof *gate_opts;
    }
    free(prev);
    return c;
}

char **cmd_complete(const char *line, size_t point, cmd_candidates_fn fn, void *ud, size_t *start)
{
    size_t len = strlen(line);
    if (point > len)
        point = len;
    if (line[0] != '/')
        return NULL;
    /* The word being completed and its index among the words. */
    size_t ws = point;
    while (ws > 0 && line[ws - 1] != ' ')
        ws--;
    *start = ws;
    int word = 0;
    for (size_t i = 0; i < ws; i++)
        if (line[i] != ' ' && (i == 0 || line[i - 1] == ' '))
            word++;
    char *prefix = xstrndup(line + ws, point - ws);
    size_t pl = strlen(prefix);
    char **v = NULL;
    size_t n = 0, cap = 0;

    if (word == 0) {
        for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
            char full[64];
            snprintf(full, sizeof full, "/%s", table[i].name);
            if (!strncmp(full, prefix, pl))
                add_match(&v, &n, &cap, full);
        }
    } else {
        size_t nl = strcspn(line + 1, " ");
        char *name = xstrndup(line + 1, nl);
        const cmd_def *def = cmd_find(name);
        free(name);
        cmd_arg kind = def && word <= 2 ? def->arg[word - 1] : ARG_NONE;
        if (def && def->id == CMD_GATE)
            kind = ARG_GATE;
        else if (def && def->id == CMD_COMPARE)
            kind = ARG_MODEL; /* every argument is a model */
        const char *const *cands = NULL;
        size_t nc = 0;
        switch (kind) {
        case ARG_GATE: cands = gate_candidates(line, ws, word, &nc); break;
        case ARG_MODE: cands = modes; nc = 3; break;
        case ARG_FILTER: cands = filters; nc = sizeof filters / sizeof *filters; break;
        case ARG_ROLE: cands = roles; nc = 2; break;
        case ARG_FORMAT: cands = formats; nc = 2; break;
        case ARG_NONE:
        case ARG_TEXT: break;
        default:
            if (fn)
                cands = fn(ud, kind, &nc);
            break;
        }
        for (size_t i = 0; cands && i < nc; i++)
            if (cands[i] && !strncmp(cands[i], prefix, pl))
                add_match(&v, &n, &cap, cands[i]);
    }
    free(prefix);
    if (n == 1) {
        char *one = xasprintf("%s ", v[0]);
        free(v[0]);
        v[0] = one;
    }
    return v;
}
