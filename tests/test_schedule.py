"""Daily digest timing in each chat's own time zone, across DST and restarts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.schedule import due_chats, is_due, last_due_moment
from storage.chats import Chat

BRUSSELS = "Europe/Brussels"


def chat(**fields) -> Chat:
    """A subscribed chat with a digest at 08:00 Brussels time unless told otherwise."""
    defaults = {"chat_id": 1, "subscribed": True, "digest_time": "08:00", "timezone": BRUSSELS,
                "subscribed_at": datetime(2026, 1, 1, tzinfo=UTC)}
    return Chat(**{**defaults, **fields})


@pytest.mark.parametrize("now_utc, due_utc", [
    # Winter (UTC+1): 08:00 local is 07:00 UTC.
    (datetime(2026, 1, 15, 7, 0, 30, tzinfo=UTC), datetime(2026, 1, 15, 7, 0, tzinfo=UTC)),
    # Summer (UTC+2): 08:00 local is 06:00 UTC.
    (datetime(2026, 7, 15, 6, 1, tzinfo=UTC), datetime(2026, 7, 15, 6, 0, tzinfo=UTC)),
    # The DST switch day itself (29 March 2026): already on summer time at 08:00.
    (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
    # Before today's time: yesterday's moment.
    (datetime(2026, 1, 15, 6, 59, tzinfo=UTC), datetime(2026, 1, 14, 7, 0, tzinfo=UTC)),
])
def test_last_due_moment_is_dst_correct(now_utc, due_utc):
    assert last_due_moment(now_utc, "08:00", BRUSSELS) == due_utc


def test_due_once_a_day():
    morning = datetime(2026, 1, 15, 7, 0, 5, tzinfo=UTC)
    assert is_due(chat(), morning, "08:00", BRUSSELS)
    delivered = chat(last_digest_at=morning)
    assert not is_due(delivered, datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "08:00", BRUSSELS)
    assert is_due(delivered, datetime(2026, 1, 16, 7, 0, 1, tzinfo=UTC), "08:00", BRUSSELS)


def test_missed_digest_is_sent_after_a_restart():
    down_at_eight = chat(last_digest_at=datetime(2026, 1, 14, 7, 0, tzinfo=UTC))
    back_at_ten = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert is_due(down_at_eight, back_at_ten, "08:00", BRUSSELS)


def test_new_subscriber_after_todays_time_waits_for_tomorrow():
    late = chat(subscribed_at=datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    assert not is_due(late, datetime(2026, 1, 15, 9, 1, tzinfo=UTC), "08:00", BRUSSELS)
    assert is_due(late, datetime(2026, 1, 16, 7, 0, tzinfo=UTC), "08:00", BRUSSELS)


def test_each_chat_uses_its_own_zone_and_defaults():
    now = datetime(2026, 1, 15, 13, 30, tzinfo=UTC)  # 08:30 in New York, 22:30 in Tokyo
    last = datetime(2026, 1, 15, 0, 0, tzinfo=UTC)
    chats = [chat(chat_id=1, timezone="America/New_York", last_digest_at=last),
             chat(chat_id=2, timezone="Asia/Tokyo", digest_time="23:00", last_digest_at=last),
             chat(chat_id=3, timezone=None, digest_time=None, last_digest_at=last),
             chat(chat_id=4, active=False), chat(chat_id=5, subscribed=False)]
    due = {c.chat_id for c in due_chats(chats, now, "14:00", "Europe/Lisbon")}
    assert due == {1}
    assert 3 in {c.chat_id for c in due_chats(chats, now, "13:00", "Europe/Lisbon")}
