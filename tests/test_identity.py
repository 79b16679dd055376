"""Article identity: source + source id; shared links and ids never merge different stories.

Uses the feed probes in tests/data/realworld/feeds (items sharing one section link, two feeds
whose items are both id "1") and a database made by the schema before migration 3.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.ingest import ingest
from storage import articles as article_store
from storage.db import MIGRATIONS, migrate
from storage.records import Outcome
from tests.helpers import write

FEEDS = Path(__file__).parent / "data" / "realworld" / "feeds"


def titles(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT title FROM articles ORDER BY seq")]


def copy_feed(drop: Path, name: str, as_name: str | None = None) -> Path:
    drop.mkdir(parents=True, exist_ok=True)
    return write(drop, as_name or name, (FEEDS / name).read_bytes())


def test_items_sharing_one_section_link_stay_four_stories(conn, tmp_path):
    copy_feed(tmp_path / "drop", "section-links.xml")
    report = ingest(conn, [tmp_path / "drop"])
    assert (report.new, report.updated) == (4, 0)
    assert len(set(titles(conn))) == 4


def test_two_feeds_with_item_id_1_keep_both_stories(conn, tmp_path):
    copy_feed(tmp_path / "drop", "shared-id-a.xml")
    copy_feed(tmp_path / "drop", "shared-id-b.xml")
    report = ingest(conn, [tmp_path / "drop"])
    assert (report.new, report.updated) == (2, 0)
    assert sorted(titles(conn)) == ["Council approves new bridge", "Orchestra names new conductor"]


def test_same_story_again_is_one_row_updated_only_when_it_changed(conn, tmp_path):
    drop = tmp_path / "drop"
    path = copy_feed(drop, "shared-id-a.xml")
    ingest(conn, [drop])
    changed = path.read_text(encoding="utf-8").replace("the new bridge", "the new steel bridge")
    write(drop, "shared-id-a.xml", changed, seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    [body] = [row[0] for row in conn.execute("SELECT body FROM articles")]
    assert "steel bridge" in body


def test_feed_with_its_own_address_is_one_source_whatever_the_file_name(conn, tmp_path):
    feed = ('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>City'
            '</title><atom:link rel="self" href="https://city.example/feed.xml"/><item><guid>7'
            '</guid><title>{title}</title><description>{text}</description></item></channel></rss>')
    drop = tmp_path / "drop"
    write(drop, "monday.xml", feed.format(title="Bridge opens", text="The bridge opens today."))
    ingest(conn, [drop])
    write(drop, "tuesday.xml", feed.format(title="Bridge opens late",
                                           text="The bridge opens a week late."))
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    assert titles(conn) == ["Bridge opens late"]
    [files] = [json.loads(row[0]) for row in conn.execute("SELECT source_files FROM articles")]
    assert [Path(name).name for name in files] == ["monday.xml", "tuesday.xml"]


def test_same_url_and_headline_from_another_file_is_the_same_story(conn, tmp_path):
    drop = tmp_path / "drop"
    note = "---\ntitle: Port strike ends\nurl: https://example.org/strike\n---\n\n{}\n"
    write(drop, "a.md", note.format("The strike at the port of Antwerp ended on Friday."))
    write(drop, "b.md", note.format("The strike at the port ended on Friday after talks."))
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (1, 1)
    assert article_store.count(conn) == 1


def test_identical_content_in_two_files_is_one_row_remembering_both(conn, tmp_path):
    drop = tmp_path / "drop"
    copy_feed(drop, "shared-id-a.xml")
    copy_feed(drop / "copy", "shared-id-a.xml")
    report = ingest(conn, [drop])
    assert (report.new, report.updated, article_store.count(conn)) == (1, 0, 1)
    [files] = [json.loads(row[0]) for row in conn.execute("SELECT source_files FROM articles")]
    assert len(files) == 2


def test_save_reports_outcomes_as_an_enum(conn):
    from storage.records import Article

    story = Article(title="Dyke repaired", body="The dyke was repaired overnight.", id="d-1")
    assert article_store.store(conn, story, [], "a.xml") is Outcome.NEW
    assert article_store.store(conn, story, [], "a.xml") is Outcome.UNCHANGED
    story.body += " Traffic is back."
    assert article_store.store(conn, story, [], "a.xml") is Outcome.UPDATED


def test_a_database_from_before_migration_3_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:2])
    for number, (id_, source_file) in enumerate([("http://feed/1", "/drop/a.xml"),
                                                 ("sha1:abc", None)], 1):
        conn.execute(
            "INSERT INTO articles (id, title, body, content_hash, first_seen, last_changed, seq,"
            " source_file) VALUES (?, ?, 'Body.', 'h', '2026-01-01T00:00:00+00:00', "
            "'2026-01-01T00:00:00+00:00', ?, ?)", (id_, f"Story {number}", number, source_file))
    conn.execute("INSERT INTO deliveries VALUES (1, 'http://feed/1', '2026-01-02')")
    migrate(conn)
    rows = conn.execute("SELECT id, source, source_id, source_files FROM articles ORDER BY seq")
    assert rows.fetchall() == [("http://feed/1", "/drop/a.xml", "http://feed/1", '["/drop/a.xml"]'),
                               ("sha1:abc", "", None, "[]")]
    assert conn.execute("SELECT article_id FROM deliveries").fetchall() == [("http://feed/1",)]
    assert article_store.search(conn, "Story")  # the full-text index still finds them
    conn.close()
