"""The bot's words in its reader's language: gettext catalogs (Babel), dates and numbers per locale.

Command logic calls `_()` and `ngettext()` as usual; which catalog answers is the language set
with `using()` around one command, button or digest, so no function needs a language argument.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

log = logging.getLogger(__name__)

LANGUAGES = ("en", "nl", "fr", "de")  # the catalogs we ship; English is the source language
SOURCE_LANGUAGE = "en"
DOMAIN = "newsbot"
LOCALE_DIR = Path(__file__).parent / "locale"
# Each language's own name, as a reader looks for it in a list of languages.
NAMES = {"en": "English", "nl": "Nederlands", "fr": "Français", "de": "Deutsch"}

_current: ContextVar[str] = ContextVar("newsbot_language", default=SOURCE_LANGUAGE)


def base_language(code: str | None) -> str | None:
    """One of LANGUAGES from 'nl', 'nl-BE', 'fr_BE.UTF-8', 'de-AT', 'DE'; None for others."""
    if not code:
        return None
    base = code.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def system_language(env: Mapping[str, str] | None = None) -> str | None:
    """The language of the terminal's locale (LC_ALL, LC_MESSAGES, LANG, as gettext reads them)."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            # The first variable set decides, as in gettext: LANG=nl_BE under LC_ALL=C is C.
            return base_language(env[name])
    return None


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (.mo), else its .po compiled in memory; English as is."""
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    # A checkout where nobody ran `make` since the .po changed: still speak the current words.
    log.info("%s is missing or older than its .po; reading the .po", mo)
    with po.open("rb") as file:
        catalog = read_po(file, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def current() -> str:
    """The language replies are being written in."""
    return _current.get()


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """Write every message inside the block in `language` (unknown or None: English)."""
    chosen = language if language in LANGUAGES else SOURCE_LANGUAGE
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message the current language uses for `count`."""
    return translations(current()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it yet (module-level tables)."""
    return message


def number(value: int | float) -> str:
    """A number as the current language writes it: 1,234 · 1.234 · 1 234."""
    return format_decimal(value, locale=current())


def format_moment(moment: datetime, timezone: str) -> str:
    """A date and time in `timezone`, as the current language writes it: '1 déc. 2026 à 20:01'."""
    local = moment.astimezone(ZoneInfo(timezone))
    return _("{date}, {time}").format(date=format_day(local), time=format_time(
        local, "HH:mm", locale=current()))


def format_clock(moment: datetime, timezone: str) -> str:
    """A time of day in `timezone`, as the current language writes it: '20:01'."""
    return format_time(moment.astimezone(ZoneInfo(timezone)), "HH:mm", locale=current())


def format_day(moment: datetime) -> str:
    """A date with a short month name: '1 Dec 2026', '1 dec. 2026', '1. Dez. 2026'."""
    language = current()
    if language == "nl" and _nl_month_is_shortened(moment.month):
        # CLDR drops the full stop of Dutch month abbreviations; Flemish newsrooms write it.
        return format_date(moment, "d MMM'.' y", locale="nl")
    pattern = {"en": "d MMM y", "nl": "d MMM y", "fr": "d MMM y", "de": "d. MMM y"}[language]
    return format_date(moment, pattern, locale=language)


def weekday_name(iso_day: int) -> str:
    """A weekday, short, in the current language: 'mon' (as typed in /subscribe), 'ma', 'lun.'."""
    name = Locale.parse(current()).days["format"]["abbreviated"][iso_day - 1]
    return name.lower() if current() == SOURCE_LANGUAGE else name


@cache
def typed_weekdays(language: str) -> Mapping[str, int]:
    """The weekday names a reader of `language` may type (wide and abbreviated, as `fold`ed)
    -> ISO weekday: 'maandag' and 'ma', 'lundi' and 'lun', 'montag' and 'mo' -> 1."""
    # Not the "short" width: French "ma" (mardi) there would clash with Dutch "ma" (maandag).
    return {fold_weekday(name): day + 1
            for width in ("wide", "abbreviated") for context in ("format", "stand-alone")
            for day, name in get_day_names(width, context, language).items()}


def fold_weekday(word: str) -> str:
    """A typed weekday name without case, accents or a trailing dot: 'Mé.' -> 'me'."""
    return fold_word(word).rstrip(".")


def fold_word(word: str) -> str:
    """A typed word without case or accents, as readers may type it: 'Désactivé' -> 'desactive'."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _nl_month_is_shortened(month: int) -> bool:
    months = Locale.parse("nl").months["format"]
    return months["abbreviated"][month] != months["wide"][month]


def language_name(language: str) -> str:
    """A language's own name ('Nederlands'), for the buttons that choose the bot's language."""
    return NAMES.get(language, language)


def language_in_text(language: str) -> str:
    """A language's own name inside a sentence (French writes it in lower case: 'français')."""
    name = language_name(language)
    return name.lower() if language == "fr" else name
