"""Token pacing: time to first token, then tokens at the model's rate."""

import time

from .util import real_sleep


def total_delay(clock, model, n, rng):
    """Real seconds a non-streamed answer of n tokens takes."""
    if clock.unlimited:
        return 0.0
    ttft = model.ttft * (1 + rng.uniform(-0.15, 0.15))
    return clock.wait_scale(ttft + n / float(model.tps))


def batches(clock, model, n, rng, stop=None, min_gap=0.005, max_batch=8192, start=None):
    """Yield (start, end) token index ranges, sleeping until they are due.

    The first token is due after the model's TTFT, then one every 1/tps
    (simulated seconds, scaled by the clock), with +-20 % seeded jitter.
    Tokens due within `min_gap` real seconds are sent together.  With an
    unlimited clock (--speed 0) nothing waits and batches are large.  Times
    count from `start` (time.monotonic() of the request's arrival) if given.
    """
    if n <= 0:
        return
    if clock.unlimited:
        for i in range(0, n, max_batch):
            yield i, min(n, i + max_batch)
        return
    t0 = start if start is not None else time.monotonic()
    due = clock.wait_scale(model.ttft * (1 + rng.uniform(-0.15, 0.15)))
    gap = clock.wait_scale(1.0 / model.tps)
    i = 0
    while i < n:
        now = time.monotonic() - t0
        if due > now + min_gap:
            if not real_sleep(due - now, stop):
                return
            now = time.monotonic() - t0
        horizon = now + min_gap
        j = i
        if gap * 8 < min_gap:
            k = max(1, int((horizon - due) / gap) + 1)
            k = min(k, n - i, max_batch)
            j = i + k
            due += k * gap * (1 + rng.uniform(-0.05, 0.05))
        else:
            while j < n and due <= horizon and j - i < max_batch:
                j += 1
                due += gap * (1 + rng.uniform(-0.2, 0.2))
        yield i, j
        i = j
