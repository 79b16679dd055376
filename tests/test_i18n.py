"""Languages: choosing one from Telegram's language_code or the locale, dates, numbers, plurals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import i18n
from bot.digest import build_digest
from bot.i18n import _, ngettext
from bot.settings import SettingsError, load_settings
from storage import articles as article_store
from storage.chats import Chat
from storage.records import Article

LANGUAGES = ("en", "nl", "fr", "de")
MOMENT = datetime(2026, 12, 1, 19, 1, tzinfo=UTC)  # 20:01 in Brussels


@pytest.mark.parametrize(("code", "expected"), [
    ("nl", "nl"), ("nl-BE", "nl"), ("fr-BE", "fr"), ("de-AT", "de"), ("DE", "de"), ("en-GB", "en"),
    ("fr_BE.UTF-8", "fr"), ("de_DE@euro", "de"), ("es", None), ("pt-br", None), ("", None),
    (None, None), ("C.UTF-8", None),
])
def test_base_language_from_telegram_and_locale_tags(code, expected):
    assert i18n.base_language(code) == expected


def test_the_locale_variables_decide_in_gettext_order():
    assert i18n.system_language({"LANG": "nl_BE.UTF-8"}) == "nl"
    assert i18n.system_language({"LC_ALL": "fr_BE.UTF-8", "LANG": "nl_BE.UTF-8"}) == "fr"
    assert i18n.system_language({"LC_MESSAGES": "de_AT.UTF-8", "LANG": "nl_BE"}) == "de"
    assert i18n.system_language({"LC_ALL": "C", "LANG": "nl_BE.UTF-8"}) is None
    assert i18n.system_language({}) is None


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1 Dec 2026, 20:01"),
    ("nl", "1 dec. 2026 20:01"),
    ("fr", "1 déc. 2026 à 20:01"),
    ("de", "1. Dez. 2026, 20:01"),
])
def test_dates_as_each_language_writes_them(language, expected):
    with i18n.using(language):
        assert i18n.format_moment(MOMENT, "Europe/Brussels") == expected


def test_dutch_months_without_abbreviation_get_no_full_stop():
    with i18n.using("nl"):
        may = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
        assert i18n.format_moment(may, "UTC") == "4 mei 2026 08:00"
        assert i18n.format_day(datetime(2026, 3, 2, tzinfo=UTC)) == "2 mrt. 2026"


@pytest.mark.parametrize(("language", "monday", "friday"), [
    ("en", "mon", "fri"), ("nl", "ma", "vr"), ("fr", "lun.", "ven."), ("de", "Mo.", "Fr."),
])
def test_weekdays_as_each_language_shortens_them(language, monday, friday):
    with i18n.using(language):
        assert (i18n.weekday_name(1), i18n.weekday_name(5)) == (monday, friday)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1,234,567"), ("nl", "1.234.567"), ("fr", "1\u202f234\u202f567"), ("de", "1.234.567"),
])
def test_numbers_as_each_language_writes_them(language, expected):
    with i18n.using(language):
        assert i18n.number(1234567) == expected


def test_using_restores_the_previous_language_even_after_an_error():
    with i18n.using("fr"):
        with pytest.raises(RuntimeError), i18n.using("de"):
            assert i18n.current() == "de"
            raise RuntimeError
        assert i18n.current() == "fr"
    assert i18n.current() == "en"
    with i18n.using("es"):  # a language we have no catalog for writes English
        assert i18n.current() == "en"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_each_catalog_translates(language):
    with i18n.using(language):
        assert _("No articles yet.") != "No articles yet."
        one = ngettext("{count} new", "{count} new", 1)
        assert "{count}" in one


@pytest.mark.parametrize(("language", "one", "many", "rest"), [
    ("en", "1 new article since", "3 new articles since", "… and 2 more"),
    ("nl", "1 nieuw artikel sinds", "3 nieuwe artikels sinds", "… en nog 2 artikels"),
    ("fr", "1 nouvel article depuis le", "3 nouveaux articles depuis le",
     "… et encore 2 articles"),
    ("de", "1 neuer Artikel seit", "3 neue Artikel seit", "… und noch 2 Artikel"),
])
def test_digest_headers_count_in_each_language(conn, language, one, many, rest):
    for number in range(3):
        article_store.store(conn, Article(title=f"Story {number}", body="Body text.",
                                          id=f"s{number}"), [f"Sentence {number}."])
    since = datetime(2020, 1, 1, tzinfo=UTC)
    now = datetime.now(UTC)
    with i18n.using(language):
        three = build_digest(conn, Chat(chat_id=1, last_digest_at=since), "UTC", now)
        single = build_digest(conn, Chat(chat_id=1, last_digest_at=since, digest_cursor=2),
                              "UTC", now)
        cut = build_digest(conn, Chat(chat_id=1, last_digest_at=since), "UTC", now, max_items=1)
    assert many in three.messages[0].text and three.messages[0].text.count("/article") == 3
    assert one in single.messages[0].text and single.messages[0].text.count("/article") == 1
    assert rest in cut.messages[-1].text


def test_french_counts_zero_and_one_in_the_singular():
    with i18n.using("fr"):
        form = "{count} nouvel article, mais il ne correspond pas à vos filtres (voir /settings)."
        plural = ("{count} new article, none matching your filters (see /settings).",
                  "{count} new articles, none matching your filters (see /settings).")
        assert ngettext(*plural, 0) == form
        assert ngettext(*plural, 1) == form
        assert ngettext(*plural, 2) != form


def test_a_po_newer_than_its_mo_is_read_directly(tmp_path, monkeypatch):
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "newsbot.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "No articles yet."\nmsgstr "Nog niks."\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("nl").gettext("No articles yet.") == "Nog niks."
    finally:
        i18n.translations.cache_clear()


def test_newsbot_language_setting_and_the_terminal_language():
    assert load_settings({}, dotenv=False).language == "en"
    settings = load_settings({"NEWSBOT_LANGUAGE": "nl-BE", "LANG": "fr_BE.UTF-8"}, dotenv=False)
    assert (settings.language, settings.terminal_language) == ("nl", "nl")
    settings = load_settings({"LANG": "fr_BE.UTF-8"}, dotenv=False)
    assert (settings.language, settings.terminal_language) == ("en", "fr")
    with pytest.raises(SettingsError, match="NEWSBOT_LANGUAGE"):
        load_settings({"NEWSBOT_LANGUAGE": "es"}, dotenv=False)
