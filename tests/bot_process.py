"""Running the real `newsbot run` as a subprocess against the local Bot API stand-in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

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
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))
    return path


class BotProcess:
    """`python -m bot.cli run` with a token, pointed at the stand-in; log kept in a file."""

    def __init__(self, workdir: Path, api_url: str, **env: str) -> None:
        self.workdir = workdir
        self.log_path = workdir / f"bot-{time.monotonic_ns()}.log"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("TELEGRAM_", "NEWSBOT_"))}
        self.env.update({
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api_url,
            "NEWSBOT_DB": str(workdir / "newsbot.db"),
            "NEWSBOT_ARTICLES_DIR": str(workdir / "articles"),
            "NEWSBOT_INGEST_INTERVAL": "0.5",
            "NEWSBOT_SCHEDULE_TICK": "0.5",
            "NEWSBOT_SETTLE_SECONDS": "0",
            "PYTHONPATH": str(REPO),
            **env,
        })
        self.process: subprocess.Popen | None = None
        self.logs: list[str] = []

    def start(self) -> BotProcess:
        """Start the bot (does not wait for it to be ready)."""
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--log-level", "DEBUG", "run"],
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
