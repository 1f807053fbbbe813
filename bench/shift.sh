# bench/shift.sh: a support shift compressed (bench/run shift), sourced by
# bench/run. Needs bench/lib.sh and bench/console.sh.
#
# The simulator runs SHIFT_CUSTOMERS customers (default 200) at
# --speed SHIFT_SPEED (default 60) for SHIFT_MINUTES (default 8: an 8-hour
# shift at 60x); the console watches in tmux (200x50) with the event
# stream live, as a person would leave it all day. Every SHIFT_SAMPLE_S
# seconds (default 5) it records the console's RSS and CPU time and the
# simulator's event count (/_sim/stats last_event_id). The report gives
# the peak RSS, the RSS at the end of each quarter (flat after warm-up is
# the goal), and the CPU per event in each quarter, so growth shows.
#
# SHIFT_KEEP sets [ui] keep_workspaces (default: the console's default).
# SHIFT_CALLGRIND=1 runs the console under valgrind --tool=callgrind:
# instructions per event over the whole run, which do not depend on the
# machine's load; a short and a long run compared show growth (use a low
# speed: under valgrind the console is some 50 times slower). Counters are
# not dumped by quarter: a dump asked for from outside
# (callgrind_control -d) stalled the console under valgrind.

# cg_calls FILE NAME: how many calls to function NAME a callgrind profile
# counted (its "cfn=" / "calls=" records; names are given once, then by id).
cg_calls() {
    awk -v want="$2" '
        /^c?fn=\(/ {
            id = $0; sub(/^c?fn=/, "", id); name = id
            sub(/\).*/, ")", id); sub(/^\([0-9]+\) ?/, "", name)
            if (name != "") names[id] = name
            if ($0 ~ /^cfn=/) callee = names[id]
            next
        }
        /^calls=/ { if (callee == want) { split(substr($0, 7), v, " "); n += v[1] } callee = "" }
        END { printf "%d\n", n }' "$1"
}

# cg_incl ANNOTATED NAME: inclusive instructions of NAME in a
# callgrind_annotate --inclusive=yes listing.
cg_incl() {
    awk -v want="$2" '{
        f = $0; sub(/ \[.*/, "", f); sub(/.*:/, "", f)
        if (f == want) { gsub(",", "", $1); print $1; found = 1; exit }
    } END { if (!found) print 0 }' "$1"
}

# shift_stats: "EVENTS WORKSPACES" from the simulator.
shift_stats() {
    curl -s --max-time 10 "$(sim_url)/_sim/stats" | "$PYTHON3" -c \
        'import json,sys; o=json.load(sys.stdin); print(o["last_event_id"], o["workspaces"])' \
        2>/dev/null || echo "0 0"
}

bench_shift() {
    local speed=${SHIFT_SPEED:-60} minutes=${SHIFT_MINUTES:-8} customers=${SHIFT_CUSTOMERS:-200}
    local every=${SHIFT_SAMPLE_S:-5} cg=${SHIFT_CALLGRIND:-0}
    local secs
    secs=$(awk -v m="$minutes" 'BEGIN{printf "%d", m * 60}')
    sim_start --speed "$speed" --customers "$customers" || return 1
    fresh_home shift
    [ -n "${SHIFT_KEEP:-}" ] && printf '[ui]\nkeep_workspaces = %s\n' "$SHIFT_KEEP" \
        >>"$XDG_CONFIG_HOME/aidesk/config"
    local bin=$AIDESK_BIN
    if [ "$cg" = 1 ]; then
        command -v valgrind >/dev/null || { echo "SHIFT_CALLGRIND=1 needs valgrind" >&2; return 1; }
        # A wrapper, so that console_start's command line stays as it is.
        bin="$B_DIR/aidesk-cg"
        printf '#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s/cg.out "%s" "$@"\n' \
            "$B_DIR" "$AIDESK_BIN" >"$bin"
        chmod +x "$bin"
    fi
    AIDESK_BIN=$bin console_start 200 50 "$(sim_url)"
    local ready=20
    [ "$cg" = 1 ] && ready=120
    wait_for "$LIVE_RE" "$ready" && wait_for 'live([^:]|$)' "$ready" || return 1
    # Under valgrind the pane's process is the wrapper's exec: same pid.
    local t0 c0 e0 w0 t c e w r q=1 samples="$B_DIR/shift.samples"
    t0=$(now_ns); c0=$(cpu_ns "$CONSOLE_PID")
    read -r e0 w0 <<<"$(shift_stats)"
    printf 't_s rss_kb cpu_ms events workspaces\n' >"$samples"
    : >"$B_DIR/shift.quarters"
    while :; do
        sleep "$every"
        [ -d "/proc/$CONSOLE_PID" ] || { echo "the console exited during the shift" >&2; return 1; }
        t=$(( ($(now_ns) - t0) / 1000000000 ))
        c=$(( ($(cpu_ns "$CONSOLE_PID") - c0) / 1000000 ))
        r=$(rss_kb "$CONSOLE_PID")
        read -r e w <<<"$(shift_stats)"
        printf '%s %s %s %s %s\n' "$t" "$r" "$c" "$((e - e0))" "$w" >>"$samples"
        if [ "$t" -ge $((secs * q / 4)) ]; then
            # A quarter's end: one line "Q T RSS CPU_MS EVENTS".
            printf '%s %s %s %s %s\n' "$q" "$t" "$r" "$c" "$((e - e0))" >>"$B_DIR/shift.quarters"
            q=$((q + 1))
            [ "$q" -gt 4 ] && break
        fi
    done
    local hwm
    hwm=$(hwm_kb "$CONSOLE_PID")
    read -r e w <<<"$(shift_stats)"
    sim_stop # the customers stop; the console sees the stream end
    if [ "$cg" = 1 ]; then
        console_quit 300 # valgrind writes its profile at exit
    else
        console_quit
    fi
    local applied
    applied=$(sed -n 's/.*console: \([0-9]*\) live events applied; \([0-9]*\) workspaces left memory, \([0-9]*\) in memory.*/\1 \2 \3/p' \
        "$B_DIR/debug.log" | tail -1)
    out shift_speed "$speed"
    out shift_minutes "$minutes"
    out shift_customers "$customers"
    out shift_keep "${SHIFT_KEEP:-default}"
    out shift_peak_rss_kb "$hwm"
    out shift_workspaces "$((w - w0))"
    out shift_sim_events "$((e - e0))"
    set -- $applied
    out shift_console_events "${1:-?}"
    out shift_console_evicted "${2:-?}"
    out shift_console_in_memory "${3:-?}"
    # The console's CPU is a cost per event plus a cost per second (frames,
    # timers), and the simulator's event rate varies with the machine's
    # load: fit both over the whole run (least squares over the sample
    # intervals), so that each quarter's cost per event can be given with
    # the per-second part taken out.
    local fit
    fit=$(awk 'NR > 1 {
            if (have) {
                de = $4 - pe; dt = $1 - pt; dc = $3 - pc
                a += de * de; b += de * dt; d += dt * dt; x += de * dc; y += dt * dc
            }
            pt = $1; pc = $3; pe = $4; have = 1
        }
        END {
            det = a * d - b * b
            if (det == 0) { print "0 0"; exit }
            printf "%.2f %.2f\n", 1000 * (x * d - y * b) / det, (a * y - b * x) / det
        }' "$samples")
    local per_s=${fit#* }
    out shift_fit_us_per_event "${fit% *}"
    out shift_fit_ms_per_s "$per_s"
    # Per quarter: RSS at its end, CPU per event within it.
    local pt=0 pc=0 pe=0 qq qt qr qc qe
    while read -r qq qt qr qc qe; do
        out "shift_q${qq}_rss_kb" "$qr"
        out "shift_q${qq}_events" "$((qe - pe))"
        out "shift_q${qq}_events_per_s" "$(( (qe - pe) / (qt - pt > 0 ? qt - pt : 1) ))"
        out "shift_q${qq}_cpu_ms" "$((qc - pc))"
        out "shift_q${qq}_cpu_us_per_event" \
            "$(awk -v c="$((qc - pc))" -v n="$((qe - pe))" 'BEGIN{printf "%.1f", n ? 1000 * c / n : 0}')"
        out "shift_q${qq}_net_us_per_event" \
            "$(awk -v c="$((qc - pc))" -v n="$((qe - pe))" -v t="$((qt - pt))" -v b="$per_s" \
                'BEGIN{printf "%.1f", n ? 1000 * (c - b * t) / n : 0}')"
        pt=$qt; pc=$qc; pe=$qe
    done <"$B_DIR/shift.quarters"
    if [ "$cg" = 1 ]; then
        # Instructions: all of them; those spent on live events (decoding
        # and applying them: desk_live_event, inclusive), per event applied
        # (calls of model_apply_event); those spent decoding list reloads
        # (ai_decode_mgr_list, under list_done, not desk_live_event: after a
        # reconnect or a reset, which the simulator sends a subscriber that
        # fell behind); and the rest (frames, timers, the network thread)
        # per second.
        local f=$B_DIR/cg.out ir live lists nev nlists
        if [ -s "$f" ]; then
            callgrind_annotate --inclusive=yes "$f" >"$f.txt" 2>/dev/null
            ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p; s/^summary: *\([0-9]*\).*/\1/p' "$f" | head -1)
            live=$(cg_incl "$f.txt" desk_live_event)
            lists=$(cg_incl "$f.txt" ai_decode_mgr_list)
            nev=$(cg_calls "$f" model_apply_event)
            nlists=$(cg_calls "$f" ai_decode_mgr_list)
            out shift_cg_events "$nev"
            out shift_cg_instr_per_event "$(awk -v i="${ir:-0}" -v n="$nev" 'BEGIN{printf "%.0f", n ? i / n : 0}')"
            out shift_cg_live_instr_per_event \
                "$(awk -v i="$live" -v n="$nev" 'BEGIN{printf "%.0f", n ? i / n : 0}')"
            out shift_cg_lists "$nlists"
            out shift_cg_list_minstr "$(awk -v l="$lists" 'BEGIN{printf "%.0f", l / 1e6}')"
            out shift_cg_other_minstr_per_s \
                "$(awk -v i="${ir:-0}" -v d="$live" -v l="$lists" -v t="$secs" \
                    'BEGIN{printf "%.1f", (i - d - l) / t / 1e6}')"
            cp "$f.txt" "$BENCH_BUILD/shift-callgrind.txt" 2>/dev/null
        else
            echo "no callgrind profile was written" >&2
        fi
    fi
    cp "$samples" "$BENCH_BUILD/shift-samples.txt" 2>/dev/null
    return 0
}
