"""Deterministic reply generator.

A reply depends only on (seed, model, conversation): the same inputs give
the same text.  Replies are built from templates (textbank.py) so that a
client's renderer meets paragraphs, emphasis, inline code, lists, headings,
fenced code, a long unbroken line, CJK text and emoji.
"""

import hashlib
import json
import random
import re

from . import textbank as B
from .tokenizer import tokenize
from .util import INVALID_MARK

ESCAPES_PAYLOAD = ("\x1b[2J\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07 carriage\rback\bbell\x07"
                   " c1\x9b31m\x85 bidi\u202etxet.exe\u202c zero\u200bwidth\u200d\ufeff")
HUGE_TOKEN = " " + "0123456789abcdef" * 65536          # one token, ~1 MiB


def conversation_rng(seed, model, messages, salt=""):
    h = hashlib.sha256()
    h.update(("%s\0%s\0%s\0" % (seed, model, salt)).encode())
    h.update(json.dumps([[m.get("role"), m.get("content")] for m in messages],
                        ensure_ascii=False).encode())
    return random.Random(int.from_bytes(h.digest()[:8], "big"))


class _Fmt(dict):
    def __missing__(self, key):
        return "{" + key + "}"


_TOPIC_RES = [(topic, re.compile("|".join(
    (r"\b" if w[0].isalnum() else "") + re.escape(w) for w in words), re.I))
    for topic, words in B.TOPIC_KEYWORDS]
_STOP = {"what", "where", "when", "which", "would", "could", "should", "there", "their",
         "about", "please", "thanks", "thank", "with", "have", "this", "that", "your",
         "from", "they", "them", "will", "just", "into", "does", "write", "tell", "explain"}


def _topic(text):
    for topic, rx in _TOPIC_RES:
        if rx.search(text):
            return topic
    return "general"


def _subject(text):
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", text)]
    words = [w for w in words if w not in _STOP]
    if not words:
        return "your question"
    return max(words, key=len)


def _hex(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def generate(seed, model, messages, context=None):
    """The reply text for a conversation (list of {role, content})."""
    rng = conversation_rng(seed, model.id, messages)
    context = context or {}
    last = ""
    for m in reversed(messages):
        if m.get("role") == "user" and isinstance(m.get("content"), str):
            last = m["content"]
            break
    low = " " + last.lower() + " "
    topic = _topic(last)
    subject = _subject(last)
    order = (context.get("order") or context.get("order_id")
             or (context.get("recent_orders") or [None])[0])
    if not order:
        found = re.search(r"ORD-\d+", last, re.I)
        order = found.group(0).upper() if found else "ORD-%05d" % rng.randrange(10000, 99999)
    name = context.get("name") or context.get("customer_name")
    fmt = _Fmt(subject=subject, order=order, digits="%08d" % rng.randrange(10 ** 8))
    fmt["topic"] = B.TOPIC_NAMES.get(topic, "{subject}").format_map(fmt)

    kitchen = topic == "markdown"
    chance = rng.random if topic != "greeting" else (lambda: 1.0)
    want_heading = kitchen or chance() < 0.3
    want_steps = kitchen or " how " in low or "steps" in low or chance() < 0.25
    want_list = kitchen or " list" in low or chance() < 0.35
    want_code = kitchen or topic == "code" or chance() < 0.08
    want_long = kitchen or any(w in low for w in ("url", "link", "hash")) or chance() < 0.08
    want_cjk = kitchen or any(w in low for w in ("中文", "chinese", "japanese", "日本", "cjk", "translat")) \
        or chance() < 0.08
    want_emoji = kitchen or "emoji" in low or chance() < 0.15

    if topic == "greeting":
        target = rng.randrange(60, 90)
    elif topic == "poem":
        target = rng.randrange(80, 130)
    else:
        target = 80 + int(rng.random() ** 1.3 * 260) + min(60, len(last) // 8)

    own = list(B.SENTENCES.get(topic, []))
    rest = own[1:] if topic == "greeting" else own
    rng.shuffle(rest)
    if topic == "greeting":
        own = own[:1] + rest
    general = list(B.SENTENCES["general"]) if topic != "greeting" else []
    rng.shuffle(general)
    bank = own + general
    pos = [0]

    def sentence():
        text = bank[pos[0] % len(bank)]
        pos[0] += 1
        return text.format_map(fmt)

    def paragraph(k):
        k = max(1, min(k, len(bank) - pos[0]))
        return " ".join(sentence() for _ in range(k))

    blocks = []
    if want_heading:
        blocks.append("# " + fmt["topic"][:1].upper() + fmt["topic"][1:])
    opener = rng.choice(B.OPENERS.get(model.provider, B.OPENERS["openai"])).format_map(fmt)
    if topic == "greeting":
        opener = ""
    if name:
        opener = "Hi %s! %s" % (str(name).split()[0].capitalize(), opener)
    blocks.append((opener + " " + paragraph(rng.randrange(1, 3))).strip())
    if topic == "poem":
        start = rng.randrange(0, 4)
        blocks.append("\n".join(B.POEM_LINES[start:start + 4 + rng.randrange(0, 5)]))
    if want_steps:
        k = rng.randrange(3, 6)
        steps = rng.sample(B.STEPS, k)
        blocks.append("## Steps\n\n" + "\n".join("%d. %s" % (i + 1, s) for i, s in enumerate(steps)))
    if want_list:
        items = rng.sample(B.LIST_ITEMS, rng.randrange(3, 6))
        blocks.append("\n".join("- " + s for s in items))
    if want_code:
        if kitchen:
            blocks.append(B.CODE_C)
            blocks.append(B.CODE_PY)
        elif "python" in low:
            blocks.append(B.CODE_PY)
        elif " c " in low or "in c" in low or "c code" in low:
            blocks.append(B.CODE_C)
        else:
            blocks.append(rng.choice((B.CODE_C, B.CODE_PY)))
    if want_long:
        url = ("https://kb.example.com/articles/%s/%s?session=%s&utm_source=aidesk-sim"
               "&utm_medium=chat&utm_campaign=%s#section-%d"
               % (_hex(rng, 40), subject.replace("'", ""), _hex(rng, 64), _hex(rng, 32),
                  rng.randrange(1, 20)))
        blocks.append("Reference: " + url)
    if want_cjk:
        blocks.append("\n".join(B.CJK_LINES))
    if want_emoji:
        blocks.append(B.EMOJI_LINE)
    total = sum(len(tokenize(b)) for b in blocks)
    extra = 0
    while total < target and extra < 6 and pos[0] < len(bank):
        p = paragraph(rng.randrange(2, 4))
        blocks.insert(min(len(blocks), 2 + extra), p)
        total += len(tokenize(p)) + 2
        extra += 1
    if model.provider == "perplexity":
        blocks.append("Sources:\n" + "\n".join(B.PERPLEXITY_SOURCES))
    blocks.append(rng.choice(B.CLOSERS))
    return "\n\n".join(blocks)


def _schema_value(schema, text, depth=0):
    """A value that fits a JSON schema (its types, properties, required
    fields and enums), with the reply's text in its strings."""
    if not isinstance(schema, dict) or depth > 8:
        return text
    if "enum" in schema and isinstance(schema["enum"], list) and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return _schema_value(schema[key][0], text, depth + 1)
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "null")
    if t == "object" or (t is None and "properties" in schema):
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        return {k: _schema_value(v, text, depth + 1) for k, v in props.items()}
    if t == "array":
        return [_schema_value(schema.get("items"), text, depth + 1)]
    return {"integer": 1, "number": 1.5, "boolean": True, "null": None}.get(t, text)


def as_json(text, response_format):
    """The reply as the JSON a response_format asks for: json_object gives
    {"reply": text}; json_schema an object of the schema's shape."""
    if response_format["type"] == "json_schema":
        value = _schema_value((response_format.get("json_schema") or {}).get("schema")
                              or {"type": "object", "properties": {"reply": {"type": "string"}}},
                              text)
    else:
        value = {"reply": text}
    return json.dumps(value, ensure_ascii=False)


def reply_tokens(seed, model, messages, exact=None, max_tokens=None, content_faults=(),
                 context=None, stop=(), response_format=None):
    """Return (tokens, finish_reason) for a chat reply.

    exact: make the reply exactly this many tokens (--reply-tokens), by
    repeating the generated text; max_tokens: cut there with "length".
    content_faults: subset of {"escapes", "invalid_utf8", "huge_line"}.
    stop: strings where the reply ends (finish "stop"), not included;
    response_format: OpenAI's json_object / json_schema (as_json).
    """
    text = generate(seed, model, messages, context)
    if response_format:
        text = as_json(text, response_format)
    if exact is not None:
        unit = tokenize(text + "\n\n")
        reps = exact // len(unit) + 1
        toks = unit * reps
        del toks[exact:]
    else:
        toks = tokenize(text)
    finish = "stop"
    if stop:
        whole = "".join(toks)
        cut = min((i for i in (whole.find(x) for x in stop) if i >= 0), default=-1)
        if cut >= 0:
            toks = tokenize(whole[:cut])
    if max_tokens is not None and len(toks) > max_tokens:
        del toks[max_tokens:]
        finish = "length"
    if content_faults:
        at = min(3, len(toks))
        extra = []
        if "escapes" in content_faults:
            extra += tokenize(" " + ESCAPES_PAYLOAD + " ")
        if "invalid_utf8" in content_faults:
            extra += [" ", INVALID_MARK, " "]
        if "huge_line" in content_faults:
            extra += [HUGE_TOKEN]
        toks[at:at] = extra
    return toks, finish
