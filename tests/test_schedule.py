"""Daily digest timing in each chat's own time zone, across DST and restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import i18n
from bot.schedule import (
    describe_weekdays,
    due_chats,
    is_due,
    last_due_moment,
    parse_times,
    parse_weekdays,
)
from storage.chats import Chat, Mode

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


@pytest.mark.parametrize("now_utc, due_utc", [
    # 12:10 local in winter: the 12:00 edition, not the 07:30 one.
    (datetime(2026, 1, 15, 11, 10, tzinfo=UTC), datetime(2026, 1, 15, 11, 0, tzinfo=UTC)),
    # 06:00 local: yesterday's 18:00 edition.
    (datetime(2026, 1, 15, 5, 0, tzinfo=UTC), datetime(2026, 1, 14, 17, 0, tzinfo=UTC)),
    # 19:00 local in summer: today's 18:00 (16:00 UTC).
    (datetime(2026, 7, 15, 17, 0, tzinfo=UTC), datetime(2026, 7, 15, 16, 0, tzinfo=UTC)),
])
def test_several_times_a_day_pick_the_latest_passed_edition(now_utc, due_utc):
    assert last_due_moment(now_utc, "07:30,12:00,18:00", BRUSSELS) == due_utc


def test_each_edition_of_the_day_is_due_once():
    times = "07:30,12:00,18:00"
    sent = []
    now = datetime(2026, 1, 15, 5, 0, tzinfo=UTC)
    state = chat(digest_time=times, subscribed_at=now)
    while now < datetime(2026, 1, 16, 5, 0, tzinfo=UTC):  # one day, minute by minute
        if is_due(state, now, "08:00", BRUSSELS):
            sent.append(now)
            state = chat(digest_time=times, subscribed_at=state.subscribed_at,
                         last_digest_at=now)
        now += timedelta(minutes=1)
    assert [f"{m:%H:%M}" for m in sent] == ["06:30", "11:00", "17:00"]  # UTC, winter


def test_weekday_schedule_skips_the_weekend_across_the_dst_switch():
    # Mon 23 March to Fri 3 April 2026; clocks go forward on Sunday 29 March.
    state = chat(digest_time="07:30", weekdays=(1, 2, 3, 4, 5),
                 subscribed_at=datetime(2026, 3, 22, 12, 0, tzinfo=UTC))
    now = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
    sent = []
    while now < datetime(2026, 4, 4, 0, 0, tzinfo=UTC):
        if is_due(state, now, "08:00", BRUSSELS):
            sent.append(now.astimezone(ZoneInfo(BRUSSELS)))
            state = chat(digest_time="07:30", weekdays=(1, 2, 3, 4, 5),
                         subscribed_at=state.subscribed_at, last_digest_at=now)
        now += timedelta(minutes=1)
    assert [f"{m:%a %d %H:%M}" for m in sent] == [
        "Mon 23 07:30", "Tue 24 07:30", "Wed 25 07:30", "Thu 26 07:30", "Fri 27 07:30",
        "Mon 30 07:30", "Tue 31 07:30", "Wed 01 07:30", "Thu 02 07:30", "Fri 03 07:30"]


def editions(digest_time: str, start: datetime, days: int = 2,
             zone: str = "Europe/Amsterdam") -> list[str]:
    """The local moments a target's digest is due, ticking minute by minute for `days`, each
    digest recorded as soon as it is due (as the running bot does)."""
    state = chat(digest_time=digest_time, timezone=zone, subscribed_at=start)
    now, sent = start, []
    while now < start + timedelta(days=days):
        if is_due(state, now, "08:00", zone):
            sent.append(f"{now.astimezone(ZoneInfo(zone)):%d %H:%M %Z}")
            state = chat(digest_time=digest_time, timezone=zone, subscribed_at=start,
                         last_digest_at=now)
        now += timedelta(minutes=1)
    return sent


def test_an_edition_in_the_spring_forward_gap_goes_out_once_an_hour_on():
    # 29 March 2026, Amsterdam: 02:00 CET becomes 03:00 CEST, so 02:30 never reads on the
    # clock; the edition goes out once, at 03:30, not once a minute from 03:00 to 03:30.
    assert editions("02:30", datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == [
        "29 03:30 CEST", "30 02:30 CEST"]


def test_an_edition_in_the_repeated_fall_back_hour_goes_out_once():
    # 25 October 2026, Amsterdam: 03:00 CEST becomes 02:00 CET, so 02:30 reads twice.
    assert editions("02:30", datetime(2026, 10, 24, 12, 0, tzinfo=UTC)) == [
        "25 02:30 CEST", "26 02:30 CET"]


def test_a_restart_over_the_weekend_sends_fridays_missed_edition_once():
    # Down from Friday 06:00 to Saturday noon: Friday's 07:30 edition goes out on Saturday.
    state = chat(digest_time="07:30", weekdays=(1, 2, 3, 4, 5),
                 last_digest_at=datetime(2026, 1, 15, 6, 30, tzinfo=UTC))
    saturday = datetime(2026, 1, 17, 11, 0, tzinfo=UTC)
    assert is_due(state, saturday, "08:00", BRUSSELS)
    done = chat(digest_time="07:30", weekdays=(1, 2, 3, 4, 5), last_digest_at=saturday)
    assert not is_due(done, datetime(2026, 1, 18, 20, 0, tzinfo=UTC), "08:00", BRUSSELS)


def test_instant_targets_are_never_due_for_a_digest():
    assert not is_due(chat(mode=Mode.INSTANT), datetime(2026, 1, 15, 12, tzinfo=UTC),
                      "08:00", BRUSSELS)


@pytest.mark.parametrize("text, days", [
    ("mon-fri", (1, 2, 3, 4, 5)), ("sat,sun", (6, 7)), ("fri-mon", (1, 5, 6, 7)),
    ("daily", ()), ("mon-sun", ()), ("weekdays", (1, 2, 3, 4, 5)), ("monday, wed", (1, 3)),
    ("funday", None), ("mon-xyz", None),
])
def test_parse_weekdays(text, days):
    assert parse_weekdays(text) == days


WORKWEEK = (1, 2, 3, 4, 5)
# Each interface language's own weekday names, wide and abbreviated, as people type them.
TYPED_WEEKDAYS = {
    "nl": [("ma-vr", WORKWEEK), ("maandag-vrijdag", WORKWEEK), ("za,zo", (6, 7)),
           ("Woensdag", (3,)), ("DI, do", (2, 4))],
    "fr": [("lun.-ven.", WORKWEEK), ("lun-ven", WORKWEEK), ("lundi-vendredi", WORKWEEK),
           ("sam., dim.", (6, 7)), ("MERCREDI", (3,)), ("Mércredi", (3,)), ("mar.,jeu", (2, 4))],
    "de": [("Mo.-Fr.", WORKWEEK), ("mo-fr", WORKWEEK), ("Montag-Freitag", WORKWEEK),
           ("Sa.,So.", (6, 7)), ("mittwoch", (3,)), ("Dí, Dö", (2, 4))],
    "en": [("Mon-Fri", WORKWEEK), ("monday-friday", WORKWEEK), ("SAT, sun.", (6, 7))],
}


@pytest.mark.parametrize("language, text, days", [
    (language, text, days) for language, cases in TYPED_WEEKDAYS.items() for text, days in cases])
def test_parse_weekdays_in_each_interface_language(language, text, days):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text, days", [
    ("elke dag", ()), ("Dagelijks", ()), ("werkdagen", WORKWEEK), ("weekend", (6, 7)),
    ("tous les jours", ()), ("Quotidien", ()), ("en semaine", WORKWEEK), ("week-end", (6, 7)),
    ("jeden Tag", ()), ("täglich", ()), ("werktags", WORKWEEK), ("Wochenende", (6, 7)),
    ("every day", ()), ("weekdays", WORKWEEK), ("weekends", (6, 7)),
])
def test_every_day_the_working_week_and_the_weekend_in_each_language(text, days):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("days", [(), WORKWEEK, (1, 3, 5), (6, 7)])
def test_weekdays_as_shown_can_be_typed_back(language, days):
    with i18n.using(language):
        shown = describe_weekdays(days)  # 'ma-vr', 'lun., mer., ven.', 'Sa., So.'
    assert parse_weekdays(shown) == days


def test_no_weekday_name_means_two_days_across_the_languages():
    meanings: dict[str, set[int]] = {}
    for language in i18n.LANGUAGES:
        for name, day in i18n.typed_weekdays(language).items():
            meanings.setdefault(name, set()).add(day)
    assert {name: days for name, days in meanings.items() if len(days) > 1} == {}
    # The "short" width stays out: French "ma" there is mardi, Dutch "ma" is maandag.
    assert parse_weekdays("ma") == (1,) and parse_weekdays("lu") is None


@pytest.mark.parametrize("text, times", [
    ("07:30,12:00,18:00", ("07:30", "12:00", "18:00")), ("18:00, 7:30", ("07:30", "18:00")),
    ("25:00", None), ("", None), ("7:30,noon", None),
    ("07:30:00", ("07:30",)), ("07:30:15", None), ("7am", ("07:00",)), ("6:30 pm", ("18:30",)),
    ("6:30pm, 12am", ("00:00", "18:30")), ("12pm", ("12:00",)), ("7 a.m.", ("07:00",)),
    ("7a.m.", ("07:00",)), ("13pm", None), ("7 am, 18:00", ("07:00", "18:00")),
])
def test_parse_times(text, times):
    assert parse_times(text) == times
