# lib.sh: helpers for end-to-end tests that drive the real aidesk in tmux
# against the simulator and read the screen as a person would. Sourced by
# tests/tui/*.sh, which print TAP.
set -u

: "${AIDESK_BIN:?AIDESK_BIN must point at the aidesk program}"
: "${AIDESK_SIM:?AIDESK_SIM must point at the simulator}"
PYTHON3=${PYTHON3:-python3}

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aidesk-tui-XXXXXX")
T_SOCK="aidesk-tui-$$"
T_N=0
T_FAILED=0
SIM_PID=""
SIM_PORT=""

export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
export XDG_CONFIG_HOME="$T_DIR/config" XDG_DATA_HOME="$T_DIR/data" XDG_STATE_HOME="$T_DIR/state"
export HOME="$T_DIR/home"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$HOME"
unset NO_COLOR AIDESK_DEBUG_LOG

cleanup() {
    tmux -L "$T_SOCK" kill-server 2>/dev/null
    sim_stop
    rm -rf "$T_DIR"
}
trap cleanup EXIT

free_port() {
    "$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# sim_start [args...]: the simulator on $SIM_PORT (picked once, reused by
# restarts so the console can find it again), with state kept in $T_DIR.
sim_start() {
    [ -n "$SIM_PORT" ] || SIM_PORT=$(free_port)
    rm -f "$T_DIR/port"
    "$PYTHON3" "$AIDESK_SIM" --port "$SIM_PORT" --port-file "$T_DIR/port" --quiet \
        --state "$T_DIR/sim-state.json" "$@" >"$T_DIR/sim.out" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 200); do
        [ -s "$T_DIR/port" ] && return 0
        sleep 0.05
    done
    echo "# the simulator did not start:"; sed 's/^/# /' "$T_DIR/sim.out"
    return 1
}

sim_stop() {
    if [ -n "$SIM_PID" ]; then
        kill "$SIM_PID" 2>/dev/null
        wait "$SIM_PID" 2>/dev/null
        SIM_PID=""
    fi
}

SIM_URL() { echo "http://127.0.0.1:$SIM_PORT"; }

# api METHOD PATH [JSON] [KEY]: a call to the simulator, answer on stdout.
api() {
    local key=${4:-aai_demo_user}
    curl -s -X "$1" -H "X-API-Key: $key" -H "Content-Type: application/json" \
        ${3:+-d "$3"} "$(SIM_URL)$2"
}

# console_start [cols rows] [env...]: aidesk in a detached tmux session.
# A tmux server still exiting (after console_stop) makes a new session
# fail ("server exited unexpectedly"): then it is tried again.
console_start() {
    local cols=${1:-120} rows=${2:-40} try
    shift 2 2>/dev/null || true
    for try in $(seq 1 20); do
        tmux -L "$T_SOCK" -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
            env AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL="$(SIM_URL)" \
            AIDESK_THEMES="${AIDESK_SRCDIR:-.}/themes" "$@" "$AIDESK_BIN" --debug "$T_DIR/debug.log" \
            && break
        sleep 0.1
    done
    tmux -L "$T_SOCK" set-option -t t status off >/dev/null
}

# console_stop: ends the console with its tmux server, and waits until the
# server is gone.
console_stop() {
    tmux -L "$T_SOCK" kill-server 2>/dev/null
    for _ in $(seq 1 100); do
        tmux -L "$T_SOCK" list-sessions >/dev/null 2>&1 || return 0
        sleep 0.05
    done
}

screen() { tmux -L "$T_SOCK" capture-pane -p -t t 2>/dev/null; }

keys() { tmux -L "$T_SOCK" send-keys -t t "$@"; }
# type TEXT: types text literally (no key names), then nothing else.
type_text() { tmux -L "$T_SOCK" send-keys -t t -l -- "$1"; }
enter() { keys Enter; }

# wait_for REGEX [SECONDS]: until the screen shows it.
wait_for() {
    local re=$1 secs=${2:-15} i
    for i in $(seq 1 $((secs * 20))); do
        if screen | grep -Eq -- "$re"; then return 0; fi
        sleep 0.05
    done
    echo "# timed out waiting for: $re"
    screen | sed 's/^/# | /'
    return 1
}

# wait_gone REGEX [SECONDS]
wait_gone() {
    local re=$1 secs=${2:-15} i
    for i in $(seq 1 $((secs * 20))); do
        if ! screen | grep -Eq -- "$re"; then return 0; fi
        sleep 0.05
    done
    echo "# still on screen: $re"
    screen | sed 's/^/# | /'
    return 1
}

# check NAME COMMAND...: one TAP test case.
check() {
    local name=$1
    shift
    T_N=$((T_N + 1))
    if "$@"; then
        echo "ok $T_N - $name"
    else
        echo "not ok $T_N - $name"
        T_FAILED=$((T_FAILED + 1))
        if [ -f "$T_DIR/debug.log" ]; then
            echo "# debug log tail:"; tail -n 15 "$T_DIR/debug.log" | sed 's/^/#   /'
        fi
    fi
}

finish() {
    echo "1..$T_N"
    echo "# $((T_N - T_FAILED)) passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ]
}
