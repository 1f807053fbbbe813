"""HTTP/1.1 server plumbing: request parsing, fault-aware response writing,
dispatch to routes, per-request logging."""

import copy
import json
import email.utils
import queue
import socket
import ssl
import threading
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from . import VERSION, realtime
from .faults import FaultError
from .textgen import ESCAPES_PAYLOAD, HUGE_TOKEN
from .util import INVALID_MARK, ApiError, dumps, encode, real_sleep

MAX_BODY = 32 * 1024 * 1024
_CONTENT_KEYS = ("content", "delta", "text", "instructions")


class DropConnection(Exception):
    """Raised after a fault closed the connection on purpose."""


class Request:
    def __init__(self, handler, method, path, query, service):
        self.handler = handler
        self.method = method
        self.path = path
        self.query = query
        self.service = service
        self.headers = handler.headers
        self.peer = handler.client_address[0]
        self.body = b""
        self.key = None
        self.key_kind = None
        self.fault = None
        self.extra_headers = {}
        self.content_faults_done = False
        self.reused = False

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def json(self, allow_empty=False):
        """The body as a JSON object, or ApiError 400."""
        if not self.body.strip():
            if allow_empty:
                return {}
            raise ApiError(400, "bad_request", "The request body must be a JSON object.")
        try:
            obj = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise ApiError(400, "bad_request", "The request body is not valid JSON: %s." % e)
        if not isinstance(obj, dict):
            raise ApiError(400, "bad_request", "The request body must be a JSON object.")
        return obj


def _apply_content_faults(obj, kinds):
    """Inject hostile content into every text field of an answer."""
    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if isinstance(v, str) and k in _CONTENT_KEYS:
                    if "escapes" in kinds:
                        v = v + " " + ESCAPES_PAYLOAD
                    if "invalid_utf8" in kinds:
                        v = v + " " + INVALID_MARK
                    if "huge_line" in kinds:
                        v = v + HUGE_TOKEN
                    o[k] = v
                else:
                    walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    obj = copy.deepcopy(obj)
    walk(obj)
    return obj


def corrupt_event(ev):
    """Break the JSON of an SSE event's data line."""
    i = ev.rfind(b"data: ")
    if i < 0:
        return ev
    payload = ev[i + 6:].rstrip(b"\n")
    return ev[:i + 6] + payload[:max(1, len(payload) // 2)] + b'"\x01{,\n\n'


class Out:
    """Writes one answer, applying the request's fault (if any)."""

    def __init__(self, handler, req):
        self.h = handler
        self.req = req
        self.status = 0
        self.streaming = False
        self.events_sent = 0
        self.data_events = 0
        self.stalled = False
        self.body_sent = 0         # stream body bytes written, for cut_at_byte

    @property
    def fault(self):
        return self.req.fault

    # -- raw writing ------------------------------------------------------
    def _write(self, data):
        f = self.fault
        drip = f.drip_ms if f is not None else None
        w = self.h.wfile
        if drip:
            for i in range(len(data)):
                w.write(data[i:i + 1])
                real_sleep(drip / 1000.0)
        else:
            w.write(data)

    def abort(self):
        """Close the TCP connection now, mid-answer."""
        try:
            self.h.wfile.flush()
        except OSError:
            pass
        try:
            self.h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.h.close_connection = True
        raise DropConnection()

    def _head(self, status, headers):
        f = self.fault
        if f is not None and f.latency_ms:
            real_sleep(f.latency_ms / 1000.0)
        self.status = status
        reason = self.h.responses.get(status, ("",))[0]
        lines = ["HTTP/1.1 %d %s" % (status, reason),
                 "Server: aidesk-sim/" + VERSION,
                 "Date: " + email.utils.formatdate(usegmt=True)]
        merged = dict(self.req.extra_headers)
        merged.update(headers)
        for k, v in merged.items():
            lines.append("%s: %s" % (k, v))
        if self.h.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # -- plain answers ----------------------------------------------------
    def send_json(self, status, obj, headers=None):
        f = self.fault
        if f is not None and not self.req.content_faults_done and f.content_kinds():
            obj = _apply_content_faults(obj, f.content_kinds())
        body = encode(dumps(obj))
        self.send_bytes(status, body, headers, "application/json")

    def send_bytes(self, status, body, headers=None, ctype="application/json"):
        f = self.fault
        if f is not None and f.get("malformed"):
            body = body[:max(1, len(body) // 2)] + b'"\x01{,'
        hdrs = {"Content-Type": ctype, "Content-Length": str(len(body))}
        hdrs.update(headers or {})
        head = self._head(status, hdrs)
        if self.req.method == "HEAD":
            self._write(head)
            return
        half = len(body) // 2
        if f is not None and f.get("drop_after") is not None:
            self._write(head + body[:half])
            self.abort()
        if f is not None and f.get("cut_at_byte") is not None:
            self._write(head + body[:f.get("cut_at_byte")])
            self.abort()
        if f is not None and f.get("stall_after") is not None:
            self._write(head + body[:half])
            self.h.wfile.flush()
            real_sleep(f.get("stall", 0) / 1000.0)
            self._write(body[half:])
            return
        self._write(head + body)

    # -- chunked SSE streams ----------------------------------------------
    def start_stream(self, status=200, headers=None):
        hdrs = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                "Transfer-Encoding": "chunked", "X-Accel-Buffering": "no"}
        hdrs.update(headers or {})
        self._write(self._head(status, hdrs))
        self.streaming = True

    def _chunk(self, data):
        f = self.fault
        cut = f.get("cut_at_byte") if f is not None else None
        if cut is not None and self.body_sent + len(data) >= cut:
            # cut_at_byte=N: the first N bytes of the body, then close.
            data = data[:cut - self.body_sent]
            if data:
                self._write(b"%x\r\n" % len(data) + data + b"\r\n")
            self.abort()
        self.body_sent += len(data)
        if data:
            self._write(b"%x\r\n" % len(data) + data + b"\r\n")

    def raw(self, data):
        """Write bytes that are not events (retry line, comments)."""
        self._chunk(data)

    def events(self, evs):
        """Write SSE event blocks (each ending in a blank line) in one chunk,
        applying drop_after / stall_after / malformed."""
        f = self.fault
        if f is None or not (f.get("drop_after") is not None or f.get("stall_after") is not None
                             or f.get("malformed")):
            self.events_sent += len(evs)
            self._chunk(b"".join(evs))
            return
        drop = f.get("drop_after")
        stall = f.get("stall_after")
        bad = f.get("malformed")
        buf = []
        for ev in evs:
            if drop is not None and self.events_sent >= drop:
                self._chunk(b"".join(buf))
                self.abort()
            if stall is not None and not self.stalled and self.events_sent >= stall:
                self._chunk(b"".join(buf))
                buf = []
                self.h.wfile.flush()
                self.stalled = True
                real_sleep(f.get("stall", 0) / 1000.0)
            if ev.startswith(b"data: {") or b"\ndata: {" in ev:
                self.data_events += 1
                if bad and self.data_events == bad:
                    ev = corrupt_event(ev)
            buf.append(ev)
            self.events_sent += 1
        self._chunk(b"".join(buf))
        if drop is not None and self.events_sent >= drop:
            self.abort()

    def end_stream(self):
        self._write(b"0\r\n\r\n")


def _read_body(h):
    te = (h.headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in te:
        parts, total = [], 0
        while True:
            line = h.rfile.readline(65537)
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while h.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                h.close_connection = True
                raise ApiError(413, "payload_too_large", "The request body is too large.")
            parts.append(h.rfile.read(size))
            h.rfile.readline(65537)
    length = h.headers.get("Content-Length")
    if not length:
        return b""
    try:
        n = int(length)
    except ValueError:
        raise ApiError(400, "bad_request", "Bad Content-Length.")
    if n < 0 or n > MAX_BODY:
        h.close_connection = True
        raise ApiError(413, "payload_too_large", "The request body is too large.")
    return h.rfile.read(n)


def classify(path):
    if path.startswith("/_sim/") or path == "/_sim":
        return "admin"
    if path.startswith(("/v1/", "/api/")) or path in ("/v1", "/api"):
        return "aiassist"
    return "gate"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aidesk-sim/" + VERSION
    timeout = 300

    def log_message(self, fmt, *args):    # we log ourselves, without headers
        pass

    def handle_one_request(self):
        # Note when the next request's first bytes arrive, before parsing
        # it: parsing waits for the interpreter, and with twelve requests
        # at once that wait (a few ms) must not count as model latency.
        # peek() blocks for at most one read and consumes nothing; any
        # error is left to the parser, which reports it as usual.
        self.first_byte = None
        try:
            self.rfile.peek(1)
            self.first_byte = time.monotonic()
        except (OSError, ValueError):
            pass
        super().handle_one_request()

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self):
        app = self.server.app
        if realtime.wants_websocket(self):
            # The Realtime API's WebSocket: the connection is its from here.
            t0 = time.monotonic()
            status = realtime.serve(app, self)
            if not app.quiet:
                sys.stderr.write("%s /v1/realtime %d %.0fms\n"
                                 % (self.command, status, (time.monotonic() - t0) * 1000.0))
            return
        t0 = time.monotonic()
        accepted = self.server.accepted.pop(self.connection.fileno(), None)
        arrived = min(x for x in (accepted, self.first_byte, t0) if x is not None)
        path, _, qs = self.path.partition("?")
        query = dict(parse_qsl(qs, keep_blank_values=True))
        req = Request(self, self.command, path, query, classify(path))
        # Not the first request on this TCP connection: the client reused
        # a kept-alive one (the fault option reused_only).
        self.served = getattr(self, "served", 0) + 1
        req.reused = self.served > 1
        # Latency counts from the request's arrival, as a real provider's
        # does: work this server does meanwhile (other requests' included)
        # must not add to a model's time to first token.
        req.arrived = arrived
        out = Out(self, req)
        try:
            try:
                req.body = _read_body(self)
                app.stats.request(path)
                app.handle(req, out)
            except ApiError as e:
                if out.streaming:
                    raise DropConnection()
                app.send_error(req, out, e)
        except DropConnection:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout, OSError):
            self.close_connection = True
        except FaultError:
            self.close_connection = True
        except Exception:                       # a simulator bug: say so, keep serving
            sys.stderr.write("aidesk-sim: internal error on %s %s\n%s"
                             % (self.command, path, traceback.format_exc()))
            self.close_connection = True
            if not out.streaming and out.status == 0:
                try:
                    app.send_error(req, out, ApiError(500, "internal_error",
                                                      "The simulator failed on this request."))
                except OSError:
                    pass
        if not app.quiet:
            ms = (time.monotonic() - t0) * 1000.0
            sys.stderr.write("%s %s %d %.0fms\n" % (self.command, path, out.status, ms))
            sys.stderr.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    # Longest a TLS handshake may take before the connection is dropped.
    TLS_HANDSHAKE_S = 10.0

    def __init__(self, addr, app, ipv6=False, tls=None):
        if ipv6:
            self.address_family = socket.AF_INET6
        self.app = app
        # An ssl.SSLContext (server side) or None for plain HTTP. Each
        # accepted connection is wrapped by the worker that serves it, not
        # by the accepting thread: a client that stalls or fails its
        # handshake must not hold up the connections behind it.
        self.tls = tls
        super().__init__(addr, Handler)

    SPARE_WORKERS = 16

    def server_activate(self):
        super().server_activate()
        self.socket.setblocking(False)
        self._work = queue.SimpleQueue()
        self._idle = 0
        self._idle_lock = threading.Lock()
        self._want_workers = threading.Event()
        threading.Thread(target=self._spawner, daemon=True).start()
        self._want_workers.set()

    def _handle_request_noblock(self):
        # The accepting thread only accepts, notes when each connection
        # arrived and hands it to an idle worker; a spawner keeps spare
        # workers ready. Starting a thread waits for the interpreter, and a
        # burst of clients (twelve streams at once) must not see that wait
        # added to their models' latency: the first request on a connection
        # counts its latency from its arrival.
        while True:
            try:
                request, client_address = self.get_request()
            except (BlockingIOError, InterruptedError, OSError):
                return
            request.setblocking(True)
            self.accepted[request.fileno()] = time.monotonic()
            with self._idle_lock:
                self._idle -= 1
                low = self._idle < self.SPARE_WORKERS // 2
            self._work.put((request, client_address))
            if low:
                self._want_workers.set()

    def _spawner(self):
        while True:
            self._want_workers.wait()
            self._want_workers.clear()
            while True:
                with self._idle_lock:
                    if self._idle >= self.SPARE_WORKERS:
                        break
                    self._idle += 1
                threading.Thread(target=self._worker, daemon=True).start()

    def _handshake(self, request):
        """The TLS side of a new connection, or None when the client did
        not complete the handshake (a certificate it does not trust ends
        here: no request is read)."""
        fd = request.fileno()
        try:
            request.settimeout(self.TLS_HANDSHAKE_S)
            tls = self.tls.wrap_socket(request, server_side=True)
            tls.settimeout(None)
            return tls
        except (ssl.SSLError, OSError) as e:
            self.accepted.pop(fd, None)
            if not self.app.quiet:
                sys.stderr.write("TLS handshake failed: %s\n" % (getattr(e, "reason", None) or e))
                sys.stderr.flush()
            try:
                request.close()
            except OSError:
                pass
            return None

    def _worker(self):
        while True:
            request, client_address = self._work.get()
            if self.tls is not None:
                request = self._handshake(request)
                if request is None:
                    with self._idle_lock:
                        self._idle += 1
                    continue
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
            with self._idle_lock:
                self._idle += 1

    accepted = {}

    def handle_error(self, request, client_address):
        if not self.app.quiet:
            super().handle_error(request, client_address)
