"""Embargoes, withdrawals and corrections speak the target's language: a corrected or
withdrawn post and digest are edited in nl/fr/de, /embargoed, /withdrawals, /article's versions
and /stats' embargo line too; and each of those replies says how it ended (its Outcome)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands import Commands
from bot.delivery import Deliveries, deliver
from bot.render import to_plain
from bot.replies import Caller, Outcome
from bot.send import Address
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.chats import Mode
from summarizer import normalize_language
from tests.helpers import FakeSender, english_in, english_only_words, read_newsroom

TRANSLATED = ("nl", "fr", "de")
CHANNEL = -1001000000001
ADMIN = 99
FILES = ("ninjs-story.json", "ninjs-correction.json", "ninjs-kill.json",
         "prezly-embargoed.json", "newsml-embargoed.xml")


def summary_of(body: str) -> list[str]:
    """The summary `save` stores: the body's first sentence."""
    return [body.split(". ")[0].rstrip(".") + "."]


# The stories' own words (title, summary): they stay in the language they were written in.
CONTENT = tuple(text for name in FILES for article in [read_newsroom(name)]
                for text in (article.title, *summary_of(article.body)))
# What each language calls the changes (proof the sentence is there, not only free of English).
UPDATED = {"nl": "Bijgewerkt om", "fr": "Mis à jour à", "de": "Aktualisiert um"}
WITHDRAWN = {"nl": "Ingetrokken door de uitgever", "fr": "Retiré par l'éditeur",
             "de": "Vom Herausgeber zurückgezogen"}
NOTE = {"nl": "1 artikel werd ingetrokken", "fr": "1 article a été retiré",
        "de": "1 Meldung wurde vom Herausgeber zurückgezogen"}


def english_left(text: str, language: str) -> set[str]:
    return english_in(to_plain(text), english_only_words(language), CONTENT)


def save(conn, name: str, now: datetime, embargo: datetime | None = None) -> None:
    """Store a newsroom fixture as ingest would (its language normalized, a summary from it)."""
    article = read_newsroom(name, embargo)
    article.language = normalize_language(article.language)
    article_store.store(conn, article, summary_of(article.body), name)


def edited(service: Deliveries, sender: FakeSender, chat_id: int) -> list[str]:
    """The texts the next edit pass gives the messages of `chat_id`."""
    before = len(sender.changes)
    asyncio.run(service.edit_pass(datetime.now(UTC)))
    return [text for action, chat, _id, text in sender.changes[before:] if chat == chat_id]


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_corrected_then_withdrawn_post_is_edited_in_the_channels_language(conn, language):
    now = datetime.now(UTC)
    chat_store.subscribe(conn, CHANNEL, now, type="channel", managed=True, mode=Mode.INSTANT,
                         ui_language=language)
    save(conn, "ninjs-story.json", now)
    sender = FakeSender()
    service = Deliveries(conn, Settings(), sender)
    asyncio.run(service.stream())
    [post] = sender.texts(CHANNEL)
    assert not english_left(post, language), post

    save(conn, "ninjs-correction.json", datetime.now(UTC))
    [correction] = edited(service, sender, CHANNEL)
    assert UPDATED[language] in correction and "Zwayer hatte recht" in correction
    assert not english_left(correction, language), correction

    save(conn, "ninjs-kill.json", datetime.now(UTC))
    [kill] = edited(service, sender, CHANNEL)
    assert WITHDRAWN[language] in kill and "Faktencheck" in kill
    assert not english_left(kill, language), kill


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_digest_that_carried_a_withdrawn_story_is_rendered_again_in_its_language(
        conn, language):
    now = datetime.now(UTC)
    reader = Caller(chat_id=42, user_id=42, language_code=language)
    commands = Commands(conn, Settings())
    save(conn, "ninjs-story.json", now)
    save(conn, "newsml-embargoed.xml", now, embargo=now - timedelta(days=1))
    sender = FakeSender()
    asyncio.run(deliver(conn, Address(42), commands.handle(reader, "/digest"), sender))
    [digest] = sender.texts(42)
    assert not english_left(digest, language), digest

    save(conn, "ninjs-kill.json", datetime.now(UTC))
    [again] = edited(Deliveries(conn, Settings(), sender), sender, 42)
    assert NOTE[language] in again and "Faktencheck" not in again and "Fed" in again
    assert not english_left(again, language), again


@pytest.mark.parametrize("language", TRANSLATED)
def test_embargoed_withdrawals_versions_and_stats_speak_the_admins_language(conn, language):
    now = datetime.now(UTC)
    me = Caller(chat_id=ADMIN, user_id=ADMIN, language_code=language)
    commands = Commands(conn, Settings(admin_ids=frozenset({ADMIN})))
    save(conn, "prezly-embargoed.json", now)  # until 2099
    save(conn, "ninjs-story.json", now - timedelta(minutes=5))
    save(conn, "ninjs-correction.json", now)
    seq = article_store.latest(conn, 1)[0].seq
    replies = [*commands.handle(me, "/embargoed"), *commands.handle(me, f"/article {seq}"),
               *commands.handle(me, "/withdrawals"), *commands.handle(me, "/withdrawals delete"),
               *commands.handle(me, "/stats"), *commands.handle(me, "/help")]
    for reply in replies:
        assert not english_left(reply.text, language), reply.text
    embargoed, article = replies[0].text, replies[1].text
    assert "2099" in embargoed and "Belgian IT firms" in embargoed
    assert "/withdrawals" in replies[-1].text  # listed in /help with its description
    assert article.count("\n•") == 2  # received, corrected
    stranger = Caller(chat_id=5, user_id=5, language_code=language)
    [refused] = commands.handle(stranger, "/embargoed")
    assert not english_left(refused.text, language) and "Belgian" not in refused.text


@pytest.mark.parametrize("line, caller, outcome", [
    ("/embargoed", Caller(chat_id=5, user_id=5), Outcome.REFUSED),
    ("/embargoed", Caller(chat_id=ADMIN, user_id=ADMIN), Outcome.EMPTY),
    ("/embargoed", Caller(chat_id=1, chat_type="console", operator=True), Outcome.EMPTY),
    ("/withdrawals", Caller(chat_id=1, user_id=1), Outcome.OK),
    ("/withdrawals sometimes", Caller(chat_id=1, user_id=1), Outcome.BAD_INPUT),
    ("/withdrawals delete", Caller(chat_id=1, user_id=1), Outcome.OK),
    ("/withdrawals delete", Caller(chat_id=-7, user_id=1, chat_type="group", can_manage=False),
     Outcome.REFUSED),
])
def test_newsroom_commands_say_how_they_ended(conn, line, caller, outcome):
    """The CLI's exit status and a button's alert come from these outcomes."""
    commands = Commands(conn, Settings(admin_ids=frozenset({ADMIN})))
    assert [reply.outcome for reply in commands.handle(caller, line)] == [outcome]
