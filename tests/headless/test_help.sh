#!/usr/bin/env bash
# Headless: the help overlay.
. "$(dirname "$0")/lib.sh"

opens_scrolls_and_closes() {
    run_console help.keys "$1" || return 1
    screens_match help "$1" help help-down closed question-mark
}

sim_start --speed 0 || exit 1
for size in 80x24 200x50; do
    check "the help overlay opens, scrolls and closes at $size" opens_scrolls_and_closes "$size"
done
finish
