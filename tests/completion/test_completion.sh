#!/usr/bin/env bash
# Shell completion: the scripts that "aidesk completion" writes, driven as
# bash and zsh drive them when Tab is pressed. Every command and option
# that aidesk --help lists is offered, nothing the program refuses is;
# values are the console's; ids come from the server, and without a key
# nothing happens. zsh parts run when zsh is installed.
# make check may start it with a POSIX sh; it needs bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../tui/lib.sh"

"$AIDESK_BIN" completion bash >"$T_DIR/aidesk.bash" || exit 1
"$AIDESK_BIN" completion zsh >"$T_DIR/_aidesk" || exit 1
HAVE_ZSH=0
command -v zsh >/dev/null 2>&1 && HAVE_ZSH=1

skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }

# ------------------------------------------------------------------ bash

# comp LINE: what bash completion offers at the end of LINE, one a line.
# COMP_WORDS is split as bash splits it: at blanks, and a run of = or :
# is a word of its own (COMP_WORDBREAKS).
comp() (
    . "$T_DIR/aidesk.bash"
    local line=$1 rest w
    COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=() COMPREPLY=()
    rest=$line
    while :; do
        rest=${rest#"${rest%%[! ]*}"}
        [ -z "$rest" ] && break
        if [[ $rest == [=:]* ]]; then w=${rest%%[!=:]*}; else w=${rest%%[ =:]*}; fi
        COMP_WORDS+=("$w")
        rest=${rest#"$w"}
    done
    [[ $line == *' ' ]] && COMP_WORDS+=('')
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _aidesk
    [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}"
)

# The commands "aidesk --help" lists: "chat", "ws create", ...
"$AIDESK_BIN" --help | sed -n '/^Commands:/,/^.aidesk COMMAND --help/p' | sed '1d;$d' \
    | cut -c3-15 | sed 's/ *$//' >"$T_DIR/commands"
help_commands() { cat "$T_DIR/commands"; }

# help_options [CMD...]: the options the help of CMD (or the full help)
# documents, one spelling a line.
help_options() {
    local f="$T_DIR/help-$*"
    [ -f "$f" ] || "$AIDESK_BIN" "$@" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' \
        | tr ',' '\n' | tr -d ' ' | grep . >"$f"
    cat "$f"
}

# accepted OPTION [CMD...]: whether aidesk knows OPTION (after CMD).
accepted() {
    local opt=$1
    shift
    ! "$AIDESK_BIN" "$@" --help "$opt" 2>&1 | grep -q "unknown option"
}

# missing EXPECTED OFFERED: the lines of EXPECTED not in OFFERED.
missing() { comm -23 <(sort -u <<<"$1") <(sort -u <<<"$2"); }

same() {
    [ "$1" = "$2" ] && return 0
    echo "# expected: $(tr '\n' ' ' <<<"$2")"
    echo "# offered:  $(tr '\n' ' ' <<<"$1")"
    return 1
}

words() { tr ' ' '\n' <<<"$*"; }

scripts_parse() {
    bash -n "$T_DIR/aidesk.bash" || return 1
    if [ "$HAVE_ZSH" = 1 ]; then zsh -n "$T_DIR/_aidesk" || return 1; fi
    # Nothing else is needed to use them: no configuration, no key command.
    printf '[aiassist]\napi_key_cmd = touch %s/ran\n' "$T_DIR" >"$T_DIR/bad-config"
    chmod 600 "$T_DIR/bad-config"
    "$AIDESK_BIN" --config "$T_DIR/bad-config" completion bash | cmp -s - "$T_DIR/aidesk.bash" || return 1
    [ ! -e "$T_DIR/ran" ] || { echo "# a key command ran"; return 1; }
    # An unknown shell is a usage error.
    "$AIDESK_BIN" completion fish >/dev/null 2>"$T_DIR/err"
    [ $? -eq 2 ] && grep -q "bash or zsh" "$T_DIR/err"
}

bash_commands() {
    local cmds offered want bad=0 group
    cmds=$(help_commands)
    [ "$(wc -l <<<"$cmds")" -ge 20 ] || { echo "# too few commands in --help: $cmds"; return 1; }
    offered=$(comp "aidesk ")
    want=$(cut -d' ' -f1 <<<"$cmds")
    same "$offered" "$(awk '!seen[$0]++' <<<"$want")" || bad=1
    for group in $(awk 'NF == 2 {print $1}' <<<"$cmds" | sort -u); do
        want=$(awk -v g="$group" '$1 == g {print $2}' <<<"$cmds")
        same "$(comp "aidesk $group ")" "$want" || bad=1
        # A prefix narrows the list.
        same "$(comp "aidesk ${group:0:1}")" "$group" || bad=1
    done
    return $bad
}

# Every option a command's help or the full help documents is offered
# after the command; every option offered is one the program accepts.
bash_options() {
    local cmd globals offered want miss opt bad=0
    globals=$(help_options)
    same "$(comp "aidesk -" | sort)" "$(sort <<<"$globals")" || bad=1
    for opt in $globals; do
        accepted "$opt" || { echo "# aidesk refuses $opt"; bad=1; }
    done
    # A refused option is seen as one.
    ! accepted --no-such-option || { echo "# the probe cannot fail"; bad=1; }
    while read -r cmd; do
        # shellcheck disable=SC2086
        want=$(help_options $cmd; echo "$globals")
        offered=$(comp "aidesk $cmd -")
        miss=$(missing "$want" "$offered")
        if [ -n "$miss" ]; then
            echo "# '$cmd': not offered: $(tr '\n' ' ' <<<"$miss")"
            bad=1
        fi
        # The options offered besides the global ones are the command's.
        for opt in $(missing "$offered" "$globals"); do
            # shellcheck disable=SC2086
            accepted "$opt" $cmd || { echo "# '$cmd': offered $opt, which aidesk refuses"; bad=1; }
        done
        # Options come before and after the command, and after arguments.
        # shellcheck disable=SC2086
        [ "$(comp "aidesk --json $cmd x -")" = "$offered" ] || { echo "# '$cmd': differs after an argument"; bad=1; }
    done < <(help_commands)
    return $bad
}

bash_values() {
    local modes='ai shadow takeover' voices='alloy echo fable onyx nova shimmer' bad=0
    same "$(comp "aidesk ws create --mode ")" "$(words $modes)" || bad=1
    same "$(comp "aidesk ws list --mode=s")" "shadow" || bad=1
    same "$(comp "aidesk ws list --status=")" "$(words active ended)" || bad=1
    same "$(comp "aidesk ws mode ws_1 ")" "$(words $modes)" || bad=1
    same "$(comp "aidesk ws mode ws_1 ai ")" "" || bad=1
    same "$(comp "aidesk gate session --voice ")" "$(words $voices)" || bad=1
    same "$(comp "aidesk gate session --voice=n")" "nova" || bad=1
    # --model after "gate session" is the realtime model, as in the console.
    comp "aidesk gate session --model " | grep -q '^gpt-4o-realtime-preview-2024-10-01$' || bad=1
    same "$(comp "aidesk completion ")" "$(words bash zsh)" || bad=1
    same "$(comp "aidesk completion z")" "zsh" || bad=1
    # Free text: nothing to offer.
    same "$(comp "aidesk chat --system ")" "" || bad=1
    same "$(comp "aidesk chat -- -")" "" || bad=1
    # Files where the value is a file.
    : >"$T_DIR/conf-file.ini"
    same "$(comp "aidesk --config $T_DIR/conf-f")" "$T_DIR/conf-file.ini" || bad=1
    return $bad
}

# --------------------------------------------------------------- live ids

# sim METHOD PATH KEY BODY FIELD: a call to the simulator; prints FIELD of
# its answer ("workspace.id"; "data[].id" for each element), one a line.
sim() {
    "$PYTHON3" - "$1" "$(SIM_URL)$2" "$3" "$4" "$5" <<'PY'
import json, sys, urllib.request
method, url, key, body, field = sys.argv[1:6]
req = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                             headers={"X-API-Key": key, "Authorization": "Bearer " + key,
                                      "Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    values = [json.load(r)]
for part in field.split("."):
    each = part.endswith("[]")
    values = [v[part[:-2] if each else part] for v in values]
    if each:
        values = [x for v in values for x in v]
print("\n".join(values))
PY
}

live_setup() {
    sim_start --speed 0 || return 1
    local body='{"client_id":"cust_c%s","initial_message":"hello","metadata":{"mode":"shadow"}}'
    # shellcheck disable=SC2059
    WS1=$(sim POST /api/workspaces aai_demo_user "$(printf "$body" 1)" workspace.id) || return 1
    # shellcheck disable=SC2059
    WS2=$(sim POST /api/workspaces aai_demo_user "$(printf "$body" 2)" workspace.id) || return 1
    MODELS=$(sim GET /v1/models aai_demo_user "" "data[].id") || return 1
    [ -n "$WS1" ] && [ -n "$WS2" ] && [ -n "$MODELS" ]
}

# ids KIND: what the server has, sorted.
ids() {
    case $1 in
    models) sort <<<"$MODELS" ;;
    workspaces) printf '%s\n' "$WS1" "$WS2" | sort ;;
    drafts) sim GET /api/manager/drafts aai_demo_agent "" "drafts[].id" | sort ;;
    esac
}

bash_live() {
    local bad=0 colon
    export AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL
    AIASSIST_BASE_URL=$(SIM_URL)
    [ "$(ids drafts | wc -l)" -ge 1 ] || { echo "# the simulator made no drafts"; return 1; }
    same "$(comp "$AIDESK_BIN chat -m " | sort)" "$(ids models)" || bad=1
    same "$(comp "$AIDESK_BIN compare --model=" | sort)" "$(ids models)" || bad=1
    same "$(comp "$AIDESK_BIN ws get " | sort)" "$(ids workspaces)" || bad=1
    same "$(comp "$AIDESK_BIN ws watch --workspace $WS2")" "$WS2" || bad=1
    same "$(comp "$AIDESK_BIN ws approve " | sort)" "$(ids drafts)" || bad=1
    # A model id with a colon: readline replaces only what follows it.
    colon=$(grep -m1 : <<<"$MODELS")
    if [ -n "$colon" ]; then
        same "$(comp "$AIDESK_BIN chat -m ${colon%%:*}:")" "${colon#*:}" || bad=1
    fi
    # The server named on the line is the one asked.
    same "$(AIASSIST_BASE_URL=http://127.0.0.1:1 comp "$AIDESK_BIN --base-url $(SIM_URL) ws get " | sort)" \
        "$(ids workspaces)" || bad=1
    unset AIASSIST_API_KEY AIASSIST_BASE_URL
    return $bad
}

# Without a key (or with no server) completion offers nothing, and says
# nothing on the terminal.
bash_live_quiet() {
    local out
    unset AIASSIST_API_KEY
    out=$(AIASSIST_BASE_URL=$(SIM_URL) comp "$AIDESK_BIN chat -m " 2>&1)
    same "$out" "" || return 1
    out=$(AIASSIST_API_KEY=aai_demo_agent comp "$AIDESK_BIN --base-url http://127.0.0.1:1 ws get " 2>&1)
    same "$out" ""
}

# ------------------------------------------------------------------- zsh

# zsh_run LINE...: completes each LINE in an interactive zsh (in a pty),
# recording what compadd is given, into $T_DIR/zsh.out as "== LINE" then
# one match a line.
zsh_run() {
    mkdir -p "$T_DIR/zfunc"
    cp "$T_DIR/_aidesk" "$T_DIR/zfunc/_aidesk"
    cat >"$T_DIR/zdrive.zsh" <<'EOF'
zmodload zsh/zpty || exit 2
dir=$1; shift
zpty z zsh -f -i
zpty -w z 'PS1="" PS2="" RPS1=""; unsetopt zle_bracketed_paste 2>/dev/null'
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)dir}/.zcompdump"
# Every match offered is printed with a mark; compadd calls that only
# collect or filter (-O, -A, -D) are left alone.
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-[OAD]* ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"
  local h; for h in $hits; do print -r -- "<<match>>$h"; done
  builtin compadd "$@"
}'
zpty -w z 'zstyle ":completion:*" menu no; bindkey "^I" complete-word; print "<<rea""dy>>"'
zpty -r z out '*<<ready>>*' || exit 3
for line in "$@"; do
  zpty -w -n z "$line"$'\t'
  zpty -w z $'\C-u''print "<<do""ne>>"'
  out=
  zpty -r z out '*<<done>>*' || exit 4
  print -r -- "== $line"
  print -rl -- ${${(M)${(f)out}:#*<<match>>*}#*<<match>>} | tr -d '\r' | sort -u
done
zpty -d z
EOF
    timeout 120 zsh -f "$T_DIR/zdrive.zsh" "$T_DIR/zfunc" "$@" >"$T_DIR/zsh.out" 2>&1
}

# zsh_got LINE: what zsh offered for LINE in the last zsh_run.
zsh_got() {
    awk -v l="== $1" '$0 == l {on = 1; next} /^== / {on = 0} on' "$T_DIR/zsh.out"
}

zsh_all() {
    local cmd lines=("aidesk " "aidesk -") group bad=0 want miss
    while read -r cmd; do lines+=("aidesk $cmd -"); done < <(help_commands)
    for group in $(help_commands | awk 'NF == 2 {print $1}' | sort -u); do lines+=("aidesk $group "); done
    lines+=("aidesk ws create --mode " "aidesk gate session --voice " "aidesk gate session --model "
        "aidesk ws mode ws_1 " "aidesk completion " "aidesk ws list --status ")
    zsh_run "${lines[@]}" || { echo "# zsh failed:"; sed 's/^/# /' "$T_DIR/zsh.out" | tail -20; return 1; }
    same "$(zsh_got "aidesk ")" "$(help_commands | cut -d' ' -f1 | sort -u)" || bad=1
    for group in $(help_commands | awk 'NF == 2 {print $1}' | sort -u); do
        same "$(zsh_got "aidesk $group ")" "$(help_commands | awk -v g="$group" '$1 == g {print $2}' | sort)" || bad=1
    done
    same "$(zsh_got "aidesk -")" "$(help_options | sort -u)" || bad=1
    while read -r cmd; do
        # shellcheck disable=SC2086
        want=$(help_options $cmd; help_options)
        miss=$(missing "$want" "$(zsh_got "aidesk $cmd -")")
        if [ -n "$miss" ]; then
            echo "# zsh, '$cmd': not offered: $(tr '\n' ' ' <<<"$miss")"
            bad=1
        fi
        # And nothing that bash would not offer.
        same "$(zsh_got "aidesk $cmd -")" "$(comp "aidesk $cmd -" | sort)" || bad=1
    done < <(help_commands)
    same "$(zsh_got "aidesk ws create --mode ")" "$(words ai shadow takeover | sort)" || bad=1
    same "$(zsh_got "aidesk ws mode ws_1 ")" "$(words ai shadow takeover | sort)" || bad=1
    same "$(zsh_got "aidesk ws list --status ")" "$(words active ended)" || bad=1
    same "$(zsh_got "aidesk gate session --voice ")" "$(words alloy echo fable onyx nova shimmer | sort)" || bad=1
    zsh_got "aidesk gate session --model " | grep -q '^gpt-4o-realtime-preview-2024-10-01$' || bad=1
    same "$(zsh_got "aidesk completion ")" "$(words bash zsh)" || bad=1
    return $bad
}

zsh_live() {
    local bad=0
    export AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL
    AIASSIST_BASE_URL=$(SIM_URL)
    zsh_run "$AIDESK_BIN chat -m " "$AIDESK_BIN ws get " "$AIDESK_BIN ws approve " \
        "$AIDESK_BIN --base-url http://127.0.0.1:1 ws get " || return 1
    same "$(zsh_got "$AIDESK_BIN chat -m ")" "$(ids models)" || bad=1
    same "$(zsh_got "$AIDESK_BIN ws get ")" "$(ids workspaces)" || bad=1
    same "$(zsh_got "$AIDESK_BIN ws approve ")" "$(ids drafts)" || bad=1
    same "$(zsh_got "$AIDESK_BIN --base-url http://127.0.0.1:1 ws get ")" "" || bad=1
    unset AIASSIST_API_KEY AIASSIST_BASE_URL
    return $bad
}

check "aidesk completion writes bash and zsh scripts that parse, with no configuration" scripts_parse
check "bash offers every command and action aidesk --help lists" bash_commands
check "bash offers every option of every command, and only options aidesk accepts" bash_options
check "bash offers the console's modes and voices, the realtime models, statuses, shells, files" bash_values
if live_setup; then
    check "bash offers the models, workspace ids and draft ids the server has" bash_live
    check "bash offers nothing, silently, without a key or a server" bash_live_quiet
else
    check "the simulator starts" false
fi
if [ "$HAVE_ZSH" = 1 ]; then
    check "zsh offers every command, action and option, with the same values" zsh_all
    check "zsh offers the models, workspace ids and draft ids the server has" zsh_live
else
    skip "zsh offers every command, action and option, with the same values" "zsh is not installed"
    skip "zsh offers the models, workspace ids and draft ids the server has" "zsh is not installed"
fi
finish
