"""The manager event bus: one global, strictly increasing event id.

Two buffers: `live` holds every recent event (deltas too) for connected
subscribers; `retained` holds the last RETAIN events that can be replayed on
resume (message.delta is not retained).  `floor` is the id of the newest
retained event that was dropped: resuming from an id below it gets a reset.
"""

import collections
import itertools
import threading

from .util import dumps, encode

RETAIN = 10000
LIVE = 20000
NOT_RETAINED = ("message.delta",)


class Event:
    __slots__ = ("id", "type", "data", "ws", "_wire")

    def __init__(self, ident, etype, data, ws):
        self.id = ident
        self.type = etype
        self.data = data
        self.ws = ws
        self._wire = None

    def wire(self):
        if self._wire is None:
            self._wire = encode("id: %d\nevent: %s\ndata: %s\n\n" % (self.id, self.type, dumps(self.data)))
        return self._wire

    def to_json(self):
        return {"id": self.id, "type": self.type, "data": self.data, "ws": self.ws}


class EventBus:
    def __init__(self):
        self.cond = threading.Condition()
        self.last_id = 0
        self.floor = 0
        self.generation = 0
        self.live = collections.deque()
        self.retained = collections.deque()
        self.subscribers = 0
        self.stopping = False
        self.on_change = None
        # --sync-state: events reach subscribers only once saved (release);
        # without it every event is visible at once.
        self.hold = False
        self.released = 0

    def _top(self):
        """The newest event a subscriber may see (call with cond held)."""
        return min(self.last_id, self.released) if self.hold else self.last_id

    def release(self, upto):
        """The events up to id `upto` are saved: subscribers may see them."""
        with self.cond:
            if upto > self.released:
                self.released = upto
                self.cond.notify_all()

    def publish(self, etype, data, ws=None):
        with self.cond:
            self.last_id += 1
            ev = Event(self.last_id, etype, data, ws)
            self.live.append(ev)
            if len(self.live) > LIVE:
                self.live.popleft()
            if etype not in NOT_RETAINED:
                self.retained.append(ev)
                if len(self.retained) > RETAIN:
                    self.floor = self.retained.popleft().id
            self.cond.notify_all()
        # Held events wait for a save, which live-only ones would not bring.
        if self.on_change is not None and (etype not in NOT_RETAINED or self.hold):
            self.on_change()
        return ev

    def reset(self):
        with self.cond:
            self.last_id = 0
            self.released = 0
            self.floor = 0
            self.live.clear()
            self.retained.clear()
            self.generation += 1
            self.cond.notify_all()

    def stop(self):
        with self.cond:
            self.stopping = True
            self.cond.notify_all()

    # -- persistence ----------------------------------------------------------
    def snapshot(self, tail=1000):
        with self.cond:
            evs = list(self.retained)[-tail:]
            floor = self.floor
            if len(self.retained) > tail:
                floor = self.retained[-tail - 1].id
            return {"last_id": self.last_id, "floor": floor,
                    "events": [e.to_json() for e in evs]}

    def restore(self, snap):
        with self.cond:
            self.last_id = int(snap.get("last_id", 0))
            self.floor = int(snap.get("floor", 0))
            self.retained.clear()
            self.live.clear()
            for e in snap.get("events", []):
                self.retained.append(Event(e["id"], e["type"], e["data"], e.get("ws")))
            if self.retained:
                self.floor = max(self.floor, self.retained[0].id - 1)
            else:
                self.floor = self.last_id
            self.released = self.last_id  # loaded from the file: saved

    # -- subscribing ----------------------------------------------------------
    def start(self, resume_from):
        """Begin a subscription.  Returns (cursor, replay_events, reset_reason)."""
        with self.cond:
            top = self._top()
            if resume_from is None:
                return top, [], None
            if resume_from > top:
                return top, [], "last_event_id is newer than the newest event"
            if resume_from < self.floor:
                return top, [], "last_event_id is older than the oldest retained event"
            replay = [e for e in self.retained if resume_from < e.id <= top]
            return top, replay, None

    def wait(self, cursor, generation, timeout):
        """Events after `cursor`, waiting up to `timeout` seconds.
        Returns (events, new_cursor, reset_reason)."""
        with self.cond:
            if not (self._top() > cursor or self.generation != generation or self.stopping):
                self.cond.wait(timeout)
            if self.stopping:
                return [], cursor, None
            top = self._top()
            if self.generation != generation:
                return [], top, "server state was reset"
            if top <= cursor:
                return [], cursor, None
            if self.live and self.live[0].id > cursor + 1:
                return [], top, "subscriber fell too far behind"
            if not self.live:
                return [], top, None
            start = cursor + 1 - self.live[0].id
            evs = [e for e in itertools.islice(self.live, max(0, start), None) if e.id <= top]
            return evs, top, None
