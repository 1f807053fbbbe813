#!/usr/bin/env bash
# Headless: the AI Gate pane.
. "$(dirname "$0")/lib.sh"

# Countdowns, the moments they count to, and what a secret's last
# characters happen to be.
H_MASK='s/[0-9]+ s +(hh:mm +usable)/N s \1/; s/(": )[0-9]{9,}/\1T/; s/(eph_…|credential …)[^ ]+/\1X/g'

shows_sessions_and_details() {
    run_console gate.keys "$1" AI_GATE_PROJECT_ID=proj_demo AI_GATE_BASE_URL="$SIM_URL" || return 1
    screens_match gate "$1" empty session details claimed back
}

# With no key and no traffic, the countdowns still move: two screens
# seconds apart differ (the wait for a lower count times out otherwise).
counts_down() {
    run_console gate-tick.keys 200x50 AI_GATE_PROJECT_ID=proj_demo AI_GATE_BASE_URL="$SIM_URL" \
        AIDESK_HEADLESS_WAIT=12 || return 1
    if cmp -s "$H_DIR/out/200x50/before" "$H_DIR/out/200x50/after"; then
        echo "# the screen did not change"
        return 1
    fi
}

for size in 80x24 200x50; do
    # A fresh simulator each time: the pane shows the requests left.
    sim_start --speed 0 || exit 1
    check "the AI Gate pane shows sessions and details at $size" shows_sessions_and_details "$size"
    sim_stop
done
sim_start --speed 0 || exit 1
check "the AI Gate countdowns tick with nothing else happening" counts_down
finish
