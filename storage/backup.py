"""Online backup of the live database (SQLite backup API: consistent while the bot writes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def N_(message: str) -> str:
    """Mark a message for the bot's catalogs; the CLI translates it when it prints the refusal."""
    return message


class BackupRefused(ValueError):
    """The backup target cannot be used; the message says why and what to give instead.

    `problem` is the untranslated message and `params` its values; str() is the English.
    """

    def __init__(self, problem: str, **params: object) -> None:
        self.problem = problem
        self.params = params
        super().__init__(problem.format(**params))


SQLITE_HEADER = b"SQLite format 3\x00"


def check_target(source: Path, target: Path) -> None:
    """Refuse a target that is a folder, in a missing folder, the live database itself, a
    special file (the copy is renamed over the target: /dev/null would become a regular file),
    or a file holding something else than an SQLite database (it would be lost)."""
    if target.is_dir():
        raise BackupRefused(N_("{target} is a folder: give a file name, e.g. {example}"),
                            target=target, example=target / "newsbot-backup.db")
    if not target.parent.is_dir():
        raise BackupRefused(N_("folder {folder} does not exist: create it first"),
                            folder=target.parent)
    live = source.resolve()
    if target.resolve() in {live, live.with_name(f"{live.name}-wal"),
                            live.with_name(f"{live.name}-shm")}:
        raise BackupRefused(N_("{target} is the live database (or its journal): back up to "
                               "another file"), target=target)
    if target.exists() and not target.is_file():
        raise BackupRefused(N_("{target} is not a regular file (a device, a pipe or a socket): "
                               "give a file name"), target=target)
    if target.is_file() and target.stat().st_size and not _is_database(target):
        raise BackupRefused(N_("{target} is not an SQLite database: it is not overwritten; "
                               "give another file name"), target=target)


def _is_database(path: Path) -> bool:
    """Whether the file starts as an SQLite database does (an older backup, say)."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def backup(source: Path, target: Path, pages_per_step: int = 1024) -> int:
    """Copy `source` to `target` page by page; returns the number of pages copied."""
    check_target(source, target)
    if target.is_symlink():  # the file it points to is replaced; the link stays a link
        target = target.resolve()
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = _create(tmp, target)
        try:
            src.backup(dst, pages=pages_per_step)
            pages = dst.execute("PRAGMA page_count").fetchone()[0]
            # A backup should be one self-contained file, not a WAL pair.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)  # atomic: a crash never leaves a half-written backup under its name
    return pages


def _create(tmp: Path, target: Path) -> sqlite3.Connection:
    """A new, empty database at `tmp`; BackupRefused naming `target` when it cannot be made."""
    try:
        # Created here, not by SQLite: its "unable to open database file" says neither which
        # file nor why (no permission, a read-only or virtual file system such as /proc).
        tmp.unlink(missing_ok=True)
        tmp.touch()
    except OSError as error:
        raise BackupRefused(N_("cannot create {target} ({reason}): give a file in a folder you "
                               "may write to"), target=target,
                            reason=error.strerror or error) from None
    return sqlite3.connect(str(tmp))
