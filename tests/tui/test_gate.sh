#!/usr/bin/env bash
# End to end: AI Gate sessions in the console.
. "$(dirname "$0")/lib.sh"

sim_start --speed 30 || exit 1

creates_a_session_whose_secret_expires() {
    console_start 150 40 AI_GATE_PROJECT_ID=proj_demo AI_GATE_BASE_URL="$(SIM_URL)"
    wait_for "AiAssist connected" 20 || return 1
    type_text "/gate session --voice nova"; enter
    wait_for "sess_[a-z0-9]+ .*nova .*usable" 10 || return 1
    wait_for "gate [0-9]+/100" 5 || return 1
    # 60 s at 30x speed: two seconds of real time.
    wait_for "secret expired" 10
}

shows_details_with_secrets_hidden_until_asked() {
    keys Enter
    wait_for "client secret  eph_…" 5 || return 1
    wait_for "ICE servers +stun:" 5 || return 1
    ! screen | grep -qE "eph_[A-Za-z0-9]{8,}" || return 1
    keys s
    wait_for "client secret  eph_[A-Za-z0-9]{8,}" 5 || return 1
    keys s
    wait_for "client secret  eph_…" 5
}

copies_to_a_private_file_and_never_logs_the_secret() {
    keys c
    wait_for "wrote the client secret to" 5 || return 1
    local f secret
    f=$(find "$XDG_STATE_HOME/aidesk/gate" -name '*-secret.txt' | head -1)
    [ -n "$f" ] || return 1
    [ "$(stat -c %a "$f")" = 600 ] || return 1
    secret=$(cat "$f")
    [ -n "$secret" ] || return 1
    ! grep -q -- "$secret" "$T_DIR/debug.log" || { echo "# secret in the debug log"; return 1; }
    ! grep -rq -- "$secret" "$XDG_DATA_HOME" || { echo "# secret in saved data"; return 1; }
}

refuses_the_sixth_concurrent_session() {
    keys Escape
    sleep 0.2
    for i in 2 3 4 5; do
        type_text "/gate session"; enter
        wait_for "created in this run: $i" 10 || return 1
    done
    type_text "/gate session"; enter
    wait_for "live 5 of 5" 5 || return 1
    # The console warns first; repeating the command sends it anyway.
    wait_for "5 live sessions|would exceed|concurren" 5 || return 1
    type_text "/gate session"; enter
    wait_for "concurrent sessions: 5 of 5" 10
}

shows_quota_details() {
    console_stop
    console_start 150 40 AI_GATE_PROJECT_ID=proj_exhausted AI_GATE_BASE_URL="$(SIM_URL)"
    wait_for "AiAssist connected" 20 || return 1
    type_text "/gate session"; enter
    wait_for "plan free: 100 of 100 sessions used \\(100%\\)" 10 || return 1
    wait_for "upgrade: https://" 5
}

shows_when_a_rate_limit_resets() {
    api POST /_sim/faults '{"spec":"status=429;retry_after=30;path=/session;times=1"}' >/dev/null
    type_text "/gate session"; enter
    wait_for "the rate limit resets at [0-9:]+" 10
}

# client_secret is optional in the SDKs' types: a session without one is
# listed and shown, with the secret's place saying so.
shows_a_session_without_a_client_secret() {
    console_stop
    sim_stop
    sim_start --speed 30 --no-client-secret || return 1
    console_start 150 40 AI_GATE_PROJECT_ID=proj_growth AI_GATE_BASE_URL="$(SIM_URL)"
    wait_for "AiAssist connected" 20 || return 1
    type_text "/gate session"; enter
    wait_for "sess_[a-z0-9]+ .* none +[0-9:]+ .*no secret" 10 || return 1
    keys Enter
    wait_for "client secret  no client secret in the answer" 5 || return 1
    keys c
    wait_for "no client secret in the answer, nothing to connect with" 5
}

check "creates a session whose secret counts down to expired" creates_a_session_whose_secret_expires
check "shows the details with secrets hidden until asked" shows_details_with_secrets_hidden_until_asked
check "copies the secret to a private file and never logs it" copies_to_a_private_file_and_never_logs_the_secret
check "refuses the sixth concurrent session with current/max" refuses_the_sixth_concurrent_session
check "shows the quota details on 402" shows_quota_details
check "shows when a rate limit resets" shows_when_a_rate_limit_resets
check "shows a session without a client secret" shows_a_session_without_a_client_secret
finish
