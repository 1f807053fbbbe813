# bench/lib.sh: helpers for bench/run (sourced): the simulator,
# the console in tmux, and readings of a process from /proc.
# Needs: BENCH_BUILD (the build directory), top (the source tree).

B_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aidesk-bench-XXXXXX")
B_SOCK="aidesk-bench-$$"
SIM_PID=""
SIM_PORT=""
PYTHON3=${PYTHON3:-python3}
AIDESK_BIN="$BENCH_BUILD/aidesk"
AIDESK_SIM="$top/sim/aidesk-sim"

export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR AIDESK_DEBUG_LOG AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME

# fresh_home: a clean XDG_* and HOME for the next console.
# Long replies need max_tokens above the default 1024: the config file says
# so.
fresh_home() {
    local h="$B_DIR/home.$1"
    rm -rf "$h"
    mkdir -p "$h/config/aidesk" "$h/data" "$h/state" "$h/home"
    printf '[aiassist]\nmax_tokens = 100000\n' > "$h/config/aidesk/config"
    export XDG_CONFIG_HOME="$h/config" XDG_DATA_HOME="$h/data" XDG_STATE_HOME="$h/state"
    export HOME="$h/home"
}

bench_cleanup() {
    tmux -L "$B_SOCK" kill-server 2>/dev/null
    tmux -L "$B_SOCK-peers" kill-server 2>/dev/null
    sim_stop
    declare -F peers_server_stop >/dev/null && peers_server_stop
    rm -rf "$B_DIR"
}

# sim_start [args...]: the simulator on a free port, state in $B_DIR.
sim_start() {
    rm -f "$B_DIR/sim.port"
    "$PYTHON3" "$AIDESK_SIM" --port 0 --port-file "$B_DIR/sim.port" --quiet "$@" \
        >"$B_DIR/sim.out" 2>&1 &
    SIM_PID=$!
    local i
    for i in $(seq 1 200); do
        if [ -s "$B_DIR/sim.port" ]; then
            SIM_PORT=$(cat "$B_DIR/sim.port")
            return 0
        fi
        sleep 0.05
    done
    echo "the simulator did not start:" >&2
    cat "$B_DIR/sim.out" >&2
    return 1
}

sim_stop() {
    if [ -n "$SIM_PID" ]; then
        kill "$SIM_PID" 2>/dev/null
        wait "$SIM_PID" 2>/dev/null
        SIM_PID=""
    fi
}

sim_url() { echo "http://127.0.0.1:$SIM_PORT"; }


# api METHOD PATH [JSON] [KEY]: a call to the simulator, answer on stdout.
api() {
    local key=${4:-aai_demo_user}
    curl -s -X "$1" -H "X-API-Key: $key" -H "Content-Type: application/json" \
        ${3:+-d "$3"} "$(sim_url)$2"
}

# console_start COLS ROWS URL: aidesk in a detached tmux session, with a
# debug log at $B_DIR/debug.log (fresh each time).
console_start() {
    local cols=$1 rows=$2 url=$3
    rm -f "$B_DIR/debug.log"
    tmux -L "$B_SOCK" -f /dev/null new-session -d -s b -x "$cols" -y "$rows" \
        env AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL="$url" \
        AIDESK_THEMES="$top/themes" "$AIDESK_BIN" --debug "$B_DIR/debug.log"
    tmux -L "$B_SOCK" set-option -t b status off >/dev/null
    CONSOLE_PID=$(tmux -L "$B_SOCK" display-message -p -t b '#{pane_pid}')
}

screen() { tmux -L "$B_SOCK" capture-pane -p -t b 2>/dev/null; }
# on_screen REGEX: whether the screen shows it (no pipe: with pipefail,
# grep -q closing the pipe early would read as "not found").
on_screen() {
    local s
    s=$(screen)
    grep -Eq -- "$1" <<<"$s"
}
keys() { tmux -L "$B_SOCK" send-keys -t b "$@"; }
type_line() { tmux -L "$B_SOCK" send-keys -t b -l -- "$1"; tmux -L "$B_SOCK" send-keys -t b Enter; }

# wait_for REGEX [SECONDS]: until the screen shows it.
wait_for() {
    local re=$1 secs=${2:-15} i
    for i in $(seq 1 $((secs * 50))); do
        if on_screen "$re"; then return 0; fi
        sleep 0.02
    done
    echo "timed out waiting for: $re" >&2
    screen | sed 's/^/  | /' >&2
    return 1
}

# wait_gone REGEX [SECONDS]
wait_gone() {
    local re=$1 secs=${2:-15} i
    for i in $(seq 1 $((secs * 50))); do
        if ! on_screen "$re"; then return 0; fi
        sleep 0.02
    done
    echo "still on screen: $re" >&2
    return 1
}

# console_quit [SECONDS]: F10, then wait for the process to go (killed
# after SECONDS, default 5).
console_quit() {
    keys F10
    local i
    for i in $(seq 1 $((${1:-5} * 50))); do
        [ -d "/proc/$CONSOLE_PID" ] || break
        sleep 0.02
    done
    [ -d "/proc/$CONSOLE_PID" ] && kill "$CONSOLE_PID" 2>/dev/null
    tmux -L "$B_SOCK" kill-server 2>/dev/null
    return 0
}

# frames_line: the frame hook's line from the debug log: "FRAMES MS GAP".
frames_line() {
    sed -n 's/.*console: \([0-9]*\) frames in \([0-9]*\) ms, shortest gap \(-\{0,1\}[0-9]*\) ms.*/\1 \2 \3/p' \
        "$B_DIR/debug.log" | tail -1
}

# cpu_ns PID: CPU time of every live thread, in nanoseconds (schedstat:
# exact run time, not the tick-sampled utime/stime).
cpu_ns() {
    # %.0f, not %d: mawk's %d stops at 2^31 (2.1 s of CPU).
    cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s+=$1} END{printf "%.0f\n", s}'
}

# cpu_ticks PID: utime + stime from /proc/PID/stat (all threads, in ticks).
cpu_ticks() {
    sed 's/.*) //' /proc/"$1"/stat | awk '{print $12 + $13}'
}

hwm_kb() { awk '/^VmHWM:/{print $2}' /proc/"$1"/status; }
rss_kb() { awk '/^VmRSS:/{print $2}' /proc/"$1"/status; }

# switches PID: "TID:COMM:VOLUNTARY:INVOLUNTARY" for each thread.
# ui_writes PID: write calls made so far by the console's UI thread (the
# process's first thread: it alone writes to the terminal), from
# /proc/PID/task/PID/io; 0 where that cannot be read.
ui_writes() {
    awk '$1 == "syscw:" {print $2; found = 1} END {if (!found) print 0}' \
        /proc/"$1"/task/"$1"/io 2>/dev/null || echo 0
}

switches() {
    local t
    for t in /proc/"$1"/task/*; do
        printf '%s:%s:%s:%s\n' "${t##*/}" "$(cat "$t/comm")" \
            "$(awk '/^voluntary_ctxt_switches/{print $2}' "$t/status")" \
            "$(awk '/^nonvoluntary_ctxt_switches/{print $2}' "$t/status")"
    done
}

now_ns() { date +%s%N; }

# fmt_ms NS: nanoseconds as milliseconds with one decimal.
fmt_ms() { awk -v n="$1" 'BEGIN{printf "%.1f", n / 1e6}'; }

# verdict VALUE OP TARGET: "ok" or "MISSED" (OP is <= or <).
verdict() {
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN{ ok = (op == "<=") ? (v <= t) : (v < t); print ok ? "ok" : "MISSED" }'
}
