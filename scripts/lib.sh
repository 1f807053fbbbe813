# Shared by scripts/setup, scripts/demo and scripts/test. Sourced, not run.
# Everything here works from a fresh clone on a fresh Debian machine.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the simulator and the tests need.
AIDESK_PACKAGES="gcc make autoconf automake pkg-config libcurl4-openssl-dev libjson-c-dev
libncurses-dev libreadline-dev libcmocka-dev python3 tmux curl procps locales openssl"

say() { printf '%s\n' "$*"; }
die() { printf 'aidesk setup: %s\n' "$*" >&2; exit 1; }

# missing_packages [PACKAGE...]: those not installed (default: AIDESK_PACKAGES).
missing_packages() {
    local p missing=""
    for p in ${*:-$AIDESK_PACKAGES}; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing="$missing $p"
        fi
    done
    printf '%s' "${missing# }"
}

# install_packages [PACKAGE...]: installs those missing (default:
# AIDESK_PACKAGES), or stops with the command to run.
install_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        say "aidesk setup: not a Debian-like system; install the equivalents of: ${*:-$AIDESK_PACKAGES}" >&2
        return 0
    }
    local missing
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            die "missing packages: $missing
Run this, then try again:
    sudo apt-get install -y $missing"
        fi
    fi
    say "aidesk setup: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! $sudo apt-get install -y --no-install-recommends $missing; then
        $sudo apt-get update || die "apt-get update failed"
        # shellcheck disable=SC2086
        $sudo apt-get install -y --no-install-recommends $missing || die "apt-get install failed"
    fi
}

# Optional: clang with libFuzzer, for the fuzzing stage of scripts/test
# (the meta package libclang-rt-dev brings the runtime of the default clang).
AIDESK_FUZZ_PACKAGES="clang libclang-rt-dev"

# fuzz_cc: prints a compiler that can build libFuzzer targets (clang with
# -fsanitize=fuzzer,address,undefined), or nothing.
fuzz_cc() {
    local cc dir
    dir=$(mktemp -d 2>/dev/null) || return 0
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n > 1 && d[0] == 1; }' \
        >"$dir/probe.c"
    for cc in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
        command -v "$cc" >/dev/null 2>&1 || continue
        if "$cc" -fsanitize=fuzzer,address,undefined "$dir/probe.c" -o "$dir/probe" >/dev/null 2>&1; then
            printf '%s' "$cc"
            break
        fi
    done
    rm -rf "$dir"
}

# install_optional "PACKAGES" PURPOSE: installs PACKAGES when apt-get can
# run (root, or sudo without a password). Never fails: without them the
# stage that wanted them is skipped.
install_optional() {
    local packages=$1 purpose=$2
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 0
        sudo="sudo"
    fi
    say "aidesk setup: installing $packages (for $purpose)"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    $sudo apt-get install -y --no-install-recommends $packages >/dev/null 2>&1 \
        || { $sudo apt-get update >/dev/null 2>&1 \
             && $sudo apt-get install -y --no-install-recommends $packages >/dev/null 2>&1; } \
        || say "aidesk setup: could not install $packages; $purpose will be skipped" >&2
    return 0
}

# install_fuzz_packages: clang with libFuzzer, when no compiler can build
# fuzzers.
install_fuzz_packages() {
    [ -n "$(fuzz_cc)" ] || install_optional "$AIDESK_FUZZ_PACKAGES" fuzzing
}

# Optional: clang, for a second compiler's warnings, and its static
# analyser (scan-build, in clang-tools), for the stages of scripts/test
# that use them.
AIDESK_CLANG_PACKAGES="clang clang-tools"

# clang_cc: prints a clang that compiles C11, or nothing.
clang_cc() {
    local cc
    for cc in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
        if command -v "$cc" >/dev/null 2>&1 \
            && printf 'int main(void) { return 0; }\n' | "$cc" -std=c11 -x c -fsyntax-only - 2>/dev/null; then
            printf '%s' "$cc"
            return 0
        fi
    done
}

# scan_build: prints clang's scan-build, or nothing.
scan_build() {
    local sb
    for sb in scan-build scan-build-19 scan-build-18 scan-build-17 scan-build-16 scan-build-15 \
        scan-build-14; do
        command -v "$sb" >/dev/null 2>&1 && { printf '%s' "$sb"; return 0; }
    done
}

# install_clang_packages: clang and scan-build, when either is missing.
install_clang_packages() {
    [ -n "$(clang_cc)" ] && [ -n "$(scan_build)" ] \
        || install_optional "$AIDESK_CLANG_PACKAGES" "the clang build and its static analysis"
}

bootstrap() {
    cd "$top" || die "cannot enter $top"
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ ! -f Makefile.in ] \
        || [ -n "$(find . -name '*.mk' -newer Makefile.in -not -path './build/*' | head -1)" ] \
        || [ Makefile.am -nt Makefile.in ]; then
        say "aidesk setup: generating the build system (autogen.sh)"
        ./autogen.sh >/dev/null || die "autogen.sh failed"
    fi
    [ -f build-aux/tap-driver.sh ] || { ./autogen.sh >/dev/null || die "autogen.sh failed"; }
}

# configure_in DIR [configure options...]: an out-of-tree build in DIR.
configure_in() {
    local dir=$1
    shift
    mkdir -p "$top/$dir"
    cd "$top/$dir" || die "cannot enter $dir"
    local want="$*"
    if [ ! -f Makefile ] || [ "$(cat .aidesk-configured 2>/dev/null)" != "$want" ] \
        || [ "$top/configure" -nt Makefile ]; then
        say "aidesk setup: configuring $dir"
        "$top/configure" "$@" >configure.out 2>&1 || { cat configure.out; die "configure failed in $dir"; }
        printf '%s' "$want" > .aidesk-configured
        sed -n '/aidesk .* configured/,$p' configure.out
    fi
}

jobs() { nproc 2>/dev/null || echo 2; }

# make_with_progress [make arguments...]: make in the current directory,
# saying how far it got: the silent rules print one "  CC  file" line per
# file compiled, which are counted against the sources (a first build
# compiles them all and takes a minute or two). On a terminal the count
# is rewritten in place; otherwise a line every 25 files. The make output
# itself is dropped; a failure is made again with -j1 so that the error is
# shown plainly. Returns make's status.
make_with_progress() {
    local - # the pipefail below is this function's only
    set -o pipefail
    local total n=0 line tty=false
    total=$(find "$top/src" "$top/ui" -name '*.c' | wc -l)
    [ -t 1 ] && tty=true
    if make -j"$(jobs)" V=0 "$@" 2>&1 | while IFS= read -r line; do
            case $line in
            "  CC "*)
                n=$((n + 1))
                if $tty; then
                    printf '\r  compiled %d of about %d files' "$n" "$total"
                elif [ $((n % 25)) -eq 0 ]; then
                    say "  compiled $n of about $total files"
                fi
                ;;
            esac
        done; then
        $tty && printf '\r%60s\r' ''
        return 0
    fi
    $tty && printf '\n'
    make -j1 "$@"
}

# Whether install_packages can run apt-get (as root, or through sudo).
can_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}
