"""Crashes and concurrency: kill -9 in the middle of an ingest, two processes on one database.

The kill during a digest fan-out is test_bot_e2e.py::test_kill_9_during_fan_out_misses_no_chat_
and_repeats_none. Here `newsbot ingest` runs as a real subprocess over a few hundred files and is
killed (SIGKILL, no clean-up) while it is storing them; after restarts the database must hold
every article exactly once, pass SQLite's and FTS5's integrity checks, and have logged each file
as new exactly once. Then the running bot and a CLI ingest share one database.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from storage import articles as article_store
from tests.bot_process import ask, db_rows, drop_story, newsbot_cli, wait_until

PLACES = ["Antwerp", "Ghent", "Bruges", "Leuven", "Namur", "Liège", "Mons", "Hasselt"]


def generate(folder: Path, count: int, prefix: str = "g") -> list[str]:
    """`count` distinct stories, each with a unique word in its title; returns their ids."""
    staging = folder.parent / f".staging-{prefix}"
    staging.mkdir(exist_ok=True)
    ids = []
    for number in range(count):
        uuid = f"{prefix}{number:04}"
        place = PLACES[number % len(PLACES)]
        body = "".join(
            f"<p>The council of {place} approved plan {uuid} on Tuesday after a long debate. "
            f"Officials said work on item {sentence} starts next month and ends in spring. "
            f"Residents of {place} asked for more information about the costs.</p>"
            for sentence in range(6))
        path = drop_story(staging, uuid, f"Plan marker{uuid} approved in {place}", body=body)
        path.rename(folder / path.name)  # appear whole, as a newsroom system drops files
        ids.append(uuid)
    return ids


def count_articles(db: Path) -> int:
    """Rows in the articles table, read the way a second process would."""
    try:
        return db_rows(db, "SELECT count(*) FROM articles", readonly=True)[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def assert_consistent(db: Path, expected_ids: set[str]) -> None:
    """Every article once, SQLite and FTS5 intact, every file logged as new exactly once."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids)) and set(ids) == expected_ids
        seqs = [row[0] for row in conn.execute("SELECT seq FROM articles")]
        assert len(seqs) == len(set(seqs))
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == len(ids)
        twice = conn.execute(
            "SELECT path, count(*) FROM ingest_log WHERE outcome = 'new' GROUP BY path "
            "HAVING count(*) != 1").fetchall()
        assert twice == []
        assert conn.execute("SELECT count(*) FROM files WHERE status != 'ok'").fetchone() == (0,)
        for uuid in sorted(expected_ids)[::37]:  # the FTS index finds each by its unique word
            [hit] = article_store.search(conn, f"marker{uuid}")
            assert hit.id == uuid
    finally:
        conn.close()


def test_kill_9_in_the_middle_of_an_ingest_loses_nothing_and_stores_nothing_twice(tmp_path):
    drop = tmp_path / "articles"
    drop.mkdir()
    ids = set(generate(drop, 300))
    db = tmp_path / "newsbot.db"
    for kill_after in (40, 160):  # two crashes at different points, then a clean finish
        ingest = newsbot_cli(tmp_path, "ingest")

        def progress(ingest=ingest, kill_after=kill_after) -> str | None:
            if ingest.poll() is not None:
                return "finished"
            return "stored" if count_articles(db) >= kill_after else None

        try:
            state = wait_until(progress, timeout=60, interval=0.005)
        finally:
            ingest.kill()
            ingest.wait(10)
            ingest.stdout.close()
            ingest.stderr.close()
        assert state == "stored", "the ingest finished before it could be killed"
        assert count_articles(db) < len(ids)
    finish = newsbot_cli(tmp_path, "ingest")
    out, err = finish.communicate(timeout=120)
    assert finish.returncode == 0, err
    assert "0 rejected" in out
    assert_consistent(db, ids)


def count_ids(db: Path, prefix: str) -> int:
    """Stored articles whose id starts with `prefix` (which process stored what)."""
    return db_rows(db, "SELECT count(*) FROM articles WHERE id LIKE ?", (prefix + "%",),
                   readonly=True)[0][0]


def test_cli_ingest_while_the_bot_runs_neither_corrupts_nor_deadlocks(api, start_bot, workdir):
    db = workdir / "newsbot.db"
    bot = start_bot()
    batch = workdir / "batch"
    batch.mkdir()
    ids = set(generate(batch, 600, prefix="b")) | {"s1", "s2"}
    staging = workdir / "staging"
    staging.mkdir()
    ids |= set(generate(staging, 300, prefix="d"))
    ingest = newsbot_cli(workdir, "ingest", str(batch))  # the CLI's own 600 files
    answered = 0
    try:
        wait_until(lambda: count_ids(db, "b") >= 20, timeout=60, interval=0.01)
        for path in staging.iterdir():  # now 300 files for the bot's scan, same database
            path.rename(workdir / "articles" / path.name)
        wait_until(lambda: count_ids(db, "d") >= 1, timeout=30, interval=0.01)
        assert ingest.poll() is None, "the CLI finished before the bot started writing"
        while ingest.poll() is None and answered < 20:  # the bot answers meanwhile
            reply = ask(api, 1001, "/search harbour", user_id=1000 + answered)
            assert "Harbour expansion" in reply["plain"]
            answered += 1
        out, err = ingest.communicate(timeout=120)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.communicate()
    assert ingest.returncode == 0, err
    assert "locked" not in err and "Traceback" not in err
    assert "600 new" in out and "0 rejected" in out
    assert answered >= 1
    wait_until(lambda: count_articles(db) == len(ids), timeout=30)
    time.sleep(1)  # two more scans of the bot: nothing may change
    assert "markerd0299" in ask(api, 1001, "/search markerd0299", user_id=999)["plain"]
    assert "locked" not in bot.log()
    assert_consistent(db, ids)
    assert os.path.exists(workdir / "newsbot.db-wal")  # WAL mode: readers never block
