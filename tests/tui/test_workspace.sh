#!/usr/bin/env bash
# End to end: workspaces in the console, driven through tmux.
. "$(dirname "$0")/lib.sh"

sim_start --speed 2 || exit 1
console_start 120 40
wait_for "AiAssist connected" 20 || { finish; exit 1; }

creates_a_workspace_and_streams_the_reply() {
    type_text "/new cust_e2e"; enter
    wait_for "cust_e2e.*AI" 10 || return 1
    type_text "Please tell me about lists"; enter
    wait_for "customer [0-9]{2}:[0-9]{2}" 10 || return 1
    # The reply grows in place with a cursor, then settles.
    wait_for "▌" 10 || return 1
    wait_for "AI [0-9]{2}:[0-9]{2} · sent directly" 20 || return 1
    wait_gone "▌" 30
}

shows_what_the_customer_is_typing() {
    local ws
    ws=$(api GET /api/workspaces/by-client/cust_e2e | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
    api POST "/api/workspaces/$ws/typing" '{"text":"I need help with my ord"}' >/dev/null
    wait_for "customer is typing: I need help with my ord" 10
}

approves_a_shadow_draft_that_reaches_the_customer() {
    type_text "/new cust_shadow shadow"; enter
    wait_for "cust_shadow.*SHADOW" 10 || return 1
    type_text "I want a refund"; enter
    wait_for "waits for a manager" 15 || return 1
    wait_for "Drafts waiting for approval: 1" 15 || return 1
    keys F2
    wait_for "a approve" 5 || return 1
    keys a
    wait_for "approved" 15 || return 1
    wait_for "Drafts waiting for approval: 0|AI [0-9:]+ · approved" 10 || return 1
    local ws
    ws=$(api GET /api/workspaces/by-client/cust_shadow | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
    api GET "/api/workspaces/$ws/messages" | grep -q '"approval": *"approved"'
}

takes_over_and_answers_as_a_human() {
    keys Escape
    sleep 0.2
    type_text "/new cust_human"; enter
    wait_for "cust_human.*AI" 10 || return 1
    type_text "/takeover"; enter
    wait_for "cust_human.*TAKEOVER" 10 || return 1
    wait_for "you speak as the agent" 5 || return 1
    type_text "Hello, a human here"; enter
    wait_for "agent [0-9]{2}:[0-9]{2}" 10 || return 1
    local ws
    ws=$(api GET /api/workspaces/by-client/cust_human | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
    # It goes out when the undo window ([ui] undo, 5 s) has passed.
    local i
    for i in $(seq 1 60); do
        api GET "/api/workspaces/$ws/messages" | grep -q '"role": *"human"' && return 0
        sleep 0.2
    done
    echo "# the human reply never reached the workspace"
    return 1
}

hands_back_to_the_ai() {
    type_text "/handback"; enter
    wait_for "cust_human.*[^E]AI |now in ai mode" 10
}

shows_escape_sequences_as_placeholders() {
    api POST /_sim/faults '{"spec":"escapes;path=/v1/chat/completions;times=1"}' >/dev/null
    type_text "/chat gpt-4o-mini"; enter
    wait_for "CHAT" 5 || return 1
    type_text "hi"; enter
    wait_for "␛" 20 || return 1
    # The screen was not cleared or retitled: our own lines are still there.
    wait_for "AiAssist connected" 2
}

# ws_json CLIENT_ID PYTHON_EXPR: waits (10 s) until the expression holds
# of the workspace of CLIENT_ID (w: the workspace, m: its messages, t: the
# simulator's tokenizer).
ws_json() {
    local i
    for i in $(seq 1 50); do
        api GET "/api/workspaces/by-client/$1" |
            PYTHONPATH="$(dirname "$AIDESK_SIM")" "$PYTHON3" -c '
import json, sys
from aidesksim.tokenizer import tokenize as t
d = json.load(sys.stdin)
w, m = d.get("workspace") or {}, d.get("messages") or []
sys.exit(0 if ('"$2"') else 1)' 2>/dev/null && return 0
        sleep 0.2
    done
    echo "# not so: $2"
    return 1
}

# /new sends --model and --max-tokens at the top level, as the SDK does,
# and key=value items as JSON when they read as JSON.
creates_a_workspace_with_a_model_max_tokens_and_json_context() {
    keys Escape
    sleep 0.2
    type_text '/new cust_json --model llama-3.1-sonar-large-128k-online visits=3 "recent_orders=[\"ORD-55555\"]" -m "Where is my order?"'
    enter
    wait_for "cust_json" 10 || return 1
    ws_json cust_json 'w["context"] == {"visits": 3, "recent_orders": ["ORD-55555"]} and len(m) == 2 and "Sources:" in m[1]["content"] and "ORD-55555" in m[1]["content"]' || return 1
    type_text '/new cust_short --max-tokens 5 -m "Hello there"'; enter
    wait_for "cust_short" 10 || return 1
    ws_json cust_short 'len(m) == 2 and len(t(m[1]["content"])) == 5' || return 1
    type_text '/new cust_bad orders=[ORD-1]'; enter
    wait_for "not valid JSON" 5
}

check "creates a workspace and streams the reply" creates_a_workspace_and_streams_the_reply
check "shows what the customer is typing, live" shows_what_the_customer_is_typing
check "approves a shadow draft that reaches the customer" approves_a_shadow_draft_that_reaches_the_customer
check "takes over and answers as a human" takes_over_and_answers_as_a_human
check "hands the workspace back to the AI" hands_back_to_the_ai
check "creates a workspace with a model, max tokens and JSON context" creates_a_workspace_with_a_model_max_tokens_and_json_context
check "shows escape sequences from the network as placeholders" shows_escape_sequences_as_placeholders
finish
