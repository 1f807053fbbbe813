#!/usr/bin/env bash
# Headless: the conversation pane lays out, scrolls and follows.
. "$(dirname "$0")/lib.sh"

export H_API="$H_SRC/api.sh"

setup() {
    sim_start --speed 0 || return 1
    WS_CONV=$(api POST /api/workspaces '{"client_id":"cust_conv","metadata":{"mode":"ai"}}' |
        json_get 'd["workspace"]["id"]') || return 1
    export WS_CONV
    # A history longer than the screen, the AI answering each question.
    local q
    for q in "Where is my order?" "How long does shipping take?" "Do you ship abroad?" "Can I pay by card?"; do
        api POST "/api/workspaces/$WS_CONV/messages" "{\"content\":\"$q\"}" >/dev/null || return 1
    done
}

lays_out_scrolls_and_follows() {
    setup || return 1
    run_console conversation.keys "$1" || return 1
    screens_match conversation "$1" chat chat-top new-below typing resized
}

for size in 80x24 200x50; do
    check "the conversation lays out, scrolls and follows at $size" lays_out_scrolls_and_follows "$size"
    sim_stop
done
finish
