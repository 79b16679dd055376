"""What we know about each file in the drop folder, and the ingest log of what happened to it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from storage.db import transaction
from storage.records import Outcome, iso_utc, parse_iso

FileStatus = Literal["ok", "rejected"]  # the files table's status column


@dataclass(slots=True, frozen=True)
class FileState:
    """The last seen stat of a file and what its ingest gave."""

    size: int
    mtime_ns: int
    content_hash: str | None
    status: FileStatus
    reason: str | None
    article_ids: tuple[str, ...]


def known_stats(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file seen before, by path: all a rescan needs to skip a file."""
    return {path: (size, mtime_ns)
            for path, size, mtime_ns in conn.execute("SELECT path, size, mtime_ns FROM files")}


def file_state(conn: sqlite3.Connection, path: str) -> FileState | None:
    """What we know about one file, or None if it was never seen."""
    row = conn.execute(
        "SELECT size, mtime_ns, content_hash, status, reason, article_ids FROM files "
        "WHERE path = ?", (path,)
    ).fetchone()
    if row is None:
        return None
    size, mtime_ns, content_hash, status, reason, ids = row
    return FileState(size, mtime_ns, content_hash, status, reason, tuple(json.loads(ids)))


def record_file(conn: sqlite3.Connection, path: str, size: int, mtime_ns: int,
                content_hash: str | None, status: FileStatus, reason: str | None = None,
                article_ids: list[str] | tuple[str, ...] = ()) -> None:
    """Remember a file's stat and outcome (call inside the file's transaction)."""
    conn.execute(
        "INSERT INTO files (path, size, mtime_ns, content_hash, status, reason, article_ids, "
        "checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
        "size=excluded.size, mtime_ns=excluded.mtime_ns, content_hash=excluded.content_hash, "
        "status=excluded.status, reason=excluded.reason, article_ids=excluded.article_ids, "
        "checked_at=excluded.checked_at",
        (path, size, mtime_ns, content_hash, status, reason, json.dumps(list(article_ids)),
         iso_utc(datetime.now(UTC))),
    )


def forget_files(conn: sqlite3.Connection, paths: list[str]) -> None:
    """Drop what we know about files that are gone from the drop folder (their articles stay)."""
    with transaction(conn):
        conn.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in paths])


def log_ingest(conn: sqlite3.Connection, path: str, outcome: Outcome, reason: str | None = None,
               articles: int = 0) -> None:
    """Append one line to the ingest log: new, updated, unchanged or rejected (with reason)."""
    conn.execute(
        "INSERT INTO ingest_log (at, path, outcome, reason, articles) VALUES (?, ?, ?, ?, ?)",
        (iso_utc(datetime.now(UTC)), path, outcome, reason, articles),
    )


def rejected_files(conn: sqlite3.Connection, limit: int = 20) -> list[tuple[str, str]]:
    """(path, reason) of files currently rejected, most recently checked first."""
    rows = conn.execute(
        "SELECT path, reason FROM files WHERE status = 'rejected' ORDER BY checked_at DESC "
        "LIMIT ?", (limit,)
    )
    return [(path, reason or "") for path, reason in rows]


def rejected_reasons(conn: sqlite3.Connection) -> dict[str, str]:
    """The reason of every file currently rejected, by path (a rescan reports them again)."""
    rows = conn.execute("SELECT path, reason FROM files WHERE status = 'rejected'")
    return {path: reason or "" for path, reason in rows}


def rejected_count(conn: sqlite3.Connection) -> int:
    """How many files are currently rejected."""
    return conn.execute("SELECT count(*) FROM files WHERE status = 'rejected'").fetchone()[0]


def last_ingest(conn: sqlite3.Connection) -> datetime | None:
    """When a file was last ingested or checked, or None."""
    row = conn.execute("SELECT max(at) FROM ingest_log").fetchone()
    return parse_iso(row[0]) if row else None
