#!/usr/bin/env python3
"""Tests of the simulator's Realtime WebSocket (sim/aidesksim/realtime.py).

Prints TAP.  Uses test_sim.py's process harness; its own small WebSocket
client (masked frames, as a client must send).  Standard library only.
"""

import base64
import json
import os
import shutil
import socket
import struct
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_sim as T  # noqa: E402

TESTS = []


def test(name):
    def deco(fn):
        TESTS.append((name, fn))
        return fn
    return deco


class WS:
    def __init__(self, port, secret, headers=None, path="/v1/realtime"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1:%d" % port, "Upgrade: websocket",
                 "Connection: Upgrade", "Sec-WebSocket-Key: " + key, "Sec-WebSocket-Version: 13"]
        if secret:
            lines.append("Authorization: Bearer " + secret)
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            d = self.sock.recv(65536)
            if not d:
                break
            self.buf += d
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.status = int(head.split()[1])
        self.body = self.buf

    def _need(self, n):
        while len(self.buf) < n:
            d = self.sock.recv(65536)
            if not d:
                raise EOFError()
            self.buf += d

    def send(self, obj):
        data = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(data)
        head = struct.pack(">BB", 0x81, 0x80 | n) if n < 126 else (
            struct.pack(">BBH", 0x81, 0x80 | 126, n) if n < 65536 else
            struct.pack(">BBQ", 0x81, 0x80 | 127, n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i & 3] for i, b in enumerate(data)))

    def recv(self):
        self._need(2)
        op, ln = self.buf[0] & 0x0F, self.buf[1] & 0x7F
        T.check(not self.buf[1] & 0x80, "server frames are unmasked")
        at = 2
        if ln == 126:
            self._need(4)
            ln, at = struct.unpack(">H", self.buf[2:4])[0], 4
        elif ln == 127:
            self._need(10)
            ln, at = struct.unpack(">Q", self.buf[2:10])[0], 10
        self._need(at + ln)
        data, self.buf = self.buf[at:at + ln], self.buf[at + ln:]
        if op == 0x8:
            raise EOFError("closed")
        return json.loads(data.decode())

    def until(self, kind):
        evs = []
        while True:
            ev = self.recv()
            evs.append(ev)
            if ev["type"] == kind:
                return evs

    def close(self):
        self.sock.close()


def session(s, **kw):
    body = {"project_id": "proj_demo"}
    body.update(kw)
    r = s.post("/session", body, key=None)
    T.eq(r.status, 200, "session %r" % r)
    return r.json


def text_turn(ws, text):
    ws.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
    ws.send({"type": "response.create"})
    return ws.until("response.done")


@test("realtime: a text turn streams transcript and audio deltas, usage at the end (GA names)")
def _():
    s = T.sim("main")
    sess = session(s, voice="nova", instructions="Be brief. Speak slowly.")
    ws = WS(s.port, sess["client_secret"]["value"], path="/v1/realtime?model=" + sess["model"])
    T.eq(ws.status, 101)
    first = ws.recv()
    T.eq(first["type"], "session.created")
    T.eq(first["session"]["voice"], "nova")
    T.eq(first["session"]["instructions"], "Be brief. Speak slowly.")
    evs = text_turn(ws, "where is my parcel")
    kinds = [e["type"] for e in evs]
    T.check("conversation.item.added" in kinds, kinds)
    T.check("rate_limits.updated" in kinds, kinds)
    tr = "".join(e["delta"] for e in evs if e["type"] == "response.output_audio_transcript.delta")
    T.check("where is my parcel" in tr and "Be brief" in tr, tr)
    pcm = b"".join(base64.b64decode(e["delta"]) for e in evs
                   if e["type"] == "response.output_audio.delta")
    T.check(len(pcm) > 0 and len(pcm) % 2 == 0, len(pcm))
    done = evs[-1]["response"]
    T.eq(done["status"], "completed")
    T.check(done["usage"]["output_tokens"] > 0, done["usage"])
    T.eq(done["usage"]["total_tokens"], done["usage"]["input_tokens"] + done["usage"]["output_tokens"])
    # The same turn again gives the same words: deterministic.
    evs2 = text_turn(ws, "where is my parcel")
    tr2 = "".join(e["delta"] for e in evs2 if e["type"] == "response.output_audio_transcript.delta")
    T.eq(tr2, tr)
    ws.close()


@test("realtime: beta names, text-only responses, the voice sets the tone")
def _():
    s = T.sim("main")
    sess = session(s, voice="onyx")
    ws = WS(s.port, sess["client_secret"]["value"], headers={"OpenAI-Beta": "realtime=v1"})
    T.eq(ws.status, 101)
    T.eq(ws.recv()["type"], "session.created")
    evs = text_turn(ws, "hello")
    kinds = [e["type"] for e in evs]
    T.check("conversation.item.created" in kinds and "response.audio.delta" in kinds
            and "response.audio_transcript.delta" in kinds, kinds)
    onyx = b"".join(base64.b64decode(e["delta"]) for e in evs if e["type"] == "response.audio.delta")
    ws.send({"type": "session.update", "session": {"modalities": ["text"], "voice": "shimmer"}})
    T.eq(ws.until("session.updated")[-1]["session"]["voice"], "shimmer")
    evs = text_turn(ws, "hello")
    kinds = [e["type"] for e in evs]
    T.check("response.text.delta" in kinds and "response.audio.delta" not in kinds, kinds)
    ws.send({"type": "response.create", "response": {"modalities": ["text", "audio"]}})
    shim = b"".join(base64.b64decode(e["delta"]) for e in ws.until("response.done")
                    if e["type"] == "response.audio.delta")
    T.check(shim and onyx and shim[:4800] != onyx[:4800], "different voices, different tones")
    ws.close()


@test("realtime: audio in (append, commit) is a user turn")
def _():
    s = T.sim("main")
    sess = session(s)
    ws = WS(s.port, sess["client_secret"]["value"])
    ws.recv()
    ws.send({"type": "input_audio_buffer.append", "audio": base64.b64encode(b"\0\0" * 240).decode()})
    ws.send({"type": "input_audio_buffer.commit"})
    err = ws.until("error")[-1]
    T.eq(err["error"]["code"], "input_audio_buffer_commit_empty")
    for _ in range(3):
        ws.send({"type": "input_audio_buffer.append",
                 "audio": base64.b64encode(b"\1\0" * 12000).decode()})
    ws.send({"type": "input_audio_buffer.commit"})
    T.check(ws.until("input_audio_buffer.committed")[-1]["item_id"])
    ws.send({"type": "response.create"})
    evs = ws.until("response.done")
    tr = "".join(e["delta"] for e in evs if e["type"] == "response.output_audio_transcript.delta")
    T.check("1510 ms of audio" in tr, tr)  # the 10 ms refused before stay
    T.check(evs[-1]["response"]["usage"]["input_token_details"]["audio_tokens"] >= 15)
    ws.close()


@test("realtime: the handshake refuses unknown, expired and missing secrets and other models")
def _():
    s = T.sim("main")
    ws = WS(s.port, "eph_not_minted")
    T.eq(ws.status, 401)
    T.eq(json.loads(ws.body)["error"]["code"], "invalid_api_key")
    ws = WS(s.port, None)
    T.eq(ws.status, 401)
    sess = session(s)
    ws = WS(s.port, sess["client_secret"]["value"], path="/v1/realtime?model=gpt-x")
    T.eq(ws.status, 400)
    # A simulator whose client secrets expire in 60 ms (60 s at --speed 1000).
    fast = T.Sim(keys=T.KEYS, speed=1000)
    sess = session(fast)
    time.sleep(0.3)
    ws = WS(fast.port, sess["client_secret"]["value"])
    T.eq(ws.status, 401)
    T.eq(json.loads(ws.body)["error"]["code"], "client_secret_expired")


@test("realtime: faults - error event, rate-limit event, dropped connection, slow first delta")
def _():
    s = T.sim("main")
    sess = session(s)
    sec = sess["client_secret"]["value"]
    ws = WS(s.port, sec, headers={"X-Sim-Fault": "status=500"})
    ws.recv()
    ws.send({"type": "response.create"})
    err = ws.until("error")[-1]["error"]
    T.eq(err["type"], "server_error")
    ws = WS(s.port, sec, headers={"X-Sim-Fault": "status=429;retry_after=7"})
    ws.recv()
    ws.send({"type": "response.create"})
    evs = ws.until("error")
    rl = [e for e in evs if e["type"] == "rate_limits.updated"][0]
    T.eq(rl["rate_limits"][0]["remaining"], 0)
    T.check("7 s" in evs[-1]["error"]["message"])
    ws = WS(s.port, sec, headers={"X-Sim-Fault": "drop_after=4"})
    ws.recv()
    ws.send({"type": "response.create"})
    got = []
    try:
        while True:
            got.append(ws.recv())
    except (EOFError, OSError):
        pass
    T.eq(len([e for e in got if e["type"] != "rate_limits.updated"]), 4)
    ws = WS(s.port, sec, headers={"X-Sim-Fault": "latency=400"})
    ws.recv()
    t0 = time.monotonic()
    ws.send({"type": "response.create"})
    while ws.recv()["type"] != "response.output_audio_transcript.delta":
        pass
    T.check(time.monotonic() - t0 >= 0.4, "slow first delta")


def main():
    print("1..%d" % len(TESTS))
    sys.stdout.flush()
    failed = 0
    for i, (name, fn) in enumerate(TESTS, 1):
        try:
            fn()
            print("ok %d - %s" % (i, name))
        except Exception:
            print("not ok %d - %s" % (i, name))
            for line in traceback.format_exc().rstrip().split("\n"):
                print("# " + line)
            failed += 1
        sys.stdout.flush()
    for s in T.Sim.all:
        s.stop()
        shutil.rmtree(s.tmp, ignore_errors=True)
    shutil.rmtree(T.KEYS_DIR, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
