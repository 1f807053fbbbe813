/* complete_bash.c: the bash completion script (see complete.h).
 *
 * The script is plain bash (4.3 or later), without bash-completion's
 * helpers, so it works sourced by hand as well as loaded by
 * bash-completion. What is generated is data (which words, options and
 * values each command has); the walk over the line is the fixed text
 * below. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/complete.h"

static const char head[] =
    "# bash completion for aidesk                               -*- shell-script -*-\n"
    "# Written by \"aidesk completion bash\" (aidesk " PACKAGE_VERSION ") from its command\n"
    "# table: regenerate it rather than edit it. make install puts it where\n"
    "# bash-completion looks; without that: source <(aidesk completion bash)\n"
    "\n";

/* Everything that does not depend on the table. */
static const char body[] =
    "# _aidesk_live KIND: the ids of KIND that the server has, from the CLI's\n"
    "# own --json output (each object begins {\"id\":\"ID\",\"KEY\":), asking the\n"
    "# server the line names; nothing, quickly, without a key or a server.\n"
    "_aidesk_live() {\n"
    "    local sub key bin=${_aidesk_w[0]} t=()\n"
    "    case $1 in\n"
    "@LIVE@"
    "    *) return 0 ;;\n"
    "    esac\n"
    "    [[ $bin == \\~/* ]] && bin=$HOME/${bin#\\~/}\n"
    "    type -P timeout >/dev/null && t=(timeout 5)\n"
    "    # $sub unquoted: \"ws list\" is two words.\n"
    "    \"${t[@]}\" \"$bin\" \"${_aidesk_pass[@]}\" --json --quiet --timeout 3 --max-retries 0 \\\n"
    "        $sub </dev/null 2>/dev/null |\n"
    "        grep -o '{\"id\":\"[^\"\\]*\",\"'\"$key\"'\":' | cut -d'\"' -f4 |\n"
    "        LC_ALL=C grep -E '^[A-Za-z0-9._+/:@=,-]+$'\n"
    "}\n"
    "\n"
    "# _aidesk_add CUR WORD...: offers the WORDs that begin with CUR, less what\n"
    "# readline keeps of the word (up to its last = or :).\n"
    "_aidesk_add() {\n"
    "    local cur=$1 x\n"
    "    shift\n"
    "    for x; do\n"
    "        [[ $x == \"$cur\"* ]] && COMPREPLY+=(\"${x#\"$_aidesk_strip\"}\")\n"
    "    done\n"
    "    return 0\n"
    "}\n"
    "\n"
    "# _aidesk_value KIND PREFIX CUR: offers values of KIND (see _aidesk_arg)\n"
    "# that begin with CUR; PREFIX is \"--name=\" for a value glued to its option.\n"
    "_aidesk_value() {\n"
    "    local pre=$2 cur=$3 x list=()\n"
    "    case $1 in\n"
    "    words:*) for x in ${1#words:}; do list+=(\"$pre$x\"); done ;;\n"
    "    live:*) while IFS= read -r x; do list+=(\"$pre$x\"); done < <(_aidesk_live \"${1#live:}\") ;;\n"
    "    file)\n"
    "        compopt -o filenames 2>/dev/null\n"
    "        while IFS= read -r x; do list+=(\"$pre$x\"); done < <(compgen -f -- \"$cur\")\n"
    "        ;;\n"
    "    *) return 0 ;;\n"
    "    esac\n"
    "    _aidesk_add \"$pre$cur\" \"${list[@]}\"\n"
    "}\n"
    "\n"
    "# _aidesk_words: the words of the line as aidesk will get them. bash\n"
    "# splits --model=x and a:b at = and : (COMP_WORDBREAKS); they are glued\n"
    "# back here. Sets _aidesk_w, _aidesk_cw (the index of the word being\n"
    "# completed) and _aidesk_strip (what readline keeps of that word).\n"
    "_aidesk_words() {\n"
    "    local i off=0 at word keep breaks=''\n"
    "    _aidesk_w=()\n"
    "    for ((i = 0; i <= COMP_CWORD; i++)); do\n"
    "        word=${COMP_WORDS[i]}\n"
    "        at=$off\n"
    "        while [[ ${COMP_LINE:off:1} == [[:space:]] ]]; do ((off++)); done\n"
    "        if ((i > 0 && off == at)) && [[ $word == [=:]* || ${_aidesk_w[-1]} == *[=:] ]]; then\n"
    "            _aidesk_w[-1]+=$word\n"
    "        else\n"
    "            _aidesk_w+=(\"$word\")\n"
    "        fi\n"
    "        ((off += ${#word}))\n"
    "    done\n"
    "    _aidesk_cw=$((${#_aidesk_w[@]} - 1))\n"
    "    [[ $COMP_WORDBREAKS == *=* ]] && breaks+='='\n"
    "    [[ $COMP_WORDBREAKS == *:* ]] && breaks+=':'\n"
    "    keep=${_aidesk_w[_aidesk_cw]}\n"
    "    [[ -n $breaks ]] && keep=${keep##*[\"$breaks\"]}\n"
    "    _aidesk_strip=${_aidesk_w[_aidesk_cw]%\"$keep\"}\n"
    "}\n"
    "\n"
    "_aidesk() {\n"
    "    local _aidesk_w _aidesk_cw _aidesk_strip _aidesk_pass=()\n"
    "    local i word name kind value cur group='' cmd='' n=0 words_only=0\n"
    "    COMPREPLY=()\n"
    "    _aidesk_words\n"
    "    cur=${_aidesk_w[_aidesk_cw]}\n"
    "    # The words before the current one: options (and their values), the\n"
    "    # command and its action, then its arguments.\n"
    "    for ((i = 1; i < _aidesk_cw; i++)); do\n"
    "        word=${_aidesk_w[i]}\n"
    "        if ((!words_only)) && [[ $word == -?* ]]; then\n"
    "            if [[ $word == -- ]]; then\n"
    "                words_only=1\n"
    "                continue\n"
    "            fi\n"
    "            name=${word%%=*}\n"
    "            [[ $word == -[!-]?* ]] && name=${word:0:2}\n"
    "            _aidesk_arg \"$cmd\" \"$name\" || continue\n"
    "            kind=$REPLY\n"
    "            if [[ -n $kind && $word == \"$name\" ]]; then\n"
    "                if ((i + 1 == _aidesk_cw)); then\n"
    "                    _aidesk_value \"$kind\" '' \"$cur\"\n"
    "                    return 0\n"
    "                fi\n"
    "                value=${_aidesk_w[++i]}\n"
    "            else\n"
    "                value=${word#\"$name\"}\n"
    "                value=${value#=}\n"
    "            fi\n"
    "            value=${value#[\\\"\\']}\n"
    "            value=${value%[\\\"\\']}\n"
    "            [[ $value == \\~/* ]] && value=$HOME/${value#\\~/}\n"
    "            # Ids come from the server and configuration the line names.\n"
    "            case $name in\n"
    "            --config | --base-url | --ca-file) _aidesk_pass+=(\"$name=$value\") ;;\n"
    "            --allow-http | --insecure | --demo) _aidesk_pass+=(\"$name\") ;;\n"
    "            esac\n"
    "            continue\n"
    "        fi\n"
    "        if [[ -z $group ]]; then\n"
    "            group=$word\n"
    "            _aidesk_cmds \"$group\"\n"
    "            [[ -n $REPLY ]] || cmd=$group\n"
    "        elif [[ -z $cmd ]]; then\n"
    "            cmd=\"$group $word\"\n"
    "        else\n"
    "            ((n++))\n"
    "        fi\n"
    "    done\n"
    "    if ((!words_only)) && [[ $cur == -* ]]; then\n"
    "        if [[ $cur == --*=* ]]; then\n"
    "            name=${cur%%=*}\n"
    "            _aidesk_arg \"$cmd\" \"$name\" && _aidesk_value \"$REPLY\" \"$name=\" \"${cur#*=}\"\n"
    "        else\n"
    "            _aidesk_opts \"$cmd\"\n"
    "            _aidesk_add \"$cur\" $REPLY\n"
    "        fi\n"
    "    elif [[ -z $group ]]; then\n"
    "        _aidesk_cmds ''\n"
    "        _aidesk_add \"$cur\" $REPLY\n"
    "    elif [[ -z $cmd ]]; then\n"
    "        _aidesk_cmds \"$group\"\n"
    "        _aidesk_add \"$cur\" $REPLY\n"
    "    else\n"
    "        _aidesk_pos \"$cmd\" $((n + 1))\n"
    "        _aidesk_value \"$REPLY\" '' \"$cur\"\n"
    "    fi\n"
    "    return 0\n"
    "}\n"
    "\n"
    "complete -F _aidesk aidesk\n";

/* What a value is, as _aidesk_arg and _aidesk_pos say it. */
static void put_kind(FILE *out, const comp_value *v)
{
    switch (v->kind) {
    case COMP_TEXT: fputs("text", out); break;
    case COMP_FILE: fputs("file", out); break;
    case COMP_LIVE: fprintf(out, "live:%s", v->live->kind); break;
    case COMP_WORDS:
        fputs("'words:", out);
        for (size_t i = 0; i < v->nwords; i++)
            fprintf(out, "%s%s", i ? " " : "", v->words[i]);
        fputc('\'', out);
        break;
    }
}

static void put_cmds(FILE *out, const comp_spec *s)
{
    fputs("# _aidesk_cmds [GROUP]: the command words, or the actions of GROUP\n"
          "# (nothing for a command without actions).\n"
          "_aidesk_cmds() {\n"
          "    case $1 in\n"
          "    '') REPLY='",
          out);
    for (size_t i = 0; i < s->ngroups; i++)
        fprintf(out, "%s%s", i ? " " : "", s->groups[i]);
    fputs("' ;;\n", out);
    for (size_t g = 0; g < s->ngroups; g++) {
        bool first = true;
        for (size_t i = 0; i < s->ncmds; i++) {
            const cli_cmd *c = s->cmds[i].cmd;
            if (strcmp(c->group, s->groups[g]) || !c->action)
                continue;
            if (first)
                fprintf(out, "    %s) REPLY='%s", c->group, c->action);
            else
                fprintf(out, " %s", c->action);
            first = false;
        }
        if (!first)
            fputs("' ;;\n", out);
    }
    fputs("    *) REPLY='' ;;\n    esac\n}\n\n", out);
}

static void put_names(FILE *out, const comp_opt *o, bool lng, bool shrt)
{
    if (lng)
        fprintf(out, " --%s", o->spec->name);
    if (shrt && o->spec->short_name)
        fprintf(out, " -%c", o->spec->short_name);
}

/* The global options a command (NULL: none yet) does not shadow. */
static void put_globals(FILE *out, const comp_spec *s, const comp_cmd *c)
{
    for (size_t i = 0; i < s->global.nopts; i++) {
        const comp_opt *o = &s->global.opts[i];
        put_names(out, o, comp_global_visible(c, o->spec, true), comp_global_visible(c, o->spec, false));
    }
}

static void put_opts(FILE *out, const comp_spec *s)
{
    fputs("# _aidesk_opts CMD: the options offered after CMD ('' before any): its\n"
          "# own, then the global ones that it does not shadow.\n"
          "_aidesk_opts() {\n"
          "    case $1 in\n",
          out);
    for (size_t i = 0; i < s->ncmds; i++) {
        const comp_cmd *c = &s->cmds[i];
        fprintf(out, "    '%s') REPLY='", c->name);
        for (size_t k = 0; k < c->nopts; k++)
            put_names(out, &c->opts[k], true, true);
        put_globals(out, s, c);
        fputs("' ;;\n", out);
    }
    fputs("    *) REPLY='", out);
    put_globals(out, s, NULL);
    fputs("' ;;\n    esac\n}\n\n", out);
}

static void put_arg_case(FILE *out, const char *cmd, const comp_opt *o)
{
    fprintf(out, "    '%s%s--%s'", cmd, *cmd ? " " : "", o->spec->name);
    if (o->spec->short_name)
        fprintf(out, " | '%s%s-%c'", cmd, *cmd ? " " : "", o->spec->short_name);
    fputs(") REPLY=", out);
    if (o->spec->arg)
        put_kind(out, &o->value);
    else
        fputs("''", out);
    fputs(" ;;\n", out);
}

static void put_args(FILE *out, const comp_spec *s)
{
    fputs("# _aidesk_arg CMD OPTION: sets REPLY to what OPTION takes after CMD (its\n"
          "# own options first, as the parser does): '' nothing, text, file,\n"
          "# live:KIND or words:WORD...; returns 1 for an unknown option.\n"
          "_aidesk_arg() {\n"
          "    case \"$1 $2\" in\n",
          out);
    for (size_t i = 0; i < s->ncmds; i++)
        for (size_t k = 0; k < s->cmds[i].nopts; k++)
            put_arg_case(out, s->cmds[i].name, &s->cmds[i].opts[k]);
    fputs("    *)\n        case $2 in\n", out);
    for (size_t k = 0; k < s->global.nopts; k++) {
        fputs("    ", out);
        put_arg_case(out, "", &s->global.opts[k]);
    }
    fputs("        *) return 1 ;;\n        esac\n        ;;\n    esac\n}\n\n", out);
}

static void put_pos(FILE *out, const comp_spec *s)
{
    fputs("# _aidesk_pos CMD N: sets REPLY to what the N-th argument of CMD is.\n"
          "_aidesk_pos() {\n"
          "    case \"$1 $2\" in\n",
          out);
    for (size_t i = 0; i < s->ncmds; i++)
        for (size_t k = 0; k < s->cmds[i].nargs; k++) {
            fprintf(out, "    '%s %zu') REPLY=", s->cmds[i].name, k + 1);
            put_kind(out, &s->cmds[i].args[k]);
            fputs(" ;;\n", out);
        }
    fputs("    *) REPLY=text ;;\n    esac\n}\n\n", out);
}

static void put_live(FILE *out, const comp_spec *s)
{
    const comp_live *live[8];
    size_t n = comp_live_used(s, live, sizeof live / sizeof *live);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "    %s) sub='%s' key=%s ;;\n", live[i]->kind, live[i]->command,
                live[i]->next_key);
}

void comp_write_bash(FILE *out, const comp_spec *s)
{
    fputs(head, out);
    put_cmds(out, s);
    put_opts(out, s);
    put_args(out, s);
    put_pos(out, s);
    const char *live = strstr(body, "@LIVE@");
    fwrite(body, 1, (size_t)(live - body), out);
    put_live(out, s);
    fputs(live + strlen("@LIVE@"), out);
}
