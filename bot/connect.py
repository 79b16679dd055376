"""Reaching the Bot API at start: retry while it is unreachable, saying so once a minute.

PTB's own start-up loop retries silently (DEBUG) and logs a rejected token with a traceback;
here the first contact is made by us, so the operator reads one WARNING a minute while Telegram
cannot be reached, "connected as @name" when it answers, and a rejected token as one line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from telegram import User
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

log = logging.getLogger(__name__)

WARN_EVERY = 60.0  # seconds between two "cannot reach" warnings
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # then every 30 s; never past the next warning


class RetryNotice:
    """Decides when a repeated failure is worth a warning: the first time, then once a minute."""

    def __init__(self, every: float = WARN_EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self.last: float | None = None

    def due(self) -> bool:
        """Whether to warn now (and remember that we did)."""
        now = self.clock()
        if self.last is not None and now - self.last < self.every:
            return False
        self.last = now
        return True

    def remaining(self) -> float:
        """Seconds until a failure would be worth a warning again (0: now)."""
        if self.last is None:
            return 0.0
        return max(0.0, self.every - (self.clock() - self.last))

    def reset(self) -> None:
        """The failure is over: the next one warns at once."""
        self.last = None


def api_host(api_url: str) -> str:
    """The host (and port) of the Bot API root, for messages: never a path, never the token."""
    return urlsplit(api_url).netloc or api_url


async def connect(app: Application, api_url: str, notice: RetryNotice | None = None) -> User:
    """Initialize the application (getMe) until Telegram answers; return the bot's user.

    Raises InvalidToken when Telegram refuses the token: retrying would not help.
    """
    notice = notice or RetryNotice()
    attempt = 0
    while True:
        try:
            await app.initialize()
            return app.bot.bot
        except InvalidToken:
            raise
        except NetworkError as error:  # includes timeouts; the message never holds the token
            if notice.due():
                log.warning("cannot reach %s (%s), retrying", api_host(api_url), error.message)
        # Never sleeping past the next warning's minute: with the delays alone (0, 1, 3, 8, 18,
        # 48, 78 s) the first repeat came after 78 s.
        await asyncio.sleep(min(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)],
                                notice.remaining()))
        attempt += 1
