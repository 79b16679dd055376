"""Ingest semantics: idempotent rescans, updates, duplicates, half-written and bad files."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from bot.console import report_lines
from bot.ingest import ingest
from bot.rejection_kinds import RejectionKind, kind_of
from storage import articles as article_store
from storage import files as file_store
from tests.helpers import ARTICLES, age, link, swap_after_listing, write

PREZLY = ARTICLES / "prezly" / "belga-critical-cloud.json"


def story(title: str = "Flood defences upgraded in Ghent", uuid: str = "u-1", **extra) -> str:
    """A small Prezly story export."""
    body = "<p>The city of Ghent finished new flood defences on Monday.</p>" \
           "<p>Engineers said the walls protect 20,000 homes.</p>"
    return json.dumps({"uuid": uuid, "title": title, "body": body, "culture": "en_BE",
                       "published_at": "2026-05-26 10:00:00", **extra})


@pytest.fixture
def drop(tmp_path):
    """An empty drop folder."""
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def test_sample_folder_ingests_everything(conn):
    report = ingest(conn, [ARTICLES])
    assert report.rejected == []
    assert report.new >= 13  # 12 files; the feeds carry several items each
    stored = article_store.latest(conn, 100)
    assert {a.format for a in stored} >= {"prezly", "ninjs", "newsml", "rss", "atom",
                                          "jsonfeed", "html"}
    seed = next(a for a in stored if a.title.startswith("Belgian IT firms"))
    assert seed.language == "en"
    assert 1 <= len(seed.summary) <= 5
    assert all(sentence in seed.body for sentence in seed.summary)


def test_rescan_of_unchanged_files_changes_nothing(conn):
    first = ingest(conn, [ARTICLES])
    before = conn.execute("SELECT id, last_changed FROM articles ORDER BY id").fetchall()
    second = ingest(conn, [ARTICLES])
    assert second.new == second.updated == second.files == 0
    assert second.unchanged == len([p for p in ARTICLES.rglob("*") if p.is_file()])
    assert conn.execute("SELECT id, last_changed FROM articles ORDER BY id").fetchall() == before
    assert first.new > 0


def test_changed_file_updates_row_and_summary(conn, drop):
    path = write(drop, "story.json", story())
    ingest(conn, [drop])
    [old] = article_store.latest(conn)
    path.write_text(story(title="Flood defences in Ghent finished early"), encoding="utf-8")
    age(path, 30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    [new] = article_store.latest(conn)
    assert new.seq == old.seq  # same article, same public number
    assert new.title == "Flood defences in Ghent finished early"
    assert article_store.search(conn, "early")


def test_touched_but_identical_file_is_not_reparsed(conn, drop):
    path = write(drop, "story.json", story())
    ingest(conn, [drop])
    age(path, 10)  # new mtime, same bytes
    report = ingest(conn, [drop])
    assert (report.new, report.updated, report.files, report.unchanged) == (0, 0, 0, 1)


def test_same_article_in_two_files_is_one_row(conn, drop):
    write(drop, "a.json", story())
    write(drop, "copy/b.json", story())
    report = ingest(conn, [drop])
    assert report.new == 1
    assert article_store.count(conn) == 1


def test_same_url_without_ids_is_one_row(conn, drop):
    write(drop, "a.md", "---\ntitle: Port strike ends\nurl: https://example.org/strike\n---\n\n"
          "The strike at the port of Antwerp ended on Friday.\n")
    write(drop, "b.md", "---\ntitle: Port strike ends today\nurl: https://example.org/strike\n"
          "---\n\nThe strike at the port of Antwerp ended on Friday after talks.\n")
    ingest(conn, [drop])
    assert article_store.count(conn) == 1


@pytest.mark.parametrize("name", [".hidden.json", "story.json.tmp", "story.json.part",
                                  "story.json~"])
def test_partial_and_hidden_files_are_skipped(conn, drop, name):
    write(drop, name, story())
    report = ingest(conn, [drop])
    assert report.new == 0 and report.rejected == []


def test_file_still_being_written_waits_for_the_settle_time(conn, drop):
    path = write(drop, "story.json", story(), seconds_ago=0)
    path.touch()
    report = ingest(conn, [drop], settle_seconds=5)
    assert (report.new, report.pending) == (0, 1)
    age(path, 10)
    assert ingest(conn, [drop], settle_seconds=5).new == 1


def test_subfolders_are_scanned(conn, drop):
    write(drop, "2026/05/26/story.json", story())
    assert ingest(conn, [drop]).new == 1


BAD_FILES = {
    "invalid.json": ("{\"title\": \"x\", ", "invalid JSON"),
    "invalid.xml": ("<newsItem><unclosed></newsItem>", "XML"),
    "binary.bin": (bytes(range(256)) * 4, "binary"),
    "empty.json": ("", "empty"),
    "utf16-broken.txt": (b"\xff\xfe\x00\xd8broken \xc3\x28 utf", "cannot decode"),
    "mixed.txt": (b"caf\xe9 ol\xc3\xa9 mixed encodings", "cannot decode"),
    "nothing.json": (json.dumps({"uuid": "n", "title": "", "body": "<p>&nbsp;</p>",
                                 "culture": "en"}), "no title and no body"),
    "unknown.json": (json.dumps({"weather": "sunny"}), "unknown JSON shape"),
    "unknown.bin": (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary"),
    # Plain text that is data, code or of no known type is never published as a story.
    "prices.csv": ("id,name,price\n1,apple,3\n", "file type .csv (CSV data)"),
    "deploy.sh": ("#!/bin/sh\nrm -rf /tmp/x\n", "file type .sh (shell script)"),
    "weird.xyz": ("hello\n", "file type .xyz holds plain text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_reported_and_good_files_beside_it_are_ingested(conn, drop, name):
    content, word = BAD_FILES[name]
    write(drop, name, content)
    write(drop, "good-1.json", story(uuid="g1"))
    write(drop, "good-2.json", story(title="Second story about tram lines", uuid="g2"))
    report = ingest(conn, [drop])
    assert report.new == 2
    [(path, reason)] = report.rejected
    assert path.endswith(name)
    assert reason and "\n" not in reason and "Traceback" not in reason
    assert word.lower() in reason.lower()
    logged = conn.execute("SELECT outcome, reason FROM ingest_log WHERE path = ?",
                          (path,)).fetchone()
    assert logged == ("rejected", reason)


def test_rejected_file_is_retried_only_when_it_changes(conn, drop):
    path = write(drop, "story.json", "{broken")
    assert len(ingest(conn, [drop]).rejected) == 1
    assert ingest(conn, [drop]).rejected == []  # unchanged: not read again
    path.write_text(story(), encoding="utf-8")
    age(path, 5)
    report = ingest(conn, [drop])
    assert (report.new, report.rejected) == (1, [])
    assert file_store.rejected_count(conn) == 0


def stats_of(conn) -> str:
    from bot.commands import Commands
    from bot.render import to_plain
    from bot.replies import Caller
    from bot.settings import Settings

    commands = Commands(conn, Settings(admin_ids=frozenset({9})))
    return "\n".join(to_plain(r.text) for r in commands.handle(Caller(9, 9), "/stats"))


def test_a_rejected_file_deleted_from_the_folder_leaves_the_stats(conn, drop):
    write(drop, "story.json", story())
    bad = write(drop, "broken.json", "{broken")
    ingest(conn, [drop])
    assert "Rejected files: 1" in stats_of(conn) and "broken.json" in stats_of(conn)
    bad.unlink()  # the operator cleans up
    ingest(conn, [drop])
    assert "Rejected files: 0" in stats_of(conn) and "broken.json" not in stats_of(conn)
    assert [p for (p,) in conn.execute("SELECT path FROM files")] == [str(drop / "story.json")]
    assert article_store.count(conn) == 1  # the story of a deleted file stays


def test_a_folder_that_is_gone_for_a_while_is_not_read_again_when_it_is_back(conn, drop,
                                                                            tmp_path):
    write(drop, "story.json", story())
    write(drop / "desk", "other.json", story("Port strike ends", uuid="u-2"))
    ingest(conn, [drop])
    away = tmp_path / "away"
    drop.rename(away)  # an unmounted share, or the folder moved for a moment
    ingest(conn, [drop])
    drop.mkdir()  # the empty mount point
    ingest(conn, [drop])
    drop.rmdir()
    away.rename(drop)
    report = ingest(conn, [drop])
    assert (report.new, report.updated, report.unchanged, report.files) == (0, 0, 2, 0)


def test_oversized_file_is_rejected_without_reading(conn, drop):
    write(drop, "big.json", story() + " " * 5000)
    report = ingest(conn, [drop], max_file_bytes=1000)
    [(_, reason)] = report.rejected
    assert "limit" in reason


def test_file_deleted_between_listing_and_reading_is_not_an_error(conn, drop, monkeypatch):
    path = write(drop, "story.json", story())
    swap_after_listing(monkeypatch, path, Path.unlink)
    report = ingest(conn, [drop])
    assert report.rejected == [] and report.new == 0


def test_symlink_outside_the_drop_folder_is_not_followed(conn, drop, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nThe launch codes are 0000.\n", encoding="utf-8")
    age(outside)
    (drop / "link.md").symlink_to(outside)
    inside = write(drop, "real.json", story())
    (drop / "alias.json").symlink_to(inside)
    report = ingest(conn, [drop])
    assert report.new == 1
    assert not article_store.search(conn, "launch")


def test_links_the_scan_does_not_follow_are_rejected_with_their_reason(conn, drop, tmp_path):
    outside = write(tmp_path / "elsewhere", "story.json", story("Outside story", "out-1"))
    inside = write(drop / "sub", "real.json", story())
    link(drop / "alias.json", inside)  # inside: read
    link(drop / "same-folder", drop / "sub")  # a folder inside: its files are read where they are
    link(drop / "out.json", outside)
    link(drop / "out-folder", outside.parent)
    link(drop / "dangling.json", "nowhere.json")
    link(drop / "loop-a", drop / "loop-b")
    link(drop / "loop-b", drop / "loop-a")
    report = ingest(conn, [drop])
    assert report.new == 1 and report.unchanged == 1  # real.json, and alias.json: same story
    real_drop, real_outside = drop.resolve(), outside.resolve()  # as the reasons name them
    assert dict(report.rejected) == {
        str(drop / "out.json"): f"symbolic link to {real_outside}, outside {real_drop}: not "
                                "followed",
        str(drop / "out-folder"): f"symbolic link to {real_outside.parent}, outside "
                                  f"{real_drop}: not followed",
        str(drop / "dangling.json"): "broken symbolic link, to nowhere.json: not followed",
        str(drop / "loop-a"): "symbolic link loop: not followed",
        str(drop / "loop-b"): "symbolic link loop: not followed"}
    assert not article_store.search(conn, "outside")
    assert kind_of(report.rejected[0][1]) is RejectionKind.LINK
    again = ingest(conn, [drop])  # refused again, without a new rejection
    assert again.rejected == [] and len(again.still_rejected) == 5
    write(drop, "nowhere.json", story("Arrived late", "late-1"))  # the link now has a target
    assert ingest(conn, [drop]).new == 1 and article_store.search(conn, "late")


def test_sample_copied_into_drop_folder_keeps_its_metadata(conn, drop):
    shutil.copy(PREZLY, drop / "seed.json")
    age(drop / "seed.json")
    ingest(conn, [drop])
    [article] = article_store.latest(conn)
    assert article.url.startswith("https://www.belganewsagency.eu/")
    assert article.published.isoformat().startswith("2026-05-26T19:48")
    assert "Related news" not in article.body


def test_ingest_log_records_every_outcome(conn, drop):
    write(drop, "a.json", story())
    write(drop, "b.json", "{not json at all")
    ingest(conn, [drop])
    outcomes = sorted(row[0] for row in conn.execute("SELECT outcome FROM ingest_log"))
    assert outcomes == ["new", "rejected"]
    assert file_store.last_ingest(conn) is not None


def test_settle_uses_wall_clock(conn, drop):
    write(drop, "story.json", story(), seconds_ago=1)
    report = ingest(conn, [drop], settle_seconds=30, now=lambda: time.time())
    assert report.pending == 1


@pytest.mark.parametrize(("item", "stored"), [
    ("<title>Harbour reopens</title><description>The port of Antwerp reopened on Monday after "
     "the storm, the harbour master said.</description>", "en"),
    # Another script: the text decides (Russian ы, э), or leaves it unknown (Bengali).
    ("<title>Порт открыт</title><description>Порт Антверпена в понедельник снова открылся "
     "после шторма, сообщил капитан порта. Это было вчера.</description>", "ru"),
    ("<title>বন্দর খুলেছে</title><description>ঝড়ের পর সোমবার অ্যান্টওয়ার্প বন্দর আবার খুলেছে, "
     "বন্দর কর্তৃপক্ষ জানিয়েছে।</description>", None),
])
def test_a_feeds_declared_language_is_kept_only_for_items_in_its_script(conn, drop, item, stored):
    write(drop, "feed.rss", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
          f"<title>News</title><language>en-us</language><item>{item}</item></channel></rss>")
    assert ingest(conn, [drop], settle_seconds=0).new == 1
    [article] = article_store.latest(conn, 1)
    assert article.language == stored


def test_a_file_that_cannot_be_stored_loses_only_its_own_rows(conn, drop, monkeypatch, caplog):
    for name, uuid in (("a.json", "u-a"), ("c.json", "u-c"), ("d.json", "u-d")):
        write(drop, name, story(title=f"Flood defences {uuid}", uuid=uuid))
    write(drop, "b.json", "{not json at all")
    log_ingest = file_store.log_ingest

    def failing(conn, path, *args, **kwargs):
        # After c's article and file state are written: both must go with it.
        if path.endswith("c.json"):
            raise sqlite3.OperationalError("disk I/O error")
        return log_ingest(conn, path, *args, **kwargs)

    monkeypatch.setattr(file_store, "log_ingest", failing)
    monkeypatch.setattr("bot.ingest.BATCH_SECONDS", 60.0)  # the four files in one batch
    report = ingest(conn, [drop])
    assert (report.new, len(report.rejected)) == (2, 1)  # b's rejection counted once
    assert {a.id for a in article_store.latest(conn, 10)} == {"u-a", "u-d"}
    paths = [row[0] for row in conn.execute("SELECT path FROM files UNION ALL "
                                            "SELECT path FROM ingest_log")]
    assert sorted(Path(p).name for p in paths) == ["a.json", "a.json", "b.json", "b.json",
                                                   "d.json", "d.json"]
    # Said once, by the report, in one line: the machine's state, not a bug, so no traceback.
    assert [(Path(p).name, why) for p, why in report.unstored] == [("c.json", "disk I/O error")]
    assert "1 not stored" in report.summary_line() and "c.json" in report_lines(report)[-1]
    assert not any("c.json" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(file_store, "log_ingest", log_ingest)
    assert ingest(conn, [drop]).new == 1  # retried at the next scan
