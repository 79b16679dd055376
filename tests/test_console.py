"""Console mode: typed commands and the scheduled digest, printed instead of sent."""

from __future__ import annotations

import io
import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands import Commands
from bot.console import CONSOLE_CHAT_ID, run_console
from bot.ingest import IngestReport, ingest_with
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.records import Article
from tests.bot_process import drop_story, wait_until


def test_a_due_digest_is_printed_once_and_remembered(conn):
    article_store.store(conn, Article(title="Harbour expansion approved", body="The council "
                                      "approved it on Tuesday. Work starts in May."),
                        ["The council approved it on Tuesday."])
    local = datetime.now(ZoneInfo("Europe/Brussels")) - timedelta(minutes=1)
    chat_store.update_chat(conn, CONSOLE_CHAT_ID, type="console", subscribed=True,
                           digest_time=f"{local:%H:%M}",
                           subscribed_at=datetime.now(UTC) - timedelta(days=2))
    out = io.StringIO()
    run_console(Commands(conn, Settings()), IngestReport, io.StringIO("/help\n/help\n"), out)
    assert out.getvalue().count("Harbour expansion approved") == 1
    assert chat_store.get_chat(conn, CONSOLE_CHAT_ID).last_digest_at is not None


class Screen(io.StringIO):
    """A terminal the console writes to from its loop while the test reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text: str) -> int:
        with self.lock:
            return super().write(text)

    def shown(self) -> str:
        with self.lock:
            return self.getvalue()


def test_the_console_is_live_while_nobody_types(db, tmp_path):
    drop = tmp_path / "articles"
    drop.mkdir()
    settings = Settings(articles_dir=drop, settle_seconds=0)
    # The console's own connection to the fixture's migrated file: it runs in another thread.
    console_conn = sqlite3.connect(tmp_path / "newsbot.db", check_same_thread=False)
    read_end, write_end = os.pipe()
    stdin = os.fdopen(read_end, "r")  # open, empty: like a terminal nobody types in
    screen = Screen()
    console = threading.Thread(target=run_console, args=(
        Commands(console_conn, settings), lambda: ingest_with(console_conn, settings), stdin,
        screen), kwargs={"tick": 0.1}, daemon=True)
    console.start()
    drop_story(drop, "live", "Lighthouse restored on the coast")
    wait_until(lambda: "Lighthouse restored on the coast" in screen.shown(), timeout=20)
    assert "[ingest] 1 new" in screen.shown()
    os.write(write_end, b"/quit\n")
    console.join(20)
    os.close(write_end)
    assert not console.is_alive() and screen.shown().endswith("Bye.\n")


def test_typed_words_that_are_no_command_get_the_hint(conn):
    out = io.StringIO()
    run_console(Commands(conn, Settings()), IngestReport, io.StringIO("hello\nlatest 1\n"), out)
    assert "Unknown command" not in out.getvalue() and "/help" in out.getvalue()
    assert "No articles yet" in out.getvalue()


def test_press_with_bad_data_answers(conn):
    out = io.StringIO()
    run_console(Commands(conn, Settings()), IngestReport, io.StringIO("/press nonsense\n/press\n"),
                out)
    assert out.getvalue().count("not (or no longer) valid") == 2

