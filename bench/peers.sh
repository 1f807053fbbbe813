# bench/peers.sh: aidesk beside the terminal chat clients people use
# (bench/run peers), sourced by bench/run. Needs bench/lib.sh.
#
# Optional: it needs node and npm, the network once, and some 600 MB in a
# scratch folder of your choosing (PEERS_DIR, or bench/run --peers-dir
# DIR; never inside this tree). There it installs pinned versions of the
# clients that install from npm, and the OpenAI SDK:
#
#   pi        @mariozechner/pi-coding-agent  (pi -p; its TUI)
#   codex     @openai/codex                  (codex exec; its TUI)
#   opencode  opencode-ai                    (opencode run; its TUI)
#   sdk       openai                         (bench/peer-sdk.mjs streaming)
#
# (an install already there at the pinned version is kept). Their homes,
# configuration and caches live there too (HOME=DIR/home), so nothing of
# the user's is read or changed. One local server (bench/peerserver.py)
# serves them all and aidesk; its model names choose the workload. Then
# bench/peers.py measures, PEERS_ROUNDS times (default 3):
#
#   headless  a 20,000-token reply at full speed, stdout on a pipe: aidesk
#             chat, curl -N (what moving the bytes costs), the SDK, pi -p,
#             codex exec, opencode run
#   fast      the same reply in each TUI in tmux 200x50 (aidesk's console):
#             Enter to the last token on screen, CPU, peak memory; and the
#             start-up before it (launch to the ready screen, CPU by then)
#   rate      PEERS_RATE_TOKENS (3,000) tokens at 200 tokens/s in each TUI:
#             % of a core while it streams, peak memory
#   idle      every TUI at once, PEERS_IDLE_S (60) seconds of nothing: CPU
#             and wake-ups
#
# and reports medians, the spread (min - max) and each median's ratio to
# aidesk's.

PEERS_PKG_PI="@mariozechner/pi-coding-agent@0.73.1"
PEERS_PKG_CODEX="@openai/codex@0.169.0"
PEERS_PKG_OPENCODE="opencode-ai@1.18.33"
PEERS_PKG_SDK="openai@6.30.1"

# peers_dir_check DIR: an absolute folder outside the source tree.
peers_dir_check() {
    local d=$1
    case $d in
    /*) ;;
    *) echo "bench: --peers-dir must be an absolute path: $d" >&2; return 1 ;;
    esac
    mkdir -p "$d" || return 1
    d=$(cd "$d" && pwd -P)
    local t
    t=$(cd "$top" && pwd -P)
    case "$d/" in
    "$t"/*) echo "bench: the peers' folder must be outside the source tree: $d" >&2; return 1 ;;
    esac
    PEERS_DIR=$d
}

# peers_install_one SUBDIR PACKAGE@VERSION
peers_install_one() {
    local sub=$1 spec=$2 pkg ver have
    pkg=${spec%@*}
    ver=${spec##*@}
    have=$(cd "$PEERS_DIR/$sub" 2>/dev/null &&
        node -p "require('./node_modules/$pkg/package.json').version" 2>/dev/null)
    [ "$have" = "$ver" ] && return 0
    say "bench: installing $spec into $PEERS_DIR/$sub" >&2
    mkdir -p "$PEERS_DIR/$sub" || return 1
    [ -f "$PEERS_DIR/$sub/package.json" ] || printf '{"private": true}\n' >"$PEERS_DIR/$sub/package.json"
    npm_config_cache="$PEERS_DIR/npm-cache" npm install --prefix "$PEERS_DIR/$sub" \
            --no-audit --no-fund --loglevel=error "$spec" >&2
}

peers_install() {
    command -v node >/dev/null && command -v npm >/dev/null || {
        echo "bench: peers need node and npm (Debian: apt-get install nodejs npm)" >&2
        return 1
    }
    peers_install_one pi "$PEERS_PKG_PI" &&
        peers_install_one codex "$PEERS_PKG_CODEX" &&
        peers_install_one opencode "$PEERS_PKG_OPENCODE" &&
        peers_install_one sdk "$PEERS_PKG_SDK" &&
        cp "$top/bench/peer-sdk.mjs" "$PEERS_DIR/sdk/peer-sdk.mjs"
}

# peers_configure URL: each client's configuration, pointing at the server.
peers_configure() {
    local url=$1 models m h="$PEERS_DIR/home"
    models="bench-n20000-r0 bench-n${PEERS_RATE_TOKENS:-3000}-r200 bench-n20"
    rm -rf "$h" "$PEERS_DIR/aidesk-home"
    mkdir -p "$h/.pi/agent" "$h/.codex" "$h/.config/opencode" "$PEERS_DIR/work" \
        "$PEERS_DIR/aidesk-home/config/aidesk" "$PEERS_DIR/aidesk-home/data" \
        "$PEERS_DIR/aidesk-home/state" "$PEERS_DIR/aidesk-home/home"
    # aidesk: a reply of up to 100,000 tokens (the server ignores it anyway).
    printf '[aiassist]\nmax_tokens = 100000\n' >"$PEERS_DIR/aidesk-home/config/aidesk/config"
    # pi: an OpenAI-compatible provider; no changelog on start.
    {
        printf '{"providers": {"bench": {"baseUrl": "%s/v1", "api": "openai-completions",\n' "$url"
        printf '  "apiKey": "sk-bench", "compat": {"supportsDeveloperRole": false,\n'
        printf '  "supportsReasoningEffort": false}, "models": ['
        local sep=""
        for m in $models; do
            printf '%s\n    {"id": "%s", "contextWindow": 128000, "maxTokens": 32000}' "$sep" "$m"
            sep=","
        done
        printf ']}}}\n'
    } >"$h/.pi/agent/models.json"
    printf '{"lastChangelogVersion": "%s"}\n' "${PEERS_PKG_PI##*@}" >"$h/.pi/agent/settings.json"
    # codex: the Responses API; the work folder trusted; no first-run notices.
    cat >"$h/.codex/config.toml" <<EOF
model = "bench-n20"
model_provider = "bench"

[model_providers.bench]
name = "bench"
base_url = "$url/v1"
wire_api = "responses"
env_key = "BENCH_API_KEY"

[projects."$PEERS_DIR/work"]
trust_level = "trusted"

[tui]
screen_reader_detection_done = true
EOF
    # opencode: an OpenAI-compatible provider; no updates, sharing or title
    # requests to anything else.
    {
        printf '{"$schema": "https://opencode.ai/config.json", "autoupdate": false,\n'
        printf ' "share": "disabled", "model": "bench/bench-n20", "small_model": "bench/bench-n20",\n'
        printf ' "provider": {"bench": {"npm": "@ai-sdk/openai-compatible", "name": "bench",\n'
        printf '  "options": {"baseURL": "%s/v1", "apiKey": "sk-bench"}, "models": {' "$url"
        local sep=""
        for m in $models; do
            printf '%s"%s": {"name": "%s"}' "$sep" "$m" "$m"
            sep=", "
        done
        printf '}}}}\n'
    } >"$h/.config/opencode/opencode.json"
}

# peers_server_start: bench/peerserver.py on a free port; PEERS_URL.
peers_server_start() {
    rm -f "$B_DIR/peers.port"
    "$PYTHON3" "$top/bench/peerserver.py" --port 0 --port-file "$B_DIR/peers.port" \
        --log "$B_DIR/peers-server.log" >"$B_DIR/peers-server.out" 2>&1 &
    PEERS_SERVER_PID=$!
    local i
    for i in $(seq 1 200); do
        if [ -s "$B_DIR/peers.port" ]; then
            PEERS_URL="http://127.0.0.1:$(cat "$B_DIR/peers.port")"
            return 0
        fi
        sleep 0.05
    done
    echo "the peers' server did not start:" >&2
    cat "$B_DIR/peers-server.out" >&2
    return 1
}

peers_server_stop() {
    if [ -n "${PEERS_SERVER_PID:-}" ]; then
        kill "$PEERS_SERVER_PID" 2>/dev/null
        wait "$PEERS_SERVER_PID" 2>/dev/null
        PEERS_SERVER_PID=""
    fi
}

bench_peers() {
    [ -n "${PEERS_DIR:-}" ] || {
        echo "bench: peers needs a scratch folder: bench/run --peers-dir DIR peers (or PEERS_DIR)" >&2
        return 1
    }
    peers_dir_check "$PEERS_DIR" && peers_install || return 1
    peers_server_start || return 1
    peers_configure "$PEERS_URL"
    local rc=0
    "$PYTHON3" "$top/bench/peers.py" run --dir "$PEERS_DIR" --url "$PEERS_URL" \
        --aidesk "$AIDESK_BIN" --rusage "$BENCH_BUILD/bench/bench-rusage" \
        --rounds "${PEERS_ROUNDS:-3}" --idle-seconds "${PEERS_IDLE_S:-60}" \
        --rate-tokens "${PEERS_RATE_TOKENS:-3000}" --socket "$B_SOCK-peers" \
        --out "$B_DIR/peers.jsonl" --server-log "$B_DIR/peers-server.log" || rc=1
    peers_server_stop
    cp "$B_DIR/peers.jsonl" "$BENCH_BUILD/peers.jsonl" 2>/dev/null
    "$PYTHON3" "$top/bench/peers.py" summary "$B_DIR/peers.jsonl" \
        --table "$B_DIR/peers-table.txt" >>"$results" || rc=1
    return $rc
}
