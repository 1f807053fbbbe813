"""The simulator application: configuration, shared state, routing."""

import contextlib
import os
import re
import sys
import threading
import time
from urllib.parse import unquote

from . import admin, api_manager, api_workspaces, chat
from .auth import KeyStore, RateLimiter
from .customers import Customers
from .events import EventBus
from .faults import FaultError, FaultRegistry
from .gate import Gate
from .idempotency import IdempotencyStore
from .persist import Persist
from .util import ApiError, Clock, IdMaker, iso_now
from .workspaces import Store

_FAULT_CODES = {500: "internal_error", 502: "bad_gateway", 503: "service_unavailable",
                504: "gateway_timeout", 429: "rate_limited"}


class Route:
    def __init__(self, service, method, pattern, fn, auth=None):
        self.service = service
        self.method = method
        self.rx = re.compile("^" + pattern + "$")
        self.fn = fn
        self.auth = auth


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}
        self.total = 0
        self.streams = 0
        self.timings = []   # recent completions: id, arrived and first token (monotonic ns)

    def request(self, path):
        with self.lock:
            self.total += 1
            self.requests[path] = self.requests.get(path, 0) + 1

    def stream_delta(self, d):
        with self.lock:
            self.streams += d

    def first_token(self, cid, arrived_ns, sent_ns):
        """A completion's first content token left: for /_sim/stats."""
        with self.lock:
            self.timings.append({"id": cid, "arrived_ns": arrived_ns, "first_token_ns": sent_ns})
            del self.timings[:-256]

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.total = 0

    def to_json(self, app):
        with self.lock:
            out = {"requests_total": self.total, "requests": dict(self.requests),
                   "active_streams": self.streams, "first_tokens": list(self.timings)}
        out["faults_fired"] = app.faults.stats()
        with app.store.lock:
            out["workspaces"] = len(app.store.workspaces)
        out["last_event_id"] = app.bus.last_id
        return out


class App:
    def __init__(self, opts, user_keys, agent_keys, projects):
        self.seed = opts.seed
        self.clock = Clock(opts.speed)
        self.quiet = opts.quiet
        self.heartbeat = opts.heartbeat
        self.reply_tokens = opts.reply_tokens
        self.default_mode = opts.default_mode
        self.role_assistant = opts.role_assistant
        self.flat_workspace = opts.flat_workspace
        self.bare_lists = opts.bare_lists
        self.no_client_secret = getattr(opts, "no_client_secret", False)
        self.refuse_fields = tuple(getattr(opts, "refuse_field", None) or ())
        self.manager = not opts.no_manager
        self.stopping = threading.Event()
        self.ids = IdMaker(opts.seed)
        self.stats = Stats()
        self.keys = KeyStore(user_keys, agent_keys)
        limit, window = opts.rate_limit
        self.limiter = RateLimiter(limit, self.clock.span(window))
        self.faults = FaultRegistry(opts.fault or [])
        self.bus = EventBus()
        self.store = Store(self)
        self.gate = Gate(self, projects)
        self.persist = Persist(self, opts.state, getattr(opts, "sync_state", False))
        self.bus.on_change = self.persist.mark
        self.bus.hold = self.persist.sync
        self.idem = IdempotencyStore(self.clock, self.persist.mark)
        self.server = None      # set by cli.main: the crash fault closes it first
        self.customers = Customers(self, opts.customers)
        self.routes = self._routes()

    def _routes(self):
        A, G, M = "aiassist", "gate", "admin"
        ws = "/api/workspaces/([^/]+)"
        r = [
            Route(A, "POST", "/v1/chat/completions", chat.handle_chat, "public"),
            Route(A, "GET", "/v1/models", chat.handle_models, "public"),
            Route(A, "GET", "/v1/models/(.+)", chat.handle_model, "public"),
            Route(A, "POST", "/api/workspaces", api_workspaces.create, "public"),
            Route(A, "GET", "/api/workspaces/by-client/([^/]+)", api_workspaces.by_client, "public"),
            Route(A, "GET", ws, api_workspaces.get, "public"),
            Route(A, "POST", ws + "/messages", api_workspaces.send, "public"),
            Route(A, "GET", ws + "/messages", api_workspaces.history, "public"),
            Route(A, "POST", ws + "/typing", api_workspaces.typing, "public"),
            Route(A, "POST", ws + "/end", api_workspaces.end, "public"),
        ]
        if self.manager:
            mws = "/api/manager/workspaces/([^/]+)"
            r += [
                Route(A, "GET", "/api/manager/workspaces", api_manager.list_workspaces, "agent"),
                Route(A, "GET", "/api/manager/events", api_manager.events, "agent"),
                Route(A, "POST", mws + "/mode", api_manager.set_mode, "agent"),
                Route(A, "POST", mws + "/reply", api_manager.reply, "agent"),
                Route(A, "POST", mws + "/typing", api_manager.typing, "agent"),
                Route(A, "POST", mws + "/regenerate", api_manager.regenerate, "agent"),
                Route(A, "GET", "/api/manager/drafts", api_manager.drafts, "agent"),
                Route(A, "POST", "/api/manager/drafts/([^/]+)/approve", api_manager.approve, "agent"),
                Route(A, "POST", "/api/manager/drafts/([^/]+)/reject", api_manager.reject, "agent"),
            ]
        gate = self.gate
        r += [
            Route(G, "POST", "/session", gate.create_session),
            Route(G, "GET", "/turn-credentials", gate.turn_credentials),
            Route(G, "GET", "/health", gate.health),
            Route(G, "GET", "/metrics", gate.metrics),
            Route(M, "POST", "/_sim/faults", admin.add_fault),
            Route(M, "GET", "/_sim/faults", admin.list_faults),
            Route(M, "DELETE", "/_sim/faults", admin.clear_faults),
            Route(M, "DELETE", "/_sim/faults/([^/]+)", admin.delete_fault),
            Route(M, "POST", "/_sim/reset", admin.reset),
            Route(M, "POST", "/_sim/drafts/([^/]+)/decide", admin.decide_draft),
            Route(M, "GET", "/_sim/stats", admin.stats),
            Route(M, "GET", "/_sim/gate", admin.gate),
        ]
        return r

    def match(self, service, method, path):
        allowed = []
        for r in self.routes:
            if r.service != service:
                continue
            m = r.rx.match(path)
            if m is None:
                continue
            if r.method == method:
                return r, [unquote(g) for g in m.groups()]
            allowed.append(r.method)
        if allowed:
            raise ApiError(405, "method_not_allowed", "Method %s is not allowed on %s." % (method, path),
                           headers={"Allow": ", ".join(sorted(set(allowed)))})
        raise ApiError(404, "not_found", "No such endpoint: %s %s." % (method, path))

    # -- one request ------------------------------------------------------------
    def handle(self, req, out):
        if req.service == "admin":
            p = req.peer
            if not (p.startswith("127.") or p == "::1" or p.startswith("::ffff:127.")):
                raise ApiError(403, "forbidden", "Admin calls are only accepted from loopback.")
        else:
            if req.service == "gate":
                self.gate.pre(req)
            try:
                req.fault = self.faults.select(req.header("X-Sim-Fault"), req.path, req.reused)
            except FaultError as e:
                raise ApiError(400, "bad_request", "Invalid X-Sim-Fault: %s." % e)
        if req.fault is not None and req.fault.status:
            raise self._fault_error(req)
        route, args = self.match(req.service, req.method, req.path)
        if route.auth:
            self.keys.require(req, agent=route.auth == "agent")
            ok, _, reset = self.limiter.hit("key:" + req.key)
            if not ok:
                ra = self.limiter.retry_after(reset)
                raise ApiError(429, "rate_limited",
                               "Rate limit exceeded: %d requests per %g s. Retry in %d s."
                               % (self.limiter.limit, self.limiter.window, ra),
                               headers={"Retry-After": str(ra)})
        claim = self.idem.enter(req)
        if isinstance(claim, tuple):            # a repeat: the first answer, no effect
            _, status, body, headers = claim
            headers["Idempotent-Replayed"] = "true"
            out.send_json(status, body, headers)
            return
        failed = None
        # A keyed request's effect and its key are recorded as one step for
        # the state file (Persist.apply_lock).
        with self.persist.apply_lock if claim is not None else contextlib.nullcontext():
            try:
                res = route.fn(self, req, out, *args)
            except ApiError as e:
                if claim is not None:
                    claim.finish(e.status, self.error_body(req, e), e.headers)
                failed = e
            except BaseException:
                if claim is not None:
                    claim.abandon()
                raise
            else:
                if claim is not None:
                    if res is not None:
                        claim.finish(res[0], res[1])
                    else:
                        claim.abandon()
        if failed is not None:
            self._crash_if_asked(req)
            raise failed
        if res is not None:
            self._crash_if_asked(req)
            # --sync-state: on disk before it is said; a state that cannot
            # be saved is not promised.
            if not self.persist.wait_durable():
                raise ApiError(503, "service_unavailable",
                               "The change could not be saved in time; it may or may not hold.")
            out.send_json(res[0], res[1])

    def _crash_if_asked(self, req):
        """The fault crash_after_apply: the request has been applied; save
        the state as it is now and end the whole process at once, without
        a byte of the answer, as a server that dies at the worst moment."""
        if req.fault is None or not req.fault.get("crash_after_apply"):
            return
        try:
            self.persist.save()
        except OSError as e:
            sys.stderr.write("aidesk-sim: cannot save state: %s\n" % e)
        if not self.quiet:
            sys.stderr.write("aidesk-sim: crash_after_apply on %s %s: exiting\n"
                             % (req.method, req.path))
            sys.stderr.flush()
        # The listening socket goes first, so that a client reconnecting
        # the moment its connection closes finds nobody there.
        if self.server is not None:
            try:
                self.server.socket.close()
            except OSError:
                pass
        os._exit(70)
    def _fault_error(self, req):
        st = req.fault.status
        hdrs = {}
        if st == 429:
            ra = req.fault.get("retry_after", 1)
            hdrs["Retry-After"] = str(ra)
            if req.service == "gate":
                return ApiError(429, "Rate limit exceeded", "Simulated rate limit (fault injection).",
                                {"limit": 100, "window": "15m", "resetAt": iso_now(time.time() + ra)}, hdrs)
            return ApiError(429, "rate_limited", "Simulated rate limit (fault injection).", headers=hdrs)
        code = _FAULT_CODES[st]
        if req.service == "gate" and st == 500:
            code = "upstream_error"
        return ApiError(st, code, "Simulated %d failure (fault injection)." % st, headers=hdrs)

    def error_body(self, req, e):
        if req.service == "gate":
            body = {"error": e.code, "message": e.message}
        else:
            body = {"detail": e.message, "code": e.code}
            if req.path.startswith("/v1/"):
                # The OpenAI-compatible calls say it OpenAI's way too, for
                # OpenAI's clients (the AiAssist SDK reads detail and code).
                kind = ("server_error" if e.status >= 500 else "requests" if e.status == 429
                        else "invalid_request_error")
                body["error"] = {"message": e.message, "type": kind, "param": None,
                                 "code": e.code}
        body.update(e.extra)
        return body

    def send_error(self, req, out, e):
        out.send_json(e.status, self.error_body(req, e), e.headers)

    # -- admin ---------------------------------------------------------------------
    def reset(self):
        self.store.reset()
        self.bus.reset()
        self.gate.reset()
        self.idem.reset()
        self.limiter.clear()
        self.faults.reset()
        self.stats.reset()
        self.ids.clear()
        self.persist.mark()
