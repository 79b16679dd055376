"""Online backup of the live database (SQLite backup API: consistent while the bot writes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BackupRefused(ValueError):
    """The backup target cannot be used; the message says why and what to give instead."""


def check_target(source: Path, target: Path) -> None:
    """Refuse a target that is a folder, in a missing folder, or the live database itself."""
    if target.is_dir():
        raise BackupRefused(f"{target} is a folder: give a file name, e.g. "
                            f"{target / 'newsbot-backup.db'}")
    if not target.parent.is_dir():
        raise BackupRefused(f"folder {target.parent} does not exist: create it first")
    live = source.resolve()
    if target.resolve() in {live, live.with_name(f"{live.name}-wal"),
                            live.with_name(f"{live.name}-shm")}:
        raise BackupRefused(f"{target} is the live database (or its journal): back up to "
                            "another file")


def backup(source: Path, target: Path, pages_per_step: int = 1024) -> int:
    """Copy `source` to `target` page by page; returns the number of pages copied."""
    check_target(source, target)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(str(tmp))
    try:
        src.backup(dst, pages=pages_per_step)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        # A backup should be one self-contained file, not a WAL pair.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    tmp.replace(target)  # atomic: a crash never leaves a half-written backup under its name
    return pages
