#!/usr/bin/env python3
"""Fault soak: never twice, never lost, with the server dying under load.

Two consoles (soak_console: the console's controller without a screen) and
the command line (aidesk ws send, aidesk ws reply) send messages into the
same workspaces, all on ONE data directory, while the simulator is killed
and restarted at random moments: SIGKILL, SIGTERM, or a crash right after
it applied a request (the fault crash_after_apply). The simulator runs with
--sync-state, so that it never forgets what it told a client: whatever it
lost, nobody was told it had.

At the end every message must have arrived exactly once, or be kept on
disk as unsent or uncertain (for a person to decide): none lost, none
twice. Prints TAP. Seeded (SOAK_SEED), about two minutes (SOAK_SECONDS).
"""

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.environ.get("AIDESK_SIM") or os.path.join(ROOT, "sim", "aidesk-sim")
BIN = os.environ.get("AIDESK_BIN") or "aidesk"
BUILD = os.environ.get("AIDESK_BUILDDIR") or os.path.dirname(BIN)
DRIVER = os.path.join(BUILD, "tests", "integration", "soak_console")
AGENT = "aai_demo_agent"
SEED = int(os.environ.get("SOAK_SEED", "20261203"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "75"))
N_WS = 4

rng = random.Random(SEED)
log_lock = threading.Lock()


def note(*a):
    with log_lock:
        sys.stdout.write("# " + " ".join(str(x) for x in a) + "\n")
        sys.stdout.flush()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Sim:
    """The simulator on a fixed port and state file, restartable."""

    def __init__(self, tmp):
        self.port = free_port()
        self.state = os.path.join(tmp, "sim-state.json")
        self.log = open(os.path.join(tmp, "sim.log"), "ab")
        self.proc = None
        self.restarts = {"SIGKILL": 0, "SIGTERM": 0, "crash_after_apply": 0}
        self.lock = threading.Lock()

    def start(self):
        cmd = [sys.executable, SIM, "--port", str(self.port), "--state", self.state,
               "--sync-state", "--quiet", "--rate-limit", "1000000/60", "--heartbeat", "2"]
        for attempt in range(100):
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log)
            line = self.proc.stdout.readline()
            if line.startswith(b"aidesk-sim listening"):
                return
            self.proc.wait()
            time.sleep(0.1)  # the port is still held by the one that died
        raise RuntimeError("the simulator did not start again")

    def up(self):
        return self.proc is not None and self.proc.poll() is None

    def request(self, method, path, body=None, key=AGENT, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            h = {"X-API-Key": key} if key else {}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                h["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def kill_once(self, n):
        """Ends the simulator one way or another (the nth time); returns
        how. Half the time it dies right after applying a message or a
        reply, before answering: the case where a client must not send
        again what the server has."""
        how = ["crash_after_apply", "SIGKILL", "crash_after_apply", "SIGTERM"][n % 4]
        if how == "crash_after_apply":
            # A customer's message that came on a kept-alive connection
            # (libcurl then retries on a new one by itself, which fails),
            # an agent's reply, or any call.
            spec = ["path=/api/workspaces/;reused_only", "path=/api/manager/workspaces/",
                    "path=/api/"][(n // 2) % 3]
            try:
                spec = "crash_after_apply;times=1;" + spec
                self.request("POST", "/_sim/faults", {"spec": spec}, key=None, timeout=3)
                self.proc.wait(8)  # the next such request it applies ends it
            except (OSError, subprocess.TimeoutExpired, http.client.HTTPException):
                how = "SIGKILL"
        if self.up():
            self.proc.send_signal(signal.SIGKILL if how == "SIGKILL" else signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.restarts[how] += 1
        return how

    def stop(self):
        if self.up():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def aidesk(env, *args, timeout=60):
    p = subprocess.run([BIN] + list(args), env=env, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def cli_sender(env, sim, wss, stop, sent, pending_replies):
    """The command line: a send or a keyed reply every second or two. A
    reply that may have been applied is repeated with its key, as the
    error message tells a person to."""
    n = 0
    r = random.Random(SEED + 1)
    while not stop.is_set():
        n += 1
        ws = wss[n % len(wss)]
        if n % 3 == 0:
            text = "cli agent %d" % n
            key = "soak%028x" % r.getrandbits(112)
            sent.append(text)
            rc, out, err = aidesk(env, "ws", "reply", "--idempotency-key", key, ws, text)
            if rc != 0 and "--idempotency-key" in err:
                pending_replies.append((ws, text, key))
        else:
            text = "cli customer %d" % n
            sent.append(text)
            aidesk(env, "ws", "send", ws, text)
        stop.wait(r.uniform(0.8, 2.0))


def main():
    tests = []

    def ok(cond, name, detail=""):
        tests.append((bool(cond), name, detail))

    if not os.access(DRIVER, os.X_OK):
        print("1..0 # SKIP soak_console is not built (%s)" % DRIVER)
        return 0
    tmp = tempfile.mkdtemp(prefix="aidesk-soak.")
    env = dict(os.environ)
    for k in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[k] = os.path.join(tmp, k.lower())
        os.makedirs(env[k], mode=0o700)
    sim = Sim(tmp)
    sim.start()
    base = "http://127.0.0.1:%d" % sim.port
    env.update({"AIASSIST_BASE_URL": base, "AIASSIST_API_KEY": AGENT})
    env.pop("AI_GATE_PROJECT_ID", None)

    wss = []
    for i in range(N_WS):
        st, body = sim.request("POST", "/api/workspaces",
                               {"client_id": "soak_%d" % i, "metadata": {"mode": "takeover"}})
        assert st == 200, body
        wss.append(json.loads(body)["workspace"]["id"])
    note("simulator on port", sim.port, "workspaces", " ".join(wss), "seed", SEED)

    count = int(SECONDS / 1.2)
    consoles = []
    for tag in ("console-a", "console-b"):
        p = subprocess.Popen([DRIVER, base, tag, str(count), "1100"] + wss, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=open(os.path.join(tmp, tag + ".log"), "wb"))
        consoles.append((tag, p))

    stop = threading.Event()
    cli_sent, pending = [], []
    cli = threading.Thread(target=cli_sender, args=(env, sim, wss, stop, cli_sent, pending))
    cli.start()

    # The chaos: the simulator dies every few seconds, for a moment or two.
    end = time.time() + SECONDS
    kills = 0
    while time.time() < end:
        time.sleep(rng.uniform(2.0, 5.0))
        how = sim.kill_once(kills)
        kills += 1
        down = rng.uniform(0.2, 2.5)
        time.sleep(down)
        sim.start()
        note("killed by %s, down %.1f s" % (how, down))
    stop.set()
    cli.join()

    # The server is up for good: the consoles settle and report.
    reports = {}
    for tag, p in consoles:
        p.stdin.close()
        p.stdin = None
    for tag, p in consoles:
        try:
            out, _ = p.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        reports[tag] = [ln.split("\t", 1) for ln in out.decode().splitlines() if "\t" in ln]
        ok(p.returncode == 0, "%s settled and ended cleanly (exit %s)" % (tag, p.returncode))
        ok(len(reports[tag]) == count, "%s shows all of its %d messages" % (tag, count),
           "it shows %d" % len(reports[tag]))

    # What a person would do next: repeat the replies that may have been
    # applied, with their keys, and send what the CLI kept and certainly
    # never got there.
    for ws, text, key in pending:
        aidesk(env, "ws", "reply", "--idempotency-key", key, ws, text)
    rc, out, err = aidesk(env, "ws", "send", "--resend-all")
    note("ws send --resend-all: exit %d" % rc)

    # The truth: the server's histories, and what is kept on disk.
    seen = {}
    for ws in wss:
        st, body = sim.request("GET", "/api/workspaces/%s/messages" % ws)
        assert st == 200, body
        for m in json.loads(body)["messages"]:
            seen[m["content"]] = seen.get(m["content"], 0) + 1
    rc, out, err = aidesk(env, "ws", "send", "--unsent", "--json")
    ok(rc == 0, "the kept messages can be listed", err)
    kept = {}
    try:
        for r in json.loads(out or "[]"):
            kept[r.get("text")] = r
    except ValueError:
        ok(False, "the kept messages list is JSON", out[:200])

    sent = list(cli_sent)
    for tag in reports:
        sent += [t for _, t in reports[tag]]
    twice = sorted(t for t in sent if seen.get(t, 0) > 1)
    lost = sorted(t for t in sent if seen.get(t, 0) == 0 and t not in kept)
    states = {}
    for tag in reports:
        for st, _ in reports[tag]:
            states[st] = states.get(st, 0) + 1
    note("consoles end with: %s" % ", ".join("%s %d" % kv for kv in sorted(states.items())))
    note("%d messages: %d arrived, %d kept on disk; %d restarts (%s)"
         % (len(sent), sum(1 for t in sent if seen.get(t, 0) == 1), len(kept),
            sum(sim.restarts.values()), ", ".join("%s %d" % kv for kv in sim.restarts.items())))
    for t in sorted(kept):
        note("kept: %s (%s, arrived %d time(s))" % (t, kept[t].get("state"), seen.get(t, 0)))
    want = max(2, int(SECONDS / 8))
    ok(sum(sim.restarts.values()) >= want,
       "the simulator died and came back several times (at least %d)" % want)
    ok(not twice, "no message arrived twice", "twice: %s" % twice[:10])
    ok(not lost, "no message was lost (arrived, or kept as unsent/uncertain)",
       "lost: %s" % lost[:10])
    final_missing = sorted(t for tag in reports for st, t in reports[tag]
                           if st == "FINAL" and seen.get(t, 0) != 1)
    ok(not final_missing, "every message a console shows as delivered is on the server once",
       "%s" % final_missing[:10])
    stray = sorted(t for t in kept if seen.get(t, 0) and kept[t].get("state") == "unsent")
    ok(not stray, "nothing kept as certainly unsent had arrived", "%s" % stray[:10])
    sim.stop()

    print("1..%d" % len(tests))
    for i, (good, name, detail) in enumerate(tests, 1):
        print("%s %d - %s" % ("ok" if good else "not ok", i, name))
        if not good and detail:
            print("# " + detail)
    if any(not g for g, _, _ in tests):
        print("# logs kept in %s" % tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
