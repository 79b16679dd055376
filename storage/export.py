"""Every stored article as JSON lines or CSV: the archive a newsroom can take elsewhere.

Rows stream in arrival order (`seq`), one at a time, so a million-article export needs no more
memory than one article. `since` keeps the articles published (else first seen) on or after it.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Literal, TextIO

from storage.records import iso_utc

ExportFormat = Literal["jsonl", "csv"]
FIELDS = ("id", "title", "url", "published", "updated", "language", "author", "tags",
          "source_files", "format", "body", "summary")
_JSON_FIELDS = frozenset({"tags", "source_files", "summary"})


def exported_rows(conn: sqlite3.Connection, since: datetime | None = None) -> Iterator[dict]:
    """Each stored article as a dict of FIELDS (lists decoded), oldest arrival first."""
    where, params = "", ()
    if since is not None:
        where, params = "WHERE coalesce(published, first_seen) >= ?", (iso_utc(since),)
    columns = ", ".join(FIELDS)
    for row in conn.execute(f"SELECT {columns} FROM articles {where} ORDER BY seq", params):
        record = dict(zip(FIELDS, row, strict=True))
        for name in _JSON_FIELDS:
            record[name] = json.loads(record[name] or "[]")
        yield record


def export(conn: sqlite3.Connection, out: TextIO, format: ExportFormat = "jsonl",
           since: datetime | None = None) -> int:
    """Write the articles to `out` as JSON lines or CSV; returns how many were written."""
    rows = exported_rows(conn, since)
    count = 0
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for record in rows:
            # Lists as JSON in one cell, so they come back exactly; summary sentences too.
            writer.writerow({name: json.dumps(value, ensure_ascii=False)
                             if name in _JSON_FIELDS else value
                             for name, value in record.items()})
            count += 1
        return count
    for record in rows:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
