#!/usr/bin/env bash
# End to end: deciding drafts in a support team's day. A draft is read
# whole in its conversation before it is decided; an approval or a reply
# as a human counts down on screen and F8 takes it back (nothing reaches
# the service); a stale draft is marked and approving it asks first; a
# rejection stays in the conversation with its reason and what to do next.
. "$(dirname "$0")/lib.sh"

sim_start --speed 20 || exit 1

AGENT=aai_demo_agent
py() { "$PYTHON3" -c "$1"; }

mk_ws() { # CLIENT_ID MODE -> its id
    api POST /api/workspaces "{\"client_id\":\"$1\",\"metadata\":{\"mode\":\"$2\"}}" |
        py 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])'
}
customer_says() { # WS_ID TEXT
    api POST "/api/workspaces/$1/messages" "{\"content\":\"$2\"}" >/dev/null
}
drafts_of() { # WS_ID -> its pending drafts' ids
    api GET "/api/manager/drafts?workspace_id=$1" "" "$AGENT" |
        py 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["drafts"]))'
}
count_role() { # WS_ID ROLE... -> how many of its messages have one of these roles
    api GET "/api/workspaces/$1/messages" |
        py "import json,sys; print(sum(m['role'] in '$2'.split() for m in json.load(sys.stdin)['messages']))"
}
# The seconds the undo countdown shows now.
countdown() { screen | sed -n 's/.* in \([0-9]*\) s: F8 undo.*/\1/p' | head -1; }
# Back to the input line with the queue closed.
to_line() { keys Escape; wait_gone "a approve  e edit" 5; }
# Chooses in the queue the row of CLIENT_ID.
choose() {
    keys F2
    wait_for "a approve  e edit" 5 || return 1
    local i
    for i in $(seq 1 10); do
        screen | grep -q "AI draft · awaiting your approval" &&
            screen | grep -q "^ *│ *$1 .*SHADOW\\|$1 SHADOW  ws_" && return 0
        keys Down
        sleep 0.2
    done
    echo "# could not choose $1"
    screen | sed 's/^/# | /'
    return 1
}

console_start 120 40
wait_for "AiAssist connected" 20 || { finish; exit 1; }

read_the_draft_then_approve() {
    local ws
    ws=$(mk_ws cust_r1 shadow)
    customer_says "$ws" "Where is parcel R1 now?"
    wait_for "[0-9]\\. cust_r1 " 10 || return 1
    choose cust_r1 || return 1
    # The draft whole, in its conversation, under the customer's message.
    wait_for "cust_r1 SHADOW  ws_" 5 || return 1
    local s
    s=$(screen)
    local q d
    q=$(printf '%s\n' "$s" | grep -n "Where is parcel R1 now" | head -1 | cut -d: -f1)
    d=$(printf '%s\n' "$s" | grep -n "AI draft · awaiting your approval" | head -1 | cut -d: -f1)
    [ -n "$q" ] && [ -n "$d" ] && [ "$q" -lt "$d" ] || { echo "# question at '$q', draft at '$d'"; return 1; }
    keys a
    wait_for "approving the draft for cust_r1 in [0-9] s: F8 undo" 3 || return 1
    local first now i
    first=$(countdown)
    for i in $(seq 1 40); do
        now=$(countdown)
        [ -n "$now" ] && [ "$now" -lt "$first" ] && break
        sleep 0.1
    done
    [ -n "$now" ] && [ "$now" -lt "$first" ] || { echo "# the countdown stayed at $first"; return 1; }
    wait_for "draft approved" 10 || return 1
    to_line
    [ -z "$(drafts_of "$ws")" ] && [ "$(count_role "$ws" "ai assistant")" = 1 ]
}

undo_takes_back_an_approval_and_a_reply() {
    local ws tw
    ws=$(mk_ws cust_u1 shadow)
    customer_says "$ws" "Question U1"
    wait_for "[0-9]\\. cust_u1 " 10 || return 1
    choose cust_u1 || return 1
    keys a
    wait_for "approving the draft for cust_u1 in [0-9] s: F8 undo" 3 || return 1
    keys F8
    wait_for "approval taken back: nothing was sent" 3 || return 1
    wait_gone "F8 undo" 3 || return 1
    to_line
    # A reply as a human agent, taken back too.
    tw=$(mk_ws cust_u2 takeover)
    customer_says "$tw" "Hello U2"
    wait_for "^ cust_u2" 10 || return 1
    type_text "/go cust_u2"; enter
    wait_for "cust_u2 TAKEOVER  ws_" 5 || return 1
    type_text "Never send this U2"; enter
    wait_for "your reply to cust_u2 goes in [0-9] s: F8 undo" 3 || return 1
    keys F8
    wait_for "reply taken back: nothing was sent" 3 || return 1
    wait_for "agent> Never send this U2" 3 || return 1
    keys C-c
    sleep 6 # past the undo window: nothing went out meanwhile
    [ -n "$(drafts_of "$ws")" ] || { echo "# the draft was decided"; return 1; }
    [ "$(count_role "$ws" "ai assistant")" = 0 ] || { echo "# an AI message reached cust_u1"; return 1; }
    [ "$(count_role "$tw" "human")" = 0 ] || { echo "# the reply reached cust_u2"; return 1; }
}

a_stale_draft_is_marked_and_approving_asks_first() {
    local ws
    ws=$(mk_ws cust_s1 shadow)
    customer_says "$ws" "Question S1"
    wait_for "[0-9]\\. cust_s1 " 10 || return 1
    sleep 1.1
    # Another agent answers after the draft was written.
    api POST "/api/manager/workspaces/$ws/reply" '{"content":"A human answer S1"}' "$AGENT" >/dev/null
    wait_for "cust_s1 .*⚠stale" 10 || return 1
    choose cust_s1 || return 1
    wait_for "⚠ stale: this draft was written before" 5 || return 1
    keys a
    wait_for "> /approve! drf_" 3 || return 1
    wait_for "Enter approves it anyway" 3 || return 1
    [ "$(count_role "$ws" "ai assistant")" = 0 ] || { echo "# sent without asking"; return 1; }
    enter
    wait_for "approving the draft for cust_s1 in [0-9] s: F8 undo" 3 || return 1
    wait_for "draft approved" 10 || return 1
    [ "$(count_role "$ws" "ai assistant")" = 1 ]
}

a_rejection_shows_with_its_reason_and_the_choices() {
    local ws
    ws=$(mk_ws cust_j1 shadow)
    customer_says "$ws" "Question J1"
    wait_for "[0-9]\\. cust_j1 " 10 || return 1
    choose cust_j1 || return 1
    keys r
    wait_for "type the reason" 5 || return 1
    type_text "too vague"; enter
    wait_for "draft rejected" 5 || return 1
    wait_for "The AI's draft was rejected.*too vague" 5 || return 1
    wait_for "→ next: write a reply as the agent · /takeover · /again" 5 || return 1
    type_text "/again be specific"; enter
    wait_for "a new draft for cust_j1 waits for approval" 10 || return 1
    wait_for "[0-9]\\. cust_j1 " 10
}

approve_without_an_id_means_the_draft_on_screen() {
    local wa wb
    wa=$(mk_ws cust_p1 shadow)
    customer_says "$wa" "Question P1"
    wb=$(mk_ws cust_p2 shadow)
    customer_says "$wb" "Question P2"
    wait_for "[0-9]\\. cust_p2 " 10 || return 1
    choose cust_p1 || return 1
    to_line
    # The queue still has cust_p1 chosen; the screen shows cust_p2's draft.
    type_text "/go cust_p2"; enter
    wait_for "cust_p2 SHADOW  ws_" 5 || return 1
    wait_for "AI draft · awaiting your approval" 5 || return 1
    type_text "/approve"; enter
    wait_for "approving the draft for cust_p2 in [0-9] s: F8 undo" 3 || return 1
    wait_for "draft approved" 10 || return 1
    [ -z "$(drafts_of "$wb")" ] || { echo "# cust_p2's draft still waits"; return 1; }
    [ -n "$(drafts_of "$wa")" ] || { echo "# cust_p1's draft was decided"; return 1; }
}

check "a draft is read whole in its conversation, then approved after a visible countdown" read_the_draft_then_approve
check "F8 takes back an approval and a reply as a human: nothing reaches the service" undo_takes_back_an_approval_and_a_reply
check "a stale draft is marked, and approving it asks first" a_stale_draft_is_marked_and_approving_asks_first
check "a rejection shows in the conversation with its reason and the choices" a_rejection_shows_with_its_reason_and_the_choices
check "/approve without an id approves the draft the conversation shows" approve_without_an_id_means_the_draft_on_screen
console_stop
finish
