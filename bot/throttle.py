"""Per-user rate limiting of expensive commands (a token bucket per user, in memory)."""

from __future__ import annotations

import time
from collections.abc import Callable


class Throttle:
    """Allow each key `burst` requests at once, refilled at `per_second`; others wait."""

    def __init__(self, burst: int = 5, per_second: float = 0.5, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_second
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: dict[object, tuple[float, float]] = {}  # key -> (tokens, at)

    def wait_time(self, key: object) -> float:
        """0 and one token spent if `key` may go now, else the seconds until it may."""
        now = self.clock()
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - at) * self.per_second)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            self._forget_idle(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        # Keys whose bucket has refilled carry no information: drop them to bound memory.
        if len(self._buckets) <= self.max_keys:
            return
        full = self.burst / self.per_second
        self._buckets = {key: (tokens, at) for key, (tokens, at) in self._buckets.items()
                         if now - at < full}
