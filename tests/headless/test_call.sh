#!/usr/bin/env bash
# Headless: a call from the AI Gate pane (the call view, ui/callpane.c).
. "$(dirname "$0")/lib.sh"

# Timings and token counts, and the figures of the rate limits; the note
# that the session was created leaves the status line after a few seconds,
# which a slow machine may take before the dump.
H_MASK='s/[0-9]+ ms/N ms/g; s/tokens [0-9]+ in, [0-9]+ out/tokens N in, N out/; s/gate [0-9]+\/100/gate N\/100/; s/ │ AI Gate session sess_ID created: the secret expires in [0-9]+ s//'

calls_from_the_gate_pane() {
    run_console call.keys "$1" AI_GATE_PROJECT_ID=proj_demo AI_GATE_BASE_URL="$SIM_URL" \
        AI_GATE_REALTIME_URL="ws://127.0.0.1:$SIM_PORT/v1/realtime" AIDESK_PLAYER=none || return 1
    screens_match call "$1" turn ended
}

for size in 80x24 200x50; do
    sim_start --speed 0 || exit 1
    check "a call from the AI Gate pane at $size" calls_from_the_gate_pane "$size"
    sim_stop
done
finish
