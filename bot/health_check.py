"""`newsbot check`: ask the running bot's /healthz and turn the answer into an exit status.

For systemd (ExecStartPost, a watchdog timer) and cron: 0 when healthy, 1 when unhealthy or not
answering, 2 when there is no health server configured to ask.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from bot.settings import Settings

REQUEST_TIMEOUT = 10.0  # the bot answers from its event loop; longer means it is stuck


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The exit status and the one line to print."""

    status: int
    line: str


def health_url(settings: Settings) -> str | None:
    """Where the bot's /healthz is, or None when NEWSBOT_HTTP_PORT is not set."""
    if settings.http_port is None:
        return None
    host = settings.http_listen
    if host in ("0.0.0.0", "::", ""):  # listening everywhere: ask over loopback
        host = "127.0.0.1" if host != "::" else "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.http_port}/healthz"


def check_once(url: str, timeout: float = REQUEST_TIMEOUT) -> CheckResult:
    """GET the health URL once: 0 and the bot's line on 200, 1 and the reason otherwise."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - our URL
            return CheckResult(0, answer.read().decode("utf-8", "replace").strip())
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()
        return CheckResult(1, body or f"HTTP {error.code}")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return CheckResult(1, f"no answer from {url} ({reason}); is `newsbot run` running?")


def check(url: str, wait: float = 0.0, sleep: Callable[[float], None] = time.sleep,
          clock: Callable[[], float] = time.monotonic) -> CheckResult:
    """Check once, or until healthy for up to `wait` seconds (the bot may still be starting)."""
    deadline = clock() + wait
    while True:
        result = check_once(url)
        if result.status == 0 or clock() >= deadline:
            return result
        sleep(1.0)
