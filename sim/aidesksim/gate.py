"""AI Gate: realtime sessions, TURN credentials, plans, rate and concurrency
limits, health and metrics."""

import base64
import copy
import hashlib
import hmac
import json
import threading
import time

from . import VERSION
from .auth import PLANS, RateLimiter
from .util import ApiError, ceil_int, iso_now

MODELS = ("gpt-4o-realtime-preview-2024-10-01", "gpt-4o-realtime-preview-2024-12-17",
          "gpt-4o-mini-realtime-preview-2024-12-17")
VOICES = ("alloy", "echo", "fable", "onyx", "nova", "shimmer")
DEFAULTS = {"model": MODELS[0], "voice": "echo", "temperature": 0.7,
            "instructions": "You are a helpful assistant"}
RATE_LIMIT, RATE_WINDOW = 100, 15 * 60
SESSION_TTL, SECRET_TTL, TURN_TTL = 3600, 60, 86400
MINUTES_PER_SESSION = 3
UPGRADE_URL = "https://www.ai-gate.dev/pricing"
_TURN = [
    "turn:turn1.aidesk-sim.invalid:3478?transport=udp",
    ["turn:turn1.aidesk-sim.invalid:3478?transport=tcp"],
    "turns:turn2.aidesk-sim.invalid:5349?transport=tcp",
    ["turn:turn3.aidesk-sim.invalid:3478?transport=udp",
     "turn:turn3.aidesk-sim.invalid:3478?transport=tcp"],
]


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Gate:
    def __init__(self, app, projects):
        self.app = app
        self.initial = copy.deepcopy(projects)
        self.projects = copy.deepcopy(projects)
        self.lock = threading.Lock()
        self.sessions = []
        self.limiter = RateLimiter(RATE_LIMIT, app.clock.span(RATE_WINDOW))
        self.started = time.time()
        self.counters = {"sessions_created": 0, "requests_total": 0, "rate_limited_total": 0}
        self._secret = hashlib.sha256(("turn:%s" % app.seed).encode()).digest()

    # -- every Gate request -------------------------------------------------------
    def pre(self, req):
        """Count the request against its project (or address) and attach the
        X-RateLimit-* headers; 429 when over."""
        pid = None
        if req.path == "/session" and req.method == "POST":
            try:
                b = json.loads(req.body.decode("utf-8"))
                pid = b.get("project_id") if isinstance(b, dict) else None
            except (ValueError, UnicodeDecodeError):
                pid = None
        elif req.path == "/turn-credentials":
            pid = req.query.get("identifier")
        key = "project:" + pid if isinstance(pid, str) and pid in self.projects else "addr:" + req.peer
        with self.lock:
            self.counters["requests_total"] += 1
        ok, remaining, reset = self.limiter.hit(key)
        req.extra_headers.update({"X-RateLimit-Limit": str(RATE_LIMIT),
                                  "X-RateLimit-Remaining": str(remaining),
                                  "X-RateLimit-Reset": str(ceil_int(reset))})
        if not ok:
            with self.lock:
                self.counters["rate_limited_total"] += 1
            ra = self.limiter.retry_after(reset)
            raise ApiError(429, "Rate limit exceeded",
                           "Too many requests: %d per 15 minutes. Try again in %d s." % (RATE_LIMIT, ra),
                           {"limit": RATE_LIMIT, "window": "15m", "resetAt": iso_now(reset)},
                           {"Retry-After": str(ra)})

    # -- helpers ---------------------------------------------------------------------
    def _project(self, pid):
        if not isinstance(pid, str) or pid not in self.projects:
            raise ApiError(401, "unauthorized", "Unknown or missing project id.")
        return self.projects[pid]

    def ice_servers(self, pid):
        expiry = int(time.time() + self.app.clock.span(TURN_TTL))
        user = "%d:%s" % (expiry, pid)
        cred = base64.b64encode(hmac.new(self._secret, user.encode(), hashlib.sha1).digest()).decode()
        out = [{"urls": "stun:stun1.aidesk-sim.invalid:3478"},
               {"urls": "stun:stun2.aidesk-sim.invalid:19302"}]
        for urls in _TURN:
            out.append({"urls": copy.copy(urls), "username": user, "credential": cred})
        return out

    def _live(self, pid, now):
        self.sessions = [s for s in self.sessions if s["expires"] > now]
        return [s for s in self.sessions if s["project"] == pid]

    def usage(self, p):
        included = PLANS[p["plan"]][0]
        used = p["sessions_used"]
        return {"plan": p["plan"], "sessionsIncluded": included, "sessionsUsed": used,
                "sessionsRemaining": max(0, included - used),
                "estimatedMinutes": included * MINUTES_PER_SESSION,
                "minutesUsed": used * MINUTES_PER_SESSION,
                # A float, as the SDKs type it (UsageResponse.percentUsed).
                "percentUsed": min(100.0, round(100.0 * used / included, 2))}

    # -- handlers -------------------------------------------------------------------
    def create_session(self, app, req, out):
        try:
            body = req.json()
        except ApiError as e:
            raise ApiError(400, "bad_request", e.message)
        p = self._project(body.get("project_id"))
        pid = body["project_id"]
        prm = {}
        for name in ("model", "voice", "instructions"):
            v = body.get(name)
            if v is None:
                v = DEFAULTS[name]
            if not isinstance(v, str):
                raise ApiError(400, "invalid_request", "'%s' must be a string." % name)
            prm[name] = v
        if prm["model"] not in MODELS:
            raise ApiError(400, "invalid_request", "Unknown model '%s'. Use one of: %s."
                           % (prm["model"], ", ".join(MODELS)))
        if prm["voice"] not in VOICES:
            raise ApiError(400, "invalid_request", "Invalid voice '%s'. Use one of: %s."
                           % (prm["voice"], ", ".join(VOICES)))
        t = body.get("temperature")
        if t is None:
            t = DEFAULTS["temperature"]
        if not _num(t) or not 0 <= t <= 1:
            raise ApiError(400, "invalid_request", "'temperature' must be a number between 0 and 1.")
        now_m, now = time.monotonic(), time.time()
        with self.lock:
            included, max_conc = PLANS[p["plan"]]
            if p["sessions_used"] >= included:
                raise ApiError(402, "quota_exceeded",
                               "Your %s plan's %d sessions are used up." % (p["plan"], included),
                               {"usage": self.usage(p), "upgrade_url": UPGRADE_URL})
            live = self._live(pid, now_m)
            if len(live) >= max_conc:
                raise ApiError(429, "concurrent_limit_exceeded",
                               "Too many concurrent sessions for this project.",
                               {"current": len(live), "max": max_conc,
                                "hint": "Close an idle session or wait for one to expire "
                                        "(1 hour without activity), or upgrade your plan."})
            p["sessions_used"] += 1
            sid = "sess_" + self.app.ids.new("", 24)
            secret = "eph_" + self.app.ids.new("", 32)
            ttl, sttl = self.app.clock.span(SESSION_TTL), self.app.clock.span(SECRET_TTL)
            self.sessions.append({"id": sid, "project": pid, "secret": secret,
                                  "expires": now_m + ttl, "secret_expires": now_m + sttl,
                                  "expires_at": now + ttl, "secret_expires_at": now + sttl,
                                  # What a Realtime call to it follows (realtime.py).
                                  "model": prm["model"], "voice": prm["voice"],
                                  "instructions": prm["instructions"]})
            self.counters["sessions_created"] += 1
        app.persist.mark()
        ice = self.ice_servers(pid)
        ans = {
            "id": sid, "object": "realtime.session", "model": prm["model"],
            "expires_at": ceil_int(now + ttl), "modalities": ["text", "audio"],
            "instructions": prm["instructions"], "voice": prm["voice"],
            "input_audio_format": "pcm16", "output_audio_format": "pcm16",
            "input_audio_transcription": None,
            "turn_detection": {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
                               "silence_duration_ms": 200},
            "tools": [], "tool_choice": "auto", "temperature": t,
            "max_response_output_tokens": "inf",
            "client_secret": {"value": secret, "expires_at": ceil_int(now + sttl)},
            "turn_credentials": {"iceServers": ice},
            "session_id": sid,
            "metadata": {"model": prm["model"], "voice": prm["voice"], "turn_server": _TURN[0],
                         "created_at": iso_now(now)},
        }
        if app.no_client_secret:
            # Optional in both SDKs' types: a real answer may lack it.
            del ans["client_secret"]
        return 200, ans

    def turn_credentials(self, app, req, out):
        pid = req.query.get("identifier")
        self._project(pid)
        return 200, {"iceServers": self.ice_servers(pid)}

    def health(self, app, req, out):
        # "healthy", as the real service answers (recorded in the AI Gate
        # repository), not "ok".
        return 200, {"status": "healthy", "version": VERSION,
                     "uptime_seconds": int(time.time() - self.started), "upstream": "ok"}

    def metrics(self, app, req, out):
        with self.lock:
            active = len([s for s in self.sessions if s["expires"] > time.monotonic()])
            c = dict(self.counters)
        c["sessions_active"] = active
        c["uptime_seconds"] = int(time.time() - self.started)
        return 200, c

    def admin_view(self):
        now = time.monotonic()
        with self.lock:
            return {"projects": copy.deepcopy(self.projects),
                    "sessions": [{"id": s["id"], "project": s["project"],
                                  "live": s["expires"] > now,
                                  "secret_valid": s["secret_expires"] > now,
                                  "expires_at": s["expires_at"],
                                  "secret_expires_at": s["secret_expires_at"]}
                                 for s in self.sessions]}

    # -- persistence -----------------------------------------------------------------
    def snapshot(self):
        with self.lock:
            return {pid: {"sessions_used": p["sessions_used"]} for pid, p in self.projects.items()}

    def restore(self, snap):
        with self.lock:
            for pid, p in snap.items():
                if pid in self.projects and isinstance(p.get("sessions_used"), int):
                    self.projects[pid]["sessions_used"] = p["sessions_used"]

    def reset(self):
        with self.lock:
            self.projects = copy.deepcopy(self.initial)
            self.sessions = []
            self.counters = {k: 0 for k in self.counters}
        self.limiter.clear()
