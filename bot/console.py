"""Console mode: the bot's commands typed in a terminal, replies and digests printed as text."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from bot.commands import Commands
from bot.delivery import deliver
from bot.digest import digest_replies
from bot.ingest import IngestReport
from bot.render import to_plain
from bot.replies import Caller, Reply
from bot.schedule import is_due
from bot.send import Address, Outcome, Priority, SendResult
from storage import chats as chat_store

log = logging.getLogger(__name__)

CONSOLE_CHAT_ID = 0  # Telegram never uses 0, so the console's settings live beside real chats
CONSOLE = Caller(chat_id=CONSOLE_CHAT_ID, user_id=None, chat_type="console", can_manage=True)


def render_reply(reply: Reply) -> str:
    """A reply as terminal text, buttons shown as the callback they would send."""
    text = to_plain(reply.text)
    for row in reply.buttons:
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
    if not line.startswith("/"):
        line = "/" + line  # in a terminal, 'latest 3' is as clear as '/latest 3'
    if line.startswith("/press "):
        reply = commands.callback(CONSOLE, line.removeprefix("/press ").strip())
        replies = [reply] if reply else []
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


def run_console(commands: Commands, rescan: Callable[[], IngestReport],
                stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Read commands until EOF or /quit; rescan the drop folder and send due digests between."""
    interactive = stdin.isatty()
    out.write("Console mode (no TELEGRAM_BOT_TOKEN). Type /help, or /quit to leave.\n\n")
    out.flush()
    while True:
        if interactive:
            out.write("newsbot> ")
            out.flush()
        line = stdin.readline()
        if not line or line.strip() in ("/quit", "/exit", "quit", "exit"):
            break
        report = rescan()
        if report.new or report.updated or report.rejected:
            out.write(f"[ingest] {report.summary_line()}\n")
        show(commands, due_digest(commands), out)
        try:
            answer(commands, line, out)
        except Exception:  # a bug in one command must not end the session
            log.exception("command failed: %s", line.strip()[:80])
            out.write("Sorry, that command failed; the error is in the log.\n\n")
    out.write("Bye.\n")
    out.flush()
