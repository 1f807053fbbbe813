#!/usr/bin/env bash
# End to end: a call to an AI Gate session from the Gate pane, in tmux.
. "$(dirname "$0")/lib.sh"

# Client secrets live 60 s / 10: long enough for a turn or two.
sim_start --speed 10 || exit 1

console_with_realtime() {
    console_start 150 40 AI_GATE_PROJECT_ID=proj_growth AI_GATE_BASE_URL="$(SIM_URL)" \
        AI_GATE_REALTIME_URL="ws://127.0.0.1:$SIM_PORT/v1/realtime" AIDESK_PLAYER=none
    wait_for "AiAssist connected" 20
}

calls_a_session_from_the_gate_pane() {
    console_with_realtime || return 1
    type_text "/gate session --voice shimmer"; enter
    wait_for "sess_[a-z0-9]+ .*shimmer .*usable" 10 || return 1
    keys v
    wait_for "on the call  voice shimmer" 10 || return 1
    type_text "Where is my parcel?"; enter
    wait_for "You said: Where is my parcel" 10 || return 1
    wait_for "first text [0-9]+ ms, first audio [0-9]+ ms, [0-9]+ ms in all; tokens [0-9]+ in, [0-9]+ out; audio [0-9]+ ms, saved" 10 || return 1
    # The reply's audio, next to the transcript, kept out of the log.
    local wav
    wav=$(find "$XDG_STATE_HOME/aidesk/calls" -name 'turn-1.wav' | head -1)
    [ -n "$wav" ] && [ "$(head -c 4 "$wav")" = RIFF ] || { echo "# no WAV"; return 1; }
    grep -q "you: Where is my parcel?" "$(dirname "$wav")/transcript.txt" || return 1
    ! grep -qE "eph_[A-Za-z0-9]{20,}" "$T_DIR/debug.log" || { echo "# a secret in the debug log"; return 1; }
    # The reply goes back in as speech.
    type_text "/say $wav"; enter
    wait_for "you: \\(audio turn-1.wav, [0-9]+ ms\\)" 10 || return 1
    wait_for "You said: [0-9]+ ms of audio" 10
}

shows_faults_in_words() {
    type_text "/hangup"; enter
    wait_for "ended  voice shimmer" 10 || return 1
    # A new session each time: a secret opens a call only while it is fresh.
    api POST /_sim/faults '{"spec":"status=500;path=/v1/realtime;times=1"}' >/dev/null
    type_text "/gate session --voice nova"; enter
    wait_for "created in this run: 2" 10 || return 1
    type_text "/gate call 2"; enter
    wait_for "on the call  voice nova" 10 || return 1
    type_text "hello"; enter
    wait_for "the Realtime service failed: Simulated 500" 10 || return 1
    api POST /_sim/faults '{"spec":"drop_after=5;path=/v1/realtime;times=1"}' >/dev/null
    type_text "/gate session --voice onyx"; enter
    wait_for "created in this run: 3" 10 || return 1
    type_text "/gate call 3"; enter
    wait_for "on the call  voice onyx" 10 || return 1
    type_text "hello"; enter
    wait_for "failed  voice onyx" 10 || return 1
    wait_for "closed the WebSocket without a close frame" 5
}

offers_a_new_session_when_the_secret_expired() {
    # 60 s at 10x speed: six seconds. Session 1 is the one chosen.
    type_text "/gate"; enter
    wait_for "Realtime sessions created in this run: 3" 10 || return 1
    wait_for "sess_[a-z0-9]+ .*shimmer .*secret expired" 15 || return 1
    keys v
    wait_for "expired .* create a new session" 5 || return 1
    wait_for "> /gate session --voice shimmer" 5
}

check "calls a session from the Gate pane: text and WAV turns" calls_a_session_from_the_gate_pane
check "shows an error event and a dropped connection in words" shows_faults_in_words
check "offers a new session when the secret expired" offers_a_new_session_when_the_secret_expired
finish
