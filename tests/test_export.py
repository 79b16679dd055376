"""`newsbot export`: every stored article as JSON lines or CSV, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.console import CONSOLE_CHAT_ID
from storage import chats as chat_store
from storage.export import FIELDS
from tests.helpers import age, clean_env, newsroom, write

FORMATS = Path(__file__).parent / "data" / "formats"


def newsbot(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `newsbot` entry point with a database in tmp_path."""
    environment = clean_env(NEWSBOT_DB=str(tmp_path / "n.db"),
                            NEWSBOT_ARTICLES_DIR=str(tmp_path / "articles"))
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], text=True,
                          capture_output=True, cwd=tmp_path, env=environment, timeout=120)


@pytest.fixture
def ingested(tmp_path):
    """A database holding the Prezly and two ninjs probes."""
    drop = tmp_path / "articles"
    drop.mkdir()
    for name in ("prezly-newsroom-view.json", "ninjs-1-headline-main.json",
                 "ninjs-nitf-body.json"):
        age(Path(shutil.copy(FORMATS / name, drop)))
    assert newsbot(tmp_path, "ingest").returncode == 0
    return tmp_path


def test_export_writes_every_article_as_json_lines(ingested):
    done = newsbot(ingested, "export")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert {row["title"] for row in rows} == {
        "Brewery opens visitor centre", "Lighthouse keeper retires after forty years",
        "Tram line extended to the airport"}
    for row in rows:
        assert list(row) == list(FIELDS)
        assert row["summary"] and row["body"] and row["source_files"][0].endswith(".json")
    prezly = next(row for row in rows if row["format"] == "prezly")
    assert prezly["url"] == "https://press.example.be/brewery-opens-visitor-centre"
    assert prezly["published"] == "2026-11-28T10:00:00+00:00" and prezly["language"] == "en"
    assert "exported 3 articles" in done.stderr


def test_export_since_keeps_later_articles_only(ingested):
    done = newsbot(ingested, "export", "--since", "2026-11-29")
    titles = {json.loads(line)["title"] for line in done.stdout.splitlines()}
    assert titles == {"Lighthouse keeper retires after forty years",
                      "Tram line extended to the airport"}


def test_export_as_csv_has_a_header_and_lists_as_json(ingested):
    done = newsbot(ingested, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 3 and list(rows[0]) == list(FIELDS)
    assert all(isinstance(json.loads(row["summary"]), list) for row in rows)
    assert {row["status"] for row in rows} == {"published"}
    assert all(json.loads(row["versions"])[0]["change"] == "new" for row in rows)


def test_export_with_a_bad_date_is_one_line_not_a_traceback(ingested):
    done = newsbot(ingested, "export", "--since", "last tuesday")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "ISO 8601" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_has_status_and_versions_and_leaves_withdrawn_and_embargoed_out(tmp_path):
    drop = tmp_path / "articles"
    write(drop, "story.json", newsroom("ninjs-story.json"))
    write(drop, "held.json", newsroom("prezly-embargoed.json"))  # until 2099
    assert newsbot(tmp_path, "ingest").returncode == 0
    write(drop, "story.json", newsroom("ninjs-correction.json"), seconds_ago=30)
    assert newsbot(tmp_path, "ingest").returncode == 0
    [row] = [json.loads(line) for line in newsbot(tmp_path, "export").stdout.splitlines()]
    assert row["status"] == "published" and row["title"].endswith("Zwayer hatte recht")
    assert [v["change"] for v in row["versions"]] == ["new", "corrected"]
    # The kill notice comes in a file of its own, as agencies send it.
    write(drop, "kill.json", newsroom("ninjs-kill.json"))
    assert newsbot(tmp_path, "ingest").returncode == 0
    done = newsbot(tmp_path, "export")
    assert done.returncode == 0 and done.stdout == "" and "exported 0 articles" in done.stderr
    record = [json.loads(line) for line in newsbot(tmp_path, "export", "--all").stdout.splitlines()]
    assert {r["status"] for r in record} == {"withdrawn", "embargoed"}
    killed = next(r for r in record if r["status"] == "withdrawn")
    assert [v["change"] for v in killed["versions"]] == ["new", "corrected", "withdrawn"]


def test_export_publishes_a_story_whose_embargo_passed_while_no_bot_ran(tmp_path, monkeypatch,
                                                                       capsys):
    # In-process (the same main() as the console script), so the embargo can be seconds away.
    from bot.cli import main

    for name in [n for n in os.environ if n.startswith(("NEWSBOT_", "TELEGRAM_"))]:
        monkeypatch.delenv(name)
    for name, value in clean_env(NEWSBOT_DB=str(tmp_path / "n.db"),
                                 NEWSBOT_ARTICLES_DIR=str(tmp_path / "articles")).items():
        if name.startswith(("NEWSBOT_", "TELEGRAM_")):
            monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    embargo = datetime.now(UTC) + timedelta(seconds=3)
    write(tmp_path / "articles", "held.json", newsroom("ninjs-embargoed.json", embargo))
    assert main(["ingest"]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0 and capsys.readouterr().out == ""
    while datetime.now(UTC) < embargo + timedelta(seconds=1):
        time.sleep(0.2)
    assert main(["export"]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["status"] == "published"
    assert [v["change"] for v in row["versions"]] == ["held", "lifted"]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(conn):
    # A title or body starting with = + - @ (a tab or CR too) is a formula to Excel, LibreOffice
    # and Google Sheets: `=HYPERLINK("http://evil","click")` became a live link, `+cmd|…` a
    # command (CSV injection). Such a cell starts with an apostrophe, as OWASP advises.
    from storage.export import export
    from tests.helpers import add_article

    add_article(conn, '=HYPERLINK("http://evil.example","click")', "-2+3 is the sum, \"quoted\","
                "\nand a second line.")
    add_article(conn, "@SUM(1+1)", "+cmd|' /C calc'!A0 is a body.")
    add_article(conn, "Plain, with a comma", "Tab\tinside is fine.")
    out = io.StringIO()
    assert export(conn, out, "csv") == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["title"] for row in rows] == ["'=HYPERLINK(\"http://evil.example\",\"click\")",
                                              "'@SUM(1+1)", "Plain, with a comma"]
    assert rows[0]["body"] == "'-2+3 is the sum, \"quoted\",\nand a second line."
    assert rows[1]["body"].startswith("'+cmd")
    assert rows[2]["body"] == "Tab\tinside is fine."
    for row in rows:  # no cell of any column starts with a formula character
        assert not any(value[:1] in "=+-@\t\r" for value in row.values() if value), row
    # JSON lines stay exactly as stored: no spreadsheet reads them.
    out = io.StringIO()
    export(conn, out, "jsonl")
    assert json.loads(out.getvalue().splitlines()[0])["title"].startswith("=HYPERLINK")


def test_since_a_date_is_midnight_where_the_operator_is(tmp_path):
    # `newsbot latest` shows times in NEWSBOT_TIMEZONE, but --since 2026-11-01 meant midnight
    # UTC: a story listed at "1 Nov 2026, 00:30" (Brussels) was left out of the export.
    from storage.db import open_database
    from tests.helpers import add_article

    conn = open_database(tmp_path / "n.db").conn
    add_article(conn, "Just after midnight in Brussels",
                published=datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    add_article(conn, "The evening before", published=datetime(2026, 10, 31, 22, 30, tzinfo=UTC))
    conn.close()

    def titles(*args: str, **env: str) -> list[str]:
        environment = clean_env(NEWSBOT_DB=str(tmp_path / "n.db"), **env)
        done = subprocess.run([sys.executable, "-m", "bot.cli", "export", *args], text=True,
                              capture_output=True, cwd=tmp_path, env=environment, timeout=120)
        assert done.returncode == 0, done.stderr
        return [json.loads(line)["title"] for line in done.stdout.splitlines()]

    brussels = {"NEWSBOT_TIMEZONE": "Europe/Brussels"}
    assert titles("--since", "2026-11-01", **brussels) == ["Just after midnight in Brussels"]
    assert titles("--since", "2026-11-01T00:00", **brussels) == [
        "Just after midnight in Brussels"]
    # A time with its zone is that moment, wherever the operator is.
    assert titles("--since", "2026-11-01T00:00Z", **brussels) == []
    assert titles("--since", "2026-11-01", NEWSBOT_TIMEZONE="UTC") == []
    # The console's own /timezone is where `newsbot latest` shows times: --since follows it.
    conn = open_database(tmp_path / "n.db").conn
    chat_store.update_chat(conn, CONSOLE_CHAT_ID, timezone="Europe/Brussels")
    conn.close()
    assert titles("--since", "2026-11-01", NEWSBOT_TIMEZONE="UTC") == [
        "Just after midnight in Brussels"]


def read_workbook(data: bytes) -> list[dict]:
    """The rows of an exported workbook as a spreadsheet reads them: header -> cell."""
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [{name: cell for name, cell in zip(names, row, strict=True)} for row in rows]


def test_xlsx_opens_as_a_workbook_of_text_cells_none_a_formula_and_long_bodies_cut(conn):
    from storage.export import CUT_MARK, EXCEL_CELL_CHARS, export_xlsx
    from tests.helpers import add_article

    add_article(conn, '=HYPERLINK("http://evil.example","click")', "Zürich, café, „Zitat“.")
    add_article(conn, "Long report", "Word " * 10_000)
    out = io.BytesIO()
    assert export_xlsx(conn, out) == 2
    rows = read_workbook(out.getvalue())
    assert [list(row) for row in rows] == [list(FIELDS)] * 2
    first, long = rows
    # Written as text: shown as typed, never run (Excel would make the first a live link).
    assert (first["title"].data_type, first["title"].value) == (
        "s", '=HYPERLINK("http://evil.example","click")')
    assert first["body"].value == "Zürich, café, „Zitat“."
    assert json.loads(first["summary"].value) and json.loads(first["tags"].value) == []
    body = long["body"].value
    assert len(body) <= EXCEL_CELL_CHARS and body.endswith(CUT_MARK)
    assert body.startswith("Word Word")


def test_export_xlsx_goes_to_a_file_not_to_the_terminal(ingested):
    environment = clean_env(NEWSBOT_DB=str(ingested / "n.db"))
    with open(ingested / "articles.xlsx", "wb") as target:
        done = subprocess.run([sys.executable, "-m", "bot.cli", "export", "--format", "xlsx"],
                              stdout=target, stderr=subprocess.PIPE, text=False, cwd=ingested,
                              env=environment, timeout=120)
    assert done.returncode == 0 and b"exported 3 articles" in done.stderr
    rows = read_workbook((ingested / "articles.xlsx").read_bytes())
    assert {row["title"].value for row in rows} == {
        "Brewery opens visitor centre", "Lighthouse keeper retires after forty years",
        "Tram line extended to the airport"}
    import pty

    leader, follower = pty.openpty()
    try:
        terminal = subprocess.run([sys.executable, "-m", "bot.cli", "export", "--format",
                                   "xlsx"], stdout=follower, stderr=subprocess.PIPE,
                                  text=True, cwd=ingested, env=environment, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert terminal.returncode == 2 and "redirect it to a file" in terminal.stderr
