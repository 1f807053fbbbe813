#!/usr/bin/env python3
"""bench/peerserver.py: the one local server of bench/run peers.

An OpenAI-compatible server on loopback that aidesk and the other terminal
clients all talk to, so that they get the same reply at the same pace.
The model name chooses the workload:

    bench-n20000-r0    20,000 tokens as fast as the server can write them
    bench-n3000-r200   3,000 tokens at 200 tokens/s
    anything else      20 tokens at full speed

Tokens are "w0 w1 w2 ...", a newline after every 20th, so a screen shows
when the last one ("w19999") has arrived. max_tokens is ignored: every
client gets the whole reply. Requests that only want a title (what some
clients ask for beside the chat) get 5 tokens "t0 ..." at once.

    GET  /v1/models
    POST /v1/chat/completions   streamed (one event per token; with
                                stream_options.include_usage, usage) or not
    POST /v1/responses          the Responses API (Codex speaks only that),
                                streamed or not
    anything else               404 (aidesk's console then does without its
                                manager API)

    peerserver.py [--port N] [--port-file FILE] [--log FILE]

--log gets one line per request: "T KIND MODEL TOKENS" with T the wall
clock (for "Enter to request" timings). Standard library only.
"""
import argparse
import json
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TITLE_RE = re.compile(r"(?i)title generator|generate a (short |concise )?title|task title")
FULL_SPEED_CHUNK = 64 * 1024
LOG = None
LOG_LOCK = threading.Lock()


def workload(model):
    """(tokens, rate) the model name asks for; rate 0: full speed."""
    m = re.fullmatch(r"bench-n(\d+)-r(\d+(?:\.\d+)?)", model or "")
    if not m:
        return 20, 0.0
    return int(m.group(1)), float(m.group(2))


def token(i, prefix="w"):
    return "%s%d%s" % (prefix, i, "\n" if (i + 1) % 20 == 0 else " ")


def text_of(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def wants_title(body):
    """Whether the request's instructions ask for a title, not a chat reply."""
    texts = [text_of(body.get("instructions"))]
    for m in body.get("messages") or []:
        if isinstance(m, dict) and m.get("role") in ("system", "developer"):
            texts.append(text_of(m.get("content")))
    items = body.get("input")
    if isinstance(items, list):
        for m in items:
            if isinstance(m, dict) and m.get("role") in ("system", "developer"):
                texts.append(text_of(m.get("content")))
    return bool(TITLE_RE.search("\n".join(texts)))


def log(kind, model, n):
    if LOG is None:
        return
    with LOG_LOCK:
        LOG.write("%.6f %s %s %d\n" % (time.time(), kind, model, n))
        LOG.flush()


class Paced:
    """Yields the token indices that are due, sleeping until they are."""

    def __init__(self, n, rate):
        self.n, self.rate = n, rate

    def batches(self):
        if self.rate <= 0:
            yield range(self.n)
            return
        t0 = time.monotonic()
        i = 0
        while i < self.n:
            due = t0 + i / self.rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
                now = time.monotonic()
            j = min(self.n, max(i + 1, int((now - t0) * self.rate) + 1))
            yield range(i, j)
            i = j


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aidesk-peerserver"

    def log_message(self, fmt, *args):
        pass

    # ------------------------------------------------------------ plumbing
    def body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def chunk(self, data):
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def stream_tokens(self, n, rate, event_of):
        """Writes event_of(i) for every token: at full speed in large chunks,
        paced one chunk per batch of due tokens."""
        if rate <= 0:
            pending, size = [], 0
            for i in range(n):
                e = event_of(i)
                pending.append(e)
                size += len(e)
                if size >= FULL_SPEED_CHUNK:
                    self.chunk(b"".join(pending))
                    pending, size = [], 0
            self.chunk(b"".join(pending))
            return
        for due in Paced(n, rate).batches():
            self.chunk(b"".join(event_of(i) for i in due))
            self.wfile.flush()

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # ------------------------------------------------------------- routes
    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path in ("/v1/models", "/models"):
            names = ["bench-n20000-r0", "bench-n3000-r200", "bench-n20"]
            return self.answer(200, {"object": "list", "data": [
                {"id": n, "object": "model", "created": 0, "owned_by": "bench"} for n in names]})
        return self.answer(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self):
        raw = self.body()
        path = self.path.split("?")[0].rstrip("/")
        try:
            req = json.loads(raw or b"{}")
        except ValueError:
            return self.answer(400, {"error": {"message": "not JSON", "type": "invalid_request_error"}})
        model = str(req.get("model") or "")
        n, rate = workload(model)
        prefix = "w"
        if wants_title(req):
            n, rate, prefix = 5, 0.0, "t"
        try:
            if path in ("/v1/chat/completions", "/chat/completions"):
                log("chat" if prefix == "w" else "chat-title", model, n)
                return self.chat(req, model, n, rate, prefix)
            if path in ("/v1/responses", "/responses"):
                log("responses" if prefix == "w" else "responses-title", model, n)
                return self.responses_api(req, model, n, rate, prefix)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return None
        return self.answer(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def chat(self, req, model, n, rate, prefix):
        cid = "chatcmpl-bench%d" % threading.get_ident()
        created = int(time.time())
        usage = {"prompt_tokens": 8, "completion_tokens": n, "total_tokens": n + 8}
        if not req.get("stream"):
            text = "".join(token(i, prefix) for i in range(n))
            return self.answer(200, {
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}], "usage": usage})
        envelope = ('{"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s,'
                    '"choices":[{"index":0,"delta":' % (cid, created, json.dumps(model)))

        def event(delta, finish="null"):
            return ("data: %s%s,\"finish_reason\":%s}]}\n\n" % (envelope, delta, finish)).encode()

        self.start_stream()
        self.chunk(event('{"role":"assistant","content":""}'))
        self.wfile.flush()
        self.stream_tokens(n, rate, lambda i: event('{"content":%s}' % json.dumps(token(i, prefix))))
        tail = event("{}", '"stop"')
        if (req.get("stream_options") or {}).get("include_usage"):
            tail += ('data: {"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s,'
                     '"choices":[],"usage":%s}\n\n' % (cid, created, json.dumps(model),
                                                      json.dumps(usage))).encode()
        self.chunk(tail + b"data: [DONE]\n\n")
        self.end_stream()
        return None

    def responses_api(self, req, model, n, rate, prefix):
        rid = "resp_bench%d" % threading.get_ident()
        mid = "msg_bench%d" % threading.get_ident()
        created = int(time.time())
        text = "".join(token(i, prefix) for i in range(n))
        usage = {"input_tokens": 8, "input_tokens_details": {"cached_tokens": 0},
                 "output_tokens": n, "output_tokens_details": {"reasoning_tokens": 0},
                 "total_tokens": n + 8}
        done_item = {"type": "message", "id": mid, "status": "completed", "role": "assistant",
                     "content": [{"type": "output_text", "text": text, "annotations": []}]}

        def response(status, output):
            return {"id": rid, "object": "response", "created_at": created, "status": status,
                    "model": model, "output": output, "error": None, "incomplete_details": None,
                    "usage": usage if status == "completed" else None}

        if not req.get("stream"):
            return self.answer(200, response("completed", [done_item]))
        seq = [0]

        def event(obj):
            obj["sequence_number"] = seq[0]
            seq[0] += 1
            return ("event: %s\ndata: %s\n\n" % (obj["type"], json.dumps(obj))).encode()

        self.start_stream()
        self.chunk(event({"type": "response.created", "response": response("in_progress", [])}) +
                   event({"type": "response.in_progress", "response": response("in_progress", [])}) +
                   event({"type": "response.output_item.added", "output_index": 0,
                          "item": {"type": "message", "id": mid, "status": "in_progress",
                                   "role": "assistant", "content": []}}) +
                   event({"type": "response.content_part.added", "item_id": mid,
                          "output_index": 0, "content_index": 0,
                          "part": {"type": "output_text", "text": "", "annotations": []}}))
        self.wfile.flush()
        self.stream_tokens(n, rate, lambda i: event({
            "type": "response.output_text.delta", "item_id": mid, "output_index": 0,
            "content_index": 0, "delta": token(i, prefix), "logprobs": []}))
        self.chunk(event({"type": "response.output_text.done", "item_id": mid, "output_index": 0,
                          "content_index": 0, "text": text, "logprobs": []}) +
                   event({"type": "response.content_part.done", "item_id": mid,
                          "output_index": 0, "content_index": 0,
                          "part": done_item["content"][0]}) +
                   event({"type": "response.output_item.done", "output_index": 0,
                          "item": done_item}) +
                   event({"type": "response.completed", "response": response("completed", [done_item])}))
        self.end_stream()
        return None


def main():
    global LOG
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="0: a free one")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--log", help="one line per request")
    a = ap.parse_args()
    if a.log:
        LOG = open(a.log, "a", encoding="utf-8")
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % srv.server_address[1])
        os.replace(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
