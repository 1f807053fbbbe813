"""AiAssist public workspace calls (/api/workspaces...)."""

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


def _wrap(app, ws, **rest):
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
    ws, msgs = app.store.create(initial, client_id, system_prompt, context, metadata)
    return 200, _wrap(app, ws, messages=msgs)


def get(app, req, out, ws_id):
    ws = app.store.ws_json(app.store.get(ws_id))
    return 200, (ws if app.flat_workspace else {"workspace": ws})


def by_client(app, req, out, client_id):
    with app.store.lock:
        ws = app.store.by_client(client_id)
        msgs = app.store.history(ws["id"])
        wsj = app.store.ws_json(ws)
    return 200, _wrap(app, wsj, messages=msgs, exists=True)


def send(app, req, out, ws_id):
    body = req.json()
    content = _content(body)
    return 200, app.store.send(ws_id, content)


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
