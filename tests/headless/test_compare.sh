#!/usr/bin/env bash
# Headless: the comparison pane and the model picker.
. "$(dirname "$0")/lib.sh"

# Measured figures change from run to run (a rate may be unknown: a reply
# read in one go has no time between tokens), and so does the length of
# their line, where a narrow column cuts it: the whole line is masked.
# A median and its spread, likewise.
H_MASK='s/TTFT [0-9][^│]*/TTFT … /g; s/[0-9]+( ms| tok\/s)? \([0-9]+-[0-9]+\) */N (min-max) /g'

compares_zooms_and_picks() {
    run_console compare.keys "$1" || return 1
    screens_match compare "$1" empty done zoomed picker picked
}

# Twelve models: every column on screen at 200x50 (two rows of six),
# long names shortened in the middle, the -n runs' medians and spreads.
twelve_columns() {
    run_console compare-grid.keys "$1" || return 1
    screens_match compare "$1" grid || return 1
    [ "$1" = 200x50 ] || return 0
    local g="$H_DIR/out/$1/grid" name
    grep -q "12 columns" "$g" || { echo "# not every column is on screen"; return 1; }
    for name in "gpt-4o (openai)" "meta-llama…ruct-Turbo" "accounts/f…b-instruct" "llama-3.1-…8k-online" \
        "meta-llama/Lla…nstruct-Turbo"; do
        grep -qF "$name" "$g" || { echo "# no '$name' on screen"; return 1; }
    done
}

sim_start --speed 0 || exit 1
for size in 80x24 200x50; do
    check "the comparison pane compares, zooms and picks at $size" compares_zooms_and_picks "$size"
    check "twelve models compare on one screen, with medians, at $size" twelve_columns "$size"
done
finish
