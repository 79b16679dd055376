"""Whether the running bot is healthy, decided from observed facts (a pure function).

The facts are gathered at the edge (bot/status_server.py): does the database answer, did it
refuse a write lately, when did the last scan finish, when did Telegram last answer, and does
Telegram report that it cannot deliver to our webhook. Times are seconds on one monotonic clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """The verdict: /healthz answers 200 for OK and 503 for UNHEALTHY."""

    OK = "ok"
    UNHEALTHY = "unhealthy"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the bot observed about itself, at time `now`."""

    now: float
    started: float  # when the process started: the grace before a first scan or answer
    database_error: str | None  # None when a query on the database just worked
    last_scan: float | None  # when the last scan finished, None before the first one
    last_telegram_answer: float | None  # when the Bot API last answered (not with a 5xx)
    webhook_error: str | None = None  # Telegram's own last delivery error, while it is recent
    # The database's refusal of a write (a full disk, a read-only file): reads may still work.
    write_error: str | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """How old the last scan and the last answer from Telegram may be."""

    scan_age: float
    telegram_silence: float


@dataclass(frozen=True, slots=True)
class Verdict:
    """The status, and one reason per problem (or what was found fine)."""

    status: Status
    reasons: tuple[str, ...]

    def line(self) -> str:
        """One line for /healthz and `newsbot check`, e.g. 'ok: database answers; ...'."""
        return f"{self.status}: {'; '.join(self.reasons)}"


def verdict(facts: Facts, limits: Limits) -> Verdict:
    """Healthy when the database answers and takes writes, the last scan is recent and
    Telegram answers."""
    problems: list[str] = []
    fine: list[str] = []
    if facts.database_error is None:
        fine.append("database answers")
    else:
        problems.append(f"database does not answer: {facts.database_error}")

    ages = (
        age_check(facts.now, facts.last_scan, facts.started, limits.scan_age,
                  before_first="first scan running for {seconds:.0f} s",
                  since_last="last scan {seconds:.0f} s ago"),
        age_check(facts.now, facts.last_telegram_answer, facts.started, limits.telegram_silence,
                  before_first="no answer from Telegram yet ({seconds:.0f} s since start)",
                  since_last="Telegram answered {seconds:.0f} s ago"),
    )
    for what, within in ages:
        (fine if within else problems).append(what)

    if facts.write_error is not None:
        problems.append(f"database refuses writes: {facts.write_error}")

    if facts.webhook_error is not None:
        problems.append(f"Telegram cannot deliver to the webhook: {facts.webhook_error}")

    if problems:
        return Verdict(Status.UNHEALTHY, tuple(problems))
    return Verdict(Status.OK, tuple(fine))


def age_check(now: float, last: float | None, started: float, limit: float, *,
              before_first: str, since_last: str) -> tuple[str, bool]:
    """The age since `last` (or `started`), described, and whether it is within `limit`."""
    # Before the first scan (or answer), the time since start counts, so a fresh start is
    # healthy while a start that never gets there is not.
    seconds = now - (last if last is not None else started)
    what = (before_first if last is None else since_last).format(seconds=seconds)
    if seconds > limit:
        return f"{what} (limit {limit:.0f} s)", False
    return what, True
