"""Date strings from article files to timezone-aware UTC datetimes.

Accepts ISO 8601 (with or without offset, `Z`, fractional seconds, date only) and RFC 822
(RSS). A time without a zone is taken as UTC: that is what Prezly exports mean, and guessing a
local zone would be worse than a known rule.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_FRACTION = re.compile(r"(\.\d{6})\d+")
# Earlier dates are placeholders (1 Jan 1970 from an epoch of 0, 0001-01-01), not news dates.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Embargoed agency copy may carry a release time a little ahead; days ahead is a wrong clock.
FUTURE_MARGIN = timedelta(days=2)


def plausible(moment: datetime | None, now: datetime | None = None) -> datetime | None:
    """The moment if it can be a news article's date (from 1990 to just ahead of now), else None."""
    if moment is None:
        return None
    now = now or datetime.now(UTC)
    return moment if EARLIEST <= moment <= now + FUTURE_MARGIN else None


def parse_date(value: object) -> datetime | None:
    """Parse an ISO 8601 / RFC 822 string, epoch number or struct_time to UTC; None if unusable."""
    if isinstance(value, datetime):
        return _as_utc(value)
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
        return _as_utc(datetime.fromisoformat(_FRACTION.sub(r"\1", text)))
    except ValueError:
        pass
    try:
        return _as_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _as_utc(moment: datetime) -> datetime | None:
    """Attach UTC to naive times and convert aware ones to UTC."""
    try:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
