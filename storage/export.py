"""Every stored article as JSON lines or CSV: the archive a newsroom can take elsewhere.

Rows stream in arrival order (`seq`), one at a time, so a million-article export needs no more
memory than one article. In CSV a text cell that a spreadsheet would run as a formula (it
starts with = + - @) starts with an apostrophe; JSON lines hold every value exactly. `since`
keeps the articles published (else first seen) on or after it. Only published stories are
exported, each with its status and recorded versions (embargo lifted, corrections); `everything`
adds the embargoed and withdrawn ones, for the record.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Literal, TextIO

from storage.articles import VISIBLE
from storage.records import iso_utc
from storage.versions import versions_of

ExportFormat = Literal["jsonl", "csv"]
FIELDS = ("id", "title", "url", "published", "updated", "language", "author", "tags",
          "source_files", "format", "body", "summary", "status", "versions")
_JSON_FIELDS = frozenset({"tags", "source_files", "summary", "versions"})
_STORED = FIELDS[:-1]  # versions come from the story's history (storage.versions)


def exported_rows(conn: sqlite3.Connection, since: datetime | None = None,
                  everything: bool = False) -> Iterator[dict]:
    """Each published article (every one if `everything`) as a dict of FIELDS (lists
    decoded), oldest arrival first."""
    clauses, params = ([] if everything else [VISIBLE]), []
    if since is not None:
        clauses.append("coalesce(published, first_seen) >= ?")
        params.append(iso_utc(since))
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    columns = ", ".join(_STORED)
    for row in conn.execute(f"SELECT {columns} FROM articles {where} ORDER BY seq", params):
        record = dict(zip(_STORED, row, strict=True))
        for name in _JSON_FIELDS - {"versions"}:
            record[name] = json.loads(record[name] or "[]")
        record["versions"] = [{"at": iso_utc(v.at), "change": str(v.change), "title": v.title}
                              for v in versions_of(conn, record["id"])]
        yield record


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets: a
# title like `=HYPERLINK("http://…","click")` or `+cmd|…` would run when the CSV is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: an apostrophe before a formula's first character
    (OWASP's advice for CSV injection); other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export(conn: sqlite3.Connection, out: TextIO, format: ExportFormat = "jsonl",
           since: datetime | None = None, everything: bool = False) -> int:
    """Write the articles to `out` as JSON lines or CSV; returns how many were written."""
    rows = exported_rows(conn, since, everything)
    count = 0
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for record in rows:
            # Lists as JSON in one cell, so they come back exactly; summary sentences too.
            writer.writerow({name: json.dumps(value, ensure_ascii=False)
                             if name in _JSON_FIELDS else _cell(value)
                             for name, value in record.items()})
            count += 1
        return count
    for record in rows:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
