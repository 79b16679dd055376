"""The `newsbot` command: run the bot (or console), ingest, summarize, list, search, back up."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import logging
import math
import os
import shlex
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot import i18n
from bot.commands import SEARCH_PAGE, Commands
from bot.console import (
    CONSOLE,
    CONSOLE_CHAT_ID,
    PrintSender,
    answer,
    render_reply,
    report_lines,
    run_console,
)
from bot.delivery import deliver
from bot.i18n import _
from bot.ingest import IngestReport, drop_folder_problem, ingest_with
from bot.logs import setup_logging
from bot.replies import Caller, Outcome, Reply
from bot.send import Address, Priority
from bot.settings import Settings, SettingsError, load_settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.db import open_database
from storage.records import RejectedFile
from storage.scan import LinkProblem, link_problem, storable_name

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger("newsbot")
# As many as `latest -n` lists: a summary is a few sentences, and past 20 it is the article.
SENTENCES_MAX = 20


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsbot` console script; returns the exit status."""
    # Before the settings are read (--help needs none): NEWSBOT_LANGUAGE, else the locale.
    with i18n.using(i18n.base_language(os.environ.get("NEWSBOT_LANGUAGE"))
                    or i18n.system_language()):
        args = _parse(_parser(), sys.argv[1:] if argv is None else list(argv))
    try:
        settings = load_settings()
    except SettingsError as error:
        with i18n.using(i18n.system_language()):
            print("newsbot: " + _("configuration error: {error}").format(error=error),
                  file=sys.stderr)
        return 2
    # The product logs what it does; a one-shot command prints its answer and only warnings.
    setup_logging(args.log_level or ("INFO" if args.command == "run" else "WARNING"),
                  settings.token, settings.webhook_secret)
    if getattr(args, "db", None):
        settings = _with(settings, db_path=Path(args.db))
    with i18n.using(settings.terminal_language):
        return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the subcommand, in the terminal's language."""
    try:
        status = args.handler(args, settings)
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        return 130
    except NoDatabase:
        print("newsbot: " + _("no database at {path}").format(
            path=storable_name(settings.db_path)), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `newsbot latest | head`: the reader left. Quietly, and without a second error when
        # Python flushes stdout at exit (the recipe of the `signal` module's documentation).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except sqlite3.DatabaseError as error:
        if settings.db_path.is_dir():  # SQLite says only "unable to open database file"
            print("newsbot: " + _("database {path} is a folder: give the database file's name "
                                  "(--db or NEWSBOT_DB)").format(
                path=storable_name(settings.db_path)), file=sys.stderr)
            return 1
        print("newsbot: " + _("database {path}: {error}").format(
            path=storable_name(settings.db_path), error=error), file=sys.stderr)
        return 1


class _Parser(argparse.ArgumentParser):
    """argparse whose mistakes are one line on stderr that points at --help, exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, argparse.ArgumentParser] = {}  # by name; _parser fills it

    def error(self, message: str) -> NoReturn:
        """End with `message` as one line: the usage block is what --help is for."""
        self.exit(2, "newsbot: " + _("{error} (see {command} --help)").format(
            error=message, command=self.prog) + "\n")


def _parse(parser: _Parser, argv: list[str]) -> argparse.Namespace:
    """The command line read by `parser`; a mistake ends the program with one line."""
    typed = _typed_command(argv)
    if typed == "console":  # what the README and `run --help` call it, no command of its own
        parser.error(_("unknown command {command}: the console is newsbot run, without "
                       "TELEGRAM_BOT_TOKEN").format(command=repr(typed)))
    if typed is not None and typed not in parser.commands:
        close = difflib.get_close_matches(typed, parser.commands, n=1)
        parser.error((_("unknown command {command}; did you mean {suggestion}?") if close
                      else _("unknown command {command}")).format(
            command=repr(typed), suggestion=close[0] if close else ""))
    if typed == "search":
        argv = _search_words_last(argv)
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the subcommand's parser, so the hint names its own --help
        parser.commands[args.command].error(_("unrecognized arguments: {arguments}").format(
            arguments=" ".join(unknown)))
    return args


GLOBAL_VALUES = ("--db", "--log-level")  # the global options that take a value


def _search_words_last(argv: list[str]) -> list[str]:
    """`search`'s command line with its words after `--`, so a `-word` (leave it out, as the
    search help says) is a word of the query and not taken for an unknown option.

    Its own options stay in front (-h, --help, --page N); with any other `--name` (a typo such
    as `--pgae 2`) the line is left as typed, for argparse to name it.
    """
    start = 0
    while start < len(argv) and argv[start].startswith("-"):  # global options, as _parse reads
        start += 2 if argv[start] in GLOBAL_VALUES else 1
    head, rest = argv[:start + 1], argv[start + 1:]
    options: list[str] = []
    words: list[str] = []
    position = 0
    while position < len(rest):
        token = rest[position]
        if token == "--":
            words.extend(rest[position + 1:])
            break
        if token == "--page" and position + 1 < len(rest):
            options.extend(rest[position:position + 2])
            position += 1
        elif token in ("-h", "--help", "--page") or token.startswith("--page="):
            options.append(token)
        elif token.startswith("--"):
            return argv
        else:
            words.append(token)
        position += 1
    return head + options + (["--", *words] if words else [])


def _typed_command(argv: list[str]) -> str | None:
    """The subcommand as typed after the global options; None when there is none (--help)."""
    # argparse names a mistyped subcommand only inside its "invalid choice" message; this
    # reads the same options the real parser does, to have the word for the suggestion.
    before = _Parser(prog="newsbot", add_help=False)
    _global_options(before)
    before.add_argument("command", nargs="?")
    return before.parse_known_args(argv)[0].command


def _global_options(parser: argparse.ArgumentParser) -> None:
    """The options before the subcommand."""
    parser.add_argument("--log-level", default=None,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help=_("default: INFO for run, WARNING for the other commands"))
    parser.add_argument("--db", help=_("SQLite file (default: NEWSBOT_DB or newsbot.db)"))


def seconds(text: str) -> float:
    """A number of seconds from the command line; argparse names the option when it is not
    one (nan, which compares false with every deadline, and inf or a negative number)."""
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _parser() -> _Parser:
    parser = _Parser(
        prog="newsbot",
        description=_("Offline news summaries and digests from a drop folder, on Telegram."))
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help=_("ingest continuously and serve the bot (console without "
                                       "a token)"))
    run.set_defaults(handler=cmd_run)

    ing = sub.add_parser("ingest", help=_("scan the drop folder (or the given paths) once"))
    ing.add_argument("paths", nargs="*", type=Path)
    ing.add_argument("--settle", type=seconds, default=None,
                     help=_("skip files modified less than this many seconds ago (default: "
                            "NEWSBOT_SETTLE_SECONDS for the drop folder, 0 for files you name)"))
    ing.set_defaults(handler=cmd_ingest)

    summ = sub.add_parser("summarize", help=_("summarize an article file, or text on stdin (-)"))
    summ.add_argument("file")
    summ.add_argument("-n", "--sentences", type=int, default=3,
                      help=_("sentences in the summary (1-{most})").format(most=SENTENCES_MAX))
    summ.add_argument("--language", default=None, help=_("language of stdin text (default: guess)"))
    summ.add_argument("--algorithm", default="default")
    summ.set_defaults(handler=cmd_summarize)

    latest = sub.add_parser("latest", help=_("newest stored articles"))
    latest.add_argument("-n", type=int, default=5, help=_("articles per page (1-20)"))
    latest.add_argument("--page", type=int, default=1, help=_("page number, 1 = newest"))
    latest.set_defaults(handler=cmd_latest)

    search = sub.add_parser("search", help=_("full-text search"))
    search.add_argument("query", nargs="+")
    search.add_argument("--page", type=int, default=1,
                        help=_("page number ({count} results a page)").format(count=SEARCH_PAGE))
    search.set_defaults(handler=cmd_search)

    article = sub.add_parser("article", help=_("one stored article by its number"))
    article.add_argument("id")
    article.set_defaults(handler=cmd_article)

    digest = sub.add_parser("digest", help=_("preview the console's digest of what is new"))
    digest.add_argument("--mark", action="store_true",
                        help=_("record it as delivered, so the next digest starts after it"))
    digest.set_defaults(handler=cmd_digest)

    stats = sub.add_parser("stats", help=_("counts and rejected files"))
    stats.set_defaults(handler=cmd_stats)

    embargoed = sub.add_parser("embargoed", help=_("stories under embargo, with their times"))
    embargoed.set_defaults(handler=cmd_embargoed)

    backup = sub.add_parser("backup", help=_("copy the database safely while the bot runs"))
    backup.add_argument("path", type=Path)
    backup.set_defaults(handler=cmd_backup)

    check = sub.add_parser("check", help=_("ask the running bot's /healthz; exit 1 if unhealthy"))
    check.add_argument("--wait", type=seconds, default=0.0, metavar="SECONDS",
                       help=_("keep asking until healthy, for up to SECONDS (for start-up)"))
    check.set_defaults(handler=cmd_check)

    exp = sub.add_parser("export", help=_("every stored article as JSON lines, CSV or an "
                                          "Excel workbook on stdout"))
    exp.add_argument("--since", metavar="DATE", help=_(
        "only articles published on or after DATE (ISO 8601, e.g. 2026-11-01: midnight in "
        "NEWSBOT_TIMEZONE unless a zone is given, as in 2026-11-01T00:00Z)"))
    exp.add_argument("--format", choices=["jsonl", "csv", "xlsx"], default="jsonl", help=_(
        "jsonl (every value exactly), csv, or xlsx: an Excel workbook to redirect to a file "
        "(> articles.xlsx), opened with a double click"))
    exp.add_argument("--all", action="store_true",
                     help=_("also embargoed and withdrawn stories, for the record (their status "
                            "says which)"))
    exp.set_defaults(handler=cmd_export)
    parser.commands = dict(sub.choices)
    return parser


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the product: the Telegram bot with a token, else the console mode."""
    if settings.token:
        from bot.telegram_app import run_bot  # imported here: console users need no PTB set-up

        return run_bot(settings)
    db = open_database(settings.db_path)
    conn = db.conn
    if problem := drop_folder_problem(settings.articles_dir):
        log.warning("%s", problem)
    else:
        print(_("Ingesting {folder} into {database} …").format(folder=settings.articles_dir,
                                                                database=settings.db_path))
        _print_report(_ingest(conn, settings, [settings.articles_dir], settings.settle_seconds))
    commands = Commands(conn, settings)
    answer(commands, "/latest", sys.stdout)
    run_console(commands, lambda: ingest_with(conn, settings),
                tick=min(settings.ingest_interval, settings.schedule_tick))
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Scan once and print the report; exit status 2 when a path is missing (the others are
    still ingested), else 1 when every file found was rejected or the database refused to
    store one."""
    paths = args.paths or [settings.articles_dir]
    found = [path for path in paths if path.exists()]
    missing = [_missing(path) for path in paths if not path.exists()]
    status = 0
    if found:
        # One mistyped path must not cost the others: they are ingested and reported.
        db = open_database(settings.db_path)
        # Files named on the command line are finished files: waiting for them to settle would
        # only skip them. The drop folder keeps its settle time (a writer may be at work).
        settle = args.settle if args.settle is not None else (
            0.0 if args.paths else settings.settle_seconds)
        try:
            report = _ingest(db.conn, settings, found, settle)
        except KeyboardInterrupt:
            # Each batch of files is one transaction: those written stay, the one under way
            # is rolled back and read again next time.
            print("newsbot: " + _("interrupted: the files read until then are stored; run the "
                                  "same command again for the rest"), file=sys.stderr)
            return 130
        _print_report(report)
        status = 1 if report.nothing_usable or report.unstored else 0
    if missing:  # after the report, so it is the last line a terminal shows
        print("newsbot: " + _("no such file or folder: {paths}").format(
            paths=", ".join(missing)), file=sys.stderr)
        status = 2
    return status


def _missing(path: Path) -> str:
    """A path that cannot be scanned, as the error names it: a link says what is wrong."""
    if not path.is_symlink():
        return storable_name(path)
    if link_problem(path) is LinkProblem.LOOP:
        return _("{path} (a symbolic link loop)").format(path=storable_name(path))
    return _("{path} (a broken symbolic link, to {target})").format(
        path=storable_name(path), target=storable_name(os.readlink(path)))


def cmd_summarize(args: argparse.Namespace, settings: Settings) -> int:
    """Print the summary of one file (every article in it) or of stdin text."""
    import summarizer
    from bot.ingest import prepare
    from storage.readers import read_bytes, read_file
    from storage.records import Article

    if not 1 <= args.sentences <= SENTENCES_MAX:
        return _usage(_("-n is the number of sentences in the summary, from 1 to {most}")
                      .format(most=SENTENCES_MAX))
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
            if not data.strip():  # else a blank line and exit 0, as if it had summarized
                return _usage(_("no text on standard input to summarize: pipe in an article "
                                "file or text"))
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


def cmd_latest(args: argparse.Namespace, settings: Settings) -> int:
    """The newest articles, a page of -n at a time."""
    if args.page < 1:
        return _usage(_("--page counts from 1"))
    replies = _commands(settings).latest(_terminal(settings), args.n, (args.page - 1) * args.n)
    return _print(replies, f"newsbot latest -n {args.n} --page {args.page + 1}")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Full-text search, a page of results at a time."""
    if args.page < 1:
        return _usage(_("--page counts from 1"))
    query = " ".join(args.query)
    replies = _commands(settings).search(_terminal(settings), query, (args.page - 1) * SEARCH_PAGE)
    return _print(replies, f"newsbot search {shlex.quote(query)} --page {args.page + 1}")


def cmd_article(args: argparse.Namespace, settings: Settings) -> int:
    """One article by its number; exit status 1 when there is none."""
    return _print(_commands(settings).handle(_terminal(settings), f"/article {args.id}"))


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """The console chat's digest as of now: a preview, unless --mark records it delivered."""
    commands = _commands(settings)
    if not args.mark:
        return _print(commands.preview_digest(_terminal(settings)))
    replies = commands.handle(_terminal(settings), "/digest")
    if replies and replies[-1].digest_cursor is not None:  # through the ledger, as the bot
        asyncio.run(deliver(commands.conn, Address(CONSOLE_CHAT_ID), replies,
                            PrintSender(sys.stdout), priority=Priority.REPLY))
        return 0
    return _print(replies)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Counts and rejected files (the terminal user is the server's operator)."""
    return _print(_commands(settings).handle(_terminal(settings), "/stats"))


def cmd_embargoed(args: argparse.Namespace, settings: Settings) -> int:
    """The stories waiting for their embargo, with their times (the terminal user is the
    server's operator)."""
    return _print(_commands(settings).handle(_terminal(settings), "/embargoed"))


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the live database to PATH with SQLite's online backup API."""
    from storage.backup import BackupRefused, backup

    if not settings.db_path.exists():
        print("newsbot: " + _("no database at {path}").format(
            path=storable_name(settings.db_path)), file=sys.stderr)
        return 1
    try:
        pages = backup(settings.db_path, args.path)
    except BackupRefused as error:
        print("newsbot: " + _(error.problem).format(**error.params), file=sys.stderr)
        return 2
    print(i18n.ngettext("Backed up {database} to {path} ({count} page).",
                        "Backed up {database} to {path} ({count} pages).", pages).format(
        database=storable_name(settings.db_path), path=storable_name(args.path),
        count=i18n.number(pages)))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Print the running bot's health line; 0 healthy, 1 unhealthy or silent, 2 no server."""
    from bot.health_check import check, health_url

    url = health_url(settings)
    if url is None:
        print("newsbot: " + _("NEWSBOT_HTTP_PORT is not set, so there is no health endpoint "
                              "to ask"), file=sys.stderr)
        return 2
    result = check(url, wait=max(args.wait, 0.0))
    print(result.line, file=sys.stdout if result.status == 0 else sys.stderr)
    return result.status

def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write every published article (or those since --since; --all: every stored one) to
    stdout, each with its status and versions."""
    from storage.export import export, export_xlsx
    from storage.readers.dates import parse_date

    if args.format == "xlsx" and sys.stdout.isatty():
        print("newsbot: " + _("a workbook is not for the terminal: redirect it to a file, "
                              "e.g. newsbot export --format xlsx > articles.xlsx"),
              file=sys.stderr)
        return 2
    db = _existing_database(settings)
    since = None
    if args.since:
        # The zone `newsbot latest` shows times in: the console's /timezone, else the bot's.
        console = chat_store.get_chat(db.conn, CONSOLE_CHAT_ID)
        zone = (console.timezone if console else None) or settings.timezone
        since = _since(args.since, zone) or parse_date(args.since)
        if since is None:
            print("newsbot: " + _("--since {value} is not a date; use ISO 8601 like "
                                  "2026-11-01").format(value=repr(args.since)), file=sys.stderr)
            return 2
    # A story whose embargo passed while no bot ran is published now, as commands see it.
    article_store.lift_embargoes(db.conn, datetime.now(UTC))
    if args.format == "xlsx":
        sys.stdout.flush()
        count = export_xlsx(db.conn, sys.stdout.buffer, since, everything=args.all)
    else:
        count = export(db.conn, sys.stdout, args.format, since, everything=args.all)
    print("newsbot: " + i18n.ngettext("exported {count} article", "exported {count} articles",
                                      count).format(count=i18n.number(count)), file=sys.stderr)
    return 0


def _since(value: str, timezone: str) -> datetime | None:
    """An ISO 8601 date or time from the command line; one with no zone is read where the
    operator is (`timezone`: the console's, else NEWSBOT_TIMEZONE), as `newsbot latest` shows
    the times: `--since 2026-11-01` is that midnight in Brussels, not in Greenwich. None when
    it is no ISO date."""
    from zoneinfo import ZoneInfo

    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(timezone))


EXIT_STATUS = {Outcome.OK: 0, Outcome.EMPTY: 0, Outcome.NOT_FOUND: 1, Outcome.REFUSED: 1,
               Outcome.BAD_INPUT: 2}


class NoDatabase(Exception):
    """A command that only reads was pointed at a database file that does not exist."""


def _existing_database(settings: Settings) -> Database:
    """The database of a command that only reads; NoDatabase when there is no such file."""
    # Only `run` and `ingest` create the database: a mistyped --db or NEWSBOT_DB would make a
    # new empty file (and its folders) and answer "No articles yet.", as if nothing was stored.
    if not settings.db_path.exists():
        raise NoDatabase
    return open_database(settings.db_path)


def _terminal(settings: Settings) -> Caller:
    """The console's chat (its filters, time zone, digest), answered in the terminal's language."""
    # A one-shot command speaks the language of the environment it runs in, so a script's
    # NEWSBOT_LANGUAGE or LANG holds whatever /language someone once typed in the console.
    return replace(CONSOLE, answer_language=settings.terminal_language)


def _commands(settings: Settings) -> Commands:
    return Commands(_existing_database(settings).conn, settings)


def _print(replies: list[Reply], next_page: str | None = None) -> int:
    """Print replies as terminal text (no button hints: the CLI pages with --page); errors
    go to stderr; returns the exit status the worst reply calls for."""
    status = 0
    for reply in replies:
        if reply.outcome in (Outcome.OK, Outcome.EMPTY):
            print(render_reply(reply, buttons=False), end="\n\n")
        else:
            print(f"newsbot: {render_reply(reply, buttons=False)}", file=sys.stderr)
        status = max(status, EXIT_STATUS[reply.outcome])
    if next_page and replies and _has_forward_button(replies[-1]):
        print(_("More: {command}").format(command=next_page))
    return status


def _has_forward_button(reply: Reply) -> bool:
    # The paging row is [« back] [forward »]; the forward one is the one pointing right.
    return any(button.text.endswith("»") for row in reply.buttons for button in row)


def _usage(message: str) -> int:
    print(f"newsbot: {message}", file=sys.stderr)
    return 2


def _ingest(conn: sqlite3.Connection, settings: Settings, paths: list[Path],
            settle: float) -> IngestReport:
    progress = _progress_bar() if sys.stderr.isatty() else None
    try:
        return ingest_with(conn, settings, paths, settle, progress)
    finally:
        if progress:  # also when interrupted: the next line starts on a line of its own
            sys.stderr.write("\n")


def _progress_bar():
    def show(done: int, total: int) -> None:
        if total < 20:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                         + _("{done}/{total} files").format(done=done, total=total))
        sys.stderr.flush()
    return show


def _print_report(report: IngestReport) -> None:
    print("\n".join(report_lines(report)))


def _with(settings: Settings, **changes: object) -> Settings:
    return replace(settings, **changes)


if __name__ == "__main__":
    raise SystemExit(main())
