"""Console mode: the bot's commands typed in a terminal, replies and digests printed as text."""

from __future__ import annotations

import asyncio
import logging
import queue
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from bot import i18n
from bot.commands import COMMANDS, Commands
from bot.delivery import deliver
from bot.digest import digest_replies
from bot.i18n import _
from bot.ingest import IngestReport
from bot.render import article_item, to_plain
from bot.replies import Caller, Reply
from bot.schedule import is_due
from bot.send import Address, Outcome, Priority, SendResult
from storage import articles as article_store
from storage import chats as chat_store

log = logging.getLogger(__name__)

CONSOLE_CHAT_ID = 0  # Telegram never uses 0, so the console's settings live beside real chats
# The terminal user owns the server: they may use the admin commands (/stats).
CONSOLE = Caller(chat_id=CONSOLE_CHAT_ID, user_id=None, chat_type="console", can_manage=True,
                 operator=True)
QUIT = ("/quit", "/exit", "quit", "exit")
NEW_SHOWN = 10  # articles of a scan printed as they arrive; more are a /latest away
COMMAND_NAMES = frozenset({name for name, _text in COMMANDS} | {"start", "stats", "press"})


def render_reply(reply: Reply, buttons: bool = True) -> str:
    """A reply as terminal text, buttons shown as the /press line that presses them."""
    text = to_plain(reply.text)
    for row in reply.buttons if buttons else []:
        text += "\n" + "  ".join(f"[{button.text}: /press {button.data}]" for button in row)
    return text


class PrintSender:
    """A MessageSender for delivery that prints instead of calling Telegram."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.printed = 0

    async def send(self, address: Address, reply: Reply, priority: Priority = Priority.REPLY,
                   purpose: str = "reply") -> SendResult:
        """Print one message; its number in this session stands in for a message_id."""
        self.out.write(render_reply(reply) + "\n\n")
        self.out.flush()
        self.printed += 1
        return SendResult(Outcome.SENT, address.chat_id, self.printed)


def answer(commands: Commands, line: str, out: TextIO) -> None:
    """Run one typed line: a command, or '/press DATA' to simulate a button."""
    line = line.strip()
    if not line:
        return
    if not line.startswith("/") and line.split()[0].lower() in COMMAND_NAMES:
        line = "/" + line  # in a terminal, 'latest 3' is as clear as '/latest 3'
    if line == "/press" or line.startswith("/press "):
        replies = commands.callback(CONSOLE, line.removeprefix("/press").strip())
    else:
        replies = commands.handle(CONSOLE, line)
    show(commands, replies, out)


def show(commands: Commands, replies: list[Reply], out: TextIO) -> None:
    """Print replies; a digest goes through the ledger like the bot's, so it is not repeated."""
    if replies and replies[-1].digest_cursor is not None:
        asyncio.run(deliver(commands.conn, Address(CONSOLE_CHAT_ID), replies, PrintSender(out),
                            priority=Priority.REPLY))
        return
    for reply in replies:
        out.write(render_reply(reply) + "\n\n")
    out.flush()


def due_digest(commands: Commands, now: datetime | None = None) -> list[Reply]:
    """The console's scheduled digest if it is due now (an empty one is closed, not shown)."""
    now = now or datetime.now(UTC)
    chat = chat_store.get_chat(commands.conn, CONSOLE_CHAT_ID)
    settings = commands.settings
    if chat is None or not is_due(chat, now, settings.digest_time, settings.timezone):
        return []
    digest = commands.digest(chat, now)
    return [] if digest.empty else digest_replies(digest)


def report_lines(report: IngestReport) -> list[str]:
    """An ingest report for a terminal: the summary, then one line per rejected file."""
    return [_("Ingest: {summary}.").format(summary=report.summary_line()),
            *_rejected_lines(report.all_rejected), *_unstored_lines(report.unstored)]


def _unstored_lines(unstored: list[tuple[str, str]]) -> list[str]:
    return [_("  not stored {path}: {error}; read again at the next scan").format(
        path=path, error=error) for path, error in unstored]


def _rejected_lines(rejected: list[tuple[str, str]]) -> list[str]:
    # The reason stays as the reader gave it: often a parser's own message, in English.
    return [_("  rejected {path}: {reason}").format(path=path, reason=reason)
            for path, reason in rejected]


def language(commands: Commands) -> str:
    """The language the console writes in: its /language choice, else NEWSBOT_LANGUAGE or LANG."""
    return commands.language(commands.chat(CONSOLE))


def refresh(commands: Commands, rescan: Callable[[], IngestReport], out: TextIO) -> bool:
    """Rescan the drop folder, print what arrived, send a due digest; True if anything showed."""
    before = article_store.max_seq(commands.conn)
    report = rescan()
    shown = False
    with i18n.using(language(commands)):
        if report.new or report.updated or report.rejected or report.unstored:
            lines = [_("[ingest] {summary}").format(summary=report.summary_line()),
                     *_rejected_lines(report.rejected), *_unstored_lines(report.unstored)]
            out.write("\n".join(lines) + "\n\n")
            shown = True
        arrived = list(range(before + 1, article_store.max_seq(commands.conn) + 1))
        if arrived:
            shown = True
            zone = commands.timezone(commands.chat(CONSOLE))
            for article in article_store.by_seqs(commands.conn, arrived[-NEW_SHOWN:]):
                out.write(to_plain(article_item(article, zone, 1)) + "\n\n")
    replies = due_digest(commands)
    show(commands, replies, out)
    out.flush()
    return shown or bool(replies)


def run_console(commands: Commands, rescan: Callable[[], IngestReport],
                stdin: TextIO = sys.stdin, out: TextIO = sys.stdout, tick: float = 60.0) -> None:
    """Read commands until EOF or /quit; meanwhile, every `tick` seconds, rescan the drop folder
    and send a due digest, so a dropped file shows up without anyone typing."""
    interactive = stdin.isatty()
    with i18n.using(language(commands)):
        out.write(_("Console mode (no TELEGRAM_BOT_TOKEN). Type /help, or /quit to leave.")
                  + "\n\n")
    lines = _read_in_background(stdin)
    prompt = True
    while True:
        if prompt and interactive:
            out.write("newsbot> ")
        out.flush()
        try:
            line = lines.get(timeout=tick)
        except queue.Empty:
            prompt = _refreshed(commands, rescan, out)  # again only if something was printed
            continue
        if line is None or line.strip() in QUIT:
            break
        _refreshed(commands, rescan, out)
        try:
            answer(commands, line, out)
        except Exception:  # a bug in one command must not end the session
            log.exception("command failed: %s", line.strip()[:80])
            with i18n.using(language(commands)):
                out.write(_("Sorry, that command failed; the error is in the log.") + "\n\n")
        prompt = True
    with i18n.using(language(commands)):
        out.write(_("Bye.") + "\n")
    out.flush()


def _refreshed(commands: Commands, rescan: Callable[[], IngestReport], out: TextIO) -> bool:
    try:
        return refresh(commands, rescan, out)
    except Exception:  # a failed scan must not end the session; the next tick tries again
        log.exception("rescan failed")
        return False


def _read_in_background(stdin: TextIO) -> queue.Queue[str | None]:
    """Lines of stdin as they are typed, then None at end of input (read by a daemon thread,
    so the console can rescan and send digests while nobody types)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        try:
            for line in iter(stdin.readline, ""):
                lines.put(line)
        except (OSError, ValueError):  # stdin closed under us: same as end of input
            pass
        lines.put(None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return lines
