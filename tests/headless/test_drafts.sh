#!/usr/bin/env bash
# Headless: the drafts queue, acting on the draft each row showed.
. "$(dirname "$0")/lib.sh"

export H_API="$H_SRC/api.sh"

# mk_draft CLIENT_ID: a shadow workspace whose customer asked something;
# prints the pending draft's id.
mk_draft() {
    local ws
    ws=$(api POST /api/workspaces "{\"client_id\":\"$1\",\"metadata\":{\"mode\":\"shadow\"}}" |
        json_get 'd["workspace"]["id"]') || return 1
    api POST "/api/workspaces/$ws/messages" "{\"content\":\"A question from $1\"}" >/dev/null || return 1
    api GET "/api/manager/drafts?workspace_id=$ws" "" aai_demo_agent | json_get 'd["drafts"][0]["id"]'
}

setup() {
    sim_start --speed 0 || return 1
    local c
    for c in q1 q2 q3 q4; do
        eval "DRAFT_${c^^}=\$(mk_draft cust_$c)" || return 1
        sleep 1.1 # the queue lists the oldest first
    done
    export DRAFT_Q1 DRAFT_Q2 DRAFT_Q3 DRAFT_Q4
}

pending() { # the pending drafts' ids, oldest first, on one line
    api GET /api/manager/drafts "" aai_demo_agent | json_get '" ".join(x["id"] for x in d["drafts"])'
}

acts_on_the_draft_each_row_showed() {
    setup || return 1
    run_console drafts.keys "$1" || return 1
    screens_match drafts "$1" queue opened approved refused rejected || return 1
    # q2 approved by the key, q1 elsewhere, q3 rejected by the command.
    [ "$(pending)" = "$DRAFT_Q4" ] || { echo "# pending: $(pending)"; return 1; }
}

for size in 80x24 200x50; do
    check "the drafts queue acts on the draft each row showed at $size" acts_on_the_draft_each_row_showed "$size"
    sim_stop
done
finish
