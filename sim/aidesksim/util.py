"""Small shared helpers: time, ids, JSON encoding, errors."""

import json
import math
import os
import random
import re
import threading
import time
from datetime import datetime, timezone


def iso_now(ts=None):
    """ISO-8601 UTC with milliseconds, e.g. 2026-11-21T15:21:00.123Z."""
    if ts is None:
        ts = time.time()
    dt = datetime.fromtimestamp(ts, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


class Clock:
    """Simulated time.  Every simulated duration is divided by `speed`.

    speed == 0 means "no simulated waiting at all" for latency and pacing;
    durations that are not waits (expiry, windows, customer pacing) then
    behave as speed 1 (see docs/protocol.md).
    """

    def __init__(self, speed=1.0):
        self.speed = float(speed)

    @property
    def unlimited(self):
        return self.speed <= 0

    def wait_scale(self, sim_seconds):
        """Real seconds to wait for a simulated latency."""
        if self.speed <= 0:
            return 0.0
        return sim_seconds / self.speed

    def span(self, sim_seconds):
        """Real seconds for a simulated span (expiry, windows, pacing)."""
        if self.speed <= 0:
            return float(sim_seconds)
        return sim_seconds / self.speed

    def sleep(self, sim_seconds, stop=None):
        real = self.wait_scale(sim_seconds)
        return real_sleep(real, stop)

    def sleep_span(self, sim_seconds, stop=None):
        return real_sleep(self.span(sim_seconds), stop)


def real_sleep(seconds, stop=None):
    """Sleep; return False early if `stop` (an Event) gets set."""
    if seconds <= 0:
        return not (stop is not None and stop.is_set())
    if stop is None:
        time.sleep(seconds)
        return True
    return not stop.wait(seconds)


def ceil_int(x):
    return int(math.ceil(x))


class IdMaker:
    """Collision-checked ids like ws_3f9a0c2b7e1d.  Unlike replies, ids are
    not reproducible: they mix in fresh entropy so that a new run never
    reuses the id of an earlier run (clients may key local data by id)."""

    ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

    def __init__(self, seed):
        self._rng = random.Random("ids:%s:%s" % (seed, os.urandom(16).hex()))
        self._lock = threading.Lock()
        self._used = set()

    def reserve(self, ident):
        with self._lock:
            self._used.add(ident)

    def clear(self):
        with self._lock:
            self._used.clear()

    def new(self, prefix, length=16):
        with self._lock:
            while True:
                tail = "".join(self._rng.choice(self.ALPHABET) for _ in range(length))
                ident = prefix + tail
                if ident not in self._used:
                    self._used.add(ident)
                    return ident

    def rand_hex(self, n):
        with self._lock:
            return "%0*x" % (n, self._rng.getrandbits(4 * n))


# Characters that are always sent as \u escapes, never raw: C1 controls,
# DEL, bidi controls, zero-width and BOM.  (C0 controls are escaped by json.)
_FORCE_ESCAPE = re.compile("[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _esc(m):
    return "\\u%04x" % ord(m.group(0))


def dumps(obj):
    """Compact JSON, UTF-8 text raw, invisible/control characters escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if _FORCE_ESCAPE.search(text):
        text = _FORCE_ESCAPE.sub(_esc, text)
    return text


# A marker that becomes raw invalid UTF-8 bytes once encoded (fault
# `invalid_utf8`).  Two private-use characters nobody else emits.
INVALID_MARK = "\ue000\ue001"
INVALID_MARK_BYTES = INVALID_MARK.encode("utf-8")
INVALID_BYTES = b"\xff\xfe bad\xc3\x28 \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80"


def encode(text):
    """UTF-8 encode; turn the invalid-UTF-8 marker into raw invalid bytes."""
    data = text.encode("utf-8")
    if INVALID_MARK_BYTES in data:
        data = data.replace(INVALID_MARK_BYTES, INVALID_BYTES)
    return data


class ApiError(Exception):
    """An error answer.  Rendered per service:
    AiAssist/admin: {"detail": message, "code": code, **extra}
    Gate:           {"error": code, "message": message, **extra}
    """

    def __init__(self, status, code, message, extra=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}
        self.headers = headers or {}


def bad_request(message, code="bad_request"):
    return ApiError(400, code, message)


def not_found(message):
    return ApiError(404, "not_found", message)
