"""Delivering replies to a chat with the ledger: nothing delivered twice, nothing skipped.

The front end gives a `send` coroutine that raises one of the exceptions below; this module
decides what to retry, when to give up on a chat, and what to write down. It knows no Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.commands import Reply
from storage import chats as chat_store

log = logging.getLogger(__name__)


class ChatUnreachable(Exception):
    """The chat blocked or removed the bot, or does not exist: stop delivering there."""


class ChatMoved(Exception):
    """The group became a supergroup with a new id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class MaybeDelivered(Exception):
    """Telegram got the message but its answer never came (a read timeout): do not resend.

    Sending again would show the message twice when, as is likely, Telegram had accepted it;
    we count it as delivered and warn, choosing a possible gap over a likely duplicate.
    """


class RetryLater(Exception):
    """A temporary failure (flood limit, network, server error): try again after `delay` s."""

    def __init__(self, reason: str, delay: float | None = None) -> None:
        super().__init__(reason)
        self.delay = delay


Send = Callable[[int, Reply], Awaitable[None]]


@dataclass(slots=True)
class DeliveryResult:
    """How a delivery to one chat ended."""

    chat_id: int
    sent: int = 0
    outcome: str = "ok"  # ok, unreachable, failed


async def deliver(conn: sqlite3.Connection, chat_id: int, replies: list[Reply], send: Send,
                  *, attempts: int = 5, base_delay: float = 1.0,
                  sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                  on_move: Callable[[int], None] | None = None) -> DeliveryResult:
    """Send replies in order; after each one, record its articles in the ledger.

    A message is recorded only after Telegram accepted it, so a crash before the record means
    at most that one message is sent again on restart, never that an item is skipped. A message
    whose answer timed out after it was sent (MaybeDelivered) is recorded too, not resent.
    `on_move(new_id)` runs before anything is sent to a chat's new id, so the caller can mark
    that id as busy too.
    """
    result = DeliveryResult(chat_id)
    for reply in replies:
        for attempt in range(1, attempts + 1):
            try:
                await send(chat_id, reply)
                break
            except MaybeDelivered as error:
                log.warning("message to chat %s may have been delivered (%s); not sending it "
                            "again", chat_id, error)
                break
            except ChatMoved as moved:
                log.info("chat %s became %s; following it", chat_id, moved.new_chat_id)
                if on_move is not None:
                    on_move(moved.new_chat_id)
                chat_store.migrate_chat(conn, chat_id, moved.new_chat_id)
                chat_id = result.chat_id = moved.new_chat_id
            except ChatUnreachable as error:
                log.info("chat %s unreachable (%s): subscription deactivated", chat_id, error)
                chat_store.deactivate(conn, chat_id, str(error)[:200])
                result.outcome = "unreachable"
                return result
            except RetryLater as error:
                if attempt == attempts:
                    log.warning("giving up on chat %s for now: %s", chat_id, error)
                    result.outcome = "failed"
                    return result
                delay = error.delay if error.delay is not None else _backoff(base_delay, attempt)
                await sleep(delay)
        else:  # the chat moved on every attempt: give up until the next run
            result.outcome = "failed"
            return result
        result.sent += 1
        if reply.article_ids:
            chat_store.record_delivery(conn, chat_id, reply.article_ids)
        if reply.digest_cursor is not None:
            chat_store.finish_digest(conn, chat_id, reply.digest_cursor, datetime.now(UTC))
    return result


def _backoff(base: float, attempt: int) -> float:
    # Exponential with jitter, so many chats failing together do not retry in lockstep.
    return base * (2 ** (attempt - 1)) * (0.5 + random.random())
