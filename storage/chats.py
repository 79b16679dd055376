"""Chats: their settings and subscriptions, and the delivery ledger of what each one received."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from storage.db import transaction
from storage.records import iso_utc, parse_iso


@dataclass(slots=True, frozen=True)
class Chat:
    """A chat's preferences and digest state; None fields fall back to the bot's defaults."""

    chat_id: int
    type: str = "private"
    title: str | None = None
    timezone: str | None = None
    digest_time: str | None = None
    summary_sentences: int = 2
    languages: tuple[str, ...] = ()
    include_keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    subscribed: bool = False
    subscribed_at: datetime | None = None
    active: bool = True
    inactive_reason: str | None = None
    digest_cursor: int = 0
    last_digest_at: datetime | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    ui_language: str | None = None  # chosen with /language; None: follow the app or default
    seen_language: str | None = None  # the Telegram app's language, last seen (private chats)


_LISTS = ("languages", "include_keywords", "exclude_keywords")
_TIMES = ("subscribed_at", "last_digest_at", "created_at")
_FIELDS = tuple(Chat.__dataclass_fields__)


def _to_row(chat: Chat) -> dict:
    row = {name: getattr(chat, name) for name in _FIELDS}
    for name in _LISTS:
        row[name] = json.dumps(list(row[name]), ensure_ascii=False)
    for name in _TIMES:
        row[name] = iso_utc(row[name])
    row["subscribed"] = int(chat.subscribed)
    row["active"] = int(chat.active)
    return row


def _from_row(row: tuple) -> Chat:
    values = dict(zip(_FIELDS, row, strict=True))
    for name in _LISTS:
        values[name] = tuple(json.loads(values[name]))
    for name in _TIMES:
        values[name] = parse_iso(values[name])
    values["subscribed"] = bool(values["subscribed"])
    values["active"] = bool(values["active"])
    return Chat(**values)


def get_chat(conn: sqlite3.Connection, chat_id: int) -> Chat | None:
    """The stored chat, or None if it never talked to the bot."""
    row = conn.execute(f"SELECT {', '.join(_FIELDS)} FROM chats WHERE chat_id = ?",
                       (chat_id,)).fetchone()
    return _from_row(row) if row else None


def save_chat(conn: sqlite3.Connection, chat: Chat) -> Chat:
    """Insert or replace a chat's row; returns the chat."""
    row = _to_row(chat)
    names = ", ".join(row)
    updates = ", ".join(f"{name}=excluded.{name}" for name in row if name != "chat_id")
    conn.execute(
        f"INSERT INTO chats ({names}) VALUES ({', '.join(':' + n for n in row)}) "
        f"ON CONFLICT(chat_id) DO UPDATE SET {updates}", row)
    return chat


def ensure_chat(conn: sqlite3.Connection, chat_id: int, type: str = "private",
                title: str | None = None) -> Chat:
    """The chat's row, created with defaults the first time it is seen.

    Reads without a lock and writes only when something changed: every command calls this,
    and taking the write lock each time would queue commands behind a running ingest.
    """
    chat = get_chat(conn, chat_id)
    if chat is not None and (title is None or (type, title) == (chat.type, chat.title)):
        return chat
    return update_chat(conn, chat_id, type=type, title=title)


def update_chat(conn: sqlite3.Connection, chat_id: int, **changes: object) -> Chat:
    """Change some fields of a chat (created if needed) and return the new state."""
    with transaction(conn):
        chat = get_chat(conn, chat_id) or Chat(chat_id=chat_id)
        return save_chat(conn, replace(chat, **changes))


def subscribe(conn: sqlite3.Connection, chat_id: int, now: datetime,
              **changes: object) -> Chat:
    """Turn a chat's daily digest on (and the chat active again); kept if it was on already."""
    with transaction(conn):
        chat = get_chat(conn, chat_id) or Chat(chat_id=chat_id)
        fields = {"subscribed": True, "active": True, "inactive_reason": None, **changes}
        if not chat.subscribed:
            fields["subscribed_at"] = now  # digests cover what arrives from now on
        return save_chat(conn, replace(chat, **fields))


def subscribed_chats(conn: sqlite3.Connection) -> list[Chat]:
    """Every active chat with a daily digest."""
    rows = conn.execute(
        f"SELECT {', '.join(_FIELDS)} FROM chats WHERE subscribed = 1 AND active = 1 "
        "ORDER BY chat_id"
    ).fetchall()
    return [_from_row(row) for row in rows]


def count_subscribers(conn: sqlite3.Connection) -> int:
    """How many active chats have a daily digest."""
    return conn.execute(
        "SELECT count(*) FROM chats WHERE subscribed = 1 AND active = 1").fetchone()[0]


def deactivate(conn: sqlite3.Connection, chat_id: int, reason: str) -> None:
    """Stop delivering to a chat that blocked or removed the bot (kept for the record)."""
    with transaction(conn):
        conn.execute("UPDATE chats SET active = 0, inactive_reason = ? WHERE chat_id = ?",
                     (reason, chat_id))


def migrate_chat(conn: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Follow a group that became a supergroup: move its settings and ledger to the new id."""
    with transaction(conn):
        conn.execute("DELETE FROM chats WHERE chat_id = ?", (new_id,))
        conn.execute("UPDATE chats SET chat_id = ?, type = 'supergroup' WHERE chat_id = ?",
                     (new_id, old_id))
        conn.execute("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?",
                     (new_id, old_id))
        conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (old_id,))


def delivered(conn: sqlite3.Connection, chat_id: int, article_ids: list[str]) -> set[str]:
    """Which of these articles the chat has already received."""
    found: set[str] = set()
    for start in range(0, len(article_ids), 500):  # stay under SQLite's variable limit
        chunk = article_ids[start:start + 500]
        rows = conn.execute(
            f"SELECT article_id FROM deliveries WHERE chat_id = ? AND article_id IN "
            f"({', '.join('?' * len(chunk))})", (chat_id, *chunk))
        found.update(row[0] for row in rows)
    return found


def record_delivery(conn: sqlite3.Connection, chat_id: int, article_ids: list[str],
                    now: datetime | None = None) -> None:
    """Write down that the chat received these articles (one transaction)."""
    moment = iso_utc(now or datetime.now(UTC))
    with transaction(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO deliveries (chat_id, article_id, delivered_at) VALUES (?,?,?)",
            [(chat_id, article_id, moment) for article_id in article_ids])


def finish_digest(conn: sqlite3.Connection, chat_id: int, cursor: int, moment: datetime) -> None:
    """Move the chat's digest cursor past everything considered in a completed digest."""
    with transaction(conn):
        conn.execute(
            "UPDATE chats SET digest_cursor = max(digest_cursor, ?), last_digest_at = ? "
            "WHERE chat_id = ?", (cursor, iso_utc(moment), chat_id))


def save_query(conn: sqlite3.Connection, query: str) -> str:
    """A short key for a search query, so paging buttons fit Telegram's 64-byte callback data."""
    key = hashlib.sha1(query.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    conn.execute("INSERT OR IGNORE INTO saved_queries (key, query) VALUES (?, ?)", (key, query))
    return key


def load_query(conn: sqlite3.Connection, key: str) -> str | None:
    """The query saved under `key`, or None."""
    row = conn.execute("SELECT query FROM saved_queries WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None

