"""End to end: channels, topics and chats, each with its own mode, filters and schedule.

The real `newsbot run` against the strict Bot API stand-in, with Telegram's limits switched on
where it matters (1 message/s per private chat, 20/min per group or channel, 30/s overall).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from storage import chats as chat_store
from storage.chats import Mode
from storage.db import open_database
from tests.bot_process import (
    TOKEN,
    ask,
    db_rows,
    drop_story,
    stored_chat,
    story,
    wait_until,
)

BOT_ID = int(TOKEN.split(":")[0])
ADMIN, STRANGER, MEMBER = 1002, 1003, 1004
NL, FR, ENERGY = -1001000000001, -1001000000002, -1001000000003
FORUM = -1001000000010


def posts_to(api, chat_id: int, thread_id: int | None = None) -> list[str]:
    """Plain texts of new messages in a chat (in one topic, if given)."""
    return [m["plain"] for m in api.messages_to(chat_id)
            if thread_id is None or m["thread_id"] == thread_id]


def publish(folder, outside, uuid: str, title: str, language: str = "en",
            body: str | None = None) -> None:
    """Write a story outside the drop folder and rename it in, as careful writers publish."""
    outside.mkdir(exist_ok=True)
    path = outside / f"{uuid}.json"
    path.write_text(story(uuid, title, body=body, language=language), encoding="utf-8")
    os.rename(path, folder / f"{uuid}.json")


def add_channels(api) -> None:
    for chat_id, name, title in ((NL, "news_nl", "Nieuws"), (FR, "news_fr", "Nouvelles"),
                                 (ENERGY, "news_energy", "Energy desk")):
        api.add_chat(chat_id, "channel", title=title, username=name)
        api.set_admins(chat_id, {BOT_ID})


def test_admins_set_up_three_channels_that_get_disjoint_streams_from_one_folder(
        api, start_bot, workdir, tmp_path):
    add_channels(api)
    api.add_chat(-1001000000099, "channel", title="Not ours", username="not_ours")
    api.telegram_limits()
    start_bot(NEWSBOT_ADMIN_IDS=str(ADMIN), NEWSBOT_INGEST_INTERVAL="60")
    refused = ask(api, STRANGER, "/addchannel @news_nl", user_id=STRANGER)
    assert "administrators" in refused["plain"]
    assert "administrators" in ask(api, STRANGER, "/languages @news_nl nl",
                                   user_id=STRANGER)["plain"]
    cannot = ask(api, ADMIN, "/addchannel @not_ours", user_id=ADMIN)
    assert "Cannot add @not_ours" in cannot["plain"] and "administrator" in cannot["plain"]
    for name, language in (("news_nl", "nl"), ("news_fr", "fr")):
        added = ask(api, ADMIN, f"/addchannel @{name}", user_id=ADMIN)
        assert f"Added @{name}" in added["plain"]
        api.wait_for_messages(ADMIN, len(api.messages_to(ADMIN)) + 1)  # its settings keyboard
        time.sleep(1.1)  # one message a second to a private chat
        assert language in ask(api, ADMIN, f"/languages @{name} {language}",
                               user_id=ADMIN)["plain"]
        time.sleep(1.1)
        assert "as soon as it arrives" in ask(api, ADMIN, f"/subscribe @{name} instant",
                                              user_id=ADMIN)["plain"]
        time.sleep(1.1)
    ask(api, ADMIN, "/addchannel @news_energy", user_id=ADMIN)
    time.sleep(2.2)
    ask(api, ADMIN, "/include @news_energy energy, gas", user_id=ADMIN)
    time.sleep(1.1)
    ask(api, ADMIN, "/subscribe @news_energy instant", user_id=ADMIN)
    time.sleep(1.1)
    listing = ask(api, ADMIN, "/channels", user_id=ADMIN)["plain"]
    assert "@news_nl" in listing and "@news_fr" in listing and "@news_energy" in listing
    folder, outside = workdir / "articles", tmp_path / "outside"
    publish(folder, outside, "nl1", "Nieuwe haven in Antwerpen geopend", "nl",
            "<p>De nieuwe haven is vandaag geopend door de burgemeester.</p>")
    publish(folder, outside, "fr1", "Nouveau port ouvert à Anvers", "fr",
            "<p>Le nouveau port a été ouvert aujourd'hui par le maire.</p>")
    publish(folder, outside, "en1", "Energy prices fall again", "en",
            "<p>Gas and energy prices fell for the third week, traders said.</p>")
    wait_until(lambda: posts_to(api, NL) and posts_to(api, FR) and posts_to(api, ENERGY),
               timeout=20)
    time.sleep(1.0)  # a late duplicate would show now
    assert [("haven" in p) for p in posts_to(api, NL)] == [True]
    assert [("Nouveau port" in p) for p in posts_to(api, FR)] == [True]
    assert [("Energy prices" in p) for p in posts_to(api, ENERGY)] == [True]
    removed = ask(api, ADMIN, "/removechannel @news_fr", user_id=ADMIN)
    assert "Removed @news_fr" in removed["plain"]
    publish(folder, outside, "fr2", "Deuxième article en français", "fr")
    publish(folder, outside, "nl2", "Tweede Nederlands artikel", "nl")
    wait_until(lambda: len(posts_to(api, NL)) == 2, timeout=20)
    assert len(posts_to(api, FR)) == 1
    assert api.refused_by_limits == []


def test_addchannel_while_telegram_hiccups_says_to_try_again_not_that_the_channel_is_unknown(
        api, start_bot):
    add_channels(api)
    start_bot(NEWSBOT_ADMIN_IDS=str(ADMIN), NEWSBOT_INGEST_INTERVAL="60")
    api.fail_next("getChat", error_code=502)
    hiccup = ask(api, ADMIN, "/addchannel @news_nl", user_id=ADMIN)["plain"]
    assert "did not answer" in hiccup and "try again" in hiccup
    assert "does not know it" not in hiccup
    time.sleep(1.1)  # one message a second to a private chat
    api.fail_next("getChatMember", error_code=429, retry_after=5)
    assert "did not answer" in ask(api, ADMIN, "/addchannel @news_nl", user_id=ADMIN)["plain"]
    time.sleep(1.1)
    assert "Added @news_nl" in ask(api, ADMIN, "/addchannel @news_nl", user_id=ADMIN)["plain"]


def test_a_renamed_channel_added_again_keeps_its_settings_and_says_so(api, start_bot,
                                                                      workdir):
    add_channels(api)
    start_bot(NEWSBOT_ADMIN_IDS=str(ADMIN), NEWSBOT_INGEST_INTERVAL="60")
    assert "Added @news_nl" in ask(api, ADMIN, "/addchannel @news_nl", user_id=ADMIN)["plain"]
    api.wait_for_messages(ADMIN, 2)  # its settings keyboard
    time.sleep(1.1)  # one message a second to a private chat
    ask(api, ADMIN, "/subscribe @news_nl instant", user_id=ADMIN)
    # Its owners rename it: the old name is unknown to Telegram, the new one to the bot.
    api.add_chat(NL, "channel", title="Nieuws", username="nieuws_be")
    time.sleep(1.1)
    unknown = ask(api, ADMIN, "/settings @nieuws_be", user_id=ADMIN)["plain"]
    assert "/addchannel @nieuws_be" in unknown
    time.sleep(1.1)
    again = ask(api, ADMIN, "/addchannel @nieuws_be", user_id=ADMIN)["plain"]
    assert "already" in again and "kept" in again and "a digest at" not in again
    assert stored_chat(workdir, NL).mode is Mode.INSTANT
    assert stored_chat(workdir, NL).username == "nieuws_be"


def test_commands_posted_in_a_channel_publish_nothing_and_change_nothing(api, start_bot,
                                                                        workdir, tmp_path):
    add_channels(api)
    bot = start_bot(NEWSBOT_ADMIN_IDS=str(ADMIN), NEWSBOT_INGEST_INTERVAL="60")
    assert "Added @news_nl" in ask(api, ADMIN, "/addchannel @news_nl", user_id=ADMIN)["plain"]
    api.wait_for_messages(ADMIN, 2)  # its settings keyboard
    time.sleep(1.1)  # one message a second to a private chat
    assert "nl" in ask(api, ADMIN, "/languages @news_nl nl", user_id=ADMIN)["plain"]
    time.sleep(1.1)
    assert "as soon as it arrives" in ask(api, ADMIN, "/subscribe @news_nl instant",
                                          user_id=ADMIN)["plain"]
    # Whoever may post in the channel types commands there: a reply would be published to
    # every reader, and the bot's admins set the channel up from a private chat.
    for text in ("/latest", "/languages all", "/subscribe 09:00", "/help"):
        api.inject_message(NL, text)
    wait_until(lambda: bot.log().count("a command posted in channel") == 4)
    assert posts_to(api, NL) == []
    assert stored_chat(workdir, NL).languages == ("nl",)
    publish(workdir / "articles", tmp_path / "outside", "nl1", "Eerste artikel", "nl")
    wait_until(lambda: len(posts_to(api, NL)) == 1, timeout=20)  # still served as set up


def test_a_topic_gets_only_its_own_subscription(api, start_bot, workdir, tmp_path):
    api.add_chat(FORUM, "supergroup", title="Desk", is_forum=True)
    api.add_topic(FORUM, 7, "Breaking")
    api.add_topic(FORUM, 8, "Chat")
    api.set_admins(FORUM, {ADMIN})
    start_bot(NEWSBOT_INGEST_INTERVAL="60")
    api.inject_message(FORUM, "/subscribe instant", user_id=ADMIN, chat_type="supergroup",
                       thread_id=7)
    confirmation = api.wait_for(lambda m: m["chat_id"] == FORUM)[0]
    assert confirmation["thread_id"] == 7 and "in this topic" in confirmation["plain"]
    api.inject_message(FORUM, "/subscribe instant", user_id=MEMBER, chat_type="supergroup",
                       thread_id=8)
    refusal = api.wait_for(lambda m: m["chat_id"] == FORUM and m["thread_id"] == 8)[0]
    assert "administrators" in refusal["plain"]
    publish(workdir / "articles", tmp_path / "outside", "t1", "Lighthouse restored")
    wait_until(lambda: any("Lighthouse" in p for p in posts_to(api, FORUM, 7)), timeout=20)
    time.sleep(1.0)
    assert not any("Lighthouse" in p for p in posts_to(api, FORUM, 8) + posts_to(api, FORUM, 0))
    topic = stored_chat_topic(workdir, FORUM, 7)
    assert topic.mode is Mode.INSTANT and topic.subscribed
    assert stored_chat(workdir, FORUM) is None or not stored_chat(workdir, FORUM).subscribed
    ledger = [m for m in chat_store.sent_messages(open_database(workdir / "newsbot.db").conn)
              if m.chat_id == FORUM]
    assert [(m.thread_id, m.kind) for m in ledger] == [(7, "instant")]
    assert ledger[0].message_id == next(m["message_id"] for m in api.messages_to(FORUM)
                                        if "Lighthouse" in m["plain"])


def bot_membership(api, chat_id: int, old: str, new: str) -> None:
    """Telegram's my_chat_member update: the bot's status in a group changed."""
    member = {"user": {"id": api.bot_id, "is_bot": True, "first_name": "Newsbot Test"}}
    api.inject_update({"my_chat_member": {
        "chat": {"id": chat_id, "type": "supergroup", "title": "Desk", "is_forum": True},
        "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
        "date": int(time.time()),
        "old_chat_member": {**member, "status": old},
        "new_chat_member": {**member, "status": new, **({"until_date": 0}
                                                        if new == "kicked" else {})},
    }})


def test_a_topic_is_served_again_when_the_bot_is_added_back_to_its_group(
        api, start_bot, workdir, tmp_path):
    api.add_chat(FORUM, "supergroup", title="Desk", is_forum=True)
    api.add_topic(FORUM, 7, "Breaking")
    api.set_admins(FORUM, {ADMIN})
    start_bot(NEWSBOT_INGEST_INTERVAL="60")
    api.inject_message(FORUM, "/subscribe instant", user_id=ADMIN, chat_type="supergroup",
                       thread_id=7)
    api.wait_for(lambda m: m["chat_id"] == FORUM)
    # Removed from the group by mistake: the topic's deliveries stop.
    api.block_chat(FORUM)
    bot_membership(api, FORUM, "member", "kicked")
    wait_until(lambda: not stored_chat_topic(workdir, FORUM, 7).active)
    publish(workdir / "articles", tmp_path / "outside", "t1", "Storm closes the bridge")
    wait_until(lambda: db_rows(workdir / "newsbot.db", "SELECT 1 FROM articles WHERE title "
                               "LIKE 'Storm%'", readonly=True), timeout=20)
    # Added back an hour later: the topic gets what arrives from then on, as it asked.
    api.unblock_chat(FORUM)
    bot_membership(api, FORUM, "left", "member")
    wait_until(lambda: stored_chat_topic(workdir, FORUM, 7).active)
    publish(workdir / "articles", tmp_path / "outside", "t2", "Bridge open again")
    wait_until(lambda: any("Bridge open again" in p for p in posts_to(api, FORUM, 7)),
               timeout=20)
    assert not any("Storm closes" in p for p in posts_to(api, FORUM))


DESK = -1001000000020
# What Telegram sends for a member the admins took every right from ("restricted").
RESTRICTED = {"status": "restricted", "is_member": True, "until_date": 0, **dict.fromkeys(
    ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
     "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
     "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
     "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
     "can_react_to_messages"), False)}


def rights_changed(api, chat_id: int, old: dict, new: dict) -> None:
    """Telegram's my_chat_member update for a plain supergroup: the bot's rights changed."""
    member = {"user": {"id": api.bot_id, "is_bot": True, "first_name": "Newsbot Test"}}
    api.inject_update({"my_chat_member": {
        "chat": {"id": chat_id, "type": "supergroup", "title": "Desk"},
        "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
        "date": int(time.time()), "old_chat_member": {**member, **old},
        "new_chat_member": {**member, **new}}})


def story_attempts(api, chat_id: int, title: str) -> int:
    """How many times the bot tried to post a story to a chat, accepted or not."""
    return sum(1 for call in api.calls_to("sendMessage")
               if int(call["chat_id"]) == chat_id and title in call["text"])


def test_a_closed_topic_keeps_its_subscription_and_gets_what_waited_once_reopened(
        api, start_bot, workdir, tmp_path):
    api.add_chat(FORUM, "supergroup", title="Desk", is_forum=True)
    api.add_topic(FORUM, 7, "Breaking")
    api.set_admins(FORUM, {ADMIN}, creator=ADMIN)
    bot = start_bot(NEWSBOT_INGEST_INTERVAL="60")
    api.inject_message(FORUM, "/subscribe instant", user_id=ADMIN, chat_type="supergroup",
                       thread_id=7)
    api.wait_for(lambda m: m["chat_id"] == FORUM)
    # Its admins close the topic for the night: the bot may not post there meanwhile.
    api.close_topic(FORUM, 7)
    publish(workdir / "articles", tmp_path / "outside", "t1", "Storm closes the bridge")
    wait_until(lambda: ": held" in bot.log(), timeout=20)
    assert stored_chat_topic(workdir, FORUM, 7).active  # not dropped like a deleted topic
    api.reopen_topic(FORUM, 7)
    wait_until(lambda: any("Storm" in p for p in posts_to(api, FORUM, 7)), timeout=20)
    assert [p for p in posts_to(api, FORUM, 7) if "Storm" in p][1:] == []


def test_a_group_that_restricted_the_bot_is_tried_rarely_and_served_when_it_may_post_again(
        api, start_bot, workdir, tmp_path):
    api.add_chat(DESK, "supergroup", title="Desk")
    api.set_admins(DESK, {ADMIN})
    bot = start_bot(NEWSBOT_INGEST_INTERVAL="60")
    api.inject_message(DESK, "/subscribe instant", user_id=ADMIN, chat_type="supergroup")
    api.wait_for(lambda m: m["chat_id"] == DESK)
    # An admin takes the bot's right to send messages: Telegram answers 400 to each post.
    api.set_rights(DESK, BOT_ID, can_send_messages=False)
    rights_changed(api, DESK, {"status": "member"}, RESTRICTED)
    publish(workdir / "articles", tmp_path / "outside", "d1", "Storm closes the bridge")
    wait_until(lambda: "may not be posted to" in bot.log(), timeout=20)
    # Fourteen ticks, and two of the group's 3.25 s sending slots: each slot used to try again
    # (and again as plain text).
    time.sleep(7)
    assert story_attempts(api, DESK, "Storm closes") == 1
    assert not posts_to(api, DESK)[1:] and stored_chat(workdir, DESK).active
    # The right comes back: Telegram says so, and the story held back is posted at once.
    api.set_rights(DESK, BOT_ID, can_send_messages=True)
    rights_changed(api, DESK, RESTRICTED, {"status": "member"})
    wait_until(lambda: any("Storm closes" in p for p in posts_to(api, DESK)), timeout=20)
    assert story_attempts(api, DESK, "Storm closes") == 2


def stored_chat_topic(workdir, chat_id: int, thread_id: int):
    db = open_database(workdir / "newsbot.db")
    try:
        return chat_store.get_chat(db.conn, chat_id, thread_id)
    finally:
        db.conn.close()


def test_a_file_renamed_into_the_folder_is_posted_within_seconds(api, start_bot, workdir,
                                                                 tmp_path):
    api.add_chat(2001)
    start_bot(NEWSBOT_INGEST_INTERVAL="600")  # only the watcher can be this quick
    assert "as soon as it arrives" in ask(api, 2001, "/subscribe instant")["plain"]
    publish(workdir / "articles", tmp_path / "outside", "w1", "Bridge reopens after repairs")
    post = api.wait_for(lambda m: m["chat_id"] == 2001 and "Bridge reopens" in m["plain"],
                        timeout=10)[0]
    assert "/article" in post["plain"]


def test_a_drop_folder_deleted_and_made_again_is_watched_again(api, start_bot, workdir,
                                                                 tmp_path):
    api.add_chat(2001)
    bot = start_bot(NEWSBOT_INGEST_INTERVAL="600")  # only the watcher can be this quick
    assert "as soon as it arrives" in ask(api, 2001, "/subscribe instant")["plain"]
    drop = workdir / "articles"
    away = tmp_path / "articles-old"
    drop.rename(away)  # the newsroom system replaces its export folder
    wait_until(lambda: "does not exist" in bot.log())
    drop.mkdir()
    publish(drop, tmp_path / "outside", "w2", "Ferry service resumes")
    api.wait_for(lambda m: m["chat_id"] == 2001 and "Ferry service" in m["plain"], timeout=10)
    publish(drop, tmp_path / "outside", "w3", "Tunnel closed for the night")
    api.wait_for(lambda m: m["chat_id"] == 2001 and "Tunnel closed" in m["plain"], timeout=10)
    assert "is there again" in bot.log()


def test_a_burst_becomes_one_message(api, start_bot, workdir):
    api.add_chat(2002)
    start_bot(NEWSBOT_WATCH="off", NEWSBOT_BURST="5")
    ask(api, 2002, "/subscribe instant")
    for number in range(12):
        drop_story(workdir / "articles", f"b{number}", f"Bulk import story {number}")
    burst = api.wait_for(lambda m: m["chat_id"] == 2002 and "new articles" in m["plain"],
                         timeout=20)[0]
    time.sleep(1.5)  # three more scans and ticks: nothing else may arrive
    assert "12 new articles" in burst["plain"] and burst["plain"].count("/article") == 12
    assert len(api.messages_to(2002)) == 2  # the confirmation and the one burst


def test_a_breaking_item_reaches_a_digest_chat_at_once_and_not_again_in_its_digest(
        api, start_bot, workdir, tmp_path):
    chat_id = 2003
    api.add_chat(chat_id)
    local = datetime.now(ZoneInfo("Europe/Brussels"))
    db = open_database(workdir / "newsbot.db")
    chat_store.update_chat(db.conn, chat_id, subscribed=True,
                           digest_time=f"{local + timedelta(hours=2):%H:%M}",
                           subscribed_at=datetime.now(UTC) - timedelta(days=2),
                           last_digest_at=datetime.now(UTC) - timedelta(minutes=30))
    db.conn.close()
    start_bot(NEWSBOT_INGEST_INTERVAL="60")
    outside = tmp_path / "outside"
    outside.mkdir()
    flash = outside / "flash.json"
    flash.write_text(json.dumps({
        "uri": "urn:agency:flash-1", "type": "text", "urgency": 1, "language": "en",
        "headline": "Port of Antwerp closed after explosion",
        "body_text": "The port was closed on Tuesday after an explosion. Nobody was hurt.",
        "versioncreated": datetime.now(UTC).isoformat()}), encoding="utf-8")
    os.rename(flash, workdir / "articles" / "flash.json")
    publish(workdir / "articles", outside, "calm", "Council approves new library")
    alert = api.wait_for(lambda m: m["chat_id"] == chat_id and "Breaking" in m["plain"],
                         timeout=20)[0]
    assert "Port of Antwerp closed" in alert["plain"]
    # Now the digest time comes (the schedule is read from SQLite at every tick).
    db = open_database(workdir / "newsbot.db")
    chat_store.update_chat(db.conn, chat_id, digest_time=f"{local - timedelta(minutes=10):%H:%M}")
    db.conn.close()
    digest = api.wait_for(lambda m: m["chat_id"] == chat_id and "News digest" in m["plain"],
                          timeout=20)[0]
    assert "Council approves new library" in digest["plain"]
    assert "Port of Antwerp closed" not in digest["plain"]
    assert sum("Port of Antwerp closed" in p for p in posts_to(api, chat_id)) == 1


def test_no_429_in_a_500_chat_fan_out_with_multi_message_digests(api, start_bot, workdir):
    for number in range(24):
        drop_story(workdir / "articles", f"f{number}", f"Fan-out story number {number} " * 3,
                   body="<p>" + "A long sentence about the harbour works and the city. " * 6
                   + "</p><p>Officials said the plan takes effect next month.</p>")
    chats = list(range(5001, 5501))
    wanted = set(chats)
    db = open_database(workdir / "newsbot.db")
    local = datetime.now(ZoneInfo("Europe/Brussels")) - timedelta(minutes=1)
    for chat_id in chats:
        api.add_chat(chat_id)
        chat_store.update_chat(db.conn, chat_id, subscribed=True, digest_time=f"{local:%H:%M}",
                               subscribed_at=datetime.now(UTC) - timedelta(days=2))
    db.conn.close()
    api.telegram_limits()
    api.add_chat(9999)
    # Every chat gets two messages, so the 1/s per chat limit is what is planned for here. The
    # overall rate is set with room for this shared test machine's scheduling jitter, which
    # the strict one-second window would count; at the default 29.5/s, bench/fanout.py
    # measures the rate and the 429s (0.5 % of 10,000, waited out).
    start_bot(wait=False, NEWSBOT_SEND_RATE="27")
    wait_until(lambda: len(api.messages_to(chats[0])) >= 2, timeout=60, interval=0.5)
    search = ask(api, 9999, "/search harbour", timeout=20)  # answered during the fan-out
    assert "Fan-out story" in search["plain"]
    # Polled cheaply: a poll that walks every chat's messages holds the stand-in's GIL long
    # enough to bunch its requests together, which its strict one-second window then counts.
    wait_until(lambda: len({m["chat_id"] for m in api.sent if m["chat_id"] in wanted
                            and m["plain"].count("/article")}) == len(chats)
               and len(api.sent) >= 2 * len(chats), timeout=120, interval=1.0)
    time.sleep(2.0)
    per_chat = Counter(m["chat_id"] for m in api.sent if m["chat_id"] in wanted)
    counts = set(per_chat.values())  # every chat the same digest, once
    assert len(per_chat) == len(chats) and len(counts) == 1 and min(counts) >= 2
    assert api.refused_by_limits == []


def test_kill_9_during_instant_posts_misses_none_and_repeats_none(api, start_bot, workdir):
    chats = list(range(3101, 3113))
    db = open_database(workdir / "newsbot.db")
    for chat_id in chats:
        api.add_chat(chat_id)
        chat_store.update_chat(db.conn, chat_id, subscribed=True, mode=Mode.INSTANT)
    db.conn.close()
    api.rate_limit(per_second=4)
    bot = start_bot(wait=False)
    wait_until(lambda: sum(len(api.messages_to(c)) for c in chats) >= 5, timeout=30)
    api.fail_next("sendMessage", 10_000, error_code=429, retry_after=30)
    time.sleep(1.0)
    bot.kill()
    before = sum(len(api.messages_to(c)) for c in chats)
    assert 5 <= before < 2 * len(chats)
    api.clear_faults("sendMessage")
    api.rate_limit(per_second=None)
    start_bot(wait=False)
    wait_until(lambda: all(len(api.messages_to(c)) >= 2 for c in chats), timeout=30)
    time.sleep(1.5)  # several scans and ticks more: nothing else may arrive
    for chat_id in chats:
        titles = sorted(p.splitlines()[0] for p in posts_to(api, chat_id))
        assert titles == ["Harbour expansion approved in Antwerp", "New tram line opens in Ghent"]
