"""End to end in Dutch and French: the real `newsbot run` answers each user in their app's language.

A Dutch-speaking and a French-speaking user (language_code in their updates, as Telegram sends it)
go through /start, /latest, /search with no hits, /subscribe, /settings and a digest; every text
and button they receive is checked word by word against the English messages of the catalogs.
"""

from __future__ import annotations

import pytest

from bot import i18n
from bot.commands import COMMANDS
from tests.bot_process import ask, drop_story, subscribe, wait_until
from tests.helpers import english_in, english_only_words

DUTCH, FRENCH = 3001, 3002
# The stories are in the readers' languages, and their words are removed before the check.
STORIES = {
    "nl1": ("Gemeenteraad keurt uitbreiding van de haven goed",
            "<p>De gemeenteraad heeft dinsdag de uitbreiding van de haven goedgekeurd.</p>"
            "<p>De werken beginnen volgende maand, zegt de schepen.</p>", "nl"),
    "fr1": ("Le conseil communal approuve l'extension du port",
            "<p>Le conseil communal a approuvé mardi l'extension du port.</p>"
            "<p>Les travaux commencent le mois prochain, selon l'échevin.</p>", "fr"),
}


@pytest.fixture
def stories(workdir):
    """The drop folder holds only the two local-language stories."""
    for path in (workdir / "articles").iterdir():
        path.unlink()
    for uuid, (title, body, language) in STORIES.items():
        drop_story(workdir / "articles", uuid, title, body=body, language=language)
    return workdir


def article_words() -> tuple[str, ...]:
    """Every piece of article text a reply may quote: titles, sentences, language codes."""
    parts: list[str] = []
    for title, body, language in STORIES.values():
        parts.append(title)
        parts.extend(p.split("</p>")[0] for p in body.split("<p>") if p)
        parts.append(language)
    return tuple(parts)


def texts(message: dict) -> list[str]:
    """What the reader sees of one message: its text and every button label."""
    buttons = [button["text"] for row in (message.get("reply_markup") or {}).get(
        "inline_keyboard", []) for button in row]
    return [message["plain"], *buttons]


def assert_no_english(messages: list[dict], language: str) -> None:
    english = english_only_words(language)
    assert len(english) > 50  # the check has English to look for
    for message in messages:
        for text in texts(message):
            found = english_in(text, english, article_words())
            assert not found, f"English {sorted(found)} in a {language} message: {text!r}"


@pytest.mark.parametrize(("user", "code", "language"), [(DUTCH, "nl-BE", "nl"),
                                                        (FRENCH, "fr-BE", "fr")])
def test_a_reader_gets_everything_in_their_language(api, start_bot, stories, user, code,
                                                    language):
    start_bot()

    def say(text: str) -> dict:
        return ask(api, user, text, user_id=user, language_code=code)

    with i18n.using(language):
        expect = {
            "help": i18n._("<b>newsbot</b> summarizes the news files dropped on this server, "
                           "offline, and sends you digests.").replace("<b>", "").replace(
                               "</b>", ""),
            "latest": i18n._("<b>Latest news</b> ({first}–{last})").format(
                first=1, last=2).replace("<b>", "").replace("</b>", ""),
            "none": i18n._("Nothing found for <b>{query}</b>.").format(
                query="zzyzx").replace("<b>", "").replace("</b>", ""),
            "settings": i18n._("<b>Settings</b>").replace("<b>", "").replace("</b>", ""),
            "digest": i18n.ngettext("<b>📰 News digest</b> · {count} new article",
                                    "<b>📰 News digest</b> · {count} new articles", 2)
            .split("·")[0].replace("<b>", "").replace("</b>", "").strip(),
        }
    assert say("/start")["plain"].startswith(expect["help"])
    assert say("/latest")["plain"].startswith(expect["latest"])
    assert say("/search zzyzx")["plain"] == expect["none"]
    subscribed = say("/subscribe 07:30")
    assert "07:30" in subscribed["plain"]
    settings = say("/settings")
    assert settings["plain"].startswith(expect["settings"])
    before = len(api.messages_to(user))
    subscribe(stories, user)  # the digest time passed a minute ago: the next tick sends it
    digest = api.wait_for_messages(user, before + 1, timeout=30)[before]
    assert digest["plain"].startswith(expect["digest"])
    assert_no_english(api.messages_to(user), language)


def test_the_menu_is_registered_in_every_language(api, start_bot, stories):
    start_bot()
    wait_until(lambda: len(api.calls_to("setMyCommands")) >= 5, timeout=20)
    english = api.commands(language_code="en")
    names = [entry["command"] for entry in english]
    assert names == [name for name, _ in COMMANDS]
    for language in ("nl", "fr", "de"):
        menu = api.commands(language_code=language)
        assert [entry["command"] for entry in menu] == names  # names never change
        with i18n.using(language):
            assert [entry["description"] for entry in menu] == [
                i18n._(text) for _, text in COMMANDS]
        assert all(ours["description"] != theirs["description"]
                   for ours, theirs in zip(menu, english, strict=True))
    assert api.commands() == english  # clients in other languages: NEWSBOT_LANGUAGE (en)


def test_the_check_finds_english_in_a_dutch_message():
    # The e2e check must be able to fail: an untranslated sentence is caught.
    english = english_only_words("nl")
    assert english_in("Nothing new since 1 dec. 2026 20:01.", english) >= {"nothing", "new"}
    assert not english_in("Niets nieuws sinds 1 dec. 2026 20:01.", english)
