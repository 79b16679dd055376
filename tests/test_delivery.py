"""Delivery with the ledger: retries, blocked chats, migrations, and resuming after a failure."""

from __future__ import annotations

import asyncio

from bot.commands import Reply
from bot.delivery import ChatMoved, ChatUnreachable, RetryLater, deliver
from storage import chats as chat_store


class FakeTelegram:
    """A `send` that fails as scripted, then records what got through."""

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.failures = list(failures or [])
        self.sent: list[tuple[int, str]] = []

    async def __call__(self, chat_id: int, reply: Reply) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat_id, reply.text))


async def no_sleep(seconds: float) -> None:
    """Skip waiting in tests, but let other tasks run."""
    await asyncio.sleep(0)


def digest(*names: str) -> list[Reply]:
    """A digest of one message per article name; the last carries cursor 10."""
    replies = [Reply(f"<b>{name}</b>", article_ids=[name]) for name in names]
    replies[-1].digest_cursor = 10
    return replies


def run(conn, chat_id, replies, send):
    return asyncio.run(deliver(conn, chat_id, replies, send, sleep=no_sleep))


def test_all_messages_sent_and_recorded(conn):
    chat_store.update_chat(conn, 1, subscribed=True)
    send = FakeTelegram()
    result = run(conn, 1, digest("a", "b"), send)
    assert (result.outcome, result.sent) == ("ok", 2)
    assert chat_store.delivered(conn, 1, ["a", "b"]) == {"a", "b"}
    assert chat_store.get_chat(conn, 1).digest_cursor == 10


def test_flood_limit_is_waited_out(conn):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    send = FakeTelegram([RetryLater("flood", 3), RetryLater("flood", 5)])
    result = asyncio.run(deliver(conn, 1, digest("a"), send, sleep=sleep))
    assert result.outcome == "ok" and waits == [3, 5] and len(send.sent) == 1


def test_blocked_chat_is_deactivated(conn):
    chat_store.update_chat(conn, 1, subscribed=True)
    result = run(conn, 1, digest("a"), FakeTelegram([ChatUnreachable("bot was blocked")]))
    chat = chat_store.get_chat(conn, 1)
    assert result.outcome == "unreachable" and not chat.active
    assert "blocked" in chat.inactive_reason
    assert chat_store.delivered(conn, 1, ["a"]) == set()


def test_failure_midway_resumes_without_repeats(conn):
    chat_store.update_chat(conn, 1, subscribed=True)
    flaky = FakeTelegram()
    outage = [RetryLater("network")] * 5

    async def send(chat_id, reply):
        if reply.article_ids == ["b"] and outage:
            raise outage.pop()
        await flaky(chat_id, reply)

    first = run(conn, 1, digest("a", "b", "c"), send)
    assert first.outcome == "failed" and flaky.sent == [(1, "<b>a</b>")]
    assert chat_store.get_chat(conn, 1).digest_cursor == 0  # not finished: resume next time
    remaining = [r for r in digest("a", "b", "c")
                 if not chat_store.delivered(conn, 1, r.article_ids)]
    run(conn, 1, remaining, send)
    assert [text for _, text in flaky.sent] == ["<b>a</b>", "<b>b</b>", "<b>c</b>"]


def test_migrated_group_is_followed(conn):
    chat_store.update_chat(conn, -1, subscribed=True)
    send = FakeTelegram([ChatMoved(-100200)])
    result = run(conn, -1, digest("a"), send)
    assert result.chat_id == -100200 and send.sent == [(-100200, "<b>a</b>")]
    assert chat_store.get_chat(conn, -100200).subscribed
    assert chat_store.delivered(conn, -100200, ["a"]) == {"a"}
