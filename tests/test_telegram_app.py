"""The PTB application's task keeping, without a network: what NewsBot.spawn starts while the
application is not running (post_init, the first scan, while stopping) is finished at stop."""

from __future__ import annotations

import asyncio
import warnings

from bot.settings import Settings
from bot.telegram_app import build_application
from tests.bot_process import TOKEN


def application(tmp_path):
    settings = Settings(token=TOKEN, db_path=tmp_path / "newsbot.db",
                        articles_dir=tmp_path / "articles")
    return build_application(settings)


def test_a_task_spawned_before_the_application_runs_is_awaited_at_stop(tmp_path):
    app, newsbot = application(tmp_path)
    finished = []

    async def pass_over_targets() -> None:
        await asyncio.sleep(0.05)
        finished.append(True)

    async def run() -> None:
        assert not app.running  # as in post_init, which PTB runs before start
        newsbot.spawn(pass_over_targets(), "stream")
        await newsbot.post_stop(app)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # PTB's "won't be automatically awaited" would raise
        asyncio.run(run())
    assert finished == [True] and not newsbot.outside_tasks


def test_tasks_a_kept_task_starts_meanwhile_are_awaited_too(tmp_path):
    app, newsbot = application(tmp_path)
    finished = []

    async def second() -> None:
        await asyncio.sleep(0.01)
        finished.append("second")

    async def first() -> None:
        newsbot.spawn(second(), "second")
        finished.append("first")

    async def run() -> None:
        newsbot.spawn(first(), "first")
        await newsbot.post_stop(app)

    asyncio.run(run())
    assert finished == ["first", "second"]


def test_a_task_left_when_the_application_never_ran_is_cancelled_at_shutdown(tmp_path):
    app, newsbot = application(tmp_path)
    cancelled = []

    async def endless() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def run() -> None:
        newsbot.spawn(endless(), "endless")
        await asyncio.sleep(0)
        await newsbot.post_shutdown(app)  # PTB skips post_stop when start never happened

    asyncio.run(asyncio.wait_for(run(), 5))
    assert cancelled == [True] and not newsbot.outside_tasks


def test_a_kept_task_that_fails_is_logged(tmp_path, caplog):
    app, newsbot = application(tmp_path)

    async def broken() -> None:
        raise RuntimeError("boom")

    async def run() -> None:
        newsbot.spawn(broken(), "broken")
        await newsbot.post_stop(app)

    asyncio.run(run())
    assert "task broken failed" in caplog.text
