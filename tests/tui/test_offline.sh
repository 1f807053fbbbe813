#!/usr/bin/env bash
# End to end: a message typed while the server is down is kept, and sent
# once when it is back.
. "$(dirname "$0")/lib.sh"

sim_start --speed 4 || exit 1
console_start 120 40
wait_for "AiAssist connected" 20 || { finish; exit 1; }

keeps_and_later_sends_a_message_typed_offline() {
    type_text "/new cust_offline"; enter
    wait_for "cust_offline.*AI" 10 || return 1
    sim_stop
    type_text "Are you still there?"; enter
    wait_for "not sent" 30 || return 1
    wait_for "Are you still there\\?" 2 || return 1
    sim_start --speed 4 || return 1
    wait_for "AI [0-9:]+ · sent directly" 40 || return 1
    wait_gone "not sent" 10 || return 1
    local ws
    ws=$(api GET /api/workspaces/by-client/cust_offline | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
    [ "$(api GET "/api/workspaces/$ws/messages" | grep -o 'Are you still there' | wc -l)" -eq 1 ]
}

check "keeps a message typed while the server is down and sends it once" keeps_and_later_sends_a_message_typed_offline
finish
