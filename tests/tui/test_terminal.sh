#!/usr/bin/env bash
# End to end: the terminal is handed back on suspend and on a crash, and
# the console comes back cleanly after a suspend.
. "$(dirname "$0")/lib.sh"

sim_start --speed 2 || exit 1
# Under a job-control shell, as a person runs it: Ctrl-Z needs someone to
# come back to (the kernel ignores it in a process group nobody owns).
tmux -L "$T_SOCK" -f /dev/null new-session -d -s t -x 100 -y 30 \
    "env -i PATH=\"$PATH\" HOME=\"$HOME\" TERM=xterm-256color PS1='shell$ ' bash --norc --noprofile -i"
tmux -L "$T_SOCK" set-option -t t status off >/dev/null
wait_for 'shell\$' 10 || { finish; exit 1; }
type_text "export LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL='$(SIM_URL)'"
enter
type_text "'$AIDESK_BIN' --debug '$T_DIR/debug.log'"
enter
wait_for "AiAssist connected" 20 || { finish; exit 1; }

aidesk_pid() { pgrep -f -- "--debug $T_DIR/debug.log" | head -1; }

ctrl_z_suspends_and_resumes_cleanly() {
    keys C-z
    # The shell has the terminal back, in its normal screen.
    wait_for "Stopped" 5 || return 1
    wait_gone "AiAssist connected" 5 || return 1
    type_text "fg"; enter
    wait_for "AiAssist connected" 5 || return 1
    # And it still takes input.
    type_text "/help"; enter
    wait_for "aidesk help" 5 || return 1
    keys Escape
    wait_gone "aidesk help" 5
}

keeps_the_input_line_across_the_help_overlay() {
    type_text "half a thought"
    keys F1
    wait_for "aidesk help" 5 || return 1
    keys Escape
    wait_for "> half a thought" 5
}

a_crash_restores_the_terminal() {
    local pid
    pid=$(aidesk_pid)
    [ -n "$pid" ] || return 1
    kill -SEGV "$pid"
    # The shell gets a sane terminal back: the normal screen, echo on.
    wait_for "Segmentation fault" 5 || return 1
    [ "$(tmux -L "$T_SOCK" display -p -t t '#{alternate_on}')" = 0 ] || { echo "# still in the alternate screen"; return 1; }
    ! screen | grep -q "AiAssist connected" || return 1
    type_text "echo typed-after-crash"; enter
    wait_for "^typed-after-crash" 5
}

check "Ctrl-Z suspends and resumes cleanly" ctrl_z_suspends_and_resumes_cleanly
check "keeps the input line across the help overlay" keeps_the_input_line_across_the_help_overlay
check "a crash restores the terminal" a_crash_restores_the_terminal
finish
