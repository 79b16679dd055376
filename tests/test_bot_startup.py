"""End to end: what `newsbot run` says and does at start, against the real PTB stack over HTTP.

The bot runs as a subprocess pointed (TELEGRAM_API_URL) at the Bot API stand-in, or at a port
where nothing listens; only its log and what the stand-in received are inspected.
"""

from __future__ import annotations

import socket

from storage import chats as chat_store
from storage.chats import Mode
from storage.db import open_database
from tests.bot_process import TOKEN, BotProcess, ask, drop_story, wait_until
from tests.helpers import age

USER, GROUP = 2001, -1000000000888


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_first_scan_runs_at_start_not_after_an_interval(api, start_bot):
    bot = start_bot(NEWSBOT_INGEST_INTERVAL="3600")  # the fixture waits for the first scan
    assert "Harbour expansion approved" in ask(api, USER, "/latest")["plain"]
    assert "connected as @newsbot_test_bot, polling" in bot.log()


def test_the_first_posts_go_out_from_tasks_that_are_awaited_not_orphaned(api, start_bot,
                                                                         workdir):
    # post_init (before PTB's start) asks for the first stream pass: PTB would not await a task
    # created then, and warned at every start.
    api.add_chat(USER)
    db = open_database(workdir / "newsbot.db")
    chat_store.update_chat(db.conn, USER, subscribed=True, mode=Mode.INSTANT)
    db.conn.close()
    bot = start_bot()
    wait_until(lambda: len(api.messages_to(USER)) == 2)
    assert bot.stop() == 0
    assert "automatically awaited" not in bot.log() and "PTBUserWarning" not in bot.log()


def test_a_rejected_file_is_one_warning_in_the_log(api, start_bot, workdir):
    junk = workdir / "articles" / "junk.json"
    junk.write_bytes(b"\x00\x01binary\x00")
    age(junk)
    bot = start_bot(log_level="INFO")
    wait_until(lambda: "junk.json" in bot.log())
    bot.stop()
    [line] = [line for line in bot.log().splitlines() if "junk.json" in line]
    assert "WARNING bot.telegram_app: rejected" in line and "binary" in line


def test_an_unreachable_api_is_a_warning_then_a_clean_stop(start_bot):
    port = closed_port()
    bot = start_bot(wait=False, TELEGRAM_API_URL=f"http://127.0.0.1:{port}")
    wait_until(lambda: f"WARNING bot.connect: cannot reach 127.0.0.1:{port}" in bot.log(),
               timeout=30)
    wait_until(lambda: "bot.telegram_app: ingest:" in bot.log(), timeout=30)  # scans anyway
    assert "retrying" in bot.log() and "connected as" not in bot.log()
    assert bot.stop() == 0


def test_a_rejected_token_is_one_line_without_a_traceback(api, workdir):
    wrong = "987654321:AAE-a-token-the-stand-in-does-not-know-xx"
    bot = BotProcess(workdir, api.url, log_level="INFO", TELEGRAM_BOT_TOKEN=wrong).start()
    assert bot.process.wait(30) == 2
    log = bot.log()
    assert "rejected TELEGRAM_BOT_TOKEN" in log and "Traceback" not in log
    assert wrong not in log and wrong.split(":")[1] not in log and TOKEN not in log


def test_a_missing_drop_folder_is_a_warning_at_start(api, start_bot, workdir):
    bot = start_bot(NEWSBOT_ARTICLES_DIR=str(workdir / "nowhere"))
    assert "WARNING bot.telegram_app: drop folder" in bot.log()
    assert "does not exist" in bot.log()


def test_commands_for_another_bot_are_ignored_and_ours_answered(api, start_bot):
    api.add_chat(GROUP, type="supergroup", title="Newsroom")
    start_bot()
    api.inject_message(GROUP, "/latest@some_other_bot", user_id=USER, chat_type="supergroup")
    answered = ask(api, GROUP, "/latest@newsbot_test_bot 1", user_id=USER,
                   chat_type="supergroup")
    assert "(1–1)" in answered["plain"]
    assert len(api.messages_to(GROUP)) == 1  # nothing for the other bot's command


def test_plain_text_in_a_private_chat_gets_a_hint(api, start_bot):
    start_bot()
    assert "/help" in ask(api, USER, "hello there")["plain"]


def test_latest_twenty_arrives_whole_and_pages_on(api, start_bot, workdir):
    body = "".join(f"<p>Sentence {n} of a long report on the harbour plan and its many "
                   f"costs, delays and hopes for the city.</p>" for n in range(8))
    for number in range(25):
        drop_story(workdir / "articles", f"long{number:02d}", f"Long story {number:02d}",
                   body=body)
    start_bot()
    ask(api, USER, "/length 5")
    before = len(api.messages_to(USER))
    api.inject_message(USER, "/latest 20")
    wait_until(lambda: any(m.get("reply_markup") for m in api.messages_to(USER)[before:]))
    page = api.messages_to(USER)[before:]
    shown = "\n".join(m["plain"] for m in page)
    assert len(page) > 1 and "(1–20)" in shown and shown.count("/article") == 20
    [[older]] = page[-1]["reply_markup"]["inline_keyboard"]
    api.inject_callback(USER, page[-1]["message_id"], older["callback_data"], user_id=USER)
    wait_until(lambda: "(21–" in "\n".join(m["plain"] for m in api.sent))


def test_a_stale_button_gets_a_notice(api, start_bot):
    start_bot()
    shown = ask(api, USER, "/latest 1")
    api.inject_callback(USER, shown["message_id"], "l:zz:1", user_id=USER, check_button=False)
    wait_until(lambda: api.callback_answers)
    assert "no longer) valid" in api.callback_answers[-1].get("text", "")
