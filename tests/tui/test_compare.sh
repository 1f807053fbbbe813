#!/usr/bin/env bash
# End to end: a comparison of three models streaming side by side.
. "$(dirname "$0")/lib.sh"

sim_start --speed 1 || exit 1
console_start 160 45
wait_for "AiAssist connected" 20 || { finish; exit 1; }

streams_three_models_side_by_side_with_metrics() {
    type_text "/compare llama-3.1-8b-instant gpt-4o claude-3-5-sonnet-20241022"; enter
    wait_for "Comparison .*llama-3.1-8b-instant vs gpt-4o" 5 || return 1
    type_text "Tell me about lists"; enter
    # While they stream, the slow ones show the cursor and live figures.
    wait_for "streaming" 10 || return 1
    wait_for "TTFT [0-9]+ ms" 10 || return 1
    # All three finish, each with its token counts.
    for _ in $(seq 1 200); do
        [ "$(screen | grep -o ' done' | wc -l)" -ge 3 ] && break
        sleep 0.1
    done
    [ "$(screen | grep -o ' done' | wc -l)" -ge 3 ] || { screen | sed 's/^/# | /'; return 1; }
    [ "$(screen | grep -oE 'TTFT [0-9]+ ms' | wc -l)" -eq 3 ] || return 1
    [ "$(screen | grep -oE '[0-9]+ tok/s' | wc -l)" -eq 3 ] || return 1
    [ "$(screen | grep -oE '/[0-9]+ tok +stop' | wc -l)" -eq 3 ]
}

zooms_and_reruns_one_column() {
    keys Right   # the columns take the keys (column 1 selected)
    sleep 0.2
    keys Right   # column 2
    sleep 0.2
    keys z
    wait_for "column 2 of 3 \\(zoomed\\)" 5 || return 1
    keys r
    wait_for "gpt-4o \\(openai\\) +(waiting|streaming)" 5 || return 1
    wait_for "gpt-4o \\(openai\\) +done" 20 || return 1
    keys z
    wait_for "3 columns" 5
}

esc_cancels_a_column_and_keeps_its_text() {
    keys Enter
    sleep 0.2
    type_text "/compare pin:operator-alias/llama3 llama-3.1-8b-instant"; enter
    type_text "Another one"; enter
    wait_for "llama-3.1-8b-instant \\(groq\\) +done" 15 || return 1
    keys Left
    sleep 0.2
    keys Escape
    wait_for "pin:operator-alias/llama3 \\(pin\\) +cancelled" 10 || return 1
    wait_for "llama-3.1-8b-instant \\(groq\\) +done" 2
}

saves_the_comparison() {
    keys Enter
    sleep 0.2
    type_text "/save json"; enter
    wait_for "saved the comparison to" 5 || return 1
    local f
    f=$(find "$XDG_DATA_HOME/aidesk/exports" -name '*.json' | head -1)
    [ -n "$f" ] && grep -q '"pin:operator-alias/llama3"' "$f" && grep -q '"cancelled"' "$f"
}

blind_mode_hides_models_until_the_vote() {
    type_text "/compare --blind gpt-4o-mini llama-3.1-8b-instant"; enter
    wait_for "Comparison  blind, 2 models" 5 || return 1
    type_text "Which is better?"; enter
    for _ in $(seq 1 100); do
        [ "$(screen | grep -o ' done' | wc -l)" -ge 2 ] && break
        sleep 0.1
    done
    ! screen | grep -q "gpt-4o-mini (openai)" || { echo "# a model showed before the vote"; return 1; }
    type_text "/vote A"; enter
    wait_for "voted for" 5 || return 1
    wait_for "(gpt-4o-mini \\(openai\\)|llama-3.1-8b-instant \\(groq\\))" 5
}

picks_models_from_the_server_list() {
    type_text "/compare"; enter
    wait_for "Models to compare" 5 || return 1
    keys Space Down Space
    wait_for "2 chosen" 5 || return 1
    keys Enter
    wait_for "Comparison  gpt-4o vs gpt-4o-mini" 5
}

# Six answers stop half way (the simulator stalls them) after each has
# scrolled its column: the pane draws only the rows that changed, and what
# it shows must be what a full redraw (Ctrl-L) shows. The figures in the
# headers tick on while they wait, so digits are masked.
a_paused_stream_shows_what_a_full_redraw_shows() {
    keys Enter
    sleep 0.2
    api POST /_sim/faults '{"spec":"stall_after=200;stall=5000;path=/v1/chat/completions;times=6"}' >/dev/null
    type_text "/compare gpt-4o gpt-4o-mini llama-3.1-8b-instant claude-3-5-sonnet-20241022 gemini-1.5-flash pin:operator-alias/llama3"
    enter
    wait_for "Comparison  gpt-4o vs" 5 || return 1
    type_text "Tell me about lists"; enter
    local a="" b="" c
    for _ in $(seq 1 40); do
        a=$(screen | sed 's/[0-9]/#/g')
        sleep 0.3
        b=$(screen | sed 's/[0-9]/#/g')
        [ "$a" = "$b" ] && [ "$(grep -o streaming <<<"$b" | wc -l)" -ge 6 ] && break
    done
    [ "$a" = "$b" ] || { echo "# the screen never settled"; return 1; }
    keys C-l
    sleep 0.3
    c=$(screen | sed 's/[0-9]/#/g')
    [ "$b" = "$c" ] || { diff <(echo "$b") <(echo "$c") | sed 's/^/# /'; return 1; }
}

check "picks the models from the server's list" picks_models_from_the_server_list
check "blind mode hides the models until the vote" blind_mode_hides_models_until_the_vote
check "streams three models side by side with their metrics" streams_three_models_side_by_side_with_metrics
check "zooms into one column and re-runs it" zooms_and_reruns_one_column
check "Esc cancels the selected column and keeps its text" esc_cancels_a_column_and_keeps_its_text
check "saves the comparison as JSON" saves_the_comparison
check "a paused stream shows what a full redraw shows" a_paused_stream_shows_what_a_full_redraw_shows
finish
