"""The OpenAI Realtime API over WebSocket, for the sessions AI Gate minted.

GET /v1/realtime with `Upgrade: websocket` and `Authorization: Bearer
<client_secret>`: the secret must be one this simulator minted, still valid
(its expiry is checked when connecting, as the real service does), and its
session alive; `?model=` when given must be the session's model.  A refused
handshake is an HTTP error with an OpenAI-style JSON body.

Both protocol generations: with `OpenAI-Beta: realtime=v1` the beta event
names (response.text.delta, response.audio.delta,
response.audio_transcript.delta, conversation.item.created), otherwise the
GA ones (response.output_text.delta, response.output_audio.delta,
response.output_audio_transcript.delta, conversation.item.added).

Replies are deterministic: the text depends on the session's instructions
and the user's turn; the audio (PCM16, 24 kHz, mono) is a tone whose pitch
depends on the voice, 60 ms a word.  Faults (X-Sim-Fault or global faults
with path=/v1/realtime) act on every response of the connection:
status=429 a rate_limits.updated with nothing remaining and an error event;
status=5xx an error event instead of the response; drop_after=N the TCP
connection closes after N events of a response; latency=MS the first delta
comes MS later.
"""

import base64
import hashlib
import json
import math
import socket
import struct
import threading
import time
from urllib.parse import parse_qsl

from .util import dumps

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 16 * 1024 * 1024
RATE = 24000
MS_PER_WORD = 60
PITCH = {"alloy": 220.0, "echo": 247.0, "fable": 262.0, "onyx": 196.0, "nova": 294.0,
         "shimmer": 330.0}
_OPENERS = ("Of course.", "Certainly.", "Happy to help.", "Sure thing.", "Good question.")
_MIDDLES = ("Here is what I can tell you.", "Let me walk you through it.",
            "That usually takes a moment.", "I have noted that for you.",
            "Nothing else is needed on your side.")


class Closed(Exception):
    pass


def wants_websocket(handler):
    up = (handler.headers.get("Upgrade") or "").lower()
    return handler.path.partition("?")[0] == "/v1/realtime" and "websocket" in up


def reply_text(instructions, user_text):
    """A short spoken reply: its words follow from the instructions and the turn."""
    h = hashlib.sha256(("%s\0%s" % (instructions, user_text)).encode()).digest()
    said = " ".join(user_text.split()[:8]) or "nothing"
    style = (instructions or "").strip().split(".")[0][:60]
    return "%s You said: %s. %s (%s)" % (_OPENERS[h[0] % len(_OPENERS)], said,
                                         _MIDDLES[h[1] % len(_MIDDLES)], style)


def tone(voice, ms):
    """PCM16 little-endian samples of the voice's tone, with a short fade."""
    f = PITCH.get(voice, 240.0)
    n = RATE * ms // 1000
    out = bytearray()
    for i in range(n):
        fade = min(1.0, i / 240.0, (n - i) / 240.0)
        out += struct.pack("<h", int(8000 * fade * math.sin(2 * math.pi * f * i / RATE)))
    return bytes(out)


def _error_answer(handler, status, code, message):
    body = json.dumps({"error": {"type": "invalid_request_error", "code": code,
                                 "message": message, "param": None}}).encode()
    handler.wfile.write(("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                         "Content-Length: %d\r\nConnection: close\r\n\r\n"
                         % (status, handler.responses.get(status, ("",))[0], len(body))).encode()
                        + body)
    handler.close_connection = True


class Conn:
    """One WebSocket connection to one session."""

    def __init__(self, app, handler, sess, beta, fault):
        self.app = app
        self.h = handler
        self.sess = sess
        self.beta = beta
        self.fault = fault
        self.lock = threading.Lock()
        self.items = []
        self.audio_in = bytearray()
        self.instructions = sess.get("instructions", "")
        self.voice = sess.get("voice", "alloy")
        self.modalities = ["text", "audio"]
        self.sent_in_response = 0

    # -- frames ---------------------------------------------------------------
    def _read_exact(self, n):
        data = self.h.rfile.read(n)
        if data is None or len(data) < n:
            raise Closed()
        return data

    def read_frame(self):
        b0, b1 = self._read_exact(2)
        op, fin, masked, ln = b0 & 0x0F, b0 & 0x80, b1 & 0x80, b1 & 0x7F
        if b0 & 0x70 or not masked:
            self.close(1002, "protocol error")
            raise Closed()
        if ln == 126:
            ln = struct.unpack(">H", self._read_exact(2))[0]
        elif ln == 127:
            ln = struct.unpack(">Q", self._read_exact(8))[0]
        if ln > MAX_MESSAGE:
            self.close(1009, "message too big")
            raise Closed()
        key = self._read_exact(4)
        data = bytearray(self._read_exact(ln))
        for i in range(ln):
            data[i] ^= key[i & 3]
        return op, bool(fin), bytes(data)

    def write_frame(self, op, payload):
        n = len(payload)
        if n < 126:
            head = struct.pack(">BB", 0x80 | op, n)
        elif n < 65536:
            head = struct.pack(">BBH", 0x80 | op, 126, n)
        else:
            head = struct.pack(">BBQ", 0x80 | op, 127, n)
        with self.lock:
            self.h.wfile.write(head + payload)
            self.h.wfile.flush()

    def close(self, code, reason=""):
        try:
            self.write_frame(0x8, struct.pack(">H", code) + reason.encode()[:120])
        except OSError:
            pass

    def drop(self):
        try:
            self.h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raise Closed()

    def send(self, ev, counted=False):
        ev.setdefault("event_id", "event_" + self.app.ids.new("", 20))
        if counted:
            drop = self.fault.get("drop_after") if self.fault is not None else None
            if drop is not None and self.sent_in_response >= drop:
                self.drop()
            self.sent_in_response += 1
        self.write_frame(0x1, dumps(ev).encode("utf-8"))

    def messages(self):
        """Whole messages from the client; pings answered, close echoed."""
        buf, op0 = b"", None
        while True:
            op, fin, data = self.read_frame()
            if op == 0x8:
                self.write_frame(0x8, data[:2])
                raise Closed()
            if op == 0x9:
                self.write_frame(0xA, data)
                continue
            if op == 0xA:
                continue
            if op != 0:
                op0, buf = op, b""
            buf += data
            if len(buf) > MAX_MESSAGE:
                self.close(1009, "message too big")
                raise Closed()
            if fin:
                yield op0, buf
                buf = b""

    # -- the protocol ------------------------------------------------------------
    def name(self, ga, beta):
        return beta if self.beta else ga

    def session_obj(self):
        o = {"id": self.sess["id"], "object": "realtime.session", "model": self.sess.get("model"),
             "instructions": self.instructions, "voice": self.voice,
             "input_audio_format": "pcm16", "output_audio_format": "pcm16"}
        if self.beta:
            o["modalities"] = list(self.modalities)
        else:
            o["type"] = "realtime"
            o["output_modalities"] = list(self.modalities)
        return o

    def error(self, code, message, kind="invalid_request_error", event_id=None):
        self.send({"type": "error", "error": {"type": kind, "code": code, "message": message,
                                              "param": None, "event_id": event_id}})

    def run(self):
        self.send({"type": "session.created", "session": self.session_obj()})
        for op, data in self.messages():
            if op != 0x1:
                self.error("invalid_message", "Messages must be JSON text.")
                continue
            try:
                ev = json.loads(data.decode("utf-8"))
                kind = ev["type"]
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                self.error("invalid_json", "The message is not a JSON event with a type.")
                continue
            fn = {"session.update": self.on_session_update,
                  "conversation.item.create": self.on_item_create,
                  "input_audio_buffer.append": self.on_append,
                  "input_audio_buffer.commit": self.on_commit,
                  "input_audio_buffer.clear": self.on_clear,
                  "response.create": self.on_response}.get(kind)
            if fn is None:
                self.error("unknown_event", "Unknown event type '%s'." % str(kind)[:64],
                           event_id=ev.get("event_id"))
                continue
            fn(ev)

    def on_session_update(self, ev):
        s = ev.get("session") or {}
        if isinstance(s.get("instructions"), str):
            self.instructions = s["instructions"]
        v = s.get("voice") or ((s.get("audio") or {}).get("output") or {}).get("voice")
        if isinstance(v, str):
            self.voice = v
        m = s.get("output_modalities") or s.get("modalities")
        if isinstance(m, list) and m:
            self.modalities = [x for x in m if x in ("text", "audio")] or ["text"]
        self.send({"type": "session.updated", "session": self.session_obj()})

    def _add_item(self, item):
        prev = self.items[-1]["id"] if self.items else None
        self.items.append(item)
        self.send({"type": self.name("conversation.item.added", "conversation.item.created"),
                   "previous_item_id": prev, "item": item})
        if not self.beta:
            self.send({"type": "conversation.item.done", "previous_item_id": prev, "item": item})

    def on_item_create(self, ev):
        item = ev.get("item") or {}
        text = ""
        for c in item.get("content") or []:
            if isinstance(c, dict) and isinstance(c.get("text"), str):
                text += c["text"]
        if item.get("type") != "message" or item.get("role") != "user" or not text:
            self.error("invalid_value", "Only user messages with text are supported here.",
                       event_id=ev.get("event_id"))
            return
        self._add_item({"id": "item_" + self.app.ids.new("", 20), "object": "realtime.item",
                        "type": "message", "role": "user", "status": "completed",
                        "content": [{"type": "input_text", "text": text}], "_text": text})

    def on_append(self, ev):
        try:
            pcm = base64.b64decode(ev.get("audio") or "", validate=True)
        except ValueError:
            self.error("invalid_value", "The audio is not base64.", event_id=ev.get("event_id"))
            return
        self.audio_in += pcm

    def on_clear(self, ev):
        self.audio_in = bytearray()
        self.send({"type": "input_audio_buffer.cleared"})

    def on_commit(self, ev):
        if len(self.audio_in) < RATE * 2 // 10:
            self.error("input_audio_buffer_commit_empty",
                       "Error committing input audio buffer: buffer too small. Expected at "
                       "least 100ms of audio, but buffer only has %.2fms of audio."
                       % (len(self.audio_in) / 48.0), event_id=ev.get("event_id"))
            return
        ms = len(self.audio_in) // 48
        iid = "item_" + self.app.ids.new("", 20)
        prev = self.items[-1]["id"] if self.items else None
        self.send({"type": "input_audio_buffer.committed", "previous_item_id": prev, "item_id": iid})
        self.audio_in = bytearray()
        self._add_item({"id": iid, "object": "realtime.item", "type": "message", "role": "user",
                        "status": "completed", "content": [{"type": "input_audio", "transcript": None}],
                        "_text": "%d ms of audio" % ms, "_audio_ms": ms})

    def _rate_limits(self, remaining):
        self.send({"type": "rate_limits.updated", "rate_limits": [
            {"name": "requests", "limit": 5000, "remaining": remaining, "reset_seconds": 1.5},
            {"name": "tokens", "limit": 40000, "remaining": remaining * 8, "reset_seconds": 4.2}]})

    def on_response(self, ev):
        arrived_ns = time.monotonic_ns()
        r = ev.get("response") or {}
        f = self.fault
        st = f.status if f is not None else None
        if st == 429:
            self._rate_limits(0)
            self.error("rate_limit_exceeded", "Simulated rate limit (fault injection): try again "
                       "in %d s." % f.get("retry_after", 1), kind="rate_limit_error",
                       event_id=ev.get("event_id"))
            return
        if st:
            self.error("server_error", "Simulated %d failure (fault injection)." % st,
                       kind="server_error", event_id=ev.get("event_id"))
            return
        mods = r.get("output_modalities") or r.get("modalities") or self.modalities
        audio = "audio" in mods
        instructions = r.get("instructions") if isinstance(r.get("instructions"), str) else self.instructions
        user = next((it for it in reversed(self.items) if it["role"] == "user"), None)
        text = reply_text(instructions, user["_text"] if user else "")
        words = text.split(" ")
        rid = "resp_" + self.app.ids.new("", 20)
        iid = "item_" + self.app.ids.new("", 20)
        self.sent_in_response = 0
        resp = {"id": rid, "object": "realtime.response", "status": "in_progress", "output": [],
                "usage": None}
        self.send({"type": "response.created", "response": resp}, True)
        self._rate_limits(4999)
        item = {"id": iid, "object": "realtime.item", "type": "message", "role": "assistant",
                "status": "in_progress", "content": []}
        self.send({"type": "response.output_item.added", "response_id": rid, "output_index": 0,
                   "item": item}, True)
        part = {"type": "audio", "transcript": ""} if audio else {"type": "text", "text": ""}
        self.send({"type": "response.content_part.added", "response_id": rid, "item_id": iid,
                   "output_index": 0, "content_index": 0, "part": part}, True)
        lat = f.latency_ms if f is not None else 0
        time.sleep(self.app.clock.wait_scale(0.15) + lat / 1000.0)
        base = {"response_id": rid, "item_id": iid, "output_index": 0, "content_index": 0}
        t_delta = self.name("response.output_audio_transcript.delta", "response.audio_transcript.delta") \
            if audio else self.name("response.output_text.delta", "response.text.delta")
        a_delta = self.name("response.output_audio.delta", "response.audio.delta")
        audio_ms = 0
        for i, w in enumerate(words):
            piece = w if i == 0 else " " + w
            self.send(dict(base, type=t_delta, delta=piece), True)
            if audio:
                pcm = tone(self.voice, MS_PER_WORD)
                if not audio_ms:
                    # When the first audio left, for /_sim/stats (bench/call.c
                    # measures the client's share of time to first audio).
                    self.app.stats.first_token(rid, arrived_ns, time.monotonic_ns())
                audio_ms += MS_PER_WORD
                self.send(dict(base, type=a_delta, delta=base64.b64encode(pcm).decode()), True)
            time.sleep(self.app.clock.wait_scale(0.01))
        if audio:
            self.send(dict(base, type=self.name("response.output_audio.done", "response.audio.done")), True)
            self.send(dict(base, type=self.name("response.output_audio_transcript.done",
                                                "response.audio_transcript.done"), transcript=text), True)
        else:
            self.send(dict(base, type=self.name("response.output_text.done", "response.text.done"),
                           text=text), True)
        part = {"type": "audio", "transcript": text} if audio else {"type": "text", "text": text}
        self.send(dict(base, type="response.content_part.done", part=part), True)
        item = dict(item, status="completed", content=[part])
        self.send({"type": "response.output_item.done", "response_id": rid, "output_index": 0,
                   "item": item}, True)
        self.items.append(dict(item, _text=text))
        in_text = sum(len(it["_text"].split()) for it in self.items if it["role"] == "user") + \
            len(instructions.split())
        in_audio = sum(it.get("_audio_ms", 0) for it in self.items) // 100
        out_text = len(words)
        out_audio = audio_ms // 50
        usage = {"total_tokens": in_text + in_audio + out_text + out_audio,
                 "input_tokens": in_text + in_audio, "output_tokens": out_text + out_audio,
                 "input_token_details": {"text_tokens": in_text, "audio_tokens": in_audio,
                                         "cached_tokens": 0},
                 "output_token_details": {"text_tokens": out_text, "audio_tokens": out_audio}}
        done = dict(resp, status="completed", output=[item], usage=usage)
        self.send({"type": "response.done", "response": done}, True)


def serve(app, handler):
    """Handles one upgrade request on handler's connection, to its end."""
    gate = app.gate
    path, _, qs = handler.path.partition("?")
    query = dict(parse_qsl(qs))
    key = handler.headers.get("Sec-WebSocket-Key")
    if handler.headers.get("Sec-WebSocket-Version") != "13" or not key:
        _error_answer(handler, 400, "bad_handshake", "Not a WebSocket version 13 handshake.")
        return 400
    auth = handler.headers.get("Authorization") or ""
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    now = time.monotonic()
    with gate.lock:
        sess = next((s for s in gate.sessions if s["secret"] == token), None) if token else None
        sess = dict(sess) if sess else None
    if sess is None:
        _error_answer(handler, 401, "invalid_api_key",
                      "Incorrect API key provided: the client secret is not one AI Gate minted.")
        return 401
    if sess["secret_expires"] <= now:
        _error_answer(handler, 401, "client_secret_expired",
                      "The client secret has expired: create a new session.")
        return 401
    if sess["expires"] <= now:
        _error_answer(handler, 401, "session_expired", "The session has expired.")
        return 401
    model = query.get("model")
    if model and sess.get("model") and model != sess["model"]:
        _error_answer(handler, 400, "model_mismatch",
                      "The model '%s' is not this session's model (%s)." % (model, sess["model"]))
        return 400
    fault = None
    try:
        fault = app.faults.select(handler.headers.get("X-Sim-Fault"), "/v1/realtime")
    except ValueError as e:
        _error_answer(handler, 400, "bad_request", "Invalid X-Sim-Fault: %s." % e)
        return 400
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    handler.wfile.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
    handler.wfile.flush()
    beta = "realtime=v1" in (handler.headers.get("OpenAI-Beta") or "")
    conn = Conn(app, handler, sess, beta, fault)
    try:
        conn.run()
    except (Closed, OSError, StopIteration):
        pass
    handler.close_connection = True
    return 101
