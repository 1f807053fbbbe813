"""Idempotency keys on the manager API (ours; docs/protocol.md section 4).

A POST under /api/manager/ that carries `Idempotency-Key: K` is applied at
most once per key and caller: the first answer (status, body, headers) is
recorded and replayed to every repeat of the same request; a repeat that
arrives while the first is still running waits for it; the same key on a
different request is 422 `idempotency_key_reused`.  Keys are kept for 24
simulated hours, at most the last 10,000, and saved with `--state`.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from .util import ApiError

HEADER = "Idempotency-Key"
KEEP_COUNT = 10000
KEEP_SIM_SECONDS = 24 * 3600
MAX_KEY_LEN = 255


def applies(req):
    return req.method == "POST" and req.path.startswith("/api/manager/")


def _scope(api_key):
    # Keys are per caller; the state file holds a digest, never the API key.
    return hashlib.sha256((api_key or "").encode("utf-8")).hexdigest()[:16]


def _fingerprint(req):
    h = hashlib.sha256()
    h.update(req.method.encode("ascii") + b" " + req.path.encode("utf-8") + b"\n")
    h.update(req.body)
    return h.hexdigest()


def _valid(key):
    return 0 < len(key) <= MAX_KEY_LEN and all(0x21 <= ord(c) <= 0x7E for c in key)


class _Entry:
    __slots__ = ("fingerprint", "done", "status", "body", "headers", "at")

    def __init__(self, fingerprint):
        self.fingerprint = fingerprint
        self.done = False
        self.status = 0
        self.body = None
        self.headers = {}
        self.at = time.time()


class Claim:
    """The right to run a keyed request: finish() records its answer,
    abandon() lets the next request with the key run instead."""

    def __init__(self, store, ident):
        self.store = store
        self.ident = ident

    def finish(self, status, body, headers=None):
        self.store._finish(self.ident, status, body, headers or {})

    def abandon(self):
        self.store._abandon(self.ident)


class IdempotencyStore:
    def __init__(self, clock, on_change=None):
        self.clock = clock
        self.on_change = on_change
        self.cond = threading.Condition()
        self.entries = OrderedDict()    # (scope, key) -> _Entry, oldest first

    def _ttl(self):
        return self.clock.span(KEEP_SIM_SECONDS)

    def _prune(self, now):
        # Finished entries are in the order they finished (oldest first):
        # the walk stops at the first one that stays.
        ttl = self._ttl()
        over = len(self.entries) - KEEP_COUNT
        drop = []
        for ident, e in self.entries.items():
            if not e.done:
                continue
            if over <= 0 and now - e.at <= ttl:
                break
            drop.append(ident)
            over -= 1
        for ident in drop:
            del self.entries[ident]

    def enter(self, req):
        """None when the request carries no key (or is not keyed); else a
        Claim to run it, or ("replay", status, body, headers).  Raises
        ApiError 400 for a malformed key and 422 for a reused one."""
        key = req.header(HEADER)
        if key is None or not applies(req):
            return None
        if not _valid(key):
            raise ApiError(400, "bad_request",
                           "Idempotency-Key must be 1 to %d visible ASCII characters." % MAX_KEY_LEN)
        ident = (_scope(req.key), key)
        fp = _fingerprint(req)
        with self.cond:
            while True:
                self._prune(time.time())
                e = self.entries.get(ident)
                if e is None:
                    self.entries[ident] = _Entry(fp)
                    return Claim(self, ident)
                if e.fingerprint != fp:
                    raise ApiError(422, "idempotency_key_reused",
                                   "This Idempotency-Key was already used for a different "
                                   "request.")
                if e.done:
                    return ("replay", e.status, e.body, dict(e.headers))
                self.cond.wait()        # the first one is still running

    def _finish(self, ident, status, body, headers):
        with self.cond:
            e = self.entries.get(ident)
            if e is not None:
                e.done, e.status, e.body, e.headers, e.at = True, status, body, headers, time.time()
                self.entries.move_to_end(ident)
                self._prune(e.at)
            self.cond.notify_all()
        if self.on_change is not None:
            self.on_change()

    def _abandon(self, ident):
        with self.cond:
            e = self.entries.get(ident)
            if e is not None and not e.done:
                del self.entries[ident]
            self.cond.notify_all()

    # -- --state and /_sim/reset ----------------------------------------------
    def snapshot(self):
        with self.cond:
            self._prune(time.time())
            return {"entries": [[s, k, e.fingerprint, e.status, e.body, e.headers, e.at]
                                for (s, k), e in self.entries.items() if e.done]}

    def restore(self, snap):
        with self.cond:
            self.entries.clear()
            for row in snap.get("entries", []):
                try:
                    s, k, fp, status, body, headers, at = row
                except (TypeError, ValueError):
                    continue
                e = _Entry(fp)
                e.done, e.status, e.body, e.headers, e.at = True, int(status), body, dict(headers), float(at)
                self.entries[(s, k)] = e
            self._prune(time.time())

    def reset(self):
        with self.cond:
            self.entries.clear()
            self.cond.notify_all()
