# bench/call.sh: a call's time to first audio (issue 14). Sourced by
# bench/run after lib.sh.

# Sessions on a growth plan (room for every round), the simulator at its
# real pace (150 ms to the first delta): bench-call says how much of the
# time to first audio is the client's - sending the turn, and the first
# audio delta's way from the simulator's write to the call controller.
bench_call() {
    sim_start --speed 1 || return 1
    "$BENCH_BUILD/bench/bench-call" --url "$(sim_url)" \
        --realtime "ws://127.0.0.1:$SIM_PORT/v1/realtime" \
        --rounds "${CALL_ROUNDS:-10}" >"$B_DIR/call.out" || { cat "$B_DIR/call.out"; sim_stop; return 1; }
    local k
    for k in ttfa_median_ms ttfa_min_ms ttfa_max_ms client_median_ms client_min_ms client_max_ms \
        client_share_median_pct; do
        out "call_$k" "$(awk -v k="$k" '$1 == k {print $2}' "$B_DIR/call.out")"
    done
    sim_stop
}

report_call() {
    has call_ttfa_median_ms || return 0
    line "call: time to first audio (median, min-max)" \
        "$(get call_ttfa_median_ms) ms ($(get call_ttfa_min_ms)-$(get call_ttfa_max_ms))" "" ""
    line "  the client's share (median, min-max)" \
        "$(get call_client_median_ms) ms ($(get call_client_min_ms)-$(get call_client_max_ms))" \
        "$(get call_client_share_median_pct) %" ""
}
