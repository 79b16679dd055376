"""Delivery targets: chats and forum topics, their settings, and the ledger of what they got.

A row is one target: a private chat, a group, a channel, or one forum topic of a group
(`thread_id`; 0 is the chat itself). Each has its own mode, schedule and filters.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

from storage.db import transaction
from storage.records import iso_utc, parse_iso
from storage.versions import link_message, queue_if_changed


class Mode(StrEnum):
    """How a target receives news: collected in digests, or each article as it arrives."""

    DIGEST = "digest"
    INSTANT = "instant"


class Preview(StrEnum):
    """What Telegram shows under a delivered article: nothing, its link, or its lead image."""

    OFF = "off"
    LINK = "link"
    IMAGE = "image"


class OnWithdraw(StrEnum):
    """What happens to a target's instant post when the publisher withdraws its story."""

    EDIT = "edit"  # replaced by "Withdrawn by the publisher: <title>"
    DELETE = "delete"


@dataclass(slots=True, frozen=True)
class Chat:
    """A target's preferences and delivery state; None fields fall back to the bot's defaults.

    `digest_time` holds one or more local times, "07:30,12:00"; `weekdays` the ISO days
    (1 = Monday) the digest goes out, () for every day.
    """

    chat_id: int
    thread_id: int = 0
    type: str = "private"
    title: str | None = None
    username: str | None = None
    timezone: str | None = None
    digest_time: str | None = None
    weekdays: tuple[int, ...] = ()
    mode: Mode = Mode.DIGEST
    preview: Preview = Preview.OFF
    summary_sentences: int = 2
    languages: tuple[str, ...] = ()
    include_keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    alert_keywords: tuple[str, ...] = ()
    subscribed: bool = False
    subscribed_at: datetime | None = None
    active: bool = True
    inactive_reason: str | None = None
    digest_cursor: int = 0
    last_digest_at: datetime | None = None
    stream_cursor: int = 0  # instant posts and breaking alerts have looked at seqs up to here
    managed: bool = False  # a channel the bot's admins manage (/addchannel, NEWSBOT_CHANNEL)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    ui_language: str | None = None  # chosen with /language; None: follow the app or default
    seen_language: str | None = None  # the Telegram app's language, last seen (private chats)
    on_withdraw: OnWithdraw = OnWithdraw.EDIT

    @property
    def key(self) -> tuple[int, int]:
        """(chat_id, thread_id): where messages for this target go."""
        return self.chat_id, self.thread_id

    @property
    def times(self) -> tuple[str, ...]:
        """The digest times as a tuple ("07:30", "12:00"); () falls back to the default."""
        return tuple(t for t in (self.digest_time or "").split(",") if t)


_LISTS = ("languages", "include_keywords", "exclude_keywords", "alert_keywords", "weekdays")
_TIMES = ("subscribed_at", "last_digest_at", "created_at")
_BOOLS = ("subscribed", "active", "managed")
_FIELDS = tuple(Chat.__dataclass_fields__)
_SELECT = f"SELECT {', '.join(_FIELDS)} FROM chats"


def _to_row(chat: Chat) -> dict:
    row = {name: getattr(chat, name) for name in _FIELDS}
    for name in _LISTS:
        row[name] = json.dumps(list(row[name]), ensure_ascii=False)
    for name in _TIMES:
        row[name] = iso_utc(row[name])
    for name in _BOOLS:
        row[name] = int(row[name])
    row["mode"], row["preview"] = str(chat.mode), str(chat.preview)
    row["on_withdraw"] = str(chat.on_withdraw)
    return row


def _from_row(row: tuple) -> Chat:
    values = dict(zip(_FIELDS, row, strict=True))
    for name in _LISTS:
        values[name] = tuple(json.loads(values[name]))
    for name in _TIMES:
        values[name] = parse_iso(values[name])
    for name in _BOOLS:
        values[name] = bool(values[name])
    values["mode"], values["preview"] = Mode(values["mode"]), Preview(values["preview"])
    values["on_withdraw"] = OnWithdraw(values["on_withdraw"])
    return Chat(**values)


def get_chat(conn: sqlite3.Connection, chat_id: int, thread_id: int = 0) -> Chat | None:
    """The stored target, or None if it never talked to the bot."""
    row = conn.execute(f"{_SELECT} WHERE chat_id = ? AND thread_id = ?",
                       (chat_id, thread_id)).fetchone()
    return _from_row(row) if row else None


def find_managed(conn: sqlite3.Connection, name: str) -> Chat | None:
    """A managed channel by @username or numeric id, or None."""
    name = name.strip()
    if name.lstrip("-").isdigit():
        chat_id = int(name)
        if not -2**63 <= chat_id < 2**63:  # beyond SQLite's integers: no chat has that id
            return None
        row = conn.execute(f"{_SELECT} WHERE chat_id = ? AND thread_id = 0 AND managed = 1",
                           (chat_id,)).fetchone()
    else:
        row = conn.execute(f"{_SELECT} WHERE lower(username) = ? AND managed = 1",
                           (name.lstrip("@").lower(),)).fetchone()
    return _from_row(row) if row else None


def managed_chats(conn: sqlite3.Connection) -> list[Chat]:
    """Every channel or group the bot's admins manage, by title."""
    rows = conn.execute(f"{_SELECT} WHERE managed = 1 ORDER BY lower(coalesce(title, ''))")
    return [_from_row(row) for row in rows]


def save_chat(conn: sqlite3.Connection, chat: Chat) -> Chat:
    """Insert or replace a chat's row; returns the chat."""
    row = _to_row(chat)
    names = ", ".join(row)
    updates = ", ".join(f"{name}=excluded.{name}" for name in row
                        if name not in ("chat_id", "thread_id"))
    conn.execute(
        f"INSERT INTO chats ({names}) VALUES ({', '.join(':' + n for n in row)}) "
        f"ON CONFLICT(chat_id, thread_id) DO UPDATE SET {updates}", row)
    return chat


def ensure_chat(conn: sqlite3.Connection, chat_id: int, type: str = "private",
                title: str | None = None, thread_id: int = 0) -> Chat:
    """The target's row, created with defaults the first time it is seen.

    Reads without a lock and writes only when something changed: every command calls this,
    and taking the write lock each time would queue commands behind a running ingest.
    """
    chat = get_chat(conn, chat_id, thread_id)
    if chat is not None and (title is None or (type, title) == (chat.type, chat.title)):
        return chat
    return update_chat(conn, chat_id, thread_id=thread_id, type=type, title=title)


def update_chat(conn: sqlite3.Connection, chat_id: int, thread_id: int = 0,
                **changes: object) -> Chat:
    """Change some fields of a target (created if needed) and return the new state."""
    with transaction(conn):
        chat = get_chat(conn, chat_id, thread_id) or Chat(chat_id=chat_id, thread_id=thread_id)
        return save_chat(conn, replace(chat, **changes))


def subscribe(conn: sqlite3.Connection, chat_id: int, now: datetime, thread_id: int = 0,
              **changes: object) -> Chat:
    """Turn a target's deliveries on (and it active again); kept if it was on already."""
    with transaction(conn):
        chat = get_chat(conn, chat_id, thread_id) or Chat(chat_id=chat_id, thread_id=thread_id)
        fields = {"subscribed": True, "active": True, "inactive_reason": None, **changes}
        if not (chat.subscribed and chat.active):
            fields.update(_fresh_start(conn, now))
        elif schedule_of(replace(chat, **changes)) != schedule_of(chat):
            fields["subscribed_at"] = now  # a new schedule starts at its next time, not at once
        return save_chat(conn, replace(chat, **fields))


def schedule_of(chat: Chat) -> tuple[object, ...]:
    """What decides when a target's digest is due: its mode, times, weekdays and zone.

    When it changes, the new schedule starts at its next moment (`subscribed_at` moves to
    then): a reader who moves an 18:00 digest to 07:30 at 11:00 is not sent one at once.
    """
    return chat.mode, chat.digest_time, chat.weekdays, chat.timezone


def _fresh_start(conn: sqlite3.Connection, now: datetime) -> dict[str, object]:
    """The delivery state of a target that starts (again): its first digest at its next time,
    with the last 24 hours as a new subscriber's has, and instant posts and alerts from now on.
    A target back after weeks unsubscribed, blocked or removed is not sent the news of all that
    time (its first digest said "50 of 700 new articles since 3 Nov")."""
    return {"subscribed_at": now, "digest_cursor": 0, "last_digest_at": None,
            "stream_cursor": conn.execute(
                "SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]}


def reactivate(conn: sqlite3.Connection, chat_id: int, now: datetime,
               thread_id: int | None = None) -> None:
    """Deliver again to a chat that added the bot back (or a user who unblocked it), or to
    one of its topics (`thread_id`): each stopped target starts afresh, as if it subscribed
    now. Read first without the write lock: every command calls this."""
    where, params = "chat_id = ? AND active = 0", (chat_id,)
    if thread_id is not None:
        where, params = where + " AND thread_id = ?", (chat_id, thread_id)
    if conn.execute(f"SELECT 1 FROM chats WHERE {where} LIMIT 1", params).fetchone() is None:
        return
    with transaction(conn):
        rows = conn.execute(f"{_SELECT} WHERE {where}", params)
        for chat in [_from_row(row) for row in rows]:
            save_chat(conn, replace(chat, active=True, inactive_reason=None,
                                    **_fresh_start(conn, now)))


def subscribed_chats(conn: sqlite3.Connection, mode: Mode | None = None) -> list[Chat]:
    """Every active subscribed target (of one mode, if given)."""
    sql = f"{_SELECT} WHERE subscribed = 1 AND active = 1"
    params: tuple = ()
    if mode is not None:
        sql += " AND mode = ?"
        params = (str(mode),)
    rows = conn.execute(sql + " ORDER BY chat_id, thread_id", params).fetchall()
    return [_from_row(row) for row in rows]


def count_subscribers(conn: sqlite3.Connection) -> int:
    """How many active chats have a daily digest."""
    return conn.execute(
        "SELECT count(*) FROM chats WHERE subscribed = 1 AND active = 1").fetchone()[0]


def deactivate(conn: sqlite3.Connection, chat_id: int, reason: str,
               thread_id: int | None = None) -> None:
    """Stop delivering to a chat that blocked or removed the bot, or to one of its topics that
    is gone (kept for the record)."""
    with transaction(conn):
        if thread_id is None:
            conn.execute("UPDATE chats SET active = 0, inactive_reason = ? WHERE chat_id = ?",
                         (reason, chat_id))
        else:
            conn.execute("UPDATE chats SET active = 0, inactive_reason = ? "
                         "WHERE chat_id = ? AND thread_id = ?", (reason, chat_id, thread_id))


def migrate_chat(conn: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Follow a group that became a supergroup: move its targets and ledger to the new id."""
    with transaction(conn):
        conn.execute("DELETE FROM chats WHERE chat_id = ?", (new_id,))
        conn.execute("UPDATE chats SET chat_id = ?, type = 'supergroup' WHERE chat_id = ?",
                     (new_id, old_id))
        conn.execute("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?",
                     (new_id, old_id))
        conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (old_id,))
        conn.execute("UPDATE messages SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))


def delivered(conn: sqlite3.Connection, chat_id: int, article_ids: list[str],
              thread_id: int = 0) -> set[str]:
    """Which of these articles the target has already received."""
    found: set[str] = set()
    for start in range(0, len(article_ids), 500):  # stay under SQLite's variable limit
        chunk = article_ids[start:start + 500]
        rows = conn.execute(
            f"SELECT article_id FROM deliveries WHERE chat_id = ? AND thread_id = ? AND "
            f"article_id IN ({', '.join('?' * len(chunk))})", (chat_id, thread_id, *chunk))
        found.update(row[0] for row in rows)
    return found


def record_delivery(conn: sqlite3.Connection, chat_id: int, article_ids: list[str],
                    now: datetime | None = None, thread_id: int = 0) -> None:
    """Write down that the target received these articles (one transaction)."""
    moment = iso_utc(now or datetime.now(UTC))
    with transaction(conn):
        _insert_deliveries(conn, chat_id, thread_id, article_ids, moment)


def _insert_deliveries(conn: sqlite3.Connection, chat_id: int, thread_id: int,
                       article_ids: list[str], moment: str | None) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO deliveries (chat_id, thread_id, article_id, delivered_at) "
        "VALUES (?,?,?,?)", [(chat_id, thread_id, article, moment) for article in article_ids])


class MessageKind(StrEnum):
    """Why a message was sent, as kept in the message ledger."""

    DIGEST = "digest"
    INSTANT = "instant"
    BURST = "burst"
    ALERT = "alert"


@dataclass(slots=True, frozen=True)
class SentMessage:
    """One message the bot sent: where (chat, topic), Telegram's message_id, what it carried."""

    chat_id: int
    thread_id: int
    message_id: int | None  # None when Telegram's answer never came (maybe delivered)
    kind: MessageKind
    article_ids: tuple[str, ...]
    sent_at: datetime


def record_message(conn: sqlite3.Connection, chat_id: int, thread_id: int,
                   message_id: int | None, kind: MessageKind, article_ids: list[str],
                   now: datetime | None = None, layout: dict | None = None,
                   text: str | None = None) -> None:
    """Write down one sent message and the articles it delivered, in one transaction.

    `layout` says how the message was rendered, so it can be rendered again when one of its
    stories is corrected or withdrawn (bot.revisions); `text` is kept as a hash only.
    """
    moment = iso_utc(now or datetime.now(UTC))
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO messages (chat_id, thread_id, message_id, kind, article_ids, sent_at, "
            "layout, text_hash) VALUES (?,?,?,?,?,?,?,?)",
            (chat_id, thread_id, message_id, str(kind), json.dumps(article_ids), moment,
             json.dumps(layout, ensure_ascii=False) if layout is not None else None,
             message_hash(text) if text is not None else None))
        link_message(conn, cursor.lastrowid, article_ids)
        if layout and layout.get("seen") and message_id is not None:
            queue_if_changed(conn, cursor.lastrowid, layout["seen"], now or datetime.now(UTC))
        _insert_deliveries(conn, chat_id, thread_id, article_ids, moment)


def message_hash(text: str) -> str:
    """The hash a message's text is remembered by (to see whether an edit changes it)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def sent_messages(conn: sqlite3.Connection, chat_id: int | None = None) -> list[SentMessage]:
    """The message ledger, oldest first (of one chat, if given)."""
    sql = "SELECT chat_id, thread_id, message_id, kind, article_ids, sent_at FROM messages"
    params: tuple = ()
    if chat_id is not None:
        sql, params = sql + " WHERE chat_id = ?", (chat_id,)
    rows = conn.execute(sql + " ORDER BY id", params).fetchall()
    return [SentMessage(c, t, m, MessageKind(k), tuple(json.loads(a)), parse_iso(at))
            for c, t, m, k, a, at in rows]


def finish_digest(conn: sqlite3.Connection, chat_id: int, cursor: int, moment: datetime,
                  thread_id: int = 0) -> None:
    """Move the target's digest cursor past everything considered in a completed digest."""
    with transaction(conn):
        conn.execute(
            "UPDATE chats SET digest_cursor = max(digest_cursor, ?), last_digest_at = ? "
            "WHERE chat_id = ? AND thread_id = ?", (cursor, iso_utc(moment), chat_id, thread_id))


def advance_streams(conn: sqlite3.Connection, keys: list[tuple[int, int]], cursor: int) -> None:
    """advance_stream for many targets in one transaction."""
    if not keys:
        return
    with transaction(conn):
        conn.executemany(
            "UPDATE chats SET stream_cursor = max(stream_cursor, ?) "
            "WHERE chat_id = ? AND thread_id = ?", [(cursor, c, t) for c, t in keys])


def advance_stream(conn: sqlite3.Connection, chat_id: int, thread_id: int, cursor: int) -> None:
    """Move the target's instant/alert cursor past articles it has looked at."""
    with transaction(conn):
        conn.execute(
            "UPDATE chats SET stream_cursor = max(stream_cursor, ?) "
            "WHERE chat_id = ? AND thread_id = ?", (cursor, chat_id, thread_id))


def save_query(conn: sqlite3.Connection, query: str) -> str:
    """A short key for a search query, so paging buttons fit Telegram's 64-byte callback data."""
    key = hashlib.sha1(query.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    conn.execute("INSERT OR IGNORE INTO saved_queries (key, query) VALUES (?, ?)", (key, query))
    return key


def load_query(conn: sqlite3.Connection, key: str) -> str | None:
    """The query saved under `key`, or None."""
    row = conn.execute("SELECT query FROM saved_queries WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None

