"""The one way a message reaches Telegram: paced under its limits, retried by one policy.

Instant posts, digests, breaking alerts, command answers and button edits all go through
`Sender`. What a Telegram error means is decided by one pure function (`verdict_for`), when to
try again by one `RetryPolicy`, and every final outcome passes through `Sender.finish`, the one
place a metrics hook (`on_outcome`) sees it.

Pacing is planned, not discovered: a `Pacer` keeps the whole bot under NEWSBOT_SEND_RATE
messages/s, each private chat under one message a second and each group or channel under 20 a
minute, and lets command answers overtake queued fan-out messages, so a user is answered at
once while 10,000 digests go out.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import math
import os
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Protocol

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.render import to_plain
from bot.replies import Reply

log = logging.getLogger(__name__)

# PTB 22 gives durations such as RetryAfter.retry_after as int seconds with a deprecation
# warning, or, opted in, as the timedelta its next major version will give; `seconds` reads
# both, and nothing else of ours reads a PTB duration.
os.environ.setdefault("PTB_TIMEDELTA", "1")

PRIVATE_INTERVAL = 1.25  # s between messages to one private chat (Telegram: ~1/s sustained)
GROUP_INTERVAL = 3.25  # s between messages to one group or channel (Telegram: 20/min)
CATCH_UP = 0.1  # of an interval: how much of a late wake-up the next message may make up


class Outcome(StrEnum):
    """How one send or edit ended (or, for RETRY, how one attempt did)."""

    SENT = "sent"
    MAYBE_SENT = "maybe_sent"  # the answer timed out after Telegram had the whole request
    NOT_MODIFIED = "not_modified"  # an edit to the text the message already has
    GONE = "gone"  # the message to edit or delete is not there (deleted, or too old to delete)
    RETRY = "retry"  # flood limit, network, server error: try again
    MOVED = "moved"  # the group became a supergroup with a new id
    UNREACHABLE = "unreachable"  # blocked, removed, chat or topic gone: stop sending there
    NO_RIGHTS = "no_rights"  # restricted in the group, or no right to post in the channel
    REFUSED = "refused"  # Telegram refused this message (a bug on our side, e.g. bad HTML)
    FAILED = "failed"  # retries ran out


class Priority(IntEnum):
    """Who goes first when the overall limit makes messages queue (lower first)."""

    REPLY = 0
    ALERT = 1
    INSTANT = 2
    DIGEST = 3


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a Telegram error means for this message."""

    outcome: Outcome
    reason: str = ""
    retry_after: float | None = None  # Telegram's own wait, for flood limits
    new_chat_id: int | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message goes: a chat and, in a forum, one topic of it (0: none)."""

    chat_id: int
    thread_id: int = 0


@dataclass(frozen=True, slots=True)
class SendResult:
    """How a send ended: the outcome, the chat it ended in, Telegram's message_id if known."""

    outcome: Outcome
    chat_id: int
    message_id: int | None = None
    reason: str = ""
    new_chat_id: int | None = None

    @property
    def delivered(self) -> bool:
        """Whether the message is (or is taken to be) in the chat now."""
        return self.outcome in (Outcome.SENT, Outcome.MAYBE_SENT, Outcome.NOT_MODIFIED)


def verdict_for(error: Exception) -> Verdict:
    """Translate a PTB error into what to do about the message (pure)."""
    if isinstance(error, RetryAfter):
        return Verdict(Outcome.RETRY, "flood limit", retry_after=seconds(error.retry_after))
    if isinstance(error, ChatMigrated):
        return Verdict(Outcome.MOVED, "group became a supergroup", new_chat_id=error.new_chat_id)
    if isinstance(error, Forbidden):
        return Verdict(Outcome.UNREACHABLE, error.message)
    if isinstance(error, BadRequest):
        message = error.message.lower()
        if "not modified" in message:
            return Verdict(Outcome.NOT_MODIFIED, error.message)
        if any(phrase in message for phrase in _GONE):
            return Verdict(Outcome.GONE, error.message)
        if "chat not found" in message or "thread not found" in message \
                or "topic_deleted" in message:
            return Verdict(Outcome.UNREACHABLE, error.message)
        if any(phrase in message for phrase in _NO_RIGHTS):
            return Verdict(Outcome.NO_RIGHTS, error.message)
        return Verdict(Outcome.REFUSED, error.message)
    if isinstance(error, TimedOut):
        if reached_telegram(error):
            return Verdict(Outcome.MAYBE_SENT, "Telegram's answer timed out")
        # Connect, pool or write timeout: the request never reached Telegram whole.
        return Verdict(Outcome.RETRY, f"network: {error.message}")
    if isinstance(error, NetworkError):  # resets, 5xx: retried (a rare duplicate over a loss)
        return Verdict(Outcome.RETRY, f"network: {error.message}")
    if isinstance(error, TelegramError):
        return Verdict(Outcome.REFUSED, error.message)
    raise error


# Telegram's answers when the message an edit or delete names is not (or no longer) the bot's
# to change: deleted by a user, or older than Telegram lets a bot delete.
_GONE = ("message to edit not found", "message to delete not found", "message can't be deleted",
         "message can't be edited", "message_id_invalid")


# Telegram's answers when the bot is in the chat but may not post there: restricted by a
# group's admins, or a channel admin without "Post messages". The bot stays; the admins may
# give the right back at any time (and in October 2023 Telegram itself answered the first one
# wrongly for a day), so the target is tried again later rather than dropped.
# A forum topic its admins closed is the same: it may be reopened (Telegram then says so with a
# service message), so it is held too, not dropped like a deleted one.
_NO_RIGHTS = ("not enough rights to send", "have no rights to send", "need administrator rights",
              "chat_write_forbidden", "chat_send_plain_forbidden", "chat_restricted",
              "chat_admin_required", "topic_closed")


def reached_telegram(error: TimedOut) -> bool:
    """Tell whether a timed-out request was sent whole, so Telegram has likely acted on it."""
    # Only a read timeout comes after the whole request went out; resending then would most
    # likely show the message twice. Connect, pool and write timeouts never reached Telegram.
    return isinstance(error.__cause__, httpx.ReadTimeout)


def seconds(value: Any) -> float:
    """retry_after as float seconds: PTB gives an int or, in newer versions, a timedelta."""
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def doubling(attempt: int, first: float, cap: float) -> float:
    """The back-off of the `attempt`-th try: `first`, twice it, four times … never over `cap`."""
    return min(first * 2 ** (attempt - 1), cap)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The one retry policy: Telegram's wait for flood limits, else exponential back-off
    (0.5, 1, 2, 4 s with jitter: a user's answer is not held for long, a digest tries again
    at the next tick)."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 60.0

    def next_delay(self, verdict: Verdict, attempt: int,
                   jitter: Callable[[], float] = random.random) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up."""
        if verdict.outcome is not Outcome.RETRY or attempt >= self.attempts:
            return None
        if verdict.retry_after is not None:
            return min(verdict.retry_after, self.max_delay)
        # Jitter, so many chats failing together do not retry in lockstep.
        return doubling(attempt, self.base_delay * (0.5 + jitter()), self.max_delay)


class Pacer:
    """Spaces sends: per chat (private ~1/s, groups and channels 20/min), and overall at
    `rate`/s with queued messages released by priority (answers before fan-out)."""

    def __init__(self, rate: float, *, private_interval: float = PRIVATE_INTERVAL,
                 group_interval: float = GROUP_INTERVAL,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval = 1 / rate
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.clock = clock
        self.sleep = sleep
        self._chat_next: dict[int, float] = {}
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._next_free = 0.0
        self._window: deque[float] = deque()  # release moments within the last second
        self.per_second = max(1, math.floor(rate))
        self._releaser: asyncio.Task[None] | None = None

    async def wait(self, chat_id: int, priority: Priority) -> None:
        """Return when a message to chat_id may go out under every limit."""
        now = self.clock()
        start = max(now, self._chat_next.get(chat_id, 0.0))
        # Chat ids of groups and channels are negative; private chats are users' ids.
        self._chat_next[chat_id] = start + (self.private_interval if chat_id > 0
                                            else self.group_interval)
        if len(self._chat_next) > 50_000:  # forget chats whose spacing has long passed
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
        if start > now:
            await self.sleep(start - now)
        await self._overall(priority)

    def hold_chat(self, chat_id: int, delay: float) -> None:
        """Send nothing more to this chat for `delay` s (after Telegram said to wait)."""
        until = self.clock() + delay
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), until)

    def _take_slot(self) -> float:
        """0 and the slot taken if one is free now, else the seconds until one may be."""
        now = self.clock()
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        wait = self._next_free - now
        if len(window) >= self.per_second:  # the sliding second Telegram counts is full
            wait = max(wait, window[0] + 1.0 - now)
        if wait > 0:
            return wait
        window.append(now)
        # Evenly spaced. A late wake-up may be made up by at most a tenth of an interval per
        # message (3.4 ms at 29.5/s), so lateness does not add up to lost rate (it cost 3.5 %
        # of it) while no two messages come closer than 0.9 intervals: making up whole slots
        # sent them closer together, and the jitter on their way then put 31 into the second
        # the far end counts (bench/results/README.md, section 4).
        self._next_free = max(self._next_free, now - CATCH_UP * self.interval) + self.interval
        return 0.0

    async def _overall(self, priority: Priority) -> None:
        if not self._queue and self._take_slot() == 0:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (int(priority), next(self._order), future))
        if self._releaser is None or self._releaser.done():
            self._releaser = asyncio.create_task(self._release(), name="send-pacer")
        await future

    async def _release(self) -> None:
        # One slot per interval goes to the most urgent waiter at that moment, so an answer
        # that arrives behind a thousand queued digest messages is next, not last.
        while self._queue:
            delay = self._take_slot()
            if delay > 0:
                await self.sleep(delay)
                continue
            _, _, future = heapq.heappop(self._queue)
            if not future.done():
                future.set_result(None)


class MessageSender(Protocol):
    """What delivery needs from a front end: send one reply to an address."""

    async def send(self, address: Address, reply: Reply, priority: Priority = Priority.REPLY,
                   purpose: str = "reply") -> SendResult:
        """Send one message (a digest, instant post, alert or reply) and say how it ended."""


class MessageEditor(Protocol):
    """What editing sent messages needs from a front end: edit one, delete one."""

    async def edit(self, chat_id: int, message_id: int, reply: Reply,
                   priority: Priority = Priority.REPLY) -> SendResult:
        """Replace a message's text and say how it ended."""

    async def delete(self, chat_id: int, message_id: int,
                     priority: Priority = Priority.REPLY) -> SendResult:
        """Delete a message and say how it ended."""


OutcomeHook = Callable[[str, Outcome], None]


class Sender:
    """Sends and edits Telegram messages through a Pacer under one RetryPolicy."""

    def __init__(self, bot: Any, pacer: Pacer, policy: RetryPolicy = RetryPolicy(), *,
                 on_outcome: OutcomeHook | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.bot = bot
        self.pacer = pacer
        self.policy = policy
        self.on_outcome = on_outcome
        self.sleep = sleep

    async def send(self, address: Address, reply: Reply, priority: Priority = Priority.REPLY,
                   purpose: str = "reply") -> SendResult:
        """Send one message; retried as the policy says; never raises for Telegram's errors.
        `purpose` (digest, instant, burst, alert, reply) is what the outcome hook is told."""
        chat_id = address.chat_id

        def call(text: str, html: bool) -> Awaitable[Any]:
            return self.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML if html else None,
                message_thread_id=address.thread_id or None, reply_markup=markup(reply),
                link_preview_options=preview_options(reply))

        return await self._attempts(purpose, chat_id, priority, reply, call)

    async def edit(self, chat_id: int, message_id: int, reply: Reply,
                   priority: Priority = Priority.REPLY) -> SendResult:
        """Replace a message's text and buttons; 'not modified' is an outcome, not an error."""

        def call(text: str, html: bool) -> Awaitable[Any]:
            return self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id,
                parse_mode=ParseMode.HTML if html else None, reply_markup=markup(reply),
                link_preview_options=preview_options(reply))

        return await self._attempts("edit", chat_id, priority, reply, call)

    async def delete(self, chat_id: int, message_id: int,
                     priority: Priority = Priority.REPLY) -> SendResult:
        """Delete one of the bot's messages; a message already gone is an outcome (GONE)."""

        def call(text: str, html: bool) -> Awaitable[Any]:
            return self.bot.delete_message(chat_id, message_id)

        return await self._attempts("delete", chat_id, priority, Reply("-"), call)

    async def _attempts(self, kind: str, chat_id: int, priority: Priority, reply: Reply,
                        call: Callable[[str, bool], Awaitable[Any]]) -> SendResult:
        html = True
        attempt = 0
        while True:
            attempt += 1
            await self.pacer.wait(chat_id, priority)
            try:
                message = await call(reply.text if html else to_plain(reply.text)[:4096], html)
            except TelegramError as error:
                verdict = verdict_for(error)
            else:
                message_id = getattr(message, "message_id", None)
                return self.finish(kind, SendResult(Outcome.SENT, chat_id, message_id))
            if verdict.outcome is Outcome.REFUSED and html and kind != "delete":
                # Our HTML should always parse; if Telegram disagrees, the text still gets there.
                log.error("Telegram refused a message to %s (%s); sending it as plain text",
                          chat_id, verdict.reason)
                html = False
                continue
            if verdict.outcome is Outcome.RETRY and verdict.retry_after is not None:
                self.pacer.hold_chat(chat_id, verdict.retry_after)
            delay = self.policy.next_delay(verdict, attempt)
            if delay is None:
                outcome = Outcome.FAILED if verdict.outcome is Outcome.RETRY else verdict.outcome
                return self.finish(kind, SendResult(outcome, chat_id, reason=verdict.reason,
                                                    new_chat_id=verdict.new_chat_id))
            log.info("%s to %s: %s; trying again in %.1f s", kind, chat_id, verdict.reason, delay)
            await self.sleep(delay)

    def finish(self, kind: str, result: SendResult) -> SendResult:
        """The one place every final outcome passes (logging, and the metrics hook)."""
        if result.outcome is Outcome.MAYBE_SENT:
            log.warning("message to chat %s may have been delivered (%s); not sending it again",
                        result.chat_id, result.reason)
        elif result.outcome is Outcome.FAILED:
            log.warning("giving up on a %s to chat %s for now: %s", kind, result.chat_id,
                        result.reason)
        if self.on_outcome is not None:
            self.on_outcome(kind, result.outcome)
        return result


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a reply's buttons, or None."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data)
                                  for b in row] for row in reply.buttons])


def preview_options(reply: Reply) -> LinkPreviewOptions:
    """Telegram's link preview for a reply: none, its link, or its image large above the text."""
    if reply.preview_url is None:
        return LinkPreviewOptions(is_disabled=True)
    if reply.large_preview:
        return LinkPreviewOptions(url=reply.preview_url, prefer_large_media=True,
                                  show_above_text=True)
    return LinkPreviewOptions(url=reply.preview_url, prefer_small_media=True)
