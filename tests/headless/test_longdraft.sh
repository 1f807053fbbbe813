#!/usr/bin/env bash
# Headless: a draft longer than the screen, read before it is decided.
. "$(dirname "$0")/lib.sh"

setup() {
    sim_start --speed 0 || return 1
    api POST /api/workspaces '{"client_id":"cust_long","metadata":{"mode":"shadow"},"max_tokens":900,"initial_message":"Explain in great detail how to set up the router, step by step, with every option"}' >/dev/null
}

reads_a_long_draft() {
    setup || return 1
    run_console longdraft.keys "$1" || return 1
    screens_match longdraft "$1" read
}

for size in 80x24 200x50; do
    check "a long draft is read whole or says what does not fit at $size" reads_a_long_draft "$size"
    sim_stop
done
finish
