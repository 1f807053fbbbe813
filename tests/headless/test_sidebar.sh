#!/usr/bin/env bash
# Headless: the sidebar lists workspaces and chats, moves and filters.
. "$(dirname "$0")/lib.sh"

setup() {
    sim_start --speed 0 || return 1
    local c m ws
    for c in alpha:ai bravo:shadow charlie:takeover; do
        m=${c#*:}
        ws=$(api POST /api/workspaces "{\"client_id\":\"cust_${c%%:*}\",\"metadata\":{\"mode\":\"$m\"}}" |
            json_get 'd["workspace"]["id"]') || return 1
        # The AI answers in ai mode, drafts in shadow, waits in takeover.
        api POST "/api/workspaces/$ws/messages" '{"content":"Where is my order?"}' >/dev/null || return 1
        sleep 1.1 # distinct activity times: the sidebar lists the newest first
    done
}

lists_moves_and_filters() {
    setup || return 1
    run_console sidebar.keys "$1" || return 1
    screens_match sidebar "$1" list next wrapped filtered with-chat
}

for size in 80x24 200x50; do
    check "the sidebar lists, moves and filters at $size" lists_moves_and_filters "$size"
    sim_stop
done
finish
