#!/usr/bin/env bash
# End to end: the drafts queue acts on the draft a row showed, whatever the
# list does under the cursor (another manager decides a draft, a workspace
# ends) between a key and Enter.
. "$(dirname "$0")/lib.sh"

sim_start --speed 20 || exit 1

AGENT=aai_demo_agent
py() { "$PYTHON3" -c "$1"; }

ws_of() { # CLIENT_ID -> workspace id
    api GET "/api/workspaces/by-client/$1" | py 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])'
}

# mk_draft CLIENT_ID: a shadow workspace whose customer asked something; the
# draft is pending once this returns.
mk_draft() {
    local ws
    ws=$(api POST /api/workspaces "{\"client_id\":\"$1\",\"metadata\":{\"mode\":\"shadow\"}}" |
        py 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
    api POST "/api/workspaces/$ws/messages" "{\"content\":\"A question from $1\"}" >/dev/null
}

draft_of() { # CLIENT_ID -> its pending draft id (empty when none)
    api GET "/api/manager/drafts?workspace_id=$(ws_of "$1")" "" "$AGENT" |
        py 'import json,sys; d=json.load(sys.stdin)["drafts"]; print(d[0]["id"] if d else "")'
}

pending_clients() { # the pending drafts' client ids, oldest first, on one line
    py "
import json, urllib.request
def get(path, key):
    req = urllib.request.Request('$(SIM_URL)' + path, headers={'X-API-Key': key})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
drafts = get('/api/manager/drafts', '$AGENT')['drafts']
print(' '.join(get('/api/workspaces/' + d['workspace_id'], 'aai_demo_user')['workspace']['client_id']
               for d in drafts))"
}

decide_elsewhere() { # DRAFT_ID approve|reject: another manager does it
    api POST "/_sim/drafts/$1/decide" "{\"action\":\"$2\"}" >/dev/null
}

ai_messages() { # CLIENT_ID -> how many AI messages its history has
    api GET "/api/workspaces/$(ws_of "$1")/messages" |
        py 'import json,sys; print(sum(m["role"] in ("ai","assistant") for m in json.load(sys.stdin)["messages"]))'
}

# The queue's second row, chosen from the top whatever was chosen before.
choose_row_2() {
    keys F2
    wait_for "a approve" 5 || return 1
    keys Up Up Up Up Up Up Down
}

# fresh_queue CLIENT_ID...: back to the input line with an empty queue, then
# one draft per client, in that order; each test starts from here.
fresh_queue() {
    local d
    keys Escape
    for d in $(api GET /api/manager/drafts "" "$AGENT" |
        py 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["drafts"]))'); do
        decide_elsewhere "$d" reject
    done
    wait_gone "Drafts waiting for approval" 10 || return 1
    for d in "$@"; do mk_draft "$d"; done
    wait_for "Drafts waiting for approval: $#" 10
}

console_start 120 40
wait_for "AiAssist connected" 20 || { finish; exit 1; }

reject_keeps_its_draft_when_another_is_decided_before_enter() {
    fresh_queue cust_a1 cust_a2 cust_a3 || return 1
    choose_row_2 || return 1
    keys r
    wait_for "type the reason" 5 || return 1
    # Row 1 is approved by another manager while the reason is typed.
    decide_elsewhere "$(draft_of cust_a1)" approve
    wait_for "Drafts waiting for approval: 2" 10 || return 1
    type_text "wrong tone"; enter
    wait_for "draft rejected" 10 || return 1
    wait_for "Drafts waiting for approval: 1" 10 || return 1
    [ "$(pending_clients)" = "cust_a3" ] || { echo "# pending: $(pending_clients)"; return 1; }
    [ "$(ai_messages cust_a2)" -eq 0 ] && [ "$(ai_messages cust_a3)" -eq 0 ]
}

reject_keeps_its_draft_when_a_workspace_ends_before_enter() {
    fresh_queue cust_b1 cust_b2 cust_b3 || return 1
    choose_row_2 || return 1
    keys r
    wait_for "type the reason" 5 || return 1
    # The customer of row 1 leaves: the workspace ends, its draft goes.
    api POST "/api/workspaces/$(ws_of cust_b1)/end" '{}' >/dev/null
    wait_for "Drafts waiting for approval: 2" 10 || return 1
    type_text "not for this customer"; enter
    wait_for "draft rejected" 10 || return 1
    wait_for "Drafts waiting for approval: 1" 10 || return 1
    [ "$(pending_clients)" = "cust_b3" ] || { echo "# pending: $(pending_clients)"; return 1; }
}

enter_opens_the_workspace_its_row_showed_after_a_shift() {
    fresh_queue cust_c1 cust_c2 cust_c3 || return 1
    choose_row_2 || return 1
    sleep 0.3
    decide_elsewhere "$(draft_of cust_c1)" reject
    wait_for "Drafts waiting for approval: 2" 10 || return 1
    keys Enter
    wait_for "cust_c2 SHADOW +ws_" 10
}

a_number_typed_before_the_queue_moved_is_refused() {
    fresh_queue cust_d1 cust_d2 cust_d3 || return 1
    # Row 2 is cust_d2's when typing begins; row 1 goes before Enter.
    type_text "/reject 2 too curt"
    decide_elsewhere "$(draft_of cust_d1)" approve
    wait_for "Drafts waiting for approval: 2" 10 || return 1
    enter
    wait_for "the queue moved while you typed: row 2 was cust_d2's draft, now cust_d3's; nothing was sent" 10 || return 1
    [ "$(pending_clients)" = "cust_d2 cust_d3" ] || { echo "# pending: $(pending_clients)"; return 1; }
    # The line comes back naming the draft row 2 showed, by id: Enter confirms.
    wait_for "/reject $(draft_of cust_d2) too curt" 5 || return 1
    enter
    wait_for "draft rejected" 10 || return 1
    wait_for "Drafts waiting for approval: 1" 10 || return 1
    [ "$(pending_clients)" = "cust_d3" ] || { echo "# pending: $(pending_clients)"; return 1; }
}

editing_a_draft_decided_elsewhere_says_so_and_sends_nothing() {
    fresh_queue cust_e1 cust_e2 || return 1
    keys F2
    wait_for "a approve" 5 || return 1
    keys Up Up Up Up
    keys e
    wait_for "edit the draft; Enter approves it" 5 || return 1
    decide_elsewhere "$(draft_of cust_e1)" approve
    wait_for "the draft being edited was already approved by another manager at [0-9]{2}:[0-9]{2}; Enter sends nothing" 10 || return 1
    type_text " And a coupon."; enter
    wait_for "that draft was already approved by another manager at [0-9]{2}:[0-9]{2}; nothing was sent" 10 || return 1
    sleep 0.5
    [ "$(ai_messages cust_e1)" -eq 1 ] || return 1
    [ "$(pending_clients)" = "cust_e2" ] || { echo "# pending: $(pending_clients)"; return 1; }
    ! api GET "/api/workspaces/$(ws_of cust_e1)/messages" | grep -q "And a coupon"
}

check "r: the draft chosen is rejected though another is decided before Enter" \
    reject_keeps_its_draft_when_another_is_decided_before_enter
check "r: the draft chosen is rejected though a workspace ends before Enter" \
    reject_keeps_its_draft_when_a_workspace_ends_before_enter
check "Enter opens the workspace its row showed, after the rows moved" \
    enter_opens_the_workspace_its_row_showed_after_a_shift
check "a row number typed before the queue moved is refused, nothing rejected" \
    a_number_typed_before_the_queue_moved_is_refused
check "editing a draft another manager approved says so and sends nothing" \
    editing_a_draft_decided_elsewhere_says_so_and_sends_nothing
finish
