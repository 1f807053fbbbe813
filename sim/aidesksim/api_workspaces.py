"""AiAssist public workspace calls (/api/workspaces...)."""

from . import models
from .util import ApiError


def _opt(body, name, typ, what):
    v = body.get(name)
    if v is not None and not isinstance(v, typ):
        raise ApiError(400, "bad_request", "'%s' must be %s." % (name, what))
    return v


def _content(body, name="content"):
    v = body.get(name)
    if not isinstance(v, str) or not v.strip():
        raise ApiError(400, "bad_request", "'%s' must be a non-empty string." % name)
    return v


def _model_fields(body):
    """The SDK's top-level model and max_tokens (create and send)."""
    model = _opt(body, "model", str, "a string")
    if model is not None and models.lookup(model) is None:
        raise ApiError(404, "model_not_found",
                       "Model '%s' not found. GET /v1/models lists the available models." % model)
    mt = body.get("max_tokens")
    if mt is not None and (not isinstance(mt, int) or isinstance(mt, bool) or mt <= 0):
        raise ApiError(400, "bad_request", "'max_tokens' must be a positive integer.")
    return model, mt


def _wrap(app, ws, **rest):
    """--flat-workspace puts the workspace at the top level, as the SDK
    accepts for create and get; by-client keeps its shape (the SDK reads
    its workspace from the 'workspace' field only)."""
    if app.flat_workspace:
        out = dict(ws)
        out.update(rest)
        return out
    out = {"workspace": ws}
    out.update(rest)
    return out


def create(app, req, out):
    body = req.json(allow_empty=True)
    initial = _opt(body, "initial_message", str, "a string")
    if initial is not None and not initial.strip():
        raise ApiError(400, "bad_request", "'initial_message' must not be empty.")
    client_id = _opt(body, "client_id", str, "a string")
    system_prompt = _opt(body, "system_prompt", str, "a string")
    context = _opt(body, "context", dict, "an object")
    metadata = _opt(body, "metadata", dict, "an object")
    model, max_tokens = _model_fields(body)
    ws, msgs = app.store.create(initial, client_id, system_prompt, context, metadata,
                                model, max_tokens)
    return 200, _wrap(app, ws, messages=msgs)


def get(app, req, out, ws_id):
    ws = app.store.ws_json(app.store.get(ws_id))
    return 200, (ws if app.flat_workspace else {"workspace": ws})


def by_client(app, req, out, client_id):
    with app.store.lock:
        ws = app.store.by_client(client_id)
        msgs = app.store.history(ws["id"])
        wsj = app.store.ws_json(ws)
    return 200, {"workspace": wsj, "messages": msgs, "exists": True}


def send(app, req, out, ws_id):
    body = req.json()
    content = _content(body)
    model, max_tokens = _model_fields(body)
    return 200, app.store.send(ws_id, content, model, max_tokens)


def history(app, req, out, ws_id):
    msgs = app.store.history(ws_id)
    return 200, (msgs if app.bare_lists else {"messages": msgs})


def typing(app, req, out, ws_id):
    body = req.json(allow_empty=True)
    text = body.get("text", "")
    if not isinstance(text, str):
        raise ApiError(400, "bad_request", "'text' must be a string.")
    app.store.typing(ws_id, text, "customer")
    return 200, {"ok": True}


def end(app, req, out, ws_id):
    req.json(allow_empty=True)
    ws = app.store.end(ws_id)
    return 200, {"ok": True, "workspace": ws}
