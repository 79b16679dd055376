"""End to end: embargoes, withdrawals and corrections through the real `newsbot run`, the real
PTB stack and the strict Bot API stand-in (editMessageText, deleteMessage and their errors).

Waits are on observable state (the stand-in's records, the bot's database), never on time.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import chats as chat_store
from storage.chats import Mode, OnWithdraw
from storage.db import open_database
from tests.bot_process import BotProcess, ask, db_rows, wait_until
from tests.helpers import newsroom, write

POSTS, DIGESTS, DELETES = 4101, 4102, 4103  # private chats: instant, digest, instant + delete
ADMIN = 4104  # a bot admin, in a private chat of their own
HEADLINE = "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
CORRECTED = "Faktencheck Derby-Elfmeter: Schiedsrichter Zwayer hatte recht"
TITLES = {"prezly-embargoed.json": "Belgian IT firms team up to offer sovereign cloud storage",
          "ninjs-embargoed.json": HEADLINE}


def folder(workdir: Path) -> Path:
    """The drop folder, without the two stories the shared fixture puts there."""
    for name in ("s1.json", "s2.json"):
        (workdir / "articles" / name).unlink(missing_ok=True)
    return workdir / "articles"


def targets(api, workdir: Path, *chats: int) -> None:
    """Subscribe chats before the bot starts: POSTS and DELETES instant (DELETES with
    withdrawn posts deleted), DIGESTS with a digest due now."""
    db = open_database(workdir / "newsbot.db")
    local = datetime.now(UTC) - timedelta(minutes=1)
    for chat_id in chats:
        api.add_chat(chat_id, "private")
        if chat_id == DIGESTS:
            chat_store.update_chat(db.conn, chat_id, subscribed=True, mode=Mode.DIGEST,
                                   timezone="UTC", digest_time=f"{local:%H:%M}",
                                   subscribed_at=datetime.now(UTC) - timedelta(days=2))
        else:
            chat_store.update_chat(db.conn, chat_id, subscribed=True, mode=Mode.INSTANT,
                                   on_withdraw=OnWithdraw.DELETE if chat_id == DELETES
                                   else OnWithdraw.EDIT)
    db.conn.close()


def sql(workdir: Path, query: str, params: tuple = ()) -> list[tuple]:
    """A query on the bot's database from outside, committed."""
    with contextlib.closing(sqlite3.connect(workdir / "newsbot.db", timeout=10)) as conn:
        rows = conn.execute(query, params).fetchall()
        conn.commit()
        return rows


def post_of(api, chat_id: int, words: str) -> dict:
    """The first message to a chat containing `words`, once it is there."""
    return api.wait_for(lambda m: m["chat_id"] == chat_id and m["method"] == "sendMessage"
                        and words in m["plain"], timeout=60)[0]


def ingested(workdir: Path, name: str, count: int = 1) -> bool:
    """Whether the scan has stored `count` versions of the file `name`."""
    rows = db_rows(workdir / "newsbot.db", "SELECT count(*) FROM ingest_log WHERE path LIKE ? "
                   "AND outcome != 'rejected'", (f"%{name}",))
    return rows[0][0] >= count


def outbox(workdir: Path) -> int:
    return db_rows(workdir / "newsbot.db", "SELECT count(*) FROM pending_edits")[0][0]


@pytest.mark.parametrize("name", sorted(TITLES))
def test_an_embargoed_story_is_invisible_until_its_time_then_posted_as_new(
        api, start_bot, workdir, name):
    drop = folder(workdir)
    targets(api, workdir, POSTS)
    write(drop, name, newsroom(name))  # embargoed until 2099
    start_bot(NEWSBOT_ADMIN_IDS=str(ADMIN))
    wait_until(lambda: db_rows(workdir / "newsbot.db",
                               "SELECT seq FROM articles WHERE status = 'embargoed'"))
    [(seq,)] = db_rows(workdir / "newsbot.db", "SELECT seq FROM articles")
    title = TITLES[name]
    word = title.split()[-1].rstrip("?")
    assert title not in ask(api, POSTS, "/latest")["plain"]
    assert title not in ask(api, POSTS, f"/search {word}")["plain"]
    assert "No article" in ask(api, POSTS, f"/article {seq}")["plain"]
    assert title not in ask(api, POSTS, "/digest")["plain"]
    assert title in ask(api, ADMIN, "/embargoed", user_id=ADMIN)["plain"]
    assert not any(title in m["plain"] for m in api.messages_to(POSTS))
    # The publisher moves the embargo to a moment from now: the story comes out then, as new.
    write(drop, name, newsroom(name, datetime.now(UTC) + timedelta(seconds=2)))
    post = post_of(api, POSTS, title)
    assert "/article" in post["plain"]
    assert title in ask(api, POSTS, "/latest")["plain"]
    assert len([m for m in api.messages_to(POSTS) if title in m["plain"]]) == 2  # post + /latest


@pytest.mark.parametrize("name", sorted(TITLES))
def test_an_embargo_that_passes_while_the_bot_is_down_is_caught_up_at_start(
        api, start_bot, workdir, name):
    drop = folder(workdir)
    targets(api, workdir, POSTS)
    embargo = datetime.now(UTC) + timedelta(seconds=12)
    write(drop, name, newsroom(name, embargo))
    bot = start_bot()
    wait_until(lambda: db_rows(workdir / "newsbot.db",
                               "SELECT 1 FROM articles WHERE status = 'embargoed'"))
    bot.stop()
    assert not any(TITLES[name] in m["plain"] for m in api.messages_to(POSTS))
    wait_until(lambda: datetime.now(UTC) > embargo, timeout=30)
    start_bot()
    post_of(api, POSTS, TITLES[name])
    assert db_rows(workdir / "newsbot.db", "SELECT status FROM articles") == [("published",)]


@dataclass
class Delivered:
    """A running bot, its drop folder, and the message that carried the story to each chat."""

    bot: BotProcess
    drop: Path
    message: dict[int, dict]


def delivered(api, start_bot, workdir, *chats: int, **env: str) -> Delivered:
    """The ninjs story posted to instant chats and carried by the digest chat's digest."""
    drop = folder(workdir)
    targets(api, workdir, *chats)
    write(drop, "story.json", newsroom("ninjs-story.json"))
    bot = start_bot(**env)
    return Delivered(bot, drop, {chat_id: post_of(api, chat_id, HEADLINE) for chat_id in chats})


def test_a_kill_notice_edits_the_post_and_the_digest_and_deletes_where_asked(
        api, start_bot, workdir):
    sent = delivered(api, start_bot, workdir, POSTS, DIGESTS, DELETES)
    write(sent.drop, "kill.json", newsroom("ninjs-kill.json"))
    post, digest = sent.message[POSTS], sent.message[DIGESTS]
    edited = api.wait_for(lambda m: m["method"] == "editMessageText"
                          and m["message_id"] == post["message_id"] and m["chat_id"] == POSTS,
                          timeout=60)[0]
    assert edited["plain"] == f"Withdrawn by the publisher: {HEADLINE}"
    redone = api.wait_for(lambda m: m["method"] == "editMessageText" and m["chat_id"] == DIGESTS
                          and m["message_id"] == digest["message_id"], timeout=60)[0]
    assert HEADLINE not in redone["plain"] and "1 item was withdrawn" in redone["plain"]
    assert redone["plain"].startswith("📰 News digest")
    wait_until(lambda: (DELETES, sent.message[DELETES]["message_id"]) in api.deleted, timeout=60)
    wait_until(lambda: outbox(workdir) == 0)
    assert HEADLINE not in ask(api, POSTS, "/latest")["plain"]
    assert HEADLINE not in ask(api, POSTS, "/search Zwayer")["plain"]
    # Kept for the record, never shown again.
    assert db_rows(workdir / "newsbot.db", "SELECT status, title FROM articles") == [
        ("withdrawn", HEADLINE)]
    assert len(api.calls_to("editMessageText")) == 2 and len(api.deleted) == 1


def test_a_correction_edits_both_and_an_unchanged_re_export_edits_nothing(
        api, start_bot, workdir):
    sent = delivered(api, start_bot, workdir, POSTS, DIGESTS)
    write(sent.drop, "story.json", newsroom("ninjs-reexport.json"))
    wait_until(lambda: ingested(workdir, "story.json", 2))
    assert outbox(workdir) == 0 and api.calls_to("editMessageText") == []
    write(sent.drop, "story.json", newsroom("ninjs-correction.json"))
    post = api.wait_for(lambda m: m["method"] == "editMessageText" and m["chat_id"] == POSTS,
                        timeout=60)[0]
    assert post["message_id"] == sent.message[POSTS]["message_id"]
    assert CORRECTED in post["plain"] and "Updated " in post["plain"]
    digest = api.wait_for(lambda m: m["method"] == "editMessageText"
                          and m["chat_id"] == DIGESTS, timeout=60)[0]
    assert digest["message_id"] == sent.message[DIGESTS]["message_id"]
    assert CORRECTED in digest["plain"] and HEADLINE not in digest["plain"]
    wait_until(lambda: outbox(workdir) == 0)
    assert len(api.calls_to("editMessageText")) == 2


def test_corrections_past_the_edit_window_are_not_attempted(api, start_bot, workdir):
    sent = delivered(api, start_bot, workdir, POSTS, NEWSBOT_EDIT_WINDOW_HOURS="1")
    wait_until(lambda: db_rows(workdir / "newsbot.db", "SELECT 1 FROM messages"))
    # As if the post went out two hours ago.
    sql(workdir, "UPDATE messages SET sent_at = ?",
        ((datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds"),))
    write(sent.drop, "story.json", newsroom("ninjs-correction.json"))
    wait_until(lambda: ingested(workdir, "story.json", 2))
    wait_until(lambda: outbox(workdir) == 0)
    assert api.calls_to("editMessageText") == []
    assert api.message(POSTS, sent.message[POSTS]["message_id"])["text"].startswith(HEADLINE)


def test_kill_9_between_an_edit_and_its_ledger_write_neither_edits_twice_nor_loses_it(
        api, start_bot, workdir):
    sent = delivered(api, start_bot, workdir, POSTS)
    message_id = sent.message[POSTS]["message_id"]
    api.delay("editMessageText", 120, count=1)  # Telegram edits, its answer never arrives
    write(sent.drop, "story.json", newsroom("ninjs-correction.json"))
    api.wait_for(lambda m: m["method"] == "editMessageText", timeout=60)
    sent.bot.kill()
    assert outbox(workdir) == 1  # the ledger does not know the edit was made
    api.delay("editMessageText", 0)
    start_bot()
    wait_until(lambda: outbox(workdir) == 0, timeout=60)
    [edit] = api.edits_of(POSTS, message_id)
    assert CORRECTED in edit["plain"]
    calls = [c for c in api.calls_to("editMessageText") if c["message_id"] == message_id]
    assert len(calls) == 2  # the second one was answered "message is not modified"
    assert CORRECTED in api.message(POSTS, message_id)["text"]
