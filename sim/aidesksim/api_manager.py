"""Manager calls (/api/manager/...): ours, not public.  See docs/protocol.md."""

import time

from .httpd import _apply_content_faults
from .textgen import HUGE_TOKEN
from .util import ApiError, dumps, encode
from .workspaces import MODES, STATUSES


def list_workspaces(app, req, out):
    mode = req.query.get("mode") or None
    status = req.query.get("status") or None
    if mode is not None and mode not in MODES:
        raise ApiError(400, "bad_request", "mode must be one of ai, shadow, takeover.")
    if status is not None and status not in STATUSES:
        raise ApiError(400, "bad_request", "status must be one of active, ended.")
    return 200, {"workspaces": app.store.manager_list(mode, status)}


def set_mode(app, req, out, ws_id):
    body = req.json()
    return 200, {"workspace": app.store.set_mode(ws_id, body.get("mode"))}


def drafts(app, req, out):
    return 200, {"drafts": app.store.pending_drafts(req.query.get("workspace_id") or None)}


def approve(app, req, out, draft_id):
    body = req.json(allow_empty=True)
    content = body.get("content")
    if content is not None and (not isinstance(content, str) or not content.strip()):
        raise ApiError(400, "bad_request", "'content' must be a non-empty string.")
    draft, msg = app.store.approve(draft_id, content)
    return 200, {"draft": draft, "message": msg}


def reject(app, req, out, draft_id):
    body = req.json(allow_empty=True)
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ApiError(400, "bad_request", "'reason' must be a string.")
    return 200, {"draft": app.store.reject(draft_id, reason)}


def reply(app, req, out, ws_id):
    body = req.json()
    content = body.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ApiError(400, "bad_request", "'content' must be a non-empty string.")
    return 200, {"message": app.store.human_reply(ws_id, content)}


def regenerate(app, req, out, ws_id):
    body = req.json(allow_empty=True)
    instructions = body.get("instructions")
    if instructions is not None and not isinstance(instructions, str):
        raise ApiError(400, "bad_request", "'instructions' must be a string.")
    return 200, {"draft": app.store.regenerate(ws_id, instructions or None)}


def typing(app, req, out, ws_id):
    body = req.json(allow_empty=True)
    text = body.get("text", "")
    if not isinstance(text, str):
        raise ApiError(400, "bad_request", "'text' must be a string.")
    app.store.typing(ws_id, text, "agent")
    return 200, {"ok": True}


def _reset_event(reason, last_id):
    return encode("id: %d\nevent: reset\ndata: %s\n\n"
                  % (last_id, dumps({"reason": reason, "last_event_id": last_id})))


def events(app, req, out):
    ws_filter = req.query.get("workspace_id") or None
    if ws_filter is not None:
        app.store.get(ws_filter)
    raw = req.header("Last-Event-ID")
    if raw is None:
        raw = req.query.get("last_event_id")
    resume, bad = None, False
    if raw is not None and raw.strip() != "":
        if raw.strip().isdigit():
            resume = int(raw.strip())
        else:
            bad = True
    bus = app.bus
    gen = bus.generation
    cursor, replay, reason = bus.start(resume)
    if bad:
        reason = "last_event_id is not an event id of this server"
    kinds = tuple(k for k in (req.fault.content_kinds() if req.fault else ()) if k != "huge_line")

    def wire(evs):
        res = []
        for e in evs:
            if ws_filter is not None and e.ws != ws_filter:
                continue
            if kinds:
                data = _apply_content_faults(e.data, kinds)
                res.append(encode("id: %d\nevent: %s\ndata: %s\n\n" % (e.id, e.type, dumps(data))))
            else:
                res.append(e.wire())
        return res

    out.start_stream()
    out.raw(b"retry: 2000\n\n")
    if req.fault is not None and req.fault.get("huge_line"):
        out.raw(encode("event: sim.padding\ndata: %s\n\n" % dumps({"padding": HUGE_TOKEN.strip()})))
    if reason:
        out.events([_reset_event(reason, cursor)])
    elif replay:
        evs = wire(replay)
        if evs:
            out.events(evs)
    app.stats.stream_delta(1)
    hb = app.heartbeat
    last_write = time.monotonic()
    try:
        while not app.stopping.is_set():
            left = max(0.01, hb - (time.monotonic() - last_write))
            evs, cursor, reason = bus.wait(cursor, gen, left)
            if reason:
                gen = bus.generation
                out.events([_reset_event(reason, cursor)])
                last_write = time.monotonic()
                continue
            payload = wire(evs)
            if payload:
                out.events(payload)
                last_write = time.monotonic()
            elif time.monotonic() - last_write >= hb:
                out.raw(b": keepalive\n\n")
                last_write = time.monotonic()
        out.end_stream()
    finally:
        app.stats.stream_delta(-1)
    return None
