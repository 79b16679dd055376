"""Abuse and injection: hostile article text, strangers at admin commands, floods, FTS input, logs.

Unit-level coverage already exists (test_commands.py: escaping, admin refusals, the per-user
throttle, group settings; test_storage.py: FTS injection); these run the real bot against the
strict Bot API stand-in, which rejects any HTML Telegram would reject, so "inert" is checked the
way Telegram checks it. The FTS property test runs storage.articles.search directly.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import articles as article_store
from storage.articles import SearchSyntaxError
from storage.records import Article
from tests.bot_process import (
    TOKEN,
    ask,
    db_rows,
    digest_messages,
    subscribe,
    wait_until,
)
from tests.helpers import age

USER, ADMIN, STRANGER = 1001, 1002, 1003
GROUP = -1000000000555

HOSTILE_TITLE = ("<script>alert(1)</script> <b>not bold</b> &amp; *stars* _under_ `code` "
                 "\u202eevil\u202c <a href=\"javascript:alert(1)\">x</a> &lt;i&gt;")
HOSTILE_BODY = (
    "<p>Quokkas &lt;script&gt;alert('x')&lt;/script&gt; stays text, as do &lt;b&gt;this&lt;/b&gt;"
    " and &lt;tg-spoiler&gt;secret&lt;/tg-spoiler&gt; and [link](javascript:alert(2)).</p>"
    "<p>Tap <a href=\"javascript:alert(1)\">here</a> or <a href=\"tg://user?id=1\">there</a>;"
    " 5 &lt; 6 &amp;&amp; 7 &gt; 3 and &amp;lt; stays &amp;lt;.</p>"
    "<script>document.cookie</script>"
    "<p>The quokka council met on Tuesday to approve the sanctuary plan for the island.</p>")


def drop_hostile(folder) -> None:
    """Two stories whose title, body and URL try every injection we know."""
    stories = [
        {"uuid": "evil-1", "title": HOSTILE_TITLE, "body": HOSTILE_BODY, "culture": "en",
         "published_at": "2026-11-25 08:00:00", "url": "javascript:alert(1)"},
        {"uuid": "evil-2", "title": "Quokka \u202e\u2066sanctuary\u2069 opens \"quoted\" 'single'",
         "body": "<p>The quokka sanctuary opened on the island on Monday morning.</p>",
         "culture": "en", "published_at": "2026-11-25 09:00:00",
         "url": 'https://news.example.org/q?a=1&b="><script>alert(3)</script>'},
    ]
    for story in stories:
        path = folder / f"{story['uuid']}.json"
        path.write_text(json.dumps(story), encoding="utf-8")
        age(path)


def assert_inert(message: dict) -> None:
    """Sent as HTML the strict stand-in accepted, with no link but plain http(s) ones."""
    assert message["parse_mode"] == "HTML", message  # not the plain-text fallback
    for entity in message["entities"]:
        assert entity["type"] not in ("text_mention", "pre", "code", "spoiler"), entity
        if entity["type"] == "text_link":
            assert entity["url"].startswith(("https://", "http://")), entity
    assert "\u202e" not in message["plain"] and "\u2066" not in message["plain"]


def test_hostile_article_text_is_shown_literally_everywhere(api, start_bot, workdir):
    drop_hostile(workdir / "articles")
    api.add_chat(USER)
    subscribe(workdir, USER)
    bot = start_bot()
    [digest] = wait_until(lambda: digest_messages(api, USER), timeout=20)
    latest = ask(api, USER, "/latest 5")
    found = ask(api, USER, "/search quokka")
    number = found["plain"].split("/article ")[1].split()[0]
    article = ask(api, USER, f"/article {number}")
    others = [ask(api, USER, f"/article {n}")
              for n in latest["plain"].split("/article ")[1:] for n in [n.split()[0]]]
    for message in [digest, latest, found, article, *others]:
        assert_inert(message)
    shown = "\n".join(m["plain"] for m in [digest, latest, article, *others])
    assert "<script>alert(1)</script> <b>not bold</b> & *stars* _under_ `code`" in shown
    assert "<script>alert('x')</script>" in shown and "<tg-spoiler>secret</tg-spoiler>" in shown
    assert "[link](javascript:alert(2))" in shown and "5 < 6 && 7 > 3" in shown
    assert "document.cookie" not in shown  # a <script> element's content is not article text
    links = [e["url"] for m in [digest, latest, article, *others] for e in m["entities"]
             if e["type"] == "text_link"]
    assert 'https://news.example.org/q?a=1&b="><script>alert(3)</script>' in links
    assert not any("javascript" in url or url.startswith("tg:") for url in links)
    assert "Telegram refused" not in bot.log()


def test_info_log_holds_neither_the_token_nor_what_users_and_the_bot_say(api, start_bot,
                                                                         workdir):
    drop_hostile(workdir / "articles")
    api.add_chat(USER)
    subscribe(workdir, USER)
    bot = start_bot(log_level="INFO")
    wait_until(lambda: digest_messages(api, USER), timeout=20)
    said = [ask(api, USER, "/search quokka"), ask(api, USER, "/latest 3"),
            ask(api, USER, "/search zanzibarquery")]
    api.inject_message(USER, "hello my secret is 4711")  # plain text: read, not answered
    said.append(ask(api, USER, "/help"))
    bot.stop()
    log = "".join(bot.logs)
    assert "INFO" in log and "DEBUG" not in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    for secret in ("zanzibarquery", "4711", "quokka", "Quokka", "Harbour expansion",
                   "New tram line", "sanctuary"):
        assert secret not in log, secret
    for message in said + digest_messages(api, USER):
        for line in message["plain"].splitlines():
            if len(line) > 12 and not line.startswith(("/article", "Search:")):
                assert line not in log, line


def test_strangers_get_no_admin_answers_and_a_flooder_does_not_slow_others(api, start_bot):
    bot = start_bot(NEWSBOT_ADMIN_IDS=str(ADMIN))
    refused = ask(api, STRANGER, "/stats", user_id=STRANGER)["plain"]
    assert refused == "This command is for the bot's administrators."
    shown = ask(api, ADMIN, "/stats", user_id=ADMIN)["plain"]
    assert "Articles: 2" in shown and "Rejected files: 0" in shown
    # A group member who is no bot admin learns nothing there either.
    group_refusal = ask(api, GROUP, "/stats", user_id=STRANGER, chat_type="supergroup")
    assert "Articles" not in group_refusal["plain"]
    # The flooder sends 12 searches at once; the burst allows 5, then one per 2 s.
    before = len(api.messages_to(STRANGER))
    for _ in range(12):
        api.inject_message(STRANGER, "/search harbour", user_id=STRANGER)
    other = ask(api, USER, "/search harbour", user_id=USER)
    assert "Harbour expansion approved" in other["plain"]
    answers = api.wait_for_messages(STRANGER, before + 12, timeout=20)[before:]
    slowed = [m for m in answers if "Too many requests" in m["plain"]]
    served = [m for m in answers if "Harbour expansion approved" in m["plain"]]
    assert len(slowed) >= 5 and len(served) >= 5 and len(slowed) + len(served) == 12
    assert "Harbour expansion approved" in ask(api, ADMIN, "/search harbour",
                                               user_id=ADMIN)["plain"]
    assert bot.alive()


def test_group_setting_buttons_are_refused_to_non_admins(api, start_bot, workdir):
    api.add_chat(GROUP, type="supergroup", title="Newsroom")
    api.set_admins(GROUP, {ADMIN})
    start_bot()
    shown = ask(api, GROUP, "/settings", user_id=STRANGER, chat_type="supergroup")
    buttons = [b["callback_data"] for row in shown["reply_markup"]["inline_keyboard"]
               for b in row]
    setting = next(data for data in buttons if data.startswith("set:"))
    before = api.message(GROUP, shown["message_id"])
    api.inject_callback(GROUP, shown["message_id"], setting, user_id=STRANGER)
    [answer] = wait_until(lambda: api.callback_answers, timeout=15)
    assert answer.get("show_alert") and "administrators" in answer["text"]
    assert api.message(GROUP, shown["message_id"]) == before  # not edited
    assert not [m for m in api.sent if m["method"] == "editMessageText"]
    rows = db_rows(workdir / "newsbot.db",
                   "SELECT subscribed, summary_sentences FROM chats WHERE chat_id = ?", (GROUP,))
    assert rows in ([], [(0, 2)])
    api.inject_callback(GROUP, shown["message_id"], setting, user_id=ADMIN)
    api.wait_for(lambda m: m["method"] == "editMessageText", timeout=15)
    assert len(api.calls_to("getChatMember")) >= 2


# -- FTS input never reaches SQL unparameterized ----------------------------------------------

FTS_PIECES = st.sampled_from([
    '"', "'", "(", ")", "*", ":", "^", "-", "+", "AND", "OR", "NOT", "NEAR", "NEAR(", ",",
    "title:", "body:", "articles_fts", "rank", "bm25(", ";", "--", "/*", "*/", "DROP TABLE",
    "articles", "'); DELETE FROM articles; --", "\\", "%", "_", "{", "}", "[", "]", "\x00",
    "é", "école", "harbour", " ", "\t", "\u202e",
])
FTS_QUERIES = st.one_of(st.text(max_size=60), st.lists(FTS_PIECES, max_size=12).map(" ".join),
                        st.lists(FTS_PIECES, max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(FTS_QUERIES)
def test_any_search_string_gives_results_or_a_syntax_error_and_leaves_the_table_alone(query):
    conn = _search_db()
    try:
        results = article_store.search(conn, query)
    except SearchSyntaxError as error:
        assert str(error)
    else:
        assert all(isinstance(hit.title, str) for hit in results)
    assert article_store.count(conn) == 3
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == _SCHEMA_SIZE[0]
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")


@pytest.mark.parametrize("query", ["*", " * ", "**"])
def test_a_star_alone_is_no_word_to_search(query):
    with pytest.raises(SearchSyntaxError, match="no word"):
        article_store.search(_search_db(), query)


@pytest.mark.parametrize("query", ["* harbour", " *harbour", "harbour *"])
def test_a_stray_star_is_punctuation(query):
    assert [a.title for a in article_store.search(_search_db(), query)] == [
        "Harbour expansion approved"]


_DB: list[sqlite3.Connection] = []
_SCHEMA_SIZE: list[int] = []


def _search_db() -> sqlite3.Connection:
    """One in-memory database with three articles, shared by the property's examples."""
    if not _DB:
        from storage.db import open_database

        conn = open_database(":memory:").conn
        for title in ("Harbour expansion approved", "École rouvre ses portes", "Tram news"):
            article_store.store(conn, Article(title=title, body=f"{title}. More text."),
                                [title])
        _DB.append(conn)
        _SCHEMA_SIZE.append(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    return _DB[0]
