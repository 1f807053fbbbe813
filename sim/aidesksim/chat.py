"""AiAssist: POST /v1/chat/completions and GET /v1/models."""

import time

from . import models, pacing, textgen, tokenizer
from .util import ApiError, dumps, encode

# What OpenAI's chat completions take (developer is the newer name of
# system; function is the deprecated ancestor of tool).
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
PART_TYPES = ("text", "refusal", "image_url", "input_audio", "file")
FORMATS = ("text", "json_object", "json_schema")
MAX_TOKENS = 10000000
MAX_CHOICES = 128


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _bad(msg):
    return ApiError(400, "bad_request", msg)


def _content_text(m, i):
    """The text of a message's content: a string, or an array of parts
    (text, refusal, image_url, input_audio, file: the simulated models read
    the text only), or null where OpenAI allows it (an assistant message
    that calls tools or functions, a function result)."""
    c = m.get("content")
    where = "messages[%d].content" % i
    if isinstance(c, str):
        return c
    if c is None:
        if m["role"] in ("assistant", "function"):
            return ""
        raise _bad("%s must be a string or an array of content parts." % where)
    if not isinstance(c, list):
        raise _bad("%s must be a string or an array of content parts." % where)
    texts = []
    for j, part in enumerate(c):
        if not isinstance(part, dict) or part.get("type") not in PART_TYPES:
            raise _bad("%s[%d] must be a content part: an object whose 'type' is one of %s."
                       % (where, j, ", ".join(PART_TYPES)))
        t = part["type"]
        if t in ("text", "refusal"):
            if not isinstance(part.get(t), str):
                raise _bad("%s[%d].%s must be a string." % (where, j, t))
            texts.append(part[t])
        elif not isinstance(part.get(t), dict):
            raise _bad("%s[%d].%s must be an object." % (where, j, t))
    return "\n".join(texts)


def _messages(msgs):
    """Validated messages as the generator reads them: {role, content}
    with content a string (developer read as system, tool and function
    results as user input)."""
    if not isinstance(msgs, list) or not msgs:
        raise _bad("'messages' must be a non-empty list of {role, content} objects.")
    out = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict):
            raise _bad("messages[%d] must be an object." % i)
        if not isinstance(m.get("role"), str) or m["role"] not in ROLES:
            raise _bad("messages[%d].role must be one of %s." % (i, ", ".join(ROLES)))
        text = _content_text(m, i)
        role = m["role"]
        if role == "tool" and not isinstance(m.get("tool_call_id"), str):
            raise _bad("messages[%d].tool_call_id must be a string." % i)
        if role == "function" and not isinstance(m.get("name"), str):
            raise _bad("messages[%d].name must be a string." % i)
        if m.get("name") is not None and not isinstance(m.get("name"), str):
            raise _bad("messages[%d].name must be a string." % i)
        if role == "assistant" and m.get("tool_calls") is not None \
                and not isinstance(m["tool_calls"], list):
            raise _bad("messages[%d].tool_calls must be a list." % i)
        role = {"developer": "system", "tool": "user", "function": "user"}.get(role, role)
        out.append({"role": role, "content": text})
    return out


def _stop(v):
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v else []
    if isinstance(v, list) and len(v) <= 4 and all(isinstance(x, str) and x for x in v):
        return v
    raise _bad("'stop' must be a string or a list of up to 4 non-empty strings.")


def _format(v):
    if v is None:
        return None
    if not isinstance(v, dict) or v.get("type") not in FORMATS:
        raise _bad("'response_format' must be an object whose 'type' is one of %s."
                   % ", ".join(FORMATS))
    if v["type"] == "json_schema":
        js = v.get("json_schema")
        if not isinstance(js, dict) or not isinstance(js.get("name"), str):
            raise _bad("'response_format.json_schema' must be an object with a 'name'.")
    return None if v["type"] == "text" else v


def validate(body):
    """Return (messages, model, params) or raise ApiError.  Every field of
    OpenAI's chat completions is accepted; those that change the answer
    are checked, the others (tools, logprobs, penalties, user...) ignored,
    as are fields nobody knows."""
    msgs = _messages(body.get("messages"))
    name = body.get("model")
    if name is None:
        name = models.DEFAULT_MODEL
    if not isinstance(name, str) or not name:
        raise _bad("'model' must be a non-empty string.")
    t = body.get("temperature")
    if t is not None and (not _num(t) or not 0 <= t <= 2):
        raise _bad("'temperature' must be a number between 0 and 2.")
    p = body.get("top_p")
    if p is not None and (not _num(p) or not 0 <= p <= 1):
        raise _bad("'top_p' must be a number between 0 and 1.")
    limits = []
    for field in ("max_tokens", "max_completion_tokens"):
        mt = body.get(field)
        if mt is not None and (not _int(mt) or mt <= 0):
            raise _bad("'%s' must be a positive integer." % field)
        if mt is not None:
            limits.append(mt)
    n = body.get("n")
    if n is not None and (not _int(n) or not 1 <= n <= MAX_CHOICES):
        raise _bad("'n' must be an integer from 1 to %d." % MAX_CHOICES)
    seed = body.get("seed")
    if seed is not None and not _int(seed):
        raise _bad("'seed' must be an integer.")
    user = body.get("user")
    if user is not None and not isinstance(user, str):
        raise _bad("'user' must be a string.")
    st = body.get("stream")
    if st is not None and not isinstance(st, bool):
        raise _bad("'stream' must be true or false.")
    so = body.get("stream_options")
    if so is not None and not isinstance(so, dict):
        raise _bad("'stream_options' must be an object.")
    model = models.lookup(name)
    if model is None:
        raise ApiError(404, "model_not_found",
                       "Model '%s' not found. GET /v1/models lists the available models." % name)
    return msgs, model, {"max_tokens": min(limits) if limits else None, "stream": bool(st),
                         "include_usage": bool((so or {}).get("include_usage")),
                         "n": n or 1, "seed": seed, "stop": _stop(body.get("stop")),
                         "format": _format(body.get("response_format"))}


def _refused(app, body):
    """--refuse-field: a strict provider's answer to a field it does not
    take, in OpenAI's words."""
    for f in app.refuse_fields:
        if f in body:
            raise _bad("Unrecognized request argument supplied: %s" % f)


def _choice_tokens(app, model, msgs, prm, exact, kinds, index):
    # The default (no seed, first choice) is the reply the simulator always
    # gave; a request's seed and each further choice vary it, reproducibly.
    seed = app.seed
    if prm["seed"] is not None or index:
        seed = "%s:%s:%d" % (app.seed, prm["seed"], index)
    return textgen.reply_tokens(seed, model, msgs, exact, prm["max_tokens"], kinds,
                                stop=prm["stop"], response_format=prm["format"])


def handle_chat(app, req, out):
    body = req.json()
    _refused(app, body)
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
    choices = [_choice_tokens(app, model, msgs, prm, exact, kinds, i) for i in range(prm["n"])]
    rng = textgen.conversation_rng(app.seed, model.id, msgs, "pace")
    ptok = tokenizer.prompt_tokens(msgs)
    ctok = sum(len(toks) for toks, _ in choices)
    usage = {"prompt_tokens": ptok, "completion_tokens": ctok, "total_tokens": ptok + ctok}
    cid = app.ids.new("chatcmpl-", 24)
    created = int(time.time())
    if not prm["stream"]:
        delay = pacing.total_delay(app.clock, model, max(len(t) for t, _ in choices), rng)
        arrived = getattr(req, "arrived", None)
        if arrived is not None:
            delay -= time.monotonic() - arrived
        app.stopping.wait(max(0.0, delay))
        obj = {"id": cid, "object": "chat.completion", "created": created, "model": model.id,
               "choices": [{"index": i,
                            "message": {"role": "assistant", "content": "".join(toks),
                                        "refusal": None},
                            "logprobs": None, "finish_reason": finish}
                           for i, (toks, finish) in enumerate(choices)],
               "usage": usage, "system_fingerprint": FINGERPRINT}
        out.send_json(200, obj)
        return None
    if prm["n"] == 1:
        toks, finish = choices[0]
        _stream(app, out, cid, created, model, toks, finish,
                usage if prm["include_usage"] else None, rng, getattr(req, "arrived", None))
    else:
        _stream_many(app, out, cid, created, model, choices,
                     usage if prm["include_usage"] else None, rng, getattr(req, "arrived", None))
    return None


FINGERPRINT = "fp_aidesk_sim"


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


def _stream_many(app, out, cid, created, model, choices, usage, rng, arrived=None):
    """n > 1: the choices' tokens interleaved, each chunk naming its index,
    paced as one reply of all their tokens."""
    head = '{"id":"%s","object":"chat.completion.chunk","created":%d,"model":%s,"choices":' % (
        cid, created, dumps(model.id))

    def chunk(choices_json, extra=""):
        return encode("data: " + head + dumps(choices_json) + extra + "}\n\n")

    order = []
    longest = max(len(t) for t, _ in choices)
    for k in range(longest):
        for i, (toks, _) in enumerate(choices):
            if k < len(toks):
                order.append((i, toks[k]))
    out.start_stream()
    out.events([chunk([{"index": i, "delta": {"role": "assistant"}, "finish_reason": None}])
                for i in range(len(choices))])
    app.stats.stream_delta(1)
    try:
        for a, b in pacing.batches(app.clock, model, len(order), rng, app.stopping, start=arrived):
            out.events([chunk([{"index": i, "delta": {"content": t}, "finish_reason": None}])
                        for i, t in order[a:b]])
        if app.stopping.is_set():
            out.abort()
        tail = [chunk([{"index": i, "delta": {}, "finish_reason": f}])
                for i, (_, f) in enumerate(choices)]
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
