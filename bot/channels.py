"""Channels and groups the bot's admins manage: how they are named, what Telegram said.

No Telegram here (the command logic imports it); bot.channel_check asks Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REFERENCE = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,15}|-\d{5,15}")


@dataclass(frozen=True, slots=True)
class ChannelCheck:
    """What Telegram said about a channel or group: its identity, or why the bot cannot post."""

    ok: bool
    chat_id: int = 0
    type: str = ""
    title: str | None = None
    username: str | None = None
    problem: str = ""  # an N_() message, translated where it is shown; may hold {reason}
    reason: str = ""  # Telegram's own words, in English, as it sent them


def channel_reference(text: str) -> str | int | None:
    """'@news_nl' or -1001234567890 from what an admin typed; None when it is neither."""
    text = text.strip()
    if not _REFERENCE.fullmatch(text):
        return None
    return text if text.startswith("@") else int(text)
