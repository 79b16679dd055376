"""Commands for targets: modes and schedules, alerts, previews, topics, managed channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.channels import ChannelCheck, channel_reference
from bot.commands import Commands, parse_subscription
from bot.console import CONSOLE
from bot.render import to_plain
from bot.replies import Caller, Outcome
from bot.settings import Settings
from storage import chats as chat_store
from storage.chats import Mode, Preview

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
ADMIN = Caller(chat_id=99, user_id=99)
STRANGER = Caller(chat_id=5, user_id=5)
CHANNEL = -1001000000001
NEWS_NL = ChannelCheck(True, CHANNEL, "channel", "Nieuws", "news_nl")


@pytest.fixture
def commands(conn):
    """Commands over a fresh database with a fixed clock; user 99 is a bot admin."""
    return Commands(conn, Settings(admin_ids=frozenset({99})), clock=lambda: NOW)


def text_of(commands, line: str, caller: Caller) -> str:
    return "\n".join(to_plain(reply.text) for reply in commands.handle(caller, line))


@pytest.mark.parametrize("args, plan", [
    ("", (Mode.DIGEST, (), None)),
    ("instant", (Mode.INSTANT, (), None)),
    ("07:30", (Mode.DIGEST, ("07:30",), None)),
    ("07:30,12:00,18:00", (Mode.DIGEST, ("07:30", "12:00", "18:00"), None)),
    ("7:30, 18:00 mon-fri", (Mode.DIGEST, ("07:30", "18:00"), (1, 2, 3, 4, 5))),
    ("mon-fri", (Mode.DIGEST, (), (1, 2, 3, 4, 5))),
    ("07:30 daily", (Mode.DIGEST, ("07:30",), ())),
    ("25:00", None), ("07:30 someday", None), ("instant 07:30", None),
    ("07:30:00", (Mode.DIGEST, ("07:30",), None)),
    ("6:30 pm mon-fri", (Mode.DIGEST, ("18:30",), (1, 2, 3, 4, 5))),
    ("7 am, 6 pm", (Mode.DIGEST, ("07:00", "18:00"), None)),
])
def test_parse_subscription(args, plan):
    assert parse_subscription(args) == plan


def test_subscribe_with_several_times_and_weekdays_then_instant(commands, conn):
    me = Caller(chat_id=1, user_id=1)
    said = text_of(commands, "/subscribe 07:30,18:00 mon-fri", me)
    assert "07:30, 18:00" in said and "mon-fri" in said
    chat = chat_store.get_chat(conn, 1)
    assert (chat.times, chat.weekdays, chat.mode) == (("07:30", "18:00"), (1, 2, 3, 4, 5),
                                                      Mode.DIGEST)
    assert "as soon as it arrives" in text_of(commands, "/subscribe instant", me)
    assert chat_store.get_chat(conn, 1).mode is Mode.INSTANT
    text_of(commands, "/subscribe", me)  # back to digests, at the times it had
    chat = chat_store.get_chat(conn, 1)
    assert chat.mode is Mode.DIGEST and chat.times == ("07:30", "18:00")
    assert "Usage" in text_of(commands, "/subscribe 07:30 someday", me)


def test_alert_words_and_preview(commands, conn):
    me = Caller(chat_id=1, user_id=1)
    assert "strike, outage" in text_of(commands, "/alert strike, outage", me)
    assert "image" in text_of(commands, "/preview image", me)
    chat = chat_store.get_chat(conn, 1)
    assert chat.alert_keywords == ("strike", "outage") and chat.preview is Preview.IMAGE
    assert "Set with /preview" in text_of(commands, "/preview sideways", me)
    shown = text_of(commands, "/settings", me)
    assert "Alert words: strike, outage" in shown and "Preview: image" in shown


def test_a_topic_is_its_own_target(commands, conn):
    in_topic = Caller(chat_id=-100500, user_id=7, chat_type="supergroup", thread_id=42)
    assert "in this topic" in text_of(commands, "/subscribe instant", in_topic)
    assert chat_store.get_chat(conn, -100500, 42).mode is Mode.INSTANT
    group = chat_store.get_chat(conn, -100500)
    assert group is None or not group.subscribed


def test_admins_add_configure_and_remove_a_channel(commands, conn):
    added = commands.add_channel(ADMIN, "@news_nl", NEWS_NL)
    assert "Added @news_nl" in to_plain(added[0].text)
    assert all(b.data.startswith(f"cset:{CHANNEL}:") for row in added[1].buttons for b in row)
    assert "nl" in text_of(commands, "/languages @news_nl nl", ADMIN)
    assert "as soon as it arrives" in text_of(commands, "/subscribe @news_nl instant", ADMIN)
    channel = chat_store.get_chat(conn, CHANNEL)
    assert channel.languages == ("nl",) and channel.mode is Mode.INSTANT and channel.managed
    settings = commands.handle(ADMIN, "/settings @news_nl")[0]
    assert "of @news_nl" in to_plain(settings.text)
    [pressed] = commands.callback(ADMIN, f"cset:{CHANNEL}:len:1")
    assert "saved" in to_plain(pressed.text)
    assert chat_store.get_chat(conn, CHANNEL).summary_sentences == 1
    assert "@news_nl" in text_of(commands, "/channels", ADMIN)
    assert "Removed @news_nl" in text_of(commands, "/removechannel @news_nl", ADMIN)
    assert not chat_store.get_chat(conn, CHANNEL).subscribed
    assert "No channels yet" in text_of(commands, "/channels", ADMIN)


def test_strangers_and_group_admins_cannot_manage_channels(commands, conn):
    commands.add_channel(ADMIN, "@news_nl", NEWS_NL)
    for line in ("/channels", "/removechannel @news_nl", "/languages @news_nl fr",
                 "/settings @news_nl"):
        assert "administrators" in text_of(commands, line, STRANGER)
    in_group = Caller(chat_id=-100, user_id=99, chat_type="supergroup")
    assert "private chat" in text_of(commands, "/channels", in_group)
    [refused] = commands.callback(STRANGER, f"cset:{CHANNEL}:len:1")
    assert "administrators" in to_plain(refused.text)
    assert "administrators" in to_plain(commands.add_channel(STRANGER, "@news_nl", NEWS_NL)[0].text)
    assert chat_store.get_chat(conn, CHANNEL).languages == ()


def test_a_button_of_a_channel_removed_since_says_so_to_the_admin(commands, conn):
    commands.add_channel(ADMIN, "@news_nl", NEWS_NL)
    text_of(commands, "/removechannel @news_nl", ADMIN)
    [pressed] = commands.callback(ADMIN, f"cset:{CHANNEL}:len:1")
    assert pressed.outcome is Outcome.NOT_FOUND and "/channels" in to_plain(pressed.text)
    assert chat_store.get_chat(conn, CHANNEL).summary_sentences != 1


@pytest.mark.parametrize("channel", ["99999999999999999999999", "-99999999999999999999999"])
def test_a_channel_id_beyond_any_chats_is_no_channel_not_a_crash(commands, channel):
    # Callback data can be forged by a client; an id past SQLite's integers raised OverflowError.
    [pressed] = commands.callback(ADMIN, f"cset:{channel}:len:1")
    assert pressed.outcome is Outcome.NOT_FOUND
    assert "Usage: /removechannel" in text_of(commands, f"/removechannel {channel}", ADMIN)


def test_a_channel_the_bot_cannot_post_in_is_not_added(commands, conn):
    refused = ChannelCheck(False, CHANNEL, "channel", "Nieuws", "news_nl",
                           problem="the bot is not an administrator of the channel")
    said = to_plain(commands.add_channel(ADMIN, "@news_nl", refused)[0].text)
    assert said.startswith("Cannot add @news_nl") and "not an administrator" in said
    assert chat_store.get_chat(conn, CHANNEL) is None
    assert "not one of /channels" in text_of(commands, "/languages @news_nl nl", ADMIN)


@pytest.mark.parametrize("text, reference", [
    ("@news_nl", "@news_nl"), ("-1001234567890", -1001234567890), ("news_nl", None),
    ("@ab", None), ("12345", None),
])
def test_channel_reference(text, reference):
    assert channel_reference(text) == reference


def test_the_console_operator_manages_channels_but_adding_one_needs_telegram(commands, conn):
    [refused] = commands.handle(CONSOLE, "/addchannel @news_nl")
    assert refused.outcome is Outcome.REFUSED and "needs Telegram" in refused.text
    commands.add_channel(ADMIN, "@news_nl", NEWS_NL)  # added earlier by a bot admin, on Telegram
    assert "@news_nl" in text_of(commands, "/channels", CONSOLE)
    assert "07:30" in text_of(commands, "/subscribe @news_nl 07:30", CONSOLE)
    assert chat_store.get_chat(conn, CHANNEL).times == ("07:30",)
    assert "Removed @news_nl" in text_of(commands, "/removechannel @news_nl", CONSOLE)
    assert not chat_store.get_chat(conn, CHANNEL).managed


def test_a_reader_back_after_weeks_away_gets_a_new_subscribers_first_digest(conn):
    from bot.digest import build_digest
    from bot.schedule import is_due
    from tests.helpers import add_article

    clock = [datetime(2026, 10, 1, 9, 0, tzinfo=UTC)]
    commands = Commands(conn, Settings(), clock=lambda: clock[0])
    me = Caller(chat_id=7, user_id=7)
    commands.handle(me, "/subscribe 08:00")
    chat_store.finish_digest(conn, 7, 0, clock[0])  # its digest of 1 October went out
    commands.handle(me, "/unsubscribe")
    for day in range(1, 32):  # a story a day while away, the last on the day it comes back
        add_article(conn, f"Story of day {day}")
        conn.execute("UPDATE articles SET first_seen = ? WHERE seq = (SELECT max(seq) "
                     "FROM articles)", ((clock[0] + timedelta(days=day)).isoformat(),))
    clock[0] = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    commands.handle(me, "/subscribe 08:00")
    chat = chat_store.get_chat(conn, 7)
    next_morning = datetime(2026, 11, 2, 7, 0, 30, tzinfo=UTC)
    assert not is_due(chat, clock[0], "08:00", "Europe/Brussels")
    assert is_due(chat, next_morning, "08:00", "Europe/Brussels")
    digest = build_digest(conn, chat, "Europe/Brussels", next_morning)
    # The last 24 hours, as for anyone subscribing, not "31 new articles since 1 Oct".
    assert [to_plain(m.text).split("\n")[0] for m in digest.messages] == [
        "📰 News digest · 1 new article since 1 Nov 2026, 08:00"]


@pytest.mark.parametrize("change", ["/subscribe 07:30", "/subscribe 07:30,18:00 mon-fri",
                                    "/timezone America/New_York"])
def test_a_changed_schedule_starts_at_its_next_time_not_at_once(conn, change):
    from bot.schedule import is_due

    clock = [datetime(2026, 11, 24, 10, 0, tzinfo=UTC)]
    commands = Commands(conn, Settings(), clock=lambda: clock[0])
    me = Caller(chat_id=7, user_id=7)
    commands.handle(me, "/subscribe 18:00")
    tuesday = datetime(2026, 12, 1, 17, 0, 5, tzinfo=UTC)  # 18:00 in Brussels
    assert is_due(chat_store.get_chat(conn, 7), tuesday, "08:00", "Europe/Brussels")
    chat_store.finish_digest(conn, 7, 0, tuesday)  # Tuesday's 18:00 edition went out
    clock[0] = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # Wednesday 11:00 in Brussels
    commands.handle(me, change)
    chat = chat_store.get_chat(conn, 7)
    # Its first edition is at its new time, Thursday 07:30 or 08:00 local at the latest,
    # not a digest in the minute it was changed.
    assert not is_due(chat, clock[0] + timedelta(minutes=1), "08:00", "Europe/Brussels")
    assert is_due(chat, datetime(2026, 12, 4, 7, 0, tzinfo=UTC), "08:00", "Europe/Brussels")


def test_a_channel_added_again_after_it_removed_the_bot_gets_deliveries_again(commands, conn):
    commands.add_channel(ADMIN, "@news_nl", NEWS_NL)
    chat_store.deactivate(conn, CHANNEL, "Forbidden: bot was kicked from the channel chat")
    # The channel's admins add the bot back; the bot's admin adds the channel again.
    said = to_plain(commands.add_channel(ADMIN, "@news_nl", NEWS_NL)[0].text)
    channel = chat_store.get_chat(conn, CHANNEL)
    assert channel.active and channel.subscribed and channel.inactive_reason is None
    assert "news_nl" in said
