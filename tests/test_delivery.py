"""Delivery with the ledger: every mode, message ids, blocked and moved chats, resuming."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.delivery import Deliveries, DeliveryOutcome, deliver
from bot.digest import build_digest
from bot.replies import Reply
from bot.send import Address, Outcome, SendResult
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.chats import MessageKind, Mode
from tests.helpers import FakeSender, add_article


def digest(*names: str) -> list[Reply]:
    """A digest of one message per article name; the last carries cursor 10."""
    replies = [Reply(f"<b>{name}</b>", article_ids=[name]) for name in names]
    replies[-1].digest_cursor = 10
    return replies


def run(conn, chat_id, replies, sender, thread_id: int = 0):
    return asyncio.run(deliver(conn, Address(chat_id, thread_id), replies, sender))


def test_every_message_is_recorded_with_its_message_id_and_the_cursor_moves(conn):
    chat_store.update_chat(conn, 1, subscribed=True)
    result = run(conn, 1, digest("a", "b"), FakeSender())
    assert (result.outcome, result.sent) == (DeliveryOutcome.OK, 2)
    assert chat_store.delivered(conn, 1, ["a", "b"]) == {"a", "b"}
    assert chat_store.get_chat(conn, 1).digest_cursor == 10
    ledger = chat_store.sent_messages(conn, 1)
    assert [(m.message_id, m.article_ids, m.kind) for m in ledger] == [
        (101, ("a",), MessageKind.DIGEST), (102, ("b",), MessageKind.DIGEST)]


def test_a_topic_has_its_own_ledger_and_cursor(conn):
    chat_store.update_chat(conn, -100, 7, subscribed=True)
    run(conn, -100, digest("a"), FakeSender(), thread_id=7)
    assert chat_store.delivered(conn, -100, ["a"], thread_id=7) == {"a"}
    assert chat_store.delivered(conn, -100, ["a"]) == set()
    assert chat_store.get_chat(conn, -100, 7).digest_cursor == 10
    assert chat_store.sent_messages(conn, -100)[0].thread_id == 7


def test_maybe_delivered_is_recorded_without_a_message_id_and_not_resent(conn):
    sender = FakeSender([Outcome.MAYBE_SENT])
    result = run(conn, 1, digest("a", "b"), sender)
    assert result.sent == 2 and sender.texts() == ["<b>b</b>"]  # "a" never resent
    assert [m.message_id for m in chat_store.sent_messages(conn, 1)] == [None, 101]


def test_blocked_chat_is_deactivated(conn):
    chat_store.update_chat(conn, 1, subscribed=True)
    result = run(conn, 1, digest("a"),
                 FakeSender([SendResult(Outcome.UNREACHABLE, 1, reason="bot was blocked")]))
    chat = chat_store.get_chat(conn, 1)
    assert result.outcome is DeliveryOutcome.UNREACHABLE and not chat.active
    assert "blocked" in chat.inactive_reason
    assert chat_store.delivered(conn, 1, ["a"]) == set()


def test_a_deleted_topic_stops_only_that_topic(conn):
    chat_store.update_chat(conn, -100, 0, subscribed=True)
    chat_store.update_chat(conn, -100, 7, subscribed=True)
    gone = SendResult(Outcome.UNREACHABLE, -100, reason="message thread not found")
    run(conn, -100, digest("a"), FakeSender([gone]), thread_id=7)
    assert not chat_store.get_chat(conn, -100, 7).active
    assert chat_store.get_chat(conn, -100, 0).active


def test_failure_midway_resumes_without_repeats(conn):
    chat_store.update_chat(conn, 1, subscribed=True)
    sender = FakeSender()
    first = asyncio.run(deliver(conn, Address(1), digest("a", "b", "c")[:1], sender))
    assert first.outcome is DeliveryOutcome.OK
    failing = FakeSender([Outcome.FAILED])
    second = run(conn, 1, digest("a", "b", "c")[1:], failing)
    assert second.outcome is DeliveryOutcome.FAILED
    assert chat_store.get_chat(conn, 1).digest_cursor == 0  # not finished: resume next time
    remaining = [r for r in digest("a", "b", "c")
                 if not chat_store.delivered(conn, 1, r.article_ids)]
    run(conn, 1, remaining, sender)
    assert sender.texts() == ["<b>a</b>", "<b>b</b>", "<b>c</b>"]


def test_migrated_group_is_followed(conn):
    chat_store.update_chat(conn, -1, subscribed=True)
    sender = FakeSender([SendResult(Outcome.MOVED, -1, new_chat_id=-100200)])
    result = run(conn, -1, digest("a"), sender)
    assert result.chat_id == -100200 and sender.sent[0][0] == Address(-100200)
    assert chat_store.get_chat(conn, -100200).subscribed
    assert chat_store.delivered(conn, -100200, ["a"]) == {"a"}


# -- instant posts, bursts and breaking alerts ------------------------------------------------

def deliveries(conn, sender, **settings) -> Deliveries:
    return Deliveries(conn, Settings(**settings), sender)


def stream(service: Deliveries) -> int:
    async def go() -> int:
        return await service.stream()
    return asyncio.run(go())


def subscribe(conn, chat_id: int, **fields):
    return chat_store.subscribe(conn, chat_id, datetime.now(UTC), **fields)


def test_instant_target_gets_each_new_article_once(conn):
    add_article(conn, "Old story")  # before the subscription: not posted
    subscribe(conn, -1001, mode=Mode.INSTANT, type="channel")
    add_article(conn, "Harbour reopens", url="https://news.example.org/h")
    sender = FakeSender()
    service = deliveries(conn, sender)
    assert stream(service) == 1
    stream(service)  # nothing new: nothing sent
    assert len(sender.sent) == 1 and "Harbour reopens" in sender.texts()[0]
    [message] = chat_store.sent_messages(conn, -1001)
    assert message.kind is MessageKind.INSTANT and message.message_id == 101


def test_languages_and_words_split_one_folder_into_disjoint_streams(conn):
    subscribe(conn, -1001, mode=Mode.INSTANT, languages=("nl",))
    subscribe(conn, -1002, mode=Mode.INSTANT, languages=("fr",))
    subscribe(conn, -1003, mode=Mode.INSTANT, include_keywords=("energy",))
    add_article(conn, "Nieuwe haven", language="nl")
    add_article(conn, "Nouveau port", language="fr")
    add_article(conn, "Energy prices fall", language="en")
    sender = FakeSender()
    stream(deliveries(conn, sender))
    assert ["Nieuwe haven" in t for t in sender.texts(-1001)] == [True]
    assert ["Nouveau port" in t for t in sender.texts(-1002)] == [True]
    assert ["Energy prices" in t for t in sender.texts(-1003)] == [True]


def test_a_burst_becomes_one_message_and_the_next_ones_wait(conn):
    subscribe(conn, -1001, mode=Mode.INSTANT)
    for number in range(8):
        add_article(conn, f"Bulk item {number}")
    sender = FakeSender()
    service = deliveries(conn, sender, burst=5)
    stream(service)
    [burst] = sender.texts()
    assert "8 new articles" in burst and burst.count("/article") == 8
    [message] = chat_store.sent_messages(conn, -1001)
    assert message.kind is MessageKind.BURST and len(message.article_ids) == 8
    add_article(conn, "Straggler")
    stream(service)  # within the burst window: held, not lost
    assert len(sender.sent) == 1
    service.burst_until.clear()  # the window has passed
    stream(service)
    assert "Straggler" in sender.texts()[-1]


@pytest.mark.parametrize("fields, article", [
    ({}, {"urgency": 1}),
    ({"alert_keywords": ("strike",)}, {"body": "A strike stops the port. Ships wait."}),
], ids=["agency-urgency", "alert-word"])
def test_breaking_item_reaches_a_digest_target_at_once_and_not_in_its_digest(conn, fields,
                                                                             article):
    from bot.digest import build_digest

    subscribe(conn, 1, digest_time="07:30", **fields)
    add_article(conn, "Quiet council news")
    add_article(conn, "Port at a standstill", **article)
    sender = FakeSender()
    stream(deliveries(conn, sender))
    [alert] = sender.texts(1)
    assert "Breaking" in alert and "Port at a standstill" in alert
    assert chat_store.sent_messages(conn, 1)[0].kind is MessageKind.ALERT
    chat = chat_store.get_chat(conn, 1)
    later = build_digest(conn, replace(chat, subscribed_at=None), "Europe/Brussels",
                         datetime.now(UTC))
    text = "\n".join(m.text for m in later.messages)
    assert "Quiet council news" in text and "Port at a standstill" not in text


def test_digest_targets_without_alerts_only_move_their_cursor(conn):
    subscribe(conn, 1)
    add_article(conn, "Ordinary news")
    sender = FakeSender()
    assert stream(deliveries(conn, sender)) == 0 and sender.sent == []
    assert chat_store.get_chat(conn, 1).stream_cursor == 1


@pytest.mark.parametrize("topic_had_it, hidden", [(True, 0), (False, 1)])
def test_a_topics_nothing_new_counts_what_its_filters_hid_from_it(conn, topic_had_it, hidden):
    """'1 new article, none matching your filters' counts the topic's ledger, not its group's."""
    add_article(conn, "Harbour news", language="en")
    [article] = article_store.latest(conn, 1)
    topic = chat_store.subscribe(conn, -100777, datetime.now(UTC), thread_id=7,
                                 languages=("fr",))
    if topic_had_it:  # posted to the topic as breaking news before its digest
        chat_store.record_delivery(conn, -100777, [article.id], thread_id=7)
    else:  # the group's own digest had it, the topic did not
        chat_store.record_delivery(conn, -100777, [article.id])
    digest = build_digest(conn, topic, "Europe/Brussels", datetime.now(UTC))
    assert digest.empty and digest.filtered_out == hidden


def test_a_database_that_refuses_writes_gets_each_message_sent_once_not_every_minute(conn):
    """A full disk (here: the connection made read-only) lets the bot read and send, not
    record: what Telegram took is written down once the database takes writes again."""
    from datetime import timedelta

    for name in ("Harbour reopens", "Rail strike ends"):
        add_article(conn, name)
    chat_store.update_chat(conn, 1, subscribed=True, stream_cursor=2,
                           subscribed_at=datetime.now(UTC) - timedelta(days=2))
    chat_store.update_chat(conn, 2, subscribed=True, mode=Mode.INSTANT)  # from seq 0
    sender = FakeSender()
    tasks: list[asyncio.Future] = []
    service = Deliveries(conn, Settings(), sender,
                         spawn=lambda coro, name: tasks.append(asyncio.ensure_future(coro)))

    async def minutes(count: int) -> None:
        for _ in range(count):  # what each tick of the running bot does
            service.start_due_digests(datetime.now(UTC))
            await service.stream()
            while tasks:
                await tasks.pop(0)

    async def outage_and_back() -> None:
        conn.execute("PRAGMA query_only = ON")
        await minutes(5)
        conn.execute("PRAGMA query_only = OFF")
        await minutes(3)

    asyncio.run(outage_and_back())
    assert len(sender.texts(1)) == 1 and "Harbour reopens" in sender.texts(1)[0]
    # The first instant post went out in the outage, the second after it: each once.
    assert ["Harbour" in text for text in sender.texts(2)] == [True, False]
    assert len(chat_store.sent_messages(conn, 1)) == 1
    assert len(chat_store.sent_messages(conn, 2)) == 2
    assert chat_store.get_chat(conn, 1).last_digest_at is not None


def test_a_target_the_bot_may_not_post_to_waits_longer_each_time_and_is_freed_by_a_post(conn):
    add_article(conn, "Harbour reopens")
    chat_store.update_chat(conn, -100, subscribed=True, mode=Mode.INSTANT)
    no_rights = SendResult(Outcome.NO_RIGHTS, -100, reason="not enough rights to send")
    sender = FakeSender([no_rights, no_rights])
    now = [0.0]
    service = Deliveries(conn, Settings(), sender, clock=lambda: now[0])

    def tries_at(*moments: float) -> list[int]:
        calls = []
        for moment in moments:
            now[0] = moment
            stream(service)
            calls.append(sender.calls)
        return calls

    # Refused at 0 s: held a minute. Refused again at 60 s: held two more minutes.
    assert tries_at(0, 30, 60, 120, 179) == [1, 1, 2, 2, 2]
    assert chat_store.get_chat(conn, -100).active and not sender.texts()
    assert tries_at(180, 181) == [3, 3] and "Harbour reopens" in sender.texts(-100)[0]
    assert not service.holds  # posted: the next refusal starts again at a minute


def test_a_change_of_the_bots_rights_frees_the_chat_at_once(conn):
    add_article(conn, "Harbour reopens")
    chat_store.update_chat(conn, -100, subscribed=True, mode=Mode.INSTANT)
    sender = FakeSender([SendResult(Outcome.NO_RIGHTS, -100, reason="need administrator rights")])
    service = Deliveries(conn, Settings(), sender, clock=lambda: 0.0)
    stream(service)
    assert service.held((-100, 0))
    service.release(-100)
    stream(service)
    assert "Harbour reopens" in sender.texts(-100)[0]
