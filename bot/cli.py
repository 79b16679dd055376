"""The `newsbot` command: run the bot (or console), ingest, summarize, list, search, back up."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.commands import Commands
from bot.console import CONSOLE, answer, run_console
from bot.ingest import IngestReport, ingest_with
from bot.logs import setup_logging
from bot.settings import Settings, SettingsError, load_settings
from storage.db import open_database
from storage.records import RejectedFile

log = logging.getLogger("newsbot")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsbot` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"newsbot: configuration error: {error}", file=sys.stderr)
        return 2
    setup_logging(args.log_level, settings.token, settings.webhook_secret)
    if getattr(args, "db", None):
        settings = _with(settings, db_path=Path(args.db))
    try:
        return args.handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except sqlite3.DatabaseError as error:
        print(f"newsbot: database {settings.db_path}: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Offline news summaries and digests from a drop folder, on Telegram.")
    parser.add_argument("--log-level", default="INFO",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--db", help="SQLite file (default: NEWSBOT_DB or newsbot.db)")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest continuously and serve the bot (console without a "
                         "token)")
    run.set_defaults(handler=cmd_run)

    ing = sub.add_parser("ingest", help="scan the drop folder (or the given paths) once")
    ing.add_argument("paths", nargs="*", type=Path)
    ing.add_argument("--settle", type=float, default=None,
                     help="skip files modified less than this many seconds ago")
    ing.set_defaults(handler=cmd_ingest)

    summ = sub.add_parser("summarize", help="summarize an article file, or text on stdin (-)")
    summ.add_argument("file")
    summ.add_argument("-n", "--sentences", type=int, default=3)
    summ.add_argument("--language", default=None, help="language of stdin text (default: guess)")
    summ.add_argument("--algorithm", default="default")
    summ.set_defaults(handler=cmd_summarize)

    for name, help_text in (("latest", "newest stored articles"), ("digest", "the console's "
                            "digest of what is new"), ("stats", "counts and rejected files")):
        command = sub.add_parser(name, help=help_text)
        if name == "latest":
            command.add_argument("-n", type=int, default=5)
        command.set_defaults(handler=cmd_console_command, name=name)

    search = sub.add_parser("search", help="full-text search")
    search.add_argument("query", nargs="+")
    search.set_defaults(handler=cmd_console_command, name="search")

    article = sub.add_parser("article", help="one stored article by its number")
    article.add_argument("id")
    article.set_defaults(handler=cmd_console_command, name="article")

    backup = sub.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", type=Path)
    backup.set_defaults(handler=cmd_backup)

    check = sub.add_parser("check", help="ask the running bot's /healthz; exit 1 if unhealthy")
    check.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                       help="keep asking until healthy, for up to SECONDS (for start-up)")
    check.set_defaults(handler=cmd_check)
    return parser


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the product: the Telegram bot with a token, else the console mode."""
    if settings.token:
        from bot.telegram_app import run_bot  # imported here: console users need no PTB set-up

        return run_bot(settings)
    db = open_database(settings.db_path)
    conn = db.conn
    print(f"Ingesting {settings.articles_dir} into {settings.db_path} …")
    report = _ingest(conn, settings, [settings.articles_dir], settings.settle_seconds)
    _print_report(report)
    commands = Commands(conn, settings)
    answer(commands, "/latest", sys.stdout)
    run_console(commands, lambda: ingest_with(conn, settings))
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Scan once and print the report; exit status 0 even when some files were rejected."""
    paths = args.paths or [settings.articles_dir]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        print(f"newsbot: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    db = open_database(settings.db_path)
    settle = settings.settle_seconds if args.settle is None else args.settle
    _print_report(_ingest(db.conn, settings, paths, settle))
    return 0


def cmd_summarize(args: argparse.Namespace, settings: Settings) -> int:
    """Print the summary of one file (every article in it) or of stdin text."""
    import summarizer
    from bot.ingest import prepare
    from storage.readers import read_bytes, read_file
    from storage.records import Article

    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
            if data.lstrip()[:3] in (b"---",) or data.lstrip()[:1] in (b"{", b"<"):
                items = read_bytes(data, "stdin")  # a whole article file piped in
            else:  # plain prose: summarize all of it, no title line taken out
                text = data.decode("utf-8", "replace")
                items = [Article(title="", body=text, language=args.language)]
        else:
            items = read_file(Path(args.file), max_bytes=settings.max_file_bytes)
    except RejectedFile as error:
        print(f"newsbot: {args.file}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"newsbot: {args.file}: {error.strerror or error}", file=sys.stderr)
        return 1
    for article in items:
        if args.language:
            article.language = args.language
        if args.algorithm == "default":
            article, sentences = prepare(article, args.sentences)
        else:
            try:
                sentences = summarizer.summarize(
                    article.body, summarizer.normalize_language(article.language),
                    args.sentences, article.title, algorithm=args.algorithm)
            except ValueError as error:
                print(f"newsbot: {error}", file=sys.stderr)
                return 2
        if article.title:
            print(article.title)
            print("=" * min(len(article.title), 80))
        for sentence in sentences:
            print(f"- {sentence}")
        print()
    return 0


def cmd_console_command(args: argparse.Namespace, settings: Settings) -> int:
    """latest/search/article/digest/stats: the bot's own command logic, printed as text."""
    db = open_database(settings.db_path)
    commands = Commands(db.conn, settings)
    if args.name == "latest":
        line = f"/latest {args.n}"
    elif args.name == "search":
        line = "/search " + " ".join(args.query)
    elif args.name == "article":
        line = f"/article {args.id}"
    elif args.name == "stats":
        # The terminal user owns the server: the admin check is for Telegram users.
        from bot.console import render_reply

        print(render_reply(commands._stats(commands._chat(CONSOLE))[0]))
        return 0
    else:
        line = f"/{args.name}"
    answer(commands, line, sys.stdout)
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the live database to PATH with SQLite's online backup API."""
    from storage.backup import backup

    if not settings.db_path.exists():
        print(f"newsbot: no database at {settings.db_path}", file=sys.stderr)
        return 1
    pages = backup(settings.db_path, args.path)
    print(f"Backed up {settings.db_path} to {args.path} ({pages} pages).")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Print the running bot's health line; 0 healthy, 1 unhealthy or silent, 2 no server."""
    from bot.health_check import check, health_url

    url = health_url(settings)
    if url is None:
        print("newsbot: NEWSBOT_HTTP_PORT is not set, so there is no health endpoint to ask",
              file=sys.stderr)
        return 2
    result = check(url, wait=max(args.wait, 0.0))
    print(result.line, file=sys.stdout if result.status == 0 else sys.stderr)
    return result.status


def _ingest(conn: sqlite3.Connection, settings: Settings, paths: list[Path],
            settle: float) -> IngestReport:
    progress = _progress_bar() if sys.stderr.isatty() else None
    report = ingest_with(conn, settings, paths, settle, progress)
    if progress:
        sys.stderr.write("\n")
    return report


def _progress_bar():
    def show(done: int, total: int) -> None:
        if total < 20:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()
    return show


def _print_report(report: IngestReport) -> None:
    print(f"Ingest: {report.summary_line()}.")
    for path, reason in report.rejected:
        print(f"  rejected {path}: {reason}")


def _with(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)


if __name__ == "__main__":
    raise SystemExit(main())
