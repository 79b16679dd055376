"""A story's publishing status and what a new version of it means (pure: no I/O).

The publisher's rules, as the readers report them (`Article.embargoed`, `Article.pubstatus`),
become one stored `Status`, and a new version of a stored story becomes one `Change`:

- under embargo until its time (a story already public is never held back again);
- withdrawn when the publisher cancels or withholds it, or makes it private;
- corrected when its headline or text changed; cosmetic when only whitespace or metadata did.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.records import Article, PubStatus


class Status(StrEnum):
    """Where a stored story stands: shown, held until its embargo, or withdrawn (kept)."""

    PUBLISHED = "published"
    EMBARGOED = "embargoed"
    WITHDRAWN = "withdrawn"


class Change(StrEnum):
    """What one more version of a story does (also the events of its recorded history)."""

    NEW = "new"  # first seen, shown at once
    HELD = "held"  # first seen under embargo
    EMBARGO_MOVED = "embargo_moved"  # still under embargo, until another time
    LIFTED = "lifted"  # the embargo time passed: shown as new
    CORRECTED = "corrected"  # headline or text changed: sent messages are edited
    COSMETIC = "cosmetic"  # whitespace or metadata only: stored, nothing edited
    WITHDRAWN = "withdrawn"  # hidden everywhere; sent messages edited or deleted
    RESTORED = "restored"  # usable again after a withdrawal


@dataclass(frozen=True, slots=True)
class Stored:
    """What the database holds about a story's state."""

    status: Status
    text_hash: str | None
    embargo_until: datetime | None


@dataclass(frozen=True, slots=True)
class Transition:
    """The outcome of a version: what changed and the story's state afterwards."""

    change: Change
    status: Status
    embargo_until: datetime | None


def text_hash(title: str | None, body: str | None) -> str:
    """A hash of what a reader sees, whitespace collapsed: equal hashes make a cosmetic change."""
    hasher = hashlib.sha1()
    for part in (title, body):
        hasher.update(" ".join((part or "").split()).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def withdrawn(article: Article) -> bool:
    """Whether the publisher has withdrawn (canceled or withheld) this version."""
    return article.pubstatus is not PubStatus.USABLE


def under_embargo(article: Article, now: datetime) -> bool:
    """Whether this version may not be shown yet."""
    return article.embargoed is not None and article.embargoed > now


def arrival(article: Article, now: datetime) -> Transition:
    """The state of a story seen for the first time."""
    if withdrawn(article):
        # A kill notice for a story we never had: kept for the record, never shown.
        return Transition(Change.WITHDRAWN, Status.WITHDRAWN, None)
    if under_embargo(article, now):
        return Transition(Change.HELD, Status.EMBARGOED, article.embargoed)
    return Transition(Change.NEW, Status.PUBLISHED, None)


def revision(stored: Stored, article: Article, now: datetime) -> Transition:
    """What a new version of a stored story does."""
    if withdrawn(article):
        if stored.status is Status.WITHDRAWN:
            return Transition(Change.COSMETIC, Status.WITHDRAWN, stored.embargo_until)
        return Transition(Change.WITHDRAWN, Status.WITHDRAWN, None)
    if stored.status is Status.EMBARGOED:
        if under_embargo(article, now):
            change = (Change.EMBARGO_MOVED if article.embargoed != stored.embargo_until
                      else Change.COSMETIC)
            return Transition(change, Status.EMBARGOED, article.embargoed)
        # The new version lifts the embargo (or says its time has come): shown as new.
        return Transition(Change.LIFTED, Status.PUBLISHED, None)
    if stored.status is Status.WITHDRAWN:
        # Usable again: the story comes back, and messages that said it was withdrawn follow.
        return Transition(Change.RESTORED, Status.PUBLISHED, None)
    # A story already shown is never held back by a later embargo: it is public already.
    same_text = stored.text_hash == text_hash(article.title, article.body)
    return Transition(Change.COSMETIC if same_text else Change.CORRECTED, Status.PUBLISHED,
                      None)


def edits_messages(change: Change) -> bool:
    """Whether this change means messages already sent with the story must be edited."""
    return change in (Change.CORRECTED, Change.WITHDRAWN, Change.RESTORED)
