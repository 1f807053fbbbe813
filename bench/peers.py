#!/usr/bin/env python3
"""bench/peers.py: measures terminal chat clients from outside (bench/run peers).

Every client runs with BENCH_PEER_TAG=<unique> in its environment, so its
whole process family is found in /proc by that tag, helpers that detach
(daemons) included. Figures, one JSON object a line on stdout:

  headless LABEL -- CMD...
      CMD runs (under bench-rusage, --rusage) with stdout on a pipe read
      here: wall time, time to the first and to the last token (--first,
      --last: the marker words), CPU (user + system of the command and of
      everything it waited for, from wait4) and its peak RSS (the largest
      process), and the bytes it printed.

  tui --spec FILE.json --mode fast|rate|idle
      Each client of FILE.json ([{"label", "ready", "setup": [lines],
      "setup_ready", "cmd": [argv], "env": {}}]) runs in its own session of
      our own tmux server (--socket), 200x50.
      fast / rate: one client at a time: launch, wait for "ready" (start-up:
      ms to the marker and CPU spent by then), type the setup lines, settle,
      type the prompt, Enter, until --last is on screen: CPU (exact run time
      of every thread, /proc/PID/task/*/schedstat), % of a core over the
      stream, the time from Enter to the last token on screen, peak memory
      (the sum of VmHWM over the family).
      idle: every client at once (idle cost hardly depends on the others):
      all launched and ready, then --seconds of nothing: CPU and wake-ups
      (voluntary context switches of every thread) of each.

  run --dir DIR --url URL ...
      All of it for every client (the list is here: headless_tools,
      tui_specs), --rounds times, as JSON lines into --out.

  summary FILE --table OUT
      Medians, spreads and ratios to aidesk as "key value" lines on stdout,
      and a table for people in OUT.

Each figure also carries how busy the machine was meanwhile (cores' worth
of CPU in use, from /proc/stat). Standard library only; Linux /proc.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

TAG = "BENCH_PEER_TAG"

# --------------------------------------------------------------- /proc


def tagged(tag):
    """Pids whose environment holds TAG=tag."""
    want = ("%s=%s" % (TAG, tag)).encode()
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                if want in f.read().split(b"\0"):
                    out.append(int(d))
        except OSError:
            pass
    return out


def run_ns(pids):
    """{(pid, tid): ns of CPU} for every live thread."""
    t = {}
    for p in pids:
        try:
            tids = os.listdir("/proc/%d/task" % p)
        except OSError:
            continue
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/schedstat" % (p, tid)) as f:
                    t[(p, tid)] = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    return t


def wakeups(pids):
    """{(pid, tid): voluntary context switches}."""
    t = {}
    for p in pids:
        try:
            tids = os.listdir("/proc/%d/task" % p)
        except OSError:
            continue
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/status" % (p, tid)) as f:
                    m = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", f.read(), re.M)
                if m:
                    t[(p, tid)] = int(m.group(1))
            except OSError:
                pass
    return t


def grew(a, b):
    """What the counters of b added to a (threads new in b count whole)."""
    return sum(v - a.get(k, 0) for k, v in b.items())


def hwm_kb(pids):
    total = 0
    for p in pids:
        try:
            with open("/proc/%d/status" % p) as f:
                m = re.search(r"^VmHWM:\s+(\d+)", f.read(), re.M)
            total += int(m.group(1)) if m else 0
        except OSError:
            pass
    return total


def cpu_all_ns():
    """CPU of the whole machine so far (for how busy it was)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = sum(v) - v[3] - (v[4] if len(v) > 4 else 0)
    return busy * 1e9 / os.sysconf("SC_CLK_TCK")


def kill_family(tag):
    for _ in range(3):
        pids = tagged(tag)
        if not pids:
            return
        for p in pids:
            try:
                os.kill(p, 9)
            except OSError:
                pass
        time.sleep(0.2)


# ------------------------------------------------------------ headless


def headless(a, cmd):
    tag = uuid.uuid4().hex
    env = dict(os.environ, **{TAG: tag})
    out = subprocess.DEVNULL if a.devnull else subprocess.PIPE
    errf = tempfile.TemporaryFile()
    usage = tempfile.NamedTemporaryFile(prefix="bench-rusage-", delete=False)
    usage.close()
    t0 = time.monotonic()
    p = subprocess.Popen([a.rusage, usage.name, "--"] + cmd, stdin=subprocess.DEVNULL,
                         stdout=out, stderr=errf, env=env, cwd=a.cwd)
    first = last = None
    nbytes = 0
    tail = b""
    if not a.devnull:
        fd = p.stdout.fileno()
        while True:
            b = os.read(fd, 1 << 16)
            if not b:
                break
            now = time.monotonic()
            nbytes += len(b)
            seen = tail + b
            if first is None and re.search(rb"(^|\W)%s\W" % re.escape(a.first.encode()), seen):
                first = now
            if last is None and re.search(rb"(^|\W)%s(\W|$)" % re.escape(a.last.encode()), seen):
                last = now
            tail = seen[-64:]
    p.wait()
    t1 = time.monotonic()
    errf.seek(0)
    err = errf.read()
    errf.close()
    with open(usage.name) as f:
        ru = dict(zip(*[iter(f.read().split())] * 2))
    os.unlink(usage.name)
    left = tagged(tag)
    left_ns = grew({}, run_ns(left))
    kill_family(tag)
    ok = ru.get("status") == "0" and (a.devnull or last is not None)
    r = {"label": a.label, "kind": "headless" + ("-devnull" if a.devnull else ""),
         "wall_ms": round((t1 - t0) * 1e3, 1),
         "cpu_ms": round(float(ru.get("cpu_ms", "nan")) + left_ns / 1e6, 1),
         "peak_rss_kb": int(ru.get("peak_rss_kb", "0")), "bytes": nbytes,
         "first_token_ms": None if first is None else round((first - t0) * 1e3, 1),
         "last_token_ms": None if last is None else round((last - t0) * 1e3, 1),
         "ok": ok}
    if left:
        r["helpers_left"] = len(left)
    if not ok:
        r["error"] = err.decode("utf-8", "replace")[-400:]
    return r


# ----------------------------------------------------------------- tui


def asked_since(log, wall):
    """Whether the server logged a chat request (not a title) after wall."""
    try:
        with open(log) as f:
            for line in f:
                t, kind = line.split()[:2]
                if float(t) >= wall and kind in ("chat", "responses"):
                    return True
    except (OSError, ValueError):
        return True  # cannot tell: never press Enter again
    return False


class Tmux:
    def __init__(self, socket):
        self.socket = socket

    def __call__(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null"] + list(args),
                              capture_output=True, text=True).stdout

    def screen(self, name):
        return self("capture-pane", "-p", "-t", name)

    def keys(self, name, text, enter=True):
        self("send-keys", "-t", name, "-l", text)
        if enter:
            time.sleep(0.2)
            self("send-keys", "-t", name, "Enter")


class Client:
    """One client in its own tmux session."""

    def __init__(self, tmux, spec, n):
        self.tmux, self.spec = tmux, spec
        self.label = spec["label"]
        self.name = "p%d" % n
        self.tag = uuid.uuid4().hex
        self.ready_at = None

    def launch(self, cwd):
        env = ["%s=%s" % (k, v) for k, v in (self.spec.get("env") or {}).items()]
        argv = ["env", "%s=%s" % (TAG, self.tag), "TERM=xterm-256color"] + env + self.spec["cmd"]
        self.t0 = time.monotonic()
        self.tmux("new-session", "-d", "-s", self.name, "-x", "200", "-y", "50", "-c", cwd, "--",
                  *argv)
        self.tmux("set-option", "-t", self.name, "status", "off")

    def pids(self):
        return tagged(self.tag)

    def sees(self, regex):
        return re.search(regex, self.tmux.screen(self.name), re.M) is not None

    def wait_for(self, regex, secs):
        until = time.monotonic() + secs
        while time.monotonic() < until:
            if self.sees(regex):
                return True
            time.sleep(0.02)
        return False

    def ready(self, secs=90):
        """Launch to the ready marker; then the setup lines. Sets start-up figures."""
        res = {}
        if not self.wait_for(self.spec["ready"], secs):
            return {"error": "never showed %r" % self.spec["ready"],
                    "screen": self.tmux.screen(self.name)[-600:]}
        res["start_ms"] = round((time.monotonic() - self.t0) * 1e3, 1)
        res["start_cpu_ms"] = round(grew({}, run_ns(self.pids())) / 1e6, 1)
        for line in self.spec.get("setup") or []:
            self.tmux.keys(self.name, line)
            time.sleep(0.3)
        if self.spec.get("setup_ready") and not self.wait_for(self.spec["setup_ready"], 20):
            return {"error": "setup not done", "screen": self.tmux.screen(self.name)[-600:]}
        return res

    def stream(self, prompt, last, timeout, server_log):
        """Prompt, Enter, until the last token is on screen (or the client's
        own time limit, "timeout" of its spec: some never get there)."""
        self.tmux.keys(self.name, prompt, enter=False)
        time.sleep(0.3)
        pids = self.pids()
        c0 = run_ns(pids)
        t0 = time.monotonic()
        wall0 = time.time()
        self.tmux("send-keys", "-t", self.name, "Enter")
        want = r"(^|\s)%s(\s|$)" % re.escape(last)
        timeout = min(timeout, self.spec.get("timeout", timeout))
        retries = 0
        done = None
        while time.monotonic() - t0 < timeout:
            if self.sees(want):
                done = time.monotonic()
                break
            # A client busy starting a helper may drop an Enter: no request
            # reached the server within a few seconds, press it again (and
            # count from there).
            if retries < 3 and time.monotonic() - t0 > 3 * (retries + 1) and \
                    not asked_since(server_log, wall0):
                self.tmux("send-keys", "-t", self.name, "Enter")
                retries += 1
                c0, t0, wall0 = run_ns(self.pids()), time.monotonic(), time.time()
            time.sleep(0.05)
        t1 = done or time.monotonic()
        ns = grew(c0, run_ns(self.pids()))
        r = {"stream_cpu_ms": round(ns / 1e6, 1),
             "stream_cpu_pct": round(100.0 * ns / 1e9 / (t1 - t0), 2),
             "stream_visible_ms": None if done is None else round((done - t0) * 1e3, 1),
             "peak_mem_kb": hwm_kb(self.pids())}
        if retries:
            r["enter_retries"] = retries
        if done is None:
            r["error"] = "the last token never showed"
            r["screen"] = self.tmux.screen(self.name)[-600:]
        return r

    def close(self):
        self.tmux("kill-session", "-t", self.name)
        time.sleep(0.3)
        kill_family(self.tag)


def tui(a):
    with open(a.spec) as f:
        specs = json.load(f)
    tmux = Tmux(a.socket)
    clients = [Client(tmux, s, i) for i, s in enumerate(specs)]
    results = []
    try:
        if a.mode == "idle":
            for c in clients:
                c.launch(a.cwd)
            ready = {c.label: c.ready() for c in clients}
            time.sleep(3)
            live = [c for c in clients if "error" not in ready[c.label]]
            before = {c.label: (run_ns(c.pids()), wakeups(c.pids())) for c in live}
            m0, t0 = cpu_all_ns(), time.monotonic()
            time.sleep(a.seconds)
            secs = time.monotonic() - t0
            busy = (cpu_all_ns() - m0) / 1e9 / secs
            for c in clients:
                if c not in live:
                    results.append(dict(label=c.label, kind="idle", **ready[c.label]))
                    continue
                n0, w0 = before[c.label]
                pids = c.pids()
                results.append({"label": c.label, "kind": "idle", "seconds": round(secs, 1),
                                "idle_cpu_ms": round(grew(n0, run_ns(pids)) / 1e6, 2),
                                "idle_wakeups": grew(w0, wakeups(pids)),
                                "machine_busy_cores": round(busy, 2)})
            return results
        for c in clients:
            c.launch(a.cwd)
            r = dict(label=c.label, kind=a.mode, **c.ready())
            if "error" not in r:
                time.sleep(2)
                m0, t0 = cpu_all_ns(), time.monotonic()
                time.sleep(c.spec.get("settle", 0))
                r.update(c.stream(a.prompt, a.last, a.timeout, a.server_log))
                r["machine_busy_cores"] = round((cpu_all_ns() - m0) / 1e9 /
                                                max(time.monotonic() - t0, 1e-3), 2)
            c.close()
            results.append(r)
        return results
    finally:
        for c in clients:
            c.close()
        tmux("kill-server")


# --------------------------------------------------------- the clients

HEADLESS_MODEL = "bench-n20000-r0"


def peer_env(d):
    """What every npm client gets: our home for its files, no updates."""
    return {"HOME": d + "/home", "BENCH_API_KEY": "sk-bench",
            "OPENCODE_DISABLE_AUTOUPDATE": "1", "OPENCODE_DISABLE_MODELS_FETCH": "1",
            "OPENCODE_DISABLE_LSP_DOWNLOAD": "1", "OPENCODE_DISABLE_SHARE": "1",
            "npm_config_cache": d + "/npm-cache", "NO_UPDATE_NOTIFIER": "1"}


def aidesk_env(d, url):
    h = d + "/aidesk-home"
    return {"XDG_CONFIG_HOME": h + "/config", "XDG_DATA_HOME": h + "/data",
            "XDG_STATE_HOME": h + "/state", "HOME": h + "/home", "AIASSIST_API_KEY": "sk-bench",
            "AIASSIST_BASE_URL": url}


def pi_argv(d, model):
    return [d + "/pi/node_modules/.bin/pi", "--offline", "--no-session", "--no-tools", "-nc",
            "--provider", "bench", "--model", model]


def headless_tools(a):
    """(label, env, argv) of each headless client, for a 20,000-token reply."""
    d, url, m = a.dir, a.url, HEADLESS_MODEL
    body = json.dumps({"model": m, "stream": True, "messages": [{"role": "user", "content": "hi"}]})
    pe = peer_env(d)
    return [
        ("aidesk chat", aidesk_env(d, url), [a.aidesk, "chat", "-q", "-m", m, "hi"]),
        ("curl -N", {}, ["curl", "-sSN", url + "/v1/chat/completions", "-H",
                         "Content-Type: application/json", "-d", body]),
        ("openai SDK (node)", pe, ["node", d + "/sdk/peer-sdk.mjs", url + "/v1", m, "hi"]),
        ("pi -p", pe, pi_argv(d, m) + ["-p", "hi"]),
        ("codex exec", pe, [d + "/codex/node_modules/.bin/codex", "exec", "--skip-git-repo-check",
                            "-m", m, "hi"]),
        ("opencode run", pe, [d + "/opencode/node_modules/.bin/opencode", "run", "--model",
                              "bench/" + m, "hi"]),
    ]


def tui_specs(a, model):
    d = a.dir
    pe = peer_env(d)
    return [
        {"label": "aidesk", "env": aidesk_env(d, a.url), "cmd": [a.aidesk],
         "ready": "AiAssist", "setup": ["/chat " + model], "setup_ready": "model " + model},
        {"label": "pi", "env": pe, "cmd": pi_argv(d, model), "ready": r"\d%/128k"},
        # Codex starts a helper server after its first screen; give it time.
        {"label": "codex", "env": pe, "settle": 5,
         "cmd": [d + "/codex/node_modules/.bin/codex", "-m", model],
         "ready": "Ask Codex to do anything"},
        # opencode falls far behind a fast stream (never showing its end in
        # minutes): measured over at most 60 s.
        {"label": "opencode", "env": pe, "timeout": 60,
         "cmd": [d + "/opencode/node_modules/.bin/opencode", "--model", "bench/" + model],
         "ready": "Ask anything"},
    ]


def run_all(a):
    """Every measurement, a.rounds times, appended to a.out as JSON lines."""
    me = os.path.abspath(__file__)
    work = a.dir + "/work"

    def emit(rows, rnd):
        with open(a.out, "a") as f:
            for r in rows:
                r["round"] = rnd
                f.write(json.dumps(r) + "\n")
                brief = {k: v for k, v in r.items() if k != "screen"}
                print("bench: peers: %s" % json.dumps(brief), file=sys.stderr, flush=True)

    def tui_run(specs, mode, last, extra):
        spec = a.out + ".spec.json"
        with open(spec, "w") as f:
            json.dump(specs, f)
        out = subprocess.run([sys.executable, me, "tui", "--spec", spec, "--mode", mode,
                              "--last", last, "--socket", a.socket, "--cwd", work,
                              "--server-log", a.server_log] + extra,
                             capture_output=True, text=True)
        rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        if out.returncode != 0:
            rows.append({"label": "(driver)", "kind": mode, "error": out.stderr[-600:]})
        return rows

    rate_model = "bench-n%d-r200" % a.rate_tokens
    for rnd in range(1, a.rounds + 1):
        for label, env, argv in headless_tools(a):
            ns = argparse.Namespace(label=label, first="w0", last="w19999", devnull=False,
                                    cwd=work, rusage=a.rusage)
            old = dict(os.environ)
            os.environ.update(env)
            try:
                emit([headless(ns, argv)], rnd)
            finally:
                os.environ.clear()
                os.environ.update(old)
        emit(tui_run(tui_specs(a, HEADLESS_MODEL), "fast", "w19999", []), rnd)
        emit(tui_run(tui_specs(a, rate_model), "rate", "w%d" % (a.rate_tokens - 1), []), rnd)
        emit(tui_run(tui_specs(a, "bench-n20"), "idle", "w19",
                     ["--seconds", str(a.idle_seconds)]), rnd)
    return 0


# -------------------------------------------------------------- summary

FIGURES = {
    "headless": [("cpu_ms", "CPU ms"), ("wall_ms", "wall ms"), ("first_token_ms", "first token ms"),
                 ("last_token_ms", "last token ms"), ("peak_rss_kb", "peak RSS KiB")],
    "fast": [("stream_cpu_ms", "CPU ms"), ("stream_visible_ms", "Enter to last token ms"),
             ("peak_mem_kb", "peak memory KiB"), ("start_ms", "start ms"),
             ("start_cpu_ms", "start CPU ms")],
    "rate": [("stream_cpu_pct", "% of a core"), ("peak_mem_kb", "peak memory KiB")],
    "idle": [("idle_cpu_ms", "CPU ms"), ("idle_wakeups", "wake-ups")],
}
TITLES = {
    "headless": "headless, 20,000 tokens at full speed, stdout a pipe",
    "fast": "TUI 200x50, 20,000 tokens at full speed (and start-up before it)",
    "rate": "TUI 200x50, a reply at 200 tokens/s",
    "idle": "TUI 200x50, idle (all at once)",
}
BASE = {"headless": "aidesk chat", "fast": "aidesk", "rate": "aidesk", "idle": "aidesk"}


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def fmt(x):
    if x is None:
        return "-"
    if abs(x) >= 100:
        return "%.0f" % x
    return "%.3g" % x


def summary(a):
    rows = []
    with open(a.file) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    table = []
    for kind, figs in FIGURES.items():
        labels = []
        for r in rows:
            if r.get("kind") == kind and r["label"] not in labels:
                labels.append(r["label"])
        if not labels:
            continue
        table.append("")
        table.append(TITLES[kind] + ": median (min - max) over the runs; x aidesk's median")
        stats = {}
        for label in labels:
            mine = [r for r in rows if r.get("kind") == kind and r["label"] == label]
            good = [r for r in mine if "error" not in r and r.get("ok", True)]
            key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
            print("peers_%s_%s_runs %d of %d" % (kind, key, len(good), len(mine)))
            for fig, _ in figs:
                v = [r[fig] for r in good if r.get(fig) is not None]
                if v:
                    stats[(label, fig)] = (median(v), min(v), max(v))
        for label in labels:
            key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
            cells = []
            for fig, name in figs:
                s = stats.get((label, fig))
                base = stats.get((BASE[kind], fig))
                if not s:
                    cells.append("%s -" % name)
                    continue
                ratio = s[0] / base[0] if base and base[0] else None
                print("peers_%s_%s_%s %s" % (kind, key, fig, fmt(s[0])))
                print("peers_%s_%s_%s_spread %s-%s" % (kind, key, fig, fmt(s[1]), fmt(s[2])))
                if ratio is not None:
                    print("peers_%s_%s_%s_ratio %.2f" % (kind, key, fig, ratio))
                cells.append("%s %s (%s-%s)%s" % (name, fmt(s[0]), fmt(s[1]), fmt(s[2]),
                                                 "" if ratio is None else " %.1fx" % ratio))
            table.append("  %-18s %s" % (label, "; ".join(cells)))
        errors = [r for r in rows if r.get("kind") == kind and "error" in r]
        for r in errors:
            table.append("  (%s, round %s: %s)" % (r["label"], r.get("round"),
                                                   r["error"].strip().splitlines()[-1][:120]
                                                   if r["error"].strip() else "failed"))
    with open(a.table, "w") as f:
        f.write("\n".join(table) + "\n")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    h = sub.add_parser("headless")
    h.add_argument("label")
    h.add_argument("--first", default="w0")
    h.add_argument("--last", default="w19999")
    h.add_argument("--devnull", action="store_true", help="stdout to /dev/null: no token times")
    h.add_argument("--cwd", default=".")
    h.add_argument("--rusage", required=True, help="the bench-rusage program")
    h.add_argument("cmd", nargs=argparse.REMAINDER)
    t = sub.add_parser("tui")
    t.add_argument("--spec", required=True)
    t.add_argument("--mode", choices=["fast", "rate", "idle"], required=True)
    t.add_argument("--socket", default="aidesk-peers-%d" % os.getpid())
    t.add_argument("--prompt", default="hello there")
    t.add_argument("--last", default="w19999")
    t.add_argument("--seconds", type=float, default=60)
    t.add_argument("--timeout", type=float, default=120)
    t.add_argument("--cwd", default=".")
    t.add_argument("--server-log", required=True, help="bench/peerserver.py's --log")
    r = sub.add_parser("run")
    r.add_argument("--dir", required=True)
    r.add_argument("--url", required=True)
    r.add_argument("--aidesk", required=True)
    r.add_argument("--rusage", required=True)
    r.add_argument("--rounds", type=int, default=3)
    r.add_argument("--idle-seconds", type=float, default=60)
    r.add_argument("--rate-tokens", type=int, default=3000)
    r.add_argument("--socket", default="aidesk-peers-%d" % os.getpid())
    r.add_argument("--out", required=True)
    r.add_argument("--server-log", required=True)
    s = sub.add_parser("summary")
    s.add_argument("file")
    s.add_argument("--table", required=True)
    a = ap.parse_args()
    if a.what == "run":
        return run_all(a)
    if a.what == "summary":
        return summary(a)
    if a.what == "headless":
        cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
        rows = [headless(a, cmd)]
    else:
        rows = tui(a)
    for r in rows:
        print(json.dumps(r), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
