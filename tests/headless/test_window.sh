#!/usr/bin/env bash
# Headless: a long conversation held as a window (src/model/model.h, "the
# window"): the row above the first message held says how many come
# before, showing it loads them, and the view stays on the message it
# showed; a failure is said there and offered again.
. "$(dirname "$0")/lib.sh"

export H_API="$H_SRC/api.sh"

# The simulator again on the state it saved (sim_start starts afresh).
sim_resume() {
    rm -f "$H_DIR/port"
    "$PYTHON3" "$AIDESK_SIM" --port 0 --port-file "$H_DIR/port" --quiet \
        --state "$H_DIR/sim-state.json" >"$H_DIR/sim.out" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 400); do
        if [ -s "$H_DIR/port" ]; then
            export SIM_URL="http://127.0.0.1:$(cat "$H_DIR/port")"
            return 0
        fi
        sleep 0.05
    done
    echo "# the simulator did not start:"; sed 's/^/# /' "$H_DIR/sim.out"
    return 1
}

# A takeover workspace of 2,500 messages, "message 0000" to "message 2499".
setup() {
    sim_start --speed 0 || return 1
    WS_LONG=$(api POST /api/workspaces '{"client_id":"cust_long","metadata":{"mode":"takeover"}}' |
        json_get 'd["workspace"]["id"]') || return 1
    export WS_LONG
    sim_stop
    "$PYTHON3" - "$H_DIR/sim-state.json" "$WS_LONG" <<'PY' || return 1
import json, sys
path, ws = sys.argv[1], sys.argv[2]
snap = json.load(open(path, encoding="utf-8"))
w = [x for x in snap["store"]["workspaces"] if x["id"] == ws][0]
w["messages"] = [{"id": "msg_long%07d" % i, "role": "user" if i % 2 == 0 else "human",
                  "content": "message %04d" % i,
                  "created_at": "2026-01-0%dT%02d:%02d:00.000Z" % (1 + i // 1440, i // 60 % 24, i % 60)}
                 for i in range(2500)]
json.dump(snap, open(path, "w", encoding="utf-8"))
PY
    sim_resume
}

reads_back_to_the_start() {
    setup || return 1
    run_console window.keys "$1" || return 1
    screens_match window "$1" opened anchored start
}

for size in 80x24; do
    check "a long conversation reads back to its start at $size" reads_back_to_the_start "$size"
    sim_stop
done
finish
