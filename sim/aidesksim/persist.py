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
    def __init__(self, app, path, sync=False):
        self.app = app
        self.path = path
        self.sync = bool(path) and sync
        self.dirty = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        # Held by a keyed request from its effect until its key is recorded,
        # and by a snapshot while it is taken: a file never holds a keyed
        # effect without its key (a repeat of the request would apply it
        # again) nor a key without its effect.
        self.apply_lock = threading.Lock()
        self.thread = None
        # --sync-state: changes marked and changes saved, counted.
        self.durable = threading.Condition()
        self.marked = 0
        self.saved = 0

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
        if self.sync:
            with self.durable:
                self.marked += 1
        if self.path:
            self.dirty.set()

    def wait_durable(self, timeout=60.0):
        """--sync-state: True once every change marked so far is saved;
        False if that did not happen within timeout (a failing disk).
        True at once without --sync-state."""
        if not self.sync:
            return True
        with self.durable:
            target = self.marked
            return self.durable.wait_for(lambda: self.saved >= target or self.stop.is_set(),
                                         timeout)

    def _run(self):
        while not self.stop.is_set():
            self.dirty.wait()
            if self.stop.is_set():
                break
            if not self.sync:
                self.stop.wait(DEBOUNCE)
            self.dirty.clear()
            with self.durable:
                target = self.marked
            try:
                self.save()
            except OSError as e:
                sys.stderr.write("aidesk-sim: cannot save state: %s\n" % e)
                continue
            with self.durable:
                self.saved = max(self.saved, target)
                self.durable.notify_all()

    def save(self):
        if not self.path:
            return
        # Taken and written under one lock, so that an older snapshot never
        # lands after a newer one. Taken whole (and serialised) under the
        # apply lock, so that no keyed request is half-way: its effect and
        # its key are both in the file or neither. Events before the store:
        # an event is published after its change, so every event kept has
        # its change.
        with self.lock:
            with self.apply_lock:
                idem = self.app.idem.snapshot()
                events = self.app.bus.snapshot(EVENT_TAIL)
                snap = {"format": FORMAT, "saved_at": time.time(),
                        "idempotency": idem,
                        "store": self.app.store.snapshot(),
                        "events": events,
                        "gate": self.app.gate.snapshot()}
                data = json.dumps(snap, ensure_ascii=False).encode("utf-8")
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
        # Saved: the events it holds may now reach subscribers.
        self.app.bus.release(events["last_id"])

    def close(self):
        self.stop.set()
        self.dirty.set()
        with self.durable:
            self.durable.notify_all()
        if self.thread is not None:
            self.thread.join(2)
        if self.path:
            try:
                self.save()
            except OSError as e:
                sys.stderr.write("aidesk-sim: cannot save state: %s\n" % e)
