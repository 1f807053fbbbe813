#!/usr/bin/env bash
# Headless: the comparison pane and the model picker.
. "$(dirname "$0")/lib.sh"

# Measured figures change from run to run (a rate may be unknown: a reply
# read in one go has no time between tokens), and so does the length of
# their line, where a narrow column cuts it: the whole line is masked.
H_MASK='s/TTFT [0-9][^│]*/TTFT … /g'

compares_zooms_and_picks() {
    run_console compare.keys "$1" || return 1
    screens_match compare "$1" empty done zoomed picker picked
}

sim_start --speed 0 || exit 1
for size in 80x24 200x50; do
    check "the comparison pane compares, zooms and picks at $size" compares_zooms_and_picks "$size"
done
finish
