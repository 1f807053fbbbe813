#!/usr/bin/env bash
# Headless: /copy and /copy code N write private files and say where.
. "$(dirname "$0")/lib.sh"

copies_to_files() {
    run_console copy.keys 200x50 || return 1
    local dir="$XDG_STATE_HOME/aidesk/copies" ok=0 f
    local code answer
    code=$(find "$dir" -type f -name '*block-1*' | head -n 1)
    answer=$(find "$dir" -type f ! -name '*block*' | head -n 1)
    if [ -z "$code" ] || [ -z "$answer" ]; then
        echo "# missing copies in $dir:"; ls -l "$dir" 2>&1 | sed 's/^/#   /'
        return 1
    fi
    for f in "$code" "$answer"; do
        if [ "$(stat -c %a "$f")" != 600 ]; then
            echo "# $f has mode $(stat -c %a "$f"), not 600"
            ok=1
        fi
    done
    # The code block is the code alone, as the answer gave it.
    if ! head -n 1 "$code" | grep -qx 'def chunked(items, size):' ||
        ! grep -qF 'print(list(chunked(range(7), 3)))  # [[0, 1, 2], [3, 4, 5], [6]]' "$code" ||
        grep -q '```' "$code"; then
        echo "# the code block's copy is not the code:"; sed 's/^/#   /' "$code"
        ok=1
    fi
    # The answer is the whole answer, its markdown included.
    if ! grep -qx '```python' "$answer" || ! grep -qF 'def chunked(items, size):' "$answer"; then
        echo "# the answer's copy is not the answer:"; sed 's/^/#   /' "$answer"
        ok=1
    fi
    [ "$(stat -c %a "$dir")" = 700 ] || { echo "# $dir is not 0700"; ok=1; }
    return $ok
}

copies_through_osc52() {
    mkdir -p "$XDG_CONFIG_HOME/aidesk"
    printf '[ui]\nosc52 = true\n' >"$XDG_CONFIG_HOME/aidesk/config"
    run_console copy-osc52.keys 200x50
    local rc=$?
    rm -f "$XDG_CONFIG_HOME/aidesk/config"
    [ $rc -eq 0 ] || return 1
    if [ -n "$(find "$XDG_STATE_HOME/aidesk" -path '*copies*' -type f 2>/dev/null)" ]; then
        echo "# a file was written although OSC 52 is on"
        return 1
    fi
}

sim_start --speed 0 || exit 1
check "/copy and /copy code N write 0600 files and say where" copies_to_files
check "/copy code goes through OSC 52 when it is on, and writes no file" copies_through_osc52
finish
