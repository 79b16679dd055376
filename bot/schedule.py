"""When each chat's daily digest is due, in the chat's own time zone (pure functions).

Rather than one timer per chat (which does not scale to thousands of subscribers and must be
rebuilt at every start), one job ticks every minute and asks which chats are due: a chat is due
when its most recent local digest time has passed and it has had no digest since then. This is
DST-correct (the local time is resolved each day), survives restarts (missed digests are sent at
start), and groups all chats of the same minute into one fan-out.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.settings import parse_hhmm
from storage.chats import Chat


def last_due_moment(now: datetime, digest_time: str, timezone: str) -> datetime:
    """The latest moment <= now at which the local clock in `timezone` read `digest_time`."""
    zone = ZoneInfo(timezone)
    hour, minute = parse_hhmm(digest_time) or (8, 0)
    local_now = now.astimezone(zone)
    for days_back in (0, 1, 2):
        day = (local_now - timedelta(days=days_back)).date()
        # A time inside a DST gap does not exist: zoneinfo maps it one hour on, which is what
        # a person expects ("08:00" never falls in a gap; "02:30" fires at 03:30 that day).
        moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
        if moment <= local_now:
            return moment
    raise AssertionError("unreachable: two days back is always in the past")


def is_due(chat: Chat, now: datetime, default_time: str, default_timezone: str) -> bool:
    """Whether a subscribed chat should get its daily digest now."""
    return due_chats([chat], now, default_time, default_timezone) == [chat]


def due_chats(chats: list[Chat], now: datetime, default_time: str,
              default_timezone: str) -> list[Chat]:
    """The chats whose digest is due now."""
    moments: dict[tuple[str, str], datetime] = {}  # most chats share a few times and zones
    due = []
    for chat in chats:
        if not (chat.subscribed and chat.active):
            continue
        key = (chat.digest_time or default_time, chat.timezone or default_timezone)
        if key not in moments:
            moments[key] = last_due_moment(now, *key)
        # A chat that subscribed after today's digest time starts tomorrow.
        previous = max((t for t in (chat.last_digest_at, chat.subscribed_at) if t is not None),
                       default=None)
        if previous is None or previous < moments[key]:
            due.append(chat)
    return due
