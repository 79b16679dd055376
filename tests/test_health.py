"""The health verdict as a pure function of observed facts, and the settings that feed it."""

from __future__ import annotations

import pytest

from bot.health import Facts, Limits, Status, verdict
from bot.settings import Settings, SettingsError, load_settings

LIMITS = Limits(scan_age=600, telegram_silence=300)


def facts(**changes) -> Facts:
    """A healthy bot an hour after start: scanned 30 s ago, Telegram answered 5 s ago."""
    base = dict(now=3600.0, started=0.0, database_error=None, last_scan=3570.0,
                last_telegram_answer=3595.0)
    return Facts(**{**base, **changes})


def test_a_bot_that_scans_and_hears_from_telegram_is_healthy():
    result = verdict(facts(), LIMITS)
    assert result.status is Status.OK
    assert result.line() == ("ok: database answers; last scan 30 s ago; "
                             "Telegram answered 5 s ago")


@pytest.mark.parametrize(("changes", "reason"), [
    ({"database_error": "disk I/O error"}, "database does not answer: disk I/O error"),
    ({"last_scan": 2900.0}, "last scan 700 s ago (limit 600 s)"),
    ({"last_telegram_answer": 3000.0}, "Telegram answered 600 s ago (limit 300 s)"),
    ({"write_error": "database or disk is full"},
     "database refuses writes: database or disk is full"),
    ({"webhook_error": "Connection refused (3 update(s) waiting)"},
     "Telegram cannot deliver to the webhook: Connection refused (3 update(s) waiting)"),
])
def test_each_problem_makes_it_unhealthy_with_its_reason(changes, reason):
    result = verdict(facts(**changes), LIMITS)
    assert result.status is Status.UNHEALTHY
    assert result.reasons == (reason,)


def test_every_problem_is_named_at_once():
    result = verdict(facts(database_error="locked", last_scan=None, last_telegram_answer=None),
                     LIMITS)
    assert result.line() == ("unhealthy: database does not answer: locked; "
                             "first scan running for 3600 s (limit 600 s); "
                             "no answer from Telegram yet (3600 s since start) (limit 300 s)")


def test_a_fresh_start_is_healthy_until_the_limits_pass():
    starting = facts(now=20.0, last_scan=None, last_telegram_answer=None)
    assert verdict(starting, LIMITS).status is Status.OK
    assert "first scan running for 20 s" in verdict(starting, LIMITS).line()
    stuck = facts(now=601.0, last_scan=None, last_telegram_answer=590.0)
    assert verdict(stuck, LIMITS).reasons == ("first scan running for 601 s (limit 600 s)",)


def test_scan_age_limit_follows_the_scan_interval_unless_set():
    assert Settings().scan_age_limit == 600
    assert Settings(ingest_interval=3600).scan_age_limit == 3 * 3600
    assert load_settings({"NEWSBOT_HEALTH_SCAN_SECONDS": "90"}).scan_age_limit == 90


@pytest.mark.parametrize("name", ["NEWSBOT_MAX_FILE_MB", "NEWSBOT_SUMMARY_SENTENCES",
                                  "NEWSBOT_INGEST_INTERVAL", "NEWSBOT_SEND_RATE"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e309"])
def test_a_number_setting_that_is_no_finite_number_is_one_clear_line(name, value):
    # float() reads these; int() of them raised OverflowError or ValueError at start-up.
    with pytest.raises(SettingsError, match=f"{name} must be a finite number") as error:
        load_settings({name: value})
    assert "\n" not in str(error.value)


def test_health_settings_are_checked():
    with pytest.raises(SettingsError, match="NEWSBOT_HEALTH_TELEGRAM_SECONDS must be at least"):
        load_settings({"NEWSBOT_HEALTH_TELEGRAM_SECONDS": "5"})
    with pytest.raises(SettingsError, match="NEWSBOT_HTTP_PORT must be a TCP port"):
        load_settings({"NEWSBOT_HTTP_PORT": "99999"})
    settings = load_settings({"NEWSBOT_HTTP_PORT": "9464"})
    assert (settings.http_listen, settings.http_port) == ("127.0.0.1", 9464)
    assert load_settings({}).http_port is None
