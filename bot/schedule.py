"""When each target's digest is due, in its own time zone (pure functions).

Rather than one timer per chat (which does not scale to thousands of subscribers and must be
rebuilt at every start), one job ticks every minute and asks which targets are due: a target is
due when its most recent local digest moment has passed and it has had no digest since then. A
target may have several times a day ("07:30,12:00,18:00") and a set of weekdays (ISO numbers,
1 = Monday). This is DST-correct (the local time is resolved each day), survives restarts
(missed digests are sent at start, once), and groups all targets of the same minute into one
fan-out.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import LANGUAGES, _, fold_weekday, typed_weekdays, weekday_name
from bot.settings import parse_hhmm
from storage.chats import Chat, Mode

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY: tuple[int, ...] = ()


def last_due_moment(now: datetime, digest_time: str, timezone: str,
                    weekdays: tuple[int, ...] = EVERY_DAY) -> datetime | None:
    """The latest moment <= now at which the local clock read one of the times on one of the
    weekdays; `digest_time` is "HH:MM" or several, comma-separated. None: never in 8 days."""
    zone = ZoneInfo(timezone)
    times = sorted({parse_hhmm(t) or (8, 0) for t in digest_time.split(",") if t.strip()}
                   or {(8, 0)}, reverse=True)
    local_now = now.astimezone(zone)
    for days_back in range(8):
        day = (local_now - timedelta(days=days_back)).date()
        if weekdays and day.isoweekday() not in weekdays:
            continue
        for hour, minute in times:
            # A time inside a DST gap does not exist: zoneinfo maps it one hour on, which is
            # what a person expects ("08:00" never falls in a gap; "02:30" fires at 03:30). A
            # time the fall-back repeats is its first occurrence. Compared as instants (UTC):
            # two datetimes in the same zone compare by their wall clocks, which made the gap's
            # 02:30 due from 03:00 on while its instant was still ahead, so it was due again at
            # every tick until 03:30, one digest a minute.
            moment = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
            if moment <= now:
                return moment
    return None


def is_due(chat: Chat, now: datetime, default_time: str, default_timezone: str) -> bool:
    """Whether a subscribed target should get its digest now."""
    return due_chats([chat], now, default_time, default_timezone) == [chat]


def due_chats(chats: list[Chat], now: datetime, default_time: str,
              default_timezone: str) -> list[Chat]:
    """The digest targets whose digest is due now (instant targets never are)."""
    moments: dict[tuple[str, str, tuple[int, ...]], datetime | None] = {}  # few distinct keys
    due = []
    for chat in chats:
        if not (chat.subscribed and chat.active) or chat.mode is not Mode.DIGEST:
            continue
        key = (chat.digest_time or default_time, chat.timezone or default_timezone,
               chat.weekdays)
        if key not in moments:
            moments[key] = last_due_moment(now, *key)
        moment = moments[key]
        if moment is None:
            continue
        # A target that subscribed after the latest digest moment starts at the next one.
        previous = max((t for t in (chat.last_digest_at, chat.subscribed_at) if t is not None),
                       default=None)
        if previous is None or previous < moment:
            due.append(chat)
    return due


_MERIDIEM_APART = re.compile(r"(?<=\d)\s+([ap]\.?m\.?)(?!\w)", re.IGNORECASE)


def glue_meridiem(text: str) -> str:
    """"6:30 pm" as "6:30pm": one time for whoever splits the text into words."""
    return _MERIDIEM_APART.sub(r"\1", text)


def parse_times(text: str) -> tuple[str, ...] | None:
    """("07:30", "12:00") from "7:30, 12:00" (or "7:30 am, noon" spelt "12pm"); None if any
    part is not a time."""
    text = glue_meridiem(text)
    parts = [part for part in re.split(r"[,\s]+", text.strip()) if part]
    parsed = [parse_hhmm(part) for part in parts]
    if not parts or any(p is None for p in parsed):
        return None
    return tuple(sorted({f"{h:02d}:{m:02d}" for h, m in parsed}))  # type: ignore[misc]


# Words for every day, the working week and the weekend, in each interface language, folded as
# fold_weekday folds a typed word; "every day" as the settings show it is among them.
_DAY_SETS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(("daily", "everyday", "every day", "all", "mon-sun", "elke dag",
                     "dagelijks", "alle dagen", "tous les jours", "chaque jour", "quotidien",
                     "jeden tag", "taglich", "alle tage"), EVERY_DAY),
    **dict.fromkeys(("weekdays", "workdays", "werkdagen", "weekdagen", "en semaine",
                     "jours ouvrables", "werktags", "wochentags", "werktage"), (1, 2, 3, 4, 5)),
    **dict.fromkeys(("weekends", "weekend", "week-end", "week-ends", "wochenende",
                     "wochenenden"), (6, 7)),
}


def parse_weekdays(text: str) -> tuple[int, ...] | None:
    """ISO weekdays from "mon-fri", "ma-vr", "lun.-ven.", "sat,sun", "daily"/"elke dag"/"täglich"
    (()), "weekdays"/"werktags", "weekend"/"week-end"; None if unreadable."""
    text = text.strip().lower()
    phrase = " ".join(fold_weekday(word) for word in text.split())
    if phrase in _DAY_SETS:
        return _DAY_SETS[phrase]
    days: set[int] = set()
    for part in (p for p in re.split(r"[,\s]+", text) if p):
        first, _, last = part.partition("-")
        start = typed_weekday(first)
        end = typed_weekday(last) if last else start
        if start is None or end is None:
            return None
        span = (end - start) % 7
        days.update((start - 1 + offset) % 7 + 1 for offset in range(span + 1))
    return tuple(sorted(days)) if days and len(days) < 7 else (EVERY_DAY if days else None)


def typed_weekday(word: str) -> int | None:
    """The ISO weekday of a name typed in any interface language ('fri', 'friday', 'vr',
    'vrijdag', 'ven.', 'Freitag'; any case, accents optional); None if it is none."""
    folded = fold_weekday(word)
    for language in LANGUAGES:
        if folded in typed_weekdays(language):
            return typed_weekdays(language)[folded]
    # English as always: any word starting with a day's three letters ('thurs', 'weds').
    return WEEKDAY_NAMES.index(folded[:3]) + 1 if folded[:3] in WEEKDAY_NAMES else None


def describe_weekdays(weekdays: tuple[int, ...]) -> str:
    """'every day', 'mon-fri' or 'mon, wed, fri' for a settings line, in the current language."""
    if not weekdays:
        return _("every day")
    if weekdays == tuple(range(weekdays[0], weekdays[-1] + 1)) and len(weekdays) > 2:
        return f"{weekday_name(weekdays[0])}-{weekday_name(weekdays[-1])}"
    return ", ".join(weekday_name(d) for d in weekdays)
