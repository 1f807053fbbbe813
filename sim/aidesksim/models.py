"""The AiAssist model table: provider and latency profile per model string.

ttft: seconds to first token; tps: tokens per second afterwards.  Both are
simulated times (divided by --speed).  The table is in docs/protocol.md.
"""

DEFAULT_MODEL = "gpt-4o"

# (model id, provider, ttft seconds, tokens per second, created)
_TABLE = [
    ("gpt-4o", "openai", 0.40, 90, 1715367049),
    ("gpt-4o-mini", "openai", 0.30, 130, 1721172741),
    ("claude-3-5-sonnet-20241022", "anthropic", 0.70, 70, 1729555200),
    ("claude-3-haiku-20240307", "anthropic", 0.35, 150, 1709769600),
    ("llama-3.3-70b-versatile", "groq", 0.12, 300, 1733443200),
    ("mixtral-8x7b-32768", "groq", 0.09, 500, 1702339200),
    ("llama-3.1-8b-instant", "groq", 0.06, 800, 1721692800),
    ("gemini-1.5-pro", "gemini", 0.60, 80, 1715731200),
    ("gemini-1.5-flash", "gemini", 0.25, 200, 1715731200),
    ("mistral-large-latest", "mistral", 0.50, 85, 1721779200),
    ("grok-2", "xai", 0.60, 60, 1723593600),
    ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", 0.30, 110, 1733443200),
    ("openrouter/auto", "openrouter", 0.80, 50, 1699401600),
    ("deepseek-chat", "deepseek", 1.00, 40, 1735084800),
    ("accounts/fireworks/models/llama-v3p3-70b-instruct", "fireworks", 0.20, 250, 1733443200),
    ("llama-3.1-sonar-large-128k-online", "perplexity", 1.20, 60, 1722470400),
    ("pin:operator-alias/llama3", "pin", 0.90, 30, 1735689600),
]


class Model:
    __slots__ = ("id", "provider", "ttft", "tps", "created")

    def __init__(self, ident, provider, ttft, tps, created):
        self.id = ident
        self.provider = provider
        self.ttft = ttft
        self.tps = tps
        self.created = created

    def to_json(self):
        return {"id": self.id, "object": "model", "created": self.created,
                "owned_by": self.provider}


MODELS = [Model(*row) for row in _TABLE]
BY_ID = {m.id: m for m in MODELS}
_PIN = BY_ID["pin:operator-alias/llama3"]


def lookup(ident):
    """The Model for a model string, or None.  Any `pin:<alias>/<model>`
    string routes to the PIN network with PIN's profile."""
    m = BY_ID.get(ident)
    if m is not None:
        return m
    if ident.startswith("pin:") and "/" in ident[4:]:
        alias, _, name = ident[4:].partition("/")
        if alias and name:
            return Model(ident, "pin", _PIN.ttft, _PIN.tps, _PIN.created)
    return None
