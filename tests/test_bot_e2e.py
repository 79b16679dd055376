"""End to end: the real `newsbot run` (PTB, JobQueue, SQLite) against a strict local Bot API.

Every test starts the bot as a subprocess with TELEGRAM_API_URL pointing at the stand-in on
127.0.0.1, injects updates as Telegram users would, and reads what the bot sent.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from storage import chats as chat_store
from storage.db import open_database
from tests.bot_process import (
    TOKEN,
    ask,
    digest_messages,
    drop_story,
    stored_chat,
    subscribe,
    wait_until,
)

USER, ADMIN, OTHER = 1001, 1002, 1003
GROUP, CHANNEL = -1000000000555, -1000000000777


def test_start_registers_commands_and_answers_help(api, start_bot):
    bot = start_bot()
    menu = api.wait_for_calls("setMyCommands")[0]
    assert "latest" in str(menu) and "search" in str(menu)
    reply = ask(api, USER, "/start")
    assert "/latest" in reply["plain"] and "/subscribe" in reply["plain"]
    assert reply["parse_mode"] == "HTML"
    assert bot.stop() == 0


def test_latest_with_paging_buttons(api, start_bot, workdir):
    for number in range(6):
        drop_story(workdir / "articles", f"p{number}", f"Paged story number {number}")
    start_bot()
    first = ask(api, USER, "/latest 3")
    assert first["plain"].count("/article") == 3
    [[older]] = first["reply_markup"]["inline_keyboard"]
    api.inject_callback(USER, first["message_id"], older["callback_data"], user_id=USER)
    edit = api.wait_for(lambda m: m["method"] == "editMessageText", timeout=15)[0]
    assert edit["message_id"] == first["message_id"]
    assert edit["plain"].count("/article") == 3 and edit["plain"] != first["plain"]


def test_buttons_pressed_while_the_bot_was_down_are_handled_without_an_error(api, start_bot,
                                                                            workdir):
    for number in range(6):
        drop_story(workdir / "articles", f"p{number}", f"Paged story number {number}")
    bot = start_bot()
    first = ask(api, USER, "/latest 3")
    [[older]] = first["reply_markup"]["inline_keyboard"]
    bot.stop()
    # Pressed a minute ago: Telegram no longer takes an answer to either press.
    api.inject_callback(USER, first["message_id"], "no-such-button", user_id=USER,
                        check_button=False, seconds_ago=60)
    api.inject_callback(USER, first["message_id"], older["callback_data"], user_id=USER,
                        seconds_ago=60)
    again = start_bot()
    edit = api.wait_for(lambda m: m["method"] == "editMessageText", timeout=15)[0]
    assert edit["plain"].count("/article") == 3 and edit["plain"] != first["plain"]
    assert "Latest" in ask(api, USER, "/latest 1")["plain"]  # and it keeps serving
    # A press Telegram no longer takes an answer to is nobody's error (nor a traceback).
    assert " ERROR " not in again.log()
    assert "could not answer a button press" in again.log()


def test_search_article_and_a_malformed_query(api, start_bot):
    start_bot()
    found = ask(api, USER, "/search harbour")
    assert "Harbour expansion approved" in found["plain"]
    number = found["plain"].split("/article ")[1].split()[0]
    article = ask(api, USER, f"/article {number}")
    assert "Harbour expansion approved" in article["plain"]
    assert any(e.get("url") == "https://news.example.org/s1" for e in article["entities"])
    hint = ask(api, USER, '/search "unbalanced AND (')
    assert "plain words" in hint["plain"]
    assert "Nothing found" in ask(api, USER, "/search zeppelin")["plain"]


def test_a_command_as_a_photos_caption_is_answered_as_if_typed(api, start_bot):
    start_bot()
    found = ask(api, USER, "/search harbour", as_caption=True)
    assert "Harbour expansion approved" in found["plain"]
    api.add_chat(GROUP, type="supergroup", title="Newsroom")
    found = ask(api, GROUP, "/latest@newsbot_test_bot 1", user_id=OTHER,
                chat_type="supergroup", as_caption=True)
    assert "/article" in found["plain"]


def test_group_settings_are_for_group_admins_only(api, start_bot):
    api.add_chat(GROUP, type="supergroup", title="Newsroom")
    api.set_admins(GROUP, {ADMIN})
    start_bot()
    refused = ask(api, GROUP, "/subscribe 09:00", user_id=OTHER, chat_type="supergroup")
    assert "administrators" in refused["plain"]
    accepted = ask(api, GROUP, "/subscribe 09:00", user_id=ADMIN, chat_type="supergroup")
    assert "Subscribed" in accepted["plain"]
    assert api.calls_to("getChatMember")
    readable = ask(api, GROUP, "/latest 1", user_id=OTHER, chat_type="supergroup")
    assert "/article" in readable["plain"]


def test_file_dropped_while_running_is_answerable_within_an_interval(api, start_bot, workdir):
    start_bot()
    assert "Nothing found" in ask(api, USER, "/search lighthouse")["plain"]
    drop_story(workdir / "articles", "late", "Lighthouse restored on the coast")

    def found() -> bool:
        return "Lighthouse restored" in ask(api, USER, "/search lighthouse")["plain"]

    wait_until(found, timeout=10, interval=0.5)


def test_scheduled_digest_reaches_subscribers_and_the_channel(api, start_bot, workdir):
    api.add_chat(CHANNEL, type="channel", title="Newsroom digest", username="newsroom")
    api.set_admins(CHANNEL, {int(TOKEN.split(":")[0])})  # the bot may post there
    api.add_chat(USER)
    subscribe(workdir, USER)
    subscribe(workdir, CHANNEL, type="channel")  # registered by an earlier run
    bot = start_bot(NEWSBOT_CHANNEL="@newsroom")
    wait_until(lambda: "channel @newsroom (" in bot.log(), timeout=10)  # checked, registered
    assert stored_chat(workdir, CHANNEL).managed
    for chat_id in (USER, CHANNEL):
        wait_until(lambda chat_id=chat_id: digest_messages(api, chat_id), timeout=20)
    for chat_id in (USER, CHANNEL):
        [digest] = digest_messages(api, chat_id)
        assert "Harbour expansion" in digest["plain"] and "New tram line" in digest["plain"]
    time.sleep(2)  # several more ticks: a digest goes out once a day, not once a tick
    assert len(digest_messages(api, USER)) == 1


def test_the_channel_is_served_again_after_the_bot_is_made_its_admin_again(api, start_bot,
                                                                          workdir):
    api.add_chat(CHANNEL, type="channel", title="Newsroom digest", username="newsroom")
    api.set_admins(CHANNEL, {int(TOKEN.split(":")[0])})
    subscribe(workdir, CHANNEL, type="channel")
    api.block_chat(CHANNEL)  # the channel's owner removed the bot: its digest meets a 403
    bot = start_bot(NEWSBOT_CHANNEL="@newsroom")
    wait_until(lambda: not stored_chat(workdir, CHANNEL).active, timeout=20)
    bot.stop()
    api.unblock_chat(CHANNEL)  # made an admin again while the bot was stopped
    polls = len(api.calls_to("getUpdates"))
    bot = start_bot(NEWSBOT_CHANNEL="@newsroom")
    wait_until(lambda: "channel @newsroom (" in bot.log(), timeout=10)  # checked: may post
    assert stored_chat(workdir, CHANNEL).active
    wait_until(lambda: len(api.calls_to("getUpdates")) > polls)  # polling: a clean stop


def test_a_reader_who_unblocked_the_bot_while_it_was_down_gets_digests_after_start(
        api, start_bot, workdir):
    api.add_chat(USER)
    subscribe(workdir, USER)
    api.block_chat(USER)
    bot = start_bot()
    wait_until(lambda: not stored_chat(workdir, USER).active, timeout=20)  # its digest: 403
    bot.stop()
    # Unblocked while the bot was down for days: Telegram's membership update is gone.
    api.unblock_chat(USER)
    start_bot()
    assert "/latest" in ask(api, USER, "/start")["plain"]
    reader = stored_chat(workdir, USER)
    assert reader.active and reader.subscribed and reader.inactive_reason is None


def test_nothing_is_sent_when_nothing_is_new(api, start_bot, workdir):
    (workdir / "articles" / "s1.json").unlink()
    (workdir / "articles" / "s2.json").unlink()
    api.add_chat(USER)
    subscribe(workdir, USER)
    bot = start_bot()
    wait_until(lambda: stored_chat(workdir, USER).last_digest_at is not None, timeout=15)
    assert api.messages_to(USER) == []
    assert bot.alive()


def test_digest_survives_429_and_arrives_once(api, start_bot, workdir):
    api.add_chat(USER)
    subscribe(workdir, USER)
    api.fail_next("sendMessage", 2, error_code=429, retry_after=1)
    start_bot()
    wait_until(lambda: digest_messages(api, USER), timeout=20)
    time.sleep(1.5)
    assert len(digest_messages(api, USER)) == 1


def test_blocked_chat_is_deactivated_and_others_still_get_theirs(api, start_bot, workdir):
    blocked, fine, unknown = 2001, 2002, 2003
    api.add_chat(blocked)
    api.add_chat(fine)
    api.block_chat(blocked)
    for chat_id in (blocked, fine, unknown):  # `unknown` never existed on Telegram's side
        subscribe(workdir, chat_id)
    start_bot()
    wait_until(lambda: digest_messages(api, fine), timeout=20)
    wait_until(lambda: not stored_chat(workdir, blocked).active
               and not stored_chat(workdir, unknown).active)
    assert "blocked" in stored_chat(workdir, blocked).inactive_reason
    assert stored_chat(workdir, fine).active


def test_restart_does_not_resend_a_delivered_digest(api, start_bot, workdir):
    api.add_chat(USER)
    subscribe(workdir, USER)
    bot = start_bot()
    wait_until(lambda: digest_messages(api, USER), timeout=20)
    assert bot.stop() == 0
    # Pretend the day has turned, so the next start must send a digest again:
    # only what is new since the first one may be in it.
    db = open_database(workdir / "newsbot.db")
    chat_store.update_chat(db.conn, USER, last_digest_at=datetime.now(UTC) - timedelta(days=1))
    db.conn.close()
    drop_story(workdir / "articles", "s3", "Bridge repairs finished early")
    start_bot()
    wait_until(lambda: len(digest_messages(api, USER)) == 2, timeout=20)
    second = digest_messages(api, USER)[1]["plain"]
    assert "Bridge repairs" in second and "Harbour" not in second


def test_kill_9_during_fan_out_misses_no_chat_and_repeats_none(api, start_bot, workdir):
    chats = list(range(3001, 3013))
    for chat_id in chats:
        api.add_chat(chat_id)
        subscribe(workdir, chat_id)
    api.rate_limit(per_second=4)
    bot = start_bot(wait=False)
    wait_until(lambda: sum(bool(api.messages_to(c)) for c in chats) >= 4, timeout=30)
    # Telegram now answers every send with a long flood wait: the fan-out is half done and
    # every remaining chat is waiting to retry when the process is killed.
    api.fail_next("sendMessage", 10_000, error_code=429, retry_after=30)
    time.sleep(1.0)
    bot.kill()
    served = {c for c in chats if api.messages_to(c)}
    assert 4 <= len(served) < len(chats)
    api.clear_faults("sendMessage")
    api.rate_limit(per_second=None)
    start_bot(wait=False)
    wait_until(lambda: all(api.messages_to(c) for c in chats), timeout=30)
    time.sleep(1.5)  # several ticks more: nothing else may arrive
    counts = {c: len(digest_messages(api, c)) for c in chats}
    assert set(counts.values()) == {1}, counts


def test_sigterm_stops_within_seconds(api, start_bot):
    bot = start_bot()
    assert bot.stop(timeout=10) == 0  # raises TimeoutExpired after 10 s


def test_unknown_command_and_plain_text(api, start_bot):
    start_bot()
    assert "Unknown command" in ask(api, USER, "/frobnicate")["plain"]


def test_token_never_appears_in_logs_even_at_debug(api, start_bot):
    bot = start_bot()
    ask(api, USER, "/latest")
    bot.stop()
    logs = "".join(bot.logs)
    assert "sendMessage" in logs  # the Bot API calls were logged, URLs and all
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs



def test_a_digest_of_many_headline_only_flashes_links_every_one(api, start_bot, workdir):
    # Short items fit 40 to a message: 120 entities, of which Telegram would format only
    # the first 100 (the strict stand-in refuses such a message).
    for number in range(60):
        drop_story(workdir / "articles", f"f{number}", f"Flash {number}", body=" ")
    start_bot()
    api.inject_message(USER, "/digest")
    wait_until(lambda: sum(m["plain"].count("/article ")
                           for m in api.messages_to(USER)) >= 50, timeout=30)
    messages = api.messages_to(USER)
    assert all(len(m["entities"]) <= 100 for m in messages)
    links = [e for m in messages for e in m["entities"] if e["type"] == "text_link"]
    assert len(links) == sum(m["plain"].count("/article ") for m in messages) == 50


def test_digest_command_then_nothing_new(api, start_bot):
    start_bot()
    first = ask(api, USER, "/digest")
    assert "News digest" in first["plain"] and "Harbour expansion" in first["plain"]
    again = ask(api, USER, "/digest")
    assert "Nothing new since" in again["plain"]


def test_subscribe_settings_buttons_and_unsubscribe(api, start_bot, workdir):
    start_bot()
    assert "07:45" in ask(api, USER, "/subscribe 07:45")["plain"]
    settings = ask(api, USER, "/settings")
    assert "daily at 07:45" in settings["plain"]
    buttons = [b["callback_data"] for row in settings["reply_markup"]["inline_keyboard"]
               for b in row]
    assert "set:len:1" in buttons
    api.inject_callback(USER, settings["message_id"], "set:len:1", user_id=USER)
    edit = api.wait_for(lambda m: m["method"] == "editMessageText", timeout=15)[0]
    assert "Summary length: 1 sentence" in edit["plain"]
    assert stored_chat(workdir, USER).summary_sentences == 1
    assert "Unsubscribed" in ask(api, USER, "/unsubscribe")["plain"]
    assert not stored_chat(workdir, USER).subscribed


def test_removed_from_a_group_stops_its_digests(api, start_bot, workdir):
    api.add_chat(GROUP, type="supergroup", title="Newsroom")
    api.set_admins(GROUP, {ADMIN})
    start_bot()
    ask(api, GROUP, "/subscribe", user_id=ADMIN, chat_type="supergroup")
    member = {"user": {"id": api.bot_id, "is_bot": True, "first_name": "Newsbot Test"}}
    api.inject_update({"my_chat_member": {
        "chat": {"id": GROUP, "type": "supergroup", "title": "Newsroom"},
        "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
        "date": int(time.time()),
        "old_chat_member": {**member, "status": "member"},
        "new_chat_member": {**member, "status": "kicked", "until_date": 0},
    }})
    wait_until(lambda: not stored_chat(workdir, GROUP).active)
