"""Command logic without Telegram: what each command answers, paging, settings, admin rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands import (
    Caller,
    Commands,
    Outcome,
    addressee,
    digest_replies,
    parse_command,
)
from bot.render import to_plain, utf16_len
from bot.settings import Settings, load_settings
from bot.throttle import Throttle
from storage import articles as article_store
from storage import chats as chat_store
from storage import files as file_store
from storage.records import Article

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
ME = Caller(chat_id=1, user_id=1)


@pytest.fixture
def commands(conn):
    """Commands over a fresh database with a fixed clock."""
    return Commands(conn, Settings(admin_ids=frozenset({99})), clock=lambda: NOW)


def add(conn, title: str, body: str = "A sentence about it. Another one here.", **extra) -> int:
    """Store an article and return its public number."""
    extra.setdefault("published", NOW - timedelta(hours=1))
    article_store.store(conn, Article(title=title, body=body, **extra),
                        [s.strip() + "." for s in body.split(".") if s.strip()])
    return article_store.max_seq(conn)


def text_of(commands, line: str, caller: Caller = ME) -> str:
    """What a user sees for a typed command (all replies, as plain text)."""
    return "\n".join(to_plain(reply.text) for reply in commands.handle(caller, line))


@pytest.mark.parametrize("text, parsed", [
    ("/latest 10", ("latest", "10")),
    ("/latest@newsbot_test_bot 3", ("latest", "3")),
    ("/SEARCH  grève  Bruxelles ", ("search", "grève  Bruxelles")),
    ("hello", None),
    ("/", None),
    ("/ latest", None),
    # A phone's Enter (or a tab) after the name starts the words, as Telegram reads it.
    ("/search\nharbour strike", ("search", "harbour strike")),
    ("/search@newsbot_test_bot\tgrève", ("search", "grève")),
])
def test_parse_command(text, parsed):
    assert parse_command(text) == parsed


def test_the_bot_a_command_names_ends_at_any_white_space():
    assert addressee("/latest@other_bot\n3") == "other_bot"
    assert addressee("/latest@other_bot") == "other_bot"
    assert addressee("/latest 3 @other_bot") is None
    assert addressee("hello@other_bot") is None


def test_help_lists_every_command(commands):
    shown = text_of(commands, "/start")
    for name in ("latest", "search", "article", "digest", "subscribe", "settings"):
        assert f"/{name}" in shown


def test_latest_lists_newest_first_with_links_and_article_numbers(commands, conn):
    old = add(conn, "Older story", published=NOW - timedelta(days=2),
              url="https://example.org/old")
    new = add(conn, "Newer story", url="https://example.org/new")
    [reply] = commands.handle(ME, "/latest")
    assert reply.text.index("Newer story") < reply.text.index("Older story")
    assert '<a href="https://example.org/new">Newer story</a>' in reply.text
    assert f"/article {new}" in reply.text and f"/article {old}" in reply.text


def test_latest_dates_are_in_the_chats_time_zone(commands, conn):
    add(conn, "Timed", published=datetime(2026, 7, 1, 6, 30, tzinfo=UTC))
    commands.handle(ME, "/timezone America/New_York")
    assert "1 Jul 2026, 02:30" in text_of(commands, "/latest")


def test_latest_pages_with_buttons(commands, conn):
    for number in range(7):
        add(conn, f"Story {number}", published=NOW - timedelta(hours=number))
    [first] = commands.handle(ME, "/latest 3")
    assert "Story 0" in first.text and "Story 3" not in first.text
    [[older]] = first.buttons
    [page2] = commands.callback(ME, older.data)
    assert "Story 3" in page2.text and "Story 0" not in page2.text
    assert [b.text for b in page2.buttons[0]] == ["« Newer", "Older »"]
    assert all(len(b.data.encode()) <= 64 for row in page2.buttons for b in row)


@pytest.mark.parametrize("argument", ["abc", "0", "-3", "21", "100", "999", "²",
                                      "99999999999999999999999"])
def test_latest_out_of_range_gets_one_answer(commands, conn, argument):
    add(conn, "Anything")
    [reply] = commands.handle(ME, f"/latest {argument}")
    assert reply.outcome is Outcome.BAD_INPUT and "from 1 to 20" in reply.text


@pytest.mark.parametrize("count", [0, 21, 200, 999])
def test_latest_with_a_count_from_a_front_end_gets_the_same_answer(commands, conn, count):
    add(conn, "Anything")
    [typed] = commands.handle(ME, f"/latest {count}")
    [given] = commands.latest(ME, count)
    assert given.text == typed.text and given.outcome is Outcome.BAD_INPUT


@pytest.mark.parametrize("count", [1, 5, 10, 20])
def test_latest_shows_exactly_what_its_header_says(commands, conn, count):
    long = " ".join(["The council debated the harbour plan for hours on end."] * 9)
    for number in range(25):
        add(conn, f"Item {number:02d}", body=f"{long} {long}", published=NOW - timedelta(
            minutes=number))
    replies = commands.handle(ME, f"/latest {count}")
    shown = "\n".join(to_plain(reply.text) for reply in replies)
    assert f"(1–{count})" in shown
    assert [f"Item {n:02d}" in shown for n in range(25)] == [n < count for n in range(25)]
    assert all(utf16_len(reply.text) <= 4096 for reply in replies)
    assert [bool(reply.buttons) for reply in replies] == [False] * (len(replies) - 1) + [True]
    [[older]] = replies[-1].buttons
    following = "\n".join(r.text for r in commands.callback(ME, older.data))
    assert f"Item {count:02d}" in following and f"({count + 1}–" in following


def test_a_long_page_is_split_not_cut(commands, conn):
    long = " ".join(["The council debated the harbour plan for hours on end."] * 9)
    for number in range(20):
        add(conn, f"Item {number:02d}", body=f"{long} {long}",
            published=NOW - timedelta(minutes=number))
    commands.handle(ME, "/length 5")
    assert len(commands.handle(ME, "/latest 20")) > 1


def test_search_finds_and_pages(commands, conn):
    for number in range(8):
        add(conn, f"Harbour news {number}", published=NOW - timedelta(hours=number))
    [reply] = commands.handle(ME, "/search harbour")
    assert "Harbour news" in reply.text
    [[more]] = reply.buttons
    assert len(more.data.encode()) <= 64
    [page2] = commands.callback(ME, more.data)
    assert page2.text.count("/article") == 3


def test_numbers_typed_in_full_width_or_other_digits_are_those_numbers(commands, conn):
    # A Japanese or Chinese input method types ３ (U+FF13), an Arabic keyboard ٣: "/article ３"
    # answered "No article ３" beside an article 3, and "/latest ３" with the usage line.
    for number in range(3):
        add(conn, f"Harbour news {number}")
    for reader, typed in enumerate(("3", "３", "٣"), 10):  # each reader within the throttle
        caller = Caller(chat_id=reader, user_id=reader)
        assert "Harbour news 2" in text_of(commands, f"/article {typed}", caller)
        assert text_of(commands, f"/latest {typed}", caller).count("/article") == 3
    assert text_of(commands, "/article ²").startswith("Usage: /article N")  # a digit, no number


def test_a_page_past_what_sqlite_counts_is_past_the_end_not_a_crash(commands, conn):
    # `newsbot latest --page 999999999999999999999`: OverflowError, "Python int too large to
    # convert to SQLite INTEGER", as a traceback.
    add(conn, "Harbour news")
    for offset in (2**63 - 1, 2**63, 10**30):
        [latest] = commands.latest(ME, 5, offset)
        assert latest.outcome is Outcome.EMPTY and to_plain(latest.text) == "No older articles."
        [found] = commands.search(ME, "harbour", offset)
        assert found.outcome is Outcome.EMPTY and to_plain(found.text) == "No more results."


def test_search_with_a_long_query_still_pages(commands, conn):
    for number in range(7):
        add(conn, f"Cloud sovereignty {number}")
    query = "cloud OR " + " OR ".join(f"word{n}" for n in range(30))
    [reply] = commands.handle(ME, f"/search {query}")
    [[more]] = reply.buttons
    assert len(more.data.encode()) <= 64
    assert "Cloud sovereignty" in commands.callback(ME, more.data)[0].text


@pytest.mark.parametrize("query", ['"unbalanced AND (', "AND OR", "(("])
def test_malformed_search_gets_a_hint(commands, conn, query):
    add(conn, "Anything")
    shown = text_of(commands, f"/search {query}")
    assert "plain words" in shown


def test_search_without_results_and_without_query(commands):
    assert "Nothing found" in text_of(commands, "/search zebra")
    assert "Usage" in text_of(commands, "/search")


def test_article_shows_everything(commands, conn):
    seq = add(conn, "Full story", body="First point. Second point. Third point.",
              url="https://example.org/full", author="Jo Smith", tags=["energy", "grid"],
              language="en", format="prezly")
    shown = text_of(commands, f"/article {seq}")
    for expected in ("Full story", "Jo Smith", "First point.", "Third point.",
                     "energy, grid", "https://example.org/full"):
        assert expected in shown


def test_an_article_with_no_text_says_so_instead_of_a_blank_gap(commands, conn):
    # A headline-only NewsML item or feed entry: /article showed its title, date, two empty
    # lines and the tags, as if the summary had gone missing.
    article_store.store(conn, Article(title="Fed to halt QE", body="", tags=["economy"],
                                      published=NOW - timedelta(hours=1)), [])
    shown = text_of(commands, f"/article {article_store.max_seq(conn)}")
    assert "Fed to halt QE" in shown and "\n\n\n" not in shown
    assert "(No text to summarize beyond the headline.)" in shown
    assert shown.index("beyond the headline") < shown.index("Tags: economy")


@pytest.mark.parametrize("argument", ["", "abc", "999"])
def test_article_with_bad_or_unknown_id(commands, argument):
    shown = text_of(commands, f"/article {argument}")
    assert "Usage" in shown or "No article" in shown


def test_article_text_is_escaped_and_links_are_only_http(commands, conn):
    seq = add(conn, "<script>alert(1)</script> & <b>bold</b>", url="javascript:alert(1)",
              body="Use <i>care</i> & \u202eevil text. Next.")
    [reply] = commands.handle(ME, f"/article {seq}")
    assert "<script>" not in reply.text and "&lt;script&gt;" in reply.text
    assert "javascript:" not in reply.text
    assert "\u202e" not in reply.text


def test_digest_first_time_covers_the_last_24_hours_then_nothing_new(commands, conn):
    add(conn, "Fresh story")
    replies = commands.handle(ME, "/digest")
    assert "Fresh story" in replies[0].text and replies[-1].digest_cursor is not None
    # Not yet delivered: the ledger decides, so asking again shows it again.
    assert "Fresh story" in commands.handle(ME, "/digest")[0].text


def test_digest_splits_into_messages_within_telegrams_limit(commands, conn):
    long_body = ". ".join(f"Sentence number {n} with words & <symbols>" for n in range(40))
    for number in range(30):
        add(conn, f"Long story {number}", body=long_body)
    chat_store.update_chat(conn, 1, summary_sentences=5)
    replies = commands.handle(ME, "/digest")
    assert len(replies) > 1
    assert all(utf16_len(reply.text) <= 4096 for reply in replies)
    ids = [article_id for reply in replies for article_id in reply.article_ids]
    assert len(ids) == len(set(ids)) == 30


def test_digest_applies_language_and_keyword_filters(commands, conn):
    add(conn, "Energy prices fall", language="en")
    add(conn, "Energieprijzen dalen", language="nl")
    add(conn, "Football results", language="en")
    commands.handle(ME, "/languages en")
    commands.handle(ME, "/exclude football")
    shown = "\n".join(r.text for r in commands.handle(ME, "/digest"))
    assert "Energy prices fall" in shown
    assert "Energieprijzen" not in shown and "Football" not in shown
    commands.handle(ME, "/languages all")
    commands.handle(ME, "/exclude none")
    commands.handle(ME, "/include energie*")
    shown = "\n".join(r.text for r in commands.handle(ME, "/digest"))
    assert "Energieprijzen dalen" in shown and "Football" not in shown


def test_digest_skips_what_the_ledger_says_was_delivered(commands, conn):
    add(conn, "Delivered one")
    add(conn, "Not yet delivered")
    replies = commands.handle(ME, "/digest")
    delivered = [a.id for a in article_store.latest(conn) if a.title == "Delivered one"]
    chat_store.record_delivery(conn, 1, delivered)
    shown = "\n".join(r.text for r in commands.handle(ME, "/digest"))
    assert "Not yet delivered" in shown and "Delivered one" not in shown
    assert replies


def test_nothing_new_since_last_digest(commands, conn):
    add(conn, "Story")
    replies = commands.handle(ME, "/digest")
    chat_store.record_delivery(conn, 1, replies[0].article_ids)
    chat_store.finish_digest(conn, 1, replies[-1].digest_cursor, NOW)
    assert "Nothing new since" in text_of(commands, "/digest")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Europe", "Europe/__pycache__", "x" * 300,
                                  "../../etc/passwd", "Europe/Brussels\x00"])
def test_a_time_zone_that_is_not_one_gets_the_hint_and_changes_nothing(commands, conn, zone):
    # "Europe" is a folder of zones and 300 letters too long a file name: both once raised
    # OSError out of ZoneInfo, and the user got no answer.
    assert "Unknown time zone" in text_of(commands, f"/timezone {zone}")
    assert chat_store.get_chat(conn, 1).timezone is None


@pytest.mark.parametrize("typed, zone", [("europe/brussels", "Europe/Brussels"),
                                         ("AMERICA/NEW_YORK", "America/New_York"),
                                         (" utc ", "UTC"),
                                         # The city alone, as people say it: was "Unknown".
                                         ("Brussels", "Europe/Brussels"),
                                         ("new york", "America/New_York"),
                                         ("Los_Angeles", "America/Los_Angeles")])
def test_a_time_zone_is_recognized_in_any_case_and_stored_as_iana_writes_it(commands, conn,
                                                                           typed, zone):
    [reply] = commands.handle(ME, f"/timezone {typed}")
    assert reply.outcome is Outcome.OK and to_plain(reply.text) == f"Time zone set to {zone}."
    assert chat_store.get_chat(conn, 1).timezone == zone


def test_newsbot_timezone_is_read_in_any_case_too():
    assert load_settings({"NEWSBOT_TIMEZONE": "europe/amsterdam"}).timezone == "Europe/Amsterdam"


def test_subscribe_unsubscribe_and_settings(commands, conn):
    assert "07:30" in text_of(commands, "/subscribe 7:30")
    chat = chat_store.get_chat(conn, 1)
    assert chat.subscribed and chat.digest_time == "07:30" and chat.subscribed_at == NOW
    assert "Usage" in text_of(commands, "/subscribe 25:00")
    assert "Unknown time zone" in text_of(commands, "/timezone Mars/Olympus")
    commands.handle(ME, "/timezone Europe/Amsterdam")
    commands.handle(ME, "/length 3")
    shown = text_of(commands, "/settings")
    assert "Europe/Amsterdam" in shown and "daily at 07:30" in shown and "3 sentence" in shown
    assert "Unsubscribed" in text_of(commands, "/unsubscribe")
    assert not chat_store.get_chat(conn, 1).subscribed


def test_unsubscribing_an_instant_target_does_not_speak_of_daily_digests(commands, conn):
    commands.handle(ME, "/subscribe instant")
    stopped = text_of(commands, "/unsubscribe")
    assert "nothing more is delivered here" in stopped and "daily" not in stopped


def test_settings_buttons_change_length_languages_and_subscription(commands, conn):
    [reply] = commands.handle(ME, "/settings")
    data = {b.data for row in reply.buttons for b in row}
    assert {"set:len:1", "set:lang:nl", "set:sub:1"} <= data
    commands.callback(ME, "set:len:1")
    commands.callback(ME, "set:lang:nl")
    commands.callback(ME, "set:lang:fr")
    [after] = commands.callback(ME, "set:sub:1")
    chat = chat_store.get_chat(conn, 1)
    assert chat.summary_sentences == 1 and chat.languages == ("nl", "fr") and chat.subscribed
    assert "✓ nl" in [b.text for row in after.buttons for b in row]


@pytest.mark.parametrize("codes, stored", [("nl,fr", ("nl", "fr")), ("Dutch", ("nl",)),
                                           ("EN de", ("en", "de"))])
def test_language_filter_accepts_codes_and_names(commands, conn, codes, stored):
    commands.handle(ME, f"/languages {codes}")
    assert chat_store.get_chat(conn, 1).languages == stored


def test_group_settings_need_an_administrator(commands, conn):
    member = Caller(chat_id=-5, user_id=7, chat_type="group", can_manage=False)
    assert "administrators" in text_of(commands, "/subscribe", member)
    [refused] = commands.callback(member, "set:len:1")
    assert refused.outcome is Outcome.REFUSED
    assert chat_store.get_chat(conn, -5) is None or not chat_store.get_chat(conn, -5).subscribed
    add(conn, "Readable by anyone")
    assert "Readable by anyone" in text_of(commands, "/latest", member)
    admin = replace(member, can_manage=True)
    assert "Subscribed" in text_of(commands, "/subscribe", admin)


def test_commands_posted_in_a_channel_are_ignored(commands, conn):
    # An answer would be published to every reader; channels are set up from a private chat.
    channel = Caller(chat_id=-1001, user_id=None, chat_type="channel")
    add(conn, "Published story")
    for text in ("/latest", "/subscribe instant", "/languages nl", "/help", "/nonsense"):
        assert commands.handle(channel, text) == []
    assert chat_store.get_chat(conn, -1001) is None


def reject(conn, count: int) -> None:
    """Record `count` rejected files, as a scan would."""
    for number in range(count):
        file_store.record_file(conn, f"/drop/junk-{number}.json", 1, number, None, "rejected",
                               "invalid JSON")


@pytest.mark.parametrize("count, more", [(5, None), (8, 3), (6, 1)])
def test_stats_says_how_many_rejected_files_it_does_not_name(commands, conn, count, more):
    reject(conn, count)
    shown = text_of(commands, "/stats", Caller(chat_id=99, user_id=99))
    assert f"Rejected files: {count}" in shown and shown.count("junk-") == min(count, 5)
    if more is None:
        assert "more" not in shown
    else:
        assert shown.endswith(f"… and {more} more (newsbot ingest lists them all)")


def test_stats_only_for_admins(commands, conn):
    add(conn, "Counted")
    assert "administrators" in text_of(commands, "/stats", Caller(chat_id=5, user_id=5))
    shown = text_of(commands, "/stats", Caller(chat_id=99, user_id=99))
    assert "Articles: 1" in shown and "Rejected files: 0" in shown


def test_unknown_command_and_plain_text_get_hints(commands):
    assert "Unknown command" in text_of(commands, "/frobnicate")
    assert "/help" in text_of(commands, "hello there")


def test_digest_replies_put_the_cursor_on_the_last_message(commands, conn):
    add(conn, "One")
    digest = commands.build_digest(chat_store.ensure_chat(conn, 1), NOW)
    replies = digest_replies(digest)
    assert replies[-1].digest_cursor == digest.cursor
    assert all(r.digest_cursor is None for r in replies[:-1])


def test_a_flooding_user_is_slowed_without_affecting_others(conn):
    ticks = [0.0]
    commands = Commands(conn, Settings(), clock=lambda: NOW,
                        throttle=Throttle(burst=3, per_second=0.5, clock=lambda: ticks[0]))
    flooder, other = Caller(chat_id=1, user_id=1), Caller(chat_id=2, user_id=2)
    answers = [text_of(commands, "/search harbour", flooder) for _ in range(5)]
    assert sum("Too many requests" in answer for answer in answers) == 2
    assert "Too many requests" not in text_of(commands, "/search harbour", other)
    assert "Too many requests" not in text_of(commands, "/help", flooder)  # cheap commands pass
    ticks[0] += 2.0  # one token back after two seconds
    assert "Too many requests" not in text_of(commands, "/search harbour", flooder)


@pytest.mark.parametrize("keyword, title, hit", [
    ("rail", "Rail strike ends", True),
    ("rail", "Railway strike ends", False),
    ("rail*", "Railway strike ends", True),
    ("rail", "Mountain trail reopened", False),
    ("ecole", "L'école rouvre ses portes", True),
    ("Grève", "La greve continue", True),
    ("port of Antwerp", "Record year for the port of Antwerp", True),
    ("port of Antwerp", "Antwerp opens a new port", False),
    ('"; DROP', "Quotes cannot break the filter", False),
    ("d'énergie", "Le prix de l'énergie baisse", True),
    ("Straße", "Die Strasse bleibt gesperrt", True),
    ("Strasse", "Die Straße bleibt gesperrt", True),
])
def test_keyword_filters_match_words_without_accents(commands, conn, keyword, title,
                                                             hit):
    add(conn, title, body="Nothing else in the body.")
    commands.handle(ME, f"/include {keyword}")
    listed = "\n".join(r.text for r in commands.handle(ME, "/latest"))
    shown = "\n".join(r.text for r in commands.handle(ME, "/digest"))
    assert (title in listed) == hit
    assert (title in shown) == hit  # digests read a keyword as /latest and /search do


@pytest.mark.parametrize("command", ["/include", "/exclude", "/alert"])
# ",,," (commas alone) cleared the keywords, as "none" does: a typo undid the filter.
@pytest.mark.parametrize("keyword", ["***", "?!", "port, --", ",,,", ", ,"])
def test_a_keyword_with_no_word_in_it_is_refused_and_nothing_changes(commands, conn, command,
                                                                     keyword):
    commands.handle(ME, f"{command} harbour")
    [reply] = commands.handle(ME, f"{command} {keyword}")
    assert reply.outcome is Outcome.BAD_INPUT and "no letters or digits" in reply.text
    chat = chat_store.get_chat(conn, ME.chat_id)
    field = {"/include": "include_keywords", "/exclude": "exclude_keywords",
             "/alert": "alert_keywords"}[command]
    assert getattr(chat, field) == ("harbour",)


@pytest.mark.parametrize("command, cleared", [("/include", "Include words cleared"),
                                              ("/exclude", "Exclude words cleared"),
                                              ("/alert", "Alert words cleared")])
@pytest.mark.parametrize("word", ["none", "NONE", "clear", "-"])
def test_clearing_a_keyword_filter_says_it_was_cleared(commands, conn, command, cleared, word):
    commands.handle(ME, f"{command} harbour")
    [reply] = commands.handle(ME, f"{command} {word}")
    assert reply.outcome is Outcome.OK and reply.text.startswith(cleared + ":")
    assert "none" not in reply.text and "harbour" not in reply.text
    field = {"/include": "include_keywords", "/exclude": "exclude_keywords",
             "/alert": "alert_keywords"}[command]
    assert getattr(chat_store.get_chat(conn, ME.chat_id), field) == ()


@pytest.mark.parametrize("number", ["99999999999999999999999", "9223372036854775808", "424242"])
def test_an_absent_article_is_not_found_whatever_its_size(commands, number):
    [reply] = commands.handle(ME, f"/article {number}")
    assert reply.outcome is Outcome.NOT_FOUND and "No article" in reply.text


@pytest.mark.parametrize("data", ["", "zzz", "l:x:y", "l:99999999999999999999999:5", "l:0:0",
                                  "s:nokey:0", "s:k:99999999999999999999999", "set:len:x"])
def test_a_button_with_bad_data_gets_an_answer(commands, conn, data):
    add(conn, "Anything")
    replies = commands.callback(ME, data)
    assert replies and replies[0].text


def test_commands_for_another_bot_are_ignored(commands, conn):
    add(conn, "Anything")
    commands.bot_username = "newsbot_test_bot"
    group = Caller(chat_id=-7, user_id=3, chat_type="supergroup")
    assert commands.handle(group, "/latest@some_other_bot") == []
    assert commands.handle(ME, "/latest@some_other_bot 3") == []
    assert "Anything" in text_of(commands, "/latest@NewsBot_Test_Bot 1", group)
    assert commands.handle(group, "/weather") == []  # unknown and not addressed to us
    assert commands.handle(group, "good morning all") == []
    assert "Unknown command" in text_of(commands, "/weather@newsbot_test_bot", group)


def test_plain_text_in_a_private_chat_gets_a_one_line_hint(commands):
    [reply] = commands.handle(ME, "hello")
    assert "/help" in reply.text and "\n" not in reply.text


def test_help_describes_article_truthfully(commands):
    line = next(line for line in text_of(commands, "/help").splitlines()
                if line.startswith("/article"))
    assert "summary" in line and "in full" not in line


def test_filters_apply_to_latest_search_and_digest_and_say_so(commands, conn):
    add(conn, "Port of Antwerp grows", body="The port grows. Ships arrive.", language="en")
    add(conn, "Haven van Gent groeit", body="De haven groeit. Schepen komen.", language="nl")
    add(conn, "Rail strike in Ghent", body="Trains stop. The port is calm.", language="en")
    reply = text_of(commands, "/languages en")
    assert "/latest, /search and your digests" in reply
    assert "Haven van Gent" not in text_of(commands, "/latest")
    assert "/latest, /search and your digests" in text_of(commands, "/exclude rail")
    latest = text_of(commands, "/latest")
    assert "Port of Antwerp" in latest and "Rail strike" not in latest
    found = text_of(commands, "/search port")
    assert "Port of Antwerp" in found and "Rail strike" not in found
    assert "/latest, /search and your digests" in text_of(commands, "/include antwerp")
    digest = text_of(commands, "/digest")
    assert "Port of Antwerp" in digest and "Rail strike" not in digest


def test_a_digest_whose_items_were_all_filtered_says_so(commands, conn):
    for number in range(3):
        add(conn, f"Rail story {number}", body="Trains stop today.")
    commands.handle(ME, "/include harbour")
    shown = text_of(commands, "/digest")
    assert "3 new" in shown and "none matching your filters" in shown
    assert "Nothing new" not in shown


@pytest.mark.parametrize("command", ["/latest", "/search story", "/digest"])
def test_length_governs_every_list(commands, conn, command):
    add(conn, "Story", body="First point. Second point. Third point. Fourth point.")
    def shown() -> str:  # the digest previewed, so asking twice shows the same items
        if command == "/digest":
            return "\n".join(to_plain(r.text) for r in commands.preview_digest(ME))
        return text_of(commands, command)

    commands.handle(ME, "/length 4")
    assert "Fourth point" in shown()
    commands.handle(ME, "/length 1")
    assert "First point" in shown() and "Second point" not in shown()


def test_the_console_operator_may_see_stats(commands, conn):
    from bot.console import CONSOLE

    add(conn, "Counted")
    assert "Articles: 1" in text_of(commands, "/stats", CONSOLE)


def test_a_story_without_a_date_says_when_it_was_received_not_that_it_is_from_then(commands):
    # A page saved from 2015 carries no date: "4 Dec 2026" alone read as news of today.
    undated = add(commands.conn, "Saved page without a date", published=None)
    dated_seq = add(commands.conn, "Agency story", published=datetime(2026, 11, 2, 9, 0,
                                                                       tzinfo=UTC))
    latest = text_of(commands, "/latest")
    assert "received " in latest.split("Saved page without a date")[1].split("/article")[0]
    assert "received" not in latest.split("Agency story")[1].split("/article")[0]
    assert "received " in text_of(commands, f"/article {undated}")
    assert "2 Nov 2026, 10:00" in text_of(commands, f"/article {dated_seq}")
