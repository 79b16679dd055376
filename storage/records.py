"""Plain records that readers produce and the database stores: no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class Outcome(StrEnum):
    """What ingesting an article (or a file) did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


class RejectedFile(Exception):
    """A file that cannot become an article; the message is a one-line reason for the user."""


class PubStatus(StrEnum):
    """What the publisher says may be done with a story (IPTC pubStatus; Prezly mapped)."""

    USABLE = "usable"
    WITHHELD = "withheld"  # not to be used for now (Prezly: private, draft)
    CANCELED = "canceled"  # killed: to be removed wherever it was used


@dataclass(slots=True)
class Article:
    """One news article as read from a file, before summarization.

    `body` is clean plain text: paragraphs (and headings) separated by blank lines.
    Times are timezone-aware UTC or None. `language` is an ISO 639-1 code or None.
    """

    title: str
    body: str
    id: str | None = None  # the source's own id (uuid, guid, uri); None: matched by URL + title
    url: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    # The reader: prezly, ninjs, newsml (G2), newsml1, rss, atom, jsonfeed, html, markdown, text.
    format: str = ""
    # Where `id` is unique: a feed's own id or link; None means the file the article came from.
    source: str | None = None
    urgency: int | None = None  # agency urgency 1 (flash) .. 9; 1-2 make a breaking alert
    image_url: str | None = None  # the lead image's http(s) URL, never downloaded by us
    embargoed: datetime | None = None  # not to be shown before this moment (None: no embargo)
    pubstatus: PubStatus = PubStatus.USABLE


def parse_iso(text: str | None) -> datetime | None:
    """A stored time back as a datetime (None stays None)."""
    return datetime.fromisoformat(text) if text else None


def iso_utc(moment: datetime | None) -> str | None:
    """How times are stored: ISO 8601 in UTC to the second (naive times are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
