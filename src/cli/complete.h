/* complete.h: aidesk's command line described for shell completion, and
 * the bash and zsh scripts written from that description ("aidesk
 * completion bash|zsh").
 *
 * The description is built from the tables that parse the command line
 * (cli_commands and the global options), the help texts (each option's
 * description and placeholder, each argument in a synopsis), and the
 * console's own completion (src/view/commands.h) for the words it knows:
 * workspace modes, voices, realtime models. So the shells, --help and the
 * console cannot offer different things. Models, workspace ids and draft
 * ids cannot be known in advance: the scripts fetch them when Tab is
 * pressed, through the CLI's --json output (comp_live). */
#ifndef AIDESK_CLI_COMPLETE_H
#define AIDESK_CLI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/args.h"

/* Ids that a subcommand lists: each object of its --json answer begins
 * {"id":"<id>","<next_key>": (the order json_out.c writes), which the
 * scripts match without a JSON parser. */
typedef struct comp_live {
    const char *kind;     /* "models", "workspaces", "drafts" */
    const char *command;  /* the subcommand that lists them: "ws list" */
    const char *next_key; /* the key after "id" in each object */
} comp_live;

typedef enum comp_kind {
    COMP_TEXT,  /* free text: nothing to offer */
    COMP_WORDS, /* one of a fixed list */
    COMP_FILE,  /* a file name */
    COMP_LIVE,  /* an id listed by a subcommand */
} comp_kind;

/* What an option's value or an argument is. */
typedef struct comp_value {
    comp_kind kind;
    char *label;          /* for people: "model", "workspace id" (owned) */
    char **words;         /* COMP_WORDS: owned, nwords of them */
    size_t nwords;
    const comp_live *live; /* COMP_LIVE */
} comp_value;

typedef struct comp_opt {
    const cli_optspec *spec; /* borrowed from the table */
    char *desc;              /* one line from the help text, "" if none (owned) */
    comp_value value;        /* when spec->arg */
} comp_opt;

/* A command, or (cmd NULL) the global options. */
typedef struct comp_cmd {
    const cli_cmd *cmd;  /* borrowed from cli_commands */
    char name[64];       /* "chat", "ws create"; "" for the globals */
    comp_opt *opts;      /* owned, nopts of them */
    size_t nopts;
    comp_value *args;    /* the arguments the synopsis names, in order (owned) */
    size_t nargs;
    bool more;           /* more free-text arguments may follow them */
    char *more_label;    /* what those are: "prompt", "message" (owned) */
} comp_cmd;

typedef struct comp_spec {
    comp_cmd global;
    comp_cmd *cmds; /* one per entry of cli_commands, in its order */
    size_t ncmds;
    char **groups;  /* the command words, each once, in table order */
    size_t ngroups;
} comp_spec;

/* Builds the description from the tables. Caller frees. */
comp_spec *comp_spec_new(void);
void comp_spec_free(comp_spec *s);

/* Whether a global option's long (or short) spelling is offered after
 * cmd: not when one of cmd's own options is spelled the same, since the
 * parser looks those up first ("gate session --model" is the realtime
 * model, "gate session -m" still the chat model). */
bool comp_global_visible(const comp_cmd *cmd, const cli_optspec *global, bool long_name);

/* The summary of a command word: its own, or for a group of actions the
 * list of them ("create, get, ..."). Caller frees. */
char *comp_group_summary(const comp_spec *s, const char *group);

/* The live kinds that some option or argument uses, each once, at most
 * max of them into out; returns how many. */
size_t comp_live_used(const comp_spec *s, const comp_live **out, size_t max);

/* Whether every character of s may stand unquoted in a shell word list. */
bool comp_shell_safe(const char *s);

/* The scripts. comp_write returns -1 for a shell other than bash or zsh. */
int comp_write(FILE *out, const comp_spec *s, const char *shell);
void comp_write_bash(FILE *out, const comp_spec *s);
void comp_write_zsh(FILE *out, const comp_spec *s);

#endif
