"""A story's recorded history and the outbox of sent messages to edit after it changed.

Both are written inside the transaction that stores the new version (storage.articles.save),
so a crash leaves either the old story and no pending edit, or the new one and its edits.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import transaction
from storage.records import iso_utc, parse_iso
from storage.status import Change


@dataclass(frozen=True, slots=True)
class Version:
    """One event in a story's life: when, what changed, the headline it then had, a note."""

    at: datetime
    change: Change
    title: str | None = None
    note: str | None = None


def record_version(conn: sqlite3.Connection, article_id: str, change: Change, at: datetime,
                   title: str | None = None, note: str | None = None) -> None:
    """Append one event to a story's history (call inside a transaction)."""
    conn.execute("INSERT INTO article_versions (article_id, at, change, title, note) "
                 "VALUES (?,?,?,?,?)", (article_id, iso_utc(at), str(change), title, note))


def versions_of(conn: sqlite3.Connection, article_id: str) -> list[Version]:
    """A story's history, oldest first."""
    rows = conn.execute("SELECT at, change, title, note FROM article_versions "
                        "WHERE article_id = ? ORDER BY id", (article_id,))
    return [Version(parse_iso(at), Change(change), title, note) for at, change, title, note
            in rows]


def queue_edits(conn: sqlite3.Connection, article_id: str, change: Change,
                now: datetime) -> int:
    """Put every live message that carried the story in the edit outbox; returns how many.

    A message already queued stays queued once: the edit renders the story's state at the
    time it runs, so two changes in a row make one edit.
    """
    cursor = conn.execute(
        "INSERT OR IGNORE INTO pending_edits (message, queued_at, change) "
        "SELECT m.id, ?, ? FROM message_articles ma JOIN messages m ON m.id = ma.message "
        "WHERE ma.article_id = ? AND m.deleted = 0 AND m.message_id IS NOT NULL",
        (iso_utc(now), str(change), article_id))
    return cursor.rowcount


def queue_if_changed(conn: sqlite3.Connection, message: int, seen: dict[str, str],
                     now: datetime) -> bool:
    """Queue a just-recorded message whose stories changed after it was rendered (a
    correction that came while it was on its way, and so did not find it in the ledger)."""
    ids = list(seen)[:500]
    if not ids:
        return False
    rows = conn.execute(
        "SELECT id, status || '|' || coalesce(corrected_at, '') FROM articles "
        f"WHERE id IN ({', '.join('?' * len(ids))})", ids).fetchall()
    changed = [state for id_, state in rows if seen.get(id_) != state]
    if not changed:
        return False
    change = Change.CORRECTED if all(s.startswith("published|") for s in changed) \
        else Change.WITHDRAWN
    conn.execute("INSERT OR IGNORE INTO pending_edits (message, queued_at, change) "
                 "VALUES (?,?,?)", (message, iso_utc(now), str(change)))
    return True


def link_message(conn: sqlite3.Connection, message: int, article_ids: list[str]) -> None:
    """Index a recorded message under the stories it carries (call inside a transaction)."""
    conn.executemany("INSERT OR IGNORE INTO message_articles (article_id, message) VALUES (?,?)",
                     [(article_id, message) for article_id in article_ids])


def pending_count(conn: sqlite3.Connection) -> int:
    """How many sent messages wait for an edit."""
    return conn.execute("SELECT count(*) FROM pending_edits").fetchone()[0]


@dataclass(frozen=True, slots=True)
class PendingEdit:
    """A sent message waiting to be rendered again, and what it was sent as."""

    row: int  # the message's row in the ledger
    chat_id: int
    thread_id: int
    message_id: int
    kind: str
    layout: dict | None
    text_hash: str | None
    sent_at: datetime
    change: Change


def pending_edits(conn: sqlite3.Connection, limit: int = 500) -> list[PendingEdit]:
    """The outbox, oldest first."""
    rows = conn.execute(
        "SELECT m.id, m.chat_id, m.thread_id, m.message_id, m.kind, m.layout, m.text_hash, "
        "m.sent_at, p.change FROM pending_edits p JOIN messages m ON m.id = p.message "
        "ORDER BY p.queued_at, p.message LIMIT ?", (limit,)).fetchall()
    return [PendingEdit(row, chat_id, thread_id, message_id, kind,
                        json.loads(layout) if layout else None, hash_, parse_iso(sent_at),
                        Change(change))
            for row, chat_id, thread_id, message_id, kind, layout, hash_, sent_at, change
            in rows]


def finish_edit(conn: sqlite3.Connection, row: int, now: datetime, *,
                text_hash: str | None = None, deleted: bool = False) -> None:
    """Take a message out of the outbox, remembering its new text (or that it is gone)."""
    with transaction(conn):
        conn.execute("DELETE FROM pending_edits WHERE message = ?", (row,))
        if deleted:
            conn.execute("UPDATE messages SET deleted = 1, edited_at = ? WHERE id = ?",
                         (iso_utc(now), row))
        elif text_hash is not None:
            conn.execute("UPDATE messages SET text_hash = ?, edited_at = ? WHERE id = ?",
                         (text_hash, iso_utc(now), row))
