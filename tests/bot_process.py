"""Running the real `newsbot run` as a subprocess against the local Bot API stand-in.

Also the pieces end-to-end tests share: `wait_until`, `ask`, the `newsbot` CLI as a subprocess
(`newsbot_cli`), and the `api` / `workdir` / `start_bot` fixtures (a test module takes them with
`api = bot_process.api` etc.).
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage import chats as chat_store
from storage.db import open_database
from tests.botapi import BotApiStandIn
from tests.helpers import age, clean_env

TOKEN = "123456789:AAE-test-token-that-must-never-be-logged"


def story(uuid: str, title: str, body: str | None = None, language: str = "en") -> str:
    """A Prezly story export with a recognisable title."""
    body = body or (f"<p>{title} was announced on Tuesday by the city council.</p>"
                    "<p>The plan takes effect next month, officials said.</p>")
    return json.dumps({"uuid": uuid, "title": title, "body": body, "culture": language,
                       "published_at": "2026-11-25 08:00:00",
                       "url": f"https://news.example.org/{uuid}"})


def drop_story(folder: Path, uuid: str, title: str, **extra) -> Path:
    """Write a story into the drop folder, aged past the settle time."""
    path = folder / f"{uuid}.json"
    path.write_text(story(uuid, title, **extra), encoding="utf-8")
    return age(path)


class BotProcess:
    """`python -m bot.cli run` with a token, pointed at the stand-in; log kept in a file."""

    def __init__(self, workdir: Path, api_url: str, log_level: str = "DEBUG",
                 **env: str) -> None:
        self.workdir = workdir
        self.log_level = log_level
        self.log_path = workdir / f"bot-{time.monotonic_ns()}.log"
        self.env = clean_env(**{
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api_url,
            "NEWSBOT_DB": str(workdir / "newsbot.db"),
            "NEWSBOT_ARTICLES_DIR": str(workdir / "articles"),
            "NEWSBOT_INGEST_INTERVAL": "0.5",
            "NEWSBOT_SCHEDULE_TICK": "0.5",
            **env,
        })
        self.process: subprocess.Popen | None = None
        self.logs: list[str] = []

    def start(self) -> BotProcess:
        """Start the bot (does not wait for it to be ready)."""
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--log-level", self.log_level, "run"],
            cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        log.close()
        return self

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM, as systemd does; returns the exit code (raises if it hangs)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self._collect()

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)
        self._collect()

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """Everything the process wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _collect(self) -> None:
        self.logs.append(self.log())


def newsbot_cli(workdir: Path, *args: str, **env: str) -> subprocess.Popen:
    """Start `python -m bot.cli ARGS` on the workdir's database (no token); output piped."""
    environment = clean_env(**{"NEWSBOT_DB": str(workdir / "newsbot.db"),
                               "NEWSBOT_ARTICLES_DIR": str(workdir / "articles"), **env})
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=workdir,
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)


def wait_until(condition, timeout: float = 15, interval: float = 0.1):
    """Poll until `condition()` is truthy and return it; fail with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def ask(api: BotApiStandIn, chat_id: int, text: str, user_id: int | None = None,
        timeout: float = 15, **kwargs) -> dict:
    """Send a command as a user and return the bot's next message to that chat."""
    before = len(api.messages_to(chat_id))
    api.inject_message(chat_id, text, user_id=user_id, **kwargs)
    return api.wait_for_messages(chat_id, before + 1, timeout=timeout)[before]


def subscribe(workdir: Path, chat_id: int, type: str = "private") -> None:
    """A chat subscribed two days ago whose local digest time passed a minute ago."""
    db = open_database(workdir / "newsbot.db")
    local = datetime.now(ZoneInfo("Europe/Brussels")) - timedelta(minutes=1)
    chat_store.update_chat(db.conn, chat_id, type=type, subscribed=True,
                           digest_time=f"{local:%H:%M}",
                           subscribed_at=datetime.now(UTC) - timedelta(days=2))
    db.conn.close()


def db_rows(db: Path, sql: str, params: tuple = (), readonly: bool = False) -> list[tuple]:
    """Run one query on a database file as a second process would, and close it."""
    target = f"file:{db}?mode=ro" if readonly else str(db)
    with contextlib.closing(sqlite3.connect(target, uri=readonly, timeout=5)) as conn:
        return conn.execute(sql, params).fetchall()


def stored_chat(workdir: Path, chat_id: int) -> chat_store.Chat | None:
    """The chat's row as the bot stored it, or None."""
    conn = sqlite3.connect(workdir / "newsbot.db")
    try:
        return chat_store.get_chat(conn, chat_id)
    finally:
        conn.close()


def digest_messages(api: BotApiStandIn, chat_id: int) -> list[dict]:
    """The digest messages a chat received."""
    return [m for m in api.messages_to(chat_id) if "News digest" in m["plain"]
            or "/article" in m["plain"]]


WEBHOOK_URL = "https://bot.example.org/newsbot/telegram"  # public; the stand-in's proxy maps it


def start_webhook_bot(start_bot, port: int, **env: str) -> BotProcess:
    """Start `newsbot run` in webhook mode on `port`; return once it scanned the folder and
    listens for Telegram (the first scan runs at start, before the webhook server is up)."""
    bot = start_bot(wait=False, NEWSBOT_WEBHOOK_URL=WEBHOOK_URL,
                    NEWSBOT_WEBHOOK_PORT=str(port), **env)
    wait_until(lambda: "bot.telegram_app: ingest:" in bot.log(), timeout=30)
    wait_until(lambda: listening(port), timeout=30)
    return bot


def listening(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:port."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
        return True
    return False


@pytest.fixture
def api():
    """The Bot API stand-in."""
    with BotApiStandIn(token=TOKEN) as stand_in:
        yield stand_in


@pytest.fixture
def workdir(tmp_path):
    """A working folder with a drop folder holding two stories."""
    (tmp_path / "articles").mkdir()
    drop_story(tmp_path / "articles", "s1", "Harbour expansion approved in Antwerp")
    drop_story(tmp_path / "articles", "s2", "New tram line opens in Ghent")
    return tmp_path


@pytest.fixture
def start_bot(api, workdir):
    """Start `newsbot run`; stopped at the end, its logs checked for the token and tracebacks."""
    bots: list[BotProcess] = []

    def start(wait: bool = True, log_level: str = "DEBUG", **env: str) -> BotProcess:
        bot = BotProcess(workdir, api.url, log_level=log_level, **env).start()
        bots.append(bot)
        if wait:
            api.wait_for_calls("getUpdates", timeout=30)
            # The first scan's summary line (its "rejected ..." warnings follow it).
            wait_until(lambda: "bot.telegram_app: ingest:" in bot.log(), timeout=20)
        return bot

    yield start
    for bot in bots:
        if bot.alive():
            bot.stop()
        for log in bot.logs:
            assert TOKEN not in log and TOKEN.split(":")[1] not in log
            assert "Traceback" not in log, log[-3000:]
            # A task PTB would neither keep nor await (bot.telegram_app: NewsBot.spawn).
            assert "won't be automatically awaited" not in log, log[-3000:]
