#!/usr/bin/env python3
"""The simulator as an OpenAI-compatible server: replays the requests of
OpenAI's client libraries (openai/*.json, see openai/README.md) and checks
that every answer has the shape those libraries read.  Prints TAP."""

import glob
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wirelib import Sim, check, eq, run_tests, test  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openai")
KEY = "aai_demo_user"
FINISH = ("stop", "length", "tool_calls", "content_filter", "function_call")
ROLES = ("developer", "system", "user", "assistant", "tool")
SIMS = []


def sim():
    if not SIMS:
        SIMS.append(Sim())
    return SIMS[0]


def send(req):
    h = {k: v for k, v in req["headers"].items() if k.lower() not in ("host", "content-length")}
    h["authorization"] = "Bearer " + KEY
    body = json.dumps(req["body"]).encode() if req["body"] is not None else None
    conn = http.client.HTTPConnection("127.0.0.1", sim().port, timeout=30)
    try:
        conn.request(req["method"], req["path"], body=body, headers=h)
        r = conn.getresponse()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
    finally:
        conn.close()


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def opt_str(o, key, where):
    check(key in o and (o[key] is None or isinstance(o[key], str)),
          "%s.%s: a string or null, got %r" % (where, key, o.get(key)))


def usage_ok(u, where):
    for k in ("prompt_tokens", "completion_tokens", "total_tokens"):
        check(is_int(u.get(k)) and u[k] >= 0, "%s.%s: %r" % (where, k, u.get(k)))
    eq(u["total_tokens"], u["prompt_tokens"] + u["completion_tokens"], where + " total")


def envelope(o, obj, where):
    check(isinstance(o.get("id"), str) and o["id"], where + ".id")
    eq(o.get("object"), obj, where + ".object")
    check(is_int(o.get("created")), where + ".created")
    check(isinstance(o.get("model"), str) and o["model"], where + ".model")
    check(isinstance(o.get("choices"), list), where + ".choices")


def schema_ok(value, schema, where):
    """What a typed parse of the content checks: its JSON fits the schema
    (types, required properties, no others when additionalProperties is
    false)."""
    t = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool}
    if t == "integer":
        check(is_int(value), "%s: an integer, got %r" % (where, value))
    elif t == "number":
        check(isinstance(value, (int, float)) and not isinstance(value, bool), where)
    elif t in types:
        check(isinstance(value, types[t]), "%s: a %s, got %r" % (where, t, value))
    if t == "object":
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            check(k in value, "%s: required '%s' missing" % (where, k))
        if schema.get("additionalProperties") is False:
            check(set(value) <= set(props), "%s: extra properties %r" % (where, set(value) - set(props)))
        for k, v in value.items():
            if k in props:
                schema_ok(v, props[k], where + "." + k)
    if t == "array":
        for i, v in enumerate(value):
            schema_ok(v, schema.get("items", {}), "%s[%d]" % (where, i))


def content_ok(body, text, where):
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_object":
        check(isinstance(json.loads(text), dict), where + ": a JSON object")
    elif fmt.get("type") == "json_schema":
        schema_ok(json.loads(text), fmt["json_schema"]["schema"], where)


def completion_ok(body, j):
    envelope(j, "chat.completion", "completion")
    n = body.get("n") or 1
    eq([c.get("index") for c in j["choices"]], list(range(n)), "choice indexes")
    for c in j["choices"]:
        w = "choices[%d]" % c["index"]
        check(c.get("finish_reason") in FINISH, w + ".finish_reason %r" % c.get("finish_reason"))
        check("logprobs" in c and (c["logprobs"] is None or isinstance(c["logprobs"], dict)),
              w + ".logprobs")
        m = c.get("message")
        check(isinstance(m, dict), w + ".message")
        eq(m.get("role"), "assistant", w + ".message.role")
        opt_str(m, "content", w + ".message")
        opt_str(m, "refusal", w + ".message")
        if c["finish_reason"] == "stop" and m["content"] is not None:
            content_ok(body, m["content"], w + ".message.content")
    if "usage" in j and j["usage"] is not None:
        usage_ok(j["usage"], "usage")
    if "system_fingerprint" in j:
        check(isinstance(j["system_fingerprint"], str), "system_fingerprint")


def sse_datas(raw):
    datas = []
    for block in raw.decode("utf-8").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data:"):
                datas.append(line[5:].lstrip(" "))
    return datas


def stream_ok(body, raw):
    datas = sse_datas(raw)
    check(datas and datas[-1] == "[DONE]", "the stream ends with [DONE]")
    chunks = [json.loads(d) for d in datas[:-1]]
    check(chunks, "chunks")
    n = body.get("n") or 1
    want_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    first = chunks[0]
    text = {i: "" for i in range(n)}
    finish = {}
    for k, ch in enumerate(chunks):
        w = "chunk %d" % k
        envelope(ch, "chat.completion.chunk", w)
        eq((ch["id"], ch["created"], ch["model"]), (first["id"], first["created"], first["model"]),
           w + ": same id, created, model")
        u = ch.get("usage")
        if u is not None:
            check(want_usage and k == len(chunks) - 1, w + ": usage only last, when asked")
            eq(ch["choices"], [], w + ": the usage chunk has no choices")
            usage_ok(u, w + ".usage")
        for c in ch["choices"]:
            check(is_int(c.get("index")) and 0 <= c["index"] < n, w + ".index")
            d = c.get("delta")
            check(isinstance(d, dict), w + ".delta")
            check(d.get("role") is None or d["role"] in ROLES, w + ".delta.role")
            check(d.get("content") is None or isinstance(d["content"], str), w + ".delta.content")
            fr = c.get("finish_reason")
            check(fr is None or fr in FINISH, w + ".finish_reason")
            text[c["index"]] += d.get("content") or ""
            if fr:
                check(c["index"] not in finish, w + ": one finish per choice")
                finish[c["index"]] = fr
    eq(sorted(finish), list(range(n)), "every choice finished")
    if want_usage:
        check(chunks[-1].get("usage") is not None, "the usage chunk")
    for i, t in text.items():
        if finish[i] == "stop":
            content_ok(body, t, "choice %d" % i)


def models_ok(j):
    eq(j.get("object"), "list", "object")
    check(isinstance(j.get("data"), list) and j["data"], "data")
    for m in j["data"]:
        check(isinstance(m.get("id"), str) and m["id"], "model id")
        eq(m.get("object"), "model", "model object")
        check(is_int(m.get("created")), "model created")
        check(isinstance(m.get("owned_by"), str), "model owned_by")


def error_ok(j):
    e = j.get("error")
    check(isinstance(e, dict), "an OpenAI error object: %r" % j)
    check(isinstance(e.get("message"), str) and e["message"], "error.message")
    check(isinstance(e.get("type"), str), "error.type")
    check("param" in e and "code" in e, "error.param and error.code")


def replay(req):
    status, headers, raw = send(req)
    want = req.get("expect_status", 200)
    eq(status, want, "%s: status (%r)" % (req["name"], raw[:300]))
    if want != 200:
        error_ok(json.loads(raw))
        return
    body = req["body"] or {}
    if req["path"] == "/v1/models":
        models_ok(json.loads(raw))
    elif body.get("stream"):
        check(headers.get("content-type", "").startswith("text/event-stream"), "event stream")
        stream_ok(body, raw)
    else:
        check(headers.get("content-type", "").startswith("application/json"), "JSON")
        completion_ok(body, json.loads(raw))


def fixture_test(path):
    with open(path, encoding="utf-8") as f:
        fx = json.load(f)

    def fn():
        check(fx["requests"], "requests")
        for req in fx["requests"]:
            try:
                replay(req)
            except AssertionError as e:
                raise AssertionError("%s: %s" % (req["name"], e)) from None
    test("%s: every request answered as the library reads it (%s)"
         % (fx["client"], os.path.basename(path)))(fn)


for _p in sorted(glob.glob(os.path.join(FIXTURES, "*.json"))):
    fixture_test(_p)


@test("the fixtures cover what the issue names: parts, developer, tool, n, stop, seed, formats, user")
def _():
    seen = set()
    for p in glob.glob(os.path.join(FIXTURES, "*.json")):
        with open(p, encoding="utf-8") as f:
            for req in json.load(f)["requests"]:
                b = req["body"] or {}
                seen.update(k for k in b if k in ("n", "stop", "seed", "response_format", "user",
                                                  "stream_options"))
                for m in b.get("messages", []):
                    seen.add("role:" + m["role"])
                    if isinstance(m.get("content"), list):
                        seen.add("parts")
    for want in ("n", "stop", "seed", "response_format", "user", "stream_options", "parts",
                 "role:developer", "role:tool", "role:system", "role:assistant"):
        check(want in seen, "no fixture has " + want)


if __name__ == "__main__":
    sys.exit(run_tests(cleanup=[lambda: [s.stop() for s in SIMS]]))
