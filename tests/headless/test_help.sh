#!/usr/bin/env bash
# Headless: the help overlay, and the first screen's key hint.
. "$(dirname "$0")/lib.sh"

# boxed DUMP COLS: the overlay in the dump is a box over everything above
# the status bar: each of its rows starts and ends with a border at the
# screen's edges, so nothing of the panes under it shows.
boxed() {
    "$PYTHON3" - "$1" "$2" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
cols = int(sys.argv[2])
box = rows[:-2]  # the status bar and the input line stay
for i, r in enumerate(box):
    ends = ("┌", "┐") if i == 0 else ("└", "┘") if i == len(box) - 1 else ("│", "│")
    if len(r) != cols or r[0] != ends[0] or r[-1] != ends[1]:
        print("# row %d is not the box's: %s" % (i + 1, r))
        sys.exit(1)
PY
}

opens_scrolls_and_closes() {
    run_console help.keys "$1" || return 1
    screens_match help "$1" help help-down closed question-mark || return 1
    boxed "$H_DIR/out/$1/help" "${1%x*}" && boxed "$H_DIR/out/$1/help-down" "${1%x*}"
}

first_screen_teaches() {
    H_FIRST_RUN=1 run_console first-run.keys "$1" || return 1
    screens_match help "$1" first first-help after || return 1
    boxed "$H_DIR/out/$1/first-help" "${1%x*}" || return 1
    # Remembered for the next run.
    [ -f "$XDG_STATE_HOME/aidesk/help-seen" ] || { echo "# help-seen was not written"; return 1; }
}

sim_start --speed 0 || exit 1
for size in 80x24 200x50; do
    check "the help overlay opens, scrolls and closes at $size" opens_scrolls_and_closes "$size"
    check "the first screen's key hint goes once help was opened, at $size" first_screen_teaches "$size"
done
finish
