"""Online backup of the live database (SQLite backup API: consistent while the bot writes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup(source: Path, target: Path, pages_per_step: int = 1024) -> int:
    """Copy `source` to `target` page by page; returns the number of pages copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
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
