"""Console mode: typed commands and the scheduled digest, printed instead of sent."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands import Commands
from bot.console import CONSOLE_CHAT_ID, run_console
from bot.ingest import IngestReport
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.records import Article


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
