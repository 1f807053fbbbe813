"""/_sim/... administration calls (loopback only, no key)."""

from .faults import FaultError
from .util import ApiError


def add_fault(app, req, out):
    body = req.json()
    spec = body.get("spec")
    if not isinstance(spec, str):
        raise ApiError(400, "bad_request", "'spec' must be a string.")
    try:
        ident = app.faults.add(spec)
    except FaultError as e:
        raise ApiError(400, "bad_request", "Invalid fault spec: %s." % e)
    return 200, {"id": ident}


def list_faults(app, req, out):
    return 200, {"faults": app.faults.list()}


def clear_faults(app, req, out):
    return 200, {"ok": True, "removed": app.faults.clear()}


def delete_fault(app, req, out, ident):
    n = app.faults.clear(ident)
    if not n:
        raise ApiError(404, "not_found", "No fault with id %s." % ident)
    return 200, {"ok": True, "removed": n}


def decide_draft(app, req, out, draft_id):
    """Decides a draft as another manager would, through the same path as
    the manager calls (same answers, same events), at a moment a test
    chooses."""
    body = req.json()
    action = body.get("action")
    reason = body.get("reason")
    content = body.get("content")
    if action not in ("approve", "reject"):
        raise ApiError(400, "bad_request", "'action' must be approve or reject.")
    if reason is not None and not isinstance(reason, str):
        raise ApiError(400, "bad_request", "'reason' must be a string.")
    if content is not None and (not isinstance(content, str) or not content.strip()):
        raise ApiError(400, "bad_request", "'content' must be a non-empty string.")
    if action == "reject":
        return 200, {"draft": app.store.reject(draft_id, reason)}
    draft, msg = app.store.approve(draft_id, content)
    return 200, {"draft": draft, "message": msg}


def reset(app, req, out):
    app.reset()
    return 200, {"ok": True}


def stats(app, req, out):
    return 200, app.stats.to_json(app)


def gate(app, req, out):
    return 200, app.gate.admin_view()
