"""Fault injection: spec parsing, per-key counting, global fault registry.

Spec: `name[=value]` items separated by `;`, e.g. `status=503;times=1;key=t1`.
See docs/protocol.md for what each fault does.
"""

import threading

_INT_FIELDS = {"latency", "status", "retry_after", "drop_after", "stall_after", "stall",
               "malformed", "times", "drip", "cut_at_byte"}
_FLAGS = {"invalid_utf8", "escapes", "huge_line", "drip", "crash_after_apply", "reused_only"}
_STR_FIELDS = {"key", "path"}
_STATUSES = {429, 500, 502, 503, 504}
CONTENT_KINDS = ("escapes", "invalid_utf8", "huge_line")


class FaultError(ValueError):
    pass


class Fault:
    """One parsed fault spec."""

    def __init__(self, spec):
        self.spec = spec.strip()
        self.fields = {}
        for item in self.spec.split(";"):
            item = item.strip()
            if not item:
                continue
            name, eq, value = item.partition("=")
            name = name.strip().lower()
            value = value.strip()
            if name in _STR_FIELDS:
                if not value:
                    raise FaultError("fault '%s' needs a value" % name)
                self.fields[name] = value
            elif name in _INT_FIELDS and (eq or name not in _FLAGS):
                if not value.isdigit():
                    raise FaultError("fault '%s' needs a non-negative integer value" % name)
                self.fields[name] = int(value)
            elif name in _FLAGS:
                self.fields[name] = True
            else:
                raise FaultError("unknown fault '%s'" % name)
        if not self.fields:
            raise FaultError("empty fault spec")
        st = self.fields.get("status")
        if st is not None and st not in _STATUSES:
            raise FaultError("status must be one of 429, 500, 502, 503, 504")
        if "stall" in self.fields and "stall_after" not in self.fields:
            self.fields["stall_after"] = 0
        if "stall_after" in self.fields and "stall" not in self.fields:
            self.fields["stall"] = 1000
        if self.fields.get("malformed") == 0:
            raise FaultError("malformed counts from 1")

    def get(self, name, default=None):
        return self.fields.get(name, default)

    @property
    def status(self):
        return self.fields.get("status")

    @property
    def latency_ms(self):
        return self.fields.get("latency", 0)

    @property
    def drip_ms(self):
        d = self.fields.get("drip")
        if d is None:
            return None
        return 1 if d is True else d

    def content_kinds(self):
        return tuple(k for k in CONTENT_KINDS if self.fields.get(k))

    def to_json(self):
        return dict(self.fields, spec=self.spec)


class GlobalFault:
    def __init__(self, ident, fault, origin):
        self.id = ident
        self.fault = fault
        self.origin = origin          # "cli" or "admin"
        self.used = 0

    def to_json(self):
        times = self.fault.get("times")
        return {"id": self.id, "spec": self.fault.spec, "origin": self.origin,
                "path": self.fault.get("path"), "times": times, "fired": self.used,
                "remaining": None if times is None else max(0, times - self.used)}


class FaultRegistry:
    def __init__(self, cli_specs=()):
        self._lock = threading.Lock()
        self._cli_specs = list(cli_specs)
        self._next = 1
        self.globals = []
        self.key_counts = {}
        self.fired = {}
        self._install_cli()

    def _install_cli(self):
        for spec in self._cli_specs:
            self._add(Fault(spec), "cli")

    def _add(self, fault, origin):
        ident = "flt_%d" % self._next
        self._next += 1
        self.globals.append(GlobalFault(ident, fault, origin))
        return ident

    def add(self, spec):
        fault = Fault(spec)
        with self._lock:
            return self._add(fault, "admin")

    def list(self):
        with self._lock:
            return [g.to_json() for g in self.globals]

    def clear(self, ident=None):
        with self._lock:
            before = len(self.globals)
            if ident is None:
                self.globals = []
                self.key_counts.clear()
            else:
                self.globals = [g for g in self.globals if g.id != ident]
            return before - len(self.globals)

    def reset(self):
        """Back to the command line's faults, fresh counters."""
        with self._lock:
            self.globals = []
            self.key_counts.clear()
            self.fired.clear()
            self._install_cli()

    def _fire(self, label):
        self.fired[label] = self.fired.get(label, 0) + 1

    def select(self, header_spec, path, reused=False):
        """The Fault for this request or None.  Raises FaultError for a bad
        header spec.  Counting (`times`) happens here.  `reused`: the request
        is not the first on its TCP connection (for `reused_only`)."""
        if header_spec:
            fault = Fault(header_spec)
            if fault.get("reused_only") and not reused:
                return None
            with self._lock:
                times = fault.get("times")
                if times is not None:
                    key = fault.get("key") or fault.spec
                    n = self.key_counts.get(key, 0)
                    self.key_counts[key] = n + 1
                    if n >= times:
                        return None
                self._fire("header:" + (fault.get("key") or fault.spec))
            return fault
        with self._lock:
            for g in self.globals:
                prefix = g.fault.get("path")
                if prefix and not path.startswith(prefix):
                    continue
                if g.fault.get("reused_only") and not reused:
                    continue
                times = g.fault.get("times")
                if times is not None and g.used >= times:
                    continue
                g.used += 1
                self._fire(g.id)
                return g.fault
        return None

    def stats(self):
        with self._lock:
            return dict(self.fired)
