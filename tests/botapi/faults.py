"""Faults the stand-in injects as Telegram produces them: errors, slow replies, resets, limits."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .errors import DEFAULT_DESCRIPTIONS, ApiError


@dataclass
class Fault:
    code: int
    description: str
    parameters: dict | None = None


@dataclass
class Delay:
    seconds: float
    remaining: int | None


@dataclass
class RateLimit:
    per_second: int | None
    per_chat_per_minute: int | None
    per_private_chat_per_second: int | None = None
    per_group_per_minute: int | None = None
    times: deque = field(default_factory=deque)
    chat_times: dict[int, deque] = field(default_factory=dict)
    private_times: dict[int, deque] = field(default_factory=dict)
    group_times: dict[int, deque] = field(default_factory=dict)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (chat_id, which limit)


class FaultsMixin:
    """Fault injection and flood limits of BotApiStandIn (state lives on the stand-in)."""

    def fail_next(
        self,
        method: str,
        count: int = 1,
        error_code: int = 429,
        retry_after: int = 2,
        description: str | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls of `method` ("*" for any) fail with error_code."""
        parameters: dict[str, int] | None = None
        if error_code == 429:
            parameters = {"retry_after": retry_after}
            description = description or f"Too Many Requests: retry after {retry_after}"
        if migrate_to_chat_id is not None:
            parameters = {"migrate_to_chat_id": migrate_to_chat_id}
        description = description or DEFAULT_DESCRIPTIONS.get(error_code, "Unknown error")
        with self._cond:
            queue = self._faults.setdefault(self._key(method), deque())
            queue.extend(Fault(error_code, description, parameters) for _ in range(count))

    def clear_faults(self, method: str = "*") -> None:
        """Forget the failures still queued for `method` ("*": the catch-all queue)."""
        with self._cond:
            self._faults.pop(self._key(method), None)

    def rate_limit(
        self,
        per_second: int | None = 30,
        per_chat_per_minute: int | None = None,
        *,
        per_private_chat_per_second: int | None = None,
        per_group_per_minute: int | None = None,
    ) -> None:
        """Limit sending methods (send*/edit*) with sliding windows, answering 429 beyond them:
        overall per second, per chat per minute, per private chat per second, and per group or
        channel (negative chat ids) per minute. All None switches limits off."""
        limits = (per_second, per_chat_per_minute, per_private_chat_per_second,
                  per_group_per_minute)
        with self._cond:
            if all(limit is None for limit in limits):
                self._rate = None
            else:
                self._rate = RateLimit(*limits)

    def telegram_limits(self) -> None:
        """Telegram's documented limits: 30 messages/s overall, 1/s per private chat, 20/min
        per group or channel."""
        self.rate_limit(30, per_private_chat_per_second=1, per_group_per_minute=20)

    @property
    def refused_by_limits(self) -> list[tuple[int, str]]:
        """(chat_id, limit) of every call a flood limit answered with 429."""
        with self._cond:
            return list(self._rate.refused) if self._rate else []

    def delay(self, method: str, seconds: float, count: int | None = None) -> None:
        """Answer `method` only after `seconds` (it is processed at once); 0 switches it off."""
        with self._cond:
            if seconds <= 0:
                self._delays.pop(self._key(method), None)
            else:
                self._delays[self._key(method)] = Delay(seconds, count)

    def drop_next(self, method: str, count: int = 1, after_processing: bool = False) -> None:
        """Reset the connection on the next `count` calls, before or after acting on them."""
        with self._cond:
            self._drops.setdefault(self._key(method), deque()).extend([after_processing] * count)


    # -- shared machinery --------------------------------------------------------------------

    @staticmethod
    def _key(method: str) -> str:
        return method.lower()

    @staticmethod
    def _take(table: dict[str, deque], key: str) -> Any:
        """Pop the next queued item for a method, or for "*", or return None."""
        for name in (key, "*"):
            queue = table.get(name)
            if queue:
                return queue.popleft()
        return None

    def _take_delay(self, key: str) -> float:
        with self._cond:
            delay = self._delays.get(key) or self._delays.get("*")
            if delay is None:
                return 0.0
            if delay.remaining is not None:
                delay.remaining -= 1
                if delay.remaining <= 0:
                    self._delays = {k: v for k, v in self._delays.items() if v is not delay}
            return delay.seconds


    def _check_rate(self, chat_id: int) -> None:
        """Apply the configured flood limits to one sending call (reserving a slot)."""
        rate = self._rate
        if rate is None:
            return
        now = time.monotonic()
        windows: list[tuple[deque, int, float, str]] = []
        if rate.per_second is not None:
            windows.append((rate.times, rate.per_second, 1.0, "overall"))
        if rate.per_chat_per_minute is not None:
            times = rate.chat_times.setdefault(chat_id, deque())
            windows.append((times, rate.per_chat_per_minute, 60.0, "chat"))
        if rate.per_private_chat_per_second is not None and chat_id > 0:
            times = rate.private_times.setdefault(chat_id, deque())
            windows.append((times, rate.per_private_chat_per_second, 1.0, "private chat"))
        if rate.per_group_per_minute is not None and chat_id < 0:
            times = rate.group_times.setdefault(chat_id, deque())
            windows.append((times, rate.per_group_per_minute, 60.0, "group"))
        for times, limit, span, name in windows:
            while times and times[0] <= now - span:
                times.popleft()
            if len(times) >= limit:
                wait = max(1, math.ceil(times[0] + span - now))
                rate.refused.append((chat_id, name))
                raise ApiError(429, f"Too Many Requests: retry after {wait}",
                               {"retry_after": wait})
        for times, _, _, _ in windows:
            times.append(now)
