"""Which language the commands answer in: the app's language_code, /language, groups, console."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import i18n
from bot.commands import Caller, Commands, command_menu
from bot.console import CONSOLE
from bot.render import to_plain
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage import files as file_store
from storage.chats import OnWithdraw, Preview
from storage.records import Article

NOW = datetime(2026, 12, 1, 19, 1, tzinfo=UTC)
LANGUAGES = ("en", "nl", "fr", "de")
GROUP = -100123


@pytest.fixture
def commands(conn):
    """Commands over a fresh database, English by default."""
    return Commands(conn, Settings(), clock=lambda: NOW)


def said(commands, caller: Caller, line: str) -> str:
    return "\n".join(to_plain(reply.text) for reply in commands.handle(caller, line))


def translated(language: str, message: str) -> str:
    with i18n.using(language):
        return i18n._(message)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("suffix", ["", "-BE"])
def test_a_private_chat_answers_in_the_app_language(commands, language, suffix):
    me = Caller(chat_id=5, user_id=5, language_code=language + suffix)
    assert said(commands, me, "/latest") == translated(language, "No articles yet.")
    assert said(commands, me, "/nope") == translated(
        language, "Unknown command /{name}. Send /help for the list.").format(name="nope")


def test_an_app_language_we_do_not_speak_gets_the_default(conn):
    commands = Commands(conn, Settings(language="de"), clock=lambda: NOW)
    spanish = Caller(chat_id=6, user_id=6, language_code="es")
    assert said(commands, spanish, "/latest") == translated("de", "No articles yet.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_command_overrides_the_app_and_is_kept(commands, conn, language):
    me = Caller(chat_id=7, user_id=7, language_code="fr-BE" if language != "fr" else "nl")
    answer = said(commands, me, f"/language {language}")
    assert answer == translated(language, "From now on I write in {language}.").format(
        language=i18n.language_in_text(language))
    assert said(commands, me, "/latest") == translated(language, "No articles yet.")
    assert chat_store.get_chat(conn, 7).ui_language == language
    said(commands, me, "/language auto")  # back to the app's language
    assert said(commands, me, "/latest") == translated(me.language_code[:2], "No articles yet.")


def test_language_accepts_names_and_refuses_others(commands):
    me = Caller(chat_id=8, user_id=8)
    said(commands, me, "/language Nederlands")
    assert said(commands, me, "/latest") == "Nog geen artikels."
    refusal = commands.handle(me, "/language klingon")[0]
    assert refusal.outcome.value == "bad input" and "klingon" in refusal.text


def test_groups_use_newsbot_language_until_an_admin_chooses(conn):
    commands = Commands(conn, Settings(language="nl"), clock=lambda: NOW)
    admin = Caller(chat_id=GROUP, user_id=1, chat_type="supergroup", language_code="de")
    member = Caller(chat_id=GROUP, user_id=2, chat_type="supergroup", can_manage=False,
                    language_code="fr")
    # Nobody's app language rules a group: every member reads the same.
    assert said(commands, admin, "/latest") == "Nog geen artikels."
    assert said(commands, member, "/latest") == "Nog geen artikels."
    refused = commands.handle(member, "/language fr")[0]
    assert refused.outcome.value == "refused"
    said(commands, admin, "/language fr")
    assert said(commands, member, "/latest") == "Pas encore d'articles."


def test_the_settings_page_has_a_language_row_that_switches(commands, conn):
    me = Caller(chat_id=9, user_id=9, language_code="en")
    page = commands.handle(me, "/settings")[0]
    labels = [button.text for button in page.buttons[-1]]
    assert labels == ["✓ English", "Nederlands", "Français", "Deutsch"]
    after = commands.callback(me, "set:ui:de")[0]
    assert to_plain(after.text).startswith("Einstellungen — gespeichert")
    assert "Sprache des Bots: Deutsch" in to_plain(after.text)
    assert chat_store.get_chat(conn, 9).ui_language == "de"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_digest_speaks_the_language_the_app_sent_last(commands, conn, language):
    article_store.store(conn, Article(title="Havenuitbreiding goedgekeurd", body="Tekst.",
                                      published=NOW - timedelta(hours=2), language="nl"),
                        ["Tekst."])
    said(commands, Caller(chat_id=10, user_id=10, language_code=language), "/subscribe 08:00")
    chat = chat_store.get_chat(conn, 10)
    digest = commands.digest(chat, NOW)  # later, from the scheduler: no update, no caller
    with i18n.using(language):
        header = i18n.ngettext("<b>📰 News digest</b> · {count} new article",
                               "<b>📰 News digest</b> · {count} new articles", 1)
    assert digest.messages[0].text.startswith(header.format(count=1))


@pytest.mark.parametrize("language, typed, shown", [
    ("en", "mon-fri", "mon-fri"), ("nl", "maandag-vrijdag", "ma-vr"),
    ("fr", "lun-ven", "lun.-ven."), ("de", "Mo-Fr", "Mo.-Fr.")])
def test_subscribe_takes_weekdays_in_the_readers_language(commands, conn, language, typed, shown):
    me = Caller(chat_id=12, user_id=12, language_code=language)
    assert f"07:30, {shown}" in said(commands, me, f"/subscribe 07:30 {typed}")
    assert chat_store.get_chat(conn, 12).weekdays == (1, 2, 3, 4, 5)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_in_replies_follow_the_chat_language(commands, conn, language):
    article_store.store(conn, Article(title="Tramlijn", body="Tekst.", published=NOW),
                        ["Tekst."])
    text = said(commands, Caller(chat_id=11, user_id=11, language_code=language), "/latest")
    with i18n.using(language):
        assert i18n.format_moment(NOW, "Europe/Brussels") in text


def test_search_errors_are_translated(commands):
    text = said(commands, Caller(chat_id=12, user_id=12, language_code="fr"), '/search "open')
    assert text.startswith("Recherche « \"open » illisible : un guillemet n'est pas fermé.")


def test_the_console_follows_the_terminal_language(conn):
    commands = Commands(conn, Settings(terminal_language="fr"), clock=lambda: NOW)
    assert said(commands, CONSOLE, "/latest") == "Pas encore d'articles."


def test_a_language_the_front_end_fixes_wins_over_the_chats_choice(conn):
    commands = Commands(conn, Settings(terminal_language="en"), clock=lambda: NOW)
    commands.handle(CONSOLE, "/language nl")
    assert said(commands, CONSOLE, "/latest") == "Nog geen artikels."
    one_shot = replace(CONSOLE, answer_language="de")  # as the CLI asks, for its environment
    assert said(commands, one_shot, "/latest") == translated("de", "No articles yet.")
    assert chat_store.get_chat(conn, CONSOLE.chat_id).ui_language == "nl"  # the console's, kept


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_command_menu_is_translated_and_keeps_its_names(language):
    with i18n.using("en"):
        english = command_menu()
    with i18n.using(language):
        menu = command_menu()
    assert [name for name, _ in menu] == [name for name, _ in english]
    if language != "en":
        assert all(text != source for (_, text), (_, source) in zip(menu, english, strict=True))


@pytest.mark.parametrize("language, more", [
    ("nl", "… en nog 3 (newsbot ingest toont ze allemaal)"),
    ("fr", "… et 3 autres (newsbot ingest les liste tous)"),
    ("de", "… und 3 weitere (newsbot ingest listet alle auf)"),
])
def test_stats_says_in_the_readers_language_that_there_are_more_rejected_files(
        conn, language, more):
    for number in range(8):
        file_store.record_file(conn, f"/drop/junk-{number}.json", 1, number, None, "rejected",
                               "invalid JSON")
    commands = Commands(conn, Settings(admin_ids=frozenset({99})), clock=lambda: NOW)
    admin = Caller(chat_id=99, user_id=99, language_code=language)
    assert said(commands, admin, "/stats").endswith(more)


SETTING_WORDS = {  # (preview off, preview image, withdrawals edit, withdrawals delete)
    "nl": ("Voorbeeld: uit", "voorbeeld afbeelding", "Ingetrokken artikels: bewerken",
           "verwijderen"),
    "fr": ("Aperçu : désactivé", "aperçu image", "Articles retirés : modifier", "Supprimer"),
    "de": ("Vorschau: aus", "Vorschau Bild", "Zurückgezogene Meldungen: bearbeiten", "LÖSCHEN"),
}


@pytest.mark.parametrize("language", ("nl", "fr", "de"))
def test_settings_name_preview_and_withdrawal_options_in_the_readers_language(
        commands, conn, language):
    off, image_button, edit, delete = SETTING_WORDS[language]
    me = Caller(chat_id=10, user_id=10, language_code=language)
    page = commands.handle(me, "/settings")[0]
    lines = to_plain(page.text).splitlines()
    assert f"{off} (/preview)" in lines and f"{edit} (/withdrawals)" in lines
    labels = [button.text for row in page.buttons for button in row]
    assert image_button in labels and not any("image" in label for label in labels
                                              if language != "fr")
    pressed = commands.callback(me, "set:prev:image")[0]  # the button's data stays English
    assert f"• {image_button}" in [b.text for row in pressed.buttons for b in row]
    # The English keyword, as /help writes it, and the reader's own word both work.
    assert said(commands, me, "/preview off") == f"{off}."
    assert chat_store.get_chat(conn, 10).preview is Preview.OFF
    said(commands, me, f"/withdrawals {delete}")
    assert chat_store.get_chat(conn, 10).on_withdraw is OnWithdraw.DELETE
    said(commands, me, f"/preview {image_button.split()[-1]}")
    assert chat_store.get_chat(conn, 10).preview is Preview.IMAGE
    refused = commands.handle(me, "/preview sideways")[0]
    assert refused.outcome.value == "bad input"
    assert image_button.split()[-1] in to_plain(refused.text)  # the current value, translated
