"""Small field helpers shared by the readers: titles, strings, tags, and building the Article."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from storage.readers.cleaning import normalize_text
from storage.readers.dates import plausible
from storage.records import Article, PubStatus, RejectedFile

_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_TITLE_FROM_BODY_CHARS = 100


def clean_title(value: object) -> str:
    """Strip, decode HTML entities and collapse whitespace in a title-like string."""
    if not isinstance(value, str):
        return ""
    if value.isascii() and value.isprintable() and "&" not in value:
        # Nothing to decode, no control character: what is left is collapsing the spaces
        # (most titles, names and tags; the full path was 1 % of ingest)
        return " ".join(value.split())
    return normalize_text(_WHITESPACE.sub(" ", html.unescape(value))).strip()


def text_or_none(value: object) -> str | None:
    """Return a stripped, whitespace-collapsed string, or None for empty and non-strings."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())  # str.split and the regex's \s: the same whitespace
    return value or None


def first_text(*values: object) -> str | None:
    """Return the first value that is a non-empty string."""
    for value in values:
        text = text_or_none(value)
        if text:
            return text
    return None


def unique_tags(values: Iterable[object]) -> list[str]:
    """Clean tag strings, dropping empties and duplicates but keeping order."""
    tags: list[str] = []
    for value in values:
        tag = clean_title(value)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def listed_names(value: object) -> list[object]:
    """The entries of a list field, taking `name` from objects ({"name": ...}) as tag sources do."""
    if not isinstance(value, list):
        return []
    return [item.get("name") if isinstance(item, dict) else item for item in value]


def web_url(value: object) -> str | None:
    """Return the value if it is an http(s) URL, else None."""
    text = text_or_none(value)
    if text and text.lower().startswith(("http://", "https://")):
        return text
    return None


def title_from_body(body: str) -> str:
    """Derive a title from the first sentence of a body that came without one."""
    first = body.strip().split("\n", 1)[0]
    first = _SENTENCE_END.split(first, 1)[0].strip()
    if len(first) <= _TITLE_FROM_BODY_CHARS:
        return first
    cut = first[:_TITLE_FROM_BODY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _composed(text: str) -> str:
    """The text in Unicode NFC: `ü` as one character, however the file spelled it."""
    # Files written on macOS, and some CMSs, store "geprüft" as u + U+0308 (NFD): a reader sees
    # the same word, but stop words, the headline match of two copies of one story and the
    # content hash would not. NFC is what the W3C asks of the web and what trafilatura gives.
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


_BYLINE_PREFIX = re.compile(r"^(?:by|von|par|door|di|por)\s+", re.IGNORECASE)


def byline_name(byline: str | None) -> str | None:
    """A byline without its leading "By"/"Von"/"Par"/"Door" (the name is what is stored)."""
    if not byline:
        return None
    return _BYLINE_PREFIX.sub("", byline).strip() or byline


def make_article(
    *,
    title: str,
    body: str,
    format: str,
    id: str | None = None,
    url: str | None = None,
    published: datetime | None = None,
    updated: datetime | None = None,
    language: str | None = None,
    author: str | None = None,
    tags: list[str] | None = None,
    urgency: object = None,
    image_url: object = None,
    source: str | None = None,
    embargoed: datetime | None = None,
    pubstatus: object = None,
) -> Article:
    """Build an Article, deriving a missing title from the body; refuse one with neither.

    Dates before 1990 or in the future are dropped: a wrong date shown is worse than none.
    """
    title = _composed(clean_title(title))
    body = _without_headline(title, _composed(body.strip()))
    # An entity left in a byline (`Bergeson &amp; Campbell`, a feed's itunes:author) is text.
    author = clean_title(author) or None
    if not title and not body:
        raise RejectedFile(f"{format} document has no title and no body text")
    return Article(
        title=title or title_from_body(body),
        body=body,
        id=id,
        url=url,
        published=plausible(published),
        updated=plausible(updated),
        language=text_or_none(language),
        author=_composed(author) if author else None,
        tags=[_composed(tag) for tag in tags or []],
        format=format,
        urgency=parse_urgency(urgency),
        image_url=web_url(image_url),
        source=source,
        embargoed=embargoed,
        pubstatus=parse_pubstatus(pubstatus),
    )


def _without_headline(title: str, body: str) -> str:
    """The body without a first paragraph that only repeats the headline (an agency's HTML
    body opens with its <h1>, a Prezly document with its title block): shown once, not twice."""
    first, separator, rest = body.partition("\n\n")
    if separator and rest.strip() and title and _loose(first) == _loose(title):
        return rest.lstrip()
    return body


def _loose(text: str) -> str:
    return " ".join(text.split()).rstrip(".:!?").casefold()


def parse_pubstatus(value: object) -> PubStatus:
    """IPTC pubStatus from ninjs ("canceled") or a NewsML-G2 qcode ("stat:canceled"); anything
    unknown or missing is usable, as both standards define the default."""
    text = str(value or "").strip().lower().rpartition(":")[2]
    if text == "cancelled":  # British spelling seen in the wild
        text = "canceled"
    try:
        return PubStatus(text)
    except ValueError:
        return PubStatus.USABLE


def parse_urgency(value: object) -> int | None:
    """An agency urgency 1-9 from a number or numeric text (ninjs, NewsML-G2); else None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9 else None
