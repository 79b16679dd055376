"""Targets speak their language: channel settings, instant posts, bursts, alerts and topics."""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime

import pytest

from bot.channels import ChannelCheck
from bot.commands import Commands
from bot.delivery import Deliveries
from bot.render import to_plain
from bot.replies import Caller, Outcome
from bot.settings import Settings
from storage import chats as chat_store
from storage.chats import Mode
from tests.helpers import FakeSender, add_article, english_in, english_only_words

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CHANNEL = -1001000000001
NEWS = ChannelCheck(True, CHANNEL, "channel", "Nieuws", "news_nl")
TITLES = ("Haven van Antwerpen heropent", "Grève au port", "Streik im Hafen")
BODY = "The second sentence of the story."
TRANSLATED = ("nl", "fr", "de")


def admin(language: str) -> Caller:
    return Caller(chat_id=99, user_id=99, language_code=language)


@pytest.fixture
def commands(conn):
    """Commands over a fresh database; user 99 is a bot admin."""
    return Commands(conn, Settings(admin_ids=frozenset({99})), clock=lambda: NOW)


@functools.cache
def english_words(language: str) -> frozenset[str]:
    """english_only_words, once per language: it extracts the catalogs from the source."""
    return frozenset(english_only_words(language))


def english_left(text: str, language: str) -> set[str]:
    content = (*TITLES, "Nieuws", "@news_nl", "staking", BODY)  # the news's and users' words
    return english_in(to_plain(text), set(english_words(language)), content)


@pytest.mark.parametrize("language", TRANSLATED)
def test_managing_a_channel_is_all_in_the_admins_language(commands, language):
    me = admin(language)
    replies = commands.add_channel(me, "@news_nl", NEWS)
    for line in ("/channels", "/settings @news_nl", "/alert @news_nl staking, grève",
                 "/preview @news_nl image", "/subscribe @news_nl 07:30 mon-fri",
                 "/removechannel @news_nl"):
        replies += commands.handle(me, line)
    for reply in replies:
        assert not english_left(reply.text, language), reply.text
        for row in reply.buttons:
            for button in row:
                assert not english_left(button.text, language), button.text


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_channel_gets_its_posts_bursts_and_alerts_in_its_language(conn, language):
    chat_store.subscribe(conn, CHANNEL, NOW, type="channel", managed=True, mode=Mode.INSTANT,
                         ui_language=language)
    chat_store.subscribe(conn, -1002, NOW, type="channel", alert_keywords=("Hafen",),
                         ui_language=language)
    for title in TITLES:
        add_article(conn, title, f"{title}. {BODY}")
    sender = FakeSender()
    service = Deliveries(conn, Settings(burst=2), sender)
    asyncio.run(service.stream())
    [burst] = sender.texts(CHANNEL)  # three at once over a burst of two: one message
    [alert] = sender.texts(-1002)
    for text in (burst, alert):
        assert not english_left(text, language), text
    assert "3" in to_plain(burst).splitlines()[0]


def test_a_forum_topic_speaks_like_its_group_until_it_chooses(commands, conn):
    group = Caller(chat_id=-100777, user_id=1, chat_type="supergroup")
    topic = Caller(chat_id=-100777, user_id=1, chat_type="supergroup", thread_id=12)
    commands.handle(group, "/language fr")
    assert not english_left("\n".join(r.text for r in commands.handle(topic, "/settings")),
                            "fr")
    commands.handle(topic, "/language de")
    assert chat_store.get_chat(conn, -100777, 12).ui_language == "de"
    assert chat_store.get_chat(conn, -100777).ui_language == "fr"  # the group keeps its own
    assert not english_left("\n".join(r.text for r in commands.handle(topic, "/help")), "de")


@pytest.mark.parametrize("line, caller, outcome", [
    ("/subscribe 07:30 someday", Caller(chat_id=1, user_id=1), Outcome.BAD_INPUT),
    ("/timezone Mars/Olympus", Caller(chat_id=1, user_id=1), Outcome.BAD_INPUT),
    ("/preview sideways", Caller(chat_id=1, user_id=1), Outcome.BAD_INPUT),
    ("/preview", Caller(chat_id=1, user_id=1), Outcome.OK),
    ("/channels", Caller(chat_id=5, user_id=5), Outcome.REFUSED),
    ("/settings @news_nl", Caller(chat_id=5, user_id=5), Outcome.REFUSED),
    ("/settings @news_nl", Caller(chat_id=99, user_id=99), Outcome.NOT_FOUND),
    ("/removechannel @news_nl", Caller(chat_id=99, user_id=99), Outcome.NOT_FOUND),
    ("/removechannel", Caller(chat_id=99, user_id=99), Outcome.BAD_INPUT),
    ("/addchannel", Caller(chat_id=99, user_id=99), Outcome.BAD_INPUT),
    ("/channels", Caller(chat_id=99, user_id=99), Outcome.EMPTY),
])
def test_target_commands_say_how_they_ended(commands, line, caller, outcome):
    """The CLI's exit status and a button's alert come from these outcomes."""
    assert [reply.outcome for reply in commands.handle(caller, line)] == [outcome]
