"""Prometheus metrics: what the bot ingested, sent and failed to send, as counters to scrape.

The rest of the code calls the small functions below (`sent(kind)`, `send_error(kind)`,
`flood_wait(seconds)`, ...) and never touches prometheus_client itself, so a send path can move
without its metrics changing. The metrics live in this module's own registry: counters are
process-wide by nature (one process, one set of counts), and our registry holds nothing that a
library registered on prometheus_client's default one.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Literal

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from bot.rejection_kinds import RejectionKind, kind_of


class SendKind(StrEnum):
    """What a message sent to a chat was."""

    DIGEST = "digest"  # a digest message (scheduled or asked for with /digest)
    INSTANT = "instant"  # an instant post (one article, or a burst of them)
    ALERT = "alert"  # a breaking alert to a digest target
    REPLY = "reply"  # an answer to a command
    EDIT = "edit"  # a message edited by a button press


class SendError(StrEnum):
    """How Telegram refused, or never answered, a send."""

    FLOOD = "429"
    FORBIDDEN = "403"
    BAD_REQUEST = "400"
    SERVER = "5xx"
    NETWORK = "network"  # timeouts, resets, refused connections


DigestOutcome = Literal["ok", "empty", "unreachable", "held", "failed"]
DIGEST_OUTCOMES: tuple[DigestOutcome, ...] = ("ok", "empty", "unreachable", "held", "failed")

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # memory, CPU, open files of the bot process
PlatformCollector(registry=REGISTRY)

_ARTICLES = Counter("newsbot_articles", "Articles stored by the ingest, by outcome",
                    ["outcome"], registry=REGISTRY)
_UNCHANGED = Counter("newsbot_files_unchanged", "Files a scan found unchanged",
                     registry=REGISTRY)
_REJECTED = Counter("newsbot_files_rejected", "Files rejected by the ingest, by kind of reason",
                    ["reason"], registry=REGISTRY)
_SCAN = Histogram("newsbot_scan_duration_seconds", "Time one scan of the drop folder took",
                  buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
                  registry=REGISTRY)
_WATCHED = Gauge("newsbot_files_watched", "Files in the drop folder at the last scan",
                 registry=REGISTRY)
_LAST_SCAN = Gauge("newsbot_last_scan_timestamp_seconds", "When the last scan finished (Unix)",
                   registry=REGISTRY)
_SENT = Counter("newsbot_messages_sent", "Messages Telegram accepted, by kind", ["kind"],
                registry=REGISTRY)
_SEND_ERRORS = Counter("newsbot_send_errors", "Failed sends and edits, by kind of error",
                       ["kind"], registry=REGISTRY)
_FLOOD_WAIT = Counter("newsbot_flood_wait_seconds",
                      "Seconds Telegram asked us to wait (retry_after of 429 answers)",
                      registry=REGISTRY)
_DIGESTS_DUE = Counter("newsbot_digests_due", "Chats whose daily digest time came",
                       registry=REGISTRY)
_DIGESTS = Counter("newsbot_digests", "Digests finished, by outcome", ["outcome"],
                   registry=REGISTRY)
_REPLY = Histogram("newsbot_reply_seconds", "Time from receiving a command to its answer sent",
                   buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
                   registry=REGISTRY)
_DATABASE = Gauge("newsbot_database_bytes", "Size of the SQLite file with its WAL",
                  registry=REGISTRY)

# Every label value exists from the start, so a graph shows 0 instead of "no data".
for _outcome in ("new", "updated"):
    _ARTICLES.labels(_outcome)
for _kind in RejectionKind:
    _REJECTED.labels(_kind)
for _send in SendKind:
    _SENT.labels(_send)
for _error in SendError:
    _SEND_ERRORS.labels(_error)
for _digest in DIGEST_OUTCOMES:
    _DIGESTS.labels(_digest)


def scanned(new: int, updated: int, unchanged: int, rejected: Iterable[str], watched: int,
            seconds: float, finished_at: float) -> None:
    """Count one finished scan: articles by outcome, rejections by kind, files, duration."""
    _ARTICLES.labels("new").inc(new)
    _ARTICLES.labels("updated").inc(updated)
    _UNCHANGED.inc(unchanged)
    for reason in rejected:
        _REJECTED.labels(kind_of(reason)).inc()
    _WATCHED.set(watched)
    _SCAN.observe(seconds)
    _LAST_SCAN.set(finished_at)


def sent(kind: SendKind) -> None:
    """Count one message Telegram accepted."""
    _SENT.labels(kind).inc()


def send_error(kind: SendError) -> None:
    """Count one send or edit that failed (retried or not)."""
    _SEND_ERRORS.labels(kind).inc()


def flood_wait(seconds: float) -> None:
    """Add the wait a 429 answer asked for."""
    _FLOOD_WAIT.inc(max(seconds, 0.0))


def digests_due(count: int) -> None:
    """Count chats found due for their digest by one tick."""
    _DIGESTS_DUE.inc(count)


def digest_finished(outcome: DigestOutcome) -> None:
    """Count one digest delivery that ended (or found nothing to send)."""
    _DIGESTS.labels(outcome).inc()


def replied(seconds: float) -> None:
    """Observe how long one command took to answer."""
    _REPLY.observe(seconds)


def watch_database(path: Path) -> None:
    """Report the database file's size (with its -wal) at every scrape."""
    wal = path.with_name(path.name + "-wal")
    _DATABASE.set_function(lambda: float(_size(path) + _size(wal)))


def render() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, with their content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
