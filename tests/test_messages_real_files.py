"""Every message made from the real files in tests/data is one Telegram accepts.

The files were written elsewhere (agencies, newsroom exports, feedparser's and trafilatura's test
files, saved pages): titles with `<`, `&` and quotes, right-to-left and astral text, bodies of
any length. Each message any command or delivery can build from them goes through the Bot API
stand-in's own HTML parser (tests/botapi/html.py, strict as Telegram) and its length limit.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.commands import Caller, Commands, digest_replies
from bot.ingest import ingest
from bot.posts import article_post, burst_post
from bot.settings import Settings
from storage import articles as article_store
from storage.db import open_database
from tests.botapi.html import MAX_TEXT_UTF16, parse_html, utf16_len
from tests.helpers import DATA

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ME = Caller(chat_id=1, user_id=1)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """Every real file of tests/data ingested into one database; its commands and articles."""
    database = open_database(tmp_path_factory.mktemp("real") / "newsbot.db")
    report = ingest(database.conn, [DATA], settle_seconds=0)
    assert report.new > 50  # the folder holds well over fifty stories
    commands = Commands(database.conn, Settings(), clock=lambda: NOW)
    articles = article_store.by_seqs(database.conn,
                                     list(range(1, article_store.max_seq(database.conn) + 1)))
    yield commands, articles
    database.conn.close()


def accepted(text: str) -> bool:
    """Whether Telegram would take this as a message: valid HTML, visible text, within 4096."""
    visible, _ = parse_html(text)  # raises on what Telegram would refuse
    return bool(visible.strip()) and utf16_len(visible) <= MAX_TEXT_UTF16


def test_every_article_command_answer_is_a_valid_message(stored):
    commands, articles = stored
    for article in articles:
        for reply in commands.handle(ME, f"/article {article.seq}"):
            assert accepted(reply.text), article.title


@pytest.mark.parametrize("line", ["/latest 20", "/latest 5", "/digest", "/search the",
                                  "/search die", "/search \"de la\"", "/search <b>&amp;"])
def test_every_list_answer_is_a_valid_message(stored, line):
    commands, _ = stored
    replies = commands.handle(ME, line)
    assert replies
    assert all(accepted(reply.text) for reply in replies)


def test_every_post_alert_burst_and_digest_is_a_valid_message(stored):
    commands, articles = stored
    chat = commands.chat(ME)
    for article in articles:
        assert accepted(article_post(article, chat, "Europe/Brussels").text), article.title
        assert accepted(article_post(article, chat, "Europe/Brussels", breaking=True).text)
    for start in range(0, len(articles), 40):
        shown = articles[start:start + 40]
        assert accepted(burst_post(shown, [a.id for a in shown]).text)
    digest = commands.build_digest(chat, NOW)
    assert all(accepted(reply.text) for reply in digest_replies(digest))
