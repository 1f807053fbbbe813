#!/usr/bin/env bash
# End to end: attention in a support team's day. Who waits for a person
# shows how long, and the figure ticks; F5 jumps to the one waiting
# longest; the bell rings when a customer writes in takeover; ended
# workspaces fold into one row; a filter shows in the status line;
# handing back returns to the mode before the takeover.
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
mode_of() { # WS_ID -> its mode on the server
    api GET "/api/workspaces/$1" | py 'import json,sys; w=json.load(sys.stdin)["workspace"]; print(w.get("mode") or w["metadata"]["mode"])'
}
# The number the sidebar shows at the right of NAME (its wait), or nothing.
wait_of() {
    screen | sed -n "s/^ $1 *\([ 0-9][0-9][smhd]\) .*/\1/p" | head -1 | tr -d ' '
}
bell_flag() { tmux -L "$T_SOCK" list-windows -t t -F '#{window_bell_flag}' | head -1; }

# Only a customer writing in takeover rings the bell here.
mkdir -p "$XDG_CONFIG_HOME/aidesk"
# A wait is late after 4 s here.
printf '[ui]\nbell = takeover\nlate_after = 4\n' >"$XDG_CONFIG_HOME/aidesk/config"

# The takeover customer has waited longer than the shadow one.
WS_W1=$(mk_ws cust_w1 takeover)
customer_says "$WS_W1" "Anyone there? W1"
sleep 2
WS_W2=$(mk_ws cust_w2 shadow)
customer_says "$WS_W2" "A question from W2"
WS_E1=$(mk_ws cust_e1 ai)
WS_E2=$(mk_ws cust_e2 ai)
api POST "/api/workspaces/$WS_E1/end" >/dev/null
api POST "/api/workspaces/$WS_E2/end" >/dev/null

console_start 120 40
wait_for "AiAssist connected" 20 || { finish; exit 1; }

waits_show_and_tick() {
    wait_for "^ cust_w1 +[ 0-9][0-9]s " 10 || return 1
    wait_for "^ cust_w2 +[ 0-9][0-9]s " 10 || return 1
    local first now i
    first=$(wait_of cust_w1)
    for i in $(seq 1 60); do
        now=$(wait_of cust_w1)
        [ -n "$now" ] && [ "$now" != "$first" ] && return 0
        sleep 0.1
    done
    echo "# the wait of cust_w1 stayed at $first"
    return 1
}

# The line of the sidebar that names NAME, with its colours.
coloured_line() { tmux -L "$T_SOCK" capture-pane -e -p -t t | grep -a "^.*$1" | head -1; }

a_late_wait_turns_red() {
    # cust_w1 has waited longer than late_after: its figure is red (the
    # default theme's state.failed, 203).
    local i
    for i in $(seq 1 40); do
        coloured_line " cust_w1 " | grep -aqE $'\e\\[[0-9;]*38;5;203m *[0-9]+[smh]' && return 0
        sleep 0.1
    done
    echo "# not red:"; coloured_line " cust_w1 " | cat -v | sed 's/^/# /'
    return 1
}

names() { screen | sed -n 's/^ \(cust_[a-z0-9]*\) .*/\1/p' | tr '\n' ' '; }

the_order_holds_still_while_stepping() {
    local before last after i id
    before=$(names)
    last=${before% }
    last=${last##* }
    id=$(api GET "/api/workspaces/by-client/$last" | py 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
    keys C-n
    sleep 0.2
    before=$(names)
    [ "${before% }" != "${before%% *}" ] && [ "${before##*$last}" = " " ] || { echo "# the list: $before"; return 1; }
    # News in the last row while the person steps through the list (an
    # answer from another agent: nothing for the AI to write first).
    api POST "/api/manager/workspaces/$id/reply" "{\"content\":\"News for $last\"}" "$AGENT" >/dev/null
    # The news has arrived when it shows: in the conversation, or as an
    # unread mark under the name. Meanwhile the person goes on stepping
    # (down and back up), as someone reading the list does.
    for i in $(seq 1 40); do
        keys C-n C-p
        screen | grep -q "News for $last" && break
        screen | awk -v n=" $last " 'f && /●/ {ok=1} {f = index($0, n) == 1} END {exit !ok}' && break
        sleep 0.05
    done
    keys C-n C-p
    sleep 0.2
    after=$(names)
    [ "$after" = "$before" ] || { echo "# moved under the cursor: '$before' became '$after'"; return 1; }
    # Once the person stops, the list follows activity again.
    for i in $(seq 1 80); do
        [ "$(names | cut -d' ' -f1)" = "$last" ] && return 0
        sleep 0.1
    done
    echo "# $last never came up: $(names)"
    return 1
}

end_asks_first() {
    local ws
    ws=$(mk_ws cust_n1 ai)
    wait_for "^ cust_n1" 10 || return 1
    type_text "/go cust_n1"; enter
    wait_for "cust_n1 AI  ws_" 5 || return 1
    type_text "/end"; enter
    wait_for "> /end! ws_" 3 || return 1
    wait_for "end cust_n1\? its customer can write no more" 3 || return 1
    api GET "/api/workspaces/$ws" | grep -q '"ended"' && { echo "# ended without asking"; return 1; }
    enter
    wait_for "cust_n1 AI  ws_[a-z0-9]+ \(ended\)" 10
}

f5_jumps_to_the_longest_wait() {
    type_text "/go cust_w2"; enter
    wait_for "cust_w2 SHADOW  ws_" 5 || return 1
    keys F5
    wait_for "cust_w1 TAKEOVER  ws_" 5 || return 1
    wait_for "cust_w1 has waited longest: [0-9]+s for a human answer" 5
}

bell_rings_when_a_customer_writes_in_takeover() {
    [ "$(bell_flag)" = 0 ] || { echo "# the bell rang before anything happened"; return 1; }
    customer_says "$WS_W1" "Hello? W1 again"
    wait_for "Hello\\? W1 again" 10 || return 1
    local i
    for i in $(seq 1 40); do
        [ "$(bell_flag)" = 1 ] && return 0
        sleep 0.05
    done
    echo "# no bell"
    return 1
}

ended_workspaces_fold_into_one_row() {
    wait_for "^ ▸ ended \\(2\\)" 5 || return 1
    screen | grep -q "^ cust_e1" && { echo "# cust_e1 is not folded"; return 1; }
    # The group is the last row: Ctrl-P from the first row reaches it.
    keys C-p
    wait_for "Enter: open" 5 || return 1
    enter
    wait_for "^ ▾ ended \\(2\\)" 5 || return 1
    wait_for "^ cust_e1 " 5 || return 1
    wait_for "^ cust_e2 " 5 || return 1
    enter
    wait_for "^ ▸ ended \\(2\\)" 5 || return 1
    wait_gone "^ cust_e1 " 5
}

filter_shows_in_the_status_line() {
    type_text "/filter active"; enter
    wait_for "│ filter: active" 5 || return 1
    wait_gone "ended \\(2\\)" 5 || return 1
    type_text "/filter all"; enter
    wait_gone "filter: active" 5 || return 1
    wait_for "ended \\(2\\)" 5
}

handback_returns_to_shadow() {
    local ws
    ws=$(mk_ws cust_h1 shadow)
    wait_for "^ cust_h1" 10 || return 1
    type_text "/go cust_h1"; enter
    wait_for "cust_h1 SHADOW  ws_" 5 || return 1
    type_text "/takeover"; enter
    wait_for "cust_h1 TAKEOVER  ws_" 10 || return 1
    type_text "/handback"; enter
    wait_for "cust_h1 SHADOW  ws_" 10 || return 1
    wait_for "(handing cust_h1 back to|cust_h1 is now in) shadow mode" 5 || return 1
    [ "$(mode_of "$ws")" = shadow ] || { echo "# the server says $(mode_of "$ws")"; return 1; }
}

check "a waiting workspace shows how long, and the figure ticks" waits_show_and_tick
check "a wait past late_after turns red" a_late_wait_turns_red
check "F5 jumps to the workspace that has waited longest" f5_jumps_to_the_longest_wait
check "the bell rings when a customer writes in takeover" bell_rings_when_a_customer_writes_in_takeover
check "ended workspaces fold into one row that Enter opens and closes" ended_workspaces_fold_into_one_row
check "an active filter shows in the status line" filter_shows_in_the_status_line
check "the list holds still while the person steps through it" the_order_holds_still_while_stepping
check "/end asks first; Enter on the line it gives back ends the workspace" end_asks_first
check "handing back returns to shadow, and says so" handback_returns_to_shadow
console_stop
finish
