"""What a front end shows and who asked: Reply (with its Outcome), Button and Caller.

Telegram, the console and the command logic all import these, so neither front end needs to
import the command module to send a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button that sends `data` back (at most 64 bytes)."""

    text: str
    data: str


class Outcome(StrEnum):
    """What a reply tells, for front ends that answer differently (the CLI's exit status)."""

    OK = "ok"
    EMPTY = "empty"  # a valid request with nothing to show ("No articles yet.")
    NOT_FOUND = "not found"  # the thing asked for does not exist (/article 999)
    BAD_INPUT = "bad input"  # the request cannot be read; the text says how to fix it
    REFUSED = "refused"  # not allowed for this user


@dataclass(slots=True)
class Reply:
    """One message to show: Telegram-HTML text, optional buttons, and ledger bookkeeping."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    outcome: Outcome = Outcome.OK
    article_ids: list[str] = field(default_factory=list)  # record as delivered once sent
    digest_cursor: int | None = None  # on the last message of a digest: move the cursor here
    preview_url: str | None = None  # the link Telegram previews under the text; None: none
    large_preview: bool = False  # show the preview's image large, above the text
    layout: dict | None = None  # how to render it again after a story changes (bot.revisions)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the chat (and forum topic), the user, and whether they may change the
    chat's settings."""

    chat_id: int
    user_id: int | None = None
    chat_type: str = "private"
    chat_title: str | None = None
    can_manage: bool = True
    thread_id: int = 0  # the forum topic the command came from; 0: the chat itself
    operator: bool = False  # the server's own operator (console, CLI): may use admin commands
    language_code: str | None = None  # the user's Telegram app language (IETF tag), if sent
    # A language the front end fixes for its answers, over any chat's choice: the one-shot CLI
    # speaks its own environment's (NEWSBOT_LANGUAGE, else LANG), not the console's /language.
    answer_language: str | None = None
