"""AiAssist: POST /v1/chat/completions and GET /v1/models."""

import time

from . import models, pacing, textgen, tokenizer
from .util import ApiError, dumps, encode

ROLES = ("system", "user", "assistant", "tool")
MAX_TOKENS = 10000000


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def validate(body):
    """Return (messages, model, params) or raise ApiError."""
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise ApiError(400, "bad_request", "'messages' must be a non-empty list of {role, content} objects.")
    for i, m in enumerate(msgs):
        if not isinstance(m, dict):
            raise ApiError(400, "bad_request", "messages[%d] must be an object." % i)
        if not isinstance(m.get("role"), str) or m["role"] not in ROLES:
            raise ApiError(400, "bad_request",
                           "messages[%d].role must be one of system, user, assistant, tool." % i)
        if not isinstance(m.get("content"), str):
            raise ApiError(400, "bad_request", "messages[%d].content must be a string." % i)
    name = body.get("model")
    if name is None:
        name = models.DEFAULT_MODEL
    if not isinstance(name, str) or not name:
        raise ApiError(400, "bad_request", "'model' must be a non-empty string.")
    t = body.get("temperature")
    if t is not None and (not _num(t) or not 0 <= t <= 2):
        raise ApiError(400, "bad_request", "'temperature' must be a number between 0 and 2.")
    p = body.get("top_p")
    if p is not None and (not _num(p) or not 0 <= p <= 1):
        raise ApiError(400, "bad_request", "'top_p' must be a number between 0 and 1.")
    mt = body.get("max_tokens")
    if mt is not None and (not isinstance(mt, int) or isinstance(mt, bool) or mt <= 0):
        raise ApiError(400, "bad_request", "'max_tokens' must be a positive integer.")
    st = body.get("stream")
    if st is not None and not isinstance(st, bool):
        raise ApiError(400, "bad_request", "'stream' must be true or false.")
    so = body.get("stream_options")
    if so is not None and not isinstance(so, dict):
        raise ApiError(400, "bad_request", "'stream_options' must be an object.")
    model = models.lookup(name)
    if model is None:
        raise ApiError(404, "model_not_found",
                       "Model '%s' not found. GET /v1/models lists the available models." % name)
    return msgs, model, {"max_tokens": mt, "stream": bool(st),
                         "include_usage": bool((so or {}).get("include_usage"))}


def handle_chat(app, req, out):
    body = req.json()
    msgs, model, prm = validate(body)
    exact = app.reply_tokens
    hdr = req.header("X-Sim-Tokens")
    if hdr is not None:
        if not hdr.strip().isdigit() or not 0 < int(hdr) <= MAX_TOKENS:
            raise ApiError(400, "bad_request",
                           "X-Sim-Tokens must be a positive integer up to %d." % MAX_TOKENS)
        exact = int(hdr)
    kinds = req.fault.content_kinds() if req.fault is not None else ()
    req.content_faults_done = True
    toks, finish = textgen.reply_tokens(app.seed, model, msgs, exact, prm["max_tokens"], kinds)
    rng = textgen.conversation_rng(app.seed, model.id, msgs, "pace")
    ptok = tokenizer.prompt_tokens(msgs)
    usage = {"prompt_tokens": ptok, "completion_tokens": len(toks),
             "total_tokens": ptok + len(toks)}
    cid = app.ids.new("chatcmpl-", 24)
    created = int(time.time())
    if not prm["stream"]:
        delay = pacing.total_delay(app.clock, model, len(toks), rng)
        arrived = getattr(req, "arrived", None)
        if arrived is not None:
            delay -= time.monotonic() - arrived
        app.stopping.wait(max(0.0, delay))
        obj = {"id": cid, "object": "chat.completion", "created": created, "model": model.id,
               "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(toks)},
                            "finish_reason": finish}],
               "usage": usage}
        out.send_json(200, obj)
        return None
    _stream(app, out, cid, created, model, toks, finish, usage if prm["include_usage"] else None, rng,
            getattr(req, "arrived", None))
    return None


def _stream(app, out, cid, created, model, toks, finish, usage, rng, arrived=None):
    head = '{"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s,"choices":' % (
        cid, created, dumps(model.id))
    pre = "data: " + head + '[{"index":0,"delta":{"content":'
    post = '},"finish_reason":null}]}\n\n'
    cache = {}

    def enc(tok):
        b = cache.get(tok)
        if b is None:
            b = encode(pre + dumps(tok) + post)
            if len(cache) < 50000:
                cache[tok] = b
        return b

    def chunk(choices, extra=""):
        return encode("data: " + head + dumps(choices) + extra + "}\n\n")

    out.start_stream()
    out.events([chunk([{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}])])
    app.stats.stream_delta(1)
    try:
        first = True
        for a, b in pacing.batches(app.clock, model, len(toks), rng, app.stopping, start=arrived):
            out.events([enc(t) for t in toks[a:b]])
            if first:
                # When the first token left, on the system's monotonic clock
                # (the one clients use too), for benchmarks to tell the
                # server's share of a time to first token from theirs.
                first = False
                app.stats.first_token(cid, int(arrived * 1e9) if arrived else None,
                                      time.monotonic_ns())
        if app.stopping.is_set():
            out.abort()
        tail = [chunk([{"index": 0, "delta": {}, "finish_reason": finish}])]
        if usage is not None:
            tail.append(chunk([], ',"usage":' + dumps(usage)))
        tail.append(b"data: [DONE]\n\n")
        out.events(tail)
        out.end_stream()
    finally:
        app.stats.stream_delta(-1)


def handle_models(app, req, out):
    return 200, {"object": "list", "data": [m.to_json() for m in models.MODELS]}


def handle_model(app, req, out, name):
    m = models.lookup(name)
    if m is None:
        raise ApiError(404, "model_not_found", "Model '%s' not found." % name)
    return 200, m.to_json()
