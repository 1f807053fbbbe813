# lib.sh: helpers for the headless console tests. Each test runs the real
# aidesk on a virtual terminal (AIDESK_HEADLESS, see ui/headless.h)
# against the simulator, driven by a key script, and compares the screens
# it dumps with the expected ones in tests/headless/expected/. No tmux,
# no terminal. Sourced by tests/headless/test_*.sh, which print TAP.
#
# HEADLESS_UPDATE=1 writes the screens as the new expectations instead of
# comparing (then read the diff before committing it).
set -u

: "${AIDESK_BIN:?AIDESK_BIN must point at the aidesk program}"
: "${AIDESK_SIM:?AIDESK_SIM must point at the simulator}"
PYTHON3=${PYTHON3:-python3}
H_SRC=$(cd "$(dirname "$0")" && pwd)

H_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aidesk-headless-XXXXXX")
H_N=0
H_FAILED=0
SIM_PID=""
SIM_PORT=""

export LANG=C.UTF-8 LC_ALL=C.UTF-8
export XDG_CONFIG_HOME="$H_DIR/config" XDG_DATA_HOME="$H_DIR/data" XDG_STATE_HOME="$H_DIR/state"
export HOME="$H_DIR/home"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$HOME"
unset NO_COLOR AIDESK_DEBUG_LOG AIDESK_HEADLESS AIDESK_HEADLESS_SCRIPT AIDESK_HEADLESS_DUMPS

cleanup() {
    sim_stop
    rm -rf "$H_DIR"
}
trap cleanup EXIT

# sim_start [args...]: a fresh simulator (its own state), on a free port.
sim_start() {
    rm -f "$H_DIR/port" "$H_DIR/sim-state.json"
    "$PYTHON3" "$AIDESK_SIM" --port 0 --port-file "$H_DIR/port" --quiet \
        --state "$H_DIR/sim-state.json" "$@" >"$H_DIR/sim.out" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 400); do
        if [ -s "$H_DIR/port" ]; then
            SIM_PORT=$(cat "$H_DIR/port")
            export SIM_URL="http://127.0.0.1:$SIM_PORT"
            return 0
        fi
        sleep 0.05
    done
    echo "# the simulator did not start:"; sed 's/^/# /' "$H_DIR/sim.out"
    return 1
}

sim_stop() {
    if [ -n "$SIM_PID" ]; then
        kill "$SIM_PID" 2>/dev/null
        wait "$SIM_PID" 2>/dev/null
        SIM_PID=""
    fi
}

# api METHOD PATH [JSON] [KEY]: a call to the simulator, answer on stdout.
api() {
    curl -s -X "$1" -H "X-API-Key: ${4:-aai_demo_user}" -H "Content-Type: application/json" \
        ${3:+-d "$3"} "$SIM_URL$2"
}

# json_get EXPR: evaluates EXPR (Python, the document is `d`) on stdin.
json_get() { "$PYTHON3" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# run_console SCRIPT COLSxROWS [env...]: the console headless, with a
# fresh data directory (H_FIRST_RUN=1: and no sign of help opened before); its screens land in $H_DIR/out/SIZE. Returns its
# exit status; a failed step is explained on stderr (kept in
# $H_DIR/console.err and shown by the check that fails).
run_console() {
    local script=$1 size=$2
    shift 2
    rm -rf "$H_DIR/out/$size" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
    mkdir -p "$H_DIR/out/$size" "$XDG_DATA_HOME" "$XDG_STATE_HOME/aidesk"
    # Help was opened before (the first screen's key hint is off), unless
    # the test is about the first run.
    [ -n "${H_FIRST_RUN:-}" ] || : >"$XDG_STATE_HOME/aidesk/help-seen"
    env AIASSIST_API_KEY=aai_demo_agent AIASSIST_BASE_URL="$SIM_URL" \
        AIDESK_THEMES="${AIDESK_SRCDIR:-$H_SRC/../..}/themes" \
        AIDESK_HEADLESS="$size" AIDESK_HEADLESS_SCRIPT="$H_SRC/$script" \
        AIDESK_HEADLESS_DUMPS="$H_DIR/out/$size" "$@" \
        "$AIDESK_BIN" --debug "$H_DIR/debug.log" </dev/null >"$H_DIR/console.out" 2>"$H_DIR/console.err"
}

# What changes from run to run and is not what the screens test: clock
# times, ids the simulator makes up, measured durations, and how long a
# workspace has waited (always three columns: " 5s", "12s", " 3m").
mask() {
    sed -E \
        -e 's/[0-9]{2}:[0-9]{2}:[0-9]{1,2}/hh:mm:ss/g' \
        -e 's/(^|[^0-9])[0-9]{2}:[0-9]{2}([^0-9]|$)/\1hh:mm\2/g' \
        -e 's/(ws|sess|drf|msg|eph)_[A-Za-z0-9]{6,}/\1_ID/g' \
        -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' \
        -e 's/(^|[^0-9A-Za-z])[ 0-9][0-9][smhd]( |$)/\1 Nt\2/g' \
        ${H_MASK:+-e "$H_MASK"}
}

# screens_match NAME SIZE DUMP...: each dump of the last run, masked, is
# the expected one (tests/headless/expected/NAME/SIZE/DUMP).
screens_match() {
    local name=$1 size=$2 d ok=0
    shift 2
    local want="$H_SRC/expected/$name/$size"
    for d in "$@"; do
        if [ ! -f "$H_DIR/out/$size/$d" ]; then
            echo "# no screen $d was dumped"
            ok=1
            continue
        fi
        mask <"$H_DIR/out/$size/$d" >"$H_DIR/out/$size/$d.masked"
        if [ -n "${HEADLESS_UPDATE:-}" ]; then
            mkdir -p "$want"
            cp "$H_DIR/out/$size/$d.masked" "$want/$d"
        elif ! diff -u "$want/$d" "$H_DIR/out/$size/$d.masked" >"$H_DIR/diff"; then
            echo "# screen $d at $size differs from $want/$d:"
            sed 's/^/# /' "$H_DIR/diff"
            ok=1
        fi
    done
    return $ok
}

# check NAME COMMAND...: one TAP test case.
check() {
    local name=$1
    shift
    H_N=$((H_N + 1))
    if "$@"; then
        echo "ok $H_N - $name"
    else
        echo "not ok $H_N - $name"
        H_FAILED=$((H_FAILED + 1))
        if [ -s "$H_DIR/console.err" ]; then
            echo "# the console said:"; sed 's/^/#   /' "$H_DIR/console.err"
        fi
        if [ -f "$H_DIR/debug.log" ]; then
            echo "# debug log tail:"; tail -n 15 "$H_DIR/debug.log" | sed 's/^/#   /'
        fi
    fi
}

finish() {
    echo "1..$H_N"
    echo "# $((H_N - H_FAILED)) passed, $H_FAILED failed"
    [ "$H_FAILED" -eq 0 ]
}
