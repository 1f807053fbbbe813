"""Shared by the wire tests: TAP output and simulator processes.
Standard library only."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.environ.get("AIDESK_SIM") or os.path.join(ROOT, "sim", "aidesk-sim")

TESTS = []


def test(name):
    def deco(fn):
        TESTS.append((name, fn))
        return fn
    return deco


def check(cond, msg="check failed"):
    if not cond:
        raise AssertionError(msg)


def eq(a, b, msg=""):
    if a != b:
        raise AssertionError("%s: %r != %r" % (msg or "not equal", a, b))


def run_tests(cleanup=()):
    """Runs every @test as TAP; returns the exit status."""
    print("1..%d" % len(TESTS))
    failed = 0
    t0 = time.time()
    try:
        for i, (name, fn) in enumerate(TESTS, 1):
            try:
                fn()
                print("ok %d - %s" % (i, name))
            except Exception:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for line in traceback.format_exc().rstrip().split("\n"):
                    print("# " + line)
            sys.stdout.flush()
    finally:
        for c in cleanup:
            c()
    print("# %d passed, %d failed (%.1fs)" % (len(TESTS) - failed, failed, time.time() - t0))
    return 1 if failed else 0


class Sim:
    """aidesk-sim on a free port."""

    def __init__(self, *args, speed=0):
        self.tmp = tempfile.mkdtemp(prefix="aidesk-wire.")
        port_file = os.path.join(self.tmp, "port")
        cmd = [sys.executable, SIM, "--port", "0", "--port-file", port_file, "--quiet",
               "--speed", str(speed)] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.proc.stdout.readline()
        deadline = time.time() + 10
        while time.time() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.port = int(text)
                    return
            time.sleep(0.02)
        raise RuntimeError("the simulator did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
