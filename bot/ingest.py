"""The ingest job: drop folder → readers → summarizer → SQLite, in batches of atomic files."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import summarizer
from bot.i18n import _
from bot.settings import Settings
from storage import articles as article_store
from storage import files as file_store
from storage.db import transaction
from storage.records import Article, Outcome, RejectedFile
from storage.scan import UNREADABLE_FILE, FoundFile, storable_name, walk

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    """What one scan did: counts of files by outcome and the reasons for rejections."""

    new: int = 0  # articles stored for the first time
    updated: int = 0  # articles whose content changed
    unchanged: int = 0  # files skipped because nothing changed
    pending: int = 0  # files still being written: read on a later scan
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    # Rejected before and unchanged since: not read again, but still not ingested.
    still_rejected: list[tuple[str, str]] = field(default_factory=list)
    # Read but refused by the database (full disk, read-only file): (file, error); read again
    # at the next scan.
    unstored: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0  # files read and parsed in this scan
    watched: int = 0  # files the scan listed, changed or not

    @property
    def all_rejected(self) -> list[tuple[str, str]]:
        """Every file of the scan that is not ingested: rejected now or before."""
        return self.rejected + self.still_rejected

    @property
    def nothing_usable(self) -> bool:
        """Whether the scan found files and rejected every one of them."""
        usable = self.new or self.updated or self.unchanged or self.pending or self.files
        return bool(self.all_rejected) and not usable

    def summary_line(self) -> str:
        """One human line, e.g. '3 new, 1 updated, 12 unchanged, 2 rejected'."""
        # In the current language: English in the bot's log, the terminal's in the console.
        parts = [_("{count} new").format(count=self.new),
                 _("{count} updated").format(count=self.updated),
                 _("{count} unchanged").format(count=self.unchanged),
                 _("{count} rejected").format(count=len(self.all_rejected))]
        if self.pending:
            parts.append(_("{count} still being written").format(count=self.pending))
        if self.unstored:
            parts.append(_("{count} not stored (the database refused the write)").format(
                count=len(self.unstored)))
        return ", ".join(parts)


# Formats whose language is declared for the page, the feed or the service, not the story.
CONTAINER_DECLARED = frozenset({"html", "rss", "atom", "jsonfeed", "newsml", "newsml1"})


def prepare(article: Article, sentences: int) -> tuple[Article, list[str]]:
    """Normalize an article's language and summarize its body (pure, CPU only)."""
    language = summarizer.normalize_language(article.language)
    # A template's language on a story in another script (`en-US` on a Bengali page or feed) is
    # no language of the story's: the text is asked, and may leave it unknown.
    opening = f"{article.title}\n\n{article.body[:1500]}"
    if language and not summarizer.script_fits(opening, language):
        language = None
    # Where the language is declared for a whole page, feed or service rather than the story
    # (a site template's `lang`, a channel's <language>, ANSA's English wire declaring it-IT),
    # the text decides, but only between languages the detector knows (it cannot tell nb from
    # en), and an unsure detector leaves the declaration (on the eval sets' 1,883 openings it
    # never contradicted the truth). Prezly, ninjs and text declare it per story: trusted, and
    # not asked (asking costs 0.3 ms an article, a tenth of the ingest).
    if language is None:
        language = summarizer.detect_language(f"{article.title}\n\n{article.body}")
    elif (article.format in CONTAINER_DECLARED
          and language in summarizer.DETECTABLE_LANGUAGES):
        # The opening is enough to overrule a template (and a third of the cost of 5,000 chars).
        language = summarizer.detect_language(opening) or language
    article.language = language
    summary = summarizer.summarize(article.body, language=language, sentences=sentences,
                                   title=article.title)
    return article, summary


def drop_folder_problem(folder: Path) -> str | None:
    """Why the drop folder cannot be scanned (missing, not a folder), or None when it can."""
    if not folder.exists():
        return f"drop folder {folder} does not exist: nothing is ingested until it is created"
    if not folder.is_dir():
        return f"drop folder {folder} is not a folder (NEWSBOT_ARTICLES_DIR)"
    return None


def ingest_with(conn: sqlite3.Connection, settings: Settings, paths: list[Path] | None = None,
                settle_seconds: float | None = None,
                progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """`ingest` with the configured limits; the drop folder unless other paths are given."""
    return ingest(conn, paths or [settings.articles_dir],
                  settle_seconds=(settings.settle_seconds if settle_seconds is None
                                  else settle_seconds),
                  max_file_bytes=settings.max_file_bytes,
                  summary_sentences=settings.summary_sentences, progress=progress,
                  sender_zone=ZoneInfo(settings.timezone))


def ingest(
    conn: sqlite3.Connection,
    paths: Iterable[Path],
    *,
    settle_seconds: float = 2.0,
    max_file_bytes: int = 10_000_000,
    summary_sentences: int = 5,
    progress: Callable[[int, int], None] | None = None,
    now: Callable[[], float] = time.time,
    sender_zone: tzinfo = UTC,
) -> IngestReport:
    """Scan `paths` (folders or files) and store what is new or changed; never raises on a file.

    `sender_zone` is the zone of the times agency copy writes without one (the newsroom's)."""
    # Here, as in read_one: the readers are a third of a second of start-up.
    from storage.readers.dates import SENDER_ZONE

    zone = SENDER_ZONE.set(sender_zone)
    try:
        return _ingest(conn, paths, settle_seconds, max_file_bytes, summary_sentences, progress,
                       now)
    finally:
        SENDER_ZONE.reset(zone)


def _ingest(conn: sqlite3.Connection, paths: Iterable[Path], settle_seconds: float,
            max_file_bytes: int, summary_sentences: int,
            progress: Callable[[int, int], None] | None,
            now: Callable[[], float]) -> IngestReport:
    report = IngestReport()
    # Only (size, mtime) of every known file: loading full states of 100k files made a rescan
    # with nothing new take a second (bench/rescan.py); full states are read for `todo` only.
    known = file_store.known_stats(conn)
    rejected_before = file_store.rejected_reasons(conn)
    roots = [Path(root) for root in paths]
    found = [item for root in roots for item in walk(root)]
    report.watched = len(found)
    _forget_removed(conn, roots, known, {item.key for item in found})
    todo: list[FoundFile] = []
    for item in found:
        if known.get(item.key) == (item.size, item.mtime_ns) and not _allowed_since(
                item, rejected_before):
            if item.key in rejected_before:
                report.still_rejected.append((item.key, rejected_before[item.key]))
            else:
                report.unchanged += 1
        elif now() - item.mtime_ns / 1e9 < settle_seconds:
            report.pending += 1  # modified moments ago: the writer may not be done
        else:
            todo.append(item)
    states = {item.key: file_store.file_state(conn, item.key) for item in todo
              if item.key in known}
    # Files are read and summarized with no lock held, then written a batch at a time: one
    # commit per file cost ~5 % of ingest (bench/results/ingest_throughput.md), and holding the
    # write lock while parsing would stall the bot's own writes.
    batch: list[FileOutcome] = []
    started = time.monotonic()
    for done, item in enumerate(todo, 1):
        batch.append(read_one(item, states.get(item.key), max_file_bytes, summary_sentences))
        if len(batch) >= BATCH_FILES or time.monotonic() - started >= BATCH_SECONDS:
            write_batch(conn, batch, report)
            batch, started = [], time.monotonic()
        if progress:
            progress(done, len(todo))
    write_batch(conn, batch, report)
    return report


def _allowed_since(item: FoundFile, rejected_before: dict[str, str]) -> bool:
    """Whether a file refused for want of read permission may be read now: a chmod changes
    neither its size nor its mtime, so "retried when it changes" would never read it."""
    return (rejected_before.get(item.key) == UNREADABLE_FILE and item.refused is None
            and os.access(item.location, os.R_OK))


def _forget_removed(conn: sqlite3.Connection, roots: list[Path], known: dict[str, object],
                    listed: set[str]) -> None:
    """Forget the files deleted (or renamed away) from a scanned folder since the last scan.

    Kept, a deleted file that was rejected stayed in /stats' "Rejected files" for good, and a
    folder the newsroom system empties as it goes made the table (read whole at every scan) grow
    without end. A folder that lists no file at all is left alone: an unmounted share or a
    folder moved away for a moment must not make every file new again when it is back.
    """
    named = [storable_name(root.absolute()).rstrip("/") for root in roots if root.is_dir()]
    # A folder is a key only while it cannot be listed (storage.scan): once it can, it goes,
    # the scanned folder itself too.
    gone = [key for key in named if key in known and key not in listed]
    folders = [p + "/" for p in named if any(key.startswith(p + "/") for key in listed)]
    if folders:
        gone += [key for key in known if key not in listed and key.startswith(tuple(folders))
                 and (not os.path.lexists(key) or os.path.isdir(key))]
    if gone:
        file_store.forget_files(conn, gone)
        log.info("%d file(s) gone from the drop folder since the last scan", len(gone))


BATCH_FILES = 50
BATCH_SECONDS = 0.1


@dataclass(slots=True)
class FileOutcome:
    """What reading one file gave, before anything is written."""

    item: FoundFile
    kind: Literal["store", "touched", "reject", "pending"]  # touched: same bytes, new stat
    content_hash: str | None = None
    prepared: list[tuple[Article, list[str]]] = field(default_factory=list)
    state: file_store.FileState | None = None  # the file's last read, if it had one
    reason: str | None = None


def read_one(item: FoundFile, state: file_store.FileState | None, max_file_bytes: int,
             sentences: int) -> FileOutcome:
    """Read, parse and summarize one listed file; never raises (CPU and file I/O only)."""
    # Here, not at the top: the readers (trafilatura, feedparser, bs4) are a third of a second
    # of start-up for every CLI command, and only an ingest reads a file.
    from storage.readers import read_bytes, too_big

    content_hash: str | None = None
    try:
        if item.refused:  # a symlink the scan does not follow: never opened
            raise RejectedFile(item.refused)
        if item.size > max_file_bytes:  # refused from the listing, never opened
            raise RejectedFile(too_big(item.size, max_file_bytes))
        data = _read_listed(item)
        if data is None or _changed_while_reading(item, len(data)):
            return FileOutcome(item, "pending")
        content_hash = hashlib.sha1(data).hexdigest()
        if state and state.content_hash == content_hash:
            return FileOutcome(item, "touched", content_hash, state=state)
        items = read_bytes(data, os.path.basename(item.location))
        return FileOutcome(item, "store", content_hash, [prepare(a, sentences) for a in items],
                           state=state)
    except RejectedFile as error:
        return FileOutcome(item, "reject", content_hash, reason=str(error))
    except PermissionError:  # would be "still being written" at every scan, for ever
        return FileOutcome(item, "reject", content_hash, reason=UNREADABLE_FILE)
    except OSError as error:  # vanished or unreadable between listing and reading
        log.info("could not read %s now (%s); will retry", item.key, error.strerror or error)
        return FileOutcome(item, "pending")
    except Exception as error:  # a bug in a reader or the summarizer must not stop the batch
        log.exception("unexpected error on %s", item.key)
        return FileOutcome(item, "reject", content_hash,
                           reason=f"internal error: {type(error).__name__}: {error}")


def write_batch(conn: sqlite3.Connection, outcomes: list[FileOutcome],
                report: IngestReport) -> None:
    """Write the outcomes in one transaction, each file in its own savepoint."""
    if not outcomes:
        return
    with transaction(conn):
        for outcome in outcomes:
            conn.execute("SAVEPOINT file")
            try:
                _write_one(conn, outcome, report)
            except sqlite3.Error as error:
                # This file's rows go, the others stay; it is retried at the next scan.
                conn.execute("ROLLBACK TO file")
                report.unstored.append((outcome.item.key, str(error)))
                # A full disk, a read-only file, a lock held too long is the machine's state:
                # each front end says it once from the report, in one line. Anything else
                # is a bug of ours, worth its traceback.
                if not isinstance(error, sqlite3.OperationalError):
                    log.exception("could not store %s", outcome.item.key)
            conn.execute("RELEASE file")


def _write_one(conn: sqlite3.Connection, outcome: FileOutcome, report: IngestReport) -> None:
    item = outcome.item
    if outcome.kind == "pending":
        report.pending += 1
    elif outcome.kind == "touched":
        # Touched but identical: remember the new stat so we don't read it again.
        state = outcome.state
        file_store.record_file(conn, item.key, item.size, item.mtime_ns, outcome.content_hash,
                               state.status, state.reason, state.article_ids)
        if state.status == "rejected":
            report.still_rejected.append((item.key, state.reason or ""))
        else:
            report.unchanged += 1
    elif outcome.kind == "reject":
        reason = " ".join((outcome.reason or "").split())[:300]
        file_store.record_file(conn, item.key, item.size, item.mtime_ns, outcome.content_hash,
                               "rejected", reason)
        file_store.log_ingest(conn, item.key, Outcome.REJECTED, reason)
        # Not logged here: each front end reports it once from the report (the CLI and the
        # console print it, the bot logs it as a warning). Counted once written: a write the
        # database refused is reported as not stored instead.
        report.rejected.append((item.key, reason))
    else:
        _store(conn, outcome, report)


def _store(conn: sqlite3.Connection, outcome: FileOutcome, report: IngestReport) -> None:
    item = outcome.item
    ids, new, updated = [], 0, 0
    # What the file gave last time: an edit of a story file with no id or URL is that story.
    previous = outcome.state.article_ids if outcome.state else ()
    for article, summary in outcome.prepared:
        saved = article_store.save(conn, article, summary, item.key, claimed=ids,
                                   previous=previous)
        ids.append(saved.id)
        if saved.outcome == Outcome.NEW:
            new += 1
        elif saved.outcome == Outcome.UPDATED:
            updated += 1
    file_store.record_file(conn, item.key, item.size, item.mtime_ns, outcome.content_hash, "ok",
                           None, ids)
    kind = Outcome.NEW if new else Outcome.UPDATED if updated else Outcome.UNCHANGED
    file_store.log_ingest(conn, item.key, kind, None, new + updated)
    report.files += 1
    report.new += new
    report.updated += updated
    if not (new or updated):
        report.unchanged += 1


def _read_listed(item: FoundFile) -> bytes | None:
    """The bytes of the file the scan listed, or None when another file has taken its place.

    Opened without blocking and checked by identity, so a FIFO swapped in after listing cannot
    hang the scan and a link out of the folder swapped in is not read; at most one byte more
    than the listed size is read, so a file growing meanwhile cannot fill the memory. Plain
    `os` calls on the listed location: a Path and a buffered file object per file cost three
    times the system calls' own time (bench/results/ingest_throughput.md).
    """
    fd = os.open(item.location, os.O_RDONLY | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        if item.identity is not None and (st.st_dev, st.st_ino) != item.identity:
            return None
        wanted = item.size + 1
        chunks = []
        while wanted > 0:
            chunk = os.read(fd, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def _changed_while_reading(item: FoundFile, bytes_read: int) -> bool:
    try:
        st = os.stat(item.location)
    except OSError:
        return True
    return bytes_read != item.size or st.st_size != item.size or st.st_mtime_ns != item.mtime_ns
