"""--state FILE: load at start, save (debounced, atomic) after changes and
at shutdown.  Holds workspaces, messages, drafts, the event log tail, the
Gate projects' usage and the manager API's idempotency keys."""

import json
import os
import sys
import tempfile
import threading
import time

FORMAT = 1
DEBOUNCE = 0.5
EVENT_TAIL = 1000


class Persist:
    def __init__(self, app, path):
        self.app = app
        self.path = path
        self.dirty = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.thread = None

    def load(self):
        if not self.path or not os.path.exists(self.path):
            return False
        try:
            with open(self.path, encoding="utf-8") as f:
                snap = json.load(f)
            if not isinstance(snap, dict) or snap.get("format") != FORMAT:
                raise ValueError("unknown state format")
        except (OSError, ValueError) as e:
            sys.stderr.write("aidesk-sim: ignoring unreadable state file: %s\n" % e)
            return False
        self.app.idem.restore(snap.get("idempotency", {}))
        self.app.store.restore(snap.get("store", {}))
        self.app.bus.restore(snap.get("events", {}))
        self.app.gate.restore(snap.get("gate", {}))
        return True

    def start(self):
        if self.path:
            self.thread = threading.Thread(target=self._run, name="persist", daemon=True)
            self.thread.start()

    def mark(self):
        if self.path:
            self.dirty.set()

    def _run(self):
        while not self.stop.is_set():
            self.dirty.wait()
            if self.stop.is_set():
                break
            self.stop.wait(DEBOUNCE)
            self.dirty.clear()
            try:
                self.save()
            except OSError as e:
                sys.stderr.write("aidesk-sim: cannot save state: %s\n" % e)

    def save(self):
        if not self.path:
            return
        # Keys before the store: a key in the file always has its effect
        # there too (the effect is applied before its key is recorded), so
        # a replayed answer never stands for an effect the file lost.
        idem = self.app.idem.snapshot()
        snap = {"format": FORMAT, "saved_at": time.time(),
                "idempotency": idem,
                "store": self.app.store.snapshot(),
                "events": self.app.bus.snapshot(EVENT_TAIL),
                "gate": self.app.gate.snapshot()}
        data = json.dumps(snap, ensure_ascii=False).encode("utf-8")
        with self.lock:
            d = os.path.dirname(os.path.abspath(self.path))
            fd, tmp = tempfile.mkstemp(prefix=".aidesk-sim-state.", dir=d)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
            try:
                dfd = os.open(d, os.O_RDONLY)
                try:
                    os.fsync(dfd)
                finally:
                    os.close(dfd)
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.dirty.set()
        if self.thread is not None:
            self.thread.join(2)
        if self.path:
            try:
                self.save()
            except OSError as e:
                sys.stderr.write("aidesk-sim: cannot save state: %s\n" % e)
