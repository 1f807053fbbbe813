#!/usr/bin/env python3
"""What aidesk puts on the wire, call by call, against what the public SDKs
send (docs/protocol.md, "What aidesk sends").

A recording proxy stands between the aidesk program ($AIDESK_BIN) and the
simulator: it writes down every request (method, path, query, headers,
JSON body) and passes it on, so that each subcommand runs for real.  The
expectations below are written from the SDKs' request shapes: the AiAssist
Python SDK (aiassist/client.py) for the public AiAssist calls, the AI Gate
SDKs (Python and TypeScript) for AI Gate, docs/protocol.md section 4 for
the manager calls (ours: no SDK has them).  A field, header or parameter
that the SDK does not send fails the test unless it is listed as one of
aidesk's documented differences.  Prints TAP."""

import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wirelib import ROOT, Sim, check, eq, run_tests, test  # noqa: E402

BIN = os.environ.get("AIDESK_BIN") or os.path.join(ROOT, "build", "main", "aidesk")
KEY = "aai_demo_agent"      # an agent key: valid for the public calls too
PROJECT = "proj_demo"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


# --------------------------------------------------------------------------
# The recording proxy
# --------------------------------------------------------------------------
class Recorder:
    def __init__(self, upstream_port):
        self.upstream = upstream_port
        self.lock = threading.Lock()
        self.reqs = []
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _any(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                u = urlsplit(self.path)
                hdrs = {}
                for k, v in self.headers.items():
                    hdrs.setdefault(k.lower(), v)
                with rec.lock:
                    rec.reqs.append({"method": self.command, "path": u.path,
                                     "query": parse_qs(u.query, keep_blank_values=True),
                                     "headers": hdrs, "raw": raw,
                                     "body": json.loads(raw) if raw else None})
                fwd = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "connection", "content-length")}
                conn = http.client.HTTPConnection("127.0.0.1", rec.upstream, timeout=60)
                conn.request(self.command, self.path, body=raw if raw else None, headers=fwd)
                r = conn.getresponse()
                streaming = r.getheader("Content-Type", "").startswith("text/event-stream")
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length",
                                         "server", "date"):
                        self.send_header(k, v)
                if streaming:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    try:
                        while True:
                            data = r.read1(65536)
                            if not data:
                                break
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                            self.wfile.flush()
                        self.wfile.write(b"0\r\n\r\n")
                    except (OSError, http.client.HTTPException):
                        # either side went away (ws watch is stopped
                        # mid-stream; the simulator at the end)
                        self.close_connection = True
                else:
                    body = r.read()
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                conn.close()

            do_GET = do_POST = do_DELETE = _any

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self):
        with self.lock:
            out, self.reqs = self.reqs, []
        return out

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


ENV = {}
STATE = {}


def setup():
    if STATE:
        return
    sim = Sim()
    rec = Recorder(sim.port)
    home = tempfile.mkdtemp(prefix="aidesk-wire-home.")
    for d in ("c", "d", "s"):
        os.makedirs(os.path.join(home, d))
    url = "http://127.0.0.1:%d" % rec.port
    ENV.update({"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                "XDG_CONFIG_HOME": os.path.join(home, "c"), "XDG_DATA_HOME": os.path.join(home, "d"),
                "XDG_STATE_HOME": os.path.join(home, "s"), "AIASSIST_API_KEY": KEY,
                "AIASSIST_BASE_URL": url, "AI_GATE_PROJECT_ID": PROJECT, "AI_GATE_BASE_URL": url,
                "LC_ALL": "C.UTF-8"})
    STATE.update(sim=sim, rec=rec, home=home)


def cleanup():
    if STATE:
        STATE["rec"].stop()
        STATE["sim"].stop()
        shutil.rmtree(STATE["home"], ignore_errors=True)


def aidesk(*args, stdin=None, want=0):
    """Runs aidesk; returns (stdout, the requests it made)."""
    setup()
    STATE["rec"].take()
    p = subprocess.run([BIN] + list(args), env=ENV, input=stdin, capture_output=True,
                       timeout=60, text=True)
    eq(p.returncode, want, "aidesk %s: exit status (stderr: %s)" % (" ".join(args), p.stderr))
    return p.stdout, STATE["rec"].take()


# --------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------
def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


STR, INT, NUM, BOOL, OBJ, LIST = "string", "integer", "number", "boolean", "object", "list"
TYPES = {STR: lambda v: isinstance(v, str), INT: is_int, NUM: is_num,
         BOOL: lambda v: isinstance(v, bool), OBJ: lambda v: isinstance(v, dict),
         LIST: lambda v: isinstance(v, list)}

# Headers any HTTP client adds (libcurl: Accept */*, Accept-Encoding for
# plain answers; httpx and fetch send theirs too).
TRANSPORT = {"host", "user-agent", "accept", "accept-encoding", "content-length"}


def fields(body, required, optional, where):
    """The JSON body: an object with the required fields, the optional ones
    at most, each of its type; none null (the SDKs leave absent fields
    out)."""
    check(isinstance(body, dict), "%s: the body is a JSON object: %r" % (where, body))
    for k, t in required.items():
        check(k in body, "%s: '%s' missing" % (where, k))
    allowed = dict(required, **optional)
    for k, v in body.items():
        check(k in allowed, "%s: field '%s' is sent by no SDK" % (where, k))
        check(TYPES[allowed[k]](v), "%s: '%s' should be a %s, is %r" % (where, k, allowed[k], v))


def headers(req, svc, extra=()):
    """AiAssist: every request carries the SDK's headers (its HTTP client
    sets them for all requests, GETs included): Content-Type JSON,
    X-API-Key, Authorization: Bearer.  AI Gate: no credential header (the
    project id is in the body or the query); Content-Type JSON on the POST
    only, as both SDKs."""
    h = req["headers"]
    where = "%s %s" % (req["method"], req["path"])
    check(h.get("user-agent", "").startswith("aidesk/"), where + ": User-Agent")
    if svc == "ai":
        eq(h.get("content-type"), "application/json", where + ": Content-Type")
        eq(h.get("x-api-key"), KEY, where + ": X-API-Key")
        eq(h.get("authorization"), "Bearer " + KEY, where + ": Authorization")
        known = TRANSPORT | {"content-type", "x-api-key", "authorization"} | set(extra)
    else:
        check("x-api-key" not in h and "authorization" not in h, where + ": no credential header")
        if req["method"] == "POST":
            eq(h.get("content-type"), "application/json", where + ": Content-Type")
        else:
            check("content-type" not in h, where + ": no Content-Type on a GET without a body")
        known = TRANSPORT | ({"content-type"} if req["method"] == "POST" else set()) | set(extra)
    for k in h:
        check(k in known, "%s: header '%s' is sent by no SDK and not documented" % (where, k))


def no_body(req):
    eq(req["raw"], b"", "%s %s: no body" % (req["method"], req["path"]))


def no_query(req):
    eq(req["query"], {}, "%s %s: no query" % (req["method"], req["path"]))


def one(reqs, method, path):
    eq([(r["method"], r["path"]) for r in reqs], [(method, path)], "the requests")
    no_query(reqs[0]) if method == "POST" else None
    return reqs[0]


# The differences of a streamed chat, documented in docs/protocol.md: the
# SDK sends neither (its **kwargs would pass stream_options through).
STREAM_HEADERS = ("cache-control",)


def chat_check(r, stream):
    """The SDK's chat body: {messages, model?, temperature, max_tokens,
    top_p, stream} plus any OpenAI field (its **kwargs); aidesk adds
    stream_options:{include_usage:true} to a stream, and drops it for good
    for a server that refuses it."""
    b = r["body"]
    opt = {"model": STR, "seed": INT, "user": STR, "stop": LIST}
    if stream:
        opt["stream_options"] = OBJ
    fields(b, {"messages": LIST, "temperature": NUM, "max_tokens": INT, "top_p": NUM,
               "stream": BOOL}, opt, "chat")
    eq(b["stream"], stream, "chat: stream")
    for m in b["messages"]:
        fields(m, {"role": STR, "content": STR}, {}, "chat message")
        check(m["role"] in ("system", "user", "assistant"), "chat: role %r" % m["role"])
    if stream:
        eq(b.get("stream_options"), {"include_usage": True}, "chat: stream_options")
        headers(r, "ai", STREAM_HEADERS)
        eq(r["headers"]["accept"], "text/event-stream", "chat: Accept of a stream")
    else:
        headers(r, "ai")
    no_query(r)


# --------------------------------------------------------------------------
# The public AiAssist calls
# --------------------------------------------------------------------------
@test("chat: streamed, as the SDK's create(stream=True)")
def _():
    out, reqs = aidesk("chat", "-m", "gpt-4o", "Where is my order?")
    r = one(reqs, "POST", "/v1/chat/completions")
    chat_check(r, True)
    b = r["body"]
    eq((b["model"], b["temperature"], b["max_tokens"], b["top_p"]), ("gpt-4o", 0.7, 1024, 1.0),
       "the SDK's defaults")
    eq(b["messages"], [{"role": "user", "content": "Where is my order?"}])
    check(isinstance(b["temperature"], float) and isinstance(b["top_p"], float), "floats as floats")


@test("chat: plain, with a system prompt, numbers and OpenAI extras")
def _():
    out, reqs = aidesk("chat", "--no-stream", "-s", "Be brief.", "--temperature", "0.2",
                       "--max-tokens", "50", "--top-p", "0.9", "--extra", '{"seed": 7, "user": "u1"}',
                       "hello")
    r = one(reqs, "POST", "/v1/chat/completions")
    chat_check(r, False)
    b = r["body"]
    eq(b["messages"], [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}])
    eq((b["temperature"], b["max_tokens"], b["top_p"], b["seed"], b["user"]), (0.2, 50, 0.9, 7, "u1"))
    check("stream_options" not in b, "no stream_options without a stream")


@test("compare: one streamed chat per model, as chat")
def _():
    out, reqs = aidesk("compare", "-m", "gpt-4o", "-m", "llama-3.1-8b-instant", "hi")
    eq(sorted(r["body"]["model"] for r in reqs), ["gpt-4o", "llama-3.1-8b-instant"])
    for r in reqs:
        eq((r["method"], r["path"]), ("POST", "/v1/chat/completions"))
        chat_check(r, True)


@test("models: GET /v1/models")
def _():
    out, reqs = aidesk("models")
    r = one(reqs, "GET", "/v1/models")
    headers(r, "ai")
    no_body(r)
    no_query(r)


@test("config, completion: no request at all")
def _():
    for args in (("config",), ("completion", "bash"), ("ws", "send", "--unsent")):
        out, reqs = aidesk(*args)
        eq(reqs, [], "aidesk %s" % " ".join(args))


def ws_create(*args, want_fields=None):
    out, reqs = aidesk("--json", "ws", "create", *args)
    r = one(reqs, "POST", "/api/workspaces")
    headers(r, "ai")
    fields(r["body"], {}, {"initial_message": STR, "client_id": STR, "system_prompt": STR,
                           "context": OBJ, "metadata": OBJ, "model": STR, "max_tokens": INT},
           "ws create")
    return json.loads(out)["workspace"]["id"], r["body"]


@test("ws create: the SDK's body, model and max_tokens at the top level, JSON values")
def _():
    wid, b = ws_create("--client-id", "wire-1", "-s", "You are support.", "--context", "name=Ada",
                       "--context", 'recent_orders=["ORD-001","ORD-002"]', "--context", "visits=3",
                       "--context", 'zip="01234"', "--metadata", "vip=true", "--metadata",
                       'tags={"a":1}', "-m", "gpt-4o-mini", "--max-tokens", "300", "Hello!")
    eq(b, {"initial_message": "Hello!", "client_id": "wire-1", "system_prompt": "You are support.",
           "context": {"name": "Ada", "recent_orders": ["ORD-001", "ORD-002"], "visits": 3,
                       "zip": "01234"},
           "metadata": {"vip": True, "tags": {"a": 1}}, "model": "gpt-4o-mini", "max_tokens": 300})
    STATE["ws"] = wid
    wid2, b2 = ws_create()
    eq(b2, {}, "nothing given, nothing sent (the SDK leaves absent fields out)")
    wid3, b3 = ws_create("--mode", "shadow", "--client-id", "wire-shadow")
    eq(b3, {"client_id": "wire-shadow", "metadata": {"mode": "shadow"}}, "the mode (ours) in metadata")
    STATE["shadow"] = wid3


def ws_id(key="ws"):
    if key not in STATE:
        STATE[key] = ws_create("--client-id", "wire-x")[0]
    return STATE[key]


@test("ws get, find, history: GETs without a body, the id in the path")
def _():
    wid = ws_id()
    for args, path in ((("ws", "get", wid), "/api/workspaces/" + wid),
                       (("ws", "find", "wire-1"), "/api/workspaces/by-client/wire-1"),
                       (("ws", "history", wid), "/api/workspaces/%s/messages" % wid)):
        out, reqs = aidesk(*args)
        r = one(reqs, "GET", path)
        headers(r, "ai")
        no_body(r)
        no_query(r)


@test("ws send: {content}, and the per-message model and max_tokens")
def _():
    wid = ws_id()
    out, reqs = aidesk("ws", "send", wid, "Where is it?")
    r = one(reqs, "POST", "/api/workspaces/%s/messages" % wid)
    headers(r, "ai")
    eq(r["body"], {"content": "Where is it?"})
    out, reqs = aidesk("ws", "send", "-m", "claude-3-haiku-20240307", "--max-tokens", "40", wid, "And?")
    r = one(reqs, "POST", "/api/workspaces/%s/messages" % wid)
    eq(r["body"], {"content": "And?", "model": "claude-3-haiku-20240307", "max_tokens": 40})


@test("ws typing and ws end: {text} and {}")
def _():
    wid = ws_create("--client-id", "wire-end")[0]
    out, reqs = aidesk("ws", "typing", wid, "I am typ")
    r = one(reqs, "POST", "/api/workspaces/%s/typing" % wid)
    headers(r, "ai")
    eq(r["body"], {"text": "I am typ"})
    out, reqs = aidesk("ws", "end", wid)
    r = one(reqs, "POST", "/api/workspaces/%s/end" % wid)
    headers(r, "ai")
    eq(r["body"], {})


# --------------------------------------------------------------------------
# The manager calls (ours, docs/protocol.md section 4)
# --------------------------------------------------------------------------
def keyed(r, body):
    headers(r, "ai", ("idempotency-key",))
    check(HEX32.match(r["headers"].get("idempotency-key", "")), "Idempotency-Key: 32 hex digits")
    eq(r["body"], body)


@test("ws list, drafts: GETs with their filters in the query")
def _():
    out, reqs = aidesk("ws", "list", "--mode", "shadow", "--status", "active")
    r = reqs[0]
    eq((len(reqs), r["method"], r["path"]), (1, "GET", "/api/manager/workspaces"))
    eq(r["query"], {"mode": ["shadow"], "status": ["active"]})
    headers(r, "ai")
    no_body(r)
    wid = ws_id("shadow")
    out, reqs = aidesk("ws", "drafts", "--workspace", wid)
    r = reqs[0]
    eq((len(reqs), r["method"], r["path"], r["query"]),
       (1, "GET", "/api/manager/drafts", {"workspace_id": [wid]}))
    headers(r, "ai")
    no_body(r)


@test("ws mode, approve, reject, reply: their bodies with an idempotency key")
def _():
    wid = ws_id("shadow")
    drafts = []
    for text in ("I want a refund", "And a discount"):
        out, reqs = aidesk("--json", "ws", "send", wid, text)
        drafts.append(json.loads(out)["responses"][0]["id"])
    out, reqs = aidesk("ws", "approve", drafts[0], "--edit", "It ships today.")
    keyed(one(reqs, "POST", "/api/manager/drafts/%s/approve" % drafts[0]), {"content": "It ships today."})
    out, reqs = aidesk("ws", "reject", drafts[1], "--reason", "wrong order")
    keyed(one(reqs, "POST", "/api/manager/drafts/%s/reject" % drafts[1]), {"reason": "wrong order"})
    out, reqs = aidesk("ws", "reply", wid, "I have refunded it.")
    keyed(one(reqs, "POST", "/api/manager/workspaces/%s/reply" % wid), {"content": "I have refunded it."})
    out, reqs = aidesk("ws", "mode", wid, "takeover")
    keyed(one(reqs, "POST", "/api/manager/workspaces/%s/mode" % wid), {"mode": "takeover"})


@test("ws watch: the event stream, filtered in the query")
def _():
    setup()
    wid = ws_id()
    STATE["rec"].take()
    p = subprocess.Popen([BIN, "ws", "watch", "--workspace", wid], env=ENV, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        reqs = []
        while time.time() < deadline and not reqs:
            time.sleep(0.05)
            with STATE["rec"].lock:
                reqs = list(STATE["rec"].reqs)
    finally:
        p.send_signal(signal.SIGINT)
        p.wait(10)
    check(reqs, "no request")
    r = reqs[0]
    eq((r["method"], r["path"], r["query"]), ("GET", "/api/manager/events", {"workspace_id": [wid]}))
    headers(r, "ai", STREAM_HEADERS + ("last-event-id",))
    eq(r["headers"]["accept"], "text/event-stream")
    no_body(r)


# --------------------------------------------------------------------------
# AI Gate
# --------------------------------------------------------------------------
@test("gate session: the five fields both SDKs always send, no credential header")
def _():
    out, reqs = aidesk("gate", "session", "--voice", "nova", "--temperature", "0.8")
    r = one(reqs, "POST", "/session")
    headers(r, "gate")
    fields(r["body"], {"project_id": STR, "model": STR, "voice": STR, "temperature": NUM,
                       "instructions": STR}, {}, "session")
    eq(r["body"], {"project_id": PROJECT, "model": "gpt-4o-realtime-preview-2024-10-01",
                   "voice": "nova", "temperature": 0.8, "instructions": "You are a helpful assistant"})


@test("gate turn and health: GETs without Content-Type, the project in the query")
def _():
    out, reqs = aidesk("gate", "turn")
    r = one(reqs, "GET", "/turn-credentials")
    eq(r["query"], {"identifier": [PROJECT]})
    headers(r, "gate")
    no_body(r)
    out, reqs = aidesk("gate", "health")
    eq([(r["method"], r["path"]) for r in reqs], [("GET", "/health"), ("GET", "/metrics")])
    for r in reqs:
        headers(r, "gate")
        no_body(r)
        no_query(r)


@test("gate call: the session as gate session makes it, then the call on the Realtime endpoint")
def _():
    setup()
    # The Realtime WebSocket goes to the simulator itself (the recorder
    # speaks plain HTTP); what the call sends there is tested in
    # tests/integration/test_call*.c against the same simulator.
    ENV["AI_GATE_REALTIME_URL"] = "ws://127.0.0.1:%d/v1/realtime" % STATE["sim"].port
    try:
        out, reqs = aidesk("--json", "gate", "call", "--voice", "nova", "--say", "hello")
    finally:
        del ENV["AI_GATE_REALTIME_URL"]
    r = one(reqs, "POST", "/session")
    headers(r, "gate")
    eq(r["body"], {"project_id": PROJECT, "model": "gpt-4o-realtime-preview-2024-10-01",
                   "voice": "nova", "temperature": 0.7, "instructions": "You are a helpful assistant"})
    turn = json.loads(out)["turn"]
    eq(turn["status"], "completed")
    check("hello" in turn["reply"], turn["reply"])


# --------------------------------------------------------------------------
# Every subcommand has its expectations here
# --------------------------------------------------------------------------
COVERED = {"chat", "models", "compare", "config", "completion", "ws create", "ws get", "ws find",
           "ws send", "ws history", "ws typing", "ws end", "ws list", "ws watch", "ws mode",
           "ws drafts", "ws approve", "ws reject", "ws reply", "gate session", "gate turn",
           "gate health", "gate call"}


@test("every subcommand of 'aidesk --help' is checked here")
def _():
    setup()
    out = subprocess.run([BIN, "--help"], env=ENV, capture_output=True, text=True, timeout=30).stdout
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0].split("'aidesk COMMAND", 1)[0]
    cmds = set()
    for line in block.splitlines():
        m = re.match(r"^  (\S+(?: [a-z]+)?)\s{2,}", line)
        if m:
            cmds.add(m.group(1))
    check(len(cmds) > 10, "parsed %r" % cmds)
    eq(sorted(cmds - COVERED), [], "subcommands without wire expectations")


if __name__ == "__main__":
    if not os.access(BIN, os.X_OK):
        print("1..0 # SKIP no aidesk program at %s" % BIN)
        sys.exit(0)
    sys.exit(run_tests(cleanup=[cleanup]))
