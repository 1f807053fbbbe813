#!/usr/bin/env bash
# Headless: what a support team's day looks like on screen: ended
# workspaces folded, a stale draft read in its conversation before it is
# decided, a rejection with its reason and what to do next.
. "$(dirname "$0")/lib.sh"

mk_ws() { # CLIENT_ID MODE -> its id
    api POST /api/workspaces "{\"client_id\":\"$1\",\"metadata\":{\"mode\":\"$2\"}}" | json_get 'd["workspace"]["id"]'
}

setup() {
    sim_start --speed 0 || return 1
    local ws x
    for x in cust_x1 cust_x2; do
        ws=$(mk_ws "$x" ai) || return 1
        api POST "/api/workspaces/$ws/end" >/dev/null || return 1
    done
    ws=$(mk_ws cust_d1 shadow) || return 1
    api POST "/api/workspaces/$ws/messages" '{"content":"Where is parcel D1?"}' >/dev/null || return 1
    sleep 1.1 # the answer comes after the draft, by the server's clock
    api POST "/api/manager/workspaces/$ws/reply" '{"content":"A colleague answered D1 already."}' \
        aai_demo_agent >/dev/null
}

shows_the_day() {
    setup || return 1
    run_console day.keys "$1" || return 1
    screens_match day "$1" folded unfolded read confirm rejected
}

for size in 80x24 200x50; do
    check "ended workspaces fold, a stale draft is read and confirmed, a rejection shows at $size" shows_the_day "$size"
    sim_stop
done
finish
