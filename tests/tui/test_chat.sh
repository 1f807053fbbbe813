#!/usr/bin/env bash
# End to end: a plain chat: cancel a stream with Esc, resize mid-stream.
. "$(dirname "$0")/lib.sh"

sim_start --speed 1 || exit 1
console_start 120 40
wait_for "AiAssist connected" 20 || { finish; exit 1; }

esc_cancels_a_stream_and_keeps_the_partial_reply() {
    type_text "/chat pin:operator-alias/llama3"; enter
    wait_for "model pin:operator-alias/llama3" 5 || return 1
    type_text "Write me something long"; enter
    wait_for "▌" 15 || return 1
    sleep 1
    keys Escape
    wait_for "cancelled" 10 || return 1
    wait_gone "▌" 5 || return 1
    # The status line's "stopping the reply..." goes with the state it told of.
    wait_gone "stopping the reply" 5 || return 1
    # The session goes on.
    type_text "/model llama-3.1-8b-instant"; enter
    type_text "And now?"; enter
    wait_for "you [0-9]{2}:[0-9]{2}.*" 5
}

resize_mid_stream_keeps_the_layout() {
    type_text "/chat pin:operator-alias/llama3"; enter
    type_text "Another long one please"; enter
    wait_for "▌" 15 || return 1
    tmux -L "$T_SOCK" resize-window -t t -x 80 -y 24
    sleep 1
    local s
    s=$(screen)
    # 24 lines, the status bar above the input line, nothing wider than 80.
    [ "$(printf '%s\n' "$s" | wc -l)" -le 24 ] || return 1
    printf '%s\n' "$s" | sed -n '23p' | grep -q "AiAssist" || { printf '%s\n' "$s" | sed 's/^/# | /'; return 1; }
    printf '%s\n' "$s" | sed -n '24p' | grep -q "you>" || return 1
    # It keeps streaming at the new size.
    wait_for "▌" 5 || return 1
    keys Escape
    wait_for "cancelled" 10
}

check "Esc cancels a stream and keeps the partial reply" esc_cancels_a_stream_and_keeps_the_partial_reply
check "resizing from 120x40 to 80x24 mid-stream keeps the layout" resize_mid_stream_keeps_the_layout
finish
