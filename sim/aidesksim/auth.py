"""API keys (AiAssist), project ids (AI Gate), fixed-window rate limiting."""

import json
import math
import threading
import time

from .util import ApiError

DEFAULT_USER_KEYS = ["aai_demo_user"]
DEFAULT_AGENT_KEYS = ["aai_demo_agent"]
DEFAULT_PROJECTS = {
    "proj_demo": {"plan": "free", "sessions_used": 0},
    "proj_starter": {"plan": "starter", "sessions_used": 0},
    "proj_growth": {"plan": "growth", "sessions_used": 0},
    "proj_exhausted": {"plan": "free", "sessions_used": 100},
}
PLANS = {"free": (100, 5), "starter": (1000, 10), "growth": (10000, 25)}


def load_keys(path):
    """Read a --keys file; absent fields get the defaults."""
    data = {}
    if path:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError("the keys file must hold a JSON object")
    user = data.get("user_keys", DEFAULT_USER_KEYS)
    agent = data.get("agent_keys", DEFAULT_AGENT_KEYS)
    projects = data.get("projects", DEFAULT_PROJECTS)
    if not (isinstance(user, list) and all(isinstance(k, str) for k in user)):
        raise ValueError("user_keys must be a list of strings")
    if not (isinstance(agent, list) and all(isinstance(k, str) for k in agent)):
        raise ValueError("agent_keys must be a list of strings")
    if not isinstance(projects, dict):
        raise ValueError("projects must be an object")
    clean = {}
    for pid, p in projects.items():
        if not isinstance(p, dict) or p.get("plan", "free") not in PLANS:
            raise ValueError("project %s: plan must be free, starter or growth" % pid)
        used = p.get("sessions_used", 0)
        if not isinstance(used, int) or used < 0:
            raise ValueError("project %s: sessions_used must be a non-negative integer" % pid)
        clean[pid] = {"plan": p.get("plan", "free"), "sessions_used": used}
    return set(user), set(agent), clean


class KeyStore:
    def __init__(self, user_keys, agent_keys):
        self.user = set(user_keys)
        self.agent = set(agent_keys)

    def identify(self, headers):
        """(key, kind) from X-API-Key or Authorization: Bearer; kind is
        "agent", "user" or None.  Either header suffices."""
        cands = []
        x = headers.get("X-API-Key")
        if x:
            cands.append(x.strip())
        a = headers.get("Authorization")
        if a:
            scheme, _, tok = a.strip().partition(" ")
            if scheme.lower() == "bearer" and tok.strip():
                cands.append(tok.strip())
        for k in cands:
            if k in self.agent:
                return k, "agent"
        for k in cands:
            if k in self.user:
                return k, "user"
        return None, None

    def require(self, req, agent=False):
        key, kind = self.identify(req.headers)
        if kind is None:
            raise ApiError(401, "invalid_api_key", "Invalid API key")
        if agent and kind != "agent":
            raise ApiError(403, "forbidden", "This call needs an agent key")
        req.key, req.key_kind = key, kind
        return kind


class RateLimiter:
    """Fixed windows per key: `limit` requests per `window` real seconds."""

    def __init__(self, limit, window):
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._w = {}              # key -> [window_end_wall, count]

    def hit(self, key, count=True):
        """Count a request; return (allowed, remaining, reset_wall)."""
        now = time.time()
        with self._lock:
            w = self._w.get(key)
            if w is None or now >= w[0]:
                w = [now + self.window, 0]
                self._w[key] = w
            if w[1] >= self.limit:
                return False, 0, w[0]
            if count:
                w[1] += 1
            return True, self.limit - w[1], w[0]

    def retry_after(self, reset_wall):
        return max(1, int(math.ceil(reset_wall - time.time())))

    def clear(self):
        with self._lock:
            self._w.clear()


def parse_rate(spec):
    """'600/60' -> (600, 60.0)."""
    n, sep, secs = spec.partition("/")
    if not sep:
        raise ValueError("rate limit must look like N/SECONDS")
    n, secs = int(n), float(secs)
    if n <= 0 or secs <= 0:
        raise ValueError("rate limit numbers must be positive")
    return n, secs
