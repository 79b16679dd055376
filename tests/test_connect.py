"""The start-up retry notice: a warning at the first failure, then at most one a minute."""

from __future__ import annotations

from bot.connect import RetryNotice, api_host


def test_the_retry_notice_warns_at_once_then_once_a_minute():
    now = [0.0]
    notice = RetryNotice(every=60, clock=lambda: now[0])
    seen = []
    for second in range(0, 181, 5):
        now[0] = float(second)
        seen.append(notice.due())
    assert [s for s, due in zip(range(0, 181, 5), seen, strict=True) if due] == [0, 60, 120, 180]


def test_notice_warns_at_once_again_after_a_reset():
    notice = RetryNotice(every=60, clock=lambda: 5.0)
    assert notice.due() and not notice.due()
    notice.reset()
    assert notice.due()


def test_api_host_is_host_and_port_only():
    assert api_host("http://127.0.0.1:8081") == "127.0.0.1:8081"
    assert api_host("https://api.telegram.org") == "api.telegram.org"
