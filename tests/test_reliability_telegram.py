"""Telegram misbehaving: flood waits, server errors, resets, timeouts, removed and moved chats.

End-to-end tests run the real `newsbot run` against the Bot API stand-in and inject the faults
there; the timeout classification (a read timeout may mean "delivered"), where connect timeouts
cannot be staged over loopback, is checked in test_send.py and test_delivery.py.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from bot.delivery import Deliveries
from bot.ingest import ingest_with
from bot.replies import Reply
from bot.send import Address, Outcome, Priority, SendResult
from bot.settings import Settings
from storage.db import open_database
from tests.bot_process import (
    ask,
    db_rows,
    digest_messages,
    stored_chat,
    subscribe,
    wait_until,
)

USER = 1001


def ledger(workdir, chat_id: int) -> list[str]:
    """Article ids the delivery ledger holds for a chat."""
    return [row[0] for row in db_rows(
        workdir / "newsbot.db",
        "SELECT article_id FROM deliveries WHERE chat_id = ? ORDER BY article_id", (chat_id,))]


# -- a reply that arrives after the timeout ---------------------------------------------------


def test_answers_that_time_out_neither_repeat_a_digest_nor_stop_the_bot(api, start_bot,
                                                                         workdir):
    api.add_chat(USER)
    subscribe(workdir, USER)
    # Telegram stores the digest at once but answers only after PTB's 5 s read timeout.
    api.delay("sendMessage", 7, count=1)
    bot = start_bot()
    wait_until(lambda: digest_messages(api, USER), timeout=20)
    wait_until(lambda: "may have been delivered" in bot.log(), timeout=15)
    wait_until(lambda: stored_chat(workdir, USER).last_digest_at is not None, timeout=10)
    time.sleep(1.5)  # three more ticks: a resend would have happened by now
    assert len(digest_messages(api, USER)) == 1
    assert set(ledger(workdir, USER)) == {"s1", "s2"}
    # The long poll recovers from a timeout too: the held answer is given up, the update is
    # fetched again (it was never confirmed) and answered.
    api.delay("getUpdates", 20, count=1)
    reply = ask(api, USER, "/search harbour", timeout=30)
    assert "Harbour expansion approved" in reply["plain"]
    assert "Timed out" in bot.log()


# -- flood waits, server errors, resets, a channel that removed the bot, a moved group --------

CHATS = [2001, 2002, 2003, 2004]
GONE_CHANNEL = -1000000000777
OLD_GROUP, NEW_GROUP = -555, -1000000000555


def test_fan_out_through_429s_5xx_and_resets_reaches_every_chat_once(api, start_bot, workdir):
    for chat_id in CHATS:
        api.add_chat(chat_id)
        subscribe(workdir, chat_id)
    api.add_chat(GONE_CHANNEL, type="channel", title="Old channel")
    api.block_chat(GONE_CHANNEL)  # the channel removed the bot: 403 "kicked from the channel"
    subscribe(workdir, GONE_CHANNEL, type="channel")
    api.add_chat(OLD_GROUP, type="group", title="Newsroom")
    api.migrate_chat(OLD_GROUP, NEW_GROUP)  # sends to the old id answer migrate_to_chat_id
    subscribe(workdir, OLD_GROUP, type="group")
    # A growing flood wait (waited out as Telegram says), server errors and connections reset
    # before Telegram read them, on sends and on the long poll: one retry policy for all.
    for seconds in (1, 1, 2, 3):
        api.fail_next("sendMessage", 1, error_code=429, retry_after=seconds)
    api.fail_next("sendMessage", 1, error_code=500)
    api.fail_next("sendMessage", 1, error_code=502)
    api.drop_next("sendMessage", 2)
    api.drop_next("getUpdates", 1)
    api.fail_next("getUpdates", 1, error_code=502)
    bot = start_bot(wait=False)
    receivers = [*CHATS, NEW_GROUP]
    wait_until(lambda: all(digest_messages(api, c) for c in receivers), timeout=40)
    wait_until(lambda: not stored_chat(workdir, GONE_CHANNEL).active, timeout=10)
    time.sleep(1.5)  # three more ticks: nothing may arrive twice
    assert {c: len(digest_messages(api, c)) for c in receivers} == dict.fromkeys(receivers, 1)
    assert digest_messages(api, OLD_GROUP) == []
    # Every queued fault was met: 6 error answers and 2 resets on top of one try per chat.
    assert len(api.calls_to("sendMessage")) >= len(receivers) + 2 + 8
    assert "flood limit; trying again" in bot.log()
    assert "kicked" in stored_chat(workdir, GONE_CHANNEL).inactive_reason
    moved = stored_chat(workdir, NEW_GROUP)
    assert moved.subscribed and moved.active and stored_chat(workdir, OLD_GROUP) is None
    assert set(ledger(workdir, NEW_GROUP)) == {"s1", "s2"}
    # The long poll got over its reset and 502: the bot still answers.
    assert "Harbour" in ask(api, CHATS[0], "/search harbour")["plain"]
    assert bot.alive()


def test_a_group_that_moves_mid_digest_is_not_sent_it_again_by_the_next_tick(workdir):
    """The new id counts as busy while the digest started under the old id is still going."""
    settings = Settings(db_path=workdir / "newsbot.db", articles_dir=workdir / "articles",
                        settle_seconds=0)
    db = open_database(settings.db_path)
    ingest_with(db.conn, settings)
    subscribe(workdir, OLD_GROUP, type="group")
    sent: list[int] = []
    ticks_during_send: list[int] = []
    tasks: list[asyncio.Task] = []

    class MovingGroup:
        async def send(self, address: Address, reply: Reply,
                       priority: Priority = Priority.REPLY,
                       purpose: str = "reply") -> SendResult:
            if address.chat_id == OLD_GROUP:
                return SendResult(Outcome.MOVED, OLD_GROUP, new_chat_id=NEW_GROUP)
            # Mid-send (as during a flood wait), the minute tick runs again.
            ticks_during_send.append(service.start_due_digests(datetime.now(UTC)))
            sent.append(address.chat_id)
            return SendResult(Outcome.SENT, address.chat_id, len(sent))

    service = Deliveries(db.conn, settings, MovingGroup(),
                         spawn=lambda coro, name: tasks.append(asyncio.ensure_future(coro)))

    async def run() -> None:
        service.start_due_digests(datetime.now(UTC))
        while tasks:
            await tasks.pop(0)

    asyncio.run(run())
    assert sent == [NEW_GROUP]
    assert ticks_during_send == [0]
    assert service.busy == set()
    assert stored_chat(workdir, NEW_GROUP).last_digest_at is not None
    db.conn.close()


def test_command_answers_and_button_edits_get_through_5xx_and_resets(api, start_bot):
    api.add_chat(USER)
    bot = start_bot()
    api.fail_next("sendMessage", 1, error_code=502)
    api.drop_next("sendMessage", 1)
    first = ask(api, USER, "/latest 1")
    assert "/article" in first["plain"]
    assert len(api.messages_to(USER)) == 1  # the failed tries left nothing behind
    [[older]] = first["reply_markup"]["inline_keyboard"]
    api.fail_next("editMessageText", 1, error_code=500)
    api.fail_next("answerCallbackQuery", 1, error_code=502)
    api.inject_callback(USER, first["message_id"], older["callback_data"], user_id=USER)
    edit = api.wait_for(lambda m: m["method"] == "editMessageText", timeout=15)[0]
    assert edit["message_id"] == first["message_id"] and edit["plain"] != first["plain"]
    # Five failures in a row: the bot gives up on that answer, says so, and keeps serving.
    api.fail_next("sendMessage", 5, error_code=502)
    api.inject_message(USER, "/latest 1", user_id=USER)
    wait_until(lambda: "giving up on a reply to chat 1001" in bot.log(), timeout=30)
    assert "/article" in ask(api, USER, "/latest 1")["plain"]
    assert "Traceback" not in bot.log()


def test_migrate_service_message_moves_the_subscription(api, start_bot, workdir):
    group, supergroup, admin = -556, -1000000000556, 1002
    api.add_chat(group, type="group", title="Desk")
    api.set_admins(group, {admin})
    start_bot()
    assert "Subscribed" in ask(api, group, "/subscribe 07:30", user_id=admin,
                               chat_type="group")["plain"]
    ask(api, group, "/include port, rail", user_id=admin, chat_type="group")
    api.migrate_chat(group, supergroup)
    chat = api.add_chat(group, type="group", title="Desk")  # the service message's old chat
    api.inject_update({"message": {
        "message_id": 99, "date": int(time.time()), "chat": chat,
        "from": {"id": admin, "is_bot": False, "first_name": "Admin"},
        "migrate_to_chat_id": supergroup}})
    wait_until(lambda: stored_chat(workdir, supergroup) is not None, timeout=10)
    moved = stored_chat(workdir, supergroup)
    assert moved.subscribed and moved.digest_time == "07:30"
    assert moved.include_keywords == ("port", "rail") and moved.type == "supergroup"
    assert stored_chat(workdir, group) is None
    settings = ask(api, supergroup, "/settings", user_id=admin, chat_type="supergroup")
    assert "07:30" in settings["plain"]
