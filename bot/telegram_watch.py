"""Watching every Bot API request: when Telegram last answered, and which sends failed how.

PTB's HTTPXRequest with one hook around `do_request`. Watching here, below the rate limiter and
every retry loop, counts each 429, 5xx and reset that Telegram actually gave, including the ones
the rate limiter waits out on its own and that the callers never see.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from bot import metrics
from bot.metrics import SendError


@dataclass(slots=True)
class TelegramContact:
    """When the Bot API last gave an answer that was not a server error (monotonic seconds)."""

    last_answer: float | None = None

    def answered(self) -> None:
        """Note an answer now."""
        self.last_answer = time.monotonic()


class WatchedRequest(HTTPXRequest):
    """HTTPXRequest that tells a TelegramContact about answers and counts send failures."""

    def __init__(self, contact: TelegramContact, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.contact = contact

    async def do_request(self, url: str, method: str, *args: Any,
                         **kwargs: Any) -> tuple[int, bytes]:
        """Make the request as HTTPXRequest does, and note what came of it."""
        sending = is_send(url.rsplit("/", 1)[-1])
        try:
            code, payload = await super().do_request(url, method, *args, **kwargs)
        except NetworkError:  # TimedOut included: no answer at all
            if sending:
                metrics.send_error(SendError.NETWORK)
            raise
        if code < 500:
            self.contact.answered()
        if code == 429:
            metrics.flood_wait(retry_after(payload))
        kind = error_kind(code, payload)
        if sending and kind is not None:
            metrics.send_error(kind)
        return code, payload


def is_send(endpoint: str) -> bool:
    """Whether a Bot API method sends or edits a message."""
    return endpoint.lower().startswith(("send", "edit"))


def error_kind(code: int, payload: bytes) -> SendError | None:
    """The kind of a failed answer, or None for success (and for 'message is not modified')."""
    if code < 400:
        return None
    if code == 429:
        return SendError.FLOOD
    if code == 403:
        return SendError.FORBIDDEN
    if code >= 500:
        return SendError.SERVER
    if b"message is not modified" in payload:  # an edit with nothing new: not a failure
        return None
    return SendError.BAD_REQUEST


def retry_after(payload: bytes) -> float:
    """The retry_after a 429 answer names, in seconds (0 when it names none)."""
    try:
        value = json.loads(payload).get("parameters", {}).get("retry_after", 0)
        return float(value)
    except (ValueError, TypeError, AttributeError):
        return 0.0
