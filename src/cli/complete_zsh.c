/* complete_zsh.c: the zsh completion script (see complete.h): one
 * _arguments call per command, with descriptions from the help texts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/complete.h"

static const char head[] =
    "#compdef aidesk\n"
    "# zsh completion for aidesk. Written by \"aidesk completion zsh\" (aidesk\n"
    "# " PACKAGE_VERSION ") from its command table: regenerate it rather than edit it.\n"
    "# make install puts it in a directory of $fpath; without that, after\n"
    "# compinit: source <(aidesk completion zsh)\n"
    "\n"
    "# _aidesk_live KIND: the ids of KIND that the server has, from the CLI's\n"
    "# own --json output (each object begins {\"id\":\"ID\",\"KEY\":), asking the\n"
    "# server the line names; nothing, quickly, without a key or a server.\n"
    "_aidesk_live() {\n"
    "  local key w v i expl bin=${_aidesk_line[1]}\n"
    "  local -a sub pass t ids\n"
    "  case $1 in\n";

static const char live_tail[] =
    "    (*) return 1 ;;\n"
    "  esac\n"
    "  [[ $bin == '~/'* ]] && bin=$HOME/${bin#\\~/}\n"
    "  for (( i = 2; i < $#_aidesk_line; i++ )); do\n"
    "    w=${(Q)_aidesk_line[i]}\n"
    "    case $w in\n"
    "      (--config|--base-url|--ca-file)\n"
    "        v=${(Q)_aidesk_line[i+1]}\n"
    "        [[ $v == '~/'* ]] && v=$HOME/${v#\\~/}\n"
    "        pass+=(\"$w=$v\"); (( i++ )) ;;\n"
    "      (--config=*|--base-url=*|--ca-file=*|--allow-http|--insecure|--demo) pass+=(\"$w\") ;;\n"
    "    esac\n"
    "  done\n"
    "  (( $+commands[timeout] )) && t=(timeout 5)\n"
    "  ids=(${(f)\"$($t $bin $pass --json --quiet --timeout 3 --max-retries 0 $sub \\\n"
    "        </dev/null 2>/dev/null |\n"
    "        grep -o '{\"id\":\"[^\"\\]*\",\"'$key'\":' | cut -d'\"' -f4 |\n"
    "        LC_ALL=C grep -E '^[A-Za-z0-9._+/:@=,-]+$')\"})\n"
    "  _wanted $1 expl ${1%s} compadd -a ids\n"
    "}\n"
    "\n";

static const char main_fn[] =
    "_aidesk() {\n"
    "  local curcontext=$curcontext state state_descr line group ret=1\n"
    "  local -a _aidesk_line\n"
    "  typeset -A opt_args\n"
    "  _aidesk_line=(\"${words[@]}\")\n"
    "  _arguments -C -S : \\\n"
    "@GLOBALS@"
    "    '1: :->command' \\\n"
    "    '*:: :->args' && ret=0\n"
    "  case $state in\n"
    "    (command) _aidesk_commands '' && ret=0 ;;\n"
    "    (args)\n"
    "      group=$words[1]\n"
    "      curcontext=${curcontext%:*:*}:aidesk-$group:\n"
    "      if ! _aidesk_commands -q $group; then\n"
    "        _aidesk_command $group && ret=0\n"
    "      elif (( CURRENT == 2 )); then\n"
    "        _aidesk_commands $group && ret=0\n"
    "      else\n"
    "        shift words\n"
    "        (( CURRENT-- ))\n"
    "        curcontext=${curcontext%:}-$words[1]:\n"
    "        _aidesk_command \"$group $words[1]\" && ret=0\n"
    "      fi\n"
    "      ;;\n"
    "  esac\n"
    "  return ret\n"
    "}\n"
    "\n"
    "if [[ $funcstack[1] == _aidesk ]]; then\n"
    "  _aidesk \"$@\"   # autoloaded from $fpath\n"
    "else\n"
    "  compdef _aidesk aidesk   # sourced\n"
    "fi\n";

enum { Q_PLAIN, Q_BRACKETS, Q_COLONS };

/* s inside '...'; Q_BRACKETS: inside an _arguments [description] too;
 * Q_COLONS: where a colon would end the field. */
static void put_quoted(FILE *out, const char *s, int mode)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else if ((*s == '[' || *s == ']' || *s == '\\') && mode == Q_BRACKETS)
            fprintf(out, "\\%c", *s);
        else if (*s == ':' && mode == Q_COLONS)
            fputs("\\:", out);
        else
            fputc(*s, out);
    }
}

/* ":label:action" of a value, inside '...'. */
static void put_value(FILE *out, const comp_value *v)
{
    fputc(':', out);
    put_quoted(out, v->label, Q_COLONS);
    fputc(':', out);
    switch (v->kind) {
    case COMP_TEXT: fputc(' ', out); break;
    case COMP_FILE: fputs("_files", out); break;
    case COMP_LIVE: fprintf(out, "{_aidesk_live %s}", v->live->kind); break;
    case COMP_WORDS:
        fputc('(', out);
        for (size_t i = 0; i < v->nwords; i++)
            fprintf(out, "%s%s", i ? " " : "", v->words[i]);
        fputc(')', out);
        break;
    }
}

/* One option's spec for _arguments, with the spellings given. */
static void put_spec(FILE *out, const comp_opt *o, bool lng, bool shrt)
{
    const cli_optspec *sp = o->spec;
    shrt = shrt && sp->short_name;
    if (!lng && !shrt)
        return;
    const char *lsuf = sp->arg ? "=" : "", *ssuf = sp->arg ? "+" : "";
    fputs("    ", out);
    if (lng && shrt) {
        /* Either spelling, once; "*" and no exclusion when repeatable. */
        if (sp->repeat)
            fputs("'*'", out);
        else
            fprintf(out, "'(-%c --%s)'", sp->short_name, sp->name);
        fprintf(out, "{-%c%s,--%s%s}'", sp->short_name, ssuf, sp->name, lsuf);
    } else {
        fprintf(out, "'%s", sp->repeat ? "*" : "");
        if (lng)
            fprintf(out, "--%s%s", sp->name, lsuf);
        else
            fprintf(out, "-%c%s", sp->short_name, ssuf);
    }
    if (*o->desc) {
        fputc('[', out);
        put_quoted(out, o->desc, Q_BRACKETS);
        fputc(']', out);
    }
    if (sp->arg)
        put_value(out, &o->value);
    fputs("' \\\n", out);
}

static void put_globals(FILE *out, const comp_spec *s, const comp_cmd *c)
{
    for (size_t i = 0; i < s->global.nopts; i++) {
        const comp_opt *o = &s->global.opts[i];
        put_spec(out, o, comp_global_visible(c, o->spec, true), comp_global_visible(c, o->spec, false));
    }
}

/* _aidesk_commands [-q] GROUP: offers the command words (GROUP '') or a
 * group's actions; false for a command without actions. */
static void put_commands(FILE *out, const comp_spec *s)
{
    fputs("# _aidesk_commands [-q] GROUP: offers the commands (GROUP '') or the\n"
          "# actions of GROUP; false for a command without actions. -q: only says\n"
          "# whether GROUP has actions.\n"
          "_aidesk_commands() {\n"
          "  local -a list\n"
          "  local quiet=0\n"
          "  [[ $1 == -q ]] && { quiet=1; shift; }\n"
          "  case $1 in\n"
          "    ('')\n"
          "      list=(\n",
          out);
    for (size_t g = 0; g < s->ngroups; g++) {
        char *sum = comp_group_summary(s, s->groups[g]);
        fputs("        '", out);
        put_quoted(out, s->groups[g], Q_COLONS);
        fputc(':', out);
        put_quoted(out, sum, Q_PLAIN);
        fputs("'\n", out);
        free(sum);
    }
    fputs("      ) ;;\n", out);
    for (size_t g = 0; g < s->ngroups; g++) {
        bool first = true;
        for (size_t i = 0; i < s->ncmds; i++) {
            const cli_cmd *c = s->cmds[i].cmd;
            if (strcmp(c->group, s->groups[g]) || !c->action)
                continue;
            if (first)
                fprintf(out, "    (%s)\n      list=(\n", c->group);
            first = false;
            fputs("        '", out);
            put_quoted(out, c->action, Q_COLONS);
            fputc(':', out);
            put_quoted(out, c->summary, Q_PLAIN);
            fputs("'\n", out);
        }
        if (!first)
            fputs("      ) ;;\n", out);
    }
    fputs("    (*) return 1 ;;\n"
          "  esac\n"
          "  (( quiet )) && return 0\n"
          "  if [[ -z $1 ]]; then\n"
          "    _describe -t commands 'aidesk command' list\n"
          "  else\n"
          "    _describe -t actions \"aidesk $1 action\" list\n"
          "  fi\n"
          "  return 0\n"
          "}\n\n",
          out);
}

static void put_command(FILE *out, const comp_spec *s)
{
    fputs("# _aidesk_command CMD: the options and arguments of one command (its\n"
          "# own options, then the global ones it does not shadow).\n"
          "_aidesk_command() {\n"
          "  case $1 in\n",
          out);
    for (size_t i = 0; i < s->ncmds; i++) {
        const comp_cmd *c = &s->cmds[i];
        fprintf(out, "  ('%s')\n    _arguments -S : \\\n", c->name);
        for (size_t k = 0; k < c->nopts; k++)
            put_spec(out, &c->opts[k], true, true);
        put_globals(out, s, c);
        for (size_t k = 0; k < c->nargs; k++) {
            fprintf(out, "    '%zu", k + 1);
            put_value(out, &c->args[k]);
            fputs("' \\\n", out);
        }
        if (c->more) {
            fputs("    '*:", out);
            put_quoted(out, c->more_label, Q_COLONS);
            fputs(": ' \\\n", out);
        }
        fputs("    ;;\n", out);
    }
    fputs("  (*) return 1 ;;\n  esac\n}\n\n", out);
}

void comp_write_zsh(FILE *out, const comp_spec *s)
{
    fputs(head, out);
    const comp_live *live[8];
    size_t nlive = comp_live_used(s, live, sizeof live / sizeof *live);
    for (size_t i = 0; i < nlive; i++)
        fprintf(out, "    (%s) sub=(%s) key=%s ;;\n", live[i]->kind, live[i]->command,
                live[i]->next_key);
    fputs(live_tail, out);
    put_commands(out, s);
    put_command(out, s);
    const char *g = strstr(main_fn, "@GLOBALS@");
    fwrite(main_fn, 1, (size_t)(g - main_fn), out);
    put_globals(out, s, NULL);
    fputs(g + strlen("@GLOBALS@"), out);
}
