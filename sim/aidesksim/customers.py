"""Simulated customers (--customers N): each slot opens a workspace, types,
sends through the same code path as the public send, waits for an answer,
follows up 1-4 times, ends the workspace, and is replaced by a new customer."""

import random
import sys
import threading

from . import textbank as B
from .util import ApiError

TYPING_MIN, TYPING_MAX = 0.15, 0.30       # seconds between typing events
TAKEOVER_PATIENCE = 90.0                  # seconds waiting for a human
SHADOW_PATIENCE = 120.0                   # seconds waiting for an approval


class Customers:
    def __init__(self, app, n):
        self.app = app
        self.n = n
        self.threads = []
        self._counter = 0
        self._lock = threading.Lock()

    def start(self):
        for i in range(self.n):
            t = threading.Thread(target=self._slot, args=(i,), name="customer-%d" % i, daemon=True)
            t.start()
            self.threads.append(t)

    def join(self, timeout=1.0):
        for t in self.threads:
            t.join(timeout)

    def _slot(self, i):
        rng = random.Random("customers:%s:%d" % (self.app.seed, i))
        stop = self.app.stopping
        clock = self.app.clock
        # stagger the first arrivals
        if not clock.sleep_span(rng.uniform(0.2, 1.5) * (i + 1), stop):
            return
        while not stop.is_set():
            try:
                self._one(rng)
            except ApiError:
                pass                              # workspace vanished (reset) or ended
            except Exception as e:                # keep the slot alive whatever happens
                if not self.app.quiet:
                    sys.stderr.write("aidesk-sim: customer %d: %r\n" % (i, e))
            if not clock.sleep_span(rng.uniform(1.0, 4.0), stop):
                return

    def _next_name(self, rng):
        with self._lock:
            self._counter += 1
            n = self._counter
        return rng.choice(B.CUSTOMER_NAMES), n

    def _type_and_send(self, rng, ws_id, text):
        stop, clock, store = self.app.stopping, self.app.clock, self.app.store
        words = text.split(" ")
        for k in range(1, len(words) + 1):
            store.typing(ws_id, " ".join(words[:k]), "customer")
            if not clock.sleep_span(rng.uniform(TYPING_MIN, TYPING_MAX), stop):
                return None
        return store.send(ws_id, text)

    def _one(self, rng):
        stop, clock, store = self.app.stopping, self.app.clock, self.app.store
        name, n = self._next_name(rng)
        order = "ORD-%05d" % rng.randrange(10000, 99999)
        context = {"name": name.capitalize(), "tier": rng.choice(B.TIERS), "order": order}
        metadata = {"source": "aidesk-sim"}
        if rng.random() < 1.0 / 3:
            metadata["mode"] = "shadow"
        ws, _ = store.create(client_id="cust_%s_%d" % (name, n), system_prompt=B.SUPPORT_PROMPT,
                             context=context, metadata=metadata)
        ws_id = ws["id"]
        texts = [rng.choice(B.CUSTOMER_OPENERS).format(order=order)]
        texts += rng.sample(B.CUSTOMER_FOLLOWUPS, rng.randrange(1, 5))
        for text in texts:
            if not clock.sleep_span(rng.uniform(0.5, 2.0), stop):
                return
            with store.lock:
                before = len(store.get(ws_id)["messages"])
            res = self._type_and_send(rng, ws_id, text)
            if res is None:
                return
            if res["mode"] != "ai":
                patience = TAKEOVER_PATIENCE if res["mode"] == "takeover" else SHADOW_PATIENCE
                if not store.wait_reply(ws_id, before + 1, clock.span(patience), stop):
                    if stop.is_set():
                        return
                    with store.lock:
                        active = store.get(ws_id)["status"] == "active"
                    if active:
                        store.send(ws_id, "Never mind, I'll try again later.")
                    break
            if not clock.sleep_span(rng.uniform(2.0, 6.0), stop):
                return
        store.end(ws_id)
