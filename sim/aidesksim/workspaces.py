"""Workspaces, messages and drafts: the state behind the public workspace
calls and the manager calls.  Every change publishes an event."""

import threading
import time

from . import models, pacing, textgen
from .util import ApiError, iso_now, not_found

MODES = ("ai", "shadow", "takeover")
STATUSES = ("active", "ended")
_WS_PUBLIC = ("id", "mode", "status", "metadata", "client_id", "system_prompt", "context",
              "created_at", "updated_at")


class Store:
    def __init__(self, app):
        self.app = app
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.workspaces = {}
        self.drafts = {}
        self._seq = 0

    # -- serialisation --------------------------------------------------------
    def msg_json(self, m):
        out = dict(m)
        if out.get("role") == "ai" and self.app.role_assistant:
            out["role"] = "assistant"
        return out

    @staticmethod
    def ws_json(ws):
        return {k: ws[k] for k in _WS_PUBLIC if ws.get(k) is not None}

    @staticmethod
    def draft_json(d):
        return {k: v for k, v in d.items() if not k.startswith("_")}

    def _touch(self, ws, ts=None):
        ts = ts or time.time()
        ws["updated_at"] = iso_now(ts)
        ws["_activity"] = ts
        self.changed.notify_all()

    def _publish(self, etype, data, ws_id):
        return self.app.bus.publish(etype, data, ws_id)

    # -- lookups ----------------------------------------------------------------
    def get(self, ws_id):
        with self.lock:
            ws = self.workspaces.get(ws_id)
            if ws is None:
                raise not_found("No workspace with id %s." % ws_id)
            return ws

    def _active(self, ws_id):
        ws = self.get(ws_id)
        if ws["status"] != "active":
            raise ApiError(409, "workspace_ended", "Workspace %s has ended." % ws_id)
        return ws

    def by_client(self, client_id):
        with self.lock:
            cands = [w for w in self.workspaces.values()
                     if w.get("client_id") == client_id and w["status"] == "active"]
            if not cands:
                raise not_found("No workspace for client %s." % client_id)
            return max(cands, key=lambda w: w["_seq"])

    def history(self, ws_id):
        with self.lock:
            return [self.msg_json(m) for m in self.get(ws_id)["messages"]]

    # -- creating and sending ---------------------------------------------------
    def create(self, initial_message=None, client_id=None, system_prompt=None,
               context=None, metadata=None, model=None, max_tokens=None):
        """model / max_tokens: the SDK's top-level fields, for every reply
        in the workspace (a message may override them)."""
        metadata = metadata or {}
        mode = metadata.get("mode")
        if mode not in MODES:
            mode = self.app.default_mode
        now = time.time()
        with self.lock:
            self._seq += 1
            ws = {"id": self.app.ids.new("ws_"), "mode": mode, "status": "active",
                  "metadata": metadata, "client_id": client_id, "system_prompt": system_prompt,
                  "context": context, "created_at": iso_now(now), "updated_at": iso_now(now),
                  "messages": [], "_activity": now, "_seq": self._seq,
                  "_model": model, "_max_tokens": max_tokens}
            self.workspaces[ws["id"]] = ws
            self._publish("workspace.created", {"workspace": self.ws_json(ws)}, ws["id"])
            self.changed.notify_all()
        msgs = []
        if initial_message is not None:
            res = self.send(ws["id"], initial_message)
            msgs.append(res["user_message"])
            if res["mode"] == "ai":
                msgs.extend(res["responses"])
        with self.lock:
            return self.ws_json(ws), msgs

    def _conversation(self, ws):
        conv = []
        if ws.get("system_prompt"):
            conv.append({"role": "system", "content": ws["system_prompt"]})
        for m in ws["messages"]:
            role = {"ai": "assistant", "human": "assistant"}.get(m["role"], m["role"])
            conv.append({"role": role, "content": m["content"]})
        return conv

    @staticmethod
    def _model(ws, override=None):
        """The model of a reply: the message's, else the workspace's (the
        top-level field; metadata.model as clients before it sent it)."""
        for name in (override, ws.get("_model"), (ws.get("metadata") or {}).get("model")):
            m = models.lookup(name) if isinstance(name, str) else None
            if m is not None:
                return m
        return models.lookup(models.DEFAULT_MODEL)

    def _append(self, ws, msg):
        ws["messages"].append(msg)
        self._touch(ws)
        self._publish("message.created", {"workspace_id": ws["id"], "message": self.msg_json(msg)},
                      ws["id"])

    def send(self, ws_id, content, model=None, max_tokens=None):
        """The public send path (customers use it too).  model / max_tokens
        override the workspace's for this message's reply."""
        with self.lock:
            ws = self._active(ws_id)
            umsg = {"id": self.app.ids.new("msg_"), "role": "user", "content": content,
                    "created_at": iso_now()}
            self._append(ws, umsg)
            mode = ws["mode"]
            conv = self._conversation(ws)
            model = self._model(ws, model)
            if max_tokens is None:
                max_tokens = ws.get("_max_tokens")
            context = ws.get("context") if isinstance(ws.get("context"), dict) else None
            reply_id = self.app.ids.new("msg_" if mode == "ai" else "drf_")
        out = {"user_message": self.msg_json(umsg), "responses": [], "mode": mode,
               "pending_approval": False}
        if mode == "takeover":
            return out
        seed = self.app.seed
        rng = textgen.conversation_rng(seed, model.id, conv, "pace")
        toks, _ = textgen.reply_tokens(seed, model, conv, max_tokens=max_tokens, context=context)
        if mode == "ai":
            stop = self.app.stopping
            for a, b in pacing.batches(self.app.clock, model, len(toks), rng, stop, min_gap=0.05):
                self._publish("message.delta", {"workspace_id": ws_id, "message_id": reply_id,
                                                "delta": "".join(toks[a:b])}, ws_id)
            msg = {"id": reply_id, "role": "ai", "content": "".join(toks), "created_at": iso_now(),
                   "approval": "direct"}
            with self.lock:
                ws = self.workspaces.get(ws_id)
                if ws is not None:
                    self._append(ws, msg)
            out["responses"] = [self.msg_json(msg)]
            return out
        # shadow: hold a draft
        self.app.stopping.wait(pacing.total_delay(self.app.clock, model, len(toks), rng))
        draft = {"id": reply_id, "workspace_id": ws_id, "content": "".join(toks),
                 "created_at": iso_now(), "in_reply_to": umsg["id"], "status": "pending",
                 "_ts": time.time()}
        with self.lock:
            ws = self.workspaces.get(ws_id)
            if ws is not None:
                self.drafts[reply_id] = draft
                self._touch(ws)
                self._publish("draft.pending", {"draft": self.draft_json(draft)}, ws_id)
        out["responses"] = [self.msg_json({"id": draft["id"], "role": "ai",
                                           "content": draft["content"],
                                           "created_at": draft["created_at"]})]
        out["pending_approval"] = True
        return out

    def typing(self, ws_id, text, who):
        with self.lock:
            self._active(ws_id)
        self._publish("typing", {"workspace_id": ws_id, "who": who, "text": text}, ws_id)

    def end(self, ws_id):
        with self.lock:
            ws = self.get(ws_id)
            if ws["status"] == "ended":
                return self.ws_json(ws)
            for d in self._pending(ws_id):
                self._decide(d, "rejected", reason="workspace ended")
            ws["status"] = "ended"
            self._touch(ws)
            self._publish("workspace.ended", {"workspace": self.ws_json(ws)}, ws_id)
            return self.ws_json(ws)

    # -- manager side -------------------------------------------------------------
    def set_mode(self, ws_id, mode):
        if mode not in MODES:
            raise ApiError(400, "bad_request", "mode must be one of ai, shadow, takeover.")
        with self.lock:
            ws = self._active(ws_id)
            prev = ws["mode"]
            if prev != mode:
                ws["mode"] = mode
                self._touch(ws)
                self._publish("mode.changed", {"workspace_id": ws_id, "mode": mode,
                                               "previous": prev}, ws_id)
            return self.ws_json(ws)

    def human_reply(self, ws_id, content):
        with self.lock:
            ws = self._active(ws_id)
            msg = {"id": self.app.ids.new("msg_"), "role": "human", "content": content,
                   "created_at": iso_now()}
            self._append(ws, msg)
            return self.msg_json(msg)

    def regenerate(self, ws_id, instructions=None):
        """A new draft answering the customer's last message, in any mode: a
        manager asked the AI again (after rejecting its draft, or in
        takeover).  Each attempt differs from the ones before."""
        with self.lock:
            ws = self._active(ws_id)
            last = [m for m in ws["messages"] if m["role"] == "user"]
            if not last:
                raise ApiError(409, "nothing_to_answer",
                               "Workspace %s has no customer message to answer." % ws_id)
            umsg = last[-1]
            attempt = 1 + sum(1 for d in self.drafts.values()
                              if d["workspace_id"] == ws_id and d["in_reply_to"] == umsg["id"])
            conv = self._conversation(ws)
            hint = "(Another answer, attempt %d.)" % attempt
            if instructions:
                hint += " " + instructions
            conv.append({"role": "system", "content": hint})
            model = self._model(ws)
            context = ws.get("context") if isinstance(ws.get("context"), dict) else None
            draft_id = self.app.ids.new("drf_")
        toks, _ = textgen.reply_tokens(self.app.seed, model, conv, context=context)
        rng = textgen.conversation_rng(self.app.seed, model.id, conv, "pace")
        self.app.stopping.wait(pacing.total_delay(self.app.clock, model, len(toks), rng))
        with self.lock:
            ws = self._active(ws_id)
            draft = {"id": draft_id, "workspace_id": ws_id, "content": "".join(toks),
                     "created_at": iso_now(), "in_reply_to": umsg["id"], "status": "pending",
                     "_ts": time.time()}
            self.drafts[draft_id] = draft
            self._touch(ws)
            self._publish("draft.pending", {"draft": self.draft_json(draft)}, ws_id)
            return self.draft_json(draft)

    def _pending(self, ws_id=None):
        return sorted((d for d in self.drafts.values()
                       if d["status"] == "pending" and (ws_id is None or d["workspace_id"] == ws_id)),
                      key=lambda d: d["_ts"])

    def pending_drafts(self, ws_id=None):
        with self.lock:
            if ws_id is not None:
                self.get(ws_id)
            out = []
            for d in self._pending(ws_id):
                j = self.draft_json(d)
                ws = self.workspaces.get(d["workspace_id"])
                src = [m for m in (ws["messages"] if ws else []) if m["id"] == d["in_reply_to"]]
                j["in_reply_to_message"] = self.msg_json(src[0]) if src else None
                out.append(j)
            return out

    def _draft(self, draft_id):
        d = self.drafts.get(draft_id)
        if d is None:
            raise not_found("No draft with id %s." % draft_id)
        if d["status"] != "pending":
            raise ApiError(409, "draft_not_pending", "Draft %s was already %s." % (draft_id, d["status"]))
        return d

    def _decide(self, d, status, reason=None):
        d["status"] = status
        d["decided_at"] = iso_now()
        if status == "rejected":
            d["reason"] = reason
            self._publish("draft.rejected", {"draft": self.draft_json(d), "reason": reason},
                          d["workspace_id"])
        self.changed.notify_all()

    def approve(self, draft_id, content=None):
        with self.lock:
            d = self._draft(draft_id)
            ws = self._active(d["workspace_id"])
            edited = content is not None and content != d["content"]
            if edited:
                d["original_content"] = d["content"]
                d["content"] = content
            self._decide(d, "approved")
            msg = {"id": self.app.ids.new("msg_"), "role": "ai", "content": d["content"],
                   "created_at": iso_now(), "approval": "edited" if edited else "approved",
                   "draft_id": d["id"]}
            ws["messages"].append(msg)
            self._touch(ws)
            self._publish("draft.approved", {"draft": self.draft_json(d),
                                             "message": self.msg_json(msg)}, ws["id"])
            self._publish("message.created", {"workspace_id": ws["id"],
                                              "message": self.msg_json(msg)}, ws["id"])
            return self.draft_json(d), self.msg_json(msg)

    def reject(self, draft_id, reason=None):
        with self.lock:
            d = self._draft(draft_id)
            self._decide(d, "rejected", reason=reason)
            ws = self.workspaces.get(d["workspace_id"])
            if ws is not None:
                self._touch(ws)
            return self.draft_json(d)

    def manager_list(self, mode=None, status=None):
        with self.lock:
            out = []
            for ws in self.workspaces.values():
                if (mode and ws["mode"] != mode) or (status and ws["status"] != status):
                    continue
                j = self.ws_json(ws)
                j["last_activity_at"] = iso_now(ws["_activity"])
                j["message_count"] = len(ws["messages"])
                j["pending_drafts"] = len(self._pending(ws["id"]))
                j["last_message"] = self.msg_json(ws["messages"][-1]) if ws["messages"] else None
                out.append((ws["_activity"], ws["_seq"], j))
            out.sort(key=lambda t: (t[0], t[1]), reverse=True)
            return [t[2] for t in out]

    def wait_reply(self, ws_id, after_index, timeout, stop):
        """Block until a non-user message lands after `after_index` in the
        history (for simulated customers).  True if one did."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not stop.is_set():
                ws = self.workspaces.get(ws_id)
                if ws is None or ws["status"] != "active":
                    return False
                if any(m["role"] in ("ai", "human") for m in ws["messages"][after_index:]):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 0.5))
            return False

    # -- persistence ----------------------------------------------------------------
    def snapshot(self):
        with self.lock:
            return {"seq": self._seq,
                    "workspaces": [dict(w, messages=list(w["messages"])) for w in self.workspaces.values()],
                    "drafts": [dict(d) for d in self.drafts.values()]}

    def restore(self, snap):
        with self.lock:
            self._seq = int(snap.get("seq", 0))
            for w in snap.get("workspaces", []):
                self.workspaces[w["id"]] = w
                self.app.ids.reserve(w["id"])
                for m in w.get("messages", []):
                    self.app.ids.reserve(m["id"])
            for d in snap.get("drafts", []):
                self.drafts[d["id"]] = d
                self.app.ids.reserve(d["id"])

    def reset(self):
        with self.lock:
            self.workspaces.clear()
            self.drafts.clear()
            self.changed.notify_all()
