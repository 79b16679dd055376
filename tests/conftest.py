"""Fixtures shared by the suite: the shared sample files and a fresh database file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage.db import open_database

# The end-to-end fixtures (api, workdir, start_bot) live beside the bot-process helpers.
pytest_plugins = ["tests.bot_process"]

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSBOT_SHARED", REPO.parent / "shared"))
ARTICLES = SHARED / "articles"


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated database in a real SQLite file."""
    database = open_database(tmp_path / "newsbot.db")
    yield database
    database.conn.close()


@pytest.fixture
def conn(db):
    """The raw connection of a fresh database."""
    return db.conn


def age(path: Path, seconds: float = 60) -> Path:
    """Make a file look written `seconds` ago, so the settle time does not hold it back."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))
    return path
