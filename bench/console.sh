# bench/console.sh: the console benchmarks (issue 4), sourced by bench/run.
# Each drives the real aidesk in tmux against the simulator and reads the
# aidesk process from /proc. Each prints "key value" lines through out().
# Needs bench/lib.sh.

LIVE_RE='AiAssist connected'
STREAM_CURSOR='▌'

# console_ready: the status bar says connected and the event stream is live.
console_ready() {
    wait_for "$LIVE_RE" 20 && wait_for 'live([^:]|$)' 20
}

# chat_result TOKENS: checks the chat transcript's last reply: "ok" when
# it ended done with TOKENS completion tokens, else what it found.
chat_result() {
    "$PYTHON3" - "$XDG_DATA_HOME" "$1" <<'EOF'
import json, os, sys
root, want = sys.argv[1], int(sys.argv[2])
last = None
for d, _, files in os.walk(root):
    for f in files:
        for line in open(os.path.join(d, f), encoding="utf-8", errors="replace"):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if isinstance(r, dict) and r.get("type") == "reply_end":
                last = r
if not last:
    print("no reply recorded")
else:
    got = (last.get("usage") or {}).get("completion_tokens")
    ok = last.get("state") == "done" and got == want and last.get("finish_reason") == "stop"
    print("ok" if ok else "state=%s finish=%s tokens=%s" % (last.get("state"), last.get("finish_reason"), got))
EOF
}

# ---------------------------------------------------------------------
# A reply streaming at about 200 tokens/s in a 200x50 terminal: CPU % of
# a core over the stream, frames, peak memory. STREAM200_ROUNDS (5) sessions
# (fresh console and simulator each); the median is the figure.
stream200_once() {
    local tokens=$1 model=gemini-1.5-flash
    sim_start --speed 1 --reply-tokens "$tokens" || return 1
    fresh_home s200
    console_start 200 50 "http://127.0.0.1:$SIM_PORT"
    console_ready || return 1
    type_line "/chat $model"
    wait_for "model $model" 5 || return 1
    local n0
    n0=$(grep -c 'done, HTTP 200' "$B_DIR/debug.log")
    type_line "Tell me about shipping, refunds and passwords"
    wait_for "$STREAM_CURSOR" 10 || return 1
    local c0 k0 t0 c1 k1 t1
    c0=$(cpu_ns "$CONSOLE_PID"); k0=$(cpu_ticks "$CONSOLE_PID"); t0=$(now_ns)
    # The stream lasts tokens/200 s; its request's end is in the debug log.
    # Look rarely, to stay out of its way.
    local i
    for i in $(seq 1 1200); do
        [ "$(grep -c 'done, HTTP 200' "$B_DIR/debug.log")" -gt "$n0" ] && break
        sleep 0.1
    done
    c1=$(cpu_ns "$CONSOLE_PID"); k1=$(cpu_ticks "$CONSOLE_PID"); t1=$(now_ns)
    S_HWM=$(hwm_kb "$CONSOLE_PID")
    console_quit
    S_FRAMES=$(frames_line)
    S_REPLY=$(chat_result "$tokens")
    sim_stop
    S_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b - a) / 1e9}')
    S_PCT=$(awk -v c="$((c1 - c0))" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", 100 * c / (b - a)}')
    S_CPU_NS=$((c1 - c0))
    S_TICKS=$((k1 - k0))
}

bench_stream200() {
    local tokens=${STREAM200_TOKENS:-3000} rounds=${STREAM200_ROUNDS:-5} r pcts="" hwms="" gaps=""
    for r in $(seq 1 "$rounds"); do
        stream200_once "$tokens" || return 1
        pcts="$pcts $S_PCT"
        hwms="$hwms $S_HWM"
        set -- $S_FRAMES
        gaps="$gaps ${3:-0}"
        [ "$S_REPLY" = ok ] || break
    done
    out stream200_reply "$S_REPLY"
    out stream200_tokens "$tokens"
    out stream200_rounds "$rounds"
    out stream200_seconds "$S_SECS"
    out stream200_tokens_per_s "$(awk -v n="$tokens" -v s="$S_SECS" 'BEGIN{printf "%.0f", n / s}')"
    out stream200_cpu_ms "$(fmt_ms "$S_CPU_NS")"
    out stream200_cpu_ticks "$S_TICKS"
    out stream200_cpu_pct "$(printf '%s\n' $pcts | sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')"
    out stream200_cpu_pct_all "${pcts# }"
    set -- $(stats $pcts)
    out stream200_cpu_pct_spread "$2-$3"
    set -- $(stats $hwms)
    out stream200_vmhwm_kb_spread "$2-$3"
    out stream200_vmhwm_kb "$(printf '%s\n' $hwms | sort -n | tail -1)"
    set -- $S_FRAMES
    out stream200_frames "${1:-?}"
    out stream200_session_ms "${2:-?}"
    out stream200_shortest_gap_ms "$(printf '%s\n' $gaps | sort -n | head -1)"
}

# ---------------------------------------------------------------------
# A 20,000-token reply as fast as the network allows: CPU seconds of
# aidesk from Enter to the end of the reply, frames, peak memory. It lasts
# a few tens of ms, so it runs FAST_ROUNDS times (fresh console and
# simulator each) and the median CPU is the figure.
fast20k_once() {
    local tokens=$1 model=llama-3.1-8b-instant
    sim_start --speed 0 --reply-tokens "$tokens" || return 1
    fresh_home f20k
    console_start 200 50 "http://127.0.0.1:$SIM_PORT"
    console_ready || return 1
    type_line "/chat $model"
    wait_for "model $model" 5 || return 1
    tmux -L "$B_SOCK" send-keys -t b -l -- "Tell me about shipping, refunds and passwords"
    sleep 0.3
    local c0 k0 t0 c1 k1 t1 n0
    n0=$(grep -c 'done, HTTP 200' "$B_DIR/debug.log")
    c0=$(cpu_ns "$CONSOLE_PID"); k0=$(cpu_ticks "$CONSOLE_PID"); t0=$(now_ns)
    keys Enter
    local i
    for i in $(seq 1 3000); do
        [ "$(grep -c 'done, HTTP 200' "$B_DIR/debug.log")" -gt "$n0" ] && break
        sleep 0.01
    done
    t1=$(now_ns)
    sleep 0.5 # the last frames; idle after that
    c1=$(cpu_ns "$CONSOLE_PID"); k1=$(cpu_ticks "$CONSOLE_PID")
    F_HWM=$(hwm_kb "$CONSOLE_PID")
    console_quit
    F_FRAMES=$(frames_line)
    F_REPLY=$(chat_result "$tokens")
    sim_stop
    F_CPU=$(awk -v n="$((c1 - c0))" 'BEGIN{printf "%.3f", n / 1e9}')
    F_TICKS=$((k1 - k0))
    F_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b - a) / 1e9}')
}

bench_fast20k() {
    local tokens=${FAST_TOKENS:-20000} rounds=${FAST_ROUNDS:-5} r cpus="" hwms="" gaps=""
    for r in $(seq 1 "$rounds"); do
        fast20k_once "$tokens" || return 1
        cpus="$cpus $F_CPU"
        hwms="$hwms $F_HWM"
        set -- $F_FRAMES
        gaps="$gaps ${3:-0}"
        [ "$F_REPLY" = ok ] || break
    done
    out fast20k_reply "$F_REPLY"
    out fast20k_tokens "$tokens"
    out fast20k_rounds "$rounds"
    out fast20k_seconds "$F_SECS"
    out fast20k_cpu_s "$(printf '%s\n' $cpus | sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')"
    out fast20k_cpu_s_all "${cpus# }"
    set -- $(stats $cpus)
    out fast20k_cpu_s_spread "$2-$3"
    set -- $(stats $hwms)
    out fast20k_vmhwm_kb_spread "$2-$3"
    out fast20k_cpu_ticks "$F_TICKS"
    out fast20k_vmhwm_kb "$(printf '%s\n' $hwms | sort -n | tail -1)"
    set -- $F_FRAMES
    out fast20k_frames "${1:-?}"
    out fast20k_session_ms "${2:-?}"
    out fast20k_shortest_gap_ms "$(printf '%s\n' $gaps | sort -n | head -1)"
}

# ---------------------------------------------------------------------
# Frame cost vs history: the same kind of reply streams into a workspace of
# 10 and one of 10,000 messages while the console shows it. Each workspace
# lives alone in its own simulator state, so the other one's history is
# not in the console's memory.
#
# One sample per workspace says little on a shared machine (three runs once
# gave 1094/312, 307/569 and 422/820 us per frame), so the question is
# settled by a paired comparison within one run: HISTORY_PAIRS (5) pairs of
# sessions, one of each workspace back to back (the order alternating, so
# that a machine growing busier favours neither), each pair giving the
# ratio of their costs per frame. The verdict is on the median ratio; each
# ratio is reported, with each workspace's median and spread. The replies
# stream at --speed HISTORY_SPEED (3: about 90 tokens/s).

# history_setup N: $B_DIR/history-N.json holds workspace bench_hN with N
# messages; its id goes to $B_DIR/ws.bench_hN.
history_setup() {
    local n=$1 state="$B_DIR/history-$1.json"
    rm -f "$state"
    sim_start --speed 0 --state "$state" || return 1
    api POST /api/workspaces "{\"client_id\":\"bench_h$n\",\"initial_message\":\"Hello, I have a question about my order.\",\"metadata\":{\"mode\":\"ai\",\"model\":\"pin:operator-alias/llama3\"}}" \
        | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])' \
        >"$B_DIR/ws.bench_h$n" || return 1
    sim_stop
    "$PYTHON3" "$top/bench/mkstate.py" "$state" "bench_h$n" "$n" >/dev/null
}

# history_loaded ID SECS: the console's debug log shows the history of
# workspace ID fetched (its GET done). What the screen shows first depends
# on whether the history arrived before the first frame after /open.
history_loaded() {
    local i
    for i in $(seq 1 $(($2 * 20))); do
        awk -v p="/api/workspaces/$1/messages" '$4 == "GET" && index($5, p) { sub(":", "", $3); get[$3] = 1 }
            / done, HTTP 200/ { id = $3; sub(":", "", id); if (id in get) ok = 1 }
            END { exit !ok }' "$B_DIR/debug.log" && return 0
        sleep 0.05
    done
    echo "the history of $1 was not fetched" >&2
    return 1
}

# history_case N MODE: one console session on the workspace of N messages
# (its simulator running). MODE "stream": a customer message is sent and
# the AI reply streams in while the console shows it; "base": the same
# session without it, for the frames it draws anyway. Sets H_FRAMES, and
# for a stream H_CPU_NS, H_SECS, H_HWM, H_BYTES.
history_case() {
    local n=$1 mode=$2
    fresh_home "h$n"
    console_start 200 50 "$(sim_url)"
    console_ready || return 1
    type_line "/open bench_h$n"
    wait_for "bench_h$n" 10 || return 1
    history_loaded "$(cat "$B_DIR/ws.bench_h$n")" 20 || return 1
    sleep 1
    if [ "$mode" = stream ]; then
        local id c0 t0 c1 t1
        id=$(cat "$B_DIR/ws.bench_h$n")
        c0=$(cpu_ns "$CONSOLE_PID"); t0=$(now_ns)
        api POST "/api/workspaces/$id/messages" \
            '{"content":"Can you show me a markdown demo reply?"}' >"$B_DIR/reply.$n.json"
        sleep 0.5 # the final message and its frame
        c1=$(cpu_ns "$CONSOLE_PID"); t1=$(now_ns)
        H_CPU_NS=$((c1 - c0))
        H_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b - a) / 1e9}')
        H_HWM=$(hwm_kb "$CONSOLE_PID")
        H_BYTES=$("$PYTHON3" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["responses"][0]["content"].encode()))' "$B_DIR/reply.$n.json")
    else
        sleep 0.5
    fi
    console_quit
    set -- $(frames_line)
    H_FRAMES=${1:-0}
}

# stats VALUES...: "MEDIAN MIN MAX" of numbers.
stats() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%g %g %g\n", m, v[1], v[NR] }'
}

bench_history() {
    local pairs=${HISTORY_PAIRS:-5} speed=${HISTORY_SPEED:-3} n i order
    local -A base costs hwms bytes secs
    for n in 10 10000; do
        history_setup "$n" || return 1
        # The frames a session draws without the reply (opening the
        # workspace): the median of two.
        local b=""
        for i in 1 2; do
            sim_start --speed "$speed" --state "$B_DIR/history-$n.json" || return 1
            history_case "$n" base || return 1
            sim_stop
            b="$b $H_FRAMES"
        done
        set -- $(stats $b)
        base[$n]=${1%.*}
        costs[$n]=""; hwms[$n]=""; bytes[$n]=""; secs[$n]=""
    done
    local ratios=""
    for i in $(seq 1 "$pairs"); do
        if [ $((i % 2)) = 1 ]; then order="10 10000"; else order="10000 10"; fi
        local -A us
        for n in $order; do
            sim_start --speed "$speed" --state "$B_DIR/history-$n.json" || return 1
            history_case "$n" stream || return 1
            sim_stop
            local frames=$((H_FRAMES - base[$n]))
            [ "$frames" -gt 0 ] || frames=1
            us[$n]=$(awk -v c="$H_CPU_NS" -v f="$frames" 'BEGIN{printf "%.0f", c / f / 1e3}')
            costs[$n]="${costs[$n]} ${us[$n]}"
            hwms[$n]="${hwms[$n]} $H_HWM"
            bytes[$n]="${bytes[$n]} $H_BYTES"
            secs[$n]="${secs[$n]} $H_SECS"
        done
        ratios="$ratios $(awk -v a="${us[10]}" -v b="${us[10000]}" 'BEGIN{printf "%.2f", b / a}')"
    done
    for n in 10 10000; do
        set -- $(stats ${costs[$n]})
        out "history${n}_cpu_us_per_frame" "$1"
        out "history${n}_cpu_us_per_frame_spread" "$2-$3"
        out "history${n}_cpu_us_per_frame_all" "${costs[$n]# }"
        out "history${n}_base_frames" "${base[$n]}"
        set -- $(stats ${hwms[$n]})
        out "history${n}_vmhwm_kb" "$3"
        out "history${n}_vmhwm_kb_spread" "$2-$3"
        set -- $(stats ${bytes[$n]})
        out "history${n}_reply_bytes" "$1"
        set -- $(stats ${secs[$n]})
        out "history${n}_seconds" "$1"
    done
    out history_pairs "$pairs"
    out history_speed "$speed"
    out history_ratio_all "${ratios# }"
    set -- $(stats $ratios)
    out history_ratio "$1"
    out history_ratio_spread "$2-$3"
    out history_ratio_over_1_25 "$(printf '%s\n' $ratios | awk '$1 > 1.25 {n++} END {print n + 0}')"
}

# ---------------------------------------------------------------------
# Idle: 20 open workspaces and the event stream connected; CPU and
# wake-ups (voluntary context switches, per thread) over IDLE_SECONDS, in
# IDLE_WINDOWS (6) windows for a median and a spread.
bench_idle() {
    local secs=${IDLE_SECONDS:-60} i
    sim_start --speed 1 || return 1
    for i in $(seq 1 20); do
        api POST /api/workspaces "{\"client_id\":\"bench_idle_$i\",\"initial_message\":\"Question number $i\",\"metadata\":{\"mode\":\"takeover\"}}" >/dev/null
    done
    fresh_home idle
    console_start 200 50 "$(sim_url)"
    console_ready || return 1
    wait_for "bench_idle_20" 10 || return 1
    sleep 3
    local c0 k0 c1 k1 s0 s1 w windows=${IDLE_WINDOWS:-6} wcpu="" wwake=""
    local step
    step=$(awk -v s="$secs" -v n="$windows" 'BEGIN{printf "%.3f", s / n}')
    s0=$(switches "$CONSOLE_PID")
    c0=$(cpu_ns "$CONSOLE_PID"); k0=$(cpu_ticks "$CONSOLE_PID")
    local wc0=$c0 wc1 ws0 ws1
    ws0=$(switches "$CONSOLE_PID" | awk -F: '{s += $3} END {print s}')
    for w in $(seq 1 "$windows"); do
        sleep "$step"
        wc1=$(cpu_ns "$CONSOLE_PID")
        ws1=$(switches "$CONSOLE_PID" | awk -F: '{s += $3} END {print s}')
        wcpu="$wcpu $(fmt_ms $((wc1 - wc0)))"
        wwake="$wwake $((ws1 - ws0))"
        wc0=$wc1; ws0=$ws1
    done
    c1=$(cpu_ns "$CONSOLE_PID"); k1=$(cpu_ticks "$CONSOLE_PID")
    s1=$(switches "$CONSOLE_PID")
    console_quit
    sim_stop
    out idle_seconds "$secs"
    out idle_cpu_ms "$(fmt_ms $((c1 - c0)))"
    out idle_cpu_ticks "$((k1 - k0))"
    out idle_cpu_pct "$(awk -v c="$((c1 - c0))" -v s="$secs" 'BEGIN{printf "%.3f", 100 * c / (s * 1e9)}')"
    # Wake-ups per thread: voluntary switches (each is a sleep that ended).
    local tid comm v nv v0 total=0 detail=""
    while IFS=: read -r tid comm v nv; do
        v0=$(printf '%s\n' "$s0" | awk -F: -v t="$tid" '$1 == t {print $3}')
        [ -n "$v0" ] || v0=0
        total=$((total + v - v0))
        if [ "$tid" = "$CONSOLE_PID" ]; then comm="ui-thread"; else comm="thread-$tid"; fi
        detail="$detail ${comm}=$((v - v0))"
    done <<<"$s1"
    out idle_wakeups "$total"
    out idle_wakeups_by_thread "${detail# }"
    out idle_window_s "$step"
    out idle_window_cpu_ms_all "${wcpu# }"
    out idle_window_wakeups_all "${wwake# }"
    set -- $(stats $wcpu)
    out idle_window_cpu_ms "$1"
    out idle_window_cpu_ms_spread "$2-$3"
    set -- $(stats $wwake)
    out idle_window_wakeups "$1"
    out idle_window_wakeups_spread "$2-$3"
}

# ---------------------------------------------------------------------
# Start to first drawn frame, over several runs (the first-frame hook).
bench_start() {
    local runs=${START_RUNS:-20}
    sim_start --speed 1 || return 1
    fresh_home start
    local o
    o=$(AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL="$(sim_url)" AIDESK_THEMES="$top/themes" \
        "$BENCH_BUILD/bench/bench-start" --runs "$runs" --size 200x50 -- "$AIDESK_BIN") || {
        sim_stop
        return 1
    }
    sim_stop
    printf '%s\n' "$o" | while read -r k v; do out "start_$k" "$v"; done
}

# ---------------------------------------------------------------------
# Twelve columns (issue 5). In the console: twelve streams side by side
# draw at most one frame per frame. In the comparison core (bench-compare,
# no terminal): every column's time to first token against a single
# stream's, measured in the same run, and the client's own share of it.
bench_compare12() {
    local model=${COMPARE_MODEL:-gpt-4o-mini} i
    sim_start --speed 1 --reply-tokens 300 || return 1
    "$BENCH_BUILD/bench/bench-compare" --url "$(sim_url)" --model "$model" \
        --rounds "${COMPARE_ROUNDS:-5}" >"$B_DIR/compare.out" || return 1
    local k
    for k in single_ttft_ms worst_gap_median_ms worst_gap_min_ms worst_gap_max_ms worst_client_share_median_ms \
             worst_client_share_max_ms; do
        out "compare12_$k" "$(awk -v k="$k" '$1 == k {print $2}' "$B_DIR/compare.out")"
    done
    fresh_home c12
    console_start 240 60 "http://127.0.0.1:$SIM_PORT"
    console_ready || return 1
    local twelve=""
    for i in $(seq 1 12); do twelve="$twelve $model"; done
    type_line "/compare$twelve"
    wait_for "Comparison" 5 || return 1
    local t0 c0
    c0=$(cpu_ns "$CONSOLE_PID"); t0=$(now_ns)
    type_line "How fast are you?"
    for i in $(seq 1 600); do
        [ "$(screen | grep -o ' done' | wc -l)" -ge 12 ] && break
        sleep 0.1
    done
    local c1 t1
    c1=$(cpu_ns "$CONSOLE_PID"); t1=$(now_ns)
    console_quit
    out compare12_cpu_ms "$(fmt_ms "$((c1 - c0))")"
    out compare12_seconds "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b - a) / 1e9}')"
    set -- $(frames_line)
    out compare12_frames "${1:-?}"
    out compare12_session_ms "${2:-?}"
    out compare12_shortest_gap_ms "${3:-?}"
}

# ---------------------------------------------------------------------
# Twelve streams against one (issue 12): the console shows /compare of one
# column, then of twelve, of a model streaming at about 200 tokens/s
# (gemini-1.5-flash), in 240x60; CPU of the console from Enter to the last
# column's end. STREAMS_PAIRS (3) pairs, the order alternating; the figure
# is the median ratio of twelve to one within a pair.
streams_once() {
    local k=$1 tokens=$2 model=gemini-1.5-flash i
    sim_start --speed 1 --reply-tokens "$tokens" || return 1
    fresh_home "st$k"
    console_start 240 60 "$(sim_url)"
    console_ready || return 1
    local cmd="/compare"
    for i in $(seq 1 "$k"); do cmd="$cmd $model"; done
    type_line "$cmd"
    wait_for "Comparison" 5 || return 1
    local n0 c0 t0 c1 t1 s0 s1 w0 w1 u0 u1
    n0=$(grep -c 'done, HTTP 200' "$B_DIR/debug.log")
    w0=$(ui_writes "$CONSOLE_PID")
    u0=$(cut -d' ' -f1 /proc/"$CONSOLE_PID"/task/"$CONSOLE_PID"/schedstat)
    s0=$(switches "$CONSOLE_PID" | awk -F: '{s += $3} END {print s}')
    c0=$(cpu_ns "$CONSOLE_PID"); t0=$(now_ns)
    type_line "How fast are you?"
    for i in $(seq 1 1200); do
        [ "$(grep -c 'done, HTTP 200' "$B_DIR/debug.log")" -ge $((n0 + k)) ] && break
        sleep 0.1
    done
    sleep 0.2 # the last frame
    c1=$(cpu_ns "$CONSOLE_PID"); t1=$(now_ns)
    s1=$(switches "$CONSOLE_PID" | awk -F: '{s += $3} END {print s}')
    w1=$(ui_writes "$CONSOLE_PID")
    u1=$(cut -d' ' -f1 /proc/"$CONSOLE_PID"/task/"$CONSOLE_PID"/schedstat)
    console_quit
    sim_stop
    T_WRITES=$((w1 - w0))
    T_UI_MS=$(fmt_ms $((u1 - u0)))
    T_CPU_MS=$(fmt_ms $((c1 - c0)))
    T_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b - a) / 1e9}')
    T_WAKE=$((s1 - s0))
    set -- $(frames_line)
    T_FRAMES=${1:-0}
}

bench_streams12() {
    local pairs=${STREAMS_PAIRS:-3} tokens=${STREAMS_TOKENS:-3000} i k order
    local -A cpu wake secs frames writes uicpu
    local ratios=""
    for i in $(seq 1 "$pairs"); do
        if [ $((i % 2)) = 1 ]; then order="1 12"; else order="12 1"; fi
        local -A got
        for k in $order; do
            streams_once "$k" "$tokens" || return 1
            got[$k]=$T_CPU_MS
            cpu[$k]="${cpu[$k]:-} $T_CPU_MS"
            wake[$k]="${wake[$k]:-} $T_WAKE"
            secs[$k]="${secs[$k]:-} $T_SECS"
            frames[$k]="${frames[$k]:-} $T_FRAMES"
            writes[$k]="${writes[$k]:-} $T_WRITES"
            uicpu[$k]="${uicpu[$k]:-} $T_UI_MS"
        done
        ratios="$ratios $(awk -v a="${got[1]}" -v b="${got[12]}" 'BEGIN{printf "%.2f", b / a}')"
    done
    for k in 1 12; do
        set -- $(stats ${cpu[$k]})
        out "streams${k}_cpu_ms" "$1"
        out "streams${k}_cpu_ms_spread" "$2-$3"
        out "streams${k}_cpu_ms_all" "${cpu[$k]# }"
        set -- $(stats ${wake[$k]})
        out "streams${k}_wakeups" "$1"
        set -- $(stats ${secs[$k]})
        out "streams${k}_seconds" "$1"
        set -- $(stats ${frames[$k]})
        out "streams${k}_frames" "$1"
        set -- $(stats ${writes[$k]})
        out "streams${k}_ui_writes" "$1"
        set -- $(stats ${uicpu[$k]})
        out "streams${k}_ui_cpu_ms" "$1"
    done
    out streams_tokens "$tokens"
    out streams_pairs "$pairs"
    out streams_ratio_all "${ratios# }"
    set -- $(stats $ratios)
    out streams_ratio "$1"
    out streams_ratio_spread "$2-$3"
}

# ---------------------------------------------------------------------
# Input first (issue 12): keys typed at a human rate (bench-echo: about 8 a
# second, +-40 %) while a 1,000,000-token reply streams (llama-3.1-8b-instant
# at --speed 30: some 24,000 tokens/s, 40 s) in 200x50, and while twelve
# columns stream at 200 tokens/s in 240x60; the time from each key's write
# to its echo reaching the terminal. ECHO_ROUNDS (3) consoles per scene,
# ECHO_KEYS (200) keys each; the figures are over all keys of a scene, the
# per-round p99s beside them. Each round checks from the debug log that the
# scene was still streaming when typing ended (no chat request done before
# the exit).
echo_once() {
    local scene=$1 size model tokens speed n=1 i
    case $scene in
    long) size=200x50 model=llama-3.1-8b-instant tokens=1000000 speed=30 ;;
    twelve) size=240x60 model=gemini-1.5-flash tokens=${ECHO12_TOKENS:-12000} speed=1 n=12 ;;
    esac
    sim_start --speed "$speed" --reply-tokens "$tokens" || return 1
    fresh_home "echo-$scene"
    printf '[aiassist]\nmax_tokens = %s\n' "$tokens" >"$XDG_CONFIG_HOME/aidesk/config"
    local first="/chat $model"
    if [ "$n" = 12 ]; then
        first="/compare"
        for i in $(seq 1 12); do first="$first $model"; done
    fi
    rm -f "$B_DIR/debug.log"
    AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL="$(sim_url)" AIDESK_THEMES="$top/themes" \
        "$BENCH_BUILD/bench/bench-echo" --size "$size" --keys "${ECHO_KEYS:-200}" --ready connected \
        --line "$first" --line "Tell me about shipping, refunds and passwords" --wait-for "$STREAM_CURSOR" \
        --lat-file "$B_DIR/echo.lat" -- "$AIDESK_BIN" --debug "$B_DIR/debug.log" >"$B_DIR/echo.out" || {
        sim_stop
        return 1
    }
    sim_stop
    cat "$B_DIR/echo.lat" >>"$B_DIR/echo-$scene.all"
    E_P99=$(awk '$1 == "echo_p99_ms" {print $2}' "$B_DIR/echo.out")
    E_LOST=$(awk '$1 == "lost" {print $2}' "$B_DIR/echo.out")
    # Lasted: none of the chat requests ended done before the exit.
    E_LASTED=$(awk '/POST .*\/chat\/completions/ { sub(":", "", $3); chat[$3] = 1 }
        / done, HTTP / { id = $3; sub(":", "", id); if (id in chat) done = 1 }
        END { print (length(chat) && !done) ? 1 : 0 }' "$B_DIR/debug.log")
    E_FRAME=$(sed -n 's/.*longest frame \([0-9.]*\) ms, longest slice of events \([0-9.]*\) ms.*/\1 \2/p' "$B_DIR/debug.log" | tail -1)
}

bench_echo() {
    local scene r
    for scene in long twelve; do
        local p99s="" lost=0 lasted=0 frames="" slices=""
        : >"$B_DIR/echo-$scene.all"
        for r in $(seq 1 "${ECHO_ROUNDS:-3}"); do
            echo_once "$scene" || return 1
            p99s="$p99s $E_P99"
            lost=$((lost + E_LOST))
            lasted=$((lasted + E_LASTED))
            set -- $E_FRAME
            frames="$frames ${1:-0}"
            slices="$slices ${2:-0}"
        done
        sort -g "$B_DIR/echo-$scene.all" | awk -v s="$scene" '{v[NR] = $1} END {
            n = NR; split("0.5 0.9 0.99", p, " ")
            for (i = 1; i <= 3; i++) { k = int(p[i] * n + 0.999999); if (k < 1) k = 1; x[i] = v[k] }
            printf "echo_%s_keys %d\necho_%s_median_ms %.2f\necho_%s_p90_ms %.2f\necho_%s_p99_ms %.2f\necho_%s_max_ms %.2f\n",
                s, n, s, x[1], s, x[2], s, x[3], s, v[n] }' >>"$results"
        out "echo_${scene}_p99_ms_rounds" "${p99s# }"
        out "echo_${scene}_lost" "$lost"
        out "echo_${scene}_rounds" "${ECHO_ROUNDS:-3}"
        out "echo_${scene}_rounds_lasted" "$lasted"
        out "echo_${scene}_longest_frame_ms_rounds" "${frames# }"
        out "echo_${scene}_longest_slice_ms_rounds" "${slices# }"
    done
}
