"""Fixtures shared by the suite: a fresh database file (helpers are in tests/helpers.py)."""

from __future__ import annotations

import pytest

from storage.db import open_database

# The end-to-end fixtures (api, workdir, start_bot) live beside the bot-process helpers.
pytest_plugins = ["tests.bot_process"]


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
