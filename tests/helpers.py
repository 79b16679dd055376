"""Helpers the tests share (fixtures live in conftest.py): the repository's own sample data,
a clean environment for `newsbot` subprocesses, and files written as a drop folder sees them."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"  # copies of the shared samples: a clone needs nothing beside it
ARTICLES = DATA / "articles"
EVAL = DATA / "eval"


def clean_env(**env: str) -> dict[str, str]:
    """This process's environment for a `newsbot` subprocess: no outside TELEGRAM_/NEWSBOT_
    settings, the repo importable, no settle wait; `env` on top."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "NEWSBOT_"))}
    return {**environment, "NEWSBOT_SETTLE_SECONDS": "0", "PYTHONPATH": str(REPO), **env}


def age(path: Path, seconds: float = 60) -> Path:
    """Make a file look written `seconds` ago, so the settle time does not hold it back."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))
    return path


def write(folder: Path, name: str | bytes, data: str | bytes, seconds_ago: float = 60) -> Path:
    """Write a file (its name may be raw bytes) and age it past the settle time."""
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return age(path, seconds_ago)


def swap_after_listing(monkeypatch, path: Path, replace) -> None:
    """Make the scan list `path` as it is, then call `replace(path)` before it is read."""
    from bot import ingest as ingest_module

    real_walk = ingest_module.walk

    def walk_then_swap(root):
        found = list(real_walk(root))
        replace(path)
        return iter(found)

    monkeypatch.setattr(ingest_module, "walk", walk_then_swap)
