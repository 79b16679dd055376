"""The one send path: what each Telegram error means, the retry policy, pacing, the sender."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.replies import Reply
from bot.send import (
    CATCH_UP,
    Address,
    Outcome,
    Pacer,
    Priority,
    RetryPolicy,
    Sender,
    Verdict,
    doubling,
    preview_options,
    verdict_for,
)


def timed_out(cause: Exception) -> TimedOut:
    """TimedOut as PTB's HTTPXRequest raises it: `raise TimedOut from <httpx error>`."""
    try:
        raise TimedOut from cause
    except TimedOut as error:
        return error


def network_error(cause: Exception) -> NetworkError:
    """NetworkError as PTB raises it for a reset connection."""
    try:
        raise NetworkError(f"httpx.{type(cause).__name__}: {cause}") from cause
    except NetworkError as error:
        return error


@pytest.mark.parametrize(("error", "outcome"), [
    (RetryAfter(3), Outcome.RETRY),
    (RetryAfter(timedelta(seconds=3)), Outcome.RETRY),
    (ChatMigrated(-100200), Outcome.MOVED),
    (Forbidden("Forbidden: bot was blocked by the user"), Outcome.UNREACHABLE),
    (BadRequest("Bad Request: chat not found"), Outcome.UNREACHABLE),
    (BadRequest("Bad Request: message thread not found"), Outcome.UNREACHABLE),
    (BadRequest("Bad Request: message is not modified: specified new message content"),
     Outcome.NOT_MODIFIED),
    (BadRequest("Bad Request: can't parse entities: Unsupported start tag"), Outcome.REFUSED),
    (BadRequest("Bad Request: not enough rights to send text messages to the chat"),
     Outcome.NO_RIGHTS),
    (BadRequest("Bad Request: need administrator rights in the channel chat"),
     Outcome.NO_RIGHTS),
    (BadRequest("Bad Request: have no rights to send a message"), Outcome.NO_RIGHTS),
    (BadRequest("Bad Request: TOPIC_CLOSED"), Outcome.NO_RIGHTS),  # may be reopened
    (BadRequest("Bad Request: CHAT_RESTRICTED"), Outcome.NO_RIGHTS),
    (BadRequest("Bad Request: CHAT_ADMIN_REQUIRED"), Outcome.NO_RIGHTS),
    (BadRequest("Bad Request: TOPIC_DELETED"), Outcome.UNREACHABLE),
    (timed_out(httpx.ReadTimeout("read")), Outcome.MAYBE_SENT),
    (timed_out(httpx.ConnectTimeout("connect")), Outcome.RETRY),
    (timed_out(httpx.PoolTimeout("pool")), Outcome.RETRY),
    (timed_out(httpx.WriteTimeout("write")), Outcome.RETRY),
    (network_error(httpx.RemoteProtocolError("Server disconnected")), Outcome.RETRY),
    (network_error(httpx.ConnectError("refused")), Outcome.RETRY),
    (NetworkError("Bad Gateway"), Outcome.RETRY),
], ids=["429", "429-timedelta", "migrated", "blocked", "no-chat", "no-topic", "not-modified",
        "bad-html", "restricted", "channel-right", "no-rights", "topic-closed",
        "chat-restricted", "admin-required", "topic-deleted", "read-timeout",
        "connect-timeout", "pool-timeout", "write-timeout", "reset", "refused", "502"])
def test_every_telegram_error_has_one_outcome(error, outcome):
    assert verdict_for(error).outcome is outcome


def test_flood_waits_use_telegrams_seconds_and_moves_carry_the_new_id():
    assert verdict_for(RetryAfter(timedelta(seconds=7))).retry_after == 7
    assert verdict_for(ChatMigrated(-100200)).new_chat_id == -100200


def test_retry_policy_backs_off_and_gives_up():
    policy = RetryPolicy(attempts=4, base_delay=0.5)
    network = Verdict(Outcome.RETRY, "network")
    delays = [policy.next_delay(network, attempt, jitter=lambda: 0.5) for attempt in (1, 2, 3)]
    assert delays == [0.5, 1.0, 2.0]
    assert policy.next_delay(network, 4) is None
    assert policy.next_delay(Verdict(Outcome.RETRY, "flood", retry_after=9), 1) == 9
    assert policy.next_delay(Verdict(Outcome.UNREACHABLE, "blocked"), 1) is None


@pytest.mark.parametrize(("attempt", "seconds"),
                         [(1, 60), (2, 120), (6, 1920), (7, 3600), (40, 3600)])
def test_doubling_backs_off_to_its_cap(attempt, seconds):
    # The hold of a target the bot may not post to: 1, 2, 4 ... minutes, at most an hour.
    assert doubling(attempt, 60, 3600) == seconds


class FakeClock:
    """Time that moves only when someone sleeps: pacing checked without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)  # let whoever was just released note the time first
        self.now += max(seconds, 0.0)


def paced(rate: float, sends: list[tuple[int, Priority]], sequential: bool = False) -> list:
    """Release order and moments of sends through a Pacer on a fake clock."""
    clock = FakeClock()
    pacer = Pacer(rate, clock=clock, sleep=clock.sleep)
    released: list[tuple[int, Priority, float]] = []

    async def one(chat_id: int, priority: Priority) -> None:
        await pacer.wait(chat_id, priority)
        released.append((chat_id, priority, round(clock.now, 3)))

    async def run() -> None:
        if sequential:
            for chat_id, priority in sends:
                await one(chat_id, priority)
        else:
            await asyncio.gather(*(one(c, p) for c, p in sends))

    asyncio.run(run())
    return released


def test_a_private_chat_gets_at_most_one_message_a_second():
    times = [t for _, _, t in paced(30, [(5, Priority.DIGEST)] * 3, sequential=True)]
    assert times == [0.0, 1.25, 2.5]


def test_a_group_or_channel_gets_at_most_twenty_a_minute():
    times = [t for _, _, t in paced(30, [(-100, Priority.DIGEST)] * 3, sequential=True)]
    assert times == [0.0, 3.25, 6.5]


def test_the_overall_rate_spaces_different_chats_evenly():
    times = [t for _, _, t in paced(2, [(chat, Priority.DIGEST) for chat in (1, 2, 3, 4)])]
    assert times == [0.0, 0.5, 1.0, 1.5]


def test_a_command_answer_overtakes_queued_fan_out_messages():
    sends = [(chat, Priority.DIGEST) for chat in range(1, 11)] + [(99, Priority.REPLY)]
    order = [chat for chat, _, _ in paced(10, sends)]
    assert order.index(99) == 1  # right after the message that already had the free slot


class FakeBot:
    """A PTB Bot whose send_message fails as scripted, then returns a message."""

    def __init__(self, failures: list[Exception]) -> None:
        self.failures = list(failures)
        self.calls: list[dict] = []

    async def send_message(self, chat_id, text, **kwargs):
        self.calls.append({"chat_id": chat_id, "text": text, **kwargs})
        if self.failures:
            raise self.failures.pop(0)
        return SimpleNamespace(message_id=40 + len(self.calls))


async def no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def send_through(failures: list[Exception], address: Address | None = None,
                 reply: Reply | None = None):
    bot = FakeBot(failures)
    address = address or Address(7)
    outcomes: list[tuple[str, Outcome]] = []
    sender = Sender(bot, Pacer(1000, private_interval=0, group_interval=0),
                    RetryPolicy(attempts=3), on_outcome=lambda kind, o: outcomes.append((kind, o)),
                    sleep=no_sleep)
    result = asyncio.run(sender.send(address, reply or Reply("<b>hi</b>")))
    return result, bot.calls, outcomes


def test_sender_retries_network_errors_and_returns_the_message_id():
    result, calls, outcomes = send_through([NetworkError("Bad Gateway"), RetryAfter(1)])
    assert (result.outcome, result.message_id) == (Outcome.SENT, 43)
    assert len(calls) == 3 and outcomes == [("reply", Outcome.SENT)]


def test_sender_gives_up_after_the_policys_attempts():
    result, calls, outcomes = send_through([NetworkError("Bad Gateway")] * 5)
    assert result.outcome is Outcome.FAILED and len(calls) == 3
    assert outcomes == [("reply", Outcome.FAILED)]


def test_a_read_timeout_is_never_sent_again():
    result, calls, _ = send_through([timed_out(httpx.ReadTimeout("read"))])
    assert result.outcome is Outcome.MAYBE_SENT and result.delivered and len(calls) == 1


def test_html_telegram_refuses_goes_out_as_plain_text_once():
    result, calls, _ = send_through([BadRequest("Bad Request: can't parse entities: x")])
    assert result.outcome is Outcome.SENT
    assert [c["parse_mode"] for c in calls] == ["HTML", None] and calls[1]["text"] == "hi"


def test_topic_and_preview_reach_telegram():
    reply = Reply("<b>hi</b>", preview_url="https://news.example.org/a", large_preview=True)
    _, calls, _ = send_through([], Address(-100123, 77), reply)
    assert calls[0]["message_thread_id"] == 77
    options = calls[0]["link_preview_options"]
    assert options.url == "https://news.example.org/a" and options.prefer_large_media
    assert options.show_above_text
    assert preview_options(Reply("x")).is_disabled


@pytest.mark.parametrize("error", [Forbidden("Forbidden: bot was kicked"),
                                   ChatMigrated(-100200)])
def test_unreachable_and_moved_are_not_retried(error):
    result, calls, _ = send_through([error])
    assert result.outcome in (Outcome.UNREACHABLE, Outcome.MOVED) and len(calls) == 1


def test_no_right_to_post_is_not_retried_as_plain_text():
    refusal = BadRequest("Bad Request: not enough rights to send text messages to the chat")
    result, calls, _ = send_through([refusal, refusal])
    assert result.outcome is Outcome.NO_RIGHTS and len(calls) == 1
    assert "not enough rights" in result.reason.lower()


def most_in_one_second(moments: list[float]) -> int:
    """The largest number of moments in any sliding second (as Telegram counts)."""
    return max(sum(1 for t in moments if start <= t < start + 1.0 - 1e-9) for start in moments)


@pytest.mark.parametrize("late, least_rate", [(0.002, 28.5), (0.02, 19.5)])
def test_a_late_pacer_makes_up_a_little_and_never_breaks_the_limit(late, least_rate):
    clock = FakeClock()

    async def late_sleep(seconds: float) -> None:  # every wake-up late: a busy event loop
        await clock.sleep(seconds + late)

    pacer = Pacer(29.5, clock=clock, sleep=late_sleep)
    released: list[float] = []

    async def one(chat_id: int) -> None:
        await pacer.wait(chat_id, Priority.DIGEST)
        released.append(clock.now)

    async def run() -> None:
        await asyncio.gather(*(one(chat) for chat in range(1, 301)))

    asyncio.run(run())
    assert len(released) == 300
    # Strict spacing gave 27.9/s at 2 ms late and 18.6/s at 20 ms.
    assert 299 / (released[-1] - released[0]) >= least_rate
    assert most_in_one_second(released) <= 29
    gaps = [b - a for a, b in zip(released, released[1:], strict=False)]
    assert min(gaps) >= (1 - CATCH_UP) / 29.5 - 1e-9  # never much closer, however late
