"""Date strings from article files to timezone-aware UTC datetimes.

Accepts ISO 8601 (with or without offset, `Z`, fractional seconds, date only) and RFC 822
(RSS), with the European zone abbreviations feeds use (CET, CEST, BST, EET…) besides RFC 822's.
A time without a zone is taken as UTC: that is what Prezly exports mean, and guessing a local
zone would be worse than a known rule. Agency copy is the exception (`parse_sender_date`): Belga,
NTB, STT, Ritzau and dpa write their own local time without a zone, and the agencies a newsroom
takes are, by far most often, those of its own country, so such a time is read in the newsroom's
zone (NEWSBOT_TIMEZONE, set around reading by `bot.ingest`), not as UTC: a Belga story sent at
16:02 in Brussels was shown as sent at 18:02.
"""

from __future__ import annotations

import calendar
import re
import time
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime

_FRACTION = re.compile(r"(\.\d{6})\d+")
# Earlier dates are placeholders (1 Jan 1970 from an epoch of 0, 0001-01-01), not news dates.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Embargoed agency copy may carry a release time a little ahead; days ahead is a wrong clock.
FUTURE_MARGIN = timedelta(days=2)
# Zone abbreviations RFC 822 does not know (it knows UT, GMT and the US ones) but European
# feeds write: "19:40:52 CEST" was read as 19:40 UTC, two hours off. Ambiguous ones (IST: India,
# Ireland, Israel) stay unknown, as RFC 822 says an unknown zone is.
_EUROPEAN_ZONES = {
    "WET": "+0000", "WEST": "+0100", "BST": "+0100", "IST": None, "CET": "+0100",
    "CEST": "+0200", "MEZ": "+0100", "MESZ": "+0200", "EET": "+0200", "EEST": "+0300",
    "MSK": "+0300",
}
_TRAILING_ZONE = re.compile(r"\s([A-Z]{3,4})\s*$")
# The zone agency copy means by a time written without one (see the module's docstring).
SENDER_ZONE: ContextVar[tzinfo] = ContextVar("sender_zone", default=UTC)


def plausible(moment: datetime | None, now: datetime | None = None) -> datetime | None:
    """The moment if it can be a news article's date (from 1990 to just ahead of now), else None."""
    if moment is None:
        return None
    now = now or datetime.now(UTC)
    return moment if EARLIEST <= moment <= now + FUTURE_MARGIN else None


def parse_date(value: object, naive_zone: tzinfo = UTC) -> datetime | None:
    """Parse an ISO 8601 / RFC 822 string, epoch number or struct_time to UTC; None if unusable."""
    if isinstance(value, datetime):
        return _as_utc(value, naive_zone)
    if isinstance(value, time.struct_time):
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        return _as_utc(datetime.fromisoformat(_FRACTION.sub(r"\1", text)), naive_zone)
    except ValueError:
        pass
    try:
        return _as_utc(parsedate_to_datetime(_numeric_zone(text)), naive_zone)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def parse_sender_date(value: object) -> datetime | None:
    """`parse_date` for agency copy: a time without a zone is the sender's local time."""
    return parse_date(value, SENDER_ZONE.get())


def _numeric_zone(text: str) -> str:
    """An RFC 822 date with a European zone abbreviation written as its offset."""
    match = _TRAILING_ZONE.search(text)
    offset = _EUROPEAN_ZONES.get(match.group(1)) if match else None
    return f"{text[:match.start(1)]}{offset}" if offset else text


def _as_utc(moment: datetime, naive_zone: tzinfo = UTC) -> datetime | None:
    """Read naive times in `naive_zone` and convert every time to UTC."""
    try:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=naive_zone).astimezone(UTC)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
