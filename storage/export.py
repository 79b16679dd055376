"""Every stored article as JSON lines, CSV or an Excel workbook: the archive a newsroom can take
elsewhere.

Rows stream in arrival order (`seq`), one at a time, so a million-article export needs no more
memory than one article. In CSV a text cell that a spreadsheet would run as a formula (it
starts with = + - @) starts with an apostrophe; JSON lines hold every value exactly. `since`
keeps the articles published (else first seen) on or after it. Only published stories are
exported, each with its status and recorded versions (embargo lifted, corrections); `everything`
adds the embargoed and withdrawn ones, for the record.

The workbook (`export_xlsx`) is what a spreadsheet user opens with a double click: CSV needs
Excel's import dialog to read UTF-8 and a comma in a French or German locale, where its list
separator is ";". Its cells are text, written as text (no formula ever runs), and hold at most
Excel's 32,767 characters: a longer body is cut there, marked, and whole in jsonl and csv.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO, Literal, TextIO

from storage.articles import VISIBLE
from storage.records import iso_utc
from storage.versions import versions_of

ExportFormat = Literal["jsonl", "csv", "xlsx"]
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


EXCEL_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
CUT_MARK = " […]"
_WIDTHS = {"id": 38, "title": 60, "url": 40, "published": 22, "updated": 22, "body": 80,
           "summary": 80}


def export_xlsx(conn: sqlite3.Connection, out: BinaryIO, since: datetime | None = None,
                everything: bool = False) -> int:
    """Write the articles to `out` as an Excel workbook, one row each; returns how many."""
    import xlsxwriter  # only this export needs it

    # constant_memory: each row goes to a temporary file as it is written, so a million
    # articles cost the memory of one row, as the other formats do.
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "in_memory": False})
    sheet = workbook.add_worksheet("articles")
    header = workbook.add_format({"bold": True})
    for column, name in enumerate(FIELDS):
        sheet.set_column(column, column, _WIDTHS.get(name, 16))
        sheet.write_string(0, column, name, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, record in enumerate(exported_rows(conn, since, everything), start=1):
        for column, name in enumerate(FIELDS):
            value = record[name]
            text = (json.dumps(value, ensure_ascii=False) if name in _JSON_FIELDS
                    else "" if value is None else str(value))
            sheet.write_string(count, column, excel_cell(text))
    sheet.autofilter(0, 0, count, len(FIELDS) - 1)
    workbook.close()
    return count


def excel_cell(text: str) -> str:
    """The text as one Excel cell holds it: cut at its limit, the cut marked."""
    if len(text) <= EXCEL_CELL_CHARS:
        return text
    return text[:EXCEL_CELL_CHARS - len(CUT_MARK)].rstrip() + CUT_MARK
