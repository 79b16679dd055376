"""Embargoes, withdrawals and corrections, each piece at its own level: what the readers report,
what a version means (storage.status), what storage hides and queues, how a sent message is
rendered again (bot.revisions) and how the edit outbox is worked (bot.edits)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands import Commands
from bot.edits import EditOutcome, edit_pending
from bot.posts import article_post
from bot.replies import Caller
from bot.revisions import revise
from bot.send import Outcome
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage import filtered
from storage.chats import Chat, MessageKind, OnWithdraw
from storage.records import PubStatus
from storage.status import Change, Status, Stored, arrival, revision, text_hash
from storage.versions import pending_count, versions_of
from summarizer import normalize_language
from tests.helpers import FakeSender, read_newsroom

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STORY = "urn:newsml:dpa.com:20090101:190510-99-167362"
ADMIN = 7


@pytest.mark.parametrize(("name", "embargoed", "status"), [
    ("ninjs-embargoed.json", True, PubStatus.USABLE),
    ("ninjs-kill.json", False, PubStatus.CANCELED),
    ("newsml-embargoed.xml", True, PubStatus.USABLE),
    ("newsml-canceled.xml", False, PubStatus.CANCELED),
    ("newsml-withheld.xml", False, PubStatus.WITHHELD),
    ("prezly-embargoed.json", True, PubStatus.USABLE),
    ("prezly-private.json", False, PubStatus.WITHHELD),
])
def test_readers_report_the_publishers_rules(name, embargoed, status):
    article = read_newsroom(name)
    assert (article.embargoed is not None and article.embargoed > NOW) is embargoed
    assert article.pubstatus is status


def test_a_prezly_story_is_not_public_before_its_published_at():
    moment = NOW + timedelta(hours=2)
    assert read_newsroom("prezly-embargoed.json", moment).embargoed == moment


def stored(status: Status, article, until=None) -> Stored:
    return Stored(status, text_hash(article.title, article.body), until)


def test_what_each_version_means():
    held = read_newsroom("ninjs-embargoed.json")
    story, kill = read_newsroom("ninjs-story.json"), read_newsroom("ninjs-kill.json")
    assert arrival(held, NOW).change is Change.HELD
    assert arrival(story, NOW).change is Change.NEW
    assert arrival(kill, NOW).status is Status.WITHDRAWN
    moved = read_newsroom("ninjs-embargoed.json", NOW + timedelta(hours=1))
    assert revision(stored(Status.EMBARGOED, held, held.embargoed), moved, NOW).change \
        is Change.EMBARGO_MOVED
    assert revision(stored(Status.EMBARGOED, held, held.embargoed), story, NOW).change \
        is Change.LIFTED
    published = stored(Status.PUBLISHED, story)
    assert revision(published, read_newsroom("ninjs-reexport.json"), NOW).change \
        is Change.COSMETIC
    assert revision(published, read_newsroom("ninjs-correction.json"), NOW).change \
        is Change.CORRECTED
    assert revision(published, kill, NOW).change is Change.WITHDRAWN
    # A story readers have seen is not held back by a later embargo.
    assert revision(published, held, NOW).status is Status.PUBLISHED
    assert revision(stored(Status.WITHDRAWN, story), story, NOW).change is Change.RESTORED


@pytest.mark.parametrize("name", ["ninjs-embargoed.json", "prezly-embargoed.json",
                                  "newsml-embargoed.xml"])
def test_an_embargoed_story_is_invisible_until_lifted_then_new(conn, name):
    before = _save(conn, "ninjs-story.json" if name != "ninjs-embargoed.json"
                   else "newsml-embargoed.xml", NOW - timedelta(hours=1))
    article = read_newsroom(name, NOW + timedelta(minutes=5))
    article_store.save(conn, article, ["It happened."], name, NOW)
    word = article.title.split()[0]
    seq = conn.execute("SELECT seq FROM articles WHERE status = 'embargoed'").fetchone()[0]
    hidden = [a.title for a in article_store.latest(conn, 20)]
    assert article.title not in hidden and article_store.get_article(conn, seq) is None
    assert article.title not in [a.title for a in article_store.search(conn, f'"{word}"')]
    assert article_store.since_briefs(conn, 0) == [b for b in article_store.since_briefs(conn, 0)
                                                   if b.seq != seq]
    assert article_store.embargoed(conn)[0][0] == article.title
    assert article_store.lift_embargoes(conn, NOW + timedelta(minutes=4)) == []
    [lifted] = article_store.lift_embargoes(conn, NOW + timedelta(minutes=5))
    shown = article_store.latest(conn, 20)
    assert article.title in [a.title for a in shown]
    new_seq = next(a.seq for a in shown if a.id == lifted)
    assert new_seq > max(seq, before)  # after every cursor: delivered as new
    assert [v.change for v in versions_of(conn, lifted)] == [Change.HELD, Change.LIFTED]


def _save(conn, name: str, now: datetime, embargo: datetime | None = None) -> int:
    article = read_newsroom(name, embargo)
    article.language = normalize_language(article.language)  # as ingest stores it: 'en_BE' is en
    article_store.save(conn, article, ["First.", "Second."], name, now)
    return article_store.max_seq(conn)


def _sent_post(conn, chat_id: int = 42, sent_at: datetime = NOW) -> None:
    article = article_store.latest(conn, 1)[0]
    reply = article_post(article, Chat(chat_id), "Europe/Brussels")
    chat_store.record_message(conn, chat_id, 0, 501, MessageKind.INSTANT, reply.article_ids,
                              sent_at, reply.layout, reply.text)


@pytest.mark.parametrize(("name", "queued"), [
    ("ninjs-reexport.json", 0), ("ninjs-correction.json", 1), ("ninjs-kill.json", 1),
])
def test_only_corrections_and_withdrawals_queue_edits(conn, name, queued):
    _save(conn, "ninjs-story.json", NOW)
    _sent_post(conn)
    _save(conn, name, NOW + timedelta(minutes=10))
    assert pending_count(conn) == queued


def test_a_withdrawn_story_is_kept_but_hidden_everywhere(conn):
    seq = _save(conn, "ninjs-story.json", NOW)
    title = article_store.get_article(conn, seq).title
    _save(conn, "ninjs-kill.json", NOW + timedelta(minutes=10))
    assert article_store.get_article(conn, seq) is None
    assert article_store.latest(conn) == [] and article_store.since_briefs(conn, 0) == []
    kept = article_store.get_article(conn, seq, hidden=True)
    # The row keeps the story readers saw, not the kill notice's own headline.
    assert kept.status is Status.WITHDRAWN and kept.title == title
    assert [v.change for v in versions_of(conn, kept.id)] == [Change.NEW, Change.WITHDRAWN]


def _outbox(conn, sender, now=NOW + timedelta(minutes=20), hours=48.0):
    return asyncio.run(edit_pending(conn, sender, now, timedelta(hours=hours)))


def test_a_correction_edits_the_post_with_the_time_it_was_updated(conn):
    _save(conn, "ninjs-story.json", NOW)
    _sent_post(conn)
    _save(conn, "ninjs-correction.json", NOW + timedelta(minutes=10))
    sender = FakeSender()
    assert _outbox(conn, sender) == [EditOutcome.EDITED]
    [(action, chat, message, text)] = sender.changes
    assert (action, chat, message) == ("edit", 42, 501)
    assert "Zwayer hatte recht" in text and "Updated 10:10" in text  # Brussels time
    assert pending_count(conn) == 0
    # Asked again (a crash before the ledger write): the same text, so Telegram would say
    # "not modified"; here the ledger already knows it and nothing is asked.
    conn.execute("INSERT INTO pending_edits VALUES ((SELECT max(id) FROM messages), ?, ?)",
                 (NOW.isoformat(), "corrected"))
    assert _outbox(conn, sender) == [EditOutcome.UNCHANGED] and len(sender.changes) == 1


def test_an_edit_repeated_after_a_crash_is_not_modified_and_leaves_the_outbox(conn):
    _save(conn, "ninjs-story.json", NOW)
    _sent_post(conn)
    _save(conn, "ninjs-correction.json", NOW + timedelta(minutes=10))
    sender = FakeSender([Outcome.NOT_MODIFIED])
    assert _outbox(conn, sender) == [EditOutcome.NOT_MODIFIED] and pending_count(conn) == 0


def test_corrections_past_the_window_are_not_attempted(conn):
    _save(conn, "ninjs-story.json", NOW)
    _sent_post(conn, sent_at=NOW - timedelta(hours=49))
    _save(conn, "ninjs-correction.json", NOW)
    sender = FakeSender()
    assert _outbox(conn, sender) == [EditOutcome.EXPIRED]
    assert sender.calls == 0 and pending_count(conn) == 0


def test_a_failed_edit_stays_queued_for_the_next_pass(conn):
    _save(conn, "ninjs-story.json", NOW)
    _sent_post(conn)
    _save(conn, "ninjs-kill.json", NOW + timedelta(minutes=10))
    assert _outbox(conn, FakeSender([Outcome.FAILED])) == [EditOutcome.RETRY]
    assert pending_count(conn) == 1
    sender = FakeSender()
    assert _outbox(conn, sender) == [EditOutcome.EDITED]
    assert sender.changes[0][3].startswith("<i>Withdrawn by the publisher:</i> Faktencheck")


def test_a_target_may_have_withdrawn_posts_deleted_and_gone_is_an_outcome(conn):
    _save(conn, "ninjs-story.json", NOW)
    _sent_post(conn)
    chat_store.update_chat(conn, 42, on_withdraw=OnWithdraw.DELETE)
    _save(conn, "ninjs-kill.json", NOW + timedelta(minutes=10))
    assert _outbox(conn, FakeSender([Outcome.GONE])) == [EditOutcome.GONE]
    assert conn.execute("SELECT deleted FROM messages").fetchone() == (1,)


def test_a_digest_message_is_rendered_again_without_the_withdrawn_item(conn):
    from bot.digest import build_digest

    _save(conn, "ninjs-story.json", NOW)
    _save(conn, "newsml-embargoed.xml", NOW, embargo=NOW - timedelta(days=1))
    chat = Chat(99, subscribed=True, digest_cursor=0, last_digest_at=NOW - timedelta(days=1))
    [message] = build_digest(conn, chat, "Europe/Brussels", NOW).messages
    articles = article_store.by_id(conn, message.layout["items"])
    # Nothing changed: the same text, so an edit would change nothing.
    assert revise(message.layout, articles, NOW).reply.text == message.text
    _save(conn, "ninjs-kill.json", NOW + timedelta(minutes=10))
    text = revise(message.layout, article_store.by_id(conn, message.layout["items"]),
                  NOW).reply.text
    assert "Faktencheck" not in text and "Fed to halt QE" in text
    assert text.startswith("<b>📰 News digest</b>") and "1 item was withdrawn" in text


def test_embargoed_lists_pending_stories_for_bot_admins_only(conn):
    commands = Commands(conn, Settings(admin_ids=frozenset({ADMIN})), clock=lambda: NOW)
    article_store.save(conn, read_newsroom("prezly-embargoed.json", NOW + timedelta(hours=3)),
                       ["x."], "prezly-embargoed.json", NOW)
    answer = commands.handle(Caller(ADMIN, ADMIN), "/embargoed")[0].text
    assert "Under embargo" in answer and "Belgian IT firms" in answer
    assert "13:00" in answer  # 12:00 UTC, in Brussels
    assert "administrators" in commands.handle(Caller(5, 5), "/embargoed")[0].text


def test_article_shows_its_versions(conn):
    commands = Commands(conn, Settings(), clock=lambda: NOW + timedelta(hours=1))
    _save(conn, "ninjs-embargoed.json", NOW - timedelta(hours=1), embargo=NOW)
    [id_] = article_store.lift_embargoes(conn, NOW)
    _save(conn, "ninjs-correction.json", NOW + timedelta(minutes=30))
    seq = article_store.latest(conn, 1)[0].seq
    text = commands.handle(Caller(5, 5), f"/article {seq}")[0].text
    assert "received under embargo" in text and "embargo lifted" in text
    assert "corrected — Faktencheck Derby-Elfmeter: Schiedsrichter Zwayer hatte recht" in text
    assert id_ == STORY


def test_withdrawals_setting(conn):
    commands = Commands(conn, Settings())
    assert "delete" in commands.handle(Caller(5, 5), "/withdrawals delete")[0].text
    assert chat_store.get_chat(conn, 5).on_withdraw is OnWithdraw.DELETE
    assert "edit" in commands.handle(Caller(5, 5), "/withdrawals maybe")[0].text


def test_commands_lift_a_due_embargo_so_the_console_never_hides_it(conn):
    _save(conn, "prezly-embargoed.json", NOW, embargo=NOW + timedelta(minutes=1))
    early = Commands(conn, Settings(), clock=lambda: NOW)
    assert "Belgian IT firms" not in early.handle(Caller(5, 5), "/latest")[0].text
    late = Commands(conn, Settings(), clock=lambda: NOW + timedelta(minutes=1))
    assert "Belgian IT firms" in late.handle(Caller(5, 5), "/latest")[0].text


def test_article_of_a_withdrawn_story_is_gone(conn):
    seq = _save(conn, "ninjs-story.json", NOW)
    _save(conn, "ninjs-kill.json", NOW + timedelta(minutes=1))
    answer = Commands(conn, Settings()).handle(Caller(5, 5), f"/article {seq}")[0].text
    assert answer.startswith(f"No article {seq}") and "Faktencheck" not in answer


def test_a_burst_loses_the_withdrawn_headline_with_a_note(conn):
    from bot.posts import burst_post

    _save(conn, "ninjs-story.json", NOW)
    _save(conn, "newsml-embargoed.xml", NOW, embargo=NOW - timedelta(days=1))
    shown = article_store.latest(conn, 5)
    reply = burst_post(shown, [a.id for a in shown])
    assert revise(reply.layout, article_store.by_id(conn, reply.layout["shown"]),
                  NOW).reply.text == reply.text
    _save(conn, "ninjs-kill.json", NOW + timedelta(minutes=1))
    text = revise(reply.layout, article_store.by_id(conn, reply.layout["shown"]),
                  NOW).reply.text
    assert "1 new article</b>" in text and "Fed to halt QE" in text and "Faktencheck" not in text
    assert "1 item was withdrawn by the publisher" in text


def test_a_message_recorded_after_a_correction_it_missed_is_queued_for_an_edit(conn):
    _save(conn, "ninjs-story.json", NOW)
    article = article_store.latest(conn, 1)[0]
    reply = article_post(article, Chat(42), "Europe/Brussels")  # rendered, on its way
    _save(conn, "ninjs-correction.json", NOW + timedelta(seconds=1))  # finds no message yet
    assert pending_count(conn) == 0
    chat_store.record_message(conn, 42, 0, 501, MessageKind.INSTANT, reply.article_ids,
                              NOW + timedelta(seconds=2), reply.layout, reply.text)
    assert pending_count(conn) == 1
    sender = FakeSender()
    assert _outbox(conn, sender) == [EditOutcome.EDITED]
    assert "Zwayer hatte recht" in sender.changes[0][3]
    # A message recorded with what is current is not queued.
    fresh = article_post(article_store.latest(conn, 1)[0], Chat(43), "Europe/Brussels")
    chat_store.record_message(conn, 43, 0, 601, MessageKind.INSTANT, fresh.article_ids,
                              NOW + timedelta(seconds=3), fresh.layout, fresh.text)
    assert pending_count(conn) == 0


@pytest.mark.parametrize(("story", "notice"), [
    ("ninjs-story.json", "ninjs-kill.json"),
    ("newsml-embargoed.xml", "newsml-canceled.xml"),
    ("prezly-embargoed.json", "prezly-private.json"),
])
def test_a_withdrawal_in_a_file_of_its_own_withdraws_the_same_story(conn, story, notice):
    # Agencies send a kill notice as an item of its own, in another file, with the story's id.
    _save(conn, story, NOW, embargo=NOW - timedelta(days=1))
    [shown] = article_store.latest(conn)
    _save(conn, notice, NOW + timedelta(minutes=1))
    assert article_store.latest(conn) == [] and article_store.count(conn) == 0
    kept = article_store.by_id(conn, [shown.id])[shown.id]
    assert kept.status is Status.WITHDRAWN and kept.source_files == [story, notice]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


FILTERS = {
    "languages": filtered.Filters(languages=("de", "en")),
    "include": filtered.Filters(include=("Zwayer", "Fed", "Belgian")),
    "exclude": filtered.Filters(exclude=("nothing-like-this",)),
    "all three": filtered.Filters(("de", "en"), ("Zwayer", "Fed", "Belgian"), ("zzz",)),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_latest_and_search_with_filters_never_show_embargoed_or_withdrawn(conn, name):
    filters = FILTERS[name]
    _save(conn, "ninjs-story.json", NOW - timedelta(hours=2))
    _save(conn, "newsml-embargoed.xml", NOW - timedelta(hours=2), embargo=NOW - timedelta(days=1))
    # Under embargo until 2099, undated until then: it would be the newest of all.
    _save(conn, "prezly-embargoed.json", NOW - timedelta(hours=1))
    story, fed = (read_newsroom(n).title for n in ("ninjs-story.json", "newsml-embargoed.xml"))
    assert {a.title for a in filtered.latest(conn, 20, 0, filters)} == {story, fed}
    _save(conn, "ninjs-kill.json", NOW)
    assert [a.title for a in filtered.latest(conn, 20, 0, filters)] == [fed]
    # A page is counted among the visible stories: one asked for, one found.
    assert [a.title for a in filtered.latest(conn, 1, 0, filters)] == [fed]
    assert filtered.search(conn, "Belgian", 20, 0, filters) == []
    assert filtered.search(conn, "Zwayer", 20, 0, filters) == []
    assert [a.title for a in filtered.search(conn, "Belgian OR Zwayer OR Fed", 1, 0,
                                             filters)] == [fed]


def test_stats_count_only_published_articles_and_say_how_many_wait_or_were_withdrawn(conn):
    commands = Commands(conn, Settings(admin_ids=frozenset({ADMIN})), clock=lambda: NOW)
    _save(conn, "ninjs-story.json", NOW - timedelta(hours=1))
    _save(conn, "prezly-embargoed.json", NOW - timedelta(hours=1))  # until 2099
    _save(conn, "newsml-embargoed.xml", NOW - timedelta(hours=1), embargo=NOW - timedelta(days=1))
    shown = commands.handle(Caller(ADMIN, ADMIN), "/stats")[0].text
    assert "Articles: 2" in shown and "Under embargo: 1" in shown and "withdrawn" in shown
    _save(conn, "ninjs-kill.json", NOW)
    shown = commands.handle(Caller(ADMIN, ADMIN), "/stats")[0].text
    assert "Articles: 1" in shown
    assert "Under embargo: 1 (/embargoed) · withdrawn by the publisher: 1" in shown
