"""Article identity: source + source id; shared links and ids never merge different stories.

Uses the feed probes in tests/data/realworld/feeds (items sharing one section link, two feeds
whose items are both id "1"), a database made by the schema before migration 3, and story
files with no id and no URL (text, Markdown with front matter, a page with no canonical
address) edited, reused, copied and saved in two steps.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.ingest import ingest
from storage import articles as article_store
from storage.chats import MessageKind, record_message
from storage.db import MIGRATIONS, migrate
from storage.likeness import same_story
from storage.records import Outcome
from storage.status import Change
from storage.versions import versions_of
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


HEADLINE = "Council approves harbour plan"
TEXT = ("The council approved the harbour plan on Monday. Work starts in May.\n\n"
        "The plan adds two quays and a ferry terminal, and moves the fish market to the north "
        "side of the port.")
CORRECTED = TEXT.replace("Work starts in May.", "Work starts in June, not May.")
OTHER_HEADLINE = "Orchestra names new conductor"
OTHER_TEXT = ("The city orchestra named a new chief conductor on Thursday. She takes up the "
              "post next season.\n\nShe has led orchestras in Lyon and Porto, and will conduct "
              "ten concerts a year.")
# Single-document files with neither an id nor a URL: their file is all that names the story.
STORY_FILES = ["story.txt", "story.md", "story.html"]


def story_file(name: str, headline: str, text: str) -> str:
    """A story as that kind of file: plain text, Markdown with front matter, or a saved page
    with no canonical address."""
    if name.endswith(".md"):
        return f"---\ntitle: {headline}\ndate: 2026-03-02\nauthor: City desk\n---\n\n{text}\n"
    if name.endswith(".html"):
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{headline}"
                f"</title></head><body><article><h1>{headline}</h1>{paragraphs}</article>"
                "</body></html>")
    return f"{headline}\n\n{text}\n"


def bodies(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT body FROM articles ORDER BY seq")]


@pytest.mark.parametrize("name", STORY_FILES)
def test_an_edited_story_file_is_its_story_corrected(conn, tmp_path, name):
    drop = tmp_path / "drop"
    write(drop, name, story_file(name, HEADLINE, TEXT))
    assert ingest(conn, [drop]).new == 1
    write(drop, name, story_file(name, HEADLINE, CORRECTED), seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    [body] = bodies(conn)
    assert "June, not May" in body
    [id_] = [row[0] for row in conn.execute("SELECT id FROM articles")]
    assert [v.change for v in versions_of(conn, id_)] == [Change.NEW, Change.CORRECTED]


@pytest.mark.parametrize("name", STORY_FILES)
def test_a_new_headline_over_the_same_text_is_the_same_story(conn, tmp_path, name):
    drop = tmp_path / "drop"
    write(drop, name, story_file(name, HEADLINE, TEXT))
    ingest(conn, [drop])
    write(drop, name, story_file(name, "Harbour plan approved, work starts in June", CORRECTED),
          seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    assert titles(conn) == ["Harbour plan approved, work starts in June"]


@pytest.mark.parametrize("name", STORY_FILES)
def test_a_file_reused_for_another_story_adds_it_and_keeps_the_first(conn, tmp_path, name):
    drop = tmp_path / "drop"
    write(drop, name, story_file(name, HEADLINE, TEXT))
    ingest(conn, [drop])
    write(drop, name, story_file(name, OTHER_HEADLINE, OTHER_TEXT), seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (1, 0)
    assert titles(conn) == [HEADLINE, OTHER_HEADLINE]
    assert article_store.count(conn) == 2  # both published
    # Edited again, the reused file's story is the second one, and the first stays as it was.
    write(drop, name, story_file(name, OTHER_HEADLINE, OTHER_TEXT.replace("ten", "twelve")),
          seconds_ago=20)
    assert (ingest(conn, [drop]).updated, titles(conn)) == (1, [HEADLINE, OTHER_HEADLINE])
    assert "May" in bodies(conn)[0] and "twelve" in bodies(conn)[1]


@pytest.mark.parametrize("name", STORY_FILES)
def test_identical_story_files_stay_one_row(conn, tmp_path, name):
    drop = tmp_path / "drop"
    write(drop, name, story_file(name, HEADLINE, TEXT))
    write(drop, "copy-" + name, story_file(name, HEADLINE, TEXT))
    report = ingest(conn, [drop])
    assert (report.new, report.updated, article_store.count(conn)) == (1, 0, 1)
    [files] = [json.loads(row[0]) for row in conn.execute("SELECT source_files FROM articles")]
    assert len(files) == 2


@pytest.mark.parametrize("cut", [len("Council appro"), len(HEADLINE) + 40])
def test_a_text_file_read_half_saved_is_completed_not_doubled(conn, tmp_path, cut):
    drop = tmp_path / "drop"
    whole = story_file("story.txt", HEADLINE, TEXT)
    write(drop, "story.txt", whole[:cut])  # the scan caught the editor half-way
    assert ingest(conn, [drop]).new == 1
    write(drop, "story.txt", whole, seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    assert titles(conn) == [HEADLINE]


def test_an_empty_save_between_two_versions_leaves_one_story(conn, tmp_path):
    drop = tmp_path / "drop"
    write(drop, "story.txt", story_file("story.txt", HEADLINE, TEXT))
    ingest(conn, [drop])
    write(drop, "story.txt", "", seconds_ago=40)
    assert len(ingest(conn, [drop]).rejected) == 1  # the file's stored ids are forgotten
    write(drop, "story.txt", story_file("story.txt", HEADLINE, CORRECTED), seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    assert article_store.count(conn) == 1


def test_an_edited_copy_of_a_stored_story_corrects_that_story(conn, tmp_path):
    drop = tmp_path / "drop"
    write(drop, "a.txt", story_file("a.txt", HEADLINE, TEXT))
    write(drop, "b.txt", story_file("b.txt", HEADLINE, TEXT))
    ingest(conn, [drop])  # one row, stored from a.txt, found again in b.txt
    write(drop, "b.txt", story_file("b.txt", HEADLINE, CORRECTED), seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    assert ["June, not May" in body for body in bodies(conn)] == [True]


def test_a_corrected_story_file_queues_edits_of_the_messages_that_carried_it(tmp_path):
    from storage.db import open_database

    database = open_database(tmp_path / "newsbot.db")
    conn = database.conn
    drop = tmp_path / "drop"
    write(drop, "story.txt", story_file("story.txt", HEADLINE, TEXT))
    ingest(conn, [drop])
    [id_] = [row[0] for row in conn.execute("SELECT id FROM articles")]
    record_message(conn, 42, 0, 501, MessageKind.INSTANT, [id_])
    write(drop, "story.txt", story_file("story.txt", HEADLINE, CORRECTED), seconds_ago=30)
    assert ingest(conn, [drop]).updated == 1
    database.conn.close()
    reopened = sqlite3.connect(tmp_path / "newsbot.db")
    queued = reopened.execute("SELECT m.message_id, p.change FROM pending_edits p "
                              "JOIN messages m ON m.id = p.message").fetchall()
    assert queued == [(501, "corrected")]
    assert reopened.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    reopened.close()


@pytest.mark.parametrize(("old", "new", "same"), [
    ((HEADLINE, TEXT), (HEADLINE, CORRECTED), True),  # a correction
    ((HEADLINE, TEXT), ("Harbour plan approved", CORRECTED), True),  # most text kept
    ((HEADLINE, TEXT), ("Council approves HARBOUR plan", OTHER_TEXT), True),  # same headline
    (("Council appro", ""), (HEADLINE, TEXT), True),  # read half-written
    ((HEADLINE, TEXT), (OTHER_HEADLINE, OTHER_TEXT), False),  # another story
    # A short old text's words are all in a long story about something else: not its pairs.
    (("Vote tonight", "The council votes on the plan on Monday."),
     (OTHER_HEADLINE, "On Monday the orchestra and the council plan a vote: " + OTHER_TEXT),
     False),
    (("", ""), ("", OTHER_TEXT), False),  # nothing to compare is no evidence
])
def test_same_story_wants_the_headline_or_most_of_the_text(old, new, same):
    assert same_story(*old, *new) is same
