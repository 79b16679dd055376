"""The SQLite layer: migrations, upserts, full-text search with folded accents, the ledger."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from storage import articles as article_store
from storage import chats as chat_store
from storage.articles import SearchSyntaxError
from storage.backup import backup
from storage.db import MIGRATIONS, SCHEMA_VERSION, migrate, open_database
from storage.records import Article


def add(conn, title: str, body: str, **extra) -> str:
    """Store an article directly (no reader, no summarizer)."""
    return article_store.store(conn, Article(title=title, body=body, **extra), [body])


def test_migrations_are_versioned_and_idempotent(tmp_path):
    path = tmp_path / "n.db"
    open_database(path).conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert migrate(conn) == SCHEMA_VERSION  # running again changes nothing
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    conn = sqlite3.connect(tmp_path / "n.db")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    with pytest.raises(RuntimeError, match="newer than this newsbot"):
        migrate(conn)


def test_two_processes_opening_a_new_database_at_once_both_get_it(tmp_path, monkeypatch):
    # Two `newsbot ingest` started together on a new file: each read user_version 0, one took
    # the write lock and migrated, the other then ran migration 1 again and ended with
    # "database …: table articles already exists".
    import storage.db as db_module

    path = tmp_path / "n.db"
    late = db_module.connect(path)
    real = db_module.transaction
    raced = []

    class racing(real):
        def __enter__(self):
            if not raced:  # the other process wins the race, between our read and our lock
                raced.append(True)
                migrate(db_module.connect(path))
            return super().__enter__()

    monkeypatch.setattr(db_module, "transaction", racing)
    assert migrate(late) == SCHEMA_VERSION
    assert late.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_failed_migration_leaves_the_database_unchanged(tmp_path):
    conn = sqlite3.connect(tmp_path / "n.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, ["CREATE TABLE a (x);", "CREATE TABLE b (y); SELECT * FROM nowhere;"])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["a"]


def test_store_is_new_then_unchanged_then_updated(conn):
    assert add(conn, "Tram strike", "Trams stop on Monday.", id="x") == "new"
    assert add(conn, "Tram strike", "Trams stop on Monday.", id="x") == "unchanged"
    assert add(conn, "Tram strike called off", "Trams run.", id="x") == "updated"
    assert article_store.count(conn) == 1


@pytest.mark.parametrize("query, title", [
    ("bruxelles", "Grève à Bruxelles"),
    ("Bruxelles", "Grève à Bruxelles"),
    ("greve", "Grève à Bruxelles"),
    ("ecole", "L'école rouvre"),
    ("ÉCOLE", "L'école rouvre"),
    ("strasse", "Neue Straße in Köln"),
    ("koln", "Neue Straße in Köln"),
])
def test_search_folds_case_and_diacritics(conn, query, title):
    add(conn, "Grève à Bruxelles", "Les trams ne roulent pas.")
    add(conn, "L'école rouvre", "Les élèves reviennent lundi.")
    add(conn, "Neue Straße in Köln", "Die Strasse ist offen.")
    assert title in [a.title for a in article_store.search(conn, query)]


def test_search_ranks_title_matches_first(conn):
    add(conn, "Budget news", "The harbour is mentioned once: harbour.")
    add(conn, "Harbour expansion approved", "Work starts in spring.")
    assert article_store.search(conn, "harbour")[0].title == "Harbour expansion approved"


@pytest.mark.parametrize("query", ['"unbalanced AND (', "AND", "((", "NEAR(", "-only"])
def test_malformed_search_raises_a_readable_error(conn, query):
    add(conn, "Anything", "Some text.")
    with pytest.raises(SearchSyntaxError, match="plain words"):
        article_store.search(conn, query)


def test_search_input_cannot_reach_sql(conn):
    add(conn, "Safe", "Text.")
    with pytest.raises(SearchSyntaxError):
        article_store.search(conn, "x'); DROP TABLE articles; --")
    assert article_store.count(conn) == 1


def test_latest_is_newest_first_and_filters_languages(conn):
    add(conn, "Old", "a", id="1", published=datetime(2020, 1, 1, tzinfo=UTC), language="en")
    add(conn, "New", "b", id="2", published=datetime(2026, 1, 1, tzinfo=UTC), language="nl")
    assert [a.title for a in article_store.latest(conn)] == ["New", "Old"]
    assert [a.title for a in article_store.latest(conn, languages=["en"])] == ["Old"]


def test_ledger_records_and_finds_deliveries(conn):
    chat_store.update_chat(conn, 42, subscribed=True)
    chat_store.record_delivery(conn, 42, ["a", "b"])
    chat_store.record_delivery(conn, 42, ["b"])  # idempotent
    assert chat_store.delivered(conn, 42, ["a", "b", "c"]) == {"a", "b"}


def test_migrated_chat_keeps_settings_and_ledger(conn):
    chat_store.update_chat(conn, -1, subscribed=True, timezone="Europe/Paris")
    chat_store.record_delivery(conn, -1, ["a"])
    chat_store.migrate_chat(conn, -1, -100123)
    chat = chat_store.get_chat(conn, -100123)
    assert chat.subscribed and chat.timezone == "Europe/Paris" and chat.type == "supergroup"
    assert chat_store.delivered(conn, -100123, ["a"]) == {"a"}
    assert chat_store.get_chat(conn, -1) is None


def test_database_opens_in_the_sqlite_utils_cli(db, tmp_path):
    add(db.conn, "Visible to sqlite-utils", "Body.")
    path = tmp_path / "newsbot.db"
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", "tables", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert "articles" in out
    found = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(path),
                            "articles", "visible"], capture_output=True, text=True).stdout
    assert "Visible to sqlite-utils" in found


def test_backup_is_a_consistent_standalone_copy(db, tmp_path):
    add(db.conn, "Backed up", "Body.")
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()  # a missing folder is refused (newsbot backup says so)
    assert backup(tmp_path / "newsbot.db", target) > 0
    copy = open_database(target)
    assert [a.title for a in article_store.latest(copy.conn)] == ["Backed up"]


def _old_database(version: int) -> sqlite3.Connection:
    """A database at schema `version`, with a story, its delivery and a chat stored at version 2
    (from 4 on the chat's language, from 5 a message sent with the story)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, MIGRATIONS[:2])
    conn.execute(
        "INSERT INTO articles (id, title, body, content_hash, first_seen, last_changed, seq,"
        " source_file) VALUES ('http://feed/1', 'Story', 'Body.', 'h', "
        "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', 1, '/drop/a.xml')")
    conn.execute("INSERT INTO deliveries (chat_id, article_id, delivered_at) "
                 "VALUES (1, 'http://feed/1', '2026-01-02')")
    conn.execute("INSERT INTO chats (chat_id, digest_time, subscribed, created_at) "
                 "VALUES (1, '08:00', 1, '2026-01-01')")
    migrate(conn, MIGRATIONS[:version])
    if version >= 4:
        conn.execute("UPDATE chats SET ui_language = 'nl' WHERE chat_id = 1")
    if version >= 5:
        conn.execute("INSERT INTO messages (chat_id, message_id, kind, article_ids, sent_at) "
                     "VALUES (1, 77, 'digest', '[\"http://feed/1\"]', '2026-01-02')")
    return conn


@pytest.mark.parametrize("version", [2, 3, 4, 5])
def test_an_older_database_reaches_the_current_schema_and_keeps_its_rows(version):
    conn = _old_database(version)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    assert migrate(conn) == SCHEMA_VERSION == 7
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    row = conn.execute("SELECT id, source, source_id, source_files, urgency, image_url "
                       "FROM articles").fetchone()
    assert row == ("http://feed/1", "/drop/a.xml", "http://feed/1", '["/drop/a.xml"]', None, None)
    assert conn.execute("SELECT chat_id, thread_id, article_id FROM deliveries").fetchall() == [
        (1, 0, "http://feed/1")]
    chat = conn.execute("SELECT chat_id, thread_id, digest_time, subscribed, mode, ui_language "
                        "FROM chats").fetchone()
    assert chat == (1, 0, "08:00", 1, "digest", "nl" if version >= 4 else None)
    messages = conn.execute("SELECT message_id, kind, deleted, layout FROM messages").fetchall()
    assert messages == ([(77, "digest", 0, None)] if version >= 5 else [])
    # Every story stored before is published; a message sent before is found by its story
    # (a correction would queue it), and nothing waits to be edited.
    assert conn.execute("SELECT status, embargo_until FROM articles").fetchall() == [
        ("published", None)]
    assert conn.execute("SELECT count(*) FROM message_articles WHERE article_id = "
                        "'http://feed/1'").fetchone()[0] == (1 if version >= 5 else 0)
    assert conn.execute("SELECT count(*) FROM pending_edits").fetchone()[0] == 0
    assert conn.execute("SELECT on_withdraw FROM chats").fetchone() == ("edit",)
    assert article_store.search(conn, "Story") and article_store.count(conn) == 1


def test_lookups_by_number_and_id_span_more_rows_than_one_sql_statement_may_bind(conn):
    for n in range(1, 1202):
        add(conn, f"Story {n}", f"body {n}", id=str(n))
    ids = [id_ for (id_,) in conn.execute("SELECT id FROM articles")]
    seqs = [article.seq for article in article_store.by_id(conn, ids).values()]
    assert len(seqs) == 1201
    wanted = [*reversed(seqs), 999_999]  # the order given is kept; unknown numbers are skipped
    assert [a.seq for a in article_store.by_seqs(conn, wanted)] == wanted[:-1]


@pytest.mark.parametrize("message", ["fts5: syntax error near \"\"", "unknown special query: x",
                                     "Expression tree is too large (maximum depth 1000)"])
def test_a_search_the_index_refuses_is_the_users_to_rephrase(message):
    error = article_store.search_error(sqlite3.OperationalError(message), "port -")
    assert isinstance(error, SearchSyntaxError)
    assert error.search == "port -"


@pytest.mark.parametrize("message", ["database is locked", "disk I/O error", "database disk "
                                     "image is malformed", "no such table: articles_fts",
                                     "attempt to write a readonly database"])
def test_a_search_the_database_cannot_run_is_the_databases_error(message):
    error = sqlite3.OperationalError(message)
    assert article_store.search_error(error, "port") is error
