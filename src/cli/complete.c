/* complete.c: the command line described for completion (see complete.h),
 * and "aidesk completion SHELL". The scripts are written by
 * complete_bash.c and complete_zsh.c. */
#include "config.h"
#include "cli/complete.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_priv.h"
#include "util/buf.h"
#include "util/mem.h"
#include "view/commands.h"

static const comp_live live_models = {"models", "models", "provider"};
static const comp_live live_workspaces = {"workspaces", "ws list", "mode"};
static const comp_live live_drafts = {"drafts", "ws drafts", "workspace_id"};

/* The workspace statuses of the manager API (docs/protocol.md); no table
 * of the program lists them, since it only passes --status on. */
static const char *const statuses[] = {"active", "ended"};

bool comp_shell_safe(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-+/:@=,", *s))
            return false;
    return true;
}

static void add_word(comp_value *v, const char *w, size_t n)
{
    char *word = xstrndup(w, n);
    if (!comp_shell_safe(word)) {
        free(word);
        return;
    }
    v->words = xrealloc(v->words, (v->nwords + 1) * sizeof *v->words);
    v->words[v->nwords++] = word;
}

/* The words the console's completion offers after line (a slash command
 * and the start of its arguments); false when it offers none. */
static bool console_words(comp_value *v, const char *line)
{
    size_t start = 0;
    char **m = cmd_complete(line, strlen(line), NULL, NULL, &start);
    for (size_t i = 0; m && m[i]; i++)
        add_word(v, m[i], strcspn(m[i], " ")); /* a single match ends in a space */
    cmd_matches_free(m);
    if (v->nwords == 0)
        return false;
    v->kind = COMP_WORDS;
    return true;
}

/* "EVENT_ID" -> "event id": a placeholder as a label for people. */
static char *label_of(const char *placeholder, size_t n)
{
    char *l = xstrndup(placeholder, n);
    for (char *p = l; *p; p++)
        *p = *p == '_' ? ' ' : (char)tolower((unsigned char)*p);
    return l;
}

/* What a value is: an option's (name set) or an argument's (name NULL),
 * from the console's words, the option's name, and the placeholder of the
 * help ("--config FILE") or the synopsis ("ws get ID"). */
static void value_of(comp_value *v, const cli_cmd *cmd, const char *name, const char *ph, size_t phn)
{
    memset(v, 0, sizeof *v);
    v->kind = COMP_TEXT;
    v->label = phn ? label_of(ph, phn) : xstrdup(name ? name : "argument");
    if (cmd && name && !strcmp(cmd->group, "gate") && cmd->action) {
        /* "gate session --voice": the console's /gate knows the same. */
        char *line = xasprintf("/gate %s --%s ", cmd->action, name);
        bool found = console_words(v, line);
        free(line);
        if (found)
            return;
    }
    if (name && !strcmp(name, "model")) {
        v->kind = COMP_LIVE;
        v->live = &live_models;
    } else if (name && !strcmp(name, "status")) {
        for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
            add_word(v, statuses[i], strlen(statuses[i]));
        v->kind = COMP_WORDS;
    } else if (name && !strcmp(name, "workspace")) {
        v->kind = COMP_LIVE;
        v->live = &live_workspaces;
        free(v->label);
        v->label = xstrdup("workspace id");
    } else if (!name && phn == 2 && !strncmp(ph, "ID", 2)) {
        v->kind = COMP_LIVE;
        v->live = &live_workspaces;
        free(v->label);
        v->label = xstrdup("workspace id");
    } else if (!name && phn == 8 && !strncmp(ph, "DRAFT_ID", 8)) {
        v->kind = COMP_LIVE;
        v->live = &live_drafts;
    } else if (phn == 4 && !strncmp(ph, "MODE", 4)) {
        console_words(v, "/mode ");
    } else if (phn == 4 && !strncmp(ph, "FILE", 4)) {
        v->kind = COMP_FILE;
    } else if (!name && phn && memchr(ph, '|', phn)) {
        /* "bash|zsh": the synopsis lists the words. */
        for (size_t i = 0; i < phn;) {
            size_t n = strcspn(ph + i, "|");
            if (n > phn - i)
                n = phn - i;
            add_word(v, ph + i, n);
            i += n + 1;
        }
        v->kind = v->nwords ? COMP_WORDS : COMP_TEXT;
    }
}

static size_t indent_of(const char *p)
{
    size_t n = 0;
    while (p[n] == ' ')
        n++;
    return n;
}

/* The help line of option o ("  -m, --model MODEL    the model ..." with
 * its continuation lines): its description (owned, "" when the help has
 * none) and the placeholder of its value (*ph, *phn; none: 0). */
static char *help_desc(const char *help, const cli_optspec *o, const char **ph, size_t *phn)
{
    char opt[64];
    int ol = snprintf(opt, sizeof opt, "--%s", o->name);
    *ph = NULL;
    *phn = 0;
    for (const char *line = help; line && *line;) {
        const char *eol = strchr(line, '\n');
        const char *next = eol ? eol + 1 : line + strlen(line);
        const char *p = line + indent_of(line);
        if (p[0] == '-' && p[1] && p[1] != '-' && p[2] == ',' && p[3] == ' ')
            p += 4;
        if (strncmp(p, opt, (size_t)ol) || (p[ol] != ' ' && p[ol] != '\n' && p[ol] != '\0')) {
            line = next;
            continue;
        }
        p += ol;
        if (p[0] == ' ' && p[1] && p[1] != ' ' && p[1] != '\n') {
            size_t n = strcspn(p + 1, " \n");
            bool upper = true;
            for (size_t i = 0; i < n; i++)
                upper &= !islower((unsigned char)p[1 + i]);
            if (upper) {
                *ph = p + 1;
                *phn = n;
                p += 1 + n;
            }
        }
        p += indent_of(p);
        size_t column = (size_t)(p - line);
        buf_t b = BUF_INIT;
        buf_append(&b, p, eol ? (size_t)(eol - p) : strlen(p));
        /* Continuation lines are indented to the description's column. */
        for (line = next; *line && indent_of(line) >= column && line[column] != '-';) {
            eol = strchr(line, '\n');
            buf_append_char(&b, ' ');
            buf_append(&b, line + column, eol ? (size_t)(eol - line) - column : strlen(line + column));
            line = eol ? eol + 1 : line + strlen(line);
        }
        return buf_steal(&b);
    }
    return xstrdup("");
}

static void add_opts(comp_cmd *c, const cli_optspec *opts, const char *help)
{
    for (size_t i = 0; opts && opts[i].name; i++) {
        c->opts = xrealloc(c->opts, (c->nopts + 1) * sizeof *c->opts);
        comp_opt *o = &c->opts[c->nopts++];
        const char *ph;
        size_t phn;
        o->spec = &opts[i];
        o->desc = help_desc(help, &opts[i], &ph, &phn);
        if (opts[i].arg)
            value_of(&o->value, c->cmd, opts[i].name, ph, phn);
        else
            memset(&o->value, 0, sizeof o->value);
    }
}

/* Whether the option spelled tok (a long "--x" or a short "-x") of c, or a
 * global one, takes a value. */
static bool takes_value(const comp_spec *s, const comp_cmd *c, const char *tok)
{
    const comp_cmd *where[2] = {c, &s->global};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < where[k]->nopts; i++) {
            const cli_optspec *o = where[k]->opts[i].spec;
            if ((tok[1] == '-' && !strcmp(tok + 2, o->name)) ||
                (tok[1] != '-' && tok[2] == '\0' && o->short_name == tok[1]))
                return o->arg;
        }
    return false;
}

/* "[PROMPT..." -> "prompt": the free-text arguments of a synopsis, or NULL
 * for a token that does not name them. */
static char *rest_label(const char *tok)
{
    tok += strspn(tok, "[(");
    size_t n = strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
    if (n == 0 || strncmp(tok + n, "...", 3) || (n == 6 && !strncmp(tok, "OPTION", 6)))
        return NULL;
    return label_of(tok, n);
}

/* The arguments the synopsis names before anything optional: "ws mode ID
 * MODE" has two; "chat [OPTION]... [PROMPT...]" none, then free text. */
static void synopsis_args(const comp_spec *s, comp_cmd *c)
{
    const char *p = c->cmd->synopsis;
    int skip = c->cmd->action ? 2 : 1; /* the command's own words */
    bool value_next = false, fixed = true;
    while (*p) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        char tok[64];
        snprintf(tok, sizeof tok, "%.*s", (int)(n < 63 ? n : 63), p);
        p += n;
        if (!c->more_label)
            c->more_label = rest_label(tok);
        if (skip > 0) {
            skip--;
        } else if (value_next) {
            value_next = false;
        } else if (!fixed || tok[0] == '[' || tok[0] == '(' || strstr(tok, "...")) {
            fixed = false; /* the rest is optional, or alternatives */
        } else if (tok[0] == '-') {
            value_next = takes_value(s, c, tok);
        } else {
            c->args = xrealloc(c->args, (c->nargs + 1) * sizeof *c->args);
            value_of(&c->args[c->nargs++], c->cmd, NULL, tok, strlen(tok));
        }
    }
    c->more = c->cmd->max_args < 0 || (size_t)c->cmd->max_args > c->nargs;
    if (!c->more_label)
        c->more_label = xstrdup("argument");
}

comp_spec *comp_spec_new(void)
{
    comp_spec *s = xcalloc(1, sizeof *s);
    /* The global options are documented in the full help. */
    char *help = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&help, &len);
    if (f) {
        cli_print_help(f);
        fclose(f);
    }
    add_opts(&s->global, cli_global_options(), help);
    free(help);

    while (cli_commands[s->ncmds].group)
        s->ncmds++;
    s->cmds = xcalloc(s->ncmds, sizeof *s->cmds);
    for (size_t i = 0; i < s->ncmds; i++) {
        comp_cmd *c = &s->cmds[i];
        c->cmd = &cli_commands[i];
        cli_cmd_name(c->cmd, c->name, sizeof c->name);
        add_opts(c, c->cmd->opts, c->cmd->help);
        synopsis_args(s, c);
        if (cli_find_group(cli_commands, c->cmd->group) == c->cmd) {
            s->groups = xrealloc(s->groups, (s->ngroups + 1) * sizeof *s->groups);
            s->groups[s->ngroups++] = xstrdup(c->cmd->group);
        }
    }
    return s;
}

static void value_free(comp_value *v)
{
    free(v->label);
    for (size_t i = 0; i < v->nwords; i++)
        free(v->words[i]);
    free(v->words);
}

static void cmd_free(comp_cmd *c)
{
    for (size_t i = 0; i < c->nopts; i++) {
        free(c->opts[i].desc);
        value_free(&c->opts[i].value);
    }
    free(c->opts);
    for (size_t i = 0; i < c->nargs; i++)
        value_free(&c->args[i]);
    free(c->args);
    free(c->more_label);
}

void comp_spec_free(comp_spec *s)
{
    if (!s)
        return;
    cmd_free(&s->global);
    for (size_t i = 0; i < s->ncmds; i++)
        cmd_free(&s->cmds[i]);
    free(s->cmds);
    for (size_t i = 0; i < s->ngroups; i++)
        free(s->groups[i]);
    free(s->groups);
    free(s);
}

bool comp_global_visible(const comp_cmd *cmd, const cli_optspec *global, bool long_name)
{
    if (!long_name && !global->short_name)
        return false;
    for (size_t i = 0; cmd && i < cmd->nopts; i++) {
        const cli_optspec *o = cmd->opts[i].spec;
        if (long_name ? !strcmp(o->name, global->name) : o->short_name == global->short_name)
            return false;
    }
    return true;
}

char *comp_group_summary(const comp_spec *s, const char *group)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < s->ncmds; i++) {
        const cli_cmd *c = s->cmds[i].cmd;
        if (strcmp(c->group, group))
            continue;
        if (!c->action) {
            buf_append_str(&b, c->summary);
            break;
        }
        buf_printf(&b, "%s%s", b.len ? ", " : "", c->action);
    }
    return buf_steal(&b);
}

size_t comp_live_used(const comp_spec *s, const comp_live **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i <= s->ncmds; i++) {
        const comp_cmd *c = i < s->ncmds ? &s->cmds[i] : &s->global;
        for (size_t k = 0; k < c->nopts + c->nargs; k++) {
            const comp_value *v = k < c->nopts ? &c->opts[k].value : &c->args[k - c->nopts];
            bool known = v->kind != COMP_LIVE;
            for (size_t j = 0; j < n && !known; j++)
                known = out[j] == v->live;
            if (!known && n < max)
                out[n++] = v->live;
        }
    }
    return n;
}

int comp_write(FILE *out, const comp_spec *s, const char *shell)
{
    if (!strcmp(shell, "bash"))
        comp_write_bash(out, s);
    else if (!strcmp(shell, "zsh"))
        comp_write_zsh(out, s);
    else
        return -1;
    return 0;
}

int cli_cmd_completion(cli_ctx *c, const cli_args *a)
{
    (void)c;
    return cli_completion(a);
}

int cli_completion(const cli_args *a)
{
    comp_spec *s = comp_spec_new();
    int rc = comp_write(stdout, s, a->pos[0]);
    comp_spec_free(s);
    if (rc != 0) {
        cli_error("completion: no script for '%s' (bash or zsh)", a->pos[0]);
        fprintf(stderr, "Try 'aidesk completion --help'.\n");
        return CLI_USAGE;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_ERR;
    }
    return CLI_OK;
}
