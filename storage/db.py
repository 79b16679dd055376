"""Opening the SQLite file: connection settings and versioned schema migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage import grams

# Each migration runs once, in order, inside a transaction; PRAGMA user_version records progress.
# Never edit a shipped migration: append a new one.
MIGRATIONS: list[str] = [
    # 1: articles with FTS, file state, ingest log, chats, delivery ledger.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        url TEXT,
        published TEXT,
        updated TEXT,
        language TEXT,
        author TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        source_file TEXT,
        format TEXT,
        body TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '[]',
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_changed TEXT NOT NULL,
        seq INTEGER NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE UNIQUE INDEX articles_seq ON articles(seq);
    CREATE INDEX articles_url ON articles(url);

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content="articles", content_rowid="rowid",
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END;

    CREATE TABLE files (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        content_hash TEXT,
        status TEXT NOT NULL,
        reason TEXT,
        article_ids TEXT NOT NULL DEFAULT '[]',
        checked_at TEXT NOT NULL
    );

    CREATE TABLE ingest_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        path TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT,
        articles INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX ingest_log_at ON ingest_log(at);

    CREATE TABLE chats (
        chat_id INTEGER PRIMARY KEY,
        type TEXT NOT NULL DEFAULT 'private',
        title TEXT,
        timezone TEXT,
        digest_time TEXT,
        summary_sentences INTEGER NOT NULL DEFAULT 2,
        languages TEXT NOT NULL DEFAULT '[]',
        include_keywords TEXT NOT NULL DEFAULT '[]',
        exclude_keywords TEXT NOT NULL DEFAULT '[]',
        subscribed INTEGER NOT NULL DEFAULT 0,
        subscribed_at TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT,
        digest_cursor INTEGER NOT NULL DEFAULT 0,
        last_digest_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX chats_schedule ON chats(subscribed, active, digest_time);

    CREATE TABLE saved_queries (
        key TEXT PRIMARY KEY,
        query TEXT NOT NULL
    );

    CREATE TABLE deliveries (
        chat_id INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, article_id)
    ) WITHOUT ROWID;
    """,
    # 2: newest-first listing walks one index instead of sorting a million rows (bench/queries).
    """
    CREATE INDEX articles_recent ON articles(coalesce(published, first_seen) DESC, seq DESC);
    """,
    # 3: identity is (source, source id): a feed's or file's own id, never a global one, so two
    # feeds' item "1" or items sharing one link stay apart. Existing rows keep their ids (the
    # delivery ledger refers to them) and get their file as source and their old id as source
    # id; what a file re-read later matches is decided in storage/articles.py:find_existing.
    """
    ALTER TABLE articles ADD COLUMN source TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN source_id TEXT;
    ALTER TABLE articles ADD COLUMN source_files TEXT NOT NULL DEFAULT '[]';
    UPDATE articles SET source = coalesce(source_file, ''),
        source_id = CASE WHEN id LIKE 'sha1:%' THEN NULL ELSE id END,
        source_files = CASE WHEN source_file IS NULL THEN '[]' ELSE json_array(source_file) END;
    CREATE INDEX articles_source ON articles(source, source_id);
    CREATE INDEX articles_content_hash ON articles(content_hash);
    """,
    # 4: the language the bot writes in: a chat's own choice, and the one its app sent last.
    """
    ALTER TABLE chats ADD COLUMN ui_language TEXT;
    ALTER TABLE chats ADD COLUMN seen_language TEXT;
    """,
    # 5: delivery targets. A row of `chats` is a chat or one forum topic of it (thread_id, 0 for
    # the chat itself) with its own mode, times, weekdays, alert words and preview; the ledger
    # is per target; every message sent is kept with its Telegram message_id (for later edits);
    # articles keep the agency urgency that makes a breaking alert.
    """
    CREATE TABLE chats_v5 (
        chat_id INTEGER NOT NULL,
        thread_id INTEGER NOT NULL DEFAULT 0,
        type TEXT NOT NULL DEFAULT 'private',
        title TEXT,
        username TEXT,
        timezone TEXT,
        digest_time TEXT,
        weekdays TEXT NOT NULL DEFAULT '[]',
        mode TEXT NOT NULL DEFAULT 'digest',
        preview TEXT NOT NULL DEFAULT 'off',
        summary_sentences INTEGER NOT NULL DEFAULT 2,
        languages TEXT NOT NULL DEFAULT '[]',
        include_keywords TEXT NOT NULL DEFAULT '[]',
        exclude_keywords TEXT NOT NULL DEFAULT '[]',
        alert_keywords TEXT NOT NULL DEFAULT '[]',
        subscribed INTEGER NOT NULL DEFAULT 0,
        subscribed_at TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT,
        digest_cursor INTEGER NOT NULL DEFAULT 0,
        last_digest_at TEXT,
        stream_cursor INTEGER NOT NULL DEFAULT 0,
        managed INTEGER NOT NULL DEFAULT 0,
        ui_language TEXT,
        seen_language TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, thread_id)
    );
    INSERT INTO chats_v5 (chat_id, type, title, timezone, digest_time, summary_sentences,
        languages, include_keywords, exclude_keywords, subscribed, subscribed_at, active,
        inactive_reason, digest_cursor, last_digest_at, stream_cursor, ui_language, seen_language,
        created_at)
    SELECT chat_id, type, title, timezone, digest_time, summary_sentences, languages,
        include_keywords, exclude_keywords, subscribed, subscribed_at, active, inactive_reason,
        digest_cursor, last_digest_at, (SELECT coalesce(max(seq), 0) FROM articles), ui_language,
        seen_language, created_at
    FROM chats;
    DROP TABLE chats;
    ALTER TABLE chats_v5 RENAME TO chats;
    CREATE INDEX chats_schedule ON chats(subscribed, active, mode);
    CREATE INDEX chats_username ON chats(username);

    CREATE TABLE deliveries_v5 (
        chat_id INTEGER NOT NULL,
        thread_id INTEGER NOT NULL DEFAULT 0,
        article_id TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, thread_id, article_id)
    ) WITHOUT ROWID;
    INSERT INTO deliveries_v5 (chat_id, article_id, delivered_at)
    SELECT chat_id, article_id, delivered_at FROM deliveries;
    DROP TABLE deliveries;
    ALTER TABLE deliveries_v5 RENAME TO deliveries;

    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        thread_id INTEGER NOT NULL DEFAULT 0,
        message_id INTEGER,
        kind TEXT NOT NULL,
        article_ids TEXT NOT NULL DEFAULT '[]',
        sent_at TEXT NOT NULL
    );
    CREATE INDEX messages_chat ON messages(chat_id, message_id);
    CREATE INDEX messages_sent_at ON messages(sent_at);

    ALTER TABLE articles ADD COLUMN urgency INTEGER;
    ALTER TABLE articles ADD COLUMN image_url TEXT;
    CREATE INDEX articles_urgent ON articles(seq) WHERE urgency <= 2;
    """,
    # 6: the newsroom's rules. A story is published, embargoed (until embargo_until) or
    # withdrawn (kept for the record); text_hash tells a correction from a cosmetic change;
    # article_versions is its history. Sent messages keep how they were rendered (layout) and
    # a hash of their text; message_articles finds the messages that carried a story, and
    # pending_edits is the outbox of messages to edit, written in the same transaction as the
    # story's change, so a crash can neither lose an edit nor make one twice (bot/edits.py).
    # Each target chooses whether a withdrawn story's post is edited or deleted. An agency
    # item's id is found in any file (its kill notice comes on its own: articles_global_id).
    """
    ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
    ALTER TABLE articles ADD COLUMN embargo_until TEXT;
    ALTER TABLE articles ADD COLUMN text_hash TEXT;
    ALTER TABLE articles ADD COLUMN corrected_at TEXT;
    CREATE INDEX articles_embargo ON articles(embargo_until) WHERE status = 'embargoed';
    CREATE INDEX articles_global_id ON articles(source_id, format);

    CREATE TABLE article_versions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        at TEXT NOT NULL,
        change TEXT NOT NULL,
        title TEXT,
        note TEXT
    );
    CREATE INDEX article_versions_article ON article_versions(article_id, id);

    ALTER TABLE messages ADD COLUMN layout TEXT;
    ALTER TABLE messages ADD COLUMN text_hash TEXT;
    ALTER TABLE messages ADD COLUMN edited_at TEXT;
    ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE message_articles (
        article_id TEXT NOT NULL,
        message INTEGER NOT NULL,
        PRIMARY KEY (article_id, message)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO message_articles (article_id, message)
    SELECT json_each.value, messages.id FROM messages, json_each(messages.article_ids);

    CREATE TABLE pending_edits (
        message INTEGER PRIMARY KEY,
        queued_at TEXT NOT NULL,
        change TEXT NOT NULL
    );

    ALTER TABLE chats ADD COLUMN on_withdraw TEXT NOT NULL DEFAULT 'edit';
    """,
    # 7: Chinese, Japanese and Thai are found inside the text. unicode61 makes a run written
    # without spaces one token, so the code writes such runs a second time as character pairs
    # (storage.grams) into title_grams and body_grams (NULL for other text), indexed by a second
    # full-text table that holds only the stories with such text. articles_fts is left as it
    # was: a search without those scripts finds and ranks exactly as before (grams columns in
    # articles_fts would count in every story's bm25 through the average length).
    """
    ALTER TABLE articles ADD COLUMN title_grams TEXT;
    ALTER TABLE articles ADD COLUMN body_grams TEXT;
    UPDATE articles SET title_grams = newsbot_index_grams(title),
                        body_grams = newsbot_index_grams(body)
    WHERE newsbot_has_script(title) OR newsbot_has_script(body);

    CREATE VIRTUAL TABLE articles_grams USING fts5(
        title_grams, body_grams, content="articles", content_rowid="rowid",
        tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_grams(rowid, title_grams, body_grams)
    SELECT rowid, title_grams, body_grams FROM articles
    WHERE title_grams IS NOT NULL OR body_grams IS NOT NULL;
    CREATE TRIGGER articles_grams_ai AFTER INSERT ON articles
    WHEN new.title_grams IS NOT NULL OR new.body_grams IS NOT NULL BEGIN
        INSERT INTO articles_grams(rowid, title_grams, body_grams)
        VALUES (new.rowid, new.title_grams, new.body_grams);
    END;
    CREATE TRIGGER articles_grams_ad AFTER DELETE ON articles
    WHEN old.title_grams IS NOT NULL OR old.body_grams IS NOT NULL BEGIN
        INSERT INTO articles_grams(articles_grams, rowid, title_grams, body_grams)
        VALUES ('delete', old.rowid, old.title_grams, old.body_grams);
    END;
    CREATE TRIGGER articles_grams_au AFTER UPDATE OF title_grams, body_grams ON articles
    WHEN old.title_grams IS NOT NULL OR old.body_grams IS NOT NULL
      OR new.title_grams IS NOT NULL OR new.body_grams IS NOT NULL BEGIN
        INSERT INTO articles_grams(articles_grams, rowid, title_grams, body_grams)
        SELECT 'delete', old.rowid, old.title_grams, old.body_grams
        WHERE old.title_grams IS NOT NULL OR old.body_grams IS NOT NULL;
        INSERT INTO articles_grams(rowid, title_grams, body_grams)
        SELECT new.rowid, new.title_grams, new.body_grams
        WHERE new.title_grams IS NOT NULL OR new.body_grams IS NOT NULL;
    END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path, *, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection tuned for one writer and many readers (WAL, busy timeout)."""
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None,
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across process crashes in WAL mode; only power loss may drop the tail.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    # Statement and savepoint journals in memory, not in temporary files: there they cost ~55
    # pwrite calls per stored article, ~14 % of the ingest's write time. They hold the old
    # pages of what one statement or one file's savepoint changes, so they stay small.
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return conn


def migrate(conn: sqlite3.Connection, migrations: list[str] | None = None) -> int:
    """Bring the schema up to date; returns the resulting schema version."""
    migrations = MIGRATIONS if migrations is None else migrations
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise RuntimeError(
            f"database schema version {version} is newer than this newsbot ({len(migrations)});"
            " upgrade newsbot"
        )
    # Migration 7 fills the grams columns of the stored stories with the code's own expansion.
    conn.create_function("newsbot_has_script", 1, grams.has_script, deterministic=True)
    conn.create_function("newsbot_index_grams", 1, grams.index_grams, deterministic=True)
    for number in range(version + 1, len(migrations) + 1):
        with transaction(conn):
            # Read again under the write lock: another process opening the same new file (two
            # `newsbot ingest` started together) may have run this migration while we waited.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            for statement in _split_sql(migrations[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={number}")
    return len(migrations)


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) and migrate the newsbot database at `path`."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    migrate(conn)
    return Database(conn)


class transaction:
    """`with transaction(conn):` BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        # IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
        # failing later with "database is locked" on lock upgrade.
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: type | None, *_: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start:end + 1]):
            statements.append(script[start:end + 1].strip())
            start = end + 1
    if script[start:].strip():
        statements.append(script[start:].strip())
    return statements
