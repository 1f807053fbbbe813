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
        if self.on_change is not None and etype not in NOT_RETAINED:
            self.on_change()
        return ev

    def reset(self):
        with self.cond:
            self.last_id = 0
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

    # -- subscribing ----------------------------------------------------------
    def start(self, resume_from):
        """Begin a subscription.  Returns (cursor, replay_events, reset_reason)."""
        with self.cond:
            if resume_from is None:
                return self.last_id, [], None
            if resume_from > self.last_id:
                return self.last_id, [], "last_event_id is newer than the newest event"
            if resume_from < self.floor:
                return self.last_id, [], "last_event_id is older than the oldest retained event"
            replay = [e for e in self.retained if e.id > resume_from]
            return self.last_id, replay, None

    def wait(self, cursor, generation, timeout):
        """Events after `cursor`, waiting up to `timeout` seconds.
        Returns (events, new_cursor, reset_reason)."""
        with self.cond:
            if not (self.last_id > cursor or self.generation != generation or self.stopping):
                self.cond.wait(timeout)
            if self.stopping:
                return [], cursor, None
            if self.generation != generation:
                return [], self.last_id, "server state was reset"
            if self.last_id <= cursor:
                return [], cursor, None
            if cursor < self.last_id and self.live and self.live[0].id > cursor + 1:
                return [], self.last_id, "subscriber fell too far behind"
            if not self.live:
                return [], self.last_id, None
            start = cursor + 1 - self.live[0].id
            evs = list(itertools.islice(self.live, max(0, start), None))
            return evs, self.last_id, None
