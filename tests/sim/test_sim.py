#!/usr/bin/env python3
"""Tests of aidesk-sim, the local simulator of AiAssist and AI Gate.

Prints TAP.  Starts its own simulators (path from $AIDESK_SIM, default
sim/aidesk-sim under the repository root) on free ports with a high --speed,
and stops them at the end.  Standard library only.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.environ.get("AIDESK_SIM") or os.path.join(ROOT, "sim", "aidesk-sim")
USER, AGENT = "aai_demo_user", "aai_demo_agent"
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SPEED = 50

# The simulator's own tokenizer, to check usage against the text.
_pkg = os.path.dirname(os.path.realpath(SIM))
for _cand in (_pkg, os.path.join(_pkg, "..", "share", "aidesk", "sim")):
    if os.path.isdir(os.path.join(_cand, "aidesksim")):
        sys.path.insert(0, _cand)
        break
from aidesksim.tokenizer import tokenize  # noqa: E402


# --------------------------------------------------------------------------
# Test harness: TAP
# --------------------------------------------------------------------------
TESTS = []


def test(name):
    def deco(fn):
        TESTS.append((name, fn))
        return fn
    return deco


def check(cond, msg="check failed"):
    if not cond:
        raise AssertionError(msg)


def eq(a, b, msg=""):
    if a != b:
        raise AssertionError("%s: %r != %r" % (msg or "not equal", a, b))


# --------------------------------------------------------------------------
# Simulator processes
# --------------------------------------------------------------------------
class Sim:
    all = []

    def __init__(self, *args, speed=SPEED, state=None, keys=None, quiet=True):
        self.tmp = tempfile.mkdtemp(prefix="aidesk-sim-test.")
        self.port_file = os.path.join(self.tmp, "port")
        self.args = list(args)
        self.speed = speed
        self.state = os.path.join(self.tmp, "state.json") if state is True else state
        self.keys = keys
        self.quiet = quiet
        self.proc = None
        self.start()
        Sim.all.append(self)

    def start(self):
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        cmd = [sys.executable, SIM, "--port", "0", "--port-file", self.port_file,
               "--speed", str(self.speed)] + self.args
        if self.quiet:
            cmd.append("--quiet")
        if self.state:
            cmd += ["--state", self.state]
        if self.keys:
            cmd += ["--keys", self.keys]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.first_line = self.proc.stdout.readline().decode()
        deadline = time.time() + 10
        while time.time() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    self.port_text = f.read()
                if self.port_text.endswith("\n"):
                    self.port = int(self.port_text)
                    return
            time.sleep(0.02)
        raise RuntimeError("simulator did not start: %r" % self.first_line)

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        return rc

    # -- plain HTTP ---------------------------------------------------------
    def req(self, method, path, body=None, key=USER, headers=None, raw=None, timeout=15):
        h = {}
        if key:
            h["X-API-Key"] = key
        if headers:
            h.update(headers)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return Resp(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.req("POST", path, body=body if body is not None else {}, **kw)

    def agent(self, method, path, body=None, **kw):
        return self.req(method, path, body=body, key=AGENT, **kw)


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self._json = None

    @property
    def json(self):
        if self._json is None:
            self._json = json.loads(self.body.decode("utf-8"))
        return self._json

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


def expect_status(r, status, code=None, gate=False):
    eq(r.status, status, "status of %r" % r)
    if code is not None:
        j = r.json
        if gate:
            eq(j.get("error"), code, "gate error")
            check(isinstance(j.get("message"), str) and j["message"], "gate message")
        else:
            eq(j.get("code"), code, "code")
            check(isinstance(j.get("detail"), str) and j["detail"], "detail")
    return r


# --------------------------------------------------------------------------
# Raw HTTP with chunked decoding, for streams
# --------------------------------------------------------------------------
class Raw:
    """One request on a raw socket; decodes a chunked body incrementally."""

    def __init__(self, port, method, path, body=None, key=USER, headers=None, timeout=15):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        data = json.dumps(body).encode() if body is not None else b""
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % port,
                 "Content-Length: %d" % len(data)]
        if key:
            lines.append("Authorization: Bearer " + key)
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        self.buf = b""
        self.eof = False
        self.done = False          # terminating chunk seen
        self.body = bytearray()    # decoded body bytes so far
        head = self._until(b"\r\n\r\n")
        status_line, *hdrs = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {}
        for h in hdrs:
            k, _, v = h.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "")
        self._pending = b""        # decoded bytes not yet consumed by readers

    def _fill(self):
        d = self.sock.recv(1 << 20)
        if not d:
            self.eof = True
            raise EOFError("connection closed")
        self.buf += d

    def _until(self, sep):
        while sep not in self.buf:
            self._fill()
        i = self.buf.index(sep)
        out, self.buf = self.buf[:i], self.buf[i + len(sep):]
        return out

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def next_chunk(self):
        """Next decoded chunk, or None at the terminating chunk."""
        if self.done:
            return None
        size = int(self._until(b"\r\n").split(b";")[0], 16)
        if size == 0:
            self._until(b"\r\n")
            self.done = True
            return None
        data = self._exact(size)
        self._exact(2)
        self.body += data
        return data

    def read_all(self):
        """Read the whole body.  Returns (body, complete)."""
        try:
            if self.chunked:
                while self.next_chunk() is not None:
                    pass
            else:
                n = int(self.headers.get("content-length", "0"))
                while len(self.buf) < n:
                    self._fill()
                self.body += self.buf[:n]
                self.done = True
        except (EOFError, ConnectionResetError):
            if not self.chunked:
                self.body += self.buf
        return bytes(self.body), self.done

    def line(self, timeout=None):
        """Next body line (without the newline), decoded as chunks arrive."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        while b"\n" not in self._pending:
            c = self.next_chunk()
            if c is None:
                raise EOFError("stream ended")
            self._pending += c
        line, _, self._pending = self._pending.partition(b"\n")
        return line

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class SSE(Raw):
    """An event-stream reader: next_event() -> dict(id, event, data, raw)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.comments = 0
        self.retry = None

    def next_event(self, timeout=5):
        ev = {"id": None, "event": "message", "data": None, "t": None}
        datas = []
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise socket.timeout("no event in time")
            line = self.line(timeout=left).decode("utf-8")
            if line == "":
                if datas:
                    ev["data"] = "\n".join(datas)
                    ev["t"] = time.time()
                    return ev
                continue
            if line.startswith(":"):
                self.comments += 1
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "id":
                ev["id"] = int(value)
            elif field == "event":
                ev["event"] = value
            elif field == "data":
                datas.append(value)
            elif field == "retry":
                self.retry = int(value)

    def events(self, n, timeout=5):
        return [self.next_event(timeout) for _ in range(n)]

    def until(self, pred, timeout=5):
        """Collect events until pred(event) is true; returns the list."""
        out = []
        deadline = time.time() + timeout
        while True:
            ev = self.next_event(max(0.05, deadline - time.time()))
            out.append(ev)
            if pred(ev):
                return out


def chat_body(content="Hello!", **kw):
    b = {"messages": [{"role": "user", "content": content}], "model": "gpt-4o"}
    b.update(kw)
    return b


def stream_chunks(port, body, headers=None, key=USER):
    """Run a streamed completion; return (raw, list of data payload strings)."""
    r = Raw(port, "POST", "/v1/chat/completions", body=body, key=key, headers=headers)
    raw, complete = r.read_all()
    r.close()
    datas = []
    for block in raw.decode("utf-8", "replace").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data: "):
                datas.append(line[6:])
    return r, raw, complete, datas


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------
KEYS_DIR = tempfile.mkdtemp(prefix="aidesk-sim-keys.")
KEYS = os.path.join(KEYS_DIR, "keys.json")
with open(KEYS, "w") as _f:
    json.dump({"user_keys": [USER], "agent_keys": [AGENT],
               "projects": {"proj_demo": {"plan": "free"},
                            "proj_conc": {"plan": "free"},
                            "proj_rl": {"plan": "growth"},
                            "proj_growth": {"plan": "growth"},
                            "proj_exhausted": {"plan": "free", "sessions_used": 100},
                            "proj_starter": {"plan": "starter", "sessions_used": 999}}}, _f)

S = {}          # the simulators, started lazily by name


def sim(name):
    if name not in S:
        if name == "main":
            S[name] = Sim("--heartbeat", "0.3", keys=KEYS)
        elif name == "compat":
            S[name] = Sim("--role-assistant", "--flat-workspace", "--bare-lists",
                          "--no-client-secret", "--refuse-field", "stream_options",
                          "--fault", "status=500;times=1;path=/health")
        elif name == "nomgr":
            S[name] = Sim("--no-manager")
        elif name == "fast":
            S[name] = Sim("--rate-limit", "5/3600", keys=KEYS, speed=3600)
        elif name == "customers":
            S[name] = Sim("--customers", "3", speed=50)
        elif name == "bench":
            S[name] = Sim("--reply-tokens", "1000000", speed=0)
    return S[name]


# ==========================================================================
# Start-up and command line
# ==========================================================================
@test("start-up prints one listening line and writes the port file")
def _():
    s = sim("main")
    eq(s.first_line, "aidesk-sim listening on http://127.0.0.1:%d\n" % s.port, "first line")
    check(re.match(r"^\d+\n$", s.port_text), "port file is digits + newline")


@test("--version and --help work")
def _():
    out = subprocess.run([sys.executable, SIM, "--version"], capture_output=True, timeout=10)
    check(out.returncode == 0 and b"aidesk-sim" in out.stdout + out.stderr, "version")
    out = subprocess.run([sys.executable, SIM, "--help"], capture_output=True, timeout=10)
    check(out.returncode == 0 and b"--reply-tokens" in out.stdout, "help")
    out = subprocess.run([sys.executable, SIM, "--fault", "bogus=1"], capture_output=True, timeout=10)
    check(out.returncode == 2, "bad --fault refused")


@test("tokenizer: joins back to the text; every prefix re-tokenizes to itself")
def _():
    samples = ["Hello, world!  How are you?\n\n- item `x`", "  a\t word", "中文 text 日本語",
               "hi \U0001F469\u200d\U0001F4BB and \U0001F1EF\U0001F1F5 ok \U0001F44D\U0001F3FD 1\ufe0f\u20e3",
               "snake_case x   ", "\x1b[2J\r\b tail", "https://example.com/a?b=c#d" * 3]
    for text in samples:
        toks = tokenize(text)
        eq("".join(toks), text)
        for k in range(len(toks) + 1):
            eq(tokenize("".join(toks[:k])), toks[:k], "prefix %d of %r" % (k, text))
    eq(tokenize(" hello  world"), [" hello", " ", " world"])
    eq(tokenize("\U0001F469\u200d\U0001F4BB"), ["\U0001F469\u200d\U0001F4BB"])
    eq(len(tokenize("日本語")), 3)


# ==========================================================================
# AiAssist: auth, models, chat
# ==========================================================================
@test("auth: missing or unknown key is 401 invalid_api_key; either header suffices")
def _():
    s = sim("main")
    for key in (None, "aai_nope"):
        r = s.get("/v1/models", key=key)
        eq(r.status, 401)
        # The OpenAI-compatible calls say it OpenAI's way too, for its clients.
        eq(r.json, {"detail": "Invalid API key", "code": "invalid_api_key",
                    "error": {"message": "Invalid API key", "type": "invalid_request_error",
                              "param": None, "code": "invalid_api_key"}})
        r = s.get("/api/workspaces/ws_x", key=key)
        eq(r.json, {"detail": "Invalid API key", "code": "invalid_api_key"}, "the SDK's shape only")
    eq(s.get("/v1/models", key=None, headers={"Authorization": "Bearer " + USER}).status, 200)
    eq(s.get("/v1/models", key=USER).status, 200)
    eq(s.get("/v1/models", key=AGENT).status, 200, "agent keys are valid for public calls")
    r = s.get("/v1/models", key=None, headers={"X-API-Key": "bad", "Authorization": "Bearer " + USER})
    eq(r.status, 200, "either header suffices")


@test("models: list of 17 models from 12 providers")
def _():
    r = sim("main").get("/v1/models")
    eq(r.status, 200)
    eq(r.headers["content-type"], "application/json")
    j = r.json
    eq(j["object"], "list")
    ids = [m["id"] for m in j["data"]]
    for m in j["data"]:
        eq(m["object"], "model")
        check(isinstance(m["created"], int) and isinstance(m["owned_by"], str))
    for want in ("gpt-4o", "claude-3-5-sonnet-20241022", "llama-3.1-8b-instant",
                 "accounts/fireworks/models/llama-v3p3-70b-instruct", "pin:operator-alias/llama3"):
        check(want in ids, want)
    eq(len(ids), 17)
    eq(len({m["owned_by"] for m in j["data"]}), 12)


@test("chat: non-stream answer shape, usage matches the text")
def _():
    s = sim("main")
    body = chat_body("Where is my order ORD-42?", temperature=0.7, max_tokens=1024, top_p=1.0,
                     stream=False, presence_penalty=0, user="u1", n=1, tools=[])
    r = s.post("/v1/chat/completions", body)
    eq(r.status, 200)
    j = r.json
    check(j["id"].startswith("chatcmpl-"))
    eq(j["object"], "chat.completion")
    check(isinstance(j["created"], int))
    eq(j["model"], "gpt-4o")
    eq(len(j["choices"]), 1)
    c = j["choices"][0]
    eq(c["index"], 0)
    eq(c["message"]["role"], "assistant")
    eq(c["finish_reason"], "stop")
    text = c["message"]["content"]
    u = j["usage"]
    eq(u["completion_tokens"], len(tokenize(text)), "completion tokens")
    eq(u["prompt_tokens"], len(tokenize("Where is my order ORD-42?")) + 4, "prompt tokens")
    eq(u["total_tokens"], u["prompt_tokens"] + u["completion_tokens"])
    check(40 <= u["completion_tokens"] <= 800, "plausible length")


@test("chat: default model, deterministic replies, models differ")
def _():
    s = sim("main")
    b = {"messages": [{"role": "user", "content": "Tell me about caching"}]}
    a1 = s.post("/v1/chat/completions", b).json
    a2 = s.post("/v1/chat/completions", b).json
    eq(a1["model"], "gpt-4o")
    eq(a1["choices"][0]["message"]["content"], a2["choices"][0]["message"]["content"])
    b["model"] = "gemini-1.5-flash"
    a3 = s.post("/v1/chat/completions", b).json
    check(a3["choices"][0]["message"]["content"] != a1["choices"][0]["message"]["content"])


@test("chat: stream format (role first, one chunk per token, finish last, usage, [DONE])")
def _():
    s = sim("main")
    body = chat_body("Explain retries", stream=True, stream_options={"include_usage": True})
    r, raw, complete, datas = stream_chunks(s.port, body)
    eq(r.status, 200)
    check(r.headers["content-type"].startswith("text/event-stream"))
    eq(r.headers.get("cache-control"), "no-cache")
    eq(r.headers.get("transfer-encoding"), "chunked")
    check(complete, "terminating chunk")
    eq(datas[-1], "[DONE]")
    chunks = [json.loads(d) for d in datas[:-1]]
    first = chunks[0]
    eq(first["object"], "chat.completion.chunk")
    eq(first["choices"][0]["delta"], {"role": "assistant"})
    check(first["choices"][0]["finish_reason"] is None)
    usage = chunks[-1]
    eq(usage["choices"], [])
    fin = chunks[-2]
    eq(fin["choices"][0]["delta"], {})
    eq(fin["choices"][0]["finish_reason"], "stop")
    content = chunks[1:-2]
    for c in content:
        eq(c["id"], first["id"])
        check(c["choices"][0]["finish_reason"] is None)
        check(set(c["choices"][0]["delta"]) == {"content"})
    text = "".join(c["choices"][0]["delta"]["content"] for c in content)
    eq(usage["usage"]["completion_tokens"], len(content), "usage == content chunks")
    eq(len(tokenize(text)), len(content), "tokens == chunks")
    for c in content:
        eq(tokenize(c["choices"][0]["delta"]["content"]), [c["choices"][0]["delta"]["content"]])
    body["stream"] = False
    j = s.post("/v1/chat/completions", body).json
    eq(j["choices"][0]["message"]["content"], text, "stream == non-stream text")


@test("http: on a kept-alive connection a stream's latency counts from its own request")
def _():
    s = sim("main")
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=15)
    try:
        conn.request("GET", "/v1/models", headers={"X-API-Key": USER})
        r = conn.getresponse()
        eq(r.status, 200)
        r.read()
        time.sleep(0.4)  # the connection idles: its accept time is long past
        sent = time.monotonic_ns()
        conn.request("POST", "/v1/chat/completions", body=json.dumps(chat_body("timing", stream=True)),
                     headers={"X-API-Key": USER, "Content-Type": "application/json"})
        r = conn.getresponse()
        eq(r.status, 200)
        first = r.read().decode().split("\n\n")[0]
    finally:
        conn.close()
    cid = json.loads(first[len("data: "):])["id"]
    mine = [t for t in s.get("/_sim/stats", key=None).json["first_tokens"] if t["id"] == cid]
    eq(len(mine), 1)
    # Both clocks are CLOCK_MONOTONIC: the arrival is this request's.
    check(sent - 5e6 <= mine[0]["arrived_ns"] <= sent + 200e6, "arrival %d, sent %d" % (mine[0]["arrived_ns"], sent))
    check(mine[0]["first_token_ns"] >= mine[0]["arrived_ns"])


@test("chat: stream without include_usage has no usage chunk")
def _():
    r, raw, complete, datas = stream_chunks(sim("main").port, chat_body("hi there", stream=True))
    eq(datas[-1], "[DONE]")
    check(all("usage" not in json.loads(d) for d in datas[:-1]))


@test("chat: max_tokens truncates with finish_reason length")
def _():
    s = sim("main")
    r, raw, complete, datas = stream_chunks(s.port, chat_body("show me markdown", stream=True, max_tokens=7,
                                                              stream_options={"include_usage": True}))
    chunks = [json.loads(d) for d in datas[:-1]]
    content = [c for c in chunks if c["choices"] and "content" in c["choices"][0]["delta"]]
    eq(len(content), 7)
    eq(chunks[-2]["choices"][0]["finish_reason"], "length")
    eq(chunks[-1]["usage"]["completion_tokens"], 7)
    j = s.post("/v1/chat/completions", chat_body("show me markdown", max_tokens=7)).json
    eq(j["choices"][0]["finish_reason"], "length")
    eq(j["usage"]["completion_tokens"], 7)
    eq(len(tokenize(j["choices"][0]["message"]["content"])), 7)


@test("chat: X-Sim-Tokens gives exactly N tokens")
def _():
    s = sim("main")
    j = s.post("/v1/chat/completions", chat_body("x", model="llama-3.1-8b-instant"),
               headers={"X-Sim-Tokens": "777"}).json
    eq(j["usage"]["completion_tokens"], 777)
    eq(len(tokenize(j["choices"][0]["message"]["content"])), 777)
    eq(j["choices"][0]["finish_reason"], "stop")
    expect_status(s.post("/v1/chat/completions", chat_body("x"), headers={"X-Sim-Tokens": "zero"}),
                  400, "bad_request")


@test("chat: validation errors are 400 bad_request with a detail")
def _():
    s = sim("main")
    bad = [
        (None, b"{not json"), (None, b"[1,2]"), (None, b""),
        ({"messages": []}, None), ({"messages": "hi"}, None), ({}, None),
        ({"messages": [{"role": "wizard", "content": "x"}]}, None),
        ({"messages": [{"role": "user", "content": 5}]}, None),
        ({"messages": ["hello"]}, None),
        (chat_body(temperature=3), None), (chat_body(temperature="hot"), None),
        (chat_body(top_p=1.5), None), (chat_body(max_tokens=0), None),
        (chat_body(max_tokens="5"), None), (chat_body(max_tokens=2.5), None),
        (chat_body(stream="yes"), None), (chat_body(model=7), None),
        ({"messages": [{"role": "user", "content": [{"type": "text"}]}]}, None),
        ({"messages": [{"role": "user", "content": [{"type": "video", "video": {}}]}]}, None),
        ({"messages": [{"role": "user", "content": ["hi"]}]}, None),
        ({"messages": [{"role": "user", "content": None}]}, None),
        ({"messages": [{"role": "tool", "content": "42"}]}, None),
        (chat_body(n=0), None), (chat_body(n=1.5), None), (chat_body(stop=5), None),
        (chat_body(stop=["a", "b", "c", "d", "e"]), None), (chat_body(seed="7"), None),
        (chat_body(response_format={"type": "yaml"}), None), (chat_body(user=5), None),
        (chat_body(max_completion_tokens=0), None),
    ]
    for body, raw in bad:
        r = s.req("POST", "/v1/chat/completions", body=body, raw=raw)
        expect_status(r, 400, "bad_request")


@test("chat: OpenAI's request shapes (parts, developer and tool roles, n, stop, seed, formats)")
def _():
    s = sim("main")
    parts = {"messages": [
        {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
        {"role": "user", "name": "ada", "content": [
            {"type": "text", "text": "What is in this picture of my order?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "lookup", "arguments": "{\"order\": \"ORD-1\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "shipped"}]},
        {"role": "user", "content": "Thanks, and when will it arrive?"}],
        "model": "gpt-4o-mini", "user": "user-1234", "seed": 42, "logprobs": False,
        "frequency_penalty": 0, "presence_penalty": 0, "parallel_tool_calls": True,
        "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}],
        "tool_choice": "auto", "store": False, "metadata": {"k": "v"}, "service_tier": "auto",
        "some_future_field": {"nobody": "knows"}}
    j = s.post("/v1/chat/completions", parts).json
    c = j["choices"][0]
    eq((c["index"], c["message"]["role"], c["message"]["refusal"], c["logprobs"]),
       (0, "assistant", None, None))
    check(isinstance(c["message"]["content"], str) and c["message"]["content"])
    check(isinstance(j["system_fingerprint"], str))
    # prompt_tokens counts the text of every part, as the content it is
    eq(j["usage"]["prompt_tokens"], sum(len(tokenize(t)) for t in (
        "Be brief.", "What is in this picture of my order?", "", "shipped",
        "Thanks, and when will it arrive?")) + 4 * 5)
    same = s.post("/v1/chat/completions", parts).json["choices"][0]["message"]["content"]
    eq(same, c["message"]["content"], "a seed is reproducible")
    other = s.post("/v1/chat/completions", dict(parts, seed=43)).json
    check(other["choices"][0]["message"]["content"] != same, "another seed, another reply")
    n3 = s.post("/v1/chat/completions", chat_body("Tell me about refunds", n=3)).json
    eq([x["index"] for x in n3["choices"]], [0, 1, 2])
    eq(len({x["message"]["content"] for x in n3["choices"]}), 3, "n different choices")
    eq(n3["usage"]["completion_tokens"],
       sum(len(tokenize(x["message"]["content"])) for x in n3["choices"]))
    full = s.post("/v1/chat/completions", chat_body("Where is my order?")).json
    text = full["choices"][0]["message"]["content"]
    word = text.split()[3]
    cut = s.post("/v1/chat/completions", chat_body("Where is my order?", stop=[word, "zzzq"])).json
    eq(cut["choices"][0]["message"]["content"], text[:text.index(word)])
    eq(cut["choices"][0]["finish_reason"], "stop")
    mct = s.post("/v1/chat/completions", chat_body("hi", max_completion_tokens=5)).json
    eq((mct["usage"]["completion_tokens"], mct["choices"][0]["finish_reason"]), (5, "length"))
    jo = s.post("/v1/chat/completions", chat_body("Where is my order?",
                                                  response_format={"type": "json_object"})).json
    check(isinstance(json.loads(jo["choices"][0]["message"]["content"])["reply"], str), "json_object")
    schema = {"type": "object", "required": ["answer", "confident", "steps"],
              "properties": {"answer": {"type": "string"}, "confident": {"type": "boolean"},
                             "steps": {"type": "array", "items": {"type": "integer"}},
                             "mood": {"enum": ["calm", "busy"]}}}
    js = s.post("/v1/chat/completions", chat_body("Where is my order?", response_format={
        "type": "json_schema", "json_schema": {"name": "a", "strict": True, "schema": schema}})).json
    v = json.loads(js["choices"][0]["message"]["content"])
    check(isinstance(v["answer"], str) and v["confident"] is True and v["steps"] == [1]
          and v["mood"] == "calm", "json_schema shape: %r" % v)
    # streamed, several choices, each chunk naming its choice
    r, raw, complete, datas = stream_chunks(s.port, chat_body("hello", stream=True, n=2,
                                                              stream_options={"include_usage": True}))
    check(complete and datas[-1] == "[DONE]")
    chunks = [json.loads(d) for d in datas[:-1]]
    got = {0: "", 1: ""}
    finish = {}
    for ch in chunks[:-1]:
        for x in ch["choices"]:
            got[x["index"]] += x["delta"].get("content", "")
            if x["finish_reason"]:
                finish[x["index"]] = x["finish_reason"]
    eq(finish, {0: "stop", 1: "stop"})
    eq(chunks[-1]["choices"], [])
    eq(chunks[-1]["usage"]["completion_tokens"], len(tokenize(got[0])) + len(tokenize(got[1])))


@test("chat: unknown model is 404 model_not_found; pin:<alias>/<model> routes to PIN")
def _():
    s = sim("main")
    r = expect_status(s.post("/v1/chat/completions", chat_body(model="gpt-9")), 404, "model_not_found")
    check(r.json["detail"].startswith("Model 'gpt-9' not found."), r.json["detail"])
    eq(s.post("/v1/chat/completions", chat_body(model="pin:bob/mistral")).status, 200)
    eq(s.get("/v1/models/accounts/fireworks/models/llama-v3p3-70b-instruct").json["owned_by"], "fireworks")


@test("unknown path 404 and wrong method 405 in the AiAssist shape")
def _():
    s = sim("main")
    expect_status(s.get("/v1/nothing"), 404, "not_found")
    expect_status(s.get("/api/nothing/here"), 404, "not_found")
    r = expect_status(s.get("/v1/chat/completions"), 405, "method_not_allowed")
    check("POST" in r.headers.get("allow", ""))
    expect_status(s.req("DELETE", "/api/workspaces"), 405, "method_not_allowed")


@test("replies exercise every rendering element across a few prompts")
def _():
    s = sim("main")
    text = ""
    for p in ("show me markdown", "write some python code", "Where is my order?", "hello"):
        text += s.post("/v1/chat/completions", chat_body(p)).json["choices"][0]["message"]["content"]
    check(re.search(r"(^|\n)# \S", text), "heading")
    for want in ("```c\n", "```python\n", "## ", "\n- ", "\n1. ", "**", "`", "中文", "日本語",
                 "\U0001F469\u200d\U0001F4BB", "\U0001F1EF\U0001F1F5"):
        check(want in text, "missing %r" % want)
    check(re.search(r"\*[^*\s][^*]*\*", text), "emphasis")
    check(any(len(w) > 200 for w in text.split()), "long unbroken line")


@test("latency profiles: groq < gpt-4o < pin, scaled by speed")
def _():
    s = sim("main")

    def timed(model):
        t = time.time()
        r = s.post("/v1/chat/completions", chat_body("timing", model=model), headers={"X-Sim-Tokens": "100"})
        eq(r.status, 200)
        return time.time() - t
    fast, mid, slow = timed("llama-3.1-8b-instant"), timed("gpt-4o"), timed("pin:operator-alias/llama3")
    check(fast < mid < slow, "order %r %r %r" % (fast, mid, slow))
    check(slow >= (0.9 + 100 / 30.0) / SPEED * 0.7, "pin waits its latency: %r" % slow)


@test("chat: streamed tokens arrive over time (TTFT then tokens/s)")
def _():
    # At --speed 5 the reply takes 0.4 s: long enough that a reader the
    # machine starves for a few tens of milliseconds still sees its pace.
    speed = 5
    s = Sim(speed=speed)
    try:
        r = SSE(s.port, "POST", "/v1/chat/completions",
                body=chat_body("pace", model="pin:operator-alias/llama3", stream=True),
                headers={"X-Sim-Tokens": "60"})
        t0 = time.time()
        evs = [r.next_event() for _ in range(62)]
        r.close()
    finally:
        s.stop()
    span = evs[-1]["t"] - evs[1]["t"]
    want = 59 / 30.0 / speed
    check(span >= want * 0.6, "60 tokens at 30 tok/s took %.3fs, expected about %.3fs" % (span, want))
    check(evs[1]["t"] - t0 >= 0.9 / speed * 0.6, "TTFT")


@test("--rate-limit: 429 rate_limited with Retry-After, then allowed again")
def _():
    s = sim("fast")
    for _ in range(5):
        eq(s.get("/v1/models").status, 200)
    r = expect_status(s.get("/v1/models"), 429, "rate_limited")
    ra = r.headers.get("retry-after")
    check(ra is not None and ra.isdigit() and int(ra) >= 1, "Retry-After %r" % ra)
    eq(s.get("/v1/models", key=AGENT).status, 200, "the limit is per key")
    time.sleep(1.05)
    eq(s.get("/v1/models").status, 200, "allowed after the window")


# ==========================================================================
# AiAssist: workspaces
# ==========================================================================
def ws_shape(w):
    check(w["id"].startswith("ws_"))
    check(w["mode"] in ("ai", "shadow", "takeover"))
    check(w["status"] in ("active", "ended"))
    check(isinstance(w["metadata"], dict))
    check(ISO_RE.match(w["created_at"]) and ISO_RE.match(w["updated_at"]), "times")


def msg_shape(m):
    check(m["id"].startswith("msg_"), m["id"])
    check(m["role"] in ("user", "ai", "human", "system", "assistant"))
    check(isinstance(m["content"], str))
    check(ISO_RE.match(m["created_at"]), m["created_at"])


@test("workspace: create in ai mode returns workspace and the AI reply")
def _():
    s = sim("main")
    r = s.post("/api/workspaces", {"client_id": "cust_t1", "initial_message": "I need help with my order",
                                   "system_prompt": "You are support.", "context": {"name": "John"},
                                   "metadata": {"channel": "web"}})
    eq(r.status, 200)
    w = r.json["workspace"]
    ws_shape(w)
    eq((w["mode"], w["status"], w["client_id"]), ("ai", "active", "cust_t1"))
    eq(w["metadata"], {"channel": "web"})
    eq(w["system_prompt"], "You are support.")
    eq(w["context"], {"name": "John"})
    msgs = r.json["messages"]
    eq([m["role"] for m in msgs], ["user", "ai"])
    for m in msgs:
        msg_shape(m)
    eq(msgs[0]["content"], "I need help with my order")
    eq(msgs[1]["approval"], "direct")
    check("John" in msgs[1]["content"], "context used")
    g = s.get("/api/workspaces/" + w["id"]).json["workspace"]
    eq(g["id"], w["id"])
    expect_status(s.get("/api/workspaces/ws_nope"), 404, "not_found")
    empty = s.post("/api/workspaces", {})
    eq(empty.status, 200)
    eq(empty.json["messages"], [])


@test("workspace: send in ai mode, history in order, by-client")
def _():
    s = sim("main")
    w = s.post("/api/workspaces", {"client_id": "cust_t2"}).json["workspace"]
    r = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "What's the status of my last order?"})
    eq(r.status, 200)
    j = r.json
    eq(j["user_message"]["role"], "user")
    msg_shape(j["user_message"])
    eq(j["mode"], "ai")
    eq(j["pending_approval"], False)
    eq(len(j["responses"]), 1)
    eq(j["responses"][0]["role"], "ai")
    s.post("/api/workspaces/%s/messages" % w["id"], {"content": "thanks"})
    h = s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]
    eq([m["role"] for m in h], ["user", "ai", "user", "ai"])
    eq(h[0]["id"], j["user_message"]["id"])
    eq(h[1]["id"], j["responses"][0]["id"])
    w2 = s.post("/api/workspaces", {"client_id": "cust_t2"}).json["workspace"]
    b = s.get("/api/workspaces/by-client/cust_t2").json
    eq(b["exists"], True)
    eq(b["workspace"]["id"], w2["id"], "most recent active")
    eq(b["messages"], [])
    r = expect_status(s.get("/api/workspaces/by-client/nobody"), 404, "not_found")
    check(r.json["detail"].startswith("No workspace for client"))


@test("workspace: top-level model and max_tokens (the SDK's), per workspace and per message")
def _():
    s = sim("main")
    sonar = "llama-3.1-sonar-large-128k-online"   # Perplexity: its replies cite sources
    r = s.post("/api/workspaces", {"initial_message": "Where is my order?", "model": sonar})
    eq(r.status, 200)
    wid = r.json["workspace"]["id"]
    check("Sources:" in r.json["messages"][1]["content"], "the workspace's model answers")
    check("model" not in r.json["workspace"]["metadata"], "not put in metadata")
    short = s.post("/api/workspaces/%s/messages" % wid, {"content": "And the refund?", "max_tokens": 6})
    eq(len(tokenize(short.json["responses"][0]["content"])), 6, "the message's max_tokens")
    other = s.post("/api/workspaces/%s/messages" % wid, {"content": "Thanks", "model": "gpt-4o"})
    check("Sources:" not in other.json["responses"][0]["content"], "the message's model")
    again = s.post("/api/workspaces/%s/messages" % wid, {"content": "One more thing"})
    check("Sources:" in again.json["responses"][0]["content"], "overrides are for one message")
    capped = s.post("/api/workspaces", {"initial_message": "Hello there", "max_tokens": 4})
    eq(len(tokenize(capped.json["messages"][1]["content"])), 4, "the workspace's max_tokens")
    cid = capped.json["workspace"]["id"]
    nxt = s.post("/api/workspaces/%s/messages" % cid, {"content": "Tell me how to reset a password"})
    eq(len(tokenize(nxt.json["responses"][0]["content"])), 4, "for every reply")
    # Clients before the SDK sent model at the top level used metadata.model.
    old = s.post("/api/workspaces", {"initial_message": "Hi", "metadata": {"model": sonar}})
    check("Sources:" in old.json["messages"][1]["content"], "metadata.model still read")
    expect_status(s.post("/api/workspaces", {"model": "no-such-model"}), 404, "model_not_found")
    for bad in ({"max_tokens": 0}, {"max_tokens": "5"}, {"model": 5}, {"max_tokens": True}):
        expect_status(s.post("/api/workspaces", bad), 400, "bad_request")
        expect_status(s.post("/api/workspaces/%s/messages" % wid, dict(bad, content="x")), 400,
                      "bad_request")


@test("workspace: validation, typing, end, 409 after end")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    for body in ({}, {"content": ""}, {"content": 5}):
        expect_status(s.post("/api/workspaces/%s/messages" % wid, body), 400, "bad_request")
    expect_status(s.req("POST", "/api/workspaces/%s/messages" % wid, raw=b"nope"), 400, "bad_request")
    expect_status(s.post("/api/workspaces", {"context": "x"}), 400, "bad_request")
    expect_status(s.post("/api/workspaces/ws_nope/messages", {"content": "x"}), 404, "not_found")
    eq(s.post("/api/workspaces/%s/typing" % wid, {"text": "I need"}).json, {"ok": True})
    r = s.post("/api/workspaces/%s/end" % wid, {})
    eq(r.json["ok"], True)
    eq(r.json["workspace"]["status"], "ended")
    expect_status(s.post("/api/workspaces/%s/messages" % wid, {"content": "x"}), 409, "workspace_ended")
    eq(s.get("/api/workspaces/" + wid).json["workspace"]["status"], "ended")


@test("shadow: draft held, approve with edit -> history approval edited; 409 twice")
def _():
    s = sim("main")
    r = s.post("/api/workspaces", {"initial_message": "I want a refund", "metadata": {"mode": "shadow"}})
    w = r.json["workspace"]
    eq(w["mode"], "shadow")
    eq([m["role"] for m in r.json["messages"]], ["user"])
    r = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "Any news?"}).json
    eq(r["pending_approval"], True)
    eq(r["mode"], "shadow")
    d = r["responses"][0]
    check(d["id"].startswith("drf_"))
    eq(d["role"], "ai")
    eq([m["role"] for m in s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]],
       ["user", "user"], "drafts are not history")
    drafts = s.agent("GET", "/api/manager/drafts?workspace_id=" + w["id"]).json["drafts"]
    eq(len(drafts), 2)
    check(drafts[0]["created_at"] <= drafts[1]["created_at"], "oldest first")
    mine = [x for x in drafts if x["id"] == d["id"]][0]
    eq(mine["content"], d["content"])
    eq(mine["status"], "pending")
    eq(mine["in_reply_to_message"]["content"], "Any news?")
    eq(mine["in_reply_to"], mine["in_reply_to_message"]["id"])
    a = s.agent("POST", "/api/manager/drafts/%s/approve" % d["id"], {"content": "Edited answer."})
    eq(a.status, 200)
    eq(a.json["draft"]["status"], "approved")
    m = a.json["message"]
    eq((m["role"], m["content"], m["approval"], m["draft_id"]), ("ai", "Edited answer.", "edited", d["id"]))
    h = s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]
    eq(h[-1]["id"], m["id"])
    eq(h[-1]["approval"], "edited")
    expect_status(s.agent("POST", "/api/manager/drafts/%s/approve" % d["id"], {}), 409, "draft_not_pending")
    expect_status(s.agent("POST", "/api/manager/drafts/drf_nope/approve", {}), 404, "not_found")
    other = drafts[0]["id"] if drafts[0]["id"] != d["id"] else drafts[1]["id"]
    a = s.agent("POST", "/api/manager/drafts/%s/approve" % other, {}).json
    eq(a["message"]["approval"], "approved")


@test("shadow: reject with reason; rejected draft never reaches history")
def _():
    s = sim("main")
    w = s.post("/api/workspaces", {"metadata": {"mode": "shadow"}}).json["workspace"]
    d = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "hello"}).json["responses"][0]
    r = s.agent("POST", "/api/manager/drafts/%s/reject" % d["id"], {"reason": "off-topic"})
    eq(r.json["draft"]["status"], "rejected")
    eq(r.json["draft"]["reason"], "off-topic")
    eq([m["role"] for m in s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]], ["user"])
    expect_status(s.agent("POST", "/api/manager/drafts/%s/reject" % d["id"], {}), 409, "draft_not_pending")


@test("manager: regenerate makes a new, different draft for the last customer message")
def _():
    s = sim("main")
    w = s.post("/api/workspaces", {"metadata": {"mode": "shadow"}}).json["workspace"]
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {}), 409,
                  "nothing_to_answer")
    ev = SSE(s.port, "GET", "/api/manager/events?workspace_id=" + w["id"], key=AGENT)
    eq(ev.line(), b"retry: 2000")
    first = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "Where is my parcel?"}).json
    d1 = first["responses"][0]
    s.agent("POST", "/api/manager/drafts/%s/reject" % d1["id"], {"reason": "too vague"})
    r = s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {"instructions": "be brief"})
    eq(r.status, 200)
    d2 = r.json["draft"]
    eq((d2["status"], d2["workspace_id"], d2["in_reply_to"]),
       ("pending", w["id"], first["user_message"]["id"]))
    check(d2["id"] != d1["id"] and d2["content"] != d1["content"], "a new draft, a new text")
    got = ev.until(lambda e: e["event"] == "draft.pending" and json.loads(e["data"])["draft"]["id"] == d2["id"])
    check(got, "published as draft.pending")
    ev.close()
    d3 = s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {}).json["draft"]
    check(d3["content"] not in (d1["content"], d2["content"]), "each attempt differs")
    eq([d["id"] for d in s.agent("GET", "/api/manager/drafts?workspace_id=" + w["id"]).json["drafts"]],
       [d2["id"], d3["id"]])
    # With a key, a repeat is the first answer, not a third draft.
    hdr = {"Idempotency-Key": "f" * 32}
    a = s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {}, headers=hdr)
    b = s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {}, headers=hdr)
    eq(a.json["draft"]["id"], b.json["draft"]["id"])
    eq(len(s.agent("GET", "/api/manager/drafts?workspace_id=" + w["id"]).json["drafts"]), 3)
    # In takeover too; user keys, bad bodies and ended workspaces are refused.
    s.agent("POST", "/api/manager/workspaces/%s/mode" % w["id"], {"mode": "takeover"})
    eq(s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {}).status, 200)
    expect_status(s.post("/api/manager/workspaces/%s/regenerate" % w["id"], {}), 403, "forbidden")
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"],
                          {"instructions": 3}), 400, "bad_request")
    s.post("/api/workspaces/%s/end" % w["id"], {})
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/regenerate" % w["id"], {}), 409,
                  "workspace_ended")
    expect_status(s.agent("POST", "/api/manager/workspaces/ws_nope/regenerate", {}), 404, "not_found")


@test("admin: /_sim/drafts/{id}/decide decides as another manager would, with the usual events")
def _():
    s = sim("main")
    w = s.post("/api/workspaces", {"metadata": {"mode": "shadow"}}).json["workspace"]
    ev = SSE(s.port, "GET", "/api/manager/events?workspace_id=" + w["id"], key=AGENT)
    eq(ev.line(), b"retry: 2000")
    d1 = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "one"}).json["responses"][0]
    d2 = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "two"}).json["responses"][0]
    # No key needed; the answer is the manager call's answer.
    a = s.post("/_sim/drafts/%s/decide" % d1["id"], {"action": "approve"}, key=None)
    eq(a.status, 200)
    eq(a.json["draft"]["status"], "approved")
    check(ISO_RE.match(a.json["draft"]["decided_at"]), "decided_at")
    eq((a.json["message"]["approval"], a.json["message"]["draft_id"]), ("approved", d1["id"]))
    r = s.post("/_sim/drafts/%s/decide" % d2["id"], {"action": "reject", "reason": "elsewhere"}, key=None)
    eq((r.json["draft"]["status"], r.json["draft"]["reason"]), ("rejected", "elsewhere"))
    got = ev.until(lambda e: e["event"] == "draft.rejected")
    order = [e["event"] for e in got if e["event"] != "draft.pending"]
    eq(order, ["message.created", "message.created", "draft.approved", "message.created",
               "draft.rejected"])
    eq(json.loads(got[-1]["data"])["reason"], "elsewhere")
    ev.close()
    h = s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]
    eq([(m["role"], m.get("draft_id")) for m in h],
       [("user", None), ("user", None), ("ai", d1["id"])], "approved once, rejected never")
    # The manager call now finds it decided, as it would after any manager.
    expect_status(s.agent("POST", "/api/manager/drafts/%s/approve" % d1["id"], {}), 409,
                  "draft_not_pending")
    expect_status(s.post("/_sim/drafts/%s/decide" % d2["id"], {"action": "approve"}, key=None),
                  409, "draft_not_pending")
    expect_status(s.post("/_sim/drafts/drf_nope/decide", {"action": "reject"}, key=None), 404,
                  "not_found")
    expect_status(s.post("/_sim/drafts/%s/decide" % d1["id"], {"action": "maybe"}, key=None), 400,
                  "bad_request")


@test("takeover: empty responses, human reply enters history; mode errors")
def _():
    s = sim("main")
    w = s.post("/api/workspaces", {}).json["workspace"]
    r = s.agent("POST", "/api/manager/workspaces/%s/mode" % w["id"], {"mode": "takeover"})
    eq(r.json["workspace"]["mode"], "takeover")
    j = s.post("/api/workspaces/%s/messages" % w["id"], {"content": "a human please"}).json
    eq((j["responses"], j["pending_approval"], j["mode"]), ([], False, "takeover"))
    m = s.agent("POST", "/api/manager/workspaces/%s/reply" % w["id"], {"content": "Hi, I'm Sam."}).json["message"]
    eq(m["role"], "human")
    msg_shape(m)
    h = s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]
    eq([x["role"] for x in h], ["user", "human"])
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/mode" % w["id"], {"mode": "robot"}),
                  400, "bad_request")
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/reply" % w["id"], {"content": ""}),
                  400, "bad_request")
    eq(s.agent("POST", "/api/manager/workspaces/%s/typing" % w["id"], {"text": "typing..."}).json, {"ok": True})
    s.post("/api/workspaces/%s/end" % w["id"], {})
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/mode" % w["id"], {"mode": "ai"}),
                  409, "workspace_ended")
    d = s.post("/api/workspaces", {"metadata": {"mode": "takeover"}}).json["workspace"]
    eq(d["mode"], "takeover")


@test("manager: Idempotency-Key applies a request once and replays its answer; 422 when reused")
def _():
    s = sim("main")
    w = s.post("/api/workspaces", {"metadata": {"mode": "takeover"}}).json["workspace"]
    path = "/api/manager/workspaces/%s/reply" % w["id"]
    k = {"Idempotency-Key": "7f3c0a9e5d2b41c8a6e0f19b3d7c5a21"}
    first = s.agent("POST", path, {"content": "Only once"}, headers=k)
    eq(first.status, 200)
    check("idempotent-replayed" not in first.headers, "a first answer is not a replay")
    again = s.agent("POST", path, {"content": "Only once"}, headers=k)
    eq((again.status, again.json), (200, first.json), "the first answer, replayed")
    eq(again.headers.get("idempotent-replayed"), "true")
    expect_status(s.agent("POST", path, {"content": "Something else"}, headers=k),
                  422, "idempotency_key_reused")
    expect_status(s.agent("POST", "/api/manager/workspaces/%s/mode" % w["id"], {"mode": "ai"},
                          headers=k), 422, "idempotency_key_reused")
    expect_status(s.agent("POST", path, {"content": "x"}, headers={"Idempotency-Key": "a b"}),
                  400, "bad_request")
    # Twenty at once with one key: one effect, one answer for all (the
    # later ones wait for the first).
    import threading
    k2 = {"Idempotency-Key": "race-%d" % time.time_ns()}
    got = []
    ts = [threading.Thread(target=lambda: got.append(
        s.agent("POST", path, {"content": "Raced"}, headers=k2))) for _ in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(20)
    eq(len(got), 20)
    eq({(r.status, r.json["message"]["id"]) for r in got}.__len__(), 1, "one answer for all")
    # A decision replays too: approving twice with one key is not a 409.
    sh = s.post("/api/workspaces", {"metadata": {"mode": "shadow"}, "initial_message": "refund?"}).json
    d = s.agent("GET", "/api/manager/drafts?workspace_id=" + sh["workspace"]["id"]).json["drafts"][0]
    k3 = {"Idempotency-Key": "approve-%d" % time.time_ns()}
    a1 = s.agent("POST", "/api/manager/drafts/%s/approve" % d["id"], {}, headers=k3)
    a2 = s.agent("POST", "/api/manager/drafts/%s/approve" % d["id"], {}, headers=k3)
    eq((a1.status, a2.status, a2.json), (200, 200, a1.json))
    expect_status(s.agent("POST", "/api/manager/drafts/%s/approve" % d["id"], {}), 409,
                  "draft_not_pending")
    h = s.get("/api/workspaces/%s/messages" % w["id"]).json["messages"]
    eq([m["content"] for m in h], ["Only once", "Raced"])
    h = s.get("/api/workspaces/%s/messages" % sh["workspace"]["id"]).json["messages"]
    eq([m["role"] for m in h], ["user", "ai"])


@test("idempotency store: a repeat waits for the first; keys expire after 24 simulated hours; bounded")
def _():
    import threading
    from aidesksim import idempotency
    from aidesksim.util import Clock

    class FakeReq:
        def __init__(self, key, body=b"{}", api_key=AGENT):
            self.method, self.path, self.body, self.key = "POST", "/api/manager/x", body, api_key
            self._h = {"Idempotency-Key": key}

        def header(self, name, default=None):
            return self._h.get(name, default)

    store = idempotency.IdempotencyStore(Clock(3600))     # 24 simulated h = 24 real s
    first = store.enter(FakeReq("k1"))
    check(isinstance(first, idempotency.Claim), "the first one runs")
    got = []
    t = threading.Thread(target=lambda: got.append(store.enter(FakeReq("k1"))))
    t.start()
    t.join(0.3)
    check(t.is_alive() and not got, "a repeat waits while the first runs")
    first.finish(200, {"ok": 1})
    t.join(5)
    eq(got, [("replay", 200, {"ok": 1}, {})], "then gets its answer")
    # An abandoned claim (the request failed inside) lets the next one run.
    c = store.enter(FakeReq("k2"))
    c.abandon()
    check(isinstance(store.enter(FakeReq("k2")), idempotency.Claim), "runs again after abandon")
    # Expiry: older than 24 simulated hours, the key is free again.
    store.entries[(idempotency._scope(AGENT), "k1")].at -= 25
    check(isinstance(store.enter(FakeReq("k1")), idempotency.Claim), "expired key is free")
    # Bounded: only the newest KEEP_COUNT finished keys stay.
    keep = idempotency.KEEP_COUNT
    idempotency.KEEP_COUNT = 3
    try:
        small = idempotency.IdempotencyStore(Clock(1))
        for i in range(5):
            small.enter(FakeReq("b%d" % i)).finish(200, {"i": i})
        small.enter(FakeReq("probe")).finish(200, {})
        eq([k for _, k in small.entries], ["b3", "b4", "probe"], "oldest evicted")
        snap = json.loads(json.dumps(small.snapshot()))
        again = idempotency.IdempotencyStore(Clock(1))
        again.restore(snap)
        eq(again.enter(FakeReq("b4")), ("replay", 200, {"i": 4}, {}), "kept across a restore")
    finally:
        idempotency.KEEP_COUNT = keep


@test("manager: user key 403 forbidden, bad key 401")
def _():
    s = sim("main")
    for path in ("/api/manager/workspaces", "/api/manager/drafts", "/api/manager/events"):
        r = s.get(path, key=USER)
        eq(r.status, 403)
        eq(r.json, {"detail": "This call needs an agent key", "code": "forbidden"})
        expect_status(s.get(path, key="aai_bad"), 401, "invalid_api_key")


@test("manager: list with filters, newest activity first, summary fields")
def _():
    s = sim("main")
    a = s.post("/api/workspaces", {"metadata": {"mode": "shadow"}}).json["workspace"]
    b = s.post("/api/workspaces", {"initial_message": "hi"}).json["workspace"]
    ws = s.agent("GET", "/api/manager/workspaces").json["workspaces"]
    eq(ws[0]["id"], b["id"], "newest activity first")
    acts = [w["last_activity_at"] for w in ws]
    eq(acts, sorted(acts, reverse=True))
    top = ws[0]
    eq(top["message_count"], 2)
    eq(top["pending_drafts"], 0)
    eq(top["last_message"]["role"], "ai")
    check(ISO_RE.match(top["last_activity_at"]))
    sh = s.agent("GET", "/api/manager/workspaces?mode=shadow&status=active").json["workspaces"]
    check(sh and all(w["mode"] == "shadow" and w["status"] == "active" for w in sh))
    check(a["id"] in [w["id"] for w in sh])
    check([w for w in sh if w["id"] == a["id"]][0]["last_message"] is None)
    expect_status(s.agent("GET", "/api/manager/workspaces?mode=bogus"), 400, "bad_request")
    expect_status(s.agent("GET", "/api/manager/workspaces?status=bogus"), 400, "bad_request")


# ==========================================================================
# Manager events
# ==========================================================================
@test("events: retry first, typed events with increasing ids, deltas build the reply")
def _():
    s = sim("main")
    ev = SSE(s.port, "GET", "/api/manager/events", key=AGENT)
    eq(ev.status, 200)
    check(ev.headers["content-type"].startswith("text/event-stream"))
    eq(ev.line(), b"retry: 2000")
    w = s.post("/api/workspaces", {"client_id": "evt", "initial_message": "hello events"}).json
    wid = w["workspace"]["id"]
    got = ev.until(lambda e: e["event"] == "message.created" and json.loads(e["data"])["message"]["role"] == "ai")
    ids = [e["id"] for e in got]
    eq(ids, sorted(set(ids)), "strictly increasing")
    types = [e["event"] for e in got]
    eq(types[0], "workspace.created")
    eq(json.loads(got[0]["data"])["workspace"]["id"], wid)
    eq(types[1], "message.created")
    deltas = [json.loads(e["data"]) for e in got if e["event"] == "message.delta"]
    check(deltas, "deltas")
    final = json.loads(got[-1]["data"])
    eq(final["workspace_id"], wid)
    eq("".join(d["delta"] for d in deltas), final["message"]["content"])
    check(all(d["message_id"] == final["message"]["id"] for d in deltas))
    s.post("/api/workspaces/%s/typing" % wid, {"text": "I am typ"})
    s.agent("POST", "/api/manager/workspaces/%s/typing" % wid, {"text": "Let me check"})
    s.agent("POST", "/api/manager/workspaces/%s/mode" % wid, {"mode": "shadow"})
    d = s.post("/api/workspaces/%s/messages" % wid, {"content": "refund?"}).json["responses"][0]
    s.agent("POST", "/api/manager/drafts/%s/approve" % d["id"], {})
    s.post("/api/workspaces/%s/end" % wid, {})
    got = ev.until(lambda e: e["event"] == "workspace.ended")
    by = {}
    for e in got:
        by.setdefault(e["event"], []).append(json.loads(e["data"]))
    eq([t["who"] for t in by["typing"]], ["customer", "agent"])
    eq(by["typing"][0]["text"], "I am typ")
    eq(by["mode.changed"][0], {"workspace_id": wid, "mode": "shadow", "previous": "ai"})
    eq(by["draft.pending"][0]["draft"]["id"], d["id"])
    eq(by["draft.approved"][0]["draft"]["id"], d["id"])
    order = [e["event"] for e in got]
    i = order.index("draft.approved")
    eq(order[i + 1], "message.created", "approved message follows draft.approved")
    eq(by["workspace.ended"][0]["workspace"]["status"], "ended")
    ev.close()


@test("events: keepalive comments on an idle stream (--heartbeat)")
def _():
    s = sim("main")
    ev = SSE(s.port, "GET", "/api/manager/events?workspace_id=" +
             s.post("/api/workspaces", {}).json["workspace"]["id"], key=AGENT)
    deadline = time.time() + 2
    seen = False
    while time.time() < deadline and not seen:
        seen = ev.line(timeout=2) == b": keepalive"
    ev.close()
    check(seen, "no keepalive within 2 s")


@test("events: resume with Last-Event-ID neither loses nor duplicates")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    full = SSE(s.port, "GET", "/api/manager/events?workspace_id=" + wid, key=AGENT)
    part = SSE(s.port, "GET", "/api/manager/events?workspace_id=" + wid, key=AGENT)
    for i in range(5):
        s.post("/api/workspaces/%s/typing" % wid, {"text": "a%d" % i})
    seen = part.events(5)
    part.close()
    last = seen[2]["id"]            # pretend we only processed 3
    for i in range(5, 10):
        s.post("/api/workspaces/%s/typing" % wid, {"text": "a%d" % i})
    want = [e for e in full.events(10)]
    full.close()
    again = SSE(s.port, "GET", "/api/manager/events?workspace_id=" + wid, key=AGENT,
                headers={"Last-Event-ID": str(last)})
    got = again.events(7)
    eq([e["id"] for e in got], [e["id"] for e in want[3:]])
    eq([json.loads(e["data"])["text"] for e in got], ["a%d" % i for i in range(3, 10)])
    s.post("/api/workspaces/%s/typing" % wid, {"text": "live"})
    nxt = again.next_event()
    eq(json.loads(nxt["data"])["text"], "live", "continues live after the replay")
    check(nxt["id"] > got[-1]["id"])
    again.close()
    q = SSE(s.port, "GET", "/api/manager/events?workspace_id=%s&last_event_id=%d" % (wid, want[8]["id"]),
            key=AGENT)
    eq(json.loads(q.next_event()["data"])["text"], "a9", "query parameter works too")
    q.close()


@test("events: a future Last-Event-ID gets event reset with the newest id")
def _():
    s = sim("main")
    ev = SSE(s.port, "GET", "/api/manager/events", key=AGENT, headers={"Last-Event-ID": "999999999"})
    e = ev.next_event()
    eq(e["event"], "reset")
    d = json.loads(e["data"])
    check(isinstance(d["reason"], str) and d["reason"])
    check(isinstance(d["last_event_id"], int) and d["last_event_id"] < 999999999)
    eq(e["id"], d["last_event_id"])
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    e2 = ev.next_event()
    eq(e2["event"], "workspace.created", "continues live")
    eq(json.loads(e2["data"])["workspace"]["id"], wid)
    check(e2["id"] > d["last_event_id"])
    ev.close()


@test("events: many concurrent subscribers each get every event")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    subs = [SSE(s.port, "GET", "/api/manager/events?workspace_id=" + wid, key=AGENT) for _ in range(12)]
    for i in range(3):
        s.post("/api/workspaces/%s/typing" % wid, {"text": str(i)})
    for sub in subs:
        eq([json.loads(e["data"])["text"] for e in sub.events(3)], ["0", "1", "2"])
        sub.close()
    check(s.get("/_sim/stats", key=None).json["active_streams"] >= 0)


# ==========================================================================
# Faults
# ==========================================================================
@test("fault status=503 in each service's shape; 429 with Retry-After")
def _():
    s = sim("main")
    r = expect_status(s.get("/v1/models", headers={"X-Sim-Fault": "status=503"}), 503, "service_unavailable")
    for st in (500, 502, 504):
        eq(s.get("/v1/models", headers={"X-Sim-Fault": "status=%d" % st}).status, st)
    r = expect_status(s.get("/health", key=None, headers={"X-Sim-Fault": "status=502"}), 502, gate=True)
    check("x-ratelimit-limit" in r.headers)
    check("error" in r.json and "message" in r.json)
    r = expect_status(s.get("/v1/models", headers={"X-Sim-Fault": "status=429;retry_after=7"}),
                      429, "rate_limited")
    eq(r.headers.get("retry-after"), "7")
    r = s.get("/health", key=None, headers={"X-Sim-Fault": "status=429;retry_after=3"})
    eq((r.status, r.json["error"], r.headers.get("retry-after")), (429, "Rate limit exceeded", "3"))
    expect_status(s.get("/v1/models", headers={"X-Sim-Fault": "explode=1"}), 400, "bad_request")


@test("fault times=N;key=K: only the first N requests with that key fail")
def _():
    s = sim("main")
    h1 = {"X-Sim-Fault": "status=503;times=2;key=retry-1"}
    h2 = {"X-Sim-Fault": "status=503;times=1;key=retry-2"}
    eq([s.get("/v1/models", headers=h1).status for _ in range(4)], [503, 503, 200, 200])
    eq([s.get("/v1/models", headers=h2).status for _ in range(2)], [503, 200])
    eq(s.get("/_sim/stats", key=None).json["faults_fired"].get("header:retry-1"), 2)


@test("faults on the event stream: drop_after closes it; escapes reach event data")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    ev = SSE(s.port, "GET", "/api/manager/events?workspace_id=" + wid, key=AGENT,
             headers={"X-Sim-Fault": "drop_after=2;escapes"})
    for i in range(3):
        s.post("/api/workspaces/%s/typing" % wid, {"text": "x%d" % i})
    got = ev.events(2)
    check("\x1b" in json.loads(got[0]["data"])["text"], "escapes in event data")
    try:
        ev.next_event(timeout=2)
        check(False, "stream should have been dropped")
    except EOFError:
        pass
    check(not ev.done, "no terminating chunk")
    ev.close()


@test("fault latency=MS delays the answer")
def _():
    s = sim("main")
    t = time.time()
    eq(s.get("/v1/models", headers={"X-Sim-Fault": "latency=300"}).status, 200)
    check(time.time() - t >= 0.29, "latency")


@test("fault drop_after=N: stream closes without the terminating chunk; plain gets half a body")
def _():
    s = sim("main")
    r, raw, complete, datas = stream_chunks(s.port, chat_body("drop", stream=True),
                                            headers={"X-Sim-Fault": "drop_after=3"})
    eq(r.status, 200)
    check(not complete, "must not see the terminating chunk")
    eq(len(datas), 3)
    check("[DONE]" not in datas)
    r = Raw(s.port, "GET", "/v1/models", headers={"X-Sim-Fault": "drop_after=1"})
    body, complete = r.read_all()
    r.close()
    check(0 < len(body) < int(r.headers["content-length"]), "short body")


@test("fault cut_at_byte=N: exactly N body bytes, then the connection closes, inside an event")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    path = "/api/manager/events?workspace_id=" + wid
    first = SSE(s.port, "GET", path, key=AGENT)
    s.post("/api/workspaces/%s/typing" % wid, {"text": "before"})
    start = first.next_event()["id"]
    first.close()
    for i in range(3):
        s.post("/api/workspaces/%s/typing" % wid, {"text": "cut%d" % i})
    # The uncut body of a stream resumed at `start`: retry:, then 3 events.
    ref = Raw(s.port, "GET", path, key=AGENT, headers={"Last-Event-ID": str(start)})
    while ref.body.count(b"\n\n") < 4:
        ref.next_chunk()
    ref.close()
    full = bytes(ref.body)
    end = 0
    for _ in range(4):
        end = full.index(b"\n\n", end) + 2
    full = full[:end]
    check(full.startswith(b"retry: 2000\n\nid: %d\nevent: typing\ndata: {" % (start + 1)), full[:40])
    # Inside the retry line, on its end, in an id line, after it, in the data,
    # just before the blank line, and on the last byte.
    ev1 = len(b"retry: 2000\n\n")
    for n in (0, 1, ev1, ev1 + 2, ev1 + len(b"id: %d\n" % (start + 1)), ev1 + 40,
              full.index(b"\n\n", ev1) + 1, end - 1):
        r = Raw(s.port, "GET", path, key=AGENT,
                headers={"Last-Event-ID": str(start),
                         "X-Sim-Fault": "cut_at_byte=%d;times=1;key=cut%d-%s" % (n, n, wid)})
        body, complete = r.read_all()
        r.close()
        eq(body, full[:n], "cut at %d" % n)
        check(not complete, "no terminating chunk after a cut at %d" % n)
    # times=1: the same key again is not cut.
    again = SSE(s.port, "GET", path, key=AGENT,
                headers={"Last-Event-ID": str(start),
                         "X-Sim-Fault": "cut_at_byte=%d;times=1;key=cut%d-%s" % (n, n, wid)})
    eq([e["id"] for e in again.events(3)], [start + 1, start + 2, start + 3])
    again.close()
    # As a global fault aimed at the event stream.
    s.post("/_sim/faults", {"spec": "path=/api/manager/events;times=1;cut_at_byte=%d" % (ev1 + 3)},
           key=None)
    r = Raw(s.port, "GET", path, key=AGENT, headers={"Last-Event-ID": str(start)})
    body, complete = r.read_all()
    r.close()
    eq((body, complete), (full[:ev1 + 3], False))
    eq(s.req("DELETE", "/_sim/faults", key=None).status, 200)
    # A plain answer: the headers, then the first N bytes of the body.
    r = Raw(s.port, "GET", "/v1/models", headers={"X-Sim-Fault": "cut_at_byte=10"})
    body, complete = r.read_all()
    r.close()
    eq(len(body), 10)
    check(int(r.headers["content-length"]) > 10, "the full length announced")
    check(s.get("/v1/models").body.startswith(body), "the first 10 bytes of the answer")


@test("fault stall_after=N;stall=MS pauses the stream")
def _():
    s = sim("main")
    r = SSE(s.port, "POST", "/v1/chat/completions", body=chat_body("stall", model="llama-3.1-8b-instant",
                                                                   stream=True),
            headers={"X-Sim-Fault": "stall_after=2;stall=400", "X-Sim-Tokens": "5"})
    evs = r.events(5)
    r.close()
    check(evs[2]["t"] - evs[1]["t"] >= 0.35, "gap %.3f" % (evs[2]["t"] - evs[1]["t"]))


@test("fault malformed=N breaks exactly the Nth data chunk")
def _():
    r, raw, complete, datas = stream_chunks(sim("main").port, chat_body("bad", stream=True),
                                            headers={"X-Sim-Fault": "malformed=2", "X-Sim-Tokens": "6"})
    check(complete)
    bad = []
    for i, d in enumerate(datas[:-1]):
        try:
            json.loads(d)
        except ValueError:
            bad.append(i)
    eq(bad, [1])
    eq(datas[-1], "[DONE]")
    p = sim("main").get("/v1/models", headers={"X-Sim-Fault": "malformed=1"})
    eq(p.status, 200)
    try:
        json.loads(p.body)
        check(False, "plain body should be broken JSON")
    except ValueError:
        pass


@test("fault invalid_utf8 puts raw invalid bytes in the content")
def _():
    s = sim("main")
    r = s.post("/v1/chat/completions", chat_body("u"), headers={"X-Sim-Fault": "invalid_utf8"})
    eq(r.status, 200)
    try:
        r.body.decode("utf-8")
        check(False, "body should not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    r, raw, complete, datas = stream_chunks(s.port, chat_body("u", stream=True),
                                            headers={"X-Sim-Fault": "invalid_utf8"})
    check(b"\xff\xfe" in raw and complete)
    w = s.post("/api/workspaces", {"initial_message": "x"}, headers={"X-Sim-Fault": "invalid_utf8"})
    check(b"\xff\xfe" in w.body)


@test("fault escapes puts terminal escapes in the content as JSON \\u escapes")
def _():
    s = sim("main")
    r = s.post("/v1/chat/completions", chat_body("e"), headers={"X-Sim-Fault": "escapes"})
    check(b"\x1b" not in r.body and b"\\u001b" in r.body, "ESC escaped")
    check(b"\\u202e" in r.body and b"\\u009b" in r.body and b"\\u200b" in r.body, "bidi/C1/zero-width escaped")
    text = r.json["choices"][0]["message"]["content"]
    for c in ("\x1b[2J", "\x1b]52;", "\x1b]0;", "\r", "\b", "\x07", "\x9b", "\u202e", "\u200b"):
        check(c in text, "missing %r" % c)
    eq(r.json["usage"]["completion_tokens"], len(tokenize(text)))
    r, raw, complete, datas = stream_chunks(s.port, chat_body("e", stream=True),
                                            headers={"X-Sim-Fault": "escapes"})
    check(b"\\u001b" in raw and b"\x1b" not in raw and b"\\u202e" in raw, "escaped in the stream")
    text = "".join(json.loads(d)["choices"][0]["delta"].get("content", "")
                   for d in datas[:-1] if json.loads(d)["choices"])
    check("\x1b]52;c;" in text and "\u202e" in text, "escapes in the streamed text")


@test("fault huge_line: a ~1 MiB SSE data line; 1 MiB content for plain answers")
def _():
    s = sim("main")
    r, raw, complete, datas = stream_chunks(s.port, chat_body("h", stream=True, max_tokens=5),
                                            headers={"X-Sim-Fault": "huge_line"})
    check(max(len(d) for d in datas) >= 1 << 20, "huge line")
    check(complete and datas[-1] == "[DONE]")
    j = s.post("/v1/chat/completions", chat_body("h"), headers={"X-Sim-Fault": "huge_line"}).json
    check(len(j["choices"][0]["message"]["content"]) >= 1 << 20)


@test("fault drip writes one byte at a time")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    r = Raw(s.port, "GET", "/api/workspaces/" + wid, headers={"X-Sim-Fault": "drip"})
    t = time.time()
    body, complete = r.read_all()
    r.close()
    eq(json.loads(body)["workspace"]["id"], wid)
    check(time.time() - t >= 0.05, "slow")


@test("fault crash_after_apply: applied and saved, then the process exits without answering")
def _():
    keys = os.path.join(KEYS_DIR, "two-agents.json")
    with open(keys, "w") as f:
        json.dump({"user_keys": [USER], "agent_keys": [AGENT, "aai_other_agent"]}, f)
    s = Sim(state=True, keys=keys)
    try:
        wid = s.post("/api/workspaces", {"metadata": {"mode": "takeover"}}).json["workspace"]["id"]
        path = "/api/manager/workspaces/%s/reply" % wid
        hdrs = {"X-API-Key": AGENT, "Content-Type": "application/json",
                "X-Sim-Fault": "crash_after_apply;reused_only"}
        # reused_only: the first request on a connection is served...
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        conn.request("POST", path, body=b'{"content":"first on its connection"}', headers=hdrs)
        r = conn.getresponse()
        eq(r.status, 200)
        r.read()
        # ...the next one on the same connection is applied, and nothing answers.
        hdrs["Idempotency-Key"] = "crash-key-1"
        conn.request("POST", path, body=b'{"content":"then the crash"}', headers=hdrs)
        try:
            r = conn.getresponse()
            raise AssertionError("an answer came: %d" % r.status)
        except (http.client.RemoteDisconnected, ConnectionResetError):
            pass
        conn.close()
        eq(s.proc.wait(5), 70, "the process ended at once")
        refused = False
        try:
            socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
        except OSError:
            refused = True
        check(refused, "nobody listens any more")
        s.start()
        h = s.get("/api/workspaces/%s/messages" % wid).json["messages"]
        eq([m["content"] for m in h], ["first on its connection", "then the crash"], "applied and saved")
        # The key was saved with its effect: repeating the request is a replay.
        same = {"Idempotency-Key": "crash-key-1", "Content-Type": "application/json"}
        r = s.agent("POST", path, raw=b'{"content":"then the crash"}', headers=same)
        eq((r.status, r.headers.get("idempotent-replayed")), (200, "true"))
        eq(r.json["message"]["id"], h[1]["id"])
        # Keys belong to their caller: another agent's same key is another action.
        r = s.req("POST", path, raw=b'{"content":"then the crash"}', key="aai_other_agent",
                  headers=same)
        eq(r.status, 200)
        check("idempotent-replayed" not in r.headers, "not another caller's replay")
        h = s.get("/api/workspaces/%s/messages" % wid).json["messages"]
        eq(len(h), 3)
    finally:
        s.stop()


@test("global faults: POST/GET/DELETE /_sim/faults with path and times; stats")
def _():
    s = sim("main")
    r = s.post("/_sim/faults", {"spec": "status=502;times=1;path=/v1/models"}, key=None)
    eq(r.status, 200)
    fid = r.json["id"]
    eq(s.get("/api/workspaces/ws_x").status, 404, "other paths unaffected")
    eq(s.get("/v1/models").status, 502)
    eq(s.get("/v1/models").status, 200)
    lst = s.get("/_sim/faults", key=None).json["faults"]
    eq([f["id"] for f in lst], [fid])
    eq(lst[0]["fired"], 1)
    s.post("/_sim/faults", {"spec": "status=504;path=/v1/models"}, key=None)
    eq(s.get("/v1/models").status, 504)
    eq(s.req("DELETE", "/_sim/faults", key=None).status, 200)
    eq(s.get("/v1/models").status, 200)
    eq(s.get("/_sim/faults", key=None).json["faults"], [])
    st = s.get("/_sim/stats", key=None).json
    check(st["requests"].get("/v1/models", 0) >= 4)
    eq(st["faults_fired"].get(fid), 1)
    check("active_streams" in st)
    expect_status(s.post("/_sim/faults", {"spec": "status=418"}, key=None), 400, "bad_request")


# ==========================================================================
# AI Gate
# ==========================================================================
def gate_post(s, body, **kw):
    return s.req("POST", "/session", body=body, key=None, **kw)


def rl_headers(r):
    for h in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        check(h in r.headers and r.headers[h].isdigit(), "%s on %r" % (h, r))


@test("gate: session answer shape with TURN credentials")
def _():
    s = sim("main")
    t0 = time.time()
    r = gate_post(s, {"project_id": "proj_demo", "model": "gpt-4o-realtime-preview-2024-10-01",
                      "voice": "echo", "temperature": 0.7, "instructions": "You are a helpful assistant"})
    eq(r.status, 200)
    rl_headers(r)
    eq(r.headers["x-ratelimit-limit"], "100")
    j = r.json
    check(j["id"].startswith("sess_"))
    eq(j["object"], "realtime.session")
    eq(j["model"], "gpt-4o-realtime-preview-2024-10-01")
    eq(j["modalities"], ["text", "audio"])
    eq((j["voice"], j["temperature"], j["instructions"]), ("echo", 0.7, "You are a helpful assistant"))
    eq((j["input_audio_format"], j["output_audio_format"]), ("pcm16", "pcm16"))
    eq(j["turn_detection"]["type"], "server_vad")
    eq(j["max_response_output_tokens"], "inf")
    check(j["session_id"])
    cs = j["client_secret"]
    check(cs["value"].startswith("eph_"))
    check(isinstance(cs["expires_at"], int))
    check(-1 <= cs["expires_at"] - t0 <= 60.0 / SPEED + 2, "secret ~60 s scaled")
    check(j["expires_at"] > cs["expires_at"])
    ice = j["turn_credentials"]["iceServers"]
    eq(len(ice), 6)
    stun = [x for x in ice if "username" not in x]
    turn = [x for x in ice if "username" in x]
    eq(len(stun), 2)
    eq(len(turn), 4)
    check(all(isinstance(x["urls"], str) and x["urls"].startswith("stun:") for x in stun))
    check(all(x["credential"] for x in turn))
    forms = {type(x["urls"]) for x in turn}
    eq(forms, {str, list}, "mix of string and list urls")
    urls = []
    for x in turn:
        urls += x["urls"] if isinstance(x["urls"], list) else [x["urls"]]
    md = j["metadata"]
    check(md["turn_server"] in urls)
    eq((md["model"], md["voice"]), (j["model"], "echo"))
    check(ISO_RE.match(md["created_at"]))
    d = gate_post(s, {"project_id": "proj_demo"}).json
    eq((d["voice"], d["temperature"], d["instructions"], d["model"]),
       ("echo", 0.7, "You are a helpful assistant", "gpt-4o-realtime-preview-2024-10-01"))
    c = gate_post(s, {"project_id": "proj_demo", "voice": "nova", "temperature": 1,
                      "model": "gpt-4o-mini-realtime-preview-2024-12-17", "instructions": "Be brief"}).json
    eq((c["voice"], c["temperature"], c["instructions"]), ("nova", 1, "Be brief"))


@test("gate: client secret expiry follows --speed")
def _():
    s = sim("main")
    sid = gate_post(s, {"project_id": "proj_growth"}).json["id"]
    v = [x for x in s.get("/_sim/gate", key=None).json["sessions"] if x["id"] == sid][0]
    check(v["secret_valid"] and v["live"])
    time.sleep(60.0 / SPEED + 0.2)
    v = [x for x in s.get("/_sim/gate", key=None).json["sessions"] if x["id"] == sid][0]
    check(not v["secret_valid"], "secret expired")
    check(v["live"], "session still live")


@test("gate: 400 invalid_request / bad_request, 401 unauthorized, headers on errors")
def _():
    s = sim("main")
    for body in ({"project_id": "proj_growth", "voice": "robot"},
                 {"project_id": "proj_growth", "temperature": 1.5},
                 {"project_id": "proj_growth", "temperature": "hot"},
                 {"project_id": "proj_growth", "temperature": True},
                 {"project_id": "proj_growth", "model": "gpt-5-realtime"},
                 {"project_id": "proj_growth", "instructions": 5},
                 {"project_id": "proj_growth", "voice": ["echo"]}):
        rl_headers(expect_status(gate_post(s, body), 400, "invalid_request", gate=True))
    rl_headers(expect_status(s.req("POST", "/session", raw=b"{oops", key=None), 400, "bad_request", gate=True))
    for body in ({}, {"project_id": "proj_nope"}, {"project_id": 7}):
        rl_headers(expect_status(gate_post(s, body), 401, "unauthorized", gate=True))
    rl_headers(expect_status(s.get("/turn-credentials?identifier=proj_nope", key=None), 401,
                             "unauthorized", gate=True))
    rl_headers(expect_status(s.get("/turn-credentials", key=None), 401, "unauthorized", gate=True))
    t = s.get("/turn-credentials?identifier=proj_growth", key=None)
    eq(t.status, 200)
    rl_headers(t)
    eq(len(t.json["iceServers"]), 6)
    rl_headers(expect_status(s.get("/nowhere", key=None), 404, "not_found", gate=True))
    rl_headers(expect_status(s.get("/session", key=None), 405, "method_not_allowed", gate=True))


@test("gate: 402 quota_exceeded with usage and upgrade_url")
def _():
    s = sim("main")
    r = expect_status(gate_post(s, {"project_id": "proj_exhausted"}), 402, "quota_exceeded", gate=True)
    u = r.json["usage"]
    eq((u["plan"], u["sessionsIncluded"], u["sessionsUsed"], u["sessionsRemaining"]), ("free", 100, 100, 0))
    for k in ("estimatedMinutes", "minutesUsed"):
        check(isinstance(u[k], int), k)
    # A float, as both SDKs type it.
    check(isinstance(u["percentUsed"], float), "percentUsed is %r" % u["percentUsed"])
    eq(u["percentUsed"], 100.0)
    eq(r.json["upgrade_url"], "https://www.ai-gate.dev/pricing")
    eq(gate_post(s, {"project_id": "proj_starter"}).status, 200, "999 of 1000")
    eq(gate_post(s, {"project_id": "proj_starter"}).status, 402)


@test("gate: 6th live session on free is 429 concurrent_limit_exceeded")
def _():
    s = sim("main")
    for _ in range(5):
        eq(gate_post(s, {"project_id": "proj_conc"}).status, 200)
    r = expect_status(gate_post(s, {"project_id": "proj_conc"}), 429, "concurrent_limit_exceeded", gate=True)
    eq((r.json["current"], r.json["max"]), (5, 5))
    check(r.json["hint"])


@test("gate: sessions expire with --speed, freeing concurrency")
def _():
    s = sim("fast")
    for _ in range(5):
        eq(gate_post(s, {"project_id": "proj_conc"}).status, 200)
    eq(gate_post(s, {"project_id": "proj_conc"}).status, 429)
    time.sleep(3600.0 / 3600 + 0.2)
    eq(gate_post(s, {"project_id": "proj_conc"}).status, 200)


@test("gate: 100 requests per window per project, then 429 Rate limit exceeded")
def _():
    s = sim("main")
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    rems = []
    for i in range(100):
        conn.request("GET", "/turn-credentials?identifier=proj_rl")
        r = conn.getresponse()
        r.read()
        eq(r.status, 200, "request %d" % i)
        rems.append(int(r.getheader("X-RateLimit-Remaining")))
    conn.close()
    eq(rems[0], 99)
    eq(rems[-1], 0)
    r = s.get("/turn-credentials?identifier=proj_rl", key=None)
    expect_status(r, 429, "Rate limit exceeded", gate=True)
    eq((r.json["limit"], r.json["window"]), (100, "15m"))
    check(re.match(r"^\d{4}-\d\d-\d\dT", r.json["resetAt"]))
    check(r.headers["retry-after"].isdigit())
    eq(r.headers["x-ratelimit-remaining"], "0")
    check(int(r.headers["x-ratelimit-reset"]) >= int(time.time()))
    eq(s.get("/turn-credentials?identifier=proj_growth", key=None).status, 200, "per project")
    m = s.get("/metrics", key=None).json
    check(m["rate_limited_total"] >= 1)


@test("gate: health and metrics")
def _():
    s = sim("main")
    h = s.get("/health", key=None)
    eq(h.status, 200)
    rl_headers(h)
    # The real service answers "healthy" (recorded in the AI Gate repository).
    eq((h.json["status"], h.json["upstream"]), ("healthy", "ok"))
    check(isinstance(h.json["version"], str) and isinstance(h.json["uptime_seconds"], int))
    m = s.get("/metrics", key=None).json
    for k in ("sessions_created", "sessions_active", "requests_total", "rate_limited_total", "uptime_seconds"):
        check(isinstance(m[k], int), k)
    check(m["sessions_created"] >= 5)


# ==========================================================================
# Compatibility flags, --no-manager
# ==========================================================================
@test("compat: --role-assistant, --flat-workspace, --bare-lists")
def _():
    s = sim("compat")
    r = s.post("/api/workspaces", {"client_id": "flat1", "initial_message": "hello"}).json
    check(r["id"].startswith("ws_") and "workspace" not in r, "flat create")
    eq(r["mode"], "ai")
    eq([m["role"] for m in r["messages"]], ["user", "assistant"])
    g = s.get("/api/workspaces/" + r["id"]).json
    eq(g["id"], r["id"])
    # The SDK reads by-client's workspace from "workspace" only: never flat.
    b = s.get("/api/workspaces/by-client/flat1").json
    eq((b["workspace"]["id"], b["exists"]), (r["id"], True))
    check("id" not in b, "by-client is not flattened")
    h = s.get("/api/workspaces/%s/messages" % r["id"]).json
    check(isinstance(h, list))
    eq([m["role"] for m in h], ["user", "assistant"])
    j = s.post("/api/workspaces/%s/messages" % r["id"], {"content": "more"}).json
    eq(j["responses"][0]["role"], "assistant")


@test("compat: --no-client-secret, --refuse-field")
def _():
    s = sim("compat")
    g = gate_post(s, {"project_id": "proj_demo"})
    eq(g.status, 200)
    check("client_secret" not in g.json and g.json["id"].startswith("sess_"), "no secret")
    r = s.post("/v1/chat/completions", chat_body(stream=True, stream_options={"include_usage": True}))
    expect_status(r, 400, "bad_request")
    eq(r.json["detail"], "Unrecognized request argument supplied: stream_options")
    r, raw, complete, datas = stream_chunks(s.port, chat_body(stream=True))
    eq((r.status, complete, datas[-1]), (200, True, "[DONE]"))


@test("--fault on the command line: path and times")
def _():
    s = sim("compat")
    expect_status(s.get("/health", key=None), 500, gate=True)
    eq(s.get("/health", key=None).status, 200)


@test("--no-manager: every manager path is 404 in the normal shape; public calls work")
def _():
    s = sim("nomgr")
    for path in ("/api/manager/workspaces", "/api/manager/events", "/api/manager/drafts"):
        expect_status(s.get(path, key=AGENT), 404, "not_found")
    expect_status(s.agent("POST", "/api/manager/drafts/drf_x/approve", {}), 404, "not_found")
    eq(s.post("/api/workspaces", {"initial_message": "hi"}).status, 200)


# ==========================================================================
# Simulated customers
# ==========================================================================
@test("customers: workspaces appear, customers type, send and get answers")
def _():
    s = sim("customers")
    ev = SSE(s.port, "GET", "/api/manager/events", key=AGENT)
    seen = {}
    typing = []
    deadline = time.time() + 10
    while time.time() < deadline:
        e = ev.next_event(timeout=max(0.1, deadline - time.time()))
        d = json.loads(e["data"])
        seen.setdefault(e["event"], []).append(d)
        if e["event"] == "typing":
            typing.append(d)
        if (seen.get("workspace.created") and len(typing) >= 3 and
                any(m["message"]["role"] == "ai" for m in seen.get("message.created", []))):
            break
    ev.close()
    created = seen.get("workspace.created", [])
    check(created, "no workspace.created")
    w = created[0]["workspace"]
    check(w["client_id"].startswith("cust_"), w["client_id"])
    check({"name", "tier", "order"} <= set(w["context"]), "context")
    check(all(t["who"] == "customer" for t in typing))
    same = [t["text"] for t in typing if t["workspace_id"] == typing[0]["workspace_id"]]
    check(len(same) >= 2 and same[1].startswith(same[0]) and len(same[1]) > len(same[0]), "growing text")
    roles = [m["message"]["role"] for m in seen.get("message.created", [])]
    check("user" in roles and "ai" in roles, roles)
    ws = s.agent("GET", "/api/manager/workspaces").json["workspaces"]
    check(len(ws) >= 1)


# ==========================================================================
# Persistence and shutdown
# ==========================================================================
@test("state persists across a restart; old event ids reset; SIGTERM is quick and clean")
def _():
    s = Sim("--rate-limit", "100000/60", state=True)
    state = s.state
    w = s.post("/api/workspaces", {"client_id": "keep", "initial_message": "remember me"}).json
    wid = w["workspace"]["id"]
    sh = s.post("/api/workspaces", {"metadata": {"mode": "shadow"}, "initial_message": "draft me"}).json
    shid = sh["workspace"]["id"]
    eq(gate_post(s, {"project_id": "proj_demo"}).status, 200)
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    for i in range(1100):
        conn.request("POST", "/api/workspaces/%s/typing" % wid, body=b'{"text":"t"}',
                     headers={"X-API-Key": USER, "Content-Type": "application/json"})
        conn.getresponse().read()
    conn.close()
    time.sleep(1.0)
    check(os.path.exists(state), "state written while running (debounced)")
    with open(state) as f:
        json.load(f)
    last = s.get("/_sim/stats", key=None).json["last_event_id"]
    t = time.time()
    eq(s.stop(), 0, "exit status after SIGTERM")
    check(time.time() - t < 2.0, "quick shutdown")
    s.start()
    try:
        g = s.get("/api/workspaces/" + wid)
        eq(g.status, 200)
        h = s.get("/api/workspaces/%s/messages" % wid).json["messages"]
        eq([m["role"] for m in h], ["user", "ai"])
        eq(h[0]["content"], "remember me")
        eq(s.get("/api/workspaces/by-client/keep").json["workspace"]["id"], wid)
        drafts = s.agent("GET", "/api/manager/drafts?workspace_id=" + shid).json["drafts"]
        eq(len(drafts), 1)
        projects = s.get("/_sim/gate", key=None).json["projects"]
        eq(projects["proj_demo"]["sessions_used"], 1)
        ev = SSE(s.port, "GET", "/api/manager/events", key=AGENT, headers={"Last-Event-ID": str(last)})
        s.post("/api/workspaces/%s/typing" % wid, {"text": "after"})
        e = ev.next_event()
        eq(e["event"], "typing")
        check(e["id"] > last, "ids continue after restart")
        ev.close()
        old = SSE(s.port, "GET", "/api/manager/events", key=AGENT, headers={"Last-Event-ID": "5"})
        e = old.next_event()
        eq(e["event"], "reset", "too old an id")
        check(json.loads(e["data"])["last_event_id"] >= last)
        old.close()
        eq(s.stop(signal.SIGINT), 0, "exit status after SIGINT")
    finally:
        s.stop()


@test("--sync-state: whatever was answered or published survives a SIGKILL at once")
def _():
    s = Sim("--rate-limit", "100000/60", "--sync-state", state=True)
    try:
        ev = SSE(s.port, "GET", "/api/manager/events", key=AGENT)
        w = s.post("/api/workspaces", {"initial_message": "kept", "metadata": {"mode": "takeover"}}).json
        wid = w["workspace"]["id"]
        seen = ev.until(lambda e: e["event"] == "message.created")
        r = s.agent("POST", "/api/manager/workspaces/%s/reply" % wid, {"content": "answered"})
        eq(r.status, 200)
        ev.until(lambda e: e["event"] == "message.created" and "answered" in e["data"])
        last = seen[-1]["id"]
        ev.close()
        # Killed the moment the answer arrived: nothing said is lost.
        s.stop(signal.SIGKILL)
        s.start()
        h = s.get("/api/workspaces/%s/messages" % wid).json["messages"]
        eq([m["content"] for m in h], ["kept", "answered"])
        # The events seen before the kill are still there to resume after.
        again = SSE(s.port, "GET", "/api/manager/events", key=AGENT,
                    headers={"Last-Event-ID": str(last)})
        e = again.next_event()
        eq(e["event"], "message.created", "resumed, not reset")
        check("answered" in e["data"])
        again.close()
        # Without --state the option is refused.
        p = subprocess.run([sys.executable, SIM, "--sync-state"], capture_output=True)
        eq(p.returncode, 2)
        check(b"--sync-state needs --state" in p.stderr)
    finally:
        s.stop()


@test("admin: /_sim/reset clears state and tells subscribers; admin needs no key")
def _():
    s = sim("main")
    wid = s.post("/api/workspaces", {}).json["workspace"]["id"]
    ev = SSE(s.port, "GET", "/api/manager/events", key=AGENT)
    eq(s.post("/_sim/reset", {}, key=None).json, {"ok": True})
    e = ev.next_event()
    eq(e["event"], "reset")
    ev.close()
    eq(s.get("/api/workspaces/" + wid).status, 404)
    eq(s.agent("GET", "/api/manager/workspaces").json["workspaces"], [])
    eq(s.get("/_sim/nothing", key=None).status, 404)


# ==========================================================================
# Throughput
# ==========================================================================
@test("--reply-tokens 1000000 with --speed 0 streams a million tokens quickly")
def _():
    s = sim("bench")
    t = time.time()
    r = Raw(s.port, "POST", "/v1/chat/completions", body={"messages": [{"role": "user", "content": "go"}],
                                                          "stream": True,
                                                          "stream_options": {"include_usage": True}},
            timeout=60)
    n = 0
    last = b""
    while True:
        c = r.next_chunk()          # the simulator writes whole events per chunk
        if c is None:
            break
        n += c.count(b'"delta":{"content":')
        last = c
        r.body = bytearray()
    r.close()
    dt = time.time() - t
    eq(n, 1000000, "content chunks")
    check(b'"completion_tokens":1000000' in last, "usage")
    check(dt < 30, "took %.1fs" % dt)


# ==========================================================================
def main():
    print("1..%d" % len(TESTS))
    sys.stdout.flush()
    passed = failed = 0
    t_all = time.time()
    for i, (name, fn) in enumerate(TESTS, 1):
        t = time.time()
        try:
            fn()
            print("ok %d - %s" % (i, name))
            passed += 1
        except Exception:
            print("not ok %d - %s" % (i, name))
            for line in traceback.format_exc().rstrip().split("\n"):
                print("# " + line)
            failed += 1
        if os.environ.get("AIDESK_SIM_TEST_TIMES"):
            print("# %.2fs" % (time.time() - t))
        sys.stdout.flush()
    for s in Sim.all:
        s.stop()
        shutil.rmtree(s.tmp, ignore_errors=True)
    shutil.rmtree(KEYS_DIR, ignore_errors=True)
    print("# %d passed, %d failed (%.1fs)" % (passed, failed, time.time() - t_all))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
