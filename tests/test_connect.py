"""The "cannot reach" warning: at the first failure, then once a minute, at start-up and while
polling."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from telegram.error import NetworkError

import bot.connect as connect_module
from bot.connect import RetryNotice, api_host, connect
from bot.settings import Settings
from bot.telegram_app import build_application
from tests.bot_process import TOKEN


def test_the_retry_notice_warns_at_once_then_once_a_minute():
    now = [0.0]
    notice = RetryNotice(every=60, clock=lambda: now[0])
    seen = []
    for second in range(0, 181, 5):
        now[0] = float(second)
        seen.append(notice.due())
    assert [s for s, due in zip(range(0, 181, 5), seen, strict=True) if due] == [0, 60, 120, 180]


def test_notice_warns_at_once_again_after_a_reset():
    notice = RetryNotice(every=60, clock=lambda: 5.0)
    assert notice.due() and not notice.due()
    notice.reset()
    assert notice.due()


def test_api_host_is_host_and_port_only():
    assert api_host("http://127.0.0.1:8081") == "127.0.0.1:8081"
    assert api_host("https://api.telegram.org") == "api.telegram.org"


class Stop(Exception):
    """Ends the retry loop of a test."""


class Recorded(RetryNotice):
    """A notice on a fake clock that remembers when it warned."""

    def __init__(self, clock) -> None:
        super().__init__(every=60, clock=clock)
        self.warned: list[float] = []

    def due(self) -> bool:
        warn = super().due()
        if warn:
            self.warned.append(self.clock())
        return warn


class Unreachable:
    """An Application whose getMe never gets through."""

    async def initialize(self) -> None:
        raise NetworkError("connection refused")


def test_start_up_retries_warn_once_a_minute_not_at_the_backoff_steps(monkeypatch):
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        if now[0] > 200:
            raise Stop

    monkeypatch.setattr(connect_module.asyncio, "sleep", sleep)
    notice = Recorded(lambda: now[0])
    with pytest.raises(Stop):
        asyncio.run(connect(Unreachable(), "http://127.0.0.1:9", notice))
    # The backoff alone (1, 2, 5, 10, 30 s) first warned again after 78 s.
    assert notice.warned == [0.0, 60.0, 120.0, 180.0]


class Jobs:
    """A JobQueue stand-in on a fake clock: remembers what run_once was asked to run, when."""

    def __init__(self, now: list[float]) -> None:
        self.now = now
        self.pending: list[tuple[object, float]] = []

    def run_once(self, callback, when: float, name: str | None = None) -> object:
        self.pending.append((callback, self.now[0] + when))
        return callback

    def run_next(self) -> float:
        """Run the next job at its time; return that time."""
        callback, at = self.pending.pop(0)
        self.now[0] = at
        asyncio.run(callback(SimpleNamespace(job_queue=self)))
        return at


def test_polling_that_cannot_reach_telegram_warns_once_a_minute_until_it_answers(tmp_path,
                                                                                 caplog):
    now = [0.0]
    settings = Settings(token=TOKEN, db_path=tmp_path / "n.db", api_url="http://127.0.0.1:9")
    _app, newsbot = build_application(settings)
    newsbot.unreachable = RetryNotice(every=60, clock=lambda: now[0])
    jobs = Jobs(now)

    def failed_poll(at: float) -> None:
        now[0] = at
        context = SimpleNamespace(error=NetworkError("connection refused"), job_queue=jobs)
        asyncio.run(newsbot.on_error(None, context))

    def warnings() -> int:
        return caplog.text.count("cannot reach 127.0.0.1:9 (connection refused), retrying")

    # PTB's own retries (1 s, growing by half to 30 s): alone, they warned again at 74.9 s.
    for second in (0, 1, 2.5, 4.75, 8.1, 13.2, 20.8, 32.2, 49.3):
        failed_poll(second)
    assert warnings() == 1 and len(jobs.pending) == 1  # one look pending, not one per failure
    assert jobs.run_next() == 60 and warnings() == 2
    failed_poll(74.9)
    assert warnings() == 2
    assert jobs.run_next() == 120 and warnings() == 3
    newsbot.contact.last_answer = 130.0  # Telegram is back
    assert jobs.run_next() == 180 and warnings() == 3 and not jobs.pending
    failed_poll(500)  # lost again: said at once
    assert warnings() == 4
